"""The rule cases kept beside each ruleset (rules/<name>/tests/*.yaml), one pytest item per case.

A failing case shows the trace of every level of its indicator, so the rule that
disagrees with the rubric reading is visible at once.
"""

from __future__ import annotations

import pytest

from pentas_rules.cases import load_cases, run_case
from pentas_rules.explain import render_condition
from pentas_rules.loader import load_ruleset

from .conftest import RULES

RULESET = load_ruleset(RULES)
CASES = load_cases(RULESET)


def _trace(outcome) -> str:
    lines = []
    for level in outcome.result.levels:
        lines.append(f"level {level.value}: {level.outcome}  ({level.level.where})")
        lines.extend(render_condition(level.condition, RULESET.catalogue, "en", "    "))
    return "\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case):
    outcome = run_case(RULESET, case)
    assert outcome.passed, f"{case.where}: {case.name}: expected level {case.expect}, got {outcome.result.level}\n{_trace(outcome)}"


def test_every_level_of_every_indicator_has_a_case():
    covered = {(c.indicator, c.expect) for c in CASES}
    missing = [
        f"{ind_id} level {level.value}"
        for ind_id, ind in RULESET.indicators.items()
        for level in ind.levels
        if (ind_id, level.value) not in covered
    ]
    assert not missing, missing
    no_zero = [ind_id for ind_id in RULESET.indicators if (ind_id, 0) not in covered]
    assert not no_zero, f"indicators without a level-0 case: {no_zero}"


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
