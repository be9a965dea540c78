"""What changes between two versions of a ruleset: in the rules, and in the scores of real offices.

:func:`structure_diff` compares two loaded rulesets: the ruleset's header and
aggregation, aspects and weights, enums and lookups, the fact catalogue (facts
added, removed, retyped) and every indicator, level and condition, each change
with the rubric text of the level it touches.

:func:`corpus_diff` scores every evidence file under both rulesets, one file at
a time, keeping only each office's levels and total (never its trace), then
ranks the offices under each ruleset and reports which offices moved: which
indicators went from which level to which, the change in total and in rank. An
evidence file valid under one ruleset and not the other (a fact added or
removed) is reported for that office; nothing stops the rest being compared.

Renderers (text, Markdown) are pure functions of the result; ``to_dict`` is the
JSON form.

The module is over 400 lines because the structure, the corpus impact and their
text and Markdown renderers make one report: ``pentas diff`` prints both halves,
and the renderers format them together (its summary counts both).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..batch.corpus import ScoredFile, duplicate_offices, score_files_twice
from ..engine.results import exact
from ..engine.scoring import display
from ..errors import EvidenceError, PentasError
from ..messages import catalogue, get_language, message, number
from ..ruleset.model import FactSpec, Indicator, Level, Ruleset

__all__ = [
    "Change",
    "CorpusDiff",
    "Move",
    "OfficeDiff",
    "OfficeSide",
    "RulesetDiff",
    "corpus_diff",
    "diff_markdown",
    "diff_text",
    "structure_diff",
]


# -- structure ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """One structural change: ``kind`` added/removed/changed, what, where, and the lines that say how.

    ``rubric`` is the rubric sentence of the level (or question of the
    indicator) the change touches, so a reviewer reads the rule and its source together.
    """

    section: str  # "ruleset" | "aspects" | "enums" | "lookups" | "facts" | "indicators"
    kind: str
    subject: str
    where: str = ""
    rubric: str = ""
    details: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "kind": self.kind,
            "subject": self.subject,
            "where": self.where,
            "rubric": self.rubric,
            "details": list(self.details),
        }


def _show(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _field_changes(pairs: Iterable[tuple[str, Any, Any]]) -> tuple[str, ...]:
    return tuple(f"{name}: {_show(old)} -> {_show(new)}" for name, old, new in pairs if old != new)


def _fact_text(spec: FactSpec) -> str:
    parts = [spec.type]
    if spec.enum is not None:
        parts.append(f"enum {spec.enum.name}")
    if spec.unit:
        parts.append(spec.unit)
    if spec.minimum is not None or spec.maximum is not None:
        parts.append(f"{_show(spec.minimum)}..{_show(spec.maximum)}")
    return ", ".join(parts)


def _one_side(section: str, subject: str, before: Any, after: Any, describe: Callable[[Any], tuple[str, str, tuple[str, ...]]]) -> Change | None:
    """The change when a thing is on one side only: added (only after) or removed (only before);
    None when it is on both or neither. ``describe`` gives the thing's where, rubric and details."""
    if (before is None) == (after is None):
        return None
    where, rubric, details = describe(after if before is None else before)
    return Change(section, "added" if before is None else "removed", subject, where, rubric, details)


def _level_text(level: Level) -> tuple[str, ...]:
    return (f"condition: {level.when.text()}",)


def _condition_changes(old: Level, new: Level) -> tuple[str, ...]:
    """Comparisons removed, added or changed (same fact, other operator or value) between two levels."""
    if old.when.text() == new.when.text():
        return ()
    before = [c.text() for c in old.when.comparisons()]
    after = [c.text() for c in new.when.comparisons()]
    for text in list(before):
        if text in after:
            before.remove(text)
            after.remove(text)
    lines = []
    for text in before:
        fact = text.split(" ", 1)[0]
        partner = next((a for a in after if a.split(" ", 1)[0] == fact), None)
        if partner is not None:
            after.remove(partner)
            lines.append(f"condition changed: {text} -> {partner}")
        else:
            lines.append(f"condition removed: {text}")
    lines.extend(f"condition added: {text}" for text in after)
    if not lines:  # the same comparisons, combined differently
        lines.append(f"condition regrouped: {old.when.text()} -> {new.when.text()}")
    return tuple(lines)


