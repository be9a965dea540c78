"""The evidence workbook's layout and wording, shared by its writer and its reader.

A workbook (``.xlsx``) is evidence for people who do not write JSON. Its layout is
generated from the ruleset, so the reader can demand exactly that layout back and
refuse anything else rather than guess:

- an instructions sheet;
- the office details sheet (meta): one row per metadata key;
- one sheet per aspect: under each indicator's heading row, one row per fact it
  uses first (a fact used by several indicators sits under the first, its label
  naming the others), then a sheet of facts no indicator uses, when there are some;
- the assessors' overrides sheet: one override a row (indicator, final level, reason,
  assessor, approved by, date), blank rows skipped; optional when read, so workbooks
  written before it still read.

Every sheet but the instructions has the same columns: A the id (fact name, meta
key or indicator id; hidden, and the sheet is protected with only the input cells
unlocked), B the description, C the unit or format, D the value, and on fact rows
E source document, F page, G note. An empty value cell is unknown.

Every word a person reads in the workbook is in ``TEXT``, one dict per language,
so a message catalogue can take them over.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..ruleset.model import FactSpec, Ruleset

__all__ = ["FORMAT", "META_KEYS", "OVERRIDE_COLUMNS", "OVERRIDE_ROWS", "TEXT", "FactRow", "SheetPlan", "layout", "sheet_title"]

FORMAT = "pentas-workbook/1"
"""Written in the office sheet's hidden cell A1; the reader refuses a workbook without it."""

META_KEYS = ("office", "region_code", "province", "year", "population", "assessed_on", "assessors")
VALUE, SOURCE, PAGE, NOTE = "D", "E", "F", "G"
FIRST_ROW = 3  # row 1 is the sheet's title, row 2 its column headers
# The assessors' overrides sheet: one override a row, these keys in columns A-F. Optional when
# reading (workbooks written before it have none); blank rows are skipped.
OVERRIDE_COLUMNS = (("A", "indicator"), ("B", "level"), ("C", "reason"), ("D", "assessor"), ("E", "approved_by"), ("F", "date"))
OVERRIDE_ROWS = 40  # rows offered for entries: more than a ruleset's indicators, since each is overridden at most once

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "sheet_help": "Petunjuk",
        "sheet_meta": "Data Kantor",
        "sheet_other": "Fakta Lain",
        "title_meta": "Data kantor yang dinilai",
        "col_id": "id",
        "col_fact": "Fakta",
        "col_field": "Keterangan",
        "col_unit": "Satuan",
        "col_format": "Format",
        "col_value": "Nilai",
        "col_source": "Dokumen sumber",
        "col_page": "Halaman",
        "col_note": "Catatan",
        "aspect": "Aspek",
        "weight": "bobot",
        "indicator": "Indikator",
        "also": "juga untuk indikator",
        "yes": "Ya",
        "no": "Tidak",
        "empty_unknown": "Kosongkan bila belum diketahui.",
        "range": "dari {min} sampai {max}",
        "at_least": "paling sedikit {min}",
        "whole": "bilangan bulat",
        "decimal": "bilangan, desimal dengan koma (95,5)",
        "choose": "pilih salah satu",
        "yes_no": "Ya atau Tidak",
        "invalid_title": "Isian tidak sesuai",
        "office": "Nama dinas",
        "region_code": "Kode wilayah Kemendagri",
        "province": "Provinsi",
        "year": "Tahun penilaian",
        "population": "Jumlah penduduk",
        "assessed_on": "Tanggal penilaian",
        "assessors": "Nama penilai",
        "ruleset": "Aturan (jangan diubah)",
        "fmt_text": "teks",
        "fmt_region": 'PP.KK, mis. "32.73" (sebagai teks)',
        "fmt_date": "tanggal, mis. 2021-06-14",
        "fmt_list": 'dipisah titik koma: "Budi; Sari"',
        "sheet_overrides": "Penyesuaian penilai",
        "title_overrides": "Penyesuaian penilai: nilai akhir yang ditetapkan penilai, dengan alasannya (wajib)",
        "col_indicator": "Indikator (id)",
        "col_level": "Nilai akhir",
        "col_reason": "Alasan",
        "col_assessor": "Penilai",
        "col_approved_by": "Disetujui oleh",
        "col_date": "Tanggal (2021-06-14)",
        "help": "\n".join(
            (
                "Lembar bukti PENTAS: isian bukti untuk satu kantor Dinas Dukcapil.",
                "",
                "1. Isi data kantor di lembar 'Data Kantor' (nama dinas, kode wilayah, provinsi, tahun wajib diisi).",
                "2. Setiap aspek punya lembar sendiri. Di bawah setiap indikator ada fakta yang dinilai.",
                "3. Isi kolom 'Nilai': Ya/Tidak, pilihan dari daftar, atau angka dalam rentang yang tertulis.",
                "   Sel yang kosong berarti belum diketahui (bukan 'Tidak').",
                "   Angka boleh ditulis 95,5 atau 95.5; ribuan boleh 262.000 untuk bilangan bulat.",
                "4. Catat dokumen sumber, halaman dan catatan setiap fakta di kolom E, F dan G.",
                "5. Jangan mengubah nama lembar, menyisipkan, memindah atau menghapus baris.",
                "   Bila susunan rusak, ambil lembar baru (pentas template -o BARU.xlsx) dan salin isiannya.",
                "6. Periksa: pentas validate FILE.xlsx; nilai: pentas score FILE.xlsx",
            )
        ),
    },
    "en": {
        "sheet_help": "Instructions",
        "sheet_meta": "Office",
        "sheet_other": "Other Facts",
        "title_meta": "The office assessed",
        "col_id": "id",
        "col_fact": "Fact",
        "col_field": "Field",
        "col_unit": "Unit",
        "col_format": "Format",
        "col_value": "Value",
        "col_source": "Source document",
        "col_page": "Page",
        "col_note": "Note",
        "aspect": "Aspect",
        "weight": "weight",
        "indicator": "Indicator",
        "also": "also for indicator",
        "yes": "Yes",
        "no": "No",
        "empty_unknown": "Leave empty when not known.",
        "range": "from {min} to {max}",
        "at_least": "at least {min}",
        "whole": "whole number",
        "decimal": "number (95.5)",
        "choose": "choose one",
        "yes_no": "Yes or No",
        "invalid_title": "Unexpected entry",
        "office": "Office name",
        "region_code": "Kemendagri region code",
        "province": "Province",
        "year": "Year of assessment",
        "population": "Population",
        "assessed_on": "Date of assessment",
        "assessors": "Assessors",
        "ruleset": "Ruleset (do not change)",
        "fmt_text": "text",
        "fmt_region": 'PP.KK, e.g. "32.73" (as text)',
        "fmt_date": "date, e.g. 2021-06-14",
        "fmt_list": 'separated by semicolons: "Budi; Sari"',
        "sheet_overrides": "Assessors' Overrides",
        "title_overrides": "Assessors' overrides: the final level an assessor sets, with the reason (required)",
        "col_indicator": "Indicator (id)",
        "col_level": "Final level",
        "col_reason": "Reason",
        "col_assessor": "Assessor",
        "col_approved_by": "Approved by",
        "col_date": "Date (2021-06-14)",
        "help": "\n".join(
            (
                "PENTAS evidence workbook: the evidence of one Dinas Dukcapil office.",
                "",
                "1. Fill in the office details on sheet 'Office' (office, region code, province and year are required).",
                "2. Each aspect has its own sheet. Under each indicator are the facts it assesses.",
                "3. Fill in the 'Value' column: Yes/No, a choice from the list, or a number in the range shown.",
                "   An empty cell means not known (not 'No').",
                "4. Record each fact's source document, page and note in columns E, F and G.",
                "5. Do not rename sheets, or insert, move or delete rows.",
                "   If the layout is damaged, get a fresh workbook (pentas template -o NEW.xlsx) and copy the entries.",
                "6. Check: pentas validate FILE.xlsx; score: pentas score FILE.xlsx",
            )
        ),
    },
}


