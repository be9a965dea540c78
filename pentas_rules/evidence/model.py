"""The evidence of one office once checked: its metadata, known fact values and their notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import EvidenceWarning

__all__ = ["Evidence", "FactNote", "OfficeMeta"]


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
    page: str | None = None  # the page(s) of the source document, as text ("4", "12-13")


@dataclass(frozen=True, slots=True)
class Evidence:
    """A checked evidence document: office metadata and the known fact values.

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
