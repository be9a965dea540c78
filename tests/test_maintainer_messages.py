"""The rule maintainer's messages in the user's language (issue 10): schema errors worded by us,
the diff's field names and subjects, and lint's schema code.

jsonschema words its errors in English; ``schema_error_text`` words each common kind from the
error's validator, value and instance, in Indonesian by default, with a generic text for the rest.
The JSON forms of lint and diff keep their machine values; only the human text changes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from pentas_rules.errors import RulesError
from pentas_rules.maintenance.diff import RulesetDiff, diff_markdown, diff_text, structure_diff
from pentas_rules.ruleset.loader import load_ruleset
from pentas_rules.ruleset.schema_text import schema_error_text

from .conftest import MINI, RULES
from .ruletools import edit, run


def _error(schema: dict, instance: object) -> jsonschema.ValidationError:
    # The first: jsonschema reports each missing required key as an error of its own.
    return next(iter(jsonschema.Draft202012Validator(schema).iter_errors(instance)))


KEYS = {"type": "object", "properties": {"at_least": {}, "fact": {}}, "additionalProperties": False}

# (schema, instance, Indonesian text, English text): one row per error kind.
KINDS = [
    (
        KEYS,
        {"at_lest": 1, "fact": "a.b"},
        "kunci 'at_lest' tidak diperbolehkan di sini; kunci yang diperbolehkan: at_least, fact",
        "key 'at_lest' is not allowed here; the allowed keys are at_least, fact",
    ),
    (
        {"type": "object", "patternProperties": {"^[a-z]+$": {}}, "additionalProperties": False},
        {"A": 1, "B": 2, "c": 3},
        "kunci 'A', 'B' tidak diperbolehkan di sini",
        "keys 'A', 'B' are not allowed here",
    ),
    ({"required": ["source", "when"]}, {}, "kunci wajib 'source', 'when' tidak ada", "the required keys 'source', 'when' are absent"),
    (
        {"type": ["integer", "null"]},
        "lima",
        "diharapkan bilangan bulat atau nilai kosong (null), ditemukan teks 'lima'",
        "expected a whole number or nothing (null), found text 'lima'",
    ),
    ({"type": "integer"}, True, "diharapkan bilangan bulat, ditemukan true", "expected a whole number, found true"),
    ({"type": "array"}, {"a": 1}, "diharapkan daftar, ditemukan pemetaan", "expected a list, found a mapping"),
    (
        {"enum": ["reading", "general"]},
        "genreal",
        "diharapkan salah satu dari 'reading', 'general', ditemukan 'genreal'; maksud Anda 'general'?",
        "expected one of 'reading', 'general', found 'genreal'; did you mean 'general'?",
    ),
    ({"const": "pentas-diff/1"}, "x", "diharapkan 'pentas-diff/1', ditemukan 'x'", "expected 'pentas-diff/1', found 'x'"),
    ({"minimum": 1}, 0, "0 lebih kecil daripada batas terkecil 1", "0 is less than the least allowed value 1"),
    ({"maximum": 5}, 6, "6 lebih besar daripada batas terbesar 5", "6 is greater than the greatest allowed value 5"),
    ({"exclusiveMinimum": 0}, 0, "diharapkan lebih dari 0, ditemukan 0", "expected more than 0, found 0"),
    ({"minLength": 1}, "", "teks ini tidak boleh kosong", "this text must not be empty"),
    ({"minLength": 3}, "ab", "diharapkan teks paling sedikit 3 karakter, ditemukan 'ab'", "expected a text of at least 3 characters, found 'ab'"),
    (
        {"pattern": "^R[0-9]+$"},
        "r1",
        "'r1' tidak berbentuk seperti yang diharapkan (pola ^R[0-9]+$)",
        "'r1' does not have the expected form (pattern ^R[0-9]+$)",
    ),
    ({"minItems": 2}, [1], "daftar ini memerlukan paling sedikit 2 butir, ada 1", "this list needs at least 2 items, it has 1"),
    ({"maxItems": 1}, [1, 2], "daftar ini boleh berisi paling banyak 1 butir, ada 2", "this list may hold at most 1 item, it has 2"),
    ({"uniqueItems": True}, [1, 1], "daftar ini memuat butir yang sama lebih dari sekali", "this list holds the same item more than once"),
    ({"minProperties": 1}, {}, "pemetaan ini memerlukan paling sedikit 1 kunci, ada 0", "this mapping needs at least 1 key, it has 0"),
    (
        {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        1.5,
        "1.5 tidak sesuai dengan satu pun bentuk yang diperbolehkan di sini",
        "1.5 fits none of the forms allowed here",
    ),
    (
        {"oneOf": [{"type": "integer"}, {"minimum": 0}]},
        3,
        "3 sesuai dengan lebih dari satu bentuk yang diperbolehkan di sini; tulislah satu bentuk saja",
        "3 fits more than one of the forms allowed here; write one form only",
    ),
    ({"not": {"const": "x"}}, "x", "'x' tidak diperbolehkan di sini", "'x' is not allowed here"),
    (
        {"propertyNames": {"pattern": "^[a-z]+$"}},
        {"Ab": 1},
        "nama kunci: 'Ab' tidak berbentuk seperti yang diharapkan (pola ^[a-z]+$)",
        "key name: 'Ab' does not have the expected form (pattern ^[a-z]+$)",
    ),
    ({"properties": {"old": False}}, {"old": 1}, "1 tidak diperbolehkan di sini", "1 is not allowed here"),
    ({"multipleOf": 2}, 3, "3 tidak sesuai dengan skema aturan (aturan skema multipleOf)", "3 does not fit the rules schema (schema rule multipleOf)"),
]


@pytest.mark.parametrize("schema, instance, indonesian, english", KINDS, ids=[json.dumps(k[0])[:40] for k in KINDS])
def test_each_schema_error_kind_is_worded_in_both_languages(schema, instance, indonesian, english):
    error = _error(schema, instance)
    assert schema_error_text(error, "id") == indonesian
    assert schema_error_text(error, "en") == english


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def test_a_schema_problem_keeps_its_place_and_hint_and_is_said_once(mini):
    # Two keys missing from one level: jsonschema reports two errors, the reader gets one line.
    edit(mini, "indicators/01.yaml", '        source: "Nilai (3) jika ada parkir"\n', "")
    edit(mini, "ruleset.yaml", "max_level: 5", "max_levle: 5")
    with pytest.raises(RulesError) as caught:
        load_ruleset(mini)
    texts = [p.message for p in caught.value.problems]
    assert any(t.startswith("$.aggregation: kunci wajib 'max_level' tidak ada") for t in texts), texts
    assert any(
        t.startswith("$.aggregation: kunci 'max_levle' tidak diperbolehkan di sini") and t.endswith("maksud Anda 'max_level' untuk 'max_levle'?") for t in texts
    ), texts
    assert len(texts) == len(set((p.location, p.message) for p in caught.value.problems))
    assert all(p.location.line for p in caught.value.problems)


def test_lint_says_skema_in_indonesian_and_keeps_the_code_in_json(rules_copy):
    edit(rules_copy, "ruleset.yaml", "  max_level: 5\n", "  max_level: lima\n")
    shown = run("lint", str(rules_copy))
    assert shown.exit_code == 1 and " kesalahan skema $.aggregation.max_level: diharapkan bilangan bulat, ditemukan teks 'lima'" in shown.output
    assert " error schema $.aggregation.max_level: expected a whole number, found text 'lima'" in run("lint", str(rules_copy), "--lang", "en").output
    (finding,) = json.loads(run("lint", str(rules_copy), "--format", "json").output)["diagnostics"]
    assert finding["code"] == "schema"


@pytest.fixture(scope="module")
def changed_rules(tmp_path_factory):
    """The bundled ruleset and a copy with a new version, moved weights, a changed level source and citations."""
    root = tmp_path_factory.mktemp("changed") / "pentas-2021"
    shutil.copytree(RULES, root)
    kinerja = "indicators/09_kinerja.yaml"
    edit(root, kinerja, 'source: "Nilai (3) jika capaian < 90%"', 'source: "Nilai (3) jika capaian kurang dari 90%"')
    edit(
        root,
        kinerja,
        "[R02, R51, R53]\n        when: {fact: kinerja.perekaman_ktp_el_pct, less_than",
        "[R02, R51]\n        when: {fact: kinerja.perekaman_ktp_el_pct, less_than",
    )
    edit(root, "ruleset.yaml", "    weight: 3\n", "    weight: 4\n")
    edit(root, "ruleset.yaml", "    weight: 5\n    indicators: [I02,", "    weight: 4\n    indicators: [I02,")
    edit(root, "ruleset.yaml", 'version: "2021.1"', 'version: "2021.2"')
    edit(root, "ruleset.yaml", "      - {greater_than: 1500000, result: 4}", "      - {greater_than: 1500000, result: 5}")
    return load_ruleset(RULES), load_ruleset(root)


def test_diff_names_fields_and_subjects_in_the_readers_words_and_keeps_its_json(changed_rules):
    old, new = changed_rules
    changes = structure_diff(old, new)
    diff = RulesetDiff("lama", "baru", old, new, changes, None)
    text, markdown = diff_text(diff, "id"), diff_markdown(diff, "id")
    assert "diubah set aturan" in text and "**diubah** set aturan" in markdown
    for line in ("versi: 2021.1 -> 2021.2", "aspek standar_pelayanan", "bobot: 3 -> 4", "tafsiran: [R02, R51, R53] -> [R02, R51]"):
        assert line in text and line in markdown, line
    assert "sumber: Nilai (3) jika capaian < 90% -> Nilai (3) jika capaian kurang dari 90%" in text
    assert "diubah tabel acuan batas_waktu_layanan_hari" in text and "kunci meta.population: < 500000 -> 2;" in text
    english = diff_text(diff, "en")
    assert "changed aspect standar_pelayanan" in english and "weight: 3 -> 4" in english and "key meta.population: < 500000" in english
    # The JSON keeps the machine subject and details, whatever the language.
    weights = [c.to_dict() for c in changes if c.subject == "aspect standar_pelayanan"]
    assert weights[0]["details"] == ["weight: 3 -> 4"]


def test_the_weights_sum_is_written_as_the_language_writes_numbers(mini):
    edit(mini, "ruleset.yaml", "weight: 40", "weight: 40.5")
    for lang, text in (("id", "jumlah bobot aspek 100,5, diharapkan 100"), ("en", "aspect weights sum to 100.5, expected 100")):
        shown = run("test", str(mini), "--lang", lang)
        assert shown.exit_code == 1 and text in shown.output, shown.output
