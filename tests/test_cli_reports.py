"""``pentas report`` and ``pentas rank`` end to end: outputs, bad inputs, determinism, interrupted batches."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.text.report import md_escape

from .conftest import PENTAS_INPUTS, PENTAS_INPUTS_RELATIVE, ROOT, SAMPLES, evidence_bytes, is_pentas_sample

SAMPLE = SAMPLES / "kota-bandung.json"
N_SAMPLES = len([p for p in SAMPLES.rglob("*.json") if is_pentas_sample(p)])


def run(runner: CliRunner, *args: str):
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


# -- report ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["id", "en"])
def test_html_report_shows_header_total_aspects_and_rubric_sentences(runner, tmp_path, ruleset, lang):
    out = tmp_path / "laporan kota.html"
    assert run(runner, "report", str(SAMPLE), "-o", str(out), "--lang", lang).exit_code == 0
    page = out.read_text(encoding="utf-8")
    for text in ("Dinas Kependudukan dan Pencatatan Sipil Kota Bandung", "32.73", "Jawa Barat", "pentas-2021 2021.1", "Tim Penilai Ditjen Dukcapil"):
        assert text in page
    assert ("14 Juni 2021" if lang == "id" else "14 June 2021") in page
    assert 'data-total="93.00"' in page and page.count('class="aspect-row"') == 13 and page.count('<g class="bar">') == 13
    assert page.count('class="aspect" id="aspect-') == 13 and page.count('<article class="indicator"') == 31
    assert (">93,00<" if lang == "id" else ">93.00<") in page  # shown in the language's notation
    # Self-contained: no scripts, no external resources.
    assert "<script" not in page and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    from pentas_rules.engine.evaluate import evaluate
    from pentas_rules.evidence.reader import parse_evidence

    raw = SAMPLE.read_bytes()
    result = evaluate(ruleset, parse_evidence(raw, str(SAMPLE), ruleset), raw)
    for ir in result.indicators():
        if ir.awarded is not None:
            assert html.escape(ir.awarded.level.source, quote=True) in page or html.escape(ir.awarded.level.source, quote=False) in page
    assert ("Nilai total" if lang == "id" else "Total score") in page and ("Pengesahan" if lang == "id" else "Approval") in page


def test_markdown_report(runner, tmp_path):
    out = tmp_path / "laporan.md"
    assert run(runner, "report", str(SAMPLE), "-o", str(out), "--format", "md").exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Laporan Penilaian: Dinas Kependudukan dan Pencatatan Sipil Kota Bandung\n")
    assert "**Nilai total: 93,00 / 100**" in text and text.count("\n### ") == 13 and text.count("\n#### Indikator ") == 31
    # Every table row and list item on a line of its own (template whitespace control can merge them).
    assert "\n| 1 | Standar Pelayanan | 3 | 5 | 5,00 | 3,00 |\n| 2 | Sarana dan Prasarana |" in text
    assert "||" not in text and "\n- ✓ Standar pelayanan memuat dasar hukum: **ya**\n- ✓ " in text
    assert "\n\n> Nilai (5) jika standar pelayanan (dasar hukum, persyaratan, SOP" in text


def test_report_to_stdout(runner):
    result = run(runner, "report", str(SAMPLE), "-o", "-", "--format", "md", "--lang", "en")
    assert result.exit_code == 0 and "**Total score: 93.00 / 100**" in result.output


def test_evidence_text_is_escaped_in_html_and_markdown(runner, tmp_path):
    evil = '<script>alert("x")</script> & [link](http://x) | *bold*'
    f = tmp_path / "evil.json"
    f.write_bytes(evidence_bytes({"parkir.ada": True}, office=evil, assessors=["<b>Budi</b>"]))
    out_html, out_md = tmp_path / "evil.html", tmp_path / "evil.md"
    assert run(runner, "report", str(f), "-o", str(out_html)).exit_code == 0
    page = out_html.read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>Budi</b>" not in page and "&lt;script&gt;" in page
    assert run(runner, "report", str(f), "-o", str(out_md), "--format", "md").exit_code == 0
    md = out_md.read_text(encoding="utf-8")
    assert evil not in md and md_escape(evil) in md and "\\<b\\>Budi\\</b\\>" in md


def test_md_escape_keeps_lines_and_leading_markup_inert():
    assert md_escape("a\nb|c") == "a b\\|c"
    assert md_escape("# not a heading") == "\\# not a heading" and md_escape("1. not a list") == "1\\. not a list"
    assert md_escape("73.07") == "73.07" and md_escape("-5%") == "-5%"  # only what would start a heading or a list


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "content, message",
    [
        (b"{broken", "malformed JSON"),
        (b'{"meta": {"office": 5}}', "$.meta"),
        (evidence_bytes({"parkir.adaa": True}), "did you mean"),
        (evidence_bytes({"parkir.ada": "ya"}), "parkir.ada"),
    ],
)
def test_report_refuses_bad_evidence_with_exit_1(runner, tmp_path, content, message):
    f = tmp_path / "bad.json"
    f.write_bytes(content)
    out = tmp_path / "out.html"
    result = run(runner, "report", str(f), "-o", str(out))
    assert result.exit_code == 1 and message in result.stderr and not out.exists()


@pytest.mark.usefixtures("english")
def test_report_input_and_output_problems(runner, tmp_path):
    missing = run(runner, "report", str(tmp_path / "nope.json"), "-o", str(tmp_path / "x.html"))
    assert missing.exit_code == 1 and "cannot read file" in missing.stderr
    no_folder = run(runner, "report", str(SAMPLE), "-o", str(tmp_path / "no" / "such" / "x.html"))
    assert no_folder.exit_code == 1 and "cannot write file" in no_folder.stderr
    into_dir = run(runner, "report", str(SAMPLE), "-o", str(tmp_path))
    assert into_dir.exit_code == 1 and "cannot write file" in into_dir.stderr
    assert sorted(os.listdir(tmp_path)) == []  # nothing half-written, no temporary left
    assert run(runner, "report", str(SAMPLE)).exit_code == 2  # -o is required
    assert run(runner, "report", str(SAMPLE), "-o", "x", "--format", "pdf").exit_code == 2


def test_report_is_byte_identical_across_runs_and_hash_seeds(tmp_path):
    outputs = set()
    for seed in ("0", "1", "999"):
        out = tmp_path / f"r{seed}.html"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "pentas_rules.cli", "report", str(SAMPLE), "-o", str(out)], cwd=ROOT, env=env, check=True)
        outputs.add(out.read_bytes())
    assert len(outputs) == 1


# -- rank ------------------------------------------------------------------------------


def test_rank_the_bundled_samples_with_shared_ranks(runner):
    result = run(runner, "rank", *PENTAS_INPUTS, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    offices = data["offices"]
    assert len(offices) == N_SAMPLES and offices[0]["office"].endswith("Kota Madiun") and offices[0]["rank"] == 1
    totals = [(o["rank"], o["total"]["exact"]) for o in offices]
    for (rank_a, total_a), (rank_b, total_b) in pairwise(totals):
        assert (rank_a == rank_b) == (total_a == total_b)
    assert data["ties"], "the committed corpus must contain ties"
    exact = [Fraction(o["total"]["exact"]) for o in offices]
    assert exact == sorted(exact, reverse=True)
    for office, total in zip(offices, exact, strict=True):
        assert office["rank"] == 1 + sum(1 for other in exact if other > total)  # competition ranking: 1, 2, 2, 4


def test_rank_tiebreak_splits_ties_and_says_how(runner):
    plain = json.loads(run(runner, "rank", *PENTAS_INPUTS, "--format", "json").stdout)
    broken = json.loads(run(runner, "rank", *PENTAS_INPUTS, "--format", "json", "--tiebreak", "weight").stdout)
    decided = [s for tie in broken["ties"] for s in tie["steps"] if s["decided_by"]]
    kept = [s for tie in broken["ties"] for s in tie["steps"] if s["decided_by"] is None]
    assert decided and kept, "the corpus has both a tie the tiebreak splits and one it cannot"
    by_file = {o["file"]: o for o in broken["offices"]}
    for step in decided:
        assert by_file[step["upper"]]["rank"] < by_file[step["lower"]]["rank"]
        aspect = step["decided_by"]
        assert by_file[step["upper"]]["contributions"][aspect]["exact"] != by_file[step["lower"]]["contributions"][aspect]["exact"]
    for step in kept:
        assert by_file[step["upper"]]["rank"] == by_file[step["lower"]]["rank"]
    assert len({o["rank"] for o in broken["offices"]}) > len({o["rank"] for o in plain["offices"]})
    text = run(runner, "rank", *PENTAS_INPUTS, "--tiebreak", "weight", "--lang", "en").output
    assert "broken by aspect" in text and "stay tied" in text and "heaviest aspect down" in text


@pytest.mark.usefixtures("english")
def test_rank_province_filter(runner):
    result = run(runner, "rank", *PENTAS_INPUTS, "--province", "jawa  barat", "--format", "json")
    provinces = {o["province"] for o in json.loads(result.stdout)["offices"]}
    assert result.exit_code == 0 and provinces == {"Jawa Barat"}
    typo = run(runner, "rank", *PENTAS_INPUTS, "--province", "Jawa Barta")
    assert typo.exit_code == 1 and "did you mean 'Jawa Barat'" in typo.stderr


def test_rank_csv_parses_back(runner, tmp_path):
    out = tmp_path / "peringkat.csv"
    assert run(runner, "rank", *PENTAS_INPUTS, "--format", "csv", "-o", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    records = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert len(records) == N_SAMPLES and records[0]["rank"] == "1" and float(records[0]["total"]) == 100.0
    assert all(float(r["total"]) >= float(s["total"]) for r, s in pairwise(records))


def test_rank_html_links_to_reports_it_wrote(runner, tmp_path):
    board = tmp_path / "web" / "peringkat.html"
    board.parent.mkdir()
    reports = tmp_path / "laporan"
    result = run(runner, "rank", *PENTAS_INPUTS, "--format", "html", "--reports", str(reports), "-o", str(board))
    assert result.exit_code == 0
    written = sorted(p.name for p in reports.iterdir())
    assert len(written) == N_SAMPLES and "kota-bandung.html" in written
    page = board.read_text(encoding="utf-8")
    links = [part.split('"', 1)[0] for part in page.split('<a href="')[1:]]
    assert len(links) == N_SAMPLES and all((board.parent / link).resolve().is_file() for link in links)
    assert "../laporan/kota-bandung.html" in links and "<script" not in page


@pytest.mark.usefixtures("english")
def test_bad_files_do_not_stop_the_batch(runner, tmp_path):
    folder = tmp_path / "batch"
    shutil.copytree(SAMPLES, folder, ignore=shutil.ignore_patterns("corpus", "levelisasi"))
    (folder / "rusak.json").write_bytes(b"{broken")
    (folder / "salah tipe.json").write_bytes(evidence_bytes({"parkir.ada": "ya"}))
    out, reports = tmp_path / "hasil.json", tmp_path / "laporan"
    result = run(runner, "rank", str(folder), str(tmp_path / "hilang.json"), "--format", "json", "-o", str(out), "--reports", str(reports))
    assert result.exit_code == 1
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["offices"]) == 7 and len(list(reports.iterdir())) == 7
    assert [Path(e["file"]).name for e in data["errors"]] == ["rusak.json", "salah tipe.json", "hilang.json"]
    assert "malformed JSON" in data["errors"][0]["error"] and "cannot read file" in data["errors"][2]["error"]
    assert result.stderr.count("error: ") == 3
    table = run(runner, "rank", str(folder))
    assert table.exit_code == 1 and table.stdout.rstrip().splitlines()[-1].strip().startswith(str(folder / "salah tipe.json"))


@pytest.mark.usefixtures("english")
def test_rank_usage_and_empty_inputs(runner, tmp_path):
    assert run(runner, "rank").exit_code == 2
    assert run(runner, "rank", *PENTAS_INPUTS, "--tiebreak", "alphabet").exit_code == 2
    assert run(runner, "rank", *PENTAS_INPUTS, "--format", "xml").exit_code == 2
    empty = run(runner, "rank", str(tmp_path))
    assert empty.exit_code == 1 and "no evidence files" in empty.stderr
    unwritable = run(runner, "rank", *PENTAS_INPUTS, "-o", str(tmp_path / "no" / "board.txt"))
    assert unwritable.exit_code == 1 and "cannot write file" in unwritable.stderr


def test_worker_processes_give_the_same_leaderboard(runner, tmp_path):
    outputs = []
    for jobs in ("1", "2"):
        reports = tmp_path / f"r{jobs}"
        result = run(runner, "rank", *PENTAS_INPUTS, "--format", "csv", "--jobs", jobs, "--reports", str(reports))
        outputs.append(result.stdout.replace(str(reports), "R"))
        assert result.exit_code == 0
    assert outputs[0] == outputs[1]
    for name in os.listdir(tmp_path / "r1"):
        assert (tmp_path / "r1" / name).read_bytes() == (tmp_path / "r2" / name).read_bytes()


@pytest.mark.usefixtures("english")
def test_interrupted_batch_leaves_no_report(runner, tmp_path, monkeypatch):
    import pentas_rules.text.report as report_module

    real = report_module.render_report
    calls = []

    def interrupt_on_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module, "render_report", interrupt_on_third)
    reports, board = tmp_path / "laporan", tmp_path / "board.html"
    result = runner.invoke(main, ["rank", *PENTAS_INPUTS, "--reports", str(reports), "--jobs", "1", "--format", "html", "-o", str(board)])
    assert result.exit_code == 130 and "interrupted" in result.stderr
    assert not board.exists()
    # The reports are a unit (staged until the batch is accepted): the two written were removed with
    # their staging folder, and so was the reports folder this run created.
    assert not reports.exists()


def test_rank_is_byte_identical_across_hash_seeds_in_a_fresh_process(tmp_path):
    outputs = set()
    for seed in ("0", "7"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run(
            [sys.executable, "-m", "pentas_rules.cli", "rank", *PENTAS_INPUTS_RELATIVE, "--tiebreak", "weight", "--format", "json"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            check=True,
        )
        outputs.add(out.stdout)
    assert len(outputs) == 1


def test_written_files_follow_the_umask_not_mkstemps_0600(runner, tmp_path):
    old = os.umask(0o022)
    try:
        out = tmp_path / "laporan.html"
        assert run(runner, "report", str(SAMPLE), "-o", str(out)).exit_code == 0
    finally:
        os.umask(old)
    assert out.stat().st_mode & 0o777 == 0o644


def test_report_and_ranking_cores_load_neither_click_nor_jinja2():
    code = """
