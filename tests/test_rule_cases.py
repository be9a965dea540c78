"""The rule cases kept beside each ruleset (rules/<name>/tests/*.yaml), one pytest item per case.

A failing case shows the trace of the expected and the awarded level of each
indicator that differed, so the rule that disagrees with the rubric reading is
visible at once. The cases must also cover every level and every condition both
ways (see pentas_rules.maintenance.coverage).
"""

from __future__ import annotations

import pytest

from pentas_rules.maintenance.cases import failure_text, load_cases, run_case
from pentas_rules.maintenance.coverage import coverage_text, measure
from pentas_rules.ruleset.cache import load_ruleset_cached

from .conftest import RULES

RULESET = load_ruleset_cached(RULES)
CASES = load_cases(RULESET)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case):
    outcome = run_case(RULESET, case)
    assert outcome.passed, failure_text(outcome, RULESET)


def test_every_level_of_every_indicator_has_a_case():
    covered = {(ind, level) for c in CASES for ind, level in c.expected_levels().items()}
    missing = [f"{ind_id} level {level.value}" for ind_id, ind in RULESET.indicators.items() for level in ind.levels if (ind_id, level.value) not in covered]
    assert not missing, missing
    no_zero = [ind_id for ind_id in RULESET.indicators if (ind_id, 0) not in covered]
    assert not no_zero, f"indicators without a level-0 case: {no_zero}"


def test_cases_cover_every_level_and_condition_both_ways():
    report = measure(RULESET, [run_case(RULESET, case) for case in CASES])
    assert report.complete, coverage_text(report, str(RULES))
    levels_covered, levels, conditions_covered, conditions = report.counts()
    assert levels == sum(len(ind.levels) for ind in RULESET.indicators.values()) == levels_covered == 102
    assert conditions == conditions_covered > 400


def test_there_are_whole_office_cases_with_totals():
    offices = [c for c in CASES if c.is_office]
    assert len(offices) >= 5
    assert any(c.total_exact for c in offices) and any(not c.total_exact and c.expect_total is not None for c in offices)


@pytest.mark.parametrize(
    "indicator, fact, values",
    [
        ("I18", "kinerja.perekaman_ktp_el_pct", [90, 98]),
        ("I19", "kinerja.akta_kelahiran_pct", [85, 95]),
        ("I20", "kinerja.kia_pct", [25, 50]),
        ("I21", "kinerja.realisasi_dak_pct", [94, 98]),
        ("I22", "kinerja.pks_opd_pct", [80, 90, 100]),
        ("HAK_AKSES", "kinerja.hak_akses_jumlah", [1, 3, 4, 10, 11]),
        ("I09", "pengaduan.ditanggapi_langsung_pct", [80, 90, 100]),
        ("I11", "survei.puas_pct", [50, 60, 70, 80]),
        ("I15", "kerjasama.jumlah_instansi", [3, 4, 5]),
        ("I13", "meta.population", [500_000, 1_500_000]),
    ],
)
def test_bracket_boundaries_have_cases(indicator, fact, values):
    """Each bracket boundary of the rubric is pinned by a case at exactly that value."""
    assert fact in RULESET.indicators[indicator].facts()
    seen = {c.facts.get(fact) for c in CASES if c.indicator == indicator}
    for value in values:
        assert value in seen, f"{indicator}: no case at {fact} = {value}"
