"""Validate raw tables against the data format: every problem in one pass, or a typed Dataset."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from graph.dataformat import AREA_OF_KIND, BY_NAME, DEMAND_STAGES, TABLES, Dataset, Row
from graph.errors import DataRefused
from loaders.cells import parse_cell
from loaders.names import EXTRA_COLUMNS, fold
from loaders.problems import Notice, Problem
from loaders.read import RawDataset, read_container
from loaders.report_read import Reading
from loaders.rows import typed_rows

__all__ = ["load_dataset", "parse_cell", "validate"]


def validate(raw: RawDataset) -> Dataset:
    """Turn raw tables into a typed :class:`Dataset`, or raise :class:`DataRefused` with every problem.

    The data set's ``reading`` (and the refusal's) tells what was read and every notice.
    """
    problems = list(raw.problems)
    tables: dict[str, list[Row]] = {}
    files: dict[str, str] = {}
    notices = list(raw.notices)
    for spec in TABLES:
        rt = raw.tables.get(spec.name)
        if rt is None:
            if spec.required:
                problems.append(Problem(spec.name, 0, "", "", f"缺少必需的表「{spec.zh}」({spec.name})",
                                        f"required table {spec.name} ({spec.zh}) is missing", f"{spec.name}"))
            continue
        files[spec.name] = rt.file
        notices += rt.notices
        if rt.header_row == 0:
            continue
        missing = [c for c in spec.columns if c.required and c.name not in rt.columns]
        for c in missing:
            problems.append(Problem(spec.name, rt.header_row, c.name, "", f"缺少必需的列「{c.zh}」({c.name})",
                                    f"required column {c.name} ({c.zh}) is missing", rt.file, rt.sheet))
        if rt.ignored:
            odd = any(fold(h) not in EXTRA_COLUMNS for h in rt.ignored)
            notices.append(Notice(spec.name, "已忽略不属于此表的列：" + "、".join(rt.ignored),
                                  "ignored columns not of this table: " + ", ".join(rt.ignored), rt.file, rt.sheet,
                                  rt.header_row, level="warning" if odd else "info"))
        rows, more = typed_rows(spec, rt, missing, problems)
        notices += more
        tables[spec.name] = rows
    if raw.tables and not problems and not any(tables.values()):
        problems.append(Problem("", 0, "", "", "数据集中没有任何数据行", "the data set holds no data rows",
                                Path(raw.source).name))
    problems += _placed(_check_identity_and_references(tables, files, raw), raw)
    reading = Reading.of(raw, notices)
    if problems:
        raise DataRefused(problems, raw.source, reading=reading)
    ignored = [f"{t.file}{f'[{t.sheet}]' if t.sheet else ''}: {col}" for t in raw.tables.values() for col in t.ignored]
    return Dataset(tables, raw.fingerprint, raw.source, ignored, reading=reading)


def _placed(problems: list[Problem], raw: RawDataset) -> list[Problem]:
    """Problems found across tables, with the sheet and the heading as written filled in.

    A reference to an id that stands on a CSV line refused for its field count says so.
    """
    unread = {f.strip() for p in raw.problems if p.row and not p.column and p.value
              for f in re.split(r"[,;\t]", p.value)}
    out = []
    for p in problems:
        rt = raw.tables.get(p.table)
        if rt is not None:
            p = replace(p, sheet=rt.sheet, header=rt.headers.get(p.column, ""),
                        value=rt.original.get((p.row, p.column), p.value))
        if p.value in unread and p.en.startswith("refers to an id that does not exist"):
            p = replace(p, zh=p.zh + "（该编号所在的行未能读入，见上）",
                        en=p.en + " (its row was not read: see above)")
        out.append(p)
    return out


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
