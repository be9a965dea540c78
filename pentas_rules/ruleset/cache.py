"""A cache of rule files that have passed the JSON Schema, so start-up skips YAML and jsonschema.

Loading the bundled ruleset takes about 0.3 s, almost all of it parsing YAML,
importing jsonschema and validating fifteen files against the rules schema; the
catalogue checks and building the model take a few milliseconds. So the parsed,
schema-valid contents of the files are kept as JSON, keyed by a hash of the entry
format's version (``_FORMAT``), the rules schema and the rule files' bytes. A
changed file changes the key, so a stale entry is never used; the catalogue checks
run again on every load (they also catch most damage to an entry). Of the line
marks an entry keeps only the locations the loader asked for when the entry was
written, resolved; a rebuild that asks for any other falls back to the long way.

The cache wraps the loader (:func:`load_ruleset_cached`); the loader knows nothing
of it.

The cache is data only (JSON, never pickle). An entry that cannot be read or
does not rebuild is ignored and the ruleset is loaded the long way; a cache
folder that cannot be written is simply not used. ``PENTAS_CACHE_DIR`` moves
it and ``PENTAS_NO_CACHE=1`` turns it off.

The cache shares its location with whatever else lives there (``PENTAS_CACHE_DIR``
may well name a folder of evidence), so it only ever touches files it can prove
it wrote. Everything lives in its own subfolder, created together with a marker
file (``CACHEDIR.TAG``, whose exact text says the folder is this cache); entries
are regular files named ``rules-<64 hex digits>.cache``. A subfolder without that
marker is not used at all; a marked one holding anything else (a file dropped in,
a link named like an entry) is only read: no entry is written and none pruned.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from ..files.atomic import write_text_atomic
from ..files.digest import sha256
from ..files.paths import rules_schema_path
from . import loader
from .model import Ruleset
from .yamlsafe import MAX_RULE_FILE_BYTES, Located, Path_

__all__ = ["cache_dir", "load", "load_ruleset_cached", "store"]

# Part of every key. Bump it whenever what makes a rule file valid, or what an entry holds,
# changes (the schema's own bytes are in the key already): entries under the old key are then
# never read again, and pruning removes them.
# 2: the plain rule format (bare facts, comparison words, named conditions); 3: only the asked locations.
_FORMAT = "pentas-rulecache/3"

SUBFOLDER = "pentas-rules-cache-v1"
MARKER = "CACHEDIR.TAG"
# The Cache Directory Tagging signature (https://bford.info/cachedir/) tells backup tools
# to skip the folder; the lines after it are what proves the folder is this cache.
_MARKER_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is the rule cache of pentas-rules (pentas-rulecache/1).\n"
    "# pentas-rules writes, reads and prunes only the files named rules-<64 hex digits>.cache\n"
    "# in it, and only while nothing else is here. Deleting the folder is always safe.\n"
)
# Patterns, compiled (and kept by re) on first use: only writing an entry lists the folder,
# and compiling both at import cost every cached start about 0.2 ms.
# Not *.json: `pentas rank` of a folder that also holds the cache must not take entries for evidence.
_ENTRY = r"rules-[0-9a-f]{64}\.cache"
# What an interrupted atomic write of ours can leave (see atomic.py): not deleted, but not foreign.
_OWN_TEMPORARY = r"\.(?:rules-[0-9a-f]{64}\.cache|CACHEDIR\.TAG)\.[^/\\]+\.tmp"


def _platform_cache_home() -> Path:
    """Where the platform keeps per-user caches: %LOCALAPPDATA%, ~/Library/Caches or XDG."""
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) if local else Path.home() / "AppData" / "Local"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    xdg = os.environ.get("XDG_CACHE_HOME")
    # The XDG spec: a relative path is invalid and is ignored.
    return Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"


def cache_dir() -> Path | None:
    """The cache's own folder (which may not exist yet), or None when caching is off."""
    if os.environ.get("PENTAS_NO_CACHE"):
        return None
    explicit = os.environ.get("PENTAS_CACHE_DIR")
    return (Path(explicit) if explicit else _platform_cache_home()) / SUBFOLDER


