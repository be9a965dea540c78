"""Rule test cases kept as data beside the rules: given facts, the expected level or total.

A case file (``rules/<name>/tests/*.yaml``) holds named cases of two kinds::

    cases:
      - name: "P05 level 3: parking with signs"       # one indicator
        indicator: P05
        facts: {site.parking: true, site.signs: true, site.attendant: false}
        expect: 3
        reason: "Nilai (3) jika tempat parkirnya ada dan ada rambu-rambu"
      - name: "office: only performance at the top"   # a whole office
        facts: {service.coverage_pct: 99, ...}
        expect_total: 5                 # or "1127/15" for the exact total
        expect_levels: {P18: 5, P01: 0} # optional: levels of some indicators
        reason: "Performance weighs 5; nothing else is known"

Facts use dotted names (``meta.population`` for the office's population) and
are validated against the catalogue exactly like evidence, so a case can never
test a value the evidence format would refuse. Absent facts are unknown.

``expect_total`` given as a number is compared with the total as displayed
(rounded half-up to two decimals, as on the score sheet); given as a string
``"p/q"`` it is compared exactly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from ..engine.evaluate import evaluate, evaluate_indicator
from ..engine.results import IndicatorResult
from ..engine.scoring import display
from ..errors import EvidenceError, Problem, RulesError
from ..evidence.reader import parse_evidence
from ..messages import get_language, message
from ..ruleset.model import Ruleset, Where
from ..ruleset.yamlsafe import Located, load_yaml_file
from ..text.explain import render_condition

__all__ = ["Case", "CaseOutcome", "Mismatch", "facts_document", "failure_text", "load_cases", "run_case"]

_INDICATOR_KEYS = {"name", "indicator", "facts", "expect", "reason"}
_OFFICE_KEYS = {"name", "facts", "expect_total", "expect_levels", "reason"}
_EXACT = re.compile(r"^\s*[0-9]+\s*/\s*[0-9]+\s*$")


@dataclass(frozen=True, slots=True)
class Case:
    """One case: for one ``indicator`` with its expected level, or (indicator None) for a whole office."""

    name: str
    indicator: str | None
    facts: dict[str, Any]
    expect: int | None
    reason: str
    where: Where
    expect_total: Fraction | None = None
    total_exact: bool = False
    expect_levels: tuple[tuple[str, int], ...] = ()

    @property
    def is_office(self) -> bool:
        return self.indicator is None

    def expected_levels(self) -> dict[str, int]:
        """Every indicator level this case pins down."""
        if self.indicator is not None and self.expect is not None:
            return {self.indicator: self.expect}
        return dict(self.expect_levels)

    def expected_total_text(self) -> str:
        if self.expect_total is None:
            return ""
        if self.total_exact:
            return f"{self.expect_total.numerator}/{self.expect_total.denominator}"
        return display(self.expect_total)


@dataclass(frozen=True, slots=True)
class Mismatch:
    """One expectation that did not hold: an indicator's level (with its result) or the total."""

    subject: str  # an indicator id, or "total"
    expected: str
    actual: str
    result: IndicatorResult | None = None


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    """What a case produced: the indicator results it evaluated, the total of an office case, and what differed."""

    case: Case
    indicators: tuple[IndicatorResult, ...]
    total: Fraction | None
    mismatches: tuple[Mismatch, ...]

    @property
    def passed(self) -> bool:
        return not self.mismatches

    @property
    def result(self) -> IndicatorResult:
        """The result of an indicator case's one indicator."""
        return self.indicators[0]


def facts_document(facts: dict[str, Any], ruleset: Ruleset | None = None) -> bytes:
    """An evidence document holding ``facts`` (dotted names) for an anonymous office.

    Its metadata must pass the ruleset's checks (a province its region code names,
    the ruleset's year), or every case would be refused or warned about.
    """
    groups: dict[str, dict[str, Any]] = {}
    code, province = next(iter(ruleset.provinces.items()), ("00", "-")) if ruleset is not None else ("00", "-")
    year = ruleset.year if ruleset is not None and ruleset.year is not None else 2021
    meta: dict[str, Any] = {"office": "(kasus uji)", "region_code": f"{code}.00", "province": province, "year": year}
    for name, value in facts.items():
        group, fact = name.split(".", 1)
        if group == "meta":
            meta[fact] = value
        else:
            groups.setdefault(group, {})[fact] = value
    return json.dumps({"meta": meta, "facts": groups}).encode("utf-8")


