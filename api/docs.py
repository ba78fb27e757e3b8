"""The tables of the user documentation (docs/*.md), generated from the code: ``python -m api.docs`` rewrites them.

A document marks each generated block ``<!-- generated:NAME -->`` … ``<!-- /generated -->``; everything
outside the marks is written by hand. ``python -m api.docs --check`` exits 1 naming every block that
disagrees with the code (tests/api/test_docs.py runs it).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.dataformat import BY_NAME, TABLES, Column, Table
from graph.findings import Thresholds
from graph.rules.catalogue import CATALOGUE, MEANING
from graph.settings import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
BLOCK = re.compile(r"<!-- generated:(?P<name>[\w:.-]+) -->\n(?P<body>.*?)<!-- /generated -->", re.S)
CATEGORIES = {"coverage": "空白点", "structure": "组织结构", "overload": "超负荷", "demand": "诉求办理"}
SEVERITY = {"high": "高 high", "medium": "中 medium", "low": "低 low"}
SUBJECT = {"grid": "网格 grid", "compound": "小区 compound", "building": "楼栋 building", "party_org": "党组织 party org",
           "community": "社区 community", "agency": "单位 agency", "person": "人员 person",
           "central_household": "党员中心户 central household", "demand": "诉求 demand"}
TYPE = {"text": "文本 text", "int": "整数 int ≥ 0", "number": "数 number ≥ 0", "bool": "是否 bool",
        "date": "日期 date", "datetime": "时间 datetime", "enum": "取值 enum"}


def cell(text: Any) -> str:
    """Text made safe for one cell of a Markdown table.

    >>> cell("a|b\\nc")
    'a\\\\|b c'
    """
    return " ".join(str(text).replace("|", "\\|").split())


def table(header: list[str], rows: list[list[Any]]) -> str:
    """A Markdown table.

    >>> print(table(["a", "b"], [[1, "x|y"]]), end="")
    | a | b |
    |---|---|
    | 1 | x\\|y |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


# -- the data format ------------------------------------------------------------------------------------
def _values(c: Column) -> str:
    if not c.values:
        return f"{c.lo}–{c.hi}" if c.lo is not None else ""
    spellings: dict[str, list[str]] = {}
    for text, code in c.values.items():
        if text != code:
            spellings.setdefault(code, []).append(text)
    codes = list(dict.fromkeys(c.values.values()))
    return "; ".join(f"`{v}` ({'、'.join(spellings.get(v, []))})" if spellings.get(v) else f"`{v}`" for v in codes)


def _type(c: Column) -> str:
    if c.type == "int" and c.lo is not None:
        return f"整数 int {c.lo}–{c.hi}"
    return "引用 reference" if c.refs else TYPE[c.type]


def _refers(c: Column) -> str:
    targets = ", ".join(f"`{t}`" for t in c.refs)
    return f"{targets} → `{c.rel}`" if c.rel else targets


def table_block(t: Table) -> str:
    """One table of the data format: how it is named and required, and every column."""
    need = "必需的表 / required table" if t.required else "可选的表 / optional table"
    graph = f"节点 / node `:{t.label}`" if t.label else \
        f"关系 / relationship `{t.refs[0].name}` -[`{t.rel}`]→ `{t.refs[1].name}`"
    head = f"**{need}** · `{t.name}.csv` / sheet `{t.name}` · {t.zh} · 图中 / in the graph: {graph}\n\n"
    rows = [[f"`{c.name}`", c.zh, _type(c), "✓" if c.required else "", _refers(c), _values(c)] for c in t.columns]
    return head + table(["列 / column", "中文表头 / Chinese header", "类型 / type", "必填 / required",
                         "指向 / refers to", "取值 / values"], rows)


def tables_block() -> str:
    """Every table at a glance."""
    rows = [[f"`{t.name}`", t.zh, "✓" if t.required else "", f"`:{t.label}`" if t.label else f"`{t.rel}`",
             ", ".join(f"`{c.name}`" for c in t.columns if c.required)] for t in TABLES]
    return table(["表 / table", "中文", "必需 / required", "图中 / in the graph", "必填列 / required columns"], rows)


# -- the rules ------------------------------------------------------------------------------------------
def _default(name: str) -> str:
    v = Thresholds.model_fields[name].default
    return f"{v:,g}" if isinstance(v, float) else f"{v:,}"


