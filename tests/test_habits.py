"""Habits the tree keeps (issue 9): every lint or type-check exemption says why, beside it.

A ``# noqa`` must name its rule codes and a ``# type: ignore`` its error codes, each
followed by a reason, so a reader (and a reviewer of the next change) knows what was
judged safe and why, and a stale exemption is easy to spot.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest

from .conftest import ROOT

CHECKED = ("pentas_rules", "tools", "benchmarks", "tests", "scripts")

_NOQA = re.compile(r"#\s*noqa\b(?P<codes>:\s*[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)?(?P<rest>.*)$", re.IGNORECASE)
_IGNORE = re.compile(r"#\s*type:\s*ignore(?P<codes>\[[a-z0-9_,\- ]+\])?(?P<rest>.*)$")
# What follows the codes: a separator, then words ("- reason", "(reason)", "  # reason").
_REASON = re.compile(r"^\s*(?:-|—|#|\()\s*\w+(?:\W+\w+){2,}")


def exemption_problem(comment: str) -> str | None:
    """What is wrong with one comment's noqa or type: ignore, or None when it is fine (or has none)."""
    for kind, pattern in (("noqa", _NOQA), ("type: ignore", _IGNORE)):
        found = pattern.search(comment)
        if found is None:
            continue
        if not found.group("codes"):
            return f"a bare {kind}: name the codes it silences"
        if not _REASON.match(found.group("rest")):
            return f"{kind}{found.group('codes')} without a reason beside it"
    return None


def _comments(path: Path) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(tok.start[0], tok.string) for tok in tokens if tok.type == tokenize.COMMENT]


@pytest.mark.parametrize(
    ("comment", "problem"),
    [
        ("# noqa", "a bare noqa: name the codes it silences"),
        ("# noqa: F401", "noqa: F401 without a reason beside it"),
        ("# noqa: F401 - a fixture", "noqa: F401 without a reason beside it"),  # two words are not a reason
        ("# type: ignore", "a bare type: ignore: name the codes it silences"),
        ("# type: ignore[misc]", "type: ignore[misc] without a reason beside it"),
        ("# type: ignore[misc]  # never None here", None),
        ("# noqa: BLE001 - the promise is: no traceback", None),
        ("# noqa: E402  (needs ROOT on sys.path)", None),
        ("# an ordinary comment", None),
    ],
)
def test_the_check_tells_a_reasoned_exemption_from_a_bare_one(comment: str, problem: str | None) -> None:
    assert exemption_problem(comment) == problem


def test_every_noqa_and_type_ignore_in_the_tree_has_codes_and_a_reason() -> None:
    offences = []
    for folder in CHECKED:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "golden" in path.parts:
                continue
            for line, comment in _comments(path):
                problem = exemption_problem(comment)
                if problem is not None:
                    offences.append(f"{path.relative_to(ROOT)}:{line}: {problem}: {comment}")
    assert offences == []
