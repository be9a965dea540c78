"""The compact result (JSON Lines): compact plus its ruleset rebuilds the full result exactly,
and `score --format jsonl`, `explain` and `report` read and write it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from pentas_rules.batch.corpus import find_evidence_files
from pentas_rules.cli import main
from pentas_rules.engine.compact import COMPACT_FORMAT, compact_line, read_records, rebuild, to_compact
from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.results import to_json_bytes
from pentas_rules.errors import EvidenceError
from pentas_rules.evidence.reader import parse_evidence

from .conftest import GOLDEN, MINI, PENTAS_EVIDENCE_OPTIONS, PENTAS_INPUTS, PENTAS_INPUTS_RELATIVE, ROOT, SAMPLES, is_pentas_sample
from .ruletools import edit, run

EVIDENCE = [Path(p).relative_to(SAMPLES).as_posix() for p in find_evidence_files([SAMPLES]) if is_pentas_sample(p)]


def _score(relative: str, ruleset):
    raw = (SAMPLES / relative).read_bytes()
    return evaluate(ruleset, parse_evidence(raw, f"evidence_samples/{relative}", ruleset), raw)


@pytest.mark.parametrize("relative", EVIDENCE)
def test_compact_plus_ruleset_rebuilds_the_full_result(relative, ruleset):
    """For every golden sample: rebuild(compact, ruleset) == the full result, as data and as the golden bytes."""
    result = _score(relative, ruleset)
    [(line, record)] = read_records(compact_line(result), "x.jsonl")
    assert line == 1
    again = rebuild(record, ruleset)
    assert again.to_dict() == result.to_dict()
    assert to_json_bytes(again) == (GOLDEN / relative).read_bytes()


def test_a_record_is_one_small_line(ruleset):
    result = _score("kota-bandung.json", ruleset)
    line = compact_line(result)
    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert len(line) * 20 < len(to_json_bytes(result))
    record = json.loads(line)
    assert record["format"] == COMPACT_FORMAT
    assert record["ruleset"]["fingerprint"] == ruleset.fingerprint
    assert record["total"] == result.to_dict()["total"]["exact"]
    ir = result.indicators()[0]
    assert record["indicators"][ir.indicator.id] == {"level": ir.level, "trace": "".join({True: "+", False: "-", None: "?"}[o] for o in ir.trace)}


def test_a_record_of_other_rules_is_refused_with_both_fingerprints(ruleset, mini):
    record = to_compact(_score("kota-bandung.json", ruleset))
    with pytest.raises(EvidenceError) as err:
        rebuild(record, mini, "out.jsonl:3")
    text = str(err.value)
    assert "out.jsonl:3" in text and "$.ruleset.fingerprint" in text
    assert ruleset.fingerprint in text and mini.fingerprint in text


@pytest.mark.usefixtures("english")
def test_a_record_that_does_not_match_its_facts_is_refused(ruleset):
    record = json.loads(json.dumps(to_compact(_score("kota-bandung.json", ruleset))))
    first = next(iter(record["indicators"]))
    record["indicators"][first]["level"] = 9 - record["indicators"][first]["level"]
    with pytest.raises(EvidenceError, match=rf"\$\.indicators\.{first}: does not match"):
        rebuild(record, ruleset, "out.jsonl:1")


def test_a_record_carries_the_engine_and_the_command_that_reproduces_it_as_the_full_header_does(ruleset):
    result = _score("kota-bandung.json", ruleset)
    record, header = to_compact(result), result.to_dict()
    assert record["engine"] == header["engine"] and record["engine"]["version"]
    assert record["reproduce"] == header["reproduce"] == "pentas score kota-bandung.json --ruleset pentas-2021 --format json"


@pytest.mark.usefixtures("english")
def test_a_record_with_an_edited_engine_version_is_refused_by_rebuild(ruleset):
    record = json.loads(json.dumps(to_compact(_score("kota-bandung.json", ruleset))))
    record["engine"]["version"] = "0.0.0-edited"
    with pytest.raises(EvidenceError, match=r"\$\.engine\.version: does not match"):
        rebuild(record, ruleset, "out.jsonl:1")


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "holds no compact result record"),
        (b"{not json\n", "x.jsonl:1"),
        (b'\n{"format": "pentas-result/1"}\n', r"x.jsonl:2.*\$\.format"),
        (b"\xff\n", "not UTF-8"),
    ],
)
def test_bad_jsonl_is_a_located_error(data, message):
    with pytest.raises(EvidenceError, match=message):
        read_records(data, "x.jsonl")


@pytest.mark.usefixtures("english")
def test_score_jsonl_over_folders_explain_and_report_read_it(tmp_path):
    runner = CliRunner()
    out = tmp_path / "results.jsonl"
    done = runner.invoke(main, ["score", *PENTAS_INPUTS, "--format", "jsonl", "-o", str(out)])
    assert done.exit_code == 0, done.output
    lines = out.read_bytes().splitlines()
    assert len(lines) == len(EVIDENCE)
    # The same bytes on standard output.
    printed = runner.invoke(main, ["score", *PENTAS_INPUTS, "--format", "jsonl"])
    assert printed.stdout_bytes == out.read_bytes()

    # explain and report from a record give what they give from the evidence.
    bandung = str(SAMPLES / "kota-bandung.json")
    for args in (["explain", "{}", "13", "--lang", "en"], ["explain", "{}", "5", "--format", "json"], ["report", "{}", "-o", "-", "--format", "md"]):
        direct = runner.invoke(main, [a.replace("{}", bandung) for a in args])
        from_record = runner.invoke(main, [a.replace("{}", str(out)) for a in args] + ["--office", "32.73"])
        assert from_record.exit_code == direct.exit_code == 0, from_record.output
        assert from_record.stdout == direct.stdout  # the record keeps the evidence file it was scored from
    by_line = [n for n, line in enumerate(lines, 1) if b'"region_code":"32.73"' in line][0]
    assert (
        runner.invoke(main, ["explain", str(out), "13", "--office", str(by_line)]).stdout
        == runner.invoke(main, ["explain", str(out), "13", "--office", "32.73"]).stdout
    )

    many = runner.invoke(main, ["explain", str(out), "13"])
    assert many.exit_code == 1 and "choose one with --office" in many.stderr
    other = runner.invoke(main, ["explain", str(out), "13", "--office", "32.37"])
    assert other.exit_code == 1 and "did you mean '32.73'" in other.stderr
    rules = runner.invoke(main, ["explain", str(out), "1", "--office", "32.73", "--rules", str(MINI)])
    assert rules.exit_code in (1, 2) and ("fingerprint" in rules.stderr or "indicator" in rules.stderr)


@pytest.mark.usefixtures("english")
def test_score_jsonl_goes_on_past_a_bad_file_and_exits_1(tmp_path):
    good = tmp_path / "in" / "a.json"
    good.parent.mkdir()
    good.write_bytes((SAMPLES / "kota-bandung.json").read_bytes())
    (tmp_path / "in" / "b.json").write_text('{"ruleset": "pentas-2021",', encoding="utf-8")
    done = CliRunner().invoke(main, ["score", str(tmp_path / "in"), "--format", "jsonl"])
    assert done.exit_code == 1
    assert len(done.stdout.splitlines()) == 1 and json.loads(done.stdout)["meta"]["region_code"] == "32.73"
    assert "b.json" in done.stderr and "line 1" in done.stderr


def test_score_jsonl_refuses_to_write_over_an_input(tmp_path):
    evidence = tmp_path / "a.json"
    evidence.write_bytes((SAMPLES / "kota-bandung.json").read_bytes())
    done = CliRunner().invoke(main, ["score", str(evidence), "--format", "jsonl", "-o", str(tmp_path / "." / "a.json")])
    assert done.exit_code == 1
    assert evidence.read_bytes() == (SAMPLES / "kota-bandung.json").read_bytes()


def test_many_files_need_jsonl(tmp_path):
    done = CliRunner().invoke(main, ["score", str(SAMPLES / "kota-bandung.json"), str(SAMPLES / "kota-madiun.json")])
    assert done.exit_code == 2 and "--format jsonl" in done.stderr


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_rank_results_writes_the_ranked_offices_compact_lines(tmp_path, jobs):
    runner = CliRunner()
    scored = runner.invoke(main, ["score", *PENTAS_INPUTS, "--format", "jsonl"])
    out = tmp_path / "ranked.jsonl"
    done = runner.invoke(main, ["rank", *PENTAS_INPUTS, "--results", str(out), "--jobs", jobs, "--format", "csv"])
    assert done.exit_code == 0, done.output
    assert out.read_bytes() == scored.stdout_bytes
    # Only the offices ranked: one province.
    province = json.loads(scored.stdout.splitlines()[0])["meta"]["province"]
    runner.invoke(main, ["rank", *PENTAS_INPUTS, "--results", str(out), "--jobs", jobs, "--province", province])
    kept = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert kept and {r["meta"]["province"] for r in kept} == {province}
    assert len(kept) < len(scored.stdout.splitlines())


def test_rank_results_refuses_to_write_over_an_input(tmp_path):
    evidence = tmp_path / "a.json"
    evidence.write_bytes((SAMPLES / "kota-bandung.json").read_bytes())
    done = CliRunner().invoke(main, ["rank", str(tmp_path), "--results", str(evidence)])
    assert done.exit_code == 1 and "--results" in done.stderr
    assert evidence.read_bytes() == (SAMPLES / "kota-bandung.json").read_bytes()


def test_diff_scores_the_evidence_of_compact_records_under_both_rulesets(rules_copy, monkeypatch, tmp_path):
    """diff --evidence results.jsonl moves the same offices, with the same totals and ranks, as the evidence files."""
    edit(
        rules_copy,
        "indicators/09_kinerja.yaml",
        "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}",
        "when: {fact: kinerja.perekaman_ktp_el_pct, at_least: 97}",
    )
    monkeypatch.chdir(ROOT)
    out = tmp_path / "results.jsonl"
    assert run("score", *PENTAS_INPUTS_RELATIVE, "--format", "jsonl", "-o", str(out)).exit_code == 0
    files = find_evidence_files(PENTAS_INPUTS_RELATIVE)
    direct = json.loads(run("diff", "rules/pentas-2021", str(rules_copy), *PENTAS_EVIDENCE_OPTIONS, "--format", "json").output)["impact"]
    compact = json.loads(run("diff", "rules/pentas-2021", str(rules_copy), "--evidence", str(out), "--format", "json").output)["impact"]
    assert direct["offices"], "the edit should move some sample office"
    # Record N is the N-th evidence file: rename and the two impacts are the same.
    names = {f"{out}:{n}": path for n, path in enumerate(files, 1)}
    renamed = json.loads(json.dumps(compact), object_hook=lambda o: {**o, "file": names[o["file"]]} if "file" in o else o)
    assert renamed == direct


def test_a_hand_edited_fact_in_a_record_is_a_located_error(ruleset):
    record = json.loads(json.dumps(to_compact(_score("kota-bandung.json", ruleset))))
    name = next(n for n, v in record["facts"].items() if v is True)
    record["facts"][name] = "ya"
    with pytest.raises(EvidenceError) as err:
        rebuild(record, ruleset, "out.jsonl:4")
    group, fact = name.split(".", 1)
    assert "out.jsonl:4" in str(err.value) and f"$.facts.{group}.{fact}" in str(err.value)


def test_warnings_survive_the_round_trip(ruleset, tmp_path):
    """A year other than the ruleset's (the evidence's warning) and a broken constraint (the facts') come back as they were."""
    doc = json.loads((SAMPLES / "kota-bandung.json").read_text(encoding="utf-8"))
    doc["meta"]["year"] = 2020
    doc["facts"].setdefault("parkir", {})["ada"] = False
    doc["facts"]["parkir"]["rambu"] = True
    raw = json.dumps(doc).encode()
    result = evaluate(ruleset, parse_evidence(raw, "warned.json", ruleset), raw)
    assert len(result.warnings) >= 2
    [(_, record)] = read_records(compact_line(result), "x.jsonl")
    assert to_json_bytes(rebuild(record, ruleset)) == to_json_bytes(result)


def test_records_follow_their_json_schema(ruleset):
    schema = json.loads((ROOT / "schemas" / "result-compact.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    for relative in EVIDENCE:
        assert not list(validator.iter_errors(json.loads(compact_line(_score(relative, ruleset))))), relative
