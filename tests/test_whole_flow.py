"""The whole flow of docs/panduan.md, as an office follows it, with the real programs.

A blank workbook from ``pentas template``; filled the way a person types (``Ya``, ``tidak ``,
``95,5``, a source document and page); re-saved by LibreOffice Calc; then ``pentas validate``,
``score``, ``explain`` and ``report`` run as commands; the report printed to PDF by headless
Chromium and read back page by page with ``pdftotext``. The office is Sinjai's sample, so the
workbook must score exactly what its JSON scores: nothing typed is lost or misread.

``scripts/test`` installs LibreOffice, Chromium and poppler-utils, so in CI (``CI=true``) a
missing program is a failure; elsewhere the test is skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from .conftest import SAMPLES
from .test_browser import print_pdf
from .test_workbook_office import _resaved

SAMPLE = SAMPLES / "kab-sinjai.json"
PENTAS = Path(sys.executable).with_name("pentas")
OFFICE = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sinjai"
# Provenance the office records for two facts: fact -> (source document, page, note).
SOURCES = {
    "standar_pelayanan.sop": ("SK Kepala Dinas No. 12/2021", "3", "dipampang di loket"),
    "pengaduan.ditanggapi_langsung_pct": ("Rekap pengaduan 2021", "4", ""),
}


def _programs() -> None:
    missing = [name for name in ("soffice", "chromium", "pdftotext", "pdfinfo") if shutil.which(name) is None]
    if missing:
        message = f"{', '.join(missing)} not installed: bash scripts/install-office and scripts/install-browser install them"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def pentas(*args: str, cwd: Path) -> str:
    """Run the installed command as a user does; every step of the guide must succeed."""
    done = subprocess.run([str(PENTAS), *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=os.environ | {"PENTAS_LANG": "id"})
    assert done.returncode == 0, f"pentas {' '.join(args)}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr
    return done.stdout


def typed(value: Any, turn: int) -> Any:
    """What a person types for ``value``: Ya/ya, "tidak " with a stray space, a decimal comma."""
    if value is True:
        return ("Ya", "ya", "YA ")[turn % 3]
    if value is False:
        return ("tidak ", "Tidak", "TIDAK")[turn % 3]
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return value  # whole numbers and enum values are typed as they are


def fill(book: openpyxl.Workbook, doc: dict[str, Any]) -> int:
    """Fill every row whose hidden id (column A) names a recorded fact or office detail."""
    flat = {f"{group}.{name}": v for group, names in doc["facts"].items() for name, v in names.items()}
    meta = doc["meta"] | {"assessors": "; ".join(doc["meta"]["assessors"]), "year": str(doc["meta"]["year"])}
    filled = 0
    for sheet in book.worksheets[1:]:
        for row in range(1, sheet.max_row + 1):
            key = sheet.cell(row, 1).value
            if sheet.title == "Data Kantor" and key in meta and key != "ruleset":
                sheet.cell(row, 4).value = meta[key]
            elif key in flat:
                sheet.cell(row, 4).value = typed(flat[key], filled)
                for column, text in zip((5, 6, 7), SOURCES.get(key, ()), strict=False):
                    sheet.cell(row, column).value = text or None
                filled += 1
    return filled


def test_blank_workbook_to_a_printed_report_ready_to_sign(tmp_path):
    _programs()
    doc = json.loads(SAMPLE.read_text("utf-8"))
    expected = json.loads(pentas("score", str(SAMPLE), "--format", "json", cwd=tmp_path))["total"]

    # 1. the blank workbook
    pentas("template", "-o", "lembar-bukti.xlsx", cwd=tmp_path)
    book = openpyxl.load_workbook(tmp_path / "lembar-bukti.xlsx")
    assert book.sheetnames[:2] == ["Petunjuk", "Data Kantor"]
    # 2. filled as a person types, saved, and saved again by LibreOffice Calc
    assert fill(book, doc) == sum(len(names) for names in doc["facts"].values())
    book.save(tmp_path / "diisi.xlsx")
    resaved = _resaved(tmp_path, (tmp_path / "diisi.xlsx").read_bytes())
    (tmp_path / "lembar-bukti-sinjai.xlsx").write_bytes(resaved)
    workbook = "lembar-bukti-sinjai.xlsx"

    # 3. checked
    assert "lembar-bukti-sinjai.xlsx" in pentas("validate", workbook, cwd=tmp_path)
    # 4. the score and why: exactly what the JSON scores
    result = json.loads(pentas("score", workbook, "--format", "json", cwd=tmp_path))
    assert result["total"] == expected and result["complete"]
    # Written as Indonesian writes it: "53,67".
    whole, decimals = expected["display"].split(".")
    total = re.compile(rf"(?<![\d.,]){whole},{decimals}(?![\d.,])")
    assert total.search(pentas("score", workbook, cwd=tmp_path))
    # 5. what to improve, with the source the office recorded beside its fact
    why = pentas("explain", workbook, "1", cwd=tmp_path)
    assert "SK Kepala Dinas No. 12/2021" in why and "dipampang di loket" in why

    # 6. the report, printed as the browser prints it, every page ready to sign
    pentas("report", workbook, "-o", "laporan.html", cwd=tmp_path)
    assert "Rekap pengaduan 2021" in (tmp_path / "laporan.html").read_text("utf-8")
    _, pages = print_pdf(tmp_path, tmp_path / "laporan.html")
    assert len(pages) > 1
    for number, text in enumerate(pages, start=1):
        flat = " ".join(text.split())
        assert OFFICE in flat, f"page {number} lacks the office name"
        assert f"hal. {number} dari {len(pages)}" in flat, f"page {number} lacks its page number"
    assert total.search(pages[0]), "the total is on the first page"
