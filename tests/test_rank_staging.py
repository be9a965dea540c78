"""The reports of one ``rank --reports`` are a unit: a refused or interrupted batch replaces none of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main

from .conftest import LEVELISASI_SAMPLES, SAMPLES

PENTAS = [str(SAMPLES / "kota-bandung.json"), str(SAMPLES / "kota-madiun.json")]
LEVEL = str(LEVELISASI_SAMPLES / "08-kab-pesisirindah-pasti.json")


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()} | {
        str(p.relative_to(folder)) + "/": b"" for p in folder.rglob("*") if p.is_dir()
    }


def _earlier_reports(tmp_path: Path) -> Path:
    reports = tmp_path / "laporan"
    reports.mkdir()
    (reports / "kota-bandung.html").write_bytes(b"<html>the report signed last week</html>\n")
    return reports


@pytest.mark.parametrize(
    "extra",
    [
        [],  # files naming two rulesets, no --group-by: refused after scoring
        ["--group-by", "ruleset", "--format", "csv"],  # a one-ruleset format asked of two rulesets
    ],
)
@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_refused_batch_leaves_earlier_reports_byte_identical_and_creates_nothing(tmp_path, extra, lang):
    reports = _earlier_reports(tmp_path)
    before = _tree(tmp_path)
    result = CliRunner().invoke(main, ["rank", *PENTAS, LEVEL, "--reports", str(reports), "--lang", lang, *extra])
    assert result.exit_code in (1, 2), result.output
    assert "Traceback" not in result.output
    assert _tree(tmp_path) == before


def test_a_refused_batch_removes_the_reports_folder_it_created(tmp_path):
    reports = tmp_path / "baru" / "laporan"
    result = CliRunner().invoke(main, ["rank", *PENTAS, LEVEL, "--reports", str(reports)])
    assert result.exit_code == 1
    assert list(tmp_path.iterdir()) == []


def test_an_accepted_batch_writes_every_report_and_no_staging_folder(tmp_path):
    reports = _earlier_reports(tmp_path)
    result = CliRunner().invoke(main, ["rank", *PENTAS, LEVEL, "--reports", str(reports), "--group-by", "ruleset", "--format", "json"])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in reports.iterdir())
    assert written == ["08-kab-pesisirindah-pasti.html", "kota-bandung.html", "kota-madiun.html"]
    assert (reports / "kota-bandung.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert b"signed last week" not in (reports / "kota-bandung.html").read_bytes()
    # The leaderboard names each report where it now is, not where it was staged.
    assert str(reports / "kota-madiun.html") in result.stdout and ".pentas-staging" not in result.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_interrupted_batch_leaves_no_staging_folder_and_no_report(tmp_path, monkeypatch, jobs):
    import pentas_rules.cli.reports as reports_module

    real = reports_module.batch_outcomes

    def interrupted(*args, **kwargs):
        outcomes = real(*args, **kwargs)
        try:
            yield next(outcomes)  # one report staged, then Ctrl-C
            raise KeyboardInterrupt
        finally:
            outcomes.close()

    monkeypatch.setattr(reports_module, "batch_outcomes", interrupted)
    reports = _earlier_reports(tmp_path)
    before = _tree(tmp_path)
    result = CliRunner().invoke(main, ["rank", *PENTAS, "--reports", str(reports), "--jobs", jobs])
    assert result.exit_code == 130
    assert _tree(tmp_path) == before
