"""An assessor's judgement on the record: overrides in the evidence, both levels in every result, stale overrides."""

from __future__ import annotations

import copy
import csv
import io
import json
from fractions import Fraction
from typing import Any

import jsonschema
import pytest

from pentas_rules.engine.compact import compact_line, read_records, rebuild, to_compact
from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.results import to_json_bytes
from pentas_rules.errors import EvidenceError
from pentas_rules.evidence.reader import evidence_problems, evidence_schema, parse_evidence

from .conftest import LEVELISASI_SAMPLES, SAMPLES
from .ruletools import run

# Kota Madiun reaches level 5 on every indicator (total 100); I05 sits in an aspect of six indicators, weight 5.
MADIUN = json.loads((SAMPLES / "kota-madiun.json").read_text(encoding="utf-8"))
OVERRIDE = {
    "indicator": "I05",
    "level": 4,
    "reason": "Rambu parkir dilepas saat kunjungan",
    "assessor": "Budi",
    "approved_by": "Ketua Tim",
    "date": "2021-06-15",
}


def _doc(*overrides: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(MADIUN)
    doc["overrides"] = [dict(o) for o in overrides]
    return doc


def _raw(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def _score(doc: dict[str, Any], ruleset):
    raw = _raw(doc)
    return evaluate(ruleset, parse_evidence(raw, "office.json", ruleset), raw)


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ({"indicator": "I5"}, "$.overrides[0].indicator", "did you mean 'I05'"),
        ({"indicator": "P05"}, "$.overrides[0].indicator", "unknown indicator"),
        ({"level": 2}, "$.overrides[0].level", "defines no level number 2; its levels are 0, 3, 4, 5"),
        ({"level": True}, "$.overrides[0].level", "defines no level"),
        ({"reason": "   "}, "$.overrides[0].reason", "non-blank text"),
        ({"reason": None}, "$.overrides[0].reason", "non-blank text"),
        ({"date": "2021-02-30"}, "$.overrides[0].date", "not a calendar date"),
        ({"date": "15/06/2021"}, "$.overrides[0].date", 'expected a date like "2021-06-01"'),
        ({"approved": "x"}, "$.overrides[0].approved", "did you mean 'approved_by'"),
    ],
)
def test_a_bad_override_is_a_located_error(english, ruleset, change, path, words):
    problems = evidence_problems(_raw(_doc({**OVERRIDE, **change})), "office.json", ruleset)
    assert [(p.location.path, words in str(p)) for p in problems] == [(path, True)], problems


@pytest.mark.parametrize("key", ["indicator", "level", "reason", "assessor", "date"])
def test_a_missing_required_key_is_named(ruleset, key):
    entry = {k: v for k, v in OVERRIDE.items() if k != key}
    [problem] = evidence_problems(_raw(_doc(entry)), "office.json", ruleset)
    assert problem.location.path == "$.overrides[0]" and repr(key) in problem.message


def test_one_indicator_overridden_twice_is_refused(ruleset):
    [problem] = evidence_problems(_raw(_doc(OVERRIDE, {**OVERRIDE, "level": 3})), "office.json", ruleset)
    assert problem.location.path == "$.overrides[1].indicator" and "overrides[0]" in problem.message


def test_the_generated_schema_agrees_on_the_ladder(ruleset):
    schema = evidence_schema(ruleset)
    jsonschema.validate(_doc(OVERRIDE), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_doc({**OVERRIDE, "level": 2}), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_doc({**OVERRIDE, "reason": " "}), schema)


def test_the_result_carries_both_levels_and_both_totals(ruleset):
    result = _score(_doc(OVERRIDE), ruleset)
    assert result.total == 100  # what the evidence alone gives
    assert result.final_total == 100 - Fraction(5, 6) * Fraction(1, 5)  # one of six indicators from 5 to 4, weight 5
    data = result.to_dict()
    assert data["total"]["exact"] == "100" and data["final_total"] == {"exact": "599/6", "display": "99.83"}
    assert data["overrides"] == [{**OVERRIDE, "computed_level": 5, "needed": True}]
    aspect = next(a for a in data["aspects"] if any(i["id"] == "I05" for i in a["indicators"]))
    assert aspect["mean_level"]["exact"] == "5" and aspect["final_mean_level"]["exact"] == "29/6"
    for indicator in (i for a in data["aspects"] for i in a["indicators"]):
        expected = 4 if indicator["id"] == "I05" else 5
        assert (indicator["level"], indicator["final_level"]) == (5, expected)
        assert ("override" in indicator) == (indicator["id"] == "I05")
    assert not data["warnings"]


