"""Load a ruleset folder into the immutable model, checking everything once, here.

Each file is read with the strict YAML reader, validated against
``schemas/rules.schema.json``, and then checked against the fact catalogue:
unknown facts (with a "did you mean"), operators that do not suit a fact's type,
constants of the wrong type or outside the fact's range, unknown enum values and
lookups, and the aspect/indicator structure. All problems are collected and
raised together as one :class:`RulesError`, each with file, line and column, so
evaluation can never fail on a type or an unknown name.

Both rule forms are read here: the plain one (a bare fact name, comparison words,
named conditions used by ``{use: NAME}``) and the legacy ``{fact, op, value}`` one,
and both build the same model objects. The module is longer than 400 lines because
every check against the catalogue must see the YAML location it reports, so the
checks stay beside the code that walks the files rather than in a second walker.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from fractions import Fraction
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ..errors import Problem, RulesError, RulesProblem, RulesReadError, suggest
from ..files.digest import sha256
from ..files.paths import DEFAULT_RULESET, RULES_HOME_VARIABLE, rules_schema_path
from ..files.record import replace
from ..messages import message, number
from .model import (
    META_FACTS,
    Aggregation,
    AllOf,
    AnyOf,
    Aspect,
    Catalogue,
    Compare,
    Condition,
    Constraint,
    EnumSpec,
    FactSpec,
    Indicator,
    Interpretation,
    Level,
    Lookup,
    LookupBand,
    Not,
    Ruleset,
    Where,
    exact_number,
)
from .operators import OPS_BY_TYPE
from .schema_text import json_kind, kind_text, schema_error_text, shown
from .yamlsafe import Located, load_yaml_bytes, read_rule_bytes

__all__ = ["REGISTER_FILE", "load_ruleset", "load_ruleset_files", "read_rule_files"]

# The interpretation register, optional, beside ruleset.yaml.
REGISTER_FILE = "interpretations.yaml"

# The comparison words of the rule format, so no operator needs quoting ("> 98" would
# start a YAML block scalar); the legacy {op: ">="} form maps to the same operators.
KEYWORD_OPS = {
    "is": "==",
    "is_not": "!=",
    "less_than": "<",
    "at_most": "<=",
    "greater_than": ">",
    "at_least": ">=",
    "between": "between",
    "in": "in",
}
_FACT_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


@cache
def _validator(kind: str) -> Any:
    # deferred: jsonschema (about 70 ms to import) only when rule files are checked, never for a ruleset from the cache
    import jsonschema

    path = rules_schema_path()
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:  # PENTAS_RULES_HOME names a folder without schemas/
        hint = message("loader.schema_hint", variable=RULES_HOME_VARIABLE, ruleset=DEFAULT_RULESET)
        raise RulesReadError(str(path), exc, message("loader.schema_unreadable", hint=hint)) from None
    sub = {"$schema": schema["$schema"], "$defs": schema["$defs"], "$ref": f"#/$defs/{kind}"}
    return jsonschema.Draft202012Validator(sub)


def _json_path(path: Any) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _key_hint(error: Any) -> str:
    """A "did you mean" for a misspelt key (``at_leest``), from the keys the schema allows there."""
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return ""
    allowed = list(error.schema.get("properties", {}))
    hints = [
        message("loader.did_you_mean_for", hint=repr(hint), key=repr(key)) for key in error.instance if key not in allowed and (hint := suggest(key, allowed))
    ]
    return f"; {' '.join(hints)}" if hints else ""


def _schema_problems(located: Located, kind: str) -> list[RulesProblem]:
    # deferred: as jsonschema above (a valid file never needs it)
    from jsonschema.exceptions import best_match

    problems = []
    seen: set[tuple[tuple[Any, ...], str]] = set()  # one text per place: each missing key is its own jsonschema error
    errors = sorted(_validator(kind).iter_errors(located.data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in errors:
        if error.context:
            deeper = best_match(error.context)
            if deeper is not None and len(deeper.absolute_path) >= len(error.absolute_path):
                error = deeper
        path = tuple(error.absolute_path)
        text = f"{_json_path(path)}: {schema_error_text(error)}{_key_hint(error)}"
        if (path, text) not in seen:
            seen.add((path, text))
            problems.append(located.problem(path, text, "schema"))
    return problems


class _Builder:
    """Collects problems while turning the validated YAML into model objects."""

    def __init__(self, directory: str) -> None:
        self.problems: list[RulesProblem] = []
        self.directory = directory
        self.register: dict[str, Interpretation] = {}

    def where(self, located: Located, path: tuple[Any, ...]) -> Where:
        """A location relative to the ruleset folder, so results do not depend on where it is checked out."""
        line, column = located.mark(path)
        return Where(_relative(located.file, self.directory), line, column)

    def add(self, located: Located, path: tuple[Any, ...], message: str, code: str = "rules") -> None:
        self.problems.append(located.problem(path, message, code))

    # -- catalogue -----------------------------------------------------------------

    def enums(self, located: Located) -> dict[str, EnumSpec]:
        out = {}
        for name, spec in (located.data.get("enums") or {}).items():
            out[name] = EnumSpec(
                name=name,
                values=tuple(spec["values"]),
                description_id=spec.get("description_id", ""),
                description_en=spec.get("description_en", ""),
            )
        return out

    def catalogue(self, located: Located, enums: dict[str, EnumSpec]) -> Catalogue:
        facts: dict[str, FactSpec] = dict(META_FACTS)
        groups: dict[str, tuple[str, str]] = {}
        for group, body in located.data["groups"].items():
            groups[group] = (body["title_id"], body["title_en"])
            for fact, spec in body["facts"].items():
                path = ("groups", group, "facts", fact)
                name = f"{group}.{fact}"
                enum = None
                if spec["type"] == "enum":
                    enum = enums.get(spec["enum"])
                    if enum is None:
                        self.add(
                            located,
                            path + ("enum",),
                            message("loader.unknown_enum", name=name, enum=repr(spec["enum"]), declared=", ".join(sorted(enums)) or message("loader.none")),
                        )
                low, high = spec.get("min"), spec.get("max")
                if spec["type"] == "integer":
                    for key, bound in (("min", low), ("max", high)):
                        if isinstance(bound, float) and not bound.is_integer():
                            self.add(located, path + (key,), message("loader.fractional_bound", name=name, key=key, bound=bound))
                if low is not None and high is not None and low > high:
                    self.add(located, path, message("loader.min_above_max", name=name, low=low, high=high))
                facts[name] = FactSpec(
                    name=name,
                    type=spec["type"],
                    unit=spec.get("unit"),
                    minimum=low,
                    maximum=high,
                    enum=enum,
                    description_id=spec["description_id"],
                    description_en=spec["description_en"],
                    where=self.where(located, path),
                )
        return Catalogue(facts=facts, enums=enums, groups=groups)

    # -- constants -----------------------------------------------------------------

    def constant_problem(self, spec: FactSpec, value: Any) -> str | None:
        """Why ``value`` cannot be compared with fact ``spec``, or None if it can."""
        misfit = spec.misfit(value)
        if misfit is None:
            return None
        how, bound = misfit
        if how == "enum":
            assert spec.enum is not None  # misfit accepts anything for an undeclared enum
            return message("loader.not_enum_value", value=repr(value), enum=spec.enum.name, values=", ".join(spec.enum.values), name=spec.name)
        if how == "whole":
            return message("loader.not_whole", name=spec.name, found=shown(value))
        if how in ("below", "above"):
            return message("loader.below_minimum" if how == "below" else "loader.above_maximum", value=repr(value), bound=bound, name=spec.name)
        key = "loader.expected_bool" if spec.type == "bool" else "loader.expected_number"
        return message(key, type=spec.type, name=spec.name, found=shown(value))

    def operand(self, located: Located, path: tuple[Any, ...], spec: FactSpec, op: str, value: Any) -> Any:
        """Check a constant operand for ``op`` and return it in canonical form (tuples for lists)."""
        if op == "between":
            if not isinstance(value, list) or len(value) != 2:
                self.add(located, path, message("loader.between_list", found=repr(value)))
                return value
            self._constants(located, path, spec, value)
            if not self._comparable_order(spec, value[0], value[1]):
                self.add(located, path, message("loader.between_order", value=repr(value)))
            return tuple(value)
        if op == "in":
            if not isinstance(value, list) or not value:
                self.add(located, path, message("loader.in_list", found=repr(value)))
                return value
            self._constants(located, path, spec, value)
            return tuple(value)
        if isinstance(value, list):
            self.add(located, path, message("loader.one_value", op=repr(op), found=repr(value)))
            return value
        problem = self.constant_problem(spec, value)
        if problem:
            self.add(located, path, problem)
        return value

    def _constants(self, located: Located, path: tuple[Any, ...], spec: FactSpec, values: list[Any]) -> None:
        """Check each constant of a list operand (``between``'s bounds, ``in``'s options) at its index."""
        for i, value in enumerate(values):
            problem = self.constant_problem(spec, value)
            if problem:
                self.add(located, path + (i,), problem)

    @staticmethod
    def _comparable_order(spec: FactSpec, low: Any, high: Any) -> bool:
        try:
            if spec.type == "enum" and spec.enum is not None:
                return spec.enum.rank(low) <= spec.enum.rank(high)
            return bool(low <= high)
        except (TypeError, ValueError):
            return True  # already reported as a type problem

    # -- lookups and conditions ----------------------------------------------------------

    def fact_spec(self, located: Located, path: tuple[Any, ...], name: str, catalogue: Catalogue) -> FactSpec | None:
        spec = catalogue.facts.get(name)
        if spec is None:
            hint = suggest(name, list(catalogue.facts))
            tail = message("loader.did_you_mean", hint=repr(hint)) if hint else ""
            self.add(located, path, message("loader.undeclared_fact", name=repr(name)) + tail, "unknown-fact")
        return spec

    def lookups(self, located: Located, catalogue: Catalogue) -> dict[str, Lookup]:
        out = {}
        for name, spec in (located.data.get("lookups") or {}).items():
            path = ("lookups", name)
            key = self.fact_spec(located, path + ("key",), spec["key"], catalogue)
            bands = []
            for i, band in enumerate(spec["bands"]):
                # {less_than: 500000, result: 2}, or the legacy {op: "<", value: 500000, result: 2}
                word = "value" if "op" in band else next(k for k in KEYWORD_OPS if k in band)
                op, value = band["op"] if word == "value" else KEYWORD_OPS[word], band[word]
                if key is not None:
                    if not key.is_numeric:
                        self.add(located, path + ("key",), message("loader.lookup_key_type", name=name, key=key.name, type=key.type))
                    else:
                        value = self.operand(located, path + ("bands", i, word), key, op, value)
                bands.append(LookupBand(op=op, value=value, result=band["result"]))
            out[name] = Lookup(
                name=name,
                key=spec["key"],
                bands=tuple(bands),
                description_id=spec.get("description_id", ""),
                description_en=spec.get("description_en", ""),
                where=self.where(located, path),
            )
        return out

    def bands(self, located: Located, agg: dict[str, Any]) -> tuple[tuple[int, int, int], ...]:
        """The aggregation's count bands, ``(least, most, level)``, each checked to be a range that overlaps no other."""
        out: list[tuple[int, int, int]] = []
        for i, band in enumerate(agg.get("bands") or ()):
            (least, most), level = band["met"], band["level"]
            path = ("aggregation", "bands", i, "met")
            if least > most:
                self.add(located, path, message("loader.band_empty", least=least, most=most))
                continue
            for other_least, other_most, other_level in out:
                if least <= other_most and other_least <= most:
                    self.add(
                        located, path, message("loader.band_overlap", least=least, most=most, other_least=other_least, other_most=other_most, level=other_level)
                    )
            out.append((least, most, level))
        return tuple(out)

    def condition(
        self, located: Located, path: tuple[Any, ...], node: Any, ident: str, catalogue: Catalogue, lookups: dict[str, Lookup], chain: tuple[str, ...] = ()
    ) -> Condition:
        """Build one condition of either form; ``chain`` holds the named conditions being expanded (for cycles)."""
        if isinstance(node, dict) and "use" in node:
            resolved = self.named(located, path, node["use"], chain)
            if resolved is None:
                return AllOf(children=(), path=ident, where=self.where(located, path))
            return self.condition(located, resolved[0], resolved[1], ident, catalogue, lookups, (*chain, node["use"]))
        where = self.where(located, path)
        if isinstance(node, str):
            return self.bare_fact(located, path, node, ident, where, catalogue)
        for key, cls in (("all", AllOf), ("any", AnyOf)):
            if key in node:
                children = tuple(
                    self.condition(located, cpath, child, f"{ident}.{key}[{i}]", catalogue, lookups, cchain)
                    for i, (cpath, child, cchain) in enumerate(self.items(located, path + (key,), key, node[key], chain))
                )
                return cls(children=children, path=ident, where=where)
        if "not" in node:
            return Not(child=self.condition(located, path + ("not",), node["not"], f"{ident}.not", catalogue, lookups, chain), path=ident, where=where)
        if "op" in node:  # the legacy form {fact, op: "<=", value | other_fact | lookup}, kept for older rules and git revisions
            kind = next(k for k in ("other_fact", "lookup", "value") if k in node)
            paths = (path + ("op",), path + (kind,))
            return self.compare(located, path, node["fact"], node["op"], kind, node[kind], paths, ident, where, catalogue, lookups)
        keyword = next(k for k in KEYWORD_OPS if k in node)
        operand, kind, opath = node[keyword], "value", path + (keyword,)
        if isinstance(operand, dict):  # {fact: G} or {lookup: L} instead of a constant
            kind, inner = ("other_fact", "fact") if "fact" in operand else ("lookup", "lookup")
            operand, opath = operand[inner], opath + (inner,)
        return self.compare(located, path, node["fact"], KEYWORD_OPS[keyword], kind, operand, (path + (keyword,), opath), ident, where, catalogue, lookups)

    def items(
        self, located: Located, path: tuple[Any, ...], key: str, nodes: list[Any], chain: tuple[str, ...]
    ) -> Iterator[tuple[tuple[Any, ...], Any, tuple[str, ...]]]:
        """The items of an all/any list with each ``{use: N}`` of the same kind written out in place.

        All of (all of A, B) and C is all of A, B and C (likewise for any), so a shared
        list builds exactly the tree its copies built, and the trace lists the facts.
        """
        for i, child in enumerate(nodes):
            if isinstance(child, dict) and "use" in child:
                resolved = self.named(located, path + (i,), child["use"], chain)
                if resolved is None:
                    continue  # reported once here; the load fails anyway
                if isinstance(resolved[1], dict) and key in resolved[1]:
                    yield from self.items(located, resolved[0] + (key,), key, resolved[1][key], (*chain, child["use"]))
                    continue
            yield path + (i,), child, chain

    def named(self, located: Located, path: tuple[Any, ...], name: str, chain: tuple[str, ...]) -> tuple[tuple[Any, ...], Any] | None:
        """The path and body of named condition ``name`` of this file; None (reported) when unknown or circular."""
        defined = located.data.get("conditions") or {} if isinstance(located.data, dict) else {}
        if name in chain:
            self.add(
                located,
                path + ("use",),
                message("loader.condition_cycle", name=repr(name), chain=" -> ".join((*chain[chain.index(name) :], name))),
                "condition-cycle",
            )
            return None
        if name not in defined:
            hint = suggest(name, list(defined))
            if hint:
                tail = message("loader.did_you_mean", hint=repr(hint))
            else:
                tail = message("loader.condition_names", names=", ".join(sorted(defined))) if defined else message("loader.no_conditions")
            self.add(located, path + ("use",), message("loader.unknown_condition", name=repr(name)) + tail, "unknown-condition")
            return None
        return ("conditions", name), defined[name]

    def bare_fact(self, located: Located, path: tuple[Any, ...], name: str, ident: str, where: Where, catalogue: Catalogue) -> Condition:
        """A fact name alone means "this bool fact is true"."""
        if not _FACT_NAME.fullmatch(name):
            self.add(
                located,
                path,
                message("loader.fact_name_expected", found=repr(name)),
            )
        else:
            spec = self.fact_spec(located, path, name, catalogue)
            if spec is not None and spec.type != "bool":
                self.add(located, path, message("loader.fact_alone", name=name, type=spec.type))
        return Compare(fact=name, op="==", path=ident, where=where, value=True)

    def compare(
        self,
        located: Located,
        path: tuple[Any, ...],
        fact: str,
        op: str,
        kind: str,
        operand: Any,
        paths: tuple[tuple[Any, ...], tuple[Any, ...]],
        ident: str,
        where: Where,
        catalogue: Catalogue,
        lookups: dict[str, Lookup],
    ) -> Compare:
        """A comparison of either form; ``paths`` locate its operator and its operand for messages."""
        op_path, operand_path = paths
        spec = self.fact_spec(located, path + ("fact",), fact, catalogue)
        if spec is not None and op not in OPS_BY_TYPE[spec.type]:
            allowed = ", ".join(sorted(OPS_BY_TYPE[spec.type]))
            self.add(located, op_path, message("loader.op_not_for_type", op=repr(op), type=spec.type, fact=fact, allowed=allowed))
        if kind == "other_fact":
            other = self.fact_spec(located, operand_path, operand, catalogue)
            if spec is not None and other is not None:
                same = (spec.is_numeric and other.is_numeric) or (spec.type == other.type and spec.enum == other.enum)
                if not same:
                    self.add(located, operand_path, message("loader.cannot_compare", type=spec.type, fact=fact, other_type=other.type, other=other.name))
                if op in ("between", "in"):
                    self.add(located, op_path, message("loader.list_not_fact", op=repr(op)))
            return Compare(fact=fact, op=op, path=ident, where=where, other_fact=operand)
        if kind == "lookup":
            lookup = lookups.get(operand)
            if lookup is None:
                hint = suggest(operand, list(lookups))
                tail = message("loader.did_you_mean", hint=repr(hint)) if hint else ""
                self.add(located, operand_path, message("loader.unknown_lookup", name=repr(operand)) + tail)
            elif spec is not None and not spec.is_numeric:
                self.add(located, path + ("fact",), message("loader.lookup_gives_number", lookup=lookup.name, fact=fact, type=spec.type))
            if op in ("between", "in"):
                self.add(located, op_path, message("loader.list_not_lookup", op=repr(op)))
            return Compare(fact=fact, op=op, path=ident, where=where, lookup=lookup)
        value = operand
        if spec is not None:
            value = self.operand(located, operand_path, spec, op, value)
        return Compare(fact=fact, op=op, path=ident, where=where, value=value)

    def indicator(
        self, located: Located, path: tuple[Any, ...], body: dict[str, Any], catalogue: Catalogue, lookups: dict[str, Lookup], max_level: int
    ) -> Indicator:
        levels = []
        seen: set[int] = set()
        for i, raw in enumerate(body["levels"]):
            lpath = path + ("levels", i)
            value = int(raw["level"])  # the schema's "integer" admits 5.0; levels are whole numbers from here on
            if value > max_level:
                self.add(located, lpath + ("level",), message("loader.level_outside", id=body["id"], level=value, max=max_level))
            if value in seen:
                self.add(located, lpath + ("level",), message("loader.level_twice", id=body["id"], level=value))
            seen.add(value)
            when = self.condition(located, lpath + ("when",), raw["when"], f"{body['id']}.L{value}", catalogue, lookups)
            self.citations(located, lpath, raw, f"{body['id']}.L{value}")
            levels.append(
                Level(
                    value=value,
                    source=raw["source"],
                    when=when,
                    where=self.where(located, lpath),
                    interpretation=tuple(raw.get("interpretation", ())),
                )
            )
        levels.sort(key=lambda level: level.value)
        return Indicator(
            id=body["id"],
            number=None if body["number"] is None else int(body["number"]),
            aspect_id=body.get("aspect", ""),  # "" until the aspect listing it is known
            question=body["question"],
            title_en=body["title_en"],
            levels=tuple(levels),
            where=self.where(located, path),
        )

    # -- the interpretation register ------------------------------------------------------

    def interpretations(self, located: Located | None) -> dict[str, Interpretation]:
        if located is None:
            return {}
        out = {}
        for rid, body in located.data["interpretations"].items():
            out[rid] = Interpretation(
                id=rid,
                text_id=body["text_id"],
                text_en=body["text_en"],
                settles=tuple(body.get("settles", ())),
                kind=body.get("kind", "reading"),
                where=self.where(located, ("interpretations", rid)),
            )
        return out

    def citations(self, located: Located, lpath: tuple[Any, ...], raw: dict[str, Any], subject: str, *, constraint: bool = False) -> None:
        """A level may cite only readings the register defines: an unknown id explains nothing.

        A ruleset with no register at all (one written before the register was data, as
        older git revisions are) still loads, so `pentas diff git:OLD` keeps working;
        lint reports its citations instead.
        """
        if not self.register:
            return
        for k, rid in enumerate(raw.get("interpretation", ())):
            if rid in self.register:
                continue
            ids = list(self.register)
            hint = suggest(rid, ids)
            # Worded only here, for a problem: every constraint of every cached start passes by.
            named = message("loader.constraint_subject", id=subject) if constraint else subject
            text = message("loader.unknown_citation", subject=named, id=repr(rid), register=REGISTER_FILE, first=ids[0], last=ids[-1])
            tail = message("loader.did_you_mean", hint=repr(hint)) if hint else ""
            self.add(located, lpath + ("interpretation", k), text + tail, "unknown-interpretation")

    def constraints(self, located: Located, catalogue: Catalogue, lookups: dict[str, Lookup]) -> tuple[Constraint, ...]:
        """The consistency constraints between facts; their conditions are checked like a level's."""
        out: list[Constraint] = []
        for i, raw in enumerate(located.data.get("constraints") or ()):
            path = ("constraints", i)
            if any(c.id == raw["id"] for c in out):
                self.add(located, path + ("id",), message("loader.constraint_twice", id=raw["id"]))
            self.citations(located, path, raw, raw["id"], constraint=True)
            out.append(
                Constraint(
                    id=raw["id"],
                    message_id=raw["message_id"],
                    message_en=raw["message_en"],
                    when=self.condition(located, path + ("if",), raw["if"], f"{raw['id']}.if", catalogue, lookups),
                    then=self.condition(located, path + ("then",), raw["then"], f"{raw['id']}.then", catalogue, lookups),
                    where=self.where(located, path),
                    interpretation=tuple(raw.get("interpretation", ())),
                )
            )
        return tuple(out)

    def provinces(self, located: Located) -> dict[str, str]:
        """Region-code prefix -> province; a name given twice would make the prefix check ambiguous."""
        out: dict[str, str] = {}
        seen: dict[str, str] = {}
        for code, name in (located.data.get("provinces") or {}).items():
            folded = " ".join(name.split()).casefold()
            if folded in seen:
                self.add(located, ("provinces", code), message("loader.province_twice", name=repr(name), first=seen[folded], code=code))
            seen[folded] = code
            out[str(code)] = name
        return out


