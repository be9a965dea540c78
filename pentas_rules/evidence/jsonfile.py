"""Evidence bytes to a JSON mapping, refusing what strict JSON evidence must not hold.

Refused, each as a located ``EvidenceError``: a file over 10 MB (before it is read),
bytes that are not UTF-8, an empty file, malformed JSON (line and column), NaN,
Infinity, numbers too large for a double or longer than 30 digits, nesting too deep,
a top level that is not an object, duplicate keys (json keeps only the last) and lone
surrogate escapes. Also the words shared by every evidence message: a value's JSON
type as found, and a JSON path.

It is a little over 400 lines because the strict parse and the quick one (orjson's document,
taken only when it is certainly the strict parse's) must change together.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import sys
from typing import Any

from ..errors import EvidenceError, EvidenceProblem, EvidenceReadError, printable
from ..messages import catalogue, get_language, message

__all__ = ["MAX_EVIDENCE_BYTES", "json_path", "json_reason", "json_type", "load_json", "read_evidence_bytes", "show", "unit_name"]

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# A key starting with "$" is bracketed, so "$schema" reads $['$schema'], not $.$schema.
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


# -- reading ----------------------------------------------------------------------


def read_evidence_bytes(path: str) -> bytes:
    """Read an evidence file (``-`` for standard input), refusing files over the size limit before parsing."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_EVIDENCE_BYTES + 1)
        else:
            data = _read_file(path)
    except OSError as exc:
        raise EvidenceReadError(path, exc) from None
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceError(path, [EvidenceProblem("$", message("ev.input_too_large", limit=MAX_EVIDENCE_BYTES))])
    return data


def _read_file(path: str) -> bytes:
    """The bytes of the file ``path`` with one open and one fstat: a batch reads hundreds of
    files, and looking each up by name first (is it a directory? how big?) cost as much again.

    Read with ``os.read`` on the descriptor, not a file object: ``open().read()`` builds a
    buffered reader and reads through it, about 4 us a file more, and in a batch the parse
    that follows took about as much again longer (measured, in process). It reads until the
    end, so a pipe or a file that grows while read is read whole (up to one byte over the
    limit, for the caller to refuse).
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except (IsADirectoryError, PermissionError):
        if os.path.isdir(path):  # Windows refuses to open a directory, with a permission error
            raise _is_directory(path) from None
        raise
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):  # where a directory opens (Linux)
            raise _is_directory(path)
        if status.st_size > MAX_EVIDENCE_BYTES:
            raise EvidenceError(path, [EvidenceProblem("$", message("ev.file_too_large", size=status.st_size, limit=MAX_EVIDENCE_BYTES))])
        # A regular file's size and one byte more, so the end is seen in the common case ...
        data = os.read(fd, status.st_size + 1)
        if not data:
            return data
        # ... and then until the end, in pieces: a pipe or device says size 0, a file may grow.
        parts = [data]
        size = len(data)
        while size <= MAX_EVIDENCE_BYTES:
            data = os.read(fd, _PIECE)
            if not data:
                break
            parts.append(data)
            size += len(data)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(fd)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows would translate line ends
_PIECE = 1 << 16


def _is_directory(path: str) -> EvidenceError:
    return EvidenceError(path, [EvidenceProblem("$", message("ev.is_directory"))])


# -- strict JSON ------------------------------------------------------------------------


class _JSONRefused(ValueError):
    pass


class _Object(dict[str, Any]):
    """A JSON object that remembers keys it saw twice (json keeps only the last)."""

    __slots__ = ("duplicates",)
    duplicates: list[str]


def _marked(pairs: list[tuple[str, Any]]) -> _Object:
    """An object remembering the keys written twice in it (json would keep only the last): the
    marking parse's hook, run only once the strict parse has met a duplicate."""
    marked = _Object()
    dups: list[str] = []
    for key, value in pairs:
        if key in marked:
            dups.append(key)
        marked[key] = value
    marked.duplicates = dups
    return marked


