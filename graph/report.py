"""The report: findings, thresholds, moment, data-set identity and summary, as the interface spec's JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graph.dataformat import Dataset
from graph.findings import Thresholds
from graph.gcpause import cycles_collected, gc_paused
from graph.network import Net
from graph.rules import analysis
from graph.scope import totals

REPORT_VERSION = 1


def build_report(ds: Dataset, thresholds: Thresholds | None = None, as_of: datetime | None = None,
                 with_extras: bool = True, for_merge: bool = False) -> dict[str, Any]:
    """The whole report for a data set, as a JSON-ready dict (see interfaces.md).

    ``with_extras`` adds suggestions, the plan (``plan``: graph.plan.plan), the per-community/street summary and
    the network ranking; ``for_merge`` keeps what graph.merge needs to merge counties' reports (raw betweenness,
    backbone size).
    """
    with gc_paused():
        return _build_report(ds, thresholds, as_of, with_extras, for_merge)


def _build_report(ds: Dataset, thresholds: Thresholds | None, as_of: datetime | None,
                  with_extras: bool, for_merge: bool = False) -> dict[str, Any]:
    thresholds = thresholds or Thresholds()
    as_of = analysis.local_moment(as_of) if as_of else analysis.default_as_of(ds)
    net = Net(ds)
    ctx = analysis.context(net, thresholds, as_of)
    findings = [f for rule in analysis.ALL_RULES for f in rule(net, ctx)]
    summary: dict[str, Any] = {"by_rule": {}, "communities": [], "streets": []}
    ranking: list[dict[str, Any]] = []
    backbone_nodes = 0
    plan: dict[str, Any] | None = None
    if with_extras:
        from graph import centrality
        from graph import summary as summ
        from graph.plan import suggest
        from graph.plan.plan import build_plan

        with cycles_collected():  # NetworkX's flow algorithms leave cycles behind
            suggest.attach(net, ctx, findings)
            plan = build_plan(net, ctx, findings)
            summary["communities"], summary["streets"] = summ.summarize(net, ctx, findings)
            ranking, backbone_nodes = centrality.rank_people_raw(net)
        if not for_merge:
            ranking = [{k: v for k, v in r.items() if k != "_betweenness_raw"} for r in ranking]
    findings.sort(key=lambda f: f.sort_key())
    out = [f.to_dict() for f in findings]
    summary.update(totals(out))
    report: dict[str, Any] = {
        "version": REPORT_VERSION,
        "as_of": as_of.isoformat(),
        "thresholds": thresholds.model_dump(),
        "dataset": {"fingerprint": ds.fingerprint, "source": ds.source, "counts": ds.counts()},
        "findings": out,
        "summary": summary,
        "ranking": ranking,
        **({"plan": plan} if plan is not None else {}),
    }
    if for_merge:
        report["_backbone_nodes"] = backbone_nodes
    return report


def pairs(report: dict[str, Any]) -> set[tuple[str, str]]:
    """The (rule, subject id) pairs of a report: what the rule catalogue defines."""
    return {(f["rule"], f["subject"]["id"]) for f in report["findings"]}
