"""The next-step advice: the fewest fact changes that make a higher level hold.

Unit tests on small hand-built condition trees, properties on the shipped
ruleset (the changes really make the level hold, and no smaller set of changes
does, checked by brute force), and the issue's indicator-13 example through
explain, score and the report.
"""

from __future__ import annotations

import itertools
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from pentas_rules.cli import main
from pentas_rules.engine.evaluate import evaluate_indicator
from pentas_rules.engine.nextstep import apply_changes, changes_to_reach, next_step
from pentas_rules.ruleset.analysis import NumberSet
from pentas_rules.ruleset.model import AllOf, AnyOf, Catalogue, Compare, EnumSpec, FactSpec, Indicator, Level, Lookup, LookupBand, Not, Where
from pentas_rules.text.explain import indicator_reason

from .conftest import evidence_bytes, examples
from .ruletools import edit
from .test_analysis import RULESETS, _candidates

W = Where("t.yaml", 1, 1)
GRADES = EnumSpec("grade", ("C", "B", "A"))


def catalogue() -> Catalogue:
    specs = [
        FactSpec("a", "bool", "a", "a"),
        FactSpec("b", "bool", "b", "b"),
        FactSpec("c", "bool", "c", "c"),
        FactSpec("x", "number", "x", "x", unit="percent", minimum=0, maximum=100),
        FactSpec("n", "integer", "n", "n", minimum=0, maximum=50),
        FactSpec("days", "number", "days", "days", unit="days", minimum=0, maximum=365),
        FactSpec("pop", "integer", "pop", "pop", minimum=0, maximum=10_000_000),
        FactSpec("g", "enum", "g", "g", enum=GRADES),
        FactSpec("apbd", "integer", "apbd", "apbd", unit="rupiah", minimum=0, maximum=1000),
        FactSpec("dak", "integer", "dak", "dak", unit="rupiah", minimum=0, maximum=1000),
    ]
    return Catalogue({s.name: s for s in specs}, {"grade": GRADES}, {})


CAT = catalogue()
LIMIT = Lookup("limit", "pop", (LookupBand("<", 500000, 2), LookupBand("between", (500000, 1500000), 3), LookupBand(">", 1500000, 4)))
_paths = itertools.count()


def cmp(fact, op, value=None, *, other=None, lookup=None):
    return Compare(fact, op, f"p{next(_paths)}", W, value, other, lookup)


def all_(*children):
    return AllOf(tuple(children), f"p{next(_paths)}", W)


def any_(*children):
    return AnyOf(tuple(children), f"p{next(_paths)}", W)


def not_(child):
    return Not(child, f"p{next(_paths)}", W)


def indicator(*conditions):
    levels = tuple(Level(value, f"level {value}", cond, W) for value, cond in conditions)
    return Indicator("T1", 1, "x", "q", "q", levels, W)


def summary(changes):
    return None if changes is None else [(c.fact, c.current, c.allowed) for c in changes]


def closed(lo, hi, integer=False):
    return NumberSet.of(lo, True, hi, True, integer)


T, F = frozenset({True}), frozenset({False})


def test_all_lists_only_the_parts_that_fail():
    cond = all_(cmp("a", "==", True), cmp("b", "==", True), cmp("c", "==", True))
    assert summary(changes_to_reach(CAT, cond, {"a": True, "b": False, "c": False})) == [("b", False, T), ("c", False, T)]
    assert changes_to_reach(CAT, cond, {"a": True, "b": True, "c": True}) == ()


def test_any_takes_the_cheapest_alternative():
    cond = any_(all_(cmp("a", "==", True), cmp("b", "==", True)), cmp("c", "==", True))
    assert summary(changes_to_reach(CAT, cond, {"a": False, "b": False, "c": False})) == [("c", False, T)]
    # With a already true, the first alternative is as cheap and comes first as written.
    assert summary(changes_to_reach(CAT, cond, {"a": True, "b": False, "c": False})) == [("b", False, T)]


def test_not_is_pushed_down_through_all_and_any():
    # not(any(a, b)) needs both false; not(all(a, b)) needs only one false.
    both = not_(any_(cmp("a", "==", True), cmp("b", "==", True)))
    one = not_(all_(cmp("a", "==", True), cmp("b", "==", True)))
    facts = {"a": True, "b": True}
    assert summary(changes_to_reach(CAT, both, facts)) == [("a", True, F), ("b", True, F)]
    assert summary(changes_to_reach(CAT, one, facts)) == [("a", True, F)]


