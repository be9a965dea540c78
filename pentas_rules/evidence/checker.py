"""The one evidence checker: a mapping and a ruleset give the Evidence, or every problem worded.

It takes a mapping, not bytes, so JSON, a spreadsheet or a form can feed it. One walk
over the document checks the metadata and every fact against the catalogue and reads
the facts as it goes; a valid document costs that walk and nothing more. Each problem
says where (a path of keys and indices into the mapping), what was expected, what was
found and, for a misspelt name, "did you mean". The path is given to ``locate``,
which words it for the caller's format: by default a JSON path (``$.facts.parkir.ada``);
a workbook reader can name a sheet and cell instead.

It is a little over 400 lines because the one walk is the point: splitting meta, facts
and overrides into modules of their own would split the walk that checks them together.

The generated JSON Schema (``schema.py``) is the reference: a property test holds the
checker to jsonschema's verdict. Beyond the schema it checks what a schema cannot
express: a province its region code does not name, a date that is not on the
calendar, a name of only whitespace; and it warns of a year other than the ruleset's.

Nested objects are ``dict`` and arrays ``list``, as ``json.loads`` builds them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import EvidenceError, EvidenceProblem, EvidenceWarning, Problem, suggest
from ..messages import message
from ..messages import number as localized_number
from ..ruleset.model import META_FACTS, FactSpec, Ruleset
from .jsonfile import json_path, show, unit_name
from .model import Evidence, FactNote, OfficeMeta, Override
from .overrides import Add, KeyPath, OverrideChecker
from .schema import DATE, META_PROPERTIES, META_REQUIRED, REGION_CODE

__all__ = ["EvidenceChecker", "KeyPath", "Locate"]

Locate = Callable[[KeyPath], str]
"""Words a path of keys and indices into the mapping as the caller's location."""

_TOP_KEYS = ("$schema", "ruleset", "meta", "facts", "overrides")
_FACT_KEYS = ("value", "source", "page", "note")
_BOOL, _NUMBER, _INTEGER, _ENUM = range(4)
_SCALARS = frozenset({bool, int, float, str, type(None)})  # JSON's values that are not objects or arrays
_KINDS = {"bool": _BOOL, "number": _NUMBER, "integer": _INTEGER, "enum": _ENUM}


