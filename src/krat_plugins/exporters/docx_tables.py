"""How a report table is laid out on a Word page: measured text, column widths,
orientation, and the table's XML.

Split from :mod:`krat_plugins.exporters.docx` (the document) because the layout is
a unit of its own: text is measured in DejaVu Sans (the font LibreOffice falls
back to without Calibri; a character it has no glyph for gets a fallback width),
the column widths that fill the fewest pages are chosen, and the rows are built
as XML in one go.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from krat_plugins.exporters._text import xml_escape, xml_text

if TYPE_CHECKING:
    from krat_core.reporting import Cell, Table

__all__ = [
    "BETTER_FILL",
    "BETTER_MARK",
    "LANDSCAPE",
    "PORTRAIT",
    "WORSE_FILL",
    "WORSE_MARK",
    "Metrics",
    "W",
    "add_table",
    "cell_text",
    "change_cell",
    "plan_table",
]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_SMALL_FONT_COLUMNS = 7
"""Tables wider than this are set in a smaller font."""
_CHART_SCALE = 15 / (6.4 * 2.54)
"""A full-width chart (6.4 in drawn) is shown 15 cm wide."""
_TOGETHER = 16
"""A table of at most this many rows is kept on one page (it moves to the next
page whole rather than leaving a row or two behind)."""
_FONT, _SMALL_FONT = 9.0, 8.0
"""Font sizes of tables (pt): normal, and for wide tables."""


def cell_text(cell: Cell, lang: str) -> str:
    """A cell as a page shows it: :func:`~krat_core.reporting.format_cell`, with a
    text (a label, a name) starting with a capital letter."""
    from krat_core.messages import Message
    from krat_core.reporting.tables import Label, capital, format_cell

    text = format_cell(cell, lang)
    return capital(text) if isinstance(cell, Label | Message | str) else text


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


def _fallback_width(ch: str) -> float:
    """The width (em) assumed for a character DejaVu Sans has no glyph for: wide
    (CJK, emoji) characters a full em, marks and controls nothing, others about
    the width of a DejaVu letter; a line or tab counts as a space."""
    import unicodedata

    if ch in "\t\n\r\x0b\x0c\u2028\u2029\x85":
        return 0.318  # DejaVu Sans space
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Mn", "Me"):
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0xFFFF:
        return 1.0
    return 0.65


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
            font = self._fonts[bold]
            if font.get_char_index(ord(ch)) == 0:  # no glyph: Word uses another font
                width = _fallback_width(ch)
            else:
                width = font.load_char(ord(ch)).linearHoriAdvance / 65536 / 1000
            self._chars[(bold, ch)] = width
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
    fills: dict[int, list[str | None]] = field(default_factory=dict)  # row index: cell shading

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
    from krat_core.reporting.tables import capital  # not at import: start-up

    layout = table.layout
    shown = layout.shown(len(table.header))
    rows: list[tuple[str | None, list[str], bool]] = []
    right = [False] * len(shown)
    fixed = [True] * len(shown)
    group_now: str | None = None
    joined = dict(layout.join)
    previous_key: Any = object()
    shading: dict[int, list[str | None]] = {}
    for row in table.rows:
        if layout.group is not None:
            group = cell_text(row[layout.group], lang)
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
        fills: list[str | None] = []
        for j, c in enumerate(shown):
            cell = row[c]
            fill = None
            if c in layout.changes:
                text, fill = change_cell(cell, layout.changes[c], lang)
            else:
                text = "" if repeat and c in layout.repeat_cols else cell_text(cell, lang)
            fills.append(fill)
            right[j] = right[j] or _numeric(cell)
            if text and not _unbreakable(cell):
                fixed[j] = False
            end = cell_text(row[joined[c]], lang) if c in joined else ""
            if end:  # a range, which may break after its dash
                text, fixed[j] = f"{text}–{_BREAK}{end}", False
            texts.append(text)
        if any(fills):
            shading[len(rows)] = fills
        rows.append((None, texts, False))
    if len(rows) <= _TOGETHER:  # a short table is not split across pages
        rows = [(g, cells, True) for g, cells, _ in rows[:-1]] + rows[-1:]
    header = [capital((layout.short.get(c) or table.header[c]).text(lang)) for c in shown]
    bands: list[tuple[str | None, int]] = [
        (capital(label.text(lang)) if label is not None else None, span)
        for label, span in layout.bands
    ]
    small = len(shown) > _SMALL_FONT_COLUMNS
    plan = _Layout(header, bands, rows, right, fixed, _SMALL_FONT if small else _FONT)
    plan.fills = shading
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
        f'<w:t xml:space="preserve">{xml_escape(xml_text(line))}</w:t></w:r>'
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
BETTER_FILL, WORSE_FILL = "E2EFDA", "FCE4D6"
"""Shading of a change for the better (light green) and for the worse (light red)."""
BETTER_MARK, WORSE_MARK = "\u2713", "\u2717"
"""Marks of a change for the better (✓) and for the worse (✗), so that the cue
survives printing in black and white."""


def change_cell(cell: Cell, way: str, lang: str) -> tuple[str, str | None]:
    """A year-over-year change as a page shows it: with its sign ("+3", "−3", "0")
    and, for a measure with a better direction (``way`` "higher" or "lower"), the
    mark and the shading of a change for the better or the worse. A change that
    is not published (suppressed, no figure, not applicable) is shown as any cell."""
    from krat_core.reporting import format_cell
    from krat_core.reporting.comparison import change_text, published

    value = published(cell)
    if value is None:
        return format_cell(cell, lang), None
    text = change_text(0, value, lang)
    if way not in ("higher", "lower") or value == 0:
        return text, None
    better = (value > 0) == (way == "higher")
    mark = BETTER_MARK if better else WORSE_MARK
    return f"{text}\u00a0{mark}", BETTER_FILL if better else WORSE_FILL


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


def _new_table(doc: Any, plan: _Layout) -> Any:
    """An empty Word table with the plan's fixed column widths."""
    from docx.shared import Cm

    word_table = doc.add_table(rows=0, cols=len(plan.header))
    word_table.style = "Table Grid"
    word_table.autofit = False  # fixed layout: the widths below hold
    tbl = word_table._tbl
    for col, width in zip(tbl.tblGrid.gridCol_lst, plan.widths, strict=True):
        col.w = Cm(width)
    tbl_w = tbl.tblPr.find(f"{{{_W}}}tblW")
    if tbl_w is not None:
        tbl_w.set(f"{{{_W}}}type", "dxa")
        tbl_w.set(f"{{{_W}}}w", str(sum(_twips(w) for w in plan.widths)))
    return tbl


