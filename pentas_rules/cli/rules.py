"""Commands for rule maintainers: ``lint``, ``test``, ``diff`` and ``snapshot``.

Thin click adapters over the core modules (lint, cases, coverage, junit,
rulediff, snapshot); they parse, call, render and choose the exit code: 0 ok,
1 a problem found or a check failed, 2 usage.
"""

from __future__ import annotations

import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from ..batch.corpus import compact_inputs, find_evidence_files
from ..engine.results import ScoreResult, dumps_json, to_json_bytes
from ..errors import EXIT_PROBLEM, OutputFileError, PentasError, RulesError, printable
from ..files.atomic import write_bytes_atomic
from ..files.pathguard import evidence_inputs, folder_files, refuse_overwrite, rule_inputs
from ..files.paths import default_rules_dir
from ..files.record import replace
from ..maintenance.cases import failure_text, load_cases, run_case
from ..maintenance.coverage import coverage_text, measure
from ..maintenance.diff import RulesetDiff, corpus_diff, diff_markdown, diff_text, structure_diff
from ..maintenance.gitrev import export_rules, is_git_spec
from ..maintenance.junit import junit_xml
from ..maintenance.lint import lint as run_lint
from ..maintenance.snapshot import stale_results, take_snapshot, targets
from ..messages import message
from ..ruleset.cache import load_ruleset_cached
from . import handle_errors, quiet_lang_option, rules_option, say_written
from .choose import NamedRulesets, source_rules

__all__ = ["diff", "lint", "snapshot", "test"]

RULES_DIR = click.Path(file_okay=False, path_type=Path)


def _rules_dir(given: Path | None) -> Path:
    return given if given is not None else default_rules_dir()


@click.command()
@click.argument("rules_dir", required=False, type=RULES_DIR)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@quiet_lang_option
@handle_errors
def lint(rules_dir: Path | None, fmt: str) -> None:
    """Check a rules folder (default: the bundled ruleset): schema, catalogue and the logic of every level.

    Each finding is printed as 'file:line:column: severity code message'.
    Exits 1 when there is any error; warnings alone exit 0.
    """
    report = run_lint(_rules_dir(rules_dir))
    if fmt == "json":
        click.echo(dumps_json(report.to_dict()), nl=False)
    else:
        for diagnostic in report.diagnostics:
            if diagnostic.acknowledged is None:
                click.echo(str(diagnostic))
        click.echo(report.summary())
    if not report.ok:
        sys.exit(EXIT_PROBLEM)


@click.command()
@click.argument("rules_dir", required=False, type=RULES_DIR)
@click.option("--cases", "cases_dir", type=RULES_DIR, default=None)
@click.option("--coverage", is_flag=True)
@click.option("--junit", "junit_file", type=click.Path(dir_okay=False, path_type=Path), default=None)
@quiet_lang_option
@handle_errors
def test(rules_dir: Path | None, cases_dir: Path | None, coverage: bool, junit_file: Path | None) -> None:
    """Run the rule cases beside the rules: given facts, the expected level or office total."""
    folder = _rules_dir(rules_dir)
    if junit_file is not None:
        case_files = [("rule case file", f) for f in folder_files(cases_dir)] if cases_dir is not None else []
        refuse_overwrite([*rule_inputs(folder), *case_files], [("JUnit file (--junit)", junit_file)])
    ruleset = source_rules(folder, None)
    cases = load_cases(ruleset, cases_dir)
    if not cases:
        raise PentasError(message("cli.no_rule_cases", folder=cases_dir if cases_dir is not None else folder / "tests"))
    outcomes = [run_case(ruleset, case) for case in cases]
    for outcome in outcomes:
        if not outcome.passed:
            click.echo(message("cli.case_failed", text=failure_text(outcome, ruleset)))
            click.echo("")
    if coverage:
        click.echo(coverage_text(measure(ruleset, outcomes), str(folder)), nl=False)
    if junit_file is not None:
        try:
            junit_file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputFileError(str(junit_file.parent), exc, message("cli.cannot_create_folder")) from None
        write_bytes_atomic(junit_file, junit_xml(ruleset, outcomes))
        say_written("written.junit", file=junit_file)
    failed = sum(not o.passed for o in outcomes)
    click.echo(message("cli.cases_passed", passed=len(outcomes) - failed, failed=failed))
    if failed:
        sys.exit(EXIT_PROBLEM)