def _indicator_changes(old: Indicator, new: Indicator) -> list[Change]:
    out = []
    fields = _field_changes(
        (
            ("aspect", old.aspect_id, new.aspect_id),
            ("number", old.number, new.number),
            ("question", old.question, new.question),
            ("title_en", old.title_en, new.title_en),
        )
    )
    if fields:
        out.append(Change("indicators", "changed", f"indicator {new.id}", str(new.where), new.question, fields))
    old_levels = {lv.value: lv for lv in old.levels}
    new_levels = {lv.value: lv for lv in new.levels}
    for value in sorted(set(old_levels) | set(new_levels)):
        subject = f"{new.id} level {value}"
        before, after = old_levels.get(value), new_levels.get(value)
        one_side = _one_side("indicators", subject, before, after, lambda lv: (str(lv.where), lv.source, _level_text(lv)))
        if one_side is not None:
            out.append(one_side)
        elif before is not None and after is not None:
            details = _field_changes((("source", before.source, after.source), ("interpretation", before.interpretation, after.interpretation)))
            details += _condition_changes(before, after)
            if details:
                out.append(Change("indicators", "changed", subject, str(after.where), after.source, details))
    return out


def structure_diff(old: Ruleset, new: Ruleset) -> tuple[Change, ...]:
    """Every difference between two rulesets' rules, in the order a reviewer reads them."""
    out: list[Change] = []
    header = _field_changes(
        (
            ("name", old.name, new.name),
            ("version", old.version, new.version),
            ("title_id", old.title_id, new.title_id),
            ("title_en", old.title_en, new.title_en),
            *(
                (f"aggregation.{f}", getattr(old.aggregation, f), getattr(new.aggregation, f))
                for f in ("indicator", "aspect", "total", "max_level", "total_max")
            ),
        )
    )
    if header:
        out.append(Change("ruleset", "changed", "ruleset", "ruleset.yaml", "", header))

    old_aspects = {a.id: a for a in old.aspects}
    new_aspects = {a.id: a for a in new.aspects}
    for aspect_id in [*old_aspects, *(a for a in new_aspects if a not in old_aspects)]:
        a, b = old_aspects.get(aspect_id), new_aspects.get(aspect_id)
        one_side = _one_side(
            "aspects", f"aspect {aspect_id}", a, b, lambda x: (str(x.where), x.name_id, (f"weight {_show(x.weight)}, indicators {_show(x.indicator_ids)}",))
        )
        if one_side is not None:
            out.append(one_side)
        elif a is not None and b is not None:
            fields = _field_changes(
                (
                    ("number", a.number, b.number),
                    ("name_id", a.name_id, b.name_id),
                    ("name_en", a.name_en, b.name_en),
                    ("weight", a.weight, b.weight),
                    ("indicators", a.indicator_ids, b.indicator_ids),
                )
            )
            if fields:
                out.append(Change("aspects", "changed", f"aspect {aspect_id}", str(b.where), b.name_id, fields))

    for name in sorted(set(old.catalogue.enums) | set(new.catalogue.enums)):
        ea, eb = old.catalogue.enums.get(name), new.catalogue.enums.get(name)
        one_side = _one_side("enums", f"enum {name}", ea, eb, lambda e: ("ruleset.yaml", "", (f"values {_show(e.values)}",)))
        if one_side is not None:
            out.append(one_side)
        elif ea is not None and eb is not None and ea.values != eb.values:
            out.append(Change("enums", "changed", f"enum {name}", "ruleset.yaml", "", _field_changes((("values", ea.values, eb.values),))))

    for name in sorted(set(old.lookups) | set(new.lookups)):
        la, lb = old.lookups.get(name), new.lookups.get(name)

        def bands(lookup: Any) -> str:
            return f"key {lookup.key}: " + "; ".join(f"{b.op} {_show(b.value)} -> {_show(b.result)}" for b in lookup.bands)

        one_side = _one_side("lookups", f"lookup {name}", la, lb, lambda x: (str(x.where or ""), x.description_id, (bands(x),)))
        if one_side is not None:
            out.append(one_side)
        elif la is not None and lb is not None and bands(la) != bands(lb):
            out.append(Change("lookups", "changed", f"lookup {name}", str(lb.where or ""), lb.description_id, (f"{bands(la)} -> {bands(lb)}",)))

    old_facts, new_facts = old.catalogue.facts, new.catalogue.facts
    for name in sorted(set(old_facts) | set(new_facts)):
        fa, fb = old_facts.get(name), new_facts.get(name)
        one_side = _one_side("facts", f"fact {name}", fa, fb, lambda f: (str(f.where or ""), f.description_id, (_fact_text(f),)))
        if one_side is not None:
            out.append(one_side)
        elif fa is not None and fb is not None:
            retyped = fa.type != fb.type or (fa.enum.name if fa.enum else None) != (fb.enum.name if fb.enum else None)
            fields = _field_changes(
                (
                    ("type", _fact_text(fa), _fact_text(fb)),
                    ("description_id", fa.description_id, fb.description_id),
                    ("description_en", fa.description_en, fb.description_en),
                )
            )
            if fields:
                out.append(Change("facts", "retyped" if retyped else "changed", f"fact {name}", str(fb.where or ""), fb.description_id, fields))

    for ind_id in [*old.indicators, *(i for i in new.indicators if i not in old.indicators)]:
        ia, ib = old.indicators.get(ind_id), new.indicators.get(ind_id)
        one_side = _one_side(
            "indicators", f"indicator {ind_id}", ia, ib, lambda i: (str(i.where), i.question, tuple(f"level {lv.value}: {lv.source}" for lv in i.levels))
        )
        if one_side is not None:
            out.append(one_side)
        elif ia is not None and ib is not None:
            out.extend(_indicator_changes(ia, ib))
    return tuple(out)


