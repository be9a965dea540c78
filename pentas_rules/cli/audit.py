"""``pentas verify``: re-derive a result from its evidence and rules and name every difference."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ..engine.compact import COMPACT_FORMAT, pick_record, read_records
from ..engine.results import RESULT_FORMAT, dumps_json
from ..engine.verify import result_kind, verify_result
from ..errors import EXIT_PROBLEM, EvidenceError, EvidenceProblem, EvidenceReadError, UsageError, suggest
from ..evidence.reader import read_evidence_bytes
from ..files.paths import bundled_rulesets
from ..messages import message
from ..ruleset.cache import load_ruleset_cached
from . import _open_evidence, _result, handle_errors, lang_option, office_option, rules_option
from .choose import source_rules


def _read_result(path: str, office: str | None) -> tuple[str, dict[str, Any]]:
    """The result to verify and where it is: a full result (one JSON document) or one compact record."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise EvidenceReadError(path, exc) from None
    try:
        whole = json.loads(data.decode("utf-8-sig"))
    except ValueError:
        whole = None  # JSON Lines, or not JSON at all: the record reader locates the problem
    if result_kind(whole) == "full":
        if office is not None:
            raise UsageError(message("audit.office_full", path=path))
        return path, whole
    if isinstance(whole, dict) and result_kind(whole) is None:
        found = json.dumps(whole.get("format"), ensure_ascii=False)
        hint = message("audit.evidence_given") if "facts" in whole else ""
        expected = f'"{RESULT_FORMAT}" (a full result) or "{COMPACT_FORMAT}" (a compact record)'
        raise EvidenceError(path, [EvidenceProblem("$.format", message("audit.not_result") + hint, expected, found)])
    line, record = pick_record(read_records(data, path), path, office)
    return f"{path}:{line}", record


def _rules_for_result(rules_dir: Path | None, data: dict[str, Any]) -> Any:
    """The rules given, else the bundled ruleset the result names (its fingerprint is then checked)."""
    if rules_dir is not None:
        return source_rules(rules_dir, None)
    named = data.get("ruleset")
    name = named.get("name") if isinstance(named, dict) else None
    known = bundled_rulesets()
    return load_ruleset_cached(known[name]) if isinstance(name, str) and name in known else source_rules(None, None)


@click.command()
@click.argument("result", type=str)
@click.option("--evidence", "evidence_path", help="The evidence file the result was scored from (needed for a full result).")
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@office_option
@rules_option
@handle_errors
def verify(result: str, evidence_path: str | None, lang: str, fmt: str, office: str | None, rules_dir: Path | None) -> None:
    """Derive RESULT again (a full result, or a compact record) and report every field that differs.

    Exit 0 only when every value matches, the evidence matches its SHA-256 and the rules
    their fingerprint; 1 otherwise.
    """
    where, data = _read_result(result, office)
    if result_kind(data) == "full" and evidence_path is None:
        raise UsageError(message("audit.needs_evidence", where=where))
    ruleset = _rules_for_result(rules_dir, data)
    evidence = (evidence_path, read_evidence_bytes(evidence_path)) if evidence_path is not None else None
    # Evidence that no longer passes the checks (a record's fact edited out of range) is a located EvidenceError.
    differences = verify_result(data, ruleset, evidence, where)
    if fmt == "json":
        click.echo(json.dumps({"result": where, "verified": not differences, "differences": [d.to_dict() for d in differences]}, ensure_ascii=False, indent=2))
    elif differences:
        click.echo(message("verify.differ", lang, where=where, n=len(differences)))
        for d in differences:
            click.echo(message("verify.line", lang, path=d.path, recorded=d.recorded, derived=d.derived))
    else:
        click.echo(message("verify.ok", lang, where=where))
    if evidence is None and fmt == "text":
        click.echo(message("verify.no_hash", lang, where=where), err=True)
    if differences:
        sys.exit(EXIT_PROBLEM)


_TRUE = {"ya", "y", "yes", "true", "benar", "1"}
_FALSE = {"tidak", "t", "tdk", "n", "no", "false", "salah", "0"}
_UNKNOWN = {"", "null", "unknown", "?"}


