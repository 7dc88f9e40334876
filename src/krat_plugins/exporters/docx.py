"""The ``docx`` output: the annual analysis (Analiza Vjetore) as a Word document.

In Albanian by default, in English with ``lang="en"``. Structure:

- Title page: the committee (region) or "national report", the period, the
  report date, the periods compared, and the disclosure-control statement (in
  bold, "for internal use only", when suppression is off).
- A table of contents (a Word TOC field over the headings; Word fills it in
  when the document is opened, as the document asks it to update fields).
- One chapter (Heading 1) per section of the report, one Heading 2 per table,
  the table's note, the table itself (header row repeated on every page,
  numbers right-aligned), and the charts of that table as pictures drawn
  with matplotlib (Agg, no display needed): cases by type of exploitation,
  cases by year, activities by month, objectives by status. Suppressed
  categories are left out of a chart and its caption says so.
- Page numbers in the footer (a PAGE field).

Nothing is computed here: the tables come from :mod:`krat_core.reporting.report`
through :func:`krat_core.reporting.exporting.prepare_report`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from krat_core import hookimpl
from krat_core.errors import ExporterUnavailable
from krat_core.messages import Message, Plural
from krat_core.plugins.descriptors import Exporter, ExportOptions

if TYPE_CHECKING:
    from krat_core.reporting import Cell, Chart, Report, Table

COMMITTEE = Message(
    sq="Komiteti Rajonal Antitrafik (KRAT)", en="Regional Anti-Trafficking Committee (KRAT)"
)
PERIOD = Message(sq="Periudha: {period}", en="Period: {period}")
REPORT_DATE = Message(sq="Data e raportit: {date}", en="Report date: {date}")
COMPARED = Message(sq="Krahasuar me: {periods}", en="Compared with: {periods}")
PSEUDONYMISED = Message(
    sq="Të dhënat janë të pseudonimizuara: raportet nuk përmbajnë emra ose të dhëna "
    "identifikuese të personave.",
    en="The data are pseudonymised: reports contain no names or identifying data of persons.",
)
PAGE = Message(sq="Faqe ", en="Page ")
CONTENTS = Message(sq="Përmbajtja", en="Contents")
UPDATE_CONTENTS = Message(
    sq="Përditësoni fushën (F9) për të parë përmbajtjen.",
    en="Update the field (F9) to show the contents.",
)
NO_DATA = Message(sq="Nuk ka të dhëna.", en="No data.")
HIDDEN_CATEGORIES = Message(
    sq=Plural(
        one=" ({n} kategori e fshehur për mbrojtjen e të dhënave nuk shfaqet.)",
        other=" ({n} kategori të fshehura për mbrojtjen e të dhënave nuk shfaqen.)",
    ),
    en=Plural(
        one=" ({n} category hidden by disclosure control is not shown.)",
        other=" ({n} categories hidden by disclosure control are not shown.)",
    ),
)
# The document's language tag (BCP 47), for Word's spelling and hyphenation.
LANGUAGE_TAG = Message(sq="sq-AL", en="en-GB")

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SMALL_FONT_COLUMNS = 7
"""Tables wider than this are set in a smaller font."""
_CHART_SCALE = 15 / (6.4 * 2.54)
"""A full-width chart (6.4 in drawn) is shown 15 cm wide."""
_FONT, _SMALL_FONT = 9.0, 8.0
"""Font sizes of tables (pt): normal, and for wide tables."""


def _imports() -> tuple[Any, Any]:
    try:
        import docx
        from docx.shared import Cm, Pt
    except ImportError:
        raise ExporterUnavailable(
            "the Word output needs python-docx: install krat[word]"
        ) from None
    return docx, (Cm, Pt)


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """Append a complex field (``PAGE``, ``TOC ...``) to ``paragraph``."""
    from docx.oxml import parse_xml

    xml = (
        f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r xmlns:w="{_W}"><w:instrText xml:space="preserve"> {escape(instruction)} '
        "</w:instrText></w:r>"
        f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r xmlns:w="{_W}"><w:t xml:space="preserve">{escape(placeholder)}</w:t></w:r>'
        f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for run in parse_xml(f'<w:p xmlns:w="{_W}">{xml}</w:p>'):
        paragraph._p.append(run)


def _numeric(cell: Cell) -> bool:
    from krat_core.reporting import Count, Stat, Suppressed

    return isinstance(cell, int | float | Count | Stat | Suppressed) and not isinstance(cell, bool)


def _unbreakable(cell: Cell) -> bool:
    """Cells that must stay on one line: numbers, markers and dates."""
    from datetime import date

    return _numeric(cell) or isinstance(cell, date)


@dataclass(frozen=True, slots=True)
class _Page:
    """A page: its size and margins in cm."""

    width: float
    height: float
    margin_x: float = 2.0
    margin_y: float = 2.0

    @property
    def text_width(self) -> float:
        return self.width - 2 * self.margin_x

    @property
    def text_height(self) -> float:
        return self.height - 2 * self.margin_y


PORTRAIT = _Page(21.0, 29.7)
"""A4 upright."""
LANDSCAPE = _Page(29.7, 21.0)
"""A4 on its side, for tables too wide to read upright."""
_PAD = 0.45
"""Cell margins and borders, cm."""
_PT = 2.54 / 72
"""One point in cm."""


_BREAK = "\u200b"
"""A zero-width space: where a line may break inside a word."""


def _words(text: str) -> list[str]:
    """The parts of ``text`` between which a line may break."""
    return text.replace(_BREAK, " ").split()


class _Metrics:
    """Text widths (in em) in DejaVu Sans, the font LibreOffice falls back to
    without Calibri. It is wider than Calibri, so what fits here fits in Word.
    Widths are cached per character; one instance per document."""

    def __init__(self) -> None:
        import os

        import matplotlib
        from matplotlib.ft2font import FT2Font

        folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
        self._fonts = {
            bold: FT2Font(os.path.join(folder, name))
            for bold, name in ((False, "DejaVuSans.ttf"), (True, "DejaVuSans-Bold.ttf"))
        }
        for font in self._fonts.values():
            font.set_size(1000, 72)
        self._chars: dict[tuple[bool, str], float] = {}
        self._texts: dict[tuple[bool, str], float] = {}

    def _char(self, ch: str, bold: bool) -> float:
        width = self._chars.get((bold, ch))
        if width is None:
            glyph = self._fonts[bold].load_char(ord(ch))
            width = self._chars[(bold, ch)] = glyph.linearHoriAdvance / 65536 / 1000
        return width

    def em(self, text: str, bold: bool = False) -> float:
        """The width of ``text`` on one line, in em."""
        width = self._texts.get((bold, text))
        if width is None:
            width = self._texts[(bold, text)] = sum(self._char(ch, bold) for ch in text)
        return width

    def word(self, text: str, bold: bool = False) -> float:
        """The width of the longest word of ``text``, in em."""
        return max((self.em(w, bold) for w in _words(text)), default=0.0)


_SAMPLE = 400
"""Rows sampled to count the lines of a long table."""
_HEADER_LINE = 6.0
"""A header wider than this (em) may wrap even where the column's cells would not."""


