"""The compiled engine equals the plain reference evaluator (tests/reference.py), outcome for
outcome, on generated evidence for the whole bundled ruleset; and the engine is one object per
ruleset, with equal rule objects hashing equal."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules.engine.evaluate import Engine, engine, evaluate
from pentas_rules.evidence.reader import Evidence, OfficeMeta
from pentas_rules.files.record import replace
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.ruleset.model import Ruleset

from . import reference
from .conftest import MINI, RULES, examples

RULESET = load_ruleset_cached(RULES)
# The small fixture has what the bundled rules lack (a ``not``), so the reference covers every kind.
MINI_RULESET = load_ruleset_cached(MINI)


def _constants(ruleset: Ruleset) -> dict[str, set[Any]]:
    """For each fact, every number a rule compares it with: the boundaries worth hitting."""
    out: dict[str, set[Any]] = {}
    trees = [level.when for ind in ruleset.indicators.values() for level in ind.levels]
    trees += [side for c in ruleset.constraints for side in (c.when, c.then)]
    for tree in trees:
        for leaf in tree.comparisons():
            values = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
            out.setdefault(leaf.fact, set()).update(v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool))
            if leaf.lookup is not None:
                out.setdefault(leaf.fact, set()).update(band.result for band in leaf.lookup.bands)
                out.setdefault(leaf.lookup.key, set()).update(band.value for band in leaf.lookup.bands if not isinstance(band.value, tuple))
    return out


def _value_strategy(spec: Any, constants: set[Any]) -> st.SearchStrategy[Any]:
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.enum.values)
    integer = spec.type == "integer"
    lo = spec.minimum if spec.minimum is not None else -1000
    hi = spec.maximum if spec.maximum is not None else 10**9
    near = set()
    for c in constants | {lo, hi}:
        for d in (-1, 0, 1) if integer else (-1, -0.5, -0.01, 0, 0.01, 0.5, 1):
            v = c + d
            if lo <= v <= hi:
                near.add(int(v) if integer else float(v))
    anywhere = st.integers(int(lo), int(hi)) if integer else st.floats(lo, hi, allow_nan=False)
    return st.one_of(st.sampled_from(sorted(near)), anywhere)


def _facts_strategy(ruleset: Ruleset) -> st.SearchStrategy[dict[str, Any]]:
    constants = _constants(ruleset)
    catalogue = ruleset.catalogue
    names = sorted(set(ruleset.rule_facts) | set(constants))
    parts = {name: st.one_of(st.none(), _value_strategy(catalogue.facts[name], constants.get(name, set()))) for name in names}
    return st.fixed_dictionaries(parts).map(lambda drawn: {k: v for k, v in drawn.items() if v is not None})


def _trace(cr: Any, out: dict[str, Any]) -> None:
    out[cr.condition.path] = cr.outcome
    for child in cr.children:
        _trace(child, out)


_STRATEGIES = {ruleset.name: (ruleset, _facts_strategy(ruleset)) for ruleset in (RULESET, MINI_RULESET)}


def _twin(facts: dict[str, Any]) -> dict[str, Any]:
    """The same facts with every whole number flipped between int and float (5 <-> 5.0): equal in
    Python, hashing equal, so the engine's memo serves one the entries the other made."""
    out: dict[str, Any] = {}
    for name, value in facts.items():
        if value.__class__ is int:
            value = float(value)
        elif value.__class__ is float and value.is_integer():
            value = int(value)
        out[name] = value
    return out


@pytest.mark.parametrize("name", sorted(_STRATEGIES))
@settings(max_examples=examples(120), deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_engine_equals_the_reference_evaluator(name, data):
    ruleset, strategy = _STRATEGIES[name]
    facts = data.draw(strategy, label="facts")
    # Each office is scored twice, the second time from the engine's memo of every indicator
    # (see _outcome), then as its twin with whole numbers of the other type, also from the memo.
    # (tests/test_engine_memo.py shows that the second time hits.)
    _scored(ruleset, facts)
    _scored(ruleset, facts)
    _scored(ruleset, _twin(facts))


def _scored(ruleset: Ruleset, facts: dict[str, Any]) -> Any:
    """The engine's result for ``facts``, checked outcome for outcome against the reference."""
    population = facts.get("meta.population")
    evidence = Evidence("generated.json", OfficeMeta("Dinas", "32.73", "Jawa Barat", 2021, population), dict(facts))
    result = evaluate(ruleset, evidence)
    expected = reference.score(ruleset, facts)
    for aspect_result in result.aspects:
        aspect_id = aspect_result.aspect.id
        for ir in aspect_result.indicators:
            want = expected.indicators[ir.indicator.id]
            assert {lr.level.value: lr.outcome for lr in ir.levels} == want.levels, ir.indicator.id
            for lr in ir.levels:
                got: dict[str, Any] = {}
                _trace(lr.condition, got)
                assert got == {path: o for (value, path), o in want.nodes.items() if value == lr.level.value}, (ir.indicator.id, lr.level.value)
            assert ir.level == want.level, ir.indicator.id
            assert ir.determined == want.determined, ir.indicator.id
        assert aspect_result.mean == expected.means[aspect_id], aspect_id
        assert aspect_result.contribution == expected.contributions[aspect_id], aspect_id
    assert result.total == expected.total
    assert isinstance(result.total, Fraction)
    # The constraints, also served from the engine's memo on the second and twin scorings: what is
    # missing, what is broken, and each value a warning quotes exactly as these facts hold it (5 or 5.0).
    assert list(result.missing_facts) == reference.missing(ruleset, facts)
    assert [w.id for w in result.warnings] == reference.constraints(ruleset, facts)[0]
    assert all(value.__class__ is facts[name].__class__ and value == facts[name] for w in result.warnings for name, _, value in w.facts)
    return result


def test_equal_rule_objects_hash_equal():
    twin = replace(RULESET)
    assert twin is not RULESET and twin == RULESET
    assert hash(twin) == hash(RULESET)
    catalogue = replace(RULESET.catalogue)
    assert catalogue == RULESET.catalogue and hash(catalogue) == hash(RULESET.catalogue)
    for indicator in RULESET.indicators.values():
        copy = replace(indicator, levels=tuple(replace(level) for level in indicator.levels))
        assert copy == indicator and hash(copy) == hash(indicator)


def test_each_ruleset_owns_one_engine():
    compiled = engine(RULESET)
    assert isinstance(compiled, Engine) and compiled.ruleset is RULESET
    assert engine(RULESET) is compiled  # built once, kept on the ruleset
    twin = replace(RULESET)
    assert twin.compiled is None  # a copy does not share the original's closures
    assert engine(twin) is not compiled and engine(twin).ruleset is twin