import sys, json
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.batch.corpus import score_file
from pentas_rules.batch.ranking import leaderboard_row, rank_rows
from pentas_rules.batch.leaderboard import leaderboard_csv, leaderboard_text
from pentas_rules.text.report_model import report_view
from tools.synthetic import generate_offices
rs = load_ruleset_cached("rules/pentas-2021")
result = score_file(rs, "evidence_samples/kota-madiun.json").result
report_view(result, "id")
ranking = rank_rows([leaderboard_row("x", result)], rs.aspects, "weight")
leaderboard_csv(ranking, rs); leaderboard_text(ranking, rs, [])
generate_offices(rs, 2, 1)
print(",".join(sorted(m for m in ("click", "jinja2") if m in sys.modules)))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def test_phrases_are_defined_once_and_in_both_languages():
    # The phrase table is the message catalogue now: each key once per file (a second one would silently win).
    from pentas_rules.messages import catalogue

    for lang in ("id", "en"):
        text = (ROOT / "pentas_rules" / "messages" / f"{lang}.po").read_text(encoding="utf-8")
        ids = re.findall(r'^msgid "(.+)"$', text, re.M)
        assert len(ids) == len(set(ids)), f"a key is written twice in {lang}.po"
    assert set(catalogue("en")) <= set(catalogue("id"))


