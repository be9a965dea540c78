"""One exception hierarchy with one location type, formatted by the exception itself (issue 9)."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from pentas_rules.errors import (
    EvidenceError,
    EvidenceProblem,
    EvidenceReadError,
    InputFileError,
    Location,
    OutputFileError,
    PentasError,
    Problem,
    ProblemsError,
    RulesError,
    RulesProblem,
    RulesReadError,
)
from pentas_rules.evidence.jsonfile import read_evidence_bytes
from pentas_rules.files.atomic import write_bytes_atomic
from pentas_rules.messages import message
from pentas_rules.ruleset.yamlsafe import load_yaml_file

from .conftest import ROOT


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location("rules/x.yaml", 3, 7), "rules/x.yaml:3:7"),
        (Location("rules/x.yaml", 3), "rules/x.yaml:3"),
        (Location("rules/x.yaml"), "rules/x.yaml"),
        (Location(path="$.facts.parkir.rambu"), "$.facts.parkir.rambu"),
        (Location("kantor.xlsx", path="Sarana!D14"), "kantor.xlsx: Sarana!D14"),
        (Location("bad-\udcff.json", path="$"), "bad-\\xff.json: $"),
    ],
)
def test_one_location_type_for_rule_files_documents_and_cells(location: Location, text: str) -> None:
    assert str(location) == text


@pytest.mark.usefixtures("english")
def test_both_problem_constructors_build_one_problem_type() -> None:
    rules = RulesProblem("r.yaml", 4, 2, "unknown key", "schema")
    evidence = EvidenceProblem("$.facts.parkr", "unknown group", suggestion="parkir")
    assert isinstance(rules, Problem) and isinstance(evidence, Problem)
    assert (rules.location, rules.code, str(rules)) == (Location("r.yaml", 4, 2), "schema", "r.yaml:4:2: unknown key")
    assert (evidence.location, evidence.path, str(evidence)) == (
        Location(path="$.facts.parkr"),
        "$.facts.parkr",
        "$.facts.parkr: unknown group (did you mean 'parkir'?)",
    )
    # A problem a workbook reader locates by cell is the same type, no subclass needed.
    cell = Problem(Location("kantor.xlsx", path="Sarana!D14"), "expected Ya or Tidak, found 'yes'", "evidence")
    assert str(cell) == "kantor.xlsx: Sarana!D14: expected Ya or Tidak, found 'yes'"
    assert pickle.loads(pickle.dumps(rules)) == rules  # problems cross the batch's worker processes


@pytest.mark.usefixtures("english")
def test_the_error_formats_its_own_one_line_and_full_report() -> None:
    problems = [EvidenceProblem("$.meta.year", "missing"), EvidenceProblem("$.facts.x", "unknown"), EvidenceProblem("$.facts.y", "unknown")]
    exc = EvidenceError("office.json", problems)
    assert str(exc) == "office.json: $.meta.year: missing (and 2 more problems)"
    assert exc.summary() == "$.meta.year: missing (and 2 more problems)"
    assert exc.report_text() == (
        "error: office.json: 3 problems\noffice.json: $.meta.year: missing\noffice.json: $.facts.x: unknown\noffice.json: $.facts.y: unknown"
    )
    two = RulesError([RulesProblem("a.yaml", 1, 1, "bad"), RulesProblem("b.yaml", None, None, "worse")])
    assert str(two) == "a.yaml:1:1: bad (and 1 more problem)"
    assert two.report_text() == "error: rules: 2 problems\na.yaml:1:1: bad\nb.yaml: worse"
    assert PentasError("no office in province 'x'").report_text() == "error: no office in province 'x'"


@pytest.mark.usefixtures("english")
def test_more_problems_is_worded_in_one_place() -> None:
    sources = {path: path.read_text(encoding="utf-8") for path in (ROOT / "pentas_rules").rglob("*.py")}
    wording = [path.relative_to(ROOT).as_posix() for path, text in sources.items() if re.search(r"more problem", text)]
    assert wording == []  # the words are the message catalogue's, under one key
    assert sources[ROOT / "pentas_rules" / "errors.py"].count('"err.and_more"') == 1
    assert "more problem" in str(message("err.and_more", "en", count=2))


@pytest.mark.usefixtures("english")
def test_an_unreadable_evidence_file_is_an_input_file_error_and_an_evidence_error(tmp_path: Path) -> None:
    with pytest.raises(EvidenceReadError) as caught:
        read_evidence_bytes(str(tmp_path / "missing.json"))
    exc = caught.value
    assert isinstance(exc, InputFileError) and isinstance(exc, EvidenceError) and isinstance(exc, ProblemsError)
    assert exc.reason == "No such file or directory"
    assert str(exc) == f"{tmp_path / 'missing.json'}: $: cannot read file: No such file or directory"


@pytest.mark.usefixtures("english")
def test_an_unreadable_rule_file_is_an_input_file_error_and_a_rules_error(tmp_path: Path) -> None:
    with pytest.raises(RulesReadError) as caught:
        load_yaml_file(tmp_path / "gone.yaml", "rules/gone.yaml")
    exc = caught.value
    assert isinstance(exc, InputFileError) and isinstance(exc, RulesError)
    assert (exc.file, exc.reason) == ("rules/gone.yaml", "No such file or directory")
    assert exc.problems[0].code == "io"
    assert str(exc) == "rules/gone.yaml: cannot read file: No such file or directory"


@pytest.mark.usefixtures("english")
def test_an_unwritable_output_is_an_output_file_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "report.html"
    with pytest.raises(OutputFileError) as caught:
        write_bytes_atomic(target, b"x")
    exc = caught.value
    assert exc.file == str(target) and exc.reason == "No such file or directory"
    assert str(exc) == f"{target}: cannot write file: No such file or directory"
    assert not isinstance(exc, InputFileError)
