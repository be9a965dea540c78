"""``python -m pentas_rules`` runs the ``pentas`` command; :func:`run` is the ``pentas`` script itself.

The command's start-up is mostly importing: some 24,000 module, class and function objects
that live as long as the process. The garbage collector can free none of them, yet it
walked them again and again: about 20 collections during the imports (about 3 ms), and
the collections while the interpreter shuts down (about 10 ms). So :func:`run` imports
with the collector paused and then freezes what is there (``gc.freeze``: moved to a
generation that is never collected), before the command runs with the collector working
as usual on what the command itself makes. A ``pentas score`` takes about 15 % less time
for it (docs/speed.md). The library is untouched: only the command does this.
"""

from __future__ import annotations

import gc


def run() -> None:
    """The ``pentas`` command (the console script's entry point)."""
    gc.disable()
    try:
        # deferred: imported with the collector paused, so that what the imports make is frozen below
        from .cli import main
    finally:
        gc.freeze()
        gc.enable()
    main()


if __name__ == "__main__":
    run()
