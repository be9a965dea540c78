"""The jinja2 adapter: office reports (HTML, Markdown) and the HTML leaderboard.

The only module that imports jinja2. Templates live in ``pentas_rules/templates``
and are compiled once per process (a batch of 514 reports renders the same
compiled template 514 times). HTML is autoescaped, so any evidence text is shown,
never interpreted; Markdown text goes through :func:`md_escape`. What the
templates show is prepared by the pure :mod:`pentas_rules.text.report_model` and
:mod:`pentas_rules.batch.ranking`.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import markupsafe

from ..engine.results import ScoreResult
from .explain import phrases
from .report_model import report_view

__all__ = ["FORMATS", "css_string", "md_escape", "render_leaderboard_html", "render_report"]

FORMATS = ("html", "md")
TEMPLATES = Path(__file__).resolve().parent / "templates"

_MARKS = {True: "✓", False: "✗", None: "?"}
_OUTCOME_CLASS = {True: "held", False: "failed", None: "unknown"}
# Backslash escapes CommonMark honours for any ASCII punctuation; these are the ones
# that could turn an office name or a rubric sentence into emphasis, a link, HTML or a
# table cell break.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(?:([#+-])|(\d+)([.)]))(?=\s|$)")  # a heading, list item or numbered item
_NEWLINES = re.compile(r"\s*[\r\n]+\s*")


_CSS_PLAIN = re.compile(r"[A-Za-z0-9 .,:()/-]")


def css_string(value: Any) -> markupsafe.Markup:
    """Text safe inside a double-quoted CSS string in a <style> element (an @page header).

    Anything but plain letters, digits and a little punctuation becomes a CSS hex escape,
    so a quote, backslash, newline or ``</style>`` in an office name stays text.
    """
    text = " ".join(str(value).split())
    return markupsafe.Markup("".join(ch if _CSS_PLAIN.fullmatch(ch) else f"\\{ord(ch):06x}" for ch in text))


def md_escape(value: Any) -> str:
    """Text safe to drop anywhere in a Markdown line: table cell, list item, heading or quote."""
    text = _NEWLINES.sub(" ", str(value))  # a newline would end the table row or list item
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: f"\\{m.group(1)}" if m.group(1) else f"{m.group(2)}\\{m.group(3)}", text)


@cache
def _environment(kind: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=kind == "html",
        undefined=jinja2.StrictUndefined,  # a misspelt field fails a test instead of printing nothing
        keep_trailing_newline=True,
        trim_blocks=kind == "md",
        lstrip_blocks=kind == "md",
    )
    env.globals["marks"] = _MARKS
    env.globals["classes"] = _OUTCOME_CLASS
    env.filters["md"] = md_escape
    env.filters["css_string"] = css_string
    return env


@cache
def _words(lang: str) -> SimpleNamespace:
    # Attribute access (w.total) is the cheapest lookup in a compiled template; a report
    # looks phrases up a few hundred times.
    return SimpleNamespace(**phrases(lang))


@cache
def _template(name: str) -> jinja2.Template:
    return _environment("html" if name.endswith(".html.j2") else "md").get_template(name)


def render_report(result: ScoreResult, fmt: str = "html", lang: str = "id", improvement: dict[str, Any] | None = None) -> str:
    """One office's report as an HTML document or Markdown text; ``improvement`` (:func:`.plan.plan_view`) adds its appendix."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    template = _template(f"report.{fmt}.j2")
    return template.render(r=report_view(result, lang), w=_words(lang), improvement=improvement)


def render_leaderboard_html(view: dict[str, Any]) -> str:
    """The leaderboard page from :func:`pentas_rules.leaderboard.leaderboard_view`."""
    return _template("leaderboard.html.j2").render(v=view, w=_words(view["lang"]))
