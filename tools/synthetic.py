"""Synthetic offices: valid, varied evidence documents for demos, ranking and benchmarks.

Pure and seeded: every function takes a :class:`random.Random` (or a seed) and
uses no global state, so the same seed gives the same offices on every machine.

The generator is driven by the ruleset, not by a hand-written list of offices:

* each office gets a *strength* (weak to strong) and, for each indicator, a target
  level drawn around it, so a corpus covers every level of every indicator;
* a small solver over the rule conditions picks fact values that make the target
  level hold and every higher level fail, so an office really scores what it was
  meant to; facts the targets leave free are filled at random by strength;
* numeric facts are drawn from the thresholds the rules compare them with (85, 90,
  94, 95, 98 %, the 500,000 and 1,500,000 population bands, ...) and the values
  just beside them, mixed with realistic values (:data:`TYPICAL`), so boundary
  readings occur often;
* some offices leave facts out, so incomplete evidence occurs too.

Names are fictional (``Kabupaten Sukamaju``) and region codes use real province
prefixes with regency numbers no real kabupaten/kota has (51-69 for a kabupaten,
91-99 for a kota), so no invented score points at a real office.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from itertools import pairwise
from pathlib import Path
from typing import Any

from pentas_rules.engine.evaluate import broken_constraints, comparison, evaluate
from pentas_rules.errors import PentasError, os_reason
from pentas_rules.evidence.reader import parse_evidence
from pentas_rules.files.atomic import write_text_atomic
from pentas_rules.files.paths import default_rules_dir
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.ruleset.model import Catalogue, Compare, Condition, FactSpec, Ruleset

__all__ = ["PROVINCES", "TYPICAL", "generate_office", "generate_offices", "iter_offices", "office_filename"]

# Kemendagri province codes and names (2021).
PROVINCES: tuple[tuple[str, str], ...] = (
    ("11", "Aceh"), ("12", "Sumatera Utara"), ("13", "Sumatera Barat"), ("14", "Riau"), ("15", "Jambi"),
    ("16", "Sumatera Selatan"), ("17", "Bengkulu"), ("18", "Lampung"), ("19", "Kepulauan Bangka Belitung"),
    ("21", "Kepulauan Riau"), ("32", "Jawa Barat"), ("33", "Jawa Tengah"), ("34", "DI Yogyakarta"),
    ("35", "Jawa Timur"), ("36", "Banten"), ("51", "Bali"), ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"), ("61", "Kalimantan Barat"), ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"), ("64", "Kalimantan Timur"), ("65", "Kalimantan Utara"),
    ("71", "Sulawesi Utara"), ("72", "Sulawesi Tengah"), ("73", "Sulawesi Selatan"), ("74", "Sulawesi Tenggara"),
    ("75", "Gorontalo"), ("76", "Sulawesi Barat"), ("81", "Maluku"), ("82", "Maluku Utara"),
    ("91", "Papua"), ("92", "Papua Barat"),
)  # fmt: skip

_NAME_HEADS = ("Suka", "Tirta", "Wana", "Giri", "Sari", "Mekar", "Bumi", "Karya", "Sumber", "Teluk", "Muara", "Rawa")
_NAME_TAILS = ("maju", "jaya", "makmur", "raya", "indah", "asri", "mulya", "sentosa", "lestari", "permai", "harapan", "damai")

# Realistic ranges (low, high) where the glossary gives them; other facts use their catalogue range.
TYPICAL: dict[str, tuple[float, float]] = {
    "kinerja.perekaman_ktp_el_pct": (95.0, 99.9),
    "kinerja.akta_kelahiran_pct": (85.0, 99.0),
    "kinerja.kia_pct": (10.0, 90.0),
    "kinerja.realisasi_dak_pct": (85.0, 100.0),
    "kinerja.pks_opd_pct": (40.0, 100.0),
    "kinerja.hak_akses_jumlah": (0, 20),
    "survei.puas_pct": (45.0, 95.0),
    "pengaduan.ditanggapi_langsung_pct": (60.0, 100.0),
    "kerjasama.jumlah_instansi": (0, 9),
    "inovasi.waktu_layanan_hari": (1, 7),
    "dukungan.anggaran_apbd_rp": (150_000_000, 4_000_000_000),
    "dukungan.anggaran_dak_rp": (100_000_000, 3_000_000_000),
    "meta.population": (20_000, 5_500_000),
}
_SOURCES = ("Data konsolidasi Ditjen Dukcapil", "Laporan tahunan Dinas", "Berita acara verifikasi lapangan", "Dokumen pendukung yang diunggah")


_HOLDS: frozenset[bool | None] = frozenset({True})
_FAILS: frozenset[bool | None] = frozenset({False})
_UNKNOWN: frozenset[bool | None] = frozenset({None})
_NOT_HELD: frozenset[bool | None] = frozenset({False, None})
_UNKNOWN_OR_HOLDS: frozenset[bool | None] = frozenset({True, None})


class _Budget(Exception):
    """The solver gave up on one target (too many tries); the caller tries another."""


@dataclass(frozen=True, slots=True)
class _Facts:
    """The ruleset's facts as the generator sees them: specs and the values rules compare them with."""

    catalogue: Catalogue
    specs: dict[str, FactSpec]
    thresholds: dict[str, tuple[Any, ...]]