# -- impact on a corpus ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OfficeSide:
    """One office under one ruleset: its levels and total, or why it could not be scored."""

    total: Fraction | None
    levels: tuple[tuple[str, int], ...]
    error: str | None = None
    rank: int | None = None

    def to_dict(self) -> dict[str, Any]:
        if self.error is not None:
            return {"error": self.error}
        assert self.total is not None
        return {"total": exact(self.total), "rank": self.rank, "levels": dict(self.levels)}


@dataclass(frozen=True, slots=True)
class Move:
    """An indicator whose level differs; None where the indicator does not exist on that side."""

    indicator: str
    old: int | None
    new: int | None

    def text(self) -> str:
        def side(v: int | None) -> str:
            return "-" if v is None else str(v)

        return f"{self.indicator}: {side(self.old)} -> {side(self.new)}"


@dataclass(frozen=True, slots=True)
class OfficeDiff:
    path: str
    office: str
    old: OfficeSide
    new: OfficeSide
    moves: tuple[Move, ...]

    @property
    def delta(self) -> Fraction | None:
        if self.old.total is None or self.new.total is None:
            return None
        return self.new.total - self.old.total

    @property
    def changed(self) -> bool:
        """Whether this office's score changes: a level, the total, or whether it can be scored at all."""
        return bool(self.moves) or (self.delta or 0) != 0 or (self.old.error is None) != (self.new.error is None)

    @property
    def rank_changed(self) -> bool:
        return self.old.rank is not None and self.new.rank is not None and self.old.rank != self.new.rank

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"file": self.path, "office": self.office, "changed": self.changed, "old": self.old.to_dict(), "new": self.new.to_dict()}
        delta = self.delta
        if delta is not None:
            out["delta"] = _signed_exact(delta)
        out["moves"] = [{"indicator": m.indicator, "old": m.old, "new": m.new} for m in self.moves]
        return out


def _signed(value: Fraction) -> str:
    return ("+" if value > 0 else "") + display(value)


def _signed_exact(value: Fraction) -> dict[str, str]:
    out = exact(value)
    out["display"] = _signed(value)
    return out


def _side(scored: ScoredFile) -> tuple[OfficeSide, str]:
    if scored.result is None:
        err = scored.error
        if isinstance(err, EvidenceError):
            message = err.summary()
        else:
            message = err.message if isinstance(err, PentasError) else str(err)
        return OfficeSide(None, (), message), ""
    result = scored.result
    levels = tuple((ir.indicator.id, ir.level) for ir in result.indicators())
    return OfficeSide(result.total, levels), result.evidence.meta.office


def _ranks(offices: list[OfficeSide]) -> dict[int, int]:
    """Competition ranks ("1224") by total, highest first; offices without a total are not ranked."""
    ascending = sorted(s.total for s in offices if s.total is not None)
    # rank = 1 + how many offices score strictly higher
    return {i: len(ascending) - bisect_right(ascending, s.total) + 1 for i, s in enumerate(offices) if s.total is not None}


