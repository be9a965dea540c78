"""``pentas template`` and ``pentas convert``: evidence for people who do not write JSON.

A thin click adapter over ``evidence/workbook_write.py`` and ``workbook_read.py``.
Neither command writes over one of its inputs, nor, without ``--force``, over any
existing file; every file is written atomically.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from ..errors import PentasError, UsageError
from ..evidence.reader import read_source
from ..evidence.workbook_write import blank_document, workbook_bytes
from ..files.atomic import write_bytes_atomic
from ..files.pathguard import refuse_overwrite, rule_inputs
from ..messages import message
from . import handle_errors, lang_option, rules_option, say_written
from .choose import source_rules

__all__ = ["convert", "template"]


@click.command()
@click.option("-o", "--output", required=True)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "json"]), default=None)
@click.option("--from", "source")
@lang_option
@click.option("--force", is_flag=True)
@rules_option
@handle_errors
def template(output: str, fmt: str | None, source: str | None, lang: str, force: bool, rules_dir: Path | None) -> None:
    """Write a blank evidence workbook (or, with --from, one filled in) generated from the fact catalogue.

    An empty value cell means unknown. With --format json: a blank evidence JSON
    document with every fact present and null.
    """
    fmt = fmt or ("json" if output.endswith(".json") or output == "-" else "xlsx")
    if fmt == "xlsx" and output == "-":
        raise UsageError(message("cli.workbook_not_stdout"))
    _guard([("evidence file (--from)", source)] if source else [], output, force, rules_dir)
    given = read_source(source) if source else None  # read once: it names its ruleset, which then checks it
    ruleset = source_rules(rules_dir, given)
    doc = given.checked(ruleset)[1] if given is not None else None  # refused with every problem, located
    if fmt == "xlsx":
        _write(output, workbook_bytes(ruleset, doc, lang))
    else:
        blank = blank_document(ruleset)
        if doc is not None:
            blank["meta"].update(doc.get("meta", {}))
            for group, entries in doc.get("facts", {}).items():
                blank["facts"][group].update(entries)
        _write(output, _json_bytes(blank))
    _say_written(output, ruleset, fmt == "xlsx", source)


@click.command()
@click.argument("source", metavar="INPUT")
@click.option("-o", "--output", required=True)
@lang_option
@click.option("--force", is_flag=True)
@rules_option
@handle_errors
def convert(source: str, output: str, lang: str, force: bool, rules_dir: Path | None) -> None:
    """Convert evidence between JSON and workbook, both ways (the input is checked first)."""
    _guard([("input file", source)], output, force, rules_dir)
    read = read_source(source)  # read once: it names its ruleset, which then checks it
    if read.unread and read.error is not None:
        raise read.error
    ruleset = source_rules(rules_dir, read)
    to_json = read.is_workbook
    wanted = ".json" if to_json else ".xlsx"
    if output != "-" and not output.endswith(wanted):
        kind = message("cli.kind_workbook" if to_json else "cli.kind_json")
        raise UsageError(message("cli.convert_to", file=source, kind=kind, target=wanted[1:], name=f"{Path(output).stem}{wanted}"))
    if output == "-" and not to_json:
        raise UsageError(message("cli.workbook_not_stdout"))
    doc = read.checked(ruleset)[1]  # refused with every problem, located at its JSON path or cell
    _write(output, _json_bytes(doc) if to_json else workbook_bytes(ruleset, doc, lang))
    _say_written(output, ruleset, not to_json, source)


def _guard(inputs: list[tuple[str, str]], output: str, force: bool, rules_dir: Path | None) -> None:
    refuse_overwrite([*inputs, *rule_inputs(rules_dir)], [("output file (-o)", output)])
    if output != "-" and os.path.exists(output) and not force:
        raise PentasError(message("cli.output_exists", file=output))


def _say_written(output: str, ruleset: Any, workbook: bool, source: str | None) -> None:
    """Say what was written (nothing when it went to standard output): the kind, its size, and where from."""
    if output == "-":
        return
    facts = sum(1 for name in ruleset.catalogue.facts if not name.startswith("meta."))  # the office sheet holds meta
    kind = ("written.workbook" if workbook else "written.json") + ("_from" if source is not None else "_blank")
    sheets = message("written.sheets", count=len(ruleset.aspects))
    say_written(kind, file=output, source=source if source != "-" else message("written.stdin"), sheets=sheets, facts=message("written.facts", count=facts))


def _json_bytes(doc: dict[str, Any]) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write(output: str, data: bytes) -> None:
    if output == "-":
        click.echo(data.decode("utf-8"), nl=False)
    else:
        write_bytes_atomic(output, data)
