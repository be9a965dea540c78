"""Words for results: the score table, one-line reasons and full explanations.

Pure functions from result trees to text, in Bahasa Indonesia (``id``, the
default, for assessors) or English (``en``). Markers are ASCII (``[+]`` holds,
``[-]`` fails, ``[?]`` unknown) so the text survives any terminal encoding.

The module is over 400 lines because it holds every sentence ``score`` and
``explain`` print about a condition, a requirement and a next step: they share
the value formatting and phrase lookups, and the report view reuses them, so a
wording changes in one place for every output. The score table has two layouts, chosen by
the ruleset's declared total policy: weighted aspects, or criteria counted into bands.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..engine.results import ConditionResult, IndicatorResult, LevelResult, ScoreResult, unmet
from ..engine.scoring import Standing, band_level, display
from ..errors import UsageError, suggest
from ..evidence.jsonfile import unit_name
from ..evidence.model import FactNote
from ..files.record import Record
from ..messages import LANGUAGES, catalogue, message
from ..ruleset.model import Catalogue, Compare, FactSpec, Interpretation, Ruleset
from ..ruleset.operators import describe_op

if TYPE_CHECKING:
    from ..engine.nextstep import FactChange, NextStep

__all__ = [
    "ConditionLine",
    "band_summary_lines",
    "criterion_counts",
    "criterion_state",
    "level_shown",
    "change_lines",
    "change_text",
    "condition_lines",
    "describe_fact",
    "explain_indicator",
    "format_date",
    "shown_total",
    "total_heading",
    "format_value",
    "indicator_next_step",
    "indicator_reason",
    "localize_decimal",
    "next_step_dict",
    "next_step_heading",
    "phrases",
    "readings_lines",
    "provenance_text",
    "render_condition",
    "resolve_indicator",
    "score_text",
    "standing_lines",
    "T",
]


def T(lang: str, key: str) -> str:
    """A fixed phrase of the message catalogue in the requested language (English when unknown), unformatted."""
    entry = catalogue(lang if lang in LANGUAGES else "en")[key]
    return entry if isinstance(entry, str) else entry[0]


def phrases(lang: str) -> dict[str, str]:
    """Every fixed phrase of a language at once, for templates that look many of them up."""
    return {key: entry for key, entry in catalogue(lang if lang in LANGUAGES else "en").items() if isinstance(entry, str)}


_MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
}


def format_date(iso: str | None, lang: str) -> str:
    """An ISO date as written in a letter (``14 Juni 2021``); anything unparseable is shown as given."""
    if not iso:
        return ""
    try:
        day = datetime.date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {_MONTHS.get(lang, _MONTHS['en'])[day.month - 1]} {day.year}"


def _group_thousands(number: int, sep: str) -> str:
    return f"{number:,}".replace(",", sep)


def localize_decimal(text: str, lang: str) -> str:
    """A plain machine number (``53.67``, no grouping) written as the language writes it: ``53,67`` in Indonesian."""
    return text.replace(".", ",") if lang == "id" else text


def shown_total(value: Any, rs: Ruleset, lang: str) -> str:
    """An office total as its ruleset's aggregation means it: a 0-100 score with two decimals
    (``93,00``), or, under a policy placing offices in bands, the level itself (``3``)."""
    return str(int(value)) if rs.aggregation.bands else localize_decimal(display(value), lang)


def totals_shown(result: ScoreResult, lang: str) -> tuple[str, str]:
    """The total that counts (the assessors' overrides in place) and the computed one, as a header shows
    them; under a band policy the level, a range while unknown criteria could move it (as standing_lines says)."""
    if result.standing is not None:
        return level_shown(result.final_standing or result.standing, lang), level_shown(result.standing, lang)
    return shown_total(result.total_final, result.ruleset, lang), shown_total(result.total, result.ruleset, lang)


def total_words(result: ScoreResult, lang: str) -> tuple[str, str]:
    """What the total that counts and the computed one are called where overrides set them apart."""
    if result.standing is not None:
        return message("score.level_final", lang), message("score.level_computed", lang)
    return T(lang, "total_final"), T(lang, "total_computed")


def override_legend(result: ScoreResult, lang: str) -> str:
    """What the mark of an overridden level or criterion means."""
    return message("score.legend_override", lang, met=message("score.criterion_met", lang)) if result.standing is not None else T(lang, "legend_override")


def total_heading(rs: Ruleset, lang: str) -> str:
    """What the total is called: "Nilai total", or, for a banded ruleset, the office's level."""
    return T(lang, "total_level" if rs.aggregation.bands else "total")


def format_value(spec: FactSpec | None, value: Any, lang: str) -> str:
    """A fact value as an assessor reads it: ya/tidak, 97.5%, Rp 1.500.000, B+."""
    if value is None:
        return T(lang, "unknown")
    if isinstance(value, bool):
        return T(lang, "yes") if value else T(lang, "no")
    if isinstance(value, (tuple, list)):
        return ", ".join(format_value(spec, v, lang) for v in value)
    unit = spec.unit if spec is not None else None
    if isinstance(value, (int, float)):
        if unit == "rupiah":
            amount = _group_thousands(int(value), "." if lang == "id" else ",")
            return f"Rp {amount}" if lang == "id" else f"IDR {amount}"
        if isinstance(value, int) and abs(value) >= 10_000:
            text = _group_thousands(value, "." if lang == "id" else ",")
        else:
            text = localize_decimal(f"{value:g}", lang) if isinstance(value, float) else str(value)
        if unit == "percent":
            return f"{text}%"
        if unit:
            return f"{text} {unit_name(unit, lang)}"
        return text
    return str(value)


def describe_fact(catalogue: Catalogue, name: str, lang: str) -> str:
    """The catalogue's description of a fact in the language asked, or its name when undeclared."""
    spec = catalogue.facts.get(name)
    if spec is None:
        return name
    return spec.description_id if lang == "id" else spec.description_en


def _requirement(cr: ConditionResult, catalogue: Catalogue, lang: str) -> str:
    c = cr.condition
    assert isinstance(c, Compare)
    spec = catalogue.facts.get(c.fact)
    if c.other_fact is not None:
        other = describe_fact(catalogue, c.other_fact, lang)
        shown = format_value(catalogue.facts.get(c.other_fact), cr.expected, lang)
        return f"{describe_op(c.op, lang)} {other} ({shown})"
    if c.lookup is not None and cr.expected is None and cr.key_value is not None:
        # The key is known but the ruleset's table has no band for it: no evidence is missing.
        key = describe_fact(catalogue, c.lookup.key, lang).lower()
        shown = format_value(catalogue.facts.get(c.lookup.key), cr.key_value, lang)
        return T(lang, "no_band").format(lookup=c.lookup.name, key=key, value=shown)
    if c.lookup is not None:
        key_spec = catalogue.facts.get(c.lookup.key)
        threshold = format_value(spec, cr.expected, lang) if cr.expected is not None else "?"
        key = describe_fact(catalogue, c.lookup.key, lang).lower()
        return f"{describe_op(c.op, lang)} {threshold} ({T(lang, 'days_for')} {key} {format_value(key_spec, cr.key_value, lang)})"
    if spec is not None and spec.type == "bool" and c.op in ("==", "!="):
        wanted = bool(c.value) if c.op == "==" else not c.value
        return format_value(spec, wanted, lang)
    if c.op == "between":
        low, high = c.value
        joiner = "dan" if lang == "id" else "and"
        return f"{describe_op(c.op, lang)} {format_value(spec, low, lang)} {joiner} {format_value(spec, high, lang)}"
    return f"{describe_op(c.op, lang)} {format_value(spec, c.value, lang)}"


def _marker(outcome: bool | None) -> str:
    return "[?]" if outcome is None else ("[+]" if outcome else "[-]")


class ConditionLine(Record):
    """One line of a condition as a reader sees it, for renderers that lay it out themselves.

    ``kind`` is ``fact`` for a comparison (``text`` is the fact's description,
    ``actual`` its formatted value, ``requirement`` what the rule asks) or
    ``any``/``not`` for a header whose children follow one ``depth`` deeper.
    """

    __slots__ = ("depth", "kind", "outcome", "text", "fact", "actual", "requirement", "missing")
    depth: int
    kind: str
    outcome: bool | None
    text: str
    fact: str
    actual: str
    requirement: str
    missing: tuple[str, ...]

    def __init__(
        self, depth: int, kind: str, outcome: bool | None, text: str, fact: str = "", actual: str = "", requirement: str = "", missing: tuple[str, ...] = ()
    ) -> None:
        self._fill(depth, kind, outcome, text, fact, actual, requirement, missing)

    @property
    def marker(self) -> str:
        return _marker(self.outcome)


# The phrase key of a combining kind's header line, where it differs from the kind's word.
_HEADER_PHRASE = {"any": "any_of"}


def condition_lines(cr: ConditionResult, catalogue: Catalogue, lang: str, depth: int = 0) -> list[ConditionLine]:
    """The condition flattened to lines, ``all`` dissolved into its parts, ``any``/``not`` as headers."""
    c = cr.condition
    if isinstance(c, Compare):
        spec = catalogue.facts.get(c.fact)
        return [
            ConditionLine(
                depth,
                "fact",
                cr.outcome,
                describe_fact(catalogue, c.fact, lang),
                c.fact,
                format_value(spec, cr.actual, lang),
                _requirement(cr, catalogue, lang),
                cr.missing,
            )
        ]
    if c.kind == "all":
        lines: list[ConditionLine] = []
        for child in cr.children:
            lines.extend(condition_lines(child, catalogue, lang, depth))
        return lines
    # Any other combining kind is a header over its parts, worded by the phrase table.
    lines = [ConditionLine(depth, c.kind, cr.outcome, T(lang, _HEADER_PHRASE.get(c.kind, c.kind)))]
    for child in cr.children:
        lines.extend(condition_lines(child, catalogue, lang, depth + 1))
    return lines


def render_condition(
    cr: ConditionResult, catalogue: Catalogue, lang: str, indent: str = "", show_fact_names: bool = True, notes: Mapping[str, FactNote] | None = None
) -> list[str]:
    """One line per comparison, nested under ``any``/``not`` headers, with actual values.

    With ``notes``, a fact whose provenance was recorded gets it on the line below its own.
    """
    out = []
    for line in condition_lines(cr, catalogue, lang):
        pad = indent + "    " * line.depth
        if line.kind != "fact":
            out.append(f"{pad}{line.marker} {line.text}")
            continue
        text = f"{pad}{line.marker} {line.text}: {line.actual} ({T(lang, 'requires')}: {line.requirement})"
        if show_fact_names:
            text += f"  <{line.fact}>"
        if line.missing:
            text += f" -- {T(lang, 'missing_evidence')}: {', '.join(line.missing)}"
        out.append(text)
        note = notes.get(line.fact) if notes else None
        if note is not None:
            out.append(f"{pad}    {T(lang, 'fact_source')}: {provenance_text(note, lang)}")
    return out


def provenance_text(note: FactNote, lang: str) -> str:
    """Where a fact's value came from, in one phrase: ``LHE 2020, hal. 4 -- dicek ulang``."""
    text = ", ".join(part for part in (note.source, f"{T(lang, 'page_short')} {note.page}" if note.page else None) if part)
    return f"{text} -- {note.note}" if text and note.note else text or note.note or ""


def _bounds_text(spec: FactSpec, part: Any, lang: str) -> str:
    """One interval of allowed values in words, leaving out an end that is only the fact's declared range."""
    # deferred: the next-step reasoning and its set algebra (about 1.5 ms of import) serve only advice
    from ..engine.nextstep import plain_number

    lo_shown = part.lo != -math.inf and (spec.minimum is None or part.lo > spec.minimum or not part.lo_closed)
    hi_shown = part.hi != math.inf and (spec.maximum is None or part.hi < spec.maximum or not part.hi_closed)
    lo, hi = format_value(spec, plain_number(part.lo), lang), format_value(spec, plain_number(part.hi), lang)
    if part.lo == part.hi:
        return f"{describe_op('==', lang)} {lo}"
    if lo_shown and hi_shown and part.lo_closed and part.hi_closed:
        return f"{describe_op('between', lang)} {lo} {'dan' if lang == 'id' else 'and'} {hi}"
    words = []
    if lo_shown:
        words.append(f"{describe_op('>=' if part.lo_closed else '>', lang)} {lo}")
    if hi_shown:
        words.append(f"{describe_op('<=' if part.hi_closed else '<', lang)} {hi}")
    return f" {'dan' if lang == 'id' else 'and'} ".join(words) if words else T(lang, "any_value")


def _allowed_text(change: FactChange, catalogue: Catalogue, lang: str) -> str:
    """What a fact must become, with the operators and units explain uses everywhere else."""
    # deferred: the set algebra (about 1 ms of import) is needed only when there is advice to word
    from ..ruleset.analysis import NumberSet

    spec = catalogue.facts[change.fact]
    allowed = change.allowed
    if isinstance(allowed, NumberSet):
        text = f" {T(lang, 'or')} ".join(_bounds_text(spec, part, lang) for part in allowed.parts)
    elif spec.type == "enum" and spec.enum is not None:
        order = spec.enum.values
        ranks = sorted(spec.enum.rank(v) for v in allowed)
        if len(ranks) == 1:
            text = order[ranks[0]]
        elif ranks == list(range(ranks[0], len(order))):
            text = f"{describe_op('>=', lang)} {order[ranks[0]]}"
        elif ranks == list(range(0, ranks[-1] + 1)):
            text = f"{describe_op('<=', lang)} {order[ranks[-1]]}"
        else:
            text = f"{describe_op('in', lang)} {', '.join(order[r] for r in ranks)}"
    elif len(allowed) == 1:
        text = format_value(spec, next(iter(allowed)), lang)
    else:
        text = T(lang, "any_value")
    if change.relation is not None:
        op, other = change.relation
        text += f" {'dan' if lang == 'id' else 'and'} {describe_op(op, lang)} {describe_fact(catalogue, other, lang)}"
    return text


def change_lines(step: NextStep, catalogue: Catalogue, lang: str) -> list[ConditionLine]:
    """The changes of a next step as condition lines: failed (must change) or unknown (evidence to supply)."""
    lines = []
    for change in step.changes:
        spec = catalogue.facts.get(change.fact)
        lines.append(
            ConditionLine(
                0,
                "fact",
                None if change.unknown else False,
                describe_fact(catalogue, change.fact, lang),
                change.fact,
                format_value(spec, change.current, lang),
                _allowed_text(change, catalogue, lang),
                (change.fact,) if change.unknown else (),
            )
        )
    return lines


def change_text(line: ConditionLine, lang: str) -> str:
    """One change in words: ``saat ini 6 hari, harus paling banyak 2 hari``."""
    if line.missing:
        return T(lang, "change_supply").format(required=line.requirement)
    return T(lang, "change_now").format(actual=line.actual, required=line.requirement)


def next_step_dict(step: NextStep | None, catalogue: Catalogue, lang: str) -> dict[str, Any] | None:
    """The next step as JSON-ready data: the level, its rubric sentence, and per change the fact,
    its current value (null: evidence to supply), a value that will do and the requirement in words."""
    if step is None:
        return None
    # deferred: the next-step reasoning (about 1.5 ms of import) serves only advice
    from ..engine.nextstep import plain_number

    return {
        "level": step.value,
        "source": step.level.source,
        "changes": [
            {
                "fact": change.fact,
                "current": change.current,
                "supply": change.unknown,
                "to": plain_number(change.example(catalogue)),
                "requirement": _allowed_text(change, catalogue, lang),
            }
            for change in step.changes
        ],
    }


def next_step_heading(step: NextStep, lang: str, key: str = "next_step") -> str:
    """``Untuk mencapai nilai 5 perlu 1 perubahan`` (``next_needs``: the short form for one-line reasons)."""
    count = len(step.changes)
    return T(lang, key).format(level=step.value, count=count, changes=T(lang, "change_one" if count == 1 else "change_many"))


def indicator_next_step(ir: IndicatorResult, catalogue: Catalogue) -> NextStep | None:
    """The advice for one indicator result: the level above its own that the fewest changes reach."""
    # A score whose every indicator has a level awarded asks for no advice.
    # deferred: the next-step reasoning and its set algebra, about 1.5 ms of import
    from ..engine.nextstep import next_step

    return next_step(catalogue, ir.indicator, ir.level, ir.facts)


def indicator_reason(ir: IndicatorResult, catalogue: Catalogue, lang: str, flag_undetermined: bool = True) -> str:
    """One line: the rubric sentence of the level awarded, or what the first level needs."""
    # The level's definition, not ``ir.awarded``: that opens the level's whole condition tree
    # from the trace, which a one-line reason never reads.
    awarded = ir.indicator.level(ir.level) if ir.level else None
    if awarded is not None:
        text = awarded.source
    else:
        text = T(lang, "no_level")
        step = indicator_next_step(ir, catalogue)
        if step is not None and step.changes:
            lines = change_lines(step, catalogue, lang)
            first = lines[0]
            text += f"; {next_step_heading(step, lang, 'next_needs')}: {first.text} ({T(lang, 'requires')}: {first.requirement})"
            if len(lines) > 1:
                text += f" (+{len(lines) - 1})"
    if flag_undetermined and not ir.determined:
        text += f" {T(lang, 'undetermined')}"
    return text


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def standing_lines(result: ScoreResult, lang: str = "id") -> list[str]:
    """The office's band, when the ruleset's total policy places it in one: its level and count met,
    or, when unknown criteria could still change it, the range and the facts that would decide it.

    With overrides the final band leads (it is what counts) and the band the evidence alone gives stands
    beside it, so an assessor's judgement never hides what the evidence decided.
    """
    st = result.standing
    if st is None:
        return []
    computed = _band(st, lang)
    if result.final_standing is None:
        return [f"{T(lang, 'standing_level')}: {computed}"]
    final = _band(result.final_standing, lang)
    return [f"{T(lang, 'standing_level')}: {final}, {T(lang, 'standing_with_overrides')}; {T(lang, 'standing_computed_beside')}: {computed}"]


def _band(st: Standing, lang: str) -> str:
    """One band as the band line writes it: the level (or the range still open) and why."""
    words = {"met": st.met, "criteria": st.criteria, "unknown": st.unknown, "lowest": st.lowest, "highest": st.highest}
    if st.decided:
        detail = T(lang, "standing_decided").format(**words)
        if st.unknown:
            detail += "; " + T(lang, "standing_unknown_fixed").format(**words)
        return f"{st.lowest} ({detail})"
    why = T(lang, "standing_open_why").format(**words, ids=", ".join(st.unknown_criteria), facts=", ".join(st.deciding_facts))
    return f"{T(lang, 'standing_open').format(**words)} ({why})"


def score_text(result: ScoreResult, lang: str = "id", width: int = 100) -> str:
    """The readable table: aspects with weight, mean and contribution; indicators with level and reason."""
    rs = result.ruleset
    meta = result.evidence.meta
    catalogue = rs.catalogue
    title = rs.title_id if lang == "id" else rs.title_en
    lines = [
        f"{title} ({rs.name} {rs.version})",
        f"{T(lang, 'office')}: {meta.office} ({meta.region_code}, {meta.province}), {T(lang, 'year')} {meta.year}",
    ]
    status = (
        T(lang, "complete")
        if result.complete
        else (
            f"{T(lang, 'incomplete')}: {len(result.missing_facts)} {T(lang, 'facts_missing')}, {T(lang, 'completeness')} {localize_decimal(display(result.completeness * 100), lang)}%"
        )
    )
    shown, computed = totals_shown(result, lang)
    banded = result.standing is not None
    if result.final_total is None:
        lines.append(f"{total_heading(rs, lang)}: {computed} / {rs.aggregation.total_max:g}   [{status}]")
    else:
        final_label, computed_label = total_words(result, lang)
        lines.append(f"{final_label}: {shown} / {rs.aggregation.total_max:g}   [{status}]")
        lines.append(f"{computed_label}: {computed} / {rs.aggregation.total_max:g}")
    lines.extend(standing_lines(result, lang))
    lines.append("")
    lines.extend(warning_lines(result, lang))
    lines.extend(override_lines(result, lang))
    if banded:
        lines.extend(_banded_table(result, lang, width))
    else:
        lines.extend(_weighted_table(result, lang, width))
    if result.missing_facts:
        lines.append("")
        lines.append(f"{T(lang, 'missing_list')} ({len(result.missing_facts)}):")
        for name in result.missing_facts:
            lines.append(f"  - {name}: {describe_fact(catalogue, name, lang)}")
    return "\n".join(lines) + "\n"


def level_shown(st: Standing, lang: str) -> str:
    """A band's level as a header shows it: the level, or ``antara 2 dan 3`` while it is undecided."""
    return str(st.lowest) if st.decided else message("score.level_between", lang, lowest=st.lowest, highest=st.highest)


def _indicator_rows(ir: IndicatorResult, lang: str, status: str, pad: int, room: int, below: list[str]) -> list[str]:
    """One indicator's rows of a score table: id, status and title, then the non-empty texts below it
    (reason, rubric sentence, need) and an assessor's override, each indented to ``pad`` and cut at ``room``."""
    label = ir.indicator.question if lang == "id" else ir.indicator.title_en
    rows = [f"    {ir.indicator.id:<10}{status:<{pad - 14}}{_shorten(label, room)}"]
    rows.extend(f"{'':{pad}}{_shorten(text, room)}" for text in below if text)
    if ir.override is not None:
        o = ir.override
        row = T(lang, "override_row").format(computed=ir.level, final=o.level, assessor=o.assessor, reason=o.reason)
        rows.append(f"{'':{pad}}{_shorten(row, room)}")
    return rows


def _legend_lines(result: ScoreResult, lang: str) -> list[str]:
    out = []
    if any(not ir.determined and ir.override is None for ir in result.indicators()):
        out.append(T(lang, "legend_undetermined"))
    if result.overrides:
        out.append(override_legend(result, lang))
    return out


def _weighted_table(result: ScoreResult, lang: str, width: int) -> list[str]:
    """Aspects with weight, mean and contribution; indicators with level and reason; the total out of its maximum."""
    rs = result.ruleset
    catalogue = rs.catalogue
    lines = []
    head = f"{'No':<4}{T(lang, 'aspect') + ' / ' + T(lang, 'indicator'):<52}{T(lang, 'weight'):>6}{T(lang, 'mean'):>11}{T(lang, 'contribution'):>14}"
    lines.append(head)
    lines.append("-" * len(head))
    for ar in result.aspects:
        a = ar.aspect
        name = a.name_id if lang == "id" else a.name_en
        # With overrides the table shows what counts (the final levels); the computed ones are beside each override.
        mean = ar.final_mean if ar.final_mean is not None else ar.mean
        contribution = ar.final_contribution if ar.final_contribution is not None else ar.contribution
        lines.append(
            f"{a.number:<4}{_shorten(name, 51):<52}{a.weight:>6g}{localize_decimal(display(mean), lang):>11}{localize_decimal(display(contribution), lang):>14}"
        )
        for ir in ar.indicators:
            flag = "*" if ir.override is not None else "" if ir.determined else "?"
            level = f"{T(lang, 'level')} {ir.final_level}{flag}"
            lines.extend(_indicator_rows(ir, lang, level, 24, width - 24, [indicator_reason(ir, catalogue, lang, flag_undetermined=False)]))
    lines.append("-" * len(head))
    lines.append(f"{'':4}{total_heading(rs, lang):<52}{rs.aggregation.total_max:>6g}{'':>11}{shown_total(result.total_final, rs, lang):>14}")
    return lines + _legend_lines(result, lang)


def criterion_state(ir: IndicatorResult, lang: str) -> str:
    """A criterion under a band policy is met, not met or unknown (no level, one hanging on missing evidence)."""
    if ir.final_level > 0:
        key = "score.criterion_met"
    elif ir.override is None and not ir.determined:
        key = "score.criterion_unknown"
    else:
        key = "score.criterion_not_met"
    return message(key, lang) + ("*" if ir.override is not None else "")


def criterion_counts(indicators: Sequence[IndicatorResult]) -> tuple[int, int, int]:
    """Of some criteria under a band policy: how many are met, unknown, and in all (overrides counted as final)."""
    met = sum(1 for ir in indicators if ir.final_level > 0)
    unknown = sum(1 for ir in indicators if ir.final_level == 0 and ir.override is None and not ir.determined)
    return met, unknown, len(indicators)


def _criterion_need(ir: IndicatorResult, catalogue: Catalogue, lang: str) -> str:
    """What an unmet criterion lacks, in one phrase: the first change its level needs (and how many more)."""
    if ir.final_level > 0:
        return ""  # a met criterion needs nothing: no next step is worked out for it
    step = indicator_next_step(ir, catalogue)
    if step is None or not step.changes:
        return ""
    changes = change_lines(step, catalogue, lang)
    # The fact's name, not its long description, so the values fit the line; the missing list describes it.
    text = f"{changes[0].fact}: {change_text(changes[0], lang)}" + (f" (+{len(changes) - 1})" if len(changes) > 1 else "")
    return f"{message('score.criterion_needs', lang)}: {text}"


def _banded_table(result: ScoreResult, lang: str, width: int) -> list[str]:
    """The table of a ruleset whose total is the band of the count of criteria met: per aspect the
    criteria met, unknown and in all; per criterion met / not met / unknown with its rubric sentence;
    the count met and the level it gives, then the band table, so no weight or mean suggests a score."""
    rs = result.ruleset
    catalogue = rs.catalogue
    labels = [message(key, lang) for key in ("score.col_met", "score.col_unknown", "score.col_criteria")]
    cols = [max(len(label) + 2, 8) for label in labels]
    name_width = max(40, width - 4 - sum(cols))
    head = f"{'No':<4}{T(lang, 'aspect') + ' / ' + message('score.criterion', lang):<{name_width}}" + "".join(
        f"{label:>{col}}" for label, col in zip(labels, cols, strict=True)
    )
    lines = [head, "-" * len(head)]
    state_width = max(len(message(key, lang)) for key in ("score.criterion_met", "score.criterion_not_met", "score.criterion_unknown")) + 3
    for ar in result.aspects:
        a = ar.aspect
        counts = criterion_counts(ar.indicators)
        name = a.name_id if lang == "id" else a.name_en
        lines.append(f"{a.number:<4}{_shorten(name, name_width - 1):<{name_width}}" + "".join(f"{n:>{col}}" for n, col in zip(counts, cols, strict=True)))
        for ir in ar.indicators:
            label = ir.indicator.question if lang == "id" else ir.indicator.title_en
            # The rubric sentence of the criterion (its one level's source), unless the label already is it.
            sentence = ir.indicator.levels[-1].source  # the definition: ir.levels would open the trace
            below = [sentence] if sentence.rstrip(".") != label.rstrip(".") else []
            # A criterion is one sentence and its need ends in the values: a long line beats cutting them off.
            pad = 4 + 10 + state_width
            lines.extend(_indicator_rows(ir, lang, criterion_state(ir, lang), pad, max(width - pad, 110), [*below, _criterion_need(ir, catalogue, lang)]))
    lines.append("-" * len(head))
    lines.extend(f"{'':4}{line}" for line in band_summary_lines(result, lang))
    # The criteria carry no "level N?" marks; an overridden one is marked as its state with a star.
    return lines + ([override_legend(result, lang)] if result.overrides else [])


def band_summary_lines(result: ScoreResult, lang: str) -> list[str]:
    """Under a band policy, what the table adds up to: the count met and the level it gives (a range
    while unknown criteria could move it), whether the unknown ones could, and the declared bands."""
    st = result.final_standing or result.standing
    if st is None:
        return []
    lines = [message("score.banded_total", lang, met=st.met, criteria=st.criteria, level=level_shown(st, lang))]
    if st.unknown:
        key = "score.banded_unknown_fixed" if st.decided else "score.banded_unknown"
        lines.append(message(key, lang, unknown=st.unknown))
    lines.append(f"{message('score.bands', lang)}: {'; '.join(_band_texts(result.ruleset, st.criteria))}")
    return lines


def _band_texts(rs: Ruleset, criteria: int) -> list[str]:
    """The level each count met gives, as the engine decides it (``band_level``), runs of counts grouped: ``5-6 -> 2``."""
    runs: list[tuple[int, int, int]] = []
    for count in range(criteria + 1):
        level = band_level(rs.aggregation.bands, count)
        if runs and runs[-1][2] == level and runs[-1][1] == count - 1:
            runs[-1] = (runs[-1][0], count, level)
        else:
            runs.append((count, count, level))
    return [f"{least}-{most} -> {level}" if least != most else f"{least} -> {level}" for least, most, level in runs]


def warning_lines(result: ScoreResult, lang: str) -> list[str]:
    """The result's warnings as a block of text (empty when there are none), each naming its facts and values."""
    if not result.warnings:
        return []
    return [f"{T(lang, 'warnings')} ({len(result.warnings)}):", *(f"  ! {w.text(lang)}" for w in result.warnings), ""]


def override_lines(result: ScoreResult, lang: str) -> list[str]:
    """The assessors' overrides as a block of text (empty when there are none): both levels, who decided and why."""
    if not result.overrides:
        return []
    out = [f"{T(lang, 'overrides')} ({len(result.overrides)}):"]
    for ir in result.indicators():
        if ir.override is not None:
            out.append(f"  * {override_text(ir, lang)}")
    out.append("")
    return out


def override_text(ir: IndicatorResult, lang: str) -> str:
    """One override in a line: the computed and the final level, the assessor (and approver), the date and the reason."""
    o = ir.override
    assert o is not None
    approved = T(lang, "override_approved").format(name=o.approved_by) if o.approved_by else ""
    words = {"indicator": o.indicator, "computed": ir.level, "final": o.level, "assessor": o.assessor, "approved": approved}
    text = T(lang, "override_line").format(**words, date=format_date(o.date, lang), reason=o.reason)
    return text + (f" [{T(lang, 'override_stale')}]" if o.level == ir.level else "")


def _level_status(level: LevelResult, lang: str) -> str:
    return T(lang, "unknown_level") if level.outcome is None else T(lang, "held" if level.outcome else "failed")


def _next_step_lines(ir: IndicatorResult, catalogue: Catalogue, lang: str) -> list[str]:
    """The advice: the level the fewest changes reach, its rubric sentence, and exactly those changes."""
    step = indicator_next_step(ir, catalogue)
    if step is None:
        return [T(lang, "no_next_step")]
    out = [f"{next_step_heading(step, lang)}:", f'  {T(lang, "rubric")}: "{step.level.source}"']
    for line in change_lines(step, catalogue, lang):
        out.append(f"  - {line.text}: {change_text(line, lang)}  <{line.fact}>")
    return out


def resolve_indicator(ruleset: Ruleset, given: str) -> str:
    """Accept an id (any case: ``P05``, ``p05``) or the rubric's number (``5``, also written with a leading ``I`` and zeros)."""
    wanted = given.strip()
    number = re.fullmatch(r"[Ii]?0*(\d+)", wanted)
    for ind_id, ind in ruleset.indicators.items():
        if ind_id.lower() == wanted.lower() or (number and ind.number is not None and int(number.group(1)) == ind.number):
            return str(ind_id)
    hint = suggest(wanted.upper(), list(ruleset.indicators))
    tail = message("text.did_you_mean_plain", name=hint) if hint else ""
    raise UsageError(message("text.unknown_indicator", given=repr(given), hint=tail, known=", ".join(ruleset.indicators)))


def explain_indicator(result: ScoreResult, indicator_id: str, lang: str = "id") -> str:
    """Every level of one indicator: which conditions held or failed, why not higher, what is next."""
    ir = result.indicator(indicator_id)
    assert ir is not None
    rs = result.ruleset
    catalogue = rs.catalogue
    ind = ir.indicator
    aspect = next(a for a in rs.aspects if a.id == ind.aspect_id)
    question = ind.question if lang == "id" else f"{ind.title_en} ({ind.question})"
    lines = [
        f"{T(lang, 'indicator')} {ind.label} [{ind.id}]: {question}",
        f"{T(lang, 'aspect')}: {aspect.name_id if lang == 'id' else aspect.name_en} ({T(lang, 'weight').lower()} {aspect.weight:g})",
        f"{T(lang, 'office')}: {result.evidence.meta.office}",
        f"{T(lang, 'awarded')}: {ir.level}" + ("" if ir.determined else f"  {T(lang, 'undetermined')}"),
        *([f"{T(lang, 'final_level')}: {override_text(ir, lang)}"] if ir.override is not None else []),
        *standing_lines(result, lang),  # what this criterion does to the office's band, under a band policy
        "",
        *warning_lines(result, lang),
        f"{T(lang, 'levels_defined')}:",
    ]
    for level in ir.levels:
        lines.append("")
        lines.append(f"{T(lang, 'level')} {level.value} -- {_level_status(level, lang)}")
        lines.append(f'  {T(lang, "rubric")}: "{level.level.source}"')
        rule = f"  {T(lang, 'rule')}: {level.level.where}"
        if level.level.interpretation:
            rule += f"   {T(lang, 'interpretation')}: {', '.join(level.level.interpretation)}"
        lines.append(rule)
        lines.extend(render_condition(level.condition, catalogue, lang, "  ", notes=result.evidence.notes))
    lines.append("")
    lines.append(f"{T(lang, 'why_not_higher')}:")
    higher = ir.higher_levels
    if not higher:
        lines.append(f"  {T(lang, 'is_highest')}")
    for level in higher:
        gap = unmet(level.condition)
        lines.append(f"  {T(lang, 'level')} {level.value} ({_level_status(level, lang).lower()}):")
        if gap is not None:
            lines.extend(render_condition(gap, catalogue, lang, "    ", notes=result.evidence.notes))
    if higher:
        lines.append("")
        lines.extend(_next_step_lines(ir, catalogue, lang))
    lines.append("")
    missing = ", ".join(ir.missing_facts) if ir.missing_facts else T(lang, "none")
    lines.append(f"{T(lang, 'missing_facts')}: {missing}")
    lines.extend(readings_lines(rs.readings(ind.levels), lang))
    return "\n".join(lines) + "\n"


def readings_lines(readings: tuple[Interpretation, ...], lang: str, width: int = 100) -> list[str]:
    """The texts of the readings an explanation cites, once each, so "R10" is readable where it appears."""
    # deferred: only `explain` and reports print readings; textwrap is about 1 ms of every start-up
    import textwrap

    if not readings:
        return []
    lines = ["", f"{T(lang, 'readings_used')}:"]
    for reading in readings:
        head = f"  {reading.id}  "
        lines.extend(textwrap.wrap(reading.text(lang), width, initial_indent=head, subsequent_indent=" " * len(head), break_on_hyphens=False))
    return lines
