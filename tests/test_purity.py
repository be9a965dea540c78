"""The core stays pure: importing and running it loads neither click nor jinja2."""

from __future__ import annotations

import subprocess
import sys

from .conftest import MINI, ROOT


def test_core_does_not_import_adapters():
    code = f"""
import sys, json
from pentas_rules.loader import load_ruleset
from pentas_rules.evidence import parse_evidence
from pentas_rules.evaluate import evaluate
from pentas_rules.explain import score_text
from pentas_rules.cases import load_cases
rs = load_ruleset({str(MINI)!r})
raw = json.dumps({{"meta": {{"office": "X", "region_code": "11.01", "province": "Aceh", "year": 2021}}, "facts": {{}}}}).encode()
result = evaluate(rs, parse_evidence(raw, "x.json", rs), raw)
score_text(result); result.to_dict()
print(",".join(sorted(m for m in ("click", "jinja2") if m in sys.modules)))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""
