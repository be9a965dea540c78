"""pentas-rules: a rule engine that turns evidence checklists into explained scores.

The public API::

    import pentas_rules

    ruleset = pentas_rules.load_ruleset()              # the bundled PENTAS 2021 rules
    evidence = pentas_rules.read_evidence("office.json", ruleset)
    result = pentas_rules.score(ruleset, evidence)
    print(pentas_rules.explain(result, "5", lang="en"))       # an indicator by id or number

    engine = pentas_rules.Engine(ruleset)               # compiled once, for many offices
    results = [engine.evaluate(e) for e in offices]     # what score() does, without the lookup

The package is laid out as its pipeline: ``files`` and ``errors`` at the bottom, then
``ruleset``, ``evidence``, ``engine``, ``text``, ``batch``, ``maintenance`` and ``cli``;
each imports only the layers below it. The core is pure: no click, no jinja2, no printing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Engine",
    "Evidence",
    "PentasError",
    "Ruleset",
    "ScoreResult",
    "__version__",
    "explain",
    "load_ruleset",
    "read_evidence",
    "score",
]

# Where each public name lives. Loaded on first use, so that ``import pentas_rules`` (which
# every ``pentas`` command does, for __version__) costs nothing beyond this file.
_LAZY = {
    "Engine": "pentas_rules.engine.evaluate",
    "Evidence": "pentas_rules.evidence.reader",
    "PentasError": "pentas_rules.errors",
    "Ruleset": "pentas_rules.ruleset.model",
    "ScoreResult": "pentas_rules.engine.results",
    "explain": "pentas_rules.api",
    "load_ruleset": "pentas_rules.api",
    "read_evidence": "pentas_rules.api",
    "score": "pentas_rules.api",
}

if TYPE_CHECKING:
    from .api import explain, load_ruleset, read_evidence, score
    from .engine.evaluate import Engine
    from .engine.results import ScoreResult
    from .errors import PentasError
    from .evidence.reader import Evidence
    from .ruleset.model import Ruleset


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pentas_rules' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
