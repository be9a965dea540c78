"""Shared fixtures: the bundled ruleset, the small fixture ruleset, and evidence builders."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pentas_rules.messages import set_language
from pentas_rules.ruleset.cache import load_ruleset_cached

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "pentas-2021"
MINI = ROOT / "tests" / "fixtures" / "mini"
SAMPLES = ROOT / "evidence_samples"
GOLDEN = ROOT / "tests" / "golden"  # the samples' expected results, kept apart so evidence_samples/ holds only evidence
# evidence_samples/ holds the samples of every bundled ruleset: those of PENTAS 2021 at the
# top and in corpus/, the levelisasi ones in levelisasi/. A batch naming two rulesets is
# refused, so tests of PENTAS batches pass these inputs rather than the whole folder.
LEVELISASI = ROOT / "rules" / "levelisasi-2022"
LEVELISASI_SAMPLES = SAMPLES / "levelisasi"
PENTAS_INPUTS = (*sorted(str(p) for p in SAMPLES.glob("*.json")), str(SAMPLES / "corpus"))
PENTAS_INPUTS_RELATIVE = tuple(os.path.relpath(p, ROOT) for p in PENTAS_INPUTS)
PENTAS_EVIDENCE_OPTIONS = tuple(a for p in PENTAS_INPUTS_RELATIVE for a in ("--evidence", p))  # for `pentas diff`, from ROOT


def is_pentas_sample(path: str | Path) -> bool:
    """A sample of PENTAS 2021: anything under evidence_samples/ but levelisasi/."""
    return not Path(path).resolve().is_relative_to(LEVELISASI_SAMPLES)


@pytest.fixture(scope="session", autouse=True)
def _private_rule_cache(tmp_path_factory):
    """The suite keeps its rule cache to itself, so no result depends on what a user's cache holds."""
    old = os.environ.get("PENTAS_CACHE_DIR")
    os.environ["PENTAS_CACHE_DIR"] = str(tmp_path_factory.mktemp("rulecache"))
    yield
    if old is None:
        os.environ.pop("PENTAS_CACHE_DIR", None)
    else:
        os.environ["PENTAS_CACHE_DIR"] = old


@pytest.fixture(scope="session", autouse=True)
def _indonesian_environment():
    """Messages are Indonesian unless asked otherwise: the suite does not inherit the user's LANG or PENTAS_LANG."""
    saved = {name: os.environ.pop(name, None) for name in ("PENTAS_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    os.environ["LANG"] = "C.UTF-8"
    yield
    for name, value in saved.items():
        os.environ.pop(name, None)
        if value is not None:
            os.environ[name] = value


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the environment's language, whatever the one before it chose with --lang."""
    set_language(None)


@pytest.fixture
def english(monkeypatch):
    """For a test that pins the English wording of a message: Indonesian is the default (tests/test_messages.py checks it)."""
    monkeypatch.setenv("PENTAS_LANG", "en")
    set_language("en")  # core functions called directly, not through the CLI, use the active language
    yield
    set_language(None)


def examples(quick: int) -> int:
    """How many examples a hypothesis test draws: a quick count in the normal run,
    PENTAS_FUZZ_EXAMPLES (set by `make fuzz`) in the long fuzzing run."""
    long_run = os.environ.get("PENTAS_FUZZ_EXAMPLES")
    return int(long_run) if long_run else quick


@pytest.fixture(scope="session")
def ruleset():
    return load_ruleset_cached(RULES)


@pytest.fixture(scope="session")
def levelisasi():
    return load_ruleset_cached(LEVELISASI)


@pytest.fixture(scope="session")
def mini():
    return load_ruleset_cached(MINI)


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped ruleset, for breaking it on purpose."""
    target = tmp_path / "copy" / "pentas-2021"
    shutil.copytree(RULES, target)
    return target


@pytest.fixture
def runner() -> CliRunner:
    """A CLI runner that keeps stderr apart from stdout, on every supported click."""
    try:
        return CliRunner(mix_stderr=False)  # click < 8.2 mixes stderr into output unless asked not to
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart already


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture ruleset, for breaking it on purpose."""
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def office_meta(**overrides: Any) -> dict[str, Any]:
    meta = {"office": "Disdukcapil Kota Contoh", "region_code": "32.73", "province": "Jawa Barat", "year": 2021, "population": 600000}
    meta.update(overrides)
    return meta


def evidence_bytes(facts: dict[str, Any], **meta: Any) -> bytes:
    """An evidence document from dotted fact names (grouped as the format requires)."""
    groups: dict[str, dict[str, Any]] = {}
    for name, value in facts.items():
        group, fact = name.split(".", 1)
        groups.setdefault(group, {})[fact] = value
    return json.dumps({"meta": office_meta(**meta), "facts": groups}).encode("utf-8")
