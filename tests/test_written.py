"""A command that writes a file says so: one line on stderr, in the user's language, naming what and where.

Without it `template -o`, `convert -o`, `report -o`, `rank -o`/`--reports`/`--results`, `score -o`,
`snapshot --out` and `test --junit` finished silently, and an office clerk could not tell that
anything happened. The line goes to stderr: stdout may be piped, and is left as it was.
"""

from __future__ import annotations

import pytest

from pentas_rules.cli import main

from .conftest import LEVELISASI_SAMPLES, ROOT, SAMPLES

SAMPLE = SAMPLES / "kota-madiun.json"
CORPUS = sorted((SAMPLES / "corpus").glob("*.json"))[:3]


@pytest.fixture
def run(runner):
    """``pentas ARGS`` succeeding, its stderr kept apart from stdout."""

    def invoke(*args: str):
        result = runner.invoke(main, list(args))
        assert result.exit_code == 0, result.output
        return result

    return invoke


def _said(result) -> str:
    [line] = result.stderr.splitlines()  # one line, nothing else
    return line


def test_template_says_how_big_the_blank_workbook_is(run, tmp_path):
    out = tmp_path / "lembar-bukti.xlsx"
    result = run("template", "-o", str(out))
    assert _said(result) == f"Lembar bukti kosong ditulis ke {out} (13 lembar aspek, 158 fakta)."
    assert result.stdout == "" and out.is_file()


@pytest.mark.usefixtures("english")
def test_template_in_english_and_from_evidence(run, tmp_path):
    blank, filled = tmp_path / "blank.json", tmp_path / "filled.xlsx"
    assert _said(run("template", "-o", str(blank))) == f"Blank evidence JSON document written to {blank} (158 facts)."
    level = LEVELISASI_SAMPLES / "08-kab-pesisirindah-pasti.json"
    said = _said(run("template", "--from", str(level), "-o", str(filled)))
    assert said == f"Evidence workbook from {level} written to {filled} (1 aspect sheet, 10 facts)."


def test_template_to_standard_output_says_nothing(run):
    result = run("template", "-o", "-", "--format", "json")
    assert result.stderr == "" and result.stdout.startswith("{")


def test_convert_says_what_it_wrote_both_ways(run, tmp_path):
    book, back = tmp_path / "madiun.xlsx", tmp_path / "madiun.json"
    assert _said(run("convert", str(SAMPLE), "-o", str(book))) == f"Lembar bukti dari {SAMPLE} ditulis ke {book} (13 lembar aspek, 158 fakta)."
    assert _said(run("convert", str(book), "-o", str(back))) == f"Dokumen bukti JSON dari {book} ditulis ke {back} (158 fakta)."


def test_report_says_where_it_was_written(run, tmp_path):
    out = tmp_path / "laporan.html"
    result = run("report", str(SAMPLE), "-o", str(out))
    assert _said(result) == f"Laporan ditulis ke {out}." and result.stdout == ""
    assert "Laporan" not in run("report", str(SAMPLE), "-o", "-").stderr  # to stdout: nothing to say


@pytest.mark.usefixtures("english")
def test_rank_says_what_each_of_its_outputs_holds(run, tmp_path):
    board, folder, records = tmp_path / "board.xlsx", tmp_path / "reports", tmp_path / "results.jsonl"
    result = run("rank", *map(str, CORPUS), "--format", "xlsx", "-o", str(board), "--reports", str(folder), "--results", str(records))
    assert result.stderr.splitlines() == [
        f"3 compact results written to {records}.",
        f"3 reports written to the folder {folder}.",
        f"Leaderboard of 3 offices written to {board}.",
    ]
    assert result.stdout == ""
    assert run("rank", str(CORPUS[0]), "--format", "csv").stderr == ""  # the board on stdout: nothing to say


def test_rank_counts_in_indonesian(run, tmp_path):
    board = tmp_path / "peringkat.html"
    assert _said(run("rank", str(CORPUS[0]), "--format", "html", "-o", str(board))) == f"Peringkat 1 kantor ditulis ke {board}."


def test_score_jsonl_says_how_many_results_it_wrote(run, tmp_path):
    out = tmp_path / "hasil.jsonl"
    result = run("score", *map(str, CORPUS), "--format", "jsonl", "-o", str(out))
    assert _said(result) == f"3 hasil ringkas ditulis ke {out}." and result.stdout == ""
    assert run("score", *map(str, CORPUS), "--format", "jsonl").stderr == ""


def test_snapshot_says_how_many_results_it_wrote(run, tmp_path):
    out = tmp_path / "hasil"
    first = run("snapshot", "--evidence", str(SAMPLE), "--out", str(out))
    assert _said(first) == f"1 hasil ditulis ke folder {out}."
    assert run("snapshot", "--evidence", str(SAMPLE), "--out", str(out)).stderr == ""  # nothing written: the summary says so


@pytest.mark.usefixtures("english")
def test_test_says_where_the_junit_report_went(run, tmp_path):
    out = tmp_path / "junit.xml"
    result = run("test", str(ROOT / "rules" / "levelisasi-2022"), "--junit", str(out))
    assert _said(result) == f"JUnit report written to {out}."
    assert "passed" in result.stdout  # the summary stays where it was
