"""Evidence documents: reading, strict JSON parsing, validation, and the typed facts.

An evidence document describes one office::

    {
      "ruleset": "pentas-2021",                     (optional; checked when present)
      "meta": {"office": "...", "region_code": "32.73", "province": "...",
               "year": 2021, "population": 2500000,
               "assessed_on": "2021-06-01", "assessors": ["..."]},
      "facts": {"parkir": {"rambu": true, ...}, "kinerja": {"perekaman_ktp_el_pct": 97.4}}
    }

A fact is written either as its bare value or as ``{"value": ..., "source": "...",
"note": "..."}`` so that the document it was read from can be recorded without
changing the format. ``null`` (or leaving the fact out) means *not assessed*: the
engine treats it as unknown, never as false.

Validation has two paths that must agree: checks compiled from the fact catalogue
decide the common, valid case quickly; when they find a problem, the generated
JSON Schema (Draft 2020-12) is run to produce the complete list of located
problems, each re-worded from the catalogue (expected, found, did you mean).
"""

from __future__ import annotations

import datetime
import json
import math
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import EvidenceError, EvidenceProblem, EvidenceWarning, printable, suggest
from ..ruleset.model import META_FACTS, FactSpec, Ruleset

__all__ = [
    "MAX_EVIDENCE_BYTES",
    "Evidence",
    "FactNote",
    "OfficeMeta",
    "evidence_problems",
    "evidence_schema",
    "parse_evidence",
    "read_evidence_bytes",
]

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
_FACT_EXTRAS = ("source", "note")
# "(?!\n)$" is the end of the text in both regex dialects: Python's "$" alone also
# matches before a final newline, ECMA-262's (the schema's, for other validators) does not.
_REGION_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}(?!\n)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$")


@dataclass(frozen=True, slots=True)
class OfficeMeta:
    """Who was assessed, and when."""

    office: str
    region_code: str
    province: str
    year: int
    population: int | None = None
    assessed_on: str | None = None
    assessors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FactNote:
    """Where a fact's value came from, as the assessor recorded it."""

    source: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A validated evidence document: office metadata and the known fact values.

    ``facts`` maps dotted fact names (and ``meta.population``/``meta.year``) to
    values; an absent name is unknown.
    """

    file: str
    meta: OfficeMeta
    facts: dict[str, Any]
    notes: dict[str, FactNote] = field(default_factory=dict)
    ruleset: str | None = None
    warnings: tuple[EvidenceWarning, ...] = ()  # doubtful metadata that is still scored (e.g. another year)

    def __hash__(self) -> int:
        return id(self)


# -- reading ----------------------------------------------------------------------


def read_evidence_bytes(path: str) -> bytes:
    """Read an evidence file (``-`` for standard input), refusing files over the size limit before parsing."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_EVIDENCE_BYTES + 1)
        else:
            p = Path(path)
            if p.is_dir():
                raise EvidenceError(path, [EvidenceProblem("$", "is a directory, expected an evidence JSON file")])
            size = p.stat().st_size
            if size > MAX_EVIDENCE_BYTES:
                raise EvidenceError(path, [EvidenceProblem("$", f"file is {size} bytes, over the limit of {MAX_EVIDENCE_BYTES} bytes (10 MB); it was not read")])
            data = p.read_bytes()
    except OSError as exc:
        raise EvidenceError(path, [EvidenceProblem("$", f"cannot read file: {exc.strerror or exc}")]) from None
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceError(path, [EvidenceProblem("$", f"input is over the limit of {MAX_EVIDENCE_BYTES} bytes (10 MB)")])
    return data


# -- strict JSON ------------------------------------------------------------------------


class _JSONRefused(ValueError):
    pass


class _Object(dict):  # type: ignore[type-arg]
    """A JSON object that remembers keys it saw twice (json keeps only the last)."""

    __slots__ = ("duplicates",)


def _marked(pairs: list[tuple[str, Any]]) -> _Object:
    """An object with a key written twice, remembering which (json would keep only the last)."""
    marked = _Object()
    dups: list[str] = []
    for key, value in pairs:
        if key in marked:
            dups.append(key)
        marked[key] = value
    marked.duplicates = dups
    return marked


