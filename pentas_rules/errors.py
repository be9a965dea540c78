"""One exception hierarchy; every error knows where it happened, its exit code and its text.

Messages are built here, apart from printing, so the CLI only renders them:
``str(exc)`` is the one-line located message, ``exc.report_text()`` the block the
CLI prints. Every place is a :class:`Location`: a file, and inside it either a
line and column (a rule file) or a path (``$.facts.parkir.rambu`` in a JSON
document, or whatever a reader's ``locate`` callback produces, such as a
workbook cell ``Sarana!D14``). Every problem is a :class:`Problem`: a location,
a message and a kind. The hierarchy, by what went wrong::

    PentasError                    exit 1 unless said otherwise
    +-- UsageError                 exit 2: the command was called wrongly
    +-- ProblemsError              carries every problem found, not only the first
    |   +-- RulesError             the rules could not be loaded
    |   |   +-- RulesReadError     ... because a rule file could not be read (also InputFileError)
    |   +-- EvidenceError          an evidence document is invalid
    |       +-- EvidenceReadError  ... because it could not be read (also InputFileError)
    +-- InputFileError             a file could not be read
    +-- OutputFileError            a file or folder could not be written
"""

from __future__ import annotations

import errno
import json
from collections.abc import Sequence

from .files.record import Record
from .messages import message

