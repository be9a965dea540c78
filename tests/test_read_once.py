"""Every command reads and parses each evidence file once, for choosing its ruleset and for checking it.

The ruleset an office is scored by is the one its file names, so the file must be read before
the ruleset is known; it is then checked against that ruleset without being read or parsed again
(a batch paid for both twice). What the batch reports stays as it was: a batch naming two rulesets
is refused with nothing else said, a bad file is reported, located, and the others are written.
Read once, standard input names its ruleset in every command that takes ``-``, as a file does.
"""

from __future__ import annotations

import builtins
import io
import json
import os
from collections import Counter

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.evidence import jsonfile

from .conftest import LEVELISASI_SAMPLES, ROOT, SAMPLES
from .ruletools import run

LEVEL_SAMPLE = LEVELISASI_SAMPLES / "08-kab-pesisirindah-pasti.json"
PENTAS_FILES = sorted((SAMPLES / "corpus").glob("*.json"))[:4]


@pytest.fixture
def reads(monkeypatch):
    """How often each evidence file was opened, and how many documents strict JSON parsed."""
    counts: Counter[str] = Counter()
    real_open, real_os_open = io.open, os.open
    quick = jsonfile._quick_parse

    def counting_open(file, *args, **kwargs):
        counts[str(file)] += 1
        return real_open(file, *args, **kwargs)

    def counting_os_open(file, *args, **kwargs):
        counts[str(file)] += 1
        return real_os_open(file, *args, **kwargs)

    def counting_parse(raw):
        """Evidence's strict parse of one document, counted: it begins with the quick parse."""
        counts["parsed"] += 1
        return quick(raw)

    monkeypatch.setattr(io, "open", counting_open)  # pathlib opens with io.open
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(os, "open", counting_os_open)  # evidence bytes are read from the descriptor
    monkeypatch.setattr(jsonfile, "_quick_parse", counting_parse)
    return counts


