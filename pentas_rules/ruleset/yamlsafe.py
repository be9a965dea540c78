"""A strict YAML reader for rule files, with the line of every node.

PyYAML's loaders accept anchors and aliases (an alias bomb expands to gigabytes),
tags, silently keep the last of duplicate keys, and read YAML 1.1 scalars such as
``on``/``NO`` as booleans and ``010`` as octal. A rule file must mean what it
says, so this reader builds the data from the parser's *events* itself:

* any anchor, alias or explicit tag is refused at the first event that has one,
  before anything is expanded, so memory stays bounded;
* duplicate keys are refused;
* scalars follow the YAML 1.2 core schema, except that a plain number with a
  leading zero is refused as ambiguous; quoted scalars are always strings;
* the file size is capped before parsing.

It returns the data (plain dicts, lists and scalars) and a map from each node's
path (a tuple of keys and indexes) to its 1-based (line, column).
"""

from __future__ import annotations

import math
import re
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import RulesError, RulesProblem, RulesReadError
from ..messages import message

__all__ = ["MAX_RULE_FILE_BYTES", "MAX_NESTING", "Located", "load_yaml_bytes", "load_yaml_file", "load_yaml_text", "read_rule_bytes"]

MAX_RULE_FILE_BYTES = 1024 * 1024
# Deep enough for any real condition tree (the bundled rules nest under 12), shallow
# enough that every later recursive step (jsonschema, the loader) stays far from
# Python's recursion limit.
MAX_NESTING = 64


@cache
def _scalar_patterns() -> tuple[re.Pattern[str], ...]:
    """The plain-scalar patterns: null, true, false, integer, leading zero, float, inf/nan, hex/octal.

    Compiled when a rule file is first parsed rather than at import: a start served by
    the rule cache parses none, and compiling the eight cost about 0.5 ms of it.
    """
    return tuple(
        re.compile(pattern)
        for pattern in (
            r"^(?:~|null|Null|NULL)$",
            r"^(?:true|True|TRUE)$",
            r"^(?:false|False|FALSE)$",
            r"^[-+]?[0-9]+$",
            r"^[-+]?0[0-9]+",
            r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$",
            r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            r"^0[xo][0-9a-fA-F]+$",
        )
    )


Path_ = tuple[Any, ...]


class Located:
    """Parsed YAML data plus the (line, column) of every node, by path."""

    __slots__ = ("data", "file", "marks")

    def __init__(self, file: str, data: Any, marks: dict[Path_, tuple[int, int]]) -> None:
        self.file = file
        self.data = data
        self.marks = marks

    def mark(self, path: Path_) -> tuple[int | None, int | None]:
        """The line and column of the node at ``path``, or of its nearest ancestor."""
        p = tuple(path)
        while True:
            if p in self.marks:
                return self.marks[p]
            if not p:
                return (None, None)
            p = p[:-1]

    def problem(self, path: Path_, message: str, code: str = "rules") -> RulesProblem:
        line, column = self.mark(path)
        return RulesProblem(self.file, line, column, message, code)


def _fail(file: str, mark: Any, message: str) -> RulesError:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return RulesError([RulesProblem(file, line, column, message, "yaml")])


def _scalar(file: str, event: Any) -> Any:
    value: str = event.value
    if "\x00" in value:  # only a "\0" escape can write one; no rule text needs it
        raise _fail(file, event.start_mark, message("yaml.nul"))
    if event.style not in (None, ""):  # quoted or block scalar: always a string
        return value
    null, true, false, integer, leading_zero, decimal, special, other = _scalar_patterns()
    if value == "" or null.match(value):
        return None
    if true.match(value):
        return True
    if false.match(value):
        return False
    if integer.match(value):
        if leading_zero.match(value):
            raise _fail(file, event.start_mark, message("yaml.ambiguous_number", value=repr(value)))
        if len(value) > 30:  # Python refuses over 4,300 digits; no rule needs more than a few
            raise _fail(file, event.start_mark, message("yaml.number_too_long", start=value[:12], digits=len(value)))
        return int(value)
    if decimal.match(value):
        if leading_zero.match(value) and not value.lstrip("+-").startswith("0."):
            raise _fail(file, event.start_mark, message("yaml.ambiguous_number", value=repr(value)))
        number = float(value)
        if not math.isfinite(number):
            raise _fail(file, event.start_mark, message("yaml.number_too_large", value=repr(value)))
        return number
    if special.match(value):
        raise _fail(file, event.start_mark, message("yaml.not_finite", value=repr(value)))
    if other.match(value):
        raise _fail(file, event.start_mark, message("yaml.hex_octal", value=repr(value)))
    return value


