"""The engine's cheaper paths for a batch make the same objects and numbers as the plain ones.

A batch asks the indicator policy 31 times an office; the engine remembers its answer per
combination of level outcomes, builds indicator results with :meth:`IndicatorResult.made`,
and builds a result's tree of aspect and indicator results only when it is read. These tests
hold all three to what the policy and the ordinary constructors give (speed itself is
measured in ``benchmarks/``, not here).
"""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from pentas_rules.engine.compact import compact_line
from pentas_rules.engine.evaluate import engine, evaluate
from pentas_rules.engine.results import IndicatorResult, ScoreResult, to_json_bytes
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.files.record import field_names, replace
from pentas_rules.ruleset.model import Ruleset

from .conftest import LEVELISASI_SAMPLES, SAMPLES, is_pentas_sample


def test_a_result_the_engine_makes_is_the_one_the_constructor_makes(ruleset: Ruleset) -> None:
    eng = engine(ruleset)
    facts = {name: True for name in ruleset.catalogue.facts if ruleset.catalogue.facts[name].type == "bool"}
    for ind_id, plan in eng.plans.items():
        made = eng.evaluate_indicator(ind_id, facts)
        built = IndicatorResult(made.indicator, made.level, made.trace, made.plan, made.facts, made.inapplicable)
        assert type(made) is IndicatorResult
        assert made == built and hash(made) == hash(built) and repr(made) == repr(built)
        assert made.to_dict() == built.to_dict()  # opens every level: the memo is made on first use
        assert made.override is None and made.inapplicable == frozenset()
        assert made.level_result(plan.values[-1]) is made.level_result(plan.values[-1])  # opened once, then remembered
        assert replace(made, level=9).level == 9 and replace(made, level=9).plan is plan


def test_the_engine_constructor_leaves_a_result_frozen(ruleset: Ruleset) -> None:
    made = IndicatorResult.made(*(None, 2, (True,), None, {}, frozenset()))  # type: ignore[arg-type]  # any value stands in for the indicator and plan
    with pytest.raises(AttributeError):
        made.level = 3
    assert (made.level, made.trace, made.facts, made.override) == (2, (True,), {}, None)


def test_the_level_remembered_per_outcome_combination_is_the_policys(ruleset: Ruleset) -> None:
    eng = engine(ruleset)
    catalogue = ruleset.catalogue
    bools = [name for name, spec in catalogue.facts.items() if spec.type == "bool"]
    # Every bool fact true, false, absent, then alternating: offices whose indicators meet different levels.
    for facts in ({n: True for n in bools}, {n: False for n in bools}, {}, {n: i % 2 == 0 for i, n in enumerate(bools)}):
        for ind_id in eng.plans:
            result = eng.evaluate_indicator(ind_id, facts)
            assert result.level == eng.choose(result.plan.values, result.outcomes)
    remembered = [(plan, outcomes, level) for plan in eng.plans.values() for outcomes, level in plan.awarded.items()]
    assert len(remembered) > len(eng.plans)  # several combinations met per indicator
    for plan, outcomes, level in remembered:
        assert level == eng.choose(plan.values, outcomes)


def _pentas_samples() -> list[Path]:
    return [p for p in sorted(SAMPLES.glob("*.json")) if is_pentas_sample(p)]


def _scored(path: Path, rules: Ruleset) -> ScoreResult:
    raw = path.read_bytes()
    return evaluate(rules, parse_evidence(raw, path.name, rules), raw)


def _built_at_once(result: ScoreResult) -> ScoreResult:
    """The same result with its tree passed to the constructor, as any result was built before."""
    return ScoreResult(*(getattr(result, name) for name in field_names(result)))


def test_a_batch_result_builds_its_tree_only_when_read_and_then_equals_one_built_at_once(ruleset: Ruleset) -> None:
    for path in _pentas_samples():
        result = _scored(path, ruleset)
        rows = result.indicator_rows()
        assert result._aspects is None  # a compact record reads the rows, not the tree
        assert compact_line(result) and result._aspects is None
        built = _built_at_once(result)  # reads .aspects: built now
        assert result._aspects is not None and result.aspects is result.aspects
        assert rows == built.indicator_rows() == [(ir.indicator.id, ir.level, ir.trace) for a in result.aspects for ir in a.indicators]
        assert result == built and hash(result) == hash(built) and repr(result) == repr(built)
        assert to_json_bytes(result) == to_json_bytes(built)
        assert replace(result, evidence_sha256="x").aspects == result.aspects


def test_the_tree_is_built_at_once_where_the_total_or_overrides_need_it(ruleset: Ruleset, levelisasi: Ruleset) -> None:
    counted = _scored(next(p for p in sorted(LEVELISASI_SAMPLES.glob("*.json"))), levelisasi)  # a count of criteria met reads the results
    assert counted._aspects is not None
    doc = json.loads((SAMPLES / "kota-madiun.json").read_text(encoding="utf-8"))
    doc["overrides"] = [{"indicator": "I05", "level": 4, "reason": "Rambu dilepas", "assessor": "Budi", "date": "2021-06-15"}]
    raw = json.dumps(doc).encode("utf-8")
    overridden = evaluate(ruleset, parse_evidence(raw, "office.json", ruleset), raw)
    assert overridden._aspects is not None and overridden.final_total is not None


def test_a_result_whose_tree_waits_is_still_frozen(ruleset: Ruleset) -> None:
    result = _scored(_pentas_samples()[0], ruleset)
    with pytest.raises(FrozenInstanceError):
        result.aspects = ()
    assert result._aspects is None and len(result.aspects) == len(ruleset.aspects)
