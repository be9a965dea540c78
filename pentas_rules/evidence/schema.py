"""The evidence JSON Schema (Draft 2020-12), generated from a ruleset's fact catalogue.

``pentas schema`` prints it for other tools and editors; the tests hold the evidence
checker to it with jsonschema as the reference. Nothing at run time validates with it.
"""

from __future__ import annotations

import re
from typing import Any

from ..ruleset.model import META_FACTS, FactSpec, Ruleset

__all__ = ["DATE", "META_PROPERTIES", "META_REQUIRED", "REGION_CODE", "evidence_schema"]

# "(?!\n)$" is the end of the text in both regex dialects: Python's "$" alone also
# matches before a final newline, ECMA-262's (the schema's, for other validators) does not.
REGION_CODE = re.compile(r"^[0-9]{2}\.[0-9]{2}(?!\n)$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$")


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


META_PROPERTIES: dict[str, Any] = {
    "office": {"type": "string", "minLength": 1, "description": "Nama dinas / kabupaten/kota (office name)"},
    "region_code": {"type": "string", "pattern": REGION_CODE.pattern, "description": "Kode wilayah Kemendagri PP.KK (Kemendagri region code)"},
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
    "assessed_on": {"type": "string", "pattern": DATE.pattern, "description": "Tanggal penilaian YYYY-MM-DD (date of assessment)"},
    "assessors": {"type": "array", "items": {"type": "string", "minLength": 1}, "description": "Nama penilai (assessors)"},
}
META_REQUIRED = ["office", "region_code", "province", "year"]


def _overrides_schema(ruleset: Ruleset) -> dict[str, Any]:
    """Assessors' final levels: each names an indicator and a level of that indicator's ladder (or 0).

    Beyond the schema the checker refuses a second override of one indicator and a date not on the calendar.
    """
    text = {"type": "string", "minLength": 1, "pattern": r"\S"}
    ladders = [
        {"if": {"properties": {"indicator": {"const": ind_id}}}, "then": {"properties": {"level": {"enum": [0, *(lv.value for lv in ind.levels)]}}}}
        for ind_id, ind in ruleset.indicators.items()
    ]
    return {
        "type": "array",
        "description": "Penyesuaian penilai: nilai akhir yang ditetapkan penilai beserta alasannya (assessors' overrides with their reasons)",
        "items": {
            "type": "object",
            "required": ["indicator", "level", "reason", "assessor", "date"],
            "additionalProperties": False,
            "properties": {
                "indicator": {"enum": list(ruleset.indicators)},
                "level": {"type": "integer"},
                "reason": text,
                "assessor": text,
                "approved_by": text,
                "date": {"type": "string", "pattern": DATE.pattern},
            },
            "allOf": ladders,
        },
    }


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
                    "properties": {"value": scalar, "source": {"type": "string"}, "page": {"type": "string"}, "note": {"type": "string"}},
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
        "A fact is its value, or {value, source, page, note}; null or absent means not assessed (unknown).",
        "type": "object",
        "required": ["meta", "facts"],
        "additionalProperties": False,
        "properties": {
            "$schema": {"type": "string"},
            "ruleset": {"const": ruleset.name},
            # meta may name the ruleset too (as the top level may): it must be this one.
            "meta": {
                "type": "object",
                "required": META_REQUIRED,
                "additionalProperties": False,
                "properties": {**META_PROPERTIES, "ruleset": {"const": ruleset.name, "description": "Ruleset yang dipakai (ruleset name)"}},
            },
            "facts": {"type": "object", "additionalProperties": False, "properties": dict(sorted(groups.items()))},
            "overrides": _overrides_schema(ruleset),
        },
        "$defs": defs,
    }
