"""CLI behaviour on bad input: a located message, the right exit code, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main

from .conftest import MINI, ROOT, evidence_bytes

GOOD = {"parkir.ada": True, "parkir.rambu": True, "mutu.nilai": "A", "mutu.hari": 2, "kinerja.capaian_pct": 99, "kinerja.apbd_rp": 10, "kinerja.dak_rp": 5}


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: bytes | None = None):
    result = runner.invoke(main, list(args), input=input, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    f = tmp_path / "good office.json"  # a space in the name on purpose
    f.write_bytes(evidence_bytes(GOOD))
    return f


def test_score_text_and_json(runner, good_file):
    text = run(runner, "score", str(good_file), "--rules", str(MINI))
    assert text.exit_code == 0 and "Nilai total: 100,00 / 100" in text.output
    english = run(runner, "score", str(good_file), "--rules", str(MINI), "--lang", "en")
    assert "Total score: 100.00 / 100" in english.output
    data = json.loads(run(runner, "score", str(good_file), "--rules", str(MINI), "--format", "json").output)
    assert data["total"] == {"exact": "100", "display": "100.00"} and data["complete"] is True


def test_score_reads_stdin(runner):
    result = run(runner, "score", "-", "--rules", str(MINI), "--format", "json", input=evidence_bytes(GOOD))
    assert result.exit_code == 0 and json.loads(result.output)["evidence"]["file"] == "<stdin>"


@pytest.mark.usefixtures("english")
def test_strict_fails_on_incomplete(runner, tmp_path):
    f = tmp_path / "partial.json"
    f.write_bytes(evidence_bytes({"parkir.ada": True}))
    assert run(runner, "score", str(f), "--rules", str(MINI)).exit_code == 0
    strict = run(runner, "score", str(f), "--rules", str(MINI), "--strict")
    assert strict.exit_code == 1 and "incomplete evidence" in strict.output


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"{not json", "malformed JSON"),
        (b"[]", "expected a JSON object at the top level"),
        (b'"x"', "found string"),
        (b"", "the file is empty"),
        (evidence_bytes({"parkir.ada": "ya"}), '$.facts.parkir.ada: expected true or false, found string "ya"'),
        (evidence_bytes({"kinerja.capaian_pct": "95%"}), 'found string "95%"'),
        (evidence_bytes({"kinerja.capaian_pct": 101}), "101 is above the maximum of 100 (percent)"),
        (evidence_bytes({"kinerja.dak_rp": -3}), "-3 is below the minimum of 0"),
        (evidence_bytes({"mutu.nilai": "Z"}), "expected one of C, B, A, A+"),
        (evidence_bytes({"parkir.rambu2": True}), "unknown fact 'parkir.rambu2' (did you mean 'parkir.rambu'?)"),
        (b'{"meta": {}, "meta": {}}', "duplicate key 'meta'"),
    ],
)
@pytest.mark.parametrize("command", ["score", "validate", "explain"])
def test_bad_evidence_exit_1(runner, tmp_path, content, fragment, command):
    f = tmp_path / "bad.json"
    f.write_bytes(content)
    args = [command, str(f), *(["P01"] if command == "explain" else []), "--rules", str(MINI)]
    result = run(runner, *args)
    assert result.exit_code == 1
    assert fragment in result.output
    assert str(f) in result.output


@pytest.mark.usefixtures("english")
def test_validate_lists_every_problem(runner, tmp_path, good_file):
    f = tmp_path / "bad.json"
    f.write_bytes(evidence_bytes({"parkir.ada": "ya", "kinerja.capaian_pct": 104, "parkir.rambu2": True}))
    result = run(runner, "validate", str(good_file), str(f), "--rules", str(MINI))
    assert result.exit_code == 1
    assert f"{good_file}: valid" in result.output and f"{f}: 3 problems" in result.output


@pytest.mark.usefixtures("english")
def test_huge_file(runner, tmp_path):
    f = tmp_path / "huge.json"
    with f.open("wb") as out:
        out.truncate(10 * 1024 * 1024 + 1)
    result = run(runner, "score", str(f), "--rules", str(MINI))
    assert result.exit_code == 1 and "over the limit" in result.output


def test_broken_rules_dir(runner, tmp_path, good_file, english):
    rules = tmp_path / "rules"
    shutil.copytree(MINI, rules)
    path = rules / "indicators" / "01.yaml"
    path.write_text(path.read_text().replace("fact: parkir.rambu,", "fact: parkir.rambu2,"), encoding="utf-8")
    result = run(runner, "score", str(good_file), "--rules", str(rules))
    assert result.exit_code == 1
    assert f"{rules}/indicators/01.yaml:16:22: condition on undeclared fact 'parkir.rambu2'; did you mean 'parkir.rambu'?" in result.output
    (rules / "facts.yaml").write_text("groups: [\n", encoding="utf-8")
    result = run(runner, "score", str(good_file), "--rules", str(rules))
    assert result.exit_code == 1 and "facts.yaml:2:1: malformed YAML" in result.output


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "args, fragment",
    [
        (["score"], "Missing argument 'EVIDENCE"),  # EVIDENCE... since score takes many with --format jsonl
        (["score", "x.json", "--format", "xml"], "'xml' is not one of"),
        (["score", "x.json", "--lang", "fr"], "'fr' is not one of"),
        (["frobnicate"], "No such command"),
        (["explain", "GOOD", "P09"], "unknown indicator 'P09'"),
    ],
)
def test_usage_errors_exit_2(runner, good_file, args, fragment):
    args = [str(good_file) if a == "GOOD" else a for a in args]
    if args[0] == "explain":
        args += ["--rules", str(MINI)]
    result = run(runner, *args)
    assert result.exit_code == 2
    assert fragment in result.output


def test_version(runner):
    result = run(runner, "--version")
    assert result.exit_code == 0 and result.output.startswith("pentas ")


@pytest.mark.usefixtures("english")
def test_installed_console_script_in_subprocess(good_file):
    exe = Path(sys.executable).parent / "pentas"
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "pentas_rules.cli"]
    ok = subprocess.run([*command, "score", str(good_file), "--rules", str(MINI), "--format", "json"], capture_output=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout.decode("utf-8"))["total"]["display"] == "100.00"
    bad = subprocess.run([*command, "score", "-", "--rules", str(MINI)], input=b"[1, 2", capture_output=True, cwd=ROOT)
    assert bad.returncode == 1 and b"Traceback" not in bad.stderr and b"malformed JSON" in bad.stderr
    usage = subprocess.run([*command, "score"], capture_output=True, cwd=ROOT)
    assert usage.returncode == 2


def test_output_is_utf8_whatever_the_locale(tmp_path):
    f = tmp_path / "kantor ü.json"  # a space and a non-ASCII letter in the path too
    f.write_bytes(
        json.dumps({"meta": {"office": "Kantor Ümlaut", "region_code": "11.01", "province": "Aceh", "year": 2021}, "facts": {}}, ensure_ascii=False).encode(
            "utf-8"
        )
    )
    env = dict(__import__("os").environ, PYTHONIOENCODING="latin-1", LC_ALL="C")
    out = subprocess.run([sys.executable, "-m", "pentas_rules.cli", "score", str(f), "--rules", str(MINI)], capture_output=True, env=env, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert "Kantor Ümlaut".encode() in out.stdout