def test_one_fact_required_twice_gets_one_value_meeting_both():
    # x >= 5 in one branch and x <= 3 beside it cannot both hold: that branch is dropped,
    # and the other branch (flag c plus x <= 3) is the answer, not "x >= 5 and x <= 3".
    cond = all_(any_(cmp("x", ">=", 5), cmp("c", "==", True)), cmp("x", "<=", 3))
    assert summary(changes_to_reach(CAT, cond, {"x": 4, "c": False})) == [("x", 4, closed(0, 3)), ("c", False, T)]
    # Two brackets on one fact intersect into one requirement, counted once.
    bracket = all_(cmp("x", ">=", 90), cmp("x", "<=", 98))
    assert summary(changes_to_reach(CAT, bracket, {"x": 80})) == [("x", 80, closed(90, 98))]


def test_numeric_brackets_and_the_value_to_reach():
    (change,) = changes_to_reach(CAT, cmp("x", "between", (90, 98)), {"x": 80})
    assert change.allowed == closed(90, 98) and change.example(CAT) == 90
    (above,) = changes_to_reach(CAT, cmp("x", ">", 98), {"x": 95})
    assert above.allowed == NumberSet.of(98, False, 100, True) and 98 < above.example(CAT) < 98.1
    (whole,) = changes_to_reach(CAT, cmp("n", ">", 10), {"n": 3})
    assert whole.allowed == NumberSet.of(11, True, 50, True, integer=True) and whole.example(CAT) == 11
    (grade,) = changes_to_reach(CAT, cmp("g", ">=", "B"), {"g": "C"})
    assert grade.allowed == frozenset({"B", "A"}) and grade.example(CAT) == "B"


def test_a_lookup_key_is_kept_and_only_the_compared_fact_changes():
    cond = all_(cmp("a", "==", True), cmp("days", "<=", lookup=LIMIT))
    # 3 days with a population under 500.000: the limit is 2. Moving the population into
    # the next band would also be "one change", but the advice never asks for that.
    assert summary(changes_to_reach(CAT, cond, {"a": True, "days": 3, "pop": 262000})) == [("days", 3, closed(0, 2))]
    assert summary(changes_to_reach(CAT, cond, {"a": True, "days": 3, "pop": 900000})) == []
    # An unknown key is evidence to supply: one change of its own.
    unknown_key = changes_to_reach(CAT, cond, {"a": True, "days": 3})
    assert [c.fact for c in unknown_key] == ["pop"] and unknown_key[0].unknown


def test_unknown_facts_count_as_one_change_each():
    cond = all_(cmp("a", "==", True), cmp("x", ">=", 50))
    changes = changes_to_reach(CAT, cond, {})
    assert summary(changes) == [("a", None, T), ("x", None, closed(50, 100))]
    assert all(c.unknown for c in changes)


def test_a_relation_between_two_facts_changes_one_side():
    cond = cmp("apbd", ">", other="dak")
    assert summary(changes_to_reach(CAT, cond, {"apbd": 5, "dak": 10})) == [("apbd", 5, closed(11, 1000, True))]
    # Both unknown: both are supplied, and the relation is stated with the first.
    changes = changes_to_reach(CAT, cond, {})
    assert [c.fact for c in changes] == ["apbd", "dak"] and changes[0].relation == (">", "dak")
    applied = apply_changes(CAT, {}, changes)
    assert applied["apbd"] > applied["dak"]
    # The other side at the end of its range leaves no room: it has to change too.
    changes = changes_to_reach(CAT, cond, {"dak": 1000})
    assert [(c.fact, c.current) for c in changes] == [("apbd", None), ("dak", 1000)]
    applied = apply_changes(CAT, {"dak": 1000}, changes)
    assert applied["apbd"] > applied["dak"]
    assert summary(changes_to_reach(CAT, cmp("apbd", "<", other="dak"), {"apbd": 1000, "dak": 3})) == [("apbd", 1000, closed(0, 2, True))]


def test_a_level_that_cannot_hold_gives_none():
    never = all_(cmp("x", ">", 5), cmp("x", "<", 3))
    assert changes_to_reach(CAT, never, {"x": 4}) is None
    assert next_step(CAT, indicator((1, never)), 0, {"x": 4}) is None


def test_ties_go_to_the_higher_level_and_the_cheapest_level_wins():
    ind = indicator((1, cmp("a", "==", True)), (2, cmp("b", "==", True)), (3, all_(cmp("a", "==", True), cmp("b", "==", True))))
    step = next_step(CAT, ind, 0, {"a": False, "b": False})
    assert step.value == 2 and summary(step.changes) == [("b", False, T)]
    # Level 3 needs one change once a holds, as does level 2: the higher one is advised.
    step = next_step(CAT, ind, 1, {"a": True, "b": False})
    assert step.value == 3 and summary(step.changes) == [("b", False, T)]
    assert next_step(CAT, ind, 3, {"a": True, "b": True}) is None