__all__ = [
    "EXIT_OK",
    "EXIT_PROBLEM",
    "EXIT_USAGE",
    "EvidenceError",
    "EvidenceProblem",
    "EvidenceReadError",
    "EvidenceWarning",
    "InputFileError",
    "Location",
    "OutputFileError",
    "PentasError",
    "Problem",
    "ProblemsError",
    "RulesError",
    "RulesProblem",
    "RulesReadError",
    "UsageError",
    "and_more",
    "os_reason",
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
    # deferred: difflib costs about 1 ms of every start; only a misspelt name needs it
    import difflib

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    if close:
        return close[0]
    # Too far for an edit ("stat" for STATUS_CODE): the one name beginning with it, else the one containing it.
    wanted = name.casefold()
    if len(wanted) >= _SHORTEST_PART:
        for matches in (lambda c: c.startswith(wanted), lambda c: wanted in c):
            found = [original for folded_name, original in folded.items() if matches(folded_name)]
            if len(found) == 1:
                return found[0]
    return None


_SHORTEST_PART = 3  # a shorter beginning or part ("i", "05") names too many things to suggest one


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

    def report_text(self) -> str:
        """What the CLI prints for this error on stderr."""
        return message("err.error", text=self.message)


class UsageError(PentasError):
    """The command was called wrongly (bad option value, unknown indicator id, ...)."""

    exit_code = EXIT_USAGE


class Location(Record):
    """Where a problem is. Rule files are located by line and column (1-based), documents by a
    path the reader chose: a JSON path, or a spreadsheet cell. ``file`` is None when the
    enclosing error names the file already (an :class:`EvidenceError` names its document once)."""

    __slots__ = ("file", "line", "column", "path")
    file: str | None
    line: int | None
    column: int | None
    path: str | None

    def __init__(self, file: str | None = None, line: int | None = None, column: int | None = None, path: str | None = None) -> None:
        self._fill(file, line, column, path)

    def __str__(self) -> str:
        parts = [printable(self.file)] if self.file is not None else []
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        if self.path is not None:
            return ": ".join([":".join(parts), self.path]) if parts else self.path
        return ":".join(parts)


def _restore_problem(cls: type[Problem], values: tuple[object, ...]) -> Problem:
    """A pickled problem of any of the three classes, rebuilt through :class:`Problem`'s constructor."""
    problem = object.__new__(cls)
    Problem.__init__(problem, *values)  # type: ignore[arg-type]  # the values of Problem's own fields, in order
    return problem


class Problem(Record):
    """One problem: where, what, and its kind (a lint code such as ``yaml`` or ``schema``).

    ``message`` is what a person reads, in the active language, and already says what was
    expected and what was found. ``expected`` is a stable English code of the expectation
    ("true or false", "valid JSON", "YYYY-MM-DD") for programs and tests, never printed: no
    command's text or JSON output shows it, so it does not follow the language. ``found`` is
    the value as the message shows it. ``suggestion`` is a "did you mean" name for an
    unknown key. :class:`RulesProblem` and :class:`EvidenceProblem` are its two
    usual constructors.
    """

    __slots__ = ("location", "message", "code", "expected", "found", "suggestion")
    location: Location
    message: str
    code: str
    expected: str | None
    found: str | None
    suggestion: str | None

    def __init__(
        self, location: Location, message: str, code: str = "rules", expected: str | None = None, found: str | None = None, suggestion: str | None = None
    ) -> None:
        self._fill(location, message, code, expected, found, suggestion)

    def __reduce__(self) -> tuple[object, ...]:
        # RulesProblem and EvidenceProblem take other constructor arguments than the fields they hold.
        return (_restore_problem, (self.__class__, self._values()))

    @property
    def file(self) -> str | None:
        return self.location.file

    @property
    def path(self) -> str | None:
        return self.location.path

    def moved(self, location: Location) -> Problem:
        """The same problem at another location (a temporary folder renamed for the reader)."""
        return Problem(location, self.message, self.code, self.expected, self.found, self.suggestion)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.suggestion:
            text += message("err.did_you_mean", name=self.suggestion)
        return text


class RulesProblem(Problem):
    """A problem in a rule file, at ``file:line:column``."""

    __slots__ = ()

    def __init__(self, file: str, line: int | None, column: int | None, message: str, code: str = "rules") -> None:
        Problem.__init__(self, Location(file, line, column), message, code)


class EvidenceProblem(Problem):
    """A problem in an evidence document at ``path`` (the document's file is named by its error)."""

    __slots__ = ()

    def __init__(self, path: str, message: str, expected: str | None = None, found: str | None = None, suggestion: str | None = None) -> None:
        Problem.__init__(self, Location(path=path), message, "evidence", expected, found, suggestion)


def and_more(count: int) -> str:
    """`` (and N more)`` after the first of ``count`` problems, in the catalogue's words; empty for one."""
    more = count - 1
    return " " + message("err.and_more", count=more) if more > 0 else ""


class ProblemsError(PentasError):
    """An input with problems; carries every problem found, not only the first.

    ``str()`` is the first problem and how many more; :meth:`full_text` lists them all.
    """

    def __init__(self, problems: Sequence[Problem], prefix: str, fallback: str) -> None:
        self.problems = tuple(problems)
        self._prefix = prefix
        self._fallback = fallback
        super().__init__(prefix + self.summary())

    def summary(self) -> str:
        """The first problem and how many more, without the file the error names."""
        if not self.problems:
            return self._fallback
        return f"{self.problems[0]}{and_more(len(self.problems))}"

    def full_text(self) -> str:
        return "\n".join(f"{self._prefix}{p}" for p in self.problems)

    def report_text(self) -> str:
        return message("err.problems", subject=self.subject(), count=len(self.problems)) + "\n" + self.full_text()

    def subject(self) -> str:
        """What the problems are in, for the report's first line."""
        raise NotImplementedError


class RulesError(ProblemsError):
    """The rules could not be loaded; each problem names its rule file."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(problems, "", message("err.invalid_rules"))

    def subject(self) -> str:
        return message("err.rules")


class EvidenceError(ProblemsError):
    """An evidence document is unreadable or invalid; its problems are located inside ``file``."""

    def __init__(self, file: str, problems: Sequence[Problem]) -> None:
        self.file = file = printable(file)
        super().__init__(problems, f"{file}: ", message("err.invalid_evidence"))

    def subject(self) -> str:
        return self.file


def os_reason(exc: OSError) -> str:
    """Why a file operation failed ("No such file or directory"): in the catalogue's words for the
    usual causes, else the operating system's own."""
    name = errno.errorcode.get(exc.errno or -1)
    if name is not None and f"err.os.{name}" in _OS_REASONS:
        return message(f"err.os.{name}")
    return exc.strerror or str(exc)


# The causes worded in the catalogue; any other keeps the operating system's text.
_OS_REASONS = frozenset(f"err.os.{name}" for name in ("ENOENT", "EACCES", "EISDIR", "ENOTDIR", "EEXIST", "ENOSPC", "EROFS"))


class InputFileError(PentasError):
    """A file could not be read (missing, a folder, no permission). Raised as
    :class:`EvidenceReadError` or :class:`RulesReadError`, so it is also the error of
    the input it failed to read; ``file`` and ``reason`` say which and why."""

    file: str
    reason: str


class EvidenceReadError(EvidenceError, InputFileError):
    """An evidence file (or results file) that could not be read."""

    def __init__(self, file: str, exc: OSError) -> None:
        self.reason = os_reason(exc)
        super().__init__(file, [EvidenceProblem("$", message("err.cannot_read", reason=self.reason))])


class RulesReadError(RulesError, InputFileError):
    """A rule file that could not be read."""

    def __init__(self, file: str, exc: OSError, wording: str | None = None) -> None:
        self.file = file
        self.reason = os_reason(exc)
        text = message("err.cannot_read", reason=self.reason) if wording is None else wording.format(reason=self.reason)
        super().__init__([RulesProblem(file, None, None, text, "io")])


class OutputFileError(PentasError):
    """A file or folder could not be written; ``action`` says what was tried."""

    def __init__(self, file: str, exc: OSError, action: str | None = None) -> None:
        self.file = file
        self.reason = os_reason(exc)
        super().__init__(f"{printable(file)}: {action or message('err.cannot_write')}: {self.reason}")


class EvidenceWarning(Record):
    """Something doubtful in evidence that is still scored: a broken consistency
    constraint between facts, or a year that is not the ruleset's.

    ``facts`` names every fact involved as (name, JSON path, value), so the
    reader sees both sides of a contradiction without opening the file.
    """

    __slots__ = ("id", "path", "message_id", "message_en", "facts")
    id: str
    path: str
    message_id: str
    message_en: str
    facts: tuple[tuple[str, str, object], ...]

    def __init__(self, id: str, path: str, message_id: str, message_en: str, facts: tuple[tuple[str, str, object], ...] = ()) -> None:
        self._fill(id, path, message_id, message_en, facts)

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
