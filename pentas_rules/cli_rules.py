"""Commands for rule maintainers: ``lint``, ``test``, ``diff`` and ``snapshot``.

Thin click adapters over the core modules (lint, cases, coverage, junit,
rulediff, snapshot); they parse, call, render and choose the exit code: 0 ok,
1 a problem found or a check failed, 2 usage.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import dumps_json, handle_errors
from .errors import EXIT_PROBLEM

__all__ = ["lint"]

RULES_DIR = click.Path(file_okay=False, path_type=Path)


def _rules_dir(given: Path | None) -> Path:
    from .paths import default_rules_dir

    return given if given is not None else default_rules_dir()


@click.command()
@click.argument("rules_dir", required=False, type=RULES_DIR)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@handle_errors
def lint(rules_dir: Path | None, fmt: str) -> None:
    """Check a rules folder (default: the bundled ruleset): schema, catalogue and the logic of every level.

    Each finding is printed as 'file:line:column: severity code message'.
    Exits 1 when there is any error; warnings alone exit 0.
    """
    from .lint import lint as run_lint

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
