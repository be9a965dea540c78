"""What an assessor's report shows, as plain data: built from a result, rendered by templates.

Pure (no jinja2, no I/O): :func:`report_view` turns a :class:`ScoreResult` into
dataclasses holding already-worded, already-formatted text, so the HTML and the
Markdown templates only lay it out and cannot disagree about a number or a word.
Scores are shown with :func:`~pentas_rules.scoring.display`; words and values
come from :mod:`pentas_rules.text.explain`. The aspect chart's geometry is computed
here too, so the SVG is drawn by the project and needs no script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..engine.header import file_name
from ..engine.results import IndicatorResult, ScoreResult
from ..engine.scoring import display
from ..files.record import field_names
from ..messages import message
from .explain import (
    ConditionLine,
    T,
    band_summary_lines,
    change_lines,
    condition_lines,
    criterion_counts,
    criterion_state,
    describe_fact,
    format_date,
    format_value,
    indicator_next_step,
    localize_decimal,
    next_step_heading,
    override_legend,
    override_text,
    phrases,
    shown_total,
    standing_lines,
    total_heading,
    total_words,
    totals_shown,
)

__all__ = ["AspectView", "ChartBar", "ChartView", "ConditionBlock", "IndicatorView", "ReportView", "report_view"]


@dataclass(frozen=True, slots=True)
class ConditionBlock:
    """A rubric sentence and its conditions: the level awarded (held), or the next step (the changes it needs)."""

    kind: str  # "awarded" | "next"
    heading: str
    source: str
    lines: tuple[ConditionLine, ...]


@dataclass(frozen=True, slots=True)
class IndicatorView:
    id: str
    label: str  # the rubric's number, or the id for the unnumbered Hak Akses row
    question: str  # always the rubric's Indonesian question
    title: str  # the English title for --lang en, else the question
    level: int
    determined: bool
    levels_defined: str  # e.g. "3, 4, 5"
    awarded: bool
    blocks: tuple[ConditionBlock, ...]  # the awarded level's sentence and conditions, then the next step's changes
    is_highest: bool
    unreachable: bool  # a higher level exists but no change of facts can make it hold
    where: str
    interpretation: tuple[str, ...]  # register ids the awarded level cites; their texts are in ReportView.readings
    missing: tuple[tuple[str, str], ...]  # (fact, description)
    # With an assessor's override: the final level beside the computed ``level``, and the judgement in a line (who, when, why).
    final_level: int | None = None
    override: str = ""
    state: str = ""  # under a band policy: met, not met or unknown, in words (a star when an assessor set it)


@dataclass(frozen=True, slots=True)
class AspectView:
    id: str
    number: int
    name: str
    weight: str
    mean: str
    contribution: str
    levels: str  # "4, 5, 3, 3" in rubric order; "?" marks a level that could rise with more evidence
    indicators: tuple[IndicatorView, ...]
    out_of: str = ""  # what the contribution is out of: the weight, or a banded ruleset's count of criteria
    # Under a band policy: the criteria met, unknown and in all, which replace weight, mean and contribution.
    counts: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True, slots=True)
class ChartBar:
    y: float
    label: str
    value: str
    weight_width: float
    score_width: float
    text_y: float


@dataclass(frozen=True, slots=True)
class ChartView:
    width: int
    height: int
    label_width: int
    bar_x: int
    value_x: int
    bar_height: int
    bars: tuple[ChartBar, ...]
    title: str


@dataclass(frozen=True, slots=True)
class ReportView:
    lang: str
    title: str
    ruleset: str
    fingerprint: str
    office: str
    region_code: str
    province: str
    year: int
    population: str
    assessed_on: str
    assessors: tuple[str, ...]
    total: str  # in the language's notation ("93,00")
    total_max: str
    complete: bool
    status: str
    aspects: tuple[AspectView, ...]
    chart: ChartView
    missing: tuple[tuple[str, str], ...]
    readings: tuple[tuple[str, str], ...]  # (id, text) of every reading the indicator cards cite: the appendix
    any_undetermined: bool
    evidence_file: str
    evidence_sha256: str
    warnings: tuple[str, ...] = ()  # contradictions and doubtful metadata, each naming its facts and values
    total_value: str = ""  # the same total machine-formatted ("93.00"), for the page's data attribute
    head_of_office: str = ""  # the signatory's title, naming the regency or city ("Kepala Dinas ... Kabupaten X")
    # Per fact, the provenance the assessor recorded (source document, page, note) as (label, text) pairs,
    # shown beside the fact wherever a card names it.
    sources: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # The same provenance as an appendix, one row per noted fact: (fact, description, value, provenance),
    # so a source is shown even for a fact no card's conditions name.
    source_rows: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = ()
    standing: tuple[str, ...] = ()  # the office's band, when the ruleset's total policy places it in one
    # With assessors' overrides: ``total`` is the final total, this the total from the evidence alone,
    # and ``overrides`` each judgement in a line (both levels, who, when, why), in their own section.
    total_computed: str = ""
    overrides: tuple[str, ...] = ()
    total_heading: str = ""  # what ``total`` is: "Nilai total", or a banded ruleset's "Level"
    # Under a band policy the tables count criteria, not weighted scores: these say so, and
    # ``band_summary`` is the count met, the level it gives and the declared bands.
    banded: bool = False
    band_summary: tuple[str, ...] = ()
    total_final_word: str = ""  # "Nilai total akhir ...", or "Level akhir ..."
    total_computed_word: str = ""
    aspect_score_word: str = ""  # beside an aspect's detail heading: "Kontribusi", or "Kriteria terpenuhi"
    override_legend: str = ""  # what the star after an assessor's level (or criterion state) means


# The regency or city in an office's name: Indonesian administrative words, whatever the ruleset.
_REGION = re.compile(r"\b(Kabupaten|Kab\.|Kota)\s+(\S.*)$", re.IGNORECASE)


def _number(value: int | float, lang: str) -> str:
    return localize_decimal(f"{value:g}", lang)


def _score(value: Fraction, lang: str) -> str:
    return localize_decimal(display(value), lang)


def _head_of_office(office: str, lang: str) -> str:
    """The signatory's title, naming the regency or city the evidence's office name gives.

    "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung" and "Disdukcapil Kota Bandung" both
    give "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Bandung"; a name with no
    "Kabupaten"/"Kota" is kept whole after the title, so nothing is guessed away.
    """
    office = " ".join(office.split())
    match = _REGION.search(office)
    region = f"Kabupaten {match.group(2)}" if match and match.group(1).lower().startswith("kab") else (match.group(0) if match else office)
    if not region:
        return T(lang, "head_of_office")
    return T(lang, "head_of_office_of").format(title=T(lang, "head_of_office"), region=region)


def _sources(result: ScoreResult, lang: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Every recorded provenance field of every fact, in the note's field order; empty fields left out."""
    words = phrases(lang)
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for name, note in sorted(result.evidence.notes.items()):
        items = []
        for key in field_names(note):  # whatever the note records (source, page, note, ...), not a fixed list
            value = getattr(note, key)
            if value is None or value == "":
                continue
            label = words.get(f"note_{key}", key)
            items.append((label, str(value)))
        if items:
            out[name] = tuple(items)
    return out


