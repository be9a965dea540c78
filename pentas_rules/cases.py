"""Rule test cases kept as data beside the rules: given facts, the expected level.

A case file (``rules/<name>/tests/*.yaml``) holds named cases::

    cases:
      - name: "I05 level 3: parking with signs"
        indicator: I05
        facts: {parkir.ada: true, parkir.rambu: true, parkir.teratur: false}
        expect: 3
        reason: "Nilai (3) jika tempat parkirnya ada dan ada rambu-rambu"

Facts use dotted names (``meta.population`` for the office's population) and
are validated against the catalogue exactly like evidence, so a case can never
test a value the evidence format would refuse. Absent facts are unknown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import EvidenceError, RulesError, RulesProblem
from .evaluate import evaluate_indicator
from .evidence import parse_evidence
from .model import Ruleset, Where
from .results import IndicatorResult
from .yamlsafe import load_yaml_file

__all__ = ["Case", "CaseOutcome", "facts_document", "load_cases", "run_case"]

_CASE_KEYS = {"name", "indicator", "facts", "expect", "reason"}


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    indicator: str
    facts: dict[str, Any]
    expect: int
    reason: str
    where: Where


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    case: Case
    result: IndicatorResult

    @property
    def passed(self) -> bool:
        return self.result.level == self.case.expect


def facts_document(facts: dict[str, Any]) -> bytes:
    """An evidence document holding ``facts`` (dotted names) for an anonymous office."""
    groups: dict[str, dict[str, Any]] = {}
    meta: dict[str, Any] = {"office": "(kasus uji)", "region_code": "00.00", "province": "-", "year": 2021}
    for name, value in facts.items():
        group, fact = name.split(".", 1)
        if group == "meta":
            meta[fact] = value
        else:
            groups.setdefault(group, {})[fact] = value
    return json.dumps({"meta": meta, "facts": groups}).encode("utf-8")


def load_cases(ruleset: Ruleset, directory: str | Path | None = None) -> list[Case]:
    """Every case in ``directory`` (default: the ruleset's ``tests`` folder), checked against the ruleset."""
    folder = Path(directory) if directory is not None else Path(ruleset.directory) / "tests"
    problems: list[RulesProblem] = []
    cases: list[Case] = []
    names: dict[str, Where] = {}
    for path in sorted(folder.glob("*.yaml")):
        located = load_yaml_file(path)
        data = located.data
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            problems.append(located.problem((), "a case file needs a 'cases' list"))
            continue
        for i, raw in enumerate(data["cases"]):
            where_path = ("cases", i)
            line, column = located.mark(where_path)
            where = Where(str(path), line, column)
            if not isinstance(raw, dict) or set(raw) - _CASE_KEYS or not {"name", "indicator", "facts", "expect"} <= set(raw):
                problems.append(located.problem(where_path, f"a case needs name, indicator, facts and expect (and may have reason); found {sorted(raw) if isinstance(raw, dict) else raw!r}"))
                continue
            name = str(raw["name"])
            if name in names:
                problems.append(located.problem(where_path, f"case name {name!r} is used twice (first at {names[name]})"))
            names[name] = where
            if raw["indicator"] not in ruleset.indicators:
                problems.append(located.problem(where_path + ("indicator",), f"unknown indicator {raw['indicator']!r}"))
                continue
            facts = raw["facts"] or {}
            if not isinstance(facts, dict) or not all(isinstance(k, str) and "." in k for k in facts):
                problems.append(located.problem(where_path + ("facts",), "facts must map dotted fact names to values"))
                continue
            try:
                parse_evidence(facts_document(facts), f"{path}:{line}", ruleset)
            except EvidenceError as exc:
                for problem in exc.problems:
                    problems.append(located.problem(where_path + ("facts",), f"case {name!r}: {problem}"))
                continue
            expect = raw["expect"]
            if isinstance(expect, bool) or not isinstance(expect, int) or not 0 <= expect <= ruleset.aggregation.max_level:
                problems.append(located.problem(where_path + ("expect",), f"expect must be a level from 0 to {ruleset.aggregation.max_level}, found {expect!r}"))
                continue
            cases.append(Case(name, raw["indicator"], dict(facts), expect, str(raw.get("reason", "")), where))
    if problems:
        raise RulesError(problems)
    return cases


def run_case(ruleset: Ruleset, case: Case) -> CaseOutcome:
    evidence = parse_evidence(facts_document(case.facts), case.name, ruleset)
    return CaseOutcome(case, evaluate_indicator(ruleset, case.indicator, evidence.facts))
