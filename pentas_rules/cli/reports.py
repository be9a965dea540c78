"""``pentas report`` and ``pentas rank``: reports people print and sign, and leaderboards of many offices.

A thin click adapter: scoring, ranking and wording live in the pure core
(:mod:`corpus`, :mod:`ranking`, :mod:`leaderboard`, :mod:`pool`, :mod:`report_model`) and
jinja2 in :mod:`report`. Every file is written atomically, a bad evidence file
never stops a batch (it is listed with its error, and the exit code is 1), and
a batch holds one small row per office, never a whole result, so memory stays
flat however many offices are ranked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import click

from ..batch import leaderboard
from ..batch.corpus import duplicate_offices, find_evidence_files
from ..batch.pool import Job, default_jobs
from ..batch.pool import outcomes as batch_outcomes
from ..batch.ranking import BatchError, province_key, rank_rows
from ..batch.staging import ReportStaging
from ..errors import EXIT_PROBLEM, OutputFileError, PentasError, UsageError, printable, suggest
from ..files.atomic import write_bytes_atomic, write_text_atomic
from ..files.pathguard import evidence_inputs, refuse_overwrite, rule_inputs
from ..files.paths import DEFAULT_RULESET
from ..messages import message
from . import _exit_if_strict, _open_evidence, _result, handle_errors, lang_option, office_option, rules_option, say_written, strict_option, strict_reasons
from .choose import NamedRulesets, refuse_mixed

__all__ = ["rank", "report"]

PLAN_APPENDIX_TOP = 10  # the report's improvement appendix lists the changes that gain most per change


@click.command()
@click.argument("evidence", type=str)
@click.option("-o", "--output", required=True)
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True)
@lang_option
@click.option("--no-plan", is_flag=True)
@office_option
@strict_option
@rules_option
@handle_errors
def report(evidence: str, output: str, fmt: str, lang: str, office: str | None, strict: bool, rules_dir: Path | None, no_plan: bool) -> None:
    """Write the assessment report of one office from its EVIDENCE JSON file (or a .jsonl file of compact results, with --office).

    HTML is a self-contained page (no scripts, no external files) that prints on
    A4 with a signature block; Markdown is for pasting into documents.
    """
    from ..engine.plan import make_plan  # deferred: with the report, for its improvement appendix
    from ..text.plan import plan_view  # deferred: with the report, for its improvement appendix
    from ..text.report import render_report  # deferred: jinja2 and the report module (about 55 ms) only for commands that write a report

    refuse_overwrite([("evidence file", evidence), *rule_inputs(rules_dir)], [("output file (-o)", output)])
    ruleset, source = _open_evidence(rules_dir, evidence)
    result = _result(ruleset, evidence, office, source)
    improvement = None if no_plan else plan_view(make_plan(result, PLAN_APPENDIX_TOP), lang)
    text = render_report(result, fmt, lang, improvement)
    if output == "-":
        click.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
        say_written("written.report", file=output)
    # The report shows its warnings; say so where the command was run too.
    for warning in result.warnings:
        click.echo(message("cli.warning_line", file=result.evidence.file, text=warning.text(lang)), err=True)
    _exit_if_strict(strict, result)


# -- rank -------------------------------------------------------------------------------


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


def _href(report: str, output: str | None) -> str:
    """A link from the leaderboard file to a report, relative so the folder can be moved or zipped."""
    start = os.path.dirname(os.path.abspath(output)) if output and output != "-" else os.getcwd()
    return quote(Path(os.path.relpath(os.path.abspath(report), start)).as_posix())


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "html", "xlsx"]),
    default="table",
    show_default=True,
)
@click.option("--province")
@click.option("--tiebreak", type=click.Choice(["weight"]))
@click.option("--computed", is_flag=True)
@click.option("--reports", "reports_dir", type=click.Path(file_okay=False, path_type=Path))
@lang_option
@click.option("-o", "--output")
@click.option("--results", "results_file")
@click.option(
    "--group-by",
    "group_by",
    type=click.Choice(["ruleset"]),
)
@click.option("--jobs", type=click.IntRange(min=1))
@strict_option
@rules_option
@handle_errors
def rank(
    inputs: tuple[str, ...],
    fmt: str,
    province: str | None,
    tiebreak: str | None,
    computed: bool,
    reports_dir: Path | None,
    lang: str,
    output: str | None,
    results_file: str | None,
    group_by: str | None,
    jobs: int | None,
    strict: bool,
    rules_dir: Path | None,
) -> None:
    """Score every evidence file in INPUTS (files or folders, searched recursively) and rank the offices.

    Offices are ranked by their final totals, with the assessors' overrides (marked ^);
    --computed ranks by the totals the evidence alone gives. Equal totals share a rank (1, 2, 2, 4). A file that cannot be scored is listed
    with its error after the leaderboard, the others are still ranked, and the exit
    code is 1.
    """
    if fmt == "xlsx" and (not output or output == "-"):
        raise UsageError(message("cli.xlsx_needs_output"))
    files = find_evidence_files(inputs)
    if not files:
        raise PentasError(message("cli.no_evidence_files", inputs=", ".join(inputs)))
    targets = _report_targets(files, reports_dir) if reports_dir is not None else {}
    outputs = [("report (--reports)", t) for t in targets.values()]
    if results_file is not None:
        outputs.append(("results file (--results)", results_file))
    refuse_overwrite([*evidence_inputs(inputs, files), *rule_inputs(rules_dir)], [*outputs, ("output file (-o)", output or "-")])
    if province is not None and not province.strip():
        raise UsageError(message("cli.province_empty"))
    wanted = province_key(province) if province is not None else None
    with contextlib.ExitStack() as stack:
        # The reports are a unit: staged until the batch is accepted, so a refused or interrupted one replaces none.
        staging = None
        if reports_dir is not None:
            try:
                staging = stack.enter_context(ReportStaging(reports_dir, targets))
            except OSError as exc:
                raise OutputFileError(str(reports_dir), exc, message("cli.cannot_create_reports")) from None
        # Each file is read once: without --rules/--ruleset, the worker scoring it chooses the ruleset it names.
        choice = NamedRulesets(rules_dir)
        job = Job(
            choice.given if choice.given is not None else choice,
            lang,
            wanted,
            staging.staged() if staging is not None else {},
            results_file is not None,
            computed,
        )
        groups = _rank_groups(job, files, jobs, choice, grouped=group_by is not None)
        if len(groups) > 1 and fmt in ("csv", "html", "xlsx"):
            raise UsageError(message("cli.one_ruleset_board", fmt=fmt, count=len(groups)))
        if staging is not None:
            final = staging.final
            groups = [(rs, g._replace(rows=[dataclasses.replace(row, report=final(row.report)) for row in g.rows])) for rs, g in groups]
        rows, errors, warned, records, other_provinces = _gather(groups)
        if province is not None and not rows and other_provinces:
            hint = suggest(" ".join(province.split()), sorted(other_provinces))
            tail = message("cli.did_you_mean", name=hint) if hint else message("cli.provinces_found", names=", ".join(sorted(other_provinces)))
            raise PentasError(message("cli.no_office_in_province", province=province, tail=tail))
        if staging is not None:
            staging.commit()
    # Warnings go to stderr, one line each, so the leaderboard itself keeps its shape in every format.
    for path, text in warned:
        click.echo(message("cli.warning_line", file=path, text=text), err=True)
    rendered = [_render_ranking(fmt, rank_rows(g.rows, rs.aspects, tiebreak, rs.aggregation), rs, g.errors, lang, province, output) for rs, g in groups]
    board: str | bytes
    if len(rendered) == 1:
        board = rendered[0]
    elif fmt == "json":
        board = "[\n" + ",\n".join(str(t).rstrip("\n") for t in rendered) + "\n]\n"
    else:
        board = "\n".join(str(t) for t in rendered)
    if results_file is not None:
        # In input order, the bytes `score --format jsonl` writes for the same files; only offices ranked.
        ranked = {row.path for row in rows}
        write_bytes_atomic(results_file, b"".join(record for path, record in records.items() if path in ranked))
        say_written("written.results", count=len(ranked), file=results_file)
    if reports_dir is not None:
        say_written("written.reports", count=sum(1 for row in rows if row.report is not None), folder=reports_dir)
    if output and output != "-":
        if isinstance(board, bytes):  # the workbook; --format xlsx was refused above without -o FILE
            write_bytes_atomic(output, board)
        else:
            write_text_atomic(output, board)
        say_written("written.leaderboard", count=len(rows), file=output)
    else:
        click.echo(board, nl=False)
    if errors:
        # The table, JSON and HTML list bad files themselves; say it on stderr too when that
        # document is not what the terminal shows (CSV and the workbook have no place for them).
        if fmt in ("csv", "xlsx") or (output and output != "-"):
            for error in errors:
                click.echo(message("cli.error_line", file=error.path, text=error.message), err=True)
        sys.exit(EXIT_PROBLEM)
    if strict:
        warning_count = Counter(path for path, _ in warned)
        failing = [(row.path, strict_reasons(row.missing_facts, warning_count[row.path])) for row in rows]
        failing = [(path, reason) for path, reason in failing if reason is not None]
        for path, reason in failing:
            click.echo(message("cli.strict_file", file=path, reason=reason), err=True)
        if failing:
            click.echo(message("cli.strict_offices", count=len(failing), total=len(rows)), err=True)
            sys.exit(EXIT_PROBLEM)


def _gather(groups: list[tuple[Any, _Ranked]]) -> tuple[list[Any], list[Any], list[tuple[str, str]], dict[str, bytes], set[str]]:
    """Every group's rows, errors, warnings, records and the provinces left out, together."""
    rows: list[Any] = []
    errors: list[Any] = []
    warned: list[tuple[str, str]] = []
    records: dict[str, bytes] = {}
    other_provinces: set[str] = set()
    for _, scored in groups:
        rows += scored.rows
        errors += scored.errors
        warned += scored.warned
        records.update(scored.records)
        other_provinces |= scored.other_provinces
    return rows, errors, warned, records, other_provinces


