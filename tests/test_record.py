"""The hand-written value classes on the start-up path keep a frozen dataclass's behaviour.

They are plain slotted classes (no ``@dataclass``, whose ``exec``-generated methods cost
start-up time), so equality, hashing, immutability, repr and pickling are checked here.
"""

from __future__ import annotations

import dataclasses
import pickle
from fractions import Fraction

import pytest

from pentas_rules.engine.nextstep import FactChange, NextStep
from pentas_rules.engine.results import AspectResult, ConditionResult, IndicatorResult, LevelResult
from pentas_rules.errors import EvidenceProblem, EvidenceWarning, Location, Problem, RulesProblem
from pentas_rules.evidence.model import Evidence, FactNote, OfficeMeta, Override
from pentas_rules.evidence.workbook import FactRow, SheetPlan
from pentas_rules.files.record import Record, replace
from pentas_rules.ruleset.model import AllOf, AnyOf, Compare, Where

SAMPLES = [
    OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021, 2_500_000, "2021-05-01", ("A", "B")),
    Override("ind.x", 3, "seen on site", "Budi", "2021-06-01", where="$.overrides[0]"),
    FactChange("a.b", None, frozenset({True}), ("<", "c.d")),
    NextStep(None, (FactChange("a.b", 1, frozenset({2})),)),  # type: ignore[arg-type]  # any hashable stands in for a Level
    Where("rules/a.yaml", 3, 7),
    AllOf((Compare("a.b", "==", "0.0", Where("f", 1), value=True),), "0", Where("f", 2)),
    Location("r.yaml", 4, 2),
    Problem(Location(path="$.x"), "unknown", "evidence", suggestion="y"),
    RulesProblem("r.yaml", 4, 2, "unknown key", "schema"),
    EvidenceProblem("$.facts.parkr", "unknown group", suggestion="parkir"),
    EvidenceWarning("year", "$.meta.year", "tahun lain", "another year", (("meta.year", "$.meta.year", 2020),)),
    FactNote("SK Bupati", page="4"),
    ConditionResult(Compare("a.b", "==", "0", Where("f", 1), value=True), True, actual=True, expected=True),
    LevelResult(None, None, None),  # type: ignore[arg-type]  # any value stands in for the rule nodes
    AspectResult(None, (), Fraction(1, 3), Fraction(2)),  # type: ignore[arg-type]  # any value stands in for the aspect
    SheetPlan("1. Sarana", "Aspek 1: Sarana", (FactRow("I01", "Indikator 1: ..."),)),
]


@pytest.mark.parametrize("obj", SAMPLES, ids=lambda o: type(o).__name__)
def test_value_semantics_without_dataclass_machinery(obj: Record) -> None:
    first = obj._fields[0]
    assert not dataclasses.is_dataclass(obj)  # built without exec-generated methods, for start-up time
    twin = pickle.loads(pickle.dumps(obj))
    assert twin == obj and hash(twin) == hash(obj) and twin is not obj
    assert not hasattr(obj, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, first, "changed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(obj, first)
    assert repr(obj).startswith(f"{type(obj).__name__}({first}=")


def test_equality_is_field_wise_and_class_strict() -> None:
    a = OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021)
    assert a == OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021, None, None, ())
    assert a != OfficeMeta("Dinas", "32.73", "Jawa Barat", 2022)
    assert FactChange("x", None, frozenset()) != NextStep(None, ())  # type: ignore[arg-type]  # different classes never equal
    assert repr(a) == "OfficeMeta(office='Dinas', region_code='32.73', province='Jawa Barat', year=2021, population=None, assessed_on=None, assessors=())"


def test_derived_slots_are_neither_compared_nor_copied() -> None:
    where = Where("rules/a.yaml", 3, 7)
    assert where.text == "rules/a.yaml:3:7" and str(Where("f", 2)) == "f:2"
    assert repr(where) == "Where(file='rules/a.yaml', line=3, column=7)"  # the rendering is not a field
    moved = replace(where, line=4)
    assert moved.text == "rules/a.yaml:4:7" and moved != where and replace(where) == where
    with pytest.raises(TypeError, match="no field 'lines'"):
        replace(where, lines=4)


def test_a_variant_without_slots_of_its_own_keeps_its_parents_fields():
    # AllOf and AnyOf share one junction class; each must still compare, hash and copy by its fields.
    where = Where("f.yaml", 1, 1)
    assert AllOf._fields == AnyOf._fields == ("children", "path", "where")
    assert AllOf((), "p", where) == AllOf((), "p", where) and AllOf((), "p", where) != AnyOf((), "p", where)
    assert hash(AllOf((), "p", where)) == hash(AllOf((), "p", where))


def test_a_problem_of_either_kind_pickles_as_itself() -> None:
    # Their constructors take other arguments than the fields they hold (a file, line and column
    # make the location), so they cannot be rebuilt by calling the constructor with the fields.
    for problem in (RulesProblem("r.yaml", 4, 2, "unknown key", "schema"), EvidenceProblem("$.x", "bad", "a number", "'x'")):
        twin = pickle.loads(pickle.dumps(problem))
        assert type(twin) is type(problem) and twin == problem and str(twin) == str(problem)


def test_an_indicator_result_compares_what_was_computed_and_carries_the_rest() -> None:
    where = Where("f", 1)
    trace = (True, None)
    a = IndicatorResult(where, 2, trace, plan="plan", facts={"x": 1})  # type: ignore[arg-type]  # any value stands in for the indicator
    b = IndicatorResult(where, 2, trace, plan="other", facts={}, override=None)  # type: ignore[arg-type]  # any value stands in for the indicator
    assert a == b and hash(a) == hash(b) and a != replace(a, level=3)
    assert repr(a) == f"IndicatorResult(indicator={where!r}, level=2)"
    assert replace(a, level=3).facts == {"x": 1} and pickle.loads(pickle.dumps(a)).plan == "plan"


def test_evidence_compares_field_wise_and_hashes_by_identity() -> None:
    meta = OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021)
    a, b = Evidence("a.json", meta, {"x": 1}), Evidence("a.json", meta, {"x": 1})
    assert a == b and a.notes == {} and a.notes is not b.notes
    assert hash(a) == id(a) and len({a, b}) == 2
