"""The evidence of one office once checked: its metadata, known fact values and their notes."""

from __future__ import annotations

from typing import Any

from ..errors import EvidenceWarning
from ..files.record import Record

__all__ = ["Evidence", "FactNote", "OfficeMeta", "Override"]


class OfficeMeta(Record):
    """Who was assessed, and when."""

    __slots__ = ("office", "region_code", "province", "year", "population", "assessed_on", "assessors")
    office: str
    region_code: str
    province: str
    year: int
    population: int | None
    assessed_on: str | None
    assessors: tuple[str, ...]

    def __init__(
        self,
        office: str,
        region_code: str,
        province: str,
        year: int,
        population: int | None = None,
        assessed_on: str | None = None,
        assessors: tuple[str, ...] = (),
    ) -> None:
        self._fill(office, region_code, province, year, population, assessed_on, assessors)


class FactNote(Record):
    """Where a fact's value came from, as the assessor recorded it."""

    __slots__ = ("source", "note", "page")
    source: str | None
    note: str | None
    page: str | None  # the page(s) of the source document, as text ("4", "12-13")

    def __init__(self, source: str | None = None, note: str | None = None, page: str | None = None) -> None:
        self._fill(source, note, page)


class Override(Record):
    """An assessor's judgement on the record: the final level of one indicator, who set it and why.

    The engine still computes the level the evidence gives; the override sits beside it,
    so the judgement is visible rather than hidden in edited facts. ``where`` is the
    override's location in the evidence as its reader words it (``$.overrides[0]``).
    """

    __slots__ = ("indicator", "level", "reason", "assessor", "date", "approved_by", "where")
    indicator: str
    level: int
    reason: str
    assessor: str
    date: str
    approved_by: str | None
    where: str

    def __init__(self, indicator: str, level: int, reason: str, assessor: str, date: str, approved_by: str | None = None, where: str = "") -> None:
        self._fill(indicator, level, reason, assessor, date, approved_by, where)

    def to_dict(self) -> dict[str, Any]:
        """The override as the evidence writes it (without its location)."""
        out: dict[str, Any] = {"indicator": self.indicator, "level": self.level, "reason": self.reason, "assessor": self.assessor}
        if self.approved_by is not None:
            out["approved_by"] = self.approved_by
        out["date"] = self.date
        return out


class Evidence(Record):
    """A checked evidence document: office metadata and the known fact values.

    ``facts`` maps dotted fact names (and ``meta.population``/``meta.year``) to
    values; an absent name is unknown. Equal documents compare equal field by field,
    but each hashes by identity: its fact dict cannot be hashed.
    """

    __slots__ = ("file", "meta", "facts", "notes", "ruleset", "warnings", "overrides")
    file: str
    meta: OfficeMeta
    facts: dict[str, Any]
    notes: dict[str, FactNote]
    ruleset: str | None
    warnings: tuple[EvidenceWarning, ...]  # doubtful metadata that is still scored (e.g. another year)
    overrides: tuple[Override, ...]  # assessors' final levels, in document order, at most one per indicator

    def __init__(
        self,
        file: str,
        meta: OfficeMeta,
        facts: dict[str, Any],
        notes: dict[str, FactNote] | None = None,
        ruleset: str | None = None,
        warnings: tuple[EvidenceWarning, ...] = (),
        overrides: tuple[Override, ...] = (),
    ) -> None:
        self._fill(file, meta, facts, {} if notes is None else notes, ruleset, warnings, overrides)

    def __hash__(self) -> int:
        return id(self)
