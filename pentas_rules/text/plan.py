"""The improvement plan and what-if comparisons in words (Indonesian or English), Markdown and JSON data."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..engine.plan import Option, Plan, next_band
from ..engine.results import ScoreResult, exact
from ..engine.scoring import display
from ..messages import message
from .explain import T, _allowed_text, describe_fact, format_value, localize_decimal, shown_total

__all__ = ["option_lines", "plan_dict", "plan_view", "plan_markdown", "plan_text", "whatif_dict", "whatif_text"]


def _p(lang: str, key: str, result: ScoreResult | None = None) -> str:
    """A phrase of the plan and what-if texts; given ``result``, the banded wording when its ruleset places offices in bands."""
    if result is not None and result.ruleset.aggregation.bands:
        key += "_level"
    return T(lang, "plan." + key)


def _num(value: Fraction, lang: str) -> str:
    return localize_decimal(display(value), lang)


def _total(value: Fraction, result: ScoreResult, lang: str) -> str:
    """A total as its ruleset means it: a score, or a banded ruleset's level."""
    return shown_total(value, result.ruleset, lang)


def _signed(value: Fraction, result: ScoreResult, lang: str) -> str:
    """A change of a total or contribution, with its sign, as :func:`_total` shows the value."""
    return ("+" if value >= 0 else "") + _total(value, result, lang)


def _exact_text(value: Fraction) -> str:
    return exact(value)["exact"]


def option_lines(option: Option, n: int, result: ScoreResult, lang: str, not_cumulative: bool = False) -> list[str]:
    """One option in words: the indicator, the level, the gain, then each change with the value to reach.

    ``not_cumulative`` adds the short note that the indicator's ladder is not cumulative (given once per indicator).
    """
    catalogue = result.ruleset.catalogue
    lines = [_banded_head(option, n, result, lang) if result.ruleset.aggregation.bands else _head(option, n, result, lang)]
    for change in option.changes:
        spec = catalogue.facts.get(change.fact)
        words = {
            "fact": describe_fact(catalogue, change.fact, lang),
            "current": format_value(spec, change.current, lang),
            "requirement": _allowed_text(change, catalogue, lang),
            "target": format_value(spec, option.targets[change.fact], lang),
        }
        line = _p(lang, "supply" if change.unknown else "change").format(**words)
        if not change.unknown and words["target"] == words["requirement"]:  # "must be yes (to yes)": the value adds nothing
            line = line[: line.rindex(" (")]
        lines.append(line)
    if not_cumulative:
        lines.append("   " + T(lang, "plan_not_cumulative").format(indicator=option.indicator.id))
    return lines


def _head(option: Option, n: int, result: ScoreResult, lang: str) -> str:
    """A step's first line under an additive total: its gain given the steps before and that gain per change."""
    return _p(lang, "option").format(
        n=n,
        ind=option.indicator.id,
        current=option.current,
        level=option.level.value,
        gain=_total(option.gain, result, lang),
        changes=message("plan.changes", lang, count=len(option.changes)),
        per=_num(option.per_change, lang),
    )


def _banded_head(option: Option, n: int, result: ScoreResult, lang: str) -> str:
    """A step's first line under a banded total: the level before and after it, or how far the next level still is.

    No gain per change: a level is not spread over the changes that reach it (one criterion
    alone often moves nothing, the one completing a band moves the level a whole step).
    """
    old, new = option.after.total - option.gain, option.after.total
    words: dict[str, Any] = {
        "n": n,
        "ind": option.indicator.id,
        "current": option.current,
        "level": option.level.value,
        "old": _total(old, result, lang),
        "new": _total(new, result, lang),
        "changes": message("plan.changes", lang, count=len(option.changes)),
    }
    ahead = next_band(option.after)
    if new != old or ahead is None:
        return message("plan_bands.up" if new != old else "plan_bands.top", lang, **words)
    more, level = ahead
    return message("plan_bands.same", lang, count=more, next=level, **words)


def _numbered(plan: Plan, lang: str) -> list[list[str]]:
    """Each option's lines in plan order, the not-cumulative note under the first option of each such indicator.

    Once per indicator and beside it: a reader sees the caveat where the indicator's options are,
    without one long sentence listing every ladder at the end.
    """
    noted: set[str] = set()
    out = []
    for n, option in enumerate(plan.options, 1):
        note = option.indicator.id in plan.non_cumulative and option.indicator.id not in noted
        noted.add(option.indicator.id)
        out.append(option_lines(option, n, plan.result, lang, not_cumulative=note))
    return out


def plan_text(plan: Plan, lang: str) -> str:
    result = plan.result
    meta = result.evidence.meta
    lines = [_p(lang, "title").format(office=meta.office, code=meta.region_code), _p(lang, "now", result).format(total=_total(result.total, result, lang)), ""]
    if not plan.options:
        lines.append(_p(lang, "none"))
    for option_text in _numbered(plan, lang):
        lines.extend(option_text)
    if plan.options:
        lines += ["", _reachable(plan, lang)]
    return "\n".join(lines) + "\n"


