"""Evidence bytes to a document. The bytes are read whole from whatever a path names: a regular
file in one read, a pipe (``pentas score <(...)``), which says size 0, in pieces until its end,
and neither beyond the size limit (``_read_file`` reads the descriptor, not a file object). The
strict parse uses decoders built once and shared by threads."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import threading
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pentas_rules.errors import EvidenceError
from pentas_rules.evidence import jsonfile
from pentas_rules.evidence.jsonfile import MAX_EVIDENCE_BYTES, load_json, read_evidence_bytes

from .conftest import ROOT, examples

# The quick parse takes orjson only once the process has loaded it, as a batch's output does.
importlib.import_module("orjson")

posix_pipes = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")


def _through_a_pipe(tmp_path: Path, payload: bytes) -> tuple[Path, threading.Thread]:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def write() -> None:
        try:
            with open(fifo, "wb") as f:
                f.write(payload)
        except BrokenPipeError:  # the reader stopped at the limit
            pass

    writer = threading.Thread(target=write)
    writer.start()
    return fifo, writer


@posix_pipes
def test_a_pipe_is_read_to_its_end_past_one_piece(tmp_path: Path) -> None:
    payload = b'{"meta": {}, "note": "' + b"x" * 300_000 + b'"}'  # several pipe buffers and read pieces
    fifo, writer = _through_a_pipe(tmp_path, payload)
    assert read_evidence_bytes(str(fifo)) == payload
    writer.join()


@posix_pipes
@pytest.mark.usefixtures("english")
def test_a_pipe_over_the_limit_is_refused_without_reading_all_of_it(tmp_path: Path) -> None:
    fifo, writer = _through_a_pipe(tmp_path, b" " * (MAX_EVIDENCE_BYTES + 200_000))
    with pytest.raises(EvidenceError, match="over the limit"):
        read_evidence_bytes(str(fifo))
    writer.join()


def test_a_regular_file_and_an_empty_one_are_read_whole(tmp_path: Path) -> None:
    full, empty = tmp_path / "office.json", tmp_path / "empty.json"
    full.write_bytes(b'{"meta": {}}\n' * 1000)
    empty.write_bytes(b"")
    assert read_evidence_bytes(str(full)) == full.read_bytes()
    assert read_evidence_bytes(str(empty)) == b""


# -- the strict parse: one decoder, built once, shared ---------------------------------------


@pytest.mark.usefixtures("english")
def test_every_duplicate_key_is_named_and_a_later_syntax_error_still_wins() -> None:
    raw = b'{"meta": {"a": 1, "a": 2}, "facts": {"g": {"x": true, "x": true}, "h": {"y": 1, "y": 1}}}'
    with pytest.raises(EvidenceError) as info:
        load_json(raw, "o.json")
    assert [str(p.location) for p in info.value.problems] == ["$.facts.g.x", "$.facts.h.y", "$.meta.a"]
    # A duplicate before a syntax error: the syntax error is what a strict parse reports.
    with pytest.raises(EvidenceError, match="line 1, column"):
        load_json(b'{"a": 1, "a": 2, "b": }', "o.json")


def test_threads_sharing_the_decoder_each_get_their_own_document_s_verdict() -> None:
    clean = b'{"meta": {"office": "A"}, "facts": {"g": {"x": 1.5, "y": 2}}}'
    twice = b'{"meta": {"office": "B"}, "facts": {"g": {"x": 1.5, "x": 2}}}'
    wrong: list[str] = []

    def parse(n: int) -> None:
        for i in range(300):
            raw = clean if (i + n) % 2 else twice
            try:
                load_json(raw, "o.json")
                if raw is twice:
                    wrong.append("a duplicate passed")
            except EvidenceError:
                if raw is clean:
                    wrong.append("a clean document was refused")

    threads = [threading.Thread(target=parse, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wrong == []


# -- the quick parse: orjson's document only when it is exactly json's -------------------------


def _pairs_reference(text: str) -> tuple[Any, bool]:
    """The document and whether any object writes a key twice, decided pair by pair."""
    twice = False

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal twice
        twice = twice or len({key for key, _ in pairs}) != len(pairs)
        return dict(pairs)

    return json.loads(text, object_pairs_hook=hook), twice


# Keys and strings from a small alphabet with colons, braces, quotes and escapes, so documents
# often write a key twice and often hold colons that are not separators (the count's doubt).
_TEXT = st.text(alphabet='ab:{}"\\ \x01\u00e9\U0001f600', max_size=4)
_NUMBERS = st.sampled_from(
    ["0", "-0", "-0.0", "1.5", "1e5", "1E+2", "2.5e-320", "1e400", "-1e400", "1.7976931348623157e308", "1.7976931348623159e308", "2.2250738585072011e-308"]
    + ["9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616", "1" * 30, "-" + "1" * 30, "1" * 31, "NaN", "Infinity"]
)
_ESCAPES = st.sampled_from(['"\\ud800"', '"\\udc00"', '"\\ud83d\\ude00"', '"\\ud800\\u0041"', '"\\u0000"', '"\\/"'])
_SCALARS = st.none().map(json.dumps) | st.booleans().map(json.dumps) | st.integers(-10, 10).map(json.dumps) | _TEXT.map(json.dumps) | _NUMBERS | _ESCAPES


def _separator(key: str) -> str:
    return " : " if len(key) % 2 else ":"  # whitespace around the separator, or none


def _objects(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pair = st.tuples(_TEXT, children).map(lambda kv: json.dumps(kv[0]) + _separator(kv[0]) + kv[1])
    return st.lists(pair, max_size=4).map(lambda pairs: "{" + ", ".join(pairs) + "}")


_VALUES = st.recursive(_SCALARS, lambda inner: _objects(inner) | st.lists(inner, max_size=3).map(lambda v: "[" + ",".join(v) + "]"), max_leaves=12)
_DOCUMENTS = _objects(_VALUES)


def _outcome(raw: bytes) -> tuple[str, Any]:
    try:
        return "document", repr(load_json(raw, "o.json"))  # repr: 1, 1.0 and True differ
    except EvidenceError as exc:
        return "refused", [(str(p.location), p.message, p.expected) for p in exc.problems]


@settings(max_examples=examples(300), deadline=None, database=None)
@given(text=_DOCUMENTS)
def test_a_document_is_refused_exactly_when_an_object_writes_a_key_twice(text: str) -> None:
    try:
        doc, twice = _pairs_reference(text)
    except ValueError:  # NaN, Infinity or a number json refuses: the next test compares those
        return
    try:
        parsed = load_json(text.encode(), "o.json")
    except EvidenceError as exc:
        if not twice:  # refused for what else it holds (a lone surrogate, an infinite number), never for a duplicate
            assert "each key once" not in {p.expected for p in exc.problems}
        return
    assert not twice, "a key written twice was accepted"
    assert repr(parsed) == repr(doc)


@settings(max_examples=examples(300), deadline=None, database=None)
@given(
    text=_DOCUMENTS | _VALUES | st.sampled_from(["", " ", "{", '{"a": 1} {}', "[" * 70 + "]" * 70, '{"a":' * 70 + "1" + "}" * 70, '{"a": 1,}']),
    cut=st.integers(0, 200),
    extra=st.binary(max_size=2),
)
def test_the_quick_parse_gives_exactly_what_json_gives_or_refuses(text: str, cut: int, extra: bytes) -> None:
    raw = text.encode()
    for variant in (raw, raw[:cut] + extra + raw[cut:]):  # and damaged: a byte or two inserted
        quick = _outcome(variant)
        with pytest.MonkeyPatch.context() as json_only:
            json_only.setattr(jsonfile, "_quick_parse", lambda raw: None)
            assert quick == _outcome(variant)


def test_a_nesting_deeper_than_the_walk_is_left_to_json(monkeypatch: pytest.MonkeyPatch) -> None:
    deep = b'{"a": ' + b"[" * (jsonfile._QUICK_DEPTH + 1) + b"]" * (jsonfile._QUICK_DEPTH + 1) + b"}"
    assert jsonfile._quick_parse(deep) is None
    shallow = b'{"a": ' + b"[" * (jsonfile._QUICK_DEPTH - 2) + b"]" * (jsonfile._QUICK_DEPTH - 2) + b"}"
    assert jsonfile._quick_parse(shallow) == json.loads(shallow)


@pytest.mark.usefixtures("english")
def test_colons_in_strings_neither_hide_a_duplicate_nor_refuse_a_clean_document() -> None:
    # As many colons as kept keys would pass the count: the URL's colon makes up for the lost key.
    raw = b'{"meta": {"a": "http://x", "a": 2}}'
    with pytest.raises(EvidenceError) as info:
        load_json(raw, "o.json")
    assert [str(p.location) for p in info.value.problems] == ["$.meta.a"]
    assert load_json(b'{"meta": {"office": "08:00-16:00", "a:b": 1}}', "o.json") == {"meta": {"office": "08:00-16:00", "a:b": 1}}


def test_a_clean_document_is_parsed_once_by_orjson_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    json_parses: list[str] = []

    class Counted:
        def __init__(self, decoder: json.JSONDecoder) -> None:
            self.decoder = decoder

        def decode(self, text: str) -> Any:
            json_parses.append(text)
            return self.decoder.decode(text)

    monkeypatch.setattr(jsonfile, "_STRICT", Counted(jsonfile._STRICT))
    monkeypatch.setattr(jsonfile, "_MARKING", Counted(jsonfile._MARKING))
    doc = load_json(b'{"meta": {"office": "A", "year": 2021}, "facts": {"g": {"x": [1, {"y": true}], "z": 1.5}}}', "o.json")
    assert doc["meta"]["year"] == 2021 and doc["facts"]["g"]["z"] == 1.5
    assert json_parses == []
    # A colon in a string leaves the count undecided, and an integer beyond 64 bits is a float to orjson: json decides.
    load_json(b'{"meta": {"office": "A: B"}}', "o.json")
    assert load_json(b'{"n": 18446744073709551616}', "o.json") == {"n": 18446744073709551616}
    assert len(json_parses) == 2


def test_parsing_evidence_does_not_load_orjson() -> None:
    # A one-file command that writes text must not pay orjson's import (with dataclasses) to parse.
    code = "import sys; from pentas_rules.evidence.jsonfile import load_json; load_json(b'{}', 'o.json'); print('orjson' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "False"


def test_orjson_half_imported_by_another_thread_leaves_the_parse_to_json(monkeypatch: pytest.MonkeyPatch) -> None:
    # A thread importing orjson puts the module in sys.modules before its names are set.
    monkeypatch.setitem(sys.modules, "orjson", types.ModuleType("orjson"))
    assert load_json(b'{"meta": {"office": "A"}}', "o.json") == {"meta": {"office": "A"}}


@pytest.mark.usefixtures("english")
def test_a_second_byte_order_mark_is_refused_as_json_loads_refused_it() -> None:
    # One mark is a Windows editor's and is skipped; a second is text before the JSON. json.loads
    # refused it before decoding ("Unexpected UTF-8 BOM"), which the prebuilt decoder does not do.
    text = '\ufeff{"meta": {}}'
    with pytest.raises(json.JSONDecodeError) as reference:
        json.loads(text)
    with pytest.raises(EvidenceError) as refused:
        load_json(b"\xef\xbb\xbf" + text.encode("utf-8"), "office.json")
    (problem,) = refused.value.problems
    assert problem.message == f"malformed JSON: {jsonfile.json_reason(reference.value.msg)}"
    assert str(problem.location) == "line 1, column 1"
