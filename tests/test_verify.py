"""Results anyone can re-check: a header without machine paths, and `pentas verify` naming every edited field."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules import __version__
from pentas_rules.cli import main
from pentas_rules.engine.compact import to_compact
from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.verify import verify_result
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.ruleset.cache import load_ruleset_cached
from tests.conftest import GOLDEN, LEVELISASI, RULES, SAMPLES, examples

BANDUNG = SAMPLES / "kota-bandung.json"
# Every golden result with the evidence file it was written from (snapshot mirrors the folders).
GOLDEN_PAIRS = sorted((g, SAMPLES / g.relative_to(GOLDEN)) for g in GOLDEN.rglob("*.json"))


def _rules_of(golden: Path) -> Any:
    return load_ruleset_cached(LEVELISASI if "levelisasi" in golden.parts else RULES)


def test_the_same_bytes_scored_from_any_folder_give_byte_identical_results(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "c").mkdir(parents=True)
    shutil.copy(BANDUNG, tmp_path / "a" / "kota-bandung.json")
    shutil.copy(BANDUNG, tmp_path / "b" / "c" / "kota-bandung.json")
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    outputs = [
        runner.invoke(main, ["score", p, "--format", "json"]).stdout_bytes for p in ("a/kota-bandung.json", str(tmp_path / "b" / "c" / "kota-bandung.json"))
    ]
    outputs += [runner.invoke(main, ["score", p, "--format", "jsonl"]).stdout_bytes for p in ("a/kota-bandung.json", "b/c/kota-bandung.json")]
    monkeypatch.chdir(tmp_path / "b" / "c")
    outputs.append(runner.invoke(main, ["score", "kota-bandung.json", "--format", "json"]).stdout_bytes)
    assert outputs[0] == outputs[1] == outputs[4] and outputs[2] == outputs[3]
    assert str(tmp_path).encode() not in b"".join(outputs) and b"a/kota" not in b"".join(outputs)


def test_the_header_carries_engine_ruleset_evidence_hash_and_the_command_that_reproduces_it(tmp_path, monkeypatch):
    runner = CliRunner()
    result = json.loads(runner.invoke(main, ["score", str(BANDUNG), "--format", "json"]).stdout)
    ruleset = load_ruleset_cached(RULES)
    assert result["engine"] == {"name": "pentas-rules", "version": __version__}
    assert result["ruleset"] == {"name": ruleset.name, "version": ruleset.version, "fingerprint": ruleset.fingerprint}
    assert result["evidence"]["file"] == "kota-bandung.json"
    assert result["evidence"]["sha256"] == hashlib.sha256(BANDUNG.read_bytes()).hexdigest()
    # Run in the evidence's folder, the recorded command gives the result again, byte for byte.
    monkeypatch.chdir(SAMPLES)
    args = result["reproduce"].split()
    assert args[0] == "pentas"
    again = runner.invoke(main, args[1:])
    assert again.exit_code == 0 and again.stdout_bytes == runner.invoke(main, ["score", str(BANDUNG), "--format", "json"]).stdout_bytes


@pytest.mark.parametrize(("golden", "evidence"), GOLDEN_PAIRS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_verify_passes_on_every_golden_result(golden, evidence):
    done = CliRunner().invoke(main, ["verify", str(golden), "--evidence", str(evidence), "--lang", "en"])
    assert done.exit_code == 0, done.output
    assert "verified" in done.stdout


def _verify(tmp_path: Path, data: dict[str, Any], *args: str, evidence: Path | None = BANDUNG, jsonl: bool = False) -> Any:
    path = tmp_path / ("edited.jsonl" if jsonl else "edited.json")
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    options = ["--evidence", str(evidence)] if evidence is not None else []
    return CliRunner().invoke(main, ["verify", str(path), *options, "--lang", "en", *args])


def _golden() -> dict[str, Any]:
    return json.loads((GOLDEN / "kota-bandung.json").read_text(encoding="utf-8"))


def _indicator(data: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    return next(i for a in data["aspects"] for i in a["indicators"] if i["id"] == indicator_id)


def test_verify_names_an_edited_level_total_trace_outcome_and_header(tmp_path):
    data = _golden()
    i05 = _indicator(data, "I05")
    aspect = next(a for a in data["aspects"] if i05 in a["indicators"])
    i05["level"] += 1
    data["total"]["exact"] = "99"
    i05["levels"][0]["condition"]["outcome"] = "true" if i05["levels"][0]["condition"]["outcome"] != "true" else "false"
    data["office"]["office"] = "Dinas Lain"
    done = _verify(tmp_path, data)
    assert done.exit_code == 1
    where = f"$.aspects[{aspect['id']}].indicators[I05]"
    for path in (f"{where}.level:", "$.total.exact:", f"{where}.levels[0].condition.outcome:", "$.office.office:"):
        assert path in done.stdout, done.stdout
    assert '$.total.exact: recorded "99", derived' in done.stdout
    assert "4 differences" in done.stdout


def test_verify_names_evidence_that_no_longer_matches_its_hash(tmp_path):
    changed = tmp_path / "kota-bandung.json"
    doc = json.loads(BANDUNG.read_text(encoding="utf-8"))
    doc["meta"]["assessors"] = ["Tim Lain"]  # not a fact: only the bytes, the hash and the header differ
    changed.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    done = _verify(tmp_path, _golden(), evidence=changed)
    assert done.exit_code == 1
    assert f'$.evidence.sha256: recorded "{_golden()["evidence"]["sha256"]}", derived "{hashlib.sha256(changed.read_bytes()).hexdigest()}"' in done.stdout
    assert "$.office.assessors:" in done.stdout


def test_verify_names_rules_whose_fingerprint_differs(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    meta = rules / "ruleset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    done = _verify(tmp_path, _golden(), "--rules", str(rules))
    assert done.exit_code == 1
    assert f'$.ruleset.fingerprint: recorded "{load_ruleset_cached(RULES).fingerprint}", derived "{load_ruleset_cached(rules).fingerprint}"' in done.stdout


def test_verify_a_compact_record_edited_and_untouched(tmp_path):
    line = CliRunner().invoke(main, ["score", str(BANDUNG), "--format", "jsonl"]).stdout
    record = json.loads(line)
    assert _verify(tmp_path, record, jsonl=True).exit_code == 0
    plain = _verify(tmp_path, record, jsonl=True, evidence=None)
    assert plain.exit_code == 0 and "hash was not checked" in plain.stderr
    record["indicators"]["I05"]["level"] = 0
    record["indicators"]["I07"]["trace"] = "?" + record["indicators"]["I07"]["trace"][1:]
    record["total"] = "1"
    done = _verify(tmp_path, record, jsonl=True, evidence=None)
    assert done.exit_code == 1
    for path in ("$.indicators.I05.level: recorded 0", "$.indicators.I07.trace:", '$.total: recorded "1"'):
        assert path in done.stdout, done.stdout


def test_verify_names_an_edited_engine_version_and_reproduce_command_in_a_compact_record(tmp_path):
    record = json.loads(CliRunner().invoke(main, ["score", str(BANDUNG), "--format", "jsonl"]).stdout)
    assert record["engine"]["version"] == __version__
    record["engine"]["version"] = "0.0.0-edited"
    record["reproduce"] = "pentas score elsewhere.json"
    done = _verify(tmp_path, record, jsonl=True)
    assert done.exit_code == 1
    assert f'$.engine.version: recorded "0.0.0-edited", derived "{__version__}"' in done.stdout, done.stdout
    assert '$.reproduce: recorded "pentas score elsewhere.json"' in done.stdout, done.stdout


def test_verify_refuses_a_full_result_without_its_evidence_and_anything_not_a_result(english, tmp_path):
    missing = CliRunner().invoke(main, ["verify", str(GOLDEN / "kota-bandung.json")])
    assert missing.exit_code == 2 and "--evidence FILE" in missing.stderr and "Traceback" not in missing.output
    not_result = CliRunner().invoke(main, ["verify", str(BANDUNG)])
    assert not_result.exit_code == 1 and "$.format: is not a result (an evidence file?" in not_result.stderr


def test_verify_json_lists_every_difference():
    done = CliRunner().invoke(main, ["verify", str(GOLDEN / "kota-bandung.json"), "--evidence", str(BANDUNG), "--format", "json"])
    assert json.loads(done.stdout) == {"result": str(GOLDEN / "kota-bandung.json"), "verified": True, "differences": []}


# -- the property: every single-field tamper is named --------------------------------------


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [leaf for key, value in data.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(data, list) and data:
        return [leaf for index, value in enumerate(data) for leaf in _leaves(value, (*path, index))]
    return [path]


def _tampered(value: Any) -> Any:
    """A different value for one field: another number, text, truth value or kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    return 0 if value is None or value == [] else None


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _prepared() -> list[tuple[Any, dict[str, Any], tuple[str, bytes], list[tuple[Any, ...]]]]:
    out = []
    for golden, evidence in GOLDEN_PAIRS[:: max(1, len(GOLDEN_PAIRS) // 6)]:
        ruleset = _rules_of(golden)
        data = json.loads(golden.read_text(encoding="utf-8"))
        raw = evidence.read_bytes()
        compact = to_compact(evaluate(ruleset, parse_evidence(raw, evidence.name, ruleset), raw))
        for form in (data, compact):
            out.append((ruleset, form, (evidence.name, raw), _leaves(form)))
    return out


PREPARED = _prepared()


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_verify_fails_on_every_single_field_tamper(data):
    ruleset, form, evidence, leaves = data.draw(st.sampled_from(PREPARED))
    assert verify_result(form, ruleset, evidence) == []
    path = data.draw(st.sampled_from(leaves))
    edited = json.loads(json.dumps(form))
    _set(edited, path, _tampered(_get(edited, path)))
    differences = verify_result(edited, ruleset, evidence)
    assert differences, f"tampering {path} went unnoticed"


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def test_every_field_of_one_compact_record_is_checked():
    """The exhaustive sweep of the property above on one record: each field edited alone is named."""
    ruleset, form, evidence, leaves = PREPARED[1]
    for path in leaves:
        edited = json.loads(json.dumps(form))
        _set(edited, path, _tampered(_get(edited, path)))
        if path[0] == "facts":  # an edited fact may fail the evidence check: then it is refused, also named
            try:
                differences = verify_result(edited, ruleset, evidence)
            except Exception as exc:  # noqa: BLE001 - the refusal is itself the detection
                assert "$" in str(exc)
                continue
        else:
            differences = verify_result(edited, ruleset, evidence)
        assert differences, f"tampering {path} went unnoticed"


def test_the_result_path_is_not_in_any_golden():
    # The goldens were written from evidence_samples/: none names that folder any more.
    for golden, _ in GOLDEN_PAIRS:
        assert "evidence_samples" not in golden.read_text(encoding="utf-8"), golden
    assert os.sep not in _golden()["evidence"]["file"]


def test_explain_json_is_an_auditable_unit_with_the_header_and_the_next_step():
    runner = CliRunner()
    sinjai = str(SAMPLES / "kab-sinjai.json")
    full = json.loads(runner.invoke(main, ["score", sinjai, "--format", "json"]).stdout)
    out = json.loads(runner.invoke(main, ["explain", sinjai, "13", "--format", "json", "--lang", "en"]).stdout)
    assert out["format"] == "pentas-explain/1"
    for key in ("engine", "ruleset", "evidence", "reproduce", "office", "warnings"):
        assert out[key] == full[key], key
    assert out["id"] == "I13" and out["level"] == _indicator(full, "I13")["level"]
    # The same advice as the text form: one change, the service time down to 2 days, for level 5.
    assert out["next_step"]["level"] == 5
    assert out["next_step"]["changes"] == [{"fact": "inovasi.waktu_layanan_hari", "current": 5, "supply": False, "to": 2, "requirement": "at most 2 days"}]
    text = runner.invoke(main, ["explain", sinjai, "13", "--lang", "en"]).stdout
    assert "at most 2 days" in text
    top = json.loads(runner.invoke(main, ["explain", str(BANDUNG), "I02", "--format", "json"]).stdout)
    assert top["level"] < 5 or top["next_step"] is None
