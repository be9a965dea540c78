"""Nothing in the package names a fact, indicator or aspect of any bundled ruleset.

The engine, CLI, reports and workbook are one program for every ruleset: a rule that
only one rubric needs is data in its folder. This test reads every fact, indicator and
aspect id of BOTH bundled rulesets (PENTAS 2021 and levelisasi 2022) and looks for each
in the package's code: every string literal of the Python modules (tokenised: code can
only act on a rubric's name through a string, while a docstring or comment using an
id as an example of the input is documentation, and a variable called ``data`` is not
the aspect of that name) and the whole text of the report templates.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from pentas_rules.ruleset.cache import load_ruleset_cached

from .conftest import LEVELISASI, ROOT, RULES

PACKAGE = ROOT / "pentas_rules"
# Ids that are also ordinary words of code, with why a hit says nothing about a rubric.
ORDINARY_WORDS = {
    "data": "PENTAS's aspect 'Data' has the id every program uses: a dict key, tarfile's 'data' filter, HTML data- attributes",
}


def rubric_names() -> set[str]:
    """Every fact, indicator and aspect id of both bundled rulesets (office metadata is the engine's own)."""
    names: set[str] = set()
    for folder in (RULES, LEVELISASI):
        ruleset = load_ruleset_cached(folder)
        names |= {name for name in ruleset.catalogue.facts if not name.startswith("meta.")}
        names |= {group.split(".", 1)[0] for group in ruleset.catalogue.facts if not group.startswith("meta.")}
        names |= set(ruleset.indicators)
        names |= {aspect.id for aspect in ruleset.aspects}
    return names - ORDINARY_WORDS.keys()


def _code_text(path: Path) -> str:
    """The non-docstring string literals of a module, one per line."""
    out: list[str] = []
    previous = tokenize.NEWLINE
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT):
            pass  # a docstring (or a bare string statement): documentation
        elif token.type == tokenize.STRING:
            out.append(token.string)
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type
    return "\n".join(out)


def _sources() -> list[tuple[str, str]]:
    files = sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts and "_data" not in p.parts)
    return [
        (p.relative_to(ROOT).as_posix(), _code_text(p) if p.suffix == ".py" else p.read_text(encoding="utf-8")) for p in files if p.suffix in (".py", ".j2")
    ]


def find_hits(names: set[str], sources: list[tuple[str, str]]) -> list[str]:
    hits = []
    for name in sorted(names):
        pattern = re.compile(r"(?<![A-Za-z0-9_.])" + re.escape(name) + r"(?![A-Za-z0-9_])")
        hits += [f"{file}: {name}" for file, text in sources if pattern.search(text)]
    return hits


def test_both_rulesets_are_searched():
    names = rubric_names()
    assert {"I05", "HAK_AKSES", "kinerja", "parkir.rambu"} <= names  # PENTAS 2021
    assert {"K01", "K10", "indikator_nasional", "cakupan.kia_pct", "pemakaman"} <= names  # levelisasi 2022


def test_the_package_names_no_fact_indicator_or_aspect():
    hits = find_hits(rubric_names(), _sources())
    assert not hits, "the package names rubric-specific ids (move the rule into rules/<name>/ as data):\n" + "\n".join(hits)


@pytest.mark.parametrize("line", ['if result.indicator("K04") is None:', 'LABEL = {"cakupan.kia_pct": "KIA"}', 'ASPECTS = ["kinerja"]'])
def test_a_name_in_code_is_found(line, tmp_path):
    """The search is not blind: an id in a string literal is a hit, in a docstring it is not."""
    module = tmp_path / "m.py"
    module.write_text(f'"""Explain K04 and kinerja and cakupan.kia_pct."""\n{line}\n', encoding="utf-8")
    assert find_hits(rubric_names(), [("m.py", _code_text(module))])
    module.write_text('"""Explain K04 and kinerja and cakupan.kia_pct."""\nx = 1\n', encoding="utf-8")
    assert not find_hits(rubric_names(), [("m.py", _code_text(module))])
