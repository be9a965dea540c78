"""The rule cache: the same ruleset as the long way, never stale, never in the way."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.results import to_json_bytes
from pentas_rules.errors import RulesError
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.ruleset import loader
from pentas_rules.ruleset.cache import load_ruleset_cached

from .conftest import RULES, SAMPLES


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PENTAS_CACHE_DIR", str(folder))
    monkeypatch.delenv("PENTAS_NO_CACHE", raising=False)
    return folder


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "pentas-rules-cache-v1").glob("rules-*.cache"))


def _no_long_way(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the ruleset was parsed again instead of coming from the cache")

    monkeypatch.setattr(loader, "read_rule_files", refuse)


def test_cached_ruleset_equals_the_long_way(cache, monkeypatch, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    first = load_ruleset_cached(rules)
    assert len(_entries(cache)) == 1
    _no_long_way(monkeypatch)
    second = load_ruleset_cached(rules)
    assert second == first and second.fingerprint == first.fingerprint
    raw = (SAMPLES / "kota-bandung.json").read_bytes()
    a = evaluate(first, parse_evidence(raw, "k.json", first), raw)
    b = evaluate(second, parse_evidence(raw, "k.json", second), raw)
    assert to_json_bytes(a) == to_json_bytes(b)


def test_a_changed_rule_file_is_never_served_stale(cache, tmp_path, english):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    load_ruleset_cached(rules)
    path = rules / "indicators" / "09_kinerja.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("greater_than: 98}", "greater_than: 97}", 1), encoding="utf-8")
    changed = load_ruleset_cached(rules)
    assert 97 in _constants(changed.indicators["I18"])
    path.write_text(path.read_text(encoding="utf-8").replace("fact: kinerja.perekaman_ktp_el_pct", "fact: kinerja.perekaman_pct", 1), encoding="utf-8")
    with pytest.raises(RulesError, match="undeclared fact 'kinerja.perekaman_pct'"):
        load_ruleset_cached(rules)


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
    expected = load_ruleset_cached(rules)
    for entry in _entries(cache):
        data = json.loads(entry.read_text(encoding="utf-8"))
        data["files"][0]["data"]["aspects"] = "broken"
        entry.write_text(json.dumps(data), encoding="utf-8")
    assert load_ruleset_cached(rules) == expected
    for entry in _entries(cache):
        entry.write_bytes(b"\x00 not json")
    assert load_ruleset_cached(rules) == expected


def test_an_unwritable_cache_is_not_used(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("PENTAS_CACHE_DIR", str(blocker / "cache"))
    assert load_ruleset_cached(RULES).name == "pentas-2021"
    monkeypatch.setenv("PENTAS_NO_CACHE", "1")
    assert load_ruleset_cached(RULES).name == "pentas-2021"


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
    from pentas_rules.ruleset import cache as rulecache

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    path = rules / "ruleset.yaml"
    for i in range(rulecache.KEEP + 3):
        path.write_text(path.read_text(encoding="utf-8").replace('version: "', f'version: "{i}.', 1), encoding="utf-8")
        load_ruleset_cached(rules)
    assert len(_entries(cache)) == rulecache.KEEP


def test_the_fingerprint_covers_the_bytes_that_were_parsed(cache, tmp_path, monkeypatch):
    """A file saved while it is being loaded must not cache the old rules under the new bytes."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    target = rules / "indicators" / "09_kinerja.yaml"
    original = target.read_text(encoding="utf-8")
    parse = loader.load_yaml_bytes  # the loader's own reference, which it parses with

    def parse_then_save(raw, name):
        located = parse(raw, name)
        if name.endswith("09_kinerja.yaml"):  # an editor saves just after this file was read
            target.write_text(original.replace("greater_than: 98}", "greater_than: 97}", 1), encoding="utf-8")
        return located

    monkeypatch.setattr(loader, "load_yaml_bytes", parse_then_save)
    first = load_ruleset_cached(rules)
    monkeypatch.setattr(loader, "load_yaml_bytes", parse)
    second = load_ruleset_cached(rules)  # must see the saved file, from the cache or not
    assert 97 not in _constants(first.indicators["I18"])
    assert 97 in _constants(second.indicators["I18"])
    assert first.fingerprint != second.fingerprint


