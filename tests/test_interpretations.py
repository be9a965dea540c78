"""The interpretation register as ruleset data: loaded and checked with the rules, and readable
where it is cited (`pentas explain`, the report's appendix), in the language asked."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from pentas_rules.cli import main
from pentas_rules.engine.evaluate import evaluate
from pentas_rules.errors import RulesError
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.maintenance.lint import lint
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.text.report import render_report

from .conftest import MINI, ROOT, RULES, SAMPLES
from .ruletools import edit, line_of

SINJAI = SAMPLES / "kab-sinjai.json"


def _score(ruleset, path=SINJAI):
    raw = path.read_bytes()
    return evaluate(ruleset, parse_evidence(raw, str(path), ruleset), raw)


# -- the register as data --------------------------------------------------------------------


def test_register_is_loaded_with_both_languages_and_its_rubric_words(ruleset):
    register = ruleset.interpretations
    assert list(register) == [f"R{n:02d}" for n in range(63)]
    r02 = register["R02"]
    assert r02.settles == ("< 90%", "90-98%", ">98%")
    assert r02.text("en").startswith('"<" strictly less') and r02.text("id").startswith('"<" berarti kurang dari')
    assert r02.where is not None and r02.where.file == "interpretations.yaml" and r02.where.line
    general = {"R00", "R54"}  # every level; every office's metadata
    assert all(register[rid].kind == "general" for rid in general)
    assert all(r.kind == "reading" for rid, r in register.items() if rid not in general)
    assert all(r.text_id != r.text_en for r in register.values())


def test_every_cited_reading_is_defined(ruleset):
    cited = {rid for ind in ruleset.indicators.values() for level in ind.levels for rid in level.interpretation}
    assert cited and cited <= set(ruleset.interpretations)


def test_readme_points_to_the_register_instead_of_restating_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "rules/pentas-2021/interpretations.yaml" in readme
    assert not re.search(r"^\| R\d+ \|", readme, flags=re.MULTILINE), "the README restates register entries"


def test_cached_ruleset_keeps_the_register(rules_copy):
    first = load_ruleset_cached(rules_copy)
    again = load_ruleset_cached(rules_copy)  # from the rule cache
    assert again.interpretations == first.interpretations and again.fingerprint == first.fingerprint


def test_register_is_part_of_the_fingerprint(rules_copy):
    before = load_ruleset_cached(rules_copy).fingerprint
    edit(rules_copy, "interpretations.yaml", "Ketiganya mengenai standar pelayanan", "Ketiganya tentang standar pelayanan")
    after = load_ruleset_cached(rules_copy)
    assert after.fingerprint != before and "Ketiganya tentang" in after.interpretations["R12"].text_id


def test_citing_without_a_register_loads_but_lint_reports_it_with_its_place(rules_copy, english):
    # A ruleset from before the register (an old git revision) must still load, for `pentas diff git:OLD`.
    (rules_copy / "interpretations.yaml").unlink()
    assert load_ruleset_cached(rules_copy).interpretations == {}
    report = lint(rules_copy)
    found = [d for d in report.diagnostics if d.code == "unknown-interpretation"]
    assert len(found) == sum(1 for ind in load_ruleset_cached(RULES).indicators.values() for level in ind.levels if level.interpretation)
    first = found[0]
    assert first.severity == "error" and not report.ok
    assert first.message == "I01.L3 cites interpretations R10, R11, R35, but the ruleset has no interpretations.yaml to define them"
    assert (first.file, first.line) == (
        str(rules_copy / "indicators/01_standar_pelayanan.yaml"),
        line_of(rules_copy / "indicators/01_standar_pelayanan.yaml", "interpretation: [R10, R11, R35]"),
    )


def test_an_undefined_id_is_refused_on_load_when_there_is_a_register(rules_copy):
    edit(rules_copy, "indicators/01_standar_pelayanan.yaml", "interpretation: [R10, R11, R35]", "interpretation: [R10, R99, R35]")
    with pytest.raises(RulesError) as caught:
        load_ruleset_cached(rules_copy)
    assert [p.code for p in caught.value.problems] == ["unknown-interpretation"]


def test_a_ruleset_without_register_or_citations_loads():
    assert load_ruleset_cached(MINI).interpretations == {}


def test_undefined_id_is_a_located_error_on_every_command(rules_copy, english):
    edit(rules_copy, "indicators/01_standar_pelayanan.yaml", "interpretation: [R10, R11, R35]", "interpretation: [R10, R99, R35]")
    result = CliRunner().invoke(main, ["score", str(SINJAI), "--rules", str(rules_copy)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    line = line_of(rules_copy / "indicators/01_standar_pelayanan.yaml", "interpretation: [R10, R99, R35]")
    assert f"indicators/01_standar_pelayanan.yaml:{line}:" in result.output and "I01.L3 cites interpretation 'R99'" in result.output


# -- explain -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang, heading, r02",
    [
        ("id", "Tafsiran yang dipakai:", '  R02  "<" berarti kurang dari (tidak termasuk batasnya)'),
        ("en", "Interpretations relied on:", '  R02  "<" strictly less; "a-b" is a <= x <= b; ">" strictly greater.'),
    ],
)
def test_explain_prints_the_readings_it_cites(lang, heading, r02):
    out = CliRunner().invoke(main, ["explain", str(SINJAI), "I18", "--lang", lang]).output
    block = out[out.index(heading) :].splitlines()
    assert block[0] == heading
    assert block[1].startswith(r02)
    ids = [line.split()[0] for line in block[1:] if line.startswith("  R")]
    assert ids == ["R02", "R51", "R53"]  # once each, in register order, though every level cites R02


def test_explain_of_an_indicator_citing_nothing_has_no_readings_block(rules_copy):
    path = rules_copy / "indicators/09_kinerja.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("        interpretation: [R28]\n", ""), encoding="utf-8")
    out = CliRunner().invoke(main, ["explain", str(SINJAI), "HAK_AKSES", "--rules", str(rules_copy)]).output
    assert "Nilai yang diberikan" in out and "Tafsiran yang dipakai" not in out


def test_explain_json_carries_the_readings_in_both_languages(ruleset):
    data = json.loads(CliRunner().invoke(main, ["explain", str(SINJAI), "I01", "--format", "json"]).output)
    cited = sorted({rid for level in ruleset.indicators["I01"].levels for rid in level.interpretation})
    assert [r["id"] for r in data["interpretations"]] == cited
    r10 = data["interpretations"][0]
    assert r10 == ruleset.interpretations["R10"].to_dict() and r10["text_id"] and r10["text_en"]


# -- the report's appendix ---------------------------------------------------------------------


class _Page(HTMLParser):
    """Element ids, link targets and the text of each <dd> of the readings appendix."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.readings: dict[str, str] = {}
        self._dt: str | None = None
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#reading-"):
            self.links.append(attrs["href"][1:])
        if tag == "dt" and attrs.get("id", "").startswith("reading-"):
            self._dt = attrs["id"].removeprefix("reading-")
        self._in = tag

    def handle_data(self, data):
        if self._in == "dd" and self._dt is not None:
            self.readings[self._dt] = self.readings.get(self._dt, "") + data

    def handle_endtag(self, tag):
        if tag == "dd":
            self._dt = None
        self._in = None


