"""A ranking as people and programs read it: a text table, CSV, JSON, and the data of the HTML page.

Pure functions of a :class:`~pentas_rules.ranking.Ranking` (no click, no jinja2).
Totals are shown with :func:`~pentas_rules.scoring.display`; the order and the
ranks come from the exact fractions. Words come from :func:`pentas_rules.explain.T`.

It is a little over 400 lines because it is one piece: every rendering of one ranking
(text, CSV, workbook, JSON, the HTML page's data) shares the columns, the tie notes and
the banded ruleset's level-and-count wording, which splitting would scatter.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import re
import zipfile
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..engine.results import exact
from ..engine.scoring import display
from ..messages import message
from ..ruleset.model import Aspect, Ruleset
from ..text.explain import T, localize_decimal, shown_total, total_heading
from .ranking import BatchError, LeaderboardRow, RankedRow, Ranking, TieGroup

__all__ = [
    "RANKING_FORMAT",
    "leaderboard_csv",
    "leaderboard_dict",
    "leaderboard_json",
    "leaderboard_text",
    "leaderboard_view",
    "leaderboard_xlsx",
    "tie_lines",
]

RANKING_FORMAT = "pentas-ranking/1"


def _who(row: LeaderboardRow, prefix: int = 0) -> str:
    return f"{row.office[prefix:]} ({row.region_code})"


def _shared_prefix(rows: Sequence[LeaderboardRow]) -> int:
    """Length of the words every office name starts with ("Dinas Kependudukan dan ... Sipil "), to keep tie notes short."""
    names = [r.office for r in rows]
    if len(names) < 2:
        return 0
    common = os.path.commonprefix(names)
    cut = common.rfind(" ") + 1
    return cut if all(len(n) > cut for n in names) else 0


def _aspect_name(aspect: Aspect, lang: str) -> str:
    return aspect.name_id if lang == "id" else aspect.name_en


def tie_lines(group: TieGroup, ranking: Ranking, aspects: Sequence[Aspect], lang: str, cut: int = 0, reader: bool = False, banded: bool = False) -> list[str]:
    """How one group of equal totals was handled: shared, or split aspect by aspect.

    ``cut`` characters are left off the start of every office name (see :func:`_shared_prefix`).
    Numbers are in the language's own notation. ``reader`` words it for a printed page,
    with no command-line option. The terminal's wording points at ``--tiebreak weight`` only
    where it would split the group: when the offices' aspect contributions differ somewhere.
    ``banded``: the total is a level (offices in the group also met as many criteria).
    """

    def number(value: Any) -> str:
        return localize_decimal(display(value), lang)

    if banded:
        met = sum(group.rows[0].contributions, Fraction(0))
        tie = message("rank.tie_at_level", lang, level=int(group.total), met=int(met), criteria=_criteria(aspects))
    else:
        tie = T(lang, "tie_at").format(total=number(group.total))
    head = f"{tie}: {', '.join(_who(r, cut) for r in group.rows)}"
    if ranking.tiebreak is None:
        splittable = any(r.contributions != group.rows[0].contributions for r in group.rows)
        shared = T(lang, "tie_shared" if reader or not splittable else "tie_unbroken").format(rank=group.rank)
        return [f"{head} {'—' if reader else '--'} {shared}"]
    lines = [head]
    for step in group.steps:
        if step.aspect is None:
            lines.append(T(lang, "tie_kept").format(upper=_who(step.upper, cut), lower=_who(step.lower, cut)))
            continue
        aspect = aspects[step.aspect]
        lines.append(
            T(lang, "tie_broken").format(
                aspect=_aspect_name(aspect, lang),
                weight=localize_decimal(f"{aspect.weight:g}", lang) if reader else f"{aspect.weight:g}",
                upper=_who(step.upper, cut),
                upper_value=number(step.upper.contributions[step.aspect]),
                lower=_who(step.lower, cut),
                lower_value=number(step.lower.contributions[step.aspect]),
            )
        )
    return lines


def _criteria(aspects: Sequence[Aspect]) -> int:
    """How many criteria a banded ruleset counts: its indicators."""
    return sum(len(a.indicator_ids) for a in aspects)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3].rstrip() + "..."


def _heading(ruleset: Ruleset, count: int, province: str | None, lang: str) -> str:
    head = f"{T(lang, 'leaderboard')}: {ruleset.name} {ruleset.version}, {count} {T(lang, 'offices')}"
    if province:
        head += f", {T(lang, 'filter_province')}: {province}"
    return head


def leaderboard_text(ranking: Ranking, ruleset: Ruleset, errors: Sequence[BatchError], lang: str = "id", province: str | None = None) -> str:
    """The table printed by ``pentas rank``, then the ties and the files that could not be scored."""
    rows = ranking.rows
    banded = bool(ruleset.aggregation.bands)
    office_width = min(72, max([len(T(lang, "office"))] + [len(r.row.office) for r in rows]))
    province_width = min(28, max([len(T(lang, "province"))] + [len(r.row.province) for r in rows]))
    lines = [_heading(ruleset, len(rows), province, lang), ""]
    # A banded ruleset ranks by level, then by the count met: both are shown, as whole numbers.
    met_width = max([len(message("rank.met", lang))] + [len(_met(r.row, ruleset, lang)) for r in rows]) if banded else 0
    met_head = f"  {message('rank.met', lang):>{met_width}}" if banded else ""
    header = (
        f"{T(lang, 'rank'):>9}  {total_heading(ruleset, lang):>11}{met_head}  {T(lang, 'office'):<{office_width}}  "
        f"{T(lang, 'region_code'):<12}  {T(lang, 'province'):<{province_width}}"
    )
    lines += [header.rstrip(), "-" * len(header.rstrip())]
    incomplete = overridden = False
    for ranked in rows:
        row = ranked.row
        flag = ("" if row.complete else " *") + (" ^" if row.overridden else "")
        incomplete |= not row.complete
        overridden |= row.overridden > 0
        met = f"  {_met(row, ruleset, lang):>{met_width}}" if banded else ""
        line = (
            f"{ranked.rank:>9}  {shown_total(row.total, ruleset, lang) + flag:>11}{met}  {_shorten(row.office, office_width):<{office_width}}  "
            f"{row.region_code:<12}  {_shorten(row.province, province_width):<{province_width}}"
        )
        lines.append(line.rstrip())
    if incomplete:
        lines.append(f"* {T(lang, 'incomplete').lower()}")
    if overridden:
        lines.append(f"^ {T(lang, 'rank_overridden')}")
    if ranking.ties:
        cut = _shared_prefix([r.row for r in rows])  # once: a big batch has thousands of ties
        lines += ["", f"{T(lang, 'ties')}:"]
        if ranking.tiebreak is not None:
            lines.append(f"  {T(lang, 'tiebreak_rule')}")
        for group in ranking.ties:
            first, *rest = tie_lines(group, ranking, ruleset.aspects, lang, cut, banded=banded)
            lines.append(f"  - {first}")
            lines += [f"      {line}" for line in rest]
    if errors:
        lines += ["", f"{T(lang, 'bad_files')} ({len(errors)}):"]
        lines += [f"  {error.path}: {error.message}" for error in errors]
    return "\n".join(lines) + "\n"


def _met(row: LeaderboardRow, ruleset: Ruleset, lang: str) -> str:
    """A banded office's count of criteria met, out of all: ``7 dari 10``."""
    return message("rank.met_count", lang, met=int(sum(row.contributions, Fraction(0))), criteria=_criteria(ruleset.aspects))