def _collect(ruleset: Ruleset) -> _Facts:
    found: dict[str, set[Any]] = {}

    for indicator in ruleset.indicators.values():
        for level in indicator.levels:
            for c in level.when.comparisons():
                bucket = found.setdefault(c.fact, set())
                if c.lookup is not None:
                    for band in c.lookup.bands:
                        bucket.add(band.result)
                        values = band.value if isinstance(band.value, (list, tuple)) else (band.value,)
                        found.setdefault(c.lookup.key, set()).update(v for v in values if isinstance(v, (int, float)))
                elif c.other_fact is None and c.value is not None and not isinstance(c.value, bool):
                    values = c.value if isinstance(c.value, (list, tuple)) else (c.value,)
                    bucket.update(v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool))
    return _Facts(ruleset.catalogue, dict(ruleset.catalogue.facts), {name: tuple(sorted(values)) for name, values in found.items()})


# -- candidate values ---------------------------------------------------------------


def _round(spec: FactSpec, value: float) -> int | float:
    if spec.unit == "rupiah":
        return int(round(value, -6))  # budgets are planned in millions of rupiah
    if spec.type == "integer" or spec.unit == "days":
        return int(round(value))
    rounded = round(value, 1)
    return int(rounded) if rounded == int(rounded) else rounded


def _bounds(spec: FactSpec) -> tuple[float, float]:
    low = spec.minimum if spec.minimum is not None else 0
    high = spec.maximum if spec.maximum is not None else (100 if spec.unit == "percent" else 1_000_000)
    return float(low), float(high)


def _typical(name: str, spec: FactSpec, rng: random.Random) -> int | float:
    low, high = TYPICAL.get(name, _bounds(spec))
    if name == "meta.population" or spec.unit == "rupiah":
        # Populations and budgets spread over orders of magnitude: draw on a log scale.
        return _round(spec, math.exp(rng.uniform(math.log(max(low, 1)), math.log(high))))
    return _round(spec, rng.uniform(low, high))


def _candidates(name: str, facts: _Facts, rng: random.Random, strength: float) -> list[Any]:
    spec = facts.specs[name]
    if spec.type == "bool":
        return [True, False] if rng.random() < 0.15 + 0.75 * strength else [False, True]
    if spec.type == "enum":
        assert spec.enum is not None
        values = list(spec.enum.values)
        top = len(values) - 1 or 1
        return sorted(values, key=lambda v: abs(values.index(v) / top - strength) + rng.random() * 0.5)
    low, high = _bounds(spec)
    if name == "meta.population":
        low, high = TYPICAL[name]  # the catalogue allows 1..100 million; offices are 20,000..5.5 million
    step = 1 if spec.type == "integer" or spec.unit == "days" else 0.1
    boundary: set[Any] = set()
    for t in facts.thresholds.get(name, ()):
        for v in (t - step, t, t + step):
            if low <= v <= high:
                boundary.add(_round(spec, v))
    points = sorted(facts.thresholds.get(name, ()))
    for a, b in pairwise(points):
        boundary.add(_round(spec, (a + b) / 2))
    if name not in TYPICAL:
        boundary.update(_round(spec, v) for v in (low, high))
    realistic = [_typical(name, spec, rng) for _ in range(3)]
    near = sorted(boundary, key=lambda _: rng.random())
    ordered = near + realistic if rng.random() < 0.35 else realistic + near
    return list(dict.fromkeys(ordered))  # first occurrences, in order


