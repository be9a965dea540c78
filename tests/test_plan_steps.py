"""A plan is a sequence: making its first k steps gives exactly the k-th step's cumulative total, under both rulesets.

The office is scored again from a rewritten evidence document, not from the plan's own
rescoring, so a plan whose gains are each taken against the office as it stands (and
do not add up) fails here: a banded ruleset's criteria each "+1 level" alone, two levels
of one indicator each counting the changes they share.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules.api import read_evidence, score
from pentas_rules.cli import main
from pentas_rules.engine.plan import make_plan
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.ruleset.model import Ruleset
from tests.conftest import LEVELISASI, LEVELISASI_SAMPLES, RULES, SAMPLES, examples
from tests.strategies import evidence_docs

PENTAS = load_ruleset_cached(RULES)
BANDED = load_ruleset_cached(LEVELISASI)
CASES = [(PENTAS, p) for p in sorted(SAMPLES.glob("*.json")) + sorted((SAMPLES / "corpus").glob("*.json"))[:4]]
CASES += [(BANDED, p) for p in sorted(LEVELISASI_SAMPLES.glob("*.json"))]


def _set(doc: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    """The evidence document with some facts given new values (a sourced entry keeps its source)."""
    out = copy.deepcopy(doc)
    for name, value in facts.items():
        group, _, fact = name.partition(".")
        entries = out["meta"] if group == "meta" else out.setdefault("facts", {}).setdefault(group, {})
        if isinstance(entries.get(fact), dict):
            entries[fact]["value"] = value
        else:
            entries[fact] = value
    return out


def _total(ruleset: Ruleset, doc: dict[str, Any]) -> Fraction:
    return score(ruleset, read_evidence(doc, ruleset)).total


def _check_steps(ruleset: Ruleset, doc: dict[str, Any], top: int | None = None) -> int:
    """Every prefix of the plan, made on the evidence and scored afresh; returns the number of steps."""
    plan = make_plan(score(ruleset, read_evidence(doc, ruleset)), top)
    made: dict[str, Any] = {}
    running = plan.result.total
    for k, step in enumerate(plan.options, 1):
        made.update(step.targets)
        running += step.gain
        assert _total(ruleset, _set(doc, made)) == running, (k, step.indicator.id)  # the gains add up
        assert step.total == running
    assert plan.reachable.total == (plan.options[-1].total if plan.options else plan.result.total)
    return len(plan.options)


@pytest.mark.parametrize(("ruleset", "sample"), CASES, ids=lambda c: c.name if isinstance(c, Path) else c.name)
def test_the_first_k_steps_of_every_samples_plan_reach_exactly_its_kth_cumulative_total(ruleset, sample):
    doc = json.loads(sample.read_text(encoding="utf-8"))
    _check_steps(ruleset, doc)
    _check_steps(ruleset, doc, top=3)


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_on_drawn_evidence_the_steps_add_up_to_the_cumulative_totals(data):
    ruleset = data.draw(st.sampled_from([PENTAS, BANDED]), label="ruleset")
    _check_steps(ruleset, data.draw(evidence_docs(ruleset), label="evidence"))


def test_a_banded_plan_takes_the_cheapest_criteria_first_and_says_how_far_the_next_level_is():
    doc = json.loads((LEVELISASI_SAMPLES / "00-kab-sungaidalam-nol.json").read_text(encoding="utf-8"))
    plan = make_plan(score(BANDED, read_evidence(doc, BANDED)))
    # No criterion met: ten one-change steps; the level rises at the band edges 1, 5, 7 and 10 met.
    assert [step.total for step in plan.options] == [1, 1, 1, 1, 2, 2, 3, 3, 3, 4]
    assert sum(step.gain for step in plan.options) == plan.reachable.total - plan.result.total == 4
    assert [len(step.changes) for step in plan.options] == sorted(len(step.changes) for step in plan.options)


@pytest.mark.parametrize(
    ("lang", "plateau", "rise", "last"),
    [
        (
            "id",
            "2. K03 nilai 0 -> 1: level tetap 2; 1 kriteria lagi ke level 3 (1 perubahan)",
            "3. K04 nilai 0 -> 1: level 2 -> 3 (1 perubahan)",
            "Level bila semua perubahan di atas dilakukan: 4 (+3)",
        ),
        (
            "en",
            "2. K03 level 0 -> 1: office level stays 2; 1 more criterion to level 3 (1 change)",
            "3. K04 level 0 -> 1: office level 2 -> 3 (1 change)",
            "Level if every change above is made: 4 (+3)",
        ),
    ],
)
def test_a_banded_plan_in_words_shows_each_steps_level_and_no_gain_per_change(lang, plateau, rise, last):
    done = CliRunner().invoke(main, ["plan", str(LEVELISASI_SAMPLES / "01-kab-batuhijau-empat.json"), "--lang", lang])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert plateau in lines and rise in lines and lines[-1] == last
    assert "per perubahan" not in done.stdout and "per change" not in done.stdout and "+1,00" not in done.stdout
    assert "2 kriteria lagi ke level 4" in done.stdout if lang == "id" else "2 more criteria to level 4" in done.stdout
