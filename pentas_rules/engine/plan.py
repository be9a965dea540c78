"""What to improve, ranked: the fewest fact changes that raise each indicator, and what-if scoring.

Pure and ruleset-agnostic. For every indicator below its highest level, every higher level
is tried with :func:`nextstep.changes_to_reach` (the function ``explain`` uses): the fewest
fact changes that make that level hold. Each option is scored by applying its changes to the
office's facts and scoring the office again, so its gain in the total is exact (a fact
several indicators read moves them all).

The plan is a sequence, not a menu: each step is made on top of the steps before it, its
changes and its gain are what it takes and adds *given those steps* (its ``total`` is the
cumulative total), so the gains add up to the last step's total whatever the aggregation.
That matters where gains do not add: a banded total (criteria met counted into levels), where
one criterion alone moves nothing but the third one lifts the level; two levels of one
indicator, where the higher one reuses the lower one's changes; facts several indicators read.
The order is greedy: next comes the step with the most gain per change given the steps
before (then the larger gain, then fewer changes, then rubric order), so a plateau of a banded total is crossed
by its cheapest criteria first.

An option is left out when it would make a favourable fact unfavourable, judged from the
rules alone: a number leaving the values the indicator's highest level accepts, an enum
moving down its order, a bool turning false, unless the indicator's highest level asks for
exactly that. A ladder is *not cumulative* where a level's condition does not imply the one
below it (reaching the higher level may mean a lower level no longer holds): the plan says so.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..files.record import replace
from ..ruleset.analysis import TooComplex, analyzer_for
from ..ruleset.model import Indicator, Level, Ruleset
from .evaluate import evaluate
from .nextstep import FactChange, _holds, apply_changes, changes_to_reach, plain_number
from .results import IndicatorResult, ScoreResult
from .scoring import band_level

__all__ = ["Option", "Plan", "make_plan", "next_band", "non_cumulative", "rescore", "what_if"]


@dataclass(frozen=True, slots=True)
class Option:
    """One step up: an indicator, the level its changes award, the changes and the exact gain in the total.

    In a plan, ``current``, ``changes`` and ``gain`` are taken after the steps before it, and
    ``after`` is the office scored with this step and every one before it made.
    """

    indicator: Indicator
    current: int
    level: Level
    changes: tuple[FactChange, ...]
    targets: dict[str, Any]  # each changed fact's value to reach (the bracket boundary for a number)
    gain: Fraction
    after: ScoreResult

    @property
    def total(self) -> Fraction:
        """The cumulative total: the office's total once this step and the ones before it are made."""
        return self.after.total

    @property
    def per_change(self) -> Fraction:
        return self.gain / len(self.changes)


@dataclass(frozen=True, slots=True)
class Plan:
    """The steps in order, the total now, and the total reached when every listed step is made."""

    result: ScoreResult
    options: tuple[Option, ...]
    reachable: ScoreResult  # the office scored with every listed change made: the last step's ``after``
    non_cumulative: tuple[str, ...]  # indicator ids whose ladder is not cumulative


def next_band(result: ScoreResult) -> tuple[int, int] | None:
    """Under a banded total: how many more criteria met lift the office's level, and to which level.

    None for a total that is not banded, or when no count above the office's reaches a higher level.
    """
    standing, bands = result.standing, result.ruleset.aggregation.bands
    if standing is None or not bands:
        return None
    now = band_level(bands, standing.met)
    for count in range(standing.met + 1, standing.criteria + 1):
        level = band_level(bands, count)
        if level > now:
            return count - standing.met, level
    return None


def rescore(result: ScoreResult, facts: Mapping[str, Any]) -> ScoreResult:
    """The office scored again with other facts (metadata and notes kept)."""
    evidence = replace(result.evidence, facts=dict(facts))
    return replace(evaluate(result.ruleset, evidence), evidence_sha256=result.evidence_sha256)


def what_if(result: ScoreResult, changes: Mapping[str, Any]) -> ScoreResult:
    """The office scored with some facts set (None: made unknown)."""
    facts = dict(result.evidence.facts)
    for name, value in changes.items():
        if value is None:
            facts.pop(name, None)
        else:
            facts[name] = value
    return rescore(result, facts)


def non_cumulative(ruleset: Ruleset, indicator: Indicator) -> bool:
    """Whether some level's condition does not imply the condition of the level below it.

    Brackets of one fact (level 4 for 70-80 %, level 5 from 80 %) are not counted: there the
    two levels take disjoint values of a fact, so the higher one simply lies beyond the lower.
    Counted is a lower level asking for something the higher one leaves open (level 4 "not yet
    faster", level 5 silent on speed): an office can then meet the higher level and not the lower.
    """
    analyzer = analyzer_for(ruleset.catalogue)
    levels = sorted(indicator.levels, key=lambda lv: lv.value)
    try:
        for lower, upper in zip(levels, levels[1:], strict=False):
            low, high = analyzer.sets(lower.when)[0], analyzer.sets(upper.when)[0]
            if analyzer.covered(high, low):
                continue
            facts = lower.when.facts()
            if not any(not (analyzer.projection(low, f) & analyzer.projection(high, f)) for f in facts):  # type: ignore[operator]  # one fact's domains: both numbers or both sets
                return True
    except TooComplex:
        return False
    return False