def _swapped_pairs(pairs: list[tuple[Fraction, Fraction]]) -> int:
    """How many pairs of offices changed order: strictly above before, strictly below after.

    Offices are taken in order of falling old total, one group of equal totals
    at a time; a Fenwick tree over the new totals counts, for each office, the
    earlier (strictly higher before) offices that now score strictly lower.
    """
    if not pairs:
        return 0
    values = sorted({new for _, new in pairs})
    tree = [0] * (len(values) + 1)

    def add(i: int) -> None:
        i += 1
        while i <= len(values):
            tree[i] += 1
            i += i & -i

    def below(i: int) -> int:  # how many inserted have index < i
        total = 0
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    swaps = 0
    ordered = sorted(pairs, key=lambda p: p[0], reverse=True)
    start = 0
    while start < len(ordered):
        end = start
        while end < len(ordered) and ordered[end][0] == ordered[start][0]:
            end += 1
        group = ordered[start:end]
        for _, new in group:
            swaps += below(bisect_left(values, new))
        for _, new in group:
            add(bisect_left(values, new))
        start = end
    return swaps


@dataclass(frozen=True, slots=True)
class OverrideNote:
    """An assessor's override in the corpus: the final level it sets and what each ruleset computes.

    Kept out of the rule impact (offices are compared by their computed levels and totals, the rules'
    doing) and listed apart, so a reviewer sees which judgements the change makes unneeded or newly contested.
    """

    path: str
    office: str
    indicator: str
    level: int
    old: int | None  # the level each ruleset computes; None where it does not score the office or indicator
    new: int | None
    assessor: str
    reason: str

    def text(self, lang: str | None = None) -> str:
        def side(v: int | None) -> str:
            return "-" if v is None else str(v)

        stale = message("diff.override_stale", lang) if self.new == self.level else ""
        return message(
            "diff.override",
            lang,
            indicator=self.indicator,
            level=self.level,
            old=side(self.old),
            new=side(self.new),
            stale=stale,
            assessor=self.assessor,
            reason=self.reason,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "office": self.office,
            "indicator": self.indicator,
            "level": self.level,
            "old_computed": self.old,
            "new_computed": self.new,
            "assessor": self.assessor,
            "reason": self.reason,
        }


def _override_notes(path: str, office: str, a: ScoredFile, b: ScoredFile) -> list[OverrideNote]:
    scored = a.result or b.result
    if scored is None:
        return []

    def computed(result: Any, indicator: str) -> int | None:
        ir = result.indicator(indicator) if result is not None else None
        return ir.level if ir is not None else None

    return [
        OverrideNote(path, office, o.indicator, o.level, computed(a.result, o.indicator), computed(b.result, o.indicator), o.assessor, o.reason)
        for o in scored.overrides
    ]


@dataclass(frozen=True, slots=True)
class CorpusDiff:
    """The impact of a ruleset change on every office of an evidence corpus.

    ``duplicates`` are the files left out because another file of the corpus is the
    same office (region code and year): ``(path, message)`` in file order.
    """

    offices: tuple[OfficeDiff, ...]
    duplicates: tuple[tuple[str, str], ...] = ()
    overrides: tuple[OverrideNote, ...] = ()  # apart from the impact, which compares computed levels only

    @property
    def affected(self) -> tuple[OfficeDiff, ...]:
        return tuple(o for o in self.offices if o.changed)

    @property
    def rank_only(self) -> tuple[OfficeDiff, ...]:
        """Offices whose score is unchanged but whose rank moved, because others moved past or level with them."""
        return tuple(o for o in self.offices if o.rank_changed and not o.changed)

    @property
    def unscored(self) -> tuple[OfficeDiff, ...]:
        """Files neither ruleset could score (a broken or foreign evidence file): reported, not compared."""
        return tuple(o for o in self.offices if o.old.error is not None and o.new.error is not None)

    @property
    def compared(self) -> int:
        return sum(o.old.error is None and o.new.error is None for o in self.offices)

    def largest_move(self) -> OfficeDiff | None:
        best = None
        for office in self.offices:
            delta = office.delta
            if delta and (best is None or abs(delta) > abs(best.delta or Fraction(0))):
                best = office
        return best

    def rank_changes(self) -> int:
        return sum(o.rank_changed for o in self.offices)

    def swapped_pairs(self) -> int:
        return _swapped_pairs([(o.old.total, o.new.total) for o in self.offices if o.old.total is not None and o.new.total is not None])

    def invalid(self) -> dict[str, int]:
        return {
            "old_only": sum(o.old.error is not None and o.new.error is None for o in self.offices),
            "new_only": sum(o.new.error is not None and o.old.error is None for o in self.offices),
            "both": sum(o.old.error is not None and o.new.error is not None for o in self.offices),
        }

    def summary_dict(self) -> dict[str, Any]:
        largest = self.largest_move()
        return {
            "offices": len(self.offices),
            "compared": self.compared,
            "affected": len(self.affected),
            "largest_move": None if largest is None else {"file": largest.path, "office": largest.office, "delta": _signed_exact(largest.delta or Fraction(0))},
            "rank_changes": self.rank_changes(),
            "swapped_pairs": self.swapped_pairs(),
            "invalid": self.invalid(),
            "duplicates": len(self.duplicates),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "summary": self.summary_dict(),
            "offices": [o.to_dict() for o in self.affected],
            "rank_only": [
                {"file": o.path, "office": o.office, "total": exact(o.old.total or Fraction(0)), "old_rank": o.old.rank, "new_rank": o.new.rank}
                for o in self.rank_only
            ],
            "unscored": [{"file": o.path, "old_error": o.old.error, "new_error": o.new.error} for o in self.unscored],
            "duplicates": [{"file": path, "error": message} for path, message in self.duplicates],
            # only when some evidence has overrides, so diffs of corpora without them keep their bytes
            **({"overrides": [o.to_dict() for o in self.overrides]} if self.overrides else {}),
        }


