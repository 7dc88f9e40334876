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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from krat_core import hookimpl
from krat_core.errors import ExporterUnavailable
from krat_core.messages import Message, Plural
from krat_core.plugins.descriptors import Exporter, ExportOptions
from krat_plugins.exporters._text import fixed_zip, xml_escape, xml_text
from krat_plugins.exporters.docx_tables import (
    LANDSCAPE,
    PORTRAIT,
    Metrics,
    add_table,
    cell_text,
    plan_table,
)
from krat_plugins.exporters.docx_tables import W as _W

if TYPE_CHECKING:
    from krat_core.reporting import Cell, Chart, Report, Table

NEEDS_PYTHON_DOCX = Message(
    sq="dalja Word kërkon python-docx: instaloni krat[word]",
    en="the Word output needs python-docx: install krat[word]",
)
NEEDS_MATPLOTLIB = Message(
    sq="dalja Word kërkon matplotlib: instaloni krat[word]",
    en="the Word output needs matplotlib: install krat[word]",
)
NATIONAL_ISSUER = Message(
    sq="Koordinatori Kombëtar kundër Trafikimit të Personave",
    en="National Anti-Trafficking Coordinator",
)
REGIONAL_ISSUER = Message(
    sq="Komiteti Rajonal Antitrafik, Qarku {region}",
    en="Regional Anti-Trafficking Committee, {region} region",
)
PERIOD = Message(sq="Periudha: {period}", en="Period: {period}")
DATE_LINE = Message(sq="{place}, më {date}", en="{place}, {date}")
DOCUMENT_NUMBER = Message(sq="Nr. prot.: {number}", en="Ref. no.: {number}")
COMPARED = Message(sq="Krahasuar me: {periods}", en="Compared with: {periods}")
PSEUDONYMISED = Message(
    sq="Të dhënat janë të pseudonimizuara: raporti nuk përmban emra ose të dhëna "
    "identifikuese të personave.",
    en="The data are pseudonymised: the report contains no names or identifying data of persons.",
)
CONFIDENTIAL = Message(
    sq="KONFIDENCIALE: vetëm për anëtarët e komitetit, jo për publikim",
    en="CONFIDENTIAL: for committee members only, not for publication",
)
PAGE = Message(sq="Faqe ", en="Page ")
CONTENTS = Message(sq="Përmbajtja", en="Contents")
NO_DATA = Message(sq="Nuk ka të dhëna.", en="No data.")
HIDDEN_CATEGORIES = Message(
    sq=Plural(
        one="{n} kategori e fshehur për mbrojtjen e të dhënave nuk shfaqet në grafik.",
        other="{n} kategori të fshehura për mbrojtjen e të dhënave nuk shfaqen në grafik.",
    ),
    en=Plural(
        one="{n} category hidden by disclosure control is not shown in the chart.",
        other="{n} categories hidden by disclosure control are not shown in the chart.",
    ),
)
CHART_ALT = Message(sq="Grafik: {title}", en="Chart: {title}")
SUMMARY = Message(sq="Përmbledhje ekzekutive", en="Executive summary")
METHODOLOGY = Message(sq="Metodologjia dhe shenjat", en="Method and markers")
MARKERS_INTRO = Message(
    sq="Për të mbrojtur personat, numrat e vegjël të personave nuk publikohen. Shenjat në tabela:",
    en="To protect people, small numbers of people are not published. The markers in the tables:",
)
MARKERS = (
    Message(
        sq="«x»: e fshehur: më pak se {n} persona, ose e fshehur që një numër i tillë të mos "
        "mund të llogaritet nga shifrat e tjera. Sipas gjithçkaje që publikohet, çdo numër "
        "personash i fshehur mund të jetë cilido nga të paktën {n} numra të ndryshëm.",
        en="\u201cx\u201d: hidden: fewer than {n} people, or hidden so that such a count "
        "cannot be worked out from the other figures. From everything published, each hidden "
        "count of people could still be any of at least {n} different numbers.",
    ),
    Message(
        sq="«–»: nuk ka shifër (p.sh. mediana kur nuk ka asnjë rast të referuar).",
        en="\u201c\u2013\u201d: no figure (e.g. a median where no case was referred).",
    ),
    Message(
        sq="Qelizë bosh: nuk zbatohet (p.sh. një institucion që nuk ishte në të dhënat e atij "
        "viti).",
        en="Empty cell: not applicable (e.g. an institution not in that year's data).",
    ),
)
CHANGE_MARKS = Message(
    sq="Ndryshimet nga viti i kaluar: «+» rritje, «−» ulje. Te performanca e institucioneve, "
    "\u2713 (sfond i gjelbër) shënon një ndryshim për mirë dhe \u2717 (sfond i kuq) një "
    "ndryshim për keq: më shumë aktivitete të realizuara dhe të planifikuara, më shumë "
    "objektiva të realizuara dhe më pak ditë nga identifikimi te referimi janë më mirë. "
    "Ndryshimi i numrit të rasteve nuk vlerësohet: më shumë raste mund të tregojnë "
    "identifikim më të mirë.",
    en="Changes from last year: \u201c+\u201d an increase, \u201c\u2212\u201d a decrease. "
    "In the institutions' performance, \u2713 (green shading) marks a change for the better "
    "and \u2717 (red shading) one for the worse: more activities held and planned, more "
    "objectives achieved and fewer days from identification to referral are better. A change "
    "in the number of cases is not assessed: more cases may mean better identification.",
)
COUNTING = Message(
    sq="Numrat e rasteve numërojnë regjistrime rastesh: një person i raportuar nga dy qarqe "
    "numërohet dy herë në raportin kombëtar. Aktivitetet, pjesëmarrësit dhe objektivat nuk "
    "janë numra viktimash dhe jepen të plota.",
    en="Case figures count case records: a person reported by two regions counts twice in "
    "the national report. Activities, participants and objectives are not counts of victims "
    "and are given in full.",
)
COMMITTEE_PART = Message(sq="Vlerësimi i komitetit", en="The committee's assessment")
TO_FILL = Message(
    sq="[Për t'u plotësuar nga komiteti: {what}]", en="[To be written by the committee: {what}]"
)
COMMITTEE_SECTIONS = (
    (
        Message(sq="Gjetjet", en="Findings"),
        Message(
            sq="çfarë tregojnë shifrat e vitit dhe krahasimi me vitin e kaluar",
            en="what the year's figures and the comparison with last year show",
        ),
    ),
    (
        Message(sq="Përfundimet", en="Conclusions"),
        Message(
            sq="si e vlerëson komiteti punën e institucioneve",
            en="how the committee assesses the institutions' work",
        ),
    ),
    (
        Message(sq="Rekomandimet", en="Recommendations"),
        Message(
            sq="çfarë duhet bërë në vitin e ardhshëm, nga kush dhe deri kur",
            en="what should be done next year, by whom and by when",
        ),
    ),
)
SIGNED = Message(sq="Miratuar nga:", en="Approved by:")
ANNEXES = Message(sq="Shtojcat", en="Annexes")
ANNEX = Message(sq="Shtojca {letter}: {title}", en="Annex {letter}: {title}")
QUALITY_NOTE = Message(
    sq="Shifrat e këtij raporti mbështeten në dorëzimet e qarqeve. Një qark që mungon nuk "
    "përfshihet në totalet; një dorëzim me gabime vlefshmërie përfshihet, por shifrat e tij "
    "mund të jenë të paplota.",
    en="The figures of this report rest on the regions' submissions. A missing region is not "
    "in the totals; a submission with validation errors is included, but its figures may be "
    "incomplete.",
)
# The document's language tag (BCP 47), for Word's spelling and hyphenation.
LANGUAGE_TAG = Message(sq="sq-AL", en="en-GB")

