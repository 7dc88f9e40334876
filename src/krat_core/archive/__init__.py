"""The archive: every submission and every version across years (SQLite; PostgreSQL).

One import path for the stage::

    from krat_core.archive import Archive, AddResult

SQLAlchemy and Alembic are imported only when a name of this package is first
used, never when ``krat_core`` or the command line starts. Needs the
``krat[archive]`` extra (``krat[postgres]`` for a PostgreSQL server).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.archive.core import (
        AddResult,
        Cell,
        Completeness,
        Damage,
        Receipt,
        Validation,
        VersionInfo,
        engine_validator,
    )
    from krat_core.archive.listing import completeness_text, missing_cells
    from krat_core.archive.store import Archive

_EXPORTS = {
    "AddResult": "core",
    "Archive": "store",
    "Cell": "core",
    "Completeness": "core",
    "Damage": "core",
    "Receipt": "core",
    "Validation": "core",
    "VersionInfo": "core",
    "completeness_text": "listing",
    "engine_validator": "core",
    "missing_cells": "listing",
}
__all__ = [
    "AddResult",
    "Archive",
    "Cell",
    "Completeness",
    "Damage",
    "Receipt",
    "Validation",
    "VersionInfo",
    "completeness_text",
    "engine_validator",
    "missing_cells",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