class _Ranked(NamedTuple):
    rows: list[Any]
    errors: list[Any]
    warned: list[tuple[str, str]]
    records: dict[str, bytes]
    other_provinces: set[str]


def _rank_groups(job: Job, files: list[str], jobs: int | None, choice: NamedRulesets, grouped: bool) -> list[tuple[Any, _Ranked]]:
    """Score every file (in worker processes for a large batch), each read once, and group them by ruleset.

    With a ruleset given, it scores every file (a file naming another is then refused by the
    evidence check, located). Otherwise each file is scored by the ruleset it names, and a batch
    naming different rulesets is refused, every file named, unless ``grouped``: then one group per
    ruleset, in name order.
    """
    given = choice.given
    by_name: dict[str, list[Any]] = {}
    outcomes = batch_outcomes(job, files, jobs if jobs is not None else default_jobs(len(files)))
    # A bar only for a person watching: in a pipe or a CI log it would be noise.
    bar = click.progressbar(length=len(files), label="scoring", file=sys.stderr) if sys.stderr.isatty() else None
    try:
        with bar if bar is not None else contextlib.nullcontext():
            for outcome in outcomes:
                if bar is not None:
                    bar.update(1)
                by_name.setdefault("" if given is not None else outcome.named or DEFAULT_RULESET, []).append(outcome)
    finally:
        outcomes.close()  # on Ctrl-C, stop the workers cleanly now rather than whenever this is collected
    if given is not None:
        return [(given, _ranked(by_name.get("", [])))]
    if not grouped:
        refuse_mixed({name: [o.path for o in group] for name, group in by_name.items()})
    # The rulesets this process loaded to score (in-process batches) are reused; forked workers loaded their own.
    return [(choice.named(name, group[0].path), _ranked(group)) for name, group in sorted(by_name.items())]


