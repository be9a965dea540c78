"""`pentas diff`: what a rule change does to the rules and to every office's score."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from pentas_rules.batch.corpus import find_evidence_files
from pentas_rules.files.record import replace
from pentas_rules.maintenance.diff import OfficeSide, _ranks, _swapped_pairs, structure_diff
from pentas_rules.ruleset.cache import load_ruleset_cached

from .conftest import GOLDEN, MINI, PENTAS_EVIDENCE_OPTIONS, PENTAS_INPUTS_RELATIVE, ROOT, RULES, SAMPLES
from .ruletools import edit, run

KINERJA = "indicators/09_kinerja.yaml"


def perekaman(path: str) -> float | None:
    value = json.loads(Path(path).read_text(encoding="utf-8"))["facts"].get("kinerja", {}).get("perekaman_ktp_el_pct")
    return value["value"] if isinstance(value, dict) else value


def test_one_threshold_moves_exactly_the_offices_at_that_threshold(rules_copy, monkeypatch):
    """The done-when check: "90-98%" / ">98%" becomes "90-97%" / ">97%" in a copy of the rules."""
    edit(rules_copy, KINERJA, "between: [90, 98]", "between: [90, 97]")
    edit(rules_copy, KINERJA, "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}", "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 97}")
    monkeypatch.chdir(ROOT)
    files = find_evidence_files(PENTAS_INPUTS_RELATIVE)
    expected = sorted(f for f in files if (v := perekaman(f)) is not None and 97 < v <= 98)
    assert expected, "the samples should hold an office between 97 and 98"

    result = run("diff", "rules/pentas-2021", str(rules_copy), *PENTAS_EVIDENCE_OPTIONS, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [c["subject"] for c in data["structure"]] == ["I18 level 4", "I18 level 5"]
    assert data["structure"][1]["rubric"] == "Nilai (5) jika capaian >98%"
    assert data["structure"][1]["details"] == ["condition changed: kinerja.perekaman_ktp_el_pct > 98 -> kinerja.perekaman_ktp_el_pct > 97"]
    impact = data["impact"]
    assert sorted(o["file"] for o in impact["offices"]) == expected
    for office in impact["offices"]:
        assert office["moves"] == [{"indicator": "I18", "old": 4, "new": 5}]
        assert office["delta"] == {"exact": "1/6", "display": "+0.17"}  # one of Kinerja's six indicators, weight 5
    summary = impact["summary"]
    assert (summary["offices"], summary["compared"], summary["affected"]) == (len(files), len(files), len(expected))

    # ranks are competition ranks (ties share the best) of the totals, checked from the golden results
    old_totals = {f: Fraction(json.loads((GOLDEN / Path(f).relative_to("evidence_samples")).read_text(encoding="utf-8"))["total"]["exact"]) for f in files}
    new_totals = {f: t + (Fraction(1, 6) if f in expected else 0) for f, t in old_totals.items()}
    for office in impact["offices"]:
        for side, totals in (("old", old_totals), ("new", new_totals)):
            assert Fraction(office[side]["total"]["exact"]) == totals[office["file"]]
            assert office[side]["rank"] == 1 + sum(t > totals[office["file"]] for t in totals.values())
    changed_rank = [f for f in files if 1 + sum(t > old_totals[f] for t in old_totals.values()) != 1 + sum(t > new_totals[f] for t in new_totals.values())]
    assert summary["rank_changes"] == len(changed_rank)
    moved_rank = [o["file"] for o in impact["offices"] if o["old"]["rank"] != o["new"]["rank"]]
    assert sorted(moved_rank + [o["file"] for o in impact["rank_only"]]) == sorted(changed_rank)
    for office in impact["rank_only"]:
        assert office["file"] not in expected and office["old_rank"] != office["new_rank"]

    text = run("diff", "rules/pentas-2021", str(rules_copy), *PENTAS_EVIDENCE_OPTIONS)
    lines = text.output.splitlines()
    for path in expected:
        i = lines.index(next(line for line in lines if line.startswith(f"  {path}  ")))
        assert lines[i + 1].startswith("      total ") and "(+0.17)" in lines[i + 1]
        assert lines[i + 2] == "      I18: 4 -> 5"
    # Indonesian, the default language, deliberately: the summary is the diff's last word.
    assert lines[-1].startswith(f"Ringkasan: {len(expected)} dari {len(files)} kantor terdampak; perubahan terbesar ")
    assert "        rubrik: Nilai (4) jika capaian 90-98%" in lines


def test_fail_on_change(rules_copy, monkeypatch, english):
    monkeypatch.chdir(ROOT)
    same = run("diff", "rules/pentas-2021", str(rules_copy), *PENTAS_EVIDENCE_OPTIONS, "--fail-on-change")
    assert same.exit_code == 0 and "Structure: 0 changes" in same.output and "no office's levels or total change" in same.output
    edit(rules_copy, KINERJA, "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}", "when: {fact: kinerja.perekaman_ktp_el_pct, at_least: 98}")
    assert run("diff", "rules/pentas-2021", str(rules_copy), *PENTAS_EVIDENCE_OPTIONS, "--fail-on-change").exit_code == 1
    assert run("diff", "rules/pentas-2021", str(rules_copy), *PENTAS_EVIDENCE_OPTIONS).exit_code == 0


def test_structural_changes_are_all_named(rules_copy):
    edit(rules_copy, "ruleset.yaml", "    weight: 3\n    indicators: [I01]", "    weight: 4\n    indicators: [I01]")
    edit(
        rules_copy,
        "ruleset.yaml",
        '    name_id: "Sarana dan Prasarana"\n    name_en: "Facilities and infrastructure"\n    weight: 5',
        '    name_id: "Sarana dan Prasarana"\n    name_en: "Facilities and infrastructure"\n    weight: 4',
    )
    edit(rules_copy, KINERJA, 'source: "Nilai (3) jika capaian < 90%"', 'source: "Nilai (3) jika capaian kurang dari 90%"')
    edit(
        rules_copy,
        "indicators/10_sdm.yaml",
        '      - level: 1\n        source: "Nilai (1) jika petugas front office',
        '      - level: 2\n        source: "Nilai (1) jika petugas front office',
    )
    edit(rules_copy, "facts.yaml", "      kia_pct: {type: number", "      kia_pct: {type: integer")
    edit(
        rules_copy,
        KINERJA,
        "between: [1, 3]}",
        'between: [1, 3]}\n      - level: 2\n        source: "tambahan"\n        when: {fact: kinerja.hak_akses_jumlah, is: 0}',
    )
    old, new = load_ruleset_cached(RULES), load_ruleset_cached(rules_copy)
    changes = {(c.section, c.kind, c.subject): c for c in structure_diff(old, new)}
    assert changes[("aspects", "changed", "aspect standar_pelayanan")].details == ("weight: 3 -> 4",)
    assert changes[("aspects", "changed", "aspect sarana_prasarana")].details == ("weight: 5 -> 4",)
    assert changes[("indicators", "changed", "I18 level 3")].details == ("source: Nilai (3) jika capaian < 90% -> Nilai (3) jika capaian kurang dari 90%",)
    assert changes[("indicators", "removed", "I23 level 1")].rubric.startswith("Nilai (1) jika petugas front office")
    assert changes[("indicators", "added", "I23 level 2")].details == ("condition: sdm.front_office_paham_aturan == true",)
    assert changes[("indicators", "added", "HAK_AKSES level 2")].details == ("condition: kinerja.hak_akses_jumlah == 0",)
    assert changes[("facts", "retyped", "fact kinerja.kia_pct")].details == ("type: number, percent, 0..200 -> integer, percent, 0..200",)
    assert len(changes) == 7


@pytest.mark.usefixtures("english")
def test_different_catalogues_report_each_office(rules_copy, monkeypatch, english):
    """A renamed fact: the diff names it, and each office holding the old name is invalid under the new rules."""
    facts = rules_copy / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("      kia_pct:", "      kia_persen:"), encoding="utf-8")
    rules = rules_copy / KINERJA
    rules.write_text(rules.read_text(encoding="utf-8").replace("kinerja.kia_pct", "kinerja.kia_persen"), encoding="utf-8")
    monkeypatch.chdir(ROOT)
    result = run("diff", "rules/pentas-2021", str(rules_copy), *PENTAS_EVIDENCE_OPTIONS, "--format", "json", "--fail-on-change")
    assert result.exit_code == 1
    data = json.loads(result.output)
    facts_changes = [(c["kind"], c["subject"]) for c in data["structure"] if c["section"] == "facts"]
    assert facts_changes == [("removed", "fact kinerja.kia_pct"), ("added", "fact kinerja.kia_persen")]
    holding = [f for f in find_evidence_files(PENTAS_INPUTS_RELATIVE) if "kia_pct" in Path(f).read_text(encoding="utf-8")]
    invalid = [o for o in data["impact"]["offices"] if "error" in o["new"]]
    assert sorted(o["file"] for o in invalid) == sorted(holding)
    assert all("unknown fact 'kinerja.kia_pct' (did you mean 'kinerja.kia_persen'?)" in o["new"]["error"] and "total" in o["old"] for o in invalid)
    assert data["impact"]["summary"]["invalid"]["new_only"] == len(holding)
    text = run("diff", "rules/pentas-2021", str(rules_copy), *PENTAS_EVIDENCE_OPTIONS).output
    assert "  Fact catalogue (1 added, 1 removed):" in text and "invalid under new rules: $.facts.kinerja.kia_pct" in text


def test_broken_evidence_is_reported_and_the_rest_compared(rules_copy, tmp_path, english):
    evidence = tmp_path / "bukti"
    evidence.mkdir()
    shutil.copy(SAMPLES / "kab-bandung-barat-batas.json", evidence / "a.json")
    (evidence / "b.json").write_text("[1, 2", encoding="utf-8")
    edit(rules_copy, KINERJA, "when: {fact: kinerja.perekaman_ktp_el_pct, greater_than: 98}", "when: {fact: kinerja.perekaman_ktp_el_pct, at_least: 98}")
    result = run("diff", str(RULES), str(rules_copy), "--evidence", str(evidence))
    assert result.exit_code == 0
    assert f"  {evidence / 'a.json'}  " in result.output and "      I18: 4 -> 5" in result.output
    assert "Not scored under either ruleset:\n" in result.output and f"  {evidence / 'b.json'}: " in result.output
    assert "invalid: 0 under old only, 0 under new only, 1 under both" in result.output
    markdown = run("diff", str(RULES), str(rules_copy), "--evidence", str(evidence), "--format", "markdown").output
    assert "| file | office | total | change | rank | indicators moved |" in markdown
    assert f"| `{evidence / 'a.json'}` | " in markdown and "| +0.17 | rank 1 | I18: 4 -> 5 |" in markdown


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    "args, message, code",
    [
        (["nope", str(RULES)], "not a rules directory", 1),
        ([str(RULES), str(RULES), "--evidence", "/no/such/dir"], "does not exist", 2),
        ([str(RULES)], "Missing argument", 2),
    ],
)
def test_bad_arguments(args, message, code):
    result = run("diff", *args)
    assert result.exit_code == code and message in result.output


def git(repo: Path, *args: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(MINI, root / "rules" / "mini")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "mini")
    edit(root / "rules" / "mini", "indicators/02.yaml", 'op: ">", value: 98}', 'op: ">", value: 95}')
    git(root, "commit", "-q", "-am", "lower the threshold")
    return root


def test_git_revisions(repo, monkeypatch, english):
    monkeypatch.chdir(repo)
    both = run("diff", "git:HEAD~1:rules/mini", "git:HEAD:rules/mini")
    assert both.exit_code == 0, both.output
    assert "    changed P03 level 5  (indicators/02.yaml:14:9)" in both.output
    assert "        condition changed: kinerja.capaian_pct > 98 -> kinerja.capaian_pct > 95" in both.output
    # without a folder, git:REV takes the other side's folder
    against_tree = run("diff", "git:HEAD~1", "rules/mini", "--format", "json")
    assert against_tree.exit_code == 0, against_tree.output
    assert json.loads(against_tree.output)["old"]["rules"] == "git:HEAD~1"
    assert [c["subject"] for c in json.loads(against_tree.output)["structure"]] == ["P03 level 5"]


@pytest.mark.parametrize(
    "spec, message",
    [
        ("git:no-such-rev", "git:no-such-rev: no revision 'no-such-rev' in the repository"),
        ("git:HEAD:rules/none", "git:HEAD:rules/none: there is no folder rules/none at revision HEAD"),
        ("git:", "name a revision after 'git:'"),
    ],
)
def test_bad_git_revisions(repo, monkeypatch, spec, message, english):
    monkeypatch.chdir(repo)
    result = run("diff", spec, "rules/mini")
    assert result.exit_code == 1 and message in result.output


def test_git_revision_with_broken_rules_names_the_revision(repo, monkeypatch, english):
    edit(repo / "rules" / "mini", "ruleset.yaml", "weight: 40", "weight: 41")
    git(repo, "commit", "-q", "-am", "break the weights")
    monkeypatch.chdir(repo)
    result = run("diff", "git:HEAD:rules/mini", "git:HEAD~1:rules/mini")
    assert result.exit_code == 1
    assert "git:HEAD:rules/mini/ruleset.yaml:" in result.output
    assert "aspect weights sum to 101" in result.output and "pentas-diff-" not in result.output


def test_ranks_and_swaps():
    sides = [OfficeSide(Fraction(t), ()) if t is not None else OfficeSide(None, (), "bad") for t in (90, 80, 80, None, 70)]
    assert _ranks(sides) == {0: 1, 1: 2, 2: 2, 4: 4}
    # (old, new): A above B and C before; after, C above A; B and C were tied, so they never swap
    assert _swapped_pairs([(Fraction(3), Fraction(1)), (Fraction(2), Fraction(2)), (Fraction(2), Fraction(5))]) == 2
    assert _swapped_pairs([(Fraction(1), Fraction(1)), (Fraction(1), Fraction(2))]) == 0
    assert _swapped_pairs([]) == 0


def test_output_is_byte_identical_across_hash_seeds(repo):
    outputs = set()
    for seed in ("0", "1"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        args = ["diff", "git:HEAD~1:rules/mini", "rules/mini", "--evidence", str(SAMPLES / "kota-bandung.json"), "--format", "json"]
        done = subprocess.run([sys.executable, "-m", "pentas_rules.cli", *args], cwd=repo, env=env, capture_output=True, check=False)
        outputs.add(done.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["structure"][0]["subject"] == "P03 level 5"


def test_things_on_one_side_only_are_added_or_removed_with_their_details():
    """Every section words a thing on one side only the same way: removed from the old side,
    added on the new, with where it is and what it holds."""
    old = load_ruleset_cached(RULES)
    renamed = {f"{k}_baru": v for k, v in old.lookups.items()}
    enums = {f"{k}_baru": v for k, v in old.catalogue.enums.items()}
    new = replace(old, aspects=old.aspects[1:], lookups=renamed, catalogue=replace(old.catalogue, enums=enums))
    changes = {(c.section, c.kind, c.subject): c for c in structure_diff(old, new)}
    first = old.aspects[0]
    gone = changes[("aspects", "removed", f"aspect {first.id}")]
    assert (gone.where, gone.rubric) == (str(first.where), first.name_id)
    assert gone.details == (f"weight {first.weight}, indicators [{', '.join(first.indicator_ids)}]",)
    for name, lookup in old.lookups.items():
        assert changes[("lookups", "removed", f"lookup {name}")].rubric == lookup.description_id
        assert changes[("lookups", "added", f"lookup {name}_baru")].details == changes[("lookups", "removed", f"lookup {name}")].details
    for name, enum in old.catalogue.enums.items():
        assert changes[("enums", "removed", f"enum {name}")].details == (f"values [{', '.join(enum.values)}]",)
        assert changes[("enums", "added", f"enum {name}_baru")].where == "ruleset.yaml"
    assert len(changes) == 1 + 2 * len(old.lookups) + 2 * len(old.catalogue.enums)
    assert structure_diff(old, old) == ()
