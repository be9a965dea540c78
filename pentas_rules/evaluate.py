"""Evaluate evidence against a ruleset: pure, no I/O, three-valued, fully traced.

Each condition is compiled once per ruleset into a closure that reads the facts
and returns its :class:`ConditionResult`; the loader has already checked names
and types, so evaluation cannot fail. A fact absent from the evidence is
*unknown*: ``all`` is false if any part is false, else unknown if any part is
unknown; ``any`` is true if any part is true, else unknown if any part is
unknown; ``not`` keeps unknown. A level whose condition is unknown is not awarded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from .evidence import Evidence
from .model import AllOf, AnyOf, Catalogue, Compare, Condition, Lookup, Not, Ruleset
from .operators import OPERATORS
from .results import AspectResult, ConditionResult, IndicatorResult, LevelResult, ScoreResult
from .scoring import aspect_score, indicator_level, total_score

__all__ = ["compile_condition", "evaluate", "evaluate_indicator"]

Facts = dict[str, Any]
Compiled = Callable[[Facts], ConditionResult]


def _ranker(catalogue: Catalogue, fact: str) -> Callable[[Any], Any]:
    """Enum values compare by their declared order; other values as they are."""
    spec = catalogue.facts[fact]
    if spec.type == "enum" and spec.enum is not None:
        ranks = {value: i for i, value in enumerate(spec.enum.values)}
        return ranks.__getitem__
    return lambda value: value


def _convert(rank: Callable[[Any], Any], value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(rank(v) for v in value)
    return rank(value)


def _lookup_value(lookup: Lookup, key_value: Any) -> Any:
    for band in lookup.bands:
        if OPERATORS[band.op](key_value, band.value):
            return band.result
    return None


def _compile_compare(c: Compare, catalogue: Catalogue) -> Compiled:
    fn = OPERATORS[c.op]
    name = c.fact
    rank = _ranker(catalogue, name)
    if c.other_fact is not None:
        other = c.other_fact

        def compare_facts(facts: Facts) -> ConditionResult:
            actual, expected = facts.get(name), facts.get(other)
            missing = tuple(n for n, v in ((name, actual), (other, expected)) if v is None)
            if missing:
                return ConditionResult(c, None, actual, expected, missing=missing)
            return ConditionResult(c, fn(rank(actual), rank(expected)), actual, expected)

        return compare_facts
    if c.lookup is not None:
        lookup = c.lookup
        key = lookup.key

        def compare_lookup(facts: Facts) -> ConditionResult:
            actual, key_value = facts.get(name), facts.get(key)
            missing = tuple(n for n, v in ((name, actual), (key, key_value)) if v is None)
            threshold = _lookup_value(lookup, key_value) if key_value is not None else None
            if missing or threshold is None:
                return ConditionResult(c, None, actual, threshold, key_value, missing)
            return ConditionResult(c, fn(actual, threshold), actual, threshold, key_value)

        return compare_lookup
    expected = c.value
    converted = _convert(rank, expected)

    def compare_value(facts: Facts) -> ConditionResult:
        actual = facts.get(name)
        if actual is None:
            return ConditionResult(c, None, None, expected, missing=(name,))
        return ConditionResult(c, fn(rank(actual), converted), actual, expected)

    return compare_value


def compile_condition(condition: Condition, catalogue: Catalogue) -> Compiled:
    """Turn a condition tree into one closure returning its traced result."""
    if isinstance(condition, Compare):
        return _compile_compare(condition, catalogue)
    if isinstance(condition, Not):
        inner = compile_condition(condition.child, catalogue)

        def negate(facts: Facts) -> ConditionResult:
            child = inner(facts)
            outcome = None if child.outcome is None else not child.outcome
            return ConditionResult(condition, outcome, children=(child,))

        return negate
    parts = tuple(compile_condition(child, catalogue) for child in condition.children)  # type: ignore[attr-defined]
    if isinstance(condition, AllOf):

        def all_of(facts: Facts) -> ConditionResult:
            children = tuple(part(facts) for part in parts)
            outcomes = [child.outcome for child in children]
            outcome = False if False in outcomes else (None if None in outcomes else True)
            return ConditionResult(condition, outcome, children=children)

        return all_of
    assert isinstance(condition, AnyOf)

    def any_of(facts: Facts) -> ConditionResult:
        children = tuple(part(facts) for part in parts)
        outcomes = [child.outcome for child in children]
        outcome = True if True in outcomes else (None if None in outcomes else False)
        return ConditionResult(condition, outcome, children=children)

    return any_of


class _Compiled:
    """A ruleset's conditions compiled once: indicator id -> [(level, closure)]."""

    __slots__ = ("levels",)

    def __init__(self, ruleset: Ruleset) -> None:
        catalogue = ruleset.catalogue
        self.levels = {
            ind_id: tuple((level, compile_condition(level.when, catalogue)) for level in indicator.levels)
            for ind_id, indicator in ruleset.indicators.items()
        }


_cache: dict[int, tuple[Ruleset, _Compiled]] = {}


def _compiled(ruleset: Ruleset) -> _Compiled:
    hit = _cache.get(id(ruleset))
    if hit is None or hit[0] is not ruleset:
        if len(_cache) > 16:
            _cache.clear()
        hit = (ruleset, _Compiled(ruleset))
        _cache[id(ruleset)] = hit
    return hit[1]


def evaluate_indicator(ruleset: Ruleset, indicator_id: str, facts: Facts) -> IndicatorResult:
    """Evaluate one indicator on a plain fact mapping (used by rule tests and explain)."""
    return _indicator(ruleset, indicator_id, facts, _compiled(ruleset))


def _indicator(ruleset: Ruleset, indicator_id: str, facts: Facts, compiled: _Compiled) -> IndicatorResult:
    indicator = ruleset.indicators[indicator_id]
    levels = tuple(LevelResult(level, result.outcome, result) for level, result in ((lv, run(facts)) for lv, run in compiled.levels[indicator_id]))
    awarded = indicator_level(ruleset.aggregation, [(r.level.value, r.outcome) for r in levels])
    determined = all(r.outcome is not None for r in levels if r.level.value > awarded)
    missing = tuple(f for f in indicator.facts() if f not in facts)
    return IndicatorResult(indicator, awarded, levels, missing, determined)


def evaluate(ruleset: Ruleset, evidence: Evidence, raw: bytes | None = None) -> ScoreResult:
    """Score one office: every indicator, every aspect, the total, and what is missing."""
    compiled = _compiled(ruleset)
    facts = evidence.facts
    aspects = []
    parts = []
    for aspect in ruleset.aspects:
        results = tuple(_indicator(ruleset, ind_id, facts, compiled) for ind_id in aspect.indicator_ids)
        mean = aspect_score(ruleset.aggregation, [r.level for r in results])
        aspects.append((aspect, results, mean))
        parts.append((aspect, mean))
    contributions = total_score(ruleset.aggregation, parts)
    aspect_results = tuple(
        AspectResult(aspect, results, mean, contribution) for (aspect, results, mean), contribution in zip(aspects, contributions)
    )
    present = [f for f in ruleset.rule_facts if f in facts]
    missing = tuple(f for f in ruleset.rule_facts if f not in facts)
    completeness = Fraction(len(present), len(ruleset.rule_facts)) if ruleset.rule_facts else Fraction(1)
    return ScoreResult(
        ruleset=ruleset,
        evidence=evidence,
        aspects=aspect_results,
        total=sum(contributions, Fraction(0)),
        missing_facts=missing,
        completeness=completeness,
        evidence_sha256=hashlib.sha256(raw).hexdigest() if raw is not None else "",
    )
