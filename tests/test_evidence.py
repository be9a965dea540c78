"""Evidence documents: every kind of bad input gives located problems, never a traceback."""

from __future__ import annotations

import json

import pytest

from pentas_rules.errors import EvidenceError
from pentas_rules.evidence.reader import MAX_EVIDENCE_BYTES, evidence_problems, parse_evidence, read_evidence_bytes

from .conftest import evidence_bytes, office_meta

GOOD = {"parkir.ada": True, "mutu.nilai": "A", "kinerja.capaian_pct": 95.5, "kinerja.apbd_rp": 10, "kinerja.dak_rp": 5}


def problems_of(raw: bytes, mini) -> list[str]:
    with pytest.raises(EvidenceError) as info:
        parse_evidence(raw, "office.json", mini)
    full = evidence_problems(raw, "office.json", mini)
    assert [str(p) for p in full][: len(info.value.problems)] or full
    assert str(info.value).startswith("office.json: ")
    return [str(p) for p in full]


def test_valid_document(mini):
    ev = parse_evidence(evidence_bytes(GOOD), "office.json", mini)
    assert ev.facts["parkir.ada"] is True
    assert ev.facts["meta.population"] == 600000
    assert ev.meta.office == "Disdukcapil Kota Contoh"
    assert evidence_problems(evidence_bytes(GOOD), "office.json", mini) == []


def test_fact_with_source_and_note(mini):
    raw = evidence_bytes({**GOOD, "parkir.rambu": {"value": False, "source": "foto-12.jpg", "note": "rambu dicopot"}})
    ev = parse_evidence(raw, "office.json", mini)
    assert ev.facts["parkir.rambu"] is False
    assert ev.notes["parkir.rambu"].source == "foto-12.jpg"


def test_null_means_unknown(mini):
    ev = parse_evidence(evidence_bytes({**GOOD, "parkir.rambu": None, "mutu.hari": {"value": None, "note": "tidak diperiksa"}}), "o.json", mini)
    assert "parkir.rambu" not in ev.facts and "mutu.hari" not in ev.facts


@pytest.mark.usefixtures("english")
def test_integer_accepts_whole_float_and_refuses_bool(mini):
    ev = parse_evidence(evidence_bytes({**GOOD, "kinerja.apbd_rp": 5.0}), "o.json", mini)
    assert ev.facts["kinerja.apbd_rp"] == 5 and isinstance(ev.facts["kinerja.apbd_rp"], int)
    assert problems_of(evidence_bytes({**GOOD, "kinerja.apbd_rp": True}), mini) == [
        "$.facts.kinerja.apbd_rp: expected a whole number from 0 to 1,000,000,000,000 (rupiah), found boolean true"
    ]
    assert "expected a whole number (rupiah), found 2.5" in problems_of(evidence_bytes({**GOOD, "kinerja.apbd_rp": 2.5}), mini)[0]


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "facts, expected",
    [
        ({"parkir.ada": "ya"}, '$.facts.parkir.ada: expected true or false, found string "ya"'),
        ({"kinerja.capaian_pct": "95%"}, '$.facts.kinerja.capaian_pct: expected a number from 0 to 100 (percent), found string "95%"'),
        ({"kinerja.capaian_pct": 104}, "$.facts.kinerja.capaian_pct: 104 is above the maximum of 100 (percent)"),
        ({"kinerja.capaian_pct": -0.5}, "$.facts.kinerja.capaian_pct: -0.5 is below the minimum of 0 (percent)"),
        ({"kinerja.dak_rp": -1}, "$.facts.kinerja.dak_rp: -1 is below the minimum of 0 (rupiah)"),
        ({"mutu.nilai": "B+"}, '$.facts.mutu.nilai: expected one of C, B, A, A+, found string "B+"'),
        ({"mutu.nilai": "a+"}, "did you mean 'A+'?"),
        ({"parkir.rambu2": True}, "$.facts.parkir.rambu2: unknown fact 'parkir.rambu2' (did you mean 'parkir.rambu'?)"),
        ({"parkr.ada": True}, "$.facts.parkr: unknown fact group 'parkr' (did you mean 'parkir'?)"),
        ({"parkir.ada": {"valeu": True}}, "$.facts.parkir.ada.valeu: unknown key 'valeu' in a fact object"),
        ({"parkir.ada": {"value": True, "source": 3}}, "$.facts.parkir.ada.source: expected text, found number 3"),
        ({"parkir.ada": [True]}, "$.facts.parkir.ada: expected true or false, found array"),
    ],
)
def test_bad_fact_values(mini, facts, expected):
    found = problems_of(evidence_bytes({**GOOD, **facts}), mini)
    assert any(expected in p for p in found), found


