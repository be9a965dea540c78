"""Lint a ruleset folder: every problem the loader finds, then static checks of the rule logic.

Each finding is a :class:`Diagnostic` located by file, line and column (the YAML
marks of the strict reader), with a severity and a short code:

errors (the rules are wrong; ``pentas lint`` exits 1)
    the loader's problems (``yaml``, ``io``, ``schema``, ``unknown-fact``,
    ``rules``: duplicate ids, levels out of range, wrong constants, weights...),
    ``unsatisfiable`` (a level that no evidence can meet), ``duplicate-number``,
    ``empty-source``, ``source-not-verbatim`` and ``settles-not-verbatim`` (when
    the ruleset keeps its rubric text in ``rubric/*.txt``), ``unknown-interpretation``
    (a level cites a reading the register does not define: found by the loader,
    or here when the ruleset has no register at all);
warnings (true statements a maintainer should look at)
    ``never-highest`` (whenever the level holds, a higher one holds too),
    ``bracket-gap`` / ``bracket-overlap`` (levels bracketing one fact leave values
    that score 0, or claim the same values), ``dead-comparison`` /
    ``always-true`` (a comparison the fact's declared range decides on its own),
    ``duplicate-condition``, ``unused-fact``, ``unused-enum``, ``unused-lookup``,
    ``lookup-gap`` (a key value no band of a lookup covers),
    ``source-number`` (a number in a level's quoted rubric sentence that none of
    the level's constants is), ``unused-interpretation`` (a register entry no level
    cites), ``stale-acknowledgement``.

A warning that a maintainer has reviewed and kept on purpose can be acknowledged
in ``lint.yaml`` beside the rules, with the reason; it is then reported as
acknowledged instead of as a warning. An acknowledgement that no longer matches
anything is itself a warning, so the file cannot go stale silently. Errors
cannot be acknowledged.

The module is over 400 lines because it is the catalogue of checks: each is a short
method of one ``_Checks`` walk that shares the loaded files' YAML marks, and the
list above is the table of contents a maintainer reads it by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, RulesError
from ..messages import message
from ..ruleset.analysis import Analyzer, Box, NumberSet, TooComplex, format_domain
from ..ruleset.loader import REGISTER_FILE, load_ruleset_files, read_rule_files
from ..ruleset.model import META_FACTS, Compare, Condition, Indicator, Level, Ruleset, Where, exact_number
from ..ruleset.yamlsafe import Located, load_yaml_file

__all__ = ["ACK_FILE", "Diagnostic", "LintReport", "lint"]

ACK_FILE = "lint.yaml"
ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: where, how bad, which check, what it means.

    ``subject`` names what the finding is about (a level ``P05.L3``, a condition
    ``P05.L3.all[1]``, a fact), so an acknowledgement survives edits that move lines.
    """

    file: str
    line: int | None
    column: int | None
    severity: str
    code: str
    message: str
    subject: str = ""
    acknowledged: str | None = None

    def location(self) -> str:
        return str(Location(self.file, self.line, self.column))

    def __str__(self) -> str:
        # The severity is a machine value in JSON; the line gives the reader's word for it.
        # "schema" is the one code with a word of its own in Indonesian ("skema"); the others are names.
        code = message("lint.code.schema") if self.code == "schema" else self.code
        return f"{self.location()}: {message('lint.severity.' + self.severity)} {code} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "subject": self.subject,
        }
        if self.acknowledged is not None:
            out["acknowledged"] = self.acknowledged
        return out

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line or 0, self.column or 0, self.severity, self.code, self.message, self.subject)


@dataclass(frozen=True, slots=True)
class LintReport:
    """Every diagnostic of one ruleset folder, sorted by place; ``analysed`` is False when the rules do not load."""

    directory: str
    diagnostics: tuple[Diagnostic, ...]
    analysed: bool

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == ERROR)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == WARNING and d.acknowledged is None)

    @property
    def acknowledged(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.acknowledged is not None)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        text = f"{self.directory}: {message('lint.errors', count=len(self.errors))}, {message('lint.warnings', count=len(self.warnings))}"
        if self.acknowledged:
            text += message("lint.acknowledged", count=len(self.acknowledged))
        if not self.analysed:
            text += message("lint.not_analysed")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "directory": self.directory,
            "analysed": self.analysed,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "acknowledged": len(self.acknowledged),
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }


