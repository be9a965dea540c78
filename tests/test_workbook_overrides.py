"""The workbook's overrides sheet and whole-workbook problems, in a clerk's words (docs/uji-panduan.md P2-P4, P6).

A level typed as text is the number it obviously is; an override row's problems are located at
their own cells, worded without JSON keys or JSON's "teks"; a problem about the whole workbook is
located as the workbook, not JSON's ``$``; a near miss in a Ya/Tidak cell gets "did you mean";
and the problems are listed in the workbook's cell order.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.evidence.reader import evidence_problems, parse_evidence
from pentas_rules.evidence.workbook_write import workbook_bytes

from . import test_workbook_cells
from .conftest import SAMPLES
from .test_workbook import _book, _row_of, _saved

lang = test_workbook_cells.lang  # the fixture running a test in each language
SAMPLE = SAMPLES / "kab-bandung-barat-batas.json"
SHEET = {"id": "Penyesuaian penilai", "en": "Assessors' Overrides"}
ROW = ("I05", 4, "Rambu parkir dilepas saat kunjungan", "Sari", None, "2021-06-15")  # columns A-F


def _workbook(ruleset, lang: str, rows: dict[int, tuple[Any, ...]] | None = None, facts: dict[str, Any] | None = None) -> bytes:
    """The sample as a workbook in ``lang``, with override rows typed over (row -> cells A-F) and fact cells typed."""
    book = _book(workbook_bytes(ruleset, json.loads(SAMPLE.read_text("utf-8")), lang))
    for row, values in (rows or {}).items():
        for col, value in zip("ABCDEF", values, strict=True):
            book[SHEET[lang]][f"{col}{row}"].value = value
    for fact, value in (facts or {}).items():
        sheet, row = _row_of(ruleset, fact, lang)
        book[sheet][f"D{row}"].value = value
    return _saved(book)


def _problems(ruleset, raw: bytes) -> list[tuple[str, str]]:
    return [(p.path or "", str(p)) for p in evidence_problems(raw, "lembar.xlsx", ruleset)]


# -- P3: a level typed as text ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["4", " 4 ", "4.0", "4,0", 4.0])
def test_a_level_typed_as_text_is_the_level_it_obviously_is(ruleset, typed):
    evidence = parse_evidence(_workbook(ruleset, "id", {3: (ROW[0], typed, *ROW[2:])}), "lembar.xlsx", ruleset)
    assert [(o.indicator, o.level) for o in evidence.overrides] == [("I05", 4)]


@pytest.mark.parametrize(("typed", "shown"), [("4,5", '"4,5"'), ("empat", '"empat"'), (4.5, None)])
def test_a_level_that_is_not_a_whole_number_is_refused_at_its_cell_with_the_levels(ruleset, lang, typed, shown):
    [(path, text)] = _problems(ruleset, _workbook(ruleset, lang, {3: (ROW[0], typed, *ROW[2:])}))
    shown = shown or ("4,5" if lang == "id" else "4.5")
    expected = f"tidak mempunyai nilai {shown}; nilainya: 0, 3, 4, 5" if lang == "id" else f"defines no level {shown}; its levels are 0, 3, 4, 5"
    assert path == f"{SHEET[lang]}!B3" and expected in text, text


# -- P4: each problem at its own cell, without JSON's words, in cell order --------------


@pytest.mark.parametrize("column", ["B", "C", "D", "F"])
def test_what_a_row_lacks_is_located_at_its_empty_cell_without_the_json_key(ruleset, lang, column):
    values = [None if col == column else value for col, value in zip("ABCDEF", ROW, strict=True)]
    [(path, text)] = _problems(ruleset, _workbook(ruleset, lang, {3: tuple(values)}))
    assert path == f"{SHEET[lang]}!{column}3", text
    field = {"B": "level", "C": "reason", "D": "assessor", "F": "date"}[column]
    assert f"'{field}'" not in text and "(" not in text.split(": ", 1)[1], text
    assert ("memerlukan" if lang == "id" else "needs") in text, text


def test_an_unknown_indicator_reads_as_typed_with_did_you_mean(ruleset, lang):
    [(path, text)] = _problems(ruleset, _workbook(ruleset, lang, {3: ("I5", *ROW[1:])}))
    expected = "indikator \"I5\" tidak dikenal (maksud Anda 'I05'?)" if lang == "id" else "unknown indicator \"I5\" (did you mean 'I05'?)"
    assert path == f"{SHEET[lang]}!A3" and text.endswith(expected), text
    assert "teks" not in text and "string" not in text


def test_an_indicator_overridden_twice_names_the_first_rows_cell_not_a_json_index(ruleset, lang):
    [(path, text)] = _problems(ruleset, _workbook(ruleset, lang, {3: ROW, 5: (ROW[0], 5, *ROW[2:])}))
    assert path == f"{SHEET[lang]}!A5" and f"{SHEET[lang]}!A3" in text and "overrides[" not in text, text


def test_problems_are_listed_by_sheet_then_row_then_column(ruleset, lang):
    raw = _workbook(
        ruleset, "id", {3: ("I5", 4, None, "Sari", None, "15/06/2021"), 4: ("I06", "lima", None, "Sari", None, "2021-06-15")}, {"parkir.ada": "Yaa"}
    )
    paths = [path for path, _ in _problems(ruleset, raw)]
    fact_sheet, fact_row = _row_of(ruleset, "parkir.ada")
    over = SHEET["id"]
    assert paths == [f"{fact_sheet}!D{fact_row}", f"{over}!A3", f"{over}!C3", f"{over}!F3", f"{over}!B4", f"{over}!C4"]


# -- P2: whole-workbook problems located as the workbook --------------------------------


@pytest.mark.parametrize(("lang_", "where"), [("id", "lembar kerja"), ("en", "workbook")])
def test_whole_workbook_problems_are_located_as_the_workbook_not_json_dollar(tmp_path, ruleset, lang_, where):
    def renamed(index: int) -> bytes:
        book = _book(workbook_bytes(ruleset, json.loads(SAMPLE.read_text("utf-8")), lang_))
        book[book.sheetnames[index]].title = "Diganti"
        return _saved(book)

    files = {"aspek.xlsx": renamed(4), "kantor.xlsx": renamed(1), "rusak.xlsx": b"PK\x03\x04 bukan lembar kerja"}
    for name, raw in files.items():
        (tmp_path / name).write_bytes(raw)
    done = CliRunner().invoke(main, ["validate", *(str(tmp_path / name) for name in files), "--lang", lang_])
    assert done.exit_code == 1
    located = [line.strip() for line in done.output.splitlines() if line.startswith(" ")]
    assert len(located) == len(files) and all(line.startswith(f"{where}: ") for line in located), done.output
    assert "$" not in done.output, done.output


def test_json_evidence_keeps_its_dollar_for_the_whole_document(tmp_path):
    empty = tmp_path / "kosong.json"
    empty.write_text("", encoding="utf-8")
    done = CliRunner().invoke(main, ["validate", str(empty)])
    assert done.exit_code == 1 and "\n  $: " in done.output, done.output


# -- P6: a near miss in a Ya/Tidak cell -------------------------------------------------


@pytest.mark.parametrize(("typed", "meant"), [("Yaa", "Ya"), ("Iya", "Ya"), ("iyaa", "Ya"), ("Tdak", "Tidak"), ("tida", "Tidak"), ("mungkin", None)])
def test_a_near_miss_in_a_yes_no_cell_gets_did_you_mean_and_is_still_refused(ruleset, lang, typed, meant):
    [(path, text)] = _problems(ruleset, _workbook(ruleset, "id", facts={"parkir.ada": typed}))
    sheet, row = _row_of(ruleset, "parkir.ada")
    assert path == f"{sheet}!D{row}", text
    asked = ("maksud Anda" if lang == "id" else "did you mean") + f" '{meant}'?"
    assert (asked in text) == (meant is not None), text
    assert ("maksud Anda" in text or "did you mean" in text) == (meant is not None), text


def test_an_english_workbook_suggests_its_own_words(ruleset, english):
    [(_, text)] = _problems(ruleset, _workbook(ruleset, "en", facts={"parkir.ada": "Yess"}))
    assert text.endswith("(did you mean 'Yes'?)"), text