def rules_block(category: str) -> str:
    """The rules of one category: code, name, subject, severity, exact meaning, thresholds."""
    rows = []
    for rule, (cat, sev, subject, zh) in CATALOGUE.items():
        if cat != category:
            continue
        m = MEANING[rule]
        used = "<br>".join(f"`{t}` = {_default(t)}" for t in m.thresholds)
        rows.append([f"`{rule}`", zh, SUBJECT[subject], SEVERITY[sev], f"{m.zh}<br>{m.en}", used])
    return table(["规则 / rule", "中文名", "对象 / subject", "默认严重程度 / severity", "何时触发 / fires when",
                  "阈值 / thresholds"], rows)


def thresholds_block() -> str:
    """Every threshold: name, default, meaning and the rules that read it."""
    rows = []
    for name, field in Thresholds.model_fields.items():
        used = ", ".join(f"`{r}`" for r, m in MEANING.items() if name in m.thresholds)
        kind = "整数 int" if field.annotation is int else "数 number"
        rows.append([f"`{name}`", _default(name), kind, field.description or "", used])
    return table(["阈值 / threshold", "默认值 / default", "类型 / type", "含义 / meaning", "用于 / used by"], rows)


# -- the interfaces -------------------------------------------------------------------------------------
def commands_block() -> str:
    """Every command of ``orgnet`` with its arguments and options, from the Typer app."""
    import typer

    from api.cli import app

    rows: list[list[Any]] = []

    def options(params: list[Any]) -> list[str]:
        return ["`" + "`/`".join(p.opts) + "`" for p in params if p.param_type_name == "option"
                and p.name not in ("help", "install_completion", "show_completion")]

    def walk(ctx: typer.Context, cmd: Any, prefix: str) -> None:
        if hasattr(cmd, "list_commands"):
            for name in cmd.list_commands(ctx):
                walk(ctx, cmd.get_command(ctx, name), f"{prefix} {name}")
            return
        args = [f"`{p.name.upper()}`" for p in cmd.params if p.param_type_name == "argument"]
        doc = (cmd.help or "").strip().splitlines()[0] if cmd.help else ""
        rows.append([f"`{prefix}`", " ".join(args + options(cmd.params)), doc])

    root = typer.main.get_command(app)
    walk(typer.Context(root), root, "orgnet")
    return (f"全局选项 / global options (before the command): {' · '.join(options(root.params))}\n\n"
            + table(["命令 / command", "参数与选项 / arguments and options", "作用 / does"], rows))