def _refuse_constant(name: str) -> Any:
    raise _JSONRefused(f"{name} is not a valid JSON number")


def _parse_int(text: str) -> int:
    # Python refuses to convert more than 4,300 digits (a ValueError deep in json);
    # no fact or metadata needs more than a few.
    if len(text) > 30:
        raise _JSONRefused(f"number {text[:12]}... ({len(text)} digits) is too long")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _JSONRefused(f"number {text} is too large")
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _show(value: Any) -> str:
    """A found value as the user wrote it, shortened."""
    if isinstance(value, (dict, list)):
        return _json_type(value)
    text = json.dumps(value, ensure_ascii=False)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{_json_type(value)} {text}"


def _path(parts: tuple[Any, ...] | list[Any]) -> str:
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif re.fullmatch(r"[A-Za-z_$][A-Za-z0-9_$]*", str(part)):
            out += f".{part}"
        else:
            out += "[" + json.dumps(str(part), ensure_ascii=False) + "]"
    return out


def _duplicates(doc: Any) -> list[EvidenceProblem]:
    problems = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:  # iterative: a deep document must not exhaust the Python stack
        node, where = stack.pop()
        if isinstance(node, dict):
            for key in getattr(node, "duplicates", ()):
                problems.append(EvidenceProblem(_path(where + (key,)), f"duplicate key {key!r} in one object (JSON keeps only the last; remove one)", "each key once", "the key twice"))
            stack.extend((v, where + (k,)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, where + (i,)) for i, v in enumerate(node))
    problems.sort(key=lambda p: p.path)
    return problems


