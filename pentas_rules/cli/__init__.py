"""The ``pentas`` command: a thin click adapter over the pure core.

Each command parses its arguments, calls the core and renders. Exit codes:
0 success, 1 invalid input or a failed check, 2 usage error. No input, however
broken, produces a Python traceback: every expected failure is a PentasError
with a located message, and anything else is reported in one line
(``PENTAS_DEBUG=1`` shows the traceback for a bug report).

The top layer: it may import every other layer, and nothing in the package imports it.
It is over 400 lines because the language machinery every command shares (click's words from
the catalogue, --lang read before parsing, help texts localized per run) lives beside ``score``,
the one command defined here: every other is built only when invoked (``_LAZY_COMMANDS``).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from .. import __version__
from ..engine.evaluate import evaluate
from ..engine.results import to_json_bytes
from ..errors import EXIT_PROBLEM, EvidenceReadError, PentasError, UsageError
from ..evidence.reader import EvidenceSource, read_source
from ..files.atomic import write_bytes_atomic
from ..files.pathguard import evidence_inputs, refuse_overwrite, rule_inputs
from ..files.paths import DEFAULT_RULESET
from ..messages import LANGUAGES, catalogue, click_gettext, click_ngettext, get_language, message, set_language
from ..ruleset.cache import load_ruleset_cached
from ..text.explain import score_text
from .choose import named_rules, refuse_mixed, ruleset_option, source_rules

F = TypeVar("F", bound=Callable[..., Any])

LANGS = click.Choice(list(LANGUAGES))


def _click_gettext(text: str) -> str:
    """click's words in the active language; its error prefix is the program's own ``err.error``.

    click says "Error: ..." and the program "error: ..."; one prefix, in one capitalisation, in
    both languages, whichever of the two found the error.
    """
    if text == "Error: {message}":
        return message("err.error", text="{message}")
    return click_gettext(text)


def _install_click_translation() -> None:
    """click's own words ("Usage:", "No such option", "Missing argument") from our catalogue.

    click binds stdlib ``gettext``/``ngettext`` as module globals ``_``/``ngettext`` at import,
    and gettext needs compiled ``.mo`` files; rebinding those names in click's loaded modules
    lets the one catalogue serve click too, in the language chosen for this run.
    """
    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if callable(getattr(module, "_", None)):
                module._ = _click_gettext  # type: ignore[attr-defined]  # click's module global, see above
            if callable(getattr(module, "ngettext", None)):
                module.ngettext = click_ngettext  # type: ignore[attr-defined]  # click's module global, see above


_install_click_translation()


def _language_in(args: list[str]) -> str | None:
    """The ``--lang`` given anywhere in the arguments, read before click parses them.

    click reports a wrong option while parsing, before any option's callback runs, so the
    language of that very message must be known first.
    """
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--lang" and index + 1 < len(args):
            return args[index + 1]
    return None


def _help_key(*parts: str) -> str | None:
    key = ".".join(("help", *parts))
    return key if key in catalogue(get_language()) else None


def _metavar(param: click.Parameter) -> str | None:
    """The placeholder help and usage errors show for ``param``, in the active language (None: click's own).

    An argument is named by the catalogue's ``metavar.arg.NAME``, with the brackets and dots click
    adds to its default (click adds none to a metavar given); an option by ``metavar.opt.NAME``,
    else by its type's (``metavar.type.*``): TEXT, INTEGER RANGE. Choices and paths keep click's,
    which list the values or are already worded through the catalogue.
    """
    if isinstance(param, click.Argument):
        key = f"metavar.arg.{param.name}"
        if key not in catalogue(get_language()):
            return None
        word = message(key)
        if not param.required:
            word = f"[{word}]"
        return word + ("..." if param.nargs != 1 else "")
    key = f"metavar.opt.{param.name}"
    if key in catalogue(get_language()):
        return message(key)
    kind = {click.STRING: "text", click.INT: "integer"}.get(param.type) or ("integer_range" if isinstance(param.type, click.IntRange) else None)
    return message(f"metavar.type.{kind}") if kind is not None else None


def _localize(command: click.Command, name: str, ctx: click.Context | None) -> click.Command:
    """Give a command, its options and its --help the help texts of the active language."""
    key = _help_key(name)
    if key is not None:
        command.help = message(key)
    command.options_metavar = message("cli.options_metavar")
    if isinstance(command, click.Group):
        command.subcommand_metavar = message("cli.subcommand_metavar")
    # click creates --help once per command, worded in the language of that moment.
    help_option = command.get_help_option(ctx) if ctx is not None else None
    if help_option is not None:
        help_option.help = message("help.opt.help")
    for param in command.params:
        if isinstance(param.type, click.Path):  # its metavar was worded when the module was imported
            path = param.type
            path.name = click_gettext("file" if path.file_okay and not path.dir_okay else "directory" if path.dir_okay and not path.file_okay else "path")
        metavar = _metavar(param)
        if metavar is not None:
            param.metavar = metavar
    for option in (p for p in command.params if isinstance(p, click.Option)):
        option_key = _help_key(name, option.name or "") or _help_key("opt", option.name or "")
        if option_key is not None:
            option.help = message(option_key)
    return command


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    # Not given here: keep what the group chose from the whole command line or the environment.
    return set_language(value) if value is not None else get_language()


def lang_option(func: F) -> F:
    """``--lang id|en`` (default: ``PENTAS_LANG``, then ``LC_ALL``/``LC_MESSAGES``/``LANG``, then Indonesian)."""
    return click.option("--lang", type=LANGS, default=None, callback=_choose_language, is_eager=True)(func)


def quiet_lang_option(func: F) -> F:
    """``--lang`` on a command whose output has no words to translate besides its messages."""
    return click.option("--lang", type=LANGS, default=None, callback=_choose_language, is_eager=True, expose_value=False)(func)


def _echo_err(text: str) -> None:
    click.echo(text, err=True)


def say_written(key: str, count: int | None = None, **values: object) -> None:
    """One line on stderr saying what a command wrote, and where (the catalogue's ``written.*``).

    A command writing a file would otherwise finish silently, and an office clerk could not tell
    that anything happened; stdout may be piped into another program, so the line goes to stderr.
    """
    _echo_err(message(key, None, count, **values))


def _report_error(exc: PentasError) -> None:
    _echo_err(exc.report_text())


def handle_errors(func: F) -> F:
    """Turn PentasError into a located message and its exit code; never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PentasError as exc:
            _report_error(exc)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            _echo_err(message("cli.interrupted"))
            sys.exit(130)
        except BrokenPipeError:
            sys.exit(EXIT_PROBLEM)
        except Exception as exc:  # noqa: BLE001 - the promise is: no traceback for any input
            if os.environ.get("PENTAS_DEBUG"):
                raise
            _echo_err(message("cli.internal_error", kind=type(exc).__name__, detail=exc))
            sys.exit(EXIT_PROBLEM)

    return cast(F, wrapper)  # wraps() keeps the signature


def rules_option(func: F) -> F:
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
    )(ruleset_option(func))


def _open_evidence(rules_dir: Path | None, path: str) -> tuple[Any, EvidenceSource | None]:
    """One office's evidence file read once (None for a ``.jsonl`` of compact records) and the ruleset for it."""
    source = None if path.endswith(".jsonl") else read_source(path)
    return source_rules(rules_dir, source), source


def _score_source(ruleset: Any, source: EvidenceSource) -> Any:
    return evaluate(ruleset, source.evidence(ruleset), source.raw)


def office_option(func: F) -> F:
    return click.option("--office")(func)


def _result(ruleset: Any, path: str, office: str | None, source: EvidenceSource | None) -> Any:
    """One office's full result: scored from its evidence read once (``source``), or rebuilt from a
    compact record (``path`` is a ``*.jsonl`` file, ``source`` None) and the rules."""
    if source is not None:
        if office is not None:
            raise UsageError(message("cli.office_not_jsonl", file=path))
        return _score_source(ruleset, source)
    # deferred: the compact form (about 0.5 ms of import) is read only from a .jsonl file
    from ..engine.compact import pick_record, read_records, rebuild

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise EvidenceReadError(path, exc) from None
    line, record = pick_record(read_records(data, path), path, office)
    return rebuild(record, ruleset, f"{path}:{line}")


def strict_option(func: F) -> F:
    return click.option("--strict", is_flag=True)(func)


def strict_reasons(missing: int, warnings: int) -> str | None:
    """Why ``--strict`` fails an office (None when it passes): the same test for every command."""
    reasons = []
    if missing:
        reasons.append(message("cli.strict_missing", count=missing))
    if warnings:
        reasons.append(message("cli.strict_warnings", count=warnings))
    return "; ".join(reasons) if reasons else None


def _exit_if_strict(strict: bool, result: Any, label: str = "") -> None:
    reason = strict_reasons(len(result.missing_facts), len(result.warnings)) if strict else None
    if reason is not None:
        _echo_err(message("cli.strict_failed", label=label, reason=reason))
        sys.exit(EXIT_PROBLEM)


# Commands that live in their own modules, imported only when invoked (or listed by
# --help), so `pentas score` does not pay for reports, lint or diff at start-up, nor
# build the options of explain, validate, schema and rulesets (about 0.5 ms).
_LAZY_COMMANDS: dict[str, str] = {
    "explain": "pentas_rules.cli.office:explain",
    "validate": "pentas_rules.cli.office:validate",
    "schema": "pentas_rules.cli.office:schema",
    "rulesets": "pentas_rules.cli.office:rulesets",
    "diff": "pentas_rules.cli.rules:diff",
    "lint": "pentas_rules.cli.rules:lint",
    "snapshot": "pentas_rules.cli.rules:snapshot",
    "test": "pentas_rules.cli.rules:test",
    "rank": "pentas_rules.cli.reports:rank",
    "report": "pentas_rules.cli.reports:report",
    "template": "pentas_rules.cli.workbook:template",
    "convert": "pentas_rules.cli.workbook:convert",
    "verify": "pentas_rules.cli.audit:verify",
    "plan": "pentas_rules.cli.audit:plan",
    "whatif": "pentas_rules.cli.audit:whatif",
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *_LAZY_COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY_COMMANDS:
            module, _, attr = _LAZY_COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), attr)
            assert isinstance(command, click.Command)
        else:
            command = super().get_command(ctx, cmd_name)
        return None if command is None else _localize(command, cmd_name, ctx)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = message("help.opt.help")
        return option

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Choose the language first: click's own parsing errors are worded in it."""
        given = list(sys.argv[1:] if args is None else args)
        chosen = _language_in(given)
        set_language(chosen if chosen in LANGUAGES else None)
        _localize(self, "main", None)
        return super().main(given, *rest, **kwargs)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="pentas", message="%(prog)s %(version)s")