def _load_side(spec: str, other: str, stack: ExitStack) -> Any:
    """A ruleset from a folder, or from ``git:REV[:PATH]`` exported into a temporary folder."""
    if not is_git_spec(spec):
        return load_ruleset_cached(spec)
    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="pentas-diff-"))
    defaults = tuple(d for d in (other if not is_git_spec(other) else "", str(default_rules_dir())) if d)
    folder = export_rules(spec, defaults, Path(tmp))
    try:
        return load_ruleset_cached(folder)
    except RulesError as exc:
        # Name the revision and folder (git:REV:PATH), not the temporary copy about to disappear.
        rev = spec[len("git:") :].partition(":")[0]
        label = f"git:{rev}:{folder.relative_to(tmp).as_posix()}"
        raise RulesError([p.moved(replace(p.location, file=(p.file or "").replace(str(folder), label))) for p in exc.problems]) from None


@click.command()
@click.argument("old", type=str)
@click.argument("new", type=str)
@click.option(
    "--evidence",
    "evidence",
    multiple=True,
    type=click.Path(exists=True),
)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@click.option("--fail-on-change", is_flag=True)
@quiet_lang_option
@handle_errors
def diff(old: str, new: str, evidence: tuple[str, ...], fmt: str, fail_on_change: bool) -> None:
    """Compare two rulesets OLD and NEW (folders, or git:REV[:PATH]) and their effect on an evidence corpus."""
    with ExitStack() as stack:
        old_rs = _load_side(old, new, stack)
        new_rs = _load_side(new, old, stack)
    changes = structure_diff(old_rs, new_rs)
    corpus = corpus_diff(old_rs, new_rs, *compact_inputs(find_evidence_files(evidence))) if evidence else None
    result = RulesetDiff(old, new, old_rs, new_rs, changes, corpus, tuple(evidence))
    if fmt == "json":
        click.echo(dumps_json(result.to_dict()), nl=False)
    elif fmt == "markdown":
        click.echo(diff_markdown(result), nl=False)
    else:
        click.echo(diff_text(result), nl=False)
    if corpus is not None and corpus.duplicates:
        # The text lists them for the reader; JSON and Markdown usually go to a file, so stderr says it too.
        if fmt != "text":
            for path, text in corpus.duplicates:
                click.echo(message("cli.error_line", file=printable(path), text=text), err=True)
        sys.exit(EXIT_PROBLEM)
    if fail_on_change and result.scores_changed:
        sys.exit(EXIT_PROBLEM)


@click.command()
@click.option("--evidence", "evidence", required=True, type=click.Path(exists=True))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@rules_option
@quiet_lang_option
@handle_errors
def snapshot(evidence: str, out: Path, rules_dir: Path | None) -> None:
    """Write the expected result of every evidence file (as `pentas score --format json`), for the tests."""
    pairs = targets(evidence, out)
    sources = [path for path, _ in pairs]
    outputs = [("output folder (--out)", out), *(("result (--out)", target) for _, target in pairs)]
    refuse_overwrite([*evidence_inputs([evidence], sources), *rule_inputs(rules_dir)], outputs)
    # Each result is its own ruleset's: without --rules/--ruleset every file is scored by the one it names,
    # chosen from the file as it is read (once).
    choice = NamedRulesets(rules_dir)
    counts = {"new": 0, "updated": 0, "unchanged": 0, "error": 0}
    written: set[str] = set()

    def render(result: ScoreResult) -> str:
        return to_json_bytes(result).decode("utf-8")

    # A ruleset given scores every file as it is: no file need say which it names (as rank does).
    for entry in take_snapshot(choice.given if choice.given is not None else choice, evidence, out, render, pairs):
        counts[entry.status] += 1
        written.add(entry.target)
        if entry.status == "error":
            click.echo(message("cli.error", text=entry.error), err=True)
        elif entry.status != "unchanged":
            click.echo(message(f"cli.snapshot_entry_{entry.status}", file=entry.target))
    # Only a whole folder of evidence says which results should exist.
    for path in stale_results(out, written, sources) if Path(evidence).is_dir() else []:
        click.echo(message("cli.snapshot_stale", file=path), err=True)
    total = sum(counts.values())
    click.echo(message("cli.snapshot_summary", None, None, total=total, **counts))
    if counts["new"] + counts["updated"]:  # the summary says nothing changed; the folder is worth naming only when written
        say_written("written.snapshot", count=counts["new"] + counts["updated"], folder=out)
    if counts["error"]:
        sys.exit(EXIT_PROBLEM)