def _decided_by(ranking: Ranking, aspects: Sequence[Aspect]) -> dict[str, str]:
    """For each office placed below its neighbour by the tiebreak, the id of the deciding aspect."""
    decided: dict[str, str] = {}
    for group in ranking.ties:
        for step in group.steps:
            if step.aspect is not None:
                decided[step.lower.path] = aspects[step.aspect].id
    return decided


def _columns(ranking: Ranking, ruleset: Ruleset) -> tuple[list[str], bool]:
    """The header the CSV and the workbook share, and whether it has a report column."""
    with_reports = any(r.row.report for r in ranking.rows)
    header = ["rank", "total", *(("total_computed", "overrides") if _any_overridden(ranking) else ())]
    header += ["office", "region_code", "province", "complete", "missing_facts", "file"]
    header += [a.id for a in ruleset.aspects]
    if ranking.tiebreak:
        header.append("tie_decided_by")
    if with_reports:
        header.append("report")
    return header, with_reports


def _any_overridden(ranking: Ranking) -> bool:
    """Whether the override columns are shown: only then, so rankings without overrides keep their columns and bytes."""
    return any(r.row.overridden for r in ranking.rows)


def _rows(ranking: Ranking, ruleset: Ruleset, with_reports: bool) -> list[list[Any]]:
    """One list per office, in the header's order: numbers as exact fractions, text as text."""
    decided = _decided_by(ranking, ruleset.aspects) if ranking.tiebreak else {}
    with_overrides = _any_overridden(ranking)
    out = []
    for ranked in ranking.rows:
        row = ranked.row
        cells: list[Any] = [ranked.rank, row.total]
        if with_overrides:
            # The total from the evidence alone beside the ranked one (the same for an office without overrides).
            cells += [row.computed_total if row.computed_total is not None else row.total, row.overridden]
        cells += [row.office, row.region_code, row.province, row.complete, row.missing_facts, row.path]
        cells += list(row.contributions)
        if ranking.tiebreak:
            cells.append(decided.get(row.path, ""))
        if with_reports:
            cells.append(row.report or "")
        out.append(cells)
    return out