@dataclass(slots=True)
class _Layout:
    """A table as it goes on the page: texts, header rows, widths, orientation."""

    header: list[str]
    bands: list[tuple[str | None, int]]
    rows: list[tuple[str | None, list[str], bool]]  # (group heading, cells, keep with next)
    right: list[bool]
    fixed: list[bool]  # column of cells that must not wrap (numbers, dates)
    font: float  # pt
    widths: list[float] = field(default_factory=list)  # cm
    landscape: bool = False
    least: list[float] = field(default_factory=list)  # cm, no word broken
    most: list[float] = field(default_factory=list)  # cm, every text on one line
    sample: list[list[list[float]]] = field(default_factory=list)  # rows: cells: word widths
    space: float = 0.0  # cm
    groups: int = 0  # group heading rows
    scale: float = 1.0  # rows per sampled row

    def measure(self, metrics: _Metrics) -> None:
        """Per column, the narrowest width that breaks no word (and no number or
        date) and the width that puts every text on one line; and the words of
        a sample of the rows, for counting lines."""
        scale = self.font * _PT
        self.least, self.most = [], []
        for j, title in enumerate(self.header):
            cells = [cells[j] for group, cells, _ in self.rows if group is None]
            longest = max((metrics.em(c) for c in cells), default=0.0)
            words = longest if self.fixed[j] else max((metrics.word(c) for c in cells), default=0)
            head_word = metrics.word(title, bold=True)
            head = max(head_word, min(metrics.em(title, bold=True), _HEADER_LINE))
            self.least.append(max(words, head_word) * scale + _PAD)
            self.most.append(max(longest, head) * scale + _PAD)
        body = [cells for group, cells, _ in self.rows if group is None]
        step = max(1, len(body) // _SAMPLE)
        self.space = metrics.em(" ") * scale
        self.sample = [
            [
                [] if fixed else [metrics.em(w) * scale for w in _words(c)]
                for c, fixed in zip(cells, self.fixed, strict=True)
            ]
            for cells in body[::step]
        ]
        self.groups = sum(1 for group, _, _ in self.rows if group is not None)
        self.scale = len(body) / max(1, len(self.sample))

    def _lines(self, words: list[float], width: float) -> int:
        """Lines a cell of ``words`` (widths, cm) takes in a column ``width`` cm wide."""
        room = width - _PAD
        lines, used = 1, -1.0
        for w in words:
            if used < 0:
                used = w
            elif used + self.space + w <= room:
                used += self.space + w
            else:
                lines += 1
                used = w
        return lines

    def fit(self, available: float, page: _Page) -> list[float]:
        """Column widths (cm) for a text width of ``available`` cm.

        Every text on one line if that fits. Else candidates are tried: for a
        line budget k (1 to 5), each column as wide as most of its cells (all,
        95, 90 or 80 of 100) need to fit in k lines, the room left shared in
        proportion to what each column would still need for one line; and the
        room beyond the narrowest widths shared that way. The candidate that
        fits and fills the fewest pages wins."""
        least, most = self.least, self.most
        if sum(most) <= available:
            return list(most)
        if sum(least) >= available:
            return [w * available / sum(least) for w in least]

        def spread(widths: list[float]) -> list[float]:
            room = available - sum(widths)
            slack = [max(0.0, m - w) for w, m in zip(widths, most, strict=True)]
            if sum(slack) <= 0:
                return widths
            return [w + room * s / sum(slack) for w, s in zip(widths, slack, strict=True)]

        candidates = [spread(list(least))]
        ncols = len(least)
        for k in range(1, 6):
            need = [
                sorted(
                    sum(words) / k * 1.1 + len(words) * self.space / k + _PAD
                    for words in (row[j] for row in self.sample)
                )
                for j in range(ncols)
            ]
            for share in (1.0, 0.95, 0.9, 0.8):
                widths = [
                    max(least[j], min(most[j], need[j][int(share * (len(need[j]) - 1))]))
                    if need[j]
                    else least[j]
                    for j in range(ncols)
                ]
                if sum(widths) <= available:
                    candidates.append(spread(widths))
        return min(candidates, key=lambda w: self.pages(w, page))

    def pages(self, widths: Sequence[float], page: _Page) -> float:
        """About how many pages the table fills with ``widths``."""
        lines = sum(
            max((self._lines(words, w) for words, w in zip(row, widths, strict=True)), default=1)
            for row in self.sample
        )
        line = self.font * _PT * 1.2 + 0.03
        return (lines * self.scale + self.groups + 2) * line / page.text_height

    def place(self, metrics: _Metrics) -> None:
        """Choose the font size, the orientation and the column widths: upright
        in the normal size if no word has to break, else upright in the small
        size, else sideways; sideways also when that saves more than half a page."""
        for font in dict.fromkeys((self.font, _SMALL_FONT)):
            self.font = font
            self.measure(metrics)
            if sum(self.least) <= PORTRAIT.text_width:
                break
        upright = self.fit(PORTRAIT.text_width, PORTRAIT)
        side = self.fit(LANDSCAPE.text_width, LANDSCAPE)
        self.landscape = sum(self.least) > PORTRAIT.text_width or (
            self.pages(upright, PORTRAIT) - self.pages(side, LANDSCAPE) > 0.5
        )
        self.widths = side if self.landscape else upright


def _plan(table: Table, lang: str, metrics: _Metrics) -> _Layout:
    """Lay ``table`` out for the page as its :class:`~krat_core.reporting.Layout` says."""
    from krat_core.reporting import format_cell

    layout = table.layout
    shown = layout.shown(len(table.header))
    rows: list[tuple[str | None, list[str], bool]] = []
    right = [False] * len(shown)
    fixed = [True] * len(shown)
    group_now: str | None = None
    joined = dict(layout.join)
    previous_key: Any = object()
    for row in table.rows:
        if layout.group is not None:
            group = format_cell(row[layout.group], lang)
            if group != group_now:
                rows.append((group, [], True))
                group_now, previous_key = group, object()
        repeat = layout.repeat_key is not None and row[layout.repeat_key] == previous_key
        if layout.repeat_key is not None:
            if repeat and rows:  # the objective's first row stays with its other rows
                g, cells, _ = rows[-1]
                rows[-1] = (g, cells, True)
            previous_key = row[layout.repeat_key]
        texts: list[str] = []
        for j, c in enumerate(shown):
            cell = row[c]
            text = "" if repeat and c in layout.repeat_cols else format_cell(cell, lang)
            right[j] = right[j] or _numeric(cell)
            if text and not _unbreakable(cell):
                fixed[j] = False
            end = format_cell(row[joined[c]], lang) if c in joined else ""
            if end:  # a range, which may break after its dash
                text, fixed[j] = f"{text}–{_BREAK}{end}", False
            texts.append(text)
        rows.append((None, texts, False))
    header = [(layout.short.get(c) or table.header[c]).text(lang) for c in shown]
    bands: list[tuple[str | None, int]] = [
        (label.text(lang) if label is not None else None, span) for label, span in layout.bands
    ]
    small = len(shown) > _SMALL_FONT_COLUMNS
    plan = _Layout(header, bands, rows, right, fixed, _SMALL_FONT if small else _FONT)
    plan.place(metrics)
    return plan


def _twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def _cell_xml(
    text: str,
    width: float,
    *,
    bold: bool,
    size: int,
    align: str | None,
    fill: str | None = None,
    span: int = 1,
    vmerge: str | None = None,
    keep: bool = False,
) -> str:
    props = f'<w:tcW w:w="{_twips(width)}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>"
    if fill is not None:
        props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
    run_props = f'{"<w:b/>" if bold else ""}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
    runs = "".join(
        f"<w:r><w:rPr>{run_props}</w:rPr>{'<w:br/>' if k else ''}"
        f'<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
        for k, line in enumerate(text.split("\n"))
    )
    keep_next = "<w:keepNext/>" if keep else ""
    jc = f'<w:jc w:val="{align}"/>' if align else ""
    ppr = (
        f'<w:pPr>{keep_next}<w:spacing w:before="0" w:after="0"/>{jc}'
        f"<w:rPr>{run_props}</w:rPr></w:pPr>"
    )
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p>{ppr}{runs}</w:p></w:tc>"


_HEADER_FILL = "DDE5F0"
_GROUP_FILL = "F2F2F2"


def _header_xml(plan: _Layout, size: int) -> list[str]:
    """The header row(s): with bands, a row of band labels over the column headers."""
    props = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"

    def align(j: int) -> str | None:
        return "right" if plan.right[j] else None

    if not plan.bands:
        cells = [
            _cell_xml(t, w, bold=True, size=size, align=align(j), fill=_HEADER_FILL)
            for j, (t, w) in enumerate(zip(plan.header, plan.widths, strict=True))
        ]
        return [f"<w:tr>{props}{''.join(cells)}</w:tr>"]
    top: list[str] = []
    bottom: list[str] = []
    j = 0
    for label, span in plan.bands:
        width = sum(plan.widths[j : j + span])
        if label is None:  # the column's own header over both rows
            for k in range(j, j + span):
                top.append(
                    _cell_xml(
                        plan.header[k],
                        plan.widths[k],
                        bold=True,
                        size=size,
                        align=align(k),
                        fill=_HEADER_FILL,
                        vmerge="restart",
                    )
                )
                bottom.append(
                    _cell_xml(
                        "",
                        plan.widths[k],
                        bold=True,
                        size=size,
                        align=None,
                        fill=_HEADER_FILL,
                        vmerge="continue",
                    )
                )
        else:
            top.append(
                _cell_xml(
                    label, width, bold=True, size=size, align="center", fill=_HEADER_FILL, span=span
                )
            )
            bottom += [
                _cell_xml(
                    plan.header[k],
                    plan.widths[k],
                    bold=True,
                    size=size,
                    align=align(k),
                    fill=_HEADER_FILL,
                )
                for k in range(j, j + span)
            ]
        j += span
    return [f"<w:tr>{props}{''.join(top)}</w:tr>", f"<w:tr>{props}{''.join(bottom)}</w:tr>"]


def _add_table(doc: Any, plan: _Layout) -> None:
    """Add the laid-out table to ``doc``: fixed column widths, header rows
    repeated on every page, rows that do not split, group headings as rows
    across the table; rows built as XML in one go (fast for long tables)."""
    from docx.oxml import parse_xml
    from docx.shared import Cm

    ncols = len(plan.header)
    size = round(plan.font * 2)
    word_table = doc.add_table(rows=0, cols=ncols)
    word_table.style = "Table Grid"
    word_table.autofit = False  # fixed layout: the widths below hold
    tbl = word_table._tbl
    for col, width in zip(tbl.tblGrid.gridCol_lst, plan.widths, strict=True):
        col.w = Cm(width)
    tbl_w = tbl.tblPr.find(f"{{{_W}}}tblW")
    if tbl_w is not None:
        tbl_w.set(f"{{{_W}}}type", "dxa")
        tbl_w.set(f"{{{_W}}}w", str(sum(_twips(w) for w in plan.widths)))
    parts = _header_xml(plan, size)
    total = sum(plan.widths)
    for group, cells, keep in plan.rows:
        if group is not None:
            cell = _cell_xml(
                group,
                total,
                bold=True,
                size=size,
                align=None,
                fill=_GROUP_FILL,
                span=ncols,
                keep=True,
            )
            parts.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell}</w:tr>")
            continue
        xml = "".join(
            _cell_xml(
                text, width, bold=False, size=size, align="right" if right else None, keep=keep
            )
            for text, width, right in zip(cells, plan.widths, plan.right, strict=True)
        )
        parts.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{xml}</w:tr>")
    parsed = parse_xml(f'<w:tbl xmlns:w="{_W}">{"".join(parts)}</w:tbl>')
    for tr in list(parsed):
        tbl.append(tr)


