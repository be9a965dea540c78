"""A rules folder as it was at a git revision, for ``pentas diff git:REV NEW``.

``git:REV`` names the rules folder at revision REV; ``git:REV:PATH`` names
another folder of the repository. The folder is exported with ``git archive``
into a temporary directory the caller owns, and loaded from there like any other
rules folder. Every failure (no git, not a repository, no such revision, no
such folder at that revision) is a :class:`PentasError` saying which.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

from ..errors import PentasError
from ..messages import message

__all__ = ["GIT_PREFIX", "export_rules", "is_git_spec"]

GIT_PREFIX = "git:"


def is_git_spec(spec: str) -> bool:
    return spec.startswith(GIT_PREFIX)


def _git(args: list[str], cwd: Path, spec: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise PentasError(message("git.not_installed", spec=spec)) from None
    except subprocess.TimeoutExpired:
        raise PentasError(message("git.timeout", spec=spec)) from None


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else message("git.status", status=result.returncode)


def _inside(top: Path, here: Path, folder: str) -> str | None:
    """``folder`` relative to the repository top: an existing or absolute path as it resolves, else as written."""
    given = Path(folder)
    candidate = (here / given).resolve()
    if not (given.is_absolute() or candidate.exists()):
        return given.as_posix()
    try:
        return candidate.relative_to(top).as_posix()
    except ValueError:
        return None


def export_rules(spec: str, defaults: tuple[str, ...], target: Path, cwd: Path | None = None) -> Path:
    """Export the rules folder named by ``spec`` (``git:REV`` or ``git:REV:PATH``) into ``target``.

    When the spec names no folder, the first of ``defaults`` that lies inside the
    repository is used (the other side of a diff, then the bundled rules).
    Returns the exported folder.
    """
    body = spec[len(GIT_PREFIX) :]
    rev, _, path = body.partition(":")
    if not rev:
        raise PentasError(message("git.no_revision", spec=spec))
    here = (cwd or Path.cwd()).resolve()
    top_result = _git(["rev-parse", "--show-toplevel"], here, spec)
    if top_result.returncode != 0:
        raise PentasError(message("git.not_repository", spec=spec, here=here, reason=_stderr(top_result)))
    top = Path(top_result.stdout.decode("utf-8").strip()).resolve()
    choices = (path,) if path else defaults
    relative = next((r for r in (_inside(top, here, c) for c in choices) if r is not None), None)
    if relative is None:
        raise PentasError(message("git.outside", spec=spec, folders=message("git.or").join(choices), top=top))
    if _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], top, spec).returncode != 0:
        raise PentasError(message("git.unknown_revision", spec=spec, rev=repr(rev), top=top))
    archive = _git(["archive", "--format=tar", rev, "--", relative], top, spec)
    if archive.returncode != 0:
        raise PentasError(message("git.no_folder", spec=spec, folder=relative, rev=rev, reason=_stderr(archive)))
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # The "data" filter refuses links, absolute names and names climbing out of target.
        if hasattr(tarfile, "data_filter"):
            tar.extractall(target, filter="data")
        else:  # Python before 3.11.4 has no filters: refuse the same things by hand
            for member in tar.getmembers():
                name = Path(member.name)
                if not (member.isfile() or member.isdir()) or name.is_absolute() or ".." in name.parts:
                    raise PentasError(message("git.refused_member", spec=spec, member=repr(member.name)))
            tar.extractall(target)  # noqa: S202 - every member was checked above
    exported = target / relative
    if not exported.is_dir():
        raise PentasError(message("git.not_folder", spec=spec, folder=relative, rev=rev))
    return exported
