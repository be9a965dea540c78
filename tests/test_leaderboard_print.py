"""The leaderboard for readers (issue 10): a printable HTML page and a workbook.

How the HTML prints (headers on every page) is checked in a real browser in ``test_browser.py``.
"""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

import openpyxl

from .conftest import PENTAS_INPUTS
from .test_report_sign import BANDUNG, SINJAI, run

# -- the leaderboard for readers --------------------------------------------------------


def test_html_leaderboard_has_a_legend_repeating_headers_and_no_command_line_text(tmp_path):
    board = tmp_path / "peringkat.html"
    for tiebreak in ([], ["--tiebreak", "weight"]):
        assert run("rank", *PENTAS_INPUTS, "--format", "html", "-o", str(board), *tiebreak).exit_code == 0
        page = board.read_text(encoding="utf-8")
        assert "Kolom aspek: kontribusi aspek terhadap nilai total, dari bobot aspek dalam kurung." in page
        assert "thead { display: table-header-group; }" in page
        assert not re.search(r"--[a-z]", page.replace("var(--", "").replace("  --", "")), "command-line text in the leaderboard"
        assert "Nilai sama 76,98" in page and ">100,00<" in page  # numbers as Indonesian writes them
    assert run("rank", *PENTAS_INPUTS, "--format", "html", "-o", str(board), "--lang", "en").exit_code == 0
    page = html.unescape(board.read_text(encoding="utf-8"))
    assert "Aspect columns: the aspect's contribution to the total, out of the aspect's weight in brackets." in page
    assert "Tie at 76.98" in page and "share rank 8" in page and ">100.00<" in page


# -- the leaderboard as a workbook ------------------------------------------------------


def test_rank_xlsx_has_real_numbers_a_frozen_header_and_a_filter(tmp_path):
    sample = json.loads(SINJAI.read_text(encoding="utf-8"))
    sample["meta"]["office"] = "=HYPERLINK(1)"
    sample["meta"]["region_code"] = "73.99"
    folder = tmp_path / "bukti"
    folder.mkdir()
    (folder / "formula.json").write_text(json.dumps(sample), encoding="utf-8")
    (folder / "bandung.json").write_bytes(BANDUNG.read_bytes())
    out = tmp_path / "peringkat.xlsx"
    assert run("rank", str(folder), "--format", "xlsx", "-o", str(out)).exit_code == 0
    sheet = openpyxl.load_workbook(out).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:U3"
    header = [c.value for c in sheet[1]]
    assert header[:8] == ["rank", "total", "office", "region_code", "province", "complete", "missing_facts", "file"]
    first = {name: cell for name, cell in zip(header, sheet[2], strict=True)}
    assert first["rank"].value == 1 and first["total"].value == 93.0 and first["total"].data_type == "n"
    assert first["total"].number_format == "0.00" and first["complete"].value is True and first["missing_facts"].value == 0
    assert first["standar_pelayanan"].value == 3 and isinstance(first["sarana_prasarana"].value, float)
    assert abs(sum(first[a].value for a in header[8:21]) - first["total"].value) < 1e-9
    second = {name: cell for name, cell in zip(header, sheet[3], strict=True)}
    # Text that looks like a formula stays text: the cell is a string, not a formula.
    assert second["office"].value == "=HYPERLINK(1)" and second["office"].data_type == "s"
    assert second["region_code"].value == "73.99" and second["region_code"].data_type == "s"
    with zipfile.ZipFile(out) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    # The same ranking gives the same bytes (zip times and document dates are fixed).
    again = tmp_path / "lagi.xlsx"
    assert run("rank", str(folder), "--format", "xlsx", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


def test_rank_xlsx_needs_an_output_file():
    for args in ([], ["-o", "-"]):
        result = run("rank", *PENTAS_INPUTS, "--format", "xlsx", *args)
        assert result.exit_code == 2 and "-o BERKAS" in result.output  # the Indonesian default names the file in Indonesian


def test_rank_xlsx_lists_unreadable_files_on_stderr(tmp_path):
    folder = tmp_path / "bukti"
    folder.mkdir()
    (folder / "rusak.json").write_text("{", encoding="utf-8")
    (folder / "bandung.json").write_bytes(BANDUNG.read_bytes())
    out = tmp_path / "peringkat.xlsx"
    result = run("rank", str(folder), "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 1 and "rusak.json" in result.output
    assert openpyxl.load_workbook(io.BytesIO(out.read_bytes())).active.max_row == 2
