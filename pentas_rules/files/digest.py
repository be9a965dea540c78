"""SHA-256 without ``hashlib``: the evidence hash and the rule cache's key on the start-up path.

``import hashlib`` loads OpenSSL's ``_hashlib`` (about 2 ms of every ``pentas score``) to
offer every algorithm; we need one. CPython always builds its own SHA-256 as a small
extension module, ``_sha2`` from 3.12 and ``_sha256`` in 3.11, whose digests are SHA-256's
by definition (a test compares them with hashlib's). A Python built without it (a
distribution may leave the builtin hashes out, relying on OpenSSL) gets hashlib's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

__all__ = ["sha256"]


def _fastest_sha256() -> Callable[..., Any]:
    for name in ("_sha2", "_sha256"):  # Python 3.12 and later; Python 3.11
        try:
            return cast(Callable[..., Any], __import__(name).sha256)
        except (ImportError, AttributeError):
            continue
    # deferred: a build without the builtin hashes (OpenSSL only) pays for hashlib here
    import hashlib

    return hashlib.sha256


sha256 = _fastest_sha256()
"""``sha256(data)``: a SHA-256 hash object (``update``, ``digest``, ``hexdigest``), as hashlib's."""
