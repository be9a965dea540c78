"""The evidence reader keeps each ruleset's checker on the ruleset, as the engine keeps its closures."""

from __future__ import annotations

import pytest

from pentas_rules.evidence.checker import EvidenceChecker
from pentas_rules.evidence.reader import checker_for
from pentas_rules.files.record import replace
from pentas_rules.ruleset.model import Ruleset


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
