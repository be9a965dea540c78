"""Aggregation policies: how levels become aspect scores and a total.

A ruleset names its policies in ``ruleset.yaml``; each name maps to one small
pure function here, so another rubric can declare a different policy without
touching the evaluator. Arithmetic is exact (``Fraction``); rounding happens only
for display, half-up to two decimals.

A total policy gets every aspect with its mean and its indicator results and
returns a :class:`Totals`: the aspects' contributions, the total and, for a
policy that places the office in a band (a level decided by how many criteria
are met), its :class:`Standing`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache
from operator import mul
from typing import Any, NamedTuple

from ..files.record import Record
from ..ruleset.model import Aggregation, Aspect, exact_number

__all__ = [
    "ASPECT_POLICIES",
    "INDICATOR_POLICIES",
    "TOTAL_POLICIES",
    "LevelSums",
    "Standing",
    "Totals",
    "by_level_sums",
    "display",
    "exact_sum",
    "fraction",
]


def _highest_satisfied_level(levels: Sequence[int], outcomes: Sequence[bool | None]) -> int:
    """The highest level whose condition holds; unknown is not held; none gives 0.

    A plain loop, with no assumption about the order of the levels: the engine asks it once per
    combination of level outcomes an indicator meets (``IndicatorPlan.awarded``), not once per office.
    """
    best = 0
    for level, outcome in zip(levels, outcomes, strict=True):
        if outcome is True and level > best:
            best = level
    return best


@lru_cache(maxsize=4096)
def fraction(numerator: int, denominator: int) -> Fraction:
    """``Fraction(numerator, denominator)``, each value built once: scores and completeness take few
    distinct values (level sums over fixed counts, fixed weights), and Fraction() normalises with a
    gcd each time."""
    return Fraction(numerator, denominator)


@lru_cache(maxsize=256)
def _weight(value: int | float) -> Fraction:
    return exact_number(value)


def _mean_of_levels(levels: Sequence[int], aggregation: Aggregation) -> Fraction:
    return fraction(sum(levels), len(levels))


# One aspect as a total policy sees it: the aspect, its mean and its indicator results
# (engine.results.IndicatorResult: ``level``, ``determined``, ``missing_facts``, ``indicator.id``).
AspectPart = tuple[Aspect, Fraction, Sequence[Any]]


class Standing(Record):
    """An office's band under a policy that counts criteria met, three-valued.

    A criterion is met when its indicator awards a level, unknown when none is awarded but
    a level depends on missing evidence. The count lies between ``met`` and ``met +
    unknown``; the level is decided only when every count in that range gives the same
    band, otherwise ``deciding_facts`` are the missing facts of the unknown criteria.
    """

    __slots__ = ("met", "unknown", "criteria", "lowest", "highest", "unknown_criteria", "deciding_facts")
    met: int
    unknown: int
    criteria: int
    lowest: int  # the level if every unknown criterion turns out not met
    highest: int  # the level if every unknown criterion turns out met
    unknown_criteria: tuple[str, ...]
    deciding_facts: tuple[str, ...]

    def __init__(
        self, met: int, unknown: int, criteria: int, lowest: int, highest: int, unknown_criteria: tuple[str, ...], deciding_facts: tuple[str, ...]
    ) -> None:
        self._fill(met, unknown, criteria, lowest, highest, unknown_criteria, deciding_facts)

    @property
    def decided(self) -> bool:
        return self.lowest == self.highest

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.lowest if self.decided else None,
            "decided": self.decided,
            "lowest_level": self.lowest,
            "highest_level": self.highest,
            "met": self.met,
            "unknown": self.unknown,
            "criteria": self.criteria,
            "unknown_criteria": list(self.unknown_criteria),
            "deciding_facts": list(self.deciding_facts) if not self.decided else [],
        }


class Totals(NamedTuple):
    contributions: list[Fraction]  # one per aspect, in ruleset order
    total: Fraction
    standing: Standing | None = None


def exact_sum(values: Sequence[Fraction]) -> Fraction:
    """An exact sum over one common denominator (adding Fractions one by one normalises at every step)."""
    if not values:
        return Fraction(0)
    ratios = [v.as_integer_ratio() for v in values]
    common = math.lcm(*[d for _, d in ratios])
    return fraction(sum([n * (common // d) for n, d in ratios]), common)


def _weighted_sum(parts: Sequence[AspectPart], aggregation: Aggregation) -> Totals:
    """Each aspect contributes mean / max_level * weight; the total is their sum."""
    out = []
    max_level = aggregation.max_level
    for aspect, mean, _ in parts:
        # as_integer_ratio: both halves in one call (numerator and denominator are a property call each)
        weight_n, weight_d = _weight(aspect.weight).as_integer_ratio()
        mean_n, mean_d = mean.as_integer_ratio()
        out.append(fraction(mean_n * weight_n, mean_d * max_level * weight_d))
    return Totals(out, exact_sum(out))


def band_level(bands: Sequence[tuple[int, int, int]], count: int) -> int:
    """The level of the band holding ``count``; 0 when none does."""
    for least, most, level in bands:
        if least <= count <= most:
            return level
    return 0


def _count_met_bands(parts: Sequence[AspectPart], aggregation: Aggregation) -> Totals:
    """The level of the band the number of criteria met falls in; each aspect contributes its count met.

    The total is the level the office surely reaches (the lowest its unknown criteria allow);
    the standing says whether more evidence could change it and which facts would.
    """
    contributions = []
    met, unknown, deciding = 0, [], {}
    criteria = 0
    for _, _, results in parts:
        met_here = 0
        for result in results:
            criteria += 1
            if result.level > 0:
                met_here += 1
            elif not result.determined:
                unknown.append(result.indicator.id)
                deciding.update(dict.fromkeys(result.missing_facts))
        met += met_here
        contributions.append(Fraction(met_here))
    levels = [band_level(aggregation.bands, n) for n in range(met, met + len(unknown) + 1)]
    standing = Standing(met, len(unknown), criteria, min(levels), max(levels), tuple(unknown), tuple(deciding))
    return Totals(contributions, Fraction(standing.lowest), standing)


# An indicator policy gets the level values (ascending) and their outcomes, aligned.
INDICATOR_POLICIES: dict[str, Callable[[Sequence[int], Sequence[bool | None]], int]] = {
    "highest_satisfied_level": _highest_satisfied_level,
}
ASPECT_POLICIES: dict[str, Callable[[Sequence[int], Aggregation], Fraction]] = {
    "mean_of_levels": _mean_of_levels,
}
TOTAL_POLICIES: dict[str, Callable[[Sequence[AspectPart], Aggregation], Totals]] = {
    "weighted_sum": _weighted_sum,
    "count_met_bands": _count_met_bands,
}


class LevelSums:
    """``mean_of_levels`` and ``weighted_sum`` compiled for one ruleset's aspects: the same numbers, found
    from each aspect's sum of levels.

    An aspect's mean and contribution depend only on the sum of its levels, which takes few values
    (at most indicators x max_level + 1), so each is computed by the policies once and then looked
    up. The total is the sum of the contributions: each is ``sum x weight / (indicators x
    max_level)``, so over one common denominator the total's numerator is an integer sum of each
    aspect's level sum times a constant. Exact, as the policies are (a Fraction equal in value
    is the same Fraction); ``tests/test_scoring_sums.py`` holds the two equal.
    """

    __slots__ = ("aggregation", "aspects", "denominator", "factors", "level_factors", "spans", "tables")

    def __init__(self, aspects: Sequence[tuple[Aspect, int, int]], aggregation: Aggregation) -> None:
        """``aspects``: each aspect and where its run of levels starts and stops in an office's list of levels."""
        self.aggregation = aggregation
        self.aspects = tuple(aspect for aspect, _, _ in aspects)
        self.spans = tuple((start, stop) for _, start, stop in aspects)
        # contribution = sum x weight_n / (count x max_level x weight_d); its denominator divides the common one.
        parts = [(_weight(aspect.weight).as_integer_ratio(), stop - start) for aspect, start, stop in aspects]
        denominators = [count * aggregation.max_level * weight_d for (_, weight_d), count in parts]
        self.denominator = math.lcm(*denominators) if denominators else 1
        self.factors = tuple(self.denominator // d * weight_n for ((weight_n, _), _), d in zip(parts, denominators, strict=True))
        # The same numerator level by level: each position's factor is its aspect's (summed, should spans
        # overlap), so the total is one sum of products in C, without a sum per aspect (see :meth:`total`).
        at = [0] * max((stop for _, stop in self.spans), default=0)
        for (start, stop), factor in zip(self.spans, self.factors, strict=True):
            for i in range(start, stop):
                at[i] += factor
        self.level_factors = tuple(at)
        # Per aspect, its mean and contribution by the sum of its levels, filled as sums occur.
        self.tables: tuple[dict[int, tuple[Fraction, Fraction]], ...] = tuple({} for _ in aspects)

    def __call__(self, levels: Sequence[int]) -> tuple[list[Fraction], list[Fraction]]:
        """Each aspect's mean and contribution, for an office's levels (in aspect order); :meth:`total` gives the total."""
        sums = [sum(levels[start:stop]) for start, stop in self.spans]
        means, contributions = [], []
        for i, total in enumerate(sums):
            known = self.tables[i].get(total)
            if known is None:
                known = self.tables[i][total] = self._by_policy(i, levels)
            means.append(known[0])
            contributions.append(known[1])
        return means, contributions

    def total(self, levels: Sequence[int]) -> Fraction:
        """The total, the sum of the contributions :meth:`__call__` gives: what a result that builds its
        aspects only when they are read needs at once (a compact record reads nothing else)."""
        return fraction(sum(map(mul, levels, self.level_factors)), self.denominator)

    def _by_policy(self, i: int, levels: Sequence[int]) -> tuple[Fraction, Fraction]:
        """Aspect ``i``'s mean and contribution as the two policies compute them."""
        agg = self.aggregation
        start, stop = self.spans[i]
        mean = _mean_of_levels(levels[start:stop], agg)
        return mean, _weighted_sum([(self.aspects[i], mean, ())], agg).contributions[0]


def by_level_sums(aspects: Sequence[tuple[Aspect, int, int]], aggregation: Aggregation) -> LevelSums | None:
    """The ruleset's aggregation as :class:`LevelSums` when it is ``mean_of_levels`` and ``weighted_sum``
    over aspects that each have indicators; None for any other policy (the engine then calls the policies)."""
    if (aggregation.aspect, aggregation.total) != ("mean_of_levels", "weighted_sum") or any(stop <= start for _, start, stop in aspects):
        return None
    return LevelSums(aspects, aggregation)


def display(value: Fraction, places: int = 2) -> str:
    """``value`` rounded half-up (away from zero on a tie) to ``places`` decimals."""
    scale = 10**places
    n, d = abs(value.numerator), value.denominator
    units = (2 * n * scale + d) // (2 * d)  # floor(x * scale + 1/2) in integers: exact half-up
    sign = "-" if value < 0 and units else ""
    whole, frac = divmod(units, scale)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
