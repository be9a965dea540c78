"""Evidence bytes to a document. The bytes are read whole from whatever a path names: a regular
file in one read, a pipe (``pentas score <(...)``), which says size 0, in pieces until its end,
and neither beyond the size limit (``_read_file`` reads the descriptor, not a file object). The
strict parse uses decoders built once and shared by threads."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from pentas_rules.errors import EvidenceError
from pentas_rules.evidence.jsonfile import MAX_EVIDENCE_BYTES, load_json, read_evidence_bytes

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