def _from_problem(problem: Problem) -> Diagnostic:
    where = problem.location
    return Diagnostic(where.file or "", where.line, where.column, ERROR, problem.code, problem.message)


def lint(directory: str | Path) -> LintReport:
    """Lint the ruleset in ``directory``: never raises for bad rules, reports them."""
    path = Path(directory)
    try:
        ruleset_file, facts_file, indicator_files, register_file, fingerprint = read_rule_files(path)
    except RulesError as exc:
        return _report(str(directory), [_from_problem(p) for p in exc.problems], False)
    try:
        ruleset = load_ruleset_files(ruleset_file, facts_file, indicator_files, str(path), fingerprint, interpretations_file=register_file)
    except RulesError as exc:
        return _report(str(directory), [_from_problem(p) for p in exc.problems], False)
    checks = _Checks(ruleset, path, ruleset_file, indicator_files, register_file)
    found = checks.run()
    found = _acknowledge(path, found)
    return _report(str(directory), found, True)


def _report(directory: str, diagnostics: list[Diagnostic], analysed: bool) -> LintReport:
    return LintReport(directory, tuple(sorted(diagnostics, key=Diagnostic.sort_key)), analysed)


# -- acknowledgements ----------------------------------------------------------------------


def _acknowledge(directory: Path, found: list[Diagnostic]) -> list[Diagnostic]:
    path = directory / ACK_FILE
    if not path.is_file():
        return found
    try:
        located = load_yaml_file(path)
    except RulesError as exc:
        return found + [_from_problem(p) for p in exc.problems]
    data = located.data
    entries = data.get("acknowledged") if isinstance(data, dict) else None
    if not isinstance(data, dict) or set(data) - {"acknowledged"} or not isinstance(entries, list):
        return found + [_from_problem(located.problem((), message("lint.f.ack_file"), "schema"))]
    out = list(found)
    for i, entry in enumerate(entries):
        where = ("acknowledged", i)
        if not isinstance(entry, dict) or set(entry) != {"code", "subject", "reason"} or not all(isinstance(v, str) and v.strip() for v in entry.values()):
            out.append(_from_problem(located.problem(where, message("lint.f.ack_entry"), "schema")))
            continue
        matched = False
        for j, d in enumerate(out):
            if d.severity == WARNING and d.code == entry["code"] and d.subject == entry["subject"]:
                out[j] = replace(d, acknowledged=entry["reason"].strip())
                matched = True
        if not matched:
            line, column = located.mark(where)
            out.append(
                Diagnostic(
                    str(path),
                    line,
                    column,
                    WARNING,
                    "stale-acknowledgement",
                    message("lint.f.stale_ack", code=entry["code"], subject=entry["subject"]),
                    f"{entry['code']}:{entry['subject']}",
                )
            )
    return out


# -- the checks ------------------------------------------------------------------------------