@quiet_lang_option
def main() -> None:
    """Score Dukcapil offices from evidence with explained, rubric-traceable rules."""
    # Output is UTF-8 whatever the locale says: office names and JSON (ensure_ascii=False)
    # carry non-ASCII text, and a Latin-1 terminal must not turn that into an error.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
            reconfigure(encoding="utf-8")


@main.command()
@click.argument("evidence", type=str, nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "jsonl"]), default="text", show_default=True)
@lang_option
@click.option("-o", "--output")
@strict_option
@rules_option
@handle_errors
def score(evidence: tuple[str, ...], fmt: str, lang: str, output: str | None, strict: bool, rules_dir: Path | None) -> None:
    """Score one office from its EVIDENCE JSON file ('-' reads standard input).

    With --format jsonl, score every evidence file given (files or folders, searched
    recursively) and write one compact result per line; a file that cannot be scored
    is reported on stderr, the others are still written, and the exit code is 1.
    """
    if fmt == "jsonl":
        _score_jsonl(evidence, output, strict, rules_dir)
        return
    if len(evidence) != 1 or output is not None:
        raise UsageError(message("cli.one_file_only", fmt=fmt))
    source = read_source(evidence[0])  # read and parsed once: it names its ruleset, which then checks it
    result = _score_source(source_rules(rules_dir, source), source)
    if fmt == "json":
        click.echo(to_json_bytes(result), nl=False)
    else:
        click.echo(score_text(result, lang), nl=False)
    _exit_if_strict(strict, result)


