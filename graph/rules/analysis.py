"""Run the whole rule catalogue on a graph: findings in the interface's order."""

from __future__ import annotations

from datetime import datetime

import networkx as nx

from graph.dataformat import Dataset
from graph.derive import grid_households
from graph.findings import Context, Finding, Thresholds
from graph.moment import LOCAL_ZONE, default_as_of, local_moment
from graph.network import Net
from graph.rules import gaps, overload, structure

__all__ = ["ALL_RULES", "LOCAL_ZONE", "default_as_of", "local_moment", "evaluate", "context"]

ALL_RULES = [*gaps.RULES, *structure.RULES, *overload.RULES]


def context(net: Net, thresholds: Thresholds, as_of: datetime) -> Context:
    return Context(thresholds, local_moment(as_of), grid_households(net))


def evaluate(data: Dataset | nx.MultiDiGraph, thresholds: Thresholds | None = None,
             as_of: datetime | None = None) -> list[Finding]:
    """Every finding of the rule catalogue on a data set (or its graph from ``build_graph``), sorted by severity,
    rule, subject id."""
    net = Net(data)
    ctx = context(net, thresholds or Thresholds(), as_of or datetime.now().replace(microsecond=0))
    findings = [f for rule in ALL_RULES for f in rule(net, ctx)]
    findings.sort(key=Finding.sort_key)
    return findings
