"""The second bundled ruleset, the 2022 performance levels (levelisasi), scored by the same engine.

Ten criteria, each met, not met or unknown; the level is the band of the number met
(1-4: 1, 5-6: 2, 7-9: 3, 10: 4, none: 0), declared in its ruleset.yaml. The level is
decided only when the unknown criteria cannot change it.
"""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.scoring import TOTAL_POLICIES, band_level
from pentas_rules.errors import RulesError
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.ruleset.loader import load_ruleset

from .conftest import LEVELISASI, LEVELISASI_SAMPLES, ROOT
from .ruletools import edit, run

BANDS = ((1, 4, 1), (5, 6, 2), (7, 9, 3), (10, 10, 4))

# sample -> (level, criteria met, decided)
SAMPLE_LEVELS = {
    "00-kab-sungaidalam-nol": (0, 0, True),
    "01-kab-batuhijau-empat": (1, 4, True),
    "02-kota-telukbiru-lima": (2, 5, True),
    "03-kab-lembahsari-enam": (2, 6, True),
    "04-kota-padangraya-tujuh": (3, 7, True),
    "05-kab-gunungmas-sembilan": (3, 9, True),
    "06-kota-candrakirana-sepuluh": (4, 10, True),
    "07-kab-rimbajaya-belum-pasti": (2, 6, False),
    "08-kab-pesisirindah-pasti": (3, 7, True),
}


def score(ruleset, stem: str):
    raw = (LEVELISASI_SAMPLES / f"{stem}.json").read_bytes()
    return evaluate(ruleset, parse_evidence(raw, f"evidence_samples/levelisasi/{stem}.json", ruleset), raw)


@pytest.mark.usefixtures("english")
def test_the_ruleset_lints_clean_and_its_cases_cover_everything():
    lint = run("lint", "rules/levelisasi-2022")
    assert lint.exit_code == 0 and lint.output.strip().endswith("0 errors, 0 warnings"), lint.output
    cases = run("test", str(LEVELISASI), "--coverage")
    assert cases.exit_code == 0, cases.output
    assert "coverage: levels 10/10 (100.0%), conditions 10/10 (100.0%)" in cases.output


def test_the_aggregation_is_declared_in_the_ruleset(levelisasi):
    agg = levelisasi.aggregation
    assert (agg.indicator, agg.total, agg.max_level, agg.total_max) == ("highest_satisfied_level", "count_met_bands", 1, 4)
    assert agg.bands == BANDS
    assert "count_met_bands" in TOTAL_POLICIES  # a policy of the registry, not of the evaluator


@pytest.mark.parametrize("count, level", [(0, 0), (1, 1), (4, 1), (5, 2), (6, 2), (7, 3), (9, 3), (10, 4), (11, 0)])
def test_band_level(count, level):
    assert band_level(BANDS, count) == level


@pytest.mark.parametrize("stem", SAMPLE_LEVELS)
def test_samples_levels_at_every_band_boundary(levelisasi, stem):
    level, met, decided = SAMPLE_LEVELS[stem]
    result = score(levelisasi, stem)
    st = result.standing
    assert (st.lowest, st.met, st.decided) == (level, met, decided)
    assert result.total == Fraction(level)  # the total is the level the office surely reaches
    assert sum(ir.level for ir in result.indicators()) == met


def test_unknowns_that_could_change_the_level_leave_it_undecided_and_name_the_deciding_facts(levelisasi):
    st = score(levelisasi, "07-kab-rimbajaya-belum-pasti").standing
    assert (st.met, st.unknown, st.lowest, st.highest, st.decided) == (6, 2, 2, 3, False)
    assert st.unknown_criteria == ("K04", "K05")
    assert st.deciding_facts == ("dokumen.tte", "pelayanan.daring")
    data = st.to_dict()
    assert data["level"] is None and data["deciding_facts"] == ["dokumen.tte", "pelayanan.daring"]


def test_unknowns_that_cannot_change_the_level_leave_it_decided(levelisasi):
    st = score(levelisasi, "08-kab-pesisirindah-pasti").standing
    assert (st.met, st.unknown, st.lowest, st.highest, st.decided) == (7, 1, 3, 3, True)
    assert st.unknown_criteria == ("K07",) and st.to_dict()["deciding_facts"] == []


def test_pentas_results_carry_no_standing(ruleset):
    raw = (ROOT / "evidence_samples" / "kota-bandung.json").read_bytes()
    result = evaluate(ruleset, parse_evidence(raw, "kota-bandung.json", ruleset), raw)
    assert result.standing is None and "standing" not in result.to_dict()


