"""The hand-written value classes on the start-up path keep a frozen dataclass's behaviour.

They are plain slotted classes (no ``@dataclass``, whose ``exec``-generated methods cost
start-up time), so equality, hashing, immutability, repr and pickling are checked here.
"""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from pentas_rules.engine.nextstep import FactChange, NextStep
from pentas_rules.evidence.model import OfficeMeta, Override
from pentas_rules.files.record import Record, replace
from pentas_rules.ruleset.model import AllOf, AnyOf, Compare, Where

SAMPLES = [
    OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021, 2_500_000, "2021-05-01", ("A", "B")),
    Override("ind.x", 3, "seen on site", "Budi", "2021-06-01", where="$.overrides[0]"),
    FactChange("a.b", None, frozenset({True}), ("<", "c.d")),
    NextStep(None, (FactChange("a.b", 1, frozenset({2})),)),  # type: ignore[arg-type]  # any hashable stands in for a Level
    Where("rules/a.yaml", 3, 7),
    AllOf((Compare("a.b", "==", "0.0", Where("f", 1), value=True),), "0", Where("f", 2)),
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