def corpus_diff(old: Ruleset, new: Ruleset, paths: list[str], records: Mapping[str, Mapping[str, Any]] | None = None) -> CorpusDiff:
    """Score every file under both rulesets (one file at a time) and compare levels, totals and ranks.

    ``records`` gives the compact result records among ``paths`` (``batch.corpus.compact_inputs``).

    Files that are the same office (region code and year) as another file are left
    out of both sides, so they move no one's rank, and are listed in ``duplicates``.
    """
    olds: list[OfficeSide] = []
    news: list[OfficeSide] = []
    names: list[str] = []
    keys: list[tuple[str, tuple[str, int]]] = []
    notes: list[OverrideNote] = []
    for path, (a, b) in zip(paths, score_files_twice(old, new, paths, records), strict=True):
        side_a, name_a = _side(a)
        side_b, name_b = _side(b)
        olds.append(side_a)
        news.append(side_b)
        names.append(name_a or name_b)
        notes += _override_notes(path, name_a or name_b, a, b)
        scored = a.result or b.result  # the office is named by its evidence, whichever ruleset read it
        if scored is not None:
            keys.append((path, (scored.evidence.meta.region_code, scored.evidence.meta.year)))
    duplicates = duplicate_offices(keys, "compared")
    if duplicates:
        kept = [i for i, path in enumerate(paths) if path not in duplicates]
        olds, news, names = [olds[i] for i in kept], [news[i] for i in kept], [names[i] for i in kept]
        left_out = tuple((path, duplicates[path]) for path in paths if path in duplicates)
        paths = [paths[i] for i in kept]
        notes = [n for n in notes if n.path not in duplicates]
    else:
        left_out = ()
    # Rank among the offices both rulesets can score, so that offices turning
    # invalid on one side do not shift everyone else's rank.
    both = [a.total is not None and b.total is not None for a, b in zip(olds, news, strict=True)]
    old_ranks = _ranks([a if ok else OfficeSide(None, ()) for a, ok in zip(olds, both, strict=True)])
    new_ranks = _ranks([b if ok else OfficeSide(None, ()) for b, ok in zip(news, both, strict=True)])
    offices = []
    for i, path in enumerate(paths):
        side_a = OfficeSide(olds[i].total, olds[i].levels, olds[i].error, old_ranks.get(i))
        side_b = OfficeSide(news[i].total, news[i].levels, news[i].error, new_ranks.get(i))
        moves: tuple[Move, ...] = ()
        if side_a.error is None and side_b.error is None:
            la, lb = dict(side_a.levels), dict(side_b.levels)
            order = [*la, *(k for k in lb if k not in la)]
            moves = tuple(Move(k, la.get(k), lb.get(k)) for k in order if la.get(k) != lb.get(k))
        offices.append(OfficeDiff(path, names[i] or path, side_a, side_b, moves))
    return CorpusDiff(tuple(offices), left_out, tuple(notes))


