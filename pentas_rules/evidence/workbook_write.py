"""Writing the evidence workbook: blank from the fact catalogue, or filled from an evidence document.

Only the workbook commands import this module (openpyxl costs about 70 ms to import);
the reader imports openpyxl only when it is given a workbook.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from ..errors import PentasError
from ..messages import number as localized_number
from ..ruleset.model import FactSpec, Ruleset
from .jsonfile import unit_name
from .workbook import FIRST_ROW, FORMAT, META_KEYS, NOTE, OVERRIDE_COLUMNS, OVERRIDE_ROWS, PAGE, SOURCE, VALUE, FactRow, layout, words

__all__ = ["blank_document", "workbook_bytes"]

_WIDTHS = {"A": 24, "B": 70, "C": 14, "D": 16, "E": 32, "F": 10, "G": 32}
_TEXT_FORMAT = "@"  # typed entries stay text: "32.73" is a code, "4" a page, not numbers


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
        help_sheet.cell(i, 1, line)
    help_sheet["A1"].font = Font(bold=True, size=14)
    help_sheet.column_dimensions["A"].width = 110

    def printable(sheet: Any) -> None:
        # Printed for review: landscape, every column on one page width, the headers repeated.
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_title_rows = "2:2"

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
        printable(sheet)

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
        value = meta.get(key)
        if key == "assessors" and value is not None:
            value = "; ".join(value)
        put(office[f"{VALUE}{row}"], value, text=key not in ("year", "population"))
    row = FIRST_ROW + len(META_KEYS)
    office[f"A{row}"], office[f"B{row}"], office[f"{VALUE}{row}"] = "ruleset", t["ruleset"], ruleset.name

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
            sheet[f"B{row}"].alignment = Alignment(wrap_text=True, vertical="top")
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
    printable(judged)
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
