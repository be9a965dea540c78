"""Which ruleset scores an evidence file: ``--rules DIR``, ``--ruleset NAME``, or the file's own ``ruleset``.

An evidence file names its ruleset in ``meta.ruleset`` or a top-level ``ruleset``; a file naming none
is for the default ruleset (the first one bundled, kept for files written before there
were others). Given neither option, a command scores each file with the bundled ruleset
it names. A batch whose files name different rulesets is refused with the files named,
unless the command groups them (``rank --group-by ruleset``).

Every command reads a file once (:func:`~pentas_rules.evidence.reader.read_source`) and chooses
its ruleset from what was read (:func:`source_rules`; a batch through :class:`NamedRulesets`),
so standard input, which can be read only once, names its ruleset as a file does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import PentasError, suggest
from ..evidence.reader import EvidenceSource
from ..files.paths import DEFAULT_RULESET, bundled_rulesets, default_rules_dir
from ..messages import message
from ..ruleset.cache import load_ruleset_cached

F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "MixedRulesets",
    "NamedRulesets",
    "bundled_dir",
    "named_rules",
    "refuse_mixed",
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


def source_rules(rules_dir: Path | None, source: EvidenceSource | None) -> Any:
    """The ruleset for an evidence file already read: the one given, else the bundled one it names.

    This is the one way a command chooses the ruleset of a file, standard input included (read
    once, it names its ruleset like any file). Without a file (``None``: a ``.jsonl`` of compact
    records, or no evidence at all) it is the default ruleset.
    """
    if rules_dir is not None:
        return load_ruleset_cached(rules_dir)
    if source is None:
        return named_rules(DEFAULT_RULESET, None)
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


class NamedRulesets:
    """How a batch chooses each file's ruleset as it reads the file (once): :func:`source_rules`.

    Each ruleset is loaded once per batch (per worker process): loading it again for every file
    rebuilt it from the cache each time, and the engine and checker, kept per ruleset, compared
    every new copy field by field with the last one, which made ``rank`` of 514 offices 15 times slower.
    """

    def __init__(self, rules_dir: Path | None) -> None:
        self.given = load_ruleset_cached(rules_dir) if rules_dir is not None else None
        self.loaded: dict[str, Any] = {}

    def __call__(self, source: EvidenceSource) -> Any:
        if self.given is not None:
            return self.given
        return self.named(source.ruleset_name() or DEFAULT_RULESET, source.file)

    def named(self, name: str, evidence: str | None) -> Any:
        """:func:`named_rules`, loaded once; a name that is refused is not kept: each file naming it gets its own located error."""
        if name not in self.loaded:
            self.loaded[name] = named_rules(name, evidence)
        return self.loaded[name]
