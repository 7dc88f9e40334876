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
- Only when ``options.records`` is true: one sheet per record kind and nested
  list (``Institucionet``, ``Rastet``, ``Asistenca``, ``Aktivitetet``,
  ``Objektivat``, ``Treguesit``; English names with ``--lang en``) in the
  columns of the official template (:mod:`krat_core.importing.sheets`):
  record-level data, for internal or authorised use only. The public workbook
  has no record-level sheet.

Every sheet prints on A4: upright or sideways by its width, fitted to one page
wide, the header row repeated on every page, page numbers in the footer; long
tables have an autofilter. The committee audience is marked confidential in
every sheet's header and footer and in a visible note. Sheet names are cut at
a word, never mid-word. Text that a spreadsheet would take for a formula
(``=``, ``+``, ``-``, ``@``...) is stored as text with Excel's quote-prefix
style (shown as typed, no apostrophe); text a workbook cannot hold (NUL and
other control characters) is made visible (:mod:`krat_plugins.exporters._text`).
Whole numbers are written as integers. The same input and report date give the
same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core import hookimpl
from krat_core.errors import ExporterUnavailable
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions
from krat_plugins.exporters._text import XML_UNSAFE, fixed_zip, xml_text

if TYPE_CHECKING:
    from krat_core.reporting import Chart, Report, Table

NEEDS_OPENPYXL = Message(
    sq="dalja Excel kërkon openpyxl: instaloni krat[excel]",
    en="the Excel output needs openpyxl: install krat[excel]",
)
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
CONFIDENTIAL = Message(
    sq="KONFIDENCIALE: vetëm për anëtarët e komitetit, jo për publikim",
    en="CONFIDENTIAL: for committee members only, not for publication",
)
PAGE_OF = Message(sq="Faqe &P nga &N", en="Page &P of &N")

_DANGLING = frozenset(
    {"të", "e", "i", "së", "dhe", "sipas", "për", "nga", "në", "me", "deri", "te"}
    | {"of", "and", "by", "the", "for", "in", "from", "to", "with"}
)
"""Words a shortened sheet name does not end with."""
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
MAX_WIDTH = 60
_UPRIGHT_WIDTH = 95
"""Sheets wider than this (in character widths) print sideways."""
_FILTER_ROWS = 10
"""Tables with at least this many rows get an autofilter."""


def sheet_name(index: int, title: str) -> str:
    """A valid, unique Excel sheet name (31 characters at most) for table ``index``,
    cut after a whole word (a single word longer than the room is cut)."""
    clean = " ".join(_BAD_SHEET_CHARS.sub(" ", title).split()).strip("'")
    name = f"{index:02d} {clean}"
    if len(name) <= 31:
        return name
    if " " not in name[4:32]:
        return name[:31]
    words = name[:32].rsplit(" ", 1)[0].rstrip(" ,;:–-").split(" ")
    while len(words) > 2 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;:–-")


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
        self.marking = ""  # the confidentiality marking of the committee audience

    def cell(self, ws: Any, value: Any, *, font: Any = None, fill: Any = None) -> Any:
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, float) and value.is_integer():
            value = int(value)
        c = _text_cell(ws, value) if isinstance(value, str) else WriteOnlyCell(ws, value=value)
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


def _text_cell(ws: Any, text: str) -> Any:
    """A text cell: what a workbook cannot hold made visible; text that starts
    like a formula kept as typed, as text, with Excel's quote-prefix style."""
    from openpyxl.cell import WriteOnlyCell

    from krat_core.safety import FORMULA_PREFIXES

    text = xml_text(text)
    c = WriteOnlyCell(ws, value=text)
    if text.startswith(FORMULA_PREFIXES):
        c.data_type = "s"  # openpyxl would write "=..." as a formula
        c.quotePrefix = True
    return c


def _plain(ws: Any, value: Any) -> Any:
    """A record value as written without a style object (fast), except text that
    needs one (:func:`_text_cell`)."""
    from krat_core.safety import FORMULA_PREFIXES

    if isinstance(value, str):
        if value.startswith(FORMULA_PREFIXES) or XML_UNSAFE.search(value):
            return _text_cell(ws, value)
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _add_chart(w: _Writer, ws: Any, chart: Chart, table: Table, anchor: str) -> None:
    from openpyxl.chart import BarChart, Reference

    if not chart.rows:
        return
    first = 4 + min(chart.rows)
    last = 4 + max(chart.rows)
    bar = BarChart()
    bar.type = "bar" if chart.kind == "bar" else "col"
    bar.title = chart.title.text(w.lang)
    bar.height = 8 + 0.25 * len(chart.rows)
    bar.width = 18
    stacked = len(chart.value_cols) > 1
    for col in chart.value_cols:
        # the header row (3) names the series when the data start right under it
        titled = stacked and first == 4
        data = Reference(ws, min_col=col + 1, min_row=first - 1 if titled else first, max_row=last)
        bar.add_data(data, titles_from_data=titled)
    if stacked:
        bar.grouping = "stacked"
        bar.overlap = 100
    else:
        bar.legend = None
    cats = Reference(ws, min_col=chart.category_col + 1, min_row=first, max_row=last)
    bar.set_categories(cats)
    from openpyxl.chart.label import DataLabelList

    bar.dataLabels = DataLabelList()
    bar.dataLabels.showVal = True
    bar.y_axis.scaling.min = 0  # a bar's length is its value: the axis starts at 0
    bar.x_axis.delete = False
    bar.y_axis.delete = False
    if chart.kind == "bar":
        bar.x_axis.scaling.orientation = "maxMin"  # first category on top, as in the table
    ws.add_chart(bar, anchor)