def _normalise_rubric(text: str) -> str:
    """The rubric's words without markup: tags and list bullets removed, white space joined (see rules/README.md)."""
    text = re.sub(r"</?[A-Za-z][^>]*>", " ", text)
    text = re.sub(r"(^|\s)- ", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _conjuncts(condition: Condition) -> list[Compare]:
    """The comparisons that must all hold for the condition to hold (through nested ``all`` only)."""
    if isinstance(condition, Compare):
        return [condition]
    if condition.kind == "all":
        return [leaf for child in condition.children for leaf in _conjuncts(child)]
    return []


def _composites(condition: Condition) -> list[Condition]:
    """The nodes with more than one part, where a part can be repeated."""
    return [node for node in condition.walk() if len(node.children) > 1]


class _Checks:
    def __init__(self, ruleset: Ruleset, directory: Path, ruleset_file: Located, indicator_files: list[Located], register_file: Located | None = None) -> None:
        self.rs = ruleset
        self.ruleset_file = ruleset_file
        self.directory = directory
        self.indicator_files = indicator_files
        self.register_file = register_file
        self.an = Analyzer(ruleset.catalogue)
        self.out: list[Diagnostic] = []

    def add(self, where: Any, severity: str, code: str, message: str, subject: str) -> None:
        file = str(self.directory / where.file) if where is not None else str(self.directory)
        line = where.line if where is not None else None
        column = where.column if where is not None else None
        self.out.append(Diagnostic(file, line, column, severity, code, message, subject))

    def run(self) -> list[Diagnostic]:
        self.numbers()
        self.sources()
        self.source_numbers()
        self.register()
        self.citations_without_register()
        self.unused()
        self.lookup_bands()
        for indicator in self.rs.indicators.values():
            self.duplicate_conditions(indicator)
            try:
                self.logic(indicator)
            except TooComplex:
                # Too many alternatives to reason about exactly; saying nothing beats guessing.
                continue
        return self.out

    # -- structure ---------------------------------------------------------------------------

    def numbers(self) -> None:
        seen: dict[int, Any] = {}
        for ind in self.rs.indicators.values():
            if ind.number is None:
                continue
            if ind.number in seen:
                first = seen[ind.number]
                self.add(
                    ind.where,
                    ERROR,
                    "duplicate-number",
                    message("lint.f.duplicate_indicator_number", id=ind.id, number=ind.number, first=first.id, where=first.where),
                    ind.id,
                )
            else:
                seen[ind.number] = ind
        aspects: dict[int, Any] = {}
        for aspect in self.rs.aspects:
            if aspect.number in aspects:
                self.add(
                    aspect.where,
                    ERROR,
                    "duplicate-number",
                    message("lint.f.duplicate_aspect_number", id=aspect.id, number=aspect.number, first=aspects[aspect.number].id),
                    aspect.id,
                )
            else:
                aspects[aspect.number] = aspect

    def _source_where(self, ind: Indicator, level: Level | None) -> Where:
        """The location of an indicator's question or a level's source text."""
        for located in self.indicator_files:
            for i, body in enumerate(located.data["indicators"]):
                if body["id"] != ind.id:
                    continue
                if level is None:
                    path: tuple[Any, ...] = ("indicators", i, "question")
                else:
                    j = next(k for k, raw in enumerate(body["levels"]) if raw["level"] == level.value)
                    path = ("indicators", i, "levels", j, "source")
                line, column = located.mark(path)
                return Where(ind.where.file, line, column)
        return ind.where if level is None else level.where

    def _rubric(self) -> str:
        """The normalised text of ``rubric/*.txt``; empty when the ruleset keeps no rubric copy."""
        rubric_dir = self.directory / "rubric"
        texts = sorted(rubric_dir.glob("*.txt")) if rubric_dir.is_dir() else []
        return " ".join(_normalise_rubric(p.read_text(encoding="utf-8", errors="replace")) for p in texts)

    def sources(self) -> None:
        rubric = self._rubric()

        def verbatim(where: Where, text: str, what: str, subject: str) -> None:
            if rubric and _normalise_rubric(text) not in rubric:
                self.add(where, ERROR, "source-not-verbatim", message("lint.f.source_not_verbatim", what=what, text=repr(text)), subject)

        for ind in self.rs.indicators.values():
            verbatim(self._source_where(ind, None), ind.question, message("lint.f.question_of", id=ind.id), ind.id)
            for level in ind.levels:
                subject = f"{ind.id}.L{level.value}"
                if not level.source.strip():
                    self.add(self._source_where(ind, level), ERROR, "empty-source", message("lint.f.empty_source", level=level.value, id=ind.id), subject)
                else:
                    verbatim(self._source_where(ind, level), level.source, message("lint.f.source_of", subject=subject), subject)

    def source_numbers(self) -> None:
        """A number the rubric sentence names should be one the rule compares with (issue: a level at
        "> 97" under ">98%" linted clean). Conversions allowed are in rules/README.md."""
        for ind in self.rs.indicators.values():
            for level in ind.levels:
                constants = _level_constants(level)
                for number in _source_numbers(level.source):
                    if number.readings & constants:
                        continue
                    subject = f"{ind.id}.L{level.value}"
                    shown = message("lint.f.or").join(_number_text(r) for r in sorted(number.readings, reverse=True))
                    have = ", ".join(_number_text(c) for c in sorted(constants)) or message("lint.f.none")
                    self.add(
                        self._source_where(ind, level),
                        WARNING,
                        "source-number",
                        message("lint.f.source_number", subject=subject, number=repr(number.text), context=repr(number.context), shown=shown, have=have),
                        f"{subject}:{number.text}",
                    )

    def register(self) -> None:
        """Each reading's quoted rubric words are verbatim, and each reading is cited somewhere."""
        rubric = self._rubric()
        cited = {rid for ind in self.rs.indicators.values() for level in ind.levels for rid in level.interpretation}
        cited |= {rid for constraint in self.rs.constraints for rid in constraint.interpretation}
        for rid, entry in self.rs.interpretations.items():
            for k, words in enumerate(entry.settles):
                if rubric and _normalise_rubric(words) not in rubric:
                    self.add(
                        self._register_where(("interpretations", rid, "settles", k), entry.where),
                        ERROR,
                        "settles-not-verbatim",
                        message("lint.f.settles_not_verbatim", id=rid, words=repr(words)),
                        rid,
                    )
            if entry.kind == "reading" and rid not in cited:
                self.add(
                    entry.where,
                    WARNING,
                    "unused-interpretation",
                    message("lint.f.unused_interpretation", id=rid),
                    rid,
                )

    def citations_without_register(self) -> None:
        """With a register the loader checks every citation; without one, each citing level is an error here."""
        if self.rs.interpretations:
            return
        for located in self.indicator_files:
            for i, body in enumerate(located.data["indicators"]):
                for j, raw in enumerate(body["levels"]):
                    cited = raw.get("interpretation") or []
                    if not cited:
                        continue
                    line, column = located.mark(("indicators", i, "levels", j, "interpretation", 0))
                    subject = f"{body['id']}.L{raw['level']}"
                    text = message("lint.f.unknown_interpretation", count=len(cited), subject=subject, ids=", ".join(cited), register=REGISTER_FILE)
                    self.out.append(Diagnostic(located.file, line, column, ERROR, "unknown-interpretation", text, subject))

    def _register_where(self, path: tuple[Any, ...], fallback: Where | None) -> Where | None:
        if self.register_file is None or fallback is None:
            return fallback
        line, column = self.register_file.mark(path)
        return Where(fallback.file, line, column)

    def unused(self) -> None:
        used = set(self.rs.rule_facts)
        for name, spec in self.rs.catalogue.facts.items():
            if name not in used and name not in META_FACTS:
                self.add(spec.where, WARNING, "unused-fact", message("lint.f.unused_fact", name=name), name)
        enums_used = {spec.enum.name for spec in self.rs.catalogue.facts.values() if spec.enum is not None}
        for name in self.rs.catalogue.enums:
            if name not in enums_used:
                self.add(self._ruleset_where(("enums", name)), WARNING, "unused-enum", message("lint.f.unused_enum", name=name), name)
        lookups_used = {
            leaf.lookup.name for ind in self.rs.indicators.values() for level in ind.levels for leaf in level.when.comparisons() if leaf.lookup is not None
        }
        for name, lookup in self.rs.lookups.items():
            if name not in lookups_used:
                self.add(lookup.where, WARNING, "unused-lookup", message("lint.f.unused_lookup", name=name), name)

    def lookup_bands(self) -> None:
        """A key value no band covers leaves every condition using the lookup unknown, with no evidence missing."""
        for name, lookup in self.rs.lookups.items():
            universe = self.an.universe(lookup.key)
            covered = None
            for band in lookup.bands:
                part = self.an.satisfying(lookup.key, band.op, band.value)
                covered = part if covered is None else covered | part  # type: ignore[operator]  # one fact's domains: both numbers or both sets
            gap = universe - covered if covered is not None else universe  # type: ignore[operator]  # one fact's domains: both numbers or both sets
            if gap:
                shown = format_domain(self.rs.catalogue, lookup.key, gap)
                self.add(lookup.where, WARNING, "lookup-gap", message("lint.f.lookup_gap", name=name, key=lookup.key, shown=shown), name)

    def _ruleset_where(self, path: tuple[Any, ...]) -> Where:
        line, column = self.ruleset_file.mark(path)
        return Where("ruleset.yaml", line, column)

    def duplicate_conditions(self, ind: Indicator) -> None:
        for level in ind.levels:
            for node in _composites(level.when):
                seen: dict[str, Condition] = {}
                for child in node.children:
                    text = child.text()
                    if text in seen:
                        self.add(
                            child.where,
                            WARNING,
                            "duplicate-condition",
                            message("lint.f.duplicate_condition", text=text, kind=node.kind, where=seen[text].where),
                            child.path,
                        )
                    else:
                        seen[text] = child

    # -- logic ---------------------------------------------------------------------------------

    def _range(self, fact: str) -> str:
        return format_domain(self.rs.catalogue, fact, self.an.universe(fact))

    def logic(self, ind: Indicator) -> None:
        truths: dict[int, list[Box]] = {}
        for level in ind.levels:
            true, false = self.an.sets(level.when)
            truths[level.value] = true
            subject = f"{ind.id}.L{level.value}"
            if not true:
                self.unsatisfiable(ind, level)
                continue
            for leaf in level.when.comparisons():
                self.comparison(leaf)
            if not false and level.when.children:
                self.add(level.where, WARNING, "always-true", message("lint.f.level_always_true", level=level.value, id=ind.id), subject)
        self.never_highest(ind, truths)
        self.brackets(ind, truths)

    def comparison(self, leaf: Compare) -> None:
        true, false = self.an.sets(leaf)
        if not true:
            self.add(
                leaf.where,
                WARNING,
                "dead-comparison",
                message("lint.f.dead_comparison", text=leaf.text(), fact=leaf.fact, range=self._range(leaf.fact)),
                leaf.path,
            )
        elif not false:
            self.add(
                leaf.where,
                WARNING,
                "always-true",
                message("lint.f.comparison_always_true", text=leaf.text(), fact=leaf.fact, range=self._range(leaf.fact)),
                leaf.path,
            )

    def unsatisfiable(self, ind: Indicator, level: Level) -> None:
        subject = f"{ind.id}.L{level.value}"
        head = message("lint.f.never_holds", level=level.value, id=ind.id)
        parts = _conjuncts(level.when)
        for leaf in parts:
            if not self.an.sets(leaf)[0]:
                self.add(
                    leaf.where,
                    ERROR,
                    "unsatisfiable",
                    message("lint.f.impossible", head=head, text=leaf.text(), fact=leaf.fact, range=self._range(leaf.fact)),
                    subject,
                )
                return
        for j, later in enumerate(parts):
            for earlier in parts[:j]:
                if not self.an.conjoin(self.an.sets(earlier)[0], self.an.sets(later)[0]):
                    self.add(
                        later.where,
                        ERROR,
                        "unsatisfiable",
                        message("lint.f.contradicts", head=head, later=later.text(), earlier=earlier.text(), line=earlier.where.line),
                        subject,
                    )
                    return
        self.add(level.where, ERROR, "unsatisfiable", message("lint.f.no_values", head=head, text=level.when.text()), subject)

    def never_highest(self, ind: Indicator, truths: dict[int, list[Box]]) -> None:
        for level in ind.levels:
            mine = truths[level.value]
            higher = [lv for lv in ind.levels if lv.value > level.value and truths[lv.value]]
            if not mine or not higher:
                continue
            union: list[Box] = []
            for lv in higher:
                union = self.an.disjoin(union, truths[lv.value])
            if not self.an.covered(mine, union):
                continue
            single = next((lv for lv in higher if self.an.covered(mine, truths[lv.value])), None)
            if single is not None:
                why = message("lint.f.why_single", level=single.value, where=single.where)
            else:
                why = message("lint.f.why_any", levels=", ".join(str(lv.value) for lv in higher))
            self.add(
                level.where,
                WARNING,
                "never-highest",
                message("lint.f.never_highest", level=level.value, id=ind.id, why=why),
                f"{ind.id}.L{level.value}",
            )

    def _leaf_on(self, level: Level, fact: str) -> Any:
        for leaf in level.when.comparisons():
            if leaf.fact == fact or (leaf.lookup is not None and leaf.lookup.key == fact):
                return leaf.where
        return level.where

    def brackets(self, ind: Indicator, truths: dict[int, list[Box]]) -> None:
        """Numeric or enum facts that every level constrains: look for values no level takes, or two take."""
        levels = [lv for lv in ind.levels if truths[lv.value]]
        if len(levels) < 2:
            return
        catalogue = self.rs.catalogue
        candidates = [f for f in ind.facts() if catalogue.facts[f].type in ("number", "integer", "enum")]
        for fact in candidates:
            universe = self.an.universe(fact)
            ranges = {lv.value: self.an.projection(truths[lv.value], fact) for lv in levels}
            if any(r == universe for r in ranges.values()):
                continue  # some level does not depend on this fact: not a bracket
            self.gaps(ind, levels, fact, universe, ranges)
            self.overlaps(ind, levels, fact, ranges)

    @staticmethod
    def _bounds(values: Any) -> tuple[Any, Any]:
        if isinstance(values, frozenset):
            return min(values), max(values)
        return values.low, values.high

    def _direction(self, levels: list[Level], ranges: dict[int, Any]) -> int:
        """+1 when higher levels take higher values, -1 when lower values, 0 when neither."""
        bounds = [self._bounds(ranges[lv.value]) for lv in levels]
        pairs = list(pairwise(bounds))
        if all(b[0] >= a[0] and b[1] >= a[1] for a, b in pairs) and bounds[-1] != bounds[0]:
            return 1
        if all(b[0] <= a[0] and b[1] <= a[1] for a, b in pairs) and bounds[-1] != bounds[0]:
            return -1
        return 0

    def gaps(self, ind: Indicator, levels: list[Level], fact: str, universe: Any, ranges: dict[int, Any]) -> None:
        covered = None
        for r in ranges.values():
            covered = r if covered is None else covered | r
        gap = universe - covered
        if not gap:
            return
        low, high = self._bounds(covered)
        direction = self._direction(levels, ranges)
        for piece in _pieces(gap):
            p_low, p_high = self._bounds(piece)
            if p_low > low and p_high < high:
                where_text = message("lint.f.gap_between")
            elif p_high < high:
                if direction == 1:
                    continue  # below a rising ladder: the rubric's own "0", not a gap
                where_text = message("lint.f.gap_below")
            else:
                if direction == -1:
                    continue
                where_text = message("lint.f.gap_above")
            # Point at the bracket just past the gap, where a boundary was most likely mistyped.
            starts_above = [lv for lv in levels if self._bounds(ranges[lv.value])[0] >= p_high]
            if starts_above:
                neighbour = min(starts_above, key=lambda lv: self._bounds(ranges[lv.value])[0])
            else:
                neighbour = max(levels, key=lambda lv: self._bounds(ranges[lv.value])[1])
            shown = format_domain(self.rs.catalogue, fact, piece)
            self.add(
                self._leaf_on(neighbour, fact),
                WARNING,
                "bracket-gap",
                message("lint.f.bracket_gap", id=ind.id, fact=fact, shown=shown, where=where_text),
                f"{ind.id}:{fact}",
            )

    def overlaps(self, ind: Indicator, levels: list[Level], fact: str, ranges: dict[int, Any]) -> None:
        for i, lower in enumerate(levels):
            for higher in levels[i + 1 :]:
                a, b = ranges[lower.value], ranges[higher.value]
                both = a & b
                if not both or b <= a:
                    continue  # disjoint, or the higher level narrows the lower one (a threshold ladder)
                shown = format_domain(self.rs.catalogue, fact, both)
                self.add(
                    self._leaf_on(higher, fact),
                    WARNING,
                    "bracket-overlap",
                    message("lint.f.bracket_overlap", id=ind.id, lower=lower.value, higher=higher.value, fact=fact, shown=shown),
                    f"{ind.id}:{fact}",
                )


# -- numbers in the rubric's sentences --------------------------------------------------------

# The level's own marker, "Nilai (3)", "(3)" or "(3)jika", is not a threshold.
_LEVEL_MARKER = re.compile(r"^\s*(?:nilai\s*)?\(\d+\)", re.IGNORECASE)
# A number as the rubric writes it: thousands grouped by dots ("1.500.000"), a decimal comma
# ("99,5"). Digits inside a word ("anak2", "covid-19") are not numbers. In a range ("90-98%",
# "1-3") both ends are numbers, and a percent sign after the range applies to both.
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?!\d)|\d+(?:,\d+)?"
_SOURCE_NUMBER = re.compile(rf"(?<![A-Za-z\d])(?<![A-Za-z]-)(?P<low>{_NUMBER})(?:\s*-\s*(?P<high>{_NUMBER}))?(?P<pct>\s*%)?(?![A-Za-z\d])")


