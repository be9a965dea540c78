"""The compiled rule model: immutable, checked against the fact catalogue at load time.

The tree is ruleset -> aspect -> indicator -> level -> condition. Every node
carries a :class:`Where` so an error, a trace line or a diff can say which file
and line it came from. Nothing here is specific to one rubric.

The module is over 400 lines because it is the whole rule vocabulary, the
condition node classes with it: every later stage reads these types, and one
file keeps them one place to look.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from fractions import Fraction
from typing import Any, ClassVar, TypeVar, cast

from ..files.record import Record

__all__ = [
    "AllOf",
    "AnyOf",
    "Aggregation",
    "Aspect",
    "Catalogue",
    "Compare",
    "Condition",
    "Constraint",
    "EnumSpec",
    "FactSpec",
    "Indicator",
    "Interpretation",
    "Level",
    "Lookup",
    "LookupBand",
    "META_FACTS",
    "Not",
    "Ruleset",
    "Where",
    "derived",
    "exact_number",
    "value_text",
]

_Built = TypeVar("_Built")


def derived(owner: Any, slot: str, build: Callable[[Any], _Built]) -> _Built:
    """``build(owner)``, made once and kept in ``owner``'s slot: what is derived from a frozen
    ruleset or catalogue lives as long as it does, with no cache keyed by its identity."""
    found = getattr(owner, slot)
    if found is None:
        found = build(owner)
        object.__setattr__(owner, slot, found)  # frozen: the one slot set after construction
    return cast(_Built, found)  # the slot holds only what build() made


def exact_number(value: int | float) -> Fraction:
    """A number from a rule file as the reader means it: 10.1 is 101/10, not the nearest binary float."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


class Where(Record):
    """Where a rule node was written: file (relative to the ruleset folder), 1-based line and column."""

    _fields = ("file", "line", "column")
    __slots__ = (*_fields, "text")  # and what is derived after construction
    file: str
    line: int | None
    column: int | None
    # Rendered once: every trace node of every result prints its location.
    text: str
    # The four slot writers, called directly: a cached start builds about 930 locations, and
    # this halves each one's cost against _fill's loop and object.__setattr__ (0.5 us, measured).
    _writers: ClassVar[tuple[Any, Any, Any, Any]]

    def __init__(self, file: str, line: int | None = None, column: int | None = None) -> None:
        set_file, set_line, set_column, set_text = self._writers
        set_file(self, file)
        set_line(self, line)
        set_column(self, column)
        text = file
        if line is not None:
            text += f":{line}"
            if column is not None:
                text += f":{column}"
        set_text(self, text)

    def __str__(self) -> str:
        return self.text


Where._writers = (*Where._setters, vars(Where)["text"].__set__)


class EnumSpec(Record):
    """An ordinal enumeration, values listed lowest to highest."""

    __slots__ = ("name", "values", "description_id", "description_en")
    name: str
    values: tuple[str, ...]
    description_id: str
    description_en: str

    def __init__(self, name: str, values: tuple[str, ...], description_id: str = "", description_en: str = "") -> None:
        self._fill(name, values, description_id, description_en)

    def rank(self, value: str) -> int:
        return self.values.index(value)


