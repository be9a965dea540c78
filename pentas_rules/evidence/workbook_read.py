"""Reading an evidence workbook: its cells to an evidence mapping, and a locate callback naming cells.

The layout must be exactly the one ``pentas template`` writes for the ruleset (in
either language): a sheet renamed or missing, a header changed, an id edited, a row
inserted, deleted or moved is refused, naming the cell, and nothing is guessed.

What a person obviously means is normalised before the one checker sees the values:

- text is stripped of surrounding spaces; an empty cell (or only spaces) is unknown;
- yes/no facts: ``ya``, ``y``, ``yes``, ``benar``, ``true``, ``1`` are true and ``tidak``,
  ``t``, ``tdk``, ``n``, ``no``, ``salah``, ``false``, ``0`` are false, in any case
  (and the spreadsheet's own TRUE/FALSE, 1/0);
- choices: the listed value in any case (``a`` is ``A``);
- whole numbers: ``262000``, ``262.000`` or ``262 000`` (dots or spaces between groups
  of three digits are thousands separators);
- decimal numbers: a comma is the decimal mark (``95,5``, ``1.234,5``); without a
  comma a dot is the decimal mark (``95.5``), except a dot before a group of exactly three
  digits (``1.500``), which could be either and is refused;
- numbers stored as text are read as numbers;
- a region code the spreadsheet took as a number is the code only when that is
  unambiguous: 35.77 is ``35.77``, but 35.7 (typed ``35.70``? ``35.07``?) and 3577 are
  refused, shown as typed with a hint (``tulis 35.77``);
- an override's level typed as text is the whole number it reads as (``"4"``, ``"4.0"``),
  as in a fact cell; ``"4,5"`` or ``"empat"`` is refused at its cell with the levels.

Anything else is passed to the checker as the text it is, so it is refused with the
same wording and "did you mean" as in JSON, located at its cell (``Sarana!D14``).
A problem then shows what the cell holds, not JSON's words for it: "sel kosong" for
``null``, the number or word as typed for ``angka 3577`` or ``teks "lima"``
(``workbook_problems.sheet_wording``, given the cells' contents the reader kept, also
lists them in cell order and locates a whole-workbook problem as the workbook, not ``$``).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from typing import Any

from ..errors import EvidenceError, EvidenceProblem, suggest
from ..messages import LANGUAGES
from ..messages import message as wording
from ..ruleset.model import FactSpec, Ruleset
from .checker import KeyPath
from .schema import META_REQUIRED
from .workbook import FIRST_ROW, FORMAT, META_KEYS, NOTE, OVERRIDE_COLUMNS, PAGE, SOURCE, VALUE, layout, words
from .workbook_problems import CellLocator, sheet_wording, whole_book

__all__ = ["CellLocator", "read_workbook", "sheet_wording"]

_TRUE = frozenset({"ya", "y", "yes", "benar", "true", "1"})
_FALSE = frozenset({"tidak", "t", "tdk", "n", "no", "salah", "false", "0"})
_WHOLE = re.compile(r"-?(\d+|\d{1,3}([. ]\d{3})+)")
_DECIMAL_COMMA = re.compile(r"-?(\d+|\d{1,3}([. ]\d{3})+),\d+")
_DECIMAL_DOT = re.compile(r"-?\d+(\.\d+)?")
_AMBIGUOUS = re.compile(r"-?\d{1,3}(\.\d{3})+")
_LEVEL = re.compile(r"\d+([.,]0+)?")  # an override's level typed as text: "4", "4.0", "4,0"
# Not `template --from` this file: a damaged workbook cannot be read, so it cannot fill one.


def read_workbook(raw: bytes, file: str, ruleset: Ruleset) -> tuple[dict[str, Any], CellLocator]:
    """The evidence mapping a workbook holds, and a callback that names the cell of a path into it."""
    # deferred: openpyxl takes about 70 ms to import; only workbooks need it
    from openpyxl import load_workbook

    def refuse(where: str, message: str, expected: str | None = None, found: str | None = None, hint: str | None = None) -> EvidenceError:
        return EvidenceError(file, [EvidenceProblem(where, f"{message}; {wording('wbr.fresh', file=file)}", expected, found, hint)])

    try:
        # data_only: a formula counts as the value the spreadsheet last computed for it
        book = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # openpyxl raises anything from zipfile, XML parsers or itself
        # Python's class name ("BadZipFile") means nothing to an office: say what it means. A zip
        # without the workbook's parts (a KeyError) is another file, not a damaged workbook.
        # deferred: zipfile is about 3 ms of a start, and openpyxl has imported it by now anyway
        import zipfile

        why = wording("wbr.not_workbook" if isinstance(exc, zipfile.BadZipFile | KeyError) else "wbr.damaged")
        raise EvidenceError(file, [EvidenceProblem(whole_book(), wording("wbr.unreadable", kind=why))]) from None
    lang = next((lg for lg in LANGUAGES if words(lg)["sheet_meta"] in book.sheetnames), None)
    if lang is None:
        names = [words(lg)["sheet_meta"] for lg in LANGUAGES]
        raise refuse(whole_book(), wording("wbr.no_sheet", name=repr(names[0])), names[0], ", ".join(book.sheetnames))
    t = words(lang)
    office = book[t["sheet_meta"]]
    if office["A1"].value != FORMAT:
        raise refuse(f"{office.title}!A1", wording("wbr.not_template"), FORMAT, repr(office["A1"].value))

    cells: dict[KeyPath, str] = {}
    contents: dict[str, Any] = {}  # each value cell's content, for the problems' wording
    meta: dict[str, Any] = {}
    expected_meta = (*META_KEYS, "ruleset")
    doc: dict[str, Any] = {}
    for row, key in enumerate(expected_meta, start=FIRST_ROW):
        _check_id(office, row, key, refuse)
        cell = f"{office.title}!{VALUE}{row}"
        contents[cell] = office[f"{VALUE}{row}"].value
        value = _meta_value(key, contents[cell])
        if key == "ruleset":
            cells[("ruleset",)] = cell
            if value is not None:
                doc["ruleset"] = value
            continue
        cells[("meta", key)] = cell
        # A required key left empty is passed as null, so its problem is located at its own cell.
        if value is not None or key in META_REQUIRED:
            meta[key] = value
            if key == "assessors" and isinstance(value, list):
                for i in range(len(value)):
                    cells[("meta", key, i)] = cell
    doc["meta"] = meta
    cells[("meta",)] = f"{office.title}!{VALUE}{FIRST_ROW}:{VALUE}{FIRST_ROW + len(META_KEYS) - 1}"

    plans = layout(ruleset, lang)
    missing = [p.name for p in plans if p.name not in book.sheetnames]
    if missing:
        others = [n for n in book.sheetnames if n not in {p.name for p in plans} and n not in (t["sheet_meta"], t["sheet_help"])]
        raise refuse(
            whole_book(),
            wording("wbr.sheet_missing", name=repr(missing[0])),
            missing[0],
            ", ".join(others) or wording("wbr.no_such_sheet"),
            suggest(missing[0], others),
        )
    facts: dict[str, dict[str, Any]] = {}
    headers = (t["col_id"], t["col_fact"], t["col_unit"], t["col_value"], t["col_source"], t["col_page"], t["col_note"])
    for plan in plans:
        sheet = book[plan.name]
        for col, header in zip("ABCDEFG", headers, strict=True):
            if sheet[f"{col}2"].value != header:
                raise refuse(f"{sheet.title}!{col}2", wording("wbr.header_changed"), repr(header), repr(sheet[f"{col}2"].value))
        for row, item in enumerate(plan.rows, start=FIRST_ROW):
            _check_id(sheet, row, item.id, refuse)
            if item.spec is None:
                continue
            group, name = item.id.split(".", 1)
            where: KeyPath = ("facts", group, name)
            value = _fact_value(item.spec, sheet[f"{VALUE}{row}"].value)
            contents[f"{sheet.title}!{VALUE}{row}"] = sheet[f"{VALUE}{row}"].value
            extra = {k: _text(sheet[f"{col}{row}"].value) for col, k in ((SOURCE, "source"), (PAGE, "page"), (NOTE, "note"))}
            extra = {k: v for k, v in extra.items() if v is not None}
            for col, k in ((VALUE, "value"), (SOURCE, "source"), (PAGE, "page"), (NOTE, "note")):
                cells[(*where, k)] = f"{sheet.title}!{col}{row}"
            cells[where] = cells[(*where, "value")]
            if value is not None or extra:
                facts.setdefault(group, {})[name] = {"value": value, **extra} if extra else value
        last = FIRST_ROW + len(plan.rows)
        if sheet.max_row >= last and any(sheet[f"A{r}"].value not in (None, "") for r in range(last, sheet.max_row + 1)):
            row = next(r for r in range(last, sheet.max_row + 1) if sheet[f"A{r}"].value not in (None, ""))
            raise refuse(f"{sheet.title}!A{row}", wording("wbr.row_added"), "nothing", repr(sheet[f"A{row}"].value))
    doc["facts"] = facts
    if t["sheet_overrides"] in book.sheetnames:  # optional: workbooks written before overrides have none
        overrides = _overrides(book[t["sheet_overrides"]], t, cells, contents, refuse)
        if overrides:
            doc["overrides"] = overrides

    return doc, CellLocator(cells, contents, book.sheetnames, (t["yes"], t["no"]))


def named_ruleset(raw: bytes) -> str | None:
    """The ruleset a workbook's office sheet names, or None when it cannot tell.

    Read before the ruleset is chosen (so before the full read, which needs the ruleset's
    layout): a workbook it cannot make out is left to the full read to report.
    """
    # deferred: openpyxl takes about 70 ms to import; only workbooks need it
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001  # anything unreadable is reported, located, by the full read
        return None
    for t in map(words, LANGUAGES):
        if t["sheet_meta"] in book.sheetnames:
            office = book[t["sheet_meta"]]
            row = FIRST_ROW + len(META_KEYS)  # the row after the office details, as the writer lays it out
            if office[f"A{row}"].value == "ruleset":
                value = _meta_value("ruleset", office[f"{VALUE}{row}"].value)
                return value if isinstance(value, str) and value else None
    return None


def _check_id(sheet: Any, row: int, expected: str, refuse: Callable[..., EvidenceError]) -> None:
    found = sheet[f"A{row}"].value
    if found != expected:
        raise refuse(
            f"{sheet.title}!A{row}",
            wording("wbr.row_moved", expected=repr(expected)),
            repr(expected),
            repr(found),
        )


def _overrides(
    sheet: Any, t: dict[str, str], cells: dict[KeyPath, str], contents: dict[str, Any], refuse: Callable[..., EvidenceError]
) -> list[dict[str, Any]]:
    """One override per filled row; an empty cell is left out, so the checker names what the row lacks at its cell.

    A level typed as text ("4", " 4 ", "4.0") is the whole number it obviously is, as in a fact
    cell; anything else ("4,5", "empat") is passed on as typed, refused at its cell.
    """
    for col, key in OVERRIDE_COLUMNS:
        if sheet[f"{col}2"].value != t[f"col_{key}"]:
            raise refuse(f"{sheet.title}!{col}2", wording("wbr.header_changed"), repr(t[f"col_{key}"]), repr(sheet[f"{col}2"].value))
    out: list[dict[str, Any]] = []
    for row in range(FIRST_ROW, sheet.max_row + 1):
        entry: dict[str, Any] = {}
        for col, key in OVERRIDE_COLUMNS:
            value = sheet[f"{col}{row}"].value
            if isinstance(value, datetime.datetime | datetime.date):
                value = value.strftime("%Y-%m-%d")  # a date the spreadsheet recognised as one
            elif isinstance(value, float) and value.is_integer():
                value = int(value)  # a level typed into a cell the spreadsheet keeps as a float
            elif isinstance(value, str):
                value = value.strip() or None
                if key == "level" and value is not None and _LEVEL.fullmatch(value):
                    value = int(re.split("[.,]", value)[0])
            if value is not None:
                entry[key] = value
        if not entry:
            continue
        where = ("overrides", len(out))
        cells[where] = f"{sheet.title}!A{row}"
        for col, key in OVERRIDE_COLUMNS:
            cells[(*where, key)] = f"{sheet.title}!{col}{row}"
            contents[cells[(*where, key)]] = sheet[f"{col}{row}"].value
        out.append(entry)
    return out


def _number_code(value: int | float) -> str | int | float:
    """A region code typed as a number: "35.77" when the number can only mean that, else the number itself.

    The spreadsheet keeps 35.70 as 35.7, so only a number with exactly two decimals and a
    two-digit whole part is unambiguous; anything else is left to be refused, shown as typed.
    """
    if isinstance(value, float) and 10 <= value < 100:
        hundredths = round(value * 100)
        if abs(value * 100 - hundredths) < 1e-6 and hundredths % 10:
            return f"{value:.2f}"
    return value


def _text(value: Any) -> str | None:
    """A provenance cell: text as written; a page typed as a number becomes its digits; blank is nothing."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, str):
        return str(value)
    return value if value.strip() else None


