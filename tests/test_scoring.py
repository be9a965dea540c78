"""Scoring policies, exact arithmetic and half-up display rounding."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.scoring import display
from pentas_rules.evidence.reader import parse_evidence

from .conftest import evidence_bytes


@pytest.mark.parametrize(
    "value, shown",
    [
        (Fraction(0), "0.00"),
        (Fraction(100), "100.00"),
        (Fraction(1, 8), "0.13"),  # 0.125 rounds half-up, not to even
        (Fraction(3, 8), "0.38"),
        (Fraction(1005, 1000), "1.01"),  # exact: a float 1.005 would round down
        (Fraction(2, 3), "0.67"),
        (Fraction(1, 3), "0.33"),
        (Fraction(-1, 8), "-0.13"),
        (Fraction(1127, 15), "75.13"),
    ],
)
def test_display_half_up(value, shown):
    assert display(value) == shown


def test_weighted_mean_of_levels(mini):
    raw = evidence_bytes({"parkir.ada": True, "parkir.rambu": False, "mutu.nilai": "C", "kinerja.capaian_pct": 95})
    result = evaluate(mini, parse_evidence(raw, "o.json", mini), raw)
    levels = {ir.indicator.id: ir.level for ir in result.indicators()}
    assert levels == {"P01": 3, "P02": 1, "P03": 4}
    fasilitas, kinerja = result.aspects
    assert fasilitas.mean == Fraction(2) and fasilitas.contribution == Fraction(2, 5) * 40
    assert kinerja.mean == Fraction(4) and kinerja.contribution == Fraction(4, 5) * 60
    assert result.total == Fraction(16) + Fraction(48)


def test_three_valued_logic_and_missing(mini):
    raw = evidence_bytes({"parkir.ada": True})
    result = evaluate(mini, parse_evidence(raw, "o.json", mini), raw)
    p01 = result.indicator("P01")
    assert p01.level == 3 and not p01.determined and p01.missing_facts == ("parkir.rambu",)
    assert [lv.outcome for lv in p01.levels] == [True, None]
    p03 = result.indicator("P03")
    assert p03.level == 0 and [lv.outcome for lv in p03.levels] == [None, None, None]
    assert not result.complete
    assert set(result.missing_facts) == {"parkir.rambu", "mutu.nilai", "mutu.hari", "kinerja.capaian_pct", "kinerja.apbd_rp", "kinerja.dak_rp"}
    assert result.completeness == Fraction(2, 8)  # parkir.ada and meta.population


def test_false_dominates_unknown_in_all(mini):
    # P03 level 5: capaian > 98 (false) and not(apbd <= dak) (unknown) -> false, not unknown
    raw = evidence_bytes({"kinerja.capaian_pct": 50})
    result = evaluate(mini, parse_evidence(raw, "o.json", mini), raw)
    assert [lv.outcome for lv in result.indicator("P03").levels] == [True, False, False]
    assert result.indicator("P03").determined


def test_lookup_threshold_by_population(mini):
    for population, days, held in [
        (499_999, 2, True),
        (499_999, 3, False),
        (500_000, 3, True),
        (1_500_000, 3, True),
        (1_500_001, 4, True),
        (1_500_001, 4.5, False),
    ]:
        raw = evidence_bytes({"mutu.nilai": "A", "mutu.hari": days}, population=population)
        result = evaluate(mini, parse_evidence(raw, "o.json", mini), raw)
        assert (result.indicator("P02").level == 5) is held, (population, days)


def test_lookup_unknown_without_population(mini):
    raw = evidence_bytes({"mutu.nilai": "A+", "mutu.hari": 1}, population=None)
    doc = raw.replace(b', "population": null', b"")
    result = evaluate(mini, parse_evidence(doc, "o.json", mini), doc)
    p02 = result.indicator("P02")
    assert p02.level == 4 and not p02.determined and "meta.population" in p02.missing_facts


def test_decimal_weights_are_exact(mini_copy):
    """A weight of 16.65 means 333/20: the weights sum exactly to 100, and a contribution of
    1.665 shows 1.67 (half-up), not 1.66 as the nearest binary float 16.6499... would give."""
    from pentas_rules.ruleset.cache import load_ruleset_cached

    path = mini_copy / "ruleset.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("weight: 40", "weight: 16.65").replace("weight: 60", "weight: 83.35"), encoding="utf-8")
    rules = load_ruleset_cached(mini_copy)
    raw = evidence_bytes({"parkir.ada": False, "mutu.nilai": "C"})  # P01 gets 0, P02 gets 1
    result = evaluate(rules, parse_evidence(raw, "o.json", rules), raw)
    fasilitas = result.aspects[0]
    assert fasilitas.mean == Fraction(1, 2)
    assert fasilitas.contribution == Fraction(333, 200) and display(fasilitas.contribution) == "1.67"
