"""`pentas test`: the rule cases run from the CLI, with failures traced, coverage and JUnit XML."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pentas_rules.errors import RulesError
from pentas_rules.maintenance.cases import load_cases
from pentas_rules.ruleset.cache import load_ruleset_cached

from .conftest import RULES
from .ruletools import edit, run

N_CASES = len(load_cases(load_ruleset_cached(RULES)))


def write_cases(root: Path, text: str) -> Path:
    folder = root / "tests"
    shutil.rmtree(folder)
    folder.mkdir()
    path = folder / "cases.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.usefixtures("english")
def test_shipped_cases_pass_with_full_coverage():
    result = run("test", str(RULES), "--coverage")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[-1] == f"{N_CASES} passed, 0 failed"
    assert lines[-2] == "coverage: levels 102/102 (100.0%), conditions 495/495 (100.0%)"
    assert "  I13        cases  30  levels 3/3  conditions 12/12  100.0%" in lines


@pytest.mark.usefixtures("english")
def test_changed_threshold_fails_the_boundary_case_with_its_trace(rules_copy):
    edit(
        rules_copy,
        "indicators/09_kinerja.yaml",
        "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}",
        "when: {fact: kinerja.perekaman_ktp_el_pct, at_least: 98}",
    )
    result = run("test", str(rules_copy))
    assert result.exit_code == 1
    out = result.output
    assert out.splitlines()[-1] == f"{N_CASES - 1} passed, 1 failed"
    cases_file = rules_copy / "tests" / "09_kinerja.yaml"
    assert f"FAIL {cases_file}:23:5: I18 L4: perekaman 98%\n" in out
    assert "    I18: expected level 4, got 5\n" in out
    # the trace of both levels that differ: the expected one and the one awarded
    assert "    level 4 holds (indicators/09_kinerja.yaml:12:9): Nilai (4) jika capaian 90-98%\n" in out
    assert "    level 5 holds (indicators/09_kinerja.yaml:16:9): Nilai (5) jika capaian >98%\n" in out
    assert "<kinerja.perekaman_ktp_el_pct>" in out


def test_junit_xml(rules_copy, tmp_path, english):
    edit(
        rules_copy,
        "indicators/09_kinerja.yaml",
        "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}",
        "when: {fact: kinerja.perekaman_ktp_el_pct, at_least: 98}",
    )
    report = tmp_path / "build" / "reports" / "junit.xml"  # folders are created
    assert run("test", str(rules_copy), "--junit", str(report)).exit_code == 1
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites" and root.get("tests") == str(N_CASES) and root.get("failures") == "1"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "pentas-2021 2021.1"
    cases = suite.findall("testcase")
    assert len(cases) == N_CASES
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["I18 L4: perekaman 98%"]
    failure = failed[0].find("failure")
    assert failure.get("message") == "I18: expected level 4, got 5"
    assert "level 5 holds" in failure.text
    assert failed[0].get("classname") == "pentas-2021.09_kinerja" and failed[0].get("line") == "23"
    first = report.read_bytes()
    run("test", str(rules_copy), "--junit", str(report))
    assert report.read_bytes() == first  # no timings: the same run gives the same bytes


def test_coverage_names_what_the_cases_miss(rules_copy):
    edit(
        rules_copy,
        "tests/13_go_digital.yaml",
        '  - name: "I30 L0: verifikasi tidak online"\n',
        '  - name: "I30 L0: verifikasi tidak online (dibuang)"\n',
    )
    cases = rules_copy / "tests" / "13_go_digital.yaml"
    text = cases.read_text(encoding="utf-8")
    cases.write_text(text[: text.index('  - name: "I30 L0: verifikasi tidak online (dibuang)"')], encoding="utf-8")
    result = run("test", str(rules_copy), "--coverage")
    assert result.exit_code == 0  # the cases pass; coverage is reported, not enforced here
    # Indonesian by default, numbers included; English on request.
    out = result.output
    assert "cakupan: level 102/102 (100,0%), syarat 492/495 (99,4%)" in out
    assert f"      {rules_copy}/indicators/13_go_digital.yaml:70:15: I30.L3.all[2] layanan_digital.verifikasi_online == true: belum pernah salah" in out
    out = run("test", str(rules_copy), "--coverage", "--lang", "en").output
    assert "coverage: levels 102/102 (100.0%), conditions 492/495 (99.4%)" in out
    assert f"      {rules_copy}/indicators/13_go_digital.yaml:70:15: I30.L3.all[2] layanan_digital.verifikasi_online == true: never false" in out


@pytest.mark.usefixtures("english")
def test_office_case_failure_shows_the_total_and_the_indicator(rules_copy):
    path = write_cases(
        rules_copy,
        'cases:\n  - name: "kinerja saja"\n    facts: {kinerja.perekaman_ktp_el_pct: 60}\n    expect_total: 1\n    expect_levels: {I18: 4}\n    reason: "uji"\n',
    )
    result = run("test", str(rules_copy))
    assert result.exit_code == 1
    assert f"FAIL {path}:2:5: kinerja saja\n" in result.output
    assert "    I18: expected level 4, got 3\n" in result.output
    assert "    total: expected 1.00, got 0.50\n" in result.output
    assert result.output.splitlines()[-1] == "0 passed, 1 failed"


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "case, message",
    [
        ("{name: a, indicator: I99, facts: {}, expect: 3}", ":2:26: unknown indicator 'I99'"),
        ("{name: a, indicator: I18, facts: {}, expect: 2}", ":2:50: the expected level of I18 must be one of 0, 3, 4, 5, found 2"),
        (
            "{name: a, indicator: I18, facts: {kinerja.perekaman_ktp_el_pct: 1004}, expect: 5}",
            "case 'a': $.facts.kinerja.perekaman_ktp_el_pct: 1004 is above the maximum of 200",
        ),
        ("{name: a, indicator: I18, facts: {kinerja.perekaman: 1}, expect: 5}", "did you mean 'kinerja.perekaman_ktp_el_pct'?"),
        ("{name: a, facts: {}, expect_total: 75.123}", "expect_total must be a number with at most two decimals"),
        ('{name: a, facts: {}, expect_total: "1/0"}', "expect_total must be a number with at most two decimals"),
        ("{name: a, facts: {}, expect_levels: {I18: 7}}", "the expected level of I18 must be one of 0, 3, 4, 5, found 7"),
        ("{name: a, facts: {}}", "a case needs name, facts and either indicator + expect"),
        ("{name: a, indicator: I18, facts: {}, expect: 3, extra: 1}", "a case needs name, facts and either indicator + expect"),
    ],
)
def test_bad_cases_are_located(rules_copy, case, message, english):
    path = write_cases(rules_copy, f"cases:\n  - {case}\n")
    result = run("test", str(rules_copy))
    assert result.exit_code == 1
    assert str(path) in result.output and message in result.output, result.output


def test_duplicate_case_names_and_yaml_problems_are_all_reported(rules_copy, english):
    path = write_cases(rules_copy, "cases:\n  - {name: a, indicator: I18, facts: {}, expect: 0}\n  - {name: a, indicator: I18, facts: {}, expect: 0}\n")
    (rules_copy / "tests" / "zz.yaml").write_text("cases: [&x {name: b}]\n", encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_cases(load_ruleset_cached(rules_copy))
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith(f"{path}:3:5: case name 'a' is used twice") for m in messages)
    assert any("YAML anchors (&x) are not allowed" in m for m in messages)


@pytest.mark.usefixtures("english")
def test_no_cases_is_a_failure(rules_copy, tmp_path, english):
    empty = tmp_path / "none"
    empty.mkdir()
    result = run("test", str(rules_copy), "--cases", str(empty))
    assert result.exit_code == 1 and f"no rule cases in {empty}" in result.output


def test_broken_rules_are_reported_not_tested(rules_copy, english):
    edit(rules_copy, "ruleset.yaml", "    weight: 3\n", "    weight: 4\n")
    result = run("test", str(rules_copy))
    assert result.exit_code == 1 and "aspect weights sum to 101, expected 100" in result.output
