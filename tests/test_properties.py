"""Properties that hold for any schema-valid evidence, on every bundled ruleset."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules.engine.evaluate import evaluate
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.ruleset.model import AllOf, AnyOf, Compare, Not

from .conftest import MINI, RULES
from .strategies import evidence_docs, fact_value, to_bytes
from .test_checker import schema_paths

RULESETS = {"pentas-2021": load_ruleset_cached(RULES), "mini": load_ruleset_cached(MINI)}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name", RULESETS)
@SETTINGS
@given(data=st.data())
def test_valid_evidence_scores_deterministically_within_bounds(name, data):
    ruleset = RULESETS[name]
    doc = data.draw(evidence_docs(ruleset))
    raw = to_bytes(doc)
    assert schema_paths(doc, ruleset) == set()  # the generated JSON Schema agrees it is valid
    first = evaluate(ruleset, parse_evidence(raw, "x.json", ruleset), raw)
    second = evaluate(ruleset, parse_evidence(raw, "x.json", ruleset), raw)
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())
    top = ruleset.aggregation.max_level
    for ir in first.indicators():
        assert 0 <= ir.level <= top
    assert 0 <= first.total <= ruleset.aggregation.total_max
    assert first.total == sum((a.contribution for a in first.aspects), Fraction(0))


def _positive_leaf(node, ruleset) -> bool:
    """A comparison that can only become true, never false, as its fact rises."""
    if isinstance(node, (AllOf, AnyOf)):
        return all(_positive_leaf(child, ruleset) for child in node.children)
    if isinstance(node, Not):
        return False
    assert isinstance(node, Compare)
    spec = ruleset.catalogue.facts[node.fact]
    if node.other_fact is not None or node.lookup is not None:
        return False
    if spec.type == "bool":
        return node.op == "==" and node.value is True
    return node.op in (">", ">=")


def positive_indicators(ruleset):
    return [ind_id for ind_id, ind in ruleset.indicators.items() if all(_positive_leaf(lv.when, ruleset) for lv in ind.levels)]


def _raise(spec, value):
    if spec.type == "bool":
        return True
    if spec.type == "enum":
        return spec.enum.values[min(spec.enum.values.index(value) + 1, len(spec.enum.values) - 1)]
    return min(spec.maximum, value + (1 if spec.type == "integer" else 0.75))


@pytest.mark.parametrize("name", RULESETS)
@SETTINGS
@given(data=st.data())
def test_raising_a_positive_fact_never_lowers_a_level(name, data):
    ruleset = RULESETS[name]
    candidates = positive_indicators(ruleset)
    if not candidates:
        return
    ind_id = data.draw(st.sampled_from(candidates))
    indicator = ruleset.indicators[ind_id]
    facts = {}
    for fact in indicator.facts():
        facts[fact] = data.draw(fact_value(ruleset.catalogue.facts[fact]))
    from pentas_rules.engine.evaluate import evaluate_indicator

    before = evaluate_indicator(ruleset, ind_id, facts).level
    fact = data.draw(st.sampled_from(indicator.facts()))
    raised = dict(facts, **{fact: _raise(ruleset.catalogue.facts[fact], facts[fact])})
    after = evaluate_indicator(ruleset, ind_id, raised).level
    assert after >= before, (ind_id, fact, facts[fact], raised[fact])


def test_positive_indicators_are_the_expected_ones():
    # Guards the property above from silently testing nothing.
    assert positive_indicators(RULESETS["mini"]) == ["P01"]
    assert len(positive_indicators(RULESETS["pentas-2021"])) >= 15
