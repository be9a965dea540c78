"""The score table and the report of a banded ruleset count criteria, not weighted scores (issue 10, P10).

Under ``count_met_bands`` (levelisasi-2022) the table once kept PENTAS's weight, mean and
contribution columns ("Bobot 4  Rata-rata 0,60  Kontribusi 6,00": 6 the count met, 4 the top
level) and its header said "Level: 2 / 4" above "belum dapat ditetapkan: antara 2 dan 3".
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from pentas_rules.engine.evaluate import evaluate
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.text.explain import score_text

from .conftest import LEVELISASI_SAMPLES, ROOT
from .ruletools import run

UNDECIDED = str(LEVELISASI_SAMPLES / "07-kab-rimbajaya-belum-pasti.json")
NINE = str(LEVELISASI_SAMPLES / "05-kab-gunungmas-sembilan.json")


def _with_override(tmp_path):
    """The undecided office with K07 (birth certificates, not met) set to met by an assessor: 7 met, level 3 for sure."""
    doc = json.loads((LEVELISASI_SAMPLES / "07-kab-rimbajaya-belum-pasti.json").read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    doc["overrides"] = [{"indicator": "K07", "level": 1, "reason": "Data terbaru", "assessor": "Budi", "date": "2022-06-15"}]
    path = tmp_path / "ov.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_the_banded_table_counts_criteria_and_the_header_shows_the_open_range():
    text = run("score", UNDECIDED).output
    assert "Level: antara 2 dan 3 / 4   [BUKTI BELUM LENGKAP" in text
    assert "Level: 2 / 4" not in text
    for weighted in ("Bobot", "Rata-rata", "Kontribusi", "Nilai 1", "Nilai 0?", "Nilai N?"):
        assert weighted not in text
    assert re.search(r"Aspek / Kriteria +Terpenuhi +Belum diketahui +Kriteria\n", text)
    assert re.search(r"\n1 +Indikator nasional +6 +2 +10\n", text)
    assert re.search(r"\n    K01 +Terpenuhi +Cakupan perekaman KTP-el", text)
    assert re.search(r"\n    K04 +Belum diketahui +Dokumen kependudukan ditandatangani .*\n +Diperlukan: dokumen.tte: belum ada bukti, harus ya\n", text)
    assert re.search(
        r"\n    K07 +Tidak +Cakupan kepemilikan akta kelahiran .*\n +Diperlukan: cakupan.akta_kelahiran_pct: saat ini 91,6%, harus minimal 97%\n", text
    )
    assert "    Kriteria terpenuhi 6 dari 10 -> Level antara 2 dan 3\n" in text
    assert "    2 kriteria belum diketahui: level dapat berubah bila buktinya dilengkapi\n" in text
    assert "    Pembagian level menurut banyaknya kriteria terpenuhi: 0 -> 0; 1-4 -> 1; 5-6 -> 2; 7-9 -> 3; 10 -> 4\n" in text


def test_the_banded_table_in_english_shows_the_rubric_sentence_under_the_title():
    text = run("score", NINE, "--lang", "en").output
    assert "Level: 3 / 4   [evidence complete]" in text
    assert "Weight" not in text and "Contribution" not in text and "Mean" not in text
    assert re.search(r"Aspect / Criterion +Met +Unknown +Criteria\n", text)
    # The English title, then the Indonesian rubric sentence it stands for, then what is missing.
    assert re.search(
        r"\n    K10 +Not met +The burial register .*\n +Buku pokok pemakaman sudah digunakan\.\n +Needs: pemakaman.buku_pokok_digunakan: now no, must be yes\n",
        text,
    )
    assert "    Criteria met 9 of 10 -> Level 3\n" in text
    assert "unknown" not in text.split("Criteria met 9 of 10")[1].split("\n")[1]  # no unknown line when none is unknown


@pytest.mark.parametrize("sample", sorted(p.name for p in LEVELISASI_SAMPLES.glob("*.json")))
def test_every_banded_table_agrees_with_the_standing(levelisasi, sample):
    raw = (LEVELISASI_SAMPLES / sample).read_bytes()
    result = evaluate(levelisasi, parse_evidence(raw, sample, levelisasi), raw)
    st = result.standing
    assert st is not None
    text = score_text(result, "id")
    level = str(st.lowest) if st.decided else f"antara {st.lowest} dan {st.highest}"
    assert f"\nLevel: {level} / 4   [" in text
    assert f"    Kriteria terpenuhi {st.met} dari {st.criteria} -> Level {level}\n" in text
    states = re.findall(r"\n    K\d\d +(Terpenuhi|Tidak|Belum diketahui) ", text)
    assert (states.count("Terpenuhi"), states.count("Belum diketahui"), len(states)) == (st.met, st.unknown, st.criteria)


def test_an_assessors_override_under_a_banded_ruleset(tmp_path):
    text = run("score", _with_override(tmp_path)).output
    assert "Level akhir (dengan penyesuaian penilai): 3 / 4   [BUKTI BELUM LENGKAP" in text
    assert "Level dari bukti saja: antara 2 dan 3 / 4\n" in text
    assert "Nilai total" not in text
    assert re.search(r"\n    K07 +Terpenuhi\* +Cakupan kepemilikan akta", text)
    assert "    Kriteria terpenuhi 7 dari 10 -> Level 3\n" in text
    assert "    2 kriteria belum diketahui, tetapi tidak dapat mengubah level\n" in text
    assert "Terpenuhi* = ditetapkan penilai; lihat PENYESUAIAN PENILAI" in text and "Nilai N*" not in text


def test_the_banded_report_counts_criteria_in_both_formats(tmp_path):
    md = run("report", UNDECIDED, "-o", "-", "--format", "md").output
    assert "**Level: antara 2 dan 3 / 4** (BUKTI BELUM LENGKAP" in md
    assert "| No | Aspek | Terpenuhi | Belum diketahui | Kriteria |\n|---:|---|---:|---:|---:|\n| 1 | Indikator nasional | 6 | 2 | 10 |\n" in md
    assert "| Bobot |" not in md and "Nilai N?" not in md
    assert "### 1. Indikator nasional (kriteria terpenuhi 6 / 10)" in md
    assert "(TTE) — Belum diketahui\n" in md and "— Nilai" not in md
    page = tmp_path / "r.html"
    assert run("report", _with_override(tmp_path), "-o", str(page), "--lang", "en").exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert '<th class="num">Met</th><th class="num">Unknown</th><th class="num">Criteria</th>' in html
    assert '<span class="badge">Met*</span>' in html and ">Weight<" not in html
    assert "<p>Final level (with the assessors&#39; overrides): 3 / 4; level from the evidence alone: between 2 and 3 / 4</p>" in html


def test_a_weighted_ruleset_keeps_its_columns(monkeypatch):
    monkeypatch.chdir(ROOT)
    text = run("score", "evidence_samples/kota-madiun.json").output
    assert re.search(r"Aspek / Indikator +Bobot +Rata-rata +Kontribusi\n", text)
    assert "Nilai total: 100,00 / 100" in text and "Kriteria terpenuhi" not in text
    md = run("report", "evidence_samples/kota-madiun.json", "-o", "-", "--format", "md").output
    assert "| No | Aspek | Bobot |" in md and "(kontribusi " in md
