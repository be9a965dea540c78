"""The evidence workbook on screen and on paper (issue 10, P8).

Long fact descriptions wrap, so their rows must be tall enough for every line (Calc does not
grow a row openpyxl wrote; the text overlapped the next row); the Data Kantor format hints must
fit their column; and every sheet prints as a clerk needs it: A4, one page wide, the header row
on every page, the sheet's title above and the page number below.
"""

from __future__ import annotations

import io
import json
import math
from typing import Any

import openpyxl
import pytest

from pentas_rules import load_ruleset
from pentas_rules.evidence.workbook import layout
from pentas_rules.evidence.workbook_write import estimated_lines, workbook_bytes
from pentas_rules.files.paths import bundled_rulesets

from .conftest import SAMPLES

# A line of a wrapped cell never holds more characters than its column is wide (in widths of "0"):
# ordinary text is a little narrower than digits, but word wrapping leaves line ends empty.
POINTS_PER_LINE = 14


def _book(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _lines_at_least(text: str, width: float) -> int:
    return sum(max(1, math.ceil(len(paragraph) / width)) for paragraph in text.split("\n"))


def _covers(sheet: Any, row: int, col: str) -> bool:
    """The row is tall enough for the cell's wrapped text (a row of default height holds one line)."""
    cell = sheet[f"{col}{row}"]
    if not isinstance(cell.value, str):
        return True
    lines = _lines_at_least(cell.value, sheet.column_dimensions[col].width)
    height = sheet.row_dimensions[row].height
    return lines == 1 or (cell.alignment.wrap_text and height is not None and height >= lines * POINTS_PER_LINE)


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("which", ["ruleset", "levelisasi"])
def test_every_fact_row_is_tall_enough_for_its_wrapped_description(request, which, lang):
    rs = request.getfixturevalue(which)
    book = _book(workbook_bytes(rs, lang=lang))
    checked = 0
    for plan in layout(rs, lang):
        sheet = book[plan.name]
        for row, item in enumerate(plan.rows, start=3):
            if item.spec is None:
                continue
            checked += 1
            assert _covers(sheet, row, "B"), f"{plan.name}!B{row}: {item.label!r} at height {sheet.row_dimensions[row].height}"
    assert checked == len([name for name in rs.catalogue.facts if not name.startswith("meta.")])


def test_the_long_description_the_trial_saw_overlap_gets_two_lines(ruleset):
    sheet_name, row = next(
        (plan.name, r) for plan in layout(ruleset, "id") for r, item in enumerate(plan.rows, start=3) if item.label.startswith("Ada inovasi pelayanan")
    )
    sheet = _book(workbook_bytes(ruleset))[sheet_name]
    assert len(sheet[f"B{row}"].value) > sheet.column_dimensions["B"].width
    assert sheet.row_dimensions[row].height >= 2 * POINTS_PER_LINE


def test_a_long_note_from_the_evidence_grows_its_row(ruleset):
    doc = json.loads((SAMPLES / "kab-bandung-barat-batas.json").read_text("utf-8"))
    group = next(iter(doc["facts"]))
    fact = next(iter(doc["facts"][group]))
    value = doc["facts"][group][fact]
    note = "Dicek ulang dengan dokumen asli di kantor; " * 8
    doc["facts"][group][fact] = {"value": value.get("value") if isinstance(value, dict) else value, "note": note}
    book = _book(workbook_bytes(ruleset, doc))
    name = f"{group}.{fact}"
    for plan in layout(ruleset, "id"):
        for row, item in enumerate(plan.rows, start=3):
            if item.id == name:
                assert _covers(book[plan.name], row, "G") and book[plan.name][f"G{row}"].value == note
                return
    raise AssertionError(name)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_office_sheet_format_hints_fit_their_column(ruleset, lang):
    book = _book(workbook_bytes(ruleset, lang=lang))
    office = book.worksheets[1]
    hints = [office[f"C{row}"].value for row in range(3, office.max_row + 1) if office[f"C{row}"].value]
    assert hints and office.column_dimensions["C"].width >= max(len(hint) for hint in hints) + 1


@pytest.mark.parametrize("lang, page", [("id", "Halaman &P dari &N"), ("en", "Page &P of &N")])
@pytest.mark.parametrize("which", ["ruleset", "levelisasi"])
def test_every_sheet_prints_on_a4_one_page_wide_with_title_header_and_page_numbers(request, which, lang, page):
    book = _book(workbook_bytes(request.getfixturevalue(which), lang=lang))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation) == (9, "landscape")  # 9: A4 in the OOXML paper-size table, sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.oddFooter.center.text == page, sheet.title
        header = sheet.oddHeader.center.text
        assert header and header.replace("&&", "&") in (sheet.title, sheet["B1"].value, sheet["A1"].value), sheet.title
        if sheet is not book.worksheets[0]:  # the help sheet has no header row to repeat
            assert sheet.print_title_rows == "$2:$2", sheet.title


def test_estimated_lines_err_high():
    assert estimated_lines("pendek", 70) == 1
    assert estimated_lines("a\nb", 70) == 2
    assert estimated_lines("x" * 200, 70) >= 200 / 70
    words = "kata " * 40  # 200 characters of short words
    assert estimated_lines(words, 70) >= math.ceil(len(words.strip()) / 70)


@pytest.mark.parametrize(("lang", "words"), [("id", "(10 kriteria)"), ("en", "(10 criteria)")])
def test_a_banded_rulesets_aspect_sheet_counts_its_criteria_rather_than_a_weight(lang: str, words: str) -> None:
    # levelisasi-2022 counts criteria met; its aspect "weight" is an artefact of the schema, meaningless on the sheet.
    plans = layout(load_ruleset(bundled_rulesets()["levelisasi-2022"]), lang)
    assert plans[0].title.endswith(words)
    assert "bobot" not in plans[0].title and "weight" not in plans[0].title
