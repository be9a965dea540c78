"""Ranking rules (pure): shared ranks, exact totals, the weight tiebreak, a stable order; and its renderings."""

from __future__ import annotations

import csv
import io
import json
import random
from fractions import Fraction

import pytest

from pentas_rules.batch.leaderboard import leaderboard_csv, leaderboard_dict, leaderboard_json, leaderboard_text
from pentas_rules.batch.ranking import BatchError, LeaderboardRow, province_key, rank_rows, tiebreak_order

ZERO13 = (Fraction(0),) * 13


def row(path: str, total: Fraction | int, contributions: dict[int, Fraction] | None = None, region: str = "32.01", office: str | None = None) -> LeaderboardRow:
    parts = list(ZERO13)
    for i, value in (contributions or {}).items():
        parts[i] = value
    return LeaderboardRow(path, office or f"Kantor {path}", region, "Jawa Barat", Fraction(total), tuple(parts), 0)


def ranks(ranking) -> list[tuple[int, str]]:
    return [(r.rank, r.row.path) for r in ranking.rows]


def test_equal_totals_share_a_rank_and_the_next_rank_skips(ruleset):
    rows = [row("d", 50), row("b", 70, region="32.02"), row("a", 90), row("c", 70, region="32.01")]
    ranking = rank_rows(rows, ruleset.aspects)
    assert ranks(ranking) == [(1, "a"), (2, "c"), (2, "b"), (4, "d")]
    (tie,) = ranking.ties
    assert tie.rank == 2 and [r.path for r in tie.rows] == ["c", "b"] and tie.steps == ()


def test_totals_equal_only_when_rounded_are_not_a_tie(ruleset):
    # 75.134 and 75.126 both display as 75.13: ranking must use the exact values.
    rows = [row("low", Fraction(75126, 1000)), row("high", Fraction(75134, 1000))]
    ranking = rank_rows(rows, ruleset.aspects)
    assert ranks(ranking) == [(1, "high"), (2, "low")] and ranking.ties == ()


def test_order_within_a_tie_is_region_code_then_path_whatever_the_input_order(ruleset):
    rows = [row(f"f{i}", 60, region=f"3{i % 3}.0{i % 2}") for i in range(8)]
    expected = ranks(rank_rows(rows, ruleset.aspects))
    for seed in range(5):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        assert ranks(rank_rows(shuffled, ruleset.aspects)) == expected
    assert [p for _, p in expected] == sorted((r.path for r in rows), key=lambda p: (next(r.region_code for r in rows if r.path == p), p))


def test_tiebreak_order_is_heaviest_first_then_rubric_order(ruleset):
    order = [ruleset.aspects[i].id for i in tiebreak_order(ruleset.aspects)]
    assert order[:4] == ["go_digital", "inovasi", "sdm", "kualitas_pelayanan"]
    assert order[4:] == [a.id for a in ruleset.aspects if a.weight == 5] + ["standar_pelayanan", "sipp"]


def test_tiebreak_compares_the_heaviest_aspect_first(ruleset):
    idx = {a.id: i for i, a in enumerate(ruleset.aspects)}
    # Same total 30: "a" earns more in Inovasi (15), "b" in SDM (15, later in the rubric) and Go-Digital ties.
    a = row("a", 30, {idx["go_digital"]: Fraction(10), idx["inovasi"]: Fraction(12), idx["sdm"]: Fraction(8)}, region="99.01")
    b = row("b", 30, {idx["go_digital"]: Fraction(10), idx["inovasi"]: Fraction(9), idx["sdm"]: Fraction(11)}, region="11.01")
    plain = rank_rows([a, b], ruleset.aspects)
    assert ranks(plain) == [(1, "b"), (1, "a")]  # shared rank, region code decides the order
    broken = rank_rows([a, b], ruleset.aspects, "weight")
    assert ranks(broken) == [(1, "a"), (2, "b")]
    (tie,) = broken.ties
    (step,) = tie.steps
    assert step.upper.path == "a" and step.lower.path == "b" and ruleset.aspects[step.aspect].id == "inovasi"


def test_tiebreak_keeps_identical_contributions_tied(ruleset):
    same = {0: Fraction(3), 12: Fraction(20)}
    rows = [row("x", 23, same, region="12.01"), row("y", 23, same, region="11.01"), row("z", 40)]
    ranking = rank_rows(rows, ruleset.aspects, "weight")
    assert ranks(ranking) == [(1, "z"), (2, "y"), (2, "x")]
    (step,) = ranking.ties[0].steps
    assert step.aspect is None


def test_unknown_tiebreak_is_refused(ruleset):
    with pytest.raises(ValueError):
        rank_rows([], ruleset.aspects, "alphabet")


def test_province_key_ignores_case_and_spacing():
    assert province_key("  jawa   BARAT ") == province_key("Jawa Barat")


