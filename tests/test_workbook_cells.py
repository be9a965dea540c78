"""A workbook's problems in its user's words: what the cell holds, never JSON's null, true or "teks \"...\"".

And a region code the spreadsheet took as a number: shown as typed (3577, not 3577.00) with a
hint, accepted only when the number can mean one code (35.77), never guessed (35.7).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.evidence.reader import evidence_problems, parse_evidence
from pentas_rules.messages import set_language

from .test_workbook import _row_of, _typed

REGION = 4  # the office sheet's row of the region code (D4)


@pytest.fixture(params=["id", "en"])
def lang(request, monkeypatch):
    monkeypatch.setenv("PENTAS_LANG", request.param)
    set_language(request.param)
    yield request.param
    set_language(None)


def _problems(ruleset, raw: bytes) -> dict[str, str]:
    return {p.path: p.message for p in evidence_problems(raw, "typed.xlsx", ruleset)}


def _fact(ruleset, kind: str) -> str:
    return next(n for n, s in ruleset.catalogue.facts.items() if s.type == kind and not n.startswith("meta."))


def _cell(ruleset, fact: str) -> str:
    sheet, row = _row_of(ruleset, fact)
    return f"{sheet}!D{row}"


@pytest.mark.parametrize(
    ("lang_", "office", "code"),
    [
        (
            "id",
            "Data Kantor!D3: diharapkan teks yang tidak kosong, ditemukan sel kosong",
            'Data Kantor!D4: diharapkan kode Kemendagri seperti "32.73" (PP.KK), ditemukan sel kosong',
        ),
        ("en", "Office!D3: expected non-empty text, found an empty cell", 'Office!D4: expected a Kemendagri code like "32.73" (PP.KK), found an empty cell'),
    ],
)
def test_validate_on_the_blank_template_says_an_empty_cell_not_null(tmp_path, lang_, office, code):
    runner = CliRunner()
    blank = tmp_path / "lb.xlsx"
    assert runner.invoke(main, ["template", "-o", str(blank), "--lang", lang_]).exit_code == 0
    done = runner.invoke(main, ["validate", str(blank), "--lang", lang_])
    assert done.exit_code == 1
    lines = [line.strip() for line in done.output.splitlines()]
    assert office in lines and code in lines and "null" not in done.output


@pytest.mark.parametrize("typed", [3577, 3577.0, "3577"])
def test_a_region_code_typed_as_a_number_is_shown_as_typed_with_a_hint(ruleset, lang, typed):
    message = _problems(ruleset, _typed(ruleset, {}, {REGION: typed}))["Data Kantor!D4"]
    shown = '"3577"' if isinstance(typed, str) else "3577"
    word = "ditemukan" if lang == "id" else "found"
    assert message.endswith(f"{word} {shown} ({'tulis' if lang == 'id' else 'write'} 35.77)"), message
    assert "3577.00" not in message and "angka" not in message and "number 3577" not in message


@pytest.mark.parametrize(("typed", "code"), [(32.77, "32.77"), (32.07, "32.07"), (32.73, "32.73")])  # the sample's province: 32
def test_a_number_with_two_decimals_can_only_mean_one_code_and_is_accepted(ruleset, typed, code):
    assert parse_evidence(_typed(ruleset, {}, {REGION: typed}), "typed.xlsx", ruleset).meta.region_code == code


@pytest.mark.parametrize(("typed", "shown_id", "shown_en"), [(35.7, "35,7", "35.7"), (3.5, "3,5", "3.5"), (357.71, "357,71", "357.71")])
def test_a_number_that_could_be_several_codes_is_refused_as_typed(ruleset, lang, typed, shown_id, shown_en):
    # 35.7 may have been typed 35.70 (the spreadsheet drops the zero) or be 35.07 mistyped: not guessed.
    message = _problems(ruleset, _typed(ruleset, {}, {REGION: typed}))["Data Kantor!D4"]
    found = f"ditemukan {shown_id} (tulis kodenya sebagai teks" if lang == "id" else f"found {shown_en} (write the code as text"
    assert found in message, message


def test_other_cells_show_the_word_or_number_typed_and_a_spreadsheet_boolean_as_the_sheet_shows_it(ruleset, lang):
    number, whole, enum = _fact(ruleset, "number"), _fact(ruleset, "integer"), _fact(ruleset, "enum")
    problems = _problems(ruleset, _typed(ruleset, {number: "lima belas", whole: True, enum: 7}))
    if lang == "id":
        expected = {number: 'ditemukan "lima belas"', whole: "ditemukan BENAR", enum: "ditemukan 7"}
    else:
        expected = {number: 'found "lima belas"', whole: "found TRUE", enum: "found 7"}
    for fact, words in expected.items():
        assert words in problems[_cell(ruleset, fact)], problems[_cell(ruleset, fact)]
    text = " ".join(problems.values())
    for json_word in ("teks ", "text ", "boolean", "true", "null", '\\"'):
        assert json_word not in text, text