def test_evidence_without_overrides_keeps_its_result_shape(ruleset):
    data = _score(copy.deepcopy(MADIUN), ruleset).to_dict()
    text = json.dumps(data)
    assert "final_" not in text and "override" not in text


def test_an_override_the_evidence_now_gives_is_reported_stale(ruleset):
    result = _score(_doc({**OVERRIDE, "level": 5}), ruleset)
    [warning] = result.warnings
    assert (warning.id, warning.path) == ("override-stale", "$.overrides[0]")
    assert "no longer needed" in warning.message_en and "tidak diperlukan lagi" in warning.message_id
    assert result.final_total == result.total
    assert result.to_dict()["overrides"][0]["needed"] is False


def test_the_compact_record_carries_overrides_and_rebuilds_exactly(ruleset):
    result = _score(_doc(OVERRIDE), ruleset)
    [(_, record)] = read_records(compact_line(result), "x.jsonl")
    assert record["overrides"] == [OVERRIDE] and record["final_total"] == "599/6"
    assert to_json_bytes(rebuild(record, ruleset)) == to_json_bytes(result)
    # an edited judgement no longer gives the final total the record claims
    record["overrides"][0]["level"] = 3
    with pytest.raises(EvidenceError) as caught:
        rebuild(record, ruleset, "x.jsonl:1")
    assert "$.final_total" in str(caught.value)
    assert "final_total" not in to_compact(_score(copy.deepcopy(MADIUN), ruleset))


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "id",
            [
                "Nilai total akhir (dengan penyesuaian penilai): 99,83",
                "Nilai total dari bukti saja: 100,00",
                "I05: dihitung 5, akhir 4; oleh Budi, disetujui Ketua Tim, 15 Juni 2021",
            ],
        ),
        (
            "en",
            [
                "Final total (with the assessors' overrides): 99.83",
                "Total from the evidence alone: 100.00",
                "I05: computed 5, final 4; by Budi, approved by Ketua Tim, 15 June 2021",
            ],
        ),
    ],
)
def test_score_and_explain_show_both_levels_who_and_why(tmp_path, lang, words):
    path = tmp_path / "office.json"
    path.write_bytes(_raw(_doc(OVERRIDE)))
    score = run("score", str(path), "--lang", lang)
    assert score.exit_code == 0, score.output
    for word in [*words, OVERRIDE["reason"]]:
        assert word in score.output
    assert "4*" in score.output
    explain = run("explain", str(path), "I05", "--lang", lang)
    assert explain.exit_code == 0 and words[2] in explain.output and OVERRIDE["reason"] in explain.output


def test_score_marks_a_stale_override(tmp_path):
    path = tmp_path / "office.json"
    path.write_bytes(_raw(_doc({**OVERRIDE, "level": 5})))
    out = run("score", str(path), "--lang", "en").output
    assert "[no longer needed]" in out and "override-stale" in out


def _lowered_madiun(tmp_path):
    """Kota Madiun (100 from its evidence) with three indicators judged 0: a final total below Kota Bandung's 93."""
    folder = tmp_path / "offices"
    folder.mkdir()
    (folder / "kota-bandung.json").write_bytes((SAMPLES / "kota-bandung.json").read_bytes())
    judged = [{**OVERRIDE, "indicator": i, "level": 0} for i in ("I13", "I14", "I15")]
    (folder / "kota-madiun.json").write_bytes(_raw(_doc(*judged)))
    return folder


def test_rank_orders_by_final_totals_and_marks_overridden_offices(tmp_path):
    folder = _lowered_madiun(tmp_path)
    final = run("rank", str(folder), "--format", "json")
    assert final.exit_code == 0, final.output
    offices = json.loads(final.output)["offices"]
    assert [(o["region_code"], o.get("overrides")) for o in offices] == [("32.73", None), ("35.77", 3)]
    assert Fraction(offices[1]["total"]["exact"]) < 93
    computed = json.loads(run("rank", str(folder), "--format", "json", "--computed").output)["offices"]
    assert [(o["region_code"], o["total"]["exact"]) for o in computed] == [("35.77", "100"), ("32.73", "93")]
    table = run("rank", str(folder), "--lang", "en").output
    madiun = next(line for line in table.splitlines() if "Madiun" in line)
    assert " ^ " in madiun and " ^ " not in next(line for line in table.splitlines() if "Bandung" in line)
    assert "^ has assessors' overrides" in table


