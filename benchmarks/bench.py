"""How fast pentas-rules is, measured side by side with plain Python in one run.

    .venv/bin/python benchmarks/bench.py            # the full table (a few minutes)
    .venv/bin/python benchmarks/bench.py --readme   # the same, and writes it into docs/speed.md
    .venv/bin/python benchmarks/bench.py --quick    # a small run, to check the script works

Every target is a ratio (or a rate) measured against a reference timed in the
same run, because this machine's speed drifts by up to a factor of two within
minutes: absolute figures from two runs do not compare, ratios within one do.

The method, the same for every pair of sides:

- the garbage collector is frozen after setup (``gc.freeze()``) and collected
  before every pass, and every timed loop discards its results, so neither side
  pays for walking objects the other side (or the setup) left alive;
- the sides are interleaved, pass by pass (ABAB..., the order alternating), so a
  slow phase of the machine hits both;
- the ratio is computed per pass and the median of the ratios is reported, with
  their range and the number of passes.

Sections:

1. per indicator: plain-Python if/else scorers for eight indicators, with a full
   per-comparison trace (benchmarks/plain.py), checked to agree with the engine,
   against the engine with its full trace;
2. the engine on all 31 indicators (evaluate, trace, aggregate), per office;
   (1 and 2 with the engine's memo off: passes over the same offices would time its look-ups)
3. end to end: evidence bytes in, results out, against a floor (read the bytes,
   ``json.loads``, ``json.dumps`` of the same documents): in process, and as
   ``pentas score DIR --format jsonl`` on one core when the CLI has that option;
4. start-up: ``pentas score SAMPLE`` as a fresh process against ``python -c pass``
   of a bare virtual environment;
5. batch: ``pentas rank`` with and without HTML reports, and the peak memory of
   ranking 10,000 offices.

Nothing here is a pass/fail test: the targets are printed beside the figures.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import math
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so the imports below (E402, allowed in pyproject.toml) find the checkout

from benchmarks.plain import BARE, TRACED
from benchmarks.seam import clear_memos, indicator_runner, without_memo
from pentas_rules.engine.compact import compact_line
from pentas_rules.engine.evaluate import evaluate
from pentas_rules.engine.results import to_json_bytes
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.files.atomic import write_text_atomic
from pentas_rules.files.paths import default_rules_dir
from pentas_rules.ruleset.cache import load_ruleset_cached
from tools.synthetic import generate_offices

PENTAS = str(Path(sys.executable).parent / "pentas")
SAMPLE = ROOT / "evidence_samples" / "kota-bandung.json"
README = ROOT / "docs" / "speed.md"  # the Speed page, moved out of README.md
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


# -- measuring ---------------------------------------------------------------------------


class Paired:
    """Per-pass times of two sides timed alternately, and the ratio of each pass."""

    def __init__(self, a: list[float], b: list[float]) -> None:
        self.a, self.b = a, b
        self.ratios = sorted(x / y for x, y in zip(a, b, strict=True))

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    def a_median(self) -> float:
        return statistics.median(self.a)

    def b_median(self) -> float:
        return statistics.median(self.b)

    def spread(self) -> str:
        return f"{self.ratios[0]:.2f}-{self.ratios[-1]:.2f}, {len(self.ratios)} passes"


def paired(a: Callable[[], object], b: Callable[[], object], passes: int, min_pass: float = 0.0) -> Paired:
    """Time ``a`` and ``b`` alternately, ``passes`` times each, the order swapping every pass.

    The collector runs before every timed call (outside the timing), so garbage one
    side left behind is not collected on the other side's clock. A call shorter than
    ``min_pass`` seconds is repeated within its pass (the time reported is per call):
    a pass of a millisecond measures the scheduler of a shared machine, not the code.
    """
    repeat = max(1, math.ceil(min_pass / max(min(timed(a), timed(b)), 1e-9)))
    times_a: list[float] = []
    times_b: list[float] = []
    for i in range(passes):
        order = ((a, times_a), (b, times_b)) if i % 2 == 0 else ((b, times_b), (a, times_a))
        for work, times in order:
            gc.collect()
            start = time.perf_counter()
            for _ in range(repeat):
                work()
            times.append((time.perf_counter() - start) / repeat)
    return Paired(times_a, times_b)


def each(function: Callable[[Any], object], items: list[Any]) -> Callable[[], None]:
    """A pass calling ``function`` on every item and keeping no result."""

    def work() -> None:
        for item in items:
            function(item)

    return work


def run(command: list[str], **kwargs: Any) -> Callable[[], None]:
    def work() -> None:
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)

    return work


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def peak_rss_mb(command: list[str]) -> float:
    """Peak resident memory of a command, read by a fresh Python that only waits for it."""
    probe = (
        "import resource, subprocess, sys\n"
        f"subprocess.run({command!r}, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024  # Linux reports kilobytes


def row(label: str, value: str, note: str = "") -> None:
    print(f"  {label:<58}{value:>14}   {note}".rstrip())


@contextmanager
def frozen_gc() -> Iterator[None]:
    """Move everything the setup made out of the collector's sight while timing."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def one_core() -> list[str]:
    """A command prefix pinning a process to one core, where taskset exists."""
    return ["taskset", "-c", "0"] if shutil.which("taskset") else []