def _score_jsonl(inputs: tuple[str, ...], output: str | None, strict: bool, rules_dir: Path | None) -> None:
    """Score every file in one pass, each read and parsed once.

    A file is scored as soon as it is read, by the ruleset it names; what goes to stderr waits
    until every file has named its ruleset, so a batch naming two is refused with nothing else said.
    """
    # deferred: listing folders (about 1 ms of import) serves only a batch
    from ..batch.corpus import find_evidence_files

    # deferred: the compact form (about 0.5 ms of import) is written only by a batch
    from ..engine.compact import compact_line

    files = find_evidence_files(inputs)
    if output is not None and output != "-":  # standard output overwrites nothing: no input need be resolved
        refuse_overwrite([*evidence_inputs(inputs, files), *rule_inputs(rules_dir)], [("output file (-o)", output)])
    given = load_ruleset_cached(rules_dir) if rules_dir is not None and files else None
    names: dict[str, list[str]] = {}
    named: dict[str, Any] = {}  # by name: the ruleset, or the error refusing it (raised if the batch is not mixed)
    lines: list[bytes] = []
    notes: list[str] = []  # stderr, in file order
    for path in files:
        source = read_source(path)
        ruleset = given
        if ruleset is None:
            name = source.ruleset_name() or DEFAULT_RULESET
            names.setdefault(name, []).append(path)
            if len(names) > 1:
                continue  # refused below; the other files are read only to be named
            if name not in named:
                try:
                    named[name] = named_rules(name, source.file)
                except PentasError as exc:
                    named[name] = exc
            ruleset = named[name]
            if isinstance(ruleset, PentasError):
                continue
        try:
            result = _score_source(ruleset, source)
        except PentasError as exc:  # a bad file does not stop the batch
            notes.append(exc.report_text())
            continue
        lines.append(compact_line(result))
        reason = strict_reasons(len(result.missing_facts), len(result.warnings)) if strict else None
        if reason is not None:
            notes.append(message("cli.strict_file", file=result.evidence.file, reason=reason))
    refuse_mixed(names)
    for refused in named.values():
        if isinstance(refused, PentasError):
            raise refused
    for note in notes:
        _echo_err(note)
    data = b"".join(lines)
    if output is not None and output != "-":
        write_bytes_atomic(output, data)
        say_written("written.results", count=len(lines), file=output)
    else:
        click.echo(data, nl=False)
    if notes:
        sys.exit(EXIT_PROBLEM)