def _add_table(doc: Any, plan: _Layout) -> None:
    """Add the laid-out table to ``doc``: fixed column widths, header rows
    repeated on every page, rows that do not split; rows built as XML in one go
    (fast for long tables).

    A table grouped by region (the national action plan, institution
    performance, the comparison) becomes one Word table per group, whose group
    heading is a header row under the column headers: Word repeats header rows
    on every page, so the region is named again after a page break."""
    from docx.oxml import parse_xml

    ncols = len(plan.header)
    size = round(plan.font * 2)
    total = sum(plan.widths)
    header = _header_xml(plan, size)
    chunks: list[list[str]] = [list(header)]
    for index, (group, cells, keep) in enumerate(plan.rows):
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
            row = f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cell}</w:tr>"
            if len(chunks[-1]) == len(header):  # nothing under the headers yet
                chunks[-1].append(row)
            else:
                chunks.append([*header, row])
            continue
        fills = plan.fills.get(index) or [None] * ncols
        xml = "".join(
            _cell_xml(
                text,
                width,
                bold=False,
                size=size,
                align="right" if right else None,
                keep=keep,
                fill=fill,
            )
            for text, width, right, fill in zip(cells, plan.widths, plan.right, fills, strict=True)
        )
        chunks[-1].append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{xml}</w:tr>")
    for k, parts in enumerate(chunks):
        if k:  # a paragraph between the tables, or Word would join them into one
            spacer = doc.add_paragraph()
            spacer.paragraph_format.space_after = 0
            spacer.paragraph_format.keep_with_next = True
        tbl = _new_table(doc, plan)
        parsed = parse_xml(f'<w:tbl xmlns:w="{_W}">{"".join(parts)}</w:tbl>')
        for tr in list(parsed):
            tbl.append(tr)


W = _W
Metrics = _Metrics
plan_table = _plan
add_table = _add_table
