"""Validation: the rule engine and the validation report.

One import path for the stage::

    from krat_core.validation import validate, ValidationReport

Rules come from plugins (``krat_validators``); the engine runs them and never
reads or writes files. :mod:`krat_core.validation.annotate` marks a region's
workbook with the findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.validation.engine import ValidationReport, validate

_EXPORTS = {
    "validate": "engine",
    "ValidationReport": "engine",
}
__all__ = [
    "ValidationReport",
    "validate",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