#: what each key of the JSON report holds (a key the report has and this lacks is an error of the generator)
REPORT_KEYS: dict[str, str] = {
    "version": "报告格式的版本（1）/ the report format's version (1)",
    "as_of": "报告时点（当地时间，ISO 8601）/ the report's moment, local time, ISO 8601",
    "thresholds": "本次使用的全部阈值，按名称 / every threshold this report used, by name",
    "dataset": "所分析的数据集 / which data set was analysed",
    "dataset.fingerprint": "所载文件的 SHA-256 / SHA-256 of the loaded files",
    "dataset.source": "数据集来自的文件夹或文件 / the folder or file it was read from",
    "dataset.counts": "每个表的行数 / rows per table",
    "findings": "全部发现，按严重程度（高在前）、规则、对象编号排序 / every finding, by severity (high first), rule, "
                "subject id",
    "findings[].rule": "规则代码 / the rule's code ([rules.md](rules.md))",
    "findings[].category": "`coverage`, `structure`, `overload` or `demand`",
    "findings[].severity": "`high`, `medium` or `low`",
    "findings[].subject": "发现针对的那一行 / the row the finding is about",
    "findings[].subject.id": "其编号 / its id in the data set",
    "findings[].subject.kind": "其种类 / its kind (`grid`, `person`, …)",
    "findings[].subject.name": "其名称 / its name",
    "findings[].scope": "所属街道与社区 / where it belongs",
    "findings[].scope.street_id": "街道编号，可为 null / street id, or null",
    "findings[].scope.community_id": "社区编号，可为 null / community id, or null",
    "findings[].scope.county": "所属县（街道台账所写的县名；省级数据集按它分县，`county_id=`）/ the county, as the "
                               "streets name it (a province is narrowed by it: `county_id=`)",
    "findings[].metrics": "依据：规则用到的数字，因规则而异 / the evidence: the figures the rule used, per rule",
    "findings[].message": "一句话说明 / the finding in one sentence",
    "findings[].message.zh": "中文",
    "findings[].message.en": "English",
    "findings[].suggestion": "建议（`kind`、`zh`、`en` 及其数字），没有则为 null / what to do (`kind`, `zh`, `en` and "
                             "its figures), or null",
    "summary": "汇总 / the summary",
    "summary.by_rule": "每条规则的发现数 / findings per rule",
    "summary.by_severity": "每个严重程度的发现数 / findings per severity",
    "summary.by_category": "每个类别的发现数 / findings per category",
    "summary.communities": "每个社区一行 / one row per community",
    "summary.communities[].community_id": "社区编号 / community id",
    "summary.communities[].name": "社区名称 / its name",
    "summary.communities[].street_id": "所属街道 / its street",
    "summary.communities[].grids": "网格数 / grids",
    "summary.communities[].residential_grids": "住宅网格数 / residential grids",
    "summary.communities[].households": "住宅网格户数之和 / households of its residential grids",
    "summary.communities[].full_time_workers": "住宅网格的专职网格员（不重复）/ distinct full-time workers of its "
                                               "residential grids",
    "summary.communities[].households_per_full_time": "每名专职网格员户数，没有专职时为 null / households per full-time "
                                                      "worker, null without one",
    "summary.communities[].shares": "覆盖占比（0–1，无可计数时为 null）/ coverage shares, 0–1 (null when there is "
                                    "nothing to count)",
    "summary.communities[].shares.grids_with_worker": "有网格员的网格 / grids with a worker",
    "summary.communities[].shares.residential_grids_with_full_time": "有专职网格员的住宅网格 / residential grids with a "
                                                                     "full-time worker",
    "summary.communities[].shares.grids_with_party_org": "建有网格党组织的网格 / grids with a grid branch or group",
    "summary.communities[].shares.compounds_with_home_branch": "有家园党支部的小区 / compounds with a home branch",
    "summary.communities[].shares.buildings_with_group": "有楼门党小组的楼栋 / buildings with a building group",
    "summary.communities[].shares.paired": "有单位双报到 / has a pairing (0 or 1 for a community)",
    "summary.communities[].shares.baolian": "有包联单位 / has baolian (0 or 1 for a community)",
    "summary.communities[].coverage_score": "覆盖得分 0–100：以上占比的平均 × 100 / coverage score 0–100: the mean of "
                                            "the shares × 100",
    "summary.communities[].demands": "截至报告时点提出的诉求数 / demands raised by the report's moment",
    "summary.communities[].responded_rate": "已响应（吹哨、交办或办结）的比例 / share responded to (whistled, assigned "
                                            "or resolved)",
    "summary.communities[].resolved_rate": "已办结的比例 / share resolved",
    "summary.communities[].satisfied_rate": "评价 4–5 分的比例（在有评价的诉求中）/ share rated 4–5, of those rated",
    "summary.communities[].median_hours": "各环节用时的中位数（小时）/ median hours of each stage",
    "summary.communities[].median_hours.raised_to_whistled_h": "提出 → 吹哨 / raised → whistled",
    "summary.communities[].median_hours.whistled_to_assigned_h": "吹哨 → 交办 / whistled → assigned",
    "summary.communities[].median_hours.assigned_to_resolved_h": "交办 → 办结 / assigned → resolved",
    "summary.communities[].median_hours.resolved_to_feedback_h": "办结 → 评价 / resolved → feedback",
    "summary.communities[].findings": "本社区各严重程度的发现数 / its findings per severity",
    "summary.streets": "每个街道一行：与社区相同的数字，另有 `communities`（社区数）/ one row per street: the same "
                       "figures as a community's, and `communities` (how many)",
    "ranking": "按网络位置排序的人员 / people ranked by network position",
    "ranking[].person_id": "人员编号 / person id",
    "ranking[].name": "姓名 / name",
    "ranking[].scope": "所属街道与社区 / where they belong",
    "ranking[].scope.street_id": "街道编号 / street id",
    "ranking[].scope.community_id": "社区编号 / community id",
    "ranking[].scope.county": "所属县 / the county",
    "ranking[].betweenness": "介数中心性（0–1）：处在多少最短联系路径上 / betweenness, 0–1: how many shortest paths "
                             "pass through them",
    "ranking[].constraint": "约束度：越低越是跨越结构洞 / Burt's constraint: lower spans more structural holes",
    "ranking[].ties": "直接联结的组织与网格数 / organisations and grids they tie directly",
    "ranking[].tie_ids": "这些组织与网格的编号 / their ids",
    "ranking[].zh": "中文说明 / in Chinese",
    "ranking[].en": "English",
    "findings[].actions": "处理此发现的补位措施编号（见 `plan.actions`）/ the ids of the plan's actions that address it",
    "findings[].why": "没有措施能消除它时的原因（`zh`、`en`），否则不出现 / why no action clears it (`zh`, `en`), "
                      "absent otherwise",
    "summary.communities[].county": "所属县 / its county",
    "plan": "全县补位方案（一次最小费用流求得）/ the county-wide plan (one min-cost flow)",
    "plan.actions": "方案中的措施，按街道、社区、种类排序 / its actions, by street, community, kind",
    "plan.actions[].id": "措施编号（A00001 …）/ the action's id",
    "plan.actions[].kind": "`assign`, `hand_over`, `back_up`, `pair`, `baolian`, `hire` or `advice`",
    "plan.actions[].person_id": "承担者 / the person who takes the grid or backs it up",
    "plan.actions[].grid_id": "网格 / the grid",
    "plan.actions[].role": "`full_time` or `part_time` (assign)",
    "plan.actions[].agency_id": "单位 / the agency (pair, baolian)",
    "plan.actions[].community_id": "社区 / the community (pair, baolian, hire)",
    "plan.actions[].count": "增配人数 / how many to hire (hire)",
    "plan.actions[].serves": "增配所服务的发现 `[rule, subject_id]` / the findings a hire serves",
    "plan.actions[].rule": "建议针对的规则（advice）/ the rule an advice is about",
    "plan.actions[].subject_ids": "建议涉及的对象（advice）/ the subjects an advice is about",
    "plan.actions[].text": "建议内容（advice）/ the advice itself",
    "plan.actions[].county": "所属县（不在街道内的建议）/ the county, for advice that lies in no street",
    "plan.actions[].scope": "措施发生的街道与社区 / where it takes place",
    "plan.actions[].names": "措施涉及的编号 → 名称 / names of the ids it mentions",
    "plan.actions[].clears": "落实后消除的发现 `[rule, subject_id]` / the findings carrying it out removes",
    "plan.actions[].zh": "中文说明 / in Chinese",
    "plan.actions[].en": "English",
    "plan.summary": "方案汇总（只计一次）/ the plan in figures, counted once",
    "plan.summary.adjusted": "调整的专职网格员人数 / full-time workers whose grids change",
    "plan.summary.part_time_added": "新增兼职（B 岗）网格员人数 / part-time back-ups added",
    "plan.summary.hire_full_time": "需增配的专职网格员 / full-time workers to hire",
    "plan.summary.new_ties": "新建双报到与包联 / new pairings and baolian",
    "plan.summary.cleared": "可消除的发现数 / findings it clears",
    "plan.summary.findings": "发现总数 / all findings",
    "plan.summary.actions": "措施数 / actions",
    "plan.summary.by_kind": "每种措施的数量 / actions per kind",
    "plan.summary.hires": "每项增配：社区或街道、人数、所服务的发现 / each hire: where, how many, the findings it serves",
    "plan.summary.zh": "一句话：本计划：调整 X 人… / the plan in one sentence, in Chinese",
    "plan.summary.en": "English",
}
#: keys whose own keys vary (by rule, table or threshold name) or repeat what is described above
OPAQUE = {"thresholds", "dataset.counts", "findings[].metrics", "findings[].suggestion", "summary.by_rule",
          "summary.by_severity", "summary.by_category", "summary.communities[].findings", "summary.streets",
          "plan.actions[].names", "plan.actions[].scope", "plan.summary.by_kind", "plan.summary.hires",
          "findings[].why"}