@pytest.mark.parametrize("lang, title", [("id", "Lampiran: Tafsiran"), ("en", "Appendix: Interpretations")])
def test_html_report_appendix_lists_every_cited_reading_and_cards_link_to_it(ruleset, lang, title):
    result = _score(ruleset)
    page = render_report(result, "html", lang)
    parsed = _Page()
    parsed.feed(page)
    cited = {rid for ir in result.indicators() if ir.awarded is not None for rid in ir.awarded.level.interpretation}
    assert f"<h2>{title}</h2>" in page and "readings" in parsed.ids
    assert set(parsed.readings) == cited
    for rid, text in parsed.readings.items():
        assert text == ruleset.interpretations[rid].text(lang)
    assert parsed.links and {link.removeprefix("reading-") for link in parsed.links} == cited
    assert all(link in parsed.ids for link in parsed.links)  # every card's id leads somewhere


@pytest.mark.parametrize("lang, title", [("id", "## Lampiran: Tafsiran"), ("en", "## Appendix: Interpretations")])
def test_markdown_report_appendix(ruleset, lang, title):
    result = _score(ruleset)
    page = render_report(result, "md", lang)
    appendix = page[page.index(title) :]
    listed = re.findall(r"^- \*\*(R\d+)\*\*: ", appendix, flags=re.MULTILINE)
    cited = {rid for ir in result.indicators() if ir.awarded is not None for rid in ir.awarded.level.interpretation}
    assert sorted(listed) == listed and set(listed) == cited
    assert "- **R46**: " + ruleset.interpretations["R46"].text(lang).replace("_", "\\_") in appendix


def test_report_without_cited_readings_has_no_appendix(ruleset):
    nias = SAMPLES / "kab-nias-barat-minimal.json"  # metadata only: no level awarded
    result = _score(ruleset, nias)
    assert "Lampiran: Tafsiran" not in render_report(result, "html", "id")
    assert "Lampiran: Tafsiran" not in render_report(result, "md", "id")


def test_a_constraint_citing_an_undefined_id_is_named_as_a_constraint(rules_copy, english):
    edit(rules_copy, "ruleset.yaml", '    interpretation: [R55]\n    message_id: "Rincian toilet', '    interpretation: [R95]\n    message_id: "Rincian toilet')
    with pytest.raises(RulesError) as caught:
        load_ruleset_cached(rules_copy)
    (problem,) = caught.value.problems
    line = line_of(rules_copy / "ruleset.yaml", "interpretation: [R95]")
    assert (problem.code, problem.location.line) == ("unknown-interpretation", line)
    assert problem.message.startswith("constraint toilet_ada cites interpretation 'R95'") and "did you mean 'R59'" in problem.message
