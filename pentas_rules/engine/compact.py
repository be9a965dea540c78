"""The compact result: one JSON line per office, for batches and machines.

The full result (``ScoreResult.to_dict``) repeats the ruleset's text, rule paths,
operators, rubric sentences and locations, for every office: 90 % of its bytes.
A compact record carries only what the evidence decided, like SARIF carrying
rule metadata once per run: the ruleset by fingerprint, the office's metadata
and facts once, and per indicator the level and one outcome character per trace
node (``+`` true, ``-`` false, ``?`` unknown) in the engine's fixed pre-order.
With the same ruleset, that determines every value of the full result, so
:func:`rebuild` gives it back exactly (a test holds ``rebuild(...).to_dict()``
equal to the original, as data and as bytes).

Rebuilding reads the evidence the record carries as an evidence file is read
(checked against the ruleset, so a hand-edited value gets a located error),
evaluates it again and checks the result against the record (levels, traces,
total, warnings): a record that does not match its ruleset is refused with what
differs rather than shown with values it never had.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from ..errors import EvidenceError, EvidenceProblem, suggest
from ..evidence.jsonfile import json_reason
from ..evidence.reader import Evidence, parse_evidence
from ..files.record import replace
from ..messages import message
from ..ruleset.model import Ruleset
from .evaluate import evaluate
from .header import ENGINE_NAME, __version__, file_name, reproduce_command
from .results import ScoreResult, dumps_line, json_members

__all__ = ["COMPACT_FORMAT", "compact_line", "evidence_document", "pick_record", "read_records", "rebuild", "record_evidence", "to_compact"]

COMPACT_FORMAT = "pentas-compact/1"

_CHAR = {True: "+", False: "-", None: "?"}


def to_compact(result: ScoreResult) -> dict[str, Any]:
    """The compact record of ``result`` as JSON-ready data (see the module docstring)."""
    return {**_head(result), "indicators": _indicators(result), **_tail(result)}


def _head(result: ScoreResult) -> dict[str, Any]:
    """The record's members before the indicators: provenance, office and facts."""
    rs = result.ruleset
    evidence = result.evidence
    return {
        **_provenance(rs.name, rs.version, rs.fingerprint),
        "evidence": {"file": file_name(evidence.file), "sha256": result.evidence_sha256},
        "reproduce": reproduce_command(rs.name, evidence.file),
        **_office(result),
    }


def _provenance(name: Any, version: Any, fingerprint: Any) -> dict[str, Any]:
    """The record's first members, the same for every office scored with one ruleset."""
    return {
        "format": COMPACT_FORMAT,
        # The same provenance as the full result's header, so a record alone says which engine wrote it and how to get it again.
        "engine": {"name": ENGINE_NAME, "version": __version__},
        "ruleset": {"name": name, "version": version, "fingerprint": fingerprint},
    }


def _office(result: ScoreResult) -> dict[str, Any]:
    """The record's members before the indicators that describe the office: its metadata, facts and notes."""
    evidence = result.evidence
    record: dict[str, Any] = {
        "meta": result.office_dict(),
        "facts": evidence.facts,
    }
    if evidence.notes:
        record["notes"] = result.notes_dict()
    return record


def _indicators(result: ScoreResult) -> dict[str, Any]:
    return {ind_id: {"level": level, "trace": _trace_text(trace)} for ind_id, level, trace in result.indicator_rows()}


def _tail(result: ScoreResult) -> dict[str, Any]:
    """The record's members after the indicators: the total, the overrides and the warnings."""
    record: dict[str, Any] = {"total": _fraction_text(result.total)}
    if result.final_total is not None:
        # The judgements travel with the record, so rebuilding gives the same final levels and total.
        record["overrides"] = [o.to_dict() for o in result.evidence.overrides]
        record["final_total"] = _fraction_text(result.final_total)
    if result.warnings:
        record["warnings"] = [w.to_dict() for w in result.warnings]
    return record


@lru_cache(maxsize=4096)
def _trace_text(trace: tuple[bool | None, ...]) -> str:
    """A trace as its characters. Offices repeat an indicator's few likely traces, and a cached
    one is found faster than it is spelt (31 a record: a third of building one)."""
    return "".join(map(_CHAR.__getitem__, trace))