def leaderboard_csv(ranking: Ranking, ruleset: Ruleset) -> str:
    """One header row, one row per office, plain numbers (dot decimals, no grouping).

    Starts with a UTF-8 byte-order mark: without it, Excel on Windows opens a CSV
    as the local ANSI code page and garbles names with non-ASCII letters; Python
    reads it back with ``encoding="utf-8-sig"`` and LibreOffice ignores it.
    """
    header, with_reports = _columns(ranking, ruleset)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends, which every spreadsheet accepts
    writer.writerow(header)
    for cells in _rows(ranking, ruleset, with_reports):
        writer.writerow([_csv_value(value) for value in cells])
    return "\ufeff" + out.getvalue()


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return display(value)
    if isinstance(value, str):
        return _cell(value)
    return value


# A workbook is a zip: its entries' times and the document's "modified" date would make
# every run's bytes differ. Both are fixed so the same ranking gives the same file.
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def leaderboard_xlsx(ranking: Ranking, ruleset: Ruleset, lang: str = "id") -> bytes:
    """The leaderboard as an Excel workbook: the CSV's columns, with numbers stored as numbers.

    A workbook carries its cells' types, so no spreadsheet locale can misread a decimal
    point or a list separator, as it can a CSV. The header row is frozen and filtered;
    totals and contributions are the exact values, shown with two decimals.
    """
    # deferred: openpyxl (about 65 ms to import) only for the workbook format
    import openpyxl
    from openpyxl.utils import get_column_letter  # deferred: part of openpyxl, as above

    header, with_reports = _columns(ranking, ruleset)
    # A banded ruleset's total is a level and its aspect columns count criteria met: whole numbers.
    number_format = "0" if ruleset.aggregation.bands else "0.00"
    book = openpyxl.Workbook()
    book.properties.created = datetime.datetime(2000, 1, 1)
    book.properties.creator = "pentas-rules"
    sheet = book.active
    sheet.title = T(lang, "rank")
    sheet.append(header)
    widths = [len(name) for name in header]
    for cells in _rows(ranking, ruleset, with_reports):
        values = [float(value) if isinstance(value, Fraction) else value for value in cells]
        sheet.append(values)
        row = sheet.max_row
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=col)
            if isinstance(value, str):
                cell.data_type = "s"  # text stays text: openpyxl would store "=..." as a formula
            elif isinstance(cells[col - 1], Fraction):
                cell.number_format = number_format
            widths[col - 1] = max(widths[col - 1], min(60, len(str(value))))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width + 2
    for cell in sheet[1]:
        cell.font = openpyxl.styles.Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(1, sheet.max_row)}"
    raw = io.BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry dated 1980-01-01 and the document's modified date fixed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME), content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (or tab, return) would make
    Excel or LibreOffice run it as a formula, so such a cell is prefixed with an apostrophe."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def leaderboard_dict(ranking: Ranking, ruleset: Ruleset, errors: Sequence[BatchError], province: str | None = None) -> dict[str, Any]:
    """The ranking as JSON-ready data, exact and display values side by side."""
    return _document(ranking, ruleset, errors, province, [_office_item(ranked, ruleset.aspects) for ranked in ranking.rows])


def _office_item(ranked: RankedRow, aspects: Sequence[Aspect]) -> dict[str, Any]:
    row = ranked.row
    item: dict[str, Any] = {
        "rank": ranked.rank,
        "office": row.office,
        "region_code": row.region_code,
        "province": row.province,
        "file": row.path,
        "total": exact(row.total),
        "complete": row.complete,
        "missing_facts": row.missing_facts,
        "contributions": {a.id: exact(c) for a, c in zip(aspects, row.contributions, strict=True)},
    }
    if row.overridden:  # only then, so rankings without overrides keep their bytes
        item["overrides"] = row.overridden
    if row.report:
        item["report"] = row.report
    return item


