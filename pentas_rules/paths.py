"""Where the project's data lives: the bundled rulesets and schemas.

The package is used from a checkout (installed in editable mode), so the data
folders sit beside it at the top of the repository. ``PENTAS_RULES_HOME`` points
elsewhere when the data has been moved.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_RULESET", "default_rules_dir", "project_root", "rules_schema_path"]

DEFAULT_RULESET = "pentas-2021"


def project_root() -> Path:
    home = os.environ.get("PENTAS_RULES_HOME")
    return Path(home) if home else Path(__file__).resolve().parent.parent


def default_rules_dir() -> Path:
    return project_root() / "rules" / DEFAULT_RULESET


def rules_schema_path() -> Path:
    return project_root() / "schemas" / "rules.schema.json"