def _fraction_text(value: Any) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def compact_line(result: ScoreResult) -> bytes:
    """One JSON Lines record: the compact record on one line, UTF-8, with its newline.

    Exactly ``dumps_line(to_compact(result))``, written in parts: what is the same for every office
    of a ruleset (the provenance, the reproduce command around the file name) spelt once per
    ruleset; the file name and hash, strings, by orjson (which spells a string as json does, and
    refuses a lone surrogate); the office's metadata, facts and notes by orjson, checked as
    :func:`dumps_line` checks its bytes (the members after the indicators too, spelt by hand when
    they are only the total, a fraction's digits); and the indicators between them joined from
    each row's member, spelt once per distinct row (offices repeat an indicator's rows). The
    indicators need no check: they are ids, whole numbers and traces, never a float; and the
    traces' many "-" made the check of a whole record (for a float's "e-") a third of its cost.
    """
    rs = result.ruleset
    spelt, office, tail = _spelt(rs.name, rs.version, rs.fingerprint), json_members(_office(result)), _tail_bytes(result)
    if spelt is None or office is None or tail is None:
        return dumps_line(to_compact(result))
    head, before_name, after_name = spelt
    import orjson  # deferred: 0.5 ms of start-up for lint and test, which import this module only to read records

    try:
        name, digest = orjson.dumps(file_name(result.evidence.file)), orjson.dumps(result.evidence_sha256)
    except TypeError:  # orjson.JSONEncodeError: a lone surrogate, which json writes escaped
        return dumps_line(to_compact(result))
    members = _members(result.indicator_rows())
    # One join: each "+" would copy the line so far again.
    return b"".join(
        (
            head,
            name,
            b',"sha256":',
            digest,
            b'},"reproduce":',
            before_name,
            name[1:-1],
            after_name,
            b",",
            office,
            b',"indicators":{',
            members,
            b"},",
            tail,
            b"}\n",
        )
    )


# Stands for the file name in the reproduce command spelt once per ruleset; json escapes it, and a
# ruleset's name (a folder's name) cannot hold it, so the escaped command holds it exactly once.
_NAME_MARK = "\x00"


@lru_cache(maxsize=16, typed=True)  # typed: a version 1 is not the version 1.0
def _spelt(name: Any, version: Any, fingerprint: Any) -> tuple[bytes, bytes, bytes] | None:
    """What every record of a ruleset spells alike: ``{``, the provenance members and ``"evidence":{"file":``;
    and the reproduce command's JSON string before and after the file name. None when orjson may not
    spell the provenance as json does."""
    members = json_members(_provenance(name, version, fingerprint))
    command = json.dumps(reproduce_command(name, _NAME_MARK), ensure_ascii=False).encode("utf-8")
    around = command.split(json.dumps(_NAME_MARK).encode("ascii")[1:-1])
    if members is None or len(around) != 2:
        return None
    return b"{" + members + b',"evidence":{"file":', around[0], around[1]


def _tail_bytes(result: ScoreResult) -> bytes | memoryview | None:
    """The members after the indicators as :func:`json_members` writes them. Usually only the total:
    then spelt by hand, as its digits, a minus and a slash need no escape."""
    if result.final_total is None and not result.warnings:
        return b'"total":"' + _fraction_text(result.total).encode() + b'"'
    return json_members(_tail(result))


# Each row's member by the row's identity, for rows the engine hands out again: its memo gives
# every office that repeats an indicator's facts the very same row tuple, so the member is found
# with one look-up of an int in C, where finding it by the row's value hashed the trace (a tuple
# does not keep its hash) for every indicator of every office, about 6 us a record. ``_HELD`` keeps
# each row alive while its identity is a key, so no other object can take that identity; both stop
# growing at ``MEMBERS_LIMIT`` rows, as the memo does (after that, rows are spelt by value).
_BY_ROW: dict[int, bytes] = {}
_HELD: dict[int, tuple[Any, ...]] = {}
MEMBERS_LIMIT = 8192


