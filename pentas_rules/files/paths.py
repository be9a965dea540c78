"""Where the project's data lives: the bundled rulesets and schemas.

In the repository the data folders sit at the top, beside the package
(``rules/``, ``schemas/``), and they are the only copy: a checkout or an
editable install reads them there. A wheel carries the same folders as package
data under ``pentas_rules/_data/`` (the mapping is in ``pyproject.toml``), so an
installed package finds its rules from any working folder. ``PENTAS_RULES_HOME``
names another folder holding ``rules/`` and ``schemas/``.

Every folder under ``rules/`` holding a ``ruleset.yaml`` is a bundled ruleset,
chosen by its folder name (``--ruleset NAME``, or the evidence's ``ruleset``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_RULESET", "RULES_HOME_VARIABLE", "bundled_rulesets", "default_rules_dir", "project_root", "rules_schema_path"]

DEFAULT_RULESET = "pentas-2021"
RULES_HOME_VARIABLE = "PENTAS_RULES_HOME"


def project_root() -> Path:
    """The folder holding ``rules/`` and ``schemas/``."""
    home = os.environ.get(RULES_HOME_VARIABLE)
    if home:
        return Path(home)
    package = Path(__file__).resolve().parent.parent  # this module is in pentas_rules/files/
    # Only a built wheel has _data/ (setuptools copies it there; the repository never
    # holds it), so its presence means "installed": use the data shipped with this code.
    packaged = package / "_data"
    return packaged if packaged.is_dir() else package.parent


def default_rules_dir() -> Path:
    return project_root() / "rules" / DEFAULT_RULESET


def bundled_rulesets() -> dict[str, Path]:
    """The bundled rulesets by name (their folder's name), sorted: every folder under ``rules/`` with a ``ruleset.yaml``."""
    home = project_root() / "rules"
    try:
        folders = sorted(p for p in home.iterdir() if (p / "ruleset.yaml").is_file())
    except OSError:
        return {}
    return {p.name: p for p in folders}


def rules_schema_path() -> Path:
    return project_root() / "schemas" / "rules.schema.json"
