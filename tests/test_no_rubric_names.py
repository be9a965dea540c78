"""Nothing in the package names a fact, indicator, aspect, enum, lookup, constraint or
named condition of any ruleset under ``rules/``.

The engine must stay rubric-neutral (a second ruleset with another aggregation is
planned), so anything rubric-specific belongs in ``rules/<name>/`` as data. The names
are collected from every ruleset's files (loaded as the engine loads them, plus the
named conditions of the indicator files) and searched for as whole identifiers in
``pentas_rules/**/*.py`` and the report templates: ``parkir.ada`` matches, ``parkir.ada_x``
and ``xI05`` do not.

Two kinds of name are not searched for. The office metadata facts (``meta.year``,
``meta.population``) are the evidence format's own, declared by the engine for every
ruleset (``META_FACTS``), not the rubric's. And an id that is also a word of the code's
own vocabulary (the aspect ``data``: the package's ``_data/`` folder, a tarfile filter,
every variable holding parsed JSON) cannot be told apart from that use by a search;
each such id is listed in ``_ORDINARY_WORDS`` with its reason, and a test keeps that
list short and made of names the rulesets really give.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pentas_rules.ruleset.loader import load_ruleset
from pentas_rules.ruleset.model import META_FACTS
from pentas_rules.ruleset.yamlsafe import load_yaml_file

from .conftest import ROOT

PACKAGE = ROOT / "pentas_rules"
RULESETS = sorted(p.parent for p in (ROOT / "rules").glob("*/ruleset.yaml"))

# Ids that are also words of the code's own vocabulary, so a search cannot tell the two apart.
_ORDINARY_WORDS = {
    "data": "aspect 8 of PENTAS 2021; in the code, the _data/ folder, tarfile's 'data' filter, parsed JSON",
}


def _named_conditions(directory: Path) -> set[str]:
    names: set[str] = set()
    for path in sorted((directory / "indicators").glob("*.yaml")):
        data = load_yaml_file(path).data
        if isinstance(data, dict) and isinstance(data.get("conditions"), dict):
            names.update(data["conditions"])
    return names


def rubric_names(directory: Path) -> dict[str, str]:
    """Every name the ruleset in ``directory`` gives, with what it names."""
    rs = load_ruleset(directory)
    names: dict[str, str] = {}
    names.update({n: "fact" for n in rs.catalogue.facts})
    names.update({n: "enum" for n in rs.catalogue.enums})
    names.update({n: "lookup" for n in rs.lookups})
    names.update({c.id: "constraint" for c in rs.constraints})
    names.update({n: "named condition" for n in _named_conditions(directory)})
    names.update({a.id: "aspect" for a in rs.aspects})
    names.update({i: "indicator" for i in rs.indicators})
    for name in META_FACTS:  # the evidence format's own facts, the same in every ruleset
        del names[name]
    return names


def _pattern(name: str) -> re.Pattern[str]:
    # A whole identifier: no word character or dot just before, no word character just after
    # (a trailing dot is allowed: ``parkir.ada.`` at the end of a sentence).
    return re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")


def _package_files() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    files += sorted(p for p in PACKAGE.rglob("*") if p.is_file() and p.parent.name == "templates")
    return [p for p in files if "_data" not in p.relative_to(PACKAGE).parts]


def hits(names: dict[str, str], files: list[Path]) -> list[str]:
    patterns = {name: _pattern(name) for name in names if name not in _ORDINARY_WORDS}
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for name, pattern in patterns.items():
                if pattern.search(line):
                    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                    found.append(f"{shown}:{number}: {names[name]} {name!r}: {line.strip()}")
    return found


def test_there_is_a_ruleset_to_check():
    assert {path.name for path in RULESETS} >= {"pentas-2021", "levelisasi-2022"}, "both bundled rulesets are searched"
    names = rubric_names(next(path for path in RULESETS if path.name == "pentas-2021"))
    kinds = set(names.values())
    assert {"fact", "indicator", "aspect", "enum", "lookup"} <= kinds
    assert "HAK_AKSES" in names and "I01" in names and "I30" in names
    assert len(_package_files()) > 40 and any(p.suffix == ".j2" for p in _package_files())


def test_names_left_unsearched_are_few_and_real():
    given = set().union(*(rubric_names(d) for d in RULESETS))
    assert set(_ORDINARY_WORDS) <= given, "an entry of _ORDINARY_WORDS no ruleset gives any more: remove it"
    assert len(_ORDINARY_WORDS) <= 3
    assert not set(META_FACTS) & given


@pytest.mark.parametrize("directory", RULESETS, ids=[p.name for p in RULESETS])
def test_package_names_nothing_of_the_ruleset(directory):
    found = hits(rubric_names(directory), _package_files())
    assert not found, "the package names rubric-specific ids (move them into rules/ as data):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("parkir.ada", "if fact == 'parkir.ada':", True),
        ("parkir.ada", "x = facts['parkir.ada_x']", False),
        ("I05", "explain(result, I05)", True),
        ("I05", "xI05 = 1", False),
        ("kinerja", "# the kinerja aspect has six indicators", True),
        ("meta.population", "spec = facts['meta.population']", True),
    ],
)
def test_the_search_matches_whole_identifiers(name, line, expected, tmp_path):
    file = tmp_path / "module.py"
    file.write_text(line + "\n", encoding="utf-8")
    assert bool(hits({name: "test"}, [file])) is expected