class _CaseReader:
    """Checks one case file's entries against the ruleset, collecting every problem."""

    def __init__(self, ruleset: Ruleset, located: Located, names: dict[str, Where], problems: list[Problem]) -> None:
        self.ruleset = ruleset
        self.located = located
        self.names = names
        self.problems = problems

    def fail(self, path: tuple[Any, ...], message: str) -> None:
        self.problems.append(self.located.problem(path, message))

    def level(self, path: tuple[Any, ...], value: Any, indicator: str) -> int | None:
        """An expected level: 0 (nothing met) or a level the indicator defines."""
        defined = [lv.value for lv in self.ruleset.indicators[indicator].levels]
        if isinstance(value, bool) or not isinstance(value, int) or (value != 0 and value not in defined):
            shown = ", ".join(str(v) for v in [0, *defined])
            self.fail(path, message("case.bad_level", indicator=indicator, shown=shown, found=repr(value)))
            return None
        return value

    def total(self, path: tuple[Any, ...], value: Any) -> tuple[Fraction, bool] | None:
        if isinstance(value, str) and len(value) > 40:
            pass  # no total is written that long
        elif isinstance(value, str) and _EXACT.match(value):
            numerator, denominator = (int(part) for part in value.split("/"))
            if denominator:
                return Fraction(numerator, denominator), True
        elif isinstance(value, (int, float, str)) and not isinstance(value, bool):
            try:
                amount = Fraction(repr(value) if isinstance(value, float) else str(value).strip())
            except (ValueError, ZeroDivisionError):
                amount = None
            # A total is a score, not 1e1000000: a bound keeps huge numbers out of the arithmetic.
            if amount is not None and abs(amount) <= 10**6 and (amount * 100).denominator == 1:
                return amount, False
        self.fail(
            path,
            message("case.expect_total", found=repr(value)),
        )
        return None

    def read(self, i: int, raw: Any, file: Path) -> Case | None:
        path = ("cases", i)
        line, column = self.located.mark(path)
        where = Where(str(file), line, column)
        if not isinstance(raw, dict):
            self.fail(path, message("case.not_mapping", found=repr(raw)))
            return None
        office = "indicator" not in raw
        allowed = _OFFICE_KEYS if office else _INDICATOR_KEYS
        required = {"name", "facts"} | ({"indicator", "expect"} if not office else set())
        if set(raw) - allowed or not required <= set(raw) or (office and not {"expect_total", "expect_levels"} & set(raw)):
            self.fail(
                path,
                message("case.keys", found=sorted(raw)),
            )
            return None
        name = str(raw["name"])
        if name in self.names:
            self.fail(path, message("case.name_twice", name=repr(name), first=self.names[name]))
        self.names[name] = where
        facts = raw["facts"] or {}
        if not isinstance(facts, dict) or not all(isinstance(k, str) and "." in k for k in facts):
            self.fail(path + ("facts",), message("case.facts_mapping"))
            return None
        try:
            parse_evidence(facts_document(facts, self.ruleset), f"{file}:{line}", self.ruleset)
        except EvidenceError as exc:
            for problem in exc.problems:
                self.fail(path + ("facts",), message("case.facts_problem", name=repr(name), problem=problem))
            return None
        reason = str(raw.get("reason", ""))
        if not office:
            if not isinstance(raw["indicator"], str) or raw["indicator"] not in self.ruleset.indicators:
                self.fail(path + ("indicator",), message("case.unknown_indicator", found=repr(raw["indicator"])))
                return None
            expect = self.level(path + ("expect",), raw["expect"], raw["indicator"])
            return None if expect is None else Case(name, raw["indicator"], dict(facts), expect, reason, where)
        total = self.total(path + ("expect_total",), raw["expect_total"]) if "expect_total" in raw else None
        levels = self.expect_levels(path + ("expect_levels",), raw.get("expect_levels", {}))
        if ("expect_total" in raw and total is None) or levels is None:
            return None
        amount, exact = total if total is not None else (None, False)
        return Case(name, None, dict(facts), None, reason, where, amount, exact, levels)

    def expect_levels(self, path: tuple[Any, ...], raw: Any) -> tuple[tuple[str, int], ...] | None:
        if not isinstance(raw, dict):
            self.fail(path, message("case.expect_levels", found=repr(raw)))
            return None
        out = []
        for ind_id, value in raw.items():
            if ind_id not in self.ruleset.indicators:
                self.fail(path + (ind_id,), message("case.unknown_indicator", found=repr(ind_id)))
                return None
            level = self.level(path + (ind_id,), value, ind_id)
            if level is None:
                return None
            out.append((str(ind_id), level))
        return tuple(out)


