"""The public API: load a ruleset, read evidence, score, explain, with nothing but ``import pentas_rules``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import pentas_rules

from .conftest import ROOT, SAMPLES

SAMPLE = SAMPLES / "kota-bandung.json"
GOLDEN = ROOT / "tests" / "golden" / "kota-bandung.json"


def test_score_and_explain_one_office_through_the_public_api():
    ruleset = pentas_rules.load_ruleset()
    assert isinstance(ruleset, pentas_rules.Ruleset)
    raw = SAMPLE.read_bytes()
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    from_path = pentas_rules.score(ruleset, pentas_rules.read_evidence(SAMPLE, ruleset), raw=raw)
    assert isinstance(from_path, pentas_rules.ScoreResult)
    # The same result as `pentas score --format json`: the result keeps the file's name, not the folder it was read from.
    assert from_path.to_dict() == golden
    # Bytes, a path as text and a mapping are one office.
    for source in (raw, str(SAMPLE), json.loads(raw)):
        evidence = pentas_rules.read_evidence(source, ruleset)
        assert isinstance(evidence, pentas_rules.Evidence)
        assert pentas_rules.score(ruleset, evidence).total == from_path.total
    text = pentas_rules.explain(from_path, "5", lang="en")
    assert text.startswith("Indicator 5 [I05]") and "Kota Bandung" in text
    assert pentas_rules.explain(from_path, "I05") != text  # Indonesian by default


def test_an_engine_is_built_once_and_called_for_each_office():
    ruleset = pentas_rules.load_ruleset()
    engine = pentas_rules.Engine(ruleset)
    evidence = pentas_rules.read_evidence(SAMPLE, ruleset)
    assert engine.evaluate(evidence).to_dict() == pentas_rules.score(ruleset, evidence).to_dict()
    assert engine.evaluate_indicator("I05", evidence.facts).level == pentas_rules.score(ruleset, evidence).indicator("I05").level


@pytest.mark.usefixtures("english")
def test_public_api_errors_are_the_package_errors():
    ruleset = pentas_rules.load_ruleset()
    with pytest.raises(pentas_rules.PentasError, match=r"\$\.meta"):
        pentas_rules.read_evidence({"meta": {}}, ruleset)
    result = pentas_rules.score(ruleset, pentas_rules.read_evidence(SAMPLE, ruleset))
    with pytest.raises(pentas_rules.PentasError, match="unknown indicator 'I5O'; did you mean I25?") as unknown:
        pentas_rules.explain(result, "I5O")
    assert unknown.value.exit_code == 2  # a usage error, as `pentas explain` reports it
    with pytest.raises(pentas_rules.PentasError, match="no-such-rules: not a rules directory"):
        pentas_rules.load_ruleset(ROOT / "no-such-rules")
    with pytest.raises(TypeError, match="not int"):
        pentas_rules.read_evidence(5, ruleset)  # type: ignore[arg-type]  # the wrong type is the point of the test


def test_public_api_lists_its_names():
    assert set(pentas_rules.__all__) == {
        "Engine",
        "Evidence",
        "PentasError",
        "Ruleset",
        "ScoreResult",
        "__version__",
        "explain",
        "load_ruleset",
        "read_evidence",
        "score",
    }
    for name in pentas_rules.__all__:
        assert getattr(pentas_rules, name) is not None
    with pytest.raises(AttributeError):
        pentas_rules.no_such_name  # noqa: B018 - the attribute access is what is tested


def test_importing_the_package_is_cheap():
    """``import pentas_rules`` (which every command does) loads no stage until a public name is used."""
    code = "import sys, pentas_rules; print(sorted(m for m in sys.modules if m.startswith('pentas_rules')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "['pentas_rules']"
