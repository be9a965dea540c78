"""No module of the package is over 400 lines without a sentence in its docstring saying why.

A long module is fine when it is one piece (a catalogue of checks, a vocabulary of
types); the docstring must say so, in a sentence naming the 400 lines, so that a
module that grows past the limit is either split or explained, never unnoticed.
"""

from __future__ import annotations

import ast
import re

from .conftest import ROOT

LIMIT = 400
_WHY = re.compile(r"(over|longer than|more than) 400 lines( because|:)")


def modules_unexplained(paths) -> list[str]:
    out = []
    for path in paths:
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n") + (0 if text.endswith("\n") else 1)
        if lines <= LIMIT:
            continue
        docstring = " ".join((ast.get_docstring(ast.parse(text)) or "").split())
        if not _WHY.search(docstring):
            out.append(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {lines} lines, and its docstring does not say why")
    return out


def test_long_modules_say_why():
    found = modules_unexplained(sorted((ROOT / "pentas_rules").rglob("*.py")))
    assert not found, "\n".join(found)


def test_the_check_sees_a_long_module_without_a_reason(tmp_path):
    body = "x = 1\n" * (LIMIT + 1)
    silent = tmp_path / "silent.py"
    silent.write_text('"""A module."""\n' + body, encoding="utf-8")
    explained = tmp_path / "explained.py"
    explained.write_text('"""A module.\n\nThe module is over 400 lines because it is one piece.\n"""\n' + body, encoding="utf-8")
    short = tmp_path / "short.py"
    short.write_text('"""A module."""\nx = 1\n', encoding="utf-8")
    assert [f.split(":")[0] for f in modules_unexplained([silent, explained, short])] == [str(silent)]
