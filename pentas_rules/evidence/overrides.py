"""Overrides in the evidence: an assessor's final level for an indicator, with who decided and why.

Checked as part of the one evidence walk (``checker.py`` calls :meth:`OverrideChecker.check`
with its own ``add``), so an override's problems are located and worded like every other:
an indicator the ruleset does not define (with "did you mean", also for a rubric number
written ``5`` or ``I5``), a level the indicator's ladder does not define (0, none of them,
is always one), a missing or blank reason or assessor, a date not on the calendar, and a
second override of one indicator.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import suggest
from ..messages import message
from ..ruleset.model import Ruleset
from .jsonfile import show

__all__ = ["Add", "DateCheck", "KeyPath", "OverrideChecker"]

KeyPath = tuple[str | int, ...]
Add = Callable[..., None]
"""Records one problem: ``add(where, message, expected, found, suggestion)``."""
DateCheck = Callable[[Any, Add, KeyPath], None]

_KEYS = ("indicator", "level", "reason", "assessor", "approved_by", "date")
_REQUIRED = ("indicator", "level", "reason", "assessor", "date")
_TEXT = ("reason", "assessor", "approved_by")  # text that must say something when given


class OverrideChecker:
    """Built once per ruleset from its indicators' ladders."""

    __slots__ = ("ladders", "numbers")

    def __init__(self, ruleset: Ruleset) -> None:
        # The levels an override may set per indicator: its ladder's levels, and 0 (none of them).
        self.ladders = {ind_id: (0, *(level.value for level in ind.levels)) for ind_id, ind in ruleset.indicators.items()}
        self.numbers = {ind.number: ind_id for ind_id, ind in ruleset.indicators.items() if ind.number is not None}

    def check(self, body: Any, outer: Add, date: DateCheck) -> list[tuple[KeyPath, dict[str, Any]]]:
        """Each override names a defined indicator once, a level of its ladder, a reason, an assessor and a date."""
        if not isinstance(body, list):
            outer(("overrides",), message("ov.not_list", found=show(body)), "array", show(body))
            return []
        problems = [0]  # how many problems were added: an override with none is valid

        def add(where: KeyPath, message: str, expected: str | None = None, found: str | None = None, suggestion: str | None = None) -> None:
            problems[0] += 1
            outer(where, message, expected, found, suggestion)

        seen: dict[str, int] = {}
        valid: list[tuple[KeyPath, dict[str, Any]]] = []
        for i, entry in enumerate(body):
            where: KeyPath = ("overrides", i)
            if not isinstance(entry, dict):
                add(where, message("ov.not_object", found=show(entry)), "object", show(entry))
                continue
            before = problems[0]
            for key in entry:
                if key not in _KEYS:
                    allowed = ", ".join(_KEYS)
                    add(where + (key,), message("ov.unknown_key", key=repr(key), allowed=allowed), allowed, repr(key), suggest(key, _KEYS))
            for key in _REQUIRED:
                if key not in entry:
                    # Named in words as well as by its JSON key: in a workbook the key is a column heading.
                    field = message("ov.field", field=message("ov.field." + key), key=repr(key))
                    add(where, message("ov.needs_reason" if key == "reason" else "ov.needs", key=field), key, "nothing")
            for key in _TEXT:
                value = entry.get(key)
                if key in entry and (not isinstance(value, str) or not value.strip()):
                    add(where + (key,), message("ov.blank", found=show(value)), "non-blank text", show(value))
            if "date" in entry:
                date(entry["date"], add, where + ("date",))
            known = self._level(entry, where, add)
            indicator = entry.get("indicator")
            if known and isinstance(indicator, str):
                if indicator in seen:
                    add(
                        where + ("indicator",),
                        message("ov.twice", indicator=indicator, index=seen[indicator]),
                        "one override per indicator",
                        repr(indicator),
                    )
                seen.setdefault(indicator, i)
            if problems[0] == before:
                valid.append((where, entry))
        return valid

    def _indicator_hint(self, given: str) -> str | None:
        """The id meant: the indicator of a rubric number written as ``5`` or ``I5``, else the closest id."""
        number = re.fullmatch(r"[Ii]?0*(\d+)", given.strip())
        if number is not None and int(number.group(1)) in self.numbers:
            return self.numbers[int(number.group(1))]
        return suggest(given, list(self.ladders))

    def _level(self, entry: dict[str, Any], where: KeyPath, add: Add) -> bool:
        """Check the indicator and its level; True when the indicator is one the ruleset defines."""
        indicator = entry.get("indicator")
        if "indicator" not in entry:
            return False
        ladder = self.ladders.get(indicator) if isinstance(indicator, str) else None
        if ladder is None:
            hint = self._indicator_hint(indicator) if isinstance(indicator, str) else None
            add(where + ("indicator",), message("ov.unknown_indicator", found=show(indicator)), "an indicator id of the ruleset", show(indicator), hint)
            return False
        level = entry.get("level")
        # 5.0 is level 5, as JSON Schema's "integer" reads it; true is not a level
        if "level" in entry and (level.__class__ not in (int, float) or level not in ladder):
            levels = ", ".join(map(str, ladder))
            add(where + ("level",), message("ov.no_level", indicator=indicator, found=show(level), levels=levels), f"one of {levels}", show(level))
        return True
