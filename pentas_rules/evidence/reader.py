"""Reading one office's evidence: bytes to strict JSON, then the one checker.

An evidence document describes one office::

    {
      "ruleset": "pentas-2021",                     (optional; checked when present)
      "meta": {"office": "...", "region_code": "32.73", "province": "...",
               "year": 2021, "population": 2500000,
               "assessed_on": "2021-06-01", "assessors": ["..."]},
      "facts": {"site": {"parking": true, ...}, "service": {"days": 3}}
    }

A fact is written either as its bare value or as ``{"value": ..., "source": "...",
"page": "...", "note": "..."}`` so that the document it was read from can be recorded without
changing the format. ``null`` (or leaving the fact out) means *not assessed*: the
engine treats it as unknown, never as false. An ``.xlsx`` evidence workbook (recognised
by its bytes) is read into the same mapping and checked by the same checker.
"""

from __future__ import annotations

import io
from typing import Any

from ..errors import EvidenceError, EvidenceProblem, Problem, printable
from ..messages import message
from ..ruleset.model import Ruleset, derived
from .checker import EvidenceChecker
from .jsonfile import MAX_EVIDENCE_BYTES, load_json, read_evidence_bytes
from .model import Evidence, FactNote, OfficeMeta
from .schema import evidence_schema

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "Evidence",
    "EvidenceSource",
    "FactNote",
    "OfficeMeta",
    "checker_for",
    "evidence_problems",
    "evidence_schema",
    "parse_evidence",
    "read_evidence_bytes",
    "read_source",
    "source_of",
]


ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive


def checker_for(ruleset: Ruleset) -> EvidenceChecker:
    """The evidence checker of ``ruleset``, built once and kept on it, as its engine is.

    Not a cache keyed by the ruleset: a lookup compares a hit's key with ``==``, field by field
    over the whole rule tree, whenever a process holds two equal rulesets.
    """
    return derived(ruleset, "checker", EvidenceChecker)


def parse_evidence(raw: bytes, file: str, ruleset: Ruleset) -> Evidence:
    """Read and check an evidence document; raise EvidenceError listing every problem.

    ``file`` is the name the result and messages show; one that is not valid
    UTF-8 is shown escaped.
    """
    return source_of(raw, file).evidence(ruleset)


class EvidenceSource:
    """One evidence file read once: what a command needs both to choose its ruleset and to check it.

    ``doc`` is the parsed JSON mapping (None for a workbook, which needs the ruleset's layout to
    be read); ``error`` is why the file could not be read or parsed, raised when it is checked, so
    a batch learns every file's ruleset first and reports each bad file, located, in its turn.
    ``unread`` says the error is that the file could not be read at all (no bytes to look at).
    """

    __slots__ = ("_named", "doc", "error", "file", "raw", "unread")

    def __init__(self, raw: bytes, file: str, doc: dict[str, Any] | None, error: EvidenceError | None, unread: bool = False) -> None:
        self.raw, self.file, self.doc, self.error, self.unread = raw, file, doc, error, unread
        self._named: tuple[str | None] | None = None  # ruleset_name()'s answer, once asked

    @property
    def is_workbook(self) -> bool:
        """An ``.xlsx`` workbook, recognised by its bytes (whatever the file's name)."""
        return self.raw.startswith(ZIP_MAGIC)

    def ruleset_name(self) -> str | None:
        """The ruleset the file names (``ruleset``, else ``meta.ruleset``; a workbook on its office sheet), or None.

        Worked out once: a batch asks it both to group the files and to choose each one's ruleset,
        and a workbook's answer means opening the workbook (about 10 ms).
        """
        if self._named is None:
            self._named = (self._ruleset_name(),)
        return self._named[0]

    def _ruleset_name(self) -> str | None:
        if self.error is not None:
            return None  # scoring it reports the problem, located
        doc = self.doc
        if doc is None:
            # deferred: the workbook reader (about 1 ms of import, its regular expressions) reads only workbooks
            from .workbook_read import named_ruleset

            return named_ruleset(self.raw)
        meta = doc.get("meta")
        name = doc.get("ruleset", meta.get("ruleset") if isinstance(meta, dict) else None)
        return name if isinstance(name, str) and name else None

    def evidence(self, ruleset: Ruleset) -> Evidence:
        """The file checked against ``ruleset``: EvidenceError listing every problem, located, when it is not valid."""
        return self.checked(ruleset)[0]

    def checked(self, ruleset: Ruleset) -> tuple[Evidence, dict[str, Any]]:
        """The file checked against ``ruleset``, and its document (a workbook's read into the JSON form)."""
        if self.error is not None:
            raise self.error
        if self.doc is not None:
            return checker_for(ruleset).check(self.doc, self.file), self.doc
        # An .xlsx evidence workbook: read with the ruleset's layout, its problems located at cells.
        # deferred: the workbook reader (about 1 ms of import, its regular expressions) reads only workbooks
        from .workbook_read import read_workbook, sheet_wording

        doc, locate = read_workbook(self.raw, self.file, ruleset)
        try:
            return checker_for(ruleset).check(doc, self.file, locate), doc
        except EvidenceError as exc:
            raise EvidenceError(self.file, sheet_wording(exc.problems, locate)) from None