def _parse_setting(ruleset: Any, text: str) -> tuple[str, Any]:
    """``FACT=VALUE`` typed by the fact's declaration (``null`` makes it unknown); a bad one is a usage error."""
    name, sep, raw = text.partition("=")
    name, raw = name.strip(), raw.strip()
    facts = ruleset.catalogue.facts
    if not sep:
        raise UsageError(message("whatif.form", text=repr(text)))
    spec = facts.get(name)
    if spec is None:
        hint = suggest(name, sorted(facts))
        raise UsageError(message("whatif.unknown", text=repr(text), name=name) + (message("cli.did_you_mean", name=hint) if hint else ""))
    value: Any
    if raw.lower() in _UNKNOWN:
        return name, None
    if spec.type == "bool":
        if raw.lower() not in _TRUE | _FALSE:
            raise UsageError(message("whatif.bool", text=repr(text), name=name, found=repr(raw)))
        value = raw.lower() in _TRUE
    elif spec.type == "enum":
        values = spec.enum.values if spec.enum is not None else ()
        match = [v for v in values if v.lower() == raw.lower()]
        if not match:
            raise UsageError(message("whatif.enum", text=repr(text), name=name, values=", ".join(values), found=repr(raw)))
        value = match[0]
    else:
        try:
            value = int(raw) if spec.type == "integer" else float(raw)
        except ValueError:
            raise UsageError(message("whatif.whole" if spec.type == "integer" else "whatif.number", text=repr(text), name=name, found=repr(raw))) from None
        if spec.type == "number" and float(value).is_integer():
            value = int(value)
    misfit = spec.misfit(value)
    if misfit is not None:
        kind, bound = misfit
        raise UsageError(message("whatif.below" if kind == "below" else "whatif.above", text=repr(text), name=name, bound=bound, found=raw))
    return name, value


@click.command()
@click.argument("evidence", type=str)
@click.option("--top", type=click.IntRange(min=1), help="List only the N changes that gain most per change.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
@lang_option
@office_option
@rules_option
@handle_errors
def plan(evidence: str, top: int | None, fmt: str, lang: str, office: str | None, rules_dir: Path | None) -> None:
    """What to improve: for every indicator below its maximum, the fewest fact changes that reach each higher level,
    ranked by gain in the total per change, and the total reached when every listed change is made."""
    from ..engine.plan import make_plan  # deferred: only plan and whatif need it
    from ..text.plan import plan_dict, plan_markdown, plan_text  # deferred: only plan and whatif need it

    ruleset, source = _open_evidence(rules_dir, evidence)
    the_plan = make_plan(_result(ruleset, evidence, office, source), top)
    if fmt == "json":
        click.echo(dumps_json(plan_dict(the_plan, lang)), nl=False)
    elif fmt == "md":
        click.echo(plan_markdown(the_plan, lang), nl=False)
    else:
        click.echo(plan_text(the_plan, lang), nl=False)


@click.command()
@click.argument("evidence", type=str)
@click.option("--set", "settings", multiple=True, required=True, metavar="FACT=VALUE", help="A fact's new value (null: unknown); repeat for more.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@lang_option
@office_option
@rules_option
@handle_errors
def whatif(evidence: str, settings: tuple[str, ...], fmt: str, lang: str, office: str | None, rules_dir: Path | None) -> None:
    """Score EVIDENCE again with some facts set, and show how each indicator, aspect and the total change (exactly)."""
    from ..engine.plan import what_if  # deferred: only plan and whatif need it
    from ..text.plan import whatif_dict, whatif_text  # deferred: only plan and whatif need it

    ruleset, source = _open_evidence(rules_dir, evidence)
    changes = dict(_parse_setting(ruleset, s) for s in settings)
    before = _result(ruleset, evidence, office, source)
    after = what_if(before, changes)
    if fmt == "json":
        click.echo(dumps_json(whatif_dict(before, after)), nl=False)
    else:
        click.echo(whatif_text(before, after, lang), nl=False)