def _sample_ranking(ruleset, tiebreak=None):
    idx = {a.id: i for i, a in enumerate(ruleset.aspects)}
    rows = [
        row("kota.json", 90, {idx["go_digital"]: Fraction(20)}, office='Dinas Kota Ü, "Satu"'),
        row("a.json", Fraction(1127, 15), {idx["inovasi"]: Fraction(15)}, region="32.02"),
        row("b.json", Fraction(1127, 15), {idx["sdm"]: Fraction(15)}, region="32.01"),
    ]
    return rank_rows(rows, ruleset.aspects, tiebreak)


def test_csv_parses_back_with_one_header_row_and_plain_numbers(ruleset):
    text = leaderboard_csv(_sample_ranking(ruleset, "weight"), ruleset)
    assert text.startswith("\ufeff")  # Excel needs the byte-order mark to read UTF-8
    records = list(csv.DictReader(io.StringIO(text.encode("utf-8").decode("utf-8-sig"))))
    assert [r["rank"] for r in records] == ["1", "2", "3"]
    assert records[0]["office"] == 'Dinas Kota Ü, "Satu"'
    assert records[1]["total"] == "75.13" and float(records[1]["total"]) == 75.13
    assert records[1]["inovasi"] == "15.00" and records[2]["sdm"] == "15.00"
    assert records[2]["tie_decided_by"] == "inovasi" and records[1]["tie_decided_by"] == ""
    header = text.splitlines()[0].lstrip("\ufeff").split(",")
    assert header[:5] == ["rank", "total", "office", "region_code", "province"] and header[8:21] == [a.id for a in ruleset.aspects]


def test_json_keeps_exact_totals_ties_and_errors(ruleset):
    data = leaderboard_dict(_sample_ranking(ruleset), ruleset, [BatchError("bad.json", "$: malformed JSON")], "Jawa Barat")
    json.dumps(data)  # JSON-ready
    assert data["offices"][1]["total"] == {"exact": "1127/15", "display": "75.13"}
    assert data["offices"][1]["rank"] == data["offices"][2]["rank"] == 2
    assert data["ties"] == [{"total": {"exact": "1127/15", "display": "75.13"}, "rank": 2, "files": ["b.json", "a.json"]}]
    assert data["errors"] == [{"file": "bad.json", "error": "$: malformed JSON"}] and data["province"] == "Jawa Barat"


def test_text_states_how_each_tie_was_handled(ruleset):
    shared = leaderboard_text(_sample_ranking(ruleset), ruleset, [], "en")
    assert "Tie at 75.13" in shared and "share rank 2" in shared
    broken = leaderboard_text(_sample_ranking(ruleset, "weight"), ruleset, [BatchError("bad.json", "boom")], "id")
    assert "dipecah oleh aspek Inovasi (bobot 15)" in broken and "15,00 > " in broken
    assert broken.rstrip().endswith("bad.json: boom") and "Berkas yang tidak dapat dinilai (1)" in broken


@pytest.mark.parametrize("tiebreak", [None, "weight"])
def test_streamed_json_is_the_same_bytes_as_dumping_the_whole_dict(ruleset, tiebreak):
    errors = [BatchError("bad.json", "boom")]
    for ranking in (_sample_ranking(ruleset, tiebreak), rank_rows([], ruleset.aspects, tiebreak)):
        expected = json.dumps(leaderboard_dict(ranking, ruleset, errors, "Jawa Barat"), ensure_ascii=False, indent=2) + "\n"
        assert leaderboard_json(ranking, ruleset, errors, "Jawa Barat") == expected


def test_csv_cells_cannot_become_formulas(ruleset):
    """A name starting with = + - @ would run as a formula in a spreadsheet; it is prefixed with '."""
    rows = [row("=evil.json", 90, {}, office='=HYPERLINK("http://evil.example","Kota")'), row("b.json", 80, {}, office="-Kota")]
    records = list(csv.DictReader(io.StringIO(leaderboard_csv(rank_rows(rows, ruleset.aspects), ruleset).lstrip("\ufeff"))))
    assert records[0]["office"] == '\'=HYPERLINK("http://evil.example","Kota")' and records[0]["file"] == "'=evil.json"
    assert records[1]["office"] == "'-Kota" and records[1]["total"] == "80.00"


def test_the_tie_note_offers_the_tiebreak_only_where_it_would_split(ruleset):
    idx = {a.id: i for i, a in enumerate(ruleset.aspects)}
    same = {idx["inovasi"]: Fraction(15)}
    twins = rank_rows([row("a.json", 15, same, region="32.01"), row("b.json", 15, same, region="32.02")], ruleset.aspects)
    assert "--tiebreak" not in leaderboard_text(twins, ruleset, [])
    assert "--tiebreak weight" in leaderboard_text(_sample_ranking(ruleset), ruleset, [])  # inovasi against sdm: it would decide