def _is_ours(folder: Path) -> bool:
    """Whether ``folder`` carries the marker this cache writes when it creates its folder."""
    marker = folder / MARKER
    try:
        if not marker.is_file() or marker.is_symlink():
            return False
        return marker.read_bytes() == _MARKER_TEXT.encode("ascii")
    except OSError:
        return False


def _entries_if_writable(folder: Path) -> list[os.DirEntry[str]] | None:
    """The entries of a marked folder, or None when it holds anything that is not ours."""
    entries = []
    with os.scandir(folder) as listing:
        for item in listing:
            if not item.is_file(follow_symlinks=False):
                return None
            if re.fullmatch(_ENTRY, item.name):
                entries.append(item)
            elif item.name != MARKER and not re.fullmatch(_OWN_TEMPORARY, item.name):
                return None
    return entries


def _claim(folder: Path) -> bool:
    """Create the cache's own folder with its marker; False when it exists but is not ours."""
    if _is_ours(folder):
        return True
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir()
    except FileExistsError:
        return False  # made by someone else (or by another pentas just now: then the next run caches)
    try:
        write_text_atomic(folder / MARKER, _MARKER_TEXT)
    except BaseException:
        folder.rmdir()  # the empty folder just made: without its marker it would be refused for good
        raise
    return True


class _Recording(Located):
    """A parsed file that remembers every location the loader asks it for, resolved.

    Those (about 930 of the bundled ruleset's 3,000 marks) are all an entry keeps: the
    loader asks for the same ones whenever it builds the same files, and decoding only
    them saves about 1.5 ms of every cached start.
    """

    __slots__ = ("asked",)

    def __init__(self, file: str, data: Any, marks: dict[Path_, tuple[int, int]]) -> None:
        super().__init__(file, data, marks)
        self.asked: dict[Path_, tuple[int | None, int | None]] = {}

    @classmethod
    def of(cls, located: Located) -> _Recording:
        return cls(located.file, located.data, located.marks)

    def mark(self, path: Path_) -> tuple[int | None, int | None]:
        found = self.asked[tuple(path)] = super().mark(path)
        return found


class _Resolved(Located):
    """A file rebuilt from an entry: it knows only the locations the first load asked for.

    Any other (a problem to report, or a newer loader locating another node) raises
    KeyError, so the rebuild fails and the ruleset is loaded the long way, with every
    mark: a location is never guessed from a nearer ancestor than the file's own.
    """

    __slots__ = ()

    def mark(self, path: Path_) -> tuple[int | None, int | None]:
        return self.marks[path]


Key = tuple[str, str, list[Path]]  # cache key, ruleset fingerprint, rule files in load order


def _key(directory: Path) -> Key | None:
    """The cache key and the ruleset fingerprint, or None when the folder should take the long way."""
    try:
        paths = loader._rule_paths(directory)
        if any(p.stat().st_size > MAX_RULE_FILE_BYTES for p in paths):
            return None  # the long way reports it
        fingerprint = sha256()
        for path in paths:
            fingerprint.update(loader._fingerprint_part(directory, path, path.read_bytes()))
        key = sha256()
        key.update(f"{_FORMAT}\0".encode())
        key.update(rules_schema_path().read_bytes())
        key.update(fingerprint.digest())
    except Exception:  # noqa: BLE001 - any trouble here: let the normal loader report it
        return None
    return key.hexdigest(), fingerprint.hexdigest(), paths


def load(directory: Path) -> tuple[Ruleset | None, Key | None]:
    """The cached ruleset, or None; and the key, which :func:`store` needs after a miss."""
    folder = cache_dir()
    keyed = _key(directory) if folder is not None else None
    if folder is None or keyed is None:
        return None, keyed
    return _rebuild(folder, directory, keyed), keyed


def _rebuild(folder: Path, directory: Path, keyed: Key) -> Ruleset | None:
    # The collector is paused while the entry is read and the model built: the parsed entry
    # and the model are some 15,000 containers, none of them cyclic garbage, whose creation
    # triggered about 20 collections (about 1 ms of every start) that could free nothing. The
    # entry is freed by reference counting; the collector runs again afterwards, whatever happens.
    paused = gc.isenabled()
    gc.disable()
    try:
        return _rebuild_unpaused(folder, directory, keyed)
    finally:
        if paused:
            gc.enable()


