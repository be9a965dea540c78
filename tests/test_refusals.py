"""Clearer refusals (h35): a "did you mean" by a name's beginning or part, and a file that is not evidence named as such."""

from __future__ import annotations

import pytest

from pentas_rules.cli import main
from pentas_rules.errors import suggest

from .conftest import SAMPLES

SAMPLE = str(SAMPLES / "kota-madiun.json")


def test_suggest_by_beginning_or_part_when_no_edit_is_close():
    ids = ["I01", "I02", "I22", "HAK_AKSES", "I23"]
    assert suggest("hak", ids) == "HAK_AKSES"
    assert suggest("AKSES", ids) == "HAK_AKSES"
    assert suggest("hak", ["HAK_AKSES", "HAK_CIPTA"]) is None  # the beginning of several: no one to suggest
    assert suggest("ak", ["HAK_AKSES", "I01"]) is None  # too short to name one
    assert suggest("hak_akses", ids) == "HAK_AKSES"


@pytest.mark.parametrize("lang, hint", [("id", "maksud Anda HAK_AKSES?"), ("en", "did you mean HAK_AKSES?")])
def test_explain_suggests_the_indicator_a_part_of_its_id_names(runner, lang, hint):
    result = runner.invoke(main, ["explain", SAMPLE, "hak", "--lang", lang])
    assert result.exit_code == 2 and hint in result.output


def _zip(path, name: str, data: str) -> str:
    import zipfile

    with zipfile.ZipFile(path, "w") as book:
        book.writestr(name, data)
    return str(path)


@pytest.fixture
def wrong_files(tmp_path):
    (tmp_path / "laporan.html").write_text("\ufeff\n<!DOCTYPE html>\n<html><body>Laporan</body></html>\n", encoding="utf-8")
    (tmp_path / "laporan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (tmp_path / "data.csv").write_text("kantor;kode_wilayah\nKota Madiun;35.77\n", encoding="utf-8")
    (tmp_path / "data.xml").write_text('<?xml version="1.0"?>\n<kantor/>\n', encoding="utf-8")
    return {
        "html": str(tmp_path / "laporan.html"),
        "pdf": str(tmp_path / "laporan.pdf"),
        "csv": str(tmp_path / "data.csv"),
        "xml": str(tmp_path / "data.xml"),
        "docx": _zip(tmp_path / "surat.docx", "word/document.xml", "<w:document/>"),
        "ods": _zip(tmp_path / "data.ods", "mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
    }


WORDS = {
    "id": {
        "tail": "bukan berkas bukti: berkas bukti berupa lembar kerja .xlsx (dari `pentas template`) atau JSON",
        "html": "halaman HTML",
        "pdf": "dokumen PDF",
        "csv": "teks CSV",
        "xml": "dokumen XML",
        "docx": "dokumen kantor lain",
        "ods": "dokumen kantor lain",
    },
    "en": {
        "tail": "not an evidence file: evidence is an .xlsx workbook (from `pentas template`) or JSON",
        "html": "an HTML page",
        "pdf": "a PDF document",
        "csv": "CSV text",
        "xml": "an XML document",
        "docx": "another office document",
        "ods": "another office document",
    },
}


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("kind", ["html", "pdf", "csv", "xml", "docx", "ods"])
def test_a_file_that_is_not_evidence_is_named_for_what_it_is(runner, wrong_files, lang, kind):
    for command in (["validate"], ["score"]):
        result = runner.invoke(main, [*command, wrong_files[kind], "--lang", lang])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert WORDS[lang][kind] in result.output and WORDS[lang]["tail"] in result.output, result.output
        assert "JSON tidak sah" not in result.output and "UTF-8" not in result.output and "malformed" not in result.output


@pytest.mark.parametrize("lang, located", [("id", "baris 2, kolom 1: JSON tidak sah"), ("en", "line 2, column 1: malformed JSON")])
def test_malformed_json_keeps_its_line_and_column(runner, tmp_path, lang, located):
    broken = tmp_path / "rusak.json"
    broken.write_text('{"meta": {},\n}\n', encoding="utf-8")
    one_line = tmp_path / "koma.json"
    one_line.write_text("satu, dua\n", encoding="utf-8")  # one line with a comma: not taken for a CSV table
    result = runner.invoke(main, ["validate", str(broken), str(one_line), "--lang", lang])
    assert result.exit_code == 1 and located in result.output
    assert WORDS[lang]["tail"] not in result.output