def test_all_problems_reported_at_once(mini):
    raw = evidence_bytes({**GOOD, "parkir.ada": "ya", "kinerja.capaian_pct": 104, "parkir.rambu2": True})
    assert len(problems_of(raw, mini)) == 3


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "doc, expected",
    [
        ({"meta": office_meta()}, "$: missing required key 'facts'"),
        ({"facts": {}}, "$: missing required key 'meta'"),
        ({"meta": office_meta(region_code="3273"), "facts": {}}, '$.meta.region_code: expected a Kemendagri code like "32.73"'),
        ({"meta": office_meta(year="2021"), "facts": {}}, "$.meta.year: expected a whole number from 1900 to 2100"),
        ({"meta": office_meta(populasi=5), "facts": {}}, "$.meta.populasi: unknown key 'populasi' in meta"),
        ({"meta": office_meta(), "facts": [], "x": 1}, "$.x: unknown top-level key 'x'"),
        ({"meta": office_meta(), "facts": []}, "$.facts: expected an object of fact groups, found array"),
        ({"meta": office_meta(), "facts": {"parkir": 1}}, "$.facts.parkir: expected an object of facts, found number 1"),
        ({"ruleset": "other-2030", "meta": office_meta(), "facts": {}}, "$.ruleset: this evidence is for ruleset 'other-2030'"),
        ({"meta": office_meta(), "facts": {"parkir.ada": True}}, "facts are grouped, not dotted"),
    ],
)
def test_bad_document_shape(mini, doc, expected):
    found = problems_of(json.dumps(doc).encode(), mini)
    assert any(expected in p for p in found), found


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b'{"meta": ', "malformed JSON"),
        (b'{"meta": {}, }', "line 1, column 14: malformed JSON"),
        (b"[1, 2]", "expected a JSON object at the top level"),
        (b'"text"', "found string"),
        (b"42", "found number"),
        (b"null", "found null"),
        (b'{"meta": {}, "meta": {}}', "$.meta: duplicate key 'meta'"),
        (b'{"facts": {"parkir": {"ada": true, "ada": false}}}', "$.facts.parkir.ada: duplicate key 'ada'"),
        (b'{"x": NaN}', "NaN is not a valid JSON number"),
        (b'{"x": -Infinity}', "-Infinity is not a valid JSON number"),
        (b'{"x": 1e400}', "number 1e400 is too large"),
        (b'{"x": "\xff"}', "not UTF-8 text: byte 0xff"),
        (b"[" * 100_000 + b"]" * 100_000, "nesting is too deep"),
        (b'{"x": ' + b"9" * 5000 + b"}", "number 999999999999... (5000 digits) is too long"),
        (b'{"meta": {"office": "Kota \\ud800 X"}}', "$.meta.office: a string holds a lone surrogate escape"),
        (b'{"meta": {"\\udc00": 1}}', "a string holds a lone surrogate escape"),
    ],
)
def test_unreadable_documents(mini, raw, expected):
    found = problems_of(raw, mini)
    assert any(expected in p for p in found), found


def test_bom_and_crlf_accepted(mini):
    raw = b"\xef\xbb\xbf" + evidence_bytes(GOOD).replace(b", ", b",\r\n")
    assert parse_evidence(raw, "win.json", mini).facts["parkir.ada"] is True


@pytest.mark.usefixtures("english")
def test_huge_file_refused_before_parsing(tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as f:
        f.truncate(MAX_EVIDENCE_BYTES + 1)
    with pytest.raises(EvidenceError) as info:
        read_evidence_bytes(str(big))
    assert "over the limit" in str(info.value) and "was not read" in str(info.value)


@pytest.mark.usefixtures("english")
def test_unreadable_paths(tmp_path):
    with pytest.raises(EvidenceError, match="cannot read file"):
        read_evidence_bytes(str(tmp_path / "missing.json"))
    with pytest.raises(EvidenceError, match="is a directory"):
        read_evidence_bytes(str(tmp_path))


def test_a_surrogate_pair_is_text(mini):
    raw = evidence_bytes({"parkir.ada": True}).replace(b'"Disdukcapil Kota Contoh"', b'"Kota \\ud83d\\ude00"')
    assert parse_evidence(raw, "o.json", mini).meta.office == "Kota \U0001f600"


def test_a_file_name_that_is_not_utf8_is_shown_escaped(mini):
    name = b"kab-caf\xe9.json".decode("utf-8", "surrogateescape")  # as os.listdir gives it
    evidence = parse_evidence(evidence_bytes({"parkir.ada": True}), name, mini)
    assert evidence.file == "kab-caf\\xe9.json"
    with pytest.raises(EvidenceError) as info:
        parse_evidence(b"{", name, mini)
    assert str(info.value).startswith("kab-caf\\xe9.json: ")
