"""What names a result's provenance: the engine, the evidence file without its folders, the command that reproduces it."""

from __future__ import annotations

from .. import __version__

__all__ = ["ENGINE_NAME", "__version__", "file_name", "reproduce_command"]

ENGINE_NAME = "pentas-rules"


def file_name(path: str) -> str:
    """The evidence file's own name, without the folders it was typed with.

    A result names its evidence by name and SHA-256 only: the same bytes scored from any
    folder, on any machine, must give byte-identical results. Both separators are cut, so
    a path typed on Windows gives the same name.
    """
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def reproduce_command(ruleset_name: str, evidence_file: str) -> str:
    """The command that gives a result again from its evidence file and the named ruleset."""
    return f"pentas score {file_name(evidence_file)} --ruleset {ruleset_name} --format json"
