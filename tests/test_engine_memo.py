"""The engine remembers each indicator's level and trace by the values of the facts it reads.

An indicator's outcome is a pure function of those values, and offices repeat them, so a
batch computes each combination once (``_outcome`` in ``engine/evaluate.py``). These tests
show that a repeat is served from the memo (the constraints' checks too), that a change to one fact recomputes only the
indicators that read it, that the memo stays within its bound, and that a value the memo
cannot hold is still evaluated. That the memo's answers are right, outcome for outcome, is
``tests/test_engine_reference.py``'s property, which scores every generated office twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pentas_rules.engine import evaluate as evaluate_module
from pentas_rules.engine.evaluate import engine, evaluate
from pentas_rules.evidence.reader import Evidence, OfficeMeta, parse_evidence
from pentas_rules.files.record import replace
from pentas_rules.ruleset.model import Ruleset

from .conftest import LEVELISASI_SAMPLES, SAMPLES, is_pentas_sample


def _fresh(ruleset: Ruleset) -> Ruleset:
    """An equal ruleset with an engine (and a memo) of its own: other tests do not fill it."""
    return replace(ruleset)


def _sample() -> Path:
    return next(p for p in sorted(SAMPLES.glob("*.json")) if is_pentas_sample(p))


def _traces(rules: Ruleset, facts: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    eng = engine(rules)
    return {ind_id: eng.evaluate_indicator(ind_id, facts).trace for ind_id in eng.plans}


def test_scoring_an_office_again_serves_every_indicator_from_the_memo(ruleset: Ruleset) -> None:
    rules = _fresh(ruleset)
    raw = _sample().read_bytes()
    evidence = parse_evidence(raw, "office.json", rules)
    first = evaluate(rules, evidence, raw)
    again = evaluate(rules, evidence, raw)
    # The very tuples computed the first time: nothing was evaluated again.
    assert all(a.trace is b.trace for a, b in zip(first.indicators(), again.indicators(), strict=True))
    assert again.to_dict() == first.to_dict()
    assert all(len(plan.memo) == 1 for plan in engine(rules).plans.values())


def test_a_changed_fact_recomputes_only_the_indicators_that_read_it(ruleset: Ruleset) -> None:
    rules = _fresh(ruleset)
    catalogue = rules.catalogue
    facts = {name: True for name, spec in catalogue.facts.items() if spec.type == "bool"}
    before = _traces(rules, facts)
    changed = next(iter(facts))
    facts[changed] = False
    after = _traces(rules, facts)
    plans = engine(rules).plans
    readers = {ind_id for ind_id, plan in plans.items() if changed in plan.facts}
    assert readers and readers != set(plans)
    for ind_id in plans:
        assert (after[ind_id] is before[ind_id]) is (ind_id not in readers), ind_id
        assert len(plans[ind_id].memo) == (2 if ind_id in readers else 1), ind_id
    # What the memo gave is what an engine that never saw the first office computes.
    assert after == _traces(_fresh(ruleset), facts)


def test_the_memo_stops_growing_at_its_bound_and_the_levels_stay_right(ruleset: Ruleset, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evaluate_module, "MEMO_LIMIT", 3)
    rules = _fresh(ruleset)
    catalogue = rules.catalogue
    number = next(name for name, spec in catalogue.facts.items() if spec.type == "number" and spec.minimum == 0 and spec.maximum == 100)
    bools = {name: True for name, spec in catalogue.facts.items() if spec.type == "bool"}
    for pct in range(0, 101, 5):  # 21 offices, each a new value of one percentage
        facts = {**bools, number: pct}
        assert _traces(rules, facts) == _traces(_fresh(ruleset), facts), pct
    plans = engine(rules).plans.values()
    assert all(len(plan.memo) <= 3 for plan in plans)
    assert any(len(plan.memo) == 3 for plan in plans if number in plan.facts)


def test_a_value_the_memo_cannot_hold_is_evaluated_without_it(ruleset: Ruleset) -> None:
    rules = _fresh(ruleset)
    eng = engine(rules)
    ind_id, plan = next(iter(eng.plans.items()))
    # A plain mapping from a caller (not checked evidence) may hold anything; a list is unhashable.
    result = eng.evaluate_indicator(ind_id, {plan.facts[0]: [True]})
    assert result.indicator.id == ind_id and len(result.trace) == len(plan.nodes)
    assert not plan.memo


def test_scoring_an_office_again_serves_every_constraint_check_from_the_memo(ruleset: Ruleset) -> None:
    rules = _fresh(ruleset)
    raw = _sample().read_bytes()
    evidence = parse_evidence(raw, "office.json", rules)
    first = evaluate(rules, evidence, raw)
    checks = engine(rules).constraints
    assert checks and all(len(plan.memo) == 1 for plan in checks)  # the sample breaks none
    remembered = [next(iter(plan.memo.values())) for plan in checks]
    again = evaluate(rules, evidence, raw)
    assert (again.missing_facts, again.warnings) == (first.missing_facts, first.warnings)
    # Nothing was checked again: the very answers the first scoring kept.
    assert [next(iter(plan.memo.values())) for plan in checks] == remembered
    assert all(len(plan.memo) == 1 for plan in checks)


def test_a_broken_constraint_is_checked_again_and_quotes_each_office_s_own_values(ruleset: Ruleset) -> None:
    """A warning quotes the facts as the office wrote them, and 0 and 0.0 share a memo key: what
    an office breaks is not remembered, so the second office's warning quotes its own 0."""
    rules = _fresh(ruleset)
    quoted = []
    for value in (0.0, 0):
        # The first example Hypothesis found when the memo kept broken checks (test_engine_reference.py).
        facts = {"inovasi.ada": False, "inovasi.waktu_layanan_hari": value}
        evidence = Evidence("office.json", OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021, None), facts)
        result = evaluate(rules, evidence)
        assert result.warnings, value
        quoted.append([v for w in result.warnings for name, _, v in w.facts if name == "inovasi.waktu_layanan_hari"])
    assert [[v.__class__ for v in values] for values in quoted] == [[float], [int]]
    assert all(not plan.memo or all(found[1] is None for found in plan.memo.values()) for plan in engine(rules).constraints)


