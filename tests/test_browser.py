"""Reports in a real browser: headless Chromium renders, photographs and prints them.

``scripts/test`` installs Debian's ``chromium`` and ``poppler-utils`` (scripts/install-browser)
before pytest runs, so a missing browser or PDF reader is a failure here, not a skip: a
report nobody has seen rendered and printed is not a tested report. A printed PDF is read
back one page at a time with poppler's ``pdftotext`` and photographed with ``pdftoppm``.
"""

from __future__ import annotations

import html
import json
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


def poppler(*args: str) -> str:
    """Run a poppler-utils tool (pdftotext, pdftoppm) and return its standard output."""
    tool = shutil.which(args[0])
    if tool is None:
        pytest.fail(f"{args[0]} is not installed: run scripts/install-browser (scripts/test does)")
    return subprocess.run([tool, *args[1:]], capture_output=True, text=True, timeout=TIMEOUT, check=True).stdout


def print_pdf(tmp_path: Path, page: Path, name: str = "cetak.pdf") -> tuple[Path, list[str]]:
    """Print a page as Chromium does (no browser header or footer); the PDF and each page's text."""
    pdf = tmp_path / name
    chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.read_bytes().startswith(b"%PDF-")
    count = int(re.search(r"^Pages:\s+(\d+)$", poppler("pdfinfo", str(pdf)), re.M).group(1))
    return pdf, [poppler("pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-") for n in range(1, count + 1)]


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    out = folder / "laporan kab sinjai.html"  # a space on purpose: file URLs must be quoted
    result = CliRunner().invoke(main, ["report", str(SAMPLES / "kab-sinjai.json"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_rendered_dom_has_the_total_the_thirteen_aspects_and_the_chart(report_file, tmp_path):
    dom = chromium(tmp_path, "--dump-dom", report_file.as_uri()).stdout
    assert re.search(r'<div class="value" data-total="53\.67">53,67</div>', dom)
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


def test_every_printed_page_names_the_office_and_its_page_number(report_file, tmp_path):
    _, pages = print_pdf(tmp_path, report_file)
    assert len(pages) >= 5, len(pages)
    for n, text in enumerate(pages, start=1):
        assert "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sinjai (73.07)" in text, f"page {n} has no office name"
        assert f"hal. {n} dari {len(pages)}" in text, f"page {n} has no 'hal. {n} dari {len(pages)}'"


def test_no_printed_page_ends_on_a_heading(report_file, tmp_path):
    page = report_file.read_text(encoding="utf-8")
    headings = {" ".join(html.unescape(h).split()) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", page, re.S)}
    _, pages = print_pdf(tmp_path, report_file)
    for n, text in enumerate(pages, start=1):
        body = [line.strip() for line in text.splitlines() if line.strip() and "hal. " not in line and "(73.07)" not in line]
        last = " ".join(body[-1].split())
        if re.fullmatch(r"\d+\. .* \d+,\d\d / \d+", last) and "Kontribusi" not in last:
            continue  # a bar of the chart on page 1, which names the aspects as their headings do
        assert not any(last.startswith(h) for h in headings if len(h) > 3), f"page {n} ends on the heading {last!r}"
    # The aspect table's heading is printed on the same page as the table it heads.
    with_table = [text for text in pages if "Nilai per aspek" in text]
    assert with_table and "Standar Pelayanan" in with_table[0].split("Nilai per aspek", 1)[1]


def test_first_two_printed_pages_photographed(report_file, tmp_path):
    pdf, _ = print_pdf(tmp_path, report_file)
    poppler("pdftoppm", "-f", "1", "-l", "2", "-r", "60", "-png", str(pdf), str(tmp_path / "hal"))
    shots = sorted(tmp_path.glob("hal-*.png"))
    assert len(shots) == 2
    for shot in shots:
        colours, inked = pixel_stats(shot.read_bytes())
        assert colours > 20 and inked > 0.01, (shot.name, colours, inked)


def test_dom_shows_each_recorded_source_beside_its_fact(tmp_path):
    doc = json.loads((SAMPLES / "kota-bandung.json").read_text(encoding="utf-8"))
    doc["facts"]["standar_pelayanan"]["sop"] = {"value": True, "source": "SK Kepala Dinas No. 12/2021", "note": "lampiran II"}
    evidence, out = tmp_path / "bukti.json", tmp_path / "laporan.html"
    evidence.write_text(json.dumps(doc), encoding="utf-8")
    assert CliRunner().invoke(main, ["report", str(evidence), "-o", str(out)]).exit_code == 0
    dom = chromium(tmp_path, "--dump-dom", out.as_uri()).stdout
    for fact, sentence, source in [
        ("standar_pelayanan.sop", "Standar pelayanan memuat SOP", "SK Kepala Dinas No. 12/2021"),
        ("inovasi.waktu_layanan_hari", "Lama waktu kerja pelayanan dokumen dengan inovasi", "SOP layanan Salaman"),
    ]:
        line = re.search(rf"<li [^>]*>(?:(?!</li>).)*{re.escape(sentence)}(?:(?!</li>).)*</li>", dom, re.S)
        assert line, fact
        beside = re.search(rf'<span class="evidence-source" data-fact="{re.escape(fact)}">(.*?)</span></li>', line.group(0), re.S)
        assert beside and source in beside.group(1), line.group(0)


def test_printed_leaderboard_repeats_its_column_headers_on_every_page(tmp_path):
    board = tmp_path / "peringkat.html"
    assert CliRunner().invoke(main, ["rank", *PENTAS_INPUTS, "--format", "html", "-o", str(board)]).exit_code == 0
    _, pages = print_pdf(tmp_path, board)
    with_rows = [n for n, text in enumerate(pages, start=1) if re.search(r"^\s*\d+\s+\d+,\d\d\b", text, re.M)]
    assert len(with_rows) >= 2, with_rows  # the table runs over more than one page
    for n in with_rows:
        assert re.search(r"Peringkat\s+Nilai total\s+Kantor", pages[n - 1]), f"page {n} has no column headers"
    assert "Kolom aspek: kontribusi aspek terhadap nilai total" in "".join(pages)


def test_leaderboard_links_open_in_the_browser(tmp_path):
    board = tmp_path / "peringkat.html"
    result = CliRunner().invoke(main, ["rank", *PENTAS_INPUTS, "--format", "html", "--reports", str(tmp_path / "laporan"), "-o", str(board)])
    assert result.exit_code == 0, result.output
    dom = chromium(tmp_path, "--dump-dom", board.as_uri()).stdout
    rows = re.findall(r"<tr>\s*<td class=\"num\">(\d+)</td>", dom)
    assert rows[0] == "1" and len(rows) == len([p for p in SAMPLES.rglob("*.json") if is_pentas_sample(p)])
    assert dom.count('<a href="laporan/') == len(rows)
