"""A JSON Schema error of a rule file in the reader's words, Indonesian or English.

jsonschema words its errors in English ("Additional properties are not allowed ('at_lest'
was unexpected)"), and a rule maintainer reads Indonesian by default. So the common
error kinds are worded here from what the error carries (its ``validator``,
``validator_value`` and ``instance``), from the one message catalogue; any other kind
gets a generic text. The caller puts the location (the JSON path, the YAML line) in
front, so every text still names its place.

Only the error object is read, never jsonschema itself: this module imports nothing
heavy and works with any error that has those attributes.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import suggest
from ..messages import message

__all__ = ["schema_error_text"]

# A value quoted in a message is cut here: a whole mis-indented block is no help in one line.
_LONGEST_VALUE = 60

_JSON_KINDS = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}


def json_kind(value: Any) -> str:
    """The JSON Schema type name of a parsed YAML value (``object``, ``array``, ``string``, ...)."""
    return _JSON_KINDS.get(type(value), "object")


def kind_text(kind: str, lang: str | None = None) -> str:
    """A JSON Schema type name as the reader's word: ``pemetaan`` / ``a mapping`` for ``object``."""
    return message(f"schema.kind.{kind}", lang) if kind in _JSON_KINDS.values() else kind


def shown(value: Any) -> str:
    """A scalar as the rule file writes it (``'at_lest'``, ``true``, ``5``), cut to a readable length."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    text = repr(value)
    return text if len(text) <= _LONGEST_VALUE else text[: _LONGEST_VALUE - 3] + "..."


def _found(value: Any, lang: str | None) -> str:
    """What was found: the value itself for a scalar, its kind for a mapping or list (too long to quote)."""
    return kind_text(json_kind(value), lang) if isinstance(value, (dict, list)) else shown(value)


def _kind_and_value(value: Any, lang: str | None) -> str:
    """``teks 'abc'``, ``angka 5``: the kind names what was found; ``true`` and ``null`` name themselves."""
    if isinstance(value, bool):
        return shown(value)
    kind = kind_text(json_kind(value), lang)
    return kind if isinstance(value, (dict, list)) or value is None else f"{kind} {shown(value)}"


def _listed(values: Any, lang: str | None) -> str:
    return ", ".join(shown(v) for v in values) if isinstance(values, (list, tuple)) else shown(values)


def _extra_keys(error: Any) -> list[str]:
    """The keys ``additionalProperties: false`` refused: neither a listed property nor matching a pattern."""
    properties = error.schema.get("properties", {})
    patterns = list(error.schema.get("patternProperties", {}))
    return [str(k) for k in error.instance if k not in properties and not any(re.search(p, str(k)) for p in patterns)]


def _did_you_mean(found: Any, choices: Any, lang: str | None) -> str:
    if not isinstance(found, str) or not isinstance(choices, (list, tuple)):
        return ""
    hint = suggest(found, [c for c in choices if isinstance(c, str)])
    return message("loader.did_you_mean", lang, hint=repr(hint)) if hint else ""


def _additional(error: Any, lang: str | None) -> str:
    if not isinstance(error.instance, dict) or error.validator_value is not False:
        return message("schema.other", lang, found=_found(error.instance, lang), rule=error.validator)
    keys = ", ".join(repr(k) for k in _extra_keys(error))
    allowed = list(error.schema.get("properties", {}))
    if not allowed:
        return message("schema.additional_no_list", lang, count=len(_extra_keys(error)), keys=keys)
    return message("schema.additional", lang, count=len(_extra_keys(error)), keys=keys, allowed=", ".join(allowed))


def _required(error: Any, lang: str | None) -> str:
    # jsonschema reports each missing key as its own error, without naming it as data; all of
    # them are named here, and the caller drops the repeated texts at the same place.
    missing = [k for k in error.validator_value if isinstance(error.instance, dict) and k not in error.instance]
    return message("schema.required", lang, count=len(missing), keys=", ".join(repr(k) for k in missing))


def _type(error: Any, lang: str | None) -> str:
    wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    expected = message("schema.or", lang).join(kind_text(k, lang) for k in wanted)
    return message("schema.expected", lang, expected=expected, found=_kind_and_value(error.instance, lang))


def _words(error: Any, lang: str | None) -> str:
    """The text for one error kind, or the generic one."""
    rule, limit, instance = error.validator, error.validator_value, error.instance
    found = _found(instance, lang)
    if rule == "additionalProperties":
        return _additional(error, lang)
    if rule == "required":
        return _required(error, lang)
    if rule == "type":
        return _type(error, lang)
    if rule == "enum":
        return message("schema.enum", lang, allowed=_listed(limit, lang), found=found) + _did_you_mean(instance, limit, lang)
    if rule == "const":
        return message("schema.expected", lang, expected=shown(limit), found=found) + _did_you_mean(instance, [limit], lang)
    if rule in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        key = {"minimum": "min", "maximum": "max", "exclusiveMinimum": "above", "exclusiveMaximum": "below"}[rule]
        return message(f"schema.{key}", lang, limit=shown(limit), found=found)
    if rule == "minLength":
        if limit == 1:
            return message("schema.empty_text", lang)
        return message("schema.min_length", lang, count=limit, found=found)
    if rule == "maxLength":
        return message("schema.max_length", lang, count=limit, found=found)
    if rule == "pattern":
        return message("schema.pattern", lang, found=found, pattern=limit)
    if rule in ("minItems", "maxItems", "minProperties", "maxProperties"):
        size = len(instance) if isinstance(instance, (list, dict)) else 0
        key = {"minItems": "min_items", "maxItems": "max_items", "minProperties": "min_keys", "maxProperties": "max_keys"}[rule]
        return message(f"schema.{key}", lang, count=limit, size=size)
    if rule == "uniqueItems":
        return message("schema.unique_items", lang)
    if rule in ("oneOf", "anyOf"):
        # oneOf also fails when more than one form fits: then no sub-error explains it.
        many = rule == "oneOf" and not error.context
        return message("schema.one_of_many" if many else "schema.one_of", lang, found=found)
    if rule == "not" or rule is None:  # None: a ``false`` schema, which allows nothing at its place
        return message("schema.not", lang, found=found)
    return message("schema.other", lang, found=found, rule=rule)


def schema_error_text(error: Any, lang: str | None = None) -> str:
    """One jsonschema ``ValidationError`` worded in ``lang`` (the active language by default), without its location."""
    text = _words(error, lang)
    # propertyNames checks each key as a value at the mapping's own path: say it is a key's name.
    if "propertyNames" in error.absolute_schema_path:
        return message("schema.key_name", lang, text=text)
    return text
