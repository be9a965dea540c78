"""The core stays pure: importing and running it loads neither click nor jinja2."""

from __future__ import annotations

import subprocess
import sys

from .conftest import MINI, ROOT, RULES, SAMPLES


def test_core_does_not_import_adapters():
    code = f"""
import sys, json
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.engine.evaluate import evaluate
from pentas_rules.text.explain import score_text
from pentas_rules.maintenance.cases import load_cases
rs = load_ruleset_cached({str(MINI)!r})
raw = json.dumps({{"meta": {{"office": "X", "region_code": "11.01", "province": "Aceh", "year": 2021}}, "facts": {{}}}}).encode()
result = evaluate(rs, parse_evidence(raw, "x.json", rs), raw)
score_text(result); result.to_dict()
print(",".join(sorted(m for m in ("click", "jinja2") if m in sys.modules)))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def test_rule_maintainer_core_does_not_import_adapters(tmp_path):
    """lint, rule cases, coverage, JUnit, diff and snapshot are core: no click, no jinja2, no printing."""
    code = f"""
import io, sys, contextlib
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.maintenance.lint import lint
from pentas_rules.ruleset.analysis import Analyzer
from pentas_rules.maintenance.cases import load_cases, run_case, failure_text
from pentas_rules.maintenance.coverage import measure, coverage_text
from pentas_rules.maintenance.junit import junit_xml
from pentas_rules.maintenance.diff import structure_diff, corpus_diff, diff_text, diff_markdown, RulesetDiff
from pentas_rules.maintenance.snapshot import take_snapshot
from pentas_rules.maintenance.gitrev import export_rules
from pentas_rules.batch.corpus import find_evidence_files
printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    rs = load_ruleset_cached({str(RULES)!r})
    lint({str(MINI)!r})
    outcomes = [run_case(rs, c) for c in load_cases(rs)[:20]]
    coverage_text(measure(rs, outcomes)); junit_xml(rs, outcomes)
    files = find_evidence_files([{str(SAMPLES / "kota-bandung.json")!r}])
    d = RulesetDiff("a", "b", rs, rs, structure_diff(rs, rs), corpus_diff(rs, rs, files), tuple(files))
    diff_text(d); diff_markdown(d); d.to_dict()
    list(take_snapshot(rs, files[0], {str(tmp_path)!r}, lambda r: "{{}}"))
assert printed.getvalue() == "", printed.getvalue()
print(",".join(sorted(m for m in ("click", "jinja2") if m in sys.modules)))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""
