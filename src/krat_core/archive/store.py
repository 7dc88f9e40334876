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
from typing import TYPE_CHECKING

from krat_core.archive.backup import read_backup, write_backup
from krat_core.archive.core import ArchiveCore
from krat_core.archive.engine import reading

if TYPE_CHECKING:
    from krat_core.archive.amendments import AmendmentInfo
    from krat_core.format.models import Submission
    from krat_core.format.models.national import NationalDataset
    from krat_core.reporting.register import ReleaseRecord

__all__ = ["Archive"]


class Archive(ArchiveCore):
    """An archive database (SQLite file or PostgreSQL): see :mod:`krat_core.archive.core`."""

    def backup(self, folder: str | os.PathLike[str]) -> int:
        """Write every version to ``folder``; returns how many. See :mod:`.backup`."""
        return write_backup(self, Path(folder))

    def restore(self, folder: str | os.PathLike[str]) -> int:
        """Fill this (empty) archive from a backup folder; returns the versions restored."""
        return read_backup(self, Path(folder))

    def amendments(self, region: str, period: str) -> list[AmendmentInfo]:
        """Every calendar amendment of ``region`` for ``period``, in the order they apply."""
        from krat_core.archive.amendments import amendment_history

        with reading(self.engine) as conn:
            return amendment_history(conn, region, period)

    def releases(self) -> list[ReleaseRecord]:
        """Every public release recorded in the archive, oldest first (see
        :mod:`krat_core.archive.releases`)."""
        from krat_core.archive.releases import read_releases

        with reading(self.engine) as conn:
            return read_releases(conn)

    def add_release(self, record: ReleaseRecord) -> None:
        """Append ``record`` to the archive's release register (never changes a row)."""
        from krat_core.archive.engine import writing
        from krat_core.archive.releases import append_release

        with writing(self.engine) as conn:
            append_release(conn, record)

    def dataset(self, period: str | list[str]) -> NationalDataset:
        """The national dataset of ``period`` from the archive alone, amendments applied.

        Validated (from the stored summaries) when every version of the period
        was stored with one; otherwise unvalidated.
        """
        from sqlalchemy import func, select

        from krat_core.archive import schema as t

        periods = [period] if isinstance(period, str) else list(period)
        with reading(self.engine) as conn:
            unvalidated = conn.execute(
                select(func.count())
                .select_from(t.versions)
                .where(t.versions.c.period.in_(periods), t.versions.c.validated.is_(False))
            ).scalar_one()
        return self.combine(periods, validated=not unvalidated).dataset

    def periods(self) -> list[str]:
        """Every period the archive holds a submission for, oldest first."""
        return self.list().periods

    def earlier_datasets(
        self, period: str, region: str | None = None
    ) -> list[NationalDataset | Submission]:
        """What a report of ``period`` compares with, year over year: every earlier year archived.

        Oldest first: the national dataset of each period of an earlier year,
        or with ``region`` that region's accepted submission of each (amended).
        """
        year = int(period[:4])
        earlier = [p for p in self.periods() if int(p[:4]) < year]
        if region is None:
            return [self.dataset(p) for p in earlier]
        found: list[NationalDataset | Submission] = []
        for p in earlier:
            found += [s for s in self.dataset(p).regional_submissions() if s.region == region]
        return found
