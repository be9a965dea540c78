"""SHA-256 that starts without ``hashlib``: the evidence hash and the rule cache's key.

``import hashlib`` loads OpenSSL's ``_hashlib``, about 2 ms of every ``pentas score``, to
offer every algorithm; a start needs one, over some 150 KB of rule files and one evidence
file. CPython always builds its own SHA-256 as a small extension module (``_sha2`` from
3.12, ``_sha256`` in 3.11), whose digests are SHA-256's by definition (a test compares them
with hashlib's), so the first hashes of a process use it. It is slower per byte, though
(here about 16 us for a 5 KB evidence file where OpenSSL takes 3, 1.1 ms for 300 KB
against 0.3): once a process has hashed more than ``SWITCH_AFTER`` bytes, which a batch
of offices soon does, it imports hashlib and uses OpenSSL's from then on. A Python built
without the builtin module (a distribution may rely on OpenSSL alone) uses hashlib's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

__all__ = ["SWITCH_AFTER", "sha256"]

# About where importing hashlib (2 ms) pays for itself: OpenSSL saves some 2.5 ms a megabyte.
SWITCH_AFTER = 1 << 20


def _builtin_sha256() -> Callable[..., Any] | None:
    for name in ("_sha2", "_sha256"):  # Python 3.12 and later; Python 3.11
        try:
            return cast(Callable[..., Any], __import__(name).sha256)
        except (ImportError, AttributeError):
            continue
    return None


_builtin = _builtin_sha256()
_openssl: Callable[..., Any] | None = None
_hashed = 0  # bytes given to the builtin module so far


def sha256(data: bytes = b"", /) -> Any:
    """A SHA-256 hash object of ``data`` (``update``, ``digest``, ``hexdigest``), as ``hashlib.sha256`` makes."""
    global _openssl, _hashed
    if _openssl is None:
        _hashed += len(data)
        if _builtin is not None and _hashed <= SWITCH_AFTER:
            return _builtin(data)
        # deferred: OpenSSL's is faster per byte, but importing it costs a start about 2 ms
        import hashlib

        _openssl = hashlib.sha256
    return _openssl(data)
