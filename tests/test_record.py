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

SAMPLES = [
    OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021, 2_500_000, "2021-05-01", ("A", "B")),
    Override("ind.x", 3, "seen on site", "Budi", "2021-06-01", where="$.overrides[0]"),
    FactChange("a.b", None, frozenset({True}), ("<", "c.d")),
    NextStep(None, (FactChange("a.b", 1, frozenset({2})),)),  # type: ignore[arg-type]  # any hashable stands in for a Level
]


@pytest.mark.parametrize("obj", SAMPLES, ids=lambda o: type(o).__name__)
def test_value_semantics_without_dataclass_machinery(obj: object) -> None:
    assert not dataclasses.is_dataclass(obj)  # built without exec-generated methods, for start-up time
    twin = pickle.loads(pickle.dumps(obj))
    assert twin == obj and hash(twin) == hash(obj) and twin is not obj
    assert not hasattr(obj, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.__setattr__(obj.__slots__[0], "changed")  # type: ignore[attr-defined]  # every sample has slots
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(obj, obj.__slots__[0])  # type: ignore[attr-defined]  # every sample has slots
    assert repr(obj).startswith(f"{type(obj).__name__}({obj.__slots__[0]}=")  # type: ignore[attr-defined]  # as above


def test_equality_is_field_wise_and_class_strict() -> None:
    a = OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021)
    assert a == OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021, None, None, ())
    assert a != OfficeMeta("Dinas", "32.73", "Jawa Barat", 2022)
    assert FactChange("x", None, frozenset()) != NextStep(None, ())  # type: ignore[arg-type]  # different classes never equal
    assert repr(a) == "OfficeMeta(office='Dinas', region_code='32.73', province='Jawa Barat', year=2021, population=None, assessed_on=None, assessors=())"
