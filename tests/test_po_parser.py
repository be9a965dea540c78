"""The .po reader's fast path (plain entries split out by a regular expression) reads exactly
what reading every line reads, on the catalogues and on generated text full of the cases where
an entry is not plain: continued strings, plurals, escapes, keys given twice, comments and blank
lines between the lines of an entry, other line breaks, malformed lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pentas_rules.messages import _HERE, LANGUAGES, _parse_lines, parse_po

_WORDS = st.sampled_from(["a", "b", "k", "help.x", "{n} kali", "ya", "", " ", "x y"])
_STRINGS = st.one_of(
    _WORDS.map(lambda w: f'"{w}"'),
    st.sampled_from(['"a\\nb"', '"say \\"x\\""', '"tab\\t"', '"bad \\q"', '"a"b"', "unquoted", '"a\rb"', '"a\u2028b"', '"\x85"']),
)
_LINES = st.one_of(
    st.tuples(st.sampled_from(["msgid", "msgstr", "msgid_plural", "msgstr[0]", "msgstr[1]", "msgctxt"]), _STRINGS).map(" ".join),
    _STRINGS,  # a continued string
    st.sampled_from(["", "# a comment", "#, fuzzy", "   ", "\t"]),
    st.tuples(_WORDS, _WORDS).map(lambda kv: f'msgid "{kv[0]}"\nmsgstr "{kv[1]}"'),  # a plain entry
)


def _outcome(read, text):
    try:
        return read(text, "x.po")
    except ValueError as exc:
        return f"ValueError: {exc}"


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINES, max_size=14), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_fast_reading_reads_what_every_line_reads(lines, newline, final_newline):
    text = newline.join(lines) + (newline if final_newline else "")
    assert _outcome(parse_po, text) == _outcome(_parse_lines, text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogues_read_alike_either_way(lang):
    text = (_HERE / f"{lang}.po").read_text(encoding="utf-8")
    assert parse_po(text, f"{lang}.po") == _parse_lines(text, f"{lang}.po")


def test_a_key_given_twice_keeps_the_later_text_and_an_error_its_line():
    text = 'msgid "k"\nmsgstr "one"\n\nmsgid "j"\nmsgid_plural "j#p"\nmsgstr[0] "x"\n\nmsgid "k"\nmsgstr "two"\n'
    assert parse_po(text) == {"k": "two", "j": ("x",)}
    with pytest.raises(ValueError, match=r"x\.po:8: unsupported escape"):
        parse_po('\nmsgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\nmsgid "e"\nmsgstr "\\q"\n', "x.po")