CHAPTERS: tuple[tuple[Message, tuple[str, ...]], ...] = (
    (
        Message(sq="Rastet dhe viktimat", en="Cases and victims"),
        (
            "cases_status_sex",
            "cases_sex",
            "cases_region",
            "cases_exploitation",
            "cases_scope",
            "cases_citizenship",
            "cases_identifying_institution",
            "cases_identification_source",
        ),
    ),
    (
        Message(sq="Referimi dhe asistenca", en="Referral and assistance"),
        (
            "referral",
            "assistance_type",
        ),
    ),
    (
        Message(
            sq="Aktivitetet ndërgjegjësuese dhe kalendari",
            en="Awareness activities and the calendar",
        ),
        (
            "activities_type",
            "participants_sex",
            "activities_month",
            "calendar_summary",
        ),
    ),
    (
        Message(sq="Objektivat dhe plani i veprimit", en="Objectives and the action plan"),
        ("objectives_status",),
    ),
    (
        Message(
            sq="Performanca e institucioneve krahasuar me vitin e kaluar",
            en="Institutions' performance against last year",
        ),
        ("cases_year", "region_comparison", "type_comparison"),
    ),
    (
        Message(sq="Cilësia dhe plotësia e të dhënave", en="Data quality and completeness"),
        ("completeness",),
    ),
    (Message(sq="Viti i ardhshëm", en="The coming year"), ("objectives_ahead", "calendar_ahead")),
)
"""The chapters of the analysis after the summary, and the tables in each."""
ANNEXED = ("national_calendar", "objectives", "institution_performance", "institution_comparison")
"""The long listings, in the annexes."""

