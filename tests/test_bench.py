"""The benchmark script runs (a quick profile), and --readme touches only the table between its markers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.bench import BEGIN, END, paired, write_readme

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_runs_and_prints_every_section() -> None:
    # It asserts that the plain scorers agree with the engine before timing them, so a
    # rule change the plain scorers miss fails here rather than in the next `make bench`.
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    for heading in ("1. Per indicator", "2. The engine on all 31", "3. End to end", "4. Start-up", "5. Batch"):
        assert heading in out.stdout
    assert "x python -c pass" in out.stdout
    assert "passes; target: within 3x" in out.stdout


def test_readme_table_replaces_only_what_is_between_the_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n## Speed\n\nprose\n{BEGIN}\nold table\n{END}\n\n## Next\n", encoding="utf-8")
    write_readme("new table\n", readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith(f"# x\n\n## Speed\n\nprose\n{BEGIN}\nMeasured ")
    assert "```\nnew table\n```\n" + END + "\n\n## Next\n" in text
    assert "old table" not in text


def test_readme_without_markers_is_left_alone(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# x\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="must hold one"):
        write_readme("new table\n", readme)
    assert readme.read_text(encoding="utf-8") == "# x\n"


def test_paired_interleaves_the_sides_and_alternates_their_order() -> None:
    calls: list[str] = []
    result = paired(lambda: calls.append("a"), lambda: calls.append("b"), passes=4)
    # Two calibration calls, then one call per side per pass, the order swapping each pass:
    # never all of one side before the other.
    assert calls == ["a", "b", "a", "b", "b", "a", "a", "b", "b", "a"]
    assert len(result.a) == len(result.b) == len(result.ratios) == 4
    assert result.ratios == sorted(x / y for x, y in zip(result.a, result.b, strict=True))
