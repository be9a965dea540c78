"""The strict YAML reader: what PyYAML would accept silently must be refused, with a line."""

from __future__ import annotations

import time

import pytest

from pentas_rules.errors import RulesError
from pentas_rules.ruleset.yamlsafe import MAX_RULE_FILE_BYTES, load_yaml_file, load_yaml_text

# The refusals are pinned in English; tests/test_messages.py holds a broken rules folder Indonesian by default.
pytestmark = pytest.mark.usefixtures("english")


def refused(text: str) -> str:
    with pytest.raises(RulesError) as info:
        load_yaml_text(text, "r.yaml")
    return str(info.value)


def test_plain_data_and_marks():
    located = load_yaml_text("a: 1\nb:\n  - x\n  - {c: 2.5}\n", "r.yaml")
    assert located.data == {"a": 1, "b": ["x", {"c": 2.5}]}
    assert located.mark(("b", 1, "c")) == (4, 9)
    assert located.mark(("b", 1, "c", "deeper")) == (4, 9)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: on", "on"),
        ("a: NO", "NO"),
        ("a: yes", "yes"),
        ("a: '010'", "010"),
        ("a: true", True),
        ("a: False", False),
        ("a: ~", None),
        ("a: 0", 0),
        ("a: 0.5", 0.5),
        ("a: -3", -3),
        ("a: 1e3", 1000.0),
    ],
)
def test_yaml_12_core_scalars(text, expected):
    assert load_yaml_text(text, "r.yaml").data["a"] == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: &x 1\nb: *x\n", "r.yaml:1:4: YAML anchors"),
        ("a: *x\n", "r.yaml:1"),
        ("a: !!python/object:os.system 1\n", "r.yaml:1:4: YAML tags"),
        ("a: !custom 1\n", "YAML tags"),
        ("a: 1\nb: 2\na: 3\n", "r.yaml:3:1: duplicate key 'a'"),
        ("a: 010\n", "r.yaml:1:4: ambiguous number '010'"),
        ("a: 0x1F\n", "hexadecimal or octal"),
        ("a: .inf\n", "infinity or not-a-number"),
        ("a: 1e400\n", "too large"),
        ("a: [1, 2\n", "malformed YAML"),
        ("", "the file is empty"),
        ("a: 1\n---\nb: 2\n", "single YAML document"),
        ("? [1, 2]\n: x\n", "mapping key must be a plain value"),
    ],
)
def test_refused(text, message):
    assert message in refused(text)


def test_billion_laughs_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    start = time.perf_counter()
    message = refused("\n".join(lines))
    assert "anchors" in message
    assert time.perf_counter() - start < 1.0


def test_file_over_limit_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: 1\n" + b"#" * MAX_RULE_FILE_BYTES)
    with pytest.raises(RulesError) as info:
        load_yaml_file(big)
    assert "over the limit" in str(info.value)


def test_non_utf8_rule_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(RulesError) as info:
        load_yaml_file(bad)
    assert "not valid UTF-8" in str(info.value)


def test_bom_and_crlf_accepted(tmp_path):
    f = tmp_path / "win.yaml"
    f.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: x\r\n")
    assert load_yaml_file(f).data == {"a": 1, "b": "x"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("a: " + "9" * 5000 + "\n", "r.yaml:1:4: number 999999999999... (5000 digits) is too long"),
        ('a: "text\\0more"\n', "r.yaml:1:4: a NUL character is not allowed"),
        ("a: " + "[" * 70 + "]" * 70 + "\n", "nested more than 64 levels deep"),
        ("a:\n" + "".join("  " * i + "- not:\n" for i in range(1, 40)), "nested more than 64 levels deep"),
    ],
)
def test_hostile_scalars_and_nesting_are_located_errors(text, message):
    with pytest.raises(RulesError) as info:
        load_yaml_text(text, "r.yaml")
    assert message in str(info.value)
