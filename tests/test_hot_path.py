"""The engine's cheaper paths for a batch make the same objects and numbers as the plain ones.

A batch builds 31 indicator results an office and asks the indicator policy 31 times; the
engine builds them with :meth:`IndicatorResult.made` and remembers the policy's answer per
combination of level outcomes. These tests hold both to what the ordinary constructor and
the policy give (speed itself is measured in ``benchmarks/``, not here).
"""

from __future__ import annotations

import pytest

from pentas_rules.engine.evaluate import engine
from pentas_rules.engine.results import IndicatorResult
from pentas_rules.files.record import replace
from pentas_rules.ruleset.model import Ruleset


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
        made.level = 3  # type: ignore[misc]  # frozen: the point of the test
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
