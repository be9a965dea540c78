"""``python -m pentas_rules`` runs the ``pentas`` command."""

from .cli import main

main()