def _document(ranking: Ranking, ruleset: Ruleset, errors: Sequence[BatchError], province: str | None, offices: Any) -> dict[str, Any]:
    aspects = ruleset.aspects
    ties = []
    for group in ranking.ties:
        tie: dict[str, Any] = {"total": exact(group.total), "rank": group.rank, "files": [r.path for r in group.rows]}
        if ranking.tiebreak is not None:
            tie["steps"] = [
                {"upper": s.upper.path, "lower": s.lower.path, "decided_by": aspects[s.aspect].id if s.aspect is not None else None} for s in group.steps
            ]
        ties.append(tie)
    return {
        "format": RANKING_FORMAT,
        "ruleset": {"name": ruleset.name, "version": ruleset.version, "fingerprint": ruleset.fingerprint},
        "province": province,
        "tiebreak": ranking.tiebreak,
        "tiebreak_order": [aspects[i].id for i in ranking.order] if ranking.tiebreak else None,
        "aspects": [{"id": a.id, "number": a.number, "name_id": a.name_id, "name_en": a.name_en, "weight": a.weight} for a in aspects],
        "offices": offices,
        "ties": ties,
        "errors": [{"file": e.path, "error": e.message} for e in errors],
    }


_SLOT = "\u0000offices\u0000"


def leaderboard_json(ranking: Ranking, ruleset: Ruleset, errors: Sequence[BatchError], province: str | None = None) -> str:
    """:func:`leaderboard_dict` as indented JSON text, built one office at a time.

    The same bytes as ``json.dumps(leaderboard_dict(...), indent=2)``, without ever
    holding a dict of every office: for 10,000 offices that dict alone pushed the
    batch's peak memory to about 200 MB.
    """
    head, tail = json.dumps(_document(ranking, ruleset, errors, province, _SLOT), ensure_ascii=False, indent=2).split(json.dumps(_SLOT))
    if not ranking.rows:
        return head + "[]" + tail + "\n"
    parts = [head, "[\n"]
    for i, ranked in enumerate(ranking.rows):
        text = json.dumps(_office_item(ranked, ruleset.aspects), ensure_ascii=False, indent=2)
        parts.append("    " + text.replace("\n", "\n    ") + (",\n" if i < len(ranking.rows) - 1 else "\n"))
    parts += ["  ]", tail, "\n"]
    return "".join(parts)


def leaderboard_view(
    ranking: Ranking,
    ruleset: Ruleset,
    errors: Sequence[BatchError],
    lang: str = "id",
    province: str | None = None,
    link: Any = None,
) -> dict[str, Any]:
    """What the HTML leaderboard shows, already worded; ``link(report_path)`` makes a report's href."""
    aspects = ruleset.aspects
    banded = bool(ruleset.aggregation.bands)
    rows = []
    for ranked in ranking.rows:
        row = ranked.row
        rows.append(
            {
                "rank": ranked.rank,
                "office": row.office,
                "region_code": row.region_code,
                "province": row.province,
                "total": shown_total(row.total, ruleset, lang),
                "complete": row.complete,
                "contributions": [shown_total(c, ruleset, lang) for c in row.contributions],
                "href": link(row.report) if (link is not None and row.report) else None,
                "file": row.path,
                "computed": shown_total(row.computed_total if row.computed_total is not None else row.total, ruleset, lang),
                "overrides": row.overridden,
            }
        )
    ties = []
    cut = _shared_prefix([r.row for r in ranking.rows]) if ranking.ties else 0
    for group in ranking.ties:
        first, *rest = tie_lines(group, ranking, aspects, lang, cut, reader=True, banded=banded)
        ties.append({"head": first, "steps": rest})
    return {
        "lang": lang,
        "title": _heading(ruleset, len(rows), province, lang),
        "ruleset_title": ruleset.title_id if lang == "id" else ruleset.title_en,
        "total_heading": total_heading(ruleset, lang),
        # A banded ruleset's aspect columns count criteria met: out of the aspect's criteria, not its weight.
        "aspects": [
            {"number": a.number, "name": _aspect_name(a, lang), "weight": str(len(a.indicator_ids)) if banded else localize_decimal(f"{a.weight:g}", lang)}
            for a in aspects
        ],
        "legend": message("rank.legend_banded", lang) if banded else T(lang, "leaderboard_legend"),
        "rows": rows,
        "ties": ties,
        "tiebreak_rule": T(lang, "tiebreak_rule") if ranking.tiebreak else None,
        "errors": [{"file": e.path, "message": e.message} for e in errors],
        "any_incomplete": any(not r.row.complete for r in ranking.rows),
        "any_overridden": _any_overridden(ranking),
        "override_legend": T(lang, "leaderboard_override_legend"),
    }
