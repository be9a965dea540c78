"""One exception hierarchy; every error knows where it happened and its exit code.

Messages are built here, apart from printing, so the CLI only renders them.
Locations come in two kinds: a place in a rule file (``file:line:column``) and a
place in an evidence document (``file`` plus a JSON path such as
``$.facts.parkir.rambu``).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEM",
    "EXIT_USAGE",
    "EvidenceError",
    "EvidenceProblem",
    "EvidenceWarning",
    "PentasError",
    "RulesError",
    "RulesProblem",
    "UsageError",
    "printable",
    "suggest",
]

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2


def suggest(name: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    """The closest known name to a misspelt one, or None (case differences first).

    Here, at the bottom, because every layer's messages offer a "did you mean".
    """
    folded = {c.casefold(): c for c in candidates}
    if name.casefold() in folded:
        return folded[name.casefold()]
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return close[0] if close else None


def printable(text: str) -> str:
    """``text`` safe to print as UTF-8: a file name with bytes that are not UTF-8, or a
    lone surrogate, is shown with backslash escapes instead of making the output fail."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:  # os.fsdecode's surrogateescape: show the original bytes
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class PentasError(Exception):
    """Root of every error the tool reports to a user."""

    exit_code = EXIT_PROBLEM

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(PentasError):
    """The command was called wrongly (bad option value, unknown indicator id, ...)."""

    exit_code = EXIT_USAGE


@dataclass(frozen=True, slots=True)
class RulesProblem:
    """One problem in a rule file, located by file, line and column (1-based)."""

    file: str
    line: int | None
    column: int | None
    message: str
    code: str = "rules"

    def location(self) -> str:
        parts = [printable(self.file)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"


class RulesError(PentasError):
    """The rules could not be loaded; carries every problem found, not only the first."""

    def __init__(self, problems: list[RulesProblem] | tuple[RulesProblem, ...]) -> None:
        self.problems = tuple(problems)
        head = str(self.problems[0]) if self.problems else "invalid rules"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(head + suffix)

    def full_text(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass(frozen=True, slots=True)
class EvidenceProblem:
    """One problem in an evidence document, located by its JSON path.

    ``expected`` and ``found`` are short human phrases; ``suggestion`` is a
    "did you mean" name for an unknown key.
    """

    path: str
    message: str
    expected: str | None = None
    found: str | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}"
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        return text


@dataclass(frozen=True, slots=True)
class EvidenceWarning:
    """Something doubtful in evidence that is still scored: a broken consistency
    constraint between facts, or a year that is not the ruleset's.

    ``facts`` names every fact involved as (name, JSON path, value), so the
    reader sees both sides of a contradiction without opening the file.
    """

    id: str
    path: str
    message_id: str
    message_en: str
    facts: tuple[tuple[str, str, object], ...] = ()

    def text(self, lang: str = "en") -> str:
        message = self.message_id if lang == "id" else self.message_en
        values = ", ".join(f"{name} = {json.dumps(value, ensure_ascii=False)} ({path})" for name, path, value in self.facts)
        return f"{self.path}: {message} [{self.id}]" + (f": {values}" if values else "")

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "path": self.path,
            "message_id": self.message_id,
            "message_en": self.message_en,
            "facts": [{"fact": name, "path": path, "value": value} for name, path, value in self.facts],
        }


class EvidenceError(PentasError):
    """An evidence document is unreadable or invalid; carries every problem found."""

    def __init__(self, file: str, problems: list[EvidenceProblem] | tuple[EvidenceProblem, ...]) -> None:
        self.file = file = printable(file)
        self.problems = tuple(problems)
        head = f"{file}: {self.problems[0]}" if self.problems else f"{file}: invalid evidence"
        more = len(self.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        super().__init__(head + suffix)

    def full_text(self) -> str:
        return "\n".join(f"{self.file}: {p}" for p in self.problems)