def _keys(value: Any, prefix: str, out: dict[str, set[str]]) -> None:
    """Collect every key path under ``value`` with the JSON types seen there (list items all looked at)."""
    if not isinstance(value, dict):
        return
    for k, v in value.items():
        path = f"{prefix}.{k}" if prefix else str(k)
        out.setdefault(path, set()).add(_json_type(v))
        if path in OPAQUE:
            continue
        if isinstance(v, dict):
            _keys(v, path, out)
        elif isinstance(v, list):
            for item in v:
                _keys(item, f"{path}[]", out)


def _json_type(v: Any) -> str:
    if v is None:
        return "null"
    return {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}[type(v)]


def report_keys() -> dict[str, str]:
    """The report's keys (as paths) and their JSON types, from a report of the tiny example."""
    from graph.report import build_report
    from loaders.validate import load_dataset

    rep = build_report(load_dataset(PROJECT_ROOT / "tests" / "data" / "tiny"))
    found: dict[str, set[str]] = {}
    _keys(rep, "", found)
    order = ["object", "array", "string", "number", "boolean", "null"]
    return {k: " | ".join(sorted(v, key=order.index)) for k, v in found.items()}


def report_block() -> str:
    keys = report_keys()
    missing, gone = sorted(set(keys) - set(REPORT_KEYS)), sorted(set(REPORT_KEYS) - set(keys))
    if missing or gone:
        raise KeyError(f"api/docs.py REPORT_KEYS: describe {missing}; remove {gone}")
    rows = [[f"`{k}`", keys[k], REPORT_KEYS[k]] for k in REPORT_KEYS]
    return table(["键 / key", "类型 / type", "含义 / meaning"], rows)


