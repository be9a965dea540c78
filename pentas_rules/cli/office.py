"""Commands on one office's evidence besides ``score``: ``explain`` and ``validate``; and the two
that describe what evidence may be: ``schema`` and ``rulesets``.

They live apart from ``score`` so that its start-up does not build their options (imported only
when invoked, or listed by --help, as every command but ``score`` is).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..engine.evaluate import evidence_warnings
from ..engine.results import dumps_json
from ..errors import EXIT_PROBLEM, EvidenceError
from ..evidence.reader import evidence_schema, read_source
from ..files.paths import bundled_rulesets
from ..messages import get_language, message
from ..ruleset.cache import load_ruleset_cached
from ..text.explain import explain_indicator, indicator_next_step, next_step_dict, resolve_indicator
from . import (
    _echo_err,
    _exit_if_strict,
    _open_evidence,
    _result,
    handle_errors,
    lang_option,
    office_option,
    quiet_lang_option,
    rules_option,
    strict_option,
    strict_reasons,
)
from .choose import NamedRulesets, source_rules

__all__ = ["explain", "rulesets", "schema", "validate"]

EXPLAIN_FORMAT = "pentas-explain/1"


@click.command()
@click.argument("evidence", type=str)
@click.argument("indicator", type=str)
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@office_option
@strict_option
@rules_option
@handle_errors
def explain(evidence: str, indicator: str, lang: str, fmt: str, office: str | None, strict: bool, rules_dir: Path | None) -> None:
    """Explain every level of one INDICATOR (its id, or its number in the rubric) for an office.

    EVIDENCE is its evidence JSON file, or a .jsonl file of compact results (with --office).
    """
    ruleset, source = _open_evidence(rules_dir, evidence)
    indicator_id = resolve_indicator(ruleset, indicator)
    result = _result(ruleset, evidence, office, source)
    if fmt == "json":
        ir = result.indicator(indicator_id)
        # An auditable unit on its own: the result's provenance header (engine, ruleset, evidence
        # hash, office, the reproducing command), the indicator's trace and the next-step advice.
        header = result.header_dict()
        out = {
            "format": EXPLAIN_FORMAT,
            **{key: header[key] for key in ("engine", "ruleset", "evidence", "reproduce", "office", "warnings")},
            **ir.to_dict(),
            "next_step": next_step_dict(indicator_next_step(ir, ruleset.catalogue), ruleset.catalogue, lang),
            # The readings its levels cite, in full: the result itself carries only their ids.
            "interpretations": [r.to_dict() for r in ruleset.readings(ir.indicator.levels)],
        }
        click.echo(dumps_json(out), nl=False)
        for warning in result.warnings:  # the indicator's JSON has no place for them
            _echo_err(message("cli.warning_line", file=result.evidence.file, text=warning.text(lang)))
    else:
        click.echo(explain_indicator(result, indicator_id, lang), nl=False)
    _exit_if_strict(strict, result)


@click.command()
@click.argument("evidence", type=str, nargs=-1, required=True)
@lang_option
@strict_option
@rules_option
@handle_errors
def validate(evidence: tuple[str, ...], lang: str, strict: bool, rules_dir: Path | None) -> None:
    """Check EVIDENCE files against the schema and report every problem at once.

    A valid file's warnings (contradictory facts, another year) are listed too;
    they fail the check only with --strict.
    """
    failed = 0
    choose = NamedRulesets(rules_dir)  # each ruleset loaded once, however many files name it
    for path in evidence:
        source = read_source(path)  # read and parsed once: it names its ruleset, which then checks it
        ruleset = choose(source)
        display = source.file
        try:
            parsed = source.evidence(ruleset)
        except EvidenceError as exc:  # every problem at once, each located
            problems = list(exc.problems)
        else:
            warnings = evidence_warnings(ruleset, parsed)
            missing = sum(1 for name in ruleset.rule_facts if name not in parsed.facts)
            if warnings:
                click.echo(message("cli.validate_valid_warnings", file=display, count=len(warnings)))
            else:
                click.echo(message("cli.validate_valid", file=display))
            for warning in warnings:
                click.echo(message("cli.validate_warning", text=warning.text(lang)))
            reason = strict_reasons(missing, len(warnings)) if strict else None
            if reason is not None:
                click.echo("  " + message("cli.strict_failed", label="", reason=reason))
                failed += 1
            continue
        failed += 1
        click.echo(message("cli.validate_problems", file=display, count=len(problems)))
        for problem in problems:
            click.echo(f"  {problem}")
    if failed:
        sys.exit(EXIT_PROBLEM)


@click.command()
@quiet_lang_option
@rules_option
@handle_errors
def schema(rules_dir: Path | None) -> None:
    """Print the evidence JSON Schema generated from the ruleset's fact catalogue."""
    ruleset = source_rules(rules_dir, None)
    click.echo(dumps_json(evidence_schema(ruleset)), nl=False)


@click.command()
@quiet_lang_option
@handle_errors
def rulesets() -> None:
    """List the bundled rulesets: name, version, fingerprint and title."""
    for name, folder in bundled_rulesets().items():
        ruleset = load_ruleset_cached(folder)
        title = ruleset.title_id if get_language() == "id" else ruleset.title_en
        click.echo(f"{name}  {ruleset.version}  {ruleset.fingerprint[:12]}  {title}")
