"""The result as JSON text, fast: a template compiled once per ruleset, filled per office.

``ScoreResult.to_dict()`` is the reference definition of the result format, and
``json.dumps(result.to_dict(), ensure_ascii=False, indent=2)`` its reference
text. Building that dict and indenting it costs several milliseconds for a
31-indicator office, ten times the evaluation itself. Almost all of the text is
the same for every office: rule paths, operators, constants, rubric sentences,
file locations, and the indentation around them. So, once per ruleset, the
skeleton of the aspects part is dumped with a numbered placeholder wherever a
value depends on the evidence, and split at the placeholders; per office only
those values are written between the fixed pieces. A comparison of a yes/no fact
with a constant has only three possible renderings (true, false, not given), so
they are written out in advance too.

The tests check byte equality with the reference text on the samples and on
random evidence.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from itertools import chain
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from operator import getitem
from typing import Any

from ..ruleset.model import AllOf, AnyOf, Compare, Condition, Not, Ruleset
from ..ruleset.operators import OPERATORS
from .evaluate import compare_result, indicator_plan, picker
from .results import ScoreResult, outcome_word
from .scoring import display

__all__ = ["dumps_json", "dumps_result"]

_WORD = {True: '"true"', False: '"false"', None: '"unknown"'}
_SLOT = re.compile(r'"\\u0000(\d+)\\u0000"')


def _scalar(value: Any) -> str:
    """One JSON scalar exactly as json.dumps(ensure_ascii=False) writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return str(encode_basestring(value))
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return float.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _dump(value: Any, indent: str = "") -> str:
    """Any JSON value exactly as json.dumps(ensure_ascii=False, indent=2) writes it on a line indented by ``indent``.

    json.dumps falls back to its pure-Python encoder whenever it indents; this
    smaller one is several times faster on the few parts written per office.
    """
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        return "{\n" + ",\n".join(f"{inner}{encode_basestring(str(k))}: {_dump(v, inner)}" for k, v in value.items()) + "\n" + indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _dump(v, inner) for v in value) + "\n" + indent + "]"
    return _scalar(value)


# Placeholder kinds. Each placeholder records what to write and from where.
_ASPECT_MEAN_EXACT, _ASPECT_MEAN_DISPLAY, _ASPECT_CONTRIB_EXACT, _ASPECT_CONTRIB_DISPLAY = range(4)
_IND_LEVEL, _IND_DETERMINED, _IND_MISSING, _NODE_OUTCOME, _LEAF_ACTUAL, _LEAF_EXPECTED, _LEAF_KEY_VALUE, _LEAF_OUTCOME = range(4, 12)


class _Skeleton:
    """Builds the aspects part of ``to_dict()`` with a placeholder for every value that varies."""

    def __init__(self) -> None:
        self.slots: list[tuple[Any, ...]] = []

    def slot(self, *spec: Any) -> str:
        self.slots.append(spec)
        return f"\x00{len(self.slots) - 1}\x00"

    def condition(self, c: Condition, ind: int) -> dict[str, Any]:
        out: dict[str, Any] = {"path": c.path}
        if isinstance(c, Compare):
            out["fact"] = c.fact
            out["op"] = c.op
            if c.other_fact is not None:
                out["other_fact"] = c.other_fact
            if c.lookup is not None:
                out["lookup"] = c.lookup.name
                out["lookup_key"] = c.lookup.key
                out["lookup_key_value"] = self.slot(_LEAF_KEY_VALUE, ind, c)
            if c.other_fact is not None or c.lookup is not None:
                out["expected"] = self.slot(_LEAF_EXPECTED, ind, c)
            else:
                out["expected"] = list(c.value) if isinstance(c.value, tuple) else c.value
            out["actual"] = self.slot(_LEAF_ACTUAL, ind, c)
            out["outcome"] = self.slot(_LEAF_OUTCOME, ind, c)  # also writes "missing" when some fact is
        else:
            out["op"] = "all" if isinstance(c, AllOf) else "any" if isinstance(c, AnyOf) else "not"
            out["outcome"] = self.slot(_NODE_OUTCOME, ind, c)
            children = c.children if isinstance(c, (AllOf, AnyOf)) else (c.child,) if isinstance(c, Not) else ()
            out["children"] = [self.condition(child, ind) for child in children]
        out["where"] = str(c.where)
        return out

    def aspects(self, ruleset: Ruleset) -> list[dict[str, Any]]:
        out = []
        ind = 0
        for a_index, aspect in enumerate(ruleset.aspects):
            indicators = []
            for ind_id in aspect.indicator_ids:
                indicator = ruleset.indicators[ind_id]
                levels = []
                for level in indicator.levels:
                    entry: dict[str, Any] = {
                        "level": level.value,
                        "outcome": self.slot(_NODE_OUTCOME, ind, level.when),
                        "source": level.source,
                        "where": str(level.where),
                    }
                    if level.interpretation:
                        entry["interpretation"] = list(level.interpretation)
                    entry["condition"] = self.condition(level.when, ind)
                    # The level's outcome is its condition's; the condition repeats it.
                    levels.append(entry)
                indicators.append(
                    {
                        "id": indicator.id,
                        "number": indicator.number,
                        "question": indicator.question,
                        "title_en": indicator.title_en,
                        "level": self.slot(_IND_LEVEL, ind),
                        "determined": self.slot(_IND_DETERMINED, ind),
                        "missing_facts": self.slot(_IND_MISSING, ind),
                        "where": str(indicator.where),
                        "levels": levels,
                    }
                )
                ind += 1
            out.append(
                {
                    "id": aspect.id,
                    "number": aspect.number,
                    "name_id": aspect.name_id,
                    "name_en": aspect.name_en,
                    "weight": aspect.weight,
                    "mean_level": {"exact": self.slot(_ASPECT_MEAN_EXACT, a_index), "display": self.slot(_ASPECT_MEAN_DISPLAY, a_index)},
                    "contribution": {"exact": self.slot(_ASPECT_CONTRIB_EXACT, a_index), "display": self.slot(_ASPECT_CONTRIB_DISPLAY, a_index)},
                    "indicators": indicators,
                }
            )
        return out


