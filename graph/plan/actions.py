"""A plan's actions as JSON (id, kind, fields, clears, zh, en), what each clears, and the summary, counted once."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.derive import county_of
from graph.findings import Finding
from graph.network import Node
from graph.plan.counts import KIND_ORDER, summary
from graph.plan.model import State
from graph.plan.staff import EPS
from graph.rules.catalogue import CATALOGUE, name_of

Key = tuple[str, str]
ADVICE = {
    "ORG_NO_SECRETARY": ("尽快选配书记", "appoint secretaries"),
    "ORG_DETACHED": ("理顺隶属关系，明确上级党组织", "attach them to their parent organisations"),
    "GRID_NO_PARTY_ORG": ("依托网格建立网格党小组（支部建到网格上）", "form grid groups on the grids"),
    "COMPOUND_NO_HOME_BRANCH": ("组建家园党支部", "form home branches"),
    "BUILDING_NO_GROUP": ("组建楼门党小组", "form building groups"),
    "GROUP_NO_CENTRAL_HOUSEHOLD": ("确定党员中心户", "name central households"),
    "ROLE_CONCENTRATION": ("分解职责，由其他同志分担", "spread the responsibilities"),
    "WORKER_DEMAND_BACKLOG": ("将部分诉求转交同网格其他网格员", "pass some demands to other workers"),
    "WORKER_TOO_MANY_GRIDS": ("移交超出的网格", "hand over the grids above the limit"),
    "CENTRAL_HOUSEHOLD_OVERLOADED": ("再确定党员中心户分担联系", "name more central households to share contacts"),
    "DEMAND_OVERDUE": ("社区吹哨、街道督办，部门限期办结", "whistle, supervise and resolve"),
    "AGENCY_MEMBERS_UNREPORTED": ("督促在职党员到居住社区报到", "have members report to their communities"),
    "AGENCY_OVERSTRETCHED": ("调减联系社区，改由其他单位承担", "move some ties to other agencies"),
    "GRID_OVERSIZED": ("拆分网格", "split the grids"),
    "SERVICE_CENTER_BELOW_STANDARD": ("扩建或调剂党群服务中心用房", "enlarge the service centres"),
    "FUNDS_BELOW_STANDARD": ("补足社区经费", "make up the funds"),
    "STAFF_BELOW_STANDARD": ("增配社区工作者", "add community workers"),
}


def write(st: State, by_key: dict[Key, Finding], placed: dict[Node, Node], needs: dict[Node, Node | None],
          shared: dict[Node, Node], backups: dict[Node, Node], covers: dict[Node, Node], second: dict[Node, Node],
          ties: list[tuple[str, Node, Node]], hires: dict[tuple[str | None, str | None], tuple[int, list[Key]]]
          ) -> dict[str, Any]:
    """The plan's JSON: the actions (numbered in street, community, kind order) and the summary."""
    net = st.net
    nm = lambda n: name_of(net, n)  # noqa: E731
    raw: list[dict[str, Any]] = []

    def add(kind: str, where: Node | tuple[str | None, str | None], zh: str, en: str, **fields: Any) -> None:
        s, c = where if isinstance(where, tuple) else st.place(where)
        ids = [v for k, v in fields.items() if k.endswith("_id") and v] + [i for i in (s, c) if i]
        county = net.attr(s).get("county") if s and s in net else fields.get("county") or None
        raw.append({"kind": kind, **fields, "clears": [], "zh": zh, "en": en,
                    "scope": {"street_id": s, "community_id": c, "county": county}, "names": {i: nm(i) for i in ids}})

    for g, p in sorted(placed.items()):
        hh, o = st.hh.get(g, 0), needs[g]
        if o is None:
            add("assign", g, f"由专职网格员「{nm(p)}」负责网格「{nm(g)}」（{hh} 户）",
                f"full-time worker {p} takes grid {g} ({hh} households)", person_id=p, grid_id=g, role="full_time")
        else:
            add("hand_over", g, f"「{nm(o)}」将网格「{nm(g)}」（{hh} 户）移交专职网格员「{nm(p)}」",
                f"{o} hands grid {g} ({hh} households) over to full-time worker {p}",
                from_person_id=o, grid_id=g, person_id=p)
    for g, p in sorted(shared.items()):
        o = next(q for q in st.full_time(g) if q != p)
        add("assign", g, f"由专职网格员「{nm(p)}」与「{nm(o)}」共同负责网格「{nm(g)}」（{st.hh.get(g, 0)} 户，各担一半）",
            f"full-time worker {p} shares grid {g} with {o}", person_id=p, grid_id=g, role="full_time")
    for g, p in sorted(covers.items()):
        add("assign", g, f"由「{nm(p)}」兼任网格「{nm(g)}」的网格员", f"{p} covers grid {g} part-time",
            person_id=p, grid_id=g, role="part_time")
    for g, q in sorted({**backups, **second}.items()):
        was = needs.get(g) == q
        add("back_up", g, f"「{nm(q)}」{'转为' if was else '兼任'}网格「{nm(g)}」的 B 岗（兼职）网格员",
            f"{q} {'stays on' if was else 'backs up'} grid {g} part-time", person_id=q, grid_id=g)
    for table, a, c in ties:
        kind, zh = ("pair", "双报到") if table == "pairings" else ("baolian", "包联")
        add(kind, c, f"「{nm(a)}」到社区「{nm(c)}」{zh}", f"agency {a} {'pairs with' if kind == 'pair' else 'takes baolian for'} "
            f"community {c}", agency_id=a, community_id=c)
    for (street, comm), (n, serves) in sorted(hires.items(), key=str):
        where = f"社区「{nm(comm)}」" if comm else f"街道「{nm(street)}」"
        field = {"community_id": comm} if comm else {"street_id": street}
        add("hire", (street, comm), f"{where}需增配 {n} 名专职网格员（本社区及街道内无人有余力）",
            f"{'community ' + str(comm) if comm else 'street ' + str(street)} needs {n} more full-time worker(s)",
            **field, count=n, serves=[list(k) for k in serves])
    _advice(st, by_key, add)
    raw.sort(key=action_key)
    actions = [{"id": f"A{i:05d}", **a} for i, a in enumerate(raw, 1)]
    _clears(st, by_key, actions)
    return {"actions": actions, "summary": summary(actions, len(by_key))}


