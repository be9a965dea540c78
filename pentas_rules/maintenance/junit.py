"""Rule case results as JUnit XML, the format CI systems read test reports in.

One ``<testsuite>`` per ruleset, one ``<testcase>`` per case (class name: the
ruleset and the case file, so CI groups cases by file), a ``<failure>`` holding
the trace of the levels that differed. No timings are written, so the same rules
and cases always give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from ..messages import message
from ..ruleset.model import Ruleset
from .cases import CaseOutcome, failure_text

__all__ = ["junit_xml"]

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _headline(outcome: CaseOutcome) -> str:
    return "; ".join(
        message("case.level_mismatch", indicator=m.subject, expected=m.expected, actual=m.actual)
        if m.result is not None
        else message("case.total_mismatch", expected=m.expected, actual=m.actual)
        for m in outcome.mismatches
    )


def junit_xml(ruleset: Ruleset, outcomes: Sequence[CaseOutcome]) -> bytes:
    """The JUnit XML document for one run of a ruleset's cases."""
    failures = sum(not o.passed for o in outcomes)
    counts = {"tests": str(len(outcomes)), "failures": str(failures), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": "pentas test", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": _clean(f"{ruleset.name} {ruleset.version}"), **counts})
    for outcome in outcomes:
        case = outcome.case
        attrs = {
            "classname": _clean(f"{ruleset.name}.{Path(case.where.file).stem}"),
            "name": _clean(case.name),
            "file": _clean(case.where.file),
        }
        if case.where.line is not None:
            attrs["line"] = str(case.where.line)
        element = ET.SubElement(suite, "testcase", attrs)
        if not outcome.passed:
            failure = ET.SubElement(element, "failure", {"message": _clean(_headline(outcome)), "type": "LevelMismatch"})
            failure.text = _clean(failure_text(outcome, ruleset))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"
