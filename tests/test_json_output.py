"""The indented JSON writer (``dumps_json``): orjson's speed, json's exact bytes.

The full result form, the snapshot goldens and every ``--format json`` output are
``json.dumps(data, ensure_ascii=False, indent=2) + "\\n"``, and a compact JSON Lines record is
``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``; orjson writes them (json's
indenting encoder is pure Python, about 8 ms an office) only where its bytes are the same.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from pentas_rules.engine.results import _fast_json, dumps_json, dumps_json_bytes, dumps_line

from .conftest import GOLDEN


def reference(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def reference_line(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def test_every_golden_takes_the_fast_path_and_keeps_its_bytes():
    goldens = sorted(GOLDEN.rglob("*.json"))
    assert len(goldens) > 30
    for golden in goldens:
        data = json.loads(golden.read_bytes())
        assert _fast_json(data, indent=True) == golden.read_bytes(), golden
        assert dumps_json_bytes(data) == golden.read_bytes(), golden


# Each is written differently by orjson (or refused by it) and must still give json's bytes.
EDGE_CASES = [
    1e-05,  # orjson: 0.00001
    -1e-07,  # orjson: -1e-7
    5e-324,
    2.5e-300,
    2**64,  # orjson refuses integers beyond 64 bits
    -(10**29),
    {1: "integer key"},  # json turns it into "1"; orjson refuses it
    {"a": [0.0001, 0.00012, 1.5e-05, {"b": 1e-100}]},
]


def test_what_orjson_writes_differently_falls_back_to_json():
    for data in EDGE_CASES:
        assert _fast_json(data, indent=True) is None, data
        assert dumps_json(data) == reference(data), data
        assert dumps_json_bytes(data) == reference(data).encode("utf-8"), data
        assert _fast_json(data, indent=False) is None, data
        assert dumps_line(data) == reference_line(data), data


def test_text_and_numbers_orjson_writes_identically():
    data = {
        "text": 'a\u2028b\x7f\x00\x1f"\\/é😀 \t\n\r\b\f e-KTP',
        "numbers": [0, -0.0, 0.1, 100.0, 1e16, 1e22, 1.7976931348623157e308, 2**63 - 1, -(2**63), 0.30000000000000004],
        "empty": [{}, [], [[]], {"a": {}}],
        "tuple": (1, "x"),
        "flags": [True, False, None],
    }
    assert _fast_json(data, indent=True) is not None
    assert dumps_json(data) == reference(data)
    assert _fast_json(data, indent=False) is not None
    assert dumps_line(data) == reference_line(data)


def test_a_lone_surrogate_keeps_jsons_behaviour():
    # json writes the text (encoding it then fails, as it did before orjson); orjson refuses it.
    assert dumps_json({"x": "\ud800"}) == reference({"x": "\ud800"})


finite = st.floats(allow_nan=False, allow_infinity=False)
scalars = st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | finite | st.text()
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(documents)
def test_any_json_document_gets_jsons_exact_bytes(data):
    assert dumps_json(data) == reference(data)
    try:
        expected = reference(data).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from st.text(): no bytes to compare
        return
    assert dumps_json_bytes(data) == expected
    assert dumps_line(data) == reference_line(data)
