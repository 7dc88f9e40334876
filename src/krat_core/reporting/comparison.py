"""The comparison with earlier years: key figures, regions and institution types.

Every table here is computed from tables that have already been through
disclosure control (the report's own and those of each earlier dataset), never
from the records: a figure suppressed in a year's published tables is
suppressed here too, and a change is given only where both years' figures are
published. The tables are therefore not protected again.

Each measure has a direction (:data:`HIGHER_BETTER`, :data:`LOWER_BETTER` or
neither): more cases identified is not in itself better or worse, a shorter
time to referral is better. The assessment column says "better" or "worse"
only for measures with a direction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from krat_core.messages import Message, format_number, format_percent
from krat_core.reporting.labels import REGION
from krat_core.reporting.tables import Cell, Count, Label, Stat, Suppressed, Table, Wording

__all__ = [
    "Direction",
    "change_text",
    "compare_key_figures",
    "compare_rows",
    "comparison_tables",
    "published",
]

Direction = Literal["higher", "lower", "none"]

KEY_TITLE = Message(
    sq="Shifrat kryesore krahasuar me vitet e mëparshme",
    en="Key figures compared with earlier years",
)
REGION_TITLE = Message(
    sq="Rastet sipas qarkut, krahasuar me vitet e mëparshme",
    en="Cases by region, compared with earlier years",
)
TYPE_TITLE = Message(
    sq="Rastet sipas institucionit identifikues, krahasuar me vitet e mëparshme",
    en="Cases by identifying institution, compared with earlier years",
)
FIGURE = Message(sq="Treguesi", en="Figure")
IDENTIFYING = Message(sq="Institucioni identifikues", en="Identifying institution")
CHANGE = Message(sq="Ndryshimi", en="Change")
CHANGE_PERCENT = Message(sq="Ndryshimi (%)", en="Change (%)")
ASSESSMENT = Message(sq="Vlerësimi", en="Assessment")
BETTER = Message(sq="më mirë", en="better")
WORSE = Message(sq="më keq", en="worse")
SAME = Message(sq="pa ndryshim", en="no change")
NOTE = Message(
    sq="Ndryshimi jepet vetëm kur të dy shifrat janë të publikueshme; «+» shënon rritje, "
    "«−» ulje. «Më mirë» ose «më keq» jepet vetëm për treguesit me drejtim të qartë "
    "(p.sh. më pak ditë deri te referimi është më mirë); për numrin e rasteve një rritje "
    "mund të tregojë identifikim më të mirë, prandaj nuk vlerësohet.",
    en="A change is given only where both figures are published; \u201c+\u201d marks an "
    "increase, \u201c\u2212\u201d a decrease. \u201cBetter\u201d or \u201cworse\u201d is "
    "given only for measures with a clear direction (e.g. fewer days to referral is "
    "better); more cases may mean better identification, so case counts are not assessed.",
)

HIGHER_BETTER = frozenset(
    {
        ("Aktivitete të realizuara", "Activities held"),
        ("Pjesëmarrës në aktivitete", "Participants in activities"),
        ("Objektiva të realizuara", "Objectives achieved"),
    }
)
"""Key figures (sq, en labels) for which a higher value is better. Counts of
cases (identified, referred) are not assessed, as the note says."""
LOWER_BETTER = frozenset(
    {
        (
            "Mediana e ditëve nga identifikimi te referimi",
            "Median days from identification to referral",
        ),
    }
)
"""Key figures (sq, en labels) for which a lower value is better."""


def published(cell: Cell) -> float | None:
    """The number a published cell shows, or None (suppressed, empty or not a number)."""
    if isinstance(cell, Count):
        return cell.value
    if isinstance(cell, Stat):
        return cell.value
    if isinstance(cell, bool | Suppressed):
        return None
    if isinstance(cell, int | float):
        return cell
    return None


def change_text(before: float, after: float, lang: str) -> str:
    """The change from ``before`` to ``after`` with its sign: ``+4``, ``−3``, ``0``."""
    diff = after - before
    text = format_number(abs(diff), lang, decimals=None if float(diff).is_integer() else 1)
    return f"+{text}" if diff > 0 else (f"\u2212{text}" if diff < 0 else "0")


def _key(label: Cell) -> tuple[str, str] | None:
    if isinstance(label, Message):
        return (label.text("sq"), label.text("en"))
    if isinstance(label, Label):
        return (label.sq, label.text("en"))
    return None


def direction(label: Cell) -> Direction:
    """Whether a higher or a lower value of the key figure ``label`` is better."""
    key = _key(label)
    if key in HIGHER_BETTER:
        return "higher"
    if key in LOWER_BETTER:
        return "lower"
    return "none"


@dataclass(frozen=True, slots=True)
class _Row:
    label: tuple[Cell, ...]
    values: tuple[Cell, ...]
    way: Direction


def _change_cells(values: Sequence[Cell], way: Direction) -> tuple[Cell, Cell, Cell]:
    if len(values) < 2:
        return ("", "", "")
    before, after = published(values[-2]), published(values[-1])
    if before is None or after is None:
        return ("", "", "")
    diff = Label(change_text(before, after, "sq"), change_text(before, after, "en"))
    pct: Cell = ""
    if before:
        fraction = (after - before) / before
        pct = Label(
            format_percent(fraction, "sq", sign=True), format_percent(fraction, "en", sign=True)
        )
    cue: Cell = ""
    if way != "none":
        if after == before:
            cue = SAME
        else:
            cue = BETTER if (after > before) == (way == "higher") else WORSE
    return (diff, pct, cue)


def compare_rows(
    title: Wording,
    key: str,
    label_header: tuple[Wording, ...],
    years: Sequence[tuple[str, Table]],
    value_col: int,
    *,
    directions: bool = False,
) -> Table:
    """A comparison table: one row per row label found in any year's table, a
    column per year with that year's published cell in ``value_col``, then the
    change between the last two years, in figures and in per cent, and (with
    ``directions``) the assessment."""
    nlab = len(label_header)
    order: dict[tuple[Cell, ...], None] = {}
    by_year: list[dict[tuple[Cell, ...], Cell]] = []
    for _period, table in years:
        cells: dict[tuple[Cell, ...], Cell] = {}
        for row in table.rows:
            label = tuple(row[:nlab])
            order.setdefault(label)
            cells[label] = row[value_col]
        by_year.append(cells)
    rows: list[tuple[Cell, ...]] = []
    for label in order:
        values = tuple(cells.get(label) for cells in by_year)
        way = direction(label[0]) if directions else "none"
        change = _change_cells(values, way)
        extra: tuple[Cell, ...] = change if directions else change[:2]
        rows.append((*label, *values, *extra))
    header: list[Wording] = [*label_header, *(Label(period) for period, _ in years)]
    header += [CHANGE, CHANGE_PERCENT]
    if directions:
        header.append(ASSESSMENT)
    return Table(
        key=key,
        section="comparison",
        title=title,
        header=tuple(header),
        rows=tuple(rows),
        label_cols=nlab,
        note=NOTE,
    )


def compare_key_figures(years: Sequence[tuple[str, Table]]) -> Table:
    """The key figures of every year side by side, with the change and the assessment."""
    return compare_rows(KEY_TITLE, "key_comparison", (FIGURE,), years, 1, directions=True)


def comparison_tables(
    current: Mapping[str, Table], period: str, earlier: Sequence[tuple[str, Mapping[str, Table]]]
) -> list[Table]:
    """The comparison tables of a report: the key figures, and (where both years
    have them) cases by region and by identifying institution, each over every
    year given, oldest first.

    ``current`` and each of ``earlier`` are published (protected) tables keyed as
    in :func:`~krat_core.reporting.report.build_tables`, plus ``key_figures``.
    """
    if not earlier:
        return []
    years = [*sorted(earlier, key=lambda e: e[0]), (period, current)]
    out = [compare_key_figures([(p, t["key_figures"]) for p, t in years])]
    if all("cases_region" in t for _, t in years):
        table = compare_rows(
            REGION_TITLE,
            "region_comparison",
            (REGION,),
            [(p, _without_total(t["cases_region"])) for p, t in years],
            -1,
        )
        out.append(table)
    key = "cases_identifying_institution"
    if all(key in t for _, t in years):
        table = compare_rows(
            TYPE_TITLE,
            "type_comparison",
            (IDENTIFYING,),
            [(p, _without_total(t[key])) for p, t in years],
            -1,
        )
        out.append(table)
    return out


def _without_total(table: Table) -> Table:
    """``table`` without its total row (the last row when its grid has one)."""
    grid = table.grid
    if grid is None or grid.total_row is None:
        return table
    rows = tuple(r for i, r in enumerate(table.rows) if i != grid.total_row)
    return Table(table.key, table.section, table.title, table.header, rows, table.label_cols)
