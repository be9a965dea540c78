"""How fast pentas-rules is, measured against plain Python, in one run of about a minute.

    .venv/bin/python benchmarks/bench.py            # the full table (about a minute)
    .venv/bin/python benchmarks/bench.py --quick    # a smaller run, to check the script works

It generates seeded synthetic offices (valid, varied, every level of every
indicator occurs), then measures, each figure the median of several passes:

1. the limit: plain-Python if/else scorers for eight indicators, bare and with a
   full per-comparison trace (benchmarks/plain.py), checked to agree with the engine;
2. the engine on the same eight indicators and on all 31 (evaluate, trace, aggregate);
3. end to end: evidence bytes -> parse -> validate -> evaluate -> result JSON bytes;
4. start-up: `pentas score SAMPLE` as a fresh process, with and without the rule cache;
5. batch: `pentas rank` over generated offices with and without HTML reports, and
   the peak memory of ranking 10,000.

Nothing here is a pass/fail test: the targets are printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.plain import BARE, TRACED  # noqa: E402
from pentas_rules.engine.evaluate import _compiled, _run, evaluate  # noqa: E402
from pentas_rules.engine.results import to_json_bytes  # noqa: E402
from pentas_rules.evidence.reader import parse_evidence  # noqa: E402
from pentas_rules.files.paths import default_rules_dir  # noqa: E402
from pentas_rules.ruleset.cache import load_ruleset_cached  # noqa: E402
from tools.synthetic import generate_offices  # noqa: E402

PENTAS = [str(Path(sys.executable).parent / "pentas")]
SAMPLE = ROOT / "evidence_samples" / "kota-bandung.json"


def median_time(work: Callable[[], Any], passes: int) -> float:
    """Median wall time of ``passes`` runs of ``work``, in seconds."""
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(command: list[str], **kwargs: Any) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
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
    print(f"  {label:<58}{value:>14}   {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer offices and passes")
    parser.add_argument("--offices", type=int, default=514, help="generated offices for the in-process figures")
    parser.add_argument("--passes", type=int, default=7)
    args = parser.parse_args()
    n, passes = (100, 3) if args.quick else (args.offices, args.passes)
    big = 1000 if args.quick else 10_000

    ruleset = load_ruleset_cached(default_rules_dir())
    docs = generate_offices(ruleset, n, seed=2021)
    raws = [json.dumps(doc, ensure_ascii=False).encode("utf-8") for doc in docs]
    facts = [parse_evidence(raw, f"office-{i}.json", ruleset).facts for i, raw in enumerate(raws)]
    compiled = _compiled(ruleset)
    plans = compiled.plans
    choose = compiled.choose

    print(f"pentas-rules benchmark: {n} generated offices (seed 2021), median of {passes} passes")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    print()

    # The plain scorers must agree with the engine, or the comparison means nothing.
    for ind_id, bare in BARE.items():
        for f in facts:
            engine_level = _run(plans[ind_id], f, choose).level
            assert bare(f) == engine_level == TRACED[ind_id](f)[0], (ind_id, f)
    print(f"1-2. Per indicator, microseconds (eight indicators; plain and engine agree on all {n} offices)")
    print(f"  {'indicator':<12}{'plain bare':>12}{'plain traced':>14}{'engine':>10}{'engine/traced':>15}{'engine+tree':>13}")
    ratios = []
    plain_total = engine_total = 0.0
    for ind_id in BARE:
        bare, traced, plan = BARE[ind_id], TRACED[ind_id], plans[ind_id]
        t_bare = median_time(lambda: [bare(f) for f in facts], passes) / n * 1e6
        t_traced = median_time(lambda: [traced(f) for f in facts], passes) / n * 1e6
        t_engine = median_time(lambda: [_run(plan, f, choose) for f in facts], passes) / n * 1e6
        # The engine keeps its trace flat; opening it into result objects is a reader's cost, shown apart.
        t_tree = median_time(lambda: [_run(plan, f, choose).levels for f in facts], passes) / n * 1e6
        ratios.append(t_engine / t_traced)
        plain_total += t_traced
        engine_total += t_engine
        print(f"  {ind_id:<12}{t_bare:>12.2f}{t_traced:>14.2f}{t_engine:>10.2f}{t_engine / t_traced:>14.2f}x{t_tree:>13.2f}")
    print(f"  {'all eight':<12}{'':>12}{plain_total:>14.2f}{engine_total:>10.2f}{engine_total / plain_total:>14.2f}x   (target: within 3x)")
    print()

    print("2. The engine on all 31 indicators (evaluate + trace + aggregate)")
    t_office = median_time(lambda: [evaluate(ruleset, _Evidence(f)) for f in facts], passes) / n
    row("per office", f"{t_office * 1e6:.0f} us", f"{t_office * 1e6 / len(ruleset.indicators):.2f} us per indicator")
    print()

    print("3. End to end on one core: bytes -> parse -> validate -> evaluate -> JSON bytes")

    def end_to_end() -> None:
        for i, raw in enumerate(raws):
            evidence = parse_evidence(raw, "office.json", ruleset)
            to_json_bytes(evaluate(ruleset, evidence, raw))

    t_e2e = median_time(end_to_end, passes) / n
    row("per office", f"{t_e2e * 1e6:.0f} us", f"{1 / t_e2e:,.0f} offices/s (target: >= 2,000)")
    size = len(to_json_bytes(evaluate(ruleset, parse_evidence(raws[0], "office.json", ruleset), raws[0])))
    row("result JSON per office", f"{size / 1024:.0f} KB", "indented, full trace")
    print()

    print("4. Start-up: `pentas score SAMPLE` as a fresh process (median of 7)")
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, PENTAS_CACHE_DIR=cache)
        run([*PENTAS, "score", str(SAMPLE)], env=env)  # fills the rule cache
        warm = statistics.median(run([*PENTAS, "score", str(SAMPLE)], env=env) for _ in range(7))
        cold_env = dict(os.environ, PENTAS_NO_CACHE="1")
        cold = statistics.median(run([*PENTAS, "score", str(SAMPLE)], env=cold_env) for _ in range(3))
        bare_python = statistics.median(run([sys.executable, "-c", "pass"]) for _ in range(7))
    row("with the rule cache", f"{warm * 1e3:.0f} ms", "(target: < 250 ms)")
    row("without it (first run after a rule change)", f"{cold * 1e3:.0f} ms")
    row("python -c pass, for scale", f"{bare_python * 1e3:.0f} ms")
    print()

    print("5. Batch: `pentas rank` as a fresh process")
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "offices"
        corpus.mkdir()
        for i, raw in enumerate(raws[:514] if n >= 514 else raws):
            (corpus / f"office-{i:05d}.json").write_bytes(raw)
        count = len(list(corpus.iterdir()))
        reports = Path(tmp) / "reports"
        t_rank = statistics.median(run([*PENTAS, "rank", str(corpus), "-o", str(Path(tmp) / "rank.txt")]) for _ in range(3))
        row(f"{count} offices, leaderboard only", f"{t_rank:.2f} s")
        timings = []
        for _ in range(3):
            shutil.rmtree(reports, ignore_errors=True)
            timings.append(run([*PENTAS, "rank", str(corpus), "--format", "html", "--reports", str(reports), "-o", str(Path(tmp) / "rank.html")]))
        row(f"{count} offices, HTML leaderboard and {count} HTML reports", f"{statistics.median(timings):.2f} s", "(target: < 5 s on 2 cores)")
        many = Path(tmp) / "many"
        many.mkdir()
        for i in range(big):
            doc = json.loads(raws[i % len(raws)])
            doc["meta"]["office"] = f"{doc['meta']['office']} #{i}"
            (many / f"office-{i:05d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        # One process, so its peak is the whole run's; with workers, each process's peak is reported apart.
        start = time.perf_counter()
        peak = peak_rss_mb([*PENTAS, "rank", str(many), "--jobs", "1", "--format", "csv", "-o", str(Path(tmp) / "many.csv")])
        elapsed = time.perf_counter() - start
        row(f"{big:,} offices, CSV leaderboard, one process: peak memory", f"{peak:.0f} MB", f"in {elapsed:.1f} s (target: < 200 MB)")
        start = time.perf_counter()
        peak = peak_rss_mb([*PENTAS, "rank", str(many), "--format", "csv", "-o", str(Path(tmp) / "many.csv")])
        elapsed = time.perf_counter() - start
        row(f"{big:,} offices, CSV leaderboard, default workers", f"{peak:.0f} MB", f"largest process; in {elapsed:.1f} s")


class _Evidence:
    """Just what evaluate() reads, so section 2 times the engine and not the parser."""

    __slots__ = ("facts",)

    def __init__(self, facts: dict[str, Any]) -> None:
        self.facts = facts


if __name__ == "__main__":
    main()