class _Fact:
    """A catalogue entry compiled for checking: what a value must be, and how to say so."""

    __slots__ = ("expected", "kind", "maximum", "minimum", "name", "options", "spec", "values")

    def __init__(self, name: str, spec: FactSpec) -> None:
        self.name, self.spec = name, spec
        self.kind = _KINDS[spec.type]
        self.minimum, self.maximum = spec.minimum, spec.maximum
        self.values: tuple[str, ...] = tuple(spec.enum.values) if spec.enum is not None else ()
        self.options = frozenset(self.values)
        self.expected = self._describe()

    def _describe(self) -> str:
        if self.kind == _BOOL:
            return "true or false"
        if self.kind == _ENUM:
            return "one of " + ", ".join(self.values)
        kind = "a whole number" if self.kind == _INTEGER else "a number"
        unit = f" ({self.spec.unit})" if self.spec.unit else ""
        if self.minimum is not None and self.maximum is not None:
            return f"{kind} from {self.minimum:g} to {self.maximum:g}{unit}"
        return kind + unit

    @property
    def unit(self) -> str:
        """`` (percent)`` after a number, the unit named in the active language; empty without one."""
        return f" ({unit_name(self.spec.unit)})" if self.spec.unit else ""

    def describe(self) -> str:
        """What a value must be, in the active language (``expected`` stays the English phrase of the problem record)."""
        if self.kind == _BOOL:
            return message("ev.true_or_false")
        if self.kind == _ENUM:
            return message("ev.one_of", values=", ".join(self.values))
        kind = message("ev.whole_number" if self.kind == _INTEGER else "ev.a_number")
        if self.minimum is not None and self.maximum is not None:
            return message("ev.range", kind=kind, minimum=localized_number(self.minimum), maximum=localized_number(self.maximum), unit=self.unit)
        return kind + self.unit

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not a value of this fact, or None when it is (null is: unknown)."""
        misfit = None if value is None else self.spec.misfit(value)
        if misfit is None:
            return None
        how, bound = misfit
        if how == "enum":
            hint = suggest(value, self.values) if isinstance(value, str) else None
            extra = message("ev.did_you_mean_value", hint=repr(hint)) if hint and hint != value else ""
            return message("ev.expected_found", expected=message("ev.one_of", values=", ".join(self.values)), found=show(value)) + extra
        if how == "whole":
            return message("ev.expected_found", expected=message("ev.whole_number") + self.unit, found=repr(value))
        if how in ("below", "above"):
            return message(f"ev.{how}_{'minimum' if how == 'below' else 'maximum'}", value=repr(value), bound=localized_number(bound), unit=self.unit)
        return message("ev.expected_found", expected=self.describe(), found=show(value))


# The numeric office metadata rules may use is declared once, by the rule model.
_META_NUMBERS = {"year": _Fact("meta.year", META_FACTS["meta.year"]), "population": _Fact("meta.population", META_FACTS["meta.population"])}


class _Walk:
    """One check of one document: the facts read and the problems found, with their paths."""

    __slots__ = ("facts", "notes", "overrides", "problems", "warnings")

    def __init__(self) -> None:
        self.facts: dict[str, Any] = {}
        self.notes: dict[str, FactNote] = {}
        self.overrides: list[tuple[KeyPath, dict[str, Any]]] = []
        self.problems: list[tuple[KeyPath, str, str | None, str | None, str | None]] = []
        self.warnings: list[tuple[str, KeyPath, str, str, str, Any]] = []

    def add(self, where: KeyPath, message: str, expected: str | None = None, found: str | None = None, suggestion: str | None = None) -> None:
        self.problems.append((where, message, expected, found, suggestion))


class EvidenceChecker:
    """Built once per ruleset from its fact catalogue; called per document.

    ``check`` returns the Evidence or raises EvidenceError with every problem;
    ``problems`` returns the same problems as a list (empty when valid).
    """

    __slots__ = ("all_names", "bools", "by_name", "groups", "overrides", "provinces", "ruleset_name", "year")

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset_name = ruleset.name
        self.year = ruleset.year
        self.provinces = ruleset.provinces
        self.by_name = {_folded(name): code for code, name in ruleset.provinces.items()}
        catalogue = ruleset.catalogue
        self.groups: dict[str, dict[str, _Fact]] = {group: {} for group in catalogue.groups}
        for name, spec in catalogue.facts.items():
            if not name.startswith("meta."):
                group, fact = name.split(".", 1)
                self.groups.setdefault(group, {})[fact] = _Fact(name, spec)
        self.all_names = [n for n in catalogue.facts if not n.startswith("meta.")]
        # Per group, its bool facts' full names by key: true or false, the common value, is read with one lookup.
        self.bools = {group: {key: fact.name for key, fact in specs.items() if fact.kind == _BOOL} for group, specs in self.groups.items()}
        self.overrides = OverrideChecker(ruleset)

    def check(self, doc: Mapping[str, Any], file: str, locate: Locate = json_path) -> Evidence:
        """The Evidence of ``doc``; EvidenceError naming ``file`` and every problem when it is not valid."""
        walk = self._walk(doc)
        if walk.problems:
            raise EvidenceError(file, _worded(walk, locate))
        meta = doc["meta"]
        facts = walk.facts
        year = int(meta["year"])
        population = meta.get("population")
        if population is not None:
            population = facts["meta.population"] = int(population)
        facts["meta.year"] = year
        # Positional, and no generator for the usual empty warnings and overrides: one of about 500
        # offices a second (keywords and two empty generators cost about 2 us).
        return Evidence(
            file,
            OfficeMeta(meta["office"], meta["region_code"], meta["province"], year, population, meta.get("assessed_on"), tuple(meta.get("assessors", ()))),
            facts,
            walk.notes,
            doc.get("ruleset", meta.get("ruleset")),
            tuple(
                [
                    EvidenceWarning(wid, locate(where), text_id, text_en, ((name, locate(where), value),))
                    for wid, where, text_id, text_en, name, value in walk.warnings
                ]
            )
            if walk.warnings
            else (),
            tuple(
                [
                    Override(o["indicator"], int(o["level"]), o["reason"], o["assessor"], o["date"], o.get("approved_by"), locate(where))
                    for where, o in walk.overrides
                ]
            )
            if walk.overrides
            else (),
        )

    def problems(self, doc: Mapping[str, Any], locate: Locate = json_path) -> list[Problem]:
        """Every problem in ``doc``, in document order; empty when it is valid."""
        return _worded(self._walk(doc), locate)

    # -- the walk ------------------------------------------------------------------------

    def _walk(self, doc: Mapping[str, Any]) -> _Walk:
        walk = _Walk()
        for key in doc:
            if key not in _TOP_KEYS:
                walk.add(
                    (key,), message("ev.unknown_top_key", key=repr(key)), "top-level key", repr(key), suggest(key, ["meta", "facts", "ruleset", "overrides"])
                )
        if "ruleset" in doc:
            self._ruleset(doc["ruleset"], ("ruleset",), walk)
        if "$schema" in doc and not isinstance(doc["$schema"], str):
            walk.add(("$schema",), message("ev.expected_found", expected=message("ev.text"), found=show(doc["$schema"])), "string", show(doc["$schema"]))
        if "meta" not in doc:
            walk.add((), message("ev.missing_meta"), "meta", "nothing")
        else:
            self._meta(doc["meta"], walk)
        if "facts" not in doc:
            walk.add((), message("ev.missing_facts"), "facts", "nothing")
        else:
            self._facts(doc["facts"], walk)
        if "overrides" in doc:
            walk.overrides.extend(self.overrides.check(doc["overrides"], walk.add, self._date))
        return walk

    def _facts(self, body: Any, walk: _Walk) -> None:
        if not isinstance(body, dict):
            walk.add(("facts",), message("ev.expected_found", expected=message("ev.object_of_groups"), found=show(body)), "object", show(body))
            return
        facts, notes = walk.facts, walk.notes
        for group, entries in body.items():
            specs = self.groups.get(group)
            if specs is None:
                self._unknown_group(group, walk)
                continue
            if not isinstance(entries, dict):
                walk.add(("facts", group), message("ev.expected_found", expected=message("ev.object_of_facts"), found=show(entries)), "object", show(entries))
                continue
            bools = self.bools[group]
            for key, raw in entries.items():
                if raw.__class__ is bool:  # a bool fact written true or false (most facts): nothing more to check
                    try:  # a subscript, not .get() and a test for None: about 25 ns of about 140 facts an office
                        facts[bools[key]] = raw
                        continue
                    except KeyError:  # not a bool fact: checked below
                        pass
                fact = specs.get(key)
                if fact is None:
                    name = f"{group}.{key}"
                    walk.add(("facts", group, key), message("ev.unknown_fact", name=repr(name)), "a declared fact", repr(name), suggest(name, self.all_names))
                    continue
                cls = raw.__class__
                # A bare scalar, the common case, is told from a fact object without isinstance(),
                # and its JSON path is built only if it has a problem (about 190 facts an office).
                where: KeyPath | None = None
                value = raw
                if cls not in _SCALARS and isinstance(raw, dict):
                    if len(raw) != 1 or "value" not in raw:
                        if _fact_object(fact, raw, ("facts", group, key), walk):
                            notes[fact.name] = FactNote(raw.get("source"), raw.get("note"), raw.get("page"))
                            _read(fact, raw["value"], facts)
                        continue
                    value = raw["value"]
                    cls = value.__class__
                    where = ("facts", group, key, "value")
                # A shortcut for the common valid values, narrower than fact.problem(),
                # which decides (and words) everything the shortcut does not accept.
                kind = fact.kind
                if value is None:
                    continue
                if kind == _BOOL:
                    if cls is bool:
                        facts[fact.name] = value
                        continue
                elif kind == _ENUM:
                    if cls is str and value in fact.options:
                        facts[fact.name] = value
                        continue
                elif (
                    (cls is int or (cls is float and kind == _NUMBER))
                    and (fact.minimum is None or value >= fact.minimum)
                    and (fact.maximum is None or value <= fact.maximum)
                ):
                    facts[fact.name] = value
                    continue
                problem = fact.problem(value)
                if problem is not None:
                    walk.add(where or ("facts", group, key), problem, fact.expected, show(value))
                else:
                    _read(fact, value, facts)

    def _unknown_group(self, group: str, walk: _Walk) -> None:
        where = ("facts", group)
        if "." in group and group in self.all_names:
            head, tail = group.split(".", 1)
            walk.add(where, message("ev.dotted_fact", example=f'{{"{head}": {{"{tail}": ...}}}}'), "a fact group", repr(group))
        else:
            hint = suggest(group, self.all_names if "." in group else list(self.groups))
            walk.add(where, message("ev.unknown_group", name=repr(group)), "a fact group", repr(group), hint)

    def _ruleset(self, value: Any, where: KeyPath, walk: _Walk) -> None:
        if value != self.ruleset_name:
            walk.add(where, message("ev.other_ruleset", given=repr(value), loaded=repr(self.ruleset_name)), self.ruleset_name, show(value))

    def _meta(self, meta: Any, walk: _Walk) -> None:
        if not isinstance(meta, dict):
            walk.add(("meta",), message("ev.expected_found", expected=message("ev.an_object"), found=show(meta)), "object", show(meta))
            return
        for key in META_REQUIRED:
            if key not in meta:
                walk.add(("meta",), message("ev.missing_key", key=repr(key)), key, "nothing")
        for key, value in meta.items():
            where: KeyPath = ("meta", key)
            if key == "ruleset":  # the ruleset may be named here or at the top level
                self._ruleset(value, where, walk)
            elif key not in META_PROPERTIES:
                allowed = [*META_PROPERTIES, "ruleset"]
                walk.add(where, message("ev.unknown_meta_key", key=repr(key), allowed=", ".join(allowed)), None, repr(key), suggest(key, allowed))
            elif key in ("office", "province"):
                if not isinstance(value, str) or not value:
                    walk.add(where, message("ev.expected_found", expected=message("ev.non_empty_text"), found=show(value)), "string", show(value))
                elif not value.strip():  # beyond the schema: a name of only spaces names nothing
                    walk.add(where, message("ev.blank_name", found=show(value)), "non-blank text", show(value))
            elif key == "region_code":
                if not isinstance(value, str) or not REGION_CODE.match(value):
                    walk.add(where, message("ev.region_code", found=show(value)), "PP.KK", show(value))
            elif key == "assessed_on":
                self._date(value, walk.add)
            elif key == "assessors":
                self._assessors(value, walk)
            else:  # year, population
                number = _META_NUMBERS[key]
                problem = number.problem(value) if value is not None else message("ev.expected_found", expected=number.describe(), found="null")
                if problem:
                    walk.add(where, problem, number.expected, show(value))
                elif key == "year" and self.year is not None and value != self.year:
                    self._other_year(int(value), walk)
        self._province(meta, walk)

    def _date(self, value: Any, add: Add, where: KeyPath = ("meta", "assessed_on")) -> None:
        if not isinstance(value, str) or not DATE.match(value):
            add(where, message("ev.date", found=show(value)), "YYYY-MM-DD", show(value))
            return
        try:  # beyond the schema's pattern: the date must be on the calendar
            datetime.date.fromisoformat(value)
        except ValueError:
            add(where, message("ev.not_calendar_date", value=repr(value), reason=_date_reason(value)), "a real date YYYY-MM-DD", show(value))

    def _assessors(self, value: Any, walk: _Walk) -> None:
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            walk.add(
                ("meta", "assessors"), message("ev.expected_found", expected=message("ev.list_of_names"), found=show(value)), "array of strings", show(value)
            )
            return
        for i, name in enumerate(value):
            if not name.strip():
                walk.add(("meta", "assessors", i), message("ev.blank_name", found=show(name)), "non-blank text", show(name))

    def _other_year(self, year: int, walk: _Walk) -> None:
        name, ryear = self.ruleset_name, self.year
        walk.warnings.append(
            (
                "year",
                ("meta", "year"),
                # Both languages, from the catalogue: the result JSON carries the warning in each.
                message("ev.other_year", "id", year=year, name=name, ruleset_year=ryear),
                message("ev.other_year", "en", year=year, name=name, ruleset_year=ryear),
                "meta.year",
                year,
            )
        )

    def _province(self, meta: dict[str, Any], walk: _Walk) -> None:
        """Beyond the schema: the province must be the one the region code's two-digit prefix names."""
        provinces = self.provinces
        region, province = meta.get("region_code"), meta.get("province")
        if not provinces or not isinstance(region, str) or not REGION_CODE.match(region):
            return
        prefix = region[:2]
        expected = provinces.get(prefix)
        by_name = self.by_name
        if expected is None:
            code = by_name.get(_folded(province)) if isinstance(province, str) else None
            hint = message("ev.province_has_code", province=repr(province), code=code) if code is not None else ""
            walk.add(
                ("meta", "region_code"),
                message("ev.not_province_code", region=region, prefix=prefix, hint=hint, known=", ".join(provinces)),
                "a province code",
                show(region),
            )
            return
        if province == expected:  # the usual case, decided before folding either name
            return
        if not isinstance(province, str) or not province.strip() or _folded(province) == _folded(expected):
            return
        if _folded(province) in by_name:
            text = message(
                "ev.province_mismatch", province=repr(province), region=region, prefix=prefix, expected=expected, name=province, code=by_name[_folded(province)]
            )
        else:
            text = message("ev.unknown_province", province=repr(province), region=region, expected=expected)
        walk.add(("meta", "province"), text, expected, show(province), expected)


