"""The public API behind ``pentas_rules``: load a ruleset, read evidence, score, explain.

Each is one call over the pipeline's stages, the way the ``pentas`` command uses them.
``import pentas_rules`` stays cheap: the package root loads this module only when one of
these names is first used.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .engine.evaluate import evaluate
from .engine.results import ScoreResult
from .evidence.reader import Evidence, parse_evidence, read_evidence_bytes
from .files.paths import default_rules_dir
from .ruleset.cache import load_ruleset_cached
from .ruleset.model import Ruleset
from .text.explain import explain_indicator, resolve_indicator

__all__ = ["explain", "load_ruleset", "read_evidence", "score"]


def load_ruleset(path: str | os.PathLike[str] | None = None) -> Ruleset:
    """The ruleset in the folder ``path`` (the bundled PENTAS 2021 rules when None), checked.

    Goes through the rule cache, as the commands do (``PENTAS_NO_CACHE=1`` turns it off):
    the result is the same ruleset as the long way, never a stale one. Raises
    :class:`~pentas_rules.errors.RulesError` listing every problem of a bad ruleset.
    """
    return load_ruleset_cached(Path(path) if path is not None else default_rules_dir())


def read_evidence(source: bytes | str | os.PathLike[str] | Mapping[str, Any], ruleset: Ruleset) -> Evidence:
    """One office's evidence, checked against ``ruleset``: from JSON bytes, a file path (``-``: standard input) or a mapping.

    Raises :class:`~pentas_rules.errors.EvidenceError` listing every problem with its JSON path.
    """
    if isinstance(source, (bytes, bytearray)):
        return parse_evidence(bytes(source), "<bytes>", ruleset)
    if isinstance(source, Mapping):
        # Through JSON text, so a mapping is checked exactly as a file with the same content.
        return parse_evidence(json.dumps(source, ensure_ascii=False).encode("utf-8"), "<mapping>", ruleset)
    if isinstance(source, (str, os.PathLike)):
        name = os.fspath(source)
        return parse_evidence(read_evidence_bytes(name), "<stdin>" if name == "-" else name, ruleset)
    raise TypeError(f"read_evidence() takes JSON bytes, a file path or a mapping, not {type(source).__name__}")


def score(ruleset: Ruleset, evidence: Evidence, *, raw: bytes | None = None) -> ScoreResult:
    """Score one office. ``raw``, the evidence file's bytes, gives the result its SHA-256 (empty without it)."""
    return evaluate(ruleset, evidence, raw)


def explain(result: ScoreResult, indicator: str, lang: str = "id") -> str:
    """Every level of one indicator (by its id, or its number in the rubric) as text, in Indonesian (``id``) or English (``en``).

    Raises :class:`~pentas_rules.errors.UsageError` for an unknown indicator, with a "did you mean".
    """
    return explain_indicator(result, resolve_indicator(result.ruleset, indicator), lang)
