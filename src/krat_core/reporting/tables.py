"""The report table and its cells: what the statistics build, disclosure control
protects and the exporters render.

A table is language-neutral: its title, headers and notes are
:class:`~krat_core.messages.Message` texts (the program's own wording) or
:class:`Label` values (a code-list label, a name from the records, or a text
composed from a message and figures, in both languages); the exporter picks the
language. Cells are plain values (``int``, ``float``, ``str``, ``date``,
:class:`Label`, :class:`~krat_core.messages.Message`, ``None``) or one of three
markers the disclosure control (:mod:`krat_core.reporting.disclosure`) works on:

- :class:`Count`: a number of people (cases). Small counts are suppressed.
- :class:`Stat`: a figure computed from people (a median, a change) that is
  hidden whenever a count it rests on is small.
- :class:`Suppressed`: what a suppressed cell becomes: :data:`MARKER` ("x"),
  the one marker of every hidden count, small or hidden to protect a small one.

A :class:`Grid` says which rows and columns of a table add up to which totals,
so the disclosure control can stop a suppressed count being worked out from
them; a :class:`Layout` says how a page-sized rendering (Word) shows the table.
Counts of activities, participants in public events and objectives are not
counts of victims and are plain integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import chain
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias

from krat_core.messages import LANGUAGES, Message, format_date

if TYPE_CHECKING:
    from krat_core.format.codelists import CodeList

__all__ = [
    "MARKER",
    "Cell",
    "Chart",
    "Count",
    "Grid",
    "Label",
    "Layout",
    "Stat",
    "Suppressed",
    "Table",
    "Wording",
    "capital",
    "cell_value",
    "format_cell",
]


class _Named(Protocol):
    @property
    def sq(self) -> str: ...
    @property
    def en(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Label:
    """A value shown in Albanian (``sq``) or English (``en``; None: the same as Albanian).

    Labels carry data, not the program's wording: a code-list label
    (:meth:`of`), a name or title from the records (``Label(name, name_en)``),
    or a :class:`~krat_core.messages.Message` filled in with figures in both
    languages (:meth:`say`).
    """

    sq: str
    en: str | None = None

    def text(self, lang: str = "sq") -> str:
        """The label in ``lang`` ("sq" or "en")."""
        return self.en if lang == "en" and self.en is not None else self.sq

    @classmethod
    def of(cls, member: CodeList | _Named) -> Label:
        """The labels of a code-list value (or of anything with ``sq`` and ``en`` names,
        such as a region)."""
        return cls(member.sq, member.en)

    @classmethod
    def say(cls, message: Message, /, **values: Any) -> Label:
        """``message`` filled in with ``values`` in both languages; a value that is
        itself a :class:`Label` or :class:`~krat_core.messages.Message` is put in
        the same language."""
        sq, en = (
            message.text(
                lang,
                **{
                    k: v.text(lang) if isinstance(v, Label | Message) else v
                    for k, v in values.items()
                },
            )
            for lang in LANGUAGES
        )
        return cls(sq, en)


Wording: TypeAlias = Message | Label
"""A title, header or note of a table: the program's wording or a label."""


@dataclass(frozen=True, slots=True)
class Count:
    """A number of people (cases). Published tables suppress small counts."""

    value: int


@dataclass(frozen=True, slots=True)
class Stat:
    """A figure computed from people, hidden when a count in ``bases`` is small.

    ``bases`` are the numbers of people it rests on: the cases behind a median,
    or both counts of a year-over-year change.
    """

    value: int | float | None
    bases: tuple[int, ...]
    of: tuple[int, ...] = ()
    """Columns of the same row it is computed from (a change between two
    years): it is hidden whenever one of those cells is suppressed."""


MARKER = "x"
"""How every suppressed cell is printed, whatever the reason: a count of 1 to N-1
people, a cell hidden so that such a count cannot be worked out, or a figure
computed from them. One marker for all (the usual practice of statistical
disclosure control) keeps a reader from telling the small counts from the
others; zero is always shown."""


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A cell withheld by disclosure control, printed as ``marker`` (:data:`MARKER`).

    ``primary`` says whether the count itself is small (1..N-1) or hidden to
    protect another; it is for the auditor and tests only and must never be
    published (every output prints the marker alone, :func:`format_cell`).
    """

    marker: str = MARKER
    primary: bool = False


Cell = int | float | str | date | Label | Message | Count | Stat | Suppressed | None
"""What a table cell holds."""


@dataclass(frozen=True, slots=True)
class Grid:
    """Where a table adds up: interior rows and columns of counts and their totals.

    ``total_col`` (a column index) holds each interior row's sum over ``cols``;
    ``total_row`` (a row index) holds each column's sum over ``rows``. Either may
    be None when the table does not publish that total.
    """

    rows: tuple[int, ...]
    cols: tuple[int, ...]
    total_row: int | None = None
    total_col: int | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """How a page-sized rendering (the Word report) lays a table out.

    The table keeps every column for Excel and CSV; a page shows ``columns``
    (table column indices, in order; empty: all). ``group`` is a column whose
    value heads each run of rows with that value (a row across the table, e.g.
    the region) instead of being shown as a column. On consecutive rows with
    the same value in column ``repeat_key`` the cells of ``repeat_cols`` are
    left blank (an objective with several indicators). ``bands`` label runs of
    the shown columns in a header row above the column headers, as
    ``(label, span)`` pairs covering the shown columns in order (a label of
    None: the column's own header, over both header rows). ``short`` gives
    shorter headers for some columns (by table column index), e.g. "2024"
    under the band "Cases identified". ``join`` pairs ``(a, b)``: the page
    shows column b after column a in a's column, as a range "a – b" (the end
    date after the start date), or a alone when b is empty. ``changes`` marks
    the columns of year-over-year changes and which way is better.
    """

    columns: tuple[int, ...] = ()
    group: int | None = None
    repeat_key: int | None = None
    repeat_cols: tuple[int, ...] = ()
    bands: tuple[tuple[Wording | None, int], ...] = ()
    short: Mapping[int, Wording] = field(default_factory=dict)
    note: Wording | None = None
    """Said on the page under the table's own note (e.g. where the columns left out are)."""
    join: tuple[tuple[int, int], ...] = ()
    changes: Mapping[int, Literal["higher", "lower", "none"]] = field(default_factory=dict)
    """Columns (table column indices) that hold a change between two periods, with
    the direction that is better for the measure: "higher", "lower", or "none"
    (not assessed, e.g. a count of cases). A page writes a change with its sign
    ("+3", "−3") and marks one for the better or the worse."""

    def shown(self, ncols: int) -> tuple[int, ...]:
        """The table columns a page shows, in order (the group column and the
        columns joined to another left out)."""
        cols = self.columns or tuple(range(ncols))
        joined = {b for _, b in self.join}
        return tuple(c for c in cols if c != self.group and c not in joined)