def _meta_value(key: str, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip() or None
    if value is None:
        return None
    if key in ("year", "population"):
        return _whole(value)
    if key == "assessed_on" and isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")  # a date the spreadsheet recognised as one
    if key == "region_code" and isinstance(value, int | float) and not isinstance(value, bool):
        return _number_code(value)  # "32.73" typed into a cell the spreadsheet took as a number
    if key == "assessors" and isinstance(value, str):
        return [name.strip() for name in value.split(";") if name.strip()]
    return value if isinstance(value, str) else str(value)


def _fact_value(spec: FactSpec, value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip() or None
    if value is None:
        return None
    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        word = str(int(value)) if isinstance(value, int | float) and value in (0, 1) else str(value).casefold()
        return True if word in _TRUE else False if word in _FALSE else value
    if spec.type == "enum":
        assert spec.enum is not None
        if isinstance(value, str):
            same = [v for v in spec.enum.values if v.casefold() == value.casefold()]
            return same[0] if len(same) == 1 else value
        return str(value)
    if isinstance(value, str):
        return _whole(value) if spec.type == "integer" else _decimal(value)
    return value


def _whole(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        return int(text.replace(".", "").replace(" ", "")) if _WHOLE.fullmatch(text) else value
    return value


def _decimal(text: str) -> Any:
    if _DECIMAL_COMMA.fullmatch(text):
        return float(text.replace(".", "").replace(" ", "").replace(",", "."))
    if _AMBIGUOUS.fullmatch(text):
        return text  # "1.500": 1500 or 1.5? refused by the checker as not a number, at its cell
    if _WHOLE.fullmatch(text):
        return int(text.replace(" ", ""))
    if _DECIMAL_DOT.fullmatch(text):
        return float(text)
    return text
