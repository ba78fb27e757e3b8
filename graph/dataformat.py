"""The data format (docs/data-format.md) as code: tables, columns, types and their graph mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ColType = Literal["text", "int", "number", "bool", "date", "datetime", "enum"]


@dataclass(frozen=True)
class Column:
    """One column of a table: code name, Chinese name, type, and where a reference points."""

    name: str
    zh: str
    type: ColType = "text"
    required: bool = False
    refs: tuple[str, ...] = ()          # tables a reference may point into
    rel: str | None = None              # relationship type in the graph for a reference
    values: dict[str, str] = field(default_factory=dict)  # enum: accepted spelling -> code value
    lo: int | None = None
    hi: int | None = None


@dataclass(frozen=True)
class Table:
    """One table of the data format; ``label`` is the node label, or ``rel`` the relationship it becomes."""

    name: str
    zh: str
    columns: tuple[Column, ...]
    required: bool = False
    label: str | None = None            # entity table -> node label
    rel: str | None = None              # link table -> relationship type (first ref column -> second)

    @property
    def has_id(self) -> bool:
        return self.label is not None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def refs(self) -> list[Column]:
        return [c for c in self.columns if c.refs]


def _enum(*pairs: tuple[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code, zh in pairs:
        out[code] = code
        for alias in zh.split("/"):
            out[alias] = code
    return out


def C(name: str, zh: str, type: ColType = "text", required: bool = False, **kw: Any) -> Column:
    """Shorthand for :class:`Column`."""
    return Column(name, zh, type, required, **kw)


ID, NAME = C("id", "编号", required=True), C("name", "名称", required=True)
GRID_KINDS = _enum(("residential", "住宅/社区/住宅网格"), ("agency", "机关企事业单位/机关"),
                   ("business_building", "商务楼宇"), ("market", "商圈市场/商圈"))
ORG_KINDS = _enum(("county_committee", "县委"), ("street_committee", "街道党工委/街道党委"),
                  ("community_committee", "社区党委/社区党总支/社区党支部"), ("home_branch", "家园党支部"),
                  ("building_group", "楼门党小组"), ("grid_branch", "网格党支部"), ("grid_group", "网格党小组"),
                  ("agency_org", "机关单位党组织/单位党组织"))
AREA_TABLES = ("streets", "communities", "compounds", "buildings", "grids", "agencies")

TABLES: tuple[Table, ...] = (
    Table("streets", "街道", (ID, NAME, C("county", "所属县", required=True)), True, label="Street"),
    Table("communities", "社区", (
        ID, NAME, C("street_id", "所属街道", required=True, refs=("streets",), rel="IN_STREET"),
        C("households", "户数", "int"), C("population", "人口", "int"),
        C("service_center_m2", "党群服务中心面积", "number"), C("work_funds", "社区工作经费", "number"),
        C("service_funds", "服务群众专项经费", "number")), True, label="Community"),
    Table("compounds", "小区", (
        ID, NAME, C("community_id", "所属社区", required=True, refs=("communities",), rel="IN_COMMUNITY"),
        C("property_company", "物业公司")), label="Compound"),
    Table("grids", "网格", (
        ID, NAME, C("kind", "类型", "enum", True, values=GRID_KINDS),
        C("community_id", "所属社区", refs=("communities",), rel="IN_COMMUNITY"),
        C("street_id", "所属街道", refs=("streets",), rel="IN_STREET"),
        C("households", "户数", "int"), C("people", "人数", "int")), True, label="Grid"),
    Table("buildings", "楼栋", (
        ID, C("name", "名称", required=True), C("grid_id", "所属网格", required=True, refs=("grids",), rel="IN_GRID"),
        C("compound_id", "所属小区", refs=("compounds",), rel="IN_COMPOUND"),
        C("households", "户数", "int", True)), label="Building"),
    Table("party_orgs", "党组织", (
        ID, NAME, C("kind", "类型", "enum", True, values=ORG_KINDS),
        C("parent_id", "上级党组织", refs=("party_orgs",), rel="CHILD_OF"),
        C("area_id", "所在", refs=AREA_TABLES, rel="BUILT_ON"),
        C("secretary_id", "书记", refs=("people",), rel="SECRETARY"),
        C("demo_level", "示范点级别", "enum", values=_enum(("city", "市级"), ("county", "县级")))),
        True, label="PartyOrg"),
    Table("people", "人员", (
        ID, C("name", "姓名", required=True), C("phone", "电话"), C("party_member", "党员", "bool"),
        C("agency_id", "工作单位", refs=("agencies",), rel="WORKS_AT"),
        C("home_community_id", "居住社区", refs=("communities",), rel="LIVES_IN")), True, label="Person"),
    Table("grid_assignments", "网格员", (
        C("person_id", "人员", required=True, refs=("people",)),
        C("grid_id", "网格", required=True, refs=("grids",)),
        C("role", "类型", "enum", True, values=_enum(("full_time", "专职/专职网格员"),
                                                     ("part_time", "兼职/兼职网格员")))),
        True, rel="ASSIGNED_TO"),
    Table("community_staff", "社区工作者", (
        C("person_id", "人员", required=True, refs=("people",)),
        C("community_id", "社区", required=True, refs=("communities",)),
        C("position", "职务", "enum", True, values=_enum(("secretary", "书记"), ("deputy_secretary", "副书记"),
                                                        ("worker", "社区工作者/工作人员")))),
        rel="STAFF_OF"),
    Table("central_households", "党员中心户", (
        ID, C("person_id", "党员", required=True, refs=("people",), rel="HOUSEHOLD_OF"),
        C("building_group_id", "所属楼门党小组", required=True, refs=("party_orgs",), rel="IN_GROUP"),
        C("linked_households", "联系户数", "int")), label="CentralHousehold"),
    Table("agencies", "机关单位", (
        ID, NAME, C("kind", "类型", "enum", values=_enum(("agency", "机关"), ("institution", "事业单位"),
                                                         ("enterprise", "企业/国有企业")))), label="Agency"),
    Table("pairings", "单位双报到", (
        C("agency_id", "单位", required=True, refs=("agencies",)),
        C("community_id", "社区", required=True, refs=("communities",)),
        C("since", "报到日期", "date")), rel="PAIRED_WITH"),
    Table("member_reports", "在职党员双报到", (
        C("person_id", "党员", required=True, refs=("people",)),
        C("community_id", "社区", required=True, refs=("communities",)),
        C("since", "报到日期", "date")), rel="REPORTED_TO"),
    Table("baolian", "单位包联社区", (
        C("agency_id", "单位", required=True, refs=("agencies",)),
        C("community_id", "社区", required=True, refs=("communities",)),
        C("since", "开始日期", "date")), rel="BAOLIAN"),
    Table("projects", "书记项目", (
        ID, NAME, C("level", "级别", "enum", True, values=_enum(("county", "县级"), ("street", "街道级"),
                                                                 ("community", "社区级"))),
        C("leader_id", "领办书记", required=True, refs=("people",), rel="LED_BY"),
        C("target_id", "对象", refs=("streets", "communities"), rel="TARGETS")), label="Project"),
    Table("departments", "部门", (ID, NAME), label="Department"),
    Table("demands", "群众诉求", (
        ID, C("grid_id", "网格", required=True, refs=("grids",), rel="RAISED_IN"),
        C("raised_at", "提出时间", "datetime", True), C("whistled_at", "吹哨时间", "datetime"),
        C("assigned_at", "交办时间", "datetime"), C("resolved_at", "办结时间", "datetime"),
        C("feedback_at", "评价时间", "datetime"),
        C("department_id", "承办部门", refs=("departments",), rel="HANDLED_BY_DEPT"),
        C("handler_id", "代办网格员", refs=("people",), rel="CARRIED_BY"),
        C("satisfaction", "满意度", "int", lo=1, hi=5)), label="Demand"),
)

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
#: other names offices give their sheets and files (beside each table's code and Chinese names)
TABLE_ALIASES: dict[str, str] = {
    "社区信息": "communities", "住宅小区": "compounds", "网格信息": "grids", "楼栋信息": "buildings", "楼宇": "buildings",
    "基层党组织": "party_orgs", "人员信息": "people", "网格员名单": "grid_assignments", "专兼职网格员": "grid_assignments",
    "社区工作人员": "community_staff", "中心户": "central_households", "单位": "agencies", "机关": "agencies",
    "双报到单位": "pairings", "报到单位": "pairings", "在职党员报到": "member_reports", "包联": "baolian",
    "包联社区": "baolian", "项目": "projects", "承办部门": "departments", "诉求": "demands", "吹哨报到": "demands",
}
LABELS: tuple[str, ...] = tuple(t.label for t in TABLES if t.label) + ("County",)
DEMAND_STAGES = ("raised_at", "whistled_at", "assigned_at", "resolved_at", "feedback_at")
#: party org kind -> the table its area_id must point into
AREA_OF_KIND = {"county_committee": None, "street_committee": "streets", "community_committee": "communities",
                "home_branch": "compounds", "building_group": "buildings", "grid_branch": "grids",
                "grid_group": "grids", "agency_org": "agencies"}

Row = dict[str, Any]


@dataclass
class Dataset:
    """A validated data set: each table as a list of typed rows (``None`` = not given).

    Every row also carries ``_row``, its spreadsheet row number (header = row 1).

    >>> ds = Dataset({"streets": [{"id": "S1", "name": "北街", "county": "示例县", "_row": 2}]})
    >>> ds.rows("grids")
    []
    >>> ds.counts()["streets"]
    1
    """

    tables: dict[str, list[Row]]
    fingerprint: str = ""
    source: str = ""
    ignored: list[str] = field(default_factory=list)
    #: what the reader did (loaders.problems.Notice list and per-sheet summaries), for printing; not data
    reading: Any = field(default=None, compare=False, repr=False)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    def has(self, table: str) -> bool:
        """True when the table was given (even empty)."""
        return table in self.tables

    def counts(self) -> dict[str, int]:
        return {t.name: len(self.tables.get(t.name, [])) for t in TABLES}
