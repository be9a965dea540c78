"""Loading rules: every kind of broken rule file gives a located RulesError, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from pentas_rules.errors import RulesError
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.ruleset.model import AllOf, Compare, Not


def break_file(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def load_error(root: Path) -> RulesError:
    with pytest.raises(RulesError) as info:
        load_ruleset_cached(root)
    return info.value


def test_mini_loads(mini):
    assert [a.id for a in mini.aspects] == ["fasilitas", "kinerja"]
    assert list(mini.indicators) == ["P01", "P02", "P03"]
    p03 = mini.indicators["P03"]
    assert [lv.value for lv in p03.levels] == [3, 4, 5]
    level5 = p03.level(5).when
    assert isinstance(level5, AllOf) and isinstance(level5.children[1], Not)
    leaf = level5.children[0]
    assert isinstance(leaf, Compare) and leaf.where.file == "indicators/02.yaml" and leaf.where.line == 18
    assert mini.indicators["P03"].level(4).when.value == (90, 98)
    assert "meta.population" in mini.rule_facts


def test_fingerprint_is_stable_and_content_sensitive(mini_copy):
    first = load_ruleset_cached(mini_copy).fingerprint
    assert load_ruleset_cached(mini_copy).fingerprint == first
    break_file(mini_copy, "indicators/02.yaml", "value: 90}", "value: 91}")
    assert load_ruleset_cached(mini_copy).fingerprint != first


CASES = [
    # (file, old, new, expected fragment of the first problem)
    (
        "indicators/01.yaml",
        "fact: parkir.rambu,",
        "fact: parkir.rambu2,",
        "indicators/01.yaml:16:22: condition on undeclared fact 'parkir.rambu2'; did you mean 'parkir.rambu'?",
    ),
    ("indicators/01.yaml", "    levels:\n      - level: 3", "    levels:\n      - level: 3\n        bogus: 1", "indicators/01.yaml:8"),
    (
        "indicators/01.yaml",
        'op: "==", value: true}\n      - level: 5',
        'op: "==", value: "ya"}\n      - level: 5',
        "expected true or false for bool fact parkir.ada, found 'ya'",
    ),
    ("indicators/01.yaml", 'op: "<", value: "B"', 'op: "<", value: "Q"', "'Q' is not a value of enum grade"),
    ("indicators/02.yaml", 'op: "<", value: 90', 'op: "<", value: 190', "190 is above the maximum 100 of fact kinerja.capaian_pct"),
    ("indicators/02.yaml", "value: [90, 98]", "value: [98, 90]", "bounds [98, 90] are in the wrong order"),
    ("indicators/02.yaml", "value: [90, 98]", "value: 90", "'between' needs a list [low, high]"),
    (
        "indicators/01.yaml",
        'fact: parkir.ada, op: "==", value: true}\n      - level: 5',
        'fact: parkir.ada, op: ">", value: true}\n      - level: 5',
        "operator '>' does not apply to bool fact parkir.ada",
    ),
    ("indicators/01.yaml", "lookup: batas_hari", "lookup: batas_harii", "unknown lookup 'batas_harii'; did you mean 'batas_hari'?"),
    ("indicators/02.yaml", "other_fact: kinerja.dak_rp", "other_fact: parkir.ada", "cannot compare integer fact kinerja.apbd_rp with bool fact parkir.ada"),
    (
        "indicators/01.yaml",
        '      - level: 5\n        source: "Nilai (5) jika ada parkir',
        '      - level: 7\n        source: "Nilai (5) jika ada parkir',
        "level 7 is outside 1..5",
    ),
    ("indicators/01.yaml", "      - level: 4\n", "      - level: 1\n", "level 1 is defined twice"),
    ("indicators/02.yaml", "  - id: P03", "  - id: P01", "indicator id P01 is defined twice"),
    ("ruleset.yaml", "weight: 60", "weight: 50", "aspect weights sum to 90, expected 100"),
    ("ruleset.yaml", "indicators: [P03]", "indicators: [P3]", "aspect kinerja lists unknown indicator 'P3'; did you mean 'P03'?"),
    ("ruleset.yaml", "indicators: [P01, P02]", "indicators: [P01]", "indicator P02 is in no aspect"),
    ("ruleset.yaml", "enums:\n  grade:", "enums:\n  grades:", "unknown enum 'grade'"),
    ("facts.yaml", "min: 0, max: 100", "min: 100, max: 0", "min 100 is greater than max 0"),
    ("facts.yaml", 'type: bool, description_id: "Ada tempat parkir"', 'type: boolean, description_id: "Ada tempat parkir"', "facts.yaml:6"),
    ("indicators/01.yaml", '        source: "Nilai (3) jika ada parkir"\n', "", "the required key 'source' is absent"),
    ("indicators/01.yaml", "    levels:\n      - level: 1", "    levels: []\n    old:\n      - level: 1", "indicators/01.yaml"),
    ("ruleset.yaml", "max_level: 5", "max_level: on", "max_level: expected a whole number, found text 'on'"),
    (
        "indicators/02.yaml",
        '{fact: kinerja.capaian_pct, op: "<", value: 90}',
        '{fact: kinerja.capaian_pct, op: "<", value: 90, other_fact: kinerja.dak_rp}',
        "indicators/02.yaml:10",
    ),
    ("indicators/02.yaml", '{fact: kinerja.capaian_pct, op: "<", value: 90}', '{fact: kinerja.capaian_pct, op: "~", value: 90}', "indicators/02.yaml:10"),
    ("ruleset.yaml", 'version: "1"', 'version: &v "1"', "ruleset.yaml:2:10: YAML anchors"),
]


@pytest.mark.parametrize("file, old, new, fragment", CASES, ids=[c[3][:40] for c in CASES])
def test_broken_rules_are_located(mini_copy, file, old, new, fragment, english):
    break_file(mini_copy, file, old, new)
    error = load_error(mini_copy)
    text = error.full_text()
    assert fragment in text
    first = error.problems[0]
    assert first.file.startswith(str(mini_copy))
    assert first.location.line is not None or "in no aspect" in text or "weights" in text


@pytest.mark.usefixtures("english")
def test_all_problems_are_collected(mini_copy):
    break_file(mini_copy, "indicators/01.yaml", "fact: parkir.rambu,", "fact: parkir.rambu2,")
    break_file(mini_copy, "indicators/02.yaml", 'op: "<", value: 90', 'op: "<", value: 190')
    error = load_error(mini_copy)
    assert len(error.problems) == 2
    assert "and 1 more problem" in str(error)


def test_invalid_yaml_file_is_located(mini_copy, english):
    (mini_copy / "indicators" / "03.yaml").write_text("indicators:\n  - id: X\n    levels: [\n", encoding="utf-8")
    error = load_error(mini_copy)
    assert "indicators/03.yaml:4" in str(error) and "malformed YAML" in str(error)


@pytest.mark.parametrize("content", ["", "- 1\n- 2\n", "just text\n"])
def test_non_mapping_rule_file(mini_copy, content):
    (mini_copy / "facts.yaml").write_text(content, encoding="utf-8")
    error = load_error(mini_copy)
    assert "facts.yaml" in str(error)


def test_missing_directory_and_files(tmp_path, english):
    assert "not a rules directory" in str(load_error(tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    text = load_error(tmp_path / "empty").full_text()
    assert "missing ruleset.yaml" in text and "missing facts.yaml" in text and "no indicator files" in text


def test_whole_numbers_written_as_decimals_load_as_integers(mini_copy):
    # JSON Schema's "integer" admits 5.0; scoring once failed on it with an internal TypeError.
    break_file(mini_copy, "ruleset.yaml", "max_level: 5\n", "max_level: 5.0\n")
    break_file(mini_copy, "ruleset.yaml", "    number: 1\n", "    number: 1.0\n")
    break_file(mini_copy, "indicators/01.yaml", "      - level: 3\n", "      - level: 3.0\n")
    break_file(mini_copy, "indicators/01.yaml", "    number: 1\n", "    number: 1.0\n")
    ruleset = load_ruleset_cached(mini_copy)
    assert type(ruleset.aggregation.max_level) is int and ruleset.aggregation.max_level == 5
    assert all(type(level.value) is int for ind in ruleset.indicators.values() for level in ind.levels)
    assert type(ruleset.aspects[0].number) is int and type(ruleset.indicators["P01"].number) is int
