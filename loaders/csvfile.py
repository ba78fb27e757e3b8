"""Read one CSV (or Excel "Unicode 文本") file: its encoding, its delimiter, and lines that do not fit the header."""

from __future__ import annotations

import csv
import io
from collections import Counter

from charset_normalizer import from_bytes

from loaders.grid import RawTable, find_header, to_table
from loaders.problems import Notice, Problem

DELIMITERS = {",": ("逗号", "comma"), ";": ("分号", "semicolon"), "\t": ("制表符", "tab")}


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Decode CSV bytes; ``(text, encoding)``: UTF-16 with BOM, UTF-8 (BOM or not), else GB18030, else a guess.

    >>> decode("编号".encode("gb18030"), "x.csv")
    ('编号', 'GB18030')
    >>> decode("\\ufeffid".encode("utf-8"), "x.csv"), decode("id\\tx".encode("utf-16"), "x.txt")
    (('id', 'UTF-8 BOM'), ('id\\tx', 'UTF-16'))
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "UTF-16"
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8"), "UTF-8 BOM"
    for enc, label in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return data.decode(enc), label
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("utf-8/gb18030", data[:1], 0, 1, f"{file}: neither UTF-8 nor GB18030")
    return str(best), str(best.encoding).upper()


def sniff(table: str, text: str) -> str:
    """The delimiter (comma, semicolon or tab) under which the top lines name the most columns of ``table``.

    >>> sniff("streets", "编号;名称;所属县\\nS1;北街;示例县\\n")
    ';'
    """
    head = "\n".join(text.splitlines()[:30])
    best, score = ",", -1
    for d in DELIMITERS:
        rows = list(csv.reader(io.StringIO(head), delimiter=d))
        n = len(find_header(table, rows)[2])
        if n > score:
            best, score = d, n
    return best


def read_csv_file(table: str, file: str, data: bytes, problems: list[Problem]) -> RawTable | None:
    """Read one file as ``table``; lines whose fields do not line up with the header are refused one by one."""
    try:
        text, encoding = decode(data, file)
    except UnicodeDecodeError as exc:
        problems.append(Problem(table, 0, "", "", f"无法读取文件（已尝试 UTF-8、UTF-16 与 GB18030 编码）：{exc}",
                                f"cannot read the file (tried UTF-8, UTF-16 and GB18030): {exc}", file))
        return None
    delim = sniff(table, text)
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=delim, strict=True))
    except csv.Error as exc:
        problems.append(Problem(table, 0, "", "", f"无法解析 CSV：{exc}", f"cannot parse the CSV: {exc}", file))
        return None
    at, height, colmap, _ = find_header(table, records)
    notices: list[Notice] = []
    if height:
        records = _line_up(table, file, records, at + height, delim, problems, notices)
    raw = to_table(table, file, "", records, None, problems)
    raw.notices[:0] = notices
    zh_d, en_d = DELIMITERS[delim]
    raw.how = f"{encoding}, {en_d}"
    if delim != "," or encoding not in ("UTF-8", "UTF-8 BOM"):
        raw.notices.insert(0, Notice(table, f"编码 {encoding}，分隔符为{zh_d}", f"encoding {encoding}, "
                                     f"delimited by {en_d}", file))
    return raw


def _line_up(table: str, file: str, records: list[list[str]], start: int, delim: str, problems: list[Problem],
             notices: list[Notice]) -> list[list[str]]:
    """Check every data line has as many fields as the others (a value's unquoted comma adds one)."""
    hdr = len(records[start - 1])
    data = records[start:]
    shapes = Counter(map(len, data))
    shapes.pop(0, None)
    if not shapes:
        return records
    width = shapes.most_common(1)[0][0]
    ends = sum(1 for r in data if len(r) == width and r[-1] == "") if width == hdr + 1 else 0
    trailing = ends * 2 > shapes[width]
    if width > hdr and not trailing:
        problems.append(Problem(table, start, "", "", f"表头有 {hdr} 列，而多数数据行有 {width} 个字段：无法对齐列",
                                f"the header has {hdr} columns but most lines have {width} fields: "
                                f"the columns cannot be lined up", file))
        return records[:start]
    if len(shapes) == 1 and (not trailing or ends == shapes[width]):
        if trailing:
            notices.append(_trailing(table, file, start + 1, len(data)))
            return records[:start] + [r[:-1] for r in data]
        return records
    out = records[:start]
    bad = 0
    for k, r in enumerate(data):
        if any(r) and (len(r) != width or trailing and r[-1] != ""):
            bad += 1
            shown = delim.join(r)
            shown = shown if len(shown) <= 120 else shown[:117] + "…"
            if len(r) >= width:
                zh = (f"此行有 {len(r)} 个字段，其他行为 {width} 个：可能是某个值中含有未加引号的"
                      f"{DELIMITERS[delim][0]}，请给该值加引号；此行未读入")
                en = (f"this line has {len(r)} fields where the others have {width}: a value holds an unquoted "
                      f"{DELIMITERS[delim][1]}? Quote it; the line was not read")
            else:
                zh = f"此行只有 {len(r)} 个字段，其他行为 {width} 个：列会错位；此行未读入"
                en = f"this line has {len(r)} fields where the others have {width}: the columns would shift"
            problems.append(Problem(table, start + k + 1, "", shown, zh, en, file))
            out.append([])
            continue
        out.append(r[:-1] if trailing and r else r)
    if trailing:
        notices.append(_trailing(table, file, start + 1, len(data) - bad))
    return out


def _trailing(table: str, file: str, row: int, count: int) -> Notice:
    return Notice(table, "数据行末尾多一个分隔符（表头没有），已忽略该空字段",
                  "data lines end with a delimiter the header lacks: the empty last field is ignored",
                  file, "", row, count=count)
