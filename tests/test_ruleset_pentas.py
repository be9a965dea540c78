"""The bundled PENTAS 2021 ruleset against its rubric: structure, verbatim sources, schema."""

from __future__ import annotations

import json
import re
from fractions import Fraction

from pentas_rules.evidence.reader import evidence_schema

from .conftest import ROOT, RULES

RUBRIC = (RULES / "rubric" / "pentas-2021.txt").read_text(encoding="utf-8")


def normalise(text: str) -> str:
    """The rubric's words without its markup: tags and list bullets removed, white space joined."""
    text = re.sub(r"</?[A-Za-z][^>]*>", " ", text)
    text = re.sub(r"(^|\s)- ", " ", text)
    return re.sub(r"\s+", " ", text).strip()


NORMALISED = normalise(RUBRIC)


def test_structure(ruleset):
    assert ruleset.name == "pentas-2021"
    assert len(ruleset.aspects) == 13
    assert sum(Fraction(a.weight) for a in ruleset.aspects) == 100
    assert len(ruleset.indicators) == 31
    numbers = sorted(ind.number for ind in ruleset.indicators.values() if ind.number is not None)
    assert numbers == list(range(1, 31))
    weights = {a.id: a.weight for a in ruleset.aspects}
    assert weights == {
        "standar_pelayanan": 3,
        "sarana_prasarana": 5,
        "sipp": 2,
        "pengaduan": 5,
        "kualitas_pelayanan": 10,
        "inovasi": 15,
        "komitmen_pimpinan": 5,
        "data": 5,
        "kinerja": 5,
        "sdm": 15,
        "arsip": 5,
        "blangko": 5,
        "go_digital": 20,
    }
    by_aspect = {a.id: a.indicator_ids for a in ruleset.aspects}
    assert by_aspect["kinerja"] == ("I18", "I19", "I20", "I21", "I22", "HAK_AKSES")
    assert len(by_aspect["sdm"]) == 4


def test_levels_defined_by_the_rubric(ruleset):
    # Which levels each indicator defines, read from the rubric's "Nilai (n)" criteria.
    expected = {
        "I01": [3, 4, 5],
        "I02": [4, 5],
        "I03": [1, 2, 3, 4, 5],
        "I04": [3, 4, 5],
        "I05": [3, 4, 5],
        "I06": [3, 4, 5],
        "I07": [3, 4, 5],
        "I08": [3, 4, 5],
        "I09": [1, 2, 3, 4, 5],
        "I10": [1, 2, 3, 4, 5],
        "I11": [1, 2, 3, 4, 5],
        "I12": [3, 4, 5],
        "I13": [3, 4, 5],
        "I14": [1, 2, 3, 4, 5],
        "I15": [3, 4, 5],
        "I16": [1, 2, 3, 4, 5],
        "I17": [3, 4, 5],
        "I18": [3, 4, 5],
        "I19": [3, 4, 5],
        "I20": [3, 4, 5],
        "I21": [3, 4, 5],
        "I22": [3, 4, 5],
        "HAK_AKSES": [3, 4, 5],
        "I23": [1, 5],
        "I24": [1, 5],
        "I25": [1, 5],
        "I26": [1, 5],
        "I27": [3, 4, 5],
        "I28": [3, 4, 5],
        "I29": [1, 2, 3, 4, 5],
        "I30": [3, 4, 5],
    }
    assert {ind_id: [lv.value for lv in ind.levels] for ind_id, ind in ruleset.indicators.items()} == expected


def test_every_source_is_verbatim_rubric_text(ruleset):
    for ind in ruleset.indicators.values():
        assert normalise(ind.question) in NORMALISED, f"{ind.id} question not verbatim: {ind.question!r}"
        for level in ind.levels:
            assert level.source == normalise(level.source), f"{level.where}: source has markup or extra spaces"
            assert level.source in NORMALISED, f"{level.where}: source is not verbatim rubric text: {level.source!r}"
            assert f"({level.value})" in level.source, f"{level.where}: source of level {level.value} is another level's sentence"


def test_every_declared_fact_is_used(ruleset):
    declared = {name for name in ruleset.catalogue.facts if not name.startswith("meta.")}
    assert declared - set(ruleset.rule_facts) == set()


def test_committed_evidence_schema_is_fresh(ruleset):
    committed = json.loads((ROOT / "schemas" / "evidence.schema.json").read_text(encoding="utf-8"))
    assert committed == evidence_schema(ruleset), "schemas/evidence.schema.json is stale: run `pentas schema > schemas/evidence.schema.json`"
