"""The reports of one ``rank`` as a unit: staged while the batch is scored, moved into place once it is accepted.

A batch may be refused only after every file was scored (files naming different rulesets, or a
one-ruleset format asked of several): its reports must not have replaced the earlier ones by then.
Workers write each report into a staging folder this command creates inside the reports folder
(so every move is an ``os.replace`` on one file system); :meth:`ReportStaging.commit` moves them
into place. A refused or interrupted batch removes the staging folder, and the reports folder
too when this command created it and it is still empty: nothing else is touched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

__all__ = ["ReportStaging"]

_PREFIX = ".pentas-staging-"


class ReportStaging:
    """Where the workers write the reports (:meth:`staged`), and the move into ``folder`` (:meth:`commit`)."""

    def __init__(self, folder: Path, targets: dict[str, str]) -> None:
        self.folder = folder
        self.targets = targets  # evidence file -> final report path, inside folder
        self._created: list[Path] = []  # folders this command created, deepest last
        self._staging: Path | None = None
        self._committed = False

    def __enter__(self) -> ReportStaging:
        missing = [p for p in (self.folder, *self.folder.parents) if not p.exists()]
        self.folder.mkdir(parents=True, exist_ok=True)
        self._created = list(reversed(missing))
        self._staging = Path(tempfile.mkdtemp(prefix=_PREFIX, dir=self.folder))
        return self

    def staged(self) -> dict[str, str]:
        """Evidence file -> where its worker writes the report while the batch is not yet accepted."""
        assert self._staging is not None
        return {path: str(self._staging / Path(final).name) for path, final in self.targets.items()}

    def final(self, staged: str | None) -> str | None:
        """The path a staged report has once committed (None stays None: that report was not written)."""
        if staged is None or self._staging is None:
            return staged
        return str(self.folder / Path(staged).name)

    def commit(self) -> None:
        """Move every report written into place; the staging folder is then removed."""
        assert self._staging is not None
        for staged in self.staged().values():
            if os.path.exists(staged):
                os.replace(staged, self.folder / Path(staged).name)
        self._committed = True
        self._remove_staging()

    def _remove_staging(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._remove_staging()
        if self._committed:
            return
        for folder in reversed(self._created):  # deepest first; a folder something else wrote into stays
            try:
                folder.rmdir()
            except OSError:
                break
