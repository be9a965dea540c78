"""The documentation in docs/: the guide's pictures and commands are real, the generated pages current.

docs/panduan.md is followed by people who cannot tell a wrong option from their own mistake,
so every ``pentas`` command it shows must exist with every option it uses; every picture it
embeds must be there (and none lie unused); docs/tafsiran.md must match the registers.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

import click
import pytest

from pentas_rules.cli import main
from tools import tafsiran

from .conftest import ROOT

DOCS = ROOT / "docs"
GUIDE = DOCS / "panduan.md"
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_the_interpretation_page_is_the_rendering_of_the_registers():
    assert (DOCS / "tafsiran.md").read_text("utf-8") == tafsiran.render(), "stale: run python -m tools.tafsiran"


def test_the_interpretation_page_names_every_reading_and_where_it_is_used():
    page = (DOCS / "tafsiran.md").read_text("utf-8")
    assert "### R13" in page and "Dipakai oleh: indikator 13 nilai 5" in page  # R09: the service-time table


def test_the_readme_first_screen_links_the_guide_in_both_languages():
    first_screen = "\n".join((ROOT / "README.md").read_text("utf-8").splitlines()[:24])
    assert "**Panduan pengguna:** [docs/panduan.md](docs/panduan.md)" in first_screen
    assert "**User guide** (in Indonesian): [docs/panduan.md](docs/panduan.md)" in first_screen


def test_the_moved_sections_live_in_docs_and_the_speed_table_markers_moved_with_them():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "<!-- bench:begin -->" not in readme
    assert (DOCS / "speed.md").read_text("utf-8").count("<!-- bench:begin -->") == 1
    assert "**Fuzzing**" in (DOCS / "hardening.md").read_text("utf-8") and "**Fuzzing**" not in readme


@pytest.mark.parametrize("page", [ROOT / "README.md", *sorted(DOCS.glob("*.md"))], ids=lambda p: p.name)
def test_every_relative_link_resolves(page: Path):
    targets = [t for t in LINK.findall(page.read_text("utf-8")) if "://" not in t]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert not missing, f"{page.name} links to missing files: {missing}"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_the_guide_embeds_every_picture_and_each_is_small():
    embedded = re.findall(r"!\[[^\]]+\]\((img/[^)]+)\)", GUIDE.read_text("utf-8"))
    on_disk = sorted(f"img/{p.name}" for p in (DOCS / "img").glob("*.png"))
    assert sorted(embedded) == on_disk, "every picture in docs/img is embedded once, with alt text"
    assert all(_png_size(DOCS / name)[0] == 1000 for name in on_disk)
    assert sum((DOCS / name).stat().st_size for name in on_disk) < 2_000_000


def test_every_command_in_the_guide_exists_with_the_options_it_uses():
    commands = re.findall(r"\.venv/bin/pentas (\w+)([^`\n]*)", GUIDE.read_text("utf-8"))
    assert {name for name, _ in commands} >= {"template", "validate", "score", "explain", "report"}
    for name, rest in commands:
        command = main.get_command(click.Context(main), name)
        assert isinstance(command, click.Command), f"the guide uses `pentas {name}`, which does not exist"
        known = {opt for param in command.params for opt in getattr(param, "opts", [])} | {"--help"}
        used = set(re.findall(r"(?<!\S)(--?[a-z][\w-]*)", rest))
        assert used <= known, f"`pentas {name}` has no option {sorted(used - known)}"
