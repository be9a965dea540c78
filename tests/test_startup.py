"""Start-up (issue 9): what a fresh ``pentas score`` loads, held structurally, not by a clock.

The figures are in ``docs/speed.md`` (``benchmarks/bench.py`` measures them); these tests keep
the modules that were taken off the path from coming back unnoticed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from pentas_rules.files.digest import sha256

from .conftest import ROOT, SAMPLES

# Each costs a millisecond or more at every start and is needed only off the scoring path:
# hashlib loads OpenSSL for one algorithm CPython also builds in; difflib serves a "did you mean";
# zipfile (with shutil) is for workbooks and for telling other office files from evidence;
# calendar (with locale) words a date that is not on the calendar; dataclasses generates methods
# with exec at import, where a Record (files/record.py) shares its own. Of ours: listing folders and
# the compact form serve batches and .jsonl input, the next step and its set algebra serve advice
# (an office awarded a level on every indicator, as this sample is, needs none), and the workbook
# reader reads workbooks.
NOT_ON_THE_PATH = (
    "hashlib",
    "_hashlib",
    "difflib",
    "zipfile",
    "shutil",
    "calendar",
    "locale",
    "dataclasses",
    "pentas_rules.batch.corpus",
    "pentas_rules.engine.compact",
    "pentas_rules.engine.nextstep",
    "pentas_rules.ruleset.analysis",
    "pentas_rules.evidence.workbook_read",
)


def test_a_cached_score_imports_none_of_the_rare_path_modules(tmp_path):
    env = dict(os.environ, PENTAS_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("PENTAS_NO_CACHE", None)
    code = f"""
import sys
from pentas_rules.cli import main
try:
    main(["score", "evidence_samples/kota-bandung.json"], standalone_mode=False)
finally:
    sys.stdout.flush()
print("LOADED:" + ",".join(m for m in {NOT_ON_THE_PATH!r} if m in sys.modules), file=sys.stderr)
"""
    for _ in range(2):  # the first run fills the rule cache, the second is the one users repeat
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
        assert done.returncode == 0, done.stderr
    assert "LOADED:\n" in done.stderr + "\n", done.stderr
    assert "Nilai total" in done.stdout


@pytest.mark.parametrize(("lang", "words"), [("id", "Nilai total"), ("en", "Total score")])
def test_a_run_parses_the_catalogue_of_its_own_language_only(lang, words):
    """The help texts are looked up in the active language's catalogue: the other one, the same keys
    in other words (tests/test_messages.py), is not parsed for nothing at every start."""
    code = """
import sys
from pentas_rules.cli import main
from pentas_rules.messages import catalogue
try:
    main(["score", "evidence_samples/kota-bandung.json"], standalone_mode=False)
finally:
    sys.stdout.flush()
print("PARSED", catalogue.cache_info().currsize, file=sys.stderr)
"""
    env = dict(os.environ, PENTAS_LANG=lang)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert words in done.stdout
    assert "PARSED 1\n" in done.stderr, done.stderr


def test_score_is_the_one_command_built_at_start_up():
    """Every other command's options are built when it is invoked or --help lists it."""
    code = """
import sys
from pentas_rules.cli import main
print(sorted(main.commands), "pentas_rules.cli.office" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split("]")[0] == "['score'" and done.stdout.split()[-1] == "False", done.stdout


def test_the_builtin_sha256_is_hashlibs():
    for data in (b"", b"abc", bytes(range(256)) * 1000):
        assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    incremental = sha256()
    incremental.update(b"ab")
    incremental.update(b"c")
    assert incremental.digest() == hashlib.sha256(b"abc").digest()


def test_a_process_that_hashes_much_switches_to_openssl():
    """The builtin SHA-256 is slower per byte: a batch must not pay for it on every office."""
    code = """