def test_rank_csv_and_xlsx_carry_the_override_count_and_the_computed_total_beside_the_final(tmp_path):
    import openpyxl  # deferred: only this test reads a workbook

    folder = _lowered_madiun(tmp_path)
    done = run("rank", str(folder), "--format", "csv")
    assert done.exit_code == 0, done.output
    rows = list(csv.reader(io.StringIO(done.output.lstrip("\ufeff"))))
    assert rows[0][:4] == ["rank", "total", "total_computed", "overrides"]
    by_code = {row[rows[0].index("region_code")]: row[:4] for row in rows[1:]}
    assert by_code["32.73"] == ["1", "93.00", "93.00", "0"]
    assert by_code["35.77"][2:] == ["100.00", "3"] and float(by_code["35.77"][1]) < 93
    out = tmp_path / "rank.xlsx"
    assert run("rank", str(folder), "--format", "xlsx", "-o", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0][:4]) == ["rank", "total", "total_computed", "overrides"]
    assert [v[2:4] for v in values[1:]] == [(93.0, 0), (100.0, 3)]


@pytest.mark.parametrize(("lang", "column", "legend"), [("id", "Penyesuaian penilai", "Kolom Penyesuaian penilai"), ("en", "Overrides", "Overrides column")])
def test_rank_html_marks_overridden_offices_with_both_totals_and_a_legend(tmp_path, lang, column, legend):
    folder = _lowered_madiun(tmp_path)
    out = tmp_path / "rank.html"
    assert run("rank", str(folder), "--format", "html", "-o", str(out), "--lang", lang).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert f'<th class="num">{column}</th>' in page and legend in page
    assert f'<td class="num computed">{"100,00" if lang == "id" else "100.00"}</td>' in page
    assert '<td class="num overrides">3</td>' in page
    plain = tmp_path / "plain.html"
    assert run("rank", str(SAMPLES / "kota-bandung.json"), "--format", "html", "-o", str(plain), "--lang", lang).exit_code == 0
    assert column not in plain.read_text(encoding="utf-8")  # no overrides: no such column


def test_diff_keeps_overrides_out_of_the_impact_and_lists_them_apart(tmp_path):
    folder = _lowered_madiun(tmp_path)
    rules = str(SAMPLES.parent / "rules" / "pentas-2021")
    text = run("diff", rules, rules, "--evidence", str(folder))
    assert text.exit_code == 0, text.output
    assert "level dan total semua kantor tidak berubah" in text.output
    assert "Penyesuaian penilai (bukan bagian dari dampak aturan" in text.output
    assert "I13: akhir 0, hasil hitungan 5 -> 5" in text.output
    english = run("diff", rules, rules, "--evidence", str(folder), "--lang", "en").output
    assert "Assessors' overrides (not part of the rule impact" in english and "I13: final 0, computed 5 -> 5" in english
    data = json.loads(run("diff", rules, rules, "--evidence", str(folder), "--format", "json").output)
    assert data["impact"]["offices"] == []
    assert [(o["indicator"], o["level"], o["old_computed"], o["new_computed"]) for o in data["impact"]["overrides"]] == [
        ("I13", 0, 5, 5),
        ("I14", 0, 5, 5),
        ("I15", 0, 5, 5),
    ]


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize(("lang", "heading"), [("id", "Penyesuaian penilai"), ("en", "Assessors")])
def test_the_report_gives_overrides_their_own_section_before_the_signatures(tmp_path, fmt, lang, heading):
    path = tmp_path / "office.json"
    path.write_bytes(_raw(_doc(OVERRIDE)))
    out = run("report", str(path), "-o", "-", "--format", fmt, "--lang", lang)
    assert out.exit_code == 0, out.output
    text = out.output
    section = text.index(heading)
    signatures = text.index('id="signatures"' if fmt == "html" else "## " + ("Pengesahan" if lang == "id" else "Approval"))
    assert section < signatures
    between = text[section:signatures]
    assert OVERRIDE["reason"] in between and "Budi" in between and ("99,83" if lang == "id" else "99.83") in between
    assert ("100,00" if lang == "id" else "100.00") in between  # the total from the evidence alone, beside the final one


