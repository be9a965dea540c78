"""Reports in a real browser: headless Chromium renders, photographs and prints them.

``scripts/test`` installs Debian's ``chromium`` (scripts/install-browser) before
pytest runs, so a missing browser is a failure here, not a skip: a report nobody
has seen rendered is not a tested report.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main

from .conftest import PENTAS_INPUTS, SAMPLES, is_pentas_sample
from .png import pixel_stats

TIMEOUT = 90  # seconds per Chromium call; a first start on a cold machine takes a few
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.fail("chromium is not installed: run scripts/install-browser (scripts/test does)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"  # a fresh profile per call
    return subprocess.run(
        [browser, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    out = folder / "laporan kab sinjai.html"  # a space on purpose: file URLs must be quoted
    result = CliRunner().invoke(main, ["report", str(SAMPLES / "kab-sinjai.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_rendered_dom_has_the_total_the_thirteen_aspects_and_the_chart(report_file, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", report_file.as_uri()).stdout
    assert re.search(r'<div class="value" data-total="53\.67">53\.67</div>', dom)
    assert dom.count('class="aspect-row"') == 13 and dom.count('class="aspect" id="aspect-') == 13
    chart = re.search(r'<figure class="chart" id="chart">.*?</figure>', dom, re.S)
    assert chart is not None and chart.group(0).count('<rect class="earned"') == 13 and "<svg" in chart.group(0)
    assert "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sinjai" in dom


def test_screenshot_is_not_blank(report_file, tmp_path):
    shot = tmp_path / "laporan.png"
    chromium(tmp_path, f"--screenshot={shot}", "--window-size=1000,1400", report_file.as_uri())
    colours, inked = pixel_stats(shot.read_bytes())
    # A blank or failed page is one colour; the report's text, chart and tables give
    # hundreds of anti-aliased shades over a good share of the page.
    assert colours > 50 and inked > 0.03, (colours, inked)


def test_print_to_pdf_gives_a_page_per_aspect(report_file, tmp_path):
    pdf = tmp_path / "laporan.pdf"
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", report_file.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    # The summary (with the signature block) first, then each aspect starts a new page.
    assert pages >= 1 + 13, pages


def test_leaderboard_links_open_in_the_browser(tmp_path):
    board = tmp_path / "peringkat.html"
    result = CliRunner().invoke(main, ["rank", *PENTAS_INPUTS, "--format", "html", "--reports", str(tmp_path / "laporan"), "-o", str(board)])
    assert result.exit_code == 0, result.output
    dom = chromium(tmp_path, "--dump-dom", board.as_uri()).stdout
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d+)</td>", dom)
    assert rows[0] == "1" and len(rows) == len([p for p in SAMPLES.rglob("*.json") if is_pentas_sample(p)])
    assert dom.count('<a href="laporan/') == len(rows)
