"""Write docs/tafsiran.md: the interpretation registers of the bundled rulesets, for reading.

The register is data (``rules/<ruleset>/interpretations.yaml``); this page is a rendering of
it in Indonesian, with the rubric words each reading settles and the indicator levels that
cite it, so a reader need not open YAML. ``tests/test_docs.py`` fails when the page is stale.

    python -m tools.tafsiran            # rewrite docs/tafsiran.md
    python -m tools.tafsiran --check    # exit 1 when docs/tafsiran.md differs
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pentas_rules.files.atomic import write_text_atomic
from pentas_rules.files.paths import DEFAULT_RULESET, bundled_rulesets, project_root
from pentas_rules.ruleset.cache import load_ruleset_cached
from pentas_rules.ruleset.model import Ruleset

PAGE = project_root() / "docs" / "tafsiran.md"

HEAD = """\
# Tafsiran rubrik (register interpretasi)

Halaman ini dibuat oleh `python -m tools.tafsiran` dari berkas `interpretations.yaml` setiap
aturan; jangan diubah langsung. Setiap tafsiran adalah cara membaca kata-kata rubrik yang
harus dipilih ketika rubrik dituangkan menjadi aturan. Kata rubrik yang diputuskannya dikutip
apa adanya; "Dipakai oleh" menyebut indikator dan nilai yang mengutipnya. `pentas explain`
mencetak tafsiran yang dipakai suatu indikator, dan laporan mencantumkannya di lampiran.
Teks bahasa Inggrisnya ada di berkas YAML yang sama (`text_en`).

*In English:* every reading of the rubric that had to be chosen is kept with the rules, as
data, in `rules/<ruleset>/interpretations.yaml`. Each entry has an id (R00, R01, ...), the
rubric words it settles (verbatim: `pentas lint` checks them against `rubric/`, as it checks
every `source`), and the reading in Indonesian (`text_id`) and English (`text_en`). Levels
cite the ids in their `interpretation` lists; an id the register does not define is refused
with its file and line. In `pentas-2021`, R01-R09 were fixed by the product decision that
opened the ruleset; R10 onwards were chosen while encoding it, including which look-alike
observations are one shared fact and which are not (R37-R50). The rubric's text is never
corrected: `source` quotes it verbatim, typos included (R35). A new reading is a new entry
with the next free id (the format is in `rules/README.md`).
"""


def cited_by(ruleset: Ruleset) -> dict[str, list[str]]:
    """Each register id -> the "indicator level" places that cite it, in rubric order."""
    places: dict[str, list[str]] = {}
    for indicator in ruleset.indicators.values():
        label = f"indikator {indicator.number}" if indicator.number is not None else indicator.id
        for level in indicator.levels:
            for rid in level.interpretation:
                places.setdefault(rid, []).append(f"{label} nilai {level.value}")
    for constraint in ruleset.constraints:
        for rid in constraint.interpretation:
            places.setdefault(rid, []).append(f"pemeriksaan konsistensi `{constraint.id}`")
    return places


def section(ruleset: Ruleset) -> str:
    lines = [f"## {ruleset.title_id} (`{ruleset.name}` {ruleset.version})", ""]
    places = cited_by(ruleset)
    for entry in ruleset.interpretations.values():
        lines += [f"### {entry.id}", "", entry.text_id, ""]
        if entry.settles:
            lines.append("Kata rubrik: " + "; ".join(f"«{words}»" for words in entry.settles) + ".")
            lines.append("")
        if entry.kind == "general":
            lines += ["Berlaku untuk setiap nilai.", ""]
        elif entry.id in places:
            lines += ["Dipakai oleh: " + ", ".join(places[entry.id]) + ".", ""]
    return "\n".join(lines)


def render() -> str:
    # The default ruleset first, the others by name: the page reads as the product is used.
    names = sorted(bundled_rulesets().items(), key=lambda item: (item[0] != DEFAULT_RULESET, item[0]))
    rulesets = [load_ruleset_cached(path) for _, path in names]
    return "\n".join([HEAD, *(section(r) for r in rulesets if r.interpretations)]).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the page differs, writing nothing")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = PAGE.read_text("utf-8") if PAGE.is_file() else ""
        if current != text:
            print(f"{PAGE} is stale: run python -m tools.tafsiran", file=sys.stderr)
            return 1
        return 0
    write_text_atomic(Path(PAGE), text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
