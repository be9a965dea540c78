"""Atomic writes and batch scoring: nothing half-written, nothing lost past a bad file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pentas_rules.batch.corpus import find_evidence_files, score_files
from pentas_rules.errors import EvidenceError, PentasError
from pentas_rules.files.atomic import write_bytes_atomic, write_text_atomic

from .conftest import evidence_bytes


def test_atomic_write_replaces_and_leaves_no_temporary(tmp_path: Path):
    target = tmp_path / "hasil ü.json"  # a space and a non-ASCII letter on purpose
    write_text_atomic(target, "first\n")
    write_text_atomic(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"
    assert os.listdir(tmp_path) == ["hasil ü.json"]


def test_atomic_write_interrupted_keeps_the_old_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_bytes(b"old")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.json"]


def test_atomic_write_to_a_missing_folder_is_a_located_error(tmp_path: Path):
    with pytest.raises(PentasError, match="no-such-folder"):
        write_bytes_atomic(tmp_path / "no-such-folder" / "x.json", b"x")


@pytest.mark.usefixtures("english")
def test_batch_goes_on_past_bad_files(tmp_path: Path, mini):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "good.json").write_bytes(evidence_bytes({"parkir.ada": True}))
    (tmp_path / "a-bad.json").write_bytes(b"{broken")
    (tmp_path / ".hidden.json").write_bytes(b"{}")
    (tmp_path / "notes.txt").write_text("not evidence", encoding="utf-8")
    files = find_evidence_files([tmp_path, tmp_path / "missing.json"])
    assert [Path(f).relative_to(tmp_path).as_posix() for f in files] == ["a-bad.json", "b/good.json", "missing.json"]
    scored = list(score_files(mini, files))
    assert isinstance(scored[0].error, EvidenceError) and "malformed JSON" in str(scored[0].error)
    assert scored[1].error is None and scored[1].result is not None
    assert scored[2].result is None and "cannot read file" in str(scored[2].error)


def test_a_symlink_is_written_through(tmp_path: Path):
    real = tmp_path / "real.html"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.html"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"


def test_a_fifo_or_device_is_written_not_replaced(tmp_path: Path):
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_bytes_atomic(fifo, b"through the pipe")
    reader.join(timeout=10)
    assert received == [b"through the pipe"]
    assert fifo.is_fifo()
    write_bytes_atomic(os.devnull, b"discarded")  # must not turn /dev/null into a file
    assert not Path(os.devnull).is_file()


@pytest.mark.usefixtures("english")
def test_a_bug_on_one_file_does_not_stop_the_batch(tmp_path: Path, mini, monkeypatch):
    from pentas_rules.batch import corpus as corpus_module

    (tmp_path / "a.json").write_bytes(evidence_bytes({"parkir.ada": True}))
    (tmp_path / "b.json").write_bytes(evidence_bytes({"parkir.ada": False}))
    real = corpus_module.evaluate  # the name the batch scores with

    def buggy(ruleset, evidence, raw=None):
        if evidence.file.endswith("a.json"):
            raise ZeroDivisionError("a bug")
        return real(ruleset, evidence, raw)

    monkeypatch.setattr(corpus_module, "evaluate", buggy)
    first, second = score_files(mini, find_evidence_files([tmp_path]))
    assert isinstance(first.error, PentasError) and "internal error while scoring: ZeroDivisionError: a bug" in str(first.error)
    assert second.result is not None
