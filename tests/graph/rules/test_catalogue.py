"""The rule catalogue describes every rule once, and every threshold is read by some rule."""

from __future__ import annotations

from graph.findings import Thresholds
from graph.rules.catalogue import CATALOGUE, MEANING


def test_every_rule_has_its_meaning() -> None:
    assert list(MEANING) == list(CATALOGUE)
    for rule, m in MEANING.items():
        assert m.zh.strip() and m.en.strip(), rule
        assert "\n" not in m.zh + m.en, rule
        assert set(m.thresholds) <= set(Thresholds.model_fields), rule


def test_every_threshold_is_read_by_a_rule_and_described() -> None:
    used = {t for m in MEANING.values() for t in m.thresholds}
    # the rules read every threshold but the plan's own (whether the plan may cross streets)
    assert used == set(Thresholds.model_fields) - {"plan_cross_street"}
    for name, field in Thresholds.model_fields.items():
        assert field.description and "/ " in field.description, name