def _reachable(plan: Plan, lang: str) -> str:
    result = plan.result
    gain = plan.reachable.total - result.total
    return _p(lang, "reachable", result).format(total=_total(plan.reachable.total, result, lang), gain=_total(gain, result, lang))


def plan_markdown(plan: Plan, lang: str, heading: str = "#") -> str:
    """The plan as Markdown: a numbered list of options with their changes (also the reports' appendix)."""
    meta = plan.result.evidence.meta
    out = [
        f"{heading} {_p(lang, 'title').format(office=meta.office, code=meta.region_code)}",
        "",
        _p(lang, "now", plan.result).format(total=_total(plan.result.total, plan.result, lang)),
        "",
    ]
    if not plan.options:
        out.append(_p(lang, "none"))
    for first, *rest in _numbered(plan, lang):
        out.append(first)
        out.extend("   " + line.strip() for line in rest)
    if plan.options:
        out += ["", _reachable(plan, lang)]
    return "\n".join(out) + "\n"


def plan_dict(plan: Plan, lang: str) -> dict[str, Any]:
    """The plan as JSON-ready data, with the result's provenance header."""
    result = plan.result
    header = result.header_dict()
    catalogue = result.ruleset.catalogue
    return {
        "format": "pentas-plan/1",
        **{key: header[key] for key in ("engine", "ruleset", "evidence", "office")},
        "total": exact(result.total),
        "options": [
            {
                "indicator": o.indicator.id,
                "current": o.current,
                "level": o.level.value,
                "gain": exact(o.gain),
                "gain_per_change": exact(o.per_change),
                "total_after": exact(o.total),
                "changes": [
                    {
                        "fact": c.fact,
                        "current": c.current,
                        "supply": c.unknown,
                        "to": o.targets[c.fact],
                        "requirement": _allowed_text(c, catalogue, lang),
                    }
                    for c in o.changes
                ],
            }
            for o in plan.options
        ],
        "reachable_total": exact(plan.reachable.total),
        "non_cumulative": list(plan.non_cumulative),
    }


def _moves(before: ScoreResult, after: ScoreResult) -> tuple[list[tuple[str, int, int]], list[tuple[str, Fraction, Fraction]]]:
    indicators = [(old.indicator.id, old.level, new.level) for old, new in zip(before.indicators(), after.indicators(), strict=True) if old.level != new.level]
    aspects = [
        (old.aspect.id, old.contribution, new.contribution)
        for old, new in zip(before.aspects, after.aspects, strict=True)
        if old.contribution != new.contribution
    ]
    return indicators, aspects


def whatif_text(before: ScoreResult, after: ScoreResult, lang: str) -> str:
    meta = before.evidence.meta
    indicators, aspects = _moves(before, after)
    lines = [_p(lang, "whatif").format(office=meta.office, code=meta.region_code)]
    lines += [_p(lang, "ind_line").format(ind=i, old=o, new=n) for i, o, n in indicators] or [_p(lang, "nothing")]
    # A banded aspect's contribution counts criteria met, and its total is a level: whole numbers, as _total shows them.
    lines += [
        _p(lang, "aspect_line", before).format(aspect=a, old=_total(o, before, lang), new=_total(n, before, lang), diff=_signed(n - o, before, lang))
        for a, o, n in aspects
    ]
    diff = _signed(after.total - before.total, before, lang)
    if before.ruleset.aggregation.bands:  # a level: whole, so no exact fraction beside it
        lines.append(_p(lang, "total_line", before).format(old=_total(before.total, before, lang), new=_total(after.total, after, lang), diff=diff))
        return "\n".join(lines) + "\n"
    lines.append(
        _p(lang, "total_line").format(
            old=_num(before.total, lang),
            new=_num(after.total, lang),
            diff=diff,
            exact_old=_exact_text(before.total),
            exact_new=_exact_text(after.total),
        )
    )
    return "\n".join(lines) + "\n"


def whatif_dict(before: ScoreResult, after: ScoreResult) -> dict[str, Any]:
    indicators, aspects = _moves(before, after)
    return {
        "format": "pentas-whatif/1",
        "indicators": [{"id": i, "before": o, "after": n} for i, o, n in indicators],
        "aspects": [{"id": a, "before": exact(o), "after": exact(n), "change": exact(n - o)} for a, o, n in aspects],
        "total": {"before": exact(before.total), "after": exact(after.total), "change": exact(after.total - before.total)},
    }


def plan_view(plan: Plan, lang: str) -> dict[str, Any]:
    """What a report's improvement appendix shows: each option's line with its changes, the reachable total, the notes."""
    notes = [_reachable(plan, lang)] if plan.options else []
    options = []
    for first, *rest in _numbered(plan, lang):
        options.append((first.split(". ", 1)[1], [line.strip().removeprefix("- ") for line in rest]))
    return {
        "title": _p(lang, "appendix"),
        "now": _p(lang, "now", plan.result).format(total=_total(plan.result.total, plan.result, lang)),
        "none": _p(lang, "none"),
        "options": options,
        "notes": notes,
    }