#: method and path -> (the least role, what it gives)
ROUTES: dict[str, tuple[str, str]] = {
    "GET /health": ("—", "存活与 Neo4j 是否应答 / liveness, and whether Neo4j answers"),
    "GET /api/v1/report": ("viewer", "当前数据集的报告（JSON，见上）/ the report above for the data set in Neo4j"),
    "GET /api/v1/report/download": ("viewer", "下载报告 / the report as a file: `format=csv|xlsx|html|json`"),
    "GET /api/v1/findings": ("viewer", "筛选、分页的发现 / findings, filtered and paged"),
    "GET /api/v1/communities": ("viewer", "每个社区的汇总行 / one summary row per community"),
    "GET /api/v1/communities/{community_id}": ("viewer", "一个社区：汇总、发现、网格员 / one community: summary, "
                                                        "findings, workers"),
    "GET /api/v1/people/{person_id}": ("viewer", "一个人：网格与发现（个人信息按角色遮盖）/ one person: grids and "
                                                "findings (personal fields masked by role)"),
    "POST /api/v1/whatif": ("analyst", "假设分析：`{\"remove\": [id, …]}` / what-if without the given ids"),
    "POST /api/v1/datasets": ("admin", "上传 .xlsx 台账并载入；被拒收时 422 与问题清单 / upload and load a workbook; "
                                       "422 with every problem when refused"),
    "GET /api/v1/snapshots": ("viewer", "保留的快照（每次载入一份）/ the kept snapshots, one per load"),
    "GET /api/v1/diff": ("viewer", "两个快照之间的变化（缺省：上一个对最新）/ what changed between two snapshots "
                                   "(default: the previous against the latest)"),
    "GET /api/v1/trends": ("viewer", "一个区域各快照的指标 / an area's figures over the snapshots"),
}


def routes() -> dict[str, list[str]]:
    """Every route of the HTTP API (method and path) with its query parameters."""
    from fastapi.routing import APIRoute

    from api.app import create_app
    from api.auth import TokenStore
    from graph.settings import Settings
    from graph.store.db import Database

    db = Database("bolt://127.0.0.1:9", "neo4j", "unused")  # the driver connects lazily: never here
    try:
        app = create_app(db, Settings(_env_file=None), TokenStore([]))
        out: dict[str, list[str]] = {}
        for r in app.routes:
            path, methods = getattr(r, "path", ""), sorted(getattr(r, "methods", None) or [])
            if not methods or path.endswith("oauth2-redirect"):
                continue
            query = [p.name for p in r.dependant.query_params] if isinstance(r, APIRoute) else []
            for m in methods:
                if m != "HEAD":
                    out[f"{m} {path}"] = query
        return out
    finally:
        db.close()


