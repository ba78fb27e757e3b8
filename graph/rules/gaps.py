"""Coverage gaps (空白点): places and groups of people no one is responsible for."""

from __future__ import annotations

from graph.derive import workers
from graph.findings import Context, Finding, at_risk
from graph.network import Net
from graph.rules.catalogue import make, name_of

SECRETARY_KINDS = {"county_committee", "street_committee", "community_committee", "home_branch", "grid_branch",
                   "agency_org"}
KIND_ZH = {"residential": "住宅", "agency": "机关企事业单位", "business_building": "商务楼宇", "market": "商圈市场"}


def _built_on(net: Net, n: str, kinds: set[str]) -> list[str]:
    return [o for o, _ in net.ins(n, "BUILT_ON") if net.attr(o).get("kind") in kinds]


def grid_gaps(net: Net, ctx: Context) -> list[Finding]:
    """GRID_NO_WORKER, GRID_NO_FULL_TIME and GRID_NO_PARTY_ORG."""
    out = []
    for g in net.nodes("Grid"):
        a = net.attr(g)
        hh = ctx.grid_households.get(g, 0)
        m = {"households": hh, "people": a.get("people") or 0, "kind": a.get("kind")}
        nm = name_of(net, g)
        ws = workers(net, g)
        if not ws:
            zh, en = at_risk(hh, a.get("people") or 0)
            out.append(make("GRID_NO_WORKER", net, ctx, g, m,
                            f"{KIND_ZH[a['kind']]}网格「{nm}」没有任何网格员，{zh}无人负责",
                            f"grid {g} ({a['kind']}) has no grid worker at all; {en} are uncovered"))
        elif a.get("kind") == "residential" and not any("full_time" in r for r in ws.values()):
            out.append(make("GRID_NO_FULL_TIME", net, ctx, g, {**m, "part_time_workers": len(ws)},
                            f"住宅网格「{nm}」只有 {len(ws)} 名兼职网格员，没有专职网格员",
                            f"residential grid {g} has {len(ws)} part-time workers but no full-time one"))
        if not _built_on(net, g, {"grid_branch", "grid_group"}):
            out.append(make("GRID_NO_PARTY_ORG", net, ctx, g, m,
                            f"网格「{nm}」未建立网格党支部或网格党小组（支部未建到网格上）",
                            f"no grid branch or grid group is built on grid {g}"))
    return out


def place_gaps(net: Net, ctx: Context) -> list[Finding]:
    """COMPOUND_NO_HOME_BRANCH, BUILDING_NO_GROUP and GROUP_NO_CENTRAL_HOUSEHOLD."""
    out = []
    for c in net.nodes("Compound"):
        if not _built_on(net, c, {"home_branch"}):
            bs = [b for b, _ in net.ins(c, "IN_COMPOUND")]
            hh = sum(net.attr(b).get("households") or 0 for b in bs)
            out.append(make("COMPOUND_NO_HOME_BRANCH", net, ctx, c, {"buildings": len(bs), "households": hh},
                            f"小区「{name_of(net, c)}」没有家园党支部（{len(bs)} 栋楼、{hh} 户）",
                            f"no home branch is built on compound {c} ({len(bs)} buildings, {hh} households)"))
    for b in net.nodes("Building"):
        hh = net.attr(b).get("households") or 0
        if hh > 0 and not _built_on(net, b, {"building_group"}):
            out.append(make("BUILDING_NO_GROUP", net, ctx, b, {"households": hh},
                            f"楼栋「{name_of(net, b)}」（{hh} 户）没有楼门党小组",
                            f"building {b} ({hh} households) has no building group"))
    for o in net.nodes("PartyOrg"):
        if net.attr(o).get("kind") == "building_group" and not net.ins(o, "IN_GROUP"):
            out.append(make("GROUP_NO_CENTRAL_HOUSEHOLD", net, ctx, o, {},
                            f"楼门党小组「{name_of(net, o)}」没有党员中心户",
                            f"building group {o} has no central household"))
    return out


def community_gaps(net: Net, ctx: Context) -> list[Finding]:
    """COMMUNITY_NO_PAIRING and COMMUNITY_NO_BAOLIAN."""
    out = []
    for c in net.nodes("Community"):
        nm = name_of(net, c)
        m = {"households": net.attr(c).get("households") or 0, "population": net.attr(c).get("population") or 0}
        if not net.ins(c, "PAIRED_WITH"):
            out.append(make("COMMUNITY_NO_PAIRING", net, ctx, c, m, f"没有任何机关单位到社区「{nm}」双报到",
                            f"no agency dual-reports to community {c}"))
        if not net.ins(c, "BAOLIAN"):
            out.append(make("COMMUNITY_NO_BAOLIAN", net, ctx, c, m, f"社区「{nm}」没有包联单位",
                            f"no agency holds contact responsibility (baolian) for community {c}"))
    return out


def agency_gaps(net: Net, ctx: Context) -> list[Finding]:
    """AGENCY_NOT_PAIRED and AGENCY_MEMBERS_UNREPORTED."""
    out = []
    for ag in net.nodes("Agency"):
        nm = name_of(net, ag)
        if not net.outs(ag, "PAIRED_WITH"):
            out.append(make("AGENCY_NOT_PAIRED", net, ctx, ag, {}, f"单位「{nm}」未到任何社区双报到",
                            f"agency {ag} dual-reports to no community"))
        members = [p for p, _ in net.ins(ag, "WORKS_AT") if net.attr(p).get("party_member") is True]
        unreported = sorted(p for p in members if not net.outs(p, "REPORTED_TO"))
        if unreported:
            out.append(make("AGENCY_MEMBERS_UNREPORTED", net, ctx, ag,
                            {"in_service_members": len(members), "unreported": len(unreported),
                             "reported": len(members) - len(unreported), "unreported_ids": unreported[:50]},
                            f"单位「{nm}」{len(members)} 名在职党员中有 {len(unreported)} 名未到居住社区报到",
                            f"{len(unreported)} of agency {ag}'s {len(members)} in-service party members "
                            "have not reported to a community"))
    return out


def secretary_gaps(net: Net, ctx: Context) -> list[Finding]:
    """ORG_NO_SECRETARY."""
    out = []
    for o in net.nodes("PartyOrg"):
        a = net.attr(o)
        if a.get("kind") in SECRETARY_KINDS and not a.get("secretary_id"):
            out.append(make("ORG_NO_SECRETARY", net, ctx, o, {"kind": a["kind"]},
                            f"党组织「{name_of(net, o)}」没有书记", f"party org {o} ({a['kind']}) has no secretary"))
    return out


RULES = [grid_gaps, place_gaps, community_gaps, agency_gaps, secretary_gaps]