def _fact_object(fact: _Fact, raw: dict[str, Any], where: KeyPath, walk: _Walk) -> bool:
    """Check a fact written as ``{value, source, note}``, every problem at once; True when it is valid."""
    before = len(walk.problems)
    for key in raw:
        if key not in _FACT_KEYS:
            walk.add(
                where + (key,),
                message("ev.unknown_fact_key", key=repr(key)),
                "value, source, page or note",
                repr(key),
                suggest(key, _FACT_KEYS),
            )
    if "value" not in raw:
        walk.add(where, message("ev.fact_needs_value"), "value", "no value")
    else:
        problem = fact.problem(raw["value"])
        if problem is not None:
            walk.add(where + ("value",), problem, fact.expected, show(raw["value"]))
    for key in _FACT_KEYS[1:]:
        if key in raw and not isinstance(raw[key], str):
            walk.add(where + (key,), message("ev.expected_found", expected=message("ev.text"), found=show(raw[key])), "string", show(raw[key]))
    return len(walk.problems) == before


def _read(fact: _Fact, value: Any, facts: dict[str, Any]) -> None:
    """Record a valid value; null (or absence) is unknown, so it is not recorded."""
    if value is not None:
        # 5.0 is read as 5, as JSON Schema's "integer" accepts it
        facts[fact.name] = int(value) if fact.kind == _INTEGER and value.__class__ is float else value


def _date_reason(value: str) -> str:
    """Why a YYYY-MM-DD text is not on the calendar, in our words (Python's own are English)."""
    year, month, day = (int(part) for part in value.split("-"))
    if month < 1 or month > 12:
        return message("ev.date_month", month=month)
    if year < 1:
        return message("ev.date_year")
    import calendar  # deferred: with locale about 1.2 ms of every start, for this one error message

    days = calendar.monthrange(year, month)[1]
    return message("ev.date_day", day=day, month=month, year=year, days=days)


def _folded(name: str) -> str:
    """A province name compared as ``rank --province`` compares it: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def _worded(walk: _Walk, locate: Locate) -> list[Problem]:
    return [EvidenceProblem(locate(where), message, expected, found, hint) for where, message, expected, found, hint in walk.problems]