def load_cases(ruleset: Ruleset, directory: str | Path | None = None) -> list[Case]:
    """Every case in ``directory`` (default: the ruleset's ``tests`` folder), checked against the ruleset."""
    folder = Path(directory) if directory is not None else Path(ruleset.directory) / "tests"
    problems: list[Problem] = []
    cases: list[Case] = []
    names: dict[str, Where] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            located = load_yaml_file(path)
        except RulesError as exc:
            problems.extend(exc.problems)
            continue
        data = located.data
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            problems.append(located.problem((), message("case.no_list")))
            continue
        reader = _CaseReader(ruleset, located, names, problems)
        for i, raw in enumerate(data["cases"]):
            case = reader.read(i, raw, path)
            if case is not None:
                cases.append(case)
    if problems:
        raise RulesError(problems)
    return cases


def run_case(ruleset: Ruleset, case: Case) -> CaseOutcome:
    """Evaluate a case and compare every expectation it states."""
    evidence = parse_evidence(facts_document(case.facts, ruleset), case.name, ruleset)
    if case.indicator is not None:
        results: tuple[IndicatorResult, ...] = (evaluate_indicator(ruleset, case.indicator, evidence.facts),)
        total = None
    else:
        scored = evaluate(ruleset, evidence)
        results = tuple(scored.indicators())
        total = scored.total
    by_id = {ir.indicator.id: ir for ir in results}
    mismatches = [
        Mismatch(ind_id, str(level), str(by_id[ind_id].level), by_id[ind_id])
        for ind_id, level in case.expected_levels().items()
        if by_id[ind_id].level != level
    ]
    if case.expect_total is not None and total is not None:
        same = total == case.expect_total if case.total_exact else display(total) == display(case.expect_total)
        if not same:
            shown = f"{total.numerator}/{total.denominator}" if case.total_exact else display(total)
            mismatches.append(Mismatch("total", case.expected_total_text(), shown))
    return CaseOutcome(case, results, total, tuple(mismatches))


def failure_text(outcome: CaseOutcome, ruleset: Ruleset, indent: str = "    ", lang: str | None = None) -> str:
    """Why a case failed: for each indicator that differed, the trace of the expected and the awarded level."""
    lang = lang or get_language()
    lines = [f"{outcome.case.where}: {outcome.case.name}"]
    if outcome.case.reason:
        lines.append(indent + message("case.reason", lang, reason=outcome.case.reason))
    for miss in outcome.mismatches:
        if miss.result is None:
            lines.append(indent + message("case.total_mismatch", lang, expected=miss.expected, actual=miss.actual))
            continue
        lines.append(indent + message("case.level_mismatch", lang, indicator=miss.subject, expected=miss.expected, actual=miss.actual))
        shown = {int(miss.expected), int(miss.actual)}
        for level in miss.result.levels:
            if level.value not in shown:
                continue
            outcome_key = {True: "case.level_holds", False: "case.level_fails", None: "case.level_unknown"}[level.outcome]
            lines.append(indent + message(outcome_key, lang, level=level.value, where=level.level.where, source=level.level.source))
            lines.extend(render_condition(level.condition, ruleset.catalogue, lang, indent * 2))
    return "\n".join(lines)
