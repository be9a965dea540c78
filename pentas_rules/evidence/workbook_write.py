"""Writing the evidence workbook: blank from the fact catalogue, or filled from an evidence document.

Only the workbook commands import this module (openpyxl costs about 70 ms to import);
the reader imports openpyxl only when it is given a workbook.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import PentasError
from ..messages import message
from ..messages import number as localized_number
from ..ruleset.model import FactSpec, Ruleset
from .jsonfile import unit_name
from .workbook import FIRST_ROW, FORMAT, META_KEYS, NOTE, OVERRIDE_COLUMNS, OVERRIDE_ROWS, PAGE, SOURCE, VALUE, FactRow, layout, words

__all__ = ["blank_document", "estimated_lines", "workbook_bytes"]

_WIDTHS = {"A": 24, "B": 70, "C": 14, "D": 16, "E": 32, "F": 10, "G": 32}
_TEXT_FORMAT = "@"  # typed entries stay text: "32.73" is a code, "4" a page, not numbers
# The text columns that wrap, so a long description or note grows its row instead of running on.
_WRAPPED = ("B", SOURCE, NOTE)
# Points per wrapped line of the default 11-point font, with room for Calc's line spacing; and the
# share of a column's width (in widths of "0") that a line of ordinary text fills, word wrapping
# leaving the end of a line empty and capitals being wider than a digit.
_LINE_POINTS = 15
_FILL = 0.85
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def estimated_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide, erring high.

    openpyxl cannot measure text, so a line is taken to hold ``_FILL`` of the width, and a word
    longer than that starts (and fills) lines of its own, as a spreadsheet breaks it.
    """
    room = max(1, math.floor(width * _FILL))
    lines = 0
    for paragraph in text.split("\n"):
        used = 0
        lines += 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > room:
                lines, used = lines + 1, 0
            used += len(word) + (1 if used else 0)
            while used > room:  # a word wider than the column breaks inside it
                lines, used = lines + 1, used - room
    return lines


def _fit_rows(sheet: Any, first: int, columns: tuple[str, ...] = _WRAPPED) -> None:
    """Give each row from ``first`` on the height its wrapped text needs (default height when one line does).

    A cell in a larger or bold font holds fewer characters a line and takes more points a line, in proportion.
    """
    for row in range(first, sheet.max_row + 1):
        needed = 0.0
        for col in columns:
            cell = sheet[f"{col}{row}"]
            if isinstance(cell.value, str) and cell.alignment.wrap_text:
                # Bold text is wider, and Calc may draw it in a wider substitute font.
                scale = (cell.font.sz or 11) / 11 * (1.15 if cell.font.b else 1)
                needed = max(needed, estimated_lines(cell.value, sheet.column_dimensions[col].width / scale) * scale)
        if needed > 1:
            sheet.row_dimensions[row].height = math.ceil(needed * _LINE_POINTS)


def blank_document(ruleset: Ruleset) -> dict[str, Any]:
    """An evidence document with every fact present and null (unknown), and the meta keys to fill."""
    facts: dict[str, dict[str, None]] = {}
    for name in ruleset.catalogue.facts:
        if not name.startswith("meta."):
            group, fact = name.split(".", 1)
            facts.setdefault(group, {})[fact] = None
    meta = {key: None for key in META_KEYS}
    return {"ruleset": ruleset.name, "meta": meta, "facts": facts}


