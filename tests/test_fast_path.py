"""The compiled result writer agrees with its reference, json.dumps of the result's dict.

(The evidence checker's agreement with the JSON Schema is in test_checker.py.)
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.resultjson import dumps_result
from pentas_rules.evidence.reader import parse_evidence

from .conftest import examples
from .strategies import evidence_docs, to_bytes


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_json_writer_matches_the_reference(ruleset, mini, data):
    """dumps_result() writes exactly json.dumps(to_dict(), indent=2) plus a newline."""
    for rules in (ruleset, mini):
        raw = to_bytes(data.draw(evidence_docs(rules)))
        result = evaluate(rules, parse_evidence(raw, "büro kota.json", rules), raw)
        assert dumps_result(result).decode("utf-8") == json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