@pytest.mark.usefixtures("english")
def test_ctrl_c_stops_worker_processes_cleanly(tmp_path, ruleset):
    import signal
    import time

    from tools.synthetic import generate_offices

    batch = tmp_path / "kantor"
    batch.mkdir()
    for i, doc in enumerate(generate_offices(ruleset, 300, seed=3)):
        (batch / f"{i:03d}.json").write_text(json.dumps(doc), encoding="utf-8")
    reports, board = tmp_path / "laporan", tmp_path / "board.html"
    command = [sys.executable, "-m", "pentas_rules.cli", "rank", str(batch), "--jobs", "2", "--reports", str(reports), "--format", "html", "-o", str(board)]
    # As a terminal's Ctrl-C does: SIGINT to the whole process group, workers included.
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    # The reports of one rank are a unit: they are staged in a hidden folder and moved into place
    # only once the batch is accepted, so the workers are stopped while they are staging.
    staged = 0
    while time.monotonic() < deadline and staged < 5:
        staged = len(list(reports.glob(".pentas-staging-*/*.html"))) if reports.is_dir() else 0
        time.sleep(0.02)
    assert staged >= 5
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and stderr.strip() == "interrupted"
    # Nothing half-done is left: no staged report, no report, no leaderboard; the folder this run made is gone.
    assert not reports.exists() or not any(reports.iterdir())
    assert not board.exists()