def action_key(a: dict[str, Any]) -> tuple[str, str, int, str, str, str]:
    """The order of a plan's actions (and so their ids): by street, community, kind, grid, person or agency, and
    (for advice that lies in no street) county."""
    return (str(a["scope"]["street_id"]), str(a["scope"]["community_id"]), KIND_ORDER[a["kind"]],
            a.get("grid_id") or "", a.get("person_id") or a.get("agency_id") or "", a.get("county") or "")


def _advice(st: State, by_key: dict[Key, Finding], add: Any) -> None:
    groups: dict[tuple[str, str | None, str | None, str], list[str]] = defaultdict(list)
    for (rule, sid), f in by_key.items():
        if rule in ADVICE:
            s, c = f.scope.get("street_id"), f.scope.get("community_id")
            # what lies in no street (an agency) is advised per county: a province holds many
            county = "" if s or c else county_of(st.net, sid) or "" if sid in st.net else ""
            groups[(rule, s, c, county)].append(sid)
    for (rule, s, c, county), ids in sorted(groups.items(), key=str):
        where = name_of(st.net, c) if c else name_of(st.net, s) if s else county or "县"
        zh, en = ADVICE[rule]
        add("advice", (s, c), f"{where}：{len(ids)} 处「{CATALOGUE[rule][3]}」——{zh}",
            f"{c or s or county or 'county'}: {len(ids)} x {rule}: {en}", rule=rule, subject_ids=sorted(ids), text=zh,
            **({"county": county} if county else {}))


def _clears(st: State, by_key: dict[Key, Finding], actions: list[dict[str, Any]]) -> None:
    """Fill each action's ``clears``: the findings the model shows gone once the whole plan is carried out."""
    cap = st.t.worker_max_households
    on_grid: dict[Node, list[dict[str, Any]]] = defaultdict(list)
    handing: dict[Node, list[dict[str, Any]]] = defaultdict(list)
    tied: dict[tuple[str, Node], list[dict[str, Any]]] = defaultdict(list)
    for a in actions:
        if a.get("grid_id"):
            on_grid[a["grid_id"]].append(a)
        if a["kind"] == "hand_over":
            handing[a["from_person_id"]].append(a)
        if a["kind"] in ("pair", "baolian"):
            tied[(a["kind"], a["community_id"])].append(a)
            tied[("agency", a["agency_id"])].append(a)
    lone = st.sole_grids()
    for (rule, n), f in sorted(by_key.items()):
        by: list[dict[str, Any]] = []
        if rule == "GRID_NO_WORKER" and st.on[n] and (st.full_time(n) or not st.residential(n)):
            by = on_grid[n]
        elif rule == "GRID_NO_FULL_TIME" and st.full_time(n):
            by = on_grid[n]
        elif rule == "WORKER_OVERLOADED" and st.load[n] <= cap - EPS:
            by = handing[n] + [a for g in f.metrics["grids"] for a in on_grid[g] if a.get("role") == "full_time"]
        elif rule == "SOLE_WORKER" and n not in lone:
            by = [a for g in f.metrics["grids"] for a in on_grid[g]] + handing[n]
        elif rule == "COMMUNITY_NO_PAIRING" and st.paired[n]:
            by = [a for a in tied[("pair", n)]]
        elif rule == "COMMUNITY_NO_BAOLIAN" and st.baolian[n]:
            by = tied[("baolian", n)]
        elif rule == "AGENCY_NOT_PAIRED" and st.agency_paired[n]:
            by = [a for a in tied[("agency", n)] if a["kind"] == "pair"]
        for a in {id(a): a for a in by}.values():
            a["clears"].append([rule, n])