@dataclass(frozen=True, slots=True)
class _SourceNumber:
    text: str  # as written, "1.500.000"
    context: str  # the words around it, for the message
    readings: frozenset[Fraction]  # the constants it may stand for


def _parse_number(text: str) -> Fraction:
    if "." in text:
        return Fraction(text.replace(".", ""))
    return Fraction(text.replace(",", "."))


def _source_numbers(source: str) -> list[_SourceNumber]:
    """The numbers of a rubric sentence, each with the constants it may stand for (rules/README.md).

    A percentage "98%" is 98 (percent facts hold 0-100) or 0.98 (a share).
    """
    marker = _LEVEL_MARKER.match(source)
    start = marker.end() if marker else 0
    out = []
    for m in _SOURCE_NUMBER.finditer(source, start):
        before = re.search(r"(?:\S+\s+){0,2}\S*$", source[start : m.start()])
        after = re.match(r"\S*(?:\s+\S+){0,2}", source[m.end() :])
        context = (before.group(0) if before else "") + m.group(0) + (after.group(0) if after else "")
        for group in ("low", "high"):
            text = m.group(group)
            if text is None:
                continue
            value = _parse_number(text)
            readings = {value, value / 100} if m.group("pct") else {value}
            out.append(_SourceNumber(text, context, frozenset(readings)))
    return out


def _level_constants(level: Level) -> set[Fraction]:
    """Every number the level's conditions compare with: values, bounds, list items, and the
    bands and results of the lookups it uses."""
    values: list[Any] = []
    for leaf in level.when.comparisons():
        if leaf.lookup is not None:
            for band in leaf.lookup.bands:
                values.extend(band.value if isinstance(band.value, (tuple, list)) else (band.value,))
                values.append(band.result)
        elif isinstance(leaf.value, (tuple, list)):
            values.extend(leaf.value)
        else:
            values.append(leaf.value)
    return {exact_number(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)}


def _number_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):g}"


def _pieces(values: Any) -> list[Any]:
    """A set split into its connected pieces (intervals, or runs of consecutive enum ranks)."""
    if isinstance(values, NumberSet):
        return [NumberSet([part], values.integer) for part in values.parts]
    runs: list[list[int]] = []
    for v in sorted(values):
        if runs and v == runs[-1][-1] + 1:
            runs[-1].append(v)
        else:
            runs.append([v])
    return [frozenset(run) for run in runs]
