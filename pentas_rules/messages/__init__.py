"""The one message catalogue: every word a user reads, in Indonesian and English.

The texts live in gettext catalogues beside this module (``id.po``, ``en.po``), read
by the tiny parser below: no build step, no compiled ``.mo``, no new dependency.
Two kinds of entry share them:

- our own messages, whose ``msgid`` is a stable key (``cli.interrupted``) and whose
  ``msgstr`` is the text with ``{name}`` placeholders, in both files;
- click's own messages ("Usage:", "No such option: {name}"), whose ``msgid`` is click's
  English text, as gettext has it; only ``id.po`` translates them (``click_gettext``).

A count-dependent message has ``msgid_plural`` and ``msgstr[0]``/``msgstr[1]``
(``nplurals=1`` in Indonesian, 2 in English).

The language is Indonesian unless asked otherwise: ``--lang``, else ``PENTAS_LANG``,
else an English ``LC_ALL``/``LC_MESSAGES``/``LANG``. The chosen language is process
state (``set_language``) because error texts are formatted where they are reported,
far from the option that chose it; core functions still take ``lang`` explicitly.

A floor layer beside errors and files: it imports nothing of ours.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

__all__ = [
    "LANGUAGES",
    "catalogue",
    "click_gettext",
    "click_ngettext",
    "get_language",
    "language_from_environment",
    "message",
    "number",
    "parse_po",
    "set_language",
]

LANGUAGES = ("id", "en")
DEFAULT = "id"
_HERE = Path(__file__).parent

Entry = str | tuple[str, ...]


# A plain entry: a one-line msgid and msgstr with no quote or escape inside, followed by the
# next msgid (past blank and comment lines) or the end, so nothing else belongs to it. Nine
# entries in ten are plain. The match starts with the line break before it (a literal start is
# found fast) and leaves the one after. Kept simple: compiling it is part of every start.
_PLAIN_ENTRY = re.compile(r'\nmsgid "([^"\\\n]+)"\nmsgstr "([^"\\\n]*)"(?=\n(?:\n|#[^\n]*\n)*(?:msgid |\Z))')
# The line breaks of ``str.splitlines`` other than \n: the expression above does not see them.
_OTHER_BREAKS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def parse_po(text: str, name: str = "<po>") -> dict[str, Entry]:
    """``msgid`` -> ``msgstr`` (a tuple of forms for a plural entry) of a gettext catalogue.

    Only what our catalogues use: comments, ``msgid``/``msgid_plural``/``msgstr``/``msgstr[n]``
    and continued strings. The header (empty msgid) is left out. A malformed line is a bug in
    the package, so it raises ValueError naming the file and line. The mapping holds the plain
    entries first, then the others, each in file order.

    Read at every start: the plain entries are split out by one regular expression, in C, and
    only what is left is read line by line. Whenever that could differ from reading the whole
    file line by line (a key given twice, a malformed line, whose number must be the file's,
    another kind of line break), the whole file is read so.
    """
    if any(char in text for char in _OTHER_BREAKS):
        return _parse_lines(text, name)
    parts = _PLAIN_ENTRY.split(text)
    plain = dict(zip(parts[1::3], parts[2::3], strict=True))
    try:
        others = _parse_lines("".join(parts[0::3]), name)
    except ValueError:
        return _parse_lines(text, name)  # raises, naming the line of the file itself
    if 3 * len(plain) != len(parts) - 1 or not plain.keys().isdisjoint(others):
        return _parse_lines(text, name)
    entries: dict[str, Entry] = {**plain, **others}
    return entries


def _parse_lines(text: str, name: str) -> dict[str, Entry]:
    """``parse_po`` line by line: every kind of entry, and any malformed line located."""
    entries: dict[str, Entry] = {}
    fields: dict[str, str] = {}
    current: str | None = None
    plural = False  # whether the entry being read has msgstr[n] forms

    def flush() -> None:
        msgid = fields.get("msgid")
        if msgid:
            if plural:
                entries[msgid] = tuple(fields[k] for k in sorted(k for k in fields if k.startswith("msgstr[")))
            else:
                entries[msgid] = fields.get("msgstr", "")
        fields.clear()

    # Each line is told apart by its first character, and a plain string is unquoted by
    # slicing (``_unquote``).
    for number_, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line[0] == "#":
            continue
        if line[0] == '"':
            if current is None:
                raise ValueError(f"{name}:{number_}: a continued string outside an entry")
            fields[current] += _unquote(line, name, number_)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid":
            flush()
            plural = False
        elif keyword not in _KEYWORDS:
            if not keyword.startswith("msgstr["):
                raise ValueError(f"{name}:{number_}: expected msgid, msgid_plural or msgstr, found {keyword!r}")
            plural = True
        current = keyword
        fields[keyword] = _unquote(rest.strip(), name, number_)
    flush()
    return entries


_KEYWORDS = frozenset(("msgid", "msgid_plural", "msgstr"))

# The escapes our catalogues use (gettext's own set is C's); any other is a mistake in the file.
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t"}


def _unquote(token: str, name: str, line: int) -> str:
    """The text of a quoted .po string; only the escapes of ``_ESCAPES``, anything else a ValueError.

    Not ``ast.literal_eval``: it cost about 5 ms of every start (and ``import ast``) for
    strings that almost never hold a backslash.
    """
    if len(token) < 2 or token[0] != '"' or token[-1] != '"':
        raise ValueError(f"{name}:{line}: expected a quoted string, found {token!r}")
    body = token[1:-1]
    if "\\" not in body:
        if '"' in body:
            raise ValueError(f"{name}:{line}: an unescaped quote inside the string {token!r}")
        return body
    parts: list[str] = []
    index = 0
    while True:
        slash = body.find("\\", index)
        plain = body[index:] if slash < 0 else body[index:slash]
        if '"' in plain:
            raise ValueError(f"{name}:{line}: an unescaped quote inside the string {token!r}")
        parts.append(plain)
        if slash < 0:
            return "".join(parts)
        escape = body[slash + 1 : slash + 2]
        if escape not in _ESCAPES:
            found = repr(f"\\{escape}") if escape else "a backslash at the end"
            raise ValueError(f'{name}:{line}: unsupported escape {found} in {token!r} (only \\\\, \\", \\n, \\t)')
        parts.append(_ESCAPES[escape])
        index = slash + 2


@cache
def catalogue(lang: str) -> Mapping[str, Entry]:
    """Every entry of one language's catalogue (``id`` or ``en``)."""
    path = _HERE / f"{lang if lang in LANGUAGES else DEFAULT}.po"
    return parse_po(path.read_text(encoding="utf-8"), path.name)


