"""No command writes its output over one of its own inputs (issue 8, item 1).

Every command that writes files is given an output that is, under some spelling,
one of the files it reads: the same path, ``./x``, absolute for relative,
``../folder/x``, a symbolic link, a hard link. Each must refuse before reading
anything: exit 1, a message naming both paths, and the folder exactly as it was
(same bytes, no new file, not even a temporary one).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.errors import PentasError
from pentas_rules.files.pathguard import refuse_overwrite

from .conftest import MINI, SAMPLES

SAMPLE = SAMPLES / "kota-bandung.json"


def state(folder: Path) -> dict[str, tuple[bool, bytes]]:
    """Every entry under ``folder`` (hidden ones too) with its bytes, to prove nothing changed or appeared."""
    out = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        out[key] = (path.is_symlink(), b"" if path.is_dir() else path.read_bytes())
    return out


def refused(runner: CliRunner, folder: Path, args: list[str], output: str, original: str) -> str:
    """Run the command in ``folder``; assert it refused, naming both paths, and left everything as it was."""
    before = state(folder)
    result = runner.invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    message = result.stderr
    assert "Traceback" not in message + result.output
    assert message.startswith(f"error: {output}: ") and f" {original}" in message and "nothing was read or written" in message, message
    assert result.stdout == ""
    assert state(folder) == before
    return message


def spellings(tmp_path: Path, name: str) -> list[str]:
    """Other names of ``tmp_path/name`` (the current folder): made here, so each test has its own."""
    target = tmp_path / name
    os.symlink(name, tmp_path / f"link-{name}")
    os.link(target, tmp_path / f"hard-{name}")
    return [name, f"./{name}", str(target), f"../{tmp_path.name}/{name}", f"link-{name}", f"hard-{name}"]


SPELLINGS = ["same", "dot", "absolute", "parent", "symlink", "hardlink"]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("spelling", range(len(SPELLINGS)), ids=SPELLINGS)
def test_report_refuses_to_write_over_its_evidence(runner, tmp_path, monkeypatch, spelling):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, "x.json")
    output = spellings(tmp_path, "x.json")[spelling]
    message = refused(runner, tmp_path, ["report", "x.json", "-o", output], output, "x.json")
    assert "evidence file" in message
    assert (tmp_path / "x.json").read_bytes() == SAMPLE.read_bytes()


@pytest.mark.usefixtures("english")
def test_report_refuses_before_reading_the_evidence(runner, tmp_path, monkeypatch):
    """A broken evidence file and broken rules: the refusal comes first, so neither was read."""
    monkeypatch.chdir(tmp_path)
    Path("x.json").write_text('{"meta": ', encoding="utf-8")
    Path("rules").mkdir()
    Path("rules/ruleset.yaml").write_text("[not: a ruleset", encoding="utf-8")
    message = refused(runner, tmp_path, ["report", "x.json", "-o", "./x.json", "--rules", "rules", "--format", "md"], "./x.json", "x.json")
    assert "(the same file)" in message


@pytest.mark.usefixtures("english")
def test_report_refuses_to_write_over_a_rule_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, "mini")
    shutil.copy(SAMPLE, "x.json")
    os.link("mini/facts.yaml", "facts-link.yaml")
    message = refused(runner, tmp_path, ["report", "x.json", "--rules", "mini", "-o", "facts-link.yaml"], "facts-link.yaml", "mini/facts.yaml")
    assert "rule file" in message


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "html"])
def test_rank_refuses_output_onto_an_evidence_file_found_in_a_folder(runner, tmp_path, monkeypatch, fmt):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SAMPLES, "bukti", ignore=shutil.ignore_patterns("corpus"))
    refused(runner, tmp_path, ["rank", "bukti", "--format", fmt, "-o", "bukti/kota-bandung.json"], "bukti/kota-bandung.json", "bukti/kota-bandung.json")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("spelling", range(len(SPELLINGS)), ids=SPELLINGS)
def test_rank_refuses_every_spelling_of_an_input(runner, tmp_path, monkeypatch, spelling):
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, "x.json")
    shutil.copy(SAMPLES / "kota-madiun.json", "y.json")
    output = spellings(tmp_path, "y.json")[spelling]
    refused(runner, tmp_path, ["rank", "x.json", "y.json", "-o", output], output, "y.json")


@pytest.mark.usefixtures("english")
def test_rank_refuses_an_input_folder_as_output(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("bukti").mkdir()
    shutil.copy(SAMPLE, "bukti/x.json")
    message = refused(runner, tmp_path, ["rank", "bukti", "-o", "./bukti"], "./bukti", "bukti")
    assert "is the evidence folder bukti (the same folder)" in message


@pytest.mark.usefixtures("english")
def test_rank_refuses_a_report_that_would_overwrite_an_input(runner, tmp_path, monkeypatch):
    """--reports DIR names each report after its evidence file's stem: x.html for an input named x.html."""
    monkeypatch.chdir(tmp_path)
    Path("bukti").mkdir()
    shutil.copy(SAMPLE, "bukti/x.html")
    shutil.copy(SAMPLES / "kota-madiun.json", "bukti/y.json")
    message = refused(runner, tmp_path, ["rank", "bukti/x.html", "bukti", "--reports", "bukti"], "bukti/x.html", "bukti/x.html")
    assert "the report (--reports) would overwrite the evidence file" in message