def _members(rows: list[tuple[str, int, tuple[bool | None, ...]]]) -> bytes:
    """The indicators' members, joined with commas."""
    members: list[Any] = list(map(_BY_ROW.get, map(id, rows)))
    if None in members:  # a member is bytes, never equal to None: this finds only the rows not seen before
        for i, member in enumerate(members):
            if member is None:
                row = rows[i]
                member = members[i] = _row_member(*row)
                if len(_BY_ROW) < MEMBERS_LIMIT:
                    _HELD[id(row)] = row
                    _BY_ROW[id(row)] = member
    return b",".join(members)


@lru_cache(maxsize=8192, typed=True)  # typed: a level True is not the level 1
def _row_member(ind_id: str, level: int, trace: tuple[bool | None, ...]) -> bytes:
    """``"<id>":{"level":3,"trace":"+-?"}``, as json writes that member; offices repeat an
    indicator's few likely rows, and a cached one is found faster than it is spelt.

    Spelt by hand, as json would: the id by json (once per id), a whole number as its digits, and
    the trace's characters, which need no escape (json.dumps itself costs about 5 us a call).
    About 8,000 rows of a few hundred bytes at most, shared with the engine's memo.
    """
    if level.__class__ is int:
        # The trace's characters spelt here, not through _trace_text's cache: a row not met before
        # (this cache's miss) has a trace not met before too, nearly always.
        return f'{_json_text(ind_id)}:{{"level":{level},"trace":"{"".join(map(_CHAR.__getitem__, trace))}"}}'.encode()
    # Not reached by the engine's rows: json says how it spells anything else.
    return json.dumps({ind_id: {"level": level, "trace": _trace_text(trace)}}, ensure_ascii=False, separators=(",", ":"))[1:-1].encode("utf-8")


