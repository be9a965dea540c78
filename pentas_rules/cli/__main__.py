"""``python -m pentas_rules.cli`` runs the ``pentas`` command, as ``python -m pentas_rules`` does."""

from . import main

main()