def _load_json(raw: bytes, file: str) -> Any:
    if raw.startswith(b"\xef\xbb\xbf"):  # Windows editors write a byte-order mark
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EvidenceError(file, [EvidenceProblem("$", f"not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be decoded; save the file as UTF-8", "UTF-8 text", "other bytes")]) from None
    if not text.strip():
        raise EvidenceError(file, [EvidenceProblem("$", "the file is empty; expected a JSON object with 'meta' and 'facts'", "a JSON object", "nothing")])
    duplicated: list[bool] = []

    def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) == len(pairs):  # the common case, decided at C speed
            return obj
        duplicated.append(True)
        return _marked(pairs)

    try:
        doc = json.loads(text, object_pairs_hook=object_pairs, parse_constant=_refuse_constant, parse_float=_parse_float, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise EvidenceError(file, [EvidenceProblem(f"line {exc.lineno}, column {exc.colno}", f"malformed JSON: {exc.msg}", "valid JSON", "a syntax error")]) from None
    except _JSONRefused as exc:
        raise EvidenceError(file, [EvidenceProblem("$", f"malformed JSON: {exc} (NaN, Infinity and numbers too large for a double are refused)")]) from None
    except RecursionError:
        raise EvidenceError(file, [EvidenceProblem("$", "JSON nesting is too deep to be evidence", "a shallow object", "deeply nested arrays or objects")]) from None
    if not isinstance(doc, dict):
        raise EvidenceError(file, [EvidenceProblem("$", f'expected a JSON object at the top level ({{"meta": ..., "facts": ...}}), found {_json_type(doc)}', "object", _json_type(doc))])
    if duplicated:
        raise EvidenceError(file, _duplicates(doc))
    if _SURROGATE_ESCAPE.search(text):  # only a \uD800-\uDFFF escape can put a lone surrogate in a string
        lone = _lone_surrogates(doc)
        if lone:
            raise EvidenceError(file, lone)
    return doc


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _lone_surrogates(doc: Any) -> list[EvidenceProblem]:
    """Strings holding half of a UTF-16 surrogate pair: JSON can escape one, but it is not text."""
    problems = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        node, where = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        for key, value in items:
            for text in (key, value):
                if isinstance(text, str):
                    try:
                        text.encode("utf-8")
                    except UnicodeEncodeError:
                        problems.append(EvidenceProblem(_path(where + (printable(str(key)),)), "a string holds a lone surrogate escape (\\uD800-\\uDFFF without its pair), which is not text", "text", "a lone surrogate"))
                        break
            if isinstance(value, (dict, list)):
                stack.append((value, where + (key,)))
    problems.sort(key=lambda p: p.path)
    return problems


# -- the schema, generated from the catalogue -----------------------------------------


def _scalar_schema(spec: FactSpec) -> dict[str, Any]:
    if spec.type == "bool":
        return {"type": ["boolean", "null"]}
    if spec.type == "enum":
        assert spec.enum is not None
        return {"enum": [*spec.enum.values, None]}
    schema: dict[str, Any] = {"type": ["number" if spec.type == "number" else "integer", "null"]}
    if spec.minimum is not None:
        schema["minimum"] = spec.minimum
    if spec.maximum is not None:
        schema["maximum"] = spec.maximum
    return schema


_META_PROPERTIES: dict[str, Any] = {
    "office": {"type": "string", "minLength": 1, "description": "Nama dinas / kabupaten/kota (office name)"},
    "region_code": {"type": "string", "pattern": _REGION_CODE.pattern, "description": "Kode wilayah Kemendagri PP.KK (Kemendagri region code)"},
    "province": {"type": "string", "minLength": 1, "description": "Provinsi (province)"},
    "year": {
        "type": "integer",
        "minimum": META_FACTS["meta.year"].minimum,
        "maximum": META_FACTS["meta.year"].maximum,
        "description": "Tahun penilaian (year of assessment)",
    },
    "population": {
        "type": "integer",
        "minimum": META_FACTS["meta.population"].minimum,
        "maximum": META_FACTS["meta.population"].maximum,
        "description": "Jumlah penduduk (population)",
    },
    "assessed_on": {"type": "string", "pattern": _DATE.pattern, "description": "Tanggal penilaian YYYY-MM-DD (date of assessment)"},
    "assessors": {"type": "array", "items": {"type": "string", "minLength": 1}, "description": "Nama penilai (assessors)"},
}
_META_REQUIRED = ["office", "region_code", "province", "year"]


def evidence_schema(ruleset: Ruleset) -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of evidence for ``ruleset``, generated from its catalogue."""
    groups: dict[str, Any] = {}
    defs: dict[str, Any] = {}
    catalogue = ruleset.catalogue
    for name, spec in sorted(catalogue.facts.items()):
        if name.startswith("meta."):
            continue
        group, fact = name.split(".", 1)
        scalar = _scalar_schema(spec)
        unit = f" ({spec.unit})" if spec.unit else ""
        defs[name] = {
            "description": f"{spec.description_id}{unit} / {spec.description_en}",
            "anyOf": [
                scalar,
                {
                    "type": "object",
                    "required": ["value"],
                    "additionalProperties": False,
                    "properties": {"value": scalar, "source": {"type": "string"}, "note": {"type": "string"}},
                },
            ],
        }
        body = groups.setdefault(group, {"type": "object", "additionalProperties": False, "properties": {}})
        title_id, title_en = catalogue.groups.get(group, ("", ""))
        body["description"] = f"{title_id} / {title_en}"
        body["properties"][fact] = {"$ref": f"#/$defs/{name}"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://pentas-rules.example/schemas/{ruleset.name}/evidence.schema.json",
        "title": f"Evidence for ruleset {ruleset.name} {ruleset.version}",
        "description": "Generated from the fact catalogue by `pentas schema`; do not edit by hand. "
        "A fact is its value, or {value, source, note}; null or absent means not assessed (unknown).",
        "type": "object",
        "required": ["meta", "facts"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "ruleset": {"const": ruleset.name},
            "meta": {"type": "object", "required": _META_REQUIRED, "additionalProperties": False, "properties": _META_PROPERTIES},
            "facts": {"type": "object", "additionalProperties": False, "properties": dict(sorted(groups.items()))},
        },
        "$defs": defs,
    }


@lru_cache(maxsize=8)
def _schema_validator(ruleset: Ruleset) -> Any:
    # deferred: jsonschema (about 70 ms to import) only when the fast checks find a problem
    import jsonschema

    return jsonschema.Draft202012Validator(evidence_schema(ruleset))


# -- catalogue checks: the fast path, and the words for every problem ---------------------


def _describe_expected(spec: FactSpec) -> str:
    unit = f" ({spec.unit})" if spec.unit else ""
    if spec.type == "bool":
        return "true or false"
    if spec.type == "enum":
        assert spec.enum is not None
        return "one of " + ", ".join(spec.enum.values)
    kind = "a whole number" if spec.type == "integer" else "a number"
    if spec.minimum is not None and spec.maximum is not None:
        return f"{kind} from {spec.minimum:g} to {spec.maximum:g}{unit}"
    return kind + unit


def _scalar_problem(spec: FactSpec, value: Any) -> str | None:
    """Why ``value`` is not a valid value of fact ``spec`` (None if it is). Null is valid."""
    if value is None:
        return None
    if spec.type == "bool":
        return None if isinstance(value, bool) else f"expected true or false, found {_show(value)}"
    if spec.type == "enum":
        assert spec.enum is not None
        if isinstance(value, str) and value in spec.enum.values:
            return None
        hint = suggest(value, spec.enum.values) if isinstance(value, str) else None
        extra = f" (did you mean {hint!r}?)" if hint and hint != value else ""
        return f"expected one of {', '.join(spec.enum.values)}, found {_show(value)}{extra}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"expected {_describe_expected(spec)}, found {_show(value)}"
    if spec.type == "integer" and isinstance(value, float) and not value.is_integer():
        return f"expected a whole number{f' ({spec.unit})' if spec.unit else ''}, found {value!r}"
    unit = f" ({spec.unit})" if spec.unit else ""
    if spec.minimum is not None and value < spec.minimum:
        return f"{value!r} is below the minimum of {spec.minimum:g}{unit}"
    if spec.maximum is not None and value > spec.maximum:
        return f"{value!r} is above the maximum of {spec.maximum:g}{unit}"
    return None


def _fact_problems(spec: FactSpec, raw: Any, where: tuple[Any, ...]) -> list[EvidenceProblem]:
    if isinstance(raw, dict):
        problems = []
        for key in raw:
            if key not in ("value", *_FACT_EXTRAS):
                hint = suggest(key, ("value", *_FACT_EXTRAS))
                problems.append(EvidenceProblem(_path(where + (key,)), f"unknown key {key!r} in a fact object; allowed: value, source, note", "value, source or note", repr(key), hint))
        if "value" not in raw:
            problems.append(EvidenceProblem(_path(where), "a fact written as an object needs a 'value' key", "value", "no value"))
        else:
            problem = _scalar_problem(spec, raw["value"])
            if problem:
                problems.append(EvidenceProblem(_path(where + ("value",)), problem, _describe_expected(spec), _show(raw["value"])))
        for key in _FACT_EXTRAS:
            if key in raw and not isinstance(raw[key], str):
                problems.append(EvidenceProblem(_path(where + (key,)), f"expected text, found {_show(raw[key])}", "string", _show(raw[key])))
        return problems
    problem = _scalar_problem(spec, raw)
    if problem:
        return [EvidenceProblem(_path(where), problem, _describe_expected(spec), _show(raw))]
    return []


def _meta_problems(meta: Any) -> list[EvidenceProblem]:
    if not isinstance(meta, dict):
        return [EvidenceProblem("$.meta", f"expected an object, found {_show(meta)}", "object", _show(meta))]
    problems = []
    for key in _META_REQUIRED:
        if key not in meta:
            problems.append(EvidenceProblem("$.meta", f"missing required key {key!r}", key, "nothing"))
    for key, value in meta.items():
        where = _path(("meta", key))
        if key not in _META_PROPERTIES:
            problems.append(EvidenceProblem(where, f"unknown key {key!r} in meta; allowed: {', '.join(_META_PROPERTIES)}", None, repr(key), suggest(key, list(_META_PROPERTIES))))
            continue
        if key in ("office", "province"):
            if not isinstance(value, str) or not value:
                problems.append(EvidenceProblem(where, f"expected non-empty text, found {_show(value)}", "string", _show(value)))
        elif key == "region_code":
            if not isinstance(value, str) or not _REGION_CODE.match(value):
                problems.append(EvidenceProblem(where, f"expected a Kemendagri code like \"32.73\" (PP.KK), found {_show(value)}", "PP.KK", _show(value)))
        elif key == "assessed_on":
            if not isinstance(value, str) or not _DATE.match(value):
                problems.append(EvidenceProblem(where, f"expected a date like \"2021-06-01\", found {_show(value)}", "YYYY-MM-DD", _show(value)))
        elif key == "assessors":
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                problems.append(EvidenceProblem(where, f"expected a list of names, found {_show(value)}", "array of strings", _show(value)))
        else:  # year, population
            spec = _META_SPECS[key]
            problem = _scalar_problem(spec, value) if value is not None else f"expected {_describe_expected(spec)}, found null"
            if problem:
                problems.append(EvidenceProblem(where, problem, _describe_expected(spec), _show(value)))
    return problems


# The numeric office metadata rules may use is declared once, by the loader.
_META_SPECS = {"year": META_FACTS["meta.year"], "population": META_FACTS["meta.population"]}


def _unknown_key(where: tuple[Any, ...], key: str, candidates: list[str], what: str) -> EvidenceProblem:
    hint = suggest(key, candidates)
    return EvidenceProblem(_path(where + (key,)), f"unknown {what} {key!r}", what, repr(key), hint)


def _catalogue_problems(doc: dict[str, Any], ruleset: Ruleset) -> list[EvidenceProblem]:
    """Every problem the catalogue can see; empty means the document is valid."""
    problems: list[EvidenceProblem] = []
    catalogue = ruleset.catalogue
    for key in doc:
        if key not in ("$schema", "ruleset", "meta", "facts"):
            problems.append(_unknown_key((), key, ["meta", "facts", "ruleset"], "top-level key"))
    if "ruleset" in doc and doc["ruleset"] != ruleset.name:
        problems.append(EvidenceProblem("$.ruleset", f"this evidence is for ruleset {doc['ruleset']!r}, but the rules loaded are {ruleset.name!r}", ruleset.name, _show(doc["ruleset"])))
    if "$schema" in doc and not isinstance(doc["$schema"], str):
        problems.append(EvidenceProblem("$['$schema']", f"expected text, found {_show(doc['$schema'])}", "string", _show(doc["$schema"])))
    if "meta" not in doc:
        problems.append(EvidenceProblem("$", "missing required key 'meta' (office name, region code, province, year)", "meta", "nothing"))
    else:
        problems.extend(_meta_problems(doc["meta"]))
    if "facts" not in doc:
        problems.append(EvidenceProblem("$", "missing required key 'facts'", "facts", "nothing"))
        return problems
    facts = doc["facts"]
    if not isinstance(facts, dict):
        problems.append(EvidenceProblem("$.facts", f"expected an object of fact groups, found {_show(facts)}", "object", _show(facts)))
        return problems
    all_names = [n for n in catalogue.facts if not n.startswith("meta.")]
    for group, body in facts.items():
        if group not in catalogue.groups:
            hint = suggest(group, all_names if "." in group else list(catalogue.groups))
            if "." in group and group in catalogue.facts:
                message = f"facts are grouped, not dotted: write {{\"{group.split('.')[0]}\": {{\"{group.split('.', 1)[1]}\": ...}}}}"
                problems.append(EvidenceProblem(_path(("facts", group)), message, "a fact group", repr(group)))
            else:
                problems.append(EvidenceProblem(_path(("facts", group)), f"unknown fact group {group!r}", "a fact group", repr(group), hint))
            continue
        if not isinstance(body, dict):
            problems.append(EvidenceProblem(_path(("facts", group)), f"expected an object of facts, found {_show(body)}", "object", _show(body)))
            continue
        for fact, raw in body.items():
            name = f"{group}.{fact}"
            spec = catalogue.facts.get(name)
            if spec is None:
                problems.append(EvidenceProblem(_path(("facts", group, fact)), f"unknown fact {name!r}", "a declared fact", repr(name), suggest(name, all_names)))
                continue
            problems.extend(_fact_problems(spec, raw, ("facts", group, fact)))
    return problems


def _schema_located(doc: dict[str, Any], ruleset: Ruleset) -> set[str]:
    """The JSON paths where the generated JSON Schema finds a problem."""
    paths = set()
    for error in _schema_validator(ruleset).iter_errors(doc):
        paths.add(_path(tuple(error.absolute_path)))
    return paths


def evidence_problems(raw: bytes, file: str, ruleset: Ruleset) -> list[EvidenceProblem]:
    """Every problem in an evidence document, or an empty list when it is valid."""
    try:
        doc = _load_json(raw, file)
    except EvidenceError as exc:
        return list(exc.problems)
    problems = _all_problems(doc, ruleset)
    sense, _ = _meta_sense(doc.get("meta"), ruleset)
    return problems + [p for p in sense if not any(_covers(q.path, p.path) for q in problems)]


def _folded(name: str) -> str:
    """A province name compared as ``rank --province`` compares it: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def _blank(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not value.strip()


def _meta_sense(meta: Any, ruleset: Ruleset) -> tuple[list[EvidenceProblem], list[EvidenceWarning]]:
    """What well-typed metadata can still get wrong: blank names, impossible dates, a
    province its region code does not name (errors), and another year than the
    ruleset's (a warning). Values of the wrong type are left to the shape checks."""
    if not isinstance(meta, dict):
        return [], []
    problems: list[EvidenceProblem] = []
    for key in ("office", "province"):
        if _blank(meta.get(key)):
            problems.append(EvidenceProblem(_path(("meta", key)), f"expected a name, found only whitespace {_show(meta[key])}", "non-blank text", _show(meta[key])))
    assessors = meta.get("assessors")
    if isinstance(assessors, list):
        for i, name in enumerate(assessors):
            if _blank(name):
                problems.append(EvidenceProblem(_path(("meta", "assessors", i)), f"expected a name, found only whitespace {_show(name)}", "non-blank text", _show(name)))
    day = meta.get("assessed_on")
    if isinstance(day, str) and _DATE.match(day):
        try:
            datetime.date.fromisoformat(day)
        except ValueError as exc:
            problems.append(EvidenceProblem(_path(("meta", "assessed_on")), f"{day!r} is not a calendar date ({exc})", "a real date YYYY-MM-DD", _show(day)))
    problems.extend(_province_problems(meta, ruleset.provinces))
    warnings: list[EvidenceWarning] = []
    year = meta.get("year")
    if ruleset.year is not None and isinstance(year, (int, float)) and not isinstance(year, bool) and year != ruleset.year:
        year = int(year)
        warnings.append(
            EvidenceWarning(
                "year",
                "$.meta.year",
                f"Tahun penilaian {year} bukan tahun ruleset {ruleset.name} ({ruleset.year}); skor dihitung dengan aturan {ruleset.year}",
                f"The assessment year {year} is not the year of ruleset {ruleset.name} ({ruleset.year}); scored with the {ruleset.year} rules",
                (("meta.year", "$.meta.year", year),),
            )
        )
    return problems, warnings


def _province_problems(meta: dict[str, Any], provinces: dict[str, str]) -> list[EvidenceProblem]:
    """The province must be the one the region code's two-digit prefix names (the ruleset's table)."""
    region, province = meta.get("region_code"), meta.get("province")
    if not provinces or not isinstance(region, str) or not _REGION_CODE.match(region):
        return []
    prefix = region[:2]
    expected = provinces.get(prefix)
    by_name = {_folded(name): code for code, name in provinces.items()}
    if expected is None:
        hint = f"; province {province!r} has code {by_name[_folded(province)]}" if isinstance(province, str) and _folded(province) in by_name else ""
        return [EvidenceProblem("$.meta.region_code", f"region code {region}: {prefix} is not a province code{hint} (known: {', '.join(provinces)})", "a province code", _show(region))]
    if not isinstance(province, str) or _blank(province) or not province or _folded(province) == _folded(expected):
        return []
    if _folded(province) in by_name:
        message = f"province {province!r} does not match region code {region}: {prefix} is {expected}, {province} is {by_name[_folded(province)]}; correct the one that is wrong"
    else:
        message = f"unknown province {province!r}; region code {region} is in {expected}"
    return [EvidenceProblem("$.meta.province", message, expected, _show(province), expected)]


def _covers(a: str, b: str) -> bool:
    """Whether problem paths ``a`` and ``b`` name the same place or one holds the other."""
    return a == b or b.startswith(a + ".") or b.startswith(a + "[") or a.startswith(b + ".") or a.startswith(b + "[")


def _all_problems(doc: dict[str, Any], ruleset: Ruleset, found: list[EvidenceProblem] | None = None) -> list[EvidenceProblem]:
    """The catalogue's worded problems, plus any place only the JSON Schema objects to.

    jsonschema is the reference for *where* a document is invalid; the catalogue
    says *what* is wrong in an assessor's words. A place jsonschema reports that no
    catalogue problem covers is still reported, so the two can never silently differ.
    """
    problems = list(found) if found is not None else _catalogue_problems(doc, ruleset)
    try:
        located = _schema_located(doc, ruleset)
    except RecursionError:
        located = set()
    for path in sorted(located):
        if not any(_covers(p.path, path) for p in problems):
            problems.append(EvidenceProblem(path, "invalid according to the evidence schema"))
    return problems


def _plain(value: Any) -> Any:
    return value["value"] if isinstance(value, dict) else value


# -- the fast path: valid documents accepted in one pass ----------------------------------

_BOOL, _NUMBER, _INTEGER, _ENUM = range(4)
_META_OPTIONAL = frozenset(_META_PROPERTIES) - frozenset(_META_REQUIRED)


class _FastPath:
    """Checks compiled from the catalogue that accept a valid document and extract its facts in one pass.

    They accept exactly the documents the generated JSON Schema accepts (a
    hypothesis test holds them to it) and give up, returning None, at the first
    thing out of place; the slow path then finds and words every problem.
    """

    __slots__ = ("groups", "ruleset_name")

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset_name = ruleset.name
        self.groups: dict[str, dict[str, tuple[Any, ...]]] = {group: {} for group in ruleset.catalogue.groups}
        for name, spec in ruleset.catalogue.facts.items():
            if name.startswith("meta."):
                continue
            group, fact = name.split(".", 1)
            kind = {"bool": _BOOL, "number": _NUMBER, "integer": _INTEGER, "enum": _ENUM}[spec.type]
            options = frozenset(spec.enum.values) if spec.enum is not None else None
            self.groups.setdefault(group, {})[fact] = (kind, spec.minimum, spec.maximum, options, name)

    def facts(self, doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, FactNote]] | None:
        for key in doc:
            if key not in _TOP_KEYS:
                return None
        if "$schema" in doc and doc["$schema"].__class__ is not str:
            return None
        if "ruleset" in doc and (doc["ruleset"].__class__ is not str or doc["ruleset"] != self.ruleset_name):
            return None
        meta, body = doc.get("meta"), doc.get("facts")
        if meta.__class__ is not dict or body.__class__ is not dict or not _meta_ok(meta):
            return None
        facts: dict[str, Any] = {}
        notes: dict[str, FactNote] = {}
        groups = self.groups
        for group, entries in body.items():
            specs = groups.get(group)
            if specs is None or entries.__class__ is not dict:
                return None
            for fact, value in entries.items():
                spec = specs.get(fact)
                if spec is None:
                    return None
                if value.__class__ is dict:
                    if "value" not in value:
                        return None
                    if len(value) > 1:
                        for key, text in value.items():
                            if key != "value" and (key not in _FACT_EXTRAS or text.__class__ is not str):
                                return None
                        notes[spec[4]] = FactNote(value.get("source"), value.get("note"))
                    value = value["value"]
                if value is None:
                    continue
                kind = spec[0]
                cls = value.__class__
                if kind == _BOOL:
                    if cls is not bool:
                        return None
                elif kind == _ENUM:
                    if cls is not str or value not in spec[3]:
                        return None
                else:
                    if cls is int:
                        pass
                    elif cls is float:
                        if kind == _INTEGER:
                            if not value.is_integer():
                                return None
                            value = int(value)  # 5.0 is accepted as 5, as JSON Schema's "integer" does
                    else:
                        return None
                    if (spec[1] is not None and value < spec[1]) or (spec[2] is not None and value > spec[2]):
                        return None
                facts[spec[4]] = value
        return facts, notes


_TOP_KEYS = frozenset(("$schema", "ruleset", "meta", "facts"))


def _meta_ok(meta: dict[str, Any]) -> bool:
    for key in _META_REQUIRED:
        if key not in meta:
            return False
    for key in meta:
        if key not in _META_PROPERTIES:
            return False
    office, region, province = meta["office"], meta["region_code"], meta["province"]
    if office.__class__ is not str or not office or province.__class__ is not str or not province:
        return False
    if region.__class__ is not str or not _REGION_CODE.match(region):
        return False
    for key in ("year", "population"):
        if key in meta:
            value = meta[key]
            spec = _META_SPECS[key]
            if value.__class__ is float and value.is_integer():
                value = int(value)
            if value.__class__ is not int or not spec.minimum <= value <= spec.maximum:  # type: ignore[operator]
                return False
    if "assessed_on" in meta and (meta["assessed_on"].__class__ is not str or not _DATE.match(meta["assessed_on"])):
        return False
    if "assessors" in meta:
        assessors = meta["assessors"]
        if assessors.__class__ is not list or not all(a.__class__ is str and a for a in assessors):
            return False
    return True


@lru_cache(maxsize=8)
def _fast_path(ruleset: Ruleset) -> _FastPath:
    return _FastPath(ruleset)


def _slow_facts(doc: dict[str, Any], ruleset: Ruleset) -> tuple[dict[str, Any], dict[str, FactNote]]:
    """The facts of a document the slow path found valid, read the plain way."""
    facts: dict[str, Any] = {}
    notes: dict[str, FactNote] = {}
    catalogue = ruleset.catalogue
    for group, body in doc["facts"].items():
        for fact, raw_value in body.items():
            name = f"{group}.{fact}"
            value = _plain(raw_value)
            if isinstance(raw_value, dict) and ("source" in raw_value or "note" in raw_value):
                notes[name] = FactNote(raw_value.get("source"), raw_value.get("note"))
            if value is None:
                continue
            if catalogue.facts[name].type == "integer":
                value = int(value)  # 5.0 is accepted as 5, as JSON Schema's "integer" does
            facts[name] = value
    return facts, notes


def fast_path_accepts(doc: dict[str, Any], ruleset: Ruleset) -> bool:
    """Whether the fast path alone accepts ``doc`` (for the test that holds it to the JSON Schema)."""
    return _fast_path(ruleset).facts(doc) is not None


def parse_evidence(raw: bytes, file: str, ruleset: Ruleset, *, full_check: bool = False) -> Evidence:
    """Parse and validate an evidence document; raise EvidenceError listing every problem.

    The fast path decides a valid document in one pass; anything it does not
    accept goes to the catalogue's worded checks and the JSON Schema, which
    locate every problem (``full_check`` always runs them). ``file`` is the name
    the result and messages show; one that is not valid UTF-8 is shown escaped.
    """
    file = printable(file)
    doc = _load_json(raw, file)
    parsed = None if full_check else _fast_path(ruleset).facts(doc)
    if parsed is None:
        problems = _all_problems(doc, ruleset)
        if problems:
            raise EvidenceError(file, problems)
        parsed = _slow_facts(doc, ruleset)
    facts, notes = parsed
    meta = doc["meta"]
    problems, warnings = _meta_sense(meta, ruleset)
    if problems:
        raise EvidenceError(file, problems)
    population = meta.get("population")
    year = int(meta["year"])
    if population is not None:
        population = int(population)
        facts["meta.population"] = population
    facts["meta.year"] = year
    return Evidence(
        file=file,
        meta=OfficeMeta(
            office=meta["office"],
            region_code=meta["region_code"],
            province=meta["province"],
            year=year,
            population=population,
            assessed_on=meta.get("assessed_on"),
            assessors=tuple(meta.get("assessors", ())),
        ),
        facts=facts,
        notes=notes,
        ruleset=doc.get("ruleset"),
        warnings=tuple(warnings),
    )
