"""Synthetic data sets in the data format: the Laoting reference county (its published figures exactly)
and a city of many such districts. Same seed, same bytes."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from graph.dataformat import TABLES

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
GIVEN = "建国秀英志强桂兰晓东明华丽娟海燕玉梅春生国庆淑珍红霞立新卫东金凤德胜文静子涵浩然欣怡宇轩雨桐"
PLACE = "乐安新城滨河金沙翠屏永安兴隆和平幸福阳光锦绣康宁振兴长虹朝阳临港龙泉凤鸣瑞丰嘉禾"
STREET_SUFFIX = "街道"
DEPARTMENTS = ["县城管局", "县住建局", "县水务局", "县供电公司", "县市场监管局", "县公安局", "县民政局", "县卫健委",
               "县教育局", "县交通运输局", "县自然资源局", "县生态环境局", "县人社局", "县应急管理局", "县燃气公司",
               "县热力公司", "县司法局", "县文广旅局", "县农业农村局", "县信访局"]


@dataclass(frozen=True)
class Profile:
    """The figures a generated county reproduces (the Laoting profile: glossary.md's reference table)."""

    streets: int = 3
    communities: int = 15
    res_grids: int = 150
    res_grid_branches: int = 70
    res_grid_groups: int = 80
    full_time: int = 153
    part_time: int = 1557
    other_grids: int = 215
    other_grid_branches: int = 94
    other_grid_groups: int = 123
    other_part_time: int = 307
    agencies: int = 120
    paired_agencies: int = 107
    reported_members: int = 3900
    unreported_members: int = 80
    staff: int = 115
    compounds: int = 53
    home_branches: int = 50
    projects: int = 16
    demo_city: int = 13
    demo_county: int = 26
    resolved_demands: int = 1416
    open_demands: int = 260
    big_centres: int = 2
    buildings_per_grid: tuple[int, int] = (6, 11)
    start: datetime = datetime(2026, 1, 1)
    days: int = 320


LAOTING = Profile()


def city(scale: int = 1) -> Profile:
    """A city of many districts: at scale 1 about 2.5 M households in 25,000 buildings, 6,000 residential
    grids, 120,000 people and 300,000 demands (one month of a city hotline)."""
    s = scale
    return Profile(streets=60 * s, communities=400 * s, res_grids=6000 * s, res_grid_branches=2800 * s,
                   res_grid_groups=3200 * s, full_time=6100 * s, part_time=60000 * s, other_grids=1500 * s,
                   other_grid_branches=650 * s, other_grid_groups=860 * s, other_part_time=2100 * s,
                   agencies=1600 * s, paired_agencies=1450 * s, reported_members=36000 * s,
                   unreported_members=800 * s, staff=5000 * s, compounds=3000 * s, home_branches=2850 * s,
                   projects=300 * s, demo_city=200 * s, demo_county=400 * s, resolved_demands=285000 * s,
                   open_demands=15000 * s, big_centres=20 * s, buildings_per_grid=(3, 5),
                   start=datetime(2026, 10, 1), days=30)


class _Gen:
    def __init__(self, p: Profile, seed: int) -> None:
        self.p, self.r = p, random.Random(seed)
        self.t: dict[str, list[dict[str, Any]]] = {t.name: [] for t in TABLES}
        self.n = 0

    def pid(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n:07d}"

    def name(self) -> str:
        return self.r.choice(SURNAMES) + "".join(self.r.choice(GIVEN) for _ in range(self.r.choice((1, 2))))

    def person(self, party: bool, agency: str | None = None, home: str | None = None) -> str:
        i = self.pid("RY")
        self.t["people"].append({"id": i, "name": self.name(), "phone": f"1{self.r.choice('3589')}{self.r.randrange(10**9):09d}",
                                 "party_member": "true" if party else "false", "agency_id": agency or "",
                                 "home_community_id": home or ""})
        return i

    def org(self, kind: str, name: str, parent: str, area: str, secretary: str) -> str:
        i = self.pid("DZ")
        self.t["party_orgs"].append({"id": i, "name": name, "kind": kind, "parent_id": parent, "area_id": area,
                                     "secretary_id": secretary, "demo_level": ""})
        return i

    def split(self, total: int, parts: int) -> list[int]:
        base, extra = divmod(total, parts)
        out = [base + (1 if i < extra else 0) for i in range(parts)]
        self.r.shuffle(out)
        return out


def generate(p: Profile = LAOTING, seed: int = 2026, county: str = "乐亭县") -> dict[str, list[dict[str, Any]]]:
    """Build the tables of a synthetic county (rows as text cells, ready to write)."""
    g = _Gen(p, seed)
    r, t = g.r, g.t
    county_org = g.org("county_committee", f"中共{county}委员会", "", "", g.person(True))
    streets = []
    for i in range(p.streets):
        sid = f"JD{i + 1:03d}"
        nm = PLACE[(2 * i) % len(PLACE)] + PLACE[(2 * i + 1) % len(PLACE)] + (str(i // 12 + 1) if i >= 12 else "") + STREET_SUFFIX
        t["streets"].append({"id": sid, "name": nm, "county": county})
        streets.append((sid, g.org("street_committee", f"{nm}党工委", county_org, sid, g.person(True))))
    comms = []
    big = set(r.sample(range(p.communities), p.big_centres))
    weak_centre, weak_funds = p.communities - 1, p.communities - 2
    staff_split = g.split(p.staff - p.communities, p.communities)
    for i in range(p.communities):
        cid, (sid, sorg) = f"SQ{i + 1:04d}", streets[i % p.streets]
        nm = f"{PLACE[(i * 3) % len(PLACE)]}{PLACE[(i * 7 + 1) % len(PLACE)]}{i + 1}社区"
        secretary = g.person(True, home=cid)
        area = 1000 + r.randrange(0, 400) if i in big else (420 if i == weak_centre else 500 + r.randrange(0, 480))
        t["communities"].append({"id": cid, "name": nm, "street_id": sid, "households": 0, "population": 0,
                                 "service_center_m2": area, "work_funds": 50000,
                                 "service_funds": 80000 if i == weak_funds else 100000})
        t["community_staff"].append({"person_id": secretary, "community_id": cid, "position": "secretary"})
        for k in range(staff_split[i]):
            t["community_staff"].append({"person_id": g.person(r.random() < 0.6, home=cid), "community_id": cid,
                                         "position": "deputy_secretary" if k == 0 else "worker"})
        comms.append((cid, sid, sorg, g.org("community_committee", f"{nm}党委", sorg, cid, secretary)))
    # compounds and home branches
    comp_of: dict[str, list[str]] = {c[0]: [] for c in comms}
    for i in range(p.compounds):
        cid = comms[i % p.communities][0]
        xid = f"XQ{i + 1:05d}"
        company = f"{PLACE[i % len(PLACE)]}物业" if r.random() < 0.8 else ""
        t["compounds"].append({"id": xid, "name": f"{PLACE[(i * 5) % len(PLACE)]}{PLACE[(i * 11 + 3) % len(PLACE)]}苑{i + 1}",
                               "community_id": cid, "property_company": company})
        comp_of[cid].append(xid)
    comm_org = {c[0]: c[3] for c in comms}
    home_branch: dict[str, str] = {}
    for i, comp in enumerate(t["compounds"][: p.home_branches]):
        sec = "" if i == 7 else g.person(True, home=comp["community_id"])
        home_branch[comp["id"]] = g.org("home_branch", f"{comp['name']}家园党支部", comm_org[comp["community_id"]],
                                        comp["id"], sec)
    # residential grids, buildings, workers
    res = []
    for i in range(p.res_grids):
        cid = comms[i % p.communities][0]
        grid_name = f"{t['communities'][i % p.communities]['name']}第{i // p.communities + 1}网格"
        res.append({"id": f"WG{i + 1:05d}", "name": grid_name,
                    "kind": "residential", "community_id": cid, "street_id": "", "households": "", "people": ""})
    t["grids"] += res
    tail = set(r.sample(range(p.res_grids), max(1, p.res_grids // 50)))
    for i, grid in enumerate(res):
        target = r.randint(520, 640) if i in tail else int(r.triangular(300, 500, 420))
        nb = r.randint(*p.buildings_per_grid)
        comps = comp_of[grid["community_id"]]
        for k, hh in enumerate(g.split(target, nb)):
            bid = g.pid("LD")
            t["buildings"].append({"id": bid, "name": f"{grid['name']}{k + 1}号楼", "grid_id": grid["id"],
                                   "compound_id": r.choice(comps) if comps and r.random() < 0.85 else "", "households": hh})
    hh_of_comm: dict[str, int] = {}
    for b in t["buildings"]:
        cid = res[int(b["grid_id"][2:]) - 1]["community_id"]
        hh_of_comm[cid] = hh_of_comm.get(cid, 0) + b["households"]
    for crow in t["communities"]:
        crow["households"] = hh_of_comm.get(crow["id"], 0)
        crow["population"] = int(crow["households"] * 2.6)
    # full-time: every grid one, a few none, the rest of the 153 as second workers
    no_ft = set(r.sample(range(p.res_grids), max(1, p.res_grids // 40)))
    no_worker = min(no_ft)
    with_ft = [i for i in range(p.res_grids) if i not in no_ft]
    second = r.sample(with_ft, p.full_time - len(with_ft))
    ft_people = []
    for i in with_ft + second:
        person = g.person(r.random() < 0.7, home=res[i]["community_id"])
        ft_people.append((person, i))
        t["grid_assignments"].append({"person_id": person, "grid_id": res[i]["id"], "role": "full_time"})
    for person, i in r.sample(ft_people[: len(with_ft)], max(1, p.res_grids // 50)):  # a few also cover a neighbour
        j = (i + p.communities) % p.res_grids
        if j not in no_ft:
            t["grid_assignments"].append({"person_id": person, "grid_id": res[j]["id"], "role": "full_time"})
    pt_grids = [i for i in range(p.res_grids) if i != no_worker]
    for n_pt, i in zip(g.split(p.part_time, len(pt_grids)), pt_grids, strict=True):
        for _ in range(n_pt):
            t["grid_assignments"].append({"person_id": g.person(r.random() < 0.3, home=res[i]["community_id"]),
                                          "grid_id": res[i]["id"], "role": "part_time"})
    ft_of: dict[str, str] = {}
    for a in t["grid_assignments"]:
        if a["role"] == "full_time":
            ft_of.setdefault(a["grid_id"], a["person_id"])
    # grid branches and groups on community grids: a few grids get two, as many get none
    doubles = max(1, p.res_grids // 50)
    order = list(range(p.res_grids))
    r.shuffle(order)
    slots = order[doubles:] + order[doubles: 2 * doubles]
    kinds = ["grid_branch"] * p.res_grid_branches + ["grid_group"] * p.res_grid_groups
    grid_orgs = []
    for kind, i in zip(kinds, slots, strict=True):
        grid = res[i]
        sec = ft_of.get(grid["id"], "") if kind == "grid_branch" and r.random() > 0.03 else ""
        grid_orgs.append(g.org(kind, f"{grid['name']}{'党支部' if kind == 'grid_branch' else '党小组'}",
                               comm_org[grid["community_id"]], grid["id"], sec))
    # structural faults: one grid org without parent, two pointing at each other
    by_id = {o["id"]: o for o in t["party_orgs"]}
    by_id[grid_orgs[-1]]["parent_id"] = ""
    by_id[grid_orgs[-2]]["parent_id"], by_id[grid_orgs[-3]]["parent_id"] = grid_orgs[-3], grid_orgs[-2]
    # building groups and central households
    for b in t["buildings"]:
        if b["households"] <= 0 or r.random() < 0.03:
            continue
        parent = home_branch.get(b["compound_id"]) or comm_org[res[int(b["grid_id"][2:]) - 1]["community_id"]]
        bg = g.org("building_group", f"{b['name']}党小组", parent, b["id"], "")
        if r.random() < 0.97:
            cid = res[int(b["grid_id"][2:]) - 1]["community_id"]
            linked = r.randint(16, 20) if r.random() < 0.02 else r.randint(5, 15)
            t["central_households"].append({"id": g.pid("ZX"), "person_id": g.person(True, home=cid),
                                            "building_group_id": bg, "linked_households": linked})
    # agencies, their orgs, members, pairings and baolian
    agencies = []
    for i in range(p.agencies):
        aid = f"DW{i + 1:04d}"
        kind = r.choice(["agency", "agency", "institution", "enterprise"])
        t["agencies"].append({"id": aid, "name": f"{county}{PLACE[i % len(PLACE)]}{['局', '中心', '所', '公司'][i % 4]}{i + 1}",
                              "kind": kind})
        agencies.append(aid)
    members_split = g.split(p.reported_members, p.agencies)
    unreported_agencies = set(r.sample(range(p.agencies), max(1, p.agencies // 20)))
    unrep_split = dict(zip(sorted(unreported_agencies), g.split(p.unreported_members, len(unreported_agencies)), strict=True))
    for i, aid in enumerate(agencies):
        first = None
        for k in range(members_split[i] + unrep_split.get(i, 0)):
            home = comms[r.randrange(p.communities)][0]
            m = g.person(True, agency=aid, home=home)
            first = first or m
            if k < members_split[i]:
                t["member_reports"].append({"person_id": m, "community_id": home, "since": "2024-03-01"})
        g.org("agency_org", f"{t['agencies'][i]['name']}党组织", county_org, aid, first or "")
    for k, aid in enumerate(agencies[: p.paired_agencies]):
        t["pairings"].append({"agency_id": aid, "community_id": comms[k % p.communities][0], "since": "2023-06-01"})
    unbaolian = {comms[-1][0]}
    for k, (cid, *_rest) in enumerate(comms):
        if cid not in unbaolian:
            t["baolian"].append({"agency_id": agencies[(k * 7) % p.agencies], "community_id": cid, "since": "2023-01-01"})
    # non-residential grids: orgs and part-time workers
    other_kinds = ["agency", "business_building", "market"]
    others: list[tuple[dict[str, Any], str]] = []
    for i in range(p.other_grids):
        sid, sorg = streets[i % p.streets]
        kind = other_kinds[i % 3]
        nm = {"agency": "机关网格", "business_building": "商务楼宇网格", "market": "商圈网格"}[kind]
        others.append(({"id": f"FW{i + 1:05d}", "name": f"{t['streets'][i % p.streets]['name']}{nm}{i // 3 + 1}", "kind": kind,
                        "community_id": "", "street_id": sid, "households": "", "people": r.randint(40, 400)}, sorg))
    t["grids"] += [o for o, _ in others]
    n_other_orgs = p.other_grid_branches + p.other_grid_groups
    order = list(range(p.other_grids))
    r.shuffle(order)
    covered = order[: p.other_grids - max(1, p.other_grids // 40)]
    slots = covered + covered[: n_other_orgs - len(covered)]
    kinds = ["grid_branch"] * p.other_grid_branches + ["grid_group"] * p.other_grid_groups
    for kind, i in zip(kinds, slots, strict=True):
        other, sorg = others[i]
        assert isinstance(other["id"], str)
        g.org(kind, f"{other['name']}{'党支部' if kind == 'grid_branch' else '党小组'}", sorg, other["id"],
              g.person(True) if kind == "grid_branch" else "")
    staffed = order[: p.other_grids - max(1, p.other_grids // 30)]
    for n_pt, i in zip(g.split(p.other_part_time, len(staffed)), staffed, strict=True):
        for _ in range(n_pt):
            t["grid_assignments"].append({"person_id": g.person(False), "grid_id": others[i][0]["id"], "role": "part_time"})
    # demonstration sites
    candidates = [o for o in t["party_orgs"] if o["kind"] in ("community_committee", "home_branch", "grid_branch", "agency_org")]
    for o in r.sample(candidates, p.demo_city + p.demo_county)[: p.demo_city]:
        o["demo_level"] = "city"
    for o in [o for o in r.sample(candidates, len(candidates)) if not o["demo_level"]][: p.demo_county]:
        o["demo_level"] = "county"
    # secretary projects
    leaders = [o for o in t["party_orgs"] if o["kind"] in ("county_committee", "street_committee", "community_committee")]
    for i in range(p.projects):
        o = leaders[i % len(leaders)]
        level = {"county_committee": "county", "street_committee": "street", "community_committee": "community"}[o["kind"]]
        t["projects"].append({"id": f"XM{i + 1:04d}", "name": f"{o['name']}书记项目{i + 1}", "level": level,
                              "leader_id": o["secretary_id"], "target_id": o["area_id"]})
    # demands along the whistle-and-report loop
    t["departments"] = [{"id": f"BM{i + 1:03d}", "name": d} for i, d in enumerate(DEPARTMENTS)]
    workers_of: dict[str, list[str]] = {}
    for a in t["grid_assignments"]:
        workers_of.setdefault(a["grid_id"], []).append(a["person_id"])
    res_ids = [grid["id"] for grid in res]
    end = p.start + timedelta(days=p.days)
    for k in range(p.resolved_demands + p.open_demands):
        gid = r.choice(res_ids)
        is_open = k >= p.resolved_demands
        raised = p.start + timedelta(minutes=r.randrange((p.days - (0 if is_open else 12)) * 1440))
        if is_open and r.random() < 0.7:  # most open demands are recent
            raised = end - timedelta(minutes=r.randrange(6 * 1440))
        whistled = raised + timedelta(minutes=r.randint(10, 240))
        assigned = whistled + timedelta(minutes=r.randint(30, 600))
        resolved = assigned + timedelta(hours=r.randint(2, 200)) if not is_open else None
        feedback = resolved + timedelta(hours=r.randint(1, 48)) if resolved and r.random() < 0.8 else None
        fmt = "%Y-%m-%d %H:%M"
        t["demands"].append({
            "id": f"SQ{k + 1:07d}", "grid_id": gid, "raised_at": raised.strftime(fmt),
            "whistled_at": whistled.strftime(fmt) if not is_open or r.random() < 0.8 else "",
            "assigned_at": assigned.strftime(fmt) if not is_open or r.random() < 0.5 else "",
            "resolved_at": resolved.strftime(fmt) if resolved else "",
            "feedback_at": feedback.strftime(fmt) if feedback else "",
            "department_id": r.choice(t["departments"])["id"],
            "handler_id": r.choice(workers_of.get(gid, [""])),
            "satisfaction": r.choice([5, 5, 5, 4, 4, 3, 2]) if feedback else "",
        })
        if is_open and t["demands"][-1]["whistled_at"] == "":
            t["demands"][-1]["assigned_at"] = ""
    return t


def _rows(rows: list[dict[str, Any]], cols: list[str]) -> Iterator[list[Any]]:
    for row in rows:
        yield [row.get(c, "") for c in cols]


def write_csv(tables: dict[str, list[dict[str, Any]]], out: Path) -> None:
    """Write one ``<table>.csv`` per table (UTF-8, code-name headers) into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for spec in TABLES:
        cols = [c.name for c in spec.columns]
        with (out / f"{spec.name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            w.writerows(_rows(tables.get(spec.name, []), cols))


#: County names for a generated province (Tangshan's counties and districts, then numbered ones).
COUNTY_NAMES = ("乐亭县", "滦南县", "迁西县", "玉田县", "遵化市", "迁安市", "滦州市", "丰南区", "丰润区", "曹妃甸区",
                "路北区", "路南区", "古冶区", "开平区", "昌黎县", "抚宁区")


def scaled(p: Profile, f: float) -> Profile:
    """``p`` with every count × ``f`` (at least what a county needs to be whole), its figures kept consistent.

    >>> q = scaled(city(), 0.01)
    >>> (q.streets, q.communities, q.res_grid_branches + q.res_grid_groups <= q.res_grids)
    (1, 4, True)
    """
    def n(v: int, lo: int = 1) -> int:
        return max(lo, round(v * f))

    streets = n(p.streets)
    communities = max(n(p.communities), streets)
    res_grids = max(n(p.res_grids), communities)
    branches = min(n(p.res_grid_branches, 0), res_grids)
    other = max(n(p.other_grids), 3)
    obranches = min(n(p.other_grid_branches, 0), other)
    agencies = max(n(p.agencies), 2)
    compounds = max(n(p.compounds), communities)
    return Profile(
        streets=streets, communities=communities, res_grids=res_grids, res_grid_branches=branches,
        res_grid_groups=min(n(p.res_grid_groups, 0), res_grids - branches), full_time=max(n(p.full_time), res_grids),
        part_time=n(p.part_time), other_grids=other, other_grid_branches=obranches,
        other_grid_groups=min(n(p.other_grid_groups, 0), other - obranches), other_part_time=max(n(p.other_part_time), other),
        agencies=agencies, paired_agencies=min(n(p.paired_agencies), agencies - 1), reported_members=n(p.reported_members),
        unreported_members=n(p.unreported_members, 0), staff=max(n(p.staff), 2 * communities), compounds=compounds,
        home_branches=min(n(p.home_branches), compounds), projects=n(p.projects), demo_city=n(p.demo_city, 0),
        demo_county=n(p.demo_county, 0), resolved_demands=n(p.resolved_demands), open_demands=n(p.open_demands),
        big_centres=min(n(p.big_centres, 0), communities - 2 if communities > 2 else 0),
        buildings_per_grid=p.buildings_per_grid, start=p.start, days=p.days)


def province(counties: int = 16, scale: float = 1.0, seed: int = 2026) -> list[tuple[str, str, dict[str, list[dict[str, Any]]]]]:
    """A province: ``counties`` counties of varied size, from Laoting-like to a city district.

    Sizes run evenly from 1/40 to 9/40 of the city profile (× ``scale``): at scale 1, sixteen counties hold about
    twice the city's households. Returns (code, county name, tables); every id carries its county's code, so ids
    are unique across the province and no reference crosses a county.
    """
    out = []
    for i in range(counties):
        f = scale * (1 + 8 * i / max(counties - 1, 1)) / 40
        code = f"X{i + 1:02d}"
        name = COUNTY_NAMES[i] if i < len(COUNTY_NAMES) else f"示例{i + 1}县"
        out.append((code, name, prefixed(generate(scaled(city(), f), seed=seed + i, county=name), code)))
    return out


def prefixed(tables: dict[str, list[dict[str, Any]]], code: str) -> dict[str, list[dict[str, Any]]]:
    """The same tables with every id and every reference prefixed by ``code`` (so counties can sit side by side)."""
    for spec in TABLES:
        keys = [c.name for c in spec.columns if c.refs] + (["id"] if spec.has_id else [])
        for row in tables.get(spec.name, []):
            for k in keys:
                if row.get(k):
                    row[k] = f"{code}{row[k]}"
    return tables


def _month_after(label: str, n: int) -> str:
    y, m = (int(x) for x in label.split("-"))
    k = y * 12 + m - 1 + n
    return f"{k // 12}-{k % 12 + 1:02d}"


def series(months: int = 6, seed: int = 2026, p: Profile = LAOTING,
           county: str = "乐亭县") -> list[tuple[str, dict[str, list[dict[str, Any]]]]]:
    """A county's ledgers month by month, labelled ``YYYY-MM``, the last month being the generated county's own.

    Each month the demands are those raised by its end (later stages not yet happened); and the organisation
    churns: gaps are closed (new full-time workers on uncovered grids, building groups formed), workers move or
    leave, a new compound arrives without a home branch, buildings' households change.

    >>> [label for label, _ in series(3, seed=1)]
    ['2026-09', '2026-10', '2026-11']
    """
    base = generate(p, seed=seed, county=county)
    latest = max(d["raised_at"] for d in base["demands"])
    labels = [_month_after(latest[:7], i - months + 1) for i in range(months)]
    r = random.Random(seed + 7)
    current = {k: [dict(row) for row in v] for k, v in base.items() if k != "demands"}
    out = []
    for i, label in enumerate(labels):
        if i:
            _churn(current, r, i)
        end = _month_after(label, 1) + "-01 00:00"
        tables = {k: [dict(row) for row in v] for k, v in current.items()}
        tables["demands"] = [_as_of(d, end) for d in base["demands"] if d["raised_at"] < end]
        out.append((label, tables))
    return out


def _as_of(demand: dict[str, Any], end: str) -> dict[str, Any]:
    d = dict(demand)
    for stage in ("whistled_at", "assigned_at", "resolved_at", "feedback_at"):
        if d[stage] and d[stage] >= end:
            d[stage] = ""
    if not d["feedback_at"]:
        d["satisfaction"] = ""
    return d


def _churn(t: dict[str, list[dict[str, Any]]], r: random.Random, month: int) -> None:
    """One month's changes to a county's tables (in place)."""
    res = [g for g in t["grids"] if g["kind"] == "residential"]
    full = {a["grid_id"] for a in t["grid_assignments"] if a["role"] == "full_time"}
    comm_of = {g["id"]: g["community_id"] for g in res}
    # gaps closed: a new full-time worker on up to three uncovered grids
    for k, grid in enumerate([g for g in res if g["id"] not in full][:3]):
        pid = f"RYM{month:02d}{k:03d}"
        t["people"].append({"id": pid, "name": f"新网格员{month}-{k}", "phone": f"139{month:02d}{k:06d}",
                            "party_member": "true", "agency_id": "", "home_community_id": comm_of[grid["id"]]})
        t["grid_assignments"].append({"person_id": pid, "grid_id": grid["id"], "role": "full_time"})
    # workers move: two full-time assignments to another grid of their community
    fulls = [a for a in t["grid_assignments"] if a["role"] == "full_time"]
    for a in r.sample(fulls, min(2, len(fulls))):
        others = [g["id"] for g in res if comm_of[g["id"]] == comm_of.get(a["grid_id"]) and g["id"] != a["grid_id"]]
        if others:
            a["grid_id"] = r.choice(others)
    # workers leave: five part-time assignments end
    parts = [i for i, a in enumerate(t["grid_assignments"]) if a["role"] == "part_time"]
    for i in sorted(r.sample(parts, min(5, len(parts))), reverse=True):
        del t["grid_assignments"][i]
    # a new compound, not yet with a home branch
    c = r.choice(t["communities"])
    t["compounds"].append({"id": f"XQM{month:03d}", "name": f"新建小区{month}", "community_id": c["id"],
                           "property_company": ""})
    # building groups formed on up to three buildings without one
    grouped = {o["area_id"] for o in t["party_orgs"] if o["kind"] == "building_group"}
    comm_org = {o["area_id"]: o["id"] for o in t["party_orgs"] if o["kind"] == "community_committee"}
    for k, b in enumerate([b for b in t["buildings"] if b["id"] not in grouped and b["households"]][:3]):
        t["party_orgs"].append({"id": f"DZM{month:02d}{k:03d}", "name": f"{b['name']}党小组", "kind": "building_group",
                                "parent_id": comm_org[comm_of[b["grid_id"]]], "area_id": b["id"],
                                "secretary_id": "", "demo_level": ""})
    # households change in three buildings
    for b in r.sample(t["buildings"], min(3, len(t["buildings"]))):
        b["households"] = max(1, int(b["households"]) + r.randint(-20, 20))
