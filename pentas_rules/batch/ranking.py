"""Ranking offices by total: shared ranks for ties, an optional tiebreak, a stable order.

Pure and small. A batch keeps one :class:`LeaderboardRow` per office (its name,
region, total and aspect contributions, all exact fractions), never the whole
result tree, so ranking 10,000 offices needs little memory.

Rules, in order:

* offices are ranked by exact total, highest first; rounded display values are
  never compared, so 75.134 and 75.126 are not a tie even though both show 75.13;
* equal totals share a rank and the next rank skips (1, 2, 2, 4: "competition" ranking);
* with ``tiebreak="weight"``, equal totals are compared aspect by aspect, heaviest
  aspect first (equal weights in the rubric's order); the first aspect whose
  contributions differ decides. Offices whose every contribution is equal stay tied;
* within a shared rank the order is by region code, then file path, so the
  output is the same on every run and machine.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise

from ..engine.results import ScoreResult
from ..ruleset.model import Aggregation, Aspect

__all__ = [
    "TIEBREAKS",
    "BatchError",
    "LeaderboardRow",
    "RankedRow",
    "Ranking",
    "TieGroup",
    "TieStep",
    "leaderboard_row",
    "province_key",
    "rank_rows",
    "tiebreak_order",
]

TIEBREAKS = ("weight",)


@dataclass(frozen=True, slots=True)
class LeaderboardRow:
    """What a leaderboard keeps of one office: enough to rank, show and link it."""

    path: str
    office: str
    region_code: str
    province: str
    total: Fraction
    contributions: tuple[Fraction, ...]  # in the ruleset's aspect order
    missing_facts: int
    report: str | None = None  # where its report was written, when reports were asked for
    year: int | None = None  # with region_code, tells the same office given twice in one batch
    overridden: int = 0  # how many of its indicators an assessor overrode (its total is the final one unless ranked --computed)
    computed_total: Fraction | None = None  # with overrides: the total from the evidence alone, shown beside the ranked total

    @property
    def complete(self) -> bool:
        return self.missing_facts == 0


@dataclass(frozen=True, slots=True)
class BatchError:
    """A file of the batch that could not be scored, with the reason to show."""

    path: str
    message: str


def leaderboard_row(path: str, result: ScoreResult, report: str | None = None, computed: bool = False) -> LeaderboardRow:
    """The office as ranked: by its final total (with the assessors' overrides), or by the total the evidence alone gives when ``computed``."""
    meta = result.evidence.meta
    final = not computed and result.final_total is not None
    return LeaderboardRow(
        path=path,
        office=meta.office,
        region_code=meta.region_code,
        province=meta.province,
        total=result.total_final if final else result.total,
        contributions=tuple(ar.final_contribution if final and ar.final_contribution is not None else ar.contribution for ar in result.aspects),
        missing_facts=len(result.missing_facts),
        report=report,
        year=meta.year,
        overridden=len(result.overrides),
        computed_total=result.total if result.final_total is not None else None,
    )


def province_key(name: str) -> str:
    """How province names are matched: case and spacing do not matter ("jawa  BARAT")."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class RankedRow:
    rank: int
    row: LeaderboardRow


@dataclass(frozen=True, slots=True)
class TieStep:
    """Two neighbours of a tie group and what separated them.

    ``aspect`` is the index (in ruleset order) of the aspect that decided, or None
    when their contributions are all equal and they still share a rank.
    """

    upper: LeaderboardRow
    lower: LeaderboardRow
    aspect: int | None


@dataclass(frozen=True, slots=True)
class TieGroup:
    """Offices with exactly the same total. ``rank`` is the rank they share before any tiebreak."""

    total: Fraction
    rank: int
    rows: tuple[LeaderboardRow, ...]
    steps: tuple[TieStep, ...]  # one per neighbouring pair when a tiebreak was applied, else empty


@dataclass(frozen=True, slots=True)
class Ranking:
    rows: tuple[RankedRow, ...]
    ties: tuple[TieGroup, ...]
    tiebreak: str | None
    order: tuple[int, ...]  # aspect indices the tiebreak compares, heaviest first


def tiebreak_order(aspects: Sequence[Aspect]) -> tuple[int, ...]:
    """Aspect indices from the heaviest down; equal weights keep the rubric's order."""
    return tuple(sorted(range(len(aspects)), key=lambda i: (-Fraction(aspects[i].weight), i)))


def _first_difference(upper: LeaderboardRow, lower: LeaderboardRow, order: tuple[int, ...]) -> int | None:
    for i in order:
        if upper.contributions[i] != lower.contributions[i]:
            return i
    return None


def rank_rows(rows: Iterable[LeaderboardRow], aspects: Sequence[Aspect], tiebreak: str | None = None, aggregation: Aggregation | None = None) -> Ranking:
    """Sort and rank; describe every group of equal totals and, with a tiebreak, how it was split.

    Under a policy that places offices in bands by a count (``aggregation.bands``), the total
    is the level and equal levels are ordered by the count itself: the sum of the contributions.
    """
    if tiebreak is not None and tiebreak not in TIEBREAKS:
        raise ValueError(f"unknown tiebreak {tiebreak!r}")
    order = tiebreak_order(aspects)
    by_count = aggregation is not None and bool(aggregation.bands)

    def primary(row: LeaderboardRow) -> tuple[Fraction, ...]:
        # Negated so that one ascending sort puts the best first.
        return (-row.total, -sum(row.contributions, Fraction(0))) if by_count else (-row.total,)

    def standing(row: LeaderboardRow) -> tuple[Fraction, ...]:
        if tiebreak is None:
            return primary(row)
        return (*primary(row), *(-row.contributions[i] for i in order))

    ordered = sorted(rows, key=lambda row: (standing(row), row.region_code, row.path))
    ranked: list[RankedRow] = []
    previous: tuple[Fraction, ...] | None = None
    rank = 0
    for position, row in enumerate(ordered, start=1):
        current = standing(row)
        if current != previous:
            rank, previous = position, current
        ranked.append(RankedRow(rank, row))

    ties: list[TieGroup] = []
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and primary(ordered[end + 1]) == primary(ordered[start]):
            end += 1
        if end > start:
            group = tuple(ordered[start : end + 1])
            steps: tuple[TieStep, ...] = ()
            if tiebreak is not None:
                steps = tuple(TieStep(a, b, _first_difference(a, b, order)) for a, b in pairwise(group))
            ties.append(TieGroup(group[0].total, start + 1, group, steps))
        start = end + 1
    return Ranking(tuple(ranked), tuple(ties), tiebreak, order)
