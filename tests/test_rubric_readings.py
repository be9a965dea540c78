"""Readings of the rubric that earlier rules contradicted (issue 8, items 3 and 4).

- R52: every level of indicators 12 and 13 grades an innovation that exists and is
  applied. An office without one gets 0 on both (it used to get 3 on 13, since
  "tidak mencapai sasaran dan tidak mempercepat" was true of no innovation at all);
  when it is unknown whether there is one, the levels are undecided.
- R53: achievements against a projected target (18-20) may exceed 100 % and score in
  the top bracket; a value beyond the documented bound (200 %) is still refused with
  its location, and shares of a whole (21, 22) stay at most 100.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.engine.evaluate import evaluate
from pentas_rules.errors import EvidenceError
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.text.explain import explain_indicator

from .conftest import evidence_bytes

# An office whose innovation facts all say "no": Kepulauan Sangihe's before the fact existed.
NO_INNOVATION = {
    "inovasi.sama_tahun_sebelumnya": False,
    "inovasi.berbeda_daerah_lain": False,
    "inovasi.mendukung_target": False,
    "inovasi.berbasis_digital": False,
    "inovasi.mencapai_sasaran": False,
    "inovasi.mempercepat_layanan": False,
    "inovasi.waktu_layanan_hari": 14,
}
# An innovation that reaches its target and speeds the service up, but one day over
# the limit for a population under 500,000 (two days): 0 on indicator 13 (R08).
SLOW_INNOVATION = {
    "inovasi.ada": True,
    "inovasi.mencapai_sasaran": True,
    "inovasi.mempercepat_layanan": True,
    "inovasi.waktu_layanan_hari": 3,
}


def score(ruleset, facts, **meta):
    raw = evidence_bytes(facts, **meta)
    return evaluate(ruleset, parse_evidence(raw, "office.json", ruleset), raw)


def levels(result):
    return {ir.indicator.id: ir for ir in result.indicators()}


def test_office_without_innovation_gets_zero_not_three(ruleset):
    result = levels(score(ruleset, {"inovasi.ada": False, **NO_INNOVATION}, population=141000))
    assert result["I13"].level == 0 and result["I12"].level == 0
    assert result["I13"].determined and result["I12"].determined  # decided: no more evidence would raise them
    for ir in (result["I12"], result["I13"]):
        for level in ir.levels:
            assert level.outcome is False
            failed = [leaf.condition.fact for leaf in level.condition.leaves() if leaf.outcome is False]
            assert "inovasi.ada" in failed, f"{ir.indicator.id} L{level.value}: the missing innovation is not among the failed conditions"


def test_no_innovation_no_longer_outranks_a_working_but_slow_one(ruleset):
    none = levels(score(ruleset, {"inovasi.ada": False, **NO_INNOVATION}, population=300000))["I13"].level
    slow = levels(score(ruleset, SLOW_INNOVATION, population=300000))["I13"].level
    assert none <= slow == 0


def test_unknown_innovation_leaves_the_levels_undecided(ruleset):
    result = score(ruleset, NO_INNOVATION, population=141000)  # inovasi.ada not given
    by_id = levels(result)
    i13 = by_id["I13"]
    assert i13.level == 0 and not i13.determined
    assert i13.level_result(3).outcome is None  # undecided, not 3
    assert "inovasi.ada" in i13.missing_facts and "inovasi.ada" in by_id["I12"].missing_facts
    assert not result.complete and "inovasi.ada" in result.missing_facts


@pytest.mark.parametrize(
    "lang, line, advice",
    [
        (
            "id",
            "[-] Ada inovasi pelayanan administrasi kependudukan yang telah diterapkan: tidak (syarat: ya)  <inovasi.ada>",
            "- Ada inovasi pelayanan administrasi kependudukan yang telah diterapkan: saat ini tidak, harus ya  <inovasi.ada>",
        ),
        (
            "en",
            "[-] A population-administration service innovation exists and is applied: no (required: yes)  <inovasi.ada>",
            "- A population-administration service innovation exists and is applied: now no, must be yes  <inovasi.ada>",
        ),
    ],
)
def test_explain_says_why_there_is_no_level(ruleset, lang, line, advice):
    text = explain_indicator(score(ruleset, {"inovasi.ada": False, **NO_INNOVATION}, population=141000), "I13", lang)
    # Every level fails on the missing innovation, and the trace of each says so.
    assert text.count(line) >= 3
    # The next step is level 3 with the one change that matters: an innovation that exists.
    next_step = next(block for block in text.split("\n\n") if block.startswith(("Untuk mencapai", "Reaching")))
    assert next_step.splitlines()[-1].strip() == advice and next_step.count("\n  - ") == 1
    assert "R52" in text


@pytest.mark.parametrize(
    "fact, indicator, value",
    [
        ("kinerja.perekaman_ktp_el_pct", "I18", 100.4),
        ("kinerja.akta_kelahiran_pct", "I19", 103.2),
        ("kinerja.kia_pct", "I20", 112),
        ("kinerja.perekaman_ktp_el_pct", "I18", 200),
    ],
)
def test_achievement_over_100_scores_the_top_bracket(ruleset, fact, indicator, value):
    assert levels(score(ruleset, {fact: value}))[indicator].level == 5


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "fact, value, bound",
    [
        ("kinerja.perekaman_ktp_el_pct", 100000, 200),
        ("kinerja.akta_kelahiran_pct", 1004, 200),  # a slipped decimal point for 100.4
        ("kinerja.kia_pct", 200.1, 200),
        ("kinerja.realisasi_dak_pct", 100.4, 100),  # a share of the budget cannot pass the whole
        ("kinerja.pks_opd_pct", 100.4, 100),  # a share of the agencies
    ],
)
def test_out_of_range_achievement_is_refused_with_its_location(ruleset, fact, value, bound):
    with pytest.raises(EvidenceError) as info:
        score(ruleset, {fact: value})
    group, name = fact.split(".")
    assert f"$.facts.{group}.{name}: {value} is above the maximum of {bound} (percent)" in info.value.full_text()


@pytest.mark.usefixtures("english")
def test_cli_refuses_an_absurd_achievement_without_a_traceback(tmp_path):
    path = tmp_path / "office.json"
    path.write_bytes(evidence_bytes({"kinerja.perekaman_ktp_el_pct": 100000}))
    result = CliRunner().invoke(main, ["score", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "$.facts.kinerja.perekaman_ktp_el_pct: 100000 is above the maximum of 200 (percent)" in result.output