# -- the solver --------------------------------------------------------------------


class _Solver:
    """Finds fact values that give conditions wanted outcomes, extending a partial assignment.

    An outcome is True, False or None (a fact left out). Every solution fixes the
    outcome whatever values the still-free facts get later, so conditions solved
    one after another never undo each other.

    The search extends one dict in place and undoes its own additions when it
    backtracks (copying the dict at every step made generating an office five
    times slower); a caller copies the solution it keeps.
    """

    def __init__(self, facts: _Facts, rng: random.Random, strength: float, budget: int = 4000) -> None:
        self.facts = facts
        self.rng = rng
        self.strength = strength
        self.budget = budget
        self._cache: dict[str, list[Any]] = {}

    def _values(self, name: str, allow_missing: bool) -> list[Any]:
        values = self._cache.get(name)
        if values is None:
            values = self._cache[name] = _candidates(name, self.facts, self.rng, self.strength)
        return [*values, None] if allow_missing else values

    def _tick(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _Budget

    def _compare(self, c: Compare, want: frozenset[bool | None], a: dict[str, Any]) -> Iterator[dict[str, Any]]:
        names = [c.fact] + ([c.other_fact] if c.other_fact else []) + ([c.lookup.key] if c.lookup else [])
        free = [n for n in dict.fromkeys(names) if n not in a]
        allow_missing = None in want

        # The evaluator's own comparison, so the generator cannot disagree with what it scores.
        outcome = comparison(self.facts.catalogue, c)

        def assign(i: int) -> Iterator[dict[str, Any]]:
            self._tick()
            if i == len(free):
                if outcome(a) in want:
                    yield a
                return
            name = free[i]
            options = self._values(name, allow_missing)
            if c.other_fact is not None and name == c.other_fact and a.get(c.fact) is not None:
                options = [a[c.fact], *options]  # equal amounts: the boundary of "greater than"
            for value in options:
                a[name] = value
                yield from assign(i + 1)
            del a[name]  # backtrack: leave the assignment as it was found

        yield from assign(0)

    def solve(self, c: Condition, want: frozenset[bool | None], a: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Assignments extending ``a`` under which ``c``'s outcome is in ``want``."""
        self._tick()
        # Solving is per kind, like evaluating: a new kind needs its own case here.
        if isinstance(c, Compare):
            yield from self._compare(c, want, a)
        elif c.kind == "not":
            flipped = frozenset(None if w is None else not w for w in want)
            yield from self.solve(c.children[0], flipped, a)
        elif c.kind == "all":
            children = list(c.children)
            self.rng.shuffle(children)
            if True in want:
                yield from self.all_of([(child, _HOLDS) for child in children], a)
            if False in want:
                for child in children:  # one false part is enough; the others stay free
                    yield from self.solve(child, _FAILS, a)
            if None in want:
                for i, child in enumerate(children):  # one unknown part, none false
                    others = [(other, _UNKNOWN_OR_HOLDS) for j, other in enumerate(children) if j != i]
                    yield from self.all_of([(child, _UNKNOWN), *others], a)
        elif c.kind == "any":
            children = list(c.children)
            self.rng.shuffle(children)
            if True in want:
                for child in children:  # one true part is enough; the others stay free
                    yield from self.solve(child, _HOLDS, a)
            if False in want:
                yield from self.all_of([(child, _FAILS) for child in children], a)
            if None in want:
                for i, child in enumerate(children):  # one unknown part, none true
                    others = [(other, _NOT_HELD) for j, other in enumerate(children) if j != i]
                    yield from self.all_of([(child, _UNKNOWN), *others], a)
        else:
            raise AssertionError(f"the generator cannot solve a condition of kind {c.kind!r}")

    def all_of(self, goals: list[tuple[Condition, frozenset[bool | None]]], a: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Assignments meeting every (condition, wanted outcomes) goal at once."""
        if not goals:
            yield a
            return
        (first, want), rest = goals[0], goals[1:]
        for solved in self.solve(first, want, a):
            yield from self.all_of(rest, solved)


def _target_goals(ruleset: Ruleset, indicator_id: str, target: int, allow_missing: bool) -> list[tuple[Condition, frozenset[bool | None]]]:
    """Goals that make ``target`` the awarded level: it holds, and every higher level does not."""
    goals = []
    for level in ruleset.indicators[indicator_id].levels:
        if level.value == target:
            goals.append((level.when, _HOLDS))
        elif level.value > target:
            goals.append((level.when, _NOT_HELD if allow_missing else _FAILS))
    return goals


def _solve_targets(
    ruleset: Ruleset,
    facts: _Facts,
    rng: random.Random,
    strength: float,
    a: dict[str, Any],
    targets: dict[str, int],
    may_leave_out: bool = True,
) -> dict[str, Any] | None:
    """Extend ``a`` so that each indicator gets its target level; None when impossible.

    Leaving a fact out (unknown) to keep a higher level from holding is tried only
    when known values cannot, and only if ``may_leave_out``.
    """
    for allow_missing in (False, True) if may_leave_out else (False,):
        goals = [goal for ind, target in targets.items() for goal in _target_goals(ruleset, ind, target, allow_missing)]
        work = dict(a)  # the solver mutates its assignment; a give-up midway must not touch the caller's
        # An office must not contradict itself: a solution breaking one of the ruleset's
        # constraints is passed over (unknown facts never break one, so a partial
        # assignment that breaks none can still be completed without breaking one).
        consistent = (s for s in _Solver(facts, rng, strength).all_of(goals, work) if not broken_constraints(ruleset, s))
        try:
            solved = next(consistent, None)
        except _Budget:
            continue
        if solved is not None:
            return dict(solved)
    return None


def _levels_around(options: list[int], strength: float, rng: random.Random) -> list[int]:
    """The target first (drawn around the office's strength), then the other levels, nearest first."""
    centre = strength * (len(options) - 1) + rng.gauss(0, 0.9)
    index = min(len(options) - 1, max(0, round(centre)))
    return sorted(options, key=lambda level: (abs(options.index(level) - index), rng.random()))


# -- documents ---------------------------------------------------------------------


def _office_name(index: int, rng: random.Random) -> tuple[str, bool]:
    combos = len(_NAME_HEADS) * len(_NAME_TAILS)
    # A fixed stride visits every head/tail pair once before any repeats.
    k = (index * 37) % combos
    name = _NAME_HEADS[k // len(_NAME_TAILS)] + _NAME_TAILS[k % len(_NAME_TAILS)]
    if index >= combos:
        name += f" {index // combos + 1}"
    is_city = rng.random() < 0.2
    return ("Kota " if is_city else "Kabupaten ") + name, is_city


def _meta(index: int, rng: random.Random, population: int, year: int, used: set[str] | None = None) -> dict[str, Any]:
    place, is_city = _office_name(index, rng)
    for _ in range(50):  # a corpus should not give two offices one region code; give up only when crowded
        code, province = PROVINCES[rng.randrange(len(PROVINCES))]
        regency = rng.randint(91, 99) if is_city else rng.randint(51, 69)
        if used is None or f"{code}.{regency:02d}" not in used:
            break
    if used is not None:
        used.add(f"{code}.{regency:02d}")
    month = rng.choice((5, 6, 7))
    return {
        "office": f"Dinas Kependudukan dan Pencatatan Sipil {place}",
        "region_code": f"{code}.{regency:02d}",
        "province": province,
        "year": year,
        "population": population,
        "assessed_on": f"{year}-{month:02d}-{rng.randint(1, 28):02d}",
        "assessors": [f"Tim Penilai Sintetis {rng.randint(1, 9)}"],
    }


def _document(ruleset: Ruleset, facts: _Facts, values: dict[str, Any], meta: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    grouped: dict[str, dict[str, Any]] = {}
    for name, spec in facts.specs.items():
        if name.startswith("meta.") or values.get(name) is None:
            continue
        value = values[name]
        group, fact = name.split(".", 1)
        if spec.type != "bool" and rng.random() < 0.06:
            # Some facts carry the document they were read from, as assessors record them.
            value = {"value": value, "source": f"{rng.choice(_SOURCES)} {meta['year']}"}
        grouped.setdefault(group, {})[fact] = value
    return {"ruleset": ruleset.name, "meta": meta, "facts": grouped}


@dataclass(frozen=True, slots=True)
class _Office:
    values: dict[str, Any]
    targets: dict[str, int]
    strength: float


def _consistent(ruleset: Ruleset, values: dict[str, Any], name: str, candidates: list[Any]) -> Any:
    """The first candidate for ``name`` that contradicts no fact already in ``values``, else None (unknown)."""
    return next((v for v in candidates if not broken_constraints(ruleset, {**values, name: v})), None)


def _solve_office(ruleset: Ruleset, facts: _Facts, rng: random.Random, strength: float, unseen: dict[str, set[int]] | None = None) -> _Office:
    """An office of the given strength; with ``unseen``, half the time an indicator aims at a level the corpus still lacks."""
    values: dict[str, Any] = {}
    targets: dict[str, int] = {}
    order = list(ruleset.indicators)
    rng.shuffle(order)  # shared facts are fixed by whichever indicator comes first: vary it
    for ind in order:
        options = [0, *(level.value for level in ruleset.indicators[ind].levels)]
        tries = _levels_around(options, strength, rng)
        wanted = sorted(unseen.get(ind, ())) if unseen else []
        wish = rng.choice(wanted) if wanted and rng.random() < 0.5 else None
        if wish is not None:
            tries.insert(0, wish)
        for target in tries:
            # Only a level the corpus still lacks may cost a left-out fact (e.g. level 0 of a
            # percentage, which some band always matches): otherwise too many offices would be incomplete.
            solved = _solve_targets(ruleset, facts, rng, strength, values, {ind: target}, may_leave_out=target == wish)
            if solved is not None:
                values, targets[ind] = solved, target
                break
    # Weak offices more often leave facts out; most strong ones submit everything.
    leave_out = rng.uniform(0.02, 0.15) if rng.random() < 0.45 - 0.3 * strength else 0.0
    for name in facts.specs:
        if name in values:
            continue
        if name != "meta.population" and rng.random() < leave_out:
            values[name] = None
        else:
            values[name] = _consistent(ruleset, values, name, _candidates(name, facts, rng, strength))
    if values.get("meta.population") is None:
        values["meta.population"] = _typical("meta.population", facts.specs["meta.population"], rng)
    return _Office(values, targets, strength)


def generate_office(ruleset: Ruleset, rng: random.Random, index: int, *, strength: float | None = None, year: int = 2021) -> dict[str, Any]:
    """One synthetic evidence document (a JSON-ready dict); ``index`` makes its name unique."""
    facts = _collect(ruleset)
    office = _solve_office(ruleset, facts, rng, rng.random() if strength is None else strength)
    meta = _meta(index, rng, office.values["meta.population"], year)
    return _document(ruleset, facts, office.values, meta, rng)


def _per_level(ruleset: Ruleset) -> dict[str, Fraction]:
    """What one level of each indicator adds to the total under a mean-of-levels, weighted-sum policy."""
    out = {}
    for aspect in ruleset.aspects:
        for ind in aspect.indicator_ids:
            out[ind] = Fraction(aspect.weight) / (len(aspect.indicator_ids) * ruleset.aggregation.max_level)
    return out


def _balanced_twin(ruleset: Ruleset, facts: _Facts, rng: random.Random, base: _Office) -> dict[str, Any] | None:
    """Values giving the same total by other means: one indicator up, another (of another aspect) down as much."""
    per_level = _per_level(ruleset)
    aspect_of = {ind: a.id for a in ruleset.aspects for ind in a.indicator_ids}
    uses: dict[str, set[str]] = {}
    for ind_id, ind in ruleset.indicators.items():
        for fact in ind.facts():
            uses.setdefault(fact, set()).add(ind_id)
    pairs = [(a, b) for a in base.targets for b in base.targets if aspect_of[a] != aspect_of[b] and per_level[a] == per_level[b]]
    rng.shuffle(pairs)
    for up, down in pairs[:60]:
        up_options = [lv.value for lv in ruleset.indicators[up].levels if lv.value > base.targets[up]]
        down_options = [0, *(lv.value for lv in ruleset.indicators[down].levels)]
        for higher in up_options:
            lower = base.targets[down] - (higher - base.targets[up])
            if lower not in down_options or lower < 0:
                continue
            own = {f for f, users in uses.items() if users <= {up, down}}
            kept = {f: v for f, v in base.values.items() if f not in own}
            solved = _solve_targets(ruleset, facts, rng, base.strength, kept, {up: higher, down: lower})
            if solved is not None:
                for name in facts.specs:
                    if name not in solved:
                        # The twin keeps the base office's other facts, unless one now contradicts the re-solved ones.
                        solved[name] = _consistent(ruleset, solved, name, [base.values.get(name), *_candidates(name, facts, rng, base.strength)])
                return solved
    return None


def _total(ruleset: Ruleset, doc: dict[str, Any]) -> tuple[Fraction, tuple[Fraction, ...]]:
    raw = json.dumps(doc).encode("utf-8")
    result = evaluate(ruleset, parse_evidence(raw, "<synthetic>", ruleset), raw)
    return result.total, tuple(ar.contribution for ar in result.aspects)


def iter_offices(ruleset: Ruleset, n: int, seed: int = 0, *, year: int = 2021) -> Iterator[dict[str, Any]]:
    """``n`` offices from weak to strong in a shuffled order, with ties on purpose.

    Until every level of every indicator has occurred, each indicator aims half
    the time at a level the corpus has not had yet, so even 20-30 offices show
    every level (some level-0 cases need a fact left out, and get one).

    Every tenth office (index 4, 14, ...) repeats the facts of the one before it
    under another name: an exact tie no tiebreak can split. Every tenth office at
    index 7, 17, ... reaches the same total as the one before it by other means:
    a tie that ``--tiebreak weight`` splits.
    """
    rng = random.Random(seed)
    facts = _collect(ruleset)
    unseen = {ind_id: {0, *(level.value for level in ind.levels)} for ind_id, ind in ruleset.indicators.items()}
    strengths = [(i + 0.5) / n for i in range(n)]
    rng.shuffle(strengths)
    previous: _Office | None = None
    previous_doc: dict[str, Any] | None = None
    used_codes: set[str] = set()
    for index in range(n):
        office: _Office | None = None
        if previous is not None and index % 10 == 4:
            office = previous
        elif previous is not None and previous_doc is not None and index % 10 == 7:
            twin = _balanced_twin(ruleset, facts, rng, previous)
            if twin is not None:
                candidate = _Office(twin, previous.targets, previous.strength)
                doc = _document(ruleset, facts, twin, previous_doc["meta"], rng)
                total, parts = _total(ruleset, doc)
                if (total, parts) != _total(ruleset, previous_doc) and total == _total(ruleset, previous_doc)[0]:
                    office = candidate
            if office is None:
                office = previous  # no other way to the same total was found: an exact twin instead
        if office is None:
            office = _solve_office(ruleset, facts, rng, strengths[index], unseen)
            for ind, level in office.targets.items():
                unseen[ind].discard(level)
        meta = _meta(index, rng, office.values["meta.population"], year, used_codes)
        doc = _document(ruleset, facts, office.values, meta, rng)
        previous, previous_doc = office, doc
        yield doc


def generate_offices(ruleset: Ruleset, n: int, seed: int = 0, *, year: int = 2021) -> list[dict[str, Any]]:
    """``n`` synthetic offices (see :func:`iter_offices`)."""
    return list(iter_offices(ruleset, n, seed, year=year))


def office_filename(doc: dict[str, Any], index: int, width: int = 3) -> str:
    """A stable, readable file name: ``007-kabupaten-sukamaju.json``."""
    place = doc["meta"]["office"].removeprefix("Dinas Kependudukan dan Pencatatan Sipil ").lower()
    slug = "-".join("".join(ch if ch.isalnum() else " " for ch in place).split())
    return f"{index + 1:0{width}d}-{slug}.json"


def main(argv: list[str] | None = None) -> int:
    """``scripts/generate-offices N OUTDIR [--seed S]``: write N offices as JSON files, atomically."""
    parser = argparse.ArgumentParser(prog="generate-offices", description="Write N synthetic, valid evidence files into OUTDIR.")
    parser.add_argument("n", type=int, help="how many offices")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0): the same seed writes the same files")
    parser.add_argument("--rules", type=Path, default=None, help="ruleset folder (default: the bundled rules/pentas-2021)")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    try:
        ruleset = load_ruleset_cached(args.rules if args.rules is not None else default_rules_dir())
        args.outdir.mkdir(parents=True, exist_ok=True)
        width = max(3, len(str(args.n)))
        for index, doc in enumerate(iter_offices(ruleset, args.n, args.seed)):
            text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
            write_text_atomic(args.outdir / office_filename(doc, index, width), text)
    except PentasError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: {args.outdir}: {os_reason(exc)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
