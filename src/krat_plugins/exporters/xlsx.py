"""The ``xlsx`` output: the report as an Excel workbook.

Sheets, in order:

- ``Rreth raportit`` / ``About``: what the report covers, its date, the
  disclosure-control statement ("for internal use only" with
  ``--no-suppress``) and the list of sheets.
- One sheet per report table (``01 ...``, ``02 ...``, titled in the report
  language): the title in row 1, notes in row 2, the header in row 3 (frozen,
  with the row labels), typed cells (numbers, dates) with number formats,
  column widths that fit. Small counts are suppressed as in the Word report.
  Native Excel charts (cases by type of exploitation, cases by year,
  activities by month, objectives by status) sit next to their tables;
  a suppressed cell is text, so it plots as an empty bar.
- One sheet per record kind and nested list (``Institucionet``, ``Rastet``,
  ``Asistenca``, ``Aktivitetet``, ``Objektivat``, ``Treguesit``; English names
  with ``--lang en``) in the columns of the official template
  (:mod:`krat_core.importing.sheets`): record-level data, for internal or authorised
  use only, like the CSV and JSON outputs.

Every text cell goes through :func:`krat_core.safety.neutralise`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core import hookimpl
from krat_core.errors import ExporterUnavailable
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions

if TYPE_CHECKING:
    from krat_core.reporting import Chart, Report, Table

ABOUT = Message(sq="Rreth raportit", en="About")
PERIOD = Message(sq="Periudha", en="Period")
REPORT_DATE = Message(sq="Data e raportit", en="Report date")
SUPPRESSION = Message(sq="Fshehja e numrave të vegjël", en="Small-cell suppression")
TABLE_SHEETS = Message(sq="Fletët e tabelave", en="Table sheets")
# Excel's number format for dates, as format_date writes them in each language.
DATE_FORMAT = Message(sq="dd.mm.yyyy", en="yyyy-mm-dd")
RECORD_SHEETS = Message(
    sq="Të dhëna në nivel rekordi (jo për publikim)", en="Record-level data (not for publication)"
)

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60


def sheet_name(index: int, title: str) -> str:
    """A valid, unique Excel sheet name (31 characters at most) for table ``index``."""
    clean = " ".join(_BAD_SHEET_CHARS.sub(" ", title).split())
    return f"{index:02d} {clean}"[:31].rstrip()


def _width(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 10
    if isinstance(value, float):
        return len(f"{value:.1f}")
    return max((len(part) for part in str(value).splitlines()), default=0)


def fit_widths(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], sample: int = 2000
) -> list[float]:
    """Column widths that fit the header and the first ``sample`` rows (at most 60)."""
    widths = [_width(h) for h in header]
    for k, row in enumerate(rows):
        if k >= sample:
            break
        for j, v in enumerate(row):
            if j < len(widths):
                widths[j] = max(widths[j], _width(v))
    return [min(MAX_WIDTH, w + 2) for w in widths]


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


class _Writer:
    """Writes typed, neutralised rows to write-only sheets."""

    def __init__(self, lang: str) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        self.lang = lang
        self.wb = Workbook(write_only=True)
        self.bold = Font(bold=True)
        self.title_font = Font(bold=True, size=13)
        self.italic = Font(italic=True, color="555555")
        self.fill = PatternFill("solid", fgColor="DDE5F0")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.date_format = DATE_FORMAT.text(lang)

    def cell(self, ws: Any, value: Any, *, font: Any = None, fill: Any = None) -> Any:
        from openpyxl.cell import WriteOnlyCell

        from krat_core.safety import neutralise

        if isinstance(value, str):
            value = neutralise(value)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, bool):
            pass
        elif isinstance(value, date):
            c.number_format = self.date_format
        elif isinstance(value, int):
            c.number_format = "#,##0"
        elif isinstance(value, float):
            c.number_format = "#,##0.0"
        if font is not None:
            c.font = font
        if fill is not None:
            c.fill = fill
        return c

    def row(self, ws: Any, values: Iterable[Any], **style: Any) -> list[Any]:
        return [self.cell(ws, v, **style) for v in values]


def _add_chart(w: _Writer, ws: Any, chart: Chart, table: Table, anchor: str) -> None:
    from openpyxl.chart import BarChart, Reference

    first = 4 + min(chart.rows)
    last = 4 + max(chart.rows)
    bar = BarChart()
    bar.type = "bar" if chart.kind == "bar" else "col"
    bar.title = chart.title.text(w.lang)
    bar.legend = None
    bar.height = 8 + 0.25 * len(chart.rows)
    bar.width = 18
    for col in chart.value_cols:
        data = Reference(ws, min_col=col + 1, min_row=first, max_row=last)
        bar.add_data(data, titles_from_data=False)
    cats = Reference(ws, min_col=chart.category_col + 1, min_row=first, max_row=last)
    bar.set_categories(cats)
    if chart.kind == "bar":
        bar.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
    ws.add_chart(bar, anchor)


def _table_sheet(w: _Writer, report: Report, index: int, table: Table) -> str:
    from krat_core.reporting import cell_value

    lang = w.lang
    name = sheet_name(index, table.title.text(lang))
    ws = w.wb.create_sheet(name)
    header = [h.text(lang) for h in table.header]
    rows = [[cell_value(c, lang) for c in row] for row in table.rows]
    for j, width in enumerate(fit_widths(header, rows), start=1):
        ws.column_dimensions[_column_letter(j)].width = max(width, 8)
    ws.freeze_panes = f"{_column_letter(max(1, table.label_cols) + 1)}4"
    notes = []
    if table.counts_people:
        notes.append(report.suppression_note().text(lang))
    if table.note is not None:
        notes.append(table.note.text(lang))
    ws.append([w.cell(ws, table.title.text(lang), font=w.title_font)])
    ws.append([w.cell(ws, " ".join(notes), font=w.italic)])
    ws.append(w.row(ws, header, font=w.bold, fill=w.fill))
    for row in rows:
        ws.append(w.row(ws, row))
    charts = [c for c in report.charts if c.table == table.key]
    for k, chart in enumerate(charts):
        col = _column_letter(len(header) + 2)
        _add_chart(w, ws, chart, table, f"{col}{4 + 20 * k}")
    return name


def _records_sheet(
    w: _Writer, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    from krat_core.safety import neutralise

    ws = w.wb.create_sheet(name[:31])
    for j, width in enumerate(fit_widths(header, rows), start=1):
        ws.column_dimensions[_column_letter(j)].width = width
    ws.freeze_panes = "A2"
    ws.append(w.row(ws, header, font=w.bold, fill=w.fill))
    # Plain values (openpyxl gives dates a date format itself): a styled cell object per
    # value would cost several times more on 10^5 records. Text is neutralised.
    for row in rows:
        ws.append([neutralise(v) if isinstance(v, str) else v for v in row])


def write_xlsx(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the report workbook of ``dataset`` to ``path``."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise ExporterUnavailable("the Excel output needs openpyxl: install krat[excel]") from None
    from krat_core.reporting import prepare_report, record_tables

    lang = options.lang
    report = prepare_report(dataset, options)
    w = _Writer(lang)
    about = w.wb.create_sheet(ABOUT.text(lang))
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    names = [_table_sheet(w, report, i, t) for i, t in enumerate(report.tables, start=1)]
    records = record_tables(dataset, lang)
    for rt in records:
        _records_sheet(w, rt.title, rt.header, rt.rows)
    lines: list[tuple[str, Any]] = [
        ("", report.title(lang)),
        (PERIOD.text(lang), report.data.period),
        (REPORT_DATE.text(lang), report.generated_on),
        (SUPPRESSION.text(lang), report.suppression_note().text(lang)),
        ("", ""),
        (TABLE_SHEETS.text(lang), ""),
        *(("", n) for n in names),
        (RECORD_SHEETS.text(lang), ""),
        *(("", rt.title) for rt in records),
    ]
    for label, value in lines:
        font = w.title_font if value == report.title(lang) else None
        about.append([w.cell(about, label, font=w.bold), w.cell(about, value, font=font)])
    # The About sheet was created first so it opens first; its rows are written last
    # because they list the other sheets.
    w.wb.save(path)


@hookimpl
def krat_exporters() -> list[Exporter]:
    """The Excel report workbook."""
    return [
        Exporter(
            name="xlsx",
            suffix=".xlsx",
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            write=write_xlsx,
            title="Excel workbook: the report's tables with charts, and the records",
        )
    ]
