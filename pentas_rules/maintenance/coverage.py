"""How thoroughly the rule cases exercise the rules: every level and every condition, both ways.

A level is covered when some case saw its condition hold, some case saw it fail,
and some case was awarded it (so it is not always masked by a higher level). A
condition (every node of a level's tree: comparisons, ``all``, ``any``, ``not``)
is covered when some case saw it true and some case saw it false. Unknown
outcomes (a fact left out) count for neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..engine.results import ConditionResult
from ..messages import message, number
from ..ruleset.model import Ruleset, Where
from .cases import CaseOutcome

__all__ = ["ConditionCoverage", "CoverageReport", "IndicatorCoverage", "LevelCoverage", "coverage_text", "measure"]


@dataclass(frozen=True, slots=True)
class ConditionCoverage:
    path: str
    where: Where
    text: str
    seen_true: bool
    seen_false: bool

    @property
    def covered(self) -> bool:
        return self.seen_true and self.seen_false

    def missing(self, lang: str | None = None) -> str:
        gaps = (("coverage.never_true", self.seen_true), ("coverage.never_false", self.seen_false))
        return message("coverage.and", lang).join(message(key, lang) for key, seen in gaps if not seen)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "where": str(self.where), "condition": self.text, "true": self.seen_true, "false": self.seen_false}


@dataclass(frozen=True, slots=True)
class LevelCoverage:
    value: int
    where: Where
    seen_true: bool
    seen_false: bool
    awarded: bool
    conditions: tuple[ConditionCoverage, ...]

    @property
    def covered(self) -> bool:
        return self.seen_true and self.seen_false and self.awarded

    def missing(self, lang: str | None = None) -> str:
        gaps = (("coverage.never_holds", self.seen_true), ("coverage.never_fails", self.seen_false), ("coverage.never_awarded", self.awarded))
        return ", ".join(message(key, lang) for key, seen in gaps if not seen)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.value,
            "where": str(self.where),
            "true": self.seen_true,
            "false": self.seen_false,
            "awarded": self.awarded,
            "conditions": [c.to_dict() for c in self.conditions],
        }


@dataclass(frozen=True, slots=True)
class IndicatorCoverage:
    indicator: str
    cases: int
    levels: tuple[LevelCoverage, ...]

    @property
    def conditions(self) -> tuple[ConditionCoverage, ...]:
        return tuple(c for level in self.levels for c in level.conditions)

    def counts(self) -> tuple[int, int, int, int]:
        """(levels covered, levels, conditions covered, conditions)."""
        conditions = self.conditions
        return (
            sum(lv.covered for lv in self.levels),
            len(self.levels),
            sum(c.covered for c in conditions),
            len(conditions),
        )

    def to_dict(self) -> dict[str, Any]:
        lc, lt, cc, ct = self.counts()
        return {
            "indicator": self.indicator,
            "cases": self.cases,
            "levels_covered": lc,
            "levels": lt,
            "conditions_covered": cc,
            "conditions": ct,
            "detail": [lv.to_dict() for lv in self.levels],
        }


def _percent(part: int, whole: int, lang: str | None = None) -> str:
    return number(float(Fraction(100 * part, whole) if whole else Fraction(100)), lang, 1) + "%"


@dataclass(frozen=True, slots=True)
class CoverageReport:
    indicators: tuple[IndicatorCoverage, ...]

    def counts(self) -> tuple[int, int, int, int]:
        """(levels covered, levels, conditions covered, conditions) over the whole ruleset."""
        totals = [0, 0, 0, 0]
        for ind in self.indicators:
            for i, n in enumerate(ind.counts()):
                totals[i] += n
        return totals[0], totals[1], totals[2], totals[3]

    @property
    def complete(self) -> bool:
        lc, lt, cc, ct = self.counts()
        return lc == lt and cc == ct

    def summary(self, lang: str | None = None) -> str:
        lc, lt, cc, ct = self.counts()
        return message("coverage.summary", lang, lc=lc, lt=lt, lp=_percent(lc, lt, lang), cc=cc, ct=ct, cp=_percent(cc, ct, lang))

    def to_dict(self) -> dict[str, Any]:
        lc, lt, cc, ct = self.counts()
        return {
            "levels_covered": lc,
            "levels": lt,
            "conditions_covered": cc,
            "conditions": ct,
            "indicators": [ind.to_dict() for ind in self.indicators],
        }


def _record(result: ConditionResult, seen: dict[str, set[bool]]) -> None:
    if result.outcome is not None:
        seen.setdefault(result.condition.path, set()).add(result.outcome)
    for child in result.children:
        _record(child, seen)


def measure(ruleset: Ruleset, outcomes: Iterable[CaseOutcome]) -> CoverageReport:
    """The coverage of ``ruleset`` by the evaluated cases (an office case counts for every indicator)."""
    seen: dict[str, set[bool]] = {}
    awarded: set[tuple[str, int]] = set()
    cases: dict[str, int] = {}
    for outcome in outcomes:
        for ir in outcome.indicators:
            ind_id = ir.indicator.id
            cases[ind_id] = cases.get(ind_id, 0) + 1
            awarded.add((ind_id, ir.level))
            for level_result in ir.levels:
                _record(level_result.condition, seen)
    indicators = []
    for ind_id, indicator in ruleset.indicators.items():
        levels = []
        for level in indicator.levels:
            conditions = tuple(
                ConditionCoverage(node.path, node.where, node.text(), True in seen.get(node.path, ()), False in seen.get(node.path, ()))
                for node in level.when.walk()
            )
            root = seen.get(level.when.path, set())
            levels.append(LevelCoverage(level.value, level.where, True in root, False in root, (ind_id, level.value) in awarded, conditions))
        indicators.append(IndicatorCoverage(ind_id, cases.get(ind_id, 0), tuple(levels)))
    return CoverageReport(tuple(indicators))


def coverage_text(report: CoverageReport, rules_dir: str = "", lang: str | None = None) -> str:
    """Per indicator: levels and conditions covered; each gap listed with its place in the rules."""
    prefix = rules_dir.rstrip("/") + "/" if rules_dir else ""
    lines = [message("coverage.heading", lang)]
    width = max((len(ind.indicator) for ind in report.indicators), default=0)
    for ind in report.indicators:
        lc, lt, cc, ct = ind.counts()
        row = message("coverage.row", lang, cases=f"{ind.cases:>3}", lc=lc, lt=lt, cc=cc, ct=ct, percent=_percent(lc + cc, lt + ct, lang))
        lines.append(f"  {ind.indicator:<{width}}  {row}")
        for level in ind.levels:
            if not level.covered:
                lines.append(f"      {prefix}{level.where}: " + message("coverage.level_gap", lang, level=level.value, missing=level.missing(lang)))
            for cond in level.conditions:
                if not cond.covered:
                    lines.append(f"      {prefix}{cond.where}: {cond.path} {cond.text}: {cond.missing(lang)}")
    lines.append(report.summary(lang))
    return "\n".join(lines) + "\n"
