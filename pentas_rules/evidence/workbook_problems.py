"""A workbook's problems as its user reads them: located at cells or the workbook, in cell order.

The reader (``workbook_read.py``) turns a workbook into the JSON form the one checker reads,
and a :class:`CellLocator` naming each path's cell and keeping what each cell held. The
checker's problems then speak JSON ("teks \"4\"", ``null``, ``('reason')``, ``$``); this
step rewords them for the person who typed the cells: the value as typed, "sel kosong", what an
override row lacks at its own empty cell, "did you mean" for a near miss in a Ya/Tidak cell,
a problem about the whole workbook located as the workbook, and every problem listed by sheet
(in the workbook's order), then row, then column.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import EvidenceProblem, Problem, suggest
from ..messages import message as wording
from ..messages import number
from .checker import KeyPath

__all__ = ["CellLocator", "cell_content", "sheet_wording", "whole_book"]

_CELL = re.compile(r"([A-Z]+)(\d+)")


class CellLocator:
    """Names the cell of a path into the evidence a workbook holds, and keeps what each value cell held.

    Callable as the checker's ``locate``; ``contents`` (cell name -> the cell's value as the
    spreadsheet gave it) lets :func:`sheet_wording` show a problem's value as the user typed it.
    """

    __slots__ = ("cells", "choices", "contents", "sheets")

    def __init__(self, cells: dict[KeyPath, str], contents: dict[str, Any], sheets: Sequence[str], choices: Sequence[str]) -> None:
        self.cells, self.contents = cells, contents
        self.sheets = tuple(sheets)  # the workbook's sheet names in its order, to list problems in cell order
        self.choices = tuple(choices)  # the words of the sheet's yes/no list (Ya, Tidak), for "did you mean"

    def __call__(self, path: KeyPath) -> str:
        for end in range(len(path), 0, -1):
            cell = self.cells.get(path[:end])
            if cell is not None:
                return cell
        return whole_book()


def whole_book() -> str:
    """Where a problem about the whole workbook is: the workbook itself, in words (JSON's ``$`` means nothing in a spreadsheet)."""
    return wording("wbr_where.book")


def sheet_wording(problems: Sequence[Problem], locate: Callable[[KeyPath], str] | None = None) -> list[Problem]:
    """A workbook's problems as its user reads them, picked by the stable ``expected`` code and the cell, in cell order.

    A yes/no cell expects Ya or Tidak (what the sheet's list offers), not JSON's true or false,
    and a near miss ("Yaa", "Iya") gets "did you mean" the closer of the two. Given the reader's
    :class:`CellLocator`, the value found is what the cell holds, not JSON's word for it:
    "sel kosong" for null, ``3577`` for ``angka 3577``, ``"lima"`` for ``teks "lima"``, ``BENAR``
    for ``boolean true``; a region code typed as a number gets a hint how to write it. What an
    override row lacks is located at the empty cell it belongs in, worded without JSON keys. The
    problems are listed by sheet (in the workbook's order), then row, then column.
    """
    book = locate if isinstance(locate, CellLocator) else None
    contents = book.contents if book is not None else {}
    rows = {cell: path for path, cell in book.cells.items() if len(path) == 2 and path[0] == "overrides"} if book is not None else {}
    out: list[Problem] = []
    for p in problems:
        path = p.path or "$"
        suggestion = p.suggestion
        if book is not None and path in rows and p.found == "nothing" and p.expected is not None and (*rows[path], p.expected) in book.cells:
            out.append(_override_lacks(p, book.cells[(*rows[path], p.expected)]))
            continue
        found: str | None
        if path in contents:
            found = cell_content(contents[path])
        elif p.found == "null":  # a required cell left empty, even without the contents
            found = wording("wbr_cell.empty")
        else:
            found = p.found
        if p.expected == "true or false":
            text = wording("wbr.yes_no", found=found)
            if book is not None and isinstance(contents.get(path), str):
                suggestion = _closest(contents[path], book.choices)
        elif p.expected == "one override per indicator" and book is not None:
            text = wording("wbr_ov.twice", indicator=str(contents.get(path, p.found)).strip(), cell=_first_override(book, path))
        elif p.found and found != p.found and p.found in p.message:
            head, _, tail = p.message.rpartition(p.found)
            text = head + str(found) + tail
        else:
            text = p.message
        if p.expected == "PP.KK" and path in contents:
            text += _code_hint(contents[path])
        changed = text != p.message or found != p.found or suggestion != p.suggestion
        out.append(EvidenceProblem(path, text, p.expected, found, suggestion) if changed else p)
    if book is not None:
        out.sort(key=lambda p: _place(p.path or "", book.sheets))
    return out


def _override_lacks(p: Problem, cell: str) -> Problem:
    """An override row's missing reason, assessor, level or date, at the empty cell, named in words (no JSON key)."""
    assert p.expected is not None
    field = wording("ov.field." + p.expected)
    text = wording("ov.needs_reason" if p.expected == "reason" else "ov.needs", key=field)
    return EvidenceProblem(cell, text, p.expected, wording("wbr_cell.empty"), p.suggestion)


def _first_override(book: CellLocator, cell: str) -> str:
    """The indicator cell of the first override row naming the same indicator as ``cell``'s row."""
    sheet, _, _ = cell.rpartition("!")
    named = str(book.contents.get(cell, "")).strip()
    for path, where in book.cells.items():
        if len(path) == 3 and path[0] == "overrides" and path[2] == "indicator" and where != cell and where.startswith(sheet + "!"):
            if str(book.contents.get(where, "")).strip() == named:
                return where
    return cell


def _closest(typed: str, choices: Sequence[str]) -> str | None:
    """The choice a near miss means ("Yaa", "iya" -> "Ya"), compared without case, or None when none is close."""
    folded = {choice.casefold(): choice for choice in choices}
    close = suggest(typed.strip().casefold(), list(folded))
    return folded[close] if close is not None else None


def _place(path: str, sheets: tuple[str, ...]) -> tuple[int, int, int, str]:
    """Where a located problem sorts: the whole workbook first, then by sheet, row, column ("AA" after "Z")."""
    sheet, _, cell = path.rpartition("!")
    match = _CELL.match(cell)
    if sheet not in sheets or match is None:
        return (-1, 0, 0, "")
    column, row = match.groups()
    return (sheets.index(sheet), int(row), len(column), column)


def cell_content(value: Any) -> str:
    """A cell's content as its user typed it: a number as written in the language, a word quoted, "sel kosong"."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        return wording("wbr_cell.empty")
    if isinstance(value, bool):  # before numbers: a bool is an int
        return wording("wbr_cell.true" if value else "wbr_cell.false")
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    return '"' + (text if len(text) <= 60 else text[:57] + "...") + '"'


def _code_hint(value: Any) -> str:
    """How to write a region code typed as a number (or four digits as text): its digits as PP.KK when there are four."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    if float(value).is_integer() and 1000 <= value <= 9999:
        digits = str(int(value))
        return wording("wbr_cell.code_hint", code=f"{digits[:2]}.{digits[2:]}")
    return wording("wbr_cell.code_as_text")
