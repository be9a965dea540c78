"""Many offices at once: find evidence files and score them one by one, never stopping at a bad one.

Used by batch commands (rank, diff, snapshot). Results are yielded as they are
made, so a caller can keep only what it needs (a leaderboard row, a diff line)
and the memory of a 10,000-office batch stays flat. A bad file is yielded as its
:class:`~pentas_rules.errors.PentasError`, in its place in the order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine.compact import read_records, record_evidence
from ..engine.evaluate import evaluate
from ..engine.results import ScoreResult
from ..errors import EvidenceError, EvidenceProblem, EvidenceReadError, PentasError, printable
from ..evidence.reader import EvidenceSource, read_source
from ..files.record import replace
from ..messages import message
from ..ruleset.model import Ruleset

__all__ = ["RulesetChoice", "ScoredFile", "compact_inputs", "duplicate_offices", "find_evidence_files", "score_file", "score_files", "score_files_twice"]


@dataclass(frozen=True, slots=True)
class ScoredFile:
    """One evidence file of a batch: its result, or the error that kept it from being scored."""

    path: str
    result: ScoreResult | None
    error: PentasError | None
    named: str | None = None  # the ruleset the file names, if any (a batch groups its files by it)


# A batch's ruleset: one for every file, or how to choose each file's from the file read once.
RulesetChoice = Ruleset | Callable[[EvidenceSource], Ruleset]


_EVIDENCE_SUFFIXES = (".json", ".xlsx")


def find_evidence_files(inputs: Iterable[str | Path]) -> list[str]:
    """Every ``*.json`` and ``*.xlsx`` file named or found (recursively, sorted) under the given paths.

    Files are kept in the order given; a directory contributes its JSON files in
    sorted path order, so a batch is deterministic. Hidden files and folders
    (``.name``) are skipped, and so are the lock files Excel keeps beside an open workbook (``~$name.xlsx``). A path that does not exist is kept, so the batch
    reports it as a bad file instead of silently dropping it.
    """
    found: list[str] = []
    seen: set[str] = set()
    for item in inputs:
        path = Path(item)
        candidates = _folder_files(path) if path.is_dir() else [str(item)]
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                found.append(candidate)
    return found


def _folder_files(folder: Path) -> list[str]:
    """The evidence files under ``folder``, as ``Path.rglob`` would list them, sorted as Paths sort.

    One ``scandir`` per folder: no Path object, stat or relative path per file (``rglob``,
    ``is_file`` and ``relative_to`` cost 11 us a file). Like ``rglob``, it does not follow a
    link to a folder; a link to a file counts. A Path sorts by its parts (``a/b`` before
    ``a-b/c``), case-folded where the system folds case; each file carries that key.
    """
    prefix = str(folder / "x")[:-1]  # how a Path spells the folder before a child's name
    found: list[tuple[tuple[str, ...], str]] = []
    stack: list[tuple[str, tuple[str, ...]]] = [(prefix, ())]
    while stack:
        here, parts = stack.pop()
        try:
            with os.scandir(here or ".") as entries:
                listed = list(entries)
        except OSError:  # an unreadable folder contributes nothing, as under rglob
            continue
        for entry in listed:
            name = entry.name
            if name.startswith("."):
                continue
            key = (*parts, os.path.normcase(name))
            if entry.is_dir() and not entry.is_symlink():
                stack.append((f"{here}{name}{os.sep}", key))
            elif name.endswith(_EVIDENCE_SUFFIXES) and not name.startswith("~$") and entry.is_file():  # not hidden: the suffix is Path's
                found.append((key, here + name))
    found.sort()
    return [path for _, path in found]


def score_file(ruleset: RulesetChoice, path: str, record: Mapping[str, Any] | None = None, source: EvidenceSource | None = None) -> ScoredFile:
    """Read, validate and score one evidence file; a problem becomes the file's error, not an exception.

    The file is read and parsed once: when ``ruleset`` is a choice (a function of the file read),
    the ruleset it names is chosen from what was read, and the same document is then checked.
    With ``record``, ``path`` names a compact result record (``file.jsonl:LINE``) and the
    evidence it carries is scored instead, checked against ``ruleset`` as a file would be.
    With ``source``, the file has been read already (to be scored by two rulesets, say).
    """
    named = None
    try:
        if record is not None:
            assert isinstance(ruleset, Ruleset), "a compact record is scored by the ruleset given"
            result = evaluate(ruleset, record_evidence(dict(record), ruleset, path))
            return ScoredFile(path, replace(result, evidence_sha256=str(record["evidence"]["sha256"])), None)
        if source is None:
            source = read_source(path)
        if isinstance(ruleset, Ruleset):
            chosen = ruleset
        else:
            named = source.ruleset_name()  # a workbook's is read from its office sheet: only when asked
            chosen = ruleset(source)
        return ScoredFile(path, evaluate(chosen, source.evidence(chosen), source.raw), None, named)
    except PentasError as exc:
        return ScoredFile(path, None, exc, named)
    except RecursionError:
        return ScoredFile(path, None, EvidenceError(path, [EvidenceProblem("$", message("batch.too_deep"))]), named)
    except Exception as exc:  # noqa: BLE001 - a bug met on one file must not cost the batch the others
        error = PentasError(message("batch.internal_error", file=printable(path), kind=type(exc).__name__, detail=printable(str(exc))))
        return ScoredFile(path, None, error, named)


def score_files(ruleset: Ruleset, paths: Iterable[str], records: Mapping[str, Mapping[str, Any]] | None = None) -> Iterator[ScoredFile]:
    """Score each file in order, yielding as it goes; a path in ``records`` is that compact record (see :func:`compact_inputs`)."""
    records = records or {}
    for path in paths:
        yield score_file(ruleset, path, records.get(path))


def score_files_twice(
    first: Ruleset, second: Ruleset, paths: Iterable[str], records: Mapping[str, Mapping[str, Any]] | None = None
) -> Iterator[tuple[ScoredFile, ScoredFile]]:
    """Each file scored by two rulesets (a rule change's before and after), read and parsed once for both."""
    records = records or {}
    for path in paths:
        record = records.get(path)
        source = read_source(path) if record is None else None
        yield score_file(first, path, record, source), score_file(second, path, record, source)


def compact_inputs(files: Iterable[str]) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """``files`` with each JSON Lines file of compact results (``*.jsonl``) opened into its records.

    A record stands in the list as ``file.jsonl:LINE``, and the mapping gives it; the other
    files are kept as they are. Raises a located EvidenceError for a file that is not compact results.
    """
    paths: list[str] = []
    records: dict[str, dict[str, Any]] = {}
    for path in files:
        if not path.endswith(".jsonl"):
            paths.append(path)
            continue
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise EvidenceReadError(path, exc) from None
        for line, record in read_records(data, printable(path)):
            ref = f"{printable(path)}:{line}"
            paths.append(ref)
            records[ref] = record
    return paths, records


def duplicate_offices(keyed: Iterable[tuple[str, tuple[str, int]]], left_out: str) -> dict[str, str]:
    """Files of a batch that are the same office as another file: each path and why it is left out.

    ``keyed`` is ``(path, (region_code, year))`` for every file that could be read.
    One office is assessed once a year, so two files with the same region code and
    year (a draft and its final copy, say) are the same office twice; counting both
    would push every other office down a place. Neither can be chosen for the user,
    so every file of such a group is left out, and its message names the others.
    ``left_out`` says what happens to them ("ranked", "compared": the catalogue has a sentence for each).
    """
    groups: dict[tuple[str, int], list[str]] = {}
    for path, key in keyed:
        groups.setdefault(key, []).append(path)
    out: dict[str, str] = {}
    for (region_code, year), paths in groups.items():
        if len(paths) < 2:
            continue
        for path in paths:
            others = ", ".join(printable(p) for p in paths if p != path)
            out[path] = message(f"batch.duplicate_{left_out}", count=len(paths) - 1, region=region_code, year=year, others=others)
    return out