def test_a_batch_reads_and_parses_each_file_once(reads):
    result = run("score", *map(str, PENTAS_FILES), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == len(PENTAS_FILES)
    assert [reads[str(path)] for path in PENTAS_FILES] == [1] * len(PENTAS_FILES)
    assert reads["parsed"] == len(PENTAS_FILES)


def test_one_file_naming_its_ruleset_is_read_and_parsed_once(reads):
    result = run("score", str(LEVEL_SAMPLE), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["ruleset"]["name"] == "levelisasi-2022"
    assert (reads[str(LEVEL_SAMPLE)], reads["parsed"]) == (1, 1)


def test_standard_input_is_scored_by_the_ruleset_it_names():
    # Read once, standard input can name its ruleset like a file: it used to be given the default.
    result = CliRunner().invoke(main, ["score", "-", "--format", "json"], input=LEVEL_SAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    scored = json.loads(result.output)
    assert scored["ruleset"]["name"] == "levelisasi-2022" and scored["evidence"]["file"] == "<stdin>"


@pytest.mark.usefixtures("english")
def test_a_mixed_batch_is_refused_before_any_file_is_reported(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"meta": {', encoding="utf-8")
    result = run("score", str(broken), str(PENTAS_FILES[0]), str(LEVEL_SAMPLE), "--format", "jsonl", "--strict")
    assert result.exit_code == 1
    # Only the refusal: not the broken file's syntax error, nor --strict's verdict on the files scored.
    [refusal] = result.output.splitlines()
    assert "the evidence files name 2 rulesets" in refusal and "pentas-2021: 2 files" in refusal
    assert "broken.json" not in result.output and "--strict" not in result.output


@pytest.mark.usefixtures("english")
def test_a_bad_file_is_reported_in_its_turn_and_the_batch_goes_on(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"meta": {', encoding="utf-8")
    result = CliRunner().invoke(main, ["score", str(PENTAS_FILES[0]), str(broken), str(PENTAS_FILES[1]), "--format", "jsonl"])
    assert result.exit_code == 1
    assert f"{broken}: " in result.stderr and "line 1, column" in result.stderr
    assert [json.loads(line)["evidence"]["file"] for line in result.stdout.splitlines()] == [PENTAS_FILES[0].name, PENTAS_FILES[1].name]


@pytest.mark.usefixtures("english")
def test_a_batch_naming_an_unbundled_ruleset_names_the_first_file(tmp_path):
    doc = json.loads(LEVEL_SAMPLE.read_text(encoding="utf-8"))
    doc["ruleset"] = "levelisasi-2023"
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        path.write_text(json.dumps(doc), encoding="utf-8")
    result = run("score", str(tmp_path), "--format", "jsonl")
    assert result.exit_code == 1
    assert f"{first}: names ruleset 'levelisasi-2023', which is not bundled" in result.output and str(second) not in result.output


# -- every other command that reads evidence: once, and standard input names its ruleset ----------------

A_CRITERION = "1"  # the levelisasi ruleset's first criterion, by its number


def _out(tmp_path, name):
    return str(tmp_path / name)


# Each command given LEVEL_SAMPLE (naming its ruleset) and run with the current folder as tmp_path.
ONE_FILE_COMMANDS = {
    "explain": lambda f, tmp: ["explain", f, A_CRITERION, "--format", "json"],
    "validate": lambda f, tmp: ["validate", f],
    "report": lambda f, tmp: ["report", f, "-o", _out(tmp, "laporan.html")],
    "plan": lambda f, tmp: ["plan", f, "--format", "json"],
    "whatif": lambda f, tmp: ["whatif", f, "--set", "pelayanan.daring=ya", "--format", "json"],
    "convert": lambda f, tmp: ["convert", f, "-o", _out(tmp, "bukti.xlsx")],
    "template --from": lambda f, tmp: ["template", "--from", f, "-o", _out(tmp, "bukti.json")],
    "rank": lambda f, tmp: ["rank", f, "--format", "json"],
}


@pytest.mark.parametrize("command", sorted(ONE_FILE_COMMANDS))
def test_each_command_reads_and_parses_its_evidence_once(command, reads, tmp_path):
    # These used to read the file once to learn the ruleset it names and again to check it.
    result = run(*ONE_FILE_COMMANDS[command](str(LEVEL_SAMPLE), tmp_path))
    assert result.exit_code == 0, result.output
    assert (reads[str(LEVEL_SAMPLE)], reads["parsed"]) == (1, 1)


@pytest.mark.parametrize("command", sorted(ONE_FILE_COMMANDS))
def test_standard_input_naming_its_ruleset_is_scored_by_it_in_every_command(command, tmp_path):
    # Standard input used to be given the default ruleset (PENTAS 2021) by every command but score,
    # which refused the levelisasi facts as unknown.
    result = CliRunner().invoke(main, ONE_FILE_COMMANDS[command]("-", tmp_path), input=LEVEL_SAMPLE.read_bytes())
    assert result.exit_code == 0, result.output
    if command in ("explain", "plan", "rank"):  # the others fail under the default ruleset, seen above
        assert json.loads(result.stdout)["ruleset"]["name"] == "levelisasi-2022"


def test_a_workbook_is_read_and_parsed_once(tmp_path, monkeypatch):
    from pentas_rules.cli import workbook as workbook_command
    from pentas_rules.evidence import workbook_read  # the reader imports it when a workbook comes

    workbook = tmp_path / "bukti.xlsx"
    assert run("convert", str(LEVEL_SAMPLE), "-o", str(workbook)).exit_code == 0
    opened: Counter[str] = Counter()
    real = workbook_read.read_workbook

    def counting(raw, *args, **kwargs):
        opened["workbook"] += 1
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(workbook_read, "read_workbook", counting)
    monkeypatch.setattr(workbook_command, "read_workbook", counting, raising=False)  # where convert read it again
    result = run("convert", str(workbook), "-o", str(tmp_path / "kembali.json"))
    assert result.exit_code == 0, result.output
    assert opened["workbook"] == 1  # it was read for the check and again for the document
    assert json.loads((tmp_path / "kembali.json").read_text(encoding="utf-8"))["ruleset"] == "levelisasi-2022"


def test_a_batch_ranked_or_snapshotted_reads_each_file_once(reads, tmp_path):
    files = [*map(str, PENTAS_FILES)]
    result = run("rank", *files, "--format", "json")
    assert result.exit_code == 0, result.output
    assert [reads[path] for path in files] == [1] * len(files) and reads["parsed"] == len(files)
    reads.clear()
    result = run("snapshot", "--evidence", str(LEVEL_SAMPLE), "--out", str(tmp_path / "hasil"))
    assert result.exit_code == 0, result.output
    assert (reads[str(LEVEL_SAMPLE)], reads["parsed"]) == (1, 1)


def test_diff_reads_each_evidence_file_once_for_both_rulesets(reads):
    rules = str(ROOT / "rules" / "pentas-2021")
    result = run("diff", rules, rules, "--evidence", str(PENTAS_FILES[0]), "--format", "json")
    assert result.exit_code == 0, result.output
    assert (reads[str(PENTAS_FILES[0])], reads["parsed"]) == (1, 1)


def test_verify_still_reads_the_evidence_once(reads, tmp_path):
    # verify takes its ruleset from the result, so it never read the evidence to choose one: kept so.
    scored = tmp_path / "hasil.json"
    scored.write_bytes(run("score", str(LEVEL_SAMPLE), "--format", "json").stdout_bytes)
    reads.clear()
    result = run("verify", str(scored), "--evidence", str(LEVEL_SAMPLE))
    assert result.exit_code == 0, result.output
    assert (reads[str(LEVEL_SAMPLE)], reads["parsed"]) == (1, 1)


@pytest.mark.usefixtures("english")
def test_rank_still_refuses_a_mixed_batch_naming_every_odd_file():
    result = run("rank", *map(str, PENTAS_FILES[:2]), str(LEVEL_SAMPLE))
    assert result.exit_code == 1
    assert "the evidence files name 2 rulesets" in result.output and f"levelisasi-2022: {LEVEL_SAMPLE}" in result.output


@pytest.mark.usefixtures("english")
def test_a_bad_file_in_a_snapshot_is_reported_and_the_others_written(tmp_path):
    folder = tmp_path / "bukti"
    folder.mkdir()
    (folder / "a.json").write_bytes(LEVEL_SAMPLE.read_bytes())
    doc = json.loads(LEVEL_SAMPLE.read_text(encoding="utf-8"))
    doc["ruleset"] = "levelisasi-2023"
    (folder / "b.json").write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(main, ["snapshot", "--evidence", str(folder), "--out", str(tmp_path / "hasil")])
    assert result.exit_code == 1
    assert "names ruleset 'levelisasi-2023', which is not bundled" in result.stderr
    assert (tmp_path / "hasil" / "a.json").is_file() and not (tmp_path / "hasil" / "b.json").exists()


def test_worker_processes_choose_each_files_ruleset_as_they_read_it():
    # Forked workers read each file once and score it by the ruleset it names; the parent groups them.
    levels = sorted(LEVELISASI_SAMPLES.glob("*.json"))
    result = run("rank", *map(str, [*PENTAS_FILES, *levels]), "--group-by", "ruleset", "--jobs", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    boards = json.loads(result.output)
    assert [(b["ruleset"]["name"], len(b["offices"])) for b in boards] == [("levelisasi-2022", len(levels)), ("pentas-2021", len(PENTAS_FILES))]


@pytest.mark.parametrize("command", ["rank", "snapshot", "validate"])
def test_a_batch_loads_each_ruleset_once_not_once_per_file(command, monkeypatch, tmp_path):
    # Loading it per file rebuilt the ruleset from the cache every time, and the per-ruleset engine
    # and checker then compared each new copy field by field: rank of 514 offices took 15 times longer.
    from pentas_rules.cli import choose

    loads: list[object] = []
    real = choose.load_ruleset_cached

    def counting(directory):
        loads.append(directory)
        return real(directory)

    monkeypatch.setattr(choose, "load_ruleset_cached", counting)
    corpus = str(ROOT / "evidence_samples" / "corpus")  # 30 offices, one ruleset
    args = {
        "rank": ["rank", corpus, "--jobs", "1"],
        "snapshot": ["snapshot", "--evidence", corpus, "--out", str(tmp_path / "snap")],
        "validate": ["validate", *sorted(map(str, (ROOT / "evidence_samples" / "corpus").glob("*.json")))],
    }[command]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    # Once, in the one process: rank renders each ruleset's board with the ruleset it scored with.
    assert len(loads) == 1, loads
