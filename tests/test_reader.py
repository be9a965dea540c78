"""The evidence reader keeps each ruleset's checker on the ruleset, as the engine keeps its closures,
and works out once which ruleset a file names."""

from __future__ import annotations

import json

import pytest

from pentas_rules.batch.corpus import score_file
from pentas_rules.cli.choose import NamedRulesets
from pentas_rules.evidence import workbook_read
from pentas_rules.evidence.checker import EvidenceChecker
from pentas_rules.evidence.reader import checker_for, source_of
from pentas_rules.evidence.workbook_write import workbook_bytes
from pentas_rules.files.record import replace
from pentas_rules.ruleset.model import Ruleset

from .conftest import SAMPLES


def test_each_ruleset_owns_one_checker_found_without_comparing_rulesets(ruleset: Ruleset, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache keyed by the ruleset compares an equal ruleset field by field, over the whole rule
    tree, at every lookup; a process holding two equal rulesets (tests, a service) paid that per office."""
    twin = replace(ruleset)
    assert twin == ruleset and twin is not ruleset
    compared = []
    real_eq = Ruleset.__eq__

    def counting_eq(self: Ruleset, other: object) -> bool:
        compared.append(other)
        return real_eq(self, other)

    monkeypatch.setattr(Ruleset, "__eq__", counting_eq)
    mine = checker_for(ruleset)
    theirs = checker_for(twin)
    assert compared == []
    assert isinstance(mine, EvidenceChecker) and isinstance(theirs, EvidenceChecker)
    assert mine is not theirs  # a copy does not share the original's checker
    assert checker_for(ruleset) is mine and checker_for(twin) is theirs  # built once each
    assert ruleset.checker is mine and twin.checker is theirs


def test_a_workbook_is_opened_once_to_learn_the_ruleset_it_names(ruleset: Ruleset, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch asks a file's ruleset both to group the files and to choose its ruleset; for a
    workbook each answer meant opening it again (about 10 ms a workbook)."""
    raw = workbook_bytes(ruleset, json.loads((SAMPLES / "kota-bandung.json").read_text("utf-8")), "id")
    opened = []
    real = workbook_read.named_ruleset
    monkeypatch.setattr(workbook_read, "named_ruleset", lambda data: opened.append(1) or real(data))
    source = source_of(raw, "lembar.xlsx")
    scored = score_file(NamedRulesets(None), "lembar.xlsx", source=source)
    assert scored.error is None and scored.named == source.ruleset_name() == "pentas-2021"
    assert opened == [1]
