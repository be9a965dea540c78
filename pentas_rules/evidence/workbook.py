"""The evidence workbook's layout and wording, shared by its writer and its reader.

A workbook (``.xlsx``) is evidence for people who do not write JSON. Its layout is
generated from the ruleset, so the reader can demand exactly that layout back and
refuse anything else rather than guess:

- an instructions sheet;
- the office details sheet (meta): one row per metadata key;
- one sheet per aspect: under each indicator's heading row, one row per fact it
  uses first (a fact used by several indicators sits under the first, its label
  naming the others), then a sheet of facts no indicator uses, when there are some;
- the assessors' overrides sheet: one override a row (indicator, final level, reason,
  assessor, approved by, date), blank rows skipped; optional when read, so workbooks
  written before it still read.

Every sheet but the instructions has the same columns: A the id (fact name, meta
key or indicator id; hidden, and the sheet is protected with only the input cells
unlocked), B the description, C the unit or format, D the value, and on fact rows
E source document, F page, G note. An empty value cell is unknown.

Every word a person reads in the workbook is in ``words(lang)``, one dict per
language, read from the message catalogue on first use.
"""

from __future__ import annotations

from functools import cache

from ..files.record import Record
from ..messages import catalogue
from ..ruleset.model import FactSpec, Ruleset

__all__ = ["FORMAT", "META_KEYS", "OVERRIDE_COLUMNS", "OVERRIDE_ROWS", "FactRow", "SheetPlan", "layout", "sheet_title", "words"]

FORMAT = "pentas-workbook/1"
"""Written in the office sheet's hidden cell A1; the reader refuses a workbook without it."""

META_KEYS = ("office", "region_code", "province", "year", "population", "assessed_on", "assessors")
VALUE, SOURCE, PAGE, NOTE = "D", "E", "F", "G"
FIRST_ROW = 3  # row 1 is the sheet's title, row 2 its column headers
# The assessors' overrides sheet: one override a row, these keys in columns A-F. Optional when
# reading (workbooks written before it have none); blank rows are skipped.
OVERRIDE_COLUMNS = (("A", "indicator"), ("B", "level"), ("C", "reason"), ("D", "assessor"), ("E", "approved_by"), ("F", "date"))
OVERRIDE_ROWS = 40  # rows offered for entries: more than a ruleset's indicators, since each is overridden at most once


@cache
def words(lang: str) -> dict[str, str]:
    """Every word a person reads in the workbook in ``lang``, from the message catalogue's
    ``wb.`` entries (unformatted: the writer fills ``{min}``/``{max}``).

    Built on first use, per language: building both tables at import cost a catalogue
    parse for each language, where a run needs at most its own.
    """
    return {key[3:]: text for key, text in catalogue(lang).items() if key.startswith("wb.") and isinstance(text, str)}


# Records, not a dataclass and a NamedTuple, as every model class of the package is: their methods are
# shared, not generated at import (about 0.35 ms a class). (Only commands reading or writing a workbook import this module.)
class FactRow(Record):
    """A row of an aspect sheet: an indicator heading (``spec`` None) or a fact."""

    __slots__ = ("id", "label", "spec")
    id: str
    label: str
    spec: FactSpec | None

    def __init__(self, id: str, label: str, spec: FactSpec | None = None) -> None:
        self._fill(id, label, spec)


class SheetPlan(Record):
    """One aspect's sheet: its name (at most 31 characters), the title in its first row, and its rows."""

    __slots__ = ("name", "title", "rows")
    name: str
    title: str
    rows: tuple[FactRow, ...]

    def __init__(self, name: str, title: str, rows: tuple[FactRow, ...]) -> None:
        self._fill(name, title, rows)


def sheet_title(text: str) -> str:
    """A sheet name a spreadsheet accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in text)[:31].rstrip()


def layout(ruleset: Ruleset, lang: str) -> list[SheetPlan]:
    """The aspect sheets (and the sheet of unused facts) of ``ruleset``'s workbook in ``lang``."""
    t = words(lang)
    facts = ruleset.catalogue.facts
    users: dict[str, list[str]] = {}
    for aspect in ruleset.aspects:
        for ind_id in aspect.indicator_ids:
            for name in ruleset.indicators[ind_id].facts():
                users.setdefault(name, []).append(ruleset.indicators[ind_id].label)
    placed: set[str] = set()
    plans: list[SheetPlan] = []
    for aspect in ruleset.aspects:
        name = aspect.name_id if lang == "id" else aspect.name_en
        rows: list[FactRow] = []
        for ind_id in aspect.indicator_ids:
            ind = ruleset.indicators[ind_id]
            question = ind.question if lang == "id" else ind.title_en
            rows.append(FactRow(ind.id, f"{t['indicator']} {ind.label}: {question}"))
            for fact in ind.facts():
                if fact in placed or fact not in facts or fact.startswith("meta."):
                    continue
                placed.add(fact)
                others = [label for label in dict.fromkeys(users[fact]) if label != ind.label]
                rows.append(FactRow(fact, _describe(facts[fact], lang) + (f" ({t['also']} {', '.join(others)})" if others else ""), facts[fact]))
        # A ruleset that counts criteria met gives its aspects no weight a clerk could use: say how many criteria the sheet holds.
        size = f"{len(aspect.indicator_ids)} {t['criteria']}" if ruleset.aggregation.bands else f"{t['weight']} {aspect.weight:g}"
        plans.append(SheetPlan(sheet_title(f"{aspect.number}. {name}"), f"{t['aspect']} {aspect.number}: {name} ({size})", tuple(rows)))
    rest = [FactRow(n, _describe(s, lang), s) for n, s in facts.items() if n not in placed and not n.startswith("meta.")]
    if rest:
        plans.append(SheetPlan(t["sheet_other"], t["sheet_other"], tuple(rest)))
    return plans


def _describe(spec: FactSpec, lang: str) -> str:
    return spec.description_id if lang == "id" else spec.description_en
