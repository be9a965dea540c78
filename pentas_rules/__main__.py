"""``python -m pentas_rules`` runs the ``pentas`` command; :func:`run` is the ``pentas`` script itself.

The command's start-up is mostly importing: some 24,000 module, class and function objects
that live as long as the process. The garbage collector can free none of them, yet it
walked them again and again: about 20 collections during the imports (about 3 ms), and
the collections while the interpreter shuts down (about 10 ms). So :func:`run` imports
with the collector paused and then freezes what is there (``gc.freeze``: moved to a
generation that is never collected), before the command runs with the collector working
as usual on what the command itself makes. A ``pentas score`` takes about 15 % less time
for it (docs/speed.md). The library is untouched: only the command does this.

When the command is done, the interpreter would still tear down every module and free every
object one by one (about 2 ms of a ``pentas score``), with nothing left to do that anyone could
see: the output is flushed here first, and files are written atomically and closed before. So
:func:`run` ends the process at once (``os._exit``) with the command's exit code, unless
something was registered to run at exit (``atexit``, which a worker pool or a temporary folder
registers), a thread other than the main one is alive, or flushing the output failed: then the
interpreter exits as usual.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys


def run() -> None:
    """The ``pentas`` command (the console script's entry point)."""
    gc.disable()
    try:
        # deferred: imported with the collector paused, so that what the imports make is frozen below
        from .cli import main
    finally:
        gc.freeze()
        gc.enable()
    try:
        main()
    except SystemExit as exit:
        _leave(exit.code)
        raise
    _leave(0)


def _leave(code: object) -> None:
    """End the process now with ``code`` when nothing is left to run at exit; else return."""
    if code is None:
        code = 0
    # atexit._ncallbacks is CPython's own count of exit handlers, undocumented: where it is
    # missing (another interpreter, a later version), assume there are some and exit as usual.
    handlers = getattr(atexit, "_ncallbacks", None)
    if not isinstance(code, int) or isinstance(code, bool) or handlers is None or handlers():
        return  # a message as the code, or exit handlers: the interpreter's own exit does it
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return  # a live thread is waited for at exit
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return  # a closed pipe or stream: the interpreter's exit reports it as it always does
    os._exit(code)


if __name__ == "__main__":
    run()
