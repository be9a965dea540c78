"""The comparison operators, one small pure function each, registered by name.

The evaluator adds the three-valued logic, the trace and the location around
them; an operator only ever sees two known values of a type the loader checked.
Enum values reach these functions already turned into their ordinal ranks.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

__all__ = ["OPERATORS", "OPS_BY_TYPE", "describe_op"]


def _between(actual: Any, bounds: Any) -> bool:
    low, high = bounds
    return bool(low <= actual <= high)


def _in(actual: Any, options: Any) -> bool:
    return actual in options


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "between": _between,
    "in": _in,
}

# Which operators make sense on which fact type; the loader refuses the rest.
OPS_BY_TYPE: dict[str, frozenset[str]] = {
    "bool": frozenset({"==", "!="}),
    "number": frozenset(OPERATORS),
    "integer": frozenset(OPERATORS),
    "enum": frozenset(OPERATORS),
}

_WORDS = {
    "id": {
        "==": "sama dengan",
        "!=": "tidak sama dengan",
        "<": "kurang dari",
        "<=": "paling banyak",
        ">": "lebih dari",
        ">=": "minimal",
        "between": "antara",
        "in": "salah satu dari",
    },
    "en": {
        "==": "equal to",
        "!=": "not equal to",
        "<": "less than",
        "<=": "at most",
        ">": "greater than",
        ">=": "at least",
        "between": "between",
        "in": "one of",
    },
}


def describe_op(op: str, lang: str) -> str:
    """The operator in words, for explanations."""
    return _WORDS.get(lang, _WORDS["en"]).get(op, op)
