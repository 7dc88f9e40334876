"""Validation: the rule engine, the validation report, and batch validation of files.

One import path for the stage::

    from krat_core.validation import validate, ValidationReport, validate_paths

:mod:`~krat_core.validation.engine` runs the rules, :mod:`~krat_core.validation.report`
holds the report and its text/JSON renderings, :mod:`~krat_core.validation.batch`
validates files (submissions, national datasets, anything an importer reads)
and renders several reports at once.

Rules come from plugins (``krat_validators``); the engine runs them and never
reads or writes files. :mod:`krat_core.validation.annotate` marks a region's
workbook with the findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.validation.batch import BatchResult, Outcome, validate_paths
    from krat_core.validation.engine import resolve_pointer, validate, validate_import
    from krat_core.validation.report import ValidationReport

_EXPORTS = {
    "validate": "engine",
    "validate_import": "engine",
    "resolve_pointer": "engine",
    "ValidationReport": "report",
    "BatchResult": "batch",
    "Outcome": "batch",
    "validate_paths": "batch",
}
__all__ = [
    "BatchResult",
    "Outcome",
    "ValidationReport",
    "resolve_pointer",
    "validate",
    "validate_import",
    "validate_paths",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
