# Shortcuts; the README's two commands (scripts/demo, scripts/test) need no make.
PY := .venv/bin/python

.PHONY: setup demo test lint bench fuzz

setup:
	bash scripts/setup

demo:
	bash scripts/demo

test:
	bash scripts/test

lint: setup
	for rules in rules/*/; do .venv/bin/pentas lint "$$rules" || exit 1; done

# The speed table: measures (a few minutes; not a test) and writes it into docs/speed.md
# (the Speed page), between its markers. `$(PY) benchmarks/bench.py` only prints it.
bench: setup
	$(PY) benchmarks/bench.py --readme

# The long fuzzing run: 100,000 hostile evidence inputs and 10,000 mutated rule sets
# (about 55 minutes on one core here). The normal test run draws a few hundred of each.
fuzz: setup
	PENTAS_FUZZ_EXAMPLES=34000 $(PY) -m pytest -q -p no:cacheprovider --hypothesis-show-statistics \
		tests/test_fuzz.py -k "evidence or json or bytes"
	PENTAS_FUZZ_EXAMPLES=10000 $(PY) -m pytest -q -p no:cacheprovider --hypothesis-show-statistics \
		tests/test_fuzz.py -k "mutated_rule"
