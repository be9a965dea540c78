"""Write files so that a reader never sees half of one: temporary file, fsync, rename.

Every file the tool writes (results, reports, leaderboards, snapshots, JUnit XML)
goes through here. The temporary file sits in the target's own folder so that the
final ``os.replace`` is a rename within one file system, which is atomic on POSIX
and Windows; an interrupted run (Ctrl-C, a crash) leaves at most a stray
``.<name>.*.tmp`` file, never a truncated target.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import OutputFileError

__all__ = ["write_bytes_atomic", "write_text_atomic"]


def _target_mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step; raise OutputFileError (naming the file) on failure.

    A symbolic link is written through (its target is replaced, the link stays).
    A path that exists but is not a regular file (``-o /dev/stdout``, a FIFO) is
    written directly: no rename can replace a device, and none should.
    """
    given = Path(path)
    if given.exists() and not given.is_file():
        try:
            with open(given, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise OutputFileError(str(given), exc) from None
        return
    # deferred: tempfile pulls in shutil, random, bz2 and lzma (about 4 ms); `pentas score` writes nothing
    import tempfile

    target = Path(os.path.realpath(given))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        # mkstemp creates the file 0600 and the rename keeps that: give the result the
        # mode of the file it replaces, or what the umask allows for a new file, so a
        # report or leaderboard can be shared like any other file the user writes.
        os.chmod(tmp, _target_mode(target))
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException as exc:  # includes KeyboardInterrupt: never leave the temporary file behind
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise OutputFileError(str(given), exc) from None
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    """Like :func:`write_bytes_atomic` for text, always UTF-8 with the line ends as given."""
    write_bytes_atomic(path, text.encode("utf-8"))