def test_score_and_explain_say_the_level_in_both_languages(monkeypatch):
    monkeypatch.chdir(ROOT)
    undecided = "evidence_samples/levelisasi/07-kab-rimbajaya-belum-pasti.json"
    text = run("score", undecided).output
    assert (
        "Level kantor: belum dapat ditetapkan: antara 2 dan 3 (6 dari 10 indikator tercapai, 2 belum diketahui (K04, K05); penentunya: dokumen.tte, pelayanan.daring)"
        in text
    )
    english = run("score", "evidence_samples/levelisasi/08-kab-pesisirindah-pasti.json", "--lang", "en").output
    assert "Office level: 3 (7 of 10 indicators met; 1 unknown, which cannot change the level)" in english
    explained = run("explain", undecided, "4", "--lang", "en").output  # by the criterion's number
    assert "[K04]" in explained and "Office level: not yet decided: between 2 and 3" in explained


def test_rank_orders_by_level_then_count_met(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("rank", "evidence_samples/levelisasi", "--format", "json")
    assert result.exit_code == 0, result.output
    offices = json.loads(result.output)["offices"]
    order = [(o["rank"], Path(o["file"]).stem) for o in offices]
    assert order[:2] == [(1, "06-kota-candrakirana-sepuluh"), (2, "05-kab-gunungmas-sembilan")]  # 10 met, then 9 met
    ranks = {stem: rank for rank, stem in order}
    # the two at level 3 with 7 met share rank 3; level 2 follows, 6 met (one undecided) before 5 met
    assert ranks["04-kota-padangraya-tujuh"] == ranks["08-kab-pesisirindah-pasti"] == 3
    assert ranks["03-kab-lembahsari-enam"] == ranks["07-kab-rimbajaya-belum-pasti"] == 5
    assert (ranks["02-kota-telukbiru-lima"], ranks["01-kab-batuhijau-empat"], ranks["00-kab-sungaidalam-nol"]) == (7, 8, 9)


def test_diff_of_the_kia_target_moves_exactly_the_offices_between_40_and_50(tmp_path, monkeypatch):
    new = tmp_path / "levelisasi-2022"
    shutil.copytree(LEVELISASI, new)
    edit(new, "indicators/01_indikator_nasional.yaml", "{fact: cakupan.kia_pct, at_least: 40}", "{fact: cakupan.kia_pct, at_least: 50}")
    monkeypatch.chdir(ROOT)
    result = run("diff", "rules/levelisasi-2022", str(new), "--evidence", "evidence_samples/levelisasi", "--format", "json")
    assert result.exit_code == 0, result.output
    impact = json.loads(result.output)["impact"]
    moved = {Path(o["file"]).stem: (o["old"]["total"]["exact"], o["new"]["total"]["exact"]) for o in impact["offices"]}
    holding_kia = {
        stem
        for stem in SAMPLE_LEVELS
        if 40 <= (json.loads((LEVELISASI_SAMPLES / f"{stem}.json").read_text(encoding="utf-8"))["facts"].get("cakupan", {}).get("kia_pct") or 0) < 50
    }
    assert set(moved) == holding_kia == {"02-kota-telukbiru-lima", "04-kota-padangraya-tujuh", "05-kab-gunungmas-sembilan", "06-kota-candrakirana-sepuluh"}
    assert moved["02-kota-telukbiru-lima"] == ("2", "1")  # 5 met -> 4
    assert moved["04-kota-padangraya-tujuh"] == ("3", "2")  # 7 -> 6
    assert moved["05-kab-gunungmas-sembilan"] == ("3", "3")  # 9 -> 8: the same level, one criterion fewer
    assert moved["06-kota-candrakirana-sepuluh"] == ("4", "3")  # 10 -> 9
    for office in impact["offices"]:
        assert office["moves"] == [{"indicator": "K02", "old": 1, "new": 0}]


def test_snapshot_writes_the_levelisasi_goldens_unchanged(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "golden"
    result = run("snapshot", "--evidence", "evidence_samples/levelisasi", "--out", str(out))
    assert result.exit_code == 0, result.output
    for written in sorted(out.glob("*.json")):
        assert written.read_bytes() == (ROOT / "tests" / "golden" / "levelisasi" / written.name).read_bytes()
    assert len(list(out.glob("*.json"))) == len(SAMPLE_LEVELS)


@pytest.mark.parametrize(
    "band, message",
    [
        ("{met: [5, 6], level: 2}", "band [5, 6] overlaps the band [5, 6] of level 2"),
        ("{met: [8, 7], level: 2}", "band [8, 7] is empty"),
    ],
)
def test_bad_bands_are_refused_with_their_line(tmp_path, band, message, english):
    copy = tmp_path / "levelisasi-2022"
    shutil.copytree(LEVELISASI, copy)
    edit(copy, "ruleset.yaml", "    - {met: [7, 9], level: 3}", f"    - {band}")
    with pytest.raises(RulesError) as caught:
        load_ruleset(copy)
    assert message in caught.value.full_text() and "ruleset.yaml:" in caught.value.full_text()


def test_a_count_policy_without_bands_is_refused(tmp_path):
    copy = tmp_path / "levelisasi-2022"
    shutil.copytree(LEVELISASI, copy)
    text = (copy / "ruleset.yaml").read_text(encoding="utf-8")
    start = text.index("  bands:")
    (copy / "ruleset.yaml").write_text(text[:start] + text[text.index("# Kemendagri") :], encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_ruleset(copy)
    assert "bands" in caught.value.full_text()


def test_the_report_states_the_band_in_both_formats(tmp_path):
    html = tmp_path / "r.html"
    assert run("report", str(LEVELISASI_SAMPLES / "08-kab-pesisirindah-pasti.json"), "-o", str(html), "--lang", "en").exit_code == 0
    assert '<div class="status" id="standing">Office level: 3 (7 of 10 indicators met; 1 unknown, which cannot change the level)</div>' in html.read_text(
        encoding="utf-8"
    )
    md = run("report", str(LEVELISASI_SAMPLES / "07-kab-rimbajaya-belum-pasti.json"), "-o", "-", "--format", "md").output
    assert "**Level kantor: belum dapat ditetapkan: antara 2 dan 3" in md
    pentas = run("report", str(ROOT / "evidence_samples" / "kota-bandung.json"), "-o", "-").output
    assert 'id="standing"' not in pentas


def test_the_leaderboard_shows_the_level_and_the_count_met_not_a_score(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    text = run("rank", "evidence_samples/levelisasi").output
    lines = text.splitlines()
    assert "Level" in lines[2] and "Terpenuhi" in lines[2] and "Nilai total" not in lines[2]
    padang = next(line for line in lines if "Padang Raya" in line and "Dinas" in line)
    assert padang.split()[:5] == ["3", "3", "7", "dari", "10"]  # rank 3, level 3, 7 of 10 met; no "3,00"
    assert "3,00" not in text and "Level sama 3, 7 dari 10 kriteria terpenuhi" in text
    # The two share level and count, and --tiebreak weight compares only the one aspect that holds
    # the count: it cannot split them, so the note does not offer it.
    assert "--tiebreak" not in text and "berbagi peringkat 3" in text
    page = tmp_path / "board.html"
    assert run("rank", "evidence_samples/levelisasi", "--format", "html", "-o", str(page)).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert '<th class="num">Level</th>' in html and '<td class="num total">4</td>' in html and "(10)</span>" in html
    assert "3,00" not in html and "7,00" not in html
    book = tmp_path / "board.xlsx"
    assert run("rank", "evidence_samples/levelisasi", "--format", "xlsx", "-o", str(book)).exit_code == 0
    import openpyxl  # deferred: only this test reads a workbook

    sheet = openpyxl.load_workbook(book).active
    assert (sheet["B1"].value, sheet["B2"].value, sheet["B2"].number_format) == ("total", 4, "0")  # a level, shown whole


def test_score_and_report_show_a_banded_total_as_the_level(monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    page = tmp_path / "r.html"
    assert run("report", "evidence_samples/levelisasi/07-kab-rimbajaya-belum-pasti.json", "-o", str(page)).exit_code == 0
    # The chart counts criteria: 6 met of the aspect's 10, not "6,00 / 4" (a bar longer than its frame).
    html = page.read_text(encoding="utf-8")
    assert ">6 / 10<" in html and "Kriteria yang terpenuhi per aspek" in html and "6,00 / 4" not in html
    score = run("score", "evidence_samples/levelisasi/07-kab-rimbajaya-belum-pasti.json").output
    assert "Level: antara 2 dan 3 / 4   [BUKTI BELUM LENGKAP" in score and "Nilai total" not in score
    md = run("report", "evidence_samples/levelisasi/04-kota-padangraya-tujuh.json", "-o", "-", "--format", "md").output
    assert "**Level: 3 / 4** (bukti lengkap)" in md and "**3,00**" not in md
    assert "Nilai total: 100,00 / 100" in run("score", "evidence_samples/kota-madiun.json").output  # a weighted total is a score


def test_plan_and_whatif_speak_of_the_level_under_a_banded_ruleset(monkeypatch):
    monkeypatch.chdir(ROOT)
    office = "evidence_samples/levelisasi/01-kab-batuhijau-empat.json"
    plan = run("plan", office).output
    assert plan.splitlines()[1] == "Level saat ini: 1" and "Level bila semua perubahan di atas dilakukan: 4 (+3)" in plan
    assert "1. K02 nilai 0 -> 1: level 1 -> 2 (1 perubahan)" in plan and "Nilai total" not in plan
    whatif = run("whatif", office, "--set", "dokumen.tte=true", "--lang", "en").output
    assert "  Aspect indikator_nasional: criteria met 4 -> 5 (+1)\nLevel: 1 -> 2 (+1)\n" in whatif