def test_the_level_just_above_is_not_advised_when_a_higher_one_is_cheaper():
    ind = indicator(
        (3, all_(cmp("a", "==", False), cmp("b", "==", False))),
        (4, all_(cmp("a", "==", True), cmp("b", "==", False))),
        (5, all_(cmp("a", "==", True), cmp("days", "<=", lookup=LIMIT))),
    )
    step = next_step(CAT, ind, 0, {"a": True, "b": True, "days": 6, "pop": 262000})
    assert step.value == 5 and summary(step.changes) == [("days", 6, closed(0, 2))]


# -- the shipped ruleset ---------------------------------------------------------------------

RULES = RULESETS["pentas-2021"]


def i13_facts(given):
    """``given``, and every other yes/no fact indicator 13 reads as yes (so a fact added to it later stays met)."""
    others = {f: True for f in RULES.indicators["I13"].facts() if RULES.catalogue.facts[f].type == "bool"}
    return {**others, **given}


I13_FACTS = i13_facts({"inovasi.mencapai_sasaran": True, "inovasi.mempercepat_layanan": True, "inovasi.waktu_layanan_hari": 6, "meta.population": 262000})


def test_issue_example_indicator_13():
    result = evaluate_indicator(RULES, "I13", I13_FACTS)
    assert result.level == 0
    step = next_step(RULES.catalogue, result.indicator, result.level, result.facts)
    assert step.value == 5
    assert summary(step.changes) == [("inovasi.waktu_layanan_hari", 6, closed(0, 2))]
    after = evaluate_indicator(RULES, "I13", apply_changes(RULES.catalogue, I13_FACTS, step.changes))
    assert after.level == 5


@st.composite
def office(draw):
    """An indicator and its facts, each drawn around the rules' thresholds or left unknown."""
    ind_id = draw(st.sampled_from(sorted(RULES.indicators)))
    facts = {}
    for fact in RULES.indicators[ind_id].facts():
        # Mostly known, so the brute force below has small answers to check.
        if draw(st.integers(0, 4)) > 0:
            facts[fact] = draw(st.sampled_from(_candidates(RULES, fact)))
    return ind_id, facts


def _lookup_keys(condition):

    return {leaf.lookup.key for leaf in condition.comparisons() if leaf.lookup is not None}


def _reachable_with(level, ind_id, facts, subset):
    """Whether some values of the facts in ``subset`` (every other fact as it is) make ``level`` hold."""
    choices = [_candidates(RULES, fact) for fact in subset]
    for values in itertools.product(*choices):
        trial = dict(facts)
        trial.update(zip(subset, values, strict=True))
        if evaluate_indicator(RULES, ind_id, trial).level_result(level.value).outcome is True:
            return True
    return False


@settings(max_examples=examples(150), deadline=None)
@given(office())
def test_changes_make_the_level_hold_and_no_fewer_would(case):
    ind_id, facts = case
    indicator = RULES.indicators[ind_id]
    current = evaluate_indicator(RULES, ind_id, facts).level
    for level in indicator.levels:
        if level.value <= current:
            continue
        changes = changes_to_reach(RULES.catalogue, level.when, facts)
        if changes is None:
            continue
        after = evaluate_indicator(RULES, ind_id, apply_changes(RULES.catalogue, facts, changes))
        assert after.level_result(level.value).outcome is True, (ind_id, level.value, facts, changes)
        # Minimal: no smaller set of the level's facts can be changed to make it hold. A
        # known lookup key is held as it is, as the advice holds it; brute force is
        # bounded to answers of up to three changes to keep the run short.
        if len(changes) > 3:
            continue
        fixed = {k for k in _lookup_keys(level.when) if k in facts}
        free = [f for f in level.when.facts() if f not in fixed]
        for size in range(len(changes)):
            for subset in itertools.combinations(free, size):
                assert not _reachable_with(level, ind_id, facts, subset), (ind_id, level.value, facts, subset, changes)


@settings(max_examples=examples(150), deadline=None)
@given(office())
def test_following_the_advice_awards_exactly_the_level_advised(case):
    ind_id, facts = case
    result = evaluate_indicator(RULES, ind_id, facts)
    step = next_step(RULES.catalogue, result.indicator, result.level, result.facts)
    if step is None:
        return
    assert step.value > result.level
    assert evaluate_indicator(RULES, ind_id, apply_changes(RULES.catalogue, facts, step.changes)).level == step.value
    # Every other level above the current one needs at least as many changes (more, if higher).
    for level in result.indicator.levels:
        if level.value > result.level and level.value != step.value:
            other = changes_to_reach(RULES.catalogue, level.when, facts)
            if other is not None:
                assert len(other) > len(step.changes) or (len(other) == len(step.changes) and level.value < step.value)