# --- The cache never touches a file it cannot prove it wrote -------------------------


def _hashes(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with the SHA-256 of its bytes; links by their target text."""
    import hashlib
    import os

    out = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out[name] = "link:" + os.readlink(path)
        elif path.is_file():
            out[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def _variants(tmp_path: Path, count: int) -> list[Path]:
    """``count`` copies of the bundled rules that differ in their version, so each has its own cache key."""
    out = []
    for i in range(count):
        rules = tmp_path / f"rules-{i}"
        shutil.copytree(RULES, rules)
        path = rules / "ruleset.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace('version: "', f'version: "{i}.', 1), encoding="utf-8")
        out.append(rules)
    return out


def _score_many_times(evidence_file: Path, variants: list[Path]) -> None:
    from click.testing import CliRunner

    from pentas_rules.cli import main

    for rules in variants * 2:  # every variant twice: a miss that stores and prunes, then a hit
        result = CliRunner().invoke(main, ["score", str(evidence_file), "--rules", str(rules), "--format", "json"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.output)["total"]["display"] == "93.00"


def test_a_folder_of_evidence_as_the_cache_dir_keeps_every_byte(tmp_path, monkeypatch):
    """Issue 8.2: PENTAS_CACHE_DIR pointing at evidence used to prune the evidence, the scored file too."""
    from pentas_rules.ruleset import cache as rulecache

    evidence = tmp_path / "evidence"
    shutil.copytree(SAMPLES, evidence)
    (evidence / "notes.txt").write_text("catatan penilai\n", encoding="utf-8")
    before = _hashes(evidence)
    monkeypatch.setenv("PENTAS_CACHE_DIR", str(evidence))
    monkeypatch.delenv("PENTAS_NO_CACHE", raising=False)
    monkeypatch.setattr(rulecache, "KEEP", 2)  # prune after every third variant, not the twentieth
    _score_many_times(evidence / "kota-bandung.json", _variants(tmp_path, 5))
    after = _hashes(evidence)
    assert {name: after.get(name) for name in before} == before
    own = evidence / "pentas-rules-cache-v1"
    assert {name for name in after if name not in before} == {f"{own.name}/{p.name}" for p in own.iterdir()}
    assert len(list(own.glob("rules-*.cache"))) == 2  # the cache did its job, pruned inside its own folder


@pytest.mark.parametrize("marker", [None, "Signature: 8a477f597d28d172789f06886806bc55\n# another tool's cache\n"])
def test_a_cache_folder_without_our_marker_is_left_alone(tmp_path, monkeypatch, marker):
    """A folder of that name that pentas did not create (no marker, or another tool's) is neither read, written nor pruned."""
    from pentas_rules.ruleset import cache as rulecache

    base = tmp_path / "cache"
    own = base / "pentas-rules-cache-v1"
    own.mkdir(parents=True)
    (own / f"rules-{'0' * 64}.cache").write_text("a user's file that happens to be named like an entry", encoding="utf-8")
    (own / f"{'1' * 64}.json").write_text('{"format": "pentas-rulecache/1"}', encoding="utf-8")
    (own / "kota-bandung.json").write_bytes((SAMPLES / "kota-bandung.json").read_bytes())
    if marker is not None:
        (own / "CACHEDIR.TAG").write_text(marker, encoding="utf-8")
    (base / "other.json").write_text("{}", encoding="utf-8")
    before = _hashes(base)
    monkeypatch.setenv("PENTAS_CACHE_DIR", str(base))
    monkeypatch.delenv("PENTAS_NO_CACHE", raising=False)
    monkeypatch.setattr(rulecache, "KEEP", 1)
    _score_many_times(own / "kota-bandung.json", _variants(tmp_path, 3))
    assert _hashes(base) == before


def test_a_marked_folder_holding_anything_else_is_used_read_only(cache, tmp_path, monkeypatch):
    """Something that is not an entry in the cache's own folder: entries are still read, nothing is written or pruned."""
    import os

    from pentas_rules.ruleset import cache as rulecache

    monkeypatch.setattr(rulecache, "KEEP", 1)
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    expected = load_ruleset_cached(rules)
    own = cache / "pentas-rules-cache-v1"
    assert (own / "CACHEDIR.TAG").read_text(encoding="utf-8").startswith("Signature: 8a477f597d28d172789f06886806bc55\n")
    [entry] = own.glob("rules-*.cache")
    user_file = tmp_path / "precious.json"
    user_file.write_text('{"keep": "me"}', encoding="utf-8")
    (own / "kota-bandung.json").write_bytes((SAMPLES / "kota-bandung.json").read_bytes())
    os.symlink(user_file, own / f"rules-{'f' * 64}.cache")  # named like an entry, but a link to a user's file
    outside = _hashes(tmp_path)
    variants = tmp_path / "variants"
    variants.mkdir()
    _score_many_times(SAMPLES / "kota-bandung.json", _variants(variants, 3))
    assert {name: digest for name, digest in _hashes(tmp_path).items() if not name.startswith("variants/")} == outside
    _no_long_way(monkeypatch)
    assert load_ruleset_cached(rules) == expected  # the entry written before is still served
    assert entry.exists() and user_file.read_text(encoding="utf-8") == '{"keep": "me"}'


@pytest.mark.parametrize(
    "platform, env, expected",
    [
        ("linux", {"XDG_CACHE_HOME": "/xdg/cache"}, "/xdg/cache/pentas-rules-cache-v1"),
        ("linux", {"XDG_CACHE_HOME": "relative/ignored"}, "HOME/.cache/pentas-rules-cache-v1"),
        ("linux", {}, "HOME/.cache/pentas-rules-cache-v1"),
        ("darwin", {"XDG_CACHE_HOME": "/xdg/cache"}, "HOME/Library/Caches/pentas-rules-cache-v1"),
        ("win32", {"LOCALAPPDATA": "/appdata/local"}, "/appdata/local/pentas-rules-cache-v1"),
        ("win32", {}, "HOME/AppData/Local/pentas-rules-cache-v1"),
    ],
)
def test_the_default_location_follows_the_platform(monkeypatch, tmp_path, platform, env, expected):
    import sys

    from pentas_rules.ruleset import cache as rulecache

    for name in ("PENTAS_CACHE_DIR", "PENTAS_NO_CACHE", "XDG_CACHE_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))
    assert rulecache.cache_dir() == Path(expected.replace("HOME", str(tmp_path / "home")))


def test_what_an_interrupted_write_leaves_does_not_stop_the_cache(cache, tmp_path, monkeypatch):
    """A temporary file of our own atomic write (left by a killed process) is neither foreign nor deleted."""
    from pentas_rules.ruleset import cache as rulecache

    monkeypatch.setattr(rulecache, "KEEP", 1)
    variants = _variants(tmp_path, 3)
    load_ruleset_cached(variants[0])
    first = _entries(cache)
    own = cache / "pentas-rules-cache-v1"
    leftover = own / f".rules-{'a' * 64}.cache.k3x9_q2z.tmp"
    leftover.write_text('{"format": "pentas-rulecache/1", "files": [', encoding="utf-8")
    for rules in variants[1:]:
        load_ruleset_cached(rules)
    assert len(_entries(cache)) == 1 and _entries(cache) != first  # still written and pruned
    assert leftover.read_text(encoding="utf-8") == '{"format": "pentas-rulecache/1", "files": ['


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_rests_while_an_entry_is_rebuilt_and_is_left_as_it_was(cache, monkeypatch, tmp_path, enabled):
    """Start-up: rebuilding makes thousands of objects and no garbage, so collecting meanwhile is wasted."""
    import gc

    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    load_ruleset_cached(rules)
    seen = []
    build = loader.load_ruleset_files

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return build(*args, **kwargs)

    monkeypatch.setattr(loader, "load_ruleset_files", spy)
    (gc.enable if enabled else gc.disable)()
    try:
        assert load_ruleset_cached(rules).name == "pentas-2021"
        assert seen == [False] and gc.isenabled() is enabled
    finally:
        gc.enable()


def _where_everywhere(ruleset) -> list:
    """Every location the model carries: facts, lookups, aspects, indicators, levels, condition nodes."""
    out = [spec.where for spec in ruleset.catalogue.facts.values()]
    out += [lookup.where for lookup in ruleset.lookups.values()] + [aspect.where for aspect in ruleset.aspects]
    for indicator in ruleset.indicators.values():
        out.append(indicator.where)
        for level in indicator.levels:
            out += [level.where, *(node.where for node in level.when.walk())]
    return [(w.file, w.line, w.column) for w in out if w is not None]


@pytest.mark.parametrize("rules_dir", [RULES, RULES.parent / "levelisasi-2022"], ids=["pentas", "levelisasi"])
def test_an_entry_keeps_only_the_locations_the_loader_asked_for_and_rebuilds_them_all(cache, monkeypatch, tmp_path, rules_dir):
    """Start-up: decoding every mark of every node was most of an entry's cost; the model needs a third of them."""
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir, rules)
    long_way = loader.load_ruleset(rules)
    load_ruleset_cached(rules)
    (entry,) = _entries(cache)
    files = json.loads(entry.read_text(encoding="utf-8"))["files"]
    kept = sum(len(item["where"]) for item in files)
    assert "marks" not in files[0] and 0 < kept < sum(len(f.marks) for f in _all_parsed(rules)) / 2
    _no_long_way(monkeypatch)
    cached = load_ruleset_cached(rules)
    assert cached == long_way and _where_everywhere(cached) == _where_everywhere(long_way)


def _all_parsed(rules: Path) -> list:
    ruleset_file, facts_file, indicator_files, register_file, _ = loader.read_rule_files(rules)
    return [ruleset_file, facts_file, *indicator_files, *([register_file] if register_file else [])]


def test_an_entry_lacking_a_location_the_loader_asks_for_is_loaded_the_long_way_and_rewritten(cache, tmp_path):
    """A newer loader that locates one more node must not take its ancestor's line from an older entry."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    expected = load_ruleset_cached(rules)
    (entry,) = _entries(cache)
    whole = json.loads(entry.read_text(encoding="utf-8"))
    indicator = next(item for item in whole["files"] if item["file"].startswith("indicators/"))
    dropped = indicator["where"].pop()  # the last node located in that file
    entry.write_text(json.dumps(whole), encoding="utf-8")
    assert _where_everywhere(load_ruleset_cached(rules)) == _where_everywhere(expected)
    rewritten = json.loads(entry.read_text(encoding="utf-8"))
    assert dropped in next(item for item in rewritten["files"] if item["file"] == indicator["file"])["where"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: text.replace("]", "}", 1),  # one byte of the structure changed
        lambda text: text.replace('"where":', '"wherE":', 1),
        lambda text: text.replace('"format":"pentas-rulecache/3"', '"format":"pentas-rulecache/2"', 1),
        lambda text: text.replace('"where":', '"marks":'),  # the previous format's shape under the new key
        lambda text: "",
    ],
    ids=["truncated", "flipped-byte", "flipped-key", "older-format", "old-shape", "empty"],
)
def test_a_truncated_or_older_entry_is_ignored_and_rewritten(cache, tmp_path, damage):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    expected = load_ruleset_cached(rules)
    (entry,) = _entries(cache)
    good = entry.read_text(encoding="utf-8")
    entry.write_text(damage(good), encoding="utf-8")
    assert entry.read_text(encoding="utf-8") != good
    assert load_ruleset_cached(rules) == expected
    assert entry.read_text(encoding="utf-8") == good