def _indicator_view(ir: IndicatorResult, result: ScoreResult, lang: str) -> IndicatorView:
    catalogue = result.ruleset.catalogue
    ind = ir.indicator
    awarded = ir.awarded
    blocks = []
    if awarded is not None:
        heading = f"{T(lang, 'awarded_rubric')} ({T(lang, 'level').lower()} {awarded.value})"
        blocks.append(ConditionBlock("awarded", heading, awarded.level.source, tuple(condition_lines(awarded.condition, catalogue, lang))))
    # The same advice as explain and score: the level the fewest fact changes reach, not merely the one above.
    step = indicator_next_step(ir, catalogue) if ir.higher_levels else None
    if step is not None:
        blocks.append(ConditionBlock("next", next_step_heading(step, lang), step.level.source, tuple(change_lines(step, catalogue, lang))))
    shown = awarded.level if awarded is not None else None
    return IndicatorView(
        id=ind.id,
        label=ind.label,
        question=ind.question,
        title=ind.question if lang == "id" else ind.title_en,
        level=ir.level,
        determined=ir.determined,
        levels_defined=", ".join(str(level.value) for level in ind.levels),
        awarded=awarded is not None,
        blocks=tuple(blocks),
        is_highest=not ir.higher_levels,
        unreachable=bool(ir.higher_levels) and step is None,
        where=str(shown.where) if shown is not None else str(ind.where),
        interpretation=shown.interpretation if shown is not None else (),
        missing=tuple((name, describe_fact(catalogue, name, lang)) for name in ir.missing_facts),
        final_level=ir.final_level if ir.override is not None else None,
        override=override_text(ir, lang) if ir.override is not None else "",
        state=criterion_state(ir, lang) if result.standing is not None else "",
    )


# Chart layout in SVG user units; the SVG scales to the page width, so these fix proportions only.
_CHART_WIDTH = 720
_LABEL_WIDTH = 300
_VALUE_WIDTH = 96
_ROW = 26
_BAR = 16
_TOP = 8