@dataclass(frozen=True, slots=True)
class Table:
    """One report table: a title, a header and rows of cells.

    ``label_cols`` is the number of leading columns that label the row.
    ``shared`` names cells that show the same quantity as a cell of another
    table (e.g. the number of all cases), so disclosure control treats them alike
    everywhere. ``section`` is the chapter of the report it belongs in.
    ``layout`` tells a page-sized rendering (Word) which columns to show and
    how to group the rows; the data are the same in every output.
    """

    key: str
    section: str
    title: Wording
    header: tuple[Wording, ...]
    rows: tuple[tuple[Cell, ...], ...]
    label_cols: int = 1
    grid: Grid | None = None
    note: Wording | None = None
    shared: Mapping[tuple[int, int], str] = field(default_factory=dict)
    layout: Layout = field(default_factory=Layout)

    @property
    def counts_people(self) -> bool:
        """Whether any cell counts people (and is therefore subject to suppression)."""
        kinds = set(map(type, chain.from_iterable(self.rows)))  # one C pass: long tables
        return any(issubclass(kind, Count | Stat | Suppressed) for kind in kinds)

    def column(self, index: int) -> list[Cell]:
        """The cells of column ``index``, top to bottom."""
        return [row[index] for row in self.rows]


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart drawn from a table: categories from one column, one series per value column.

    ``rows`` are the table rows plotted (totals are left out).
    """

    key: str
    table: str
    title: Wording
    kind: Literal["bar", "column"]
    category_col: int
    value_cols: tuple[int, ...]
    rows: tuple[int, ...]


# --------------------------------------------------------------------------- rendering


def format_cell(cell: Cell, lang: str = "sq") -> str:
    """A cell as text for a reader: labels in ``lang``, dates as
    :func:`~krat_core.messages.format_date` writes them, thousands grouped and
    decimal comma in Albanian, suppressed cells as their marker."""
    if cell is None:
        return ""
    if isinstance(cell, Label | Message):
        return cell.text(lang)
    if isinstance(cell, Suppressed):
        return cell.marker
    if isinstance(cell, Count):
        return _grouped(cell.value, lang)
    if isinstance(cell, Stat):
        if cell.value is None:
            return "–"
        return format_cell(cell.value, lang)
    if isinstance(cell, date):
        return format_date(cell, lang)
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, int):
        return _grouped(cell, lang)
    if isinstance(cell, float):  # one decimal at most, grouped like a whole number
        if not -1e15 < cell < 1e15:  # beyond what a table counts (and NaN): as Python writes it
            text = f"{cell:.0f}" if cell.is_integer() else f"{cell:.1f}"
            return text.replace(".", ",") if lang == "sq" else text
        value = round(cell, 1)
        if value.is_integer():
            return _grouped(int(value), lang)
        from krat_core.messages import format_number

        return format_number(value, lang, decimals=1)
    return str(cell)


def _grouped(value: int, lang: str) -> str:
    """A whole number with its thousands grouped (``18 229``, ``18,229``)."""
    if -1000 < value < 1000 or not -(10**15) < value < 10**15:
        return str(value)
    from krat_core.messages import format_number

    return format_number(value, lang)


def cell_value(cell: Cell, lang: str = "sq") -> int | float | str | date | None:
    """A cell as a typed value for a spreadsheet: numbers stay numbers, dates
    stay dates, labels (with a capital first letter, :func:`capital`) and markers
    become text."""
    if isinstance(cell, Count):
        return cell.value
    if isinstance(cell, Stat):
        return cell.value
    if isinstance(cell, Label | Message):
        return capital(cell.text(lang))
    if isinstance(cell, Suppressed):
        return cell.marker
    return cell


def capital(text: str) -> str:
    """``text`` with a capital first letter, as every text cell of a table and every
    chart label starts (code-list labels are lower case: "shfrytëzim seksual"); a
    word with a capital inside ("eMail") is left alone."""
    if text[:1].islower() and not text[1:2].isupper():
        return text[0].upper() + text[1:]
    return text
