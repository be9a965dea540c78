"""Refuse to write an output over one of the command's own inputs, before anything is read.

``pentas report X.json -o X.json`` used to replace the evidence with its own
report, and ``snapshot --out`` equal to ``--evidence`` went on to call every
evidence file a stale result to delete. Every command that writes files calls
:func:`refuse_overwrite` first, with the files it reads (evidence, rule files,
case files, and the folders they were found in) and every file or folder it
would write; a match stops the command with a :class:`PentasError` naming both.

Two paths are the same when they resolve to the same path (``./x``,
``../dir/x``, absolute or relative, symbolic links) or when they are the same
file on disk (same device and inode: hard links, and names that differ only in
case on a case-insensitive file system). Only ``stat`` calls are made: the check
costs one ``lstat`` per path however large the files are.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import PentasError, printable
from ..messages import message
from .paths import default_rules_dir, rules_schema_path

__all__ = ["evidence_inputs", "folder_files", "refuse_overwrite", "rule_inputs"]

# What a path is known by: its resolved form, and its (device, inode) when it exists.
_Identity = tuple[str, "tuple[int, int] | None"]


class _Resolver:
    """Resolve many paths cheaply: a folder is resolved once, not once per file in it."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def identity(self, path: str | Path) -> _Identity:
        text = os.fspath(path)
        try:
            info = os.lstat(text)
        except (OSError, ValueError):  # absent (an output not written yet), or an unusable name
            info = None
        if info is not None and stat.S_ISLNK(info.st_mode):
            resolved = os.path.realpath(text)
            try:
                info = os.stat(text)
            except (OSError, ValueError):
                info = None  # a dangling link: writing through it creates its target, named by `resolved`
        else:
            # The name itself is not a link, so only its folder can be one.
            head, tail = os.path.split(os.path.abspath(text))
            folder = self._folders.get(head)
            if folder is None:
                folder = self._folders[head] = os.path.realpath(head)
            resolved = os.path.join(folder, tail)
        inode = (info.st_dev, info.st_ino) if info is not None else None
        return os.path.normcase(resolved), inode


def folder_files(folder: str | Path) -> list[str]:
    """Every file under ``folder`` (recursively), for guarding a folder the command reads whole, such as the rules."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return sorted(str(p) for p in root.rglob("*") if p.is_file())


def rule_inputs(rules_dir: str | Path | None) -> list[tuple[str, str]]:
    """The files a command reads to load its rules: every file of the rules folder, and the rules schema."""
    folder = rules_dir if rules_dir is not None else default_rules_dir()
    return [*(("rule file", f) for f in folder_files(folder)), ("rules schema", str(rules_schema_path()))]


def evidence_inputs(given: Iterable[str | Path], files: Iterable[str]) -> list[tuple[str, str]]:
    """The evidence files of a batch and the folders they were found in (writing over a folder is refused too)."""
    folders = [("evidence folder", os.fspath(g)) for g in given if os.path.isdir(g)]
    return [*(("evidence file", f) for f in files), *folders]


# The roles the commands name their files by, worded in the user's language by the catalogue.
_ROLES = {
    "evidence file": "role.evidence_file",
    "evidence file (--from)": "role.evidence_file_from",
    "evidence folder": "role.evidence_folder",
    "input file": "role.input_file",
    "rule file": "role.rule_file",
    "rule case file": "role.rule_case_file",
    "rules schema": "role.rules_schema",
    "output file (-o)": "role.output_file",
    "output folder (--out)": "role.output_folder",
    "result (--out)": "role.result",
    "report (--reports)": "role.report",
    "results file (--results)": "role.results_file",
    "JUnit file (--junit)": "role.junit_file",
}


def _role(what: str) -> str:
    return message(_ROLES[what]) if what in _ROLES else what


def refuse_overwrite(inputs: Iterable[tuple[str, str | Path]], outputs: Iterable[tuple[str, str | Path]]) -> None:
    """Raise PentasError (exit 1) when an output is one of the inputs.

    ``inputs`` and ``outputs`` are ``(what, path)`` pairs; ``what`` names the role
    in the message ("evidence file", "rule file", "output file (-o)", ...). An
    output of ``-`` is standard output and never collides.
    """
    resolver = _Resolver()
    by_path: dict[str, tuple[str, str]] = {}
    by_inode: dict[tuple[int, int], tuple[str, str]] = {}
    for what, path in inputs:
        if os.fspath(path) == "-":
            continue
        resolved, inode = resolver.identity(path)
        entry = (what, os.fspath(path))
        by_path.setdefault(resolved, entry)
        if inode is not None:
            by_inode.setdefault(inode, entry)
    for what, path in outputs:
        if os.fspath(path) == "-":
            continue
        resolved, inode = resolver.identity(path)
        hit = by_path.get(resolved) or (by_inode.get(inode) if inode is not None else None)
        if hit is None:
            continue
        kind, original = hit
        given = os.fspath(path)
        folder = os.path.isdir(original)
        same = "" if given == original else message("files.same_folder" if folder else "files.same_file")
        raise PentasError(
            message(
                "files.is_input_folder" if folder else "files.would_overwrite",
                given=printable(given),
                what=_role(what),
                kind=_role(kind),
                original=printable(original),
                same=same,
            )
        )