def _number_text(value: Fraction) -> str:
    """A number for a message, even one too large for a float (a mistyped weight must not crash the loader)."""
    try:
        # Six significant digits (a third is 0.333333), written as the language writes numbers: "99,5".
        return number(float(f"{float(value):g}"))
    except OverflowError:
        digits = str(round(value))
        return message("loader.long_number", start=digits[:12], digits=len(digits))


@lru_cache(maxsize=256)  # about 900 nodes of a ruleset share its ~15 files: pathlib per node cost ~10 ms of start-up
def _relative(file: str, directory: str) -> str:
    try:
        return Path(file).relative_to(directory).as_posix()
    except ValueError:
        return Path(file).as_posix()


def _rule_paths(directory: Path) -> list[Path]:
    """The rule files of a ruleset folder in load order; a RulesError when the folder is not one."""
    problems: list[RulesProblem] = []
    if not directory.is_dir():
        hint = message("loader.rules_dir_hint", variable=RULES_HOME_VARIABLE, ruleset=DEFAULT_RULESET)
        raise RulesError([RulesProblem(str(directory), None, None, message("loader.not_rules_dir", hint=hint), "io")])
    for name in ("ruleset.yaml", "facts.yaml"):
        path = directory / name
        if not path.is_file():
            problems.append(RulesProblem(str(path), None, None, message("loader.missing_file", name=name), "io"))
    indicator_paths = sorted((directory / "indicators").glob("*.yaml")) if (directory / "indicators").is_dir() else []
    if not indicator_paths:
        problems.append(RulesProblem(str(directory / "indicators"), None, None, message("loader.no_indicator_files"), "io"))
    if problems:
        raise RulesError(problems)
    register = [directory / REGISTER_FILE] if (directory / REGISTER_FILE).is_file() else []
    return [directory / "ruleset.yaml", directory / "facts.yaml", *indicator_paths, *register]


