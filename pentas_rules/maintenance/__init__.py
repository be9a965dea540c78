"""Tools for rule maintainers: lint, rule cases (cases), their coverage and JUnit output,
ruleset diff, snapshots of expected results, and reading rules at a git revision (gitrev).

Imports every layer below it (up to ``batch``); never ``cli``.
"""