import sys
from pentas_rules.files.digest import SWITCH_AFTER, sha256
office = bytes(range(256)) * 20  # about an evidence file
first = sha256(office).hexdigest()
before = "hashlib" in sys.modules
for _ in range(SWITCH_AFTER // len(office) + 1):
    last = sha256(office).hexdigest()
print(before, "hashlib" in sys.modules, type(sha256(office)).__module__, first == last)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.split() == ["False", "True", "_hashlib", "True"]


def test_the_command_freezes_what_its_imports_made_and_collects_the_rest():
    """The ``pentas`` script is ``run``: imports with the collector paused, then frozen, then the command."""
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["pentas"] == "pentas_rules.__main__:run"
    code = """
import atexit, gc, sys
sys.argv = ["pentas", "rulesets"]
from pentas_rules.__main__ import run
atexit.register(lambda: print("EXIT", gc.isenabled(), gc.get_freeze_count() > 10000, "pentas_rules.cli" in sys.modules, file=sys.stderr))
run()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "EXIT True True True" in done.stderr, done.stderr
    assert "pentas-2021" in done.stdout
    # python -m pentas_rules is the same command
    module = subprocess.run([sys.executable, "-m", "pentas_rules", "rulesets"], capture_output=True, text=True, cwd=ROOT)
    assert module.returncode == 0 and module.stdout == done.stdout


# A witness of the interpreter's teardown: at exit the interpreter empties sys.modules, and this
# object's __del__ says so (through os.write, which teardown leaves working to the end).
_WITNESS = """
import os, sys
class Witness:
    def __del__(self, write=os.write):
        write(2, b"TORN DOWN\\n")
sys.modules["pentas_witness"] = Witness()
"""


def _run_command(args: list[str], before: str = "") -> subprocess.CompletedProcess[str]:
    code = _WITNESS + before + f"\nsys.argv = ['pentas', *{args!r}]\nfrom pentas_rules.__main__ import run\nrun()\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)


def test_the_command_ends_without_tearing_the_interpreter_down_and_keeps_its_exit_code():
    """Tearing down every module and object took about 2 ms of each ``pentas score``, unseen by anyone."""
    done = _run_command(["score", "evidence_samples/kota-bandung.json"])
    assert done.returncode == 0, done.stderr
    assert "Nilai total" in done.stdout and done.stdout.endswith("\n")  # all of it, flushed
    assert "TORN DOWN" not in done.stderr
    failed = _run_command(["score", "evidence_samples/no-such-office.json"])
    assert failed.returncode == 1 and "no-such-office.json" in failed.stderr and "TORN DOWN" not in failed.stderr
    usage = _run_command(["score", "--format", "pdf", "evidence_samples/kota-bandung.json"])
    assert usage.returncode == 2 and "pdf" in usage.stderr and "TORN DOWN" not in usage.stderr


def test_the_command_exits_as_usual_when_something_waits_for_the_exit():
    """An exit handler (a worker pool's, a temporary folder's) or a live thread is not skipped."""
    handler = "import atexit\natexit.register(lambda: os.write(2, b'HANDLER RAN\\n'))\n"
    done = _run_command(["score", "evidence_samples/kota-bandung.json"], handler)
    assert done.returncode == 0 and "HANDLER RAN" in done.stderr and "TORN DOWN" in done.stderr
    thread = "import threading, time\nthreading.Thread(target=time.sleep, args=(0.2,)).start()\n"
    done = _run_command(["score", "evidence_samples/kota-bandung.json"], thread)
    assert done.returncode == 0 and "TORN DOWN" in done.stderr


def test_the_score_table_opens_no_level_from_the_trace(ruleset, monkeypatch):
    """A one-line reason needs the awarded level's rubric sentence, not its condition tree rebuilt
    from the trace (which took half of ``score_text``)."""
    from pentas_rules.engine.evaluate import evaluate
    from pentas_rules.engine.results import IndicatorResult
    from pentas_rules.evidence.reader import read_source
    from pentas_rules.text.explain import score_text

    source = read_source(str(SAMPLES / "kota-bandung.json"))
    result = evaluate(ruleset, source.evidence(ruleset), source.raw)
    opened = []
    real = IndicatorResult.level_result

    def counting(self, value):
        opened.append((self.indicator.id, value))
        return real(self, value)

    monkeypatch.setattr(IndicatorResult, "level_result", counting)
    text = score_text(result, "id")
    assert opened == []
    sentences = [ir.indicator.levels[[level.value for level in ir.indicator.levels].index(ir.level)].source for ir in result.indicators() if ir.level]
    assert sentences and all(sentence[:40] in text for sentence in sentences)