@pytest.mark.usefixtures("english")
def test_rank_refuses_a_report_over_a_rule_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, "mini")
    (Path("mini") / "notes.html").write_text("<p>kept</p>", encoding="utf-8")
    shutil.copy(SAMPLE, "notes.json")
    refused(runner, tmp_path, ["rank", "notes.json", "--rules", "mini", "--reports", "mini"], "mini/notes.html", "mini/notes.html")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("out", ["bukti", "./bukti/", "link-bukti", "ABS"])
def test_snapshot_refuses_the_evidence_folder_as_output_and_advises_no_deletion(runner, tmp_path, monkeypatch, out):
    monkeypatch.chdir(tmp_path)
    Path("bukti").mkdir()
    shutil.copy(SAMPLE, "bukti/x.json")
    os.symlink("bukti", "link-bukti")
    out = str(tmp_path / "bukti") if out == "ABS" else out
    shown = str(Path(out))  # click hands the folder over as a Path
    message = refused(runner, tmp_path, ["snapshot", "--evidence", "bukti", "--out", out], shown, "bukti")
    assert "the output folder (--out) is the evidence folder bukti" in message
    assert "stale" not in message and "delete" not in message


@pytest.mark.usefixtures("english")
def test_snapshot_refuses_a_result_over_a_single_evidence_file(runner, tmp_path, monkeypatch):
    """Evidence x.json and --out its own folder: its result would be ./x.json, the evidence itself."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, "x.json")
    refused(runner, tmp_path, ["snapshot", "--evidence", "x.json", "--out", "."], "x.json", "x.json")


@pytest.mark.usefixtures("english")
def test_snapshot_never_calls_evidence_stale(runner, tmp_path, monkeypatch):
    """Evidence in a subfolder of --out is scored (not taken for old results) and never advised for deletion."""
    monkeypatch.chdir(tmp_path)
    Path("hasil/bukti").mkdir(parents=True)
    shutil.copy(SAMPLE, "hasil/bukti/x.json")
    (Path("hasil") / "lama.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(main, ["snapshot", "--evidence", "hasil/bukti", "--out", "hasil"], catch_exceptions=False)
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.splitlines() == ["new hasil/x.json", "1 results: 1 new, 0 updated, 0 unchanged, 0 not scored"]
    assert "stale hasil/lama.json" in result.stderr and "bukti/x.json" not in result.stderr
    assert Path("hasil/bukti/x.json").read_bytes() == SAMPLE.read_bytes()


@pytest.mark.usefixtures("english")
def test_junit_refuses_to_write_over_a_rule_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, "mini")
    os.symlink("mini/indicators/01.yaml", "hasil.xml")
    message = refused(runner, tmp_path, ["test", "mini", "--junit", "hasil.xml"], "hasil.xml", "mini/indicators/01.yaml")
    assert "the JUnit file (--junit) would overwrite the rule file" in message


@pytest.mark.usefixtures("english")
def test_junit_refuses_to_write_over_a_case_file(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI, "mini")
    Path("kasus").mkdir()
    Path("kasus/a.yaml").write_text("cases: []\n", encoding="utf-8")
    message = refused(runner, tmp_path, ["test", "mini", "--cases", "kasus", "--junit", "./kasus/a.yaml"], "kasus/a.yaml", "kasus/a.yaml")
    assert "rule case file" in message


def test_an_output_apart_from_the_inputs_is_written(runner, tmp_path, monkeypatch):
    """The guard is not a blanket refusal: a distinct file beside the evidence is fine."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SAMPLE, "x.json")
    result = runner.invoke(main, ["report", "x.json", "-o", "x.html"], catch_exceptions=False)
    assert result.exit_code == 0 and Path("x.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.usefixtures("english")
def test_guard_matches_by_inode_and_by_resolved_path(tmp_path):
    (tmp_path / "a.json").write_bytes(b"{}")
    os.link(tmp_path / "a.json", tmp_path / "b.json")
    with pytest.raises(PentasError, match="b.json: the out would overwrite the in "):
        refuse_overwrite([("in", tmp_path / "a.json")], [("out", tmp_path / "b.json")])
    # Not there yet on either side: the resolved path alone decides.
    with pytest.raises(PentasError):
        refuse_overwrite([("in", tmp_path / "new" / "c.json")], [("out", tmp_path / "new" / ".." / "new" / "c.json")])
    refuse_overwrite([("in", tmp_path / "a.json")], [("out", tmp_path / "c.json"), ("out", "-")])


def test_the_refusal_names_the_files_roles_in_the_users_language(tmp_path):
    # The roles ("output file (-o)", "evidence file") were English inside the Indonesian message.
    evidence = tmp_path / "bukti.json"
    shutil.copy(SAMPLES / "kota-bandung.json", evidence)
    before = evidence.read_bytes()
    indonesian = CliRunner().invoke(main, ["rank", str(evidence), "--results", str(evidence)])
    assert indonesian.exit_code == 1 and "berkas hasil (--results) akan menimpa berkas bukti" in indonesian.output
    english = CliRunner().invoke(main, ["rank", str(evidence), "--results", str(evidence), "--lang", "en"])
    assert english.exit_code == 1 and "results file (--results) would overwrite the evidence file" in english.output
    assert evidence.read_bytes() == before
