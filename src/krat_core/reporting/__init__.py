"""Reporting: statistics tables, small-cell disclosure control, and exporting.

One import path for the stage::

    from krat_core.reporting import export, build_report

Figures are computed once (:mod:`krat_core.reporting.statistics`), protected
(:mod:`krat_core.reporting.disclosure`) and handed to the exporter plugins
(:mod:`krat_core.reporting.exporting`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.reporting.exporting import choose_exporter, export
    from krat_core.reporting.statistics import build_report

_EXPORTS = {
    "export": "exporting",
    "choose_exporter": "exporting",
    "build_report": "statistics",
}
__all__ = [
    "build_report",
    "choose_exporter",
    "export",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
