"""`pentas lint`: rules broken on purpose are caught, each finding pointing at the line to fix.

Every broken rule is a copy of the shipped ruleset (or the small fixture) with
one edit; the test names the text the finding must point at and checks the
file and line of the diagnostic, its severity, code and message.
"""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.maintenance.lint import lint

from .conftest import MINI, ROOT, RULES
from .ruletools import edit, line_of

# The findings are pinned in English; tests/test_messages.py holds lint Indonesian by default.
pytestmark = pytest.mark.usefixtures("english")

# Numbers the rubric names that are not thresholds, each reviewed in lint.yaml with its reason.
SHIPPED_ACKNOWLEDGED = {"I12.L3:2", "I12.L4:2", "I12.L5:2", "I29.L4:24", "I29.L5:24"}


def test_shipped_rules_are_clean():
    report = lint(RULES)
    assert report.analysed
    assert [str(d) for d in report.diagnostics if d.acknowledged is None] == []
    assert {(d.code, d.subject) for d in report.acknowledged} == {("source-number", s) for s in SHIPPED_ACKNOWLEDGED}
    assert report.ok and report.summary() == f"{RULES}: 0 errors, 0 warnings (5 acknowledged)"


def test_cli_on_shipped_rules(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(main, ["lint", "rules/pentas-2021"])
    assert result.exit_code == 0
    assert result.output == "rules/pentas-2021: 0 errors, 0 warnings (5 acknowledged)\n"


KINERJA = "indicators/09_kinerja.yaml"
L5_I18 = "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}"

BROKEN = [
    # (id, file, old, new, file of the finding, marker on its line, severity, code, message fragment)
    (
        "bracket gap between levels",
        KINERJA,
        "between: [90, 98]",
        "between: [91, 98]",
        KINERJA,
        "between: [91, 98]",
        "warning",
        "bracket-gap",
        "I18: kinerja.perekaman_ktp_el_pct = [90, 91) (between the levels' ranges) meets no level, so it scores 0",
    ),
    (
        "bracket gap above the top level",
        KINERJA,
        L5_I18,
        "when: {fact: kinerja.perekaman_ktp_el_pct, between: [98, 99.5]}",
        KINERJA,
        "between: [98, 99.5]",
        "warning",
        "bracket-gap",
        "kinerja.perekaman_ktp_el_pct = (99.5, 200] (above every level's range) meets no level",
    ),
    (
        "bracket overlap",
        KINERJA,
        L5_I18,
        "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 97}",
        KINERJA,
        "greater_than: 97",
        "warning",
        "bracket-overlap",
        "I18: levels 4 and 5 both accept kinerja.perekaman_ktp_el_pct = (97, 98]; where both hold, level 5 is awarded",
    ),
    (
        "integer brackets that skip a value",
        KINERJA,
        "between: [4, 10]",
        "between: [5, 10]",
        KINERJA,
        "between: [5, 10]",
        "warning",
        "bracket-gap",
        "HAK_AKSES: kinerja.hak_akses_jumlah = 4 (between the levels' ranges)",
    ),
    (
        "contradictory thresholds in one all",
        KINERJA,
        L5_I18,
        "when:\n          all:\n            - {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}\n            - {fact: kinerja.perekaman_ktp_el_pct, less_than: 90}",
        KINERJA,
        "- {fact: kinerja.perekaman_ktp_el_pct, less_than: 90}",
        "error",
        "unsatisfiable",
        "level 5 of I18 can never hold: kinerja.perekaman_ktp_el_pct < 90 contradicts kinerja.perekaman_ktp_el_pct > 98 (line",
    ),
    (
        "a constant the fact can never exceed",
        KINERJA,
        "at_least: 100}",
        "greater_than: 100}",
        KINERJA,
        "greater_than: 100}",
        "error",
        "unsatisfiable",
        "level 5 of I22 can never hold: kinerja.pks_opd_pct > 100 is impossible, kinerja.pks_opd_pct ranges over [0, 100]",
    ),
    (
        "a bool required both true and false",
        "indicators/03_sipp.yaml",
        "            - sipp.monitor_televisi\n      - level: 5",
        "            - sipp.monitor_televisi\n            - {fact: sipp.email, is: false}\n      - level: 5",
        "indicators/03_sipp.yaml",
        "sipp.email, is: false",
        "error",
        "unsatisfiable",
        "level 4 of I08 can never hold: sipp.email == false contradicts sipp.email == true",
    ),
    (
        "a lower level stricter than a higher one",
        "indicators/01_standar_pelayanan.yaml",
        "standar_pelayanan.komputer_publik",
        "standar_pelayanan.komputer_ruang_layanan",
        "indicators/01_standar_pelayanan.yaml",
        "- level: 3",
        "warning",
        "never-highest",
        "level 3 of I01 can never be the level awarded with complete evidence: whenever it holds, level 4",
    ),
    (
        "an alternative that can never hold",
        KINERJA,
        "when: {fact: kinerja.pks_opd_pct, at_least: 80}",
        "when: {any: [{fact: kinerja.pks_opd_pct, at_least: 80}, {fact: kinerja.pks_opd_pct, less_than: 0}]}",
        KINERJA,
        "less_than: 0}",
        "warning",
        "dead-comparison",
        "kinerja.pks_opd_pct < 0 can never hold: kinerja.pks_opd_pct ranges over [0, 100]",
    ),
    (
        "a comparison that always holds",
        KINERJA,
        "when: {fact: kinerja.pks_opd_pct, at_least: 80}",
        "when: {fact: kinerja.pks_opd_pct, at_least: 0}",
        KINERJA,
        "at_least: 0}",
        "warning",
        "always-true",
        "kinerja.pks_opd_pct >= 0 holds for every value kinerja.pks_opd_pct can take ([0, 100])",
    ),
    (
        "a condition written twice",
        "indicators/03_sipp.yaml",
        "            - sipp.monitor_televisi\n      - level: 5",
        "            - sipp.monitor_televisi\n            - {fact: sipp.monitor_televisi, is: true}\n      - level: 5",
        "indicators/03_sipp.yaml",
        "is: true}",
        "warning",
        "duplicate-condition",
        "sipp.monitor_televisi == true is repeated in the same all",
    ),
    (
        "a declared fact no rule uses",
        "facts.yaml",
        "    facts:\n      perekaman_ktp_el_pct:",
        "    facts:\n      belum_dipakai: {type: bool, description_id: a, description_en: b}\n      perekaman_ktp_el_pct:",
        "facts.yaml",
        "belum_dipakai:",
        "warning",
        "unused-fact",
        "fact kinerja.belum_dipakai is declared but no rule uses it",
    ),
    (
        "a condition on an undeclared fact",
        KINERJA,
        "kinerja.pks_opd_pct, at_least: 90",
        "kinerja.pks_opd_pc, at_least: 90",
        KINERJA,
        "kinerja.pks_opd_pc,",
        "error",
        "unknown-fact",
        "condition on undeclared fact 'kinerja.pks_opd_pc'; did you mean 'kinerja.pks_opd_pct'?",
    ),
    (
        "a constant outside the fact's range",
        KINERJA,
        "at_least: 90}",
        "at_least: 190}",
        KINERJA,
        "at_least: 190",
        "error",
        "rules",
        "190 is above the maximum 100 of fact kinerja.pks_opd_pct",
    ),
    (
        "a constant of the wrong type",
        "indicators/03_sipp.yaml",
        "- sipp.booklet\n",
        '- {fact: sipp.booklet, is: "ya"}\n',
        "indicators/03_sipp.yaml",
        'is: "ya"',
        "error",
        "rules",
        "expected true or false for bool fact sipp.booklet, found 'ya'",
    ),
    (
        "an enum value that does not exist",
        "indicators/05_kualitas_pelayanan.yaml",
        'ikm.menpan_rb_nilai, at_least: "A+"',
        'ikm.menpan_rb_nilai, at_least: "AA"',
        "indicators/05_kualitas_pelayanan.yaml",
        '"AA"',
        "error",
        "rules",
        "'AA' is not a value of enum ikm_grade",
    ),
    (
        "a level outside 1..5",
        KINERJA,
        '      - level: 5\n        source: "(5) jika sudah mendapatkan hak akses >10"',
        '      - level: 6\n        source: "(5) jika sudah mendapatkan hak akses >10"',
        KINERJA,
        "- level: 6",
        "error",
        "rules",
        "indicator HAK_AKSES: level 6 is outside 1..5",
    ),
    (
        "a level below 1",
        KINERJA,
        '      - level: 5\n        source: "(5) jika sudah mendapatkan hak akses >10"',
        '      - level: 0\n        source: "(5) jika sudah mendapatkan hak akses >10"',
        KINERJA,
        "- level: 0",
        "error",
        "schema",
        "0 is less than the least allowed value 1",
    ),
    (
        "a duplicate indicator id",
        KINERJA,
        "  - id: I22\n",
        "  - id: I21\n",
        KINERJA,
        "  - id: I21\n    number: 22",
        "error",
        "rules",
        "indicator id I21 is defined twice",
    ),
    (
        "a duplicate indicator number",
        KINERJA,
        "    number: 22\n",
        "    number: 21\n",
        KINERJA,
        "  - id: I22",
        "error",
        "duplicate-number",
        "indicator I22 has number 21, already used by I21",
    ),
    (
        "an indicator without levels",
        "indicators/10_sdm.yaml",
        '    levels:\n      - level: 1\n        source: "Nilai (1) jika petugas front office',
        '    levels: []\n    unused:\n      - level: 1\n        source: "Nilai (1) jika petugas front office',
        "indicators/10_sdm.yaml",
        "levels: []",
        "error",
        "schema",
        "this list needs at least 1 item, it has 0",
    ),
    (
        "a level without a rubric sentence",
        KINERJA,
        'source: "Nilai (4) jika capaian 90-98%"',
        'source: "   "',
        KINERJA,
        'source: "   "',
        "error",
        "empty-source",
        "level 4 of I18 has no rubric sentence in 'source'",
    ),
    (
        "a source that is not the rubric's sentence",
        KINERJA,
        'source: "Nilai (4) jika capaian 90-98%"',
        'source: "Nilai (4) jika capaian 90 sampai 98%"',
        KINERJA,
        "90 sampai 98%",
        "error",
        "source-not-verbatim",
        "the source of I18.L4 does not occur in the rubric text",
    ),
    (
        "weights that do not sum to 100",
        "ruleset.yaml",
        "    weight: 3\n",
        "    weight: 4\n",
        "ruleset.yaml",
        "  - id: standar_pelayanan",
        "error",
        "rules",
        "aspect weights sum to 101, expected 100",
    ),
    (
        "an indicator in no aspect",
        "ruleset.yaml",
        "indicators: [I29, I30]",
        "indicators: [I29]",
        "indicators/13_go_digital.yaml",
        "- id: I30",
        "error",
        "rules",
        "indicator I30 is in no aspect",
    ),
    (
        "a threshold that disagrees with the quoted rubric",
        KINERJA,
        L5_I18,
        "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 97}",
        KINERJA,
        'source: "Nilai (5) jika capaian >98%"',
        "warning",
        "source-number",
        "the source of I18.L5 names '98' ('jika capaian >98%'), but no constant of the level is 98 or 0.98 (its constants: 97)",
    ),
    (
        "a lookup band that disagrees with the quoted rubric (thousands written with dots)",
        "ruleset.yaml",
        "between: [500000, 1500000], result: 3}\n      - {greater_than: 1500000, result: 4}",
        "between: [500000, 1400000], result: 3}\n      - {greater_than: 1400000, result: 4}",
        "indicators/06_inovasi.yaml",
        'source: "Nilai (5) Jika Inovasi pelayanan',
        "warning",
        "source-number",
        "the source of I13.L5 names '1.500.000' ('dan penduduk >1.500.000 paling lama'), but no constant of the level is 1500000",
    ),
    (
        "an interpretation the register does not define",
        "indicators/01_standar_pelayanan.yaml",
        "interpretation: [R10, R11, R35]",
        "interpretation: [R10, R99, R35]",
        "indicators/01_standar_pelayanan.yaml",
        "interpretation: [R10, R99, R35]",
        "error",
        "unknown-interpretation",
        "I01.L3 cites interpretation 'R99', but the register (interpretations.yaml, R00 to R62) does not define it",
    ),
    (
        "a misspelt interpretation id",
        "indicators/01_standar_pelayanan.yaml",
        "interpretation: [R10, R11, R35]",
        "interpretation: [R10, R011, R35]",
        "indicators/01_standar_pelayanan.yaml",
        "interpretation: [R10, R011, R35]",
        "error",
        "unknown-interpretation",
        "does not define it; did you mean 'R11'?",
    ),
    (
        "a reading whose rubric words are not verbatim",
        "interpretations.yaml",
        "      - 'dengan nilai minimal B'",
        "      - 'dengan nilai paling sedikit B'",
        "interpretations.yaml",
        "'dengan nilai paling sedikit B'",
        "error",
        "settles-not-verbatim",
        "R04 settles words that do not occur in the rubric text (rubric/*.txt): 'dengan nilai paling sedikit B'",
    ),
    (
        "a reading no level cites",
        "interpretations.yaml",
        "  R51:\n",
        "  R90:\n    text_id: 'Tafsiran baru.'\n    text_en: 'A new reading.'\n  R51:\n",
        "interpretations.yaml",
        "text_id: 'Tafsiran baru.'",
        "warning",
        "unused-interpretation",
        "interpretation R90 is in the register but no level or constraint cites it",
    ),
    (
        "a register entry without its English text",
        "interpretations.yaml",
        "  R51:\n",
        "  R90:\n    text_id: 'Tafsiran baru.'\n  R51:\n",
        "interpretations.yaml",
        "text_id: 'Tafsiran baru.'",
        "error",
        "schema",
        "the required key 'text_en' is absent",
    ),
    (
        "a YAML alias",
        "ruleset.yaml",
        "    weight: 3\n",
        "    weight: &w 3\n",
        "ruleset.yaml",
        "&w",
        "error",
        "yaml",
        "YAML anchors (&w) are not allowed in rule files",
    ),
    (
        "a YAML tag",
        "ruleset.yaml",
        "    weight: 3\n",
        "    weight: !!int 3\n",
        "ruleset.yaml",
        "!!int",
        "error",
        "yaml",
        "YAML tags (tag:yaml.org,2002:int) are not allowed in rule files",
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_rule_is_reported_at_its_line(rules_copy, case):
    _, name, old, new, at_file, marker, severity, code, fragment = case
    edit(rules_copy, name, old, new)
    report = lint(rules_copy)
    line = line_of(rules_copy / at_file, marker)
    matching = [d for d in report.diagnostics if d.code == code and fragment in d.message]
    shown = "\n".join(str(d) for d in report.diagnostics)
    assert matching, f"no {code} diagnostic with {fragment!r}; got:\n{shown}"
    found = matching[0]
    assert (found.file, found.line, found.severity) == (str(rules_copy / at_file), line, severity), shown
    assert str(found).startswith(f"{rules_copy / at_file}:{line}:{found.column}: {severity} {code} ")
    assert report.ok == (severity != "error" and not report.errors)


def test_unsatisfiable_message_names_the_other_line(rules_copy):
    edit(rules_copy, KINERJA, L5_I18, BROKEN[4][3])
    first = line_of(rules_copy / KINERJA, "- {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}")
    (found,) = [d for d in lint(rules_copy).diagnostics if d.code == "unsatisfiable"]
    assert found.message.endswith(f"(line {first})")


def test_cli_exit_codes_and_format(rules_copy):
    runner = CliRunner()
    clean = runner.invoke(main, ["lint", str(rules_copy)])
    assert clean.exit_code == 0
    edit(rules_copy, KINERJA, "between: [90, 98]", "between: [91, 98]")
    warned = runner.invoke(main, ["lint", str(rules_copy)])
    assert warned.exit_code == 0  # warnings alone pass
    # The moved bound is also a number of the rubric's sentence ("90-98%") the level no longer has.
    assert warned.output.splitlines()[-1] == f"{rules_copy}: 0 errors, 2 warnings (5 acknowledged)"
    edit(rules_copy, KINERJA, "at_least: 100}", "greater_than: 100}")
    failed = runner.invoke(main, ["lint", str(rules_copy)])
    assert failed.exit_code == 1
    lines = failed.output.splitlines()
    assert lines[-1] == f"{rules_copy}: 1 error, 2 warnings (5 acknowledged)"
    assert all(line.split(": ", 1)[1].split(" ", 1)[0] in ("error", "warning") for line in lines[:-1])
    data = json.loads(runner.invoke(main, ["lint", str(rules_copy), "--format", "json"]).output)
    assert (data["errors"], data["warnings"], data["analysed"]) == (1, 2, True)
    assert {d["code"] for d in data["diagnostics"] if "acknowledged" not in d} == {"unsatisfiable", "bracket-gap", "source-number"}
    assert all(set(d) >= {"file", "line", "column", "severity", "code", "message", "subject"} for d in data["diagnostics"])


def test_load_failure_reports_every_loader_problem_and_says_analysis_waits(rules_copy):
    edit(rules_copy, KINERJA, "kinerja.pks_opd_pct, at_least: 90", "kinerja.pks_opd_pc, at_least: 90")
    edit(rules_copy, "ruleset.yaml", "    weight: 3\n", "    weight: 4\n")
    result = CliRunner().invoke(main, ["lint", str(rules_copy)])
    assert result.exit_code == 1
    assert result.output.count(": error ") == 2
    assert result.output.splitlines()[-1] == f"{rules_copy}: 2 errors, 0 warnings; the static checks run once the rules load"


def test_oversized_file_is_refused(rules_copy):
    path = rules_copy / "indicators" / "99_besar.yaml"
    path.write_text("# " + "x" * (1024 * 1024) + "\nindicators: []\n", encoding="utf-8")
    (found,) = lint(rules_copy).diagnostics
    assert (found.code, found.file) == ("yaml", str(path)) and "over the limit of 1048576 bytes" in found.message


@pytest.mark.parametrize("make", ["missing", "file", "empty"])
def test_not_a_rules_folder(tmp_path, make):
    target = tmp_path / "rules"
    if make == "file":
        target.write_text("x", encoding="utf-8")
    elif make == "empty":
        target.mkdir()
    result = CliRunner().invoke(main, ["lint", str(target)])
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    if make == "empty":
        assert result.exit_code == 1 and "missing ruleset.yaml" in result.output


def test_fixture_gap_is_real(mini):
    """The small fixture leaves grade B without a level: lint says so, and evaluation agrees."""
    from pentas_rules.engine.evaluate import evaluate_indicator

    (found,) = lint(MINI).diagnostics
    assert found.code == "bracket-gap" and "mutu.nilai = {B}" in found.message
    assert evaluate_indicator(mini, "P02", {"mutu.nilai": "B", "mutu.hari": 0, "meta.population": 10}).level == 0


def test_acknowledged_warning(mini_copy):
    (mini_copy / "lint.yaml").write_text(
        'acknowledged:\n  - code: bracket-gap\n    subject: P02:mutu.nilai\n    reason: "The fixture\'s rubric gives B nothing, on purpose"\n',
        encoding="utf-8",
    )
    report = lint(mini_copy)
    assert report.warnings == () and len(report.acknowledged) == 1
    assert report.acknowledged[0].acknowledged == "The fixture's rubric gives B nothing, on purpose"
    assert report.summary().endswith("0 errors, 0 warnings (1 acknowledged)")
    result = CliRunner().invoke(main, ["lint", str(mini_copy)])
    assert result.exit_code == 0 and result.output == f"{mini_copy}: 0 errors, 0 warnings (1 acknowledged)\n"


def test_stale_and_malformed_acknowledgements(mini_copy):
    ack = mini_copy / "lint.yaml"
    ack.write_text("acknowledged:\n  - code: never-highest\n    subject: P01.L3\n    reason: gone\n  - code: bracket-gap\n", encoding="utf-8")
    report = lint(mini_copy)
    codes = sorted((d.code, d.line) for d in report.diagnostics if d.file == str(ack))
    assert codes == [("schema", 5), ("stale-acknowledgement", 2)]
    assert not report.ok


def test_lint_output_is_deterministic(rules_copy):
    edit(rules_copy, KINERJA, L5_I18, "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 97}")
    edit(rules_copy, "indicators/01_standar_pelayanan.yaml", "standar_pelayanan.komputer_publik", "standar_pelayanan.komputer_ruang_layanan")
    runs = {CliRunner().invoke(main, ["lint", str(rules_copy), "--format", "json"]).output for _ in range(2)}
    assert len(runs) == 1


def test_lookup_bands_that_leave_a_gap(mini_copy):
    path = mini_copy / "ruleset.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('{op: "<", value: 500000, result: 2}', '{op: "<", value: 400000, result: 2}'), encoding="utf-8")
    found = [d for d in lint(mini_copy).diagnostics if d.code == "lookup-gap"]
    assert len(found) == 1 and found[0].severity == "warning"
    assert "no band covers meta.population = 400000..499999" in found[0].message and found[0].line is not None


@pytest.mark.parametrize(
    "source, numbers",
    [
        ("Nilai (5) jika capaian >98%", {"98": {98, Fraction(98, 100)}}),
        ("(3)jika sudah melaksanakan PKS dengan OPD sebesar 80%", {"80": {80, Fraction(80, 100)}}),  # the level's marker is not a number
        ("Nilai (4) jika capaian 90-98%", {"90": {90, Fraction(90, 100)}, "98": {98, Fraction(98, 100)}}),  # "%" after a range: both ends
        ("(3) jika sudah mendapatkan hak akses 1-3", {"1": {1}, "3": {3}}),
        ("penduduk 500.000 s.d 1.500.000 paling lama 3 (tiga) hari", {"500.000": {500000}, "1.500.000": {1500000}, "3": {3}}),
        ("capaian 99,5%", {"99,5": {Fraction(199, 2), Fraction(199, 200)}}),  # decimal comma
        ("ruangan bermain untuk anak2 dan kaca pembatas covid-19", {}),  # digits inside words
    ],
)
def test_numbers_read_from_a_source(source, numbers):
    from pentas_rules.maintenance.lint import _source_numbers

    found = {n.text: set(n.readings) for n in _source_numbers(source)}
    assert found == numbers
