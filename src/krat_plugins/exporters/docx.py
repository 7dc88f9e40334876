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

Nothing is computed here: the tables come from :mod:`krat_core.statistics`
through :func:`krat_core.exporting.prepare_report`.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from krat_core import hookimpl
from krat_core.descriptors import Exporter, ExportOptions
from krat_core.errors import KratError

if TYPE_CHECKING:
    from krat_core.statistics import Cell, Chart, Report, Table

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SMALL_FONT_COLUMNS = 7
"""Tables wider than this are set in a smaller font."""


def _imports() -> tuple[Any, Any]:
    try:
        import docx
        from docx.shared import Cm, Pt
    except ImportError:
        raise KratError("the Word output needs python-docx: install krat[word]") from None
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
    from krat_core.statistics import Count, Stat, Suppressed

    return isinstance(cell, int | float | Count | Stat | Suppressed) and not isinstance(cell, bool)


def _row_xml(texts: list[str], right: list[bool], *, header: bool, small: bool) -> str:
    size = '<w:sz w:val="16"/><w:szCs w:val="16"/>' if small else ""
    bold = "<w:b/>" if header else ""
    props = (
        "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
        if header
        else "<w:trPr><w:cantSplit/></w:trPr>"
    )
    shade = '<w:shd w:val="clear" w:color="auto" w:fill="DDE5F0"/>' if header else ""
    cells = []
    for text, r in zip(texts, right, strict=True):
        jc = '<w:jc w:val="right"/>' if r and not header else ""
        runs = "".join(
            f"<w:r><w:rPr>{bold}{size}</w:rPr>{'<w:br/>' if k else ''}"
            f'<w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
            for k, line in enumerate(text.split("\n"))
        )
        cells.append(
            f'<w:tc><w:tcPr>{shade}</w:tcPr><w:p><w:pPr><w:spacing w:before="0" w:after="0"/>'
            f"{jc}</w:pPr>{runs}</w:p></w:tc>"
        )
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def _add_table(doc: Any, table: Table, lang: str) -> None:
    """Add ``table`` to ``doc``, rows built as XML in one go (fast for long tables)."""
    from docx.oxml import parse_xml

    from krat_core.statistics import format_cell

    ncols = len(table.header)
    small = ncols > _SMALL_FONT_COLUMNS
    word_table = doc.add_table(rows=0, cols=ncols)
    word_table.style = "Table Grid"
    parts = [
        _row_xml([h.get(lang) for h in table.header], [False] * ncols, header=True, small=small)
    ]
    for row in table.rows:
        parts.append(
            _row_xml(
                [format_cell(c, lang) for c in row],
                [_numeric(c) for c in row],
                header=False,
                small=small,
            )
        )
    parsed = parse_xml(f'<w:tbl xmlns:w="{_W}">{"".join(parts)}</w:tbl>')
    tbl = word_table._tbl
    for tr in list(parsed):
        tbl.append(tr)


def _chart_png(chart: Chart, table: Table, lang: str, threshold: int | None) -> tuple[bytes, int]:
    """Draw ``chart`` as PNG bytes; also return how many categories were left out."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise KratError("the Word output needs matplotlib: install krat[word]") from None
    from krat_core.statistics import Count, Stat, format_cell

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
    fig = Figure(
        figsize=(6.4, 0.9 + 0.32 * max(len(labels), 4)) if chart.kind == "bar" else (6.4, 3.2)
    )
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    if chart.kind == "bar":
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color="#2F5597")
        ax.set_yticks(positions, labels=labels, fontsize=8)
    else:
        ax.bar(range(len(labels)), values, color="#2F5597")
        ax.set_xticks(range(len(labels)), labels=labels, fontsize=8, rotation=45, ha="right")
    ax.set_title(chart.title.get(lang), fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue(), hidden


def _title_page(doc: Any, report: Report, lang: str, units: Any) -> None:
    from docx.enum.text import WD_BREAK

    from krat_core.statistics import format_cell

    _cm, pt = units
    sq = lang == "sq"
    doc.add_paragraph(
        "Komiteti Rajonal Antitrafik (KRAT)" if sq else "Regional Anti-Trafficking Committee (KRAT)"
    )
    doc.add_paragraph(report.title(lang), style="Title")
    period = report.data.period
    doc.add_paragraph(f"{'Periudha' if sq else 'Period'}: {period}", style="Subtitle")
    doc.add_paragraph(
        f"{'Data e raportit' if sq else 'Report date'}: {format_cell(report.generated_on, lang)}"
    )
    if report.compared:
        doc.add_paragraph(
            f"{'Krahasuar me' if sq else 'Compared with'}: {', '.join(report.compared)}"
        )
    note = doc.add_paragraph()
    run = note.add_run(report.suppression_note().get(lang))
    if report.suppress is None:
        run.bold = True
        run.font.size = pt(14)
    doc.add_paragraph(
        "Të dhënat janë të pseudonimizuara: raportet nuk përmbajnë emra ose të dhëna "
        "identifikuese të personave."
        if sq
        else "The data are pseudonymised: reports contain no names or identifying data of persons."
    )
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
        parse_xml(f'<w:lang xmlns:w="{_W}" w:val="{"sq-AL" if lang == "sq" else "en-GB"}"/>')
    )
    section = doc.sections[0]
    section.left_margin = section.right_margin = cm(2)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Faqe " if lang == "sq" else "Page ")
    _field(footer, "PAGE", "1")
    settings = doc.settings.element
    settings.append(parse_xml(f'<w:updateFields xmlns:w="{_W}" w:val="true"/>'))
    doc.core_properties.title = report.title(lang)
    doc.core_properties.language = "sq-AL" if lang == "sq" else "en-GB"
    doc.core_properties.author = "KRAT"


def write_docx(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the annual analysis of ``dataset`` to ``path`` as a Word document."""
    docx, units = _imports()
    from krat_core.exporting import prepare_report
    from krat_core.statistics import SECTIONS

    lang = options.lang
    report = prepare_report(dataset, options)
    doc = docx.Document()
    _setup(doc, report, lang, units)
    _title_page(doc, report, lang, units)
    doc.add_paragraph("Përmbajtja" if lang == "sq" else "Contents", style="TOC Heading")
    _field(
        doc.add_paragraph(),
        'TOC \\o "1-2" \\h \\z \\u',
        "Përditësoni fushën (F9) për të parë përmbajtjen."
        if lang == "sq"
        else "Update the field (F9) to show the contents.",
    )
    cm, _pt = units
    for key, heading in SECTIONS:
        tables = [t for t in report.tables if t.section == key]
        if not tables:
            continue
        doc.add_heading(heading.get(lang), level=1)
        for table in tables:
            doc.add_heading(table.title.get(lang), level=2)
            notes = []
            if table.counts_people:
                notes.append(report.suppression_note().get(lang))
            if table.note is not None:
                notes.append(table.note.get(lang))
            if notes:
                doc.add_paragraph(" ".join(notes)).runs[0].italic = True
            if not table.rows:
                doc.add_paragraph("Nuk ka të dhëna." if lang == "sq" else "No data.")
                continue
            _add_table(doc, table, lang)
            for chart in (c for c in report.charts if c.table == table.key):
                png, hidden = _chart_png(chart, table, lang, report.suppress)
                doc.add_picture(io.BytesIO(png), width=cm(15))
                caption = chart.title.get(lang)
                if hidden:
                    caption += (
                        f" ({hidden} kategori të fshehura për mbrojtjen e të dhënave nuk shfaqen.)"
                        if lang == "sq"
                        else f" ({hidden} categories hidden by disclosure control are not shown.)"
                    )
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