def read_source(path: str) -> EvidenceSource:
    """Read and parse the evidence file ``path`` (``-`` for standard input) once; a failure is kept, not raised."""
    file = printable("<stdin>" if path == "-" else path)
    try:
        raw = read_evidence_bytes(path)
    except EvidenceError as exc:
        return EvidenceSource(b"", file, None, exc, unread=True)
    return source_of(raw, file)


def other_kind(raw: bytes) -> str | None:
    """What a file that is not evidence is, recognised by its first bytes, or None (evidence, or not recognised).

    A report page, a PDF, another office document or a CSV export passed by mistake would
    otherwise be refused as malformed JSON or as text that is not UTF-8. Only what cannot begin
    evidence is recognised: anything beginning like JSON keeps its located JSON error.
    """
    if raw[:1] == b"{":  # how evidence begins: none of the kinds below begins so (about 1 us a file)
        return None
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(ZIP_MAGIC):
        # deferred: zipfile (with shutil) is about 3 ms of a start; a JSON file never needs it
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(raw)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return None  # a damaged workbook: the workbook reader says what is wrong with it
        return None if any(name.startswith("xl/") for name in names) else "office"
    lowered = head[:32].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    if lowered.startswith(b"<"):
        return "xml"
    first_line, _, rest = head.partition(b"\n")
    if head[:1] not in (b"{", b"[", b'"') and rest.strip() and any(sep in first_line for sep in (b",", b";", b"\t")):
        return "csv"
    return None


def _not_evidence(kind: str, file: str) -> EvidenceError:
    return EvidenceError(
        file, [EvidenceProblem("$", message("ev.not_evidence", kind=message(f"ev.kind.{kind}")), "an .xlsx workbook or JSON", message(f"ev.kind.{kind}", "en"))]
    )


def source_of(raw: bytes, file: str) -> EvidenceSource:
    """The evidence document ``raw`` (JSON or workbook bytes) parsed once, shown as ``file``; a failure is kept."""
    file = printable(file)
    kind = other_kind(raw)
    if kind is not None:
        return EvidenceSource(raw, file, None, _not_evidence(kind, file))
    if raw.startswith(ZIP_MAGIC):
        return EvidenceSource(raw, file, None, None)
    try:
        return EvidenceSource(raw, file, load_json(raw, file), None)
    except EvidenceError as exc:
        return EvidenceSource(raw, file, None, exc)


def evidence_problems(raw: bytes, file: str, ruleset: Ruleset) -> list[Problem]:
    """Every problem in an evidence document, or an empty list when it is valid."""
    source = source_of(raw, file)  # recognised and parsed as every command reads a file
    if source.error is None and source.doc is not None:
        return checker_for(ruleset).problems(source.doc)
    try:
        source.evidence(ruleset)  # raises the kept error, or a workbook's problems worded at its cells
    except EvidenceError as exc:
        return list(exc.problems)
    return []
