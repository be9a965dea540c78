"""Which ruleset scores an evidence file: ``--rules DIR``, ``--ruleset NAME``, or the file's own ``ruleset``.

An evidence file names its ruleset in ``meta.ruleset`` or a top-level ``ruleset``; a file naming none
is for the default ruleset (the first one bundled, kept for files written before there
were others). Given neither option, a command scores each file with the bundled ruleset
it names. A batch whose files name different rulesets is refused with the files named,
unless the command groups them (``rank --group-by ruleset``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import PentasError, suggest
from ..evidence.reader import EvidenceSource, read_source
from ..files.paths import DEFAULT_RULESET, bundled_rulesets, default_rules_dir
from ..messages import message
from ..ruleset.cache import load_ruleset_cached

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "MixedRulesets",
    "bundled_dir",
    "evidence_ruleset",
    "group_by_ruleset",
    "named_rules",
    "refuse_mixed",
    "rules_for",
    "ruleset_option",
    "source_rules",
]


class MixedRulesets(PentasError):
    """A batch whose evidence files name different rulesets, and the command cannot group them."""


def bundled_dir(name: str) -> Path:
    """The folder of the bundled ruleset ``name``; an unknown name is a usage error with the names there are."""
    known = bundled_rulesets()
    if name in known:
        return known[name]
    hint = suggest(name, sorted(known))
    tail = message("cli.did_you_mean", name=hint) if hint else ""
    listed = ", ".join(sorted(known)) or message("cli.none")
    raise click.BadParameter(message("cli.no_ruleset", name=name, known=listed, hint=tail), param_hint="'--ruleset'")


def ruleset_option(func: F) -> F:
    """``--ruleset NAME`` beside ``--rules DIR``: the command receives the chosen folder as ``rules_dir``."""

    @wraps(func)
    def wrapper(*args: Any, ruleset_name: str | None = None, **kwargs: Any) -> Any:
        if ruleset_name is not None:
            if kwargs.get("rules_dir") is not None:
                raise click.UsageError(message("cli.rules_and_ruleset"))
            kwargs["rules_dir"] = bundled_dir(ruleset_name)
        return func(*args, **kwargs)

    return click.option(
        "--ruleset",
        "ruleset_name",
        metavar="NAME",
        default=None,
    )(wrapper)  # type: ignore[return-value]  # click.option returns its decorator untyped


def evidence_ruleset(path: str) -> str:
    """The ruleset an evidence file names, or the default one when it names none.

    A file that cannot be read or parsed here is given the default: scoring it reports
    the problem with its location. Standard input cannot be read twice, so it is the default's
    (a command that reads its evidence once, as ``score`` does, uses :func:`source_rules`).
    """
    if path == "-" or path.endswith(".jsonl"):
        return DEFAULT_RULESET
    return read_source(path).ruleset_name() or DEFAULT_RULESET


def rules_for(rules_dir: Path | None, evidence: str | None) -> Any:
    """The ruleset for one evidence file: the one given, else the bundled one the file names."""
    if rules_dir is not None:
        return load_ruleset_cached(rules_dir)
    return named_rules(evidence_ruleset(evidence) if evidence is not None else DEFAULT_RULESET, evidence)


def source_rules(rules_dir: Path | None, source: EvidenceSource) -> Any:
    """The ruleset for an evidence file already read: the one given, else the bundled one it names."""
    if rules_dir is not None:
        return load_ruleset_cached(rules_dir)
    return named_rules(source.ruleset_name() or DEFAULT_RULESET, source.file)


def named_rules(name: str, evidence: str | None) -> Any:
    """The bundled ruleset ``name``, which the file ``evidence`` names; an unknown name is a located error."""
    known = bundled_rulesets()
    if name not in known and name == DEFAULT_RULESET:
        # The default's folder is missing (a bad PENTAS_RULES_HOME, a broken install): the
        # loader's message names the path tried and how to point at another.
        return load_ruleset_cached(default_rules_dir())
    if name not in known:
        hint = suggest(name, sorted(known))
        tail = message("cli.did_you_mean", name=hint) if hint else ""
        raise PentasError(message("cli.ruleset_not_bundled", file=evidence, name=name, known=", ".join(sorted(known)), hint=tail))
    return load_ruleset_cached(known[name])


def refuse_mixed(names: dict[str, list[str]]) -> None:
    """Refuse a batch whose files (by the ruleset they name) name more than one ruleset.

    Every file of the smaller groups is named; the largest group, the batch's main ruleset, is counted.
    """
    if len(names) > 1:
        largest = max(names, key=lambda name: (len(names[name]), name))
        listing = "; ".join(
            message("cli.mixed_count", name=name, count=len(paths)) if name == largest else f"{name}: {', '.join(paths)}"
            for name, paths in sorted(names.items())
        )
        raise MixedRulesets(message("cli.mixed_rulesets", count=len(names), listing=listing))


def group_by_ruleset(rules_dir: Path | None, files: Sequence[str], grouped: bool) -> list[tuple[Any, list[str]]]:
    """The files of a batch with the ruleset scoring them, one group per ruleset in name order.

    With a ruleset given, every file is scored by it (a file naming another is then refused
    by the evidence check, with its location). Otherwise each file's own ruleset is used, and
    files naming different rulesets are refused, every file named, unless ``grouped``.
    """
    if rules_dir is not None:
        return [(load_ruleset_cached(rules_dir), list(files))]
    names: dict[str, list[str]] = {}
    for path in files:
        names.setdefault(evidence_ruleset(path), []).append(path)
    if not grouped:
        refuse_mixed(names)
    return [(rules_for(None, paths[0]), paths) for _, paths in sorted(names.items())]