_active: list[str] = []


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """``PENTAS_LANG``, else the POSIX locale variables in their order of precedence, else Indonesian."""
    env = os.environ if environ is None else environ
    chosen = env.get("PENTAS_LANG", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable, "")
        if value:
            # The first one set decides, as in POSIX: "C.UTF-8" or "id_ID" mean Indonesian here.
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def set_language(lang: str | None) -> str:
    """Make ``lang`` (or, given None, the environment's choice) the language of messages; returns it."""
    chosen = lang if lang in LANGUAGES else language_from_environment()
    _active[:] = [chosen]
    return chosen


def get_language() -> str:
    return _active[0] if _active else language_from_environment()


def message(key: str, /, lang: str | None = None, count: int | None = None, **values: object) -> str:
    """The text of ``key`` in ``lang`` (default: the active language), its placeholders filled.

    ``count`` picks a plural form and is also available to the text as ``{count}``.
    """
    lang = lang or get_language()
    entry = catalogue(lang).get(key)
    if entry is None:
        entry = catalogue(DEFAULT)[key]  # a KeyError here is a bug: tests hold both files complete
    if isinstance(entry, tuple):
        index = 0 if lang == "id" or count == 1 else 1
        entry = entry[min(index, len(entry) - 1)]
    if count is not None:
        values.setdefault("count", number(count, lang))
    return entry.format(**values) if values or "{" in entry else entry


_SWAP_SEPARATORS = str.maketrans(",.", ".,")


def number(value: float | int, lang: str | None = None, decimals: int | None = None) -> str:
    """A number as the language writes it: ``262.000`` and ``53,67`` in Indonesian, ``262,000`` and ``53.67`` in English.

    The one place numbers are localized for messages; JSON keeps machine numbers."""
    lang = lang or get_language()
    if isinstance(value, float) and value.is_integer() and decimals is None:
        value = int(value)  # 200.0 is written 200
    # Grouped from five digits, as both languages' style guides do: a year stays 2021.
    group = "," if abs(value) >= 10000 else ""
    text = f"{value:{group}.{decimals}f}" if decimals is not None else f"{value:{group}}"
    if lang == "id":
        text = text.translate(_SWAP_SEPARATORS)
    return text


def click_gettext(text: str) -> str:
    """click's own message ``text`` in the active language (gettext's ``gettext`` for click)."""
    if get_language() == "en":
        return text
    entry = catalogue("id").get(text)
    return entry if isinstance(entry, str) and entry else text


def click_ngettext(singular: str, plural: str, count: int) -> str:
    """click's count-dependent messages: its two forms differ in placeholders, so both are translated."""
    if get_language() == "en":
        return singular if count == 1 else plural
    entry = catalogue("id").get(singular)
    if isinstance(entry, tuple) and len(entry) == 2:
        return entry[0 if count == 1 else 1]
    return singular if count == 1 else plural