def _ranked(outcomes: list[Any]) -> _Ranked:
    """One ruleset's scored files: the rows to rank and the files that failed."""
    rows: list[Any] = []
    errors: list[Any] = []
    other_provinces: set[str] = set()
    warned: list[tuple[str, str]] = []
    records: dict[str, bytes] = {}
    for outcome in outcomes:
        if outcome.error is not None:
            errors.append(BatchError(outcome.path, outcome.error))
        if outcome.row is not None:  # an office whose report failed is still ranked
            rows.append(outcome.row)
            records[outcome.path] = outcome.record
            warned.extend((outcome.path, text) for text in outcome.warnings)
        elif outcome.province is not None:
            other_provinces.add(outcome.province)
    # The same office twice would push every other office down: rank neither copy.
    duplicates = duplicate_offices(((row.path, (row.region_code, row.year)) for row in rows), "ranked")
    if duplicates:
        errors += [BatchError(row.path, duplicates[row.path]) for row in rows if row.path in duplicates]
        rows = [row for row in rows if row.path not in duplicates]
    return _Ranked(rows, errors, warned, records, other_provinces)


def _render_ranking(fmt: str, ranking: Any, ruleset: Any, errors: list[Any], lang: str, province: str | None, output: str | None) -> str | bytes:
    if fmt == "xlsx":
        return leaderboard.leaderboard_xlsx(ranking, ruleset, lang)
    if fmt == "csv":
        return leaderboard.leaderboard_csv(ranking, ruleset)
    if fmt == "json":
        return leaderboard.leaderboard_json(ranking, ruleset, errors, province)
    if fmt == "html":
        # deferred: jinja2 and the report module (about 55 ms) only for the HTML leaderboard
        from ..text.report import render_leaderboard_html

        view = leaderboard.leaderboard_view(ranking, ruleset, errors, lang, province, link=lambda report: _href(report, output))
        return render_leaderboard_html(view)
    return leaderboard.leaderboard_text(ranking, ruleset, errors, lang, province)