_CHART_SCALE = 15 / (6.4 * 2.54)
"""A full-width chart (6.4 in drawn) is shown 15 cm wide."""


def _imports() -> tuple[Any, Any]:
    try:
        import docx
        from docx.shared import Cm, Pt
    except ImportError:
        raise ExporterUnavailable(NEEDS_PYTHON_DOCX.both()) from None
    return docx, (Cm, Pt)


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """Append a complex field (``PAGE``, ``TOC ...``) to ``paragraph``."""
    from docx.oxml import parse_xml

    xml = (
        f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        f'<w:r xmlns:w="{_W}"><w:instrText xml:space="preserve"> {xml_escape(instruction)} '
        "</w:instrText></w:r>"
        f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r xmlns:w="{_W}"><w:t xml:space="preserve">{xml_escape(placeholder)}</w:t></w:r>'
        f'<w:r xmlns:w="{_W}"><w:fldChar w:fldCharType="end"/></w:r>'
    )
    for run in parse_xml(f'<w:p xmlns:w="{_W}">{xml}</w:p>'):
        paragraph._p.append(run)


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
    section.different_first_page_header_footer = False  # only the cover has no page number


def _number(cell: Cell) -> float | None:
    from krat_core.reporting.comparison import published

    return published(cell)


def _chart_png(chart: Chart, table: Table, lang: str) -> tuple[bytes, int, float]:
    """Draw ``chart`` as PNG bytes, without a title (the caption and the heading
    say it): bars from 0 with their values, one stacked segment per value column
    (cases by year and status); a category whose value is suppressed is left
    out and counted. Also returns the width to show it at (cm)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise ExporterUnavailable(NEEDS_MATPLOTLIB.both()) from None
    from krat_core.reporting import format_cell
    from krat_core.reporting.tables import capital

    labels: list[str] = []
    series: list[list[float]] = [[] for _ in chart.value_cols]
    hidden = 0
    for r in chart.rows:
        row = table.rows[r]
        values = [_number(row[c]) for c in chart.value_cols]
        if any(v is None for v in values) and len(values) == 1:
            hidden += 1
            continue
        hidden += any(v is None for v in values)
        labels.append(cell_text(row[chart.category_col], lang))
        for part, v in zip(series, values, strict=True):
            part.append(v or 0.0)
    names = [capital(table.header[c].text(lang)) for c in chart.value_cols]
    width = 6.4 if chart.kind == "bar" else min(6.4, 2.6 + 0.45 * len(labels))
    if len(series) > 1:
        width = max(width, 4.8)  # room for the legend
    fig = Figure(
        figsize=(width, 0.9 + 0.32 * max(len(labels), 4)) if chart.kind == "bar" else (width, 3.2)
    )
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    colours = ("#2F5597", "#ED7D31", "#A5A5A5", "#70AD47", "#FFC000")
    base = [0.0] * len(labels)
    positions = list(range(len(labels)))
    if chart.kind == "bar":
        positions = positions[::-1]
    for k, heights in enumerate(series):  # a hidden part counts as 0
        colour = colours[k % len(colours)]
        label = names[k] if len(series) > 1 else None
        if chart.kind == "bar":
            bars = ax.barh(positions, heights, left=base, color=colour, label=label)
        else:
            bars = ax.bar(positions, heights, bottom=base, color=colour, width=0.6, label=label)
        shown = [format_cell(v, lang) if v else "" for v in heights]
        ax.bar_label(
            bars,
            labels=shown,
            label_type="center" if len(series) > 1 else "edge",
            fontsize=7,
            padding=2,
            color="white" if len(series) > 1 else "black",
        )
        base = [b + v for b, v in zip(base, heights, strict=True)]
    if chart.kind == "bar":
        ax.set_yticks(positions, labels=labels, fontsize=8)
        ax.set_xlim(left=0)
        _count_axis(ax.xaxis, lang)
    else:
        ax.set_xticks(
            positions,
            labels=labels,
            fontsize=8,
            rotation=45 if len(labels) > 4 else 0,
            ha="right" if len(labels) > 4 else "center",
        )
        ax.set_ylim(bottom=0)
        _count_axis(ax.yaxis, lang)
    if len(series) > 1:  # under the chart, clear of the bars
        ax.legend(
            fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2
        )
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buffer = io.BytesIO()
    import warnings

    with warnings.catch_warnings():  # a glyph missing from the chart's font is drawn as a box
        warnings.simplefilter("ignore")
        fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue(), hidden, width * 2.54 * _CHART_SCALE


def _count_axis(axis: Any, lang: str) -> None:
    """Ticks of a count axis: whole numbers only, grouped as the language writes them."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from krat_core.messages import format_number

    axis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: format_number(value, lang)))