# The values written once per aspect or indicator, in the order Template.write
# computes them before writing: four per aspect, then three per indicator.
_ASPECT_VALUES = (_ASPECT_MEAN_EXACT, _ASPECT_MEAN_DISPLAY, _ASPECT_CONTRIB_EXACT, _ASPECT_CONTRIB_DISPLAY)
_INDICATOR_VALUES = (_IND_LEVEL, _IND_DETERMINED, _IND_MISSING)


class _Template:
    """The aspects part of a ruleset's result text: one piece per placeholder, and how to write each.

    Every piece is a placeholder's value with the fixed text before it, in UTF-8. Pieces
    of one kind are made together (the yes/no comparisons and the condition
    outcomes, most of them, by map() over precomputed tables) and then put in
    output order by one itemgetter, so an office costs few Python-level steps.
    """

    __slots__ = ("bool_facts", "bool_tables", "calls", "in_order", "node_tables", "node_values", "office_values", "tail", "value_leaves")

    def __init__(self, ruleset: Ruleset) -> None:
        skeleton = _Skeleton()
        data = skeleton.aspects(ruleset)
        # Dumped as the value of a top-level key, so its indentation is the one it has in the result.
        text = json.dumps({"aspects": data}, ensure_ascii=False, indent=2)
        text = text[len('{\n  "aspects": ') : -len("\n}")]
        pieces = _SLOT.split(text)
        statics = pieces[0::2]
        slots = [skeleton.slots[int(n)] for n in pieces[1::2]]
        plans = [indicator_plan(ruleset, ind_id) for aspect in ruleset.aspects for ind_id in aspect.indicator_ids]
        catalogue = ruleset.catalogue

        bool_leaves, value_leaves, nodes, office_values, calls = [], [], [], [], []
        pos = 0
        i = 0
        while i < len(slots):
            static, spec = statics[i], slots[i]
            line = static[static.rfind("\n") + 1 :]
            indent = line[: len(line) - len(line.lstrip(" "))]
            kind = spec[0]
            if kind == _LEAF_ACTUAL and spec[2].other_fact is None and spec[2].lookup is None:
                # "actual": V, "outcome": O [, "missing": [...]] for a comparison with a constant.
                c = spec[2]
                mid = statics[i + 1]
                missing = f'{static}null{mid}"unknown",\n{indent}"missing": {_dump([c.fact], indent)}'
                if catalogue.facts[c.fact].type == "bool":
                    table = {None: missing.encode()}
                    for value in (True, False):
                        table[value] = f"{static}{_scalar(value)}{mid}{_WORD[_bool_outcome(c, value)]}".encode()
                    bool_leaves.append((pos, c.fact, table))
                else:
                    value_leaves.append((pos, c.fact, spec[1], plans[spec[1]].index[c.path], static, mid, missing))
                i += 1  # the outcome placeholder is written with the actual value
            elif kind == _NODE_OUTCOME:
                nodes.append((pos, spec[1], plans[spec[1]].index[spec[2].path], {o: (static + word).encode() for o, word in _WORD.items()}))
            elif kind in _ASPECT_VALUES:
                office_values.append((pos, static, 4 * spec[1] + _ASPECT_VALUES.index(kind), None))
            elif kind in _INDICATOR_VALUES:
                # A list (missing facts) needs its line's indentation; a string is written as it is.
                where = 4 * len(ruleset.aspects) + 3 * spec[1] + _INDICATOR_VALUES.index(kind)
                office_values.append((pos, static, where, indent if kind == _IND_MISSING else None))
            else:
                calls.append((pos, static, _leaf_writer(spec, indent, plans)))
            i += 1
            pos += 1
        # Each kind's pieces are made in C-level map() calls where possible, then
        # put in output order by one itemgetter over their concatenation.
        offsets, total = [], 0
        for plan in plans:
            offsets.append(total)
            total += len(plan.nodes)
        self.bool_facts = tuple(fact for _, fact, _ in bool_leaves)
        self.bool_tables = tuple(table for _, _, table in bool_leaves)
        self.node_values = picker([offsets[ind] + node for _, ind, node, _ in nodes])
        self.node_tables = tuple(table for *_, table in nodes)
        self.value_leaves = tuple((fact, offsets[ind] + node, static, mid, missing.encode()) for _, fact, ind, node, static, mid, missing in value_leaves)
        self.office_values = tuple((static.encode(), where, indent) for _, static, where, indent in office_values)
        self.calls = tuple((static.encode(), writer) for _, static, writer in calls)
        combined = [pos for pos, *_ in bool_leaves] + [pos for pos, *_ in nodes] + [pos for pos, *_ in value_leaves]
        combined += [pos for pos, *_ in office_values] + [pos for pos, *_ in calls]
        order = {pos: i for i, pos in enumerate(combined)}
        self.in_order = picker([order[position] for position in range(pos)])
        self.tail = statics[-1].encode()

    def write(self, result: ScoreResult, out: list[bytes]) -> None:
        """Append the aspects part of ``result``'s text, as UTF-8 pieces, to ``out``."""
        get = result.evidence.facts.get
        indicators = [ir for aspect in result.aspects for ir in aspect.indicators]
        trace = tuple(chain.from_iterable([ir.trace for ir in indicators]))
        pieces = list(map(getitem, self.bool_tables, map(get, self.bool_facts)))
        pieces += map(getitem, self.node_tables, self.node_values(trace))
        for fact, node, static, mid, missing in self.value_leaves:
            value = get(fact)
            pieces.append(missing if value is None else f"{static}{_scalar(value)}{mid}{_WORD[trace[node]]}".encode())
        # The values written once per aspect and indicator, in the order _ASPECT_VALUES and _INDICATOR_VALUES give.
        values: list[Any] = []
        for aspect in result.aspects:
            values += (_exact(aspect.mean), _display(aspect.mean), _exact(aspect.contribution), _display(aspect.contribution))
        for ir in indicators:
            values += (str(ir.level), "true" if ir.determined else "false", ir.missing_facts)
        for static, where, indent in self.office_values:
            pieces.append(static + (values[where] if indent is None else _dump(values[where], indent)).encode())
        for static, writer in self.calls:
            pieces.append(static + writer(result, indicators).encode())
        out += self.in_order(pieces)
        out.append(self.tail)


