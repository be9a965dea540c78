"""pentas-rules: a rule engine that turns evidence checklists into explained scores.

The core (model, loader, evidence, evaluate, scoring, results) is pure: no
click, no jinja2, no printing. The CLI and reports are thin adapters over it.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
