"""The evidence workbook: the template's layout, reading it back, what people type, damage refused, the CLI."""

from __future__ import annotations

import datetime
import io
import json
import math
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules.batch.corpus import find_evidence_files
from pentas_rules.cli import main
from pentas_rules.errors import EvidenceError
from pentas_rules.evidence.reader import evidence_problems, parse_evidence
from pentas_rules.evidence.workbook import layout
from pentas_rules.evidence.workbook_read import read_workbook
from pentas_rules.evidence.workbook_write import blank_document, workbook_bytes

from .conftest import SAMPLES, examples
from .strategies import fact_value

SAMPLE = SAMPLES / "kab-bandung-barat-batas.json"


def _book(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _saved(book: Any) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _row_of(ruleset, fact: str, lang: str = "id") -> tuple[str, int]:
    """The sheet and row of ``fact`` in the workbook in ``lang`` (Indonesian unless said)."""
    for plan in layout(ruleset, lang):
        for row, item in enumerate(plan.rows, start=3):
            if item.id == fact:
                return plan.name, row
    raise AssertionError(fact)


def _filled(ruleset, doc: dict[str, Any] | None = None) -> bytes:
    return workbook_bytes(ruleset, doc if doc is not None else json.loads(SAMPLE.read_text("utf-8")))


# -- the template -----------------------------------------------------------------------


def test_the_template_has_one_sheet_per_aspect_with_validation_and_protected_ids(ruleset):
    book = _book(workbook_bytes(ruleset))
    aspects = [f"{a.number}. " for a in ruleset.aspects]
    assert book.sheetnames[:2] == ["Petunjuk", "Data Kantor"]
    assert [n[: len(p)] for n, p in zip(book.sheetnames[2:], aspects, strict=False)] == aspects
    sheet_name, row = _row_of(ruleset, "parkir.ada")
    sheet = book[sheet_name]
    assert sheet.column_dimensions["A"].hidden and sheet.protection.sheet
    assert sheet[f"A{row}"].protection.locked and not sheet[f"D{row}"].protection.locked
    assert all(not sheet[f"{c}{row}"].protection.locked for c in "EFG")
    assert [sheet[f"{c}2"].value for c in "DEFG"] == ["Nilai", "Dokumen sumber", "Halaman", "Catatan"]
    rules = {str(r): dv for dv in sheet.data_validations.dataValidation for r in dv.sqref.ranges}
    bool_rule = next(dv for ref, dv in rules.items() if f"D{row}" in openpyxl.worksheet.cell_range.CellRange(ref))
    assert bool_rule.type == "list" and bool_rule.formula1 == '"Ya,Tidak"' and bool_rule.showInputMessage and "Kosongkan" in bool_rule.prompt
    # a number range and an enum list are the spreadsheet's own validation too
    kinds = {dv.type for s in book.worksheets for dv in s.data_validations.dataValidation}
    assert {"list", "decimal", "whole"} <= kinds
    ranged = [dv for s in book.worksheets for dv in s.data_validations.dataValidation if dv.type == "decimal" and dv.operator == "between"]
    assert ranged and all(dv.formula1 is not None and dv.formula2 is not None for dv in ranged)


def test_every_fact_has_one_row_and_a_shared_fact_names_its_other_indicators(ruleset):
    rows = [item for plan in layout(ruleset, "id") for item in plan.rows if item.spec is not None]
    names = [item.id for item in rows]
    assert sorted(names) == sorted(n for n in ruleset.catalogue.facts if not n.startswith("meta."))
    shared = [item for item in rows if "juga untuk indikator" in item.label]
    assert shared, "some facts serve several indicators"
    assert all("also for indicator" in item.label for plan in layout(ruleset, "en") for item in plan.rows if item.id in {s.id for s in shared})


def test_a_blank_template_is_unknown_everywhere_and_only_the_office_is_missing(ruleset):
    problems = evidence_problems(workbook_bytes(ruleset), "blank.xlsx", ruleset)
    assert [p.path for p in problems] == ["Data Kantor!D3", "Data Kantor!D4", "Data Kantor!D5", "Data Kantor!D6"]


def test_the_blank_json_template_has_every_fact_null(ruleset):
    doc = blank_document(ruleset)
    facts = [f"{g}.{f}" for g, entries in doc["facts"].items() for f, v in entries.items() if v is None]
    assert sorted(facts) == sorted(n for n in ruleset.catalogue.facts if not n.startswith("meta."))


# -- reading back -----------------------------------------------------------------------


@pytest.mark.parametrize("sample", sorted(SAMPLES.rglob("*.json"))[:12], ids=lambda p: p.stem)
def test_a_sample_reads_back_from_its_workbook_as_the_same_evidence(ruleset, sample: Path):
    raw = sample.read_bytes()
    expected = parse_evidence(raw, "x", ruleset)
    got = parse_evidence(workbook_bytes(ruleset, json.loads(raw)), "x", ruleset)
    assert (got.facts, got.notes, got.meta) == (expected.facts, expected.notes, expected.meta)


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"), min_size=1, max_size=12).filter(str.strip)


@st.composite
def _docs(draw: st.DrawFn, ruleset) -> dict[str, Any]:
    facts: dict[str, dict[str, Any]] = {}
    names = [n for n in ruleset.catalogue.facts if not n.startswith("meta.")]
    for name in draw(st.lists(st.sampled_from(names), max_size=24, unique=True)):
        spec = ruleset.catalogue.facts[name]
        value = draw(st.one_of(st.none(), fact_value(spec)))
        extra = {k: draw(_TEXT) for k in ("source", "page", "note") if draw(st.booleans())}
        group, fact = name.split(".", 1)
        facts.setdefault(group, {})[fact] = {"value": value, **extra} if extra else value
    meta = json.loads(SAMPLE.read_text("utf-8"))["meta"]
    return {"ruleset": ruleset.name, "meta": meta, "facts": facts}


def _same(given: Any, read: Any) -> bool:
    """Equal as a spreadsheet keeps it: a float to about 15 significant digits, as Excel and LibreOffice hold it."""
    if isinstance(given, dict) and isinstance(read, dict):
        return given.keys() == read.keys() and all(_same(given[k], read[k]) for k in given)
    if type(given) is float or type(read) is float:
        return not isinstance(read, bool) and isinstance(read, int | float) and math.isclose(given, read, rel_tol=1e-14)
    return type(given) is type(read) and given == read


@settings(max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_json_to_workbook_to_json_is_identity_for_values_unknowns_and_provenance(ruleset, data):
    doc = data.draw(_docs(ruleset))
    back, _ = read_workbook(workbook_bytes(ruleset, doc), "x.xlsx", ruleset)
    # null without provenance is unknown, as an absent fact is: the workbook keeps no difference
    known = {f"{g}.{f}": v for g, e in doc["facts"].items() for f, v in e.items() if v is not None}
    read = {f"{g}.{f}": v for g, e in back["facts"].items() for f, v in e.items()}
    assert read.keys() == known.keys()
    assert all(_same(known[name], read[name]) for name in known), [(known[n], read[n]) for n in known if not _same(known[n], read[n])]
    assert back["meta"] == doc["meta"] and back["ruleset"] == doc["ruleset"]


# -- what people type -------------------------------------------------------------------


def _typed(ruleset, entries: dict[str, Any], meta: dict[str, Any] | None = None) -> bytes:
    """A filled workbook with some value cells typed over, as a person types them (text)."""
    book = _book(_filled(ruleset))
    for fact, text in entries.items():
        sheet, row = _row_of(ruleset, fact)
        book[sheet][f"D{row}"].value = text
    for row, value in (meta or {}).items():
        book["Data Kantor"][f"D{row}"].value = value
    return _saved(book)


def _numeric_fact(ruleset, kind: str, ranged: bool = True) -> str:
    return next(
        n
        for n, s in ruleset.catalogue.facts.items()
        if s.type == kind
        and not n.startswith("meta.")
        and (s.maximum is None or s.maximum >= 1000 or not ranged)
        and (s.maximum or 0) >= (1000 if ranged else 0)
    )


def test_what_a_person_obviously_means_is_normalised(ruleset):
    bools = [n for n, s in ruleset.catalogue.facts.items() if s.type == "bool"][:8]
    enum = next(n for n, s in ruleset.catalogue.facts.items() if s.type == "enum")
    percent = next(n for n, s in ruleset.catalogue.facts.items() if s.type == "number" and s.maximum == 100)
    whole = next(
        n for n, s in ruleset.catalogue.facts.items() if s.type == "integer" and (s.maximum is None or s.maximum >= 262000) and not n.startswith("meta.")
    )
    words = ["ya", "Ya ", "YA", "y", "tidak", "Tidak", "t", "0"]
    typed = dict(zip(bools, words, strict=True)) | {enum: ruleset.catalogue.facts[enum].enum.values[0].lower(), percent: " 95,5 ", whole: "262.000"}
    raw = _typed(ruleset, typed, {4: 32.73, 8: datetime.datetime(2021, 6, 14), 6: "2021"})
    evidence = parse_evidence(raw, "typed.xlsx", ruleset)
    assert [evidence.facts[n] for n in bools] == [True, True, True, True, False, False, False, False]
    assert evidence.facts[enum] == ruleset.catalogue.facts[enum].enum.values[0]
    assert evidence.facts[percent] == 95.5 and evidence.facts[whole] == 262000
    assert (evidence.meta.region_code, evidence.meta.assessed_on, evidence.meta.year) == ("32.73", "2021-06-14", 2021)


@pytest.mark.parametrize(
    ("kind", "text", "value"),
    [("number", "12,5", 12.5), ("number", "97.4", 97.4), ("number", "80", 80), ("integer", "1.000", 1000), ("integer", "7", 7)],
)
def test_numbers_typed_as_text_follow_the_documented_separators(ruleset, kind, text, value):
    fact = next(
        n for n, s in ruleset.catalogue.facts.items() if s.type == kind and not n.startswith("meta.") and (s.maximum or 0) >= 1000 ** (kind == "integer") * 100
    )
    evidence = parse_evidence(_typed(ruleset, {fact: text}), "typed.xlsx", ruleset)
    assert evidence.facts[fact] == value


@pytest.mark.usefixtures("english")
def test_anything_else_is_refused_at_its_cell_with_the_json_wording(ruleset):
    flag = next(n for n, s in ruleset.catalogue.facts.items() if s.type == "bool")
    enum = next(n for n, s in ruleset.catalogue.facts.items() if s.type == "enum")
    number = next(n for n, s in ruleset.catalogue.facts.items() if s.type == "number")
    raw = _typed(ruleset, {flag: "mungkin", enum: "Bx", number: "1.500"})
    problems = evidence_problems(raw, "typed.xlsx", ruleset)
    group, name = enum.split(".", 1)
    as_json = evidence_problems(json.dumps({"meta": json.loads(SAMPLE.read_text("utf-8"))["meta"], "facts": {group: {name: "Bx"}}}).encode(), "x", ruleset)
    cells = {"!".join(map(str, _row_of(ruleset, f))).replace("!", "!D"): f for f in (flag, enum, number)}
    assert {p.path for p in problems} == set(cells)
    by_cell = {p.path: p for p in problems}
    enum_problem = by_cell["!".join(map(str, _row_of(ruleset, enum))).replace("!", "!D")]
    # The JSON wording, but the value as the cell holds it: "Bx", not JSON's 'string "Bx"'.
    assert (enum_problem.message, enum_problem.suggestion) == (as_json[0].message.replace('string "Bx"', '"Bx"'), as_json[0].suggestion)
    assert 'found "Bx"' in enum_problem.message
    # A yes/no cell is worded as the sheet offers it (its list: Yes/No), the one wording that is the sheet's own.
    flag_problem = by_cell["!".join(map(str, _row_of(ruleset, flag))).replace("!", "!D")]
    assert "expected Yes or No" in flag_problem.message and flag_problem.expected == "true or false"


# -- damage is refused, nothing guessed ---------------------------------------------------


def _damaged(ruleset, damage) -> str:
    book = _book(_filled(ruleset))
    damage(book)
    with pytest.raises(EvidenceError) as caught:
        parse_evidence(_saved(book), "damaged.xlsx", ruleset)
    (problem,) = caught.value.problems
    assert "pentas template" in problem.message
    return str(problem)


@pytest.mark.usefixtures("english")
def test_a_renamed_sheet_is_refused_with_did_you_mean(ruleset):
    name = layout(ruleset, "id")[1].name
    text = _damaged(ruleset, lambda b: setattr(b[name], "title", name + " x"))
    assert f"sheet {name!r} is missing" in text and f"did you mean '{name} x'" in text


@pytest.mark.usefixtures("english")
def test_an_edited_id_is_refused_at_its_cell(ruleset):
    sheet, row = _row_of(ruleset, "parkir.ada")
    text = _damaged(ruleset, lambda b: b[sheet].cell(row, 1, "parkir.adax"))
    assert text.startswith(f"{sheet}!A{row}: this row should hold 'parkir.ada'")


@pytest.mark.usefixtures("english")
def test_rows_moved_between_sheets_are_refused(ruleset):
    first, second = layout(ruleset, "id")[:2]

    def move(book: Any) -> None:
        book[second.name].cell(4, 1, book[first.name]["A4"].value)

    assert _damaged(ruleset, move).startswith(f"{second.name}!A4: this row should hold")


@pytest.mark.usefixtures("english")
def test_a_changed_header_and_a_foreign_workbook_are_refused(ruleset):
    name = layout(ruleset, "id")[0].name
    assert _damaged(ruleset, lambda b: b[name].cell(2, 4, "Jumlah")).startswith(f"{name}!D2: the column header was changed")
    assert "not a PENTAS evidence workbook" in _damaged(ruleset, lambda b: setattr(b["Data Kantor"], "title", "Kantor"))


@pytest.mark.usefixtures("english")
def test_a_broken_xlsx_is_a_located_error(ruleset):
    with pytest.raises(EvidenceError) as caught:
        parse_evidence(b"PK\x03\x04 not really a zip", "broken.xlsx", ruleset)
    assert "cannot be read as an .xlsx workbook" in str(caught.value.problems[0])


# -- provenance -----------------------------------------------------------------------


def _with_provenance(tmp_path: Path) -> Path:
    doc = json.loads(SAMPLE.read_text("utf-8"))
    doc["facts"]["ikm"]["biro_organisasi_nilai"] = {"value": "B", "source": "LHE Biro Organisasi 2020", "page": "4", "note": "dicek ulang"}
    path = tmp_path / "prov.json"
    path.write_text(json.dumps(doc), "utf-8")
    return path


def test_provenance_is_shown_beside_its_fact_in_explain_in_both_languages(tmp_path):
    path = _with_provenance(tmp_path)
    runner = CliRunner()
    for lang, line in (("id", "sumber: LHE Biro Organisasi 2020, hal. 4 -- dicek ulang"), ("en", "source: LHE Biro Organisasi 2020, p. 4 -- dicek ulang")):
        out = runner.invoke(main, ["explain", str(path), "I10", "--lang", lang]).output.splitlines()
        at = next(i for i, text in enumerate(out) if "<ikm.biro_organisasi_nilai>" in text)
        assert out[at + 1].strip() == line


def test_provenance_with_its_page_is_carried_in_the_full_and_compact_results(tmp_path):
    path = _with_provenance(tmp_path)
    xlsx = tmp_path / "prov.xlsx"
    runner = CliRunner()
    assert runner.invoke(main, ["convert", str(path), "-o", str(xlsx)]).exit_code == 0
    expected = {"source": "LHE Biro Organisasi 2020", "page": "4", "note": "dicek ulang"}
    for evidence in (path, xlsx):
        full = json.loads(runner.invoke(main, ["score", str(evidence), "--format", "json"]).output)
        assert full["evidence"]["notes"]["ikm.biro_organisasi_nilai"] == expected
        compact = json.loads(runner.invoke(main, ["score", str(evidence), "--format", "jsonl"]).output)
        assert compact["notes"]["ikm.biro_organisasi_nilai"] == expected
    records = tmp_path / "r.jsonl"
    runner.invoke(main, ["score", str(xlsx), "--format", "jsonl", "-o", str(records)])
    assert "sumber: LHE" in runner.invoke(main, ["explain", str(records), "I10"]).output  # rebuilt from the record


@pytest.mark.usefixtures("english")
def test_a_page_that_is_not_text_is_a_located_error(ruleset):
    doc = json.loads(SAMPLE.read_text("utf-8"))
    doc["facts"]["ikm"]["biro_organisasi_nilai"] = {"value": "B", "page": 4}
    (problem,) = evidence_problems(json.dumps(doc).encode(), "x", ruleset)
    assert (problem.path, problem.message) == ("$.facts.ikm.biro_organisasi_nilai.page", "expected text, found number 4")


# -- the commands -----------------------------------------------------------------------


def test_template_refuses_an_existing_file_without_force(tmp_path):
    runner = CliRunner()
    out = tmp_path / "lembar-bukti.xlsx"
    assert runner.invoke(main, ["template", "-o", str(out)]).exit_code == 0
    before = out.read_bytes()
    again = runner.invoke(main, ["template", "-o", str(out), "--lang", "en"])
    assert again.exit_code == 1 and "already exists" in again.output and out.read_bytes() == before
    assert runner.invoke(main, ["template", "-o", str(out), "--lang", "en", "--force"]).exit_code == 0
    assert "Instructions" in _book(out.read_bytes()).sheetnames


def test_template_from_evidence_fills_it_and_json_template_lists_every_fact(tmp_path, ruleset):
    runner = CliRunner()
    filled = tmp_path / "filled.xlsx"
    assert runner.invoke(main, ["template", "--from", str(SAMPLE), "-o", str(filled)]).exit_code == 0
    assert parse_evidence(filled.read_bytes(), "f", ruleset).facts == parse_evidence(SAMPLE.read_bytes(), "s", ruleset).facts
    blank = runner.invoke(main, ["template", "--format", "json", "-o", "-"])
    assert blank.exit_code == 0 and json.loads(blank.output) == blank_document(ruleset)
    merged = json.loads(runner.invoke(main, ["template", "--from", str(SAMPLE), "--format", "json", "-o", "-"]).output)
    sample = json.loads(SAMPLE.read_text("utf-8"))
    assert merged["meta"] == blank_document(ruleset)["meta"] | sample["meta"]
    assert all(merged["facts"][g][f] == v for g, e in sample["facts"].items() for f, v in e.items())
    assert sum(v is None for e in merged["facts"].values() for v in e.values()) == len(ruleset.catalogue.facts) - 2 - sum(map(len, sample["facts"].values()))


@pytest.mark.usefixtures("english")
def test_convert_goes_both_ways_and_never_writes_over_its_input(tmp_path, ruleset):
    runner = CliRunner()
    xlsx, back = tmp_path / "a.xlsx", tmp_path / "a.json"
    assert runner.invoke(main, ["convert", str(SAMPLE), "-o", str(xlsx)]).exit_code == 0
    assert runner.invoke(main, ["convert", str(xlsx), "-o", str(back)]).exit_code == 0
    assert parse_evidence(back.read_bytes(), "b", ruleset).facts == parse_evidence(SAMPLE.read_bytes(), "s", ruleset).facts
    same = runner.invoke(main, ["convert", str(xlsx), "-o", str(xlsx), "--force"])
    assert same.exit_code == 1 and "would overwrite the input" in same.output
    wrong = runner.invoke(main, ["convert", str(xlsx), "-o", str(tmp_path / "b.xlsx")])
    assert wrong.exit_code == 2 and "name the output b.json" in wrong.output


@pytest.mark.usefixtures("english")
def test_an_invalid_workbook_is_not_converted_and_validate_names_cells(tmp_path, ruleset):
    flag = next(n for n, s in ruleset.catalogue.facts.items() if s.type == "bool")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(_typed(ruleset, {flag: "mungkin"}))
    sheet, row = _row_of(ruleset, flag)
    runner = CliRunner()
    converted = runner.invoke(main, ["convert", str(bad), "-o", str(tmp_path / "bad.json")])
    assert converted.exit_code == 1 and f"{sheet}!D{row}" in converted.output and not (tmp_path / "bad.json").exists()
    checked = runner.invoke(main, ["validate", str(bad)])
    assert checked.exit_code == 1 and f"  {sheet}!D{row}: expected Yes or No" in checked.output


def test_rank_and_score_take_workbooks_from_folders(tmp_path, ruleset):
    (tmp_path / "a.xlsx").write_bytes(_filled(ruleset))
    (tmp_path / "~$a.xlsx").write_bytes(b"owner file Excel keeps beside an open workbook")
    assert find_evidence_files([tmp_path]) == [str(tmp_path / "a.xlsx")]
    runner = CliRunner()
    ranked = runner.invoke(main, ["rank", str(tmp_path), "--format", "json"])
    assert ranked.exit_code == 0 and "Bandung Barat" in ranked.output


def test_workbook_sheets_print_landscape_one_page_wide(tmp_path):
    # Printed from a spreadsheet for review, the columns must not split across pages.
    out = tmp_path / "blank.xlsx"
    assert CliRunner().invoke(main, ["template", "-o", str(out)]).exit_code == 0
    book = openpyxl.load_workbook(out)
    for sheet in book.worksheets[1:]:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1, sheet.title
        assert sheet.print_title_rows in ("2:2", "$2:$2"), sheet.title