def _chart(result: ScoreResult, lang: str) -> ChartView:
    """Horizontal bars: grey length is the aspect's weight, the filled part what the office earned.

    Under a banded ruleset an aspect's contribution is the count of its criteria met, so the grey
    length is its number of criteria (its weight would let the bar run past it)."""
    rs = result.ruleset
    banded = bool(rs.aggregation.bands)

    def out_of(a: Any) -> float:
        return len(a.indicator_ids) if banded else a.weight

    heaviest = max((out_of(ar.aspect) for ar in result.aspects), default=1) or 1
    bar_x = _LABEL_WIDTH
    # Bar lengths are drawing coordinates, not scores: floats (rounded, so the SVG text is stable) are enough.
    scale = (_CHART_WIDTH - _LABEL_WIDTH - _VALUE_WIDTH) / heaviest
    bars = []
    for i, ar in enumerate(result.aspects):
        a = ar.aspect
        y = _TOP + i * _ROW
        name = a.name_id if lang == "id" else a.name_en
        bars.append(
            ChartBar(
                y=float(y),
                label=f"{a.number}. {name}",
                value=f"{shown_total(ar.contribution, rs, lang)} / {_number(out_of(a), lang)}",
                weight_width=round(out_of(a) * scale, 2),
                score_width=round(float(ar.contribution) * scale, 2),
                text_y=float(y + _BAR - 4),
            )
        )
    return ChartView(
        width=_CHART_WIDTH,
        height=_TOP * 2 + len(bars) * _ROW,
        label_width=_LABEL_WIDTH,
        bar_x=bar_x,
        value_x=_CHART_WIDTH - 4,
        bar_height=_BAR,
        bars=tuple(bars),
        title=message("report.chart_title_banded", lang) if banded else T(lang, "chart_title"),
    )


def _readings(result: ScoreResult, lang: str) -> tuple[tuple[str, str], ...]:
    """The register entries the report's cards cite (the awarded levels'), once each, in register order."""
    awarded = [ir.awarded.level for ir in result.indicators() if ir.awarded is not None]
    return tuple((reading.id, reading.text(lang)) for reading in result.ruleset.readings(awarded))


def report_view(result: ScoreResult, lang: str = "id") -> ReportView:
    """Everything a report shows for one office, worded in ``lang`` (``id`` or ``en``)."""
    rs = result.ruleset
    meta = result.evidence.meta
    catalogue = rs.catalogue
    if result.complete:
        status = T(lang, "complete")
    else:
        status = f"{T(lang, 'incomplete')}: {len(result.missing_facts)} {T(lang, 'facts_missing')}, {T(lang, 'completeness')} {_score(result.completeness * 100, lang)}%"
    aspects = []
    for ar in result.aspects:
        a = ar.aspect
        indicators = tuple(_indicator_view(ir, result, lang) for ir in ar.indicators)
        aspects.append(
            AspectView(
                id=a.id,
                number=a.number,
                name=a.name_id if lang == "id" else a.name_en,
                weight=_number(a.weight, lang),
                mean=_score(ar.final_mean if ar.final_mean is not None else ar.mean, lang),
                contribution=shown_total(ar.final_contribution if ar.final_contribution is not None else ar.contribution, rs, lang),
                levels=", ".join(f"{ir.final_level}{_flag(ir)}" for ir in ar.indicators),
                indicators=indicators,
                out_of=_number(len(a.indicator_ids), lang) if rs.aggregation.bands else _number(a.weight, lang),
                counts=criterion_counts(ar.indicators),
            )
        )
    banded = result.standing is not None
    total, computed = totals_shown(result, lang)
    final_word, computed_word = total_words(result, lang)
    population_spec = catalogue.facts.get("meta.population")
    sources = _sources(result, lang)
    return ReportView(
        lang=lang,
        title=rs.title_id if lang == "id" else rs.title_en,
        ruleset=f"{rs.name} {rs.version}",
        fingerprint=rs.fingerprint,
        office=meta.office,
        region_code=meta.region_code,
        province=meta.province,
        year=meta.year,
        population=format_value(population_spec, meta.population, lang) if meta.population is not None else "",
        assessed_on=format_date(meta.assessed_on, lang),
        assessors=tuple(meta.assessors),
        total=total,
        total_max=_number(rs.aggregation.total_max, lang),
        complete=result.complete,
        status=status,
        aspects=tuple(aspects),
        chart=_chart(result, lang),
        missing=tuple((name, describe_fact(catalogue, name, lang)) for name in result.missing_facts),
        readings=_readings(result, lang),
        any_undetermined=any(not ir.determined for ir in result.indicators()),
        evidence_file=file_name(result.evidence.file),  # no folder: the same bytes give the same report anywhere
        evidence_sha256=result.evidence_sha256,
        warnings=tuple(w.text(lang) for w in result.warnings),
        total_value=display(result.total_final),
        head_of_office=_head_of_office(meta.office, lang),
        sources=sources,
        source_rows=tuple(
            (name, describe_fact(catalogue, name, lang), format_value(catalogue.facts.get(name), result.evidence.facts.get(name), lang), items)
            for name, items in sources.items()
        ),
        standing=tuple(standing_lines(result, lang)),
        total_computed=computed if result.final_total is not None else "",
        overrides=tuple(override_text(ir, lang) for ir in result.indicators() if ir.override is not None),
        total_heading=total_heading(rs, lang),
        banded=banded,
        band_summary=tuple(band_summary_lines(result, lang)),
        total_final_word=final_word,
        total_computed_word=computed_word,
        aspect_score_word=message("report.criteria_met", lang) if banded else T(lang, "contribution"),
        override_legend=override_legend(result, lang),
    )


def _flag(ir: IndicatorResult) -> str:
    """After a level in the aspect table: * set by an assessor, ? could be higher with more evidence."""
    return "*" if ir.override is not None else "" if ir.determined else "?"