def _rebuild_unpaused(folder: Path, directory: Path, keyed: Key) -> Ruleset | None:
    key, fingerprint, paths = keyed
    try:
        entry_path = folder / f"rules-{key}.cache"
        if not _is_ours(folder) or entry_path.is_symlink():
            return None
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        if entry.get("format") != _FORMAT or entry.get("files") is None or len(entry["files"]) != len(paths):
            return None
        located: list[Located] = []
        for path, item in zip(paths, entry["files"], strict=True):
            if item["file"] != path.relative_to(directory).as_posix():
                return None
            located.append(_Resolved(str(path), item["data"], {tuple(p): (line, column) for p, line, column in item["where"]}))
        ruleset_file, facts_file, indicator_files, register_file = loader.split_rule_files(directory, paths, located)
        return loader.load_ruleset_files(
            ruleset_file, facts_file, indicator_files, str(directory), fingerprint, schema_checked=True, interpretations_file=register_file
        )
    except Exception:  # noqa: BLE001 - a missing, stale or damaged entry only costs the long way
        return None


def _plain_json(value: Any) -> bool:
    """Whether ``value`` survives a JSON round trip unchanged (string keys, JSON scalars)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_json(v) for v in value)
    return value is None or isinstance(value, (str, bool, int, float))


def store(directory: Path, files: list[_Recording], fingerprint: str, keyed: Key | None) -> None:
    """Remember schema-valid files under the key :func:`load` computed; silently does nothing
    when the cache cannot be written."""
    folder = cache_dir()
    if folder is None or keyed is None or keyed[1] != fingerprint:
        return  # a file changed between keying and parsing: the parsed bytes are not the keyed ones
    if not all(_plain_json(f.data) for f in files):
        return
    entry = {
        "format": _FORMAT,
        "files": [
            {
                "file": path.relative_to(directory).as_posix(),
                "data": located.data,
                "where": [[list(asked), line, column] for asked, (line, column) in located.asked.items()],
            }
            for path, located in zip(keyed[2], files, strict=True)
        ],
    }
    try:
        if not _claim(folder):
            return
        if _entries_if_writable(folder) is None:
            return  # something else lives here: read-only
        write_text_atomic(folder / f"rules-{keyed[0]}.cache", json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
        _prune(folder)
    except Exception:  # noqa: BLE001 - a read-only home or full disk must not break scoring
        return


KEEP = 16  # entries kept: each edit of a rule file makes a new one of about 0.3 MB


def _prune(folder: Path) -> None:
    """Remove all but the KEEP most recently written entries, and nothing else.

    Runs only on a marked folder that held nothing but entries; the listing is made
    again here so that a file dropped in meanwhile stops the pruning too.
    """
    entries = _entries_if_writable(folder)
    if entries is None:
        return
    newest_first = sorted(entries, key=lambda e: (e.stat(follow_symlinks=False).st_mtime_ns, e.name), reverse=True)
    for stale in newest_first[KEEP:]:
        Path(stale.path).unlink(missing_ok=True)


def load_ruleset_cached(directory: str | Path) -> Ruleset:
    """:func:`pentas_rules.ruleset.loader.load_ruleset`, rebuilt from the cache when the files were loaded before.

    A hit skips YAML parsing and the JSON Schema pass, most of a command's start-up;
    the checks against the fact catalogue run either way. A miss loads the long way
    and stores the parsed, schema-valid files for next time.
    """
    path = Path(directory)
    cached, keyed = load(path)
    if cached is not None:
        return cached
    ruleset_file, facts_file, indicator_files, register_file, fingerprint = loader.read_rule_files(path)
    register = [] if register_file is None else [register_file]
    files = [_Recording.of(f) for f in (ruleset_file, facts_file, *indicator_files, *register)]
    indicators: list[Located] = [*files[2 : 2 + len(indicator_files)]]
    ruleset = loader.load_ruleset_files(files[0], files[1], indicators, str(path), fingerprint, interpretations_file=files[-1] if register else None)
    store(path, files, fingerprint, keyed)
    return ruleset