# -- the whole diff and its renderings ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RulesetDiff:
    old_label: str
    new_label: str
    old: Ruleset
    new: Ruleset
    changes: tuple[Change, ...]
    corpus: CorpusDiff | None
    evidence: tuple[str, ...] = ()

    @property
    def scores_changed(self) -> bool:
        return self.corpus is not None and bool(self.corpus.affected)

    def _side(self, label: str, rs: Ruleset) -> dict[str, Any]:
        return {"rules": label, "name": rs.name, "version": rs.version, "fingerprint": rs.fingerprint}

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": "pentas-diff/1",
            "old": self._side(self.old_label, self.old),
            "new": self._side(self.new_label, self.new),
            "evidence": list(self.evidence),
            "structure": [c.to_dict() for c in self.changes],
            "impact": None if self.corpus is None else self.corpus.to_dict(),
        }


_LABELS = {"aspects": "name", "enums": "description", "lookups": "description", "facts": "description", "indicators": "rubric"}

# Section keys in reading order; their titles are catalogue entries ``diff.section.<key>``.
_SECTIONS = ("ruleset", "aspects", "enums", "lookups", "facts", "indicators")
_KINDS = ("added", "removed", "retyped", "changed")


def _kind(kind: str, lang: str | None) -> str:
    """A change's kind as the reader's word; the JSON keeps the machine value."""
    return message(f"diff.kind.{kind}", lang)


# A detail's leading words, as ``_level_details`` writes them; the JSON keeps them as written
# (reviewers' tools match on them), the text and Markdown give the reader's words.
_DETAIL_PREFIXES = (
    ("condition changed: ", "diff.detail.condition_changed"),
    ("condition removed: ", "diff.detail.condition_removed"),
    ("condition added: ", "diff.detail.condition_added"),
    ("condition regrouped: ", "diff.detail.condition_regrouped"),
    ("condition: ", "diff.detail.condition"),
)


# The details of a thing on one side only: an aspect ("weight 3, indicators [A, B]"), an enum
# ("values [A, B]") and a lookup's bands ("key meta.population: < 500000 -> 2; ...").
_ASPECT_SUMMARY = re.compile(r"weight (.*), indicators (\[.*\])")
_ENUM_VALUES = re.compile(r"values (\[.*\])")
_LOOKUP_KEY = re.compile(r"(?:^|(?<= -> ))key (\S+): ")
# A change's subject: a kind word and a name ("aspect NAME"), as the JSON keeps it.
_SUBJECT_KINDS = ("aspect", "enum", "lookup", "fact", "indicator")


def _detail(detail: str, lang: str | None) -> str:
    """One detail line in the reader's words: its leading field name or phrase translated, values as they are."""
    for prefix, key in _DETAIL_PREFIXES:
        if detail.startswith(prefix):
            return f"{message(key, lang)}: {detail[len(prefix) :]}"
    # A rule-file field named before its colon ("weight: 3 -> 4"), as structure_diff writes it (and the
    # JSON keeps it): the catalogue's ``diff.field.<name>`` is its word, and the list of such fields.
    name, colon, rest = detail.partition(": ")
    if colon and f"diff.field.{name}" in catalogue(lang or get_language()):
        return f"{message(f'diff.field.{name}', lang)}: {rest}"
    if match := _ASPECT_SUMMARY.fullmatch(detail):
        return message("diff.aspect_summary", lang, weight=match[1], indicators=match[2])
    if match := _ENUM_VALUES.fullmatch(detail):
        return message("diff.enum_values", lang, values=match[1])
    return _LOOKUP_KEY.sub(lambda m: message("diff.lookup_key", lang, fact=m[1]), detail)


def _subject(subject: str, lang: str | None) -> str:
    """A change's subject in the reader's words: ``aspek NAME`` for ``aspect NAME``; ``ID level 3`` reads the same."""
    if subject == "ruleset":
        return message("diff.subject.ruleset", lang)
    kind, space, name = subject.partition(" ")
    return message(f"diff.subject.{kind}", lang, name=name) if space and kind in _SUBJECT_KINDS else subject


def _label(section: str, lang: str | None) -> str:
    return message(f"diff.label.{_LABELS.get(section, 'text')}", lang)