def load_yaml_text(text: str, file: str) -> Located:
    """Parse one YAML document from ``text`` strictly; raise RulesError with a location."""
    marks: dict[Path_, tuple[int, int]] = {}
    # Each stack entry: [container, path, pending_key, pending_key_mark, seen_keys]
    stack: list[list[Any]] = []
    root: Any = None
    have_root = False
    documents = 0

    def attach(value: Any, mark: Any) -> None:
        nonlocal root, have_root
        if len(stack) >= MAX_NESTING:
            raise _fail(file, mark, message("yaml.too_deep", levels=MAX_NESTING))
        if not stack:
            root, have_root = value, True
            marks[()] = (mark.line + 1, mark.column + 1)
            return
        top = stack[-1]
        container, path = top[0], top[1]
        if isinstance(container, list):
            child_path = path + (len(container),)
            container.append(value)
            marks[child_path] = (mark.line + 1, mark.column + 1)
            if isinstance(value, (dict, list)):
                stack.append([value, child_path, None, None, set()])
            return
        if top[2] is None and top[3] is None:  # this scalar is a key
            if isinstance(value, (dict, list)):
                raise _fail(file, mark, message("yaml.complex_key"))
            if not isinstance(value, (str, int, float, bool)) and value is not None:
                raise _fail(file, mark, message("yaml.unsupported_key"))
            key = value
            if key in top[4]:
                raise _fail(file, mark, message("yaml.duplicate_key", key=repr(key)))
            top[4].add(key)
            top[2], top[3] = key, mark
            return
        key = top[2]
        top[2], top[3] = None, None
        child_path = path + (key,)
        container[key] = value
        marks[child_path] = (mark.line + 1, mark.column + 1)
        if isinstance(value, (dict, list)):
            stack.append([value, child_path, None, None, set()])

    # libyaml's C parser is several times faster; only its event stream is used.
    # deferred: a ruleset from the rule cache needs no YAML; importing PyYAML is about 15 ms of start-up
    import yaml

    parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        while parser.check_event():
            event = parser.get_event()
            kind = type(event).__name__
            if kind == "AliasEvent":
                raise _fail(file, event.start_mark, message("yaml.alias"))
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise _fail(file, event.start_mark, message("yaml.anchor", anchor=anchor))
            tag = getattr(event, "tag", None)
            if tag is not None and kind in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent"):
                # The parser sets a tag only where the file wrote one explicitly.
                raise _fail(file, event.start_mark, message("yaml.tag", tag=tag))
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise _fail(file, event.start_mark, message("yaml.one_document"))
            elif kind == "ScalarEvent":
                attach(_scalar(file, event), event.start_mark)
            elif kind == "MappingStartEvent":
                attach({}, event.start_mark)
                if have_root and not stack:  # the root container itself
                    stack.append([root, (), None, None, set()])
            elif kind == "SequenceStartEvent":
                attach([], event.start_mark)
                if have_root and not stack:
                    stack.append([root, (), None, None, set()])
            elif kind in ("MappingEndEvent", "SequenceEndEvent"):
                stack.pop()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise _fail(file, mark, message("yaml.malformed", problem=problem)) from None
    except RecursionError:
        raise _fail(file, None, message("yaml.nesting")) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    if not have_root:
        raise RulesError([RulesProblem(file, None, None, message("yaml.empty"), "yaml")])
    return Located(file, root, marks)


def read_rule_bytes(path: Path, display: str | None = None) -> bytes:
    """A rule file's bytes, refusing files over MAX_RULE_FILE_BYTES before reading them."""
    name = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_RULE_FILE_BYTES:
            raise RulesError([RulesProblem(name, None, None, message("yaml.too_big", size=size, limit=MAX_RULE_FILE_BYTES), "yaml")])
        return path.read_bytes()
    except OSError as exc:
        raise RulesReadError(name, exc) from None


def load_yaml_file(path: Path, display: str | None = None) -> Located:
    """Read and parse a rule file, refusing files over MAX_RULE_FILE_BYTES before parsing."""
    name = display or str(path)
    return load_yaml_bytes(read_rule_bytes(path, name), name)


def load_yaml_bytes(raw: bytes, name: str) -> Located:
    """Parse a rule file's bytes (UTF-8, a byte-order mark allowed)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RulesError([RulesProblem(name, None, None, message("yaml.not_utf8", byte=exc.start), "yaml")]) from None
    return load_yaml_text(text, name)
