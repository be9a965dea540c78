"""A reference evaluator: plain, recursive, obviously right, and slow.

Written from the README's "How a score is computed", not from the engine: no
compilation, no trace list, no shortcuts. ``tests/test_engine_reference.py``
holds the compiled engine equal to it, outcome for outcome.

- A comparison is unknown when a value it needs is unknown (the fact, the other
  fact, the lookup's key, or a key no band covers); enum values compare by their
  declared order.
- ``all`` is false if any part is false, else unknown if any part is unknown;
  ``any`` is true if any part is true, else unknown if any part is unknown;
  ``not`` keeps unknown.
- An indicator gets the highest level whose condition holds, 0 when none does;
  it is determined when no level above that one is unknown.
- Aspect score = mean of its indicators' levels; contribution = mean / max level
  x weight; total = their sum; all exact fractions.
- A constraint whose ``then`` is false makes the facts of its ``if`` side not
  missing (they describe something that does not exist); it is broken when,
  besides, its ``if`` holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pentas_rules.ruleset.model import AllOf, AnyOf, Compare, Condition, Not, Ruleset


def _holds(op: str, a: Any, b: Any) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    if op == "between":
        return b[0] <= a <= b[1]
    if op == "in":
        return a in b
    raise AssertionError(f"unknown operator {op}")


def _looked_up(compare: Compare, key: Any) -> Any:
    for band in compare.lookup.bands:
        if _holds(band.op, key, band.value):
            return band.result
    return None


def comparison(ruleset: Ruleset, c: Compare, facts: dict[str, Any]) -> bool | None:
    actual = facts.get(c.fact)
    if c.other_fact is not None:
        expected = facts.get(c.other_fact)
    elif c.lookup is not None:
        key = facts.get(c.lookup.key)
        expected = None if key is None else _looked_up(c, key)
    else:
        expected = c.value
    if actual is None or expected is None:
        return None
    spec = ruleset.catalogue.facts[c.fact]
    if spec.type == "enum":
        order = list(spec.enum.values)
        actual = order.index(actual)
        expected = tuple(order.index(v) for v in expected) if isinstance(expected, tuple) else order.index(expected)
    return _holds(c.op, actual, expected)


def condition(ruleset: Ruleset, c: Condition, facts: dict[str, Any], seen: dict[str, bool | None]) -> bool | None:
    """The outcome of ``c``; every node's outcome is recorded in ``seen`` by its path."""
    if isinstance(c, Compare):
        outcome = comparison(ruleset, c, facts)
    elif isinstance(c, Not):
        inner = condition(ruleset, c.child, facts, seen)
        outcome = None if inner is None else not inner
    elif isinstance(c, AllOf):
        parts = [condition(ruleset, child, facts, seen) for child in c.children]
        outcome = False if False in parts else None if None in parts else True
    elif isinstance(c, AnyOf):
        parts = [condition(ruleset, child, facts, seen) for child in c.children]
        outcome = True if True in parts else None if None in parts else False
    else:
        raise AssertionError(f"unknown condition {c!r}")
    seen[c.path] = outcome
    return outcome


@dataclass
class IndicatorOutcome:
    levels: dict[int, bool | None]  # level value -> outcome
    nodes: dict[tuple[int, str], bool | None]  # (level value, node path) -> outcome
    level: int
    determined: bool


@dataclass
class Outcome:
    indicators: dict[str, IndicatorOutcome]
    means: dict[str, Fraction]  # aspect id -> mean level
    contributions: dict[str, Fraction]
    total: Fraction


def score(ruleset: Ruleset, facts: dict[str, Any]) -> Outcome:
    agg = ruleset.aggregation
    assert (agg.indicator, agg.aspect, agg.total) == ("highest_satisfied_level", "mean_of_levels", "weighted_sum")
    indicators = {}
    for ind_id, indicator in ruleset.indicators.items():
        levels: dict[int, bool | None] = {}
        nodes: dict[tuple[int, str], bool | None] = {}
        for level in indicator.levels:
            seen: dict[str, bool | None] = {}
            levels[level.value] = condition(ruleset, level.when, facts, seen)
            nodes.update({(level.value, path): o for path, o in seen.items()})
        awarded = max([value for value, o in levels.items() if o is True], default=0)
        determined = all(o is not None for value, o in levels.items() if value > awarded)
        indicators[ind_id] = IndicatorOutcome(levels, nodes, awarded, determined)
    means, contributions = {}, {}
    for aspect in ruleset.aspects:
        total_levels = sum(indicators[i].level for i in aspect.indicator_ids)
        means[aspect.id] = Fraction(total_levels, len(aspect.indicator_ids))
        contributions[aspect.id] = means[aspect.id] / agg.max_level * Fraction(str(aspect.weight))
    return Outcome(indicators, means, contributions, sum(contributions.values(), Fraction(0)))


def constraints(ruleset: Ruleset, facts: dict[str, Any]) -> tuple[list[str], set[str]]:
    """Each broken constraint's id, in ruleset order, and the facts the constraints make not missing."""
    broken, inapplicable = [], set()
    for c in ruleset.constraints:
        if condition(ruleset, c.then, facts, {}) is False:
            inapplicable.update(c.when.facts())
            if condition(ruleset, c.when, facts, {}) is True:
                broken.append(c.id)
    return broken, inapplicable


def missing(ruleset: Ruleset, facts: dict[str, Any]) -> list[str]:
    """The rule facts absent from ``facts`` that no constraint makes not missing, in the rules' order."""
    _, inapplicable = constraints(ruleset, facts)
    return [name for name in ruleset.rule_facts if name not in facts and name not in inapplicable]