class _Duplicated(Exception):
    """An object with a key written twice: the fast parse stops, the marking parse names them all."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):  # the common case, decided at C speed
        return obj
    raise _Duplicated


def _refuse_constant(name: str) -> Any:
    raise _JSONRefused(message("ev.json_constant", name=name))


def _parse_int(text: str) -> int:
    # Python refuses to convert more than 4,300 digits (a ValueError deep in json);
    # no fact or metadata needs more than a few.
    if len(text) > 30:
        raise _JSONRefused(message("ev.json_number_too_long", start=text[:12], count=len(text)))
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _JSONRefused(message("ev.json_number_too_large", text=text))
    return value


# The strict decoders, built once: json.loads with hooks builds a decoder and its scanner on
# every call (about 2 us). They hold no state between calls but the scanner's cache of key
# strings, which only interns them, so threads may share them, as every caller of a plain
# json.loads shares json's own default decoder. The first refuses a duplicate key by
# stopping; only then does the second parse the document again, marking every duplicate.
_STRICT = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_refuse_constant, parse_float=_parse_float, parse_int=_parse_int)
_MARKING = json.JSONDecoder(object_pairs_hook=_marked, parse_constant=_refuse_constant, parse_float=_parse_float, parse_int=_parse_int)

_JSON_TYPES = frozenset({"null", "boolean", "number", "string", "array", "object"})


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def show(value: Any) -> str:
    """A found value as the user wrote it, shortened."""
    if value is None:
        return "null"  # not "null null": null is JSON's own word in every language
    if isinstance(value, (dict, list)):
        return message("json." + json_type(value))  # "daftar", not "daftar [1, 2]"
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > 60:
        text = text[:57] + "..."
    kind = json_type(value)
    return f"{message('json.' + kind) if kind in _JSON_TYPES else kind} {text}"


def unit_name(unit: str, lang: str | None = None) -> str:
    """A fact's unit (an English identifier in the rules: ``days``, ``percent``) as the language
    names it; a unit the catalogue does not know (another ruleset's) is shown as written."""
    key = "unit." + unit.replace(" ", "_")
    return message(key, lang) if key in catalogue(lang or get_language()) else unit


# json's reasons (``JSONDecodeError.msg``), by how they begin, to the catalogue's words:
# the location already gives the line and column, so the reason need not repeat them.
_JSON_REASONS = (
    ("Expecting value", "ev.json.value"),
    ("Expecting property name", "ev.json.property_name"),
    ("Expecting ',' delimiter", "ev.json.comma"),
    ("Expecting ':' delimiter", "ev.json.colon"),
    ("Unterminated string", "ev.json.unterminated"),
    ("Invalid control character", "ev.json.control"),
    ("Invalid \\uXXXX escape", "ev.json.u_escape"),
    ("Invalid \\escape", "ev.json.escape"),
    ("Extra data", "ev.json.extra"),
    ("Illegal trailing comma", "ev.json.trailing_comma"),
)


def json_reason(reason: str) -> str:
    """Why json refused the text, in the user's language; an unforeseen reason is a plain syntax error."""
    for start, key in _JSON_REASONS:
        if reason.startswith(start):
            return message(key)
    return message("ev.json.other")


def json_path(parts: tuple[Any, ...] | list[Any]) -> str:
    """The JSON path (``$.facts.parkir.ada``, ``$.meta.assessors[0]``) of the keys and indices ``parts``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(str(part)):
            out += f".{part}"
        else:
            out += "[" + json.dumps(str(part), ensure_ascii=False) + "]"
    return out


def _duplicates(doc: Any) -> list[EvidenceProblem]:
    problems = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:  # iterative: a deep document must not exhaust the Python stack
        node, where = stack.pop()
        if isinstance(node, dict):
            for key in getattr(node, "duplicates", ()):
                problems.append(
                    EvidenceProblem(
                        json_path(where + (key,)),
                        message("ev.duplicate_key", key=repr(key)),
                        "each key once",
                        "the key twice",
                    )
                )
            stack.extend((v, where + (k,)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, where + (i,)) for i, v in enumerate(node))
    problems.sort(key=lambda p: str(p.location))
    return problems


# orjson's document is taken only when it is certainly the strict parse's. What orjson refuses
# goes to json, which words the refusal (malformed JSON, NaN, 1e400, bytes that are not UTF-8,
# a lone surrogate). What it accepts differently one walk finds: an integer beyond 64 bits,
# read as a float (2**63 or more goes to json); a key written twice, kept silently (every key
# is followed by a colon, so as many colons as kept keys means none twice; a colon in a string
# leaves it to json, which names every duplicate); nesting past _QUICK_DEPTH (json's recursion
# decides). About 13 + 10 us an office where json with the hooks took 36. Only once the
# process has loaded orjson (a batch's output does after its first office): its import, with
# dataclasses, is about 1.3 ms, more than a one-file command saves.
_QUICK_DEPTH = 64
_LARGE = 2.0**63


def _quick_parse(raw: bytes) -> dict[str, Any] | None:
    """The object in ``raw`` as the strict parse would give it, parsed by orjson, or None to leave it to json."""
    try:
        orjson = sys.modules["orjson"]
        loads, refused = orjson.loads, orjson.JSONDecodeError
    except (KeyError, AttributeError):  # not loaded (see above), or still being loaded by another thread
        return None
    try:
        doc = loads(raw)
    except refused:
        return None
    if doc.__class__ is not dict:
        return None  # json says what the top level is
    keys = 0
    level: list[Any] = [doc]
    for _ in range(_QUICK_DEPTH):
        deeper = []
        for node in level:
            if node.__class__ is dict:
                keys += len(node)
                node = node.values()
            for value in node:
                kind = value.__class__
                if kind is dict or kind is list:
                    deeper.append(value)
                elif kind is float and not -_LARGE < value < _LARGE:
                    return None
        if not deeper:
            return doc if keys == raw.count(b":") else None
        level = deeper
    return None


def load_json(raw: bytes, file: str) -> dict[str, Any]:
    """The JSON object in ``raw``, or an EvidenceError locating why it is not strict JSON evidence."""
    if raw.startswith(b"\xef\xbb\xbf"):  # Windows editors write a byte-order mark
        raw = raw[3:]
    quick = _quick_parse(raw)
    if quick is not None:
        return quick
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvidenceError(
            file,
            [
                EvidenceProblem(
                    "$",
                    message("ev.not_utf8", byte=f"{raw[exc.start]:02x}", offset=exc.start),
                    "UTF-8 text",
                    "other bytes",
                )
            ],
        ) from None
    if not text or text.isspace():  # as `not text.strip()`, without copying the text
        raise EvidenceError(file, [EvidenceProblem("$", message("ev.empty_file"), "a JSON object", "nothing")])
    duplicated = False
    try:
        if text.startswith("\ufeff"):  # a second byte-order mark: json.loads refused it before decoding, the decoder does not
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        try:
            doc = _STRICT.decode(text)
        except _Duplicated:  # parsed again, every object with a key written twice marked, to name them all
            duplicated = True
            doc = _MARKING.decode(text)
    except json.JSONDecodeError as exc:
        raise EvidenceError(
            file,
            [
                EvidenceProblem(
                    message("ev.line_column", line=exc.lineno, column=exc.colno),
                    message("ev.malformed_json", reason=json_reason(exc.msg)),
                    "valid JSON",
                    "a syntax error",
                )
            ],
        ) from None
    except _JSONRefused as exc:
        raise EvidenceError(file, [EvidenceProblem("$", message("ev.malformed_json_number", reason=exc))]) from None
    except RecursionError:
        raise EvidenceError(file, [EvidenceProblem("$", message("ev.too_deep"), "a shallow object", "deeply nested arrays or objects")]) from None
    if not isinstance(doc, dict):
        raise EvidenceError(
            file,
            [EvidenceProblem("$", message("ev.top_level_not_object", found=message("json." + json_type(doc))), "object", json_type(doc))],
        )
    if duplicated:
        raise EvidenceError(file, _duplicates(doc))
    if _SURROGATE_ESCAPE.search(text):  # only a \uD800-\uDFFF escape can put a lone surrogate in a string
        lone = _lone_surrogates(doc)
        if lone:
            raise EvidenceError(file, lone)
    return doc


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _lone_surrogates(doc: Any) -> list[EvidenceProblem]:
    """Strings holding half of a UTF-16 surrogate pair: JSON can escape one, but it is not text."""
    problems = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        node, where = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            for text in (key, value):
                if isinstance(text, str):
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError:
                        problems.append(
                            EvidenceProblem(
                                json_path(where + (printable(str(key)),)),
                                message("ev.lone_surrogate"),
                                "text",
                                "a lone surrogate",
                            )
                        )
                        break
            if isinstance(value, (dict, list)):
                stack.append((value, where + (key,)))
    problems.sort(key=lambda p: str(p.location))
    return problems
