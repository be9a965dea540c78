"""`pentas score` reads and parses each evidence file once, for choosing its ruleset and for checking it.

The ruleset an office is scored by is the one its file names, so the file must be read before
the ruleset is known; it is then checked against that ruleset without being read or parsed again
(a batch paid for both twice). What the batch reports stays as it was: a batch naming two rulesets
is refused with nothing else said, a bad file is reported, located, and the others are written.
"""

from __future__ import annotations

import builtins
import io
import json
from collections import Counter

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main

from .conftest import LEVELISASI_SAMPLES, SAMPLES
from .ruletools import run

LEVEL_SAMPLE = LEVELISASI_SAMPLES / "08-kab-pesisirindah-pasti.json"
PENTAS_FILES = sorted((SAMPLES / "corpus").glob("*.json"))[:4]


@pytest.fixture
def reads(monkeypatch):
    """How often each evidence file was opened, and how many documents strict JSON parsed."""
    counts: Counter[str] = Counter()
    real_open = io.open
    loads = json.loads

    def counting_open(file, *args, **kwargs):
        counts[str(file)] += 1
        return real_open(file, *args, **kwargs)

    def counting_loads(text, *args, **kwargs):
        if "object_pairs_hook" in kwargs:  # evidence's strict parse: the hook finds duplicate keys
            counts["parsed"] += 1
        return loads(text, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting_open)  # pathlib opens with io.open
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(json, "loads", counting_loads)
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