def _title(section: str, changes: list[Change], lang: str | None) -> str:
    """A section title with its counts by kind: ``Fact catalogue (1 added, 1 removed)``."""
    kinds = [k for k in _KINDS if any(c.kind == k for c in changes)]
    counts = ", ".join(f"{number(sum(c.kind == k for c in changes), lang)} {_kind(k, lang)}" for k in kinds)
    return f"{message(f'diff.section.{section}', lang)} ({counts})"


def _rank_text(office: OfficeDiff, lang: str | None) -> str:
    a, b = office.old.rank, office.new.rank
    if a is None or b is None:
        return ""
    return message("diff.rank", lang, rank=a) if a == b else message("diff.rank_moved", lang, old=a, new=b)


def _office_lines(office: OfficeDiff, lang: str | None) -> list[str]:
    """The headline and the indicator moves of one affected office, as plain phrases."""
    if office.old.error is not None or office.new.error is not None:
        lines = []
        for side_key, side in (("old", office.old), ("new", office.new)):
            if side.error is not None:
                lines.append(message(f"diff.invalid_under_{side_key}", lang, error=side.error))
            else:
                lines.append(message(f"diff.total_under_{side_key}", lang, total=display(side.total or Fraction(0))))
        return lines
    assert office.old.total is not None and office.new.total is not None
    head = message("diff.total_moved", lang, old=display(office.old.total), new=display(office.new.total), delta=_signed(office.delta or Fraction(0)))
    rank = _rank_text(office, lang)
    return [head + (f", {rank}" if rank else ""), *(m.text() for m in office.moves)]


def _unscored_lines(office: OfficeDiff, lang: str | None) -> str:
    if office.old.error == office.new.error:
        return f"  {office.path}: {office.old.error}"
    return "  " + message("diff.unscored_both", lang, path=office.path, old=office.old.error, new=office.new.error)


def _summary_line(corpus: CorpusDiff, lang: str | None) -> str:
    s = corpus.summary_dict()
    largest = corpus.largest_move()
    parts = [message("diff.sum_affected", lang, count=s["offices"], affected=number(s["affected"], lang))]
    if largest is not None:
        parts.append(message("diff.sum_largest", lang, office=largest.office, path=largest.path, delta=_signed(largest.delta or Fraction(0))))
    else:
        parts.append(message("diff.sum_no_move", lang))
    parts.append(message("diff.sum_rank_changes", lang, count=s["rank_changes"]))
    parts.append(message("diff.sum_swapped", lang, count=s["swapped_pairs"]))
    bad = s["invalid"]
    if any(bad.values()):
        parts.append(message("diff.sum_invalid", lang, old_only=bad["old_only"], new_only=bad["new_only"], both=bad["both"]))
    if corpus.duplicates:
        parts.append(message("diff.sum_duplicates", lang, count=len(corpus.duplicates)))
    return "; ".join(parts)


def _side_line(key: str, label: str, rs: Ruleset, lang: str | None) -> str:
    return message(key, lang, label=label, name=rs.name, version=rs.version, fingerprint=rs.fingerprint[:12])


def diff_text(diff: RulesetDiff, lang: str | None = None) -> str:
    """The diff for a terminal: structure by section, then each affected office, then the summary."""
    out = [
        _side_line("diff.old_side", diff.old_label, diff.old, lang),
        _side_line("diff.new_side", diff.new_label, diff.new, lang),
        "",
        message("diff.structure", lang, count=len(diff.changes)),
    ]
    for section in _SECTIONS:
        changes = [c for c in diff.changes if c.section == section]
        if not changes:
            continue
        out.append(f"  {_title(section, changes, lang)}:")
        for c in changes:
            out.append(f"    {_kind(c.kind, lang)} {_subject(c.subject, lang)}" + (f"  ({c.where})" if c.where else ""))
            if c.rubric:
                out.append(f"        {_label(c.section, lang)}: {c.rubric}")
            out.extend(f"        {_detail(d, lang)}" for d in c.details)
    if diff.corpus is not None:
        corpus = diff.corpus
        out.append("")
        out.append(message("diff.impact", lang, count=len(corpus.offices), evidence=", ".join(diff.evidence)))
        if not corpus.affected:
            out.append("  " + message("diff.no_office_changes", lang))
        for office in corpus.affected:
            out.append(f"  {office.path}  {office.office}")
            out.extend(f"      {line}" for line in _office_lines(office, lang))
        if corpus.rank_only:
            out.append("")
            out.append(message("diff.rank_only", lang) + ":")
            out.extend(f"  {o.path}  {o.office}: {_rank_only_text(o, lang)}" for o in corpus.rank_only)
        if corpus.unscored:
            out.append("")
            out.append(message("diff.unscored", lang) + ":")
            out.extend(_unscored_lines(office, lang) for office in corpus.unscored)
        if corpus.duplicates:
            out.append("")
            out.append(message("diff.duplicates", lang) + ":")
            out.extend(f"  {path}: {text}" for path, text in corpus.duplicates)
        if corpus.overrides:
            out.append("")
            out.append(message("diff.overrides", lang) + ":")
            out.extend(f"  {o.path}  {o.office}: {o.text(lang)}" for o in corpus.overrides)
        out.append("")
        out.append(message("diff.summary", lang, summary=_summary_line(corpus, lang)))
    return "\n".join(out) + "\n"


