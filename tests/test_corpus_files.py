"""A folder's evidence files are listed exactly as ``Path.rglob`` lists them, in Path order.

``find_evidence_files`` walks folders with one ``scandir`` each instead of ``rglob`` (which
cost a Path, a stat and a relative path per file); the rglob definition stays here as the
plain reference it must equal: the same files, the same spelling, the same order.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pentas_rules.batch.corpus import find_evidence_files

SUFFIXES = (".json", ".xlsx")


def reference(folder: Path) -> list[str]:
    """The definition before the walk: rglob, filtered, Paths sorted."""
    children = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in SUFFIXES and not p.name.startswith("~$") and p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    return [str(p) for p in children]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    files = [
        "b.json",
        "a.json",
        "A.json",
        "a/b.json",  # Path order: a/b.json before a-b/c.json, though "-" sorts before "/"
        "a-b/c.json",
        "a b/c.json",
        "a/z/deep.xlsx",
        "a..json",
        "notes.txt",
        "data.JSON",  # suffixes are case-sensitive, as under rglob
        "~$book.xlsx",  # Excel's lock file
        ".hidden.json",
        ".git/x.json",
        "ok/.cache/y.json",
        "kota-ñ.json",
    ]
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{}", encoding="utf-8")
    (root / "folder.json").mkdir()  # a folder named like evidence is not a file
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "linked.json").write_text("{}", encoding="utf-8")
    if hasattr(os, "symlink"):
        (root / "link-to-file.json").symlink_to(outside / "linked.json")
        (root / "broken.json").symlink_to(tmp_path / "missing.json")
        (root / "linked-folder").symlink_to(outside, target_is_directory=True)  # rglob does not follow it
    return root


def test_a_folder_lists_what_rglob_lists_in_path_order(tree: Path):
    listed = find_evidence_files([tree])
    assert listed == reference(tree)
    assert listed.index(str(tree / "a" / "b.json")) < listed.index(str(tree / "a-b" / "c.json"))
    assert str(tree / "~$book.xlsx") not in listed and str(tree / "ok" / ".cache" / "y.json") not in listed


@pytest.mark.parametrize("spelling", ["{}", "{}/", "./{}", "{}//", "{}/./"])
def test_files_are_spelt_as_paths_spell_them_however_the_folder_is_given(tree: Path, monkeypatch, spelling: str):
    monkeypatch.chdir(tree.parent)
    given = spelling.format(tree.name)
    assert find_evidence_files([given]) == reference(Path(given))


def test_the_current_folder(tree: Path, monkeypatch):
    monkeypatch.chdir(tree)
    assert find_evidence_files(["."]) == reference(Path(".")) and "b.json" in find_evidence_files(["."])
