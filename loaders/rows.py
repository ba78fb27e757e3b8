"""Type the rows of one raw table: each cell tidied and parsed, what was normalised counted, link rows de-duplicated."""

from __future__ import annotations

from graph.dataformat import Column, Row, Table
from loaders.cells import EXCEL_ERRORS, KINDS, PLACEHOLDERS, CellError, parse_cell, tidy
from loaders.grid import RawTable
from loaders.problems import Notice, Problem
from loaders.workbook import NO_VALUE

TYPE_ZH = {"int": "非负整数", "number": "非负数", "bool": "是/否（true/false、1/0、√/×）",
           "date": "日期（如 2026-11-05、2026/11/5、2026年11月5日）",
           "datetime": "时间（如 2026-11-05 09:00、2026/11/5 9:00）"}
TYPE_EN = {"int": "a whole number ≥ 0", "number": "a number ≥ 0", "bool": "true/false, 1/0, 是/否 or √/×",
           "date": "a date (2026-11-05, 2026/11/5, 2026年11月5日)",
           "datetime": "a time (2026-11-05 09:00, 2026/11/5 9:00)"}


class Tally:
    """Counts of each normalisation per (column, kind), with the first row and value, turned into notices."""

    def __init__(self, raw: RawTable) -> None:
        self.raw = raw
        self.count: dict[tuple[str, str], int] = {}
        self.first: dict[tuple[str, str], tuple[int, str]] = {}

    def add(self, column: str, kinds: list[str], row: int, value: str) -> None:
        for kind in dict.fromkeys(kinds):
            key = (column, kind)
            if key not in self.count:
                self.count[key], self.first[key] = 0, (row, value)
            self.count[key] += 1

    def notices(self) -> list[Notice]:
        out = []
        for (column, kind), count in self.count.items():
            zh, en, level = KINDS[kind]
            row, value = self.first[(column, kind)]
            out.append(Notice(self.raw.name, zh, en, self.raw.file, self.raw.sheet, row, column, value, count, level))
        return out


def _problem(raw: RawTable, n: int, col: Column, value: str, zh: str, en: str) -> Problem:
    return Problem(raw.name, n, col.name, value, zh, en, raw.file, raw.sheet, raw.headers.get(col.name, ""))


def type_problem(raw: RawTable, n: int, col: Column, text: str, exc: ValueError | None = None) -> Problem:
    """The problem of a cell that does not fit its column."""
    if isinstance(exc, CellError):
        return _problem(raw, n, col, text, exc.zh, exc.en)
    if col.type == "enum":
        allowed = "、".join(sorted(col.values))
        return _problem(raw, n, col, text, f"取值不在允许范围内（{allowed}）",
                        f"value not allowed (one of: {', '.join(sorted(set(col.values.values())))})")
    rng = f" {col.lo}–{col.hi}" if col.lo is not None else ""
    return _problem(raw, n, col, text, f"应为{TYPE_ZH[col.type]}{rng}", f"expected {TYPE_EN[col.type]}{rng}")


def _special(raw: RawTable, n: int, col: Column, text: str) -> Problem | None:
    """A cell Excel could not fill: an error value, or a formula saved without its value."""
    if text in EXCEL_ERRORS:
        return _problem(raw, n, col, text, f"Excel 错误值 {text}：请先修正公式或数据",
                        f"an Excel error value {text}: fix the formula or the data first")
    if text.startswith(NO_VALUE):
        formula = text[len(NO_VALUE):]
        return _problem(raw, n, col, formula, "公式没有保存计算结果（不会当作空值）：请在 Excel 中打开并保存，或填入数值",
                        "a formula saved without its value (not read as empty): open and save it in Excel, "
                        "or type the value")
    return None


def typed_rows(spec: Table, raw: RawTable, missing: list[Column], problems: list[Problem]) -> tuple[list[Row],
                                                                                                   list[Notice]]:
    """The table's typed rows (``None`` for an empty cell) and the notices of what was normalised."""
    tally = Tally(raw)
    cols = [c for c in spec.columns if c.name in raw.columns]
    absent = [c.name for c in spec.columns if c.name not in raw.columns]
    rows: list[Row] = []
    notes: list[str] = []
    plan = [(c.name, c, c.type == "text", c.required and c not in missing) for c in cols]
    for n, cells in zip(raw.row_numbers, raw.rows, strict=True):
        row: Row = {"_row": n}
        for name, c, plain, required in plan:
            raw_text = cells[name]
            text = raw_text.strip()
            if text is not raw_text or not text.isascii():
                text = tidy(c, raw_text, notes)
                if text != raw_text.strip():
                    raw.original[(n, name)] = raw_text
            if text == "" or text in PLACEHOLDERS:
                if text:
                    notes.append("placeholder")
                if required:
                    zh = f"必填项「{c.zh}」为空" + (f"（「{text}」表示空）" if text else "")
                    problems.append(_problem(raw, n, c, raw_text, zh, f"required value {c.name} is empty"))
                row[name] = None
            elif text[0] in "#\x00" and (bad := _special(raw, n, c, text)) is not None:
                problems.append(bad)
                row[name] = None
            elif plain:
                row[name] = text
            else:
                try:
                    row[name] = parse_cell(c, text, notes)
                except ValueError as exc:
                    problems.append(type_problem(raw, n, c, raw_text, exc))
                    row[name] = None
            if notes:
                tally.add(name, notes, n, raw_text)
                notes.clear()
        for name in absent:
            row[name] = None
        rows.append(row)
    notices = tally.notices()
    if spec.rel is not None:
        rows = _collapse(spec, raw, rows, problems, notices)
    return rows, notices


def _collapse(spec: Table, raw: RawTable, rows: list[Row], problems: list[Problem],
              notices: list[Notice]) -> list[Row]:
    """A link row pasted twice is kept once (warning naming both rows); the same link with other values is refused."""
    refs = [c.name for c in spec.refs]
    rest = [c.name for c in spec.columns if not c.refs]
    first: dict[tuple[object, ...], Row] = {}
    out = []
    for row in rows:
        key = tuple(row[c] for c in refs)
        if None in key:
            out.append(row)
            continue
        seen = first.get(key)
        if seen is None:
            first[key] = row
            out.append(row)
        elif all(seen[c] == row[c] for c in rest):
            notices.append(Notice(spec.name, f"重复的行已合并：与第 {seen['_row']} 行完全相同，只计一次",
                                  f"duplicated row collapsed: the same as row {seen['_row']}, counted once",
                                  raw.file, raw.sheet, row["_row"], "", " / ".join(map(str, key)), level="warning"))
        else:
            diff = [c for c in rest if seen[c] != row[c]]
            problems.append(Problem(spec.name, row["_row"], diff[0], " / ".join(map(str, key)),
                                    f"与第 {seen['_row']} 行登记的是同一对象，但 {'、'.join(diff)} 不同：请只保留一行",
                                    f"the same link as row {seen['_row']} with a different {', '.join(diff)}: "
                                    f"keep one", raw.file, raw.sheet, raw.headers.get(diff[0], "")))
    return out
