"""Validate raw tables against the data format: every problem in one pass, or a typed Dataset."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from graph.dataformat import AREA_OF_KIND, BY_NAME, DEMAND_STAGES, TABLES, Column, Dataset, Row
from graph.errors import DataRefused
from loaders.problems import Problem
from loaders.read import RawDataset, RawTable, read_container

TRUE = {"true", "1", "是", "yes", "y", "t"}
FALSE = {"false", "0", "否", "no", "n", "f"}
TYPE_ZH = {"int": "非负整数", "number": "非负数", "bool": "是/否（true/false、1/0）", "date": "日期 YYYY-MM-DD",
           "datetime": "时间 YYYY-MM-DD HH:MM[:SS]"}
TYPE_EN = {"int": "a whole number ≥ 0", "number": "a number ≥ 0", "bool": "true/false, 1/0 or 是/否",
           "date": "a date YYYY-MM-DD", "datetime": "a time YYYY-MM-DD HH:MM[:SS]"}


def parse_cell(col: Column, text: str) -> Any:
    """Parse one non-empty cell; raise ValueError when it does not fit the column's type.

    >>> from graph.dataformat import BY_NAME
    >>> parse_cell(BY_NAME["grids"].column("kind"), "住宅")
    'residential'
    >>> parse_cell(BY_NAME["grids"].column("households"), "420")
    420
    >>> parse_cell(BY_NAME["demands"].column("raised_at"), "2026-09-01 09:00")
    datetime.datetime(2026, 9, 1, 9, 0)
    """
    t = col.type
    if t == "text":
        return text
    if t == "enum":
        v = col.values.get(text) or col.values.get(text.lower())
        if v is None:
            raise ValueError
        return v
    if t == "int":
        f = float(text)
        if not math.isfinite(f) or f < 0 or f != int(f):
            raise ValueError
        n = int(f)
        if (col.lo is not None and n < col.lo) or (col.hi is not None and n > col.hi):
            raise ValueError
        return n
    if t == "number":
        f = float(text)
        if not math.isfinite(f) or f < 0:
            raise ValueError
        return int(f) if f == int(f) else f
    if t == "bool":
        low = text.lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False
        raise ValueError
    if t == "date":
        head = text[:10]
        if len(text) > 10 and text[10:].strip() not in ("00:00:00", "00:00"):
            raise ValueError
        return date.fromisoformat(head)
    if t == "datetime":
        if len(text) < 16:
            raise ValueError
        return datetime.fromisoformat(text)
    raise AssertionError(t)


def _type_problem(raw: RawTable, n: int, col: Column, text: str) -> Problem:
    if col.type == "enum":
        allowed = "、".join(sorted({k for k, v in col.values.items()}))
        return Problem(raw.name, n, col.name, text, f"取值不在允许范围内（{allowed}）",
                       f"value not allowed (one of: {', '.join(sorted(set(col.values.values())))})", raw.file)
    rng = f" {col.lo}–{col.hi}" if col.lo is not None else ""
    return Problem(raw.name, n, col.name, text, f"应为{TYPE_ZH[col.type]}{rng}",
                   f"expected {TYPE_EN[col.type]}{rng}", raw.file)


def validate(raw: RawDataset) -> Dataset:
    """Turn raw tables into a typed :class:`Dataset`, or raise :class:`DataRefused` with every problem."""
    problems = list(raw.problems)
    tables: dict[str, list[Row]] = {}
    files: dict[str, str] = {}
    for spec in TABLES:
        rt = raw.tables.get(spec.name)
        if rt is None:
            if spec.required:
                problems.append(Problem(spec.name, 0, "", "", f"缺少必需的表「{spec.zh}」({spec.name})",
                                        f"required table {spec.name} ({spec.zh}) is missing", f"{spec.name}"))
            continue
        files[spec.name] = rt.file
        missing = [c for c in spec.columns if c.required and c.name not in rt.columns]
        for c in missing:
            problems.append(Problem(spec.name, 1, c.name, "", f"缺少必需的列「{c.zh}」({c.name})",
                                    f"required column {c.name} ({c.zh}) is missing", rt.file))
        cols = [c for c in spec.columns if c.name in rt.columns]
        rows: list[Row] = []
        for n, cells in zip(rt.row_numbers, rt.rows, strict=True):
            row: Row = {"_row": n}
            for c in cols:
                text = cells.get(c.name, "")
                if c.refs or c.name == "id":
                    text = text.strip()
                if text == "":
                    if c.required and c not in missing:
                        problems.append(Problem(spec.name, n, c.name, "", f"必填项「{c.zh}」为空",
                                                f"required value {c.name} is empty", rt.file))
                    row[c.name] = None
                    continue
                try:
                    row[c.name] = parse_cell(c, text)
                except ValueError:
                    problems.append(_type_problem(rt, n, c, text))
                    row[c.name] = None
            for c in spec.columns:
                row.setdefault(c.name, None)
            rows.append(row)
        tables[spec.name] = rows
    problems += _check_identity_and_references(tables, files, raw)
    if problems:
        raise DataRefused(problems, raw.source)
    ignored = [f"{t.file}: {col}" for t in raw.tables.values() for col in t.ignored]
    return Dataset(tables, raw.fingerprint, raw.source, ignored)


def _check_identity_and_references(tables: dict[str, list[Row]], files: dict[str, str],
                                   raw: RawDataset) -> list[Problem]:
    problems: list[Problem] = []
    owner: dict[str, tuple[str, int]] = {}          # id -> (table, row)
    for spec in TABLES:
        if not spec.has_id:
            continue
        for row in tables.get(spec.name, []):
            rid = row.get("id")
            if rid is None:
                continue
            if rid in owner:
                t0, r0 = owner[rid]
                problems.append(Problem(spec.name, row["_row"], "id", rid,
                                        f"编号重复（已在 {files.get(t0, t0)} 第 {r0} 行出现）",
                                        f"duplicate id (already in {t0}, row {r0})", files[spec.name]))
            else:
                owner[rid] = (spec.name, row["_row"])
    kind_of = {r["id"]: r.get("kind") for r in tables.get("party_orgs", []) if r.get("id")}
    for spec in TABLES:
        for row in tables.get(spec.name, []):
            n, file = row["_row"], files[spec.name]
            for c in spec.refs:
                ref = row.get(c.name)
                if ref is None:
                    continue
                target = owner.get(ref)
                if target is None:
                    missing_tables = [t for t in c.refs if t not in tables]
                    extra_zh = f"（缺少表 {'、'.join(missing_tables)}）" if missing_tables else ""
                    extra_en = f" (table {', '.join(missing_tables)} is missing)" if missing_tables else ""
                    problems.append(Problem(spec.name, n, c.name, ref, f"引用的编号不存在{extra_zh}",
                                            f"refers to an id that does not exist{extra_en}", file))
                elif target[0] not in c.refs:
                    want = "/".join(c.refs)
                    problems.append(Problem(spec.name, n, c.name, ref,
                                            f"引用的编号属于表 {target[0]}，应指向 {want}",
                                            f"refers to a row of {target[0]}, expected {want}", file))
            if spec.name == "party_orgs":
                problems += _check_area(row, owner, file)
            elif spec.name == "central_households" and row.get("building_group_id") in kind_of \
                    and kind_of[row["building_group_id"]] != "building_group":
                problems.append(Problem(spec.name, n, "building_group_id", row["building_group_id"],
                                        "应指向楼门党小组（building_group）",
                                        "must refer to a party org of kind building_group", file))
            elif spec.name == "grids" and row.get("kind") == "residential" and row.get("community_id") is None:
                problems.append(Problem(spec.name, n, "community_id", "", "住宅网格必须填写所属社区",
                                        "a residential grid needs community_id", file))
            elif spec.name == "demands":
                problems += _check_stages(row, file)
    return problems


def _check_area(row: Row, owner: dict[str, tuple[str, int]], file: str) -> list[Problem]:
    kind, area = row.get("kind"), row.get("area_id")
    want = AREA_OF_KIND.get(kind or "")
    if kind is None or want is None or area is None or area not in owner:
        return []
    got = owner[area][0]
    if got == want:
        return []
    return [Problem("party_orgs", row["_row"], "area_id", area,
                    f"{kind} 应建在 {BY_NAME[want].zh}（{want}）上，"
                    f"而此编号属于 {BY_NAME[got].zh}（{got}）",
                    f"a {kind} must be built on a row of {want}, not of {got}", file)]


def _check_stages(row: Row, file: str) -> list[Problem]:
    out = []
    prev_name, prev = None, None
    for stage in DEMAND_STAGES:
        t = row.get(stage)
        if t is None:
            continue
        if prev is not None and t < prev:
            out.append(Problem("demands", row["_row"], stage, t.isoformat(sep=" "),
                               f"时间早于前一环节 {prev_name}（{prev.isoformat(sep=' ')}）",
                               f"earlier than the previous stage {prev_name}", file))
        prev_name, prev = stage, t
    return out


def load_dataset(path: Path | str) -> Dataset:
    """Read and validate the data set at ``path`` (a CSV folder or an .xlsx workbook).

    Raises :class:`DataRefused` listing every problem when it breaks the data format.
    """
    return validate(read_container(Path(path)))