class _Writer:
    """The document being written: headings with bookmarks (for the contents)."""

    def __init__(self, doc: Any, lang: str) -> None:
        self.doc = doc
        self.lang = lang
        self.headings: list[tuple[int, str, str]] = []  # level, text, bookmark
        self.chapter_tables = 0  # tables so far in the current chapter
        self.notes: set[str] = set()  # tables' notes already written

    def para(self, text: str, style: str | None = None) -> Any:
        return self.doc.add_paragraph(xml_text(text), style=style)

    def heading(self, text: str, level: int) -> Any:
        from docx.oxml import parse_xml

        paragraph = self.doc.add_heading(xml_text(text), level=level)
        if level == 1:
            self.chapter_tables = 0
        n = len(self.headings) + 1
        name = f"_Toc{n:06d}"
        start = parse_xml(f'<w:bookmarkStart xmlns:w="{_W}" w:id="{n}" w:name="{name}"/>')
        end = parse_xml(f'<w:bookmarkEnd xmlns:w="{_W}" w:id="{n}"/>')
        paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
        paragraph._p.append(end)
        self.headings.append((level, text, name))
        return paragraph

    def contents(self, after: Any) -> None:
        """Write the table of contents after the paragraph ``after``: a TOC field
        whose cached result lists every heading as a link to it (chapters in bold,
        their sections indented under them), so a PDF made without Word shows it
        and Word can still update it.

        The entries have no page numbers, and no tab or leader waiting for one:
        the pages are only known once a word processor lays the document out, and
        Word and LibreOffice lay it out differently (fonts, table breaks), so a
        number written here would be wrong somewhere. LibreOffice keeps a TOC's
        written result (and a PAGEREF's) when it makes a PDF; Word adds the
        numbers when the field is updated (F9). See docs/reports.md."""
        from docx.oxml import parse_xml

        instr = ' TOC \\o "1-2" \\h \\z \\u '
        paragraphs = []
        for k, (level, text, name) in enumerate(self.headings):
            runs = ""
            if k == 0:
                runs += (
                    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                    f'<w:r><w:instrText xml:space="preserve">{xml_escape(instr)}'
                    "</w:instrText></w:r>"
                    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                )
            bold = "<w:rPr><w:b/></w:rPr>" if level == 1 else ""
            runs += (
                f'<w:hyperlink w:anchor="{name}" w:history="1"><w:r>{bold}'
                f'<w:t xml:space="preserve">{xml_escape(xml_text(text))}</w:t></w:r></w:hyperlink>'
            )
            if k == len(self.headings) - 1:
                runs += '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            indent = 0 if level == 1 else 400
            paragraphs.append(
                f'<w:p xmlns:w="{_W}"><w:pPr><w:spacing w:before="{80 if level == 1 else 0}" '
                f'w:after="0"/><w:ind w:left="{indent}"/>{bold}</w:pPr>{runs}</w:p>'
            )
        anchor = after._p
        for xml in paragraphs:
            element = parse_xml(xml)
            anchor.addnext(element)
            anchor = element


