"""Evaluate evidence against a ruleset: pure, no I/O, three-valued, fully traced.

Each indicator is compiled once per ruleset into a plan: its condition nodes
numbered in preorder, and for each level a closure that evaluates the level's
condition tree and records the outcome of *every* node (no short-circuit) in a
flat trace list. The trace, together with the facts it was computed from, is the
complete record of an evaluation: the nested :class:`ConditionResult` tree with
actual and expected values is materialised from it only when someone reads it
(an explanation, a report, ``to_dict``). Scoring a batch therefore pays for one
list slot per condition, not for an object per condition; and under a total that
reads only the aspects' means, not even for the indicator and aspect result
objects: the :class:`ScoreResult` keeps each indicator's level and trace and builds
its tree when it is read (a compact record never reads it).

The loader has already checked names and types, so evaluation cannot fail. A
fact absent from the evidence is *unknown*: ``all`` is false if any part is
false, else unknown if any part is unknown; ``any`` is true if any part is true,
else unknown if any part is unknown; ``not`` keeps unknown. A level whose
condition is unknown is not awarded.

The module is over 400 lines because it is the engine's one place for speed: the
compiler, the plans it makes and the :class:`Engine` that owns them and builds the
results change together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import partial
from itertools import accumulate
from operator import itemgetter
from typing import Any, TypeGuard

from ..errors import EvidenceWarning
from ..evidence.reader import Evidence
from ..files.digest import sha256
from ..files.record import Record, replace
from ..ruleset.model import Aspect, Catalogue, Compare, Condition, Constraint, Indicator, Lookup, Not, Ruleset, derived
from ..ruleset.operators import OPERATORS
from .results import AspectResult, ConditionResult, IndicatorResult, ScoreResult
from .scoring import ASPECT_POLICIES, INDICATOR_POLICIES, TOTAL_POLICIES, Totals, by_level_sums, fraction

__all__ = [
    "Engine",
    "IndicatorPlan",
    "broken_constraints",
    "compare_result",
    "comparison",
    "engine",
    "evaluate",
    "evaluate_indicator",
    "evidence_warnings",
    "indicator_plan",
    "lookup_value",
    "picker",
]

Facts = dict[str, Any]
Trace = list[Any]  # bool | None per condition node
Run = Callable[[Facts, Trace], Any]
Row = tuple[str, int, tuple[Any, ...]]  # an indicator's id, level and trace: what a compact record reads


def lookup_value(lookup: Lookup, key_value: Any) -> Any:
    """The value of the first band whose condition the key satisfies, or None."""
    for band in lookup.bands:
        if OPERATORS[band.op](key_value, band.value):
            return band.result
    return None


def _test(catalogue: Catalogue, c: Compare) -> tuple[Callable[[Any, Any], bool], Any]:
    """The comparison for a constant operand, and the operand as the comparison needs it.

    Enum values compare by their declared order, so the constant is turned into
    its rank once here and the fact's value into its rank at each test.
    """
    fn = OPERATORS[c.op]
    spec = catalogue.facts[c.fact]
    if spec.type == "enum" and spec.enum is not None:
        ranks = {value: i for i, value in enumerate(spec.enum.values)}
        const = tuple(ranks[v] for v in c.value) if isinstance(c.value, tuple) else ranks[c.value]

        def ranked(actual: Any, expected: Any, _rank: Any = ranks.__getitem__, _fn: Any = fn) -> bool:
            return bool(_fn(_rank(actual), expected))

        return ranked, const
    return fn, c.value


# Per combining kind: the outcome that decides the whole, and the outcome of no parts.
_ABSORBING_IDENTITY = {"all": (False, True), "any": (True, False)}


def _constant_compare(c: Condition) -> TypeGuard[Compare]:
    """A comparison with a constant: tested inline by its parent, without a closure of its own."""
    return isinstance(c, Compare) and c.other_fact is None and c.lookup is None


def _truth_test(c: Compare, catalogue: Catalogue) -> bool:
    """A comparison with a constant that compares a bool fact ``==`` with true or false: nine
    comparisons in ten. Tested inline as ``value == wanted``, without the call to the operator and
    to ``bool`` (the checker makes a bool fact's value a bool, so the outcome is the same)."""
    return c.op == "==" and isinstance(c.value, bool) and catalogue.facts[c.fact].type == "bool"


def _compile(c: Condition, catalogue: Catalogue, index: dict[str, int]) -> Run:
    """The closure evaluating ``c`` into a trace: the one place that knows what each kind means."""
    i = index[c.path]
    if isinstance(c, Compare):
        return _compile_compare(c, catalogue, i)
    if isinstance(c, Not):
        inner = _compile(c.child, catalogue, index)

        def negate(facts: Facts, trace: Trace) -> Any:
            o = inner(facts, trace)
            o = None if o is None else not o
            trace[i] = o
            return o

        return negate
    # Comparisons with a constant, the common child, are tested in loops: a bool fact
    # against true or false with no call at all, the others with one operator call
    # each; other children (nested all/any/not, fact-to-fact, lookups) are
    # closures. Every child is evaluated, so the trace is complete; the order does
    # not matter because evaluation is pure and the combination commutative.
    # One pass over the children, each classified once (the compiler runs at every start of a command).
    truth_list: list[tuple[str, Any, int]] = []
    leaf_list: list[tuple[str, Callable[[Any, Any], bool], Any, int]] = []
    part_list: list[Run] = []
    for child in c.children:
        if _constant_compare(child):
            if _truth_test(child, catalogue):
                truth_list.append((child.fact, child.value, index[child.path]))
            else:
                leaf_list.append((child.fact, *_test(catalogue, child), index[child.path]))
        else:
            part_list.append(_compile(child, catalogue, index))
    truths, leaves, parts = tuple(truth_list), tuple(leaf_list), tuple(part_list)
    # "all" is false as soon as one part is false, "any" true as soon as one part is
    # true (the absorbing outcome); otherwise an unknown part makes the whole unknown,
    # and with no unknown part it is the identity (true for all, false for any).
    absorbing, identity = _ABSORBING_IDENTITY[c.kind]

    def combine(facts: Facts, trace: Trace) -> Any:
        res: Any = identity
        get = facts.get
        for name, wanted, j in truths:
            v = get(name)
            o = trace[j] = None if v is None else v == wanted
            if o is absorbing:
                res = absorbing
            elif o is None and res is identity:
                res = None
        for name, test, const, j in leaves:
            v = get(name)
            if v is None:
                trace[j] = None
                if res is identity:
                    res = None
            else:
                o = trace[j] = bool(test(v, const))
                if o is absorbing:
                    res = absorbing
        for part in parts:
            o = part(facts, trace)
            if o is absorbing:
                res = absorbing
            elif o is None and res is identity:
                res = None
        trace[i] = res
        return res

    return combine


def _compile_compare(c: Compare, catalogue: Catalogue, i: int) -> Run:
    name = c.fact
    if c.other_fact is not None:
        other = c.other_fact
        fn = OPERATORS[c.op]
        spec = catalogue.facts[name]
        rank: Any = (lambda v: v) if spec.enum is None else {v: r for r, v in enumerate(spec.enum.values)}.__getitem__

        def compare_facts(facts: Facts, trace: Trace) -> Any:
            a, b = facts.get(name), facts.get(other)
            o = None if a is None or b is None else bool(fn(rank(a), rank(b)))
            trace[i] = o
            return o

        return compare_facts
    if c.lookup is not None:
        lookup = c.lookup
        key = lookup.key
        fn = OPERATORS[c.op]

        def compare_lookup(facts: Facts, trace: Trace) -> Any:
            a, k = facts.get(name), facts.get(key)
            threshold = None if k is None else lookup_value(lookup, k)
            o = None if a is None or threshold is None else bool(fn(a, threshold))
            trace[i] = o
            return o

        return compare_lookup
    test, const = _test(catalogue, c)

    def compare_value(facts: Facts, trace: Trace) -> Any:
        v = facts.get(name)
        o = None if v is None else bool(test(v, const))
        trace[i] = o
        return o

    return compare_value


def comparison(catalogue: Catalogue, c: Compare) -> Callable[[Facts], bool | None]:
    """One comparison as a function of the facts (absent or None is unknown), compiled as the
    evaluator compiles it: for tools that search for facts (the office generator)."""
    run = _compile_compare(c, catalogue, 0)
    return lambda facts: run(facts, [None])


def picker(indices: Sequence[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """The items at ``indices`` of a sequence (or at those keys of a mapping), as a tuple, in one C call
    (itemgetter returns a bare item for one index)."""
    if not indices:
        return lambda sequence: ()
    if len(indices) == 1:
        only = indices[0]
        return lambda sequence: (sequence[only],)
    return itemgetter(*indices)


class IndicatorPlan(Record):
    """An indicator compiled for evaluation.

    ``nodes`` lists every condition node of every level in preorder; an
    evaluation's trace holds node ``i``'s outcome at position ``i``.
    """

    __slots__ = ("indicator", "nodes", "index", "values", "roots", "runs", "facts", "fact_set", "above", "outcomes", "awarded", "memo", "key")
    indicator: Indicator
    nodes: tuple[Condition, ...]
    index: dict[str, int]  # condition path -> position in nodes and in a trace
    values: tuple[int, ...]  # the level values, ascending
    roots: tuple[int, ...]  # where each level's condition sits in nodes (and its outcome in a trace)
    runs: tuple[Run, ...]  # one closure per level
    facts: tuple[str, ...]  # the facts the indicator reads
    fact_set: frozenset[str]
    # For each level that can be awarded (0 included), the outcomes of the levels above it,
    # picked from a trace in one call: "determined" asks whether any of them is unknown.
    above: dict[int, Callable[[Any], tuple[Any, ...]]]
    outcomes: Callable[[Any], tuple[Any, ...]]  # every level's outcome (at ``roots``), picked from a trace in one call
    # The level awarded for each combination of level outcomes met so far: the indicator policy is a
    # pure function of the outcomes, which take at most 3**levels values, so it is asked once each.
    awarded: dict[tuple[Any, ...], int]
    # The indicator's id, level and trace already computed, by the values of ``facts`` (None for absent): see _outcome.
    memo: dict[tuple[Any, ...], Row]
    key: Callable[[Any], tuple[Any, ...]]  # the memo's key: the values of ``facts``, picked from an _Absent in one call
    # A plan is its engine's, compared and hashed by identity, which agree.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(
        self,
        indicator: Indicator,
        nodes: tuple[Condition, ...],
        index: dict[str, int],
        values: tuple[int, ...],
        roots: tuple[int, ...],
        runs: tuple[Run, ...],
        facts: tuple[str, ...],
        fact_set: frozenset[str],
        above: dict[int, Callable[[Any], tuple[Any, ...]]],
        outcomes: Callable[[Any], tuple[Any, ...]],
        awarded: dict[tuple[Any, ...], int],
        memo: dict[tuple[Any, ...], Row],
        key: Callable[[Any], tuple[Any, ...]],
    ) -> None:
        self._fill(indicator, nodes, index, values, roots, runs, facts, fact_set, above, outcomes, awarded, memo, key)

    def condition_result(self, c: Condition, trace: tuple[Any, ...], facts: Facts) -> ConditionResult:
        """The traced result of condition ``c``, with the values it compared, rebuilt from a trace."""
        o = trace[self.index[c.path]]
        if isinstance(c, Compare):
            return compare_result(c, o, facts)
        return ConditionResult(c, o, children=tuple(self.condition_result(child, trace, facts) for child in c.children))


def compare_result(c: Compare, outcome: Any, facts: Facts) -> ConditionResult:
    """A comparison's result: the fact's value, what it was compared with, and what was missing."""
    actual = facts.get(c.fact)
    if c.other_fact is not None:
        expected = facts.get(c.other_fact)
        missing = tuple(n for n, v in ((c.fact, actual), (c.other_fact, expected)) if v is None)
        return ConditionResult(c, outcome, actual, expected, missing=missing)
    if c.lookup is not None:
        key_value = facts.get(c.lookup.key)
        threshold = lookup_value(c.lookup, key_value) if key_value is not None else None
        missing = tuple(n for n, v in ((c.fact, actual), (c.lookup.key, key_value)) if v is None)
        return ConditionResult(c, outcome, actual, threshold, key_value, missing)
    if actual is None:
        return ConditionResult(c, None, None, c.value, missing=(c.fact,))
    return ConditionResult(c, outcome, actual, c.value)


def indicator_plan(ruleset: Ruleset, indicator_id: str) -> IndicatorPlan:
    return engine(ruleset).plans[indicator_id]


class _ConstraintPlan(Record):
    """A constraint compiled like a level: its ``if`` and ``then`` trees numbered in one trace."""

    __slots__ = ("constraint", "nodes", "when", "then", "when_facts", "memo")
    constraint: Constraint
    nodes: tuple[Condition, ...]
    when: Run
    then: Run
    when_facts: tuple[str, ...]  # the ``if`` side's facts, collected once
    # What :meth:`check` gave an office that does not break the constraint, by the values of its facts (see Engine._checks).
    memo: dict[tuple[Any, ...], tuple[tuple[str, ...], EvidenceWarning | None]]
    # A plan is its engine's, compared and hashed by identity, which agree.
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, constraint: Constraint, nodes: tuple[Condition, ...], when: Run, then: Run, when_facts: tuple[str, ...]) -> None:
        self._fill(constraint, nodes, when, then, when_facts, {})

    def check(self, facts: Facts) -> tuple[tuple[str, ...], EvidenceWarning | None]:
        """What the constraint says of an office, each side evaluated at most once.

        First, the ``if`` side's facts when ``then`` is known false: the details of a thing that
        does not exist (the grade of an assessment that did not happen) are not missing evidence.
        Second, a warning when ``if`` holds and ``then`` fails; unknown on either side breaks nothing.
        """
        trace: Trace = [None] * len(self.nodes)
        if self.then(facts, trace) is not False:
            return (), None
        return self.when_facts, self._warning(facts, trace) if self.when(facts, trace) is True else None

    def _warning(self, facts: Facts, trace: Trace) -> EvidenceWarning:
        c = self.constraint
        # The facts that made ``if`` hold, then every fact ``then`` read: both sides of the contradiction.
        # The ``then`` side's nodes follow the ``if`` side's in the trace.
        named: dict[str, None] = {}
        first_then = len(self.nodes) - sum(1 for _ in c.then.walk())
        for i, (node, outcome) in enumerate(zip(self.nodes, trace, strict=True)):
            if not node.children and (outcome is True or i >= first_then):
                for name in node.facts():
                    if facts.get(name) is not None:
                        named.setdefault(name, None)
        return EvidenceWarning(
            c.id,
            _fact_path(c.then.facts()[0]).rsplit(".", 1)[0],
            c.message_id,
            c.message_en,
            tuple((name, _fact_path(name), facts[name]) for name in named),
        )


def _fact_path(name: str) -> str:
    """Where a fact is written in an evidence document (office metadata lives under meta)."""
    group, fact = name.split(".", 1)
    return f"$.meta.{fact}" if group == "meta" else f"$.facts.{group}.{fact}"


def _constraint_plan(constraint: Constraint, catalogue: Catalogue) -> _ConstraintPlan:
    nodes = [*constraint.when.walk(), *constraint.then.walk()]
    index = {node.path: i for i, node in enumerate(nodes)}
    when, then = _compile(constraint.when, catalogue, index), _compile(constraint.then, catalogue, index)
    return _ConstraintPlan(constraint, tuple(nodes), when, then, constraint.when.facts())


def broken_constraints(ruleset: Ruleset, facts: Facts) -> tuple[EvidenceWarning, ...]:
    """A warning for each of the ruleset's constraints ``facts`` break, in ruleset order."""
    return engine(ruleset).broken_constraints(facts)


def evidence_warnings(ruleset: Ruleset, evidence: Evidence) -> tuple[EvidenceWarning, ...]:
    """Every warning about ``evidence``: its metadata's, then each broken constraint."""
    return engine(ruleset).warnings(evidence)


class Engine:
    """A ruleset compiled once: build it, then call it for every office.

    It owns everything derived per ruleset: each indicator's plan (its closures),
    the constraint checks and the aggregation policies the ruleset names. A
    ruleset keeps its engine (:func:`engine`), so there is no cache keyed by the
    ruleset's identity anywhere.
    """

    __slots__ = (
        "by_sums",
        "choose",
        "constraint_keys",
        "constraint_memos",
        "constraints",
        "keys",
        "mean",
        "memos",
        "plan_order",
        "plans",
        "rule_fact_order",
        "rule_fact_set",
        "ruleset",
        "spans",
        "total",
    )

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        catalogue = ruleset.catalogue
        self.plans: dict[str, IndicatorPlan] = {}
        for ind_id, indicator in ruleset.indicators.items():
            nodes = [node for level in indicator.levels for node in level.when.walk()]
            index = {node.path: i for i, node in enumerate(nodes)}
            facts = indicator.facts()
            self.plans[ind_id] = IndicatorPlan(
                indicator=indicator,
                nodes=tuple(nodes),
                index=index,
                values=tuple(level.value for level in indicator.levels),
                roots=tuple(index[level.when.path] for level in indicator.levels),
                fact_set=frozenset(facts),
                above={
                    awarded: picker([index[level.when.path] for level in indicator.levels if level.value > awarded])
                    for awarded in (0, *(level.value for level in indicator.levels))
                },
                outcomes=picker([index[level.when.path] for level in indicator.levels]),
                awarded={},
                memo={},
                key=picker(facts),
                runs=tuple(_compile(level.when, catalogue, index) for level in indicator.levels),
                facts=facts,
            )
        aspects = [(aspect, [self.plans[i] for i in aspect.indicator_ids]) for aspect in ruleset.aspects]
        # The plans in aspect order, and where each aspect's run of them starts and stops.
        self.plan_order = tuple(plan for _, plans in aspects for plan in plans)
        # Each plan's memo, in the same order, for looking up every indicator in one pass.
        self.memos = tuple(plan.memo for plan in self.plan_order)
        # Each plan's memo key from an office's facts (see _Absent), in one C call.
        self.keys = tuple(plan.key for plan in self.plan_order)
        ends = list(accumulate(len(plans) for _, plans in aspects))
        self.spans = tuple((aspect, end - len(plans), end) for (aspect, plans), end in zip(aspects, ends, strict=True))
        self.constraints = tuple(_constraint_plan(c, catalogue) for c in ruleset.constraints)
        # What each constraint says of an office that does not break it, by the values of the facts it reads (see _checks).
        self.constraint_keys = tuple(picker(c.facts()) for c in ruleset.constraints)
        self.constraint_memos = tuple(plan.memo for plan in self.constraints)
        self.rule_fact_set = frozenset(ruleset.rule_facts)
        self.rule_fact_order = {name: i for i, name in enumerate(ruleset.rule_facts)}
        agg = ruleset.aggregation
        self.choose = INDICATOR_POLICIES[agg.indicator]
        self.mean = ASPECT_POLICIES[agg.aspect]
        self.total = TOTAL_POLICIES[agg.total]
        # The policies compiled to table look-ups, when the ruleset's are ones that can be (None otherwise).
        self.by_sums = by_level_sums(self.spans, agg)

    def broken_constraints(self, facts: Facts) -> tuple[EvidenceWarning, ...]:
        """A warning for each of the ruleset's constraints ``facts`` break, in ruleset order."""
        return tuple([w for plan in self.constraints if (w := plan.check(facts)[1]) is not None])

    def warnings(self, evidence: Evidence) -> tuple[EvidenceWarning, ...]:
        """Every warning about ``evidence``: its metadata's, then each broken constraint."""
        return evidence.warnings + self.broken_constraints(evidence.facts)

    def evaluate_indicator(self, indicator_id: str, facts: Facts) -> IndicatorResult:
        """Evaluate one indicator on a plain fact mapping (used by rule tests and explain)."""
        # A copy: the result reads the facts again when its trace is opened.
        return _run(self.plans[indicator_id], dict(facts), self.choose)

    def evaluate(self, evidence: Evidence, raw: bytes | None = None) -> ScoreResult:
        """Score one office: every indicator, every aspect, the total, and what is missing."""
        ruleset = self.ruleset
        facts = evidence.facts
        agg = ruleset.aggregation
        # The facts every memo key reads, None where absent: a key is then one C call, not a get per fact.
        known = _Absent(facts)
        inapplicable, broken = self._checks(facts, known)
        # Every indicator's level and trace in one pass, then the total (and each aspect's mean) from the levels.
        outcomes = self._outcomes(facts, known)
        levels = list(map(_level, outcomes))
        rule_facts = ruleset.rule_facts
        # The rule facts the evidence lacks, found in C, then put in the rules' order (usually few or none).
        absent = self.rule_fact_set.difference(facts)
        if absent and inapplicable:
            absent -= inapplicable
        missing = tuple(sorted(absent, key=self.rule_fact_order.__getitem__)) if absent else ()
        completeness = fraction(len(rule_facts) - len(missing), len(rule_facts)) if rule_facts else Fraction(1)
        digest = sha256(raw).hexdigest() if raw is not None else ""
        warnings = evidence.warnings + broken if broken else evidence.warnings
        by_sums = self.by_sums
        # The result tree is built when someone reads it (a compact record never does), from the levels and
        # traces the result keeps, when the total needs only the aspects' means and no override changes them.
        if by_sums is not None and not evidence.overrides:
            # Only the total now (one sum of products); the means and contributions when the tree is built.
            build = partial(self._tree_by_sums, outcomes, facts, inapplicable, levels)
            return ScoreResult.pending(ruleset, evidence, outcomes, build, by_sums.total(levels), missing, completeness, digest, warnings, None)
        mean = self.mean
        means = [mean(levels[start:stop], agg) for _, start, stop in self.spans]
        results = self._results(outcomes, facts, inapplicable)
        parts = [(aspect, results[start:stop], m) for (aspect, start, stop), m in zip(self.spans, means, strict=True)]
        full = self.total([(aspect, m, rs) for aspect, rs, m in parts], agg)
        final = self._final(evidence, parts) if evidence.overrides else None
        aspect_results = tuple(
            AspectResult(aspect, rs, m, c, *((final[1][i], final[0].contributions[i]) if final else ()))
            for i, ((aspect, rs, m), c) in enumerate(zip(parts, full.contributions, strict=True))
        )
        return ScoreResult(
            ruleset=ruleset,
            evidence=evidence,
            aspects=aspect_results,
            total=full.total,
            missing_facts=missing,
            completeness=completeness,
            evidence_sha256=digest,
            warnings=warnings + stale_overrides(aspect_results),
            standing=full.standing,
            final_total=final[0].total if final else None,
            final_standing=final[0].standing if final else None,
        ).keeping_rows(outcomes)

    def _checks(self, facts: Facts, known: _Absent) -> tuple[frozenset[str], tuple[EvidenceWarning, ...]]:
        """The facts the constraints make inapplicable, and the warnings of those the office breaks.

        What a constraint says is remembered by the values of the facts it reads, as an indicator's
        outcome is (see _outcome; on the generated offices nine checks in ten are a repeat), but only
        when the office does not break it: a warning quotes the facts' values as the office wrote
        them, and 5 and 5.0 share a key.
        """
        plans = self.constraints
        try:
            keys = [key(known) for key in self.constraint_keys]
            checked: list[Any] = list(map(dict.get, self.constraint_memos, keys))
        except TypeError:  # an unhashable value (a plain mapping from a caller, not checked evidence)
            checked = [plan.check(facts) for plan in plans]
        if None in checked:  # a check is a tuple, never equal to None: this finds only the misses
            for i, found in enumerate(checked):
                if found is None:
                    plan = plans[i]
                    found = checked[i] = plan.check(facts)
                    if found[1] is None and len(plan.memo) < MEMO_LIMIT:
                        plan.memo[keys[i]] = found
        inapplicable = frozenset([name for names, _ in checked for name in names]) or _NOTHING
        return inapplicable, tuple([w for _, w in checked if w is not None])

    def _outcomes(self, facts: Facts, known: _Absent) -> list[Row]:
        """Every indicator's id, level and trace, in the plans' (aspect) order: from the memo where it
        has them (see _outcome), looked up for all plans at once without a call per indicator, else computed."""
        plans = self.plan_order
        choose = self.choose
        try:
            keys = [key(known) for key in self.keys]
            rows = list(map(dict.get, self.memos, keys))
        except TypeError:  # an unhashable value (a plain mapping from a caller, not checked evidence)
            return [_computed(plan, facts, choose) for plan in plans]
        if None in rows:  # a row is a tuple, never equal to None: this finds only the misses
            for i, row in enumerate(rows):
                if row is None:
                    rows[i] = _remembered(plans[i], keys[i], facts, choose)
        return rows  # type: ignore[return-value]  # every None was replaced just above

    def _results(self, outcomes: list[Row], facts: Facts, inapplicable: frozenset[str]) -> tuple[IndicatorResult, ...]:
        """Every indicator's result, in the plans' (aspect) order."""
        return tuple(
            [_made(plan.indicator, level, trace, plan, facts, inapplicable) for plan, (_, level, trace) in zip(self.plan_order, outcomes, strict=True)]
        )

    def _tree_by_sums(self, outcomes: list[Row], facts: Facts, inapplicable: frozenset[str], levels: list[int]) -> tuple[AspectResult, ...]:
        """The aspect results of an office whose total the level sums gave (no overrides), built from what
        the engine computed, with its means and contributions from the same sums."""
        assert self.by_sums is not None  # only an office the level sums scored has this
        means, contributions = self.by_sums(levels)
        results = self._results(outcomes, facts, inapplicable)
        return tuple(AspectResult(aspect, results[start:stop], m, c) for (aspect, start, stop), m, c in zip(self.spans, means, contributions, strict=True))

    def _final(self, evidence: Evidence, parts: list[tuple[Aspect, tuple[IndicatorResult, ...], Fraction]]) -> tuple[Totals, list[Fraction]]:
        """The totals and aspect means with the assessors' levels in place of the computed ones.

        Each indicator result gets its override attached (``parts`` is updated in place), and the
        same policies aggregate the final levels, so a total with overrides is computed exactly as one without.
        """
        agg = self.ruleset.aggregation
        by_id = {o.indicator: o for o in evidence.overrides}
        final_parts, means = [], []
        for i, (aspect, results, mean) in enumerate(parts):
            attached = tuple(replace(r, override=by_id[r.indicator.id]) if r.indicator.id in by_id else r for r in results)
            parts[i] = (aspect, attached, mean)
            levelled = [replace(r, level=r.final_level) if r.override is not None else r for r in attached]
            final_mean = self.mean([r.level for r in levelled], agg)
            means.append(final_mean)
            final_parts.append((aspect, final_mean, levelled))
        return self.total(final_parts, agg), means


def stale_overrides(aspects: tuple[AspectResult, ...]) -> tuple[EvidenceWarning, ...]:
    """A warning for each override whose level the evidence now gives by itself: it is no longer needed."""
    out = []
    for aspect in aspects:
        for r in aspect.indicators:
            o = r.override
            if o is not None and o.level == r.level:
                out.append(
                    EvidenceWarning(
                        "override-stale",
                        o.where,
                        f"Penyesuaian penilai untuk {o.indicator} tidak diperlukan lagi: bukti sendiri sudah memberi nilai {o.level}",
                        f"The assessor's override of {o.indicator} is no longer needed: the evidence alone now gives level {o.level}",
                    )
                )
    return tuple(out)


def engine(ruleset: Ruleset) -> Engine:
    """The ruleset's engine, compiled on first use and kept on the ruleset itself."""
    return derived(ruleset, "compiled", Engine)


_NOTHING: frozenset[str] = frozenset()
_level = itemgetter(1)  # a row's level


class _Absent(dict[str, Any]):
    """An office's facts, giving None for an absent one, as ``facts.get`` does: the memo keys are
    then each one itemgetter call (about 4 us an office less than a ``get`` per fact; the copy
    costs about 1.5 us). The closures read the office's own mapping."""

    __slots__ = ()

    def __missing__(self, key: str) -> None:
        return None


# How many distinct combinations of fact values each plan remembers (see _outcome). A full memo
# stops growing rather than evicting: a batch's first offices seed it, the rest hit or compute.
# At most 31 plans x 2,048 entries of a key and a trace tuple (a few hundred bytes): a bound of
# a few tens of MB however many offices a process scores, shared by the results it keeps.
MEMO_LIMIT = 2048


def _outcome(plan: IndicatorPlan, facts: Facts, choose: Callable[..., int]) -> Row:
    """An indicator's id, level and trace, remembered by the values of the facts it reads.

    They are a pure function of those values (None for an absent fact), and offices repeat
    them: on the generated corpus four indicator evaluations in five are a repeat. Values
    equal in Python but of different types (True, 1, 1.0) share an entry, which is sound
    because every operator is a numeric or equality comparison, under which equal values
    behave alike (an enum value's rank is looked up by equality too); the checker gives a
    fact only values of its type anyway. A NaN, which equals nothing, would only miss
    (strict JSON refuses it). An unhashable value, which checked evidence never holds, is
    evaluated without the memo.
    """
    # The key Engine._outcomes picks from an _Absent copy of the facts, made here without the copy
    # (of every fact, where one indicator reads a few): a tuple of the same values, so both serve one memo.
    key = tuple(map(facts.get, plan.facts))
    try:
        known = plan.memo.get(key)
    except TypeError:  # an unhashable value (a plain mapping from a caller, not checked evidence)
        return _computed(plan, facts, choose)
    return known if known is not None else _remembered(plan, key, facts, choose)


def _remembered(plan: IndicatorPlan, key: tuple[Any, ...], facts: Facts, choose: Callable[..., int]) -> Row:
    """An indicator's row computed, and kept under ``key`` while the memo has room."""
    row = _computed(plan, facts, choose)
    memo = plan.memo
    if len(memo) < MEMO_LIMIT:
        memo[key] = row
    return row


def _computed(plan: IndicatorPlan, facts: Facts, choose: Callable[..., int]) -> Row:
    """An indicator's id, level and trace, from its closures."""
    trace: Trace = [None] * len(plan.nodes)
    for run in plan.runs:  # each level's outcome lands in the trace, at its root: read back in one call below
        run(facts, trace)
    outcomes = plan.outcomes(trace)
    level = plan.awarded.get(outcomes)
    if level is None:
        level = plan.awarded[outcomes] = choose(plan.values, outcomes)
    return plan.indicator.id, level, tuple(trace)


def _run(plan: IndicatorPlan, facts: Facts, choose: Callable[..., int]) -> IndicatorResult:
    _, level, trace = _outcome(plan, facts, choose)
    return _made(plan.indicator, level, trace, plan, facts, _NOTHING)


_made = IndicatorResult.made


def evaluate_indicator(ruleset: Ruleset, indicator_id: str, facts: Facts) -> IndicatorResult:
    """Evaluate one indicator on a plain fact mapping (used by rule tests and explain)."""
    return engine(ruleset).evaluate_indicator(indicator_id, facts)


def evaluate(ruleset: Ruleset, evidence: Evidence, raw: bytes | None = None) -> ScoreResult:
    """Score one office: every indicator, every aspect, the total, and what is missing."""
    return engine(ruleset).evaluate(evidence, raw)
