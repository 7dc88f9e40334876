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

Written with xlsxwriter in constant-memory mode (each row goes to disk as it is
written, so 10^5 records need little memory): the charts are xlsxwriter's native
Excel charts over the table's cells.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core import hookimpl
from krat_core.errors import ExportError, ExporterUnavailable
from krat_core.messages import Message
from krat_core.plugins.descriptors import Exporter, ExportOptions
from krat_plugins.exporters._text import xml_text

if TYPE_CHECKING:
    from krat_core.reporting import Chart, RecordTable, Report, Table

NEEDS_XLSXWRITER = Message(
    sq="dalja Excel kërkon xlsxwriter: instaloni krat[excel]",
    en="the Excel output needs xlsxwriter: install krat[excel]",
)
ABOUT = Message(sq="Rreth raportit", en="About")
PERIOD = Message(sq="Periudha", en="Period")
REPORT_DATE = Message(sq="Data e raportit", en="Report date")
SUPPRESSION = Message(sq="Fshehja e numrave të vegjël", en="Small-cell suppression")
TABLE_SHEETS = Message(sq="Fletët e tabelave", en="Table sheets")
# Excel's number format for dates, as format_date writes them in each language.
DATE_FORMAT = Message(sq="dd.mm.yyyy", en="yyyy-mm-dd")
RECORD_SHEETS = Message(
    sq="Të dhëna në nivel regjistrimi (jo për publikim)",
    en="Record-level data (not for publication)",
)
CONFIDENTIAL = Message(
    sq="KONFIDENCIALE: vetëm për anëtarët e komitetit, jo për publikim",
    en="CONFIDENTIAL: for committee members only, not for publication",
)
PAGE_OF = Message(sq="Faqe &P nga &N", en="Page &P of &N")
TOO_MANY_ROWS = Message(
    sq="fleta {sheet} do të kishte {rows} rreshta, më shumë se {limit} që mban një fletë "
    "Excel; të dhënat në nivel regjistrimi mund të shkruhen si CSV",
    en="the sheet {sheet} would have {rows} rows, more than the {limit} an Excel sheet "
    "holds; the record-level data can be written as CSV",
)
MAX_ROWS = 1_048_576
"""Rows an Excel sheet holds (xlsxwriter would drop the rest without a word)."""

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
    cut after a whole word (a single word longer than the room is cut). A title
    too long for a tab that has a heading before a colon ("Referimi: rastet e
    referuara ...") is named by its heading ("10 Referimi"), so that no tab reads
    as two phrases run together."""
    clean = " ".join(_BAD_SHEET_CHARS.sub(" ", title).split()).strip("'")
    name = f"{index:02d} {clean}"
    if len(name) <= 31:
        return name
    heading = title.split(":", 1)[0]
    if heading != title:
        return sheet_name(index, heading)
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


_BREAKS = re.compile("[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
"""Where :meth:`str.splitlines` breaks a line."""


def column_width(header: Any, values: Sequence[Any], sample: int = 2000) -> float:
    """A column width that fits the header and the first ``sample`` values (at most
    :data:`MAX_WIDTH`): the longest line of any of them, plus 2."""
    present = [v for v in values[:sample] if v is not None]
    kinds = set(map(type, present))
    if kinds <= {str} and not _BREAKS.search("\n".join(present)):
        width = max(map(len, present), default=0)
    elif kinds <= {date}:
        width = 10 if present else 0
    else:
        width = max(map(_width, present), default=0)
    return min(MAX_WIDTH, max(width, _width(header)) + 2)


_RECORD_DATES = "yyyy-mm-dd"
"""The number format of dates on the record sheets (the template's ISO dates)."""
_CAREFUL = re.compile("(?:^|\n)[=+\\-@\t\r]|[\ud800-\udfff]")
"""In a record column's distinct cells joined by newlines: text that starts like a
formula or holds a lone surrogate (UTF-8 cannot hold it); such a column is written
cell by cell through :meth:`_Writer.put`."""
_CM = 37.8
"""Pixels per centimetre (chart sizes)."""


class _Writer:
    """Writes typed cells with cached formats to an xlsxwriter workbook."""

    def __init__(self, path: Path, lang: str) -> None:
        import xlsxwriter

        self.lang = lang
        self.wb = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                # the rows of each sheet wait in temporary files next to the output (which
                # holds the same data), not in the system's temporary folder
                "tmpdir": str(path.parent),
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.date_format = DATE_FORMAT.text(lang)
        self.marking = ""  # the confidentiality marking of the committee audience
        self._formats: dict[tuple[tuple[str, Any], ...], Any] = {}

    def format(self, **props: Any) -> Any:
        """The workbook's format with ``props`` (one per distinct set; None for none)."""
        if not props:
            return None
        key = tuple(sorted(props.items()))
        found = self._formats.get(key)
        if found is None:
            found = self._formats[key] = self.wb.add_format(dict(key))
        return found

    def put(self, ws: Any, row: int, col: int, value: Any, **style: Any) -> None:
        """One cell: text made safe (quote prefix for formula-like text), whole numbers
        as integers, dates and numbers with their number formats, ``style`` on top."""
        from krat_core.safety import FORMULA_PREFIXES

        if isinstance(value, float) and value.is_integer() and abs(value) <= 2**53:
            value = int(value)
        if value is None or value == "":
            if style:
                ws.write_blank(row, col, None, self.format(**style))
        elif isinstance(value, str):
            value = xml_text(value)
            if value.startswith(FORMULA_PREFIXES):
                style["quote_prefix"] = True
            ws.write_string(row, col, value, self.format(**style))
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, self.format(**style))
        elif isinstance(value, date):
            ws.write_datetime(row, col, value, self.format(num_format=self.date_format, **style))
        elif not _plain_number(value):
            # beyond what a spreadsheet number holds exactly (or not a number at all):
            # the digits as text
            ws.write_string(row, col, xml_text(str(value)), self.format(**style))
        elif isinstance(value, int):
            ws.write_number(row, col, value, self.format(num_format="#,##0", **style))
        else:
            ws.write_number(row, col, value, self.format(num_format="#,##0.0", **style))

    def row(self, ws: Any, row: int, values: Iterable[Any], **style: Any) -> None:
        for col, value in enumerate(values):
            self.put(ws, row, col, value, **style)


def _plain_number(value: Any) -> bool:
    """Whether ``value`` is a number a cell holds as it is: an integer of at most 2^53
    in size (a spreadsheet number is a double), or a finite float."""
    if isinstance(value, int):
        return -(2**53) <= value <= 2**53
    return isinstance(value, float) and math.isfinite(value)


_BOLD = {"bold": True}
_HEADER = {"bold": True, "bg_color": "#DDE5F0", "pattern": 1}
_TITLE = {"bold": True, "font_size": 13}
_NOTE = {"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"}


def _add_chart(w: _Writer, ws: Any, chart: Chart, columns: int, row: int) -> None:
    """A native bar or column chart of the table's rows ``chart.rows`` (data from row 4),
    placed right of the table at ``row`` (0-based)."""
    if not chart.rows:
        return
    bars = chart.kind == "bar"
    stacked = len(chart.value_cols) > 1
    first = 3 + min(chart.rows)
    last = 3 + max(chart.rows)
    options: dict[str, Any] = {"type": "bar" if bars else "column"}
    if stacked:
        options["subtype"] = "stacked"
    xc = w.wb.add_chart(options)
    name = ws.get_name()
    for k, col in enumerate(chart.value_cols):
        series: dict[str, Any] = {
            "values": [name, first, col, last, col],
            "categories": [name, first, chart.category_col, last, chart.category_col],
            "data_labels": {"value": True},
        }
        if stacked and first == 3:
            # the header row (3) names the series when the data start right under it
            series["name"] = [name, 2, col]
        if stacked and k == 0:
            series["overlap"] = 100
        xc.add_series(series)
    xc.set_title({"name": xml_text(chart.title.text(w.lang))})
    if not stacked:
        xc.set_legend({"none": True})
    # a bar's length is its value: the value axis starts at 0 (xlsxwriter's x axis is the
    # value axis of a horizontal bar chart); the first category on top, as in the table
    (xc.set_x_axis if bars else xc.set_y_axis)({"min": 0})
    if bars:
        xc.set_y_axis({"reverse": True})
    height = 8 + 0.25 * len(chart.rows)
    xc.set_size({"width": round(18 * _CM), "height": round(height * _CM)})
    ws.insert_chart(row, columns + 1, xc)


def _print_setup(
    ws: Any, widths: Sequence[float], title_row: int, rows: int, marking: str, lang: str
) -> None:
    """A4, sideways when the sheet is wide, one page wide, the header row (0-based
    ``title_row``) on every page, page numbers (and the confidentiality marking) in
    the header and footer; an autofilter on a long table."""
    ws.set_paper(9)  # A4
    if sum(widths) > _UPRIGHT_WIDTH:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(title_row)
    page = "&C" + PAGE_OF.text(lang)
    if marking:
        mark = marking.replace("&", "&&")
        ws.set_header("&C" + mark)
        ws.set_footer("&L" + mark + page)
    else:
        ws.set_footer(page)
    if rows >= _FILTER_ROWS and widths:
        ws.autofilter(title_row, 0, title_row + rows, len(widths) - 1)


def _table_sheet(w: _Writer, report: Report, index: int, table: Table) -> str:
    from krat_core.reporting import cell_value

    lang = w.lang
    name = sheet_name(index, table.title.text(lang))
    ws = w.wb.add_worksheet(name)
    header = [h.text(lang) for h in table.header]
    rows = [[cell_value(c, lang) for c in row] for row in table.rows]
    columns = list(zip(*rows, strict=True)) or [()] * len(header)
    widths = [max(column_width(h, c), 8) for h, c in zip(header, columns, strict=True)]
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    ws.freeze_panes(3, max(1, table.label_cols))
    _print_setup(ws, widths, 2, len(rows), w.marking, lang)
    notes = [w.marking] if w.marking else []
    if table.counts_people:
        notes.append(report.suppression_note().text(lang))
    if table.note is not None:
        notes.append(table.note.text(lang))
    w.put(ws, 0, 0, table.title.text(lang), **_TITLE)
    # The note is wrapped in a merged cell across the table, so it neither runs past the
    # table (which would widen every printed page) nor makes column A wide.
    note = xml_text(" ".join(notes))
    span = max(len(header), 4)
    room = sum(widths[:span]) if len(widths) >= span else sum(widths) + 8 * (span - len(widths))
    lines = max(1, -(-len(note) // max(int(room), 1)))
    ws.set_row(1, 15 * lines)
    ws.merge_range(1, 0, 1, span - 1, note, w.format(**_NOTE))
    w.row(ws, 2, header, **_HEADER)
    for r, row in enumerate(rows, start=3):
        w.row(ws, r, row)
    charts = [c for c in report.charts if c.table == table.key]
    for k, chart in enumerate(charts):
        _add_chart(w, ws, chart, len(header), 3 + 20 * k)
    return name


def _column_writer(w: _Writer, ws: Any, column: Sequence[Any]) -> Callable[..., Any]:
    """How to write the cells of one record column: straight to xlsxwriter when they
    are all of one plain kind (text, numbers, dates), else cell by cell (:meth:`_Writer.put`)."""
    kinds = set(map(type, column))
    kinds.discard(type(None))
    if kinds <= {str}:
        if _CAREFUL.search("\n".join(set(column) - {None})):
            return lambda r, c, v: w.put(ws, r, c, v)
        text: Callable[..., Any] = ws.write_string
        return text
    if kinds <= {int, float} and all(map(_plain_number, set(column) - {None})):
        number: Callable[..., Any] = ws.write_number
        return number
    if kinds <= {date}:
        return partial(ws.write_datetime, cell_format=w.format(num_format=_RECORD_DATES))
    return lambda r, c, v: w.put(ws, r, c, v)


def _records_sheet(w: _Writer, table: RecordTable) -> None:
    header, columns = table.header, table.columns
    count = len(columns[0]) if columns else 0
    needed = count + (2 if w.marking else 1)
    if needed > MAX_ROWS:
        raise ExportError(TOO_MANY_ROWS.both(sheet=repr(table.title), rows=needed, limit=MAX_ROWS))
    ws = w.wb.add_worksheet(table.title[:31])
    widths = [column_width(h, c) for h, c in zip(header, columns, strict=True)]
    for j, width in enumerate(widths):
        ws.set_column(j, j, width)
    top = 0
    if w.marking:
        w.put(ws, 0, 0, w.marking, **_BOLD)
        top = 1
    ws.freeze_panes(top + 1, 0)
    _print_setup(ws, widths, top, count, w.marking, w.lang)
    w.row(ws, top, header, **_HEADER)
    # One writer per column, chosen once (a column holds one kind of value); empty
    # cells are skipped. The rows go out in order (constant memory), each made from the
    # columns as it is written.
    writers = [_column_writer(w, ws, column) for column in columns]
    for r, row in enumerate(zip(*columns, strict=True), start=top + 1):
        for c, value in enumerate(row):
            if value is not None:
                writers[c](r, c, value)


def write_xlsx(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the report workbook of ``dataset`` to ``path``."""
    try:
        import xlsxwriter  # noqa: F401
    except ImportError:
        raise ExporterUnavailable(NEEDS_XLSXWRITER.both()) from None
    from krat_core.reporting import prepare_report, read_once, record_tables

    lang = options.lang
    report = prepare_report(read_once(dataset, options), options)
    w = _Writer(path, lang)
    w.marking = CONFIDENTIAL.text(lang) if options.audience == "committee" else ""
    about = w.wb.add_worksheet(ABOUT.text(lang))
    about.set_column(0, 0, 34)
    about.set_column(1, 1, 90)
    names = [_table_sheet(w, report, i, t) for i, t in enumerate(report.tables, start=1)]
    # the report's data: its cases are read once for the tables and the record sheets
    records = record_tables(report.data, lang, escape=False) if options.records else []
    for rt in records:
        _records_sheet(w, rt)
    record_lines: list[tuple[str, Any]] = []
    if records:
        record_lines = [(RECORD_SHEETS.text(lang), ""), *(("", rt.title) for rt in records)]
    _print_setup(about, [34, 90], 0, 0, w.marking, lang)
    title = report.title(lang)
    lines: list[tuple[str, Any]] = [
        *([("", w.marking)] if w.marking else []),
        ("", title),
        (PERIOD.text(lang), report.data.period),
        (REPORT_DATE.text(lang), report.generated_on),
        (SUPPRESSION.text(lang), report.suppression_note().text(lang)),
        ("", ""),
        (TABLE_SHEETS.text(lang), ""),
        *(("", n) for n in names),
        *record_lines,
    ]
    for r, (label, value) in enumerate(lines):
        w.put(about, r, 0, label, **_BOLD)
        w.put(about, r, 1, value, **(_TITLE if value == title else {}))
    # The About sheet was created first so it opens first; its rows are written last
    # because they list the other sheets (each sheet has its own file in constant memory).
    moment = datetime(report.generated_on.year, report.generated_on.month, report.generated_on.day)
    w.wb.set_properties({"title": xml_text(title), "author": "KRAT", "created": moment})
    w.wb.close()


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