def _cover(w: _Writer, report: Report, options: ExportOptions, units: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    from krat_core.messages import format_date

    cm, pt = units
    lang = w.lang
    config = options.config
    if config is not None and config.logo is not None:
        w.doc.add_picture(str(config.logo), width=cm(3))
    w.para(_issuer(report, options)).runs[0].bold = True
    if config is not None and config.document_number:
        w.para(DOCUMENT_NUMBER.text(lang, number=config.document_number))
    w.para(report.title(lang), style="Title").paragraph_format.space_before = pt(96)
    w.para(PERIOD.text(lang, period=report.data.period), style="Subtitle")
    if report.compared:
        w.para(COMPARED.text(lang, periods=", ".join(report.compared)))
    day = format_date(report.generated_on, lang)
    place = config.place if config is not None and config.place else None
    w.para(DATE_LINE.text(lang, place=place, date=day) if place else day)
    if options.audience == "committee":
        run = w.para(CONFIDENTIAL.text(lang)).runs[0]
        run.bold = True
    if report.suppress is None:
        run = w.para(report.suppression_note().text(lang)).runs[0]
        run.bold = True
        run.font.size = pt(14)
    w.para(PSEUDONYMISED.text(lang))
    last = w.doc.paragraphs[-1]
    last.alignment = WD_ALIGN_PARAGRAPH.LEFT
    last.add_run().add_break(WD_BREAK.PAGE)


def _issuer(report: Report, options: ExportOptions) -> str:
    """Who issues the report: the configured issuer, else the National
    Coordinator (national report) or the region's committee."""
    from krat_core.format.regions import REGIONS
    from krat_core.reporting import Label

    lang = options.lang
    config = options.config
    issuer = config.issuer_text(lang) if config is not None else None
    if issuer:
        return str(issuer)
    if report.national:
        return NATIONAL_ISSUER.text(lang)
    region = Label.of(REGIONS[report.data.region or ""]).text(lang)
    return REGIONAL_ISSUER.text(lang, region=region)


def _mark(section: Any, text: str, with_page: bool, lang: str) -> None:
    """Header and footer of ``section``: the confidentiality marking (if any) and
    the page number."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if text:
        header = section.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        header.add_run(text).bold = True
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        footer.add_run(text + " \u00b7 ")
    if with_page:
        footer.add_run(PAGE.text(lang))
        _field(footer, "PAGE", "1")
    if text:  # the cover: marked, without a page number
        section.different_first_page_header_footer = True
        first = section.first_page_header.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        first.add_run(text).bold = True
        section.first_page_footer.paragraphs[0].add_run(text)
    else:
        section.different_first_page_header_footer = True


def _setup(doc: Any, report: Report, options: ExportOptions, units: Any) -> None:
    from datetime import datetime

    from docx.oxml import parse_xml

    cm, pt = units
    lang = options.lang
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = pt(10)
    rpr = normal.element.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:lang xmlns:w="{_W}" w:val="{LANGUAGE_TAG.text(lang)}"/>'))
    section = doc.sections[0]
    section.page_width, section.page_height = cm(PORTRAIT.width), cm(PORTRAIT.height)
    section.left_margin = section.right_margin = cm(PORTRAIT.margin_x)
    section.top_margin = section.bottom_margin = cm(PORTRAIT.margin_y)
    marking = CONFIDENTIAL.text(lang) if options.audience == "committee" else ""
    _mark(section, marking, True, lang)
    props = doc.core_properties
    moment = datetime(report.generated_on.year, report.generated_on.month, report.generated_on.day)
    props.title = xml_text(report.title(lang))
    props.subject = PERIOD.text(lang, period=report.data.period)
    props.language = LANGUAGE_TAG.text(lang)
    props.author = xml_text(_issuer(report, options))
    props.last_modified_by = "KRAT"
    props.created = props.modified = moment
    props.last_printed = moment
    props.revision = 1
    props.comments = ""
    props.keywords = "KRAT"
    props.category = CONFIDENTIAL.text(lang) if options.audience == "committee" else ""


def _table(w: _Writer, report: Report, table: Table, title: str, plan: Any, cm: Any) -> None:
    """A table under its heading: its own note, the table (laid out as ``plan``; None
    when it has no rows), its charts (with alt text and a caption only when categories
    are hidden). Upright unless the table needs the width; after a sideways table of
    the same chapter it stays sideways (no page break)."""
    lang = w.lang
    wide = plan is not None and plan.landscape
    _orientation(w.doc, wide or (w.chapter_tables > 0 and _sideways(w.doc)))
    w.chapter_tables += 1
    w.heading(title, 2)
    notes = [n.text(lang) for n in (table.note, table.layout.note) if n is not None]
    notes = [n for n in notes if n not in w.notes]  # a note said before is not repeated
    w.notes.update(notes)
    if notes:
        note = w.para(" ".join(notes))
        note.runs[0].italic = True
        note.paragraph_format.keep_with_next = True  # not alone at the foot of a page
    if plan is None:
        w.para(NO_DATA.text(lang))
        return
    add_table(w.doc, plan)
    for chart in (c for c in report.charts if c.table == table.key):
        shown = [r for r in chart.rows if any(_number(table.rows[r][c]) for c in chart.value_cols)]
        if len(shown) < 2:  # one bar (the others hidden or nil) says no more than the table
            continue
        png, hidden, width = _chart_png(chart, table, lang)
        w.doc.add_picture(io.BytesIO(png), width=cm(width))
        alt = xml_text(CHART_ALT.text(lang, title=chart.title.text(lang)))
        for doc_pr in w.doc.paragraphs[-1]._p.iter(f"{{{_WP}}}docPr"):
            doc_pr.set("descr", alt)  # lxml escapes it
        w.doc.paragraphs[-1].paragraph_format.keep_with_next = bool(hidden)
        if hidden:
            w.para(HIDDEN_CATEGORIES.text(lang, n=hidden), style="Caption")


_WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def write_docx(dataset: Any, path: Path, options: ExportOptions) -> None:
    """Write the annual analysis of ``dataset`` to ``path`` as a Word document."""
    docx, units = _imports()
    from docx.enum.text import WD_BREAK

    from krat_core.reporting import prepare_report

    lang = options.lang
    report = prepare_report(dataset, options)
    doc = docx.Document()
    _setup(doc, report, options, units)
    w = _Writer(doc, lang)
    _cover(w, report, options, units)
    toc_title = w.para(CONTENTS.text(lang), style="TOC Heading")
    w.para("").add_run().add_break(WD_BREAK.PAGE)
    cm, _pt = units
    metrics = Metrics()
    tables = {t.key: t for t in report.tables}
    used: set[str] = set()
    plans: dict[str, Any] = {}

    def plan_of(table: Table) -> Any:
        """The table's layout (None: no rows), made once: a chapter's first table is
        also looked at for the orientation of the chapter's page."""
        if table.key not in plans:
            plans[table.key] = plan_table(table, lang, metrics) if table.rows else None
        return plans[table.key]

    def wide(table: Table) -> bool:
        plan = plan_of(table)
        return plan is not None and bool(plan.landscape)

    def put(key: str) -> None:
        if key in tables and key not in used:
            used.add(key)
            table = tables[key]
            _table(w, report, table, table.title.text(lang), plan_of(table), cm)

    w.heading(SUMMARY.text(lang), 1)
    for sentence in report.summary:
        w.para(sentence.text(lang))
    put("key_comparison" if "key_comparison" in tables else "key_figures")
    used.add("key_figures")
    _orientation(doc, False)
    w.heading(METHODOLOGY.text(lang), 1)
    if report.suppress is None:
        w.para(report.suppression_note().text(lang))
    else:
        w.para(MARKERS_INTRO.text(lang))
        for marker in MARKERS:
            w.para(
                marker.text(lang, n=report.suppress, largest=report.suppress - 1),
                style="List Bullet",
            )
    if report.compared:
        w.para(CHANGE_MARKS.text(lang))
    w.para(COUNTING.text(lang))
    w.para(PSEUDONYMISED.text(lang))
    for chapter, keys in CHAPTERS:
        present = [k for k in keys if k in tables and k not in used]
        if not present:
            continue
        first = tables[present[0]]  # the chapter starts on the page of its first table
        _orientation(doc, wide(first))
        w.heading(chapter.text(lang), 1)
        if "completeness" in keys:
            w.para(QUALITY_NOTE.text(lang))
        for key in keys:
            put(key)
    _orientation(doc, False)
    w.heading(COMMITTEE_PART.text(lang), 1)
    for title, what in COMMITTEE_SECTIONS:
        w.heading(title.text(lang), 2)
        w.para(TO_FILL.text(lang, what=what.text(lang))).runs[0].italic = True
    config = options.config
    w.para("")
    w.para(SIGNED.text(lang))
    if config is not None and config.signatory:
        w.para(config.signatory)
        if config.signatory_title_text(lang):
            w.para(config.signatory_title_text(lang))
    else:
        w.para("_" * 30)
    rest = [k for k in ANNEXED if k in tables] + [
        k for k in tables if k not in used and k not in ANNEXED
    ]
    if rest:  # the heading on the page of the first annex (upright or sideways)
        sideways = wide(tables[rest[0]])
        if _sideways(doc) == sideways:
            w.para("").add_run().add_break(WD_BREAK.PAGE)
        _orientation(doc, sideways)
        w.heading(ANNEXES.text(lang), 1)
        for k, key in enumerate(rest):
            letter = chr(ord("A") + k) if k < 26 else str(k + 1)
            used.add(key)
            heading = ANNEX.text(lang, letter=letter, title=tables[key].title.text(lang))
            _table(w, report, tables[key], heading, plan_of(tables[key]), cm)
    w.contents(toc_title)
    doc.save(str(path))
    fixed_zip(path, report.generated_on, replace={"docProps/app.xml": _app_xml()})


def _app_xml() -> bytes:
    from krat_core import __version__

    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/docPropsVTypes"><Application>KRAT {xml_escape(__version__)}</Application>'
        "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>1.0000</AppVersion></Properties>"
    ).encode()


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
