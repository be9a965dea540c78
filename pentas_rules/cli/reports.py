"""``pentas report`` and ``pentas rank``: reports people print and sign, and leaderboards of many offices.

A thin click adapter: scoring, ranking and wording live in the pure core
(:mod:`corpus`, :mod:`ranking`, :mod:`leaderboard`, :mod:`report_model`) and
jinja2 in :mod:`report`. Every file is written atomically, a bad evidence file
never stops a batch (it is listed with its error, and the exit code is 1), and
a batch holds one small row per office, never a whole result, so memory stays
flat however many offices are ranked.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from ..files.atomic import write_text_atomic
from . import LANGS, _exit_if_strict, _load_rules, _score, handle_errors, rules_option, strict_option, strict_reasons
from ..errors import EXIT_PROBLEM, EvidenceError, PentasError, UsageError, printable

__all__ = ["rank", "report"]


@click.command()
@click.argument("evidence", type=str)
@click.option("-o", "--output", required=True, help="File to write ('-' writes to standard output).")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True)
@click.option("--lang", type=LANGS, default="id", show_default=True, help="Language of the report.")
@strict_option
@rules_option
@handle_errors
def report(evidence: str, output: str, fmt: str, lang: str, strict: bool, rules_dir: Path | None) -> None:
    """Write the assessment report of one office from its EVIDENCE JSON file.

    HTML is a self-contained page (no scripts, no external files) that prints on
    A4 with a signature block; Markdown is for pasting into documents.
    """
    from ..files.pathguard import refuse_overwrite, rule_inputs
    from ..text.report import render_report

    refuse_overwrite([("evidence file", evidence), *rule_inputs(rules_dir)], [("output file (-o)", output)])
    ruleset = _load_rules(rules_dir)
    result = _score(ruleset, evidence)
    text = render_report(result, fmt, lang)
    if output == "-":
        click.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
    # The report shows its warnings; say so where the command was run too.
    for warning in result.warnings:
        click.echo(f"warning: {result.evidence.file}: {warning.text('en')}", err=True)
    _exit_if_strict(strict, result)


# -- rank -------------------------------------------------------------------------------

# Below this many files, starting worker processes costs more than it saves.
_POOL_THRESHOLD = 32


def _error_message(exc: PentasError) -> str:
    """The first problem of a bad file, without repeating its path (the listing shows it)."""
    if isinstance(exc, EvidenceError) and exc.problems:
        more = len(exc.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        return f"{exc.problems[0]}{suffix}"
    return exc.message


def _report_targets(files: Sequence[str], folder: Path) -> dict[str, str]:
    """One report file name per evidence file: its stem, numbered when two files share one."""
    targets: dict[str, str] = {}
    used: set[str] = set()
    for path in files:
        # A report's name goes into the leaderboard's links, so it must be text even
        # when the evidence file's name has bytes that are not UTF-8.
        stem = printable(Path(path).stem) or "office"
        name, n = f"{stem}.html", 1
        while name.casefold() in used:  # case-insensitive file systems would merge A.html and a.html
            n += 1
            name = f"{stem}-{n}.html"
        used.add(name.casefold())
        targets[path] = str(folder / name)
    return targets


@dataclass(frozen=True, slots=True)
class _Job:
    ruleset: Any
    lang: str
    province: str | None  # province_key of the filter, or None
    targets: dict[str, str]


@dataclass(frozen=True, slots=True)
class _Outcome:
    path: str
    row: Any = None  # LeaderboardRow when scored and kept
    error: str | None = None
    province: str | None = None  # set when the office was left out by the province filter
    warnings: tuple[str, ...] = ()  # the scored office's warnings, as text


# The batch's settings, set before worker processes fork so that they inherit the
# loaded ruleset and compiled templates instead of loading them again.
_JOB: _Job | None = None

# What a worker sends back: plain strings and integers. Pickling a Fraction goes
# through str() and a regex parse on the other side, which for 14 scores per office
# cost more than the scoring saved on two cores.
_Packed = tuple[str, str, Any]


def _pack(outcome: _Outcome) -> _Packed:
    if outcome.row is None:
        if outcome.error is not None:
            return ("error", outcome.path, outcome.error)
        return ("skipped", outcome.path, outcome.province)
    r = outcome.row
    scores = (r.total, *r.contributions)
    numbers = tuple(n for f in scores for n in (f.numerator, f.denominator))
    return ("row", outcome.path, (r.office, r.region_code, r.province, numbers, r.missing_facts, r.report, r.year, outcome.error, outcome.warnings))


def _unpack(packed: _Packed) -> _Outcome:
    from fractions import Fraction

    from ..batch.ranking import LeaderboardRow

    kind, path, payload = packed
    if kind == "error":
        return _Outcome(path, error=payload)
    if kind == "skipped":
        return _Outcome(path, province=payload)
    office, region_code, province, numbers, missing, report, year, error, warnings = payload
    scores = [Fraction(numbers[i], numbers[i + 1]) for i in range(0, len(numbers), 2)]
    row = LeaderboardRow(path, office, region_code, province, scores[0], tuple(scores[1:]), missing, report, year)
    return _Outcome(path, row=row, error=error, warnings=warnings)


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
    from ..batch.corpus import score_file
    from ..batch.ranking import leaderboard_row, province_key

    job = _JOB
    assert job is not None
    scored = score_file(job.ruleset, path)
    target = job.targets.get(path)
    path = printable(path)  # from here on the path is only shown
    if scored.error is not None or scored.result is None:
        return _Outcome(path, error=_error_message(scored.error) if scored.error else "not scored")
    result = scored.result
    if job.province is not None and province_key(result.evidence.meta.province) != job.province:
        return _Outcome(path, province=result.evidence.meta.province)
    warnings = tuple(w.text("en") for w in result.warnings)
    if target is not None:
        from ..text.report import render_report

        try:
            write_text_atomic(target, render_report(result, "html", job.lang))
        except Exception as exc:  # noqa: BLE001 - the office is still ranked; its report is listed as not written
            reason = exc.message if isinstance(exc, PentasError) else f"internal error: {type(exc).__name__}: {exc}"
            return _Outcome(path, row=leaderboard_row(path, result, None), error=f"report not written: {reason}", warnings=warnings)
    return _Outcome(path, row=leaderboard_row(path, result, target), warnings=warnings)


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


def _default_jobs(count: int) -> int:
    if count < _POOL_THRESHOLD or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def _href(report: str, output: str | None) -> str:
    """A link from the leaderboard file to a report, relative so the folder can be moved or zipped."""
    from urllib.parse import quote

    start = os.path.dirname(os.path.abspath(output)) if output and output != "-" else os.getcwd()
    return quote(Path(os.path.relpath(os.path.abspath(report), start)).as_posix())


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "html"]), default="table", show_default=True)
@click.option("--province", help="Rank only the offices of this province (case and spacing ignored).")
@click.option("--tiebreak", type=click.Choice(["weight"]), help="Break equal totals by aspect contributions, heaviest aspect first.")
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path), help="Also write each office's HTML report into this folder.")
@click.option("--lang", type=LANGS, default="id", show_default=True, help="Language of the table, the HTML pages and the reports.")
@click.option("-o", "--output", help="Write the leaderboard to this file instead of standard output.")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per core, up to 4, for batches of 32 files or more).")
@strict_option
@rules_option
@handle_errors
def rank(
    inputs: tuple[str, ...],
    fmt: str,
    province: str | None,
    tiebreak: str | None,
    reports_dir: Path | None,
    lang: str,
    output: str | None,
    jobs: int | None,
    strict: bool,
    rules_dir: Path | None,
) -> None:
    """Score every evidence file in INPUTS (files or folders, searched recursively) and rank the offices.

    Equal totals share a rank (1, 2, 2, 4). A file that cannot be scored is listed
    with its error after the leaderboard, the others are still ranked, and the exit
    code is 1.
    """
    global _JOB
    from ..batch.corpus import duplicate_offices, find_evidence_files
    from ..files.pathguard import evidence_inputs, refuse_overwrite, rule_inputs
    from ..batch.ranking import BatchError, province_key, rank_rows

    files = find_evidence_files(inputs)
    if not files:
        raise PentasError(f"no evidence files (*.json) found in {', '.join(inputs)}")
    targets = _report_targets(files, reports_dir) if reports_dir is not None else {}
    outputs = [("report (--reports)", t) for t in targets.values()]
    refuse_overwrite([*evidence_inputs(inputs, files), *rule_inputs(rules_dir)], [*outputs, ("output file (-o)", output or "-")])
    ruleset = _load_rules(rules_dir)
    if reports_dir is not None:
        try:
            reports_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise PentasError(f"{reports_dir}: cannot create the reports folder: {exc.strerror or exc}") from None
    if province is not None and not province.strip():
        raise UsageError("--province needs a province name")
    wanted = province_key(province) if province is not None else None
    if targets:
        from ..text.report import render_report  # noqa: F401 - compile the templates once, before workers fork

    _JOB = _Job(ruleset, lang, wanted, targets)
    rows, errors, other_provinces, warned = [], [], set(), []
    outcomes = _outcomes(files, jobs if jobs is not None else _default_jobs(len(files)))
    # A bar only for a person watching: in a pipe or a CI log it would be noise.
    bar = click.progressbar(length=len(files), label="scoring", file=sys.stderr) if sys.stderr.isatty() else None
    try:
        with bar if bar is not None else contextlib.nullcontext():
            for outcome in outcomes:
                if bar is not None:
                    bar.update(1)
                if outcome.error is not None:
                    errors.append(BatchError(outcome.path, outcome.error))
                if outcome.row is not None:  # an office whose report failed is still ranked
                    rows.append(outcome.row)
                    warned.extend((outcome.path, text) for text in outcome.warnings)
                elif outcome.province is not None:
                    other_provinces.add(outcome.province)
    finally:
        outcomes.close()  # on Ctrl-C, stop the workers cleanly now rather than whenever this is collected
        _JOB = None
    if province is not None and not rows and other_provinces:
        from ..ruleset.loader import suggest

        hint = suggest(" ".join(province.split()), sorted(other_provinces))
        tail = f"; did you mean '{hint}'?" if hint else f" (provinces found: {', '.join(sorted(other_provinces))})"
        raise PentasError(f"no office in province '{province}'{tail}")

    # The same office twice would push every other office down: rank neither copy.
    duplicates = duplicate_offices(((row.path, (row.region_code, row.year)) for row in rows), "ranked")
    if duplicates:
        errors += [BatchError(row.path, duplicates[row.path]) for row in rows if row.path in duplicates]
        rows = [row for row in rows if row.path not in duplicates]
    # Warnings go to stderr, one line each, so the leaderboard itself keeps its shape in every format.
    for path, text in warned:
        click.echo(f"warning: {path}: {text}", err=True)
    ranking = rank_rows(rows, ruleset.aspects, tiebreak)
    text = _render_ranking(fmt, ranking, ruleset, errors, lang, province, output)
    if output and output != "-":
        write_text_atomic(output, text)
    else:
        click.echo(text, nl=False)
    if errors:
        # The table, JSON and HTML list bad files themselves; say it on stderr too when that
        # document is not what the terminal shows (CSV has no place for them).
        if fmt == "csv" or (output and output != "-"):
            for error in errors:
                click.echo(f"error: {error.path}: {error.message}", err=True)
        sys.exit(EXIT_PROBLEM)
    if strict:
        from collections import Counter

        warning_count = Counter(path for path, _ in warned)
        failing = [(row.path, strict_reasons(row.missing_facts, warning_count[row.path])) for row in rows]
        failing = [(path, reason) for path, reason in failing if reason is not None]
        for path, reason in failing:
            click.echo(f"strict: {path}: {reason}", err=True)
        if failing:
            click.echo(f"{len(failing)} of {len(rows)} offices fail --strict", err=True)
            sys.exit(EXIT_PROBLEM)


def _render_ranking(fmt: str, ranking: Any, ruleset: Any, errors: list[Any], lang: str, province: str | None, output: str | None) -> str:
    from ..batch import leaderboard

    if fmt == "csv":
        return leaderboard.leaderboard_csv(ranking, ruleset)
    if fmt == "json":
        return leaderboard.leaderboard_json(ranking, ruleset, errors, province)
    if fmt == "html":
        from ..text.report import render_leaderboard_html

        view = leaderboard.leaderboard_view(ranking, ruleset, errors, lang, province, link=lambda report: _href(report, output))
        return render_leaderboard_html(view)
    return leaderboard.leaderboard_text(ranking, ruleset, errors, lang, province)