@pytest.mark.parametrize("fmt", ["html", "md"])
@pytest.mark.parametrize(
    ("lang", "badge", "who"),
    [
        ("id", "Nilai 5 (dihitung) → 4* (akhir)", "I05: dihitung 5, akhir 4; oleh Budi, disetujui Ketua Tim, 15 Juni 2021"),
        ("en", "Level 5 (computed) → 4* (final)", "I05: computed 5, final 4; by Budi, approved by Ketua Tim, 15 June 2021"),
    ],
)
def test_the_overridden_indicator_card_shows_both_levels_who_and_why_beside_its_level(tmp_path, fmt, lang, badge, who):
    path = tmp_path / "office.json"
    path.write_bytes(_raw(_doc(OVERRIDE)))
    out = run("report", str(path), "-o", "-", "--format", fmt, "--lang", lang)
    assert out.exit_code == 0, out.output
    text = out.output
    card = text[text.index('id="indicator-I05"' if fmt == "html" else "#### " + ("Indikator" if lang == "id" else "Indicator") + " 5:") :]
    card = card[: card.index('id="indicator-I06"' if fmt == "html" else "#### ", 5)]
    assert badge in card and who in card and OVERRIDE["reason"] in card
    # Only the overridden card: the others keep their one level.
    assert text.count(badge.split(" → ")[0].split(" ", 2)[2]) == 1


def test_a_report_without_overrides_has_no_such_section(tmp_path):
    out = run("report", str(SAMPLES / "kota-madiun.json"), "-o", "-", "--format", "md").output
    assert "Penyesuaian penilai" not in out


def test_the_workbook_carries_overrides_round_trip_and_located_at_their_cells(english, tmp_path, ruleset):
    import io

    from openpyxl import load_workbook

    from pentas_rules.evidence.workbook_write import workbook_bytes

    source = tmp_path / "office.json"
    source.write_bytes(_raw(_doc(OVERRIDE)))
    book = tmp_path / "office.xlsx"
    assert run("convert", str(source), "-o", str(book)).exit_code == 0
    back = tmp_path / "back.json"
    assert run("convert", str(book), "-o", str(back)).exit_code == 0
    assert json.loads(back.read_text(encoding="utf-8"))["overrides"] == [OVERRIDE]
    assert "99.83" in run("score", str(book)).output
    # a level the ladder does not define, typed into the sheet, is named at its cell
    wb = load_workbook(io.BytesIO(workbook_bytes(ruleset, _doc(OVERRIDE), "en")))
    wb["Assessors' Overrides"]["B3"] = 2
    wb["Assessors' Overrides"]["A4"], wb["Assessors' Overrides"]["B4"] = "I06", 3  # a second row without reason, assessor or date
    damaged = tmp_path / "damaged.xlsx"
    wb.save(damaged)
    out = run("validate", str(damaged))
    assert out.exit_code == 1
    # the level as the cell shows it, what a row lacks at its own cell, without JSON's words
    assert "Assessors' Overrides!B3: indicator I05 defines no level 2;" in out.output
    assert "Assessors' Overrides!C4: an override needs a reason:" in out.output


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("id", "Level kantor: 3 (7 dari 10 indikator tercapai), dengan penyesuaian penilai; dari bukti saja: 2 (5 dari 10 indikator tercapai)"),
        ("en", "Office level: 3 (7 of 10 indicators met), with the assessors' overrides; from the evidence alone: 2 (5 of 10 indicators met)"),
    ],
)
def test_a_band_ruleset_shows_the_final_band_beside_the_computed_one(tmp_path, lang, line):
    # Kota Teluk Biru meets 5 of 10 criteria (band 2); two criteria judged met on site lift it to band 3.
    doc = json.loads((LEVELISASI_SAMPLES / "02-kota-telukbiru-lima.json").read_text(encoding="utf-8"))
    doc["overrides"] = [{**OVERRIDE, "indicator": i, "level": 1, "date": "2022-07-13"} for i in ("K03", "K04")]
    path = tmp_path / "office.json"
    path.write_bytes(_raw(doc))
    done = run("score", str(path), "--ruleset", "levelisasi-2022", "--lang", lang)
    assert done.exit_code == 0, done.output
    assert line in done.output.splitlines(), done.output