def _print_setup(
    ws: Any, widths: Sequence[float], title_row: int, rows: int, marking: str, lang: str
) -> None:
    """A4, sideways when the sheet is wide, one page wide, the header row on
    every page, page numbers (and the confidentiality marking) in the footer;
    an autofilter on a long table."""
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.orientation = "landscape" if sum(widths) > _UPRIGHT_WIDTH else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{title_row}:{title_row}"
    ws.oddFooter.center.text = PAGE_OF.text(lang)
    if marking:
        ws.oddHeader.center.text = marking
        ws.oddFooter.left.text = marking
    if rows >= _FILTER_ROWS and widths:
        last = _column_letter(len(widths))
        ws.auto_filter.ref = f"A{title_row}:{last}{title_row + rows}"


def _table_sheet(w: _Writer, report: Report, index: int, table: Table) -> str:
    from krat_core.reporting import cell_value

    lang = w.lang
    name = sheet_name(index, table.title.text(lang))
    ws = w.wb.create_sheet(name)
    header = [h.text(lang) for h in table.header]
    rows = [[cell_value(c, lang) for c in row] for row in table.rows]
    widths = [max(width, 8) for width in fit_widths(header, rows)]
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[_column_letter(j)].width = width
    ws.freeze_panes = f"{_column_letter(max(1, table.label_cols) + 1)}4"
    _print_setup(ws, widths, 3, len(rows), w.marking, lang)
    notes = [w.marking] if w.marking else []
    if table.counts_people:
        notes.append(report.suppression_note().text(lang))
    if table.note is not None:
        notes.append(table.note.text(lang))
    ws.append([w.cell(ws, table.title.text(lang), font=w.title_font)])
    # The note is wrapped in a merged cell across the table, so it neither runs past the
    # table (which would widen every printed page) nor makes column A wide.
    note = w.cell(ws, " ".join(notes), font=w.italic)
    note.alignment = w.wrap
    span = max(len(header), 4)
    room = sum(widths[:span]) if len(widths) >= span else sum(widths) + 8 * (span - len(widths))
    lines = max(1, -(-len(str(note.value or "")) // max(int(room), 1)))
    ws.row_dimensions[2].height = 15 * lines
    ws.merged_cells.add(f"A2:{_column_letter(span)}2")
    ws.append([note])
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
    ws = w.wb.create_sheet(name[:31])
    widths = fit_widths(header, rows)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[_column_letter(j)].width = width
    top = 1
    if w.marking:
        ws.append([w.cell(ws, w.marking, font=w.bold)])
        top = 2
    ws.freeze_panes = f"A{top + 1}"
    _print_setup(ws, widths, top, len(rows), w.marking, w.lang)
    ws.append(w.row(ws, header, font=w.bold, fill=w.fill))
    # Plain values (openpyxl gives dates a date format itself): a styled cell object per
    # value would cost several times more on 10^5 records; only text that starts like a
    # formula or holds a control character gets one (_plain).
    for row in rows:
        ws.append([_plain(ws, v) for v in row])


def write_xlsx(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the report workbook of ``dataset`` to ``path``."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise ExporterUnavailable(NEEDS_OPENPYXL.both()) from None
    from krat_core.reporting import prepare_report, record_tables

    lang = options.lang
    report = prepare_report(dataset, options)
    w = _Writer(lang)
    w.marking = CONFIDENTIAL.text(lang) if options.audience == "committee" else ""
    about = w.wb.create_sheet(ABOUT.text(lang))
    about.column_dimensions["A"].width = 34
    about.column_dimensions["B"].width = 90
    names = [_table_sheet(w, report, i, t) for i, t in enumerate(report.tables, start=1)]
    records = record_tables(dataset, lang) if options.records else []
    for rt in records:
        _records_sheet(w, rt.title, rt.header, rt.rows)
    record_lines: list[tuple[str, Any]] = []
    if records:
        record_lines = [(RECORD_SHEETS.text(lang), ""), *(("", rt.title) for rt in records)]
    _print_setup(about, [34, 90], 1, 0, w.marking, lang)
    lines: list[tuple[str, Any]] = [
        *([("", w.marking)] if w.marking else []),
        ("", report.title(lang)),
        (PERIOD.text(lang), report.data.period),
        (REPORT_DATE.text(lang), report.generated_on),
        (SUPPRESSION.text(lang), report.suppression_note().text(lang)),
        ("", ""),
        (TABLE_SHEETS.text(lang), ""),
        *(("", n) for n in names),
        *record_lines,
    ]
    for label, value in lines:
        font = w.title_font if value == report.title(lang) else None
        about.append([w.cell(about, label, font=w.bold), w.cell(about, value, font=font)])
    # The About sheet was created first so it opens first; its rows are written last
    # because they list the other sheets.
    moment = datetime(report.generated_on.year, report.generated_on.month, report.generated_on.day)
    w.wb.properties.created = w.wb.properties.modified = moment
    w.wb.properties.creator = w.wb.properties.lastModifiedBy = "KRAT"
    w.wb.properties.title = xml_text(report.title(lang))
    w.wb.save(path)
    fixed_zip(path, report.generated_on)


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
