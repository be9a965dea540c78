"""Static reasoning over conditions: for which fact values does a condition hold, or fail?

Lint uses this to find levels that can never hold, levels that can never be the
highest, and gaps or overlaps between the brackets of one fact. Nothing is
evaluated on evidence; the reasoning is exact set algebra over each fact's
declared range:

* a bool or enum fact ranges over a finite set of values (enum values by rank);
* a number or integer fact ranges over a union of intervals with open or closed
  ends (integer facts over whole numbers only), bounded by its declared min/max;
* a comparison of two facts (``a > b``) is a variable of its own ranging over the
  three relations ``<``, ``=``, ``>`` between them;
* a lookup (``days <= lookup``) becomes one alternative per band: the key in that
  band (and in no earlier one) and the fact compared with the band's result.

A condition becomes its *true set* and *false set* with complete evidence, each a
union of boxes (a box fixes a set of allowed values per variable). Treating a
relation between two facts as independent of the facts' own values can only make
a set larger than the truth, so "can never hold" and "is always covered" are
never claimed wrongly; at worst a problem goes unreported.

The module is over 400 lines because the number sets and the condition algebra
built on them are one piece of reasoning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from ..files.record import Record
from ..messages import message
from .model import Catalogue, Compare, Condition, derived, exact_number
from .operators import OPERATORS

__all__ = [
    "Analyzer",
    "Interval",
    "NumberSet",
    "TooComplex",
    "analyzer_for",
    "format_domain",
]

_INF = math.inf
_RELATIONS = frozenset({"<", "=", ">"})
# Which relations between a and b make ``a op b`` hold.
_REL_OF_OP = {
    "==": frozenset({"="}),
    "!=": frozenset({"<", ">"}),
    "<": frozenset({"<"}),
    "<=": frozenset({"<", "="}),
    ">": frozenset({">"}),
    ">=": frozenset({">", "="}),
}
_MIRROR = {"<": ">", ">": "<", "=": "="}


class TooComplex(Exception):
    """A condition expands into more boxes than is sensible to reason about; skip it."""


_num = exact_number


class Interval(Record):
    """An interval of the number line; infinite ends are never closed.

    A :class:`Record`, not a dataclass: the module is imported by every ``pentas score``
    (explanations print number sets), and ``@dataclass(slots=True)`` cost about 0.4 ms of it.
    """

    __slots__ = ("lo", "lo_closed", "hi", "hi_closed")
    lo: Fraction | float
    lo_closed: bool
    hi: Fraction | float
    hi_closed: bool

    def __init__(self, lo: Fraction | float, lo_closed: bool, hi: Fraction | float, hi_closed: bool) -> None:
        self._fill(lo, lo_closed, hi, hi_closed)

    @property
    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))


def _whole(part: Interval) -> Interval | None:
    """The whole numbers of an interval, as a closed interval (None if there are none)."""
    lo, hi = part.lo, part.hi
    if lo != -_INF:
        lo = Fraction(math.ceil(lo)) if part.lo_closed else Fraction(math.floor(lo) + 1)
    if hi != _INF:
        hi = Fraction(math.floor(hi)) if part.hi_closed else Fraction(math.ceil(hi) - 1)
    whole = Interval(lo, lo != -_INF, hi, hi != _INF)
    return None if whole.empty else whole


class NumberSet:
    """A union of disjoint intervals, kept sorted and merged; ``integer`` keeps whole numbers only."""

    __slots__ = ("integer", "parts")

    def __init__(self, parts: Iterable[Interval], integer: bool = False) -> None:
        self.integer = integer
        self.parts = self._normalise(parts, integer)

    @staticmethod
    def _normalise(parts: Iterable[Interval], integer: bool) -> tuple[Interval, ...]:
        kept: list[Interval] = []
        for part in parts:
            if integer:
                whole = _whole(part)
                if whole is not None:
                    kept.append(whole)
            elif not part.empty:
                kept.append(part)
        kept.sort(key=lambda p: (p.lo, not p.lo_closed))
        merged: list[Interval] = []
        for part in kept:
            if merged:
                last = merged[-1]
                if integer:
                    touches = last.hi == _INF or part.lo <= last.hi + 1
                else:
                    touches = part.lo < last.hi or (part.lo == last.hi and (part.lo_closed or last.hi_closed))
                if touches:
                    if part.hi > last.hi or (part.hi == last.hi and part.hi_closed):
                        merged[-1] = Interval(last.lo, last.lo_closed, part.hi, part.hi_closed)
                    continue
            merged.append(part)
        return tuple(merged)

    @classmethod
    def of(cls, lo: Any, lo_closed: bool, hi: Any, hi_closed: bool, integer: bool = False) -> NumberSet:
        low = -_INF if lo is None else _num(lo)
        high = _INF if hi is None else _num(hi)
        return cls([Interval(low, lo_closed and lo is not None, high, hi_closed and hi is not None)], integer)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NumberSet) and self.parts == other.parts and self.integer == other.integer

    def __hash__(self) -> int:
        return hash((self.parts, self.integer))

    def __and__(self, other: NumberSet) -> NumberSet:
        out = []
        for a in self.parts:
            for b in other.parts:
                lo, lo_open = max((a.lo, not a.lo_closed), (b.lo, not b.lo_closed))
                hi, hi_closed = min((a.hi, a.hi_closed), (b.hi, b.hi_closed))
                out.append(Interval(lo, not lo_open, hi, hi_closed))
        return NumberSet(out, self.integer or other.integer)

    def __or__(self, other: NumberSet) -> NumberSet:
        return NumberSet(self.parts + other.parts, self.integer and other.integer)

    def complement(self) -> NumberSet:
        """Every number (whole number, for an integer set) not in this set."""
        out = []
        lo: Fraction | float = -_INF
        lo_closed = False
        for part in self.parts:
            out.append(Interval(lo, lo_closed, part.lo, not part.lo_closed))
            lo, lo_closed = part.hi, not part.hi_closed
        out.append(Interval(lo, lo_closed, _INF, False))
        return NumberSet(out, self.integer)

    def __sub__(self, other: NumberSet) -> NumberSet:
        return self & other.complement()

    def __le__(self, other: NumberSet) -> bool:
        return not (self - other)

    @property
    def low(self) -> Fraction | float:
        return self.parts[0].lo if self.parts else _INF

    @property
    def high(self) -> Fraction | float:
        return self.parts[-1].hi if self.parts else -_INF

    def __repr__(self) -> str:
        return f"NumberSet({format_numbers(self, 'en')})"


Domain = NumberSet | frozenset[Any]
Box = dict[str, Domain]


def _show_number(value: Fraction | float) -> str:
    if value in (_INF, -_INF):
        return "inf" if value > 0 else "-inf"
    assert isinstance(value, Fraction)
    if value.denominator == 1:
        return str(value.numerator)
    # A terminating decimal (98.5) reads better than 197/2; others stay fractions.
    d = value.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return f"{float(value):g}" if abs(value) < 10**15 else str(value)
    return f"{value.numerator}/{value.denominator}"


def format_numbers(values: NumberSet, lang: str | None = None) -> str:
    """``[90, 98]``, ``(98, 100]``, ``0`` or ``1..3`` (whole numbers), joined by ``and`` (``dan``) as ``lang`` writes it."""
    shown = []
    for part in values.parts:
        lo, hi = _show_number(part.lo), _show_number(part.hi)
        if part.lo == part.hi:
            shown.append(lo)
        elif values.integer and part.lo != -_INF and part.hi != _INF:
            shown.append(f"{lo}..{hi}")
        else:
            shown.append(f"{'[' if part.lo_closed else '('}{lo}, {hi}{']' if part.hi_closed else ')'}")
    return message("range.and", lang).join(shown) if shown else message("range.nothing", lang)


def _pair_var(a: str, b: str) -> str:
    return f"{a}~{b}"


def format_domain(catalogue: Catalogue, var: str, domain: Domain, lang: str | None = None) -> str:
    """A set of values of one variable as a maintainer writes them, joined by the words of ``lang``."""
    if isinstance(domain, NumberSet):
        return format_numbers(domain, lang)
    if "~" in var:
        a, b = var.split("~", 1)
        return message("range.or", lang).join(f"{a} {rel} {b}" for rel in ("<", "=", ">") if rel in domain)
    spec = catalogue.facts[var]
    if spec.type == "enum" and spec.enum is not None:
        return "{" + ", ".join(spec.enum.values[r] for r in sorted(domain)) + "}"
    return message("range.or", lang).join("true" if v else "false" for v in sorted(domain))


def analyzer_for(catalogue: Catalogue) -> Analyzer:
    """The catalogue's analyzer, made once and kept on it, so each level's sets are computed once."""
    return derived(catalogue, "analyzer", Analyzer)


class Analyzer:
    """True and false sets of conditions over one fact catalogue.

    ``limit`` bounds how many boxes a set may grow to; beyond it :class:`TooComplex`
    is raised and the caller skips that analysis rather than guessing.
    """

    def __init__(self, catalogue: Catalogue, limit: int = 4000) -> None:
        self.catalogue = catalogue
        self.limit = limit
        self._memo: dict[Condition, tuple[list[Box], list[Box]]] = {}

    # -- domains --------------------------------------------------------------------------

    def universe(self, var: str) -> Domain:
        if "~" in var:
            return _RELATIONS
        spec = self.catalogue.facts[var]
        if spec.type == "bool":
            return frozenset({False, True})
        if spec.type == "enum":
            return frozenset(range(len(spec.enum.values))) if spec.enum is not None else frozenset()
        return NumberSet.of(spec.minimum, True, spec.maximum, True, spec.type == "integer")

    def is_numeric(self, var: str) -> bool:
        return "~" not in var and self.catalogue.facts[var].is_numeric

    def _rank(self, var: str, value: Any) -> Any:
        spec = self.catalogue.facts[var]
        if spec.type == "enum" and spec.enum is not None:
            return spec.enum.rank(value)
        return value

    def satisfying(self, var: str, op: str, value: Any) -> Domain:
        """The values of ``var`` for which ``var op value`` holds."""
        universe = self.universe(var)
        if isinstance(universe, frozenset):
            fn = OPERATORS[op]
            ranked = tuple(self._rank(var, v) for v in value) if isinstance(value, tuple) else self._rank(var, value)
            return frozenset(v for v in universe if fn(v, ranked))
        integer = universe.integer
        if op == "between":
            chosen = NumberSet.of(value[0], True, value[1], True, integer)
        elif op == "in":
            chosen = NumberSet([], integer)
            for option in value:
                chosen = chosen | NumberSet.of(option, True, option, True, integer)
        else:
            point = NumberSet.of(value, True, value, True, integer)
            chosen = {
                "==": point,
                "!=": point.complement(),
                "<": NumberSet.of(None, False, value, False, integer),
                "<=": NumberSet.of(None, False, value, True, integer),
                ">": NumberSet.of(value, False, None, False, integer),
                ">=": NumberSet.of(value, True, None, False, integer),
            }[op]
        return universe & chosen

    # -- boxes --------------------------------------------------------------------------

    def meet(self, a: Box, b: Box) -> Box | None:
        """Both boxes at once, or None when no values satisfy both."""
        out = dict(a)
        for var, dom in b.items():
            if var in out:
                both = out[var] & dom  # type: ignore[operator]  # one fact's domains: both numbers or both sets
                if not both:
                    return None
                out[var] = both
            else:
                out[var] = dom
        return out

    def subtract(self, c: Box, d: Box) -> list[Box]:
        """The part of box ``c`` outside box ``d``, as disjoint boxes."""
        if self.meet(c, d) is None:
            return [c]
        out = []
        current = dict(c)
        for var in sorted(d):
            have = current.get(var, self.universe(var))
            outside = have - d[var]  # type: ignore[operator]  # one fact's domains: both numbers or both sets
            if outside:
                out.append({**current, var: outside})
            current[var] = have & d[var]  # type: ignore[operator]  # one fact's domains: both numbers or both sets
        return out

    def conjoin(self, a: list[Box], b: list[Box]) -> list[Box]:
        """Both sets at once (an ``all``)."""
        out = []
        for x in a:
            for y in b:
                both = self.meet(x, y)
                if both is not None:
                    out.append(both)
        if len(out) > self.limit:
            raise TooComplex()
        return _unique(out)

    def disjoin(self, a: list[Box], b: list[Box]) -> list[Box]:
        """Either set (an ``any``)."""
        out = _unique(a + b)
        if len(out) > self.limit:
            raise TooComplex()
        return out

    # -- conditions -------------------------------------------------------------------------

    def sets(self, condition: Condition) -> tuple[list[Box], list[Box]]:
        """(true set, false set) of a condition with complete evidence."""
        hit = self._memo.get(condition)  # equal conditions have equal sets: keyed by value
        if hit is not None:
            return hit
        hit = self._memo[condition] = self._sets(condition)
        return hit

    def _sets(self, condition: Condition) -> tuple[list[Box], list[Box]]:
        # The algebra differs per kind, so this is the one place besides the evaluator that asks.
        if isinstance(condition, Compare):
            return self._compare(condition)
        parts = [self.sets(child) for child in condition.children]
        true: list[Box]
        false: list[Box]
        if condition.kind == "not":
            true, false = parts[0]
            return false, true
        if condition.kind == "all":
            true, false = [{}], []
            for t, f in parts:
                true = self.conjoin(true, t)
                false = self.disjoin(false, f)
            return true, false
        assert condition.kind == "any", condition.kind
        true, false = [], [{}]
        for t, f in parts:
            true = self.disjoin(true, t)
            false = self.conjoin(false, f)
        return true, false

    def _compare(self, c: Compare) -> tuple[list[Box], list[Box]]:
        if c.other_fact is not None:
            if c.other_fact == c.fact:
                reflexive = "=" in _REL_OF_OP[c.op]
                return ([{}], []) if reflexive else ([], [{}])
            relations = _REL_OF_OP[c.op]
            a, b = c.fact, c.other_fact
            if a > b:
                a, b = b, a
                relations = frozenset(_MIRROR[r] for r in relations)
            var = _pair_var(a, b)
            return _boxes(var, relations), _boxes(var, _RELATIONS - relations)
        if c.lookup is not None:
            return self._lookup(c)
        holds = self.satisfying(c.fact, c.op, c.value)
        fails = self.universe(c.fact) - holds  # type: ignore[operator]  # one fact's domains: both numbers or both sets
        return _boxes(c.fact, holds), _boxes(c.fact, fails)

    def _lookup(self, c: Compare) -> tuple[list[Box], list[Box]]:
        """One alternative per band; a key in no band gives no threshold, so neither true nor false."""
        assert c.lookup is not None
        key = c.lookup.key
        earlier = NumberSet([], False)
        true: list[Box] = []
        false: list[Box] = []
        universe = self.universe(c.fact)
        for band in c.lookup.bands:
            band_keys = self.satisfying(key, band.op, band.value)
            assert isinstance(band_keys, NumberSet)
            keys = band_keys - earlier
            earlier = earlier | band_keys
            if not keys:
                continue
            holds = self.satisfying(c.fact, c.op, band.result)
            fails = universe - holds  # type: ignore[operator]  # one fact's domains: both numbers or both sets
            for target, values in ((true, holds), (false, fails)):
                box = self.meet({key: keys}, {c.fact: values}) if values else None
                if box is not None:
                    target.append(box)
        return true, false

    def covered(self, inner: list[Box], outer: list[Box]) -> bool:
        """Whether every box of ``inner`` lies within the union of ``outer``."""
        remaining = inner
        for d in outer:
            nxt: list[Box] = []
            for box in remaining:
                nxt.extend(self.subtract(box, d))
                if len(nxt) > self.limit:
                    raise TooComplex()
            remaining = nxt
            if not remaining:
                return True
        return not remaining

    def projection(self, boxes: list[Box], var: str) -> Domain:
        """The values of ``var`` that some box allows."""
        universe = self.universe(var)
        out: Domain = NumberSet([], getattr(universe, "integer", False)) if isinstance(universe, NumberSet) else frozenset()
        for box in boxes:
            out = out | box.get(var, universe)  # type: ignore[operator]  # one fact's domains: both numbers or both sets
        return out


def _boxes(var: str, domain: Domain) -> list[Box]:
    return [{var: domain}] if domain else []


def _key(box: Box) -> tuple[Any, ...]:
    return tuple(sorted((var, dom if isinstance(dom, NumberSet) else tuple(sorted(dom, key=repr))) for var, dom in box.items()))


def _unique(boxes: list[Box]) -> list[Box]:
    seen: dict[tuple[Any, ...], Box] = {}
    for box in boxes:
        seen.setdefault(_key(box), box)
    return list(seen.values())
