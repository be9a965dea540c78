"""Re-deriving a result from its evidence and rules, and naming every field that differs.

A result (the full form, or one compact record) says what its evidence and rules give.
:func:`verify_result` scores the evidence again with the rules at hand and compares the
two JSON trees field by field: nothing is compared by name, so every field a result
carries (levels, totals, trace outcomes, the header, fields added later such as
overrides) is checked the day it is added. The evidence file's SHA-256 is checked
against the one the result records, and the rules' fingerprint against the result's.

Pure: the caller reads the files and prints the differences.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..evidence.reader import parse_evidence
from ..files.record import replace
from ..ruleset.model import Ruleset
from .compact import COMPACT_FORMAT, record_evidence, to_compact
from .evaluate import evaluate
from .header import file_name
from .results import RESULT_FORMAT

__all__ = ["Difference", "result_kind", "verify_result"]


@dataclass(frozen=True, slots=True)
class Difference:
    """One field whose recorded value is not what the evidence and rules give.

    ``path`` is the field's JSON path in the result (list items named by their ``id``
    where they have one, so ``$.aspects[<aspect id>].indicators[<indicator id>].level``); ``recorded`` and
    ``derived`` are the two values as JSON text (``(absent)`` when one side lacks the field).
    """

    path: str
    recorded: str
    derived: str

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "recorded": self.recorded, "derived": self.derived}


_ABSENT = "(absent)"


def result_kind(data: Any) -> str | None:
    """``"full"`` or ``"compact"`` by the result's ``format``; None for anything else."""
    if isinstance(data, dict):
        return {RESULT_FORMAT: "full", COMPACT_FORMAT: "compact"}.get(data.get("format"))  # type: ignore[arg-type]  # a non-str format is simply not found
    return None


def verify_result(data: dict[str, Any], ruleset: Ruleset, evidence: tuple[str, bytes] | None, where: str = "<result>") -> list[Difference]:
    """Every difference between a recorded result and the result derived again (empty: it verifies).

    ``evidence`` is the evidence file's name and bytes; without it a compact record is
    derived from the facts it carries (its hash then cannot be checked, which the caller
    says). A full result does not carry its facts, so it needs the evidence.
    """
    kind = result_kind(data)
    differences: list[Difference] = []
    recorded_rs = _section(data, "ruleset")
    if recorded_rs.get("fingerprint") != ruleset.fingerprint:
        # Named first: every other difference may follow from the rules alone.
        differences.append(Difference("$.ruleset.fingerprint", _text(recorded_rs.get("fingerprint", _ABSENT)), _text(ruleset.fingerprint)))
    if evidence is not None:
        name, raw = evidence
        derived = evaluate(ruleset, parse_evidence(raw, file_name(name), ruleset), raw)
        recorded_sha = _section(data, "evidence").get("sha256")
        if recorded_sha != hashlib.sha256(raw).hexdigest():
            differences.append(Difference("$.evidence.sha256", _text(recorded_sha), _text(hashlib.sha256(raw).hexdigest())))
    else:
        derived = evaluate(ruleset, record_evidence(data, ruleset, where))
        derived = replace(derived, evidence_sha256=str(_section(data, "evidence").get("sha256", "")))
    again = derived.to_dict() if kind == "full" else to_compact(derived)
    seen = {d.path for d in differences}
    differences.extend(d for d in _compare(data, again, "$") if d.path not in seen)
    return differences


def _section(data: dict[str, Any], key: str) -> dict[str, Any]:
    """A section of the result, or an empty one when it is missing or edited into something else."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if value is _ABSENT else json.dumps(value, ensure_ascii=False)


def _key(item: Any, index: int) -> str:
    return str(item["id"]) if isinstance(item, dict) and isinstance(item.get("id"), str) else str(index)


def _compare(recorded: Any, derived: Any, path: str) -> list[Difference]:
    """The differing leaves of two JSON trees, in the derived result's order (then fields only recorded)."""
    if isinstance(recorded, dict) and isinstance(derived, dict):
        out: list[Difference] = []
        for key in [*derived, *(k for k in recorded if k not in derived)]:
            sub = f"{path}.{key}"
            if key not in recorded or key not in derived:
                out.append(Difference(sub, _text(recorded.get(key, _ABSENT)), _text(derived.get(key, _ABSENT))))
            else:
                out.extend(_compare(recorded[key], derived[key], sub))
        return out
    if isinstance(recorded, list) and isinstance(derived, list) and len(recorded) == len(derived):
        out = []
        for index, (r, d) in enumerate(zip(recorded, derived, strict=True)):
            out.extend(_compare(r, d, f"{path}[{_key(d, index)}]"))
        return out
    # bool is an int in Python: True == 1 must still count as an edit.
    if recorded == derived and type(recorded) is type(derived):
        return []
    return [Difference(path, _text(recorded), _text(derived))]
