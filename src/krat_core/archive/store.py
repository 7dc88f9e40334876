"""The archive: :class:`Archive`, the storage operations of :mod:`.core` plus backups.

Typical use::

    from krat_core.archive import Archive

    with Archive.open("krat-archive.sqlite") as archive:      # or "postgresql://..."
        result = archive.add("AL-02-2024.json")
        archive.backup("backup-2025-02-01")
"""

from __future__ import annotations

import os
from pathlib import Path

from krat_core.archive.backup import read_backup, write_backup
from krat_core.archive.core import ArchiveCore

__all__ = ["Archive"]


class Archive(ArchiveCore):
    """An archive database (SQLite file or PostgreSQL): see :mod:`krat_core.archive.core`."""

    def backup(self, folder: str | os.PathLike[str]) -> int:
        """Write every version to ``folder``; returns how many. See :mod:`.backup`."""
        return write_backup(self, Path(folder))

    def restore(self, folder: str | os.PathLike[str]) -> int:
        """Fill this (empty) archive from a backup folder; returns the versions restored."""
        return read_backup(self, Path(folder))
