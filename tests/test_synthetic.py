"""The synthetic office generator: valid, seeded, covering every level, boundaries and ties; the committed corpus."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from pentas_rules.engine.evaluate import evaluate
from pentas_rules.evidence.reader import parse_evidence
from tools.synthetic import PROVINCES, generate_office, generate_offices, office_filename

from .conftest import ROOT, SAMPLES

CORPUS = SAMPLES / "corpus"
CORPUS_SEED = 2021  # as written in scripts/generate-offices and the README


def score(ruleset, doc):
    raw = json.dumps(doc).encode("utf-8")
    return evaluate(ruleset, parse_evidence(raw, "<synthetic>", ruleset), raw)


def plain(value):
    return value["value"] if isinstance(value, dict) else value


def test_same_seed_same_offices_other_seed_other_offices(ruleset):
    assert generate_offices(ruleset, 12, seed=3) == generate_offices(ruleset, 12, seed=3)
    assert generate_offices(ruleset, 12, seed=3) != generate_offices(ruleset, 12, seed=4)
    one = generate_office(ruleset, random.Random(9), 0)
    assert one == generate_office(ruleset, random.Random(9), 0) and one["ruleset"] == ruleset.name


@pytest.mark.parametrize("seed", [1, 2021])
def test_thirty_offices_are_valid_and_cover_every_level_of_every_indicator(ruleset, seed):
    seen = defaultdict(set)
    totals = []
    for doc in generate_offices(ruleset, 30, seed=seed):
        result = score(ruleset, doc)  # parse_evidence raises on anything invalid
        totals.append(result.total)
        for ir in result.indicators():
            seen[ir.indicator.id].add(ir.level)
    for ind_id, indicator in ruleset.indicators.items():
        assert seen[ind_id] == {0, *(level.value for level in indicator.levels)}, ind_id
    assert min(totals) < 35 and max(totals) > 80  # weak to strong


def test_boundary_values_and_missing_facts_occur(ruleset):
    # Three seeds pooled: a boundary value is drawn often but not in every 60 offices (94 %,
    # one of five bands of one fact, is absent from some seeds' draws).
    docs = [doc for seed in (5, 6, 7) for doc in generate_offices(ruleset, 60, seed=seed)]
    percents = Counter(plain(v) for d in docs for group in d["facts"].values() for name, v in group.items() if name.endswith("_pct"))
    for boundary in (85, 90, 94, 95, 98):
        assert percents[boundary] > 0, boundary
    populations = {d["meta"]["population"] for d in docs}
    assert populations & {499_999, 500_000, 500_001} and populations & {1_499_999, 1_500_000, 1_500_001}
    assert all(20_000 <= p <= 5_500_000 for p in populations)
    incomplete = sum(1 for d in docs if not score(ruleset, d).complete)
    assert 0 < incomplete < len(docs) / 2


def test_offices_are_fictional_with_real_province_prefixes(ruleset):
    provinces = dict(PROVINCES)
    codes = set()
    for doc in generate_offices(ruleset, 40, seed=8):
        meta = doc["meta"]
        prefix, regency = meta["region_code"].split(".")
        assert provinces[prefix] == meta["province"]
        # Regency numbers no real kabupaten (51-69) or kota (91-99) has.
        assert (51 <= int(regency) <= 69) if meta["office"].split()[-2] == "Kabupaten" else (91 <= int(regency) <= 99)
        codes.add(meta["region_code"])
    assert len(codes) == 40


def test_committed_corpus_is_what_the_generator_writes(ruleset):
    docs = generate_offices(ruleset, 30, seed=CORPUS_SEED)
    expected = {office_filename(doc, i): json.dumps(doc, ensure_ascii=False, indent=2) + "\n" for i, doc in enumerate(docs)}
    actual = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.json")}
    assert actual == expected, "regenerate: scripts/generate-offices 30 evidence_samples/corpus --seed 2021"


def test_committed_corpus_has_a_tie_the_tiebreak_splits_and_one_it_cannot(ruleset):
    by_total = defaultdict(list)
    for path in sorted(CORPUS.glob("*.json")):
        result = score(ruleset, json.loads(path.read_text(encoding="utf-8")))
        by_total[result.total].append(tuple(ar.contribution for ar in result.aspects))
    groups = [parts for parts in by_total.values() if len(parts) > 1]
    assert any(len(set(parts)) == 1 for parts in groups), "an exact twin"
    assert any(len(set(parts)) > 1 for parts in groups), "the same total by other means"


def test_generate_offices_script_writes_files_atomically(tmp_path):
    out = tmp_path / "kantor baru"
    subprocess.run(["bash", str(ROOT / "scripts" / "generate-offices"), "4", str(out), "--seed", "11"], check=True, cwd=ROOT)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4 and names[0].startswith("001-") and not any(n.startswith(".") for n in names)
    bad = subprocess.run([sys.executable, "-m", "tools.synthetic", "0", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "N must be at least 1" in bad.stderr
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    fails = subprocess.run([sys.executable, "-m", "tools.synthetic", "2", str(blocked / "sub")], capture_output=True, text=True, cwd=ROOT)
    assert fails.returncode == 1 and "error:" in fails.stderr and "Traceback" not in fails.stderr
    assert Path(blocked).read_text(encoding="utf-8") == "x"