def test_a_tree_built_at_once_keeps_the_memo_s_rows_for_the_compact_writer(levelisasi: Ruleset) -> None:
    # A count of criteria met builds the result tree at once; its rows are still the very tuples the
    # memo hands out, which the compact writer finds by identity, not one-use copies read off the tree.
    rules = _fresh(levelisasi)
    raw = sorted(LEVELISASI_SAMPLES.glob("*.json"))[0].read_bytes()
    evidence = parse_evidence(raw, "office.json", rules)
    first, again = evaluate(rules, evidence, raw), evaluate(rules, evidence, raw)
    assert all(a is b for a, b in zip(first.indicator_rows(), again.indicator_rows(), strict=True))
    # And they are the rows the tree says.
    assert again.indicator_rows() == [(r.indicator.id, r.level, r.trace) for r in again.indicators()]


def test_one_indicator_evaluated_alone_is_served_by_the_memo_a_whole_office_filled(ruleset: Ruleset) -> None:
    # The whole-office path keys the memo from a copy of the facts, the one-indicator path (explain,
    # rule tests) from the facts themselves: the two keys must be the same tuple, or each would miss the other's.
    rules = _fresh(ruleset)
    raw = _sample().read_bytes()
    evidence = parse_evidence(raw, "office.json", rules)
    rows = evaluate(rules, evidence, raw).indicator_rows()
    eng = engine(rules)
    for ind_id, _, trace in rows:
        assert eng.evaluate_indicator(ind_id, evidence.facts).trace is trace
