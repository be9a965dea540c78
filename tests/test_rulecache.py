"""The rule cache: the same ruleset as the long way, never stale, never in the way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pentas_rules import loader
from pentas_rules.errors import RulesError
from pentas_rules.evaluate import evaluate
from pentas_rules.evidence import parse_evidence
from pentas_rules.loader import load_ruleset

from .conftest import RULES, SAMPLES


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PENTAS_CACHE_DIR", str(folder))
    monkeypatch.delenv("PENTAS_NO_CACHE", raising=False)
    return folder


def _no_long_way(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the ruleset was parsed again instead of coming from the cache")

    monkeypatch.setattr(loader, "read_rule_files", refuse)


def test_cached_ruleset_equals_the_long_way(cache, monkeypatch, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    first = load_ruleset(rules)
    assert len(list(cache.glob("*.json"))) == 1
    _no_long_way(monkeypatch)
    second = load_ruleset(rules)
    assert second == first and second.fingerprint == first.fingerprint
    raw = (SAMPLES / "kota-bandung.json").read_bytes()
    a = evaluate(first, parse_evidence(raw, "k.json", first), raw)
    b = evaluate(second, parse_evidence(raw, "k.json", second), raw)
    assert a.to_json() == b.to_json()


def test_a_changed_rule_file_is_never_served_stale(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    load_ruleset(rules)
    path = rules / "indicators" / "09_kinerja.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 98}", "value: 97}", 1), encoding="utf-8")
    changed = load_ruleset(rules)
    assert 97 in _constants(changed.indicators["I18"])
    path.write_text(path.read_text(encoding="utf-8").replace("fact: kinerja.perekaman_ktp_el_pct", "fact: kinerja.perekaman_pct", 1), encoding="utf-8")
    with pytest.raises(RulesError, match="undeclared fact 'kinerja.perekaman_pct'"):
        load_ruleset(rules)


def _constants(indicator) -> list:
    out = []
    stack = [level.when for level in indicator.levels]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", ()))
        out.append(getattr(node, "value", None))
    return out


def test_a_damaged_entry_is_ignored(cache, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    expected = load_ruleset(rules)
    for entry in cache.glob("*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["files"][0]["data"]["aspects"] = "broken"
        entry.write_text(json.dumps(data), encoding="utf-8")
    assert load_ruleset(rules) == expected
    for entry in cache.glob("*.json"):
        entry.write_bytes(b"\x00 not json")
    assert load_ruleset(rules) == expected


def test_an_unwritable_cache_is_not_used(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PENTAS_CACHE_DIR", str(blocker / "cache"))
    assert load_ruleset(RULES).name == "pentas-2021"
    monkeypatch.setenv("PENTAS_NO_CACHE", "1")
    assert load_ruleset(RULES).name == "pentas-2021"


def test_scoring_from_the_cache_loads_no_yaml_jsonschema_or_jinja2(tmp_path):
    """Start-up: a cached ruleset needs neither the YAML parser nor the schema validator."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    env = dict(os.environ, PENTAS_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PENTAS_NO_CACHE", None)
    code = """
import sys
from pentas_rules.cli import main
try:
    main(["score", "evidence_samples/kota-bandung.json"], standalone_mode=False)
finally:
    sys.stdout.flush()
print("LOADED:" + ",".join(sorted(m for m in ("yaml", "jsonschema", "jinja2") if m in sys.modules)), file=sys.stderr)
"""
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert first.returncode == 0, first.stderr
    assert "LOADED:jsonschema,yaml" in first.stderr  # the cache was empty: the long way
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert second.returncode == 0, second.stderr
    assert "LOADED:\n" in second.stderr + "\n"
    assert second.stdout == first.stdout


def test_old_entries_are_pruned(cache, tmp_path):
    from pentas_rules import rulecache

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "ruleset.yaml"
    for i in range(rulecache.KEEP + 3):
        path.write_text(path.read_text(encoding="utf-8").replace('version: "', f'version: "{i}.', 1), encoding="utf-8")
        load_ruleset(rules)
    assert len(list(cache.glob("*.json"))) == rulecache.KEEP


def test_the_fingerprint_covers_the_bytes_that_were_parsed(cache, tmp_path, monkeypatch):
    """A file saved while it is being loaded must not cache the old rules under the new bytes."""
    from pentas_rules import yamlsafe

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    target = rules / "indicators" / "09_kinerja.yaml"
    original = target.read_text(encoding="utf-8")
    parse = yamlsafe.load_yaml_bytes

    def parse_then_save(raw, name):
        located = parse(raw, name)
        if name.endswith("09_kinerja.yaml"):  # an editor saves just after this file was read
            target.write_text(original.replace("value: 98}", "value: 97}", 1), encoding="utf-8")
        return located

    monkeypatch.setattr(yamlsafe, "load_yaml_bytes", parse_then_save)
    first = load_ruleset(rules)
    monkeypatch.setattr(yamlsafe, "load_yaml_bytes", parse)
    second = load_ruleset(rules)  # must see the saved file, from the cache or not
    assert 97 not in _constants(first.indicators["I18"])
    assert 97 in _constants(second.indicators["I18"])
    assert first.fingerprint != second.fingerprint
