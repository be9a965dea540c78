"""A report ready to sign and a leaderboard for readers (issue 10): what the files say.

How they print (page headers, page numbers, breaks) is checked in a real browser in
``test_browser.py``; these tests hold the content both the HTML and the Markdown carry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.text.report import css_string

from .conftest import SAMPLES

SINJAI = SAMPLES / "kab-sinjai.json"
BANDUNG = SAMPLES / "kota-bandung.json"


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def report(tmp_path: Path, evidence: Path, fmt: str = "html", lang: str = "id") -> str:
    out = tmp_path / f"laporan-{lang}.{fmt}"
    result = run("report", str(evidence), "-o", str(out), "--format", fmt, "--lang", lang)
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def with_notes(tmp_path: Path, office: str | None = None) -> Path:
    """The Bandung sample with provenance recorded on two more facts, one with markup in it."""
    doc = json.loads(BANDUNG.read_text(encoding="utf-8"))
    doc["facts"]["pengaduan"]["ditanggapi_langsung_pct"] = {"value": 97.5, "source": "Rekap pengaduan 2021 <b>", "note": "hal. 4"}
    doc["facts"]["standar_pelayanan"]["sop"] = {"value": True, "source": "SK Kepala Dinas No. 12/2021"}
    if office is not None:
        doc["meta"]["office"] = office
    path = tmp_path / "bukti.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# -- the signature block ----------------------------------------------------------------


def test_html_signature_names_the_head_of_office_with_the_regency_and_a_line_per_assessor(tmp_path):
    page = report(tmp_path, BANDUNG)
    block = page[page.index('<section class="signatures"') : page.index("</section>", page.index('<section class="signatures"'))]
    head = re.search(r'id="sign-head">\s*<div class="title">([^<]*)</div>', block)
    assert head and head.group(1) == "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Bandung"
    assert re.search(r'id="sign-team">\s*<div class="title">Ketua Tim Penilai</div>', block)
    # Each assessor on a row of their own with a place to sign, and blank rows for more.
    rows = re.findall(r'<tr class="assessor[^"]*"><td class="num">(\d+)</td><td>([^<]*)</td><td>Anggota tim penilai</td><td class="sign"></td></tr>', block)
    assert [name for _, name in rows[:2]] == ["Tim Penilai Ditjen Dukcapil Kemendagri", "Biro Pemerintahan Provinsi Jawa Barat"]
    assert [n for n, _ in rows] == ["1", "2", "3", "4", "5"]


@pytest.mark.parametrize(
    ("office", "title"),
    [
        ("Disdukcapil Kab. Contoh", "Kepala Dinas Kependudukan dan Pencatatan Sipil Kabupaten Contoh"),
        ("Disdukcapil Kota Contoh", "Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Contoh"),
    ],
)
def test_head_of_office_is_named_from_a_short_office_name_too(tmp_path, office, title):
    evidence = with_notes(tmp_path, office)
    assert f'<div class="title">{title}</div>' in report(tmp_path, evidence)
    assert f"\n| {title} | | | |\n" in report(tmp_path, evidence, "md")


def test_markdown_has_the_same_signature_lines(tmp_path):
    text = report(tmp_path, BANDUNG, "md")
    block = text[text.index("## Pengesahan") : text.index("## Rincian")]
    assert "| Kepala Dinas Kependudukan dan Pencatatan Sipil Kota Bandung | | | |\n| Ketua Tim Penilai | | | |\n" in block
    assert (
        "| 1 | Tim Penilai Ditjen Dukcapil Kemendagri | Anggota tim penilai | |\n| 2 | Biro Pemerintahan Provinsi Jawa Barat | Anggota tim penilai | |\n"
        in block
    )
    english = report(tmp_path, BANDUNG, "md", "en")
    assert "| Head of the Population and Civil Registration Office, Kota Bandung | | | |" in english


# -- provenance beside its fact ---------------------------------------------------------


def test_html_shows_each_recorded_source_beside_its_fact(tmp_path):
    page = report(tmp_path, with_notes(tmp_path))
    # In the card, inside the fact's own line.
    line = re.search(r"<li [^>]*>[^\n]*Persentase pengaduan masuk yang langsung ditanggapi: <strong>97,5%</strong>.*?</li>", page, re.S)
    assert line, "the fact's line is missing"
    assert 'data-fact="pengaduan.ditanggapi_langsung_pct"' in line.group(0)
    assert "sumber</span>: Rekap pengaduan 2021 &lt;b&gt;" in line.group(0) and "catatan</span>: hal. 4" in line.group(0)
    sop = re.search(r"<li [^>]*>[^\n]*Standar pelayanan memuat SOP: <strong>ya</strong>.*?</li>", page, re.S)
    assert sop and "SK Kepala Dinas No. 12/2021" in sop.group(0)
    # And every noted fact in the appendix, with its value.
    appendix = page[page.index('<section class="appendix" id="sources">') :]
    assert appendix.count("<tr data-fact=") == 3 and "Lampiran: Sumber bukti per fakta (3)" in appendix


def test_markdown_shows_each_recorded_source_beside_its_fact(tmp_path):
    text = report(tmp_path, with_notes(tmp_path), "md")
    assert (
        "- ✓ Persentase pengaduan masuk yang langsung ditanggapi: **97,5%** (syarat: minimal 90%)"
        " — sumber bukti: *sumber*: Rekap pengaduan 2021 \\<b\\>; *catatan*: hal. 4\n"
    ) in text
    assert "Standar pelayanan memuat SOP: **ya** — sumber bukti: *sumber*: SK Kepala Dinas No. 12/2021\n" in text
    assert "## Lampiran: Sumber bukti per fakta (3)" in text
    english = report(tmp_path, with_notes(tmp_path), "md", "en")
    assert "**97.5%**" in english and "— evidence source: *source*: Rekap pengaduan 2021" in english


# -- numbers follow the language --------------------------------------------------------


def test_report_numbers_follow_the_language(tmp_path):
    indonesian, english = report(tmp_path, BANDUNG, "md"), report(tmp_path, BANDUNG, "md", "en")
    assert "**Nilai total: 93,00 / 100**" in indonesian and "| Jumlah penduduk | 2.530.000 jiwa |" in indonesian
    assert "**Total score: 93.00 / 100**" in english and "| Population | 2,530,000 people |" in english
    page = report(tmp_path, BANDUNG)
    assert 'data-total="93.00">93,00<' in page  # the data attribute stays machine-formatted
    assert "12,00 / 15</text>" in page  # the chart's labels too


# -- the printed page's rules -----------------------------------------------------------


def test_print_css_repeats_office_and_page_numbers_and_forces_no_page_break(tmp_path):
    page = report(tmp_path, SINJAI)
    style = page[page.index("<style>") : page.index("</style>")]
    assert 'content: "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sinjai (73.07)"' in style
    assert 'content: "hal. " counter(page) " dari " counter(pages)' in style
    assert "break-before: page" not in style  # aspects flow on; no half-empty page before each
    assert re.search(r"h1, h2, h3, h4 \{ break-after: avoid;", style) and re.search(r"\.indicator \{[^}]*break-inside: avoid", style)
    english = report(tmp_path, SINJAI, "html", "en")
    assert 'content: "page " counter(page) " of " counter(pages)' in english


def test_office_name_cannot_break_out_of_the_page_header(tmp_path):
    evil = 'Kota "X" \\ </style><script>alert(1)</script>'
    assert css_string(evil) == "Kota \\000022X\\000022 \\00005c \\00003c/style\\00003e\\00003cscript\\00003ealert(1)\\00003c/script\\00003e"
    page = report(tmp_path, with_notes(tmp_path, evil))
    assert page.count("</style>") == 1 and "<script" not in page