def has_jsonl() -> bool:
    """Whether this CLI's ``score`` offers ``--format jsonl`` (added by a later change)."""
    help_text = subprocess.run([PENTAS, "score", "--help"], capture_output=True, text=True).stdout
    return "jsonl" in help_text


# -- the sections ----------------------------------------------------------------------


def per_indicator(ruleset: Any, facts: list[dict[str, Any]], passes: int, min_pass: float) -> None:
    runners = {ind_id: indicator_runner(ruleset, ind_id) for ind_id in BARE}
    # The plain scorers must agree with the engine, or the comparison means nothing.
    for ind_id, bare in BARE.items():
        for f in facts:
            assert bare(f) == runners[ind_id](f).level == TRACED[ind_id](f)[0], (ind_id, f)
    n = len(facts)
    print(f"1. Per indicator, microseconds per office (plain and engine agree on all {n} offices)")
    print(f"  {'indicator':<12}{'plain traced':>14}{'engine':>10}{'engine/traced':>15}   range of the ratio")
    plain_all: list[float] = []
    engine_all: list[float] = []
    for ind_id in BARE:
        p = paired(each(runners[ind_id], facts), each(TRACED[ind_id], facts), passes, min_pass)
        engine_all.append(p.a_median())
        plain_all.append(p.b_median())
        print(f"  {ind_id:<12}{p.b_median() / n * 1e6:>14.2f}{p.a_median() / n * 1e6:>10.2f}{p.ratio:>14.2f}x   {p.spread()}")

    def engine_eight() -> None:
        for run_one in runners.values():
            for f in facts:
                run_one(f)

    def plain_eight() -> None:
        for traced in TRACED.values():
            for f in facts:
                traced(f)

    p = paired(engine_eight, plain_eight, passes, min_pass)
    print(f"  {'all eight':<12}{p.b_median() / n * 1e6:>14.2f}{p.a_median() / n * 1e6:>10.2f}{p.ratio:>14.2f}x   {p.spread()}; target: within 3x")
    print()


def whole_office(ruleset: Any, evidences: list[Any], passes: int) -> None:
    print("2. The engine on all 31 indicators (evaluate + trace + aggregate; 1 and 2 with the memo off)")
    times = []
    for _ in range(passes):
        gc.collect()
        times.append(timed(each(lambda e: evaluate(ruleset, e), evidences)))
    t_office = statistics.median(times) / len(evidences)
    row("per office", f"{t_office * 1e6:.0f} us", f"{t_office * 1e6 / len(ruleset.indicators):.2f} us per indicator")
    print()


