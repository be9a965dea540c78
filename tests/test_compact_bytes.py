"""A compact line is exactly ``dumps_line(to_compact(result))``, whichever way it is written.

``compact_line`` writes a record in three parts (the members before the indicators and after
them by orjson, each checked; the indicators joined from each row's member, spelt by hand once
per distinct row). These tests hold its bytes to json's spelling of the whole record, for every
sample of both rulesets and for what sends a part back to json: a float under 1e-4, text
beyond ASCII, a note, an override and a warning.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pentas_rules.batch.corpus import find_evidence_files
from pentas_rules.engine import compact as compact_module
from pentas_rules.engine.compact import compact_line, to_compact
from pentas_rules.engine.evaluate import evaluate
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.ruleset.model import Ruleset

from .conftest import LEVELISASI, RULES, SAMPLES, is_pentas_sample

SAMPLE_FILES = sorted(find_evidence_files([SAMPLES]))


def _json_line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _rules(path: str | Path) -> Ruleset:
    return load_ruleset_cached(RULES if is_pentas_sample(path) else LEVELISASI)


def _result(doc: dict[str, Any], rules: Ruleset) -> Any:
    raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return evaluate(rules, parse_evidence(raw, "kantor.json", rules), raw)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: Path(p).name)
def test_every_sample_s_line_is_json_s_spelling_of_its_record(path: str) -> None:
    rules = _rules(path)
    raw = Path(path).read_bytes()
    result = evaluate(rules, parse_evidence(raw, path, rules), raw)
    line = compact_line(result)
    assert line == _json_line(to_compact(result))
    assert compact_line(result) == line  # the second time from the rows' members kept


def test_what_orjson_may_spell_otherwise_is_still_json_s_spelling() -> None:
    rules = load_ruleset_cached(RULES)
    doc = json.loads((SAMPLES / "kota-madiun.json").read_bytes())
    number = next(name for name, spec in rules.catalogue.facts.items() if spec.type == "number" and (spec.minimum or 0) <= 0)
    group, fact = number.split(".", 1)
    tiny = copy.deepcopy(doc)
    tiny["facts"].setdefault(group, {})[fact] = 1e-05  # json writes 1e-05, orjson 1e-5
    rich = copy.deepcopy(doc)
    rich["meta"]["office"] = "Dinas Kependudukan Kota Madiun \u2014 \u00dcji \U0001f600"
    rich["meta"]["year"] = rules.year - 1  # a warning
    rich["facts"].setdefault(group, {})[fact] = {"value": 2.5, "source": 'Laporan "e-5": 0.00001', "page": "4"}
    indicator = next(iter(rules.indicators.values()))
    rich["overrides"] = [{"indicator": indicator.id, "level": indicator.levels[-1].value, "reason": "Dinilai ulang", "assessor": "Tim", "date": "2021-06-01"}]
    for variant in (tiny, rich):
        result = _result(variant, rules)
        record = to_compact(result)
        assert compact_line(result) == _json_line(record)
    assert "1e-05" in _json_line(to_compact(_result(tiny, rules))).decode()
    assert {"warnings", "overrides", "notes"} <= to_compact(_result(rich, rules)).keys()


def test_a_row_s_member_is_json_s_spelling_of_it() -> None:
    member = compact_module._row_member
    for row in (("I9", 1, (True, None, False)), ("I9", True, (True, None, False)), ('\u00e9"x', 2, ())):
        assert member(*row) == _json_line({row[0]: {"level": row[1], "trace": compact_module._trace_text(row[2])}})[1:-2]
    assert member("I9", True, (True,)) == b'"I9":{"level":true,"trace":"+"}'  # not the member of the level 1 cached above


@pytest.mark.parametrize("file", ["kantor.json", 'di "sini"\\kantor \u00fc.json', "folder/001-kab-\u00e9.json", "tab\there.json", "lone-\ud800.json"])
def test_the_file_name_spelt_into_the_record_and_its_reproduce_command_is_json_s(file: str) -> None:
    """The provenance and the reproduce command around the file name are spelt once per ruleset, the
    name by orjson: quotes, backslashes, text beyond ASCII, a control character and a lone surrogate
    (which orjson refuses, so the whole record goes to json) all come out as json writes them."""
    rules = load_ruleset_cached(RULES)
    raw = (SAMPLES / "kota-madiun.json").read_bytes()
    result = evaluate(rules, parse_evidence(raw, file, rules), raw)
    assert compact_line(result) == _json_line(to_compact(result))


def test_a_row_handed_out_again_is_spelt_from_its_identity_and_each_row_by_its_own_value(monkeypatch: pytest.MonkeyPatch) -> None:
    # The process-wide caches as a fresh process has them, whatever earlier tests left there.
    monkeypatch.setattr(compact_module, "_BY_ROW", {})
    monkeypatch.setattr(compact_module, "_HELD", {})
    one, true = ("I9", 1, (True, None)), ("I9", True, (True, None))  # equal, hashing equal, spelt differently
    spelt = b'"I9":{"level":1,"trace":"+?"},"I9":{"level":true,"trace":"+?"}'
    assert compact_module._members([one, true]) == spelt
    assert {id(one), id(true)} <= compact_module._BY_ROW.keys()  # the second time, found by identity
    assert compact_module._members([one, true]) == spelt
    monkeypatch.setattr(compact_module, "MEMBERS_LIMIT", 0)
    other = ("I9", 2, (False,))
    assert compact_module._members([other]) == b'"I9":{"level":2,"trace":"-"}'
    assert id(other) not in compact_module._BY_ROW  # full: spelt by value, not remembered
