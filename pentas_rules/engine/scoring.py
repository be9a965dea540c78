"""Aggregation policies: how levels become aspect scores and a total.

A ruleset names its policies in ``ruleset.yaml``; each name maps to one small
pure function here, so another rubric can declare a different policy without
touching the evaluator. Arithmetic is exact (``Fraction``); rounding happens only
for display, half-up to two decimals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import lru_cache

from ..ruleset.model import Aggregation, Aspect, exact_number

__all__ = ["ASPECT_POLICIES", "INDICATOR_POLICIES", "TOTAL_POLICIES", "display"]


def _highest_satisfied_level(levels: Sequence[int], outcomes: Sequence[bool | None]) -> int:
    """The highest level whose condition holds; unknown is not held; none gives 0."""
    best = 0
    for level, outcome in zip(levels, outcomes, strict=True):
        if outcome is True and level > best:
            best = level
    return best


@lru_cache(maxsize=4096)
def _fraction(numerator: int, denominator: int) -> Fraction:
    # Scores take few distinct values (level sums over fixed counts, fixed weights), and
    # Fraction() normalises with a gcd each time: a batch builds each value once.
    return Fraction(numerator, denominator)


@lru_cache(maxsize=256)
def _weight(value: int | float) -> Fraction:
    return exact_number(value)


def _mean_of_levels(levels: Sequence[int], aggregation: Aggregation) -> Fraction:
    return _fraction(sum(levels), len(levels))


def _weighted_sum(parts: Sequence[tuple[Aspect, Fraction]], aggregation: Aggregation) -> list[Fraction]:
    """Each aspect contributes mean / max_level * weight; the total is their sum."""
    out = []
    for aspect, mean in parts:
        weight = _weight(aspect.weight)
        out.append(_fraction(mean.numerator * weight.numerator, mean.denominator * aggregation.max_level * weight.denominator))
    return out


# An indicator policy gets the level values (ascending) and their outcomes, aligned.
INDICATOR_POLICIES: dict[str, Callable[[Sequence[int], Sequence[bool | None]], int]] = {
    "highest_satisfied_level": _highest_satisfied_level,
}
ASPECT_POLICIES: dict[str, Callable[[Sequence[int], Aggregation], Fraction]] = {
    "mean_of_levels": _mean_of_levels,
}
TOTAL_POLICIES: dict[str, Callable[[Sequence[tuple[Aspect, Fraction]], Aggregation], list[Fraction]]] = {
    "weighted_sum": _weighted_sum,
}


def display(value: Fraction, places: int = 2) -> str:
    """``value`` rounded half-up (away from zero on a tie) to ``places`` decimals."""
    scale = 10**places
    n, d = abs(value.numerator), value.denominator
    units = (2 * n * scale + d) // (2 * d)  # floor(x * scale + 1/2) in integers: exact half-up
    sign = "-" if value < 0 and units else ""
    whole, frac = divmod(units, scale)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"
