"""The CLI on the bundled ruleset and samples, through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main

from .conftest import GOLDEN, SAMPLES

SAMPLE_FILES = sorted(str(p.relative_to(SAMPLES.parent)) for p in SAMPLES.glob("*.json"))


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner, *args):
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("sample", SAMPLE_FILES)
def test_score_every_sample(runner, sample, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    text = invoke(runner, "score", sample)
    assert text.exit_code == 0
    assert "Nilai total:" in text.output and "Standar Pelayanan" in text.output and "HAK_AKSES" in text.output
    data = json.loads(invoke(runner, "score", sample, "--format", "json").output)
    assert data == json.loads((GOLDEN / (sample.split("/")[-1])).read_text(encoding="utf-8"))
    assert len(data["aspects"]) == 13 and sum(len(a["indicators"]) for a in data["aspects"]) == 31


@pytest.mark.usefixtures("english")
def test_validate_every_sample(runner, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    result = invoke(runner, "validate", *SAMPLE_FILES)
    assert result.exit_code == 0 and result.output.count(": valid") == len(SAMPLE_FILES)


def test_strict_on_incomplete_sample(runner, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    assert invoke(runner, "score", "evidence_samples/kab-lombok-timur.json", "--strict").exit_code == 1
    assert invoke(runner, "score", "evidence_samples/kota-madiun.json", "--strict").exit_code == 0


@pytest.mark.parametrize("given, expected", [("I13", "[I13]"), ("13", "[I13]"), ("i5", "[I05]"), ("I5", "[I05]"), ("hak_akses", "[HAK_AKSES]")])
def test_explain_accepts_ids_and_numbers(runner, monkeypatch, given, expected):
    monkeypatch.chdir(SAMPLES.parent)
    result = invoke(runner, "explain", "evidence_samples/kota-bandung.json", given)
    assert result.exit_code == 0 and expected in result.output


def test_explain_shows_next_level_needs(runner, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    out = invoke(runner, "explain", "evidence_samples/kab-sinjai.json", "I29").output
    assert "Nilai yang diberikan: 1" in out
    assert "Untuk mencapai nilai 2 perlu 3 perubahan:" in out
    assert "- Berkas persyaratan bisa diunggah/dikirim masyarakat secara online: saat ini tidak, harus ya  <layanan_online.unggah_berkas>" in out
    english = invoke(runner, "explain", "evidence_samples/kab-sinjai.json", "I29", "--lang", "en").output
    assert "Reaching level 2 needs 3 changes:" in english


def test_explain_json(runner, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    data = json.loads(invoke(runner, "explain", "evidence_samples/kota-bandung.json", "I10", "--format", "json").output)
    assert data["id"] == "I10" and [lv["level"] for lv in data["levels"]] == [1, 2, 3, 4, 5]


@pytest.mark.usefixtures("english")
def test_unknown_indicator_suggests(runner, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    result = invoke(runner, "explain", "evidence_samples/kota-bandung.json", "HAK_AKSE")
    assert result.exit_code == 2 and "did you mean HAK_AKSES?" in result.output


def test_schema_command_prints_committed_schema(runner):
    result = invoke(runner, "schema")
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads((SAMPLES.parent / "schemas" / "evidence.schema.json").read_text(encoding="utf-8"))