class FactSpec(Record):
    """One observable thing in the evidence: its dotted name, type, unit and range."""

    __slots__ = ("name", "type", "description_id", "description_en", "unit", "minimum", "maximum", "enum", "where")
    name: str
    type: str  # "bool" | "number" | "integer" | "enum"
    description_id: str
    description_en: str
    unit: str | None
    minimum: float | int | None
    maximum: float | int | None
    enum: EnumSpec | None
    where: Where | None

    def __init__(
        self,
        name: str,
        type: str,
        description_id: str,
        description_en: str,
        unit: str | None = None,
        minimum: float | int | None = None,
        maximum: float | int | None = None,
        enum: EnumSpec | None = None,
        where: Where | None = None,
    ) -> None:
        self._fill(name, type, description_id, description_en, unit, minimum, maximum, enum, where)

    @property
    def group(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def is_numeric(self) -> bool:
        return self.type in ("number", "integer")

    def misfit(self, value: Any) -> tuple[str, Any] | None:
        """How a non-null ``value`` fails to be a value of this fact, or None when it is one.

        One classification serves the evidence checker and the rule loader, which word it
        each for their reader: ``("type", None)`` the wrong kind of value (a bool for a
        number, a string for a bool), ``("enum", None)`` not one of the enum's values,
        ``("whole", None)`` a fraction for an integer fact, ``("below", minimum)`` and
        ``("above", maximum)``. An enum fact whose enum is undeclared accepts anything:
        the undeclared enum is reported where the fact is declared.
        """
        if self.type == "bool":
            return None if value is True or value is False else ("type", None)
        if self.type == "enum":
            if self.enum is None or (isinstance(value, str) and value in self.enum.values):
                return None
            return ("enum", None)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return ("type", None)
        if self.type == "integer" and isinstance(value, float) and not value.is_integer():
            return ("whole", None)
        if self.minimum is not None and value < self.minimum:
            return ("below", self.minimum)
        if self.maximum is not None and value > self.maximum:
            return ("above", self.maximum)
        return None


class Catalogue(Record):
    """Every fact a ruleset may use, declared once, plus its enums and group titles."""

    _fields = ("facts", "enums", "groups")
    __slots__ = (*_fields, "analyzer")  # and what is derived after construction
    facts: dict[str, FactSpec]
    enums: dict[str, EnumSpec]
    groups: dict[str, tuple[str, str]]  # group -> (title_id, title_en)
    # The condition algebra over these facts (``analysis.Analyzer``), made on first use by
    # ``analysis.analyzer``: its memo of each level's sets lives as long as the catalogue.
    analyzer: Any

    def __init__(self, facts: dict[str, FactSpec], enums: dict[str, EnumSpec], groups: dict[str, tuple[str, str]]) -> None:
        self._fill(facts, enums, groups)
        object.__setattr__(self, "analyzer", None)

    def __hash__(self) -> int:
        # Over the same fields ``==`` compares (the dicts as item tuples), so equal catalogues hash equal.
        return hash((tuple(self.facts.items()), tuple(self.enums.items()), tuple(self.groups.items())))


class LookupBand(Record):
    """One band of a lookup: when the key satisfies ``op value``, the lookup gives ``result``."""

    __slots__ = ("op", "value", "result")
    op: str
    value: Any
    result: float | int

    def __init__(self, op: str, value: Any, result: float | int) -> None:
        self._fill(op, value, result)


class Lookup(Record):
    """A threshold chosen by another fact's value (e.g. allowed days by population band)."""

    __slots__ = ("name", "key", "bands", "description_id", "description_en", "where")
    name: str
    key: str
    bands: tuple[LookupBand, ...]
    description_id: str
    description_en: str
    where: Where | None

    def __init__(
        self, name: str, key: str, bands: tuple[LookupBand, ...], description_id: str = "", description_en: str = "", where: Where | None = None
    ) -> None:
        self._fill(name, key, bands, description_id, description_en, where)


def value_text(value: Any) -> str:
    """A rule constant as written in the rules: ``true``, ``[90, 98]``, ``10.1``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return str(value)


class Condition(Record):
    """Base of the condition tree. ``path`` is the node's stable id within its level.

    Each kind knows its ``children`` (a tuple, empty for a comparison), its
    ``kind`` word (``all``, ``any``, ``not``, ``compare``) and how to print
    itself, so everything that merely walks a tree (lint, coverage, diff, the
    next step, the generator) uses :meth:`walk` and never asks which kind a node
    is. A new kind is one class here plus its case in the evaluator's compiler
    (and in the condition algebra, whose sets differ per kind).
    """

    __slots__ = ()
    kind: ClassVar[str]
    # A field of all/any, a property of the others.
    children: tuple[Condition, ...]
    path: str
    where: Where

    def walk(self) -> Iterator[Condition]:
        """Every node of the tree, this one first, in the order written (pre-order)."""
        stack: list[Condition] = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def comparisons(self) -> list[Compare]:
        """The comparisons (the leaves) of the tree, in the order written."""
        return [node for node in self.walk() if isinstance(node, Compare)]

    def facts(self) -> tuple[str, ...]:
        """The facts this condition reads, in order of first use, without repeats."""
        seen: dict[str, None] = {}
        self._collect(seen)
        return tuple(seen)

    def _collect(self, seen: dict[str, None]) -> None:
        for child in self.children:
            child._collect(seen)

    def text(self) -> str:
        """The condition in one line, as written in the rules: ``all(site.parking == true, x > 98)``."""
        return f"{self.kind}(" + ", ".join(child.text() for child in self.children) + ")"


class _Junction(Condition):
    """A list of parts: ``all`` and ``any`` hold the same fields and differ only where evaluated."""

    __slots__ = ("children", "path", "where")
    children: tuple[Condition, ...]
    path: str
    where: Where

    def __init__(self, children: tuple[Condition, ...], path: str, where: Where) -> None:
        self._fill(children, path, where)


class AllOf(_Junction):
    """Holds when every part holds."""

    kind: ClassVar[str] = "all"
    __slots__ = ()


class AnyOf(_Junction):
    """Holds when some part holds."""

    kind: ClassVar[str] = "any"
    __slots__ = ()


class Not(Condition):
    """Holds when its one part fails."""

    kind: ClassVar[str] = "not"
    __slots__ = ("child", "path", "where")
    child: Condition
    path: str
    where: Where

    def __init__(self, child: Condition, path: str, where: Where) -> None:
        self._fill(child, path, where)

    @property
    def children(self) -> tuple[Condition, ...]:  # type: ignore[override]  # one part: the base declares a field
        return (self.child,)


class Compare(Condition):
    """A leaf: ``fact op operand``, where the operand is a constant, another fact or a lookup."""

    kind: ClassVar[str] = "compare"
    __slots__ = ("fact", "op", "path", "where", "value", "other_fact", "lookup")
    fact: str
    op: str
    path: str
    where: Where
    value: Any
    other_fact: str | None
    lookup: Lookup | None

    def __init__(self, fact: str, op: str, path: str, where: Where, value: Any = None, other_fact: str | None = None, lookup: Lookup | None = None) -> None:
        self._fill(fact, op, path, where, value, other_fact, lookup)

    @property
    def children(self) -> tuple[Condition, ...]:  # type: ignore[override]  # a leaf: the base declares a field
        return ()

    @property
    def operand_kind(self) -> str:
        if self.other_fact is not None:
            return "fact"
        if self.lookup is not None:
            return "lookup"
        return "value"

    def _collect(self, seen: dict[str, None]) -> None:
        seen.setdefault(self.fact, None)
        if self.other_fact is not None:
            seen.setdefault(self.other_fact, None)
        if self.lookup is not None:
            seen.setdefault(self.lookup.key, None)

    def text(self) -> str:
        if self.other_fact is not None:
            operand = self.other_fact
        elif self.lookup is not None:
            operand = f"lookup {self.lookup.name}"
        else:
            operand = value_text(self.value)
        return f"{self.fact} {self.op} {operand}"


class Level(Record):
    """One "Nilai (n) jika ..." criterion: the level, its verbatim rubric sentence and condition."""

    __slots__ = ("value", "source", "when", "where", "interpretation")
    value: int
    source: str
    when: Condition
    where: Where
    interpretation: tuple[str, ...]

    def __init__(self, value: int, source: str, when: Condition, where: Where, interpretation: tuple[str, ...] = ()) -> None:
        self._fill(value, source, when, where, interpretation)


class Interpretation(Record):
    """One entry of the interpretation register: a reading of the rubric that had to be chosen.

    Levels cite it by ``id``; ``settles`` quotes the rubric words it decides.
    """

    __slots__ = ("id", "text_id", "text_en", "settles", "kind", "where")
    id: str
    text_id: str
    text_en: str
    settles: tuple[str, ...]
    kind: str  # "reading" (cited by levels) | "general" (applies to every level)
    where: Where | None

    def __init__(self, id: str, text_id: str, text_en: str, settles: tuple[str, ...] = (), kind: str = "reading", where: Where | None = None) -> None:
        self._fill(id, text_id, text_en, settles, kind, where)

    def text(self, lang: str) -> str:
        return self.text_id if lang == "id" else self.text_en

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "settles": list(self.settles), "text_id": self.text_id, "text_en": self.text_en}


class Indicator(Record):
    """One assessed question; its levels are kept in ascending order."""

    __slots__ = ("id", "number", "aspect_id", "question", "title_en", "levels", "where")
    id: str
    number: int | None
    aspect_id: str
    question: str
    title_en: str
    levels: tuple[Level, ...]
    where: Where

    def __init__(self, id: str, number: int | None, aspect_id: str, question: str, title_en: str, levels: tuple[Level, ...], where: Where) -> None:
        self._fill(id, number, aspect_id, question, title_en, levels, where)

    def facts(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for level in self.levels:
            level.when._collect(seen)
        return tuple(seen)

    def level(self, value: int) -> Level | None:
        for level in self.levels:
            if level.value == value:
                return level
        return None

    @property
    def label(self) -> str:
        return str(self.number) if self.number is not None else self.id


class Aspect(Record):
    """A weighted group of indicators."""

    __slots__ = ("id", "number", "name_id", "name_en", "weight", "indicator_ids", "where")
    id: str
    number: int
    name_id: str
    name_en: str
    weight: int | float
    indicator_ids: tuple[str, ...]
    where: Where

    def __init__(self, id: str, number: int, name_id: str, name_en: str, weight: int | float, indicator_ids: tuple[str, ...], where: Where) -> None:
        self._fill(id, number, name_id, name_en, weight, indicator_ids, where)


class Constraint(Record):
    """A consistency rule between facts: whenever ``when`` holds, ``then`` must hold too.

    Broken only when ``when`` is true and ``then`` is false; an unknown fact never
    breaks a constraint. A broken constraint is a warning, not an error: the
    evidence is still scored, but the contradiction is shown.
    """

    __slots__ = ("id", "message_id", "message_en", "when", "then", "where", "interpretation")
    id: str
    message_id: str
    message_en: str
    when: Condition
    then: Condition
    where: Where
    interpretation: tuple[str, ...]

    def __init__(self, id: str, message_id: str, message_en: str, when: Condition, then: Condition, where: Where, interpretation: tuple[str, ...] = ()) -> None:
        self._fill(id, message_id, message_en, when, then, where, interpretation)

    def facts(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        self.when._collect(seen)
        self.then._collect(seen)
        return tuple(seen)


class Aggregation(Record):
    """How levels become scores; named policies so another rubric can declare its own."""

    __slots__ = ("indicator", "aspect", "total", "max_level", "total_max", "bands")
    indicator: str
    aspect: str
    total: str
    max_level: int
    total_max: int | float
    # For a policy that counts what is met: ((least, most, level), ...), inclusive ranges of
    # the count and the level each gives; a count no band holds gives level 0.
    bands: tuple[tuple[int, int, int], ...]

    def __init__(
        self,
        indicator: str = "highest_satisfied_level",
        aspect: str = "mean_of_levels",
        total: str = "weighted_sum",
        max_level: int = 5,
        total_max: int | float = 100,
        bands: tuple[tuple[int, int, int], ...] = (),
    ) -> None:
        self._fill(indicator, aspect, total, max_level, total_max, bands)


class Ruleset(Record):
    """A loaded, checked ruleset. Built only by :func:`pentas_rules.loader.load_ruleset`."""

    _fields = (
        "name",
        "version",
        "title_id",
        "title_en",
        "aggregation",
        "catalogue",
        "lookups",
        "aspects",
        "indicators",
        "directory",
        "fingerprint",
        "rule_facts",
        "interpretations",
        "year",
        "provinces",
        "constraints",
    )
    __slots__ = (*_fields, "compiled", "checker")  # and what is derived after construction
    name: str
    version: str
    title_id: str
    title_en: str
    aggregation: Aggregation
    catalogue: Catalogue
    lookups: dict[str, Lookup]
    aspects: tuple[Aspect, ...]
    indicators: dict[str, Indicator]  # in aspect order
    directory: str
    fingerprint: str  # sha256 over the rule files' bytes, for provenance
    rule_facts: tuple[str, ...]  # every fact some rule reads, sorted
    # The interpretation register (interpretations.yaml), by id in file order; empty without one.
    interpretations: dict[str, Interpretation]
    year: int | None  # the assessment year the ruleset is for; other years are warned about
    provinces: dict[str, str]  # two-digit region-code prefix -> province name
    constraints: tuple[Constraint, ...]
    # The engine compiled from this ruleset, set by ``pentas_rules.engine`` on first use: what is
    # derived per ruleset lives with it, so there is no cache keyed by the ruleset's identity.
    compiled: Any
    checker: Any  # its evidence checker, set by ``pentas_rules.evidence`` on first use, likewise

    def __init__(
        self,
        name: str,
        version: str,
        title_id: str,
        title_en: str,
        aggregation: Aggregation,
        catalogue: Catalogue,
        lookups: dict[str, Lookup],
        aspects: tuple[Aspect, ...],
        indicators: dict[str, Indicator],
        directory: str,
        fingerprint: str,
        rule_facts: tuple[str, ...] = (),
        interpretations: dict[str, Interpretation] | None = None,
        year: int | None = None,
        provinces: dict[str, str] | None = None,
        constraints: tuple[Constraint, ...] = (),
    ) -> None:
        self._fill(
            name,
            version,
            title_id,
            title_en,
            aggregation,
            catalogue,
            lookups,
            aspects,
            indicators,
            directory,
            fingerprint,
            rule_facts,
            dict() if interpretations is None else interpretations,
            year,
            dict() if provinces is None else provinces,
            constraints,
        )
        object.__setattr__(self, "compiled", None)
        object.__setattr__(self, "checker", None)

    def __hash__(self) -> int:
        # ``==`` compares every field, the fingerprint (a hash of the rule files) among them:
        # equal rulesets have equal fingerprints, so they hash equal.
        return hash((self.name, self.fingerprint))

    def indicator(self, indicator_id: str) -> Indicator | None:
        return self.indicators.get(indicator_id)

    def readings(self, levels: Iterable[Level]) -> tuple[Interpretation, ...]:
        """The register entries the given levels cite, once each, in register order."""
        cited = {rid for level in levels for rid in level.interpretation}
        return tuple(entry for rid, entry in self.interpretations.items() if rid in cited)


# Office metadata that rules may compare against, declared by the engine because
# every assessed office has them, whatever the rubric.
META_FACTS: dict[str, FactSpec] = {
    "meta.population": FactSpec(
        name="meta.population",
        type="integer",
        unit="people",
        minimum=1,
        maximum=100_000_000,
        description_id="Jumlah penduduk kabupaten/kota",
        description_en="Population of the regency/city",
    ),
    "meta.year": FactSpec(
        name="meta.year",
        type="integer",
        unit="year",
        minimum=1900,
        maximum=2100,
        description_id="Tahun penilaian",
        description_en="Year of the assessment",
    ),
}