# -- explain, score and the report ------------------------------------------------------------


@pytest.fixture
def i13_file(tmp_path):
    facts = {k: v for k, v in I13_FACTS.items() if not k.startswith("meta.")}
    path = tmp_path / "i13.json"
    path.write_bytes(evidence_bytes(facts, population=262000))
    return str(path)


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_explain_advises_level_5_not_missing_the_target(i13_file):
    out = run("explain", i13_file, "I13")
    assert "Untuk mencapai nilai 5 perlu 1 perubahan:" in out
    assert "  - Lama waktu kerja pelayanan dokumen dengan inovasi, dalam hari: saat ini 6 hari, harus paling banyak 2 hari  <inovasi.waktu_layanan_hari>" in out
    advice = out[out.index("Untuk mencapai nilai") : out.index("Tafsiran yang dipakai")]
    assert "mencapai_sasaran" not in advice and "mempercepat_layanan" not in advice
    english = run("explain", i13_file, "I13", "--lang", "en")
    assert "Reaching level 5 needs 1 change:" in english
    assert "  - Service time with the innovation (days): now 6 days, must be at most 2 days  <inovasi.waktu_layanan_hari>" in english


def test_explain_names_evidence_to_supply(tmp_path):
    path = tmp_path / "none.json"
    path.write_bytes(evidence_bytes({}, population=262000))
    out = run("explain", str(path), "I13", "--lang", "en")
    # Levels 4 and 5 need as many facts supplied: the tie goes to level 5.
    assert re.search(r"Reaching level 5 needs \d+ changes:", out)
    assert "Service time with the innovation (days): no evidence yet, must be at most 2 days" in out
    assert "The innovation reaches its target: no evidence yet, must be yes  <inovasi.mencapai_sasaran>" in out


def test_score_reason_uses_the_same_advice(i13_file):
    result = evaluate_indicator(RULES, "I13", I13_FACTS)
    assert indicator_reason(result, RULES.catalogue, "id") == (
        "tidak ada kriteria yang terpenuhi; untuk nilai 5 perlu 1 perubahan: "
        "Lama waktu kerja pelayanan dokumen dengan inovasi, dalam hari (syarat: paling banyak 2 hari)"
    )
    assert "level 5 needs 1 change" in run("score", i13_file, "--lang", "en")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_card_shows_the_advice(i13_file, fmt):
    for lang, heading, requirement in (
        ("id", "Untuk mencapai nilai 5 perlu 1 perubahan", "paling banyak 2 hari"),
        ("en", "Reaching level 5 needs 1 change", "at most 2 days"),
    ):
        out = run("report", i13_file, "-o", "-", "--format", fmt, "--lang", lang)
        card = out[out.index("13:") :]
        card = card[: card.index("14:")]
        assert heading in card and requirement in card
        assert "mencapai_sasaran" not in card and ("Inovasi mencapai sasaran" if lang == "id" else "reaches its target") not in card


def test_explain_says_when_no_higher_level_can_be_reached(rules_copy, tmp_path):
    # Level 5 of indicator 13 made self-contradictory: with level 4 awarded, nothing higher is reachable.
    edit(
        rules_copy,
        "indicators/06_inovasi.yaml",
        "- {fact: inovasi.waktu_layanan_hari, at_most: {lookup: batas_waktu_layanan_hari}}",
        "- {fact: inovasi.mencapai_sasaran, is: false}",
    )
    path = tmp_path / "i13.json"
    path.write_bytes(evidence_bytes(i13_facts({"inovasi.mencapai_sasaran": True, "inovasi.mempercepat_layanan": False})))
    for lang, text in (
        ("id", "Tidak ada nilai yang lebih tinggi yang dapat dicapai dengan mengubah fakta."),
        ("en", "No higher level can be reached by changing facts."),
    ):
        out = run("explain", str(path), "I13", "--rules", str(rules_copy), "--lang", lang)
        assert f"\n\n{text}\n\n" in out and "perubahan" not in out and "change" not in out
        for fmt in ("md", "html"):
            report = run("report", str(path), "-o", "-", "--format", fmt, "--rules", str(rules_copy), "--lang", lang)
            card = report[report.index("13:") :]
            assert text in card[: card.index("14:")]
