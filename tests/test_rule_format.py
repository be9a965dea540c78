"""The plain rule format: bare facts, comparison words, named conditions, aspect membership once.

It must build exactly the model the legacy ``{fact, op, value}`` form builds, so results and
``pentas diff`` across the format change show no difference.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.errors import RulesError
from pentas_rules.files.record import Record
from pentas_rules.ruleset.loader import load_ruleset
from pentas_rules.ruleset.model import AllOf, Compare, Where

from .conftest import MINI
from .test_diff import git
from .test_loader import break_file

PLAIN = MINI.parent / "mini-plain"


def without_where(node: Any) -> Any:
    """A model object as nested tuples, locations left out: the meaning, not where it was written."""
    if isinstance(node, Where):
        return None
    if isinstance(node, Record):
        return (type(node).__name__, tuple((name, without_where(getattr(node, name))) for name in node._fields if name != "where"))
    if isinstance(node, (tuple, list)):
        return tuple(without_where(x) for x in node)
    if isinstance(node, dict):
        return tuple((k, without_where(v)) for k, v in node.items())
    return node


def rules_error(root: Path) -> str:
    with pytest.raises(RulesError) as info:
        load_ruleset(root)
    return str(info.value)


@pytest.fixture
def plain_copy(tmp_path: Path) -> Path:
    target = tmp_path / "mini-plain"
    shutil.copytree(PLAIN, target)
    return target


def test_plain_form_builds_the_legacy_model():
    legacy, plain = load_ruleset(MINI), load_ruleset(PLAIN)
    for field in ("indicators", "aspects", "constraints", "lookups", "rule_facts"):
        assert without_where(getattr(plain, field)) == without_where(getattr(legacy, field)), field
    # the aspect comes from ruleset.yaml's list, as the legacy `aspect:` said
    assert {i.id: i.aspect_id for i in plain.indicators.values()} == {"P01": "fasilitas", "P02": "fasilitas", "P03": "kinerja"}


def test_named_condition_is_written_out_in_place_and_located_at_its_text():
    level5 = load_ruleset(PLAIN).indicators["P01"].level(5).when
    assert isinstance(level5, AllOf)
    assert [c.path for c in level5.children] == ["P01.L5.all[0]", "P01.L5.all[1]"]
    assert all(isinstance(c, Compare) and c.op == "==" and c.value is True for c in level5.children)
    # the trace points at the named condition's lines, where the maintainer edits them
    assert [(c.where.file, c.where.line) for c in level5.children] == [("indicators/01.yaml", 5), ("indicators/01.yaml", 6)]


def test_use_inside_all_splices_and_nests(plain_copy):
    break_file(
        plain_copy,
        "indicators/01.yaml",
        "      - parkir.rambu\n",
        "      - parkir.rambu\n  dengan_mutu:\n    all:\n      - {use: parkir_lengkap}\n      - {fact: mutu.nilai, at_least: A}\n",
    )
    break_file(plain_copy, "indicators/01.yaml", "when: {use: parkir_lengkap}", "when: {all: [{use: dengan_mutu}, {fact: mutu.hari, at_most: 3}]}")
    level5 = load_ruleset(plain_copy).indicators["P01"].level(5).when
    assert [(c.fact, c.op, c.value) for c in level5.children] == [
        ("parkir.ada", "==", True),
        ("parkir.rambu", "==", True),
        ("mutu.nilai", ">=", "A"),
        ("mutu.hari", "<=", 3),
    ]
    assert [c.path for c in level5.children] == [f"P01.L5.all[{i}]" for i in range(4)]


@pytest.mark.parametrize(
    ("old", "new", "fragments"),
    [
        (
            "when: {use: parkir_lengkap}",
            "when: {use: parkir_lengkp}",
            ["indicators/01.yaml:18:", "unknown named condition 'parkir_lengkp'; did you mean 'parkir_lengkap'?"],
        ),
        (
            "      - parkir.rambu\n",
            "      - parkir.rambu\n      - {use: parkir_lengkap}\n",
            ["indicators/01.yaml:7:", "named condition 'parkir_lengkap' uses itself: parkir_lengkap -> parkir_lengkap"],
        ),
        ("when: parkir.ada", "when: parkir.adaa", ["indicators/01.yaml:15:", "undeclared fact 'parkir.adaa'; did you mean 'parkir.ada'?"]),
        ("when: parkir.ada", "when: mutu.hari", ["indicators/01.yaml:15:", "a fact name alone means 'is true', but mutu.hari is a number fact; compare it"]),
        (
            "when: parkir.ada",
            "when: 'mutu.hari > 3'",
            ["indicators/01.yaml:15:", "expected a fact name (meaning: it is true), found 'mutu.hari > 3'; write a comparison as {fact: F, at_least: V}"],
        ),
        ("{fact: mutu.nilai, less_than: B}", "{fact: mutu.nilai, less_than: Q}", ["indicators/01.yaml:26:", "'Q' is not a value of enum"]),
        (
            "{fact: mutu.hari, at_most: {lookup: batas_hari}}",
            "{fact: mutu.hari, at_most: {lookup: batas_har}}",
            ["indicators/01.yaml:35:", "unknown lookup 'batas_har'; did you mean 'batas_hari'?"],
        ),
        (
            "{fact: mutu.nilai, at_least: A}\n      - level: 5",
            "{fact: mutu.nilai, at_leest: A}\n      - level: 5",
            [
                "indicators/01.yaml:29:",
                "key 'at_leest' is not allowed here; the allowed keys are fact, is, is_not, less_than, at_most, greater_than, at_least, between, in; did you mean 'at_least' for 'at_leest'?",
            ],
        ),
    ],
)
def test_plain_form_errors_are_located(plain_copy, old, new, fragments, english):
    break_file(plain_copy, "indicators/01.yaml", old, new)
    message = rules_error(plain_copy)
    for fragment in fragments:
        assert message.count(fragment) == 1, message  # located, and said once


def test_redundant_aspect_is_accepted_only_when_it_agrees(plain_copy, english):
    break_file(plain_copy, "indicators/02.yaml", "    number: 3\n", "    number: 3\n    aspect: kinerja\n")
    assert load_ruleset(plain_copy).indicators["P03"].aspect_id == "kinerja"
    break_file(plain_copy, "indicators/02.yaml", "aspect: kinerja", "aspect: fasilitas")
    assert "indicator P03 says it belongs to aspect 'fasilitas', but aspect kinerja lists it" in rules_error(plain_copy)


def test_diff_across_the_format_change_finds_no_change(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    shutil.copytree(MINI, root / "rules" / "mini")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "legacy form")
    shutil.rmtree(root / "rules" / "mini")
    shutil.copytree(PLAIN, root / "rules" / "mini")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "plain form")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["diff", "git:HEAD~1:rules/mini", "git:HEAD:rules/mini", "--format", "json", "--fail-on-change"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["old"]["fingerprint"] != report["new"]["fingerprint"]  # the files did change ...
    assert report["structure"] == []  # ... their meaning did not