@dataclass(frozen=True, slots=True)
class FactRow:
    """A row of an aspect sheet: an indicator heading (``spec`` None) or a fact."""

    id: str
    label: str
    spec: FactSpec | None = None


class SheetPlan(NamedTuple):
    """One aspect's sheet: its name (at most 31 characters), the title in its first row, and its rows."""

    name: str
    title: str
    rows: tuple[FactRow, ...]


def sheet_title(text: str) -> str:
    """A sheet name a spreadsheet accepts: at most 31 characters, none of ``[]:*?/\\``."""
    return "".join(" " if ch in "[]:*?/\\" else ch for ch in text)[:31].rstrip()


def layout(ruleset: Ruleset, lang: str) -> list[SheetPlan]:
    """The aspect sheets (and the sheet of unused facts) of ``ruleset``'s workbook in ``lang``."""
    t = TEXT[lang]
    facts = ruleset.catalogue.facts
    users: dict[str, list[str]] = {}
    for aspect in ruleset.aspects:
        for ind_id in aspect.indicator_ids:
            for name in ruleset.indicators[ind_id].facts():
                users.setdefault(name, []).append(ruleset.indicators[ind_id].label)
    placed: set[str] = set()
    plans: list[SheetPlan] = []
    for aspect in ruleset.aspects:
        name = aspect.name_id if lang == "id" else aspect.name_en
        rows: list[FactRow] = []
        for ind_id in aspect.indicator_ids:
            ind = ruleset.indicators[ind_id]
            question = ind.question if lang == "id" else ind.title_en
            rows.append(FactRow(ind.id, f"{t['indicator']} {ind.label}: {question}"))
            for fact in ind.facts():
                if fact in placed or fact not in facts or fact.startswith("meta."):
                    continue
                placed.add(fact)
                others = [label for label in dict.fromkeys(users[fact]) if label != ind.label]
                rows.append(FactRow(fact, _describe(facts[fact], lang) + (f" ({t['also']} {', '.join(others)})" if others else ""), facts[fact]))
        plans.append(
            SheetPlan(sheet_title(f"{aspect.number}. {name}"), f"{t['aspect']} {aspect.number}: {name} ({t['weight']} {aspect.weight:g})", tuple(rows))
        )
    rest = [FactRow(n, _describe(s, lang), s) for n, s in facts.items() if n not in placed and not n.startswith("meta.")]
    if rest:
        plans.append(SheetPlan(t["sheet_other"], t["sheet_other"], tuple(rest)))
    return plans


def _describe(spec: FactSpec, lang: str) -> str:
    return spec.description_id if lang == "id" else spec.description_en
