"""Real spreadsheet software: a workbook re-saved by LibreOffice Calc imports to exactly the same evidence.

``scripts/test`` installs LibreOffice (``scripts/install-office``), so in CI (``CI=true``) a
missing ``soffice`` is a failure; elsewhere the test is skipped.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.evidence.workbook_write import workbook_bytes

from .conftest import SAMPLES
from .test_workbook import _row_of

SAMPLE = SAMPLES / "kab-bandung-barat-batas.json"


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice (LibreOffice) is missing in CI: scripts/install-office should have installed it")
        pytest.skip("soffice (LibreOffice) is not installed; bash scripts/install-office installs it")
    return found


def _resaved(tmp_path: Path, data: bytes) -> bytes:
    """``data`` opened and saved again as .xlsx by LibreOffice Calc, headless, with a private profile."""
    source = tmp_path / "in" / "lembar.xlsx"
    source.parent.mkdir()
    source.write_bytes(data)
    out = tmp_path / "out"
    profile = (tmp_path / "profile").as_uri()
    subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return (out / "lembar.xlsx").read_bytes()


def test_a_workbook_resaved_by_libreoffice_imports_to_the_same_evidence(tmp_path, ruleset):
    doc = json.loads(SAMPLE.read_text("utf-8"))
    doc["facts"]["ikm"]["biro_organisasi_nilai"] = {"value": "B", "source": "LHE Biro Organisasi 2020", "page": "4", "note": "=dicek ulang"}
    filled = workbook_bytes(ruleset, doc)
    resaved = _resaved(tmp_path, filled)
    assert resaved != filled  # really written by another program
    expected, got = parse_evidence(filled, "a.xlsx", ruleset), parse_evidence(resaved, "a.xlsx", ruleset)
    assert (got.facts, got.notes, got.meta) == (expected.facts, expected.notes, expected.meta)
    assert got.facts == parse_evidence(SAMPLE.read_bytes(), "s", ruleset).facts | {"ikm.biro_organisasi_nilai": "B"}
    # LibreOffice keeps the ids hidden and the sheet protected, with the input cells open
    sheet_name, row = _row_of(ruleset, "parkir.ada")
    sheet = openpyxl.load_workbook(io.BytesIO(resaved))[sheet_name]
    assert sheet.column_dimensions["A"].hidden and sheet.protection.sheet
    assert sheet[f"A{row}"].protection.locked and not sheet[f"D{row}"].protection.locked
    assert sheet.data_validations.dataValidation, "the dropdowns and ranges survive"


def test_cells_typed_as_a_person_types_them_survive_libreoffice_normalised(tmp_path, ruleset):
    book = openpyxl.load_workbook(io.BytesIO(workbook_bytes(ruleset, json.loads(SAMPLE.read_text("utf-8")))))
    flags = [n for n, s in ruleset.catalogue.facts.items() if s.type == "bool"][:3]
    percent = next(n for n, s in ruleset.catalogue.facts.items() if s.type == "number" and s.maximum == 100)
    for fact, text in zip([*flags, percent], ["ya", "Ya ", "tidak", "95,5"], strict=True):
        sheet, row = _row_of(ruleset, fact)
        book[sheet][f"D{row}"].value = text
    out = io.BytesIO()
    book.save(out)
    evidence = parse_evidence(_resaved(tmp_path, out.getvalue()), "typed.xlsx", ruleset)
    assert [evidence.facts[f] for f in flags] == [True, True, False] and evidence.facts[percent] == 95.5
