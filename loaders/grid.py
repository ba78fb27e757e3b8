"""One sheet or CSV file as a grid of cell texts → a raw table: find the header, skip titles, totals and repeats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from loaders.names import column_of, header_map
from loaders.problems import Notice, Problem

HEADER_SCAN = 30                       # rows searched for the header
TOTAL_WORDS = ("合计", "小计", "总计", "共计", "总数", "total", "Total", "TOTAL", "subtotal", "Subtotal")
_TOTAL_FIRST = frozenset(w[0] for w in TOTAL_WORDS) | {" ", "\u3000"}


@dataclass
class RawTable:
    """A table as read: cell texts by code column name, with spreadsheet row numbers."""

    name: str
    file: str
    columns: list[str]
    rows: list[dict[str, str]]
    row_numbers: list[int]
    ignored: list[str] = field(default_factory=list)
    sheet: str = ""
    header_row: int = 1                 # the (last) header row, 1-based; 0 when none was found
    headers: dict[str, str] = field(default_factory=dict)   # code column -> heading as written
    notices: list[Notice] = field(default_factory=list)
    how: str = ""                       # how the file was read (encoding, delimiter), for the summary
    original: dict[tuple[int, str], str] = field(default_factory=dict)  # (row, column) -> text before tidying


def letter(j: int) -> str:
    """The spreadsheet letter of column index ``j`` (0-based).

    >>> letter(0), letter(27)
    ('A', 'AB')
    """
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _map_row(table: str, row: Sequence[str]) -> dict[int, str]:
    return {j: code for j, v in enumerate(row) if v and (code := column_of(table, v)) is not None}


def find_header(table: str, rows: Sequence[Sequence[str]]) -> tuple[int, int, dict[int, str], dict[int, str]]:
    """``(index, height, column index -> code, column index -> heading)`` of the best header in the top rows.

    A header may span two rows (merged group cells above sub-headings: 所属 / 社区 → 所属社区).
    Returns height 0 when no row names any column of the table.

    >>> find_header("grids", [["网格信息表", "", ""], ["编号", "所属", "所属"], ["", "社区", "街道"], ["W1", "C1", ""]])[:3]
    (1, 2, {0: 'id', 1: 'community_id', 2: 'street_id'})
    """
    best: tuple[int, int, dict[int, str], dict[int, str]] = (0, 0, {}, {})
    top = list(rows[:HEADER_SCAN])
    singles = [_map_row(table, row) for row in top]
    for i, row in enumerate(top):
        one = singles[i]
        if len(one) > len(best[2]):
            best = (i, 1, one, {j: row[j] for j in one})
        if i + 1 >= len(top) or not any(row):
            continue
        sub = top[i + 1]
        two: dict[int, str] = {}
        written: dict[int, str] = {}
        for j in range(max(len(row), len(sub))):
            g = row[j] if j < len(row) else ""
            s = sub[j] if j < len(sub) else ""
            for cand in (s, g + s, g):
                code = column_of(table, cand) if cand else None
                if code is not None:
                    two[j], written[j] = code, cand
                    break
        if len(two) > len(best[2]) and len(two) > max(len(one), len(singles[i + 1])):
            best = (i, 2, two, written)
    return best


def to_table(table: str, file: str, sheet: str, rows: Sequence[Sequence[str]], numbers: Sequence[int] | None,
             problems: list[Problem], merged: dict[tuple[int, int], tuple[int, int]] | None = None) -> RawTable:
    """Turn a grid into a :class:`RawTable`; ``numbers`` are the rows' 1-based numbers (default: index + 1).

    ``merged`` maps (row index, column index) of cells filled from a merged range to the range's first cell.
    """
    nums = list(numbers) if numbers is not None else list(range(1, len(rows) + 1))
    at, height, colmap, written = find_header(table, rows)
    raw = RawTable(table, file, [], [], [], sheet=sheet)
    if height == 0:
        problems.append(Problem(table, 0, "", "", "找不到表头：没有一列的列名能识别",
                                "no header found: no column heading names a column of this table", file, sheet))
        raw.header_row = 0
        return raw
    header_index = at + height - 1
    raw.header_row = nums[header_index]
    seen: dict[str, int] = {}
    keep: list[tuple[int, str]] = []
    for j in sorted(colmap):
        code = colmap[j]
        if code in seen:
            problems.append(Problem(table, raw.header_row, code, written[j],
                                    f"列名重复：{letter(seen[code])} 列与 {letter(j)} 列都是「{code}」",
                                    f"column given twice: {letter(seen[code])} and {letter(j)} both name {code}",
                                    file, sheet, written[j]))
            continue
        seen[code] = j
        keep.append((j, code))
        raw.headers[code] = written[j]
    raw.columns = [code for _, code in keep]
    head = rows[header_index]
    raw.ignored = [str(h).strip() for j, h in enumerate(head) if j not in colmap and str(h).strip()]
    if at > 0:
        raw.notices.append(Notice(table, "跳过表头上方的标题行", "skipped title row(s) above the header",
                                  file, sheet, nums[0], count=at))
    if height == 2:
        raw.notices.append(Notice(table, "两行表头已合并识别", "a two-row header was read as one", file, sheet,
                                  nums[at]))
    _data_rows(raw, rows, nums, header_index + 1, keep, merged or {}, problems)
    return raw


def _is_header_again(table: str, row: Sequence[str], keep: list[tuple[int, str]]) -> bool:
    hmap = header_map(table)
    hits = sum(1 for j, code in keep if j < len(row) and hmap.get(row[j].strip().lower()) == code)
    return hits >= max(2, (len(keep) + 1) // 2) or hits == len(keep)


def _data_rows(raw: RawTable, rows: Sequence[Sequence[str]], nums: list[int], start: int,
               keep: list[tuple[int, str]], merged: dict[tuple[int, int], tuple[int, int]],
               problems: list[Problem]) -> None:
    table, file, sheet = raw.name, raw.file, raw.sheet
    hmap = header_map(table)
    c0 = keep[0][1]
    spellings = {k for k, v in hmap.items() if v == c0}
    spellings |= {raw.headers[c0], raw.headers[c0].strip()} | {s.upper() for s in spellings}
    width = max(j for j, _ in keep) + 1
    codes = [code for _, code in keep]
    pick = itemgetter(*[j for j, _ in keep])
    one = len(keep) == 1
    out_rows, out_nums = raw.rows, raw.row_numbers
    repeats: list[int] = []
    filled: dict[str, list[int]] = {}
    for i in range(start, len(rows)):
        row = rows[i]
        if len(row) < width:
            row = list(row) + [""] * (width - len(row))
        vals = (pick(row),) if one else pick(row)
        first = vals[0]
        lead = row[0] or next((v for v in row if v.strip()), "")
        if lead[:1] in _TOTAL_FIRST and "".join(lead.split()).startswith(TOTAL_WORDS):
            raw.notices.append(Notice(table, "跳过合计/小计行", "skipped a totals row", file, sheet, nums[i], "",
                                      lead.strip(), level="warning"))
            continue
        if not first.strip() and not any(v.strip() for v in vals):
            continue                                    # a blank row (or only 序号/备注 filled in)
        if first in spellings and _is_header_again(table, row, keep):
            repeats.append(nums[i])
            continue
        if merged:
            for j, code in keep:
                src = merged.get((i, j))
                if src is None:
                    continue
                if src[1] == j:
                    filled.setdefault(code, []).append(nums[i])
                else:
                    problems.append(Problem(table, nums[i], code, row[j],
                                            f"合并单元格横跨多列（从 {letter(src[1])}{nums[src[0]]} 起），"
                                            "无法判断值属于哪一列：请取消合并",
                                            f"a merged cell spans several columns (from {letter(src[1])}"
                                            f"{nums[src[0]]}): unmerge it", file, sheet, raw.headers.get(code, "")))
        out_rows.append(dict(zip(codes, vals, strict=True)))
        out_nums.append(nums[i])
    if repeats:
        template = repeats[0] == nums[start] if start < len(nums) else False
        zh = "跳过重复的表头行（第 " + "、".join(map(str, repeats)) + " 行）"
        en = "skipped repeated header row(s) " + ", ".join(map(str, repeats))
        if template and len(repeats) == 1:
            zh, en = "跳过第二行表头（如模板中的中文列名行）", "skipped a second header row (e.g. the template's Chinese one)"
        raw.notices.append(Notice(table, zh, en, file, sheet, repeats[0], count=len(repeats),
                                  level="info" if template and len(repeats) == 1 else "warning"))
    for code, where in filled.items():
        raw.notices.append(Notice(table, "合并单元格的值已向下填充到所合并的每一行",
                                  "a merged cell's value was filled down into every row it spans", file, sheet,
                                  where[0], code, count=len(where)))
