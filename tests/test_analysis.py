"""The set algebra lint reasons with, checked against the evaluator itself.

The decisive test is the property: for any complete, valid evidence, a level's
condition holds exactly when the evidence lies in its computed true set, and
fails exactly when it lies in its false set. If the analysis and the engine
ever disagree, lint's "can never hold" or "never the highest" would be wrong.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pentas_rules.engine.evaluate import evaluate_indicator
from pentas_rules.ruleset.analysis import Analyzer, Interval, NumberSet, format_numbers
from pentas_rules.ruleset.cache import load_ruleset_cached

from .conftest import MINI, RULES

RULESETS = {"pentas-2021": load_ruleset_cached(RULES), "mini": load_ruleset_cached(MINI)}


def closed(lo, hi, integer=False):
    return NumberSet.of(lo, True, hi, True, integer)


def test_intervals_merge_and_complement(english):
    below = NumberSet.of(None, False, 90, False)
    bracket = closed(90, 98)
    above = NumberSet.of(98, False, None, False)
    assert format_numbers(below | bracket | above) == "(-inf, inf)"
    assert format_numbers(below | above) == "(-inf, 90) and (98, inf)"
    # The maintainer reads the joining word in the language of the messages (issue 10).
    assert format_numbers(below | above, "id") == "(-inf, 90) dan (98, inf)"
    assert format_numbers(NumberSet.of(1, False, 0, False), "id") == "tidak ada nilai"
    assert format_numbers((below | above).complement()) == "[90, 98]"
    assert format_numbers(closed(0, 100) - NumberSet.of(None, False, 90, False)) == "[90, 100]"
    assert format_numbers(closed(0, 100) & NumberSet.of(98, False, None, False)) == "(98, 100]"
    assert not (NumberSet.of(5, False, 5, True))  # (5, 5] is empty
    assert closed(90, 98) <= closed(0, 100) and not closed(0, 100) <= closed(90, 98)
    assert format_numbers(closed(0, 1) - closed(0.5, 0.5)) == "[0, 0.5) and (0.5, 1]"


def test_whole_numbers(english):
    ints = closed(0, 10, integer=True)
    assert format_numbers(ints - closed(1, 3, True)) == "0 and 4..10"
    assert format_numbers(closed(1, 3, True) | closed(4, 10, True)) == "1..10"  # no whole number between 3 and 4
    assert format_numbers(NumberSet.of(2.5, True, 7, False, True)) == "3..6"
    assert not NumberSet.of(3, False, 4, False, True)
    assert NumberSet([Interval(Fraction(1), True, Fraction(3), True)], True).complement() == NumberSet.of(None, False, 0, True, True) | NumberSet.of(
        4, True, None, False, True
    )


def test_lookup_becomes_one_alternative_per_band(ruleset):
    analyzer = Analyzer(ruleset.catalogue)
    level5 = ruleset.indicators["I13"].level(5).when
    true, _ = analyzer.sets(level5)
    days = {format_numbers(box["meta.population"]): format_numbers(box["inovasi.waktu_layanan_hari"]) for box in true}
    assert days == {"1..499999": "[0, 2]", "500000..1500000": "[0, 3]", "1500001..100000000": "[0, 4]"}


def test_fact_against_fact_is_a_relation(mini):
    analyzer = Analyzer(mini.catalogue)
    level5 = mini.indicators["P03"].level(5).when
    true, false = analyzer.sets(level5)
    (box,) = true
    assert box["kinerja.apbd_rp~kinerja.dak_rp"] == frozenset({">"})
    assert len(false) == 2


def test_condition_text(ruleset):
    assert ruleset.indicators["I18"].level(4).when.text() == "kinerja.perekaman_ktp_el_pct between [90, 98]"
    assert (
        ruleset.indicators["I13"].level(5).when.text()
        == "all(inovasi.ada == true, inovasi.mencapai_sasaran == true, inovasi.waktu_layanan_hari <= lookup batas_waktu_layanan_hari)"
    )


def _relation(a, b):
    return "<" if a < b else ("=" if a == b else ">")


def _inside(box, facts, catalogue):
    for var, domain in box.items():
        if "~" in var:
            a, b = var.split("~")
            value = _relation(facts[a], facts[b])
        else:
            value = facts[var]
            spec = catalogue.facts[var]
            if spec.type == "enum":
                value = spec.enum.rank(value)
        if isinstance(domain, NumberSet):
            if not (closed(value, value) & domain):
                return False
        elif value not in domain:
            return False
    return True


def _candidates(ruleset, fact):
    """Values worth trying for a fact: every constant the rules compare it with, its neighbours, its range ends."""
    spec = ruleset.catalogue.facts[fact]
    if spec.type == "bool":
        return [False, True]
    if spec.type == "enum":
        return list(spec.enum.values)
    points = {spec.minimum, spec.maximum}
    for indicator in ruleset.indicators.values():
        for level in indicator.levels:
            for leaf in level.when.comparisons():
                if leaf.lookup is not None:
                    for band in leaf.lookup.bands:
                        if leaf.lookup.key == fact:
                            points.update(band.value if isinstance(band.value, tuple) else (band.value,))
                        if leaf.fact == fact:
                            points.add(band.result)
                elif leaf.fact == fact and leaf.other_fact is None:
                    points.update(leaf.value if isinstance(leaf.value, tuple) else (leaf.value,))
    steps = (-1, 0, 1) if spec.type == "integer" else (-1, -0.5, -0.01, 0, 0.01, 0.5, 1)
    values = {p + d for p in points for d in steps if spec.minimum <= p + d <= spec.maximum}
    return sorted(int(v) if spec.type == "integer" else v for v in values)


@st.composite
def complete_facts(draw, ruleset):
    """An indicator and a value for every fact it reads, drawn around the rules' own thresholds."""
    ind_id = draw(st.sampled_from(sorted(ruleset.indicators)))
    facts = {f: draw(st.sampled_from(_candidates(ruleset, f))) for f in ruleset.indicators[ind_id].facts()}
    return ind_id, facts


@pytest.mark.parametrize("name", RULESETS)
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_sets_agree_with_evaluation(name, data):
    ruleset = RULESETS[name]
    analyzer = Analyzer(ruleset.catalogue)
    ind_id, facts = data.draw(complete_facts(ruleset))
    result = evaluate_indicator(ruleset, ind_id, facts)
    for level in result.levels:
        true, false = analyzer.sets(level.level.when)
        in_true = any(_inside(box, facts, ruleset.catalogue) for box in true)
        in_false = any(_inside(box, facts, ruleset.catalogue) for box in false)
        where = f"{ind_id} level {level.value} on {facts}"
        if level.outcome is True:
            assert in_true and not in_false, where
        elif level.outcome is False:
            assert in_false and not in_true, where
        else:  # every fact known, yet unknown: a lookup key outside every band
            assert not in_true and not in_false, where


def test_every_leaf_of_the_shipped_rules_can_hold_and_fail(ruleset):
    analyzer = Analyzer(ruleset.catalogue)
    for indicator in ruleset.indicators.values():
        for level in indicator.levels:
            true, false = analyzer.sets(level.when)
            assert true and false, f"{indicator.id} level {level.value}"