def _sideways(doc: Any) -> bool:
    """Whether the current (last) section is landscape."""
    from docx.enum.section import WD_ORIENT

    return bool(doc.sections[-1].orientation == WD_ORIENT.LANDSCAPE)


def _orientation(doc: Any, landscape: bool) -> None:
    """Start a new section (on a new page) when the orientation changes."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Cm

    if _sideways(doc) == landscape:
        return
    page = LANDSCAPE if landscape else PORTRAIT
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(page.width), Cm(page.height)


def _chart_png(
    chart: Chart, table: Table, lang: str, threshold: int | None
) -> tuple[bytes, int, float]:
    """Draw ``chart`` as PNG bytes; also return how many categories were left
    out and the width to show it at (cm): a column chart of a few categories
    (two years) is narrower than one of twelve months."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ExporterUnavailable("the Word output needs matplotlib: install krat[word]") from None
    from krat_core.reporting import Count, Stat, format_cell

    labels: list[str] = []
    values: list[float] = []
    hidden = 0
    col = chart.value_cols[0]
    for r in chart.rows:
        row = table.rows[r]
        cell = row[col]
        value: float | None
        if isinstance(cell, Count):
            value = cell.value
        elif isinstance(cell, Stat):
            value = float(cell.value) if cell.value is not None else None
        elif isinstance(cell, int | float) and not isinstance(cell, bool):
            value = cell
        else:
            value = None
        if value is None:
            hidden += 1
            continue
        labels.append(format_cell(row[chart.category_col], lang))
        values.append(value)
    width = 6.4 if chart.kind == "bar" else min(6.4, 2.4 + 0.4 * len(labels))
    fig = Figure(
        figsize=(width, 0.9 + 0.32 * max(len(labels), 4)) if chart.kind == "bar" else (width, 3.2)
    )
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if chart.kind == "bar":
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color="#2F5597")
        ax.set_yticks(positions, labels=labels, fontsize=8)
    else:
        ax.bar(range(len(labels)), values, color="#2F5597", width=0.6)
        ax.set_xticks(range(len(labels)), labels=labels, fontsize=8, rotation=45, ha="right")
    ax.set_title(chart.title.text(lang), fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue(), hidden, width * 2.54 * _CHART_SCALE


def _title_page(doc: Any, report: Report, lang: str, units: Any) -> None:
    from docx.enum.text import WD_BREAK

    from krat_core.messages import format_date

    _cm, pt = units
    doc.add_paragraph(COMMITTEE.text(lang))
    doc.add_paragraph(report.title(lang), style="Title")
    doc.add_paragraph(PERIOD.text(lang, period=report.data.period), style="Subtitle")
    doc.add_paragraph(REPORT_DATE.text(lang, date=format_date(report.generated_on, lang)))
    if report.compared:
        doc.add_paragraph(COMPARED.text(lang, periods=", ".join(report.compared)))
    note = doc.add_paragraph()
    run = note.add_run(report.suppression_note().text(lang))
    if report.suppress is None:
        run.bold = True
        run.font.size = pt(14)
    doc.add_paragraph(PSEUDONYMISED.text(lang))
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _setup(doc: Any, report: Report, lang: str, units: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml

    cm, pt = units
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = pt(10)
    rpr = normal.element.get_or_add_rPr()
    rpr.append(
        parse_xml(f'<w:lang xmlns:w="{_W}" w:val="{LANGUAGE_TAG.text(lang)}"/>')
    )
    section = doc.sections[0]
    section.page_width, section.page_height = cm(PORTRAIT.width), cm(PORTRAIT.height)
    section.left_margin = section.right_margin = cm(PORTRAIT.margin_x)
    section.top_margin = section.bottom_margin = cm(PORTRAIT.margin_y)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(PAGE.text(lang))
    _field(footer, "PAGE", "1")
    settings = doc.settings.element
    settings.append(parse_xml(f'<w:updateFields xmlns:w="{_W}" w:val="true"/>'))
    doc.core_properties.title = report.title(lang)
    doc.core_properties.language = LANGUAGE_TAG.text(lang)
    doc.core_properties.author = "KRAT"


def write_docx(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the annual analysis of ``dataset`` to ``path`` as a Word document."""
    docx, units = _imports()
    from krat_core.reporting import SECTIONS, prepare_report

    lang = options.lang
    report = prepare_report(dataset, options)
    doc = docx.Document()
    _setup(doc, report, lang, units)
    _title_page(doc, report, lang, units)
    doc.add_paragraph(CONTENTS.text(lang), style="TOC Heading")
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u', UPDATE_CONTENTS.text(lang))
    cm, _pt = units
    metrics = _Metrics()
    for key, heading in SECTIONS:
        tables = [t for t in report.tables if t.section == key]
        if not tables:
            continue
        for k, table in enumerate(tables):
            plan = _plan(table, lang, metrics) if table.rows else None
            # Upright at the start of a chapter unless the table needs the width;
            # within a chapter a sideways section stays sideways (no page break).
            wide = plan is not None and plan.landscape
            _orientation(doc, wide or (k > 0 and _sideways(doc)))
            if k == 0:
                doc.add_heading(heading.text(lang), level=1)
            doc.add_heading(table.title.text(lang), level=2)
            notes = []
            if table.counts_people:
                notes.append(report.suppression_note().text(lang))
            for note in (table.note, table.layout.note):
                if note is not None:
                    notes.append(note.text(lang))
            if notes:
                doc.add_paragraph(" ".join(notes)).runs[0].italic = True
            if plan is None:
                doc.add_paragraph(NO_DATA.text(lang))
                continue
            _add_table(doc, plan)
            for chart in (c for c in report.charts if c.table == table.key):
                png, hidden, width = _chart_png(chart, table, lang, report.suppress)
                doc.add_picture(io.BytesIO(png), width=cm(width))
                caption = chart.title.text(lang)
                if hidden:
                    caption += HIDDEN_CATEGORIES.text(lang, n=hidden)
                doc.add_paragraph(caption, style="Caption")
    doc.save(str(path))


@hookimpl
def krat_exporters() -> list[Exporter]:
    """The Word annual analysis."""
    return [
        Exporter(
            name="docx",
            suffix=".docx",
            media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            write=write_docx,
            title="Word annual analysis (Analiza Vjetore) with tables and charts",
        )
    ]