def split_rule_files(directory: Path, paths: list[Path], files: list[Located]) -> tuple[Located, Located, list[Located], Located | None]:
    """The files of :func:`_rule_paths` by kind: ruleset, facts, indicators, and the register if there is one (last)."""
    if len(paths) > 2 and paths[-1] == directory / REGISTER_FILE:
        return files[0], files[1], files[2:-1], files[-1]
    return files[0], files[1], files[2:], None


def _fingerprint_part(directory: Path, path: Path, content: bytes) -> bytes:
    return path.relative_to(directory).as_posix().encode("utf-8") + b"\0" + content + b"\0"


def read_rule_files(directory: Path) -> tuple[Located, Located, list[Located], Located | None, str]:
    """Parse every rule file of the folder: ruleset, facts, indicator files, the register (or None), fingerprint."""
    paths = _rule_paths(directory)
    problems: list[Problem] = []
    digest = sha256()
    loaded: list[Located] = []
    for path in paths:
        try:
            # The fingerprint covers the very bytes parsed: a file saved in between must
            # not give old rules a new file's fingerprint (or rule-cache key).
            raw = read_rule_bytes(path)
            located = load_yaml_bytes(raw, str(path))
        except RulesError as exc:
            problems.extend(exc.problems)
            continue
        digest.update(_fingerprint_part(directory, path, raw))
        loaded.append(located)
    if problems:
        raise RulesError(problems)
    return (*split_rule_files(directory, paths, loaded), digest.hexdigest())


