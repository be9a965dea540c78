"""What to improve, ranked: the fewest fact changes that raise each indicator, and what-if scoring.

Pure and ruleset-agnostic. For every indicator below its highest level, every higher level
is tried with :func:`nextstep.changes_to_reach` (the function ``explain`` uses): the fewest
fact changes that make that level hold. Each option is scored by applying its changes to the
office's facts and scoring the office again, so its gain in the total is exact (a fact
several indicators read moves them all). Options are ranked by gain per change.

An option is left out when it would make a favourable fact unfavourable, judged from the
rules alone: a number leaving the values the indicator's highest level accepts, an enum
moving down its order, a bool turning false, unless the indicator's highest level asks for
exactly that. A ladder is *not cumulative* where a level's condition does not imply the one
below it (reaching the higher level may mean a lower level no longer holds): the plan says so.
"""

from __future__ import annotations

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

__all__ = ["Option", "Plan", "make_plan", "non_cumulative", "rescore", "what_if"]


@dataclass(frozen=True, slots=True)
class Option:
    """One way up: an indicator, the level its changes award, the changes and the exact gain in the total."""

    indicator: Indicator
    current: int
    level: Level
    changes: tuple[FactChange, ...]
    targets: dict[str, Any]  # each changed fact's value to reach (the bracket boundary for a number)
    gain: Fraction

    @property
    def per_change(self) -> Fraction:
        return self.gain / len(self.changes)


@dataclass(frozen=True, slots=True)
class Plan:
    """The ranked options, the total now, and the total reached when every listed option is made."""

    result: ScoreResult
    options: tuple[Option, ...]
    reachable: ScoreResult  # the office scored with every listed change made
    non_cumulative: tuple[str, ...]  # indicator ids whose ladder is not cumulative


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


def _options(result: ScoreResult, ir: IndicatorResult) -> list[Option]:
    ruleset = result.ruleset
    catalogue = ruleset.catalogue
    out: list[Option] = []
    seen: set[int] = set()
    for level in sorted(ir.indicator.levels, key=lambda lv: lv.value):
        if level.value <= ir.level:
            continue
        changes = changes_to_reach(catalogue, level.when, ir.facts)
        if not changes:
            continue
        after = apply_changes(catalogue, ir.facts, changes)
        targets = {c.fact: plain_number(after[c.fact]) for c in changes}
        if any(_unfavourable(ruleset, ir.indicator, c, targets[c.fact]) for c in changes):
            continue
        changed = rescore(result, {**result.evidence.facts, **targets})
        # The level these changes award: a higher one too when its condition comes with them.
        awarded = changed.indicator(ir.indicator.id)
        reached = next(lv for lv in ir.indicator.levels if awarded is not None and lv.value == awarded.level)
        if reached.value not in seen:
            seen.add(reached.value)
            out.append(Option(ir.indicator, ir.level, reached, changes, targets, changed.total - result.total))
    return out


def make_plan(result: ScoreResult, top: int | None = None) -> Plan:
    """Every option up, ranked by gain per change (then fewer changes, then rubric order), the first ``top`` kept."""
    order = {ir.indicator.id: n for n, ir in enumerate(result.indicators())}
    options = [o for ir in result.indicators() if ir.higher_levels for o in _options(result, ir)]
    options.sort(key=lambda o: (-o.per_change, len(o.changes), order[o.indicator.id], o.level.value))
    kept = tuple(options[:top] if top is not None else options)
    # Every listed change made: per indicator the highest level listed (its changes aim highest).
    best: dict[str, Option] = {}
    for option in kept:
        if option.indicator.id not in best or option.level.value > best[option.indicator.id].level.value:
            best[option.indicator.id] = option
    facts = dict(result.evidence.facts)
    for option in sorted(best.values(), key=lambda o: order[o.indicator.id]):
        facts.update(option.targets)
    reachable = rescore(result, facts)
    ladders = tuple(sorted({o.indicator.id for o in kept if non_cumulative(result.ruleset, o.indicator)}, key=order.__getitem__))
    return Plan(result, kept, reachable, ladders)
