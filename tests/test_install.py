"""A normal install finds its rules; a missing rules folder says how to point at one; setup needs Python 3.11.

The wheel itself is built, installed into a new virtual environment and run from
another folder by ``scripts/check-install`` (part of ``scripts/test``); these are
the fast checks of the pieces it relies on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.files import paths
from pentas_rules.ruleset import loader

from .conftest import ROOT, SAMPLES


def _fake_package(monkeypatch, root: Path) -> Path:
    """Make paths.py believe it sits in ``root/pentas_rules/files``."""
    package = root / "pentas_rules"
    package.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(package / "files" / "paths.py"))
    monkeypatch.delenv("PENTAS_RULES_HOME", raising=False)
    return package


def test_an_installed_package_uses_the_data_it_ships(tmp_path, monkeypatch):
    """In site-packages there is no rules/ beside the package, only the wheel's _data/."""
    package = _fake_package(monkeypatch, tmp_path / "site-packages")
    (package / "_data").mkdir()
    assert paths.default_rules_dir() == package / "_data" / "rules" / "pentas-2021"
    assert paths.rules_schema_path() == package / "_data" / "schemas" / "rules.schema.json"


def test_a_checkout_uses_its_top_level_folders(tmp_path, monkeypatch):
    _fake_package(monkeypatch, tmp_path / "checkout")
    assert paths.default_rules_dir() == tmp_path / "checkout" / "rules" / "pentas-2021"
    monkeypatch.setenv("PENTAS_RULES_HOME", str(tmp_path / "elsewhere"))
    assert paths.rules_schema_path() == tmp_path / "elsewhere" / "schemas" / "rules.schema.json"


def test_the_repository_holds_no_packaged_copy(monkeypatch):
    """rules/ and schemas/ are the only copy in the repository: _data/ exists only in a wheel."""
    monkeypatch.delenv("PENTAS_RULES_HOME", raising=False)
    assert not (ROOT / "pentas_rules" / "_data").exists()
    assert paths.default_rules_dir() == ROOT / "rules" / "pentas-2021"


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_missing_rules_folder_says_how_to_point_at_one(tmp_path, monkeypatch, how, english):
    if how == "option":
        args, tried = ["--rules", str(tmp_path / "nope")], tmp_path / "nope"
    else:
        monkeypatch.setenv("PENTAS_RULES_HOME", str(tmp_path))
        args, tried = [], tmp_path / "rules" / "pentas-2021"
    result = CliRunner().invoke(main, ["score", str(SAMPLES / "kota-bandung.json"), *args])
    assert result.exit_code == 1
    assert f"{tried}: not a rules directory" in result.output
    assert "--rules DIR" in result.output and "PENTAS_RULES_HOME" in result.output


def test_a_rules_home_without_schemas_is_a_located_error(tmp_path, monkeypatch, english):
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    monkeypatch.setenv("PENTAS_RULES_HOME", str(tmp_path))
    monkeypatch.setenv("PENTAS_NO_CACHE", "1")
    loader._validator.cache_clear()  # the validator of the bundled schema may be remembered from other tests
    try:
        result = CliRunner().invoke(main, ["score", str(SAMPLES / "kota-bandung.json")])
    finally:
        loader._validator.cache_clear()
    assert result.exit_code == 1, result.output
    assert f"{tmp_path / 'schemas' / 'rules.schema.json'}: cannot read the rules schema" in result.output
    assert "PENTAS_RULES_HOME" in result.output and "internal error" not in result.output


@pytest.mark.parametrize("version", ["3.10.14", "3.9.18", "2.7.18"])
def test_setup_refuses_an_old_python_before_making_anything(tmp_path, version):
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "setup", project / "scripts" / "setup")
    fake = tmp_path / "bin"
    fake.mkdir()
    python = fake / "python3"
    python.write_text(f"#!/bin/sh\necho {version}\n", encoding="utf-8")  # answers the version question, makes nothing
    python.chmod(0o755)
    env = dict(os.environ, PATH=f"{fake}{os.pathsep}{os.environ['PATH']}")
    env.pop("PYTHON", None)
    result = subprocess.run(["bash", str(project / "scripts" / "setup")], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert f"needs Python 3.11 or newer; 'python3' is Python {version}." in result.stderr
    assert "PYTHON=/path/to/python3.11 bash scripts/setup" in result.stderr
    assert sorted(p.name for p in project.iterdir()) == ["scripts"]  # no .venv begun
