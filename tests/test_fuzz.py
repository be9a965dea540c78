"""Hostile input: every outcome is a score or a located PentasError, never anything else.

Quick in the normal run; `make fuzz` sets PENTAS_FUZZ_EXAMPLES and runs the same
tests for a long time (see the README for the counts last run).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.results import to_json_bytes
from pentas_rules.errors import EvidenceError, RulesError
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.ruleset.loader import load_ruleset_files
from pentas_rules.ruleset.yamlsafe import load_yaml_text

from .conftest import MINI, RULES, examples
from .test_checker import JSON_VALUES, _get, _places, damaged_docs


def fuzz(quick: int) -> settings:
    return settings(max_examples=examples(quick), deadline=None, suppress_health_check=list(HealthCheck), database=None)


def _score_or_located_error(raw: bytes, ruleset: Any) -> None:
    """What any evidence input must come to: a result within bounds, or an error that says where."""
    try:
        evidence = parse_evidence(raw, "fuzz.json", ruleset)
    except EvidenceError as exc:
        assert exc.problems, "an evidence error must carry at least one problem"
        assert str(exc).startswith("fuzz.json: ")
        for problem in exc.problems:
            assert problem.path.startswith(("$", "line ", "baris ")), problem  # "baris": the location worded in Indonesian
            assert problem.message
        return
    result = evaluate(ruleset, evidence, raw)
    assert 0 <= result.total <= ruleset.aggregation.total_max
    assert all(0 <= ir.level <= ruleset.aggregation.max_level for ir in result.indicators())
    json.loads(to_json_bytes(result))


@fuzz(150)
@given(data=st.data())
def test_damaged_evidence_documents(ruleset, data):
    _score_or_located_error(json.dumps(data.draw(damaged_docs(ruleset))).encode("utf-8"), ruleset)


@fuzz(150)
@given(value=JSON_VALUES, nesting=st.integers(0, 3))
def test_any_json_document(ruleset, value, nesting):
    for _ in range(nesting):
        value = {"facts": value} if nesting % 2 else [value]
    _score_or_located_error(json.dumps(value).encode("utf-8"), ruleset)


SAMPLE_BYTES = [p.read_bytes() for p in sorted((RULES.parent.parent / "evidence_samples").glob("*.json"))]


@fuzz(150)
@given(data=st.data())
def test_damaged_bytes(ruleset, data):
    raw = bytearray(data.draw(st.sampled_from(SAMPLE_BYTES)))
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        action = data.draw(st.sampled_from(["cut", "insert", "flip"]))
        if action == "cut":
            del raw[at : at + data.draw(st.integers(1, 200))]
        elif action == "insert":
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=8) | st.sampled_from([b"NaN", b"1e400", b"\xff", b"{", b'"', b",", b"\xef\xbb\xbf"]))
        elif raw:
            raw[min(at, len(raw) - 1)] ^= data.draw(st.integers(1, 255))
    _score_or_located_error(bytes(raw), ruleset)


# -- rule files -------------------------------------------------------------------------


class _NoAliases(yaml.SafeDumper):
    """Dumps a shared object twice instead of as an anchor and alias (which the rule reader refuses)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _rule_texts(folder: Path) -> dict[str, str]:
    files = {"ruleset.yaml": folder / "ruleset.yaml", "facts.yaml": folder / "facts.yaml"}
    files.update({f"indicators/{p.name}": p for p in sorted((folder / "indicators").glob("*.yaml"))})
    return {name: path.read_text(encoding="utf-8") for name, path in files.items()}


MINI_TEXTS = _rule_texts(MINI)
MINI_DATA = {name: load_yaml_text(text, name).data for name, text in MINI_TEXTS.items()}

WEIRD = st.one_of(
    JSON_VALUES,
    st.sampled_from(["===", "between", "in", "all", "any", "not", "", "parkir.rambu2", "meta.population", "I99", "A++"]),
    st.sampled_from([10**400, -(10**400), 1e308, -1e308, 0, -1, 2**63, 0.1]),
    st.just([]),
    st.just({}),
)


@st.composite
def mutated_rules(draw: st.DrawFn) -> dict[str, str]:
    data = copy.deepcopy(MINI_DATA)
    texts = dict(MINI_TEXTS)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(data)))
        doc = data[name]
        paths = _places(doc)
        numeric = [p for p in paths if p and isinstance(_get(doc, p), (int, float)) and not isinstance(_get(doc, p), bool)]
        # Numbers are where overflow and range bugs hide: aim at them half the time.
        path = draw(st.sampled_from(numeric if numeric and draw(st.booleans()) else paths))
        action = draw(st.sampled_from(["drop", "swap", "swap", "empty", "nest", "huge", "rename"]))
        if not path:
            data[name] = draw(WEIRD) if action == "swap" else doc
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        key = path[-1]
        if action == "drop":
            del parent[key]
        elif action == "swap":
            parent[key] = draw(WEIRD)
        elif action == "empty":
            parent[key] = [] if isinstance(parent[key], list) else {} if isinstance(parent[key], dict) else ""
        elif action == "nest":
            value = parent[key]
            for _ in range(draw(st.integers(1, 60))):
                value = {"all": [value]} if draw(st.booleans()) else {"not": value}
            parent[key] = value
        elif action == "huge":
            parent[key] = draw(st.sampled_from([10**400, 1e308, -(10**30), 2**64]))
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["fact", "op", "value", "when", "level", "lvl", "sources"]))] = parent.pop(key)
    for name, doc in data.items():
        texts[name] = yaml.dump(doc, Dumper=_NoAliases, allow_unicode=True, sort_keys=False)
    return texts


def _load_texts(texts: dict[str, str]) -> Any:
    located = {name: load_yaml_text(text, f"mini/{name}") for name, text in texts.items()}
    indicators = [located[name] for name in sorted(located) if name.startswith("indicators/")]
    return load_ruleset_files(located["ruleset.yaml"], located["facts.yaml"], indicators, "mini", "fuzz")


@fuzz(300)
@given(texts=mutated_rules())
def test_mutated_rule_files(texts):
    try:
        ruleset = _load_texts(texts)
    except RulesError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file.startswith("mini/"), problem
            assert problem.location.line is not None and problem.location.line >= 1, problem
            assert problem.message
        return
    # A mutation that still loads must still score.
    raw = json.dumps({"meta": {"office": "X", "region_code": "11.01", "province": "Aceh", "year": 2021, "population": 600000}, "facts": {}}).encode()
    _score_or_located_error(raw, ruleset)


def test_the_unmutated_fixture_loads():
    # Guards the rule fuzzer from mutating a ruleset that never loaded in the first place.
    assert _load_texts(MINI_TEXTS).name == "mini"