def _unfavourable(ruleset: Ruleset, indicator: Indicator, change: FactChange, target: Any) -> bool:
    """Whether making the change would turn a favourable value of a known fact into a worse one."""
    if change.current is None:
        return False  # supplying evidence is never a step back
    analyzer = analyzer_for(ruleset.catalogue)
    top = max(indicator.levels, key=lambda lv: lv.value)
    try:
        accepted = analyzer.projection(analyzer.sets(top.when)[0], change.fact)
    except TooComplex:
        return False
    now_ok, then_ok = _holds(analyzer, change.fact, accepted, change.current), _holds(analyzer, change.fact, accepted, target)
    if now_ok and not then_ok:
        return True
    spec = ruleset.catalogue.facts[change.fact]
    if then_ok and not now_ok:
        return False
    # The highest level does not decide: a bool is favourable when true, an enum higher in its order.
    if spec.type == "bool":
        return change.current is True and target is False
    if spec.type == "enum" and spec.enum is not None:
        return spec.enum.rank(target) < spec.enum.rank(change.current)
    return False


def _step(state: ScoreResult, indicator: Indicator, level: Level) -> Option | None:
    """The fewest changes from ``state`` that make ``level`` hold, scored, or None (reached, out of reach or a step back)."""
    ruleset = state.ruleset
    catalogue = ruleset.catalogue
    ir = state.indicator(indicator.id)
    if ir is None or level.value <= ir.level:
        return None
    changes = changes_to_reach(catalogue, level.when, ir.facts)
    if not changes:
        return None
    after = apply_changes(catalogue, ir.facts, changes)
    targets = {c.fact: plain_number(after[c.fact]) for c in changes}
    if any(_unfavourable(ruleset, indicator, c, targets[c.fact]) for c in changes):
        return None
    changed = rescore(state, {**state.evidence.facts, **targets})
    # The level these changes award: a higher one too when its condition comes with them.
    awarded = changed.indicator(indicator.id)
    reached = next(lv for lv in indicator.levels if awarded is not None and lv.value == awarded.level)
    return Option(indicator, ir.level, reached, changes, targets, changed.total - state.total, changed)


def _options(result: ScoreResult, ir: IndicatorResult) -> list[Option]:
    """Every higher level of one indicator the office can reach from where it stands, once per level awarded."""
    out: list[Option] = []
    seen: set[int] = set()
    for level in sorted(ir.indicator.levels, key=lambda lv: lv.value):
        option = _step(result, ir.indicator, level)
        if option is not None and option.level.value not in seen:
            seen.add(option.level.value)
            out.append(option)
    return out


def make_plan(result: ScoreResult, top: int | None = None) -> Plan:
    """The steps up in greedy order (most gain per change given the steps before), the first ``top`` kept.

    Lazy greedy: each candidate waits under the key it had when last scored; the best one is
    scored again against the steps made so far and taken if it still beats every other
    candidate's key, else it waits under its new key. Gains rarely grow as steps are made
    (each step uses up what others would have added), so the keys seldom mislead, and only
    the candidates near the top are scored again, not all of them at every step.
    """
    order = {ir.indicator.id: n for n, ir in enumerate(result.indicators())}

    def key(o: Option) -> tuple[Fraction, Fraction, int, int, int]:
        # Equally efficient: the bigger step first (going 3 -> 5 at once rather than 3 -> 4 and then
        # changing the same fact again), then the cheaper one (a banded plateau: fewest changes).
        return (-o.per_change, -o.gain, len(o.changes), order[o.indicator.id], o.level.value)

    # Each candidate: its key, when it was scored (the number of steps made), the level it aims at.
    heap = [(key(o), 0, o) for ir in result.indicators() if ir.higher_levels for o in _options(result, ir)]
    heapq.heapify(heap)
    steps: list[Option] = []
    state = result
    while heap and (top is None or len(steps) < top):
        _, scored_at, option = heapq.heappop(heap)
        if scored_at != len(steps):
            fresh = _step(state, option.indicator, option.level)
            if fresh is None:
                continue
            if heap and key(fresh) > heap[0][0]:
                heapq.heappush(heap, (key(fresh), len(steps), fresh))
                continue
            option = fresh
        steps.append(option)
        state = option.after
    kept = tuple(steps)
    ladders = tuple(sorted({o.indicator.id for o in kept if non_cumulative(result.ruleset, o.indicator)}, key=order.__getitem__))
    return Plan(result, kept, state, ladders)
