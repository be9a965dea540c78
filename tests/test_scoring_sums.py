"""The aggregation compiled to look-ups by level sum (``scoring.LevelSums``) gives exactly what the
policies give: each aspect's mean and contribution and the total (also computed alone), for any levels an office can get.
The engine uses it for ``mean_of_levels`` with ``weighted_sum``, and the policies themselves otherwise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pentas_rules.engine.evaluate import engine
from pentas_rules.engine.scoring import ASPECT_POLICIES, TOTAL_POLICIES, LevelSums, by_level_sums
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.ruleset.model import Ruleset

from .conftest import LEVELISASI, MINI, ROOT, RULES, examples

WEIGHTED = [load_ruleset_cached(path) for path in (RULES, MINI, ROOT / "tests" / "fixtures" / "mini-plain")]


def _by_policy(ruleset: Ruleset, levels: list[int]) -> tuple[list, list, object]:
    agg = ruleset.aggregation
    spans = engine(ruleset).spans
    means = [ASPECT_POLICIES[agg.aspect](levels[start:stop], agg) for _, start, stop in spans]
    totals = TOTAL_POLICIES[agg.total]([(aspect, m, ()) for (aspect, _, _), m in zip(spans, means, strict=True)], agg)
    return means, totals.contributions, totals.total


@settings(max_examples=examples(200), deadline=None, database=None)
@given(data=st.data())
def test_looked_up_by_level_sums_is_what_the_policies_give(data):
    ruleset = data.draw(st.sampled_from(WEIGHTED), label="ruleset")
    agg = ruleset.aggregation
    compiled = engine(ruleset).by_sums
    assert isinstance(compiled, LevelSums)
    count = len(engine(ruleset).plan_order)
    # Twice each: the first time an aspect's sum is computed by the policies, then looked up.
    for levels in data.draw(st.lists(st.lists(st.integers(0, agg.max_level), min_size=count, max_size=count), min_size=1, max_size=4), label="offices") * 2:
        means, contributions, total = (*compiled(levels), compiled.total(levels))
        assert (means, contributions, total) == _by_policy(ruleset, levels)
        assert str(total) == str(_by_policy(ruleset, levels)[2])


def test_other_policies_are_not_compiled():
    levelisasi = load_ruleset_cached(LEVELISASI)
    assert levelisasi.aggregation.total != "weighted_sum"
    assert by_level_sums(engine(levelisasi).spans, levelisasi.aggregation) is None
    assert engine(levelisasi).by_sums is None