def end_to_end(ruleset: Any, raws: list[bytes], corpus: Path, passes: int, min_pass: float) -> None:
    n = len(raws)
    print(f"3. End to end, {n} offices: evidence bytes in, results out, against a floor")
    print("   (floor: read the bytes, json.loads, json.dumps of the same documents)")

    def engine() -> None:
        for raw in raws:
            to_json_bytes(evaluate(ruleset, parse_evidence(raw, "office.json", ruleset), raw))

    def floor() -> None:
        for raw in raws:
            json.dumps(json.loads(raw))

    p = paired(engine, floor, passes, min_pass)
    row(
        "in process, full result JSON (score --format json)",
        f"{p.a_median() / n * 1e6:.0f} us",
        f"{n / p.a_median():,.0f} offices/s; {p.ratio:.1f}x the floor ({p.spread()})",
    )
    size = len(to_json_bytes(evaluate(ruleset, parse_evidence(raws[0], "office.json", ruleset), raws[0])))
    row("  result JSON per office", f"{size / 1024:.0f} KB", "indented, full trace")
    compact_rows(ruleset, raws, passes, min_pass)
    if not has_jsonl():
        row("`pentas score DIR --format jsonl`, one core", "not available", "(this CLI has no --format jsonl yet)")
        print()
        return
    # A fresh process each side, pinned to one core: the floor reads the same files.
    floor_script = (
        "import json, pathlib, sys\n"
        "for p in sorted(pathlib.Path(sys.argv[1]).iterdir()):\n"
        "    sys.stdout.write(json.dumps(json.loads(p.read_bytes()), ensure_ascii=False) + '\\n')\n"
    )
    p = paired(
        run([*one_core(), PENTAS, "score", str(corpus), "--format", "jsonl"]),
        run([*one_core(), sys.executable, "-c", floor_script, str(corpus)]),
        max(3, passes // 2),
    )
    row(
        "`pentas score DIR --format jsonl`, one core, whole process",
        f"{p.a_median():.2f} s",
        f"{n / p.a_median():,.0f} offices/s (target: >= 2,000); {p.ratio:.1f}x the floor (target: within 15x)",
    )
    print()


def compact_rows(ruleset: Any, raws: list[bytes], passes: int, min_pass: float) -> None:
    """The compact records of a batch in process: the engine's memo as a batch has it, against no memo.

    Each pass starts from an empty memo, as a fresh ``score --format jsonl`` does, so the "memo on"
    side times this corpus's own repeats (on the generated offices about four indicator
    evaluations in five repeat an earlier office's); the "memo off" side evaluates every indicator
    of every office, the cost of offices that never repeat one another.
    """
    n = len(raws)

    def batch() -> None:
        for raw in raws:
            compact_line(evaluate(ruleset, parse_evidence(raw, "office.json", ruleset), raw))

    def memo_on() -> None:
        clear_memos(ruleset)
        batch()  # the memo filled by this pass alone

    def memo_off() -> None:
        with without_memo(ruleset):
            batch()

    p = paired(memo_on, memo_off, passes, min_pass)
    row(
        "in process, compact records (score --format jsonl)",
        f"{p.a_median() / n * 1e6:.0f} us",
        f"{n / p.a_median():,.0f} offices/s, the memo filled by the pass itself",
    )
    row(
        "  the same, memo off (every indicator evaluated)",
        f"{p.b_median() / n * 1e6:.0f} us",
        f"{n / p.b_median():,.0f} offices/s; memo on/off {p.ratio:.2f}x ({p.spread()})",
    )


def install_kind() -> str:
    """How this environment has pentas-rules, which is what the start-up figures measure: an
    editable install (scripts/setup) has an import hook that a wheel lacks."""
    import site  # deferred: only the start-up section needs it

    editable = any(any(Path(folder).glob("__editable__*pentas_rules*")) for folder in site.getsitepackages())
    return "editable install (scripts/setup)" if editable else "installed wheel"


def start_up(passes: int) -> None:
    print(f"4. Start-up: `pentas score SAMPLE` as a fresh process, .pyc files present; the `pentas` script of an {install_kind()}")
    with tempfile.TemporaryDirectory() as tmp:
        bare_venv = Path(tmp) / "bare"
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", "--without-pip", str(bare_venv)], check=True)
        bare_python = str(bare_venv / "bin" / "python")
        env = dict(os.environ, PENTAS_CACHE_DIR=str(Path(tmp) / "cache"))
        env.pop("PENTAS_NO_CACHE", None)
        # As a user's install has them (scripts/setup compiles them too): a source file edited
        # since, under PYTHONDONTWRITEBYTECODE, would otherwise be compiled on every run.
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pentas_rules")], check=True, stdout=subprocess.DEVNULL)
        score = run([PENTAS, "score", str(SAMPLE)], env=env)
        score()  # fills the rule cache and any missing .pyc
        run([bare_python, "-c", "pass"])()
        p = paired(score, run([bare_python, "-c", "pass"]), passes)
        row("with the rule cache", f"{p.a_median() * 1e3:.0f} ms", f"{p.ratio:.1f}x python -c pass ({p.spread()}; target: within 8x)")
        row("python -c pass, bare virtual environment", f"{p.b_median() * 1e3:.0f} ms")
        cold_env = dict(env, PENTAS_NO_CACHE="1")
        cold = paired(run([PENTAS, "score", str(SAMPLE)], env=cold_env), run([bare_python, "-c", "pass"]), 3)
        row("without it (first run after a rule change)", f"{cold.a_median() * 1e3:.0f} ms", f"{cold.ratio:.1f}x python -c pass")
    print()


def wall_and_cpu(work: Callable[[], object]) -> tuple[float, float]:
    """Wall time, and the CPU time of the child processes ``work`` ran (user + system).

    On a shared machine the wall time includes waiting for other tenants; the CPU time
    does not, so it shows what the run itself costs.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(work)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def batch(raws: list[bytes], corpus: Path, big: int, tmp: Path) -> None:
    count = len(raws)
    print("5. Batch: `pentas rank` as a fresh process (median of 3; CPU: the processes' own time)")
    runs = [wall_and_cpu(run([PENTAS, "rank", str(corpus), "-o", str(tmp / "rank.txt")])) for _ in range(3)]
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    row(f"{count} offices, leaderboard only", f"{wall:.2f} s", f"CPU {cpu:.2f} s")
    reports = tmp / "reports"
    runs = []
    for _ in range(3):
        shutil.rmtree(reports, ignore_errors=True)
        runs.append(wall_and_cpu(run([PENTAS, "rank", str(corpus), "--format", "html", "--reports", str(reports), "-o", str(tmp / "rank.html")])))
    wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    row(f"{count} offices, HTML leaderboard and {count} HTML reports", f"{wall:.2f} s", f"CPU {cpu:.2f} s (target: < 5 s)")
    many = tmp / "many"
    many.mkdir()
    for i in range(big):
        doc = json.loads(raws[i % len(raws)])
        doc["meta"]["office"] = f"{doc['meta']['office']} #{i}"
        # One office is a region code and a year: later copies take later years (scored with
        # a warning), or rank would refuse them as duplicates of one office.
        doc["meta"]["year"] += i // len(raws)
        (many / f"office-{i:05d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    # One process, so its peak is the whole run's; with workers, each process's peak is reported apart.
    for label, jobs in (("one process", ["--jobs", "1"]), ("default workers, per process", [])):
        start = time.perf_counter()
        peak = peak_rss_mb([PENTAS, "rank", str(many), *jobs, "--format", "csv", "-o", str(tmp / "many.csv")])
        elapsed = time.perf_counter() - start
        row(f"{big:,} offices, CSV, {label}: peak", f"{peak:.0f} MB", f"in {elapsed:.1f} s (target: < 200 MB)")


def measure(n: int, passes: int, big: int, min_pass: float) -> None:
    ruleset = load_ruleset_cached(default_rules_dir())
    docs = generate_offices(ruleset, n, seed=2021)
    raws = [json.dumps(doc, ensure_ascii=False).encode("utf-8") for doc in docs]
    evidences = [parse_evidence(raw, f"office-{i}.json", ruleset) for i, raw in enumerate(raws)]
    facts = [e.facts for e in evidences]
    del docs
    print(f"pentas-rules benchmark: {n} generated offices (seed 2021); ratios are medians of per-pass ratios")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        corpus = tmp / "offices"
        corpus.mkdir()
        for i, raw in enumerate(raws):
            (corpus / f"office-{i:05d}.json").write_bytes(raw)
        with frozen_gc():
            with without_memo(ruleset):  # evaluation itself, not the memo's look-ups of the offices of the pass before
                per_indicator(ruleset, facts, passes, min_pass)
                whole_office(ruleset, evidences, passes)
            end_to_end(ruleset, raws, corpus, passes, min_pass)
            start_up(max(passes, 11))
        batch(raws, corpus, big, tmp)


def write_readme(table: str, readme: Path = README) -> None:
    """Put ``table`` between the markers of the Speed page (docs/speed.md), atomically; nothing else changes."""
    text = readme.read_text(encoding="utf-8")
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        sys.exit(f"bench: {readme} must hold one {BEGIN} line before one {END} line; not written")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    write_text_atomic(readme, f"{head}{BEGIN}\nMeasured {stamp} by `make bench`:\n\n```\n{table}```\n{END}{tail}")
    print(f"bench: wrote the table into {readme}", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few offices and passes, to check the script works")
    parser.add_argument("--offices", type=int, default=514, help="generated offices (default 514)")
    parser.add_argument("--passes", type=int, default=9, help="interleaved passes per pair (default 9)")
    parser.add_argument("--readme", action="store_true", help="also write the table into docs/speed.md (the Speed page)")
    args = parser.parse_args()
    if args.quick and args.readme:
        parser.error("--readme publishes a full run; it cannot be combined with --quick")
    # In process, a pass shorter than 50 ms is repeated: see paired().
    n, passes, big, min_pass = (40, 3, 200, 0.0) if args.quick else (args.offices, args.passes, 10_000, 0.05)
    if not args.readme:
        measure(n, passes, big, min_pass)
        return
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        measure(n, passes, big, min_pass)
    sys.stdout.write(buffer.getvalue())
    write_readme(buffer.getvalue())


if __name__ == "__main__":
    main()
