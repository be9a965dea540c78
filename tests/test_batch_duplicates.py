"""The same office twice in one batch is ranked or compared neither time (issue 8, item 7).

A draft and a final copy of one office's evidence (same ``meta.region_code`` and
``meta.year``) used to be ranked twice, pushing every other office down a place,
with exit 0. Now neither copy is ranked, every such file is named in the error
(with the others of its group), the rest is ranked as if they were absent, and
the exit code is 1. ``diff --evidence`` leaves them out of both sides likewise.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pentas_rules.batch.corpus import find_evidence_files
from pentas_rules.cli import main
from pentas_rules.maintenance.diff import corpus_diff

from .conftest import RULES, SAMPLES

# Madiun scores 100.00, Bandung 93.00, Sinjai 53.67: the copies of Madiun sit on top.
MADIUN, BANDUNG, SINJAI = (SAMPLES / f"{name}.json" for name in ("kota-madiun", "kota-bandung", "kab-sinjai"))


@pytest.fixture
def batch(tmp_path, monkeypatch) -> Path:
    """bukti/: a draft and a final of Madiun, plus Bandung and Sinjai."""
    monkeypatch.chdir(tmp_path)
    folder = Path("bukti")
    folder.mkdir()
    shutil.copy(MADIUN, folder / "madiun-draft.json")
    shutil.copy(MADIUN, folder / "madiun-final.json")
    shutil.copy(BANDUNG, folder / "bandung.json")
    shutil.copy(SINJAI, folder / "sinjai.json")
    return folder


def same_office(*others: str, verb: str = "ranked") -> str:
    which = "neither" if len(others) == 1 else "none"
    return f"the same office (region code 35.77, year 2021) as {', '.join(others)}, so {which} of them is {verb}; keep only one in the batch"


def test_rank_table_leaves_out_both_copies_and_ranks_the_rest(runner, batch):
    result = runner.invoke(main, ["rank", "bukti", "--lang", "en"], catch_exceptions=False)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    ranked = [line.split()[:2] for line in lines if line.strip()[:1].isdigit()]
    assert ranked == [["1", "93.00"], ["2", "53.67"]]  # Bandung is first, not third
    assert "Madiun" not in "\n".join(lines[: lines.index("Files that could not be scored (2):")])
    assert f"  bukti/madiun-draft.json: {same_office('bukti/madiun-final.json')}" in lines
    assert f"  bukti/madiun-final.json: {same_office('bukti/madiun-draft.json')}" in lines


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("jobs", ["1", "2"])  # 2: rows travel back from worker processes, year included
def test_rank_json_lists_both_files_as_errors(runner, batch, jobs):
    result = runner.invoke(main, ["rank", "bukti", "--format", "json", "--jobs", jobs], catch_exceptions=False)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [(o["rank"], o["file"]) for o in doc["offices"]] == [(1, "bukti/bandung.json"), (2, "bukti/sinjai.json")]
    assert doc["errors"] == [
        {"file": "bukti/madiun-draft.json", "error": same_office("bukti/madiun-final.json")},
        {"file": "bukti/madiun-final.json", "error": same_office("bukti/madiun-draft.json")},
    ]


@pytest.mark.usefixtures("english")
def test_rank_to_a_file_says_it_on_stderr_and_writes_the_rest(runner, batch):
    result = runner.invoke(main, ["rank", "bukti", "--format", "csv", "-o", "peringkat.csv"], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"error: bukti/madiun-draft.json: {same_office('bukti/madiun-final.json')}" in result.stderr
    assert f"error: bukti/madiun-final.json: {same_office('bukti/madiun-draft.json')}" in result.stderr
    rows = Path("peringkat.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 3 and "bandung.json" in rows[1] and "madiun" not in "".join(rows)


@pytest.mark.usefixtures("english")
def test_three_copies_each_name_the_other_two(runner, batch):
    shutil.copy(MADIUN, batch / "madiun-lagi.json")
    result = runner.invoke(main, ["rank", "bukti", "--format", "json"], catch_exceptions=False)
    errors = {e["file"]: e["error"] for e in json.loads(result.stdout)["errors"]}
    assert errors["bukti/madiun-lagi.json"] == same_office("bukti/madiun-draft.json", "bukti/madiun-final.json")
    assert len(errors) == 3 and result.exit_code == 1


@pytest.mark.parametrize("change", [{"year": 2020}, {"region_code": "35.78"}])
def test_another_year_or_region_is_another_office(runner, batch, change):
    doc = json.loads(MADIUN.read_text(encoding="utf-8"))
    doc["meta"].update(change)
    (batch / "madiun-final.json").write_text(json.dumps(doc), encoding="utf-8")
    result = runner.invoke(main, ["rank", "bukti", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)["offices"]) == 4


@pytest.mark.usefixtures("english")
def test_diff_leaves_duplicates_out_of_both_sides(batch, ruleset):
    corpus = corpus_diff(ruleset, ruleset, find_evidence_files(["bukti"]))
    assert [(o.path, o.old.rank, o.new.rank) for o in corpus.offices] == [("bukti/bandung.json", 1, 1), ("bukti/sinjai.json", 2, 2)]
    assert corpus.duplicates == (
        ("bukti/madiun-draft.json", same_office("bukti/madiun-final.json", verb="compared")),
        ("bukti/madiun-final.json", same_office("bukti/madiun-draft.json", verb="compared")),
    )


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_command_reports_duplicates_and_exits_1(runner, batch, fmt):
    result = runner.invoke(main, ["diff", str(RULES), str(RULES), "--evidence", "bukti", "--format", fmt], catch_exceptions=False)
    assert result.exit_code == 1
    draft = same_office("bukti/madiun-final.json", verb="compared")
    if fmt == "json":
        impact = json.loads(result.stdout)["impact"]
        assert impact["summary"]["offices"] == 2 and impact["summary"]["duplicates"] == 2
        assert impact["duplicates"][0] == {"file": "bukti/madiun-draft.json", "error": draft}
    else:
        assert "Same office in more than one file (not compared):" in result.stdout
        assert "bukti/madiun-draft.json" in result.stdout and draft in result.stdout
        assert "2 files left out as the same office twice" in result.stdout
    # Text shows them where the reader looks; the other formats usually go to a file, so stderr says it.
    assert (f"error: bukti/madiun-draft.json: {draft}" in result.stderr) == (fmt != "text")
