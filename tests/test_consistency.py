"""Contradictory evidence and impossible metadata (issue 8, items 5 and 6).

Consistency constraints between facts are ruleset data (``constraints:`` in
ruleset.yaml); a broken one is a warning naming the facts and their values,
shown by every command and turned into exit 1 by ``--strict``. Metadata that
cannot be true (a province its region code does not name, a date that does not
exist, a blank name) is an error; another year than the ruleset's is a warning.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.engine.evaluate import evaluate, evidence_warnings
from pentas_rules.engine.results import to_json_bytes
from pentas_rules.errors import EvidenceError, RulesError
from pentas_rules.evidence.reader import evidence_problems, parse_evidence
from pentas_rules.ruleset.cache import load_ruleset_cached
from tools.synthetic import generate_offices

from .conftest import RULES, SAMPLES, is_pentas_sample

RULES_ARG = ("--rules", str(RULES))
TOILET = {"ada": False, "bersih": True, "tisu": True, "sabun_cuci_tangan": True, "terpisah_laki_perempuan": True, "petugas": True}
PARKIR = {"ada": False, "rambu": True, "teratur_mobil_motor": True, "petugas": True}


def doc(facts: dict[str, dict[str, Any]] | None = None, **meta: Any) -> dict[str, Any]:
    base = {"office": "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung", "region_code": "32.73", "province": "Jawa Barat", "year": 2021}
    base.update(meta)
    return {"ruleset": "pentas-2021", "meta": base, "facts": facts or {}}


def write(tmp_path: Path, document: dict[str, Any], name: str = "office.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def score(ruleset: Any, document: dict[str, Any]) -> Any:
    raw = json.dumps(document).encode("utf-8")
    return evaluate(ruleset, parse_evidence(raw, "office.json", ruleset), raw)


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(main, [*args, *RULES_ARG], catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


# -- item 5: contradictory facts -----------------------------------------------------


@pytest.mark.parametrize(
    ("group", "facts", "indicator", "exists"),
    [("toilet", TOILET, "I03", "toilet.ada"), ("parkir", PARKIR, "I05", "parkir.ada")],
)
def test_details_of_a_thing_that_does_not_exist_are_a_warning(ruleset, group, facts, indicator, exists):
    result = score(ruleset, doc({group: facts}))
    assert result.indicator(indicator).level == 5  # still scored literally, as the rubric reads
    (warning,) = result.warnings
    named = {name: value for name, _, value in warning.facts}
    assert named[exists] is False and named[f"{group}.petugas"] is True
    assert f"$.facts.{group}.ada" in warning.text("en")
    data = json.loads(to_json_bytes(result))
    assert data["warnings"][0]["id"] == warning.id
    assert {"fact": exists, "path": f"$.facts.{group}.ada", "value": False} in data["warnings"][0]["facts"]


def test_warning_text_names_both_facts_with_their_values(ruleset):
    result = score(ruleset, doc({"toilet": TOILET}))
    text = result.warnings[0].text("id")
    assert "toilet.ada = false" in text and "toilet.bersih = true" in text
    assert "toilet dinyatakan tidak ada" in text  # the Indonesian message from the ruleset


def test_unknown_facts_never_break_a_constraint(ruleset):
    assert score(ruleset, doc({"toilet": {"bersih": True, "tisu": True}})).warnings == ()
    assert score(ruleset, doc({"toilet": {"ada": True, "bersih": True}})).warnings == ()


def test_a_grade_without_its_assessment_is_a_warning_and_no_grade_is_not_missing(ruleset):
    graded = score(ruleset, doc({"ikm": {"menpan_rb_dinilai": False, "menpan_rb_nilai": "A+"}}))
    assert [w.id for w in graded.warnings] == ["ikm_menpan_rb_nilai"]
    ungraded = score(ruleset, doc({"ikm": {"menpan_rb_dinilai": False}}))
    assert ungraded.warnings == ()
    # The grade of an assessment that did not happen is not missing evidence.
    assert "ikm.menpan_rb_nilai" not in ungraded.missing_facts
    assert "ikm.menpan_rb_nilai" not in ungraded.indicator("I10").missing_facts
    assert "ikm.menpan_rb_nilai" in score(ruleset, doc({})).missing_facts


def test_no_bundled_sample_or_corpus_office_contradicts_itself(ruleset):
    files = sorted(p for p in SAMPLES.rglob("*.json") if is_pentas_sample(p))
    assert len(files) == 37
    for path in files:
        evidence = parse_evidence(path.read_bytes(), str(path), ruleset)
        assert evidence_warnings(ruleset, evidence) == (), path


def test_sinjai_is_no_longer_graded_by_menpan_rb(ruleset):
    result = score(ruleset, json.loads((SAMPLES / "kab-sinjai.json").read_text(encoding="utf-8")))
    assert result.warnings == () and result.complete
    assert str(result.total) == "161/3"  # 53.67, as before: MenPAN-RB's grade never counted without its assessment


def test_generated_offices_respect_the_constraints(ruleset):
    for document in generate_offices(ruleset, 40, seed=11):
        assert score(ruleset, document).warnings == (), document["meta"]["office"]


def test_score_text_shows_a_warnings_block_in_both_languages(tmp_path):
    path = write(tmp_path, doc({"toilet": TOILET}))
    indonesian = invoke("score", str(path))
    assert indonesian.exit_code == 0
    assert "PERINGATAN" in indonesian.output and "toilet.ada = false ($.facts.toilet.ada)" in indonesian.output
    english = invoke("score", str(path), "--lang", "en")
    assert "WARNING: contradictory or doubtful evidence" in english.output and "there is said to be no toilet" in english.output


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "command",
    [
        ("score", "{file}"),
        ("score", "{file}", "--format", "json"),
        ("explain", "{file}", "I03"),
        ("explain", "{file}", "I03", "--format", "json"),
        ("report", "{file}", "-o", "-"),
        ("rank", "{file}"),
        ("validate", "{file}"),
    ],
)
def test_strict_turns_a_warning_into_exit_1(tmp_path, command):
    facts = json.loads((SAMPLES / "kota-madiun.json").read_text(encoding="utf-8"))["facts"]  # complete evidence
    facts["toilet"] = dict(TOILET)
    path = write(tmp_path, doc(facts, population=170000))
    args = [part.format(file=path) for part in command]
    assert invoke(*args).exit_code == 0
    strict = invoke(*args, "--strict")
    assert strict.exit_code == 1
    assert "1 warning" in strict.output and "incomplete evidence" not in strict.output


@pytest.mark.usefixtures("english")
def test_every_command_shows_the_warning(tmp_path):
    path = write(tmp_path, doc({"parkir": PARKIR}))
    for args in (("explain", str(path), "5"), ("report", str(path), "-o", "-", "--format", "md"), ("report", str(path), "-o", "-"), ("validate", str(path))):
        out = invoke(*args).output
        assert "parkir.ada" in out and "parkir.rambu" in out, args
    ranked = invoke("rank", str(path))
    assert "warning: " in ranked.output and "parkir.ada = false" in ranked.output
    assert "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung" in ranked.output


def broken_rules(tmp_path: Path, old: str, new: str) -> tuple[Path, RulesError]:
    """A copy of the bundled rules with one edit to ruleset.yaml, and the error loading it."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    text = (rules / "ruleset.yaml").read_text(encoding="utf-8")
    assert old in text
    (rules / "ruleset.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError) as caught:
        load_ruleset_cached(rules)
    return rules, caught.value


def test_a_constraint_on_an_unknown_fact_is_a_located_rules_error(tmp_path, english):
    rules, error = broken_rules(tmp_path, "then: toilet.ada\n", "then: toilet.adaa\n")
    (problem,) = error.problems
    assert problem.file.endswith("ruleset.yaml") and problem.location.line is not None
    assert "toilet.adaa" in problem.message and "did you mean 'toilet.ada'" in problem.message
    lint = CliRunner().invoke(main, ["lint", str(rules)])
    assert lint.exit_code == 1 and "toilet.adaa" in lint.output


def test_the_schema_refuses_a_constraint_without_its_then(tmp_path, english):
    _, error = broken_rules(tmp_path, "    then: parkir.ada\n", "")
    assert "the required key 'then' is absent" in str(error)


# -- item 6: impossible metadata --------------------------------------------------------


def problems_of(ruleset: Any, document: dict[str, Any]) -> list[str]:
    raw = json.dumps(document).encode("utf-8")
    with pytest.raises(EvidenceError) as caught:
        parse_evidence(raw, "office.json", ruleset)
    assert [str(p) for p in caught.value.problems] == [str(p) for p in evidence_problems(raw, "office.json", ruleset)]
    return [str(p) for p in caught.value.problems]


@pytest.mark.usefixtures("english")
def test_a_province_its_region_code_does_not_name_is_an_error(ruleset):
    (problem,) = problems_of(ruleset, doc(province="Bali"))
    assert problem.startswith("$.meta.province:")
    assert "32.73" in problem and "Jawa Barat" in problem and "Bali is 51" in problem
    (typo,) = problems_of(ruleset, doc(province="Jawa Brat"))
    assert "did you mean 'Jawa Barat'?" in typo
    (code,) = problems_of(ruleset, doc(region_code="99.01", province="Bali"))
    assert code.startswith("$.meta.region_code:") and "province 'Bali' has code 51" in code


def test_province_case_and_spacing_are_ignored(ruleset):
    assert score(ruleset, doc(province="JAWA  BARAT")).evidence.meta.province == "JAWA  BARAT"


@pytest.mark.usefixtures("english")
def test_a_date_that_does_not_exist_is_an_error(ruleset):
    (problem,) = problems_of(ruleset, doc(assessed_on="2021-02-30"))
    assert problem.startswith("$.meta.assessed_on:") and "'2021-02-30' is not a calendar date" in problem
    # The reason is ours, not datetime's ("day is out of range for month"), so it can be Indonesian too.
    assert "(there is no day 30 in month 2 of 2021, which has 28 days)" in problem
    (month,) = problems_of(ruleset, doc(assessed_on="2021-13-01"))
    assert "(there is no month 13; months are 01 to 12)" in month


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize("key", ["office", "province"])
def test_a_blank_name_is_an_error(ruleset, key):
    (problem,) = problems_of(ruleset, doc(**{key: " \t "}))
    assert problem.startswith(f"$.meta.{key}:") and "only whitespace" in problem


def test_another_year_is_a_warning(ruleset, tmp_path):
    result = score(ruleset, doc(year=2020))
    (warning,) = result.warnings
    assert warning.id == "year" and warning.facts == (("meta.year", "$.meta.year", 2020),)
    assert "2020" in warning.text("en") and "pentas-2021 (2021)" in warning.text("en")
    path = write(tmp_path, doc(year=2020))
    assert invoke("validate", str(path)).exit_code == 0
    assert invoke("validate", str(path), "--strict").exit_code == 1


@pytest.mark.usefixtures("english")
def test_validate_lists_every_impossible_meta_value_at_once(tmp_path):
    path = write(tmp_path, doc(office="  ", province="Bali", assessed_on="2021-02-30"))
    result = invoke("validate", str(path))
    assert result.exit_code == 1 and "3 problems" in result.output
    for where in ("$.meta.office", "$.meta.province", "$.meta.assessed_on"):
        assert where in result.output


@pytest.mark.usefixtures("english")
def test_rank_by_province_never_lists_an_office_of_another_province(tmp_path):
    folder = tmp_path / "offices"
    folder.mkdir()
    write(folder, doc(), "bandung.json")
    write(folder, doc(office="Dinas Kependudukan dan Pencatatan Sipil Kota Denpasar", region_code="51.71", province="Bali"), "denpasar.json")
    write(folder, doc(office="Kantor Palsu", province="Bali"), "palsu.json")  # 32.73 is Jawa Barat
    result = invoke("rank", str(folder), "--province", "Bali")
    assert result.exit_code == 1  # the impossible file is listed as an error
    table = result.output.split("\n\n")[1]
    assert "Denpasar" in table and "Bandung" not in table and "Kantor Palsu" not in table
    assert "palsu.json" in result.output and "does not match region code 32.73" in result.output
