"""The fast path agrees with its reference: evidence validation with the JSON Schema.

Evidence is validated in two ways: checks compiled from the catalogue (fast, for
the common valid case) and the generated JSON Schema run by jsonschema (slow,
the reference, which locates every problem). Documents drawn here start valid and
are then damaged at random places: a value replaced by any JSON value, a key
added or removed, a fact written as an object with odd keys.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules.evidence.reader import _all_problems, _schema_validator, fast_path_accepts, parse_evidence

from .conftest import SAMPLES, examples
from .strategies import evidence_docs, to_bytes

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([0, 1, -1, 5.0, 0.5, 100, 100.0, 100.5, 2021, 2021.0, 1900, 2101, 10**8, 10**8 + 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["", "A", "A+", "B", "Z", "32.73", "32.73\n", "3273", "2021-06-01", "pentas-2021", "value"]),
    # Half a surrogate pair survives json.dumps as an escape and must be refused as text.
    st.sampled_from(["\ud800", "Kota \udfff", "\ud83d\ude00"]),
    st.just(10**40),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["value", "source", "note", "x", "ada"]), inner, max_size=3)),
    max_leaves=6,
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside the document."""
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_places(value, path + (key,)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_places(value, path + (i,)))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


# The bundled samples are valid starting points that cost nothing to draw; one
# in four starts from freshly drawn evidence instead, for variety.
SAMPLE_DOCS = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.json"))]


@st.composite
def damaged_docs(draw: st.DrawFn, ruleset: Any) -> dict[str, Any]:
    start = draw(st.one_of(st.sampled_from(SAMPLE_DOCS), st.sampled_from(SAMPLE_DOCS), st.sampled_from(SAMPLE_DOCS), evidence_docs(ruleset)))
    doc = copy.deepcopy(start)
    for _ in range(draw(st.integers(0, 3))):
        places = _places(doc)
        path = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "replace", "add", "remove", "wrap"]))
        if not path:
            if action == "add":
                doc[draw(st.sampled_from(["extra", "$schema", "ruleset"]))] = draw(JSON_VALUES)
            elif action == "remove" and doc:
                doc.pop(draw(st.sampled_from(sorted(doc))))
            continue
        parent, key = _get(doc, path[:-1]), path[-1]
        if action == "replace":
            parent[key] = draw(JSON_VALUES)
        elif action == "wrap":
            parent[key] = {"value": parent[key], draw(st.sampled_from(["source", "note", "sumber"])): draw(JSON_SCALARS)}
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "rambu2", "value", "note", "population", "assessors"]))] = draw(JSON_VALUES)
        elif action == "remove" and isinstance(parent, dict):
            del parent[key]
    return doc


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_fast_path_agrees_with_the_json_schema(ruleset, data):
    doc = data.draw(damaged_docs(ruleset))
    schema_valid = not any(True for _ in _schema_validator(ruleset).iter_errors(doc))
    assert fast_path_accepts(doc, ruleset) == schema_valid
    assert (not _all_problems(doc, ruleset)) == schema_valid


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_fast_and_slow_paths_read_the_same_facts(ruleset, data):
    raw = to_bytes(data.draw(evidence_docs(ruleset)))
    fast = parse_evidence(raw, "x.json", ruleset)
    slow = parse_evidence(raw, "x.json", ruleset, full_check=True)
    assert fast == slow
    assert {k: type(v) for k, v in fast.facts.items()} == {k: type(v) for k, v in slow.facts.items()}
