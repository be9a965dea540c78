"""The one evidence checker, held to jsonschema as the reference.

jsonschema runs the generated evidence JSON Schema here, in the tests, and nowhere
at run time. Documents drawn here are valid (the synthetic-office generator, and
strategies over the catalogue) or start valid and are damaged at random places:
any JSON value anywhere, wrong types, out-of-range numbers, true for a number,
5.0 for a whole number, null, unknown keys, missing metadata, extra nesting.
The checker must accept exactly what the schema accepts, except for the checks
a schema cannot express (BEYOND_SCHEMA), locate every place the schema objects
to, and read the same facts as a plain extraction.
"""

from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pentas_rules.errors import EvidenceError
from pentas_rules.evidence.checker import EvidenceChecker, _Fact
from pentas_rules.evidence.jsonfile import json_path, show
from pentas_rules.evidence.reader import checker_for, evidence_problems, evidence_schema, parse_evidence
from pentas_rules.ruleset.loader import _Builder
from pentas_rules.ruleset.model import EnumSpec, FactSpec, Ruleset
from tools.synthetic import generate_office

from .conftest import ROOT, SAMPLES, examples
from .strategies import evidence_docs, to_bytes

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([0, 1, -1, 5.0, 0.5, 100, 100.0, 100.5, 2021, 2021.0, 1900, 2101, 10**8, 10**8 + 1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["", " ", "A", "A+", "B", "Z", "32.73", "32.73\n", "3273", "2021-06-01", "2021-02-30", "pentas-2021", "value"]),
    # Half a surrogate pair survives json.dumps as an escape and must be refused as text.
    st.sampled_from(["\ud800", "Kota \udfff", "\ud83d\ude00"]),
    st.just(10**40),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["value", "source", "note", "x", "ada"]), inner, max_size=3)),
    max_leaves=6,
)
# What an assessor gets wrong in a typed value: a boolean for a number, 5.0 for a whole
# number, a number as text, null, and numbers at and past the usual bounds.
WRONG_TYPES = st.one_of(
    st.sampled_from([True, False, None, 5.0, 0.0, 2021.0, -1, 0, 100, 101, 10**9, "5", "ya", [], {}, {"value": None}]),
    st.floats(allow_nan=False, allow_infinity=False),
)

# What the checker refuses beyond the schema, by the "expected" phrase of its problem:
# a name of only whitespace, a date not on the calendar, a province its region code
# does not name (or a region code whose prefix is no province).
BEYOND_SCHEMA_EXPECTED = frozenset({"non-blank text", "a real date YYYY-MM-DD", "a province code"})


def _beyond_schema(problem: Any, ruleset: Ruleset) -> bool:
    if problem.expected in BEYOND_SCHEMA_EXPECTED:
        return True
    return problem.path == "$.meta.province" and problem.expected in ruleset.provinces.values()


@lru_cache(maxsize=4)
def schema_validator(ruleset: Ruleset) -> Any:
    """The reference: jsonschema with the evidence JSON Schema generated from the catalogue."""
    return jsonschema.Draft202012Validator(evidence_schema(ruleset))


def schema_paths(doc: Any, ruleset: Ruleset) -> set[str]:
    """The JSON paths where the reference finds a problem."""
    return {json_path(tuple(e.absolute_path)) for e in schema_validator(ruleset).iter_errors(doc)}


def _covers(a: str, b: str) -> bool:
    return a == b or b.startswith((a + ".", a + "[")) or a.startswith((b + ".", b + "["))


