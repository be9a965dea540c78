"""`pentas snapshot`: the golden results, regenerated in one command, mirroring the evidence tree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pentas_rules.batch.corpus import find_evidence_files
from pentas_rules.cli import main

from .conftest import GOLDEN, ROOT, SAMPLES


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.json"))}


@pytest.mark.usefixtures("english")
def test_reproduces_the_committed_golden_results(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "golden"
    result = CliRunner().invoke(main, ["snapshot", "--evidence", "evidence_samples", "--out", str(out)])
    assert result.exit_code == 0, result.output
    written = tree(out)
    assert written == tree(GOLDEN)
    assert set(written) == {Path(p).relative_to(SAMPLES).as_posix() for p in find_evidence_files([SAMPLES])}
    assert result.stdout.splitlines()[-1] == f"{len(written)} results: {len(written)} new, 0 updated, 0 unchanged, 0 not scored"
    assert result.stderr == f"{len(written)} results written to the folder {out}.\n"
    before = (out / "kota-bandung.json").stat().st_mtime_ns
    again = CliRunner().invoke(main, ["snapshot", "--evidence", "evidence_samples/kota-bandung.json", "--out", str(out)])
    assert again.output == "1 results: 0 new, 0 updated, 1 unchanged, 0 not scored\n"
    assert (out / "kota-bandung.json").stat().st_mtime_ns == before  # an unchanged result is not rewritten


@pytest.mark.usefixtures("english")
def test_broken_file_is_reported_and_the_rest_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    evidence = Path("bukti")
    (evidence / "sub").mkdir(parents=True)
    shutil.copy(SAMPLES / "kota-bandung.json", evidence / "kota-bandung.json")
    shutil.copy(SAMPLES / "kota-madiun.json", evidence / "sub" / "kota-bandung.json")  # same name, another folder
    (evidence / "rusak.json").write_text('{"meta": ', encoding="utf-8")
    out = Path("hasil")
    out.mkdir()
    (out / "lama.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["snapshot", "--evidence", "bukti", "--out", "hasil"])
    assert result.exit_code == 1
    assert "error: bukti/rusak.json: " in result.stderr and "Traceback" not in result.output
    assert "stale hasil/lama.json" in result.stderr
    assert "new hasil/kota-bandung.json" in result.stdout and "new hasil/sub/kota-bandung.json" in result.stdout
    assert result.stdout.splitlines()[-1] == "3 results: 2 new, 0 updated, 0 unchanged, 1 not scored"
    top = json.loads((out / "kota-bandung.json").read_text(encoding="utf-8"))
    nested = json.loads((out / "sub" / "kota-bandung.json").read_text(encoding="utf-8"))
    # A result names its evidence by file name only: no folder of the machine it was scored on.
    assert top["evidence"]["file"] == nested["evidence"]["file"] == "kota-bandung.json"
    assert nested["total"]["display"] == "100.00"
    assert not (out / "rusak.json").exists()


@pytest.mark.usefixtures("english")
def test_changed_result_is_updated(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    out = tmp_path / "golden"
    out.mkdir()
    (out / "kota-bandung.json").write_text("{}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["snapshot", "--evidence", "evidence_samples/kota-bandung.json", "--out", str(out)])
    assert result.exit_code == 0
    assert result.stdout == f"updated {out / 'kota-bandung.json'}\n1 results: 0 new, 1 updated, 0 unchanged, 0 not scored\n"
    assert result.stderr == f"1 result written to the folder {out}.\n"
    assert (out / "kota-bandung.json").read_bytes() == (GOLDEN / "kota-bandung.json").read_bytes()


def test_usage_errors(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(main, ["snapshot", "--evidence", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert missing.exit_code == 2
    afile = tmp_path / "f"
    afile.write_text("x", encoding="utf-8")
    blocked = runner.invoke(main, ["snapshot", "--evidence", str(SAMPLES / "kota-bandung.json"), "--out", str(afile)])
    assert blocked.exit_code == 2 and "Traceback" not in blocked.output


@pytest.mark.usefixtures("english")
def test_results_kept_inside_the_evidence_folder_are_not_read_as_evidence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("bukti").mkdir()
    shutil.copy(SAMPLES / "kota-madiun.json", "bukti/kota-madiun.json")
    for expected in ("1 results: 1 new", "1 results: 0 new, 0 updated, 1 unchanged"):
        result = CliRunner().invoke(main, ["snapshot", "--evidence", "bukti", "--out", "bukti/hasil"])
        assert result.exit_code == 0 and result.stdout.splitlines()[-1].startswith(expected), result.output