def load_ruleset_files(
    ruleset_file: Located,
    facts_file: Located,
    indicator_files: list[Located],
    directory: str,
    fingerprint: str,
    *,
    schema_checked: bool = False,
    interpretations_file: Located | None = None,
) -> Ruleset:
    """Build a ruleset from already-parsed files (used by the loader, lint and tests).

    ``schema_checked`` skips the JSON Schema pass for files known to have passed
    it (the rule cache); every check against the fact catalogue still runs.
    """
    problems: list[RulesProblem] = []
    register_kind = () if interpretations_file is None else ((interpretations_file, "interpretations_file"),)
    for located, kind in (
        ()
        if schema_checked
        else ((ruleset_file, "ruleset_file"), (facts_file, "facts_file"), *((f, "indicators_file") for f in indicator_files), *register_kind)
    ):
        if not isinstance(located.data, dict):
            problems.append(located.problem((), message("loader.top_not_mapping", found=kind_text(json_kind(located.data))), "schema"))
            continue
        problems.extend(_schema_problems(located, kind))
    if problems:
        raise RulesError(problems)

    b = _Builder(directory)
    data = ruleset_file.data
    enums = b.enums(ruleset_file)
    catalogue = b.catalogue(facts_file, enums)
    lookups = b.lookups(ruleset_file, catalogue)
    agg = data["aggregation"]
    aggregation = Aggregation(
        indicator=agg["indicator"],
        aspect=agg["aspect"],
        total=agg["total"],
        max_level=int(agg["max_level"]),
        total_max=agg["total_max"],
        bands=b.bands(ruleset_file, agg),
    )

    b.register = b.interpretations(interpretations_file)
    indicators: dict[str, Indicator] = {}
    for located in indicator_files:
        for i, body in enumerate(located.data["indicators"]):
            path = ("indicators", i)
            if body["id"] in indicators:
                b.add(located, path + ("id",), message("loader.indicator_twice", id=body["id"], first=indicators[body["id"]].where))
                continue
            indicators[body["id"]] = b.indicator(located, path, body, catalogue, lookups, aggregation.max_level)

    aspects: list[Aspect] = []
    owner: dict[str, str] = {}
    for i, raw in enumerate(data["aspects"]):
        path = ("aspects", i)
        if any(a.id == raw["id"] for a in aspects):
            b.add(ruleset_file, path + ("id",), message("loader.aspect_twice", id=raw["id"]))
        for j, ind in enumerate(raw["indicators"]):
            ipath = path + ("indicators", j)
            if ind not in indicators:
                hint = suggest(ind, list(indicators))
                tail = message("loader.did_you_mean", hint=repr(hint)) if hint else ""
                b.add(ruleset_file, ipath, message("loader.aspect_unknown_indicator", aspect=raw["id"], indicator=repr(ind)) + tail)
            elif ind in owner:
                b.add(ruleset_file, ipath, message("loader.indicator_two_aspects", indicator=ind, first=owner[ind], second=raw["id"]))
            else:
                owner[ind] = raw["id"]
                # Membership is declared by the aspect's list; an indicator's own `aspect:`
                # (the older form) is accepted only when it agrees.
                if indicators[ind].aspect_id not in ("", raw["id"]):
                    b.add(
                        ruleset_file,
                        ipath,
                        message("loader.indicator_aspect_mismatch", indicator=ind, declared=repr(indicators[ind].aspect_id), aspect=raw["id"]),
                    )
        aspects.append(
            Aspect(
                id=raw["id"],
                number=int(raw["number"]),
                name_id=raw["name_id"],
                name_en=raw["name_en"],
                weight=raw["weight"],
                indicator_ids=tuple(raw["indicators"]),
                where=b.where(ruleset_file, path),
            )
        )
    for ind_id, indicator in indicators.items():
        if ind_id not in owner:
            b.problems.append(
                RulesProblem(
                    str(Path(directory) / indicator.where.file),
                    indicator.where.line,
                    indicator.where.column,
                    message("loader.indicator_no_aspect", indicator=ind_id),
                )
            )
    weight_sum = sum((exact_number(a.weight) for a in aspects), Fraction(0))
    if weight_sum != exact_number(aggregation.total_max):
        b.add(
            ruleset_file, ("aspects",), message("loader.weights_sum", sum=_number_text(weight_sum), expected=_number_text(exact_number(aggregation.total_max)))
        )
    constraints = b.constraints(ruleset_file, catalogue, lookups)
    provinces = b.provinces(ruleset_file)
    if b.problems:
        raise RulesError(b.problems)

    ordered = {ind: replace(indicators[ind], aspect_id=aspect.id) for aspect in aspects for ind in aspect.indicator_ids}
    rule_facts: dict[str, None] = {}
    for indicator in ordered.values():
        for fact in indicator.facts():
            rule_facts.setdefault(fact, None)
    return Ruleset(
        name=data["name"],
        version=str(data["version"]),
        title_id=data["title_id"],
        title_en=data["title_en"],
        aggregation=aggregation,
        catalogue=catalogue,
        lookups=lookups,
        aspects=tuple(aspects),
        indicators=ordered,
        directory=directory,
        fingerprint=fingerprint,
        rule_facts=tuple(sorted(rule_facts)),
        interpretations=b.register,
        year=data.get("year"),
        provinces=provinces,
        constraints=constraints,
    )


def load_ruleset(directory: str | Path) -> Ruleset:
    """Load and check the ruleset in ``directory`` the long way; raise RulesError listing every problem.

    The loader knows nothing of the rule cache: :func:`pentas_rules.ruleset.cache.load_ruleset_cached`
    wraps it, and the commands (and anything else that wants speed) call that.
    """
    path = Path(directory)
    ruleset_file, facts_file, indicator_files, register_file, fingerprint = read_rule_files(path)
    return load_ruleset_files(ruleset_file, facts_file, indicator_files, str(path), fingerprint, interpretations_file=register_file)
