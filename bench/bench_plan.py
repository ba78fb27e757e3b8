"""Plan benchmark: the county-wide plan next to the rules, from a data set's files; then the plan's proof
(carry it out, run the rules again: nothing appears, everything claimed is gone).

Run: .venv/bin/python -m bench.bench_plan [--profile laoting|city] [--data DIR] [--no-proof]
"""

from __future__ import annotations

import argparse
import gc
import time
from datetime import datetime
from pathlib import Path

from bench.common import dataset_dir, peak_rss_mib, save, timer
from graph.findings import Thresholds
from graph.network import Net, build_graph
from graph.plan import suggest
from graph.plan.apply import apply_plan
from graph.plan.plan import build_plan
from graph.rules import analysis
from loaders.validate import load_dataset


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="laoting", choices=["laoting", "city"])
    ap.add_argument("--data", type=Path, help="a generated data set's folder (default: made under data/bench)")
    ap.add_argument("--no-proof", action="store_true", help="skip carrying the plan out and re-running the rules")
    args = ap.parse_args()
    t: dict[str, float] = {}
    gc.disable()  # as the report does (graph/gcpause.py): full collections over millions of live objects
    with timer(t, "read_files_s"):
        ds = load_dataset(args.data or dataset_dir(args.profile))
    thresholds = Thresholds()
    as_of = analysis.default_as_of(ds)
    with timer(t, "build_graph_s"):
        net = Net(build_graph(ds))
    c0 = time.process_time()
    with timer(t, "rules_s"):
        ctx = analysis.context(net, thresholds, as_of)
        findings = [f for rule in analysis.ALL_RULES for f in rule(net, ctx)]
        suggest.attach(net, ctx, findings)
    c1 = time.process_time()
    with timer(t, "plan_s"):
        plan = build_plan(net, ctx, findings)
    c2 = time.process_time()
    # CPU time too: on a shared machine the wall clock also counts the time other processes held the cores
    t["rules_cpu_s"], t["plan_cpu_s"] = round(c1 - c0, 3), round(c2 - c1, 3)
    result = {"profile": args.profile, "findings": len(findings), "actions": len(plan["actions"]),
              "summary": {k: v for k, v in plan["summary"].items() if k not in ("hires",)}, **t}
    if not args.no_proof:
        before = {(f.rule, f.subject_id) for f in findings}
        claimed = {(k[0], k[1]) for a in plan["actions"] for k in a["clears"]}
        del net, ctx, findings
        with timer(t, "apply_plan_s"):
            after_ds = apply_plan(ds, plan)
        with timer(t, "rules_after_s"):
            after = {(f.rule, f.subject_id) for f in analysis.evaluate(after_ds, thresholds, as_of)}
        result.update(t)
        result["proof"] = {"appeared": len(after - before), "claimed": len(claimed),
                           "claimed_still_there": len(claimed & after), "disappeared": len(before - after)}
        assert not after - before and not claimed & after, result["proof"]
    result["peak_rss_mib"] = peak_rss_mib()
    result["when"] = datetime.now().isoformat(timespec="seconds")
    save(f"plan-{args.profile}", result)


if __name__ == "__main__":
    main()
