"""The exchange format: models, code lists, regions, canonical JSON, schemas.

One import path for the format::

    from krat_core.format import Submission, load_submission, dump_submission

The pydantic models in :mod:`krat_core.format.models` are the one source of
truth; the JSON Schemas (:mod:`krat_core.format.schema`) and the spreadsheet
columns (:mod:`krat_core.importing.columns`) are derived from them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.format.canonical import dump_json, dump_submission, load_submission
    from krat_core.format.migrate import migrate_submission
    from krat_core.format.models import (
        Activity,
        Case,
        Institution,
        Objective,
        Submission,
    )
    from krat_core.format.models.national import NationalDataset

_EXPORTS = {
    "load_submission": "canonical",
    "dump_submission": "canonical",
    "dump_json": "canonical",
    "migrate_submission": "migrate",
    "Submission": "models",
    "Case": "models",
    "Activity": "models",
    "Objective": "models",
    "Institution": "models",
    "NationalDataset": "models.national",
}
__all__ = [
    "Activity",
    "Case",
    "Institution",
    "NationalDataset",
    "Objective",
    "Submission",
    "dump_json",
    "dump_submission",
    "load_submission",
    "migrate_submission",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
