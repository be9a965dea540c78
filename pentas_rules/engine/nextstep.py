"""The next step up: the fewest fact changes that make a higher level of an indicator hold.

Pure and ruleset-agnostic: it reasons over a level's condition tree (all / any /
not over comparisons, lookups included) with the exact set algebra of
:mod:`pentas_rules.ruleset.analysis`, and over one office's facts.

A level's *true set* is a union of boxes; a box fixes, for some facts, the set of
values they must take, and leaves the others free. Reaching the level through one
box costs one change per fact the box constrains whose current value is unknown
or outside the allowed set (an unknown fact is one change: evidence to supply).
``all`` already intersects the requirements of one fact met in several
comparisons and drops the infeasible combinations; ``any`` gives one box per
alternative; ``not`` is pushed down by swapping true and false sets. The fewest
changes to reach a level is the cheapest box, which is exact because a box is a
product of per-fact sets.

Two choices are the engine's, not the rubric's:

* A lookup's key (e.g. the population that picks a service-time limit) chooses the
  threshold; when it is known, the advice keeps it as it is and never suggests
  changing it. When it is unknown, supplying it is one change.
* A comparison of two facts (``a > b``) is satisfied by changing one of them
  against the other's current value, the first in name order when both would do.

:func:`next_step` picks, among the levels above the current one, the level that
needs the fewest changes; a tie goes to the higher level. With that tie rule,
applying the changes awards exactly the level named: any higher level those
changes also reached would cost no more, and would have been chosen instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from ..files.record import Record
from ..ruleset.analysis import Analyzer, Box, Domain, NumberSet, TooComplex, analyzer_for
from ..ruleset.model import Catalogue, Condition, Indicator, Level

__all__ = ["FactChange", "NextStep", "apply_changes", "changes_to_reach", "next_step", "plain_number"]

Allowed = NumberSet | frozenset[Any]

# A relation between two facts, as the operator that makes ``a op b`` hold.
_REL_OP = {"<": "<", "=": "==", ">": ">"}
_MIRROR = {"<": ">", ">": "<", "=": "="}


class FactChange(Record):
    """One fact that must change (or be supplied) for a level to hold.

    ``allowed`` is the set of values that will do: a :class:`NumberSet` for a number
    or integer fact, a frozenset of ``True``/``False`` for a bool, a frozenset of
    value names for an enum. ``relation`` is set only when the fact must also stand
    in a relation to another fact that is itself unknown or changing:
    ``(op, other_fact)`` meaning ``fact op other_fact``.
    """

    __slots__ = ("fact", "current", "allowed", "relation")
    fact: str
    current: Any  # None when the evidence does not give the fact
    allowed: Allowed
    relation: tuple[str, str] | None

    def __init__(self, fact: str, current: Any, allowed: Allowed, relation: tuple[str, str] | None = None) -> None:
        self._fill(fact, current, allowed, relation)

    @property
    def unknown(self) -> bool:
        return self.current is None

    def example(self, catalogue: Catalogue) -> Any:
        """A value that satisfies the requirement, as close to the current one as possible.

        For a number this is the bracket boundary when the current value is outside
        it (or a value just inside an open end), so a plan can say what to reach.
        """
        spec = catalogue.facts[self.fact]
        if isinstance(self.allowed, frozenset):
            if spec.type == "enum" and spec.enum is not None:
                order = list(spec.enum.values)
                here = order.index(self.current) if self.current is not None else 0
                return min(self.allowed, key=lambda v: (abs(order.index(v) - here), order.index(v)))
            if self.current is not None and self.current not in self.allowed:
                return not self.current
            return min(self.allowed) if self.current is None else self.current
        return _nearest(self.allowed, self.current, spec.type == "integer")


class NextStep(Record):
    """The level to aim for next and exactly the fact changes that reach it."""

    __slots__ = ("level", "changes")
    level: Level
    changes: tuple[FactChange, ...]

    def __init__(self, level: Level, changes: tuple[FactChange, ...]) -> None:
        self._fill(level, changes)

    @property
    def value(self) -> int:
        return self.level.value


def _lookup_keys(condition: Condition) -> frozenset[str]:
    return frozenset(leaf.lookup.key for leaf in condition.comparisons() if leaf.lookup is not None)


def changes_to_reach(catalogue: Catalogue, condition: Condition, facts: Mapping[str, Any]) -> tuple[FactChange, ...] | None:
    """A smallest set of fact changes that makes ``condition`` hold, or None if none can.

    The changes are listed in the order the condition first reads their facts; an
    empty tuple means the condition already holds. Among equally small sets the
    first alternative as written wins. A condition too large to expand exactly
    (more boxes than the analyzer's limit) gives None rather than a guess.
    """
    analyzer = analyzer_for(catalogue)
    try:
        true, _ = analyzer.sets(condition)
    except TooComplex:
        return None
    fixed = _lookup_keys(condition)
    best: dict[str, FactChange] | None = None
    for box in true:
        changes = _box_changes(analyzer, box, facts, fixed)
        if changes is not None and (best is None or len(changes) < len(best)):
            best = changes
            if not best:
                break
    if best is None:
        return None
    order = {name: i for i, name in enumerate(condition.facts())}
    return tuple(sorted(best.values(), key=lambda change: order.get(change.fact, len(order))))


def next_step(catalogue: Catalogue, indicator: Indicator, current: int, facts: Mapping[str, Any]) -> NextStep | None:
    """Among the levels above ``current``, the one the fewest changes reach (a tie: the higher), or None.

    None when ``current`` is the highest level or no higher level can be made to hold.
    """
    best: NextStep | None = None
    for level in indicator.levels:
        if level.value <= current:
            continue
        changes = changes_to_reach(catalogue, level.when, facts)
        # Levels ascend, so "<=" lets a later (higher) level win a tie.
        if changes is not None and (best is None or len(changes) <= len(best.changes)):
            best = NextStep(level, changes)
    return best


def apply_changes(catalogue: Catalogue, facts: Mapping[str, Any], changes: tuple[FactChange, ...]) -> dict[str, Any]:
    """The facts with every change made, each to its example value: what the office would report afterwards.

    A change tied to another fact (``relation``) is made last, against the other's new value.
    """
    out = dict(facts)
    for change in changes:
        if change.relation is None:
            out[change.fact] = change.example(catalogue)
    analyzer = analyzer_for(catalogue)
    for change in changes:
        if change.relation is not None:
            op, other = change.relation
            allowed = change.allowed
            if isinstance(allowed, NumberSet) and out.get(other) is not None:
                partner = next((c for c in changes if c.fact == other), None)
                ends = _ends(partner.allowed) if partner is not None and isinstance(partner.allowed, NumberSet) else ()
                # The other fact's own example may leave no room (a < b with b at its lowest):
                # then it takes the end of its range that does.
                for value in (out[other], *(end for end in ends if isinstance(end, Fraction))):
                    value = plain_number(value)
                    room = allowed & analyzer.satisfying(change.fact, op, value)  # type: ignore[operator]  # one fact's domains: both numbers or both sets
                    if room:
                        out[other], allowed = value, room
                        break
            out[change.fact] = FactChange(change.fact, change.current, allowed).example(catalogue)
    return out


def _holds(analyzer: Analyzer, var: str, domain: Domain, value: Any) -> bool:
    if isinstance(domain, NumberSet):
        return bool(NumberSet.of(value, True, value, True) & domain)
    return analyzer._rank(var, value) in domain


def _related(analyzer: Analyzer, var: str, relations: frozenset[str], other_value: Any, mirrored: bool) -> Domain:
    """The values of ``var`` that stand in one of ``relations`` to the other fact's value."""
    universe = analyzer.universe(var)
    out: Domain = NumberSet([], getattr(universe, "integer", False)) if isinstance(universe, NumberSet) else frozenset()
    for rel in relations:
        out = out | analyzer.satisfying(var, _REL_OP[_MIRROR[rel] if mirrored else rel], other_value)  # type: ignore[operator]  # one fact's domains: both numbers or both sets
    return out


def _box_changes(analyzer: Analyzer, box: Box, facts: Mapping[str, Any], fixed: frozenset[str]) -> dict[str, FactChange] | None:
    """The changes that bring the facts into ``box``, or None when the box needs a fixed fact changed."""
    need: dict[str, Domain] = {}
    relations: dict[str, tuple[str, str]] = {}
    for var, domain in box.items():
        if "~" in var:
            continue
        value = facts.get(var)
        if value is not None and _holds(analyzer, var, domain, value):
            continue
        if value is not None and var in fixed:
            return None
        need[var] = domain
    for var, rels in box.items():
        if "~" not in var:
            continue
        a, b = var.split("~", 1)
        assert isinstance(rels, frozenset)
        if not _relate(analyzer, a, b, rels, box, facts, fixed, need, relations):
            return None
    return {var: FactChange(var, facts.get(var), _named(analyzer, var, domain), relations.get(var)) for var, domain in need.items()}


def _relate(
    analyzer: Analyzer,
    a: str,
    b: str,
    rels: frozenset[str],
    box: Box,
    facts: Mapping[str, Any],
    fixed: frozenset[str],
    need: dict[str, Domain],
    relations: dict[str, tuple[str, str]],
) -> bool:
    """Make ``a rel b`` hold for one of ``rels`` with the fewest extra changes, adding them to ``need``.

    A side already changing or unknown is free; otherwise changing no side is tried
    first, then one side (``a`` before ``b``), then both. False when nothing works.
    """
    kept = {var: facts.get(var) for var in (a, b) if var not in need and facts.get(var) is not None}
    movable = [var for var in (a, b) if var in kept and var not in fixed]
    options = [()] + [(var,) for var in movable] + ([tuple(movable)] if len(movable) == 2 else [])
    for extra in options:
        values = {var: value for var, value in kept.items() if var not in extra}
        base = {var: need.get(var, box.get(var, analyzer.universe(var))) for var in (a, b)}
        if a in values and b in values:
            if _relation(analyzer, a, values[a], values[b]) in rels:
                return True
            continue
        if (a in values) != (b in values):
            # One side keeps its value; the other must stand in the relation to it.
            free, held, mirrored = (b, a, True) if a in values else (a, b, False)
            allowed = base[free] & _related(analyzer, free, rels, values[held], mirrored)  # type: ignore[operator]  # one fact's domains: both numbers or both sets
            if allowed:
                need[free] = allowed
                return True
            continue
        if _can_relate(base[a], base[b], rels):
            need[a], need[b] = base[a], base[b]
            ops = tuple(sorted(rels))
            relations[a] = ({("<",): "<", ("=",): "==", (">",): ">", ("<", "="): "<=", ("=", ">"): ">="}.get(ops, "!="), b)
            return True
    return False


def _ends(domain: Domain) -> tuple[Any, Any]:
    if isinstance(domain, NumberSet):
        return domain.low, domain.high
    return min(domain), max(domain)


def _can_relate(da: Domain, db: Domain, rels: frozenset[str]) -> bool:
    """Whether some value of ``da`` and some of ``db`` stand in one of ``rels`` (both sets non-empty).

    Open ends are treated as reached, which is exact for the closed sets rules produce
    and can only wrongly accept a strict relation across two touching open ends.
    """
    if not da or not db:
        return False
    (lo_a, hi_a), (lo_b, hi_b) = _ends(da), _ends(db)
    return ("<" in rels and lo_a < hi_b) or (">" in rels and hi_a > lo_b) or ("=" in rels and bool(da & db))  # type: ignore[operator]  # one fact's domains: both numbers or both sets


def _relation(analyzer: Analyzer, a: str, va: Any, vb: Any) -> str:
    ra, rb = analyzer._rank(a, va), analyzer._rank(a, vb)
    return "<" if ra < rb else ("=" if ra == rb else ">")


def _named(analyzer: Analyzer, var: str, domain: Domain) -> Allowed:
    """Enum ranks back to value names, so a change reads in the evidence's own terms."""
    spec = analyzer.catalogue.facts[var]
    if spec.type == "enum" and spec.enum is not None and isinstance(domain, frozenset):
        return frozenset(spec.enum.values[r] for r in domain)
    return domain


def _nearest(allowed: NumberSet, current: Any, integer: bool) -> Any:
    """The number of ``allowed`` nearest to ``current`` (its lowest number when current is unknown)."""
    best: Fraction | None = None
    here = Fraction(current) if current is not None else None
    for part in allowed.parts:
        lo, hi = part.lo, part.hi
        if here is not None and lo <= here <= hi and (here != lo or part.lo_closed) and (here != hi or part.hi_closed):
            return current
        for end, closed, inward in ((lo, part.lo_closed, 1), (hi, part.hi_closed, -1)):
            if not isinstance(end, Fraction):  # an infinite end
                continue
            point = end if closed else _inside(part, end, inward, integer)
            if best is None or (here is not None and abs(point - here) < abs(best - here)):
                best = point
            if here is None:
                break
        if here is None and best is not None:
            break
    if best is None:  # an unbounded set with no finite end
        best = Fraction(0)
    return plain_number(best)


def plain_number(value: Any) -> Any:
    """An exact bound as a plain value for the facts: 2, not Fraction(2, 1)."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    return value


def _inside(part: Any, end: Fraction, inward: int, integer: bool) -> Fraction:
    """A point just inside an open end: one whole step for integers, else a small step (or the midpoint)."""
    if integer:
        return end + inward
    other = part.hi if inward > 0 else part.lo
    step = Fraction(1, 100)
    if isinstance(other, Fraction) and abs(other - end) <= step:
        step = abs(other - end) / 2
    return end + inward * step
