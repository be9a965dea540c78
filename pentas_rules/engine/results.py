"""The result tree, which mirrors the rule tree: ruleset -> aspect -> indicator -> level -> condition.

Every node points at the rule node it came from (and so at its file and line)
and holds the actual fact values it saw, so any level can be traced to its
conditions, the evidence and the rubric sentence. Results are immutable data;
``to_dict`` turns them into JSON-ready structures and renderers only format them.

The module is over 400 lines because it is the one definition of the full result
format: every result type with its ``to_dict`` (the computed and, with assessors'
overrides, the final levels and totals side by side), and the deterministic JSON
writers that give those dicts their bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from ..errors import EvidenceWarning
from ..evidence.model import Override
from ..evidence.reader import Evidence
from ..files.record import Record
from ..ruleset.model import AllOf, AnyOf, Aspect, Compare, Condition, Indicator, Level, Ruleset
from .header import ENGINE_NAME, __version__, file_name, reproduce_command
from .scoring import Standing, display

__all__ = [
    "AspectResult",
    "ConditionResult",
    "IndicatorResult",
    "LevelResult",
    "ScoreResult",
    "dumps_json",
    "dumps_json_bytes",
    "dumps_line",
    "json_members",
    "outcome_word",
    "to_json_bytes",
    "unmet",
]

RESULT_FORMAT = "pentas-result/1"

# The result classes are Records, not dataclasses: generating a dataclass's methods at import
# cost about 0.35 ms a class on every start. The ones built per office and per condition set
# their slots directly (quicker than ``Record._fill``); the assignments are the constructor.
_set = object.__setattr__


def outcome_word(outcome: bool | None) -> str:
    return "unknown" if outcome is None else ("true" if outcome else "false")


class ConditionResult(Record):
    """How one condition came out, with the values it compared.

    For a comparison, ``actual`` is the fact's value and ``expected`` the value it
    was compared with: the constant, the other fact's value or the looked-up
    threshold (``key_value`` is then the lookup key's value). ``missing`` names
    the facts that were unknown. Composite conditions hold their children.
    """

    __slots__ = ("condition", "outcome", "actual", "expected", "key_value", "missing", "children")
    condition: Condition
    outcome: bool | None
    actual: Any
    expected: Any
    key_value: Any
    missing: tuple[str, ...]
    children: tuple[ConditionResult, ...]

    def __init__(
        self,
        condition: Condition,
        outcome: bool | None,
        actual: Any = None,
        expected: Any = None,
        key_value: Any = None,
        missing: tuple[str, ...] = (),
        children: tuple[ConditionResult, ...] = (),
    ) -> None:
        self._fill(condition, outcome, actual, expected, key_value, missing, children)

    def leaves(self) -> list[ConditionResult]:
        if not self.children:
            return [self]
        out: list[ConditionResult] = []
        for child in self.children:
            out.extend(child.leaves())
        return out

    def to_dict(self) -> dict[str, Any]:
        c = self.condition
        out: dict[str, Any] = {"path": c.path}
        if isinstance(c, Compare):
            out["fact"] = c.fact
            out["op"] = c.op
            if c.other_fact is not None:
                out["other_fact"] = c.other_fact
            if c.lookup is not None:
                out["lookup"] = c.lookup.name
                out["lookup_key"] = c.lookup.key
                out["lookup_key_value"] = self.key_value
            out["expected"] = list(self.expected) if isinstance(self.expected, tuple) else self.expected
            out["actual"] = self.actual
            out["outcome"] = outcome_word(self.outcome)
            if self.missing:
                out["missing"] = list(self.missing)
        else:
            out["op"] = "all" if isinstance(c, AllOf) else "any" if isinstance(c, AnyOf) else "not"
            out["outcome"] = outcome_word(self.outcome)
            out["children"] = [child.to_dict() for child in self.children]
        out["where"] = str(c.where)
        return out


def unmet(result: ConditionResult) -> ConditionResult | None:
    """The part of a condition that does not hold yet: what must change for it to hold.

    Returns None when the condition holds. For ``all`` only the parts that do not
    hold are kept; for ``any`` every alternative is kept (any one would do); a
    ``not`` or a comparison is kept whole.
    """
    if result.outcome is True:
        return None
    if isinstance(result.condition, AllOf):
        kept = tuple(u for u in (unmet(child) for child in result.children) if u is not None)
        if len(kept) == 1:
            return kept[0]
        return ConditionResult(result.condition, result.outcome, children=kept)
    if isinstance(result.condition, AnyOf):
        kept = tuple(u for u in (unmet(child) for child in result.children) if u is not None)
        return ConditionResult(result.condition, result.outcome, children=kept)
    return result


class LevelResult(Record):
    __slots__ = ("level", "outcome", "condition")
    level: Level
    outcome: bool | None
    condition: ConditionResult

    def __init__(self, level: Level, outcome: bool | None, condition: ConditionResult) -> None:
        self._fill(level, outcome, condition)

    @property
    def value(self) -> int:
        return self.level.value

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "level": self.level.value,
            "outcome": outcome_word(self.outcome),
            "source": self.level.source,
            "where": str(self.level.where),
        }
        if self.level.interpretation:
            out["interpretation"] = list(self.level.interpretation)
        out["condition"] = self.condition.to_dict()
        return out


class IndicatorResult(Record):
    """An indicator's level, with the outcome of every level and every condition it defines.

    ``trace`` holds the outcome of every condition node of every level, numbered
    as in ``plan.nodes`` (an ``evaluate.IndicatorPlan``); with the ``facts`` it
    was computed from, it is the whole record of the evaluation. ``levels`` opens
    it into :class:`LevelResult` trees with the actual and expected values, built
    on first use. Everything else here is derived from those few fields, so an
    office costs at most one small object per indicator (none in a batch written as
    compact records: see :class:`ScoreResult`).

    Equal results have the same indicator, level and trace (what was computed); the
    plan, facts, inapplicable facts and override only explain it, so they are neither
    compared, hashed nor shown, but they are copied and pickled with it.
    """

    _fields = ("indicator", "level", "trace", "plan", "facts", "inapplicable", "override")
    __slots__ = (*_fields, "_opened")
    indicator: Indicator
    level: int
    trace: tuple[bool | None, ...]
    plan: Any
    facts: Mapping[str, Any]
    # Absent facts a constraint shows are not expected (the details of a thing declared absent).
    inapplicable: frozenset[str]
    # The assessor's judgement of this indicator, when the evidence records one.
    override: Override | None
    # Memo of the materialised level trees, by level value: derived data, so the result stays immutable.
    # Made when a level is first opened (unset until then).
    _opened: dict[int, LevelResult]

    def __init__(
        self,
        indicator: Indicator,
        level: int,
        trace: tuple[bool | None, ...],
        plan: Any,
        facts: Mapping[str, Any],
        inapplicable: frozenset[str] = frozenset(),
        override: Override | None = None,
    ) -> None:
        self._fill(indicator, level, trace, plan, facts, inapplicable, override)

    @classmethod
    def made(
        cls, indicator: Indicator, level: int, trace: tuple[bool | None, ...], plan: Any, facts: Mapping[str, Any], inapplicable: frozenset[str]
    ) -> IndicatorResult:
        """The engine's constructor, for 31 results an office: the same result as ``IndicatorResult(...)``,
        its slots written by their descriptors, without ``__init__``'s frame and its seven
        ``object.__setattr__`` lookups (about a third of the time; the memo is made on first use)."""
        self = _new(cls)
        _s_indicator(self, indicator)
        _s_level(self, level)
        _s_trace(self, trace)
        _s_plan(self, plan)
        _s_facts(self, facts)
        _s_inapplicable(self, inapplicable)
        _s_override(self, None)
        return self

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, IndicatorResult)
        return (self.indicator, self.level, self.trace) == (other.indicator, other.level, other.trace)

    def __hash__(self) -> int:
        return hash((self.indicator, self.level, self.trace))

    def __repr__(self) -> str:
        return f"IndicatorResult(indicator={self.indicator!r}, level={self.level!r})"

    @property
    def final_level(self) -> int:
        """The level that counts: the assessor's when the indicator is overridden, else the computed ``level``."""
        return self.override.level if self.override is not None else self.level

    @property
    def outcomes(self) -> tuple[bool | None, ...]:
        """Each level's outcome, in the order of ``indicator.levels``."""
        trace = self.trace
        return tuple([trace[i] for i in self.plan.roots])

    @property
    def determined(self) -> bool:
        """False when a level above the awarded one is unknown: more evidence could raise the level."""
        return None not in self.plan.above[self.level](self.trace)

    @property
    def missing_facts(self) -> tuple[str, ...]:
        """The facts this indicator reads that the evidence does not give."""
        facts = self.facts
        if self.plan.fact_set <= facts.keys():
            return ()
        return tuple([f for f in self.plan.facts if f not in facts and f not in self.inapplicable])

    def level_result(self, value: int) -> LevelResult | None:
        """One level's traced result, opened from the trace on first use; None if the rubric defines no such level."""
        try:
            memo = self._opened
        except AttributeError:  # made on first use: most results of a batch are never opened
            memo = {}
            _set(self, "_opened", memo)
        opened = memo.get(value)
        if opened is None:
            for level, root in zip(self.indicator.levels, self.plan.roots, strict=True):
                if level.value == value:
                    opened = LevelResult(level, self.trace[root], self.plan.condition_result(level.when, self.trace, self.facts))
                    memo[value] = opened
                    break
        return opened

    @property
    def levels(self) -> tuple[LevelResult, ...]:
        return tuple(self.level_result(v) for v in self.plan.values)  # type: ignore[misc]  # every plan value is a level, so never None

    @property
    def awarded(self) -> LevelResult | None:
        return self.level_result(self.level) if self.level else None

    @property
    def higher_levels(self) -> tuple[LevelResult, ...]:
        return tuple(self.level_result(v) for v in self.plan.values if v > self.level)  # type: ignore[misc]  # every plan value is a level, so never None

    def to_dict(self) -> dict[str, Any]:
        ind = self.indicator
        return {
            "id": ind.id,
            "number": ind.number,
            "question": ind.question,
            "title_en": ind.title_en,
            "level": self.level,
            "determined": self.determined,
            "missing_facts": list(self.missing_facts),
            "where": str(ind.where),
            "levels": [level.to_dict() for level in self.levels],
        }


_new = object.__new__
_s_indicator, _s_level, _s_trace, _s_plan, _s_facts, _s_inapplicable, _s_override = IndicatorResult._setters


def exact(value: Fraction) -> dict[str, str]:
    """A score both exactly (a fraction) and for display (two decimals, half-up)."""
    text = str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    return {"exact": text, "display": display(value)}


class AspectResult(Record):
    __slots__ = ("aspect", "indicators", "mean", "contribution", "final_mean", "final_contribution")
    aspect: Aspect
    indicators: tuple[IndicatorResult, ...]
    mean: Fraction
    contribution: Fraction
    # With the assessors' overrides in place; None when the evidence records none.
    final_mean: Fraction | None
    final_contribution: Fraction | None

    def __init__(
        self,
        aspect: Aspect,
        indicators: tuple[IndicatorResult, ...],
        mean: Fraction,
        contribution: Fraction,
        final_mean: Fraction | None = None,
        final_contribution: Fraction | None = None,
    ) -> None:
        self._fill(aspect, indicators, mean, contribution, final_mean, final_contribution)

    def to_dict(self) -> dict[str, Any]:
        a = self.aspect
        out: dict[str, Any] = {
            "id": a.id,
            "number": a.number,
            "name_id": a.name_id,
            "name_en": a.name_en,
            "weight": a.weight,
            "mean_level": exact(self.mean),
            "contribution": exact(self.contribution),
        }
        if self.final_mean is not None and self.final_contribution is not None:
            out["final_mean_level"] = exact(self.final_mean)
            out["final_contribution"] = exact(self.final_contribution)
            out["indicators"] = [_with_final(ind) for ind in self.indicators]
        else:
            out["indicators"] = [ind.to_dict() for ind in self.indicators]
        return out


def _with_final(ir: IndicatorResult) -> dict[str, Any]:
    """An indicator's result when the evidence has overrides: the final level beside the computed one, and the override."""
    out: dict[str, Any] = {}
    for key, value in ir.to_dict().items():
        out[key] = value
        if key == "level":
            out["final_level"] = ir.final_level
            if ir.override is not None:
                out["override"] = ir.override.to_dict()
    return out


class ScoreResult(Record):
    """The whole result for one office under one ruleset.

    ``aspects``, the tree of aspect and indicator results, may be built on first use: the
    engine scoring a batch gives each result the levels and traces it computed
    (:meth:`indicator_rows`, all a compact record needs) and how to build the tree from them,
    so an office written as one JSON line costs no aspect or indicator result objects
    (44 an office). Built or not, ``aspects`` reads the same and the result compares,
    hashes, copies and pickles as one built at once.
    """

    _fields = (
        "ruleset",
        "evidence",
        "aspects",
        "total",
        "missing_facts",
        "completeness",
        "evidence_sha256",
        "warnings",
        "standing",
        "final_total",
        "final_standing",
    )
    # ``aspects`` is a property over ``_aspects``; until it is built, ``_pending`` builds it and ``_rows`` holds the levels and traces.
    __slots__ = (*(name if name != "aspects" else "_aspects" for name in _fields), "_pending", "_rows")
    ruleset: Ruleset
    evidence: Evidence
    _aspects: tuple[AspectResult, ...] | None
    _pending: Callable[[], tuple[AspectResult, ...]]
    _rows: list[tuple[str, int, tuple[bool | None, ...]]]
    total: Fraction
    missing_facts: tuple[str, ...]
    completeness: Fraction
    evidence_sha256: str
    warnings: tuple[EvidenceWarning, ...]  # contradictions and doubtful metadata; scored anyway
    standing: Standing | None  # the band, when the total policy places the office in one
    # With the assessors' overrides in place (total and standing are what the evidence alone gives); None without overrides.
    final_total: Fraction | None
    final_standing: Standing | None

    def __init__(
        self,
        ruleset: Ruleset,
        evidence: Evidence,
        aspects: tuple[AspectResult, ...],
        total: Fraction,
        missing_facts: tuple[str, ...],
        completeness: Fraction,
        evidence_sha256: str = "",
        warnings: tuple[EvidenceWarning, ...] = (),
        standing: Standing | None = None,
        final_total: Fraction | None = None,
        final_standing: Standing | None = None,
    ) -> None:
        self._fill(ruleset, evidence, aspects, total, missing_facts, completeness, evidence_sha256, warnings, standing, final_total, final_standing)

    @classmethod
    def pending(
        cls,
        ruleset: Ruleset,
        evidence: Evidence,
        rows: list[tuple[str, int, tuple[bool | None, ...]]],
        build: Callable[[], tuple[AspectResult, ...]],
        total: Fraction,
        missing_facts: tuple[str, ...],
        completeness: Fraction,
        evidence_sha256: str,
        warnings: tuple[EvidenceWarning, ...],
        standing: Standing | None,
    ) -> ScoreResult:
        """A result whose ``aspects`` ``build()`` makes on first use; ``rows`` are each indicator's id, level and trace."""
        self = cls(ruleset, evidence, None, total, missing_facts, completeness, evidence_sha256, warnings, standing)  # type: ignore[arg-type]  # None: built on first use
        _set(self, "_pending", build)
        _set(self, "_rows", rows)
        return self

    @property
    def aspects(self) -> tuple[AspectResult, ...]:
        aspects = self._aspects
        if aspects is None:
            aspects = self._pending()
            _set(self, "_aspects", aspects)
        return aspects

    @aspects.setter
    def aspects(self, value: tuple[AspectResult, ...]) -> None:
        # Only the constructor writes it (Record._fill calls the descriptor); to anyone else the result is frozen.
        _set(self, "_aspects", value)

    def indicator_rows(self) -> list[tuple[str, int, tuple[bool | None, ...]]]:
        """Each indicator's id, level and trace, in the ruleset's order, without building the result tree if it is not built yet."""
        if self._aspects is None:
            return self._rows
        # A tree the engine built at once (overrides, a count of criteria met) keeps the engine's rows
        # too: the memo's own tuples, which the compact writer finds by identity; any other is read off the tree.
        rows: list[tuple[str, int, tuple[bool | None, ...]]] | None = getattr(self, "_rows", None)
        if rows is not None:
            return rows
        return [(ir.indicator.id, ir.level, ir.trace) for aspect in self._aspects for ir in aspect.indicators]

    def keeping_rows(self, rows: list[tuple[str, int, tuple[bool | None, ...]]]) -> ScoreResult:
        """This result, remembering ``rows`` (each indicator's id, level and trace, in the ruleset's order)
        for :meth:`indicator_rows`: the engine's, from which it built the tree."""
        _set(self, "_rows", rows)
        return self

    @property
    def overrides(self) -> tuple[Override, ...]:
        return self.evidence.overrides

    @property
    def total_final(self) -> Fraction:
        """The total that counts: with the overrides when there are some, else the computed total."""
        return self.final_total if self.final_total is not None else self.total

    def overrides_list(self) -> list[dict[str, Any]]:
        """Each override with the level the evidence alone gives and whether it is still needed (empty when none)."""
        out = []
        for ir in self.indicators():
            o = ir.override
            if o is not None:
                out.append({**o.to_dict(), "computed_level": ir.level, "needed": o.level != ir.level})
        return out

    @property
    def complete(self) -> bool:
        return not self.missing_facts

    def indicators(self) -> list[IndicatorResult]:
        return [ind for aspect in self.aspects for ind in aspect.indicators]

    def indicator(self, indicator_id: str) -> IndicatorResult | None:
        for aspect in self.aspects:
            for ind in aspect.indicators:
                if ind.indicator.id == indicator_id:
                    return ind
        return None

    def office_dict(self) -> dict[str, Any]:
        """The office's metadata as the result shows it."""
        meta = self.evidence.meta
        office: dict[str, Any] = {
            "office": meta.office,
            "region_code": meta.region_code,
            "province": meta.province,
            "year": meta.year,
            "population": meta.population,
        }
        if meta.assessed_on is not None:
            office["assessed_on"] = meta.assessed_on
        if meta.assessors:
            office["assessors"] = list(meta.assessors)
        return office

    def notes_dict(self) -> dict[str, Any]:
        """Where the assessor says each fact's value came from, by fact name (empty when none is recorded)."""
        return {
            name: {k: v for k, v in (("source", note.source), ("page", note.page), ("note", note.note)) if v is not None}
            for name, note in sorted(self.evidence.notes.items())
        }

    def header_dict(self) -> dict[str, Any]:
        """Everything in :meth:`to_dict` but the aspects: provenance, office, total, completeness."""
        rs = self.ruleset
        office = self.office_dict()
        notes = self.notes_dict()
        out: dict[str, Any] = {
            "format": RESULT_FORMAT,
            "engine": {"name": ENGINE_NAME, "version": __version__},
            "ruleset": {"name": rs.name, "version": rs.version, "fingerprint": rs.fingerprint},
            "evidence": {"file": file_name(self.evidence.file), "sha256": self.evidence_sha256},
            "reproduce": reproduce_command(rs.name, self.evidence.file),
            "office": office,
            "total": exact(self.total),
            "total_max": rs.aggregation.total_max,
            **({"standing": self.standing.to_dict()} if self.standing is not None else {}),
            **self._final_dict(),
            "complete": self.complete,
            "completeness": exact(self.completeness * 100),
            "missing_facts": list(self.missing_facts),
            "warnings": [w.to_dict() for w in self.warnings],
        }
        if notes:
            out["evidence"]["notes"] = notes
        return out

    def _final_dict(self) -> dict[str, Any]:
        """The totals with overrides and the overrides themselves; nothing without overrides, so such results keep their bytes."""
        if self.final_total is None:
            return {}
        out: dict[str, Any] = {"final_total": exact(self.final_total)}
        if self.final_standing is not None:
            out["final_standing"] = self.final_standing.to_dict()
        out["overrides"] = self.overrides_list()
        return out

    def to_dict(self) -> dict[str, Any]:
        """The whole result with its trace, as JSON-ready data (the reference form of the result format)."""
        out = self.header_dict()
        out["aspects"] = [aspect.to_dict() for aspect in self.aspects]
        return out


def _may_differ(out: bytes, needle: bytes) -> bool:
    """Whether orjson's bytes may differ from json's: only a float under 1e-4 does.

    orjson writes ``0.00001`` or ``1e-7`` where json writes ``1e-05``, ``1e-07`` (checked against
    1.2 million floats across every exponent). A match anywhere, even inside a string, only
    sends the data to json. Plain ``find`` loops over ``needle``, the rarer of ``-`` and ``e-``
    in the text at hand: a regular expression scans the 230 KB of a full result in 0.8 ms,
    this in about 0.1 ms.
    """
    if b".0000" in out:
        return True
    back = len(needle) - 1  # where the "-" is in the needle
    at = out.find(needle)
    while at >= 0:
        minus = at + back
        # An "e" before the "-" (a byte read as its number, without a slice) and a digit after it.
        if minus and out[minus - 1] == 101 and out[minus + 1 : minus + 2].isdigit():
            return True
        at = out.find(needle, at + 1)
    return False


def _fast_json(data: Any, indent: bool, needle: bytes | None = None) -> bytes | None:
    """orjson's bytes, with a trailing newline, when they are exactly json's; else None.

    ``needle`` is what :func:`_may_differ` looks for: ``-`` unless the text holds many (an
    indented result has few "-" but many "e"; a compact record's traces are full of "-").
    """
    import orjson  # deferred: 0.4 ms on every command's start-up; only JSON output needs it

    options = orjson.OPT_APPEND_NEWLINE | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
    try:
        out: bytes = orjson.dumps(data, option=options | orjson.OPT_INDENT_2 if indent else options)
    except TypeError:  # orjson.JSONEncodeError: json writes it, or raises its own error
        return None
    return None if _may_differ(out, needle or (b"-" if indent else b"e-")) else out


def dumps_json(data: Any) -> str:
    """Deterministic JSON text: insertion order, UTF-8 kept readable, indented by 2, a trailing newline.

    The text is exactly ``json.dumps(data, ensure_ascii=False, indent=2) + "\\n"``. json indents
    only with its pure-Python encoder (about 5-8 ms for a full result); orjson writes the same
    bytes over 20 times faster. Whatever orjson cannot write identically goes to json: a float
    under 1e-4, an integer beyond 64 bits, a non-string key, a lone surrogate, anything orjson
    refuses. (A NaN or infinity, which no checked evidence or ruleset holds, orjson would write
    as ``null`` where json writes the non-JSON ``NaN``.)
    """
    out = _fast_json(data, indent=True)
    return out.decode("utf-8") if out is not None else json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dumps_json_bytes(data: Any) -> bytes:
    """:func:`dumps_json` in UTF-8, without decoding and encoding again."""
    out = _fast_json(data, indent=True)
    return out if out is not None else (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def dumps_line(data: Any) -> bytes:
    """One JSON Lines line in UTF-8: exactly ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``
    and a newline, written by orjson where its bytes are json's (as :func:`dumps_json`)."""
    out = _fast_json(data, indent=False)
    return out if out is not None else (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def json_members(data: dict[str, Any]) -> memoryview | None:
    """The members of the non-empty object ``data`` as :func:`dumps_line` writes them, without the braces
    and newline (for a writer joining parts of one object); None where orjson's bytes may not be json's.

    The parts a writer joins hold few "-" (the compact record's traces, full of them, are spelt
    apart), so the check looks for "-", found by ``memchr``, rather than for "e-": in an office's
    facts and metadata "e" is everywhere, and ``find(b"e-")`` stopped at each (about 5 us a record).
    """
    out = _fast_json(data, indent=False, needle=b"-")
    # A view, not a copy: the writer copies the parts once, when it joins them.
    return memoryview(out)[1:-2] if out is not None else None


def to_json_bytes(result: ScoreResult) -> bytes:
    """The full result as its canonical text, in UTF-8: the serialisation of :meth:`ScoreResult.to_dict`.

    ``to_dict`` is the only definition of the full format; batches and machines use the
    compact shape (:mod:`.compact`) instead, which does not repeat the ruleset's text.
    """
    return dumps_json_bytes(result.to_dict())