def _bool_outcome(c: Compare, value: bool) -> bool:
    return bool(OPERATORS[c.op](value, c.value))


def _leaf_writer(spec: tuple[Any, ...], indent: str, plans: list[Any]) -> Callable[[ScoreResult, list[Any]], str]:
    """The text of a placeholder of a fact-to-fact comparison or a lookup."""
    kind, ind = spec[0], spec[1]
    # Fact-to-fact comparisons and lookups: rare, so rebuilt the reference way.
    c = spec[2]
    node = plans[ind].index[c.path]

    def leaf(result: ScoreResult, indicators: list[Any]) -> str:
        cr = compare_result(c, indicators[ind].trace[node], result.evidence.facts)
        if kind == _LEAF_ACTUAL:
            return _scalar(cr.actual)
        if kind == _LEAF_EXPECTED:
            return _scalar(cr.expected)
        if kind == _LEAF_KEY_VALUE:
            return _scalar(cr.key_value)
        text = f'"{outcome_word(cr.outcome)}"'
        if cr.missing:
            text += f',\n{indent}"missing": {_dump(cr.missing, indent)}'
        return text

    return leaf


def _exact(value: Fraction) -> str:
    return f'"{value.numerator}"' if value.denominator == 1 else f'"{value.numerator}/{value.denominator}"'


def _display(value: Fraction) -> str:
    return _display_ratio(value.numerator, value.denominator)


@lru_cache(maxsize=4096)
def _display_ratio(numerator: int, denominator: int) -> str:
    # Aspect means and contributions take few distinct values (sums of levels over a
    # fixed count, times fixed weights), so most offices find theirs already written.
    return f'"{display(Fraction(numerator, denominator))}"'


@lru_cache(maxsize=16)
def _template(ruleset: Ruleset) -> _Template:
    return _Template(ruleset)


def dumps_json(data: Any) -> str:
    """Deterministic JSON text: insertion order, UTF-8 kept readable, indented, a trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dumps_result(result: ScoreResult) -> bytes:
    """Exactly ``json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\\n"`` in UTF-8, without building the dict.

    UTF-8 pieces, joined once: the text is a quarter of a megabyte, and every
    extra copy of it (a str join, then its encoding) costs about as much as
    writing the pieces.
    """
    head = _dump(result.header_dict())
    out = [head[:-2].encode(), b',\n  "aspects": ']  # the aspects are the last key: the header without its closing brace
    _template(result.ruleset).write(result, out)
    out.append(b"\n}\n")
    return b"".join(out)