def plain_facts(doc: dict[str, Any], ruleset: Ruleset) -> dict[str, Any]:
    """The facts of a valid document, read the obvious way."""
    facts: dict[str, Any] = {}
    for group, body in doc["facts"].items():
        for fact, raw in body.items():
            name = f"{group}.{fact}"
            value = raw["value"] if isinstance(raw, dict) else raw
            if value is not None:
                facts[name] = int(value) if ruleset.catalogue.facts[name].type == "integer" else value
    meta = doc["meta"]
    if meta.get("population") is not None:
        facts["meta.population"] = int(meta["population"])
    facts["meta.year"] = int(meta["year"])
    return facts


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside the document."""
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out.extend(_places(value, path + (key,)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out.extend(_places(value, path + (i,)))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        doc = doc[part]
    return doc


# The bundled samples are valid starting points that cost nothing to draw; one
# in four starts from freshly drawn evidence instead, for variety.
SAMPLE_DOCS = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.json"))]


@st.composite
def damaged_docs(draw: st.DrawFn, ruleset: Any) -> dict[str, Any]:
    start = draw(st.one_of(st.sampled_from(SAMPLE_DOCS), st.sampled_from(SAMPLE_DOCS), st.sampled_from(SAMPLE_DOCS), evidence_docs(ruleset)))
    doc = copy.deepcopy(start)
    for _ in range(draw(st.integers(0, 3))):
        places = _places(doc)
        path = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "replace", "retype", "retype", "add", "remove", "wrap", "nest"]))
        if not path:
            if action == "add":
                doc[draw(st.sampled_from(["extra", "$schema", "ruleset"]))] = draw(JSON_VALUES)
            elif action == "remove" and doc:
                doc.pop(draw(st.sampled_from(sorted(doc))))
            continue
        parent, key = _get(doc, path[:-1]), path[-1]
        if action == "replace":
            parent[key] = draw(JSON_VALUES)
        elif action == "retype":
            parent[key] = draw(WRONG_TYPES)
        elif action == "wrap":
            parent[key] = {"value": parent[key], draw(st.sampled_from(["source", "note", "sumber"])): draw(JSON_SCALARS)}
        elif action == "nest":
            parent[key] = {"value": {"value": parent[key]}} if draw(st.booleans()) else [parent[key]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "rambu2", "value", "note", "population", "assessors"]))] = draw(JSON_VALUES)
        elif action == "remove" and isinstance(parent, dict):
            del parent[key]
    return doc


def _agrees_with_the_schema(doc: dict[str, Any], ruleset: Ruleset) -> None:
    located = schema_paths(doc, ruleset)
    problems = checker_for(ruleset).problems(doc)
    if located:  # the schema refuses it: so does the checker, at every place the schema names
        assert problems
        for path in located:
            assert any(_covers(p.path, path) for p in problems), (path, problems)
    else:  # the schema accepts it: the checker does too, but for what no schema can express
        assert all(_beyond_schema(p, ruleset) for p in problems), problems
    for p in problems:
        assert p.path.startswith("$") and p.message, p
    if not problems:
        evidence = checker_for(ruleset).check(doc, "x.json")
        expected = plain_facts(doc, ruleset)
        assert evidence.facts == expected
        assert {k: type(v) for k, v in evidence.facts.items()} == {k: type(v) for k, v in expected.items()}


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_checker_agrees_with_the_json_schema_on_damaged_documents(ruleset, data):
    _agrees_with_the_schema(data.draw(damaged_docs(ruleset)), ruleset)


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_checker_accepts_valid_documents_and_reads_their_facts(ruleset, mini, data):
    for rules in (ruleset, mini):
        doc = data.draw(evidence_docs(rules))
        assert not schema_paths(doc, rules)
        assert checker_for(rules).problems(doc) == []
        _agrees_with_the_schema(doc, rules)


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6))
def test_checker_accepts_generated_offices(ruleset, seed):
    doc = generate_office(ruleset, random.Random(seed), seed % 500)
    assert not schema_paths(doc, ruleset)
    _agrees_with_the_schema(doc, ruleset)
    assert parse_evidence(to_bytes(doc), "x.json", ruleset).facts == plain_facts(doc, ruleset)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["meta"].update(office="   "), "non-blank text"),
        (lambda d: d["meta"].update(assessors=["Tim", "\t"]), "non-blank text"),
        (lambda d: d["meta"].update(assessed_on="2021-02-30"), "a real date YYYY-MM-DD"),
        (lambda d: d["meta"].update(region_code="99.01"), "a province code"),
        (lambda d: d["meta"].update(province="Jawa Timur"), "Jawa Barat"),
    ],
)
def test_the_checks_beyond_the_schema_are_the_listed_ones(ruleset, change, expected):
    """Each check the schema cannot express refuses a schema-valid document, and is one the property test excepts."""
    doc = copy.deepcopy(SAMPLE_DOCS[0])
    doc["meta"].update(region_code="32.73", province="Jawa Barat")
    change(doc)
    assert not schema_paths(doc, ruleset)
    problems = checker_for(ruleset).problems(doc)
    assert [p.expected for p in problems] == [expected]
    assert _beyond_schema(problems[0], ruleset)


def test_problems_are_located_by_the_callers_locate(ruleset):
    """A caller other than JSON (a workbook) words each path of keys as its own location."""
    doc = copy.deepcopy(SAMPLE_DOCS[0])
    doc["meta"]["year"] = 2020  # still scored, with a warning
    doc["facts"]["parkir"] = {"ada": "ya", "rambu": {"value": True, "sorce": "x"}}
    cells = {("facts", "parkir", "ada"): "Fakta!C7", ("facts", "parkir", "rambu", "sorce"): "Fakta!E8"}

    def locate(path: tuple[str | int, ...]) -> str:
        return cells.get(path, "Meta!" + "/".join(map(str, path)))

    problems = checker_for(ruleset).problems(doc, locate)
    assert [(p.path, p.expected) for p in problems] == [("Fakta!C7", "true or false"), ("Fakta!E8", "value, source, page or note")]
    assert problems[1].suggestion == "source"
    del doc["facts"]["parkir"]
    evidence = checker_for(ruleset).check(doc, "book.xlsx", locate)
    assert [(w.path, w.facts[0][1]) for w in evidence.warnings] == [("Meta!meta/year", "Meta!meta/year")]


@pytest.mark.usefixtures("english")
def test_every_problem_at_once_including_the_checks_beyond_the_schema(ruleset):
    """A blank office name and a wrong fact are reported together, not the second only after the first is fixed."""
    doc = copy.deepcopy(SAMPLE_DOCS[0])
    doc["meta"]["office"] = "  "
    doc["facts"]["parkir"] = {"ada": "ya"}
    with pytest.raises(EvidenceError) as info:
        parse_evidence(to_bytes(doc), "x.json", ruleset)
    assert [p.path for p in info.value.problems] == ["$.meta.office", "$.facts.parkir.ada"]
    assert str(info.value).endswith("(and 1 more problem)")
    assert [p.path for p in evidence_problems(to_bytes(doc), "x.json", ruleset)] == ["$.meta.office", "$.facts.parkir.ada"]


def test_the_checker_takes_any_mapping(ruleset):
    """A form or spreadsheet reader may hand over a read-only mapping at the top."""
    doc = copy.deepcopy(SAMPLE_DOCS[0])
    evidence = EvidenceChecker(ruleset).check(MappingProxyType(doc), "form")
    assert evidence.facts == plain_facts(doc, ruleset)


def test_checking_evidence_imports_neither_jsonschema_nor_the_rule_loader(tmp_path):
    """jsonschema (about 70 ms to import) is the tests' reference, not a run-time step, even for invalid evidence."""
    bad = copy.deepcopy(SAMPLE_DOCS[0])
    bad["facts"]["parkir"] = {"ada": "ya"}
    (tmp_path / "bad.json").write_text(json.dumps(bad), encoding="utf-8")
    code = (
        "import sys\n"
        "from pentas_rules.evidence.reader import evidence_problems\n"
        "assert 'pentas_rules.ruleset.loader' not in sys.modules, 'reading evidence imports the rule loader'\n"
        "from pentas_rules.ruleset.cache import load_ruleset_cached\n"
        f"rs = load_ruleset_cached({str(ROOT / 'rules' / 'pentas-2021')!r})\n"
        "sys.modules['jsonschema'] = None  # any import of it from here on fails\n"
        f"problems = evidence_problems(open({str(tmp_path / 'bad.json')!r}, 'rb').read(), 'bad.json', rs)\n"
        "assert problems[0].path == '$.facts.parkir.ada', problems\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr


# -- one classification of "is this a value of this fact" -------------------------------------


@pytest.mark.parametrize(
    ("spec_args", "value", "misfit"),
    [
        ({"type": "bool"}, True, None),
        ({"type": "bool"}, 1, ("type", None)),
        ({"type": "bool"}, "ya", ("type", None)),
        ({"type": "number", "minimum": 0, "maximum": 100}, 100, None),
        ({"type": "number", "minimum": 0, "maximum": 100}, True, ("type", None)),
        ({"type": "number", "minimum": 0, "maximum": 100}, "95%", ("type", None)),
        ({"type": "number", "minimum": 0, "maximum": 100}, -0.5, ("below", 0)),
        ({"type": "number", "minimum": 0, "maximum": 100}, 100.5, ("above", 100)),
        ({"type": "integer"}, 5.0, None),
        ({"type": "integer"}, 5.5, ("whole", None)),
        ({"type": "enum", "enum": EnumSpec("grade", ("B", "A"))}, "A", None),
        ({"type": "enum", "enum": EnumSpec("grade", ("B", "A"))}, "a", ("enum", None)),
        ({"type": "enum", "enum": EnumSpec("grade", ("B", "A"))}, 1, ("enum", None)),
        ({"type": "enum", "enum": None}, "anything", None),
    ],
)
def test_the_checker_and_the_loader_share_one_classification(spec_args, value, misfit):
    """``FactSpec.misfit`` decides for both the evidence checker and the rule loader's constants,
    so a value the loader accepts in a rule is one evidence may hold, and the reverse."""
    spec = FactSpec(name="x.y", description_id="", description_en="", **spec_args)
    assert spec.misfit(value) == misfit
    loader_problem = _Builder(".").constant_problem(spec, value)
    assert (loader_problem is None) == (misfit is None)
    if spec.enum is not None or spec.type != "enum":
        checker_problem = _Fact("x.y", spec).problem(value)
        assert (checker_problem is None) == (misfit is None)
        assert checker_problem is None or show(value) in checker_problem or repr(value) in checker_problem
