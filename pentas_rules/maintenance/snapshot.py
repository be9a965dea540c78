"""Golden results: score every evidence file and keep its result beside the tests.

``take_snapshot`` mirrors the evidence tree under the output folder
(``evidence_samples/corpus/x.json`` -> ``OUT/corpus/x.json``), so files in
different subfolders cannot collide. A file is rewritten only when its result
changed, atomically, so an interrupted run never leaves half a result and a
rerun after no change touches nothing. A broken evidence file is reported and
the rest are still written. The caller supplies the rendering (the same as
``pentas score --format json``), so the golden files cannot drift from it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..batch.corpus import RulesetChoice, find_evidence_files, score_file
from ..engine.results import ScoreResult
from ..errors import OutputFileError, PentasError
from ..files.atomic import write_text_atomic
from ..messages import message

__all__ = ["SnapshotEntry", "stale_results", "take_snapshot", "targets"]


@dataclass(frozen=True, slots=True)
class SnapshotEntry:
    """What happened to one evidence file: ``new``, ``updated``, ``unchanged`` or ``error``."""

    evidence: str
    target: str
    status: str
    error: PentasError | None = None


def targets(evidence: str | Path, out: str | Path) -> list[tuple[str, Path]]:
    """Each evidence file under ``evidence`` (a folder, or one file) and the result file it gets under ``out``."""
    root = Path(evidence)
    results = Path(out).resolve()
    # A results folder inside the evidence folder holds results, not evidence; but when
    # the evidence folder is inside the results folder, every file found is evidence.
    nested = root.is_dir() and root.resolve() in results.parents
    pairs = []
    for path in find_evidence_files([evidence]):
        if nested and results in Path(path).resolve().parents:
            continue
        relative = Path(path).relative_to(root) if root.is_dir() else Path(Path(path).name)
        pairs.append((path, Path(out) / relative))
    return pairs


def take_snapshot(
    ruleset: RulesetChoice,
    evidence: str | Path,
    out: str | Path,
    render: Callable[[ScoreResult], str],
    pairs: list[tuple[str, Path]] | None = None,
) -> Iterator[SnapshotEntry]:
    """Score and write each result in turn, yielding what happened to it.

    ``pairs`` is :func:`targets` of the same arguments when the caller has it already
    (to check them against its inputs first), so the folder is not searched twice.
    """
    for path, target in pairs if pairs is not None else targets(evidence, out):
        scored = score_file(ruleset, path)
        if scored.result is None:
            yield SnapshotEntry(path, str(target), "error", scored.error)
            continue
        text = render(scored.result)
        try:
            before = target.read_text(encoding="utf-8") if target.is_file() else None
        except (OSError, UnicodeDecodeError):
            before = None
        if before == text:
            yield SnapshotEntry(path, str(target), "unchanged")
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputFileError(str(target.parent), exc, message("cli.cannot_create_folder")) from None
        write_text_atomic(target, text)
        yield SnapshotEntry(path, str(target), "new" if before is None else "updated")


def stale_results(out: str | Path, written: set[str], evidence: Iterable[str] = ()) -> list[str]:
    """Result files under ``out`` that no evidence file produced (the evidence was removed or renamed).

    The ``evidence`` files of the run are never among them, even when they sit under
    ``out``: the caller advises deleting stale results, and that must never be evidence.
    """
    folder = Path(out)
    if not folder.is_dir():
        return []
    inputs = {os.path.realpath(p) for p in evidence}
    return sorted(str(p) for p in folder.rglob("*.json") if p.is_file() and str(p) not in written and os.path.realpath(p) not in inputs)
