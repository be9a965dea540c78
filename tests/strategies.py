"""Hypothesis strategies that draw schema-valid evidence from a ruleset's fact catalogue."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from pentas_rules.ruleset.model import FactSpec, Ruleset


def fact_value(spec: FactSpec) -> st.SearchStrategy[Any]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        assert spec.enum is not None
        return st.sampled_from(spec.enum.values)
    low, high = spec.minimum, spec.maximum
    ints = st.integers(min_value=int(low), max_value=int(high))
    if spec.type == "integer":
        return ints
    # Draw boundary values often: the rubric's brackets live on whole numbers.
    return st.one_of(ints, st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False))


def fact_entry(spec: FactSpec) -> st.SearchStrategy[Any]:
    value = fact_value(spec)
    return st.one_of(
        value,
        value,
        value,
        st.none(),
        st.builds(lambda v, s: {"value": v, "source": s}, value, st.text(max_size=10)),
    )


@st.composite
def evidence_docs(draw: st.DrawFn, ruleset: Ruleset) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    for name, spec in ruleset.catalogue.facts.items():
        if name.startswith("meta."):
            continue
        if draw(st.integers(0, 9)) == 0:  # about one fact in ten left out (unknown)
            continue
        group, fact = name.split(".", 1)
        groups.setdefault(group, {})[fact] = draw(fact_entry(spec))
    meta: dict[str, Any] = {"office": "Kota Uji", "region_code": "32.73", "province": "Jawa Barat", "year": 2021}
    population = draw(st.one_of(st.none(), st.sampled_from([20_000, 499_999, 500_000, 1_500_000, 1_500_001, 5_500_000]), st.integers(1, 100_000_000)))
    if population is not None:
        meta["population"] = population
    return {"meta": meta, "facts": groups}


def to_bytes(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc).encode("utf-8")
