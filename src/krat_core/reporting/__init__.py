"""Reporting: the report's tables, small-cell disclosure control, and exporting.

One import path for the stage (exporter plugins import from here)::

    from krat_core.reporting import build_report, export, format_cell

The flow, module by module:

- :mod:`~krat_core.reporting.data`: what a report is about (:class:`ReportData`);
- :mod:`~krat_core.reporting.tables`: the :class:`Table` and its cells
  (:class:`Count`, :class:`Stat`, :class:`Suppressed`, :class:`Label`), and how
  a cell reads (:func:`format_cell`, :func:`cell_value`);
- :mod:`~krat_core.reporting.cases`, :mod:`~krat_core.reporting.activities`,
  :mod:`~krat_core.reporting.institutions`: the tables, computed from the records;
- :mod:`~krat_core.reporting.disclosure`: small-cell suppression of the tables;
- :mod:`~krat_core.reporting.report`: :func:`build_report` puts them together;
- :mod:`~krat_core.reporting.exporting`: :func:`export` hands the dataset to an
  exporter plugin, which renders :func:`prepare_report`'s tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from krat_core._lazy import lazy_exports

if TYPE_CHECKING:
    from krat_core.reporting.activities import MONTHS
    from krat_core.reporting.data import ReportData, report_data
    from krat_core.reporting.disclosure import (
        MIN_THRESHOLD,
        check_threshold,
        protect_table,
        protect_tables,
    )
    from krat_core.reporting.exporting import (
        RecordTable,
        case_record_count,
        choose_exporter,
        dataset_submissions,
        export,
        prepare_report,
        read_once,
        record_tables,
        require_records,
        submission_header,
    )
    from krat_core.reporting.report import SECTIONS, Report, build_report
    from krat_core.reporting.tables import (
        MARKER,
        Cell,
        Chart,
        Count,
        Grid,
        Label,
        Layout,
        Stat,
        Suppressed,
        Table,
        Wording,
        cell_value,
        format_cell,
    )

_EXPORTS = {
    "MONTHS": "activities",
    "ReportData": "data",
    "report_data": "data",
    "MIN_THRESHOLD": "disclosure",
    "check_threshold": "disclosure",
    "protect_table": "disclosure",
    "protect_tables": "disclosure",
    "RecordTable": "exporting",
    "case_record_count": "exporting",
    "choose_exporter": "exporting",
    "dataset_submissions": "exporting",
    "export": "exporting",
    "prepare_report": "exporting",
    "read_once": "exporting",
    "record_tables": "exporting",
    "require_records": "exporting",
    "submission_header": "exporting",
    "SECTIONS": "report",
    "Report": "report",
    "build_report": "report",
    "Cell": "tables",
    "Chart": "tables",
    "Count": "tables",
    "Grid": "tables",
    "Label": "tables",
    "Layout": "tables",
    "Stat": "tables",
    "Suppressed": "tables",
    "MARKER": "tables",
    "Table": "tables",
    "Wording": "tables",
    "cell_value": "tables",
    "format_cell": "tables",
}
__all__ = [
    "MARKER",
    "MIN_THRESHOLD",
    "MONTHS",
    "SECTIONS",
    "Cell",
    "Chart",
    "Count",
    "Grid",
    "Label",
    "Layout",
    "RecordTable",
    "Report",
    "ReportData",
    "Stat",
    "Suppressed",
    "Table",
    "Wording",
    "build_report",
    "case_record_count",
    "cell_value",
    "check_threshold",
    "choose_exporter",
    "dataset_submissions",
    "export",
    "format_cell",
    "prepare_report",
    "protect_table",
    "protect_tables",
    "read_once",
    "record_tables",
    "report_data",
    "require_records",
    "submission_header",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