@lru_cache(maxsize=1024)
def _json_text(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


# -- reading ---------------------------------------------------------------------------


def _refuse(where: str, path: str, message: str, expected: str | None = None, found: str | None = None) -> EvidenceError:
    return EvidenceError(where, [EvidenceProblem(path, message, expected, found)])


def read_records(data: bytes, file: str) -> list[tuple[int, dict[str, Any]]]:
    """Every compact record of a JSON Lines file with its line number (blank lines skipped)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(file, "$", message("compact.not_utf8", byte=exc.start)) from None
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{file}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = message("compact.json_at", column=exc.colno, reason=json_reason(exc.msg))
            raise _refuse(where, "$", message("compact.not_json", reason=reason)) from None
        except (ValueError, RecursionError):  # a number of thousands of digits, nesting too deep
            raise _refuse(where, "$", message("compact.not_json", reason=message("ev.json.other"))) from None
        if not isinstance(record, dict) or record.get("format") != COMPACT_FORMAT:
            found = record.get("format") if isinstance(record, dict) else type(record).__name__
            raise _refuse(where, "$.format", message("compact.not_record"), f'"{COMPACT_FORMAT}"', json.dumps(found, ensure_ascii=False))
        records.append((number, record))
    if not records:
        raise _refuse(file, "$", message("compact.no_record"))
    return records


def pick_record(records: list[tuple[int, dict[str, Any]]], file: str, office: str | None) -> tuple[int, dict[str, Any]]:
    """The one record ``office`` names: a line number (digits) or a region code; None when the file has one record."""
    if office is None:
        if len(records) == 1:
            return records[0]
        raise _refuse(file, "$", message("compact.many_offices", count=len(records)))
    if office.isdigit():
        chosen = [r for r in records if r[0] == int(office)]
        if not chosen:
            raise _refuse(file, "$", message("compact.no_line", line=office), message("compact.one_of_lines", lines=", ".join(str(n) for n, _ in records)))
        return chosen[0]
    chosen = [r for r in records if _region(r[1]) == office]
    if len(chosen) == 1:
        return chosen[0]
    if chosen:
        raise _refuse(file, "$", message("compact.many_of_region", count=len(chosen), region=office, lines=", ".join(str(n) for n, _ in chosen)))
    codes = sorted({str(_region(r)) for _, r in records})
    hint = suggest(office, codes)
    raise _refuse(file, "$.meta.region_code", message("compact.no_region", region=office, hint=message("err.did_you_mean", name=hint) if hint else ""))


def _region(record: dict[str, Any]) -> Any:
    meta = record.get("meta")
    return meta.get("region_code") if isinstance(meta, dict) else None


def rebuild(record: dict[str, Any], ruleset: Ruleset, where: str = "<record>") -> ScoreResult:
    """The full result a compact record was written from, given the ruleset it was scored with.

    Raises :class:`EvidenceError`, located at ``where`` and the record's JSON path,
    when the record was scored with other rules or does not match them.
    """
    _get(record, where, "ruleset", "fingerprint")  # absent: say so, not "scored with ruleset None"
    given = record["ruleset"]
    if given["fingerprint"] != ruleset.fingerprint:
        raise _refuse(
            where,
            "$.ruleset.fingerprint",
            message(
                "compact.other_rules",
                name=given.get("name"),
                version=given.get("version"),
                fingerprint=given.get("fingerprint"),
                rules_name=ruleset.name,
                rules_version=ruleset.version,
                rules_fingerprint=ruleset.fingerprint,
            ),
        )
    evidence = record_evidence(record, ruleset, where)
    result = replace(evaluate(ruleset, evidence), evidence_sha256=str(_get(record, where, "evidence", "sha256")))
    _check(result, record, where)
    return result


def evidence_document(record: dict[str, Any], where: str = "<record>") -> dict[str, Any]:
    """The evidence document a compact record carries: its metadata, and its facts with their notes."""
    meta = _get(record, where, "meta")
    facts: dict[str, Any] = {}
    notes = record.get("notes") or {}
    for name, value in _get(record, where, "facts").items():
        group, _, fact = name.partition(".")
        if group == "meta":  # office metadata used as facts: written under meta already
            continue
        note = notes.get(name)
        facts.setdefault(group, {})[fact] = {"value": value, **note} if note else value
    ruleset = _get(record, where, "ruleset")
    doc = {"ruleset": ruleset.get("name"), "meta": {k: v for k, v in meta.items() if v is not None}, "facts": facts}
    if "overrides" in record:
        doc["overrides"] = record["overrides"]
    return doc


def record_evidence(record: dict[str, Any], ruleset: Ruleset, where: str = "<record>") -> Evidence:
    """The record's evidence, checked against ``ruleset`` as an evidence file is (any ruleset: ``diff`` scores it under two).

    Problems are located at ``where`` (``file.jsonl:LINE``) and the JSON path in the evidence the record carries.
    """
    doc = evidence_document(record, where)
    raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    try:
        return parse_evidence(raw, str(_get(record, where, "evidence", "file")), ruleset)
    except EvidenceError as exc:
        raise EvidenceError(where, exc.problems) from None


def _get(record: dict[str, Any], where: str, *keys: str) -> Any:
    """``record[k1][k2]...``, or a located error naming the key a record lacks."""
    value: Any = record
    for depth, key in enumerate(keys):
        if not isinstance(value, dict) or key not in value:
            path = "$." + ".".join(keys[: depth + 1])
            raise _refuse(where, path, message("compact.missing_key"))
        value = value[key]
    return value


def _check(result: ScoreResult, record: dict[str, Any], where: str) -> None:
    """Refuse a record whose provenance, levels, traces, totals, warnings or overrides are not what its facts give under these rules."""
    again = to_compact(result)
    for key in ("engine", "reproduce", "indicators", "total", "warnings", "overrides", "final_total"):
        if again.get(key) != record.get(key):
            mine, theirs = again.get(key), record.get(key)
            path = f"$.{key}"
            if isinstance(mine, dict) and isinstance(theirs, dict):
                differing = sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
                path += f".{differing[0]}"
                mine, theirs = mine.get(differing[0]), theirs.get(differing[0])
            raise _refuse(
                where,
                path,
                message("compact.mismatch"),
                json.dumps(mine, ensure_ascii=False),
                json.dumps(theirs, ensure_ascii=False),
            )
