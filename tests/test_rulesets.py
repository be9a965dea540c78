"""Choosing a ruleset: bundled ones found by folder, --ruleset NAME, the evidence's own `ruleset`, mixed batches."""

from __future__ import annotations

import json
import shutil

import pytest

from pentas_rules.files.paths import bundled_rulesets
from pentas_rules.ruleset.cache import load_ruleset_cached

from .conftest import LEVELISASI, LEVELISASI_SAMPLES, ROOT, RULES, SAMPLES, evidence_bytes
from .ruletools import run

LEVEL_SAMPLE = str(LEVELISASI_SAMPLES / "08-kab-pesisirindah-pasti.json")
PENTAS_SAMPLE = str(SAMPLES / "kota-bandung.json")


def test_rulesets_lists_every_bundled_ruleset_with_version_and_fingerprint():
    result = run("rulesets")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for line, folder in zip(lines, (LEVELISASI, RULES), strict=True):
        rs = load_ruleset_cached(folder)
        assert line.split()[:3] == [rs.name, rs.version, rs.fingerprint[:12]]


def test_bundled_rulesets_are_the_folders_with_a_ruleset_yaml(tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(ROOT / "rules", home / "rules")
    shutil.copytree(RULES, home / "rules" / "third-2030")
    (home / "rules" / "notes").mkdir()  # no ruleset.yaml: not a ruleset
    monkeypatch.setenv("PENTAS_RULES_HOME", str(home))
    assert list(bundled_rulesets()) == ["levelisasi-2022", "pentas-2021", "third-2030"]


def test_each_evidence_file_is_scored_by_the_ruleset_it_names():
    level = json.loads(run("score", LEVEL_SAMPLE, "--format", "json").output)
    assert level["ruleset"]["name"] == "levelisasi-2022" and level["standing"]["level"] == 3
    pentas = json.loads(run("score", PENTAS_SAMPLE, "--format", "json").output)
    assert pentas["ruleset"]["name"] == "pentas-2021"


def test_a_file_naming_no_ruleset_is_pentas_2021(tmp_path):
    path = tmp_path / "old.json"
    path.write_bytes(evidence_bytes({"parkir.ada": True}))  # no "ruleset" key
    assert json.loads(run("score", str(path), "--format", "json").output)["ruleset"]["name"] == "pentas-2021"


@pytest.mark.usefixtures("english")
def test_ruleset_option_chooses_a_bundled_ruleset_and_checks_the_file_against_it():
    assert json.loads(run("score", LEVEL_SAMPLE, "--ruleset", "levelisasi-2022", "--format", "json").output)["standing"]["met"] == 7
    wrong = run("score", LEVEL_SAMPLE, "--ruleset", "pentas-2021")
    assert wrong.exit_code == 1
    assert "this evidence is for ruleset 'levelisasi-2022', but the rules loaded are 'pentas-2021'" in wrong.output


@pytest.mark.usefixtures("english")
def test_ruleset_option_usage_errors():
    typo = run("score", PENTAS_SAMPLE, "--ruleset", "pentas-2012")
    assert typo.exit_code == 2 and "no bundled ruleset 'pentas-2012'" in typo.output and "did you mean 'pentas-2021'?" in typo.output
    both = run("score", PENTAS_SAMPLE, "--ruleset", "pentas-2021", "--rules", str(RULES))
    assert both.exit_code == 2 and "--rules and --ruleset both choose a ruleset" in both.output


@pytest.mark.usefixtures("english")
def test_evidence_naming_an_unbundled_ruleset_is_a_located_error(tmp_path):
    doc = json.loads((LEVELISASI_SAMPLES / "08-kab-pesisirindah-pasti.json").read_text(encoding="utf-8"))
    doc["ruleset"] = "levelisasi-2023"
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run("score", str(path))
    assert result.exit_code == 1
    assert f"{path}: names ruleset 'levelisasi-2023', which is not bundled" in result.output and "did you mean 'levelisasi-2022'?" in result.output


@pytest.mark.usefixtures("english")
def test_a_batch_mixing_rulesets_is_refused_with_the_files_named(tmp_path):
    result = run("rank", PENTAS_SAMPLE, str(LEVELISASI_SAMPLES))
    assert result.exit_code == 1
    assert "the evidence files name 2 rulesets" in result.output and "--group-by ruleset" in result.output
    # the odd files out are named, the batch's main ruleset is counted
    assert f"pentas-2021: {PENTAS_SAMPLE}" in result.output and "levelisasi-2022: 9 files" in result.output
    jsonl = run("score", PENTAS_SAMPLE, LEVEL_SAMPLE, "--format", "jsonl")
    assert jsonl.exit_code == 1 and "the evidence files name 2 rulesets" in jsonl.output


@pytest.mark.usefixtures("english")
def test_group_by_ruleset_ranks_each_group_separately():
    result = run("rank", PENTAS_SAMPLE, str(SAMPLES / "kota-madiun.json"), str(LEVELISASI_SAMPLES), "--group-by", "ruleset", "--format", "json")
    assert result.exit_code == 0, result.output
    boards = json.loads(result.output)
    assert [b["ruleset"]["name"] for b in boards] == ["levelisasi-2022", "pentas-2021"]
    assert [len(b["offices"]) for b in boards] == [9, 2]
    assert [o["rank"] for o in boards[1]["offices"]] == [1, 2]  # ranked among themselves
    csv = run("rank", PENTAS_SAMPLE, str(LEVELISASI_SAMPLES), "--group-by", "ruleset", "--format", "csv")
    assert csv.exit_code == 2 and "rank each with --ruleset NAME" in csv.output


def test_explain_report_and_validate_use_the_files_ruleset(tmp_path):
    assert "[K07]" in run("explain", LEVEL_SAMPLE, "K07").output
    out = tmp_path / "r.md"
    assert run("report", LEVEL_SAMPLE, "-o", str(out), "--format", "md").exit_code == 0
    assert "Levelisasi Kinerja Dinas Dukcapil 2022" in out.read_text(encoding="utf-8")
    valid = run("validate", LEVEL_SAMPLE, PENTAS_SAMPLE)
    assert valid.exit_code == 0 and valid.output.count(": sah") == 2


@pytest.mark.usefixtures("english")
def test_meta_may_name_the_ruleset(tmp_path):
    doc = json.loads((LEVELISASI_SAMPLES / "08-kab-pesisirindah-pasti.json").read_text(encoding="utf-8"))
    doc["meta"]["ruleset"] = doc.pop("ruleset")
    path = tmp_path / "in-meta.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert json.loads(run("score", str(path), "--format", "json").output)["ruleset"]["name"] == "levelisasi-2022"
    wrong = run("score", str(path), "--ruleset", "pentas-2021")
    assert wrong.exit_code == 1 and "$.meta.ruleset" in wrong.output and "this evidence is for ruleset 'levelisasi-2022'" in wrong.output


def test_a_workbook_names_its_ruleset_and_convert_and_template_follow_the_input(english, tmp_path):
    # A levelisasi workbook must be read with levelisasi's layout: before, every .xlsx was
    # taken for the default ruleset and refused as a damaged PENTAS workbook.
    sample = sorted(LEVELISASI_SAMPLES.glob("*.json"))[0]
    book, back = tmp_path / "lv.xlsx", tmp_path / "back.json"
    assert run("convert", str(sample), "-o", str(book)).exit_code == 0  # no --ruleset: the file names it
    scored = run("score", str(book), "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert json.loads(scored.output)["ruleset"]["name"] == "levelisasi-2022"
    assert run("template", "--from", str(book), "-o", str(back)).exit_code == 0
    assert json.loads(back.read_text(encoding="utf-8"))["ruleset"] == "levelisasi-2022"
    blank = tmp_path / "blank.xlsx"
    assert run("template", "-o", str(blank), "--ruleset", "levelisasi-2022").exit_code == 0
    checked = run("validate", str(blank))
    # A blank levelisasi workbook is levelisasi's: only its empty office details are reported, as empty cells.
    assert "is missing" not in checked.output and "found an empty cell\n" in checked.output and "null" not in checked.output