def routes_block() -> str:
    found = routes()
    missing, gone = sorted(set(found) - set(ROUTES)), sorted(set(ROUTES) - set(found))
    if missing or gone:
        raise KeyError(f"api/docs.py ROUTES: describe {missing}; remove {gone}")
    rows = [[f"`{k}`", ROUTES[k][0], ", ".join(f"`{q}`" for q in found[k]), ROUTES[k][1]] for k in found]
    return table(["路由 / route", "最低角色 / least role", "查询参数 / query", "给出 / gives"], rows)


# -- the glossary -----------------------------------------------------------------------------------------
def enums_block() -> str:
    """Every enumerated value of the data format with the Chinese spellings a ledger may use."""
    rows = []
    for t in TABLES:
        for c in t.columns:
            if c.values:
                rows.append([f"`{t.name}.{c.name}`", c.zh, _values(c)])
    return table(["列 / column", "中文表头", "代码值（可写作的中文）/ code values (Chinese spellings accepted)"], rows)


# -- the documents --------------------------------------------------------------------------------------
def generators() -> dict[str, Callable[[], str]]:
    """Block name -> the function that writes it."""
    gens: dict[str, Callable[[], str]] = {"tables": tables_block, "thresholds": thresholds_block,
                                          "commands": commands_block, "report": report_block,
                                          "routes": routes_block, "enums": enums_block}
    for t in TABLES:
        gens[f"table:{t.name}"] = lambda t=t: table_block(BY_NAME[t.name])  # type: ignore[misc]
    for c in CATEGORIES:
        gens[f"rules:{c}"] = lambda c=c: rules_block(c)  # type: ignore[misc]
    return gens


#: document -> the blocks it must hold
DOCUMENTS: dict[str, list[str]] = {
    "data-format.md": ["tables", *[f"table:{t.name}" for t in TABLES]],
    "rules.md": [*[f"rules:{c}" for c in CATEGORIES], "thresholds"],
    "interfaces.md": ["commands", "report", "routes"],
    "glossary.md": ["enums"],
}


def rewrite(text: str, gens: dict[str, Callable[[], str]], cache: dict[str, str] | None = None) -> str:
    """``text`` with every generated block written afresh (an unknown block name is an error)."""
    cache = {} if cache is None else cache

    def fresh(m: re.Match[str]) -> str:
        name = m["name"]
        if name not in gens:
            raise KeyError(f"unknown generated block {name!r}")
        if name not in cache:
            cache[name] = gens[name]()
        return f"<!-- generated:{name} -->\n{cache[name]}<!-- /generated -->"

    return BLOCK.sub(fresh, text)


def problems(docs: Path = DOCS) -> list[str]:
    """What disagrees between the documents and the code: missing or extra blocks, stale blocks."""
    gens, cache, out = generators(), {}, []  # type: ignore[var-annotated]
    for doc, want in DOCUMENTS.items():
        path = docs / doc
        if not path.is_file():
            out.append(f"{doc}: missing")
            continue
        text = path.read_text(encoding="utf-8")
        have = [m["name"] for m in BLOCK.finditer(text)]
        out += [f"{doc}: no block generated:{b}" for b in want if b not in have]
        out += [f"{doc}: block generated:{b} is not one of this document's" for b in have if b not in want]
        if [b for b in have if b in want] != [b for b in have]:
            continue
        fresh = rewrite(text, gens, cache)
        if fresh != text:
            stale = [m["name"] for m, n in zip(BLOCK.finditer(text), BLOCK.finditer(fresh), strict=True)
                     if m.group(0) != n.group(0)]
            out += [f"{doc}: block generated:{b} differs from the code" for b in stale]
    return out


def main(argv: list[str] | None = None) -> int:
    """Rewrite the generated blocks (``--check``: only say which disagree, exit 1 if any)."""
    argv = sys.argv[1:] if argv is None else argv
    if "--check" in argv:
        found = problems()
        for p in found:
            print(f"docs/{p}")
        if found:
            print("文档与代码不一致：运行 python -m api.docs / the documents disagree with the code: run python -m api.docs")
        return 1 if found else 0
    gens, cache = generators(), {}  # type: ignore[var-annotated]
    for doc in DOCUMENTS:
        path = DOCS / doc
        text = path.read_text(encoding="utf-8")
        fresh = rewrite(text, gens, cache)
        if fresh != text:
            path.write_text(fresh, encoding="utf-8")
            print(f"rewrote docs/{doc}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
