"""Count a data set's headline figures, to compare with the county's published ones (glossary.md)."""

from __future__ import annotations

from graph.dataformat import Dataset

#: Laoting County's published figures (glossary.md); "reported_members" is "3,900 or more".
LAOTING = {
    "res_grid_branches": 70, "res_grid_groups": 80, "res_full_time": 153, "res_part_time": 1557,
    "other_grid_branches": 94, "other_grid_groups": 123, "other_part_time": 307, "paired_agencies": 107,
    "reported_members": 3900, "community_workers": 115, "community_secretaries": 15, "home_branches": 50,
    "projects": 16, "demo_city": 13, "demo_county": 26, "resolved_demands": 1416, "big_service_centres": 2,
}
LABELS_ZH = {
    "res_grid_branches": "社区网格党支部", "res_grid_groups": "社区网格党小组", "res_full_time": "社区专职网格员",
    "res_part_time": "社区兼职网格员", "other_grid_branches": "机关/楼宇/商圈网格党支部",
    "other_grid_groups": "机关/楼宇/商圈网格党小组", "other_part_time": "机关/楼宇/商圈兼职网格员",
    "paired_agencies": "双报到单位", "reported_members": "报到在职党员", "community_workers": "社区工作者",
    "community_secretaries": "社区书记", "home_branches": "家园党支部", "projects": "书记项目",
    "demo_city": "市级示范点", "demo_county": "县级示范点", "resolved_demands": "办结诉求",
    "big_service_centres": "千平米服务中心",
}


def headline_figures(ds: Dataset) -> dict[str, int]:
    """The reference figures counted from a data set.

    >>> headline_figures(Dataset({}))["res_full_time"]
    0
    """
    kind = {g["id"]: g["kind"] for g in ds.rows("grids")}
    orgs = ds.rows("party_orgs")

    def on(kinds: set[str], residential: bool) -> int:
        return sum(1 for o in orgs if o["kind"] in kinds and o.get("area_id") in kind
                   and (kind[o["area_id"]] == "residential") == residential)

    def workers(role: str, residential: bool) -> int:
        return len({a["person_id"] for a in ds.rows("grid_assignments")
                    if a["role"] == role and (kind[a["grid_id"]] == "residential") == residential})

    people = {p["id"]: p for p in ds.rows("people")}
    reported = {m["person_id"] for m in ds.rows("member_reports")
                if people[m["person_id"]].get("party_member") and people[m["person_id"]].get("agency_id")}
    return {
        "res_grid_branches": on({"grid_branch"}, True), "res_grid_groups": on({"grid_group"}, True),
        "res_full_time": workers("full_time", True), "res_part_time": workers("part_time", True),
        "other_grid_branches": on({"grid_branch"}, False), "other_grid_groups": on({"grid_group"}, False),
        "other_part_time": workers("part_time", False),
        "paired_agencies": len({p["agency_id"] for p in ds.rows("pairings")}),
        "reported_members": len(reported),
        "community_workers": len({s["person_id"] for s in ds.rows("community_staff")}),
        "community_secretaries": len({s["person_id"] for s in ds.rows("community_staff") if s["position"] == "secretary"}),
        "home_branches": sum(1 for o in orgs if o["kind"] == "home_branch"),
        "projects": len(ds.rows("projects")),
        "demo_city": sum(1 for o in orgs if o.get("demo_level") == "city"),
        "demo_county": sum(1 for o in orgs if o.get("demo_level") == "county"),
        "resolved_demands": sum(1 for d in ds.rows("demands") if d.get("resolved_at")),
        "big_service_centres": sum(1 for c in ds.rows("communities") if (c.get("service_center_m2") or 0) >= 1000),
    }