def workbook_bytes(ruleset: Ruleset, doc: Mapping[str, Any] | None = None, lang: str = "id") -> bytes:
    """The evidence workbook of ``ruleset`` in ``lang``: blank, or filled from the valid evidence ``doc``."""
    t = words(lang)
    doc = doc or {}
    meta: Mapping[str, Any] = doc.get("meta") or {}
    facts: Mapping[str, Any] = doc.get("facts") or {}
    bold = Font(bold=True)
    heading = PatternFill("solid", fgColor="DDEBF7")
    unlocked = Protection(locked=False)

    book = Workbook()
    help_sheet = book.active
    help_sheet.title = t["sheet_help"]
    for i, line in enumerate(t["help"].split("\n"), start=1):
        help_sheet.cell(i, 1, line).alignment = _WRAP
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 110
    _fit_rows(help_sheet, 1, ("A",))

    def printable(sheet: Any, title: str) -> None:
        # Printed for review: A4, every column on one page width, the headers repeated (the help
        # has none), the sheet's title above and the page number below every page, so loose
        # pages stay in order.
        sheet.page_setup.orientation = "landscape"  # also the help: Calc printed its 110-wide column cut, not shrunk, in portrait
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if sheet is not help_sheet:
            sheet.print_title_rows = "2:2"
        sheet.oddHeader.center.text = title.replace("&", "&&")  # "&" starts a header code; "&&" is the character
        sheet.oddFooter.center.text = message("wb.page_of", lang, page="&P", pages="&N")

    printable(help_sheet, t["sheet_help"])

    def frame(sheet: Any, title: str, headers: tuple[str, ...]) -> None:
        sheet["B1"] = title
        sheet["B1"].font = Font(bold=True, size=13)
        for col, header in zip("ABCDEFG", headers, strict=False):
            cell = sheet[f"{col}2"]
            cell.value, cell.font = header, bold
        for col, width in _WIDTHS.items():
            sheet.column_dimensions[col].width = width
        sheet.column_dimensions["A"].hidden = True
        sheet.freeze_panes = "C3"
        # Protected without a password: the ids and layout cannot be changed by accident,
        # only the input cells (unlocked below) take entries.
        sheet.protection.sheet = True
        sheet.protection.formatRows = False
        sheet.protection.formatColumns = False
        printable(sheet, title)

    def put(cell: Any, value: Any, text: bool = False) -> None:
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if text:
            cell.number_format = _TEXT_FORMAT
        cell.protection = unlocked

    office = book.create_sheet(t["sheet_meta"])
    frame(office, t["title_meta"], (t["col_id"], t["col_field"], t["col_format"], t["col_value"]))
    office["A1"] = FORMAT
    formats = {"region_code": "fmt_region", "assessed_on": "fmt_date", "assessors": "fmt_list", "year": "whole", "population": "whole"}
    for row, key in enumerate(META_KEYS, start=FIRST_ROW):
        office[f"A{row}"], office[f"B{row}"] = key, t[key]
        office[f"C{row}"] = t[formats.get(key, "fmt_text")]
        office[f"B{row}"].alignment = _WRAP
        value = meta.get(key)
        if key == "assessors" and value is not None:
            value = "; ".join(value)
        put(office[f"{VALUE}{row}"], value, text=key not in ("year", "population"))
    row = FIRST_ROW + len(META_KEYS)
    office[f"A{row}"], office[f"B{row}"], office[f"{VALUE}{row}"] = "ruleset", t["ruleset"], ruleset.name
    # The format hints are the longest texts on the sheet: their column is as wide as the longest,
    # so none runs into the value column beside it.
    # Office names are long and the value is the sheet's last column: room for one on paper.
    office.column_dimensions[VALUE].width = 60
    office.column_dimensions["C"].width = max(_WIDTHS["C"], *(len(office[f"C{r}"].value or "") + 2 for r in range(FIRST_ROW, row)))
    _fit_rows(office, FIRST_ROW)

    for plan in layout(ruleset, lang):
        sheet = book.create_sheet(plan.name)
        validations: dict[tuple[Any, ...], Any] = {}  # one per kind of fact and sheet
        frame(sheet, plan.title, (t["col_id"], t["col_fact"], t["col_unit"], t["col_value"], t["col_source"], t["col_page"], t["col_note"]))
        for row, item in enumerate(plan.rows, start=FIRST_ROW):
            sheet[f"A{row}"], sheet[f"B{row}"] = item.id, item.label
            if item.spec is None:
                for col in "BCDEFG":
                    sheet[f"{col}{row}"].fill = heading
                sheet[f"B{row}"].font = bold
                continue
            for col in "BCDEFG":  # a tall row reads from the top: unit and value beside the text's first line
                sheet[f"{col}{row}"].alignment = _WRAP if col in _WRAPPED else _TOP
            sheet[f"C{row}"] = unit_name(item.spec.unit, lang) if item.spec.unit else ""
            raw = facts.get(item.spec.group, {}).get(item.id.split(".", 1)[1]) if isinstance(facts.get(item.spec.group), Mapping) else None
            given = raw if isinstance(raw, Mapping) else {"value": raw}
            put(sheet[f"{VALUE}{row}"], _cell_value(item.spec, given.get("value"), t))
            for col, key in ((SOURCE, "source"), (PAGE, "page"), (NOTE, "note")):
                put(sheet[f"{col}{row}"], _text(given.get(key), item, key), text=True)
            rule, make = _validation(item.spec, t, lang)
            if rule not in validations:
                validations[rule] = make(DataValidation)
                sheet.add_data_validation(validations[rule])
            validations[rule].add(f"{VALUE}{row}")
        _fit_rows(sheet, FIRST_ROW)

    # The assessors' overrides: the given ones, then blank rows to add more.
    judged = book.create_sheet(t["sheet_overrides"])
    judged["A1"] = t["title_overrides"]
    judged["A1"].font = Font(bold=True, size=13)
    overrides = doc.get("overrides") or []
    for col, key in OVERRIDE_COLUMNS:
        judged[f"{col}2"], judged[f"{col}2"].font = t[f"col_{key}"], bold
        judged.column_dimensions[col].width = 60 if key == "reason" else 18
        for row in range(FIRST_ROW, FIRST_ROW + max(OVERRIDE_ROWS, len(overrides))):
            given = overrides[row - FIRST_ROW] if row - FIRST_ROW < len(overrides) else {}
            put(judged[f"{col}{row}"], given.get(key), text=key != "level")
    judged.protection.sheet = True
    printable(judged, t["title_overrides"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell_value(spec: FactSpec, value: Any, t: dict[str, str]) -> Any:
    if value is None:
        return None
    if spec.type == "bool":
        return t["yes"] if value else t["no"]
    return value


def _text(value: Any, item: FactRow, key: str) -> str | None:
    # The XML inside an .xlsx cannot hold control characters; refusing beats dropping them.
    if value is not None and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise PentasError(f"fact {item.id}: the {key} contains a control character, which a workbook cannot hold: {value!r}")
    return None if value is None else str(value)


def _validation(spec: FactSpec, t: dict[str, str], lang: str) -> tuple[tuple[Any, ...], Any]:
    """The data validation of a fact's value cell, keyed so that facts of one kind share one."""
    unit = f" {unit_name(spec.unit, lang)}" if spec.unit else ""
    options: str | None
    formula2: str | None
    if spec.type == "bool":
        kind, options, prompt = "list", f'"{t["yes"]},{t["no"]}"', t["yes_no"]
        formula2 = None
    elif spec.type == "enum":
        assert spec.enum is not None
        kind, options, prompt = "list", '"' + ",".join(spec.enum.values) + '"', f"{t['choose']}: {', '.join(spec.enum.values)}"
        formula2 = None
    else:
        kind = "whole" if spec.type == "integer" else "decimal"
        options, formula2 = f"{spec.minimum:g}" if spec.minimum is not None else None, f"{spec.maximum:g}" if spec.maximum is not None else None
        prompt = t["whole"] if kind == "whole" else t["decimal"]
        # The rule's bounds are machine numbers; the prompt a person reads writes them as the language does.
        low = localized_number(spec.minimum, lang) if spec.minimum is not None else None
        if low is not None and spec.maximum is not None:
            prompt += ", " + t["range"].format(min=low, max=localized_number(spec.maximum, lang))
        elif low is not None:
            prompt += ", " + t["at_least"].format(min=low)
        prompt += unit
    prompt = f"{prompt}. {t['empty_unknown']}"[:255]
    operator = "between" if formula2 is not None else ("greaterThanOrEqual" if kind in ("whole", "decimal") and options is not None else None)

    def make(cls: Any) -> Any:
        # A warning, not a stop: "95,5" typed in an English spreadsheet is text the reader
        # still accepts, and the reader is the one that refuses what cannot be read.
        return cls(
            type=kind,
            formula1=options,
            formula2=formula2,
            operator=operator,
            allow_blank=True,
            showInputMessage=True,
            promptTitle=t["col_value"],
            prompt=prompt,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=t["invalid_title"],
            error=prompt,
        )

    return (kind, options, formula2, prompt), make
