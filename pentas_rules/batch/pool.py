"""The worker pool of a batch: every evidence file scored (and its report written) in input order.

Batches of ``_POOL_THRESHOLD`` files or more use forked worker processes, which inherit
the loaded ruleset and compiled templates; each sends back a small packed row, never a
whole result, so memory stays flat however many offices are ranked.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..engine.compact import compact_line
from ..errors import EvidenceError, PentasError, printable
from ..files.atomic import write_text_atomic
from ..messages import message
from .corpus import score_file
from .ranking import LeaderboardRow, leaderboard_row, province_key

__all__ = ["Job", "default_jobs", "outcomes"]

# Below this many files, starting worker processes costs more than it saves.
_POOL_THRESHOLD = 32


def _error_message(exc: PentasError) -> str:
    """The first problem of a bad file, without repeating its path (the listing shows it)."""
    if isinstance(exc, EvidenceError) and exc.problems:
        return exc.summary()
    return exc.message


@dataclass(frozen=True, slots=True)
class Job:
    ruleset: Any  # a Ruleset, or how to choose each file's from the file read once (corpus.RulesetChoice)
    lang: str
    province: str | None  # province_key of the filter, or None
    targets: dict[str, str]
    records: bool = False  # also send back each ranked office's compact result line (rank --results)
    computed: bool = False  # rank by the totals the evidence alone gives, not the final ones (rank --computed)


@dataclass(frozen=True, slots=True)
class _Outcome:
    path: str
    row: Any = None  # LeaderboardRow when scored and kept
    error: str | None = None
    province: str | None = None  # set when the office was left out by the province filter
    warnings: tuple[str, ...] = ()  # the scored office's warnings, as text
    record: bytes = b""  # its compact result line, when the job asks for records
    named: str | None = None  # the ruleset the file names, when the job chose each file's (see Job.ruleset)


# The batch's settings, set before worker processes fork so that they inherit the
# loaded ruleset and compiled templates instead of loading them again.
_JOB: Job | None = None

# What a worker sends back: plain strings and integers. Pickling a Fraction goes
# through str() and a regex parse on the other side, which for 14 scores per office
# cost more than the scoring saved on two cores.
_Packed = tuple[str, str, Any]


def _pack(outcome: _Outcome) -> _Packed:
    if outcome.row is None:
        if outcome.error is not None:
            return ("error", outcome.path, (outcome.error, outcome.named))
        return ("skipped", outcome.path, (outcome.province, outcome.named))
    r = outcome.row
    scores = (r.total, *r.contributions)
    numbers = tuple(n for f in scores for n in (f.numerator, f.denominator))
    return (
        "row",
        outcome.path,
        (r.office, r.region_code, r.province, numbers, r.missing_facts, r.report, r.year, outcome.error, outcome.warnings, outcome.record, outcome.named),
    )


def _unpack(packed: _Packed) -> _Outcome:
    kind, path, payload = packed
    if kind == "error":
        return _Outcome(path, error=payload[0], named=payload[1])
    if kind == "skipped":
        return _Outcome(path, province=payload[0], named=payload[1])
    office, region_code, province, numbers, missing, report, year, error, warnings, record, named = payload
    scores = [Fraction(numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
    row = LeaderboardRow(path, office, region_code, province, scores[0], tuple(scores[1:]), missing, report, year)
    return _Outcome(path, row=row, error=error, warnings=warnings, record=record, named=named)


def _score_one(path: str) -> _Packed:
    if _STOP is not None and _STOP.is_set():
        return ("stopped", path, None)
    return _pack(_score_file(path))


# Set by the parent on Ctrl-C: workers finish the file in hand and skip the rest, so
# no report is cut off by a kill, and no temporary file is left behind.
_STOP: Any = None


def _worker_start() -> None:
    # Ctrl-C reaches every process of the terminal's group; only the parent acts on it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _score_file(path: str) -> _Outcome:
    job = _JOB
    assert job is not None
    scored = score_file(job.ruleset, path)
    target = job.targets.get(path)
    path = printable(path)  # from here on the path is only shown
    named = scored.named
    if scored.error is not None or scored.result is None:
        return _Outcome(path, error=_error_message(scored.error) if scored.error else "not scored", named=named)
    result = scored.result
    if job.province is not None and province_key(result.evidence.meta.province) != job.province:
        return _Outcome(path, province=result.evidence.meta.province, named=named)
    warnings = tuple(w.text("en") for w in result.warnings)
    record = compact_line(result) if job.records else b""
    if target is not None:
        # deferred: jinja2 and the report module (about 55 ms) only for a batch that writes reports
        from ..text.report import render_report

        try:
            write_text_atomic(target, render_report(result, "html", job.lang))
        except Exception as exc:  # noqa: BLE001 - the office is still ranked; its report is listed as not written
            # A worker may be a fresh process: the job carries the language, not the process state.
            reason = exc.message if isinstance(exc, PentasError) else message("batch.internal", job.lang, kind=type(exc).__name__, detail=exc)
            error = message("batch.report_not_written", job.lang, reason=reason)
            return _Outcome(path, row=leaderboard_row(path, result, None, job.computed), error=error, warnings=warnings, record=record, named=named)
    return _Outcome(path, row=leaderboard_row(path, result, target, job.computed), warnings=warnings, record=record, named=named)


def _outcomes(files: list[str], jobs: int) -> Iterator[_Outcome]:
    """Each file's outcome in input order, from worker processes when ``jobs`` > 1."""
    if jobs <= 1:
        for path in files:
            yield _score_file(path)
        return
    global _STOP
    context = multiprocessing.get_context("fork")
    _STOP = context.Event()
    finished = False
    try:
        with context.Pool(jobs, initializer=_worker_start) as pool:
            try:
                # Ordered, in chunks: results stream back in file order while every core works.
                for packed in pool.imap(_score_one, files, chunksize=16):
                    yield _unpack(packed)
                finished = True
            finally:
                if not finished:  # interrupted, or the caller stopped early
                    _STOP.set()
                    pool.close()
                    pool.join()
    finally:
        _STOP = None


def default_jobs(count: int) -> int:
    if count < _POOL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def outcomes(job: Job, files: list[str], jobs: int) -> Generator[_Outcome, None, None]:
    """Each file's outcome in input order, scored under ``job``, by ``jobs`` worker processes (1: in this one).

    Close the iterator when stopping early (Ctrl-C): the workers then finish the file in hand and stop.
    """
    global _JOB
    if job.targets:
        # deferred: jinja2 (about 55 ms) only when reports are written; compiled here, once, before workers fork
        from ..text.report import render_report  # noqa: F401 - imported for its effect: the templates are compiled once, here

    _JOB = job
    try:
        yield from _outcomes(files, jobs)
    finally:
        _JOB = None
