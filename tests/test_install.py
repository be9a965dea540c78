"""A normal install finds its rules; a missing rules folder says how to point at one; setup needs Python 3.11.

The wheel itself is built, installed into a new virtual environment and run from
another folder by ``scripts/check-install`` (part of ``scripts/test``); these are
the fast checks of the pieces it relies on.
"""

from __future__ import annotations

from pathlib import Path

from pentas_rules import paths

from .conftest import ROOT


def _fake_package(monkeypatch, root: Path) -> Path:
    """Make paths.py believe it sits in ``root/pentas_rules``."""
    package = root / "pentas_rules"
    package.mkdir(parents=True)
    monkeypatch.setattr(paths, "__file__", str(package / "paths.py"))
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