def _rank_only_text(office: OfficeDiff, lang: str | None) -> str:
    return message("diff.total", lang, total=display(office.old.total or Fraction(0))) + ", " + _rank_text(office, lang)


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def diff_markdown(diff: RulesetDiff, lang: str | None = None) -> str:
    """The diff as Markdown, to paste into a review."""
    out = [
        "## " + message("diff.md_title", lang, old=f"`{diff.old_label}`", new=f"`{diff.new_label}`"),
        "",
        "- " + _side_line("diff.md_old_side", diff.old_label, diff.old, lang),
        "- " + _side_line("diff.md_new_side", diff.new_label, diff.new, lang),
        "",
        "### " + message("diff.md_structure", lang, count=len(diff.changes)),
        "",
    ]
    if not diff.changes:
        out.append(message("diff.no_rule_change", lang))
        out.append("")
    for section in _SECTIONS:
        changes = [c for c in diff.changes if c.section == section]
        if not changes:
            continue
        out.append(f"#### {_title(section, changes, lang)}")
        out.append("")
        for c in changes:
            where = f" (`{c.where}`)" if c.where else ""
            out.append(f"- **{_kind(c.kind, lang)}** {_subject(c.subject, lang)}{where}")
            if c.rubric:
                out.append(f"  - {_label(c.section, lang)}: {_md(c.rubric)}")
            out.extend(f"  - `{_md(_detail(d, lang))}`" if d.startswith("condition") else f"  - {_md(_detail(d, lang))}" for d in c.details)
        out.append("")
    if diff.corpus is not None:
        corpus = diff.corpus
        out.append("### " + message("diff.md_impact", lang, count=len(corpus.offices)))
        out.append("")
        out.append(_summary_line(corpus, lang) + ".")
        out.append("")
        if corpus.affected:
            out.append("| " + message("diff.md_columns", lang) + " |")
            out.append("|---|---|---|---|---|---|")
            for office in corpus.affected:
                if office.old.error is not None or office.new.error is not None:
                    out.append(f"| `{_md(office.path)}` | {_md(office.office)} | {_md('; '.join(_office_lines(office, lang)))} | | | |")
                    continue
                assert office.old.total is not None and office.new.total is not None
                total = f"{display(office.old.total)} -> {display(office.new.total)}"
                moves = ", ".join(m.text() for m in office.moves)
                out.append(
                    f"| `{_md(office.path)}` | {_md(office.office)} | {total} | {_signed(office.delta or Fraction(0))} | {_rank_text(office, lang)} | {_md(moves)} |"
                )
            out.append("")
        if corpus.rank_only:
            out.append(message("diff.rank_only", lang) + ":")
            out.append("")
            out.extend(f"- `{_md(o.path)}` {_md(o.office)}: {_rank_only_text(o, lang)}" for o in corpus.rank_only)
            out.append("")
        if corpus.unscored:
            out.append(message("diff.unscored", lang) + ":")
            out.append("")
            out.extend(f"- {_md(line.strip())}" for line in (_unscored_lines(o, lang) for o in corpus.unscored))
            out.append("")
        if corpus.duplicates:
            out.append(message("diff.duplicates", lang) + ":")
            out.append("")
            out.extend(f"- `{_md(path)}`: {_md(text)}" for path, text in corpus.duplicates)
            out.append("")
        if corpus.overrides:
            out.append(message("diff.overrides", lang) + ":")
            out.append("")
            out.extend(f"- `{_md(o.path)}` {_md(o.office)}: {_md(o.text(lang))}" for o in corpus.overrides)
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
