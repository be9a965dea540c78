"""Helpers shared by the rule-maintainer tests (lint, test, diff): a writable copy of the rules, edits, the CLI."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from pentas_rules.cli import main


def edit(root: Path, name: str, old: str, new: str) -> Path:
    """Replace ``old`` (which must occur once) by ``new`` in ``root/name``."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, marker: str) -> int:
    """The line where ``marker`` (which occurs once in the file) starts."""
    text = path.read_text(encoding="utf-8")
    assert text.count(marker) == 1, f"marker {marker!r} must occur once in {path}"
    return text[: text.index(marker)].count("\n") + 1


def run(*args: str) -> Result:
    """``pentas ARGS`` through click's runner; no input may ever produce a traceback."""
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result
