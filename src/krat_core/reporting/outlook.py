"""The coming year: objectives carried over or planned, and the awareness calendar ahead.

- :func:`objectives_ahead`: the objectives of the next year when the data has
  them (objectives whose plan year is later than the report's), otherwise the
  objectives of this year that were not achieved (not started, in progress,
  partially achieved, not achieved): what the committee carries over. Each
  row leaves the new deadline and the decision to the committee.
- :func:`calendar_ahead`: the fixed observances of the coming year (30 July,
  World Day against Trafficking in Persons; 18 October, EU Anti-Trafficking
  Day) and the month of October, with the activities held for each this year
  and the activities already planned for the coming year, by region.
- :func:`calendar_summary`: this year's national calendar summarised by
  observance and region (counts of activities), instead of one row per activity.

Activities and objectives are not counts of people: the tables hold plain
integers and are not under disclosure control.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from operator import attrgetter

from krat_core.format.codelists import ObjectiveStatus, Observance
from krat_core.format.regions import REGION_CODES, REGIONS
from krat_core.messages import Message
from krat_core.reporting.data import ReportData, held_status
from krat_core.reporting.labels import REGION, TOTAL
from krat_core.reporting.tables import Cell, Label, Layout, Table

__all__ = ["calendar_ahead", "calendar_summary", "objectives_ahead"]

AHEAD_TITLE = Message(sq="Objektivat për vitin {year}", en="Objectives for {year}")
AHEAD_CARRIED_NOTE = Message(
    sq="Të dhënat nuk kanë ende objektiva për {year}: tabela liston objektivat e vitit "
    "{current} që nuk u realizuan plotësisht. Komiteti vendos për secilin nëse e mbart, "
    "me afatin e ri.",
    en="The data hold no objectives for {year} yet: the table lists the objectives of "
    "{current} that were not fully achieved. The committee decides for each whether to "
    "carry it over, with its new deadline.",
)
AHEAD_PLANNED_NOTE = Message(
    sq="Objektivat e planifikuara për {year}, siç janë në të dhënat.",
    en="The objectives planned for {year}, as the data hold them.",
)
OBJECTIVE = Message(sq="Objektivi", en="Objective")
STATUS_NOW = Message(sq="Statusi në {year}", en="Status in {year}")
DEADLINE = Message(sq="Afati", en="Deadline")
NEW_DEADLINE = Message(sq="Afati i ri", en="New deadline")
DECISION = Message(sq="Vendimi i komitetit", en="Committee's decision")
PILLAR = Message(sq="Shtylla", en="Pillar")
CALENDAR_AHEAD_TITLE = Message(
    sq="Kalendari ndërgjegjësues për {year}", en="Awareness calendar for {year}"
)
CALENDAR_AHEAD_NOTE = Message(
    sq="Ditët e shënuara janë të përvitshme; «të planifikuara» janë aktivitetet që të "
    "dhënat kanë tashmë për {year}.",
    en="The observances recur every year; \u201cplanned\u201d are the activities the data "
    "already hold for {year}.",
)
OBSERVANCE = Message(sq="Dita e shënuar", en="Observance")
DATE = Message(sq="Data", en="Date")
HELD_IN = Message(sq="Aktivitete të realizuara në {year}", en="Activities held in {year}")
PLANNED_FOR = Message(
    sq="Aktivitete të planifikuara për {year}", en="Activities planned for {year}"
)
REGIONS_HELD = Message(sq="Qarqet që i realizuan", en="Regions that held them")
OCTOBER = Message(sq="tetor {year}", en="October {year}")
SUMMARY_TITLE = Message(
    sq="Kalendari kombëtar sipas ditës së shënuar dhe qarkut",
    en="National calendar by observance and region",
)
SUMMARY_NOTE = Message(
    sq="Numri i aktiviteteve të kalendarit kombëtar; lista e plotë është në shtojcë.",
    en="Number of national-calendar activities; the full list is in the annex.",
)
NO_OBSERVANCE = Message(sq="pa ditë të shënuar", en="no observance")
_IN_YEAR: tuple[Observance | None, ...] = (
    Observance.WORLD_DAY,
    Observance.OCTOBER_MONTH,
    Observance.EU_DAY,
    Observance.OTHER,
    None,
)
"""The observances in the order of the year (30 July, October, 18 October)."""
_SHORT: dict[Observance | None, Message] = {
    Observance.WORLD_DAY: Message(sq="Dita Botërore (30 korrik)", en="World Day (30 July)"),
    Observance.OCTOBER_MONTH: Message(
        sq="Muaji antitrafik (tetor)", en="Anti-trafficking month (October)"
    ),
    Observance.EU_DAY: Message(sq="Dita Evropiane (18 tetor)", en="EU Day (18 October)"),
}
"""Short column headers of the observances on a page (the full names are long)."""

_WHEN = attrgetter("observance", "start.year", "status")
_OBSERVANCE = attrgetter("observance")
_IN_CALENDAR = attrgetter("national_calendar")

_OPEN = (
    ObjectiveStatus.NOT_STARTED,
    ObjectiveStatus.IN_PROGRESS,
    ObjectiveStatus.PARTIALLY_ACHIEVED,
    ObjectiveStatus.NOT_ACHIEVED,
)


def objectives_ahead(data: ReportData) -> Table:
    """The objectives of the coming year, or this year's objectives to carry over."""
    year = data.year + 1
    objectives = data.objectives()
    planned = [o for o in objectives if o.year >= year]
    chosen = planned or [o for o in objectives if o.year < year and o.status in _OPEN]
    note = (
        Label.say(AHEAD_PLANNED_NOTE, year=year)
        if planned
        else Label.say(AHEAD_CARRIED_NOTE, year=year, current=data.year)
    )
    rows: list[tuple[Cell, ...]] = []
    for o in sorted(chosen, key=lambda o: o.id):
        label: list[Cell] = [Label(o.title, o.title_en)]
        if data.national:
            label.insert(0, Label.of(REGIONS[o.id[:5]]) if o.id[:5] in REGIONS else "")
        rows.append((*label, Label.of(o.pillar), Label.of(o.status), o.deadline, "", ""))
    header: list[Message | Label] = [OBJECTIVE]
    if data.national:
        header.insert(0, REGION)
    header += [PILLAR, Label.say(STATUS_NOW, year=data.year), DEADLINE, NEW_DEADLINE, DECISION]
    return Table(
        key="objectives_ahead",
        section="outlook",
        title=Label.say(AHEAD_TITLE, year=year),
        header=tuple(header),
        rows=tuple(rows),
        label_cols=2 if data.national else 1,
        note=note,
    )


def calendar_ahead(data: ReportData) -> Table:
    """The observances of the coming year, with this year's activities for each
    and those already planned for the coming year."""
    year = data.year + 1
    fixed = (
        (Observance.WORLD_DAY, date(year, 7, 30)),
        (Observance.EU_DAY, date(year, 10, 18)),
        (Observance.OCTOBER_MONTH, None),
    )
    held: Counter[Observance] = Counter()
    planned: Counter[Observance] = Counter()
    regions: dict[Observance, set[str]] = {o: set() for o, _ in fixed}
    this_year = data.year
    for s in data.submissions:
        for (observance, start, status), n in Counter(map(_WHEN, s.activities)).items():
            if observance is None:
                continue
            if start == this_year and held_status(status):
                held[observance] += n
                regions.setdefault(observance, set()).add(s.region)
            elif start == year:
                planned[observance] += n
    rows: list[tuple[Cell, ...]] = []
    for observance, day in fixed:
        when: Cell = day if day is not None else Label.say(OCTOBER, year=year)
        names = sorted(regions.get(observance, ()), key=REGION_CODES.index)
        region_text = Label(
            ", ".join(REGIONS[r].sq for r in names), ", ".join(REGIONS[r].en for r in names)
        )
        rows.append(
            (Label.of(observance), when, held[observance], planned[observance], region_text)
        )
    header: tuple[Message | Label, ...] = (
        OBSERVANCE,
        DATE,
        Label.say(HELD_IN, year=data.year),
        Label.say(PLANNED_FOR, year=year),
        REGIONS_HELD,
    )
    return Table(
        key="calendar_ahead",
        section="outlook",
        title=Label.say(CALENDAR_AHEAD_TITLE, year=year),
        header=header if data.national else header[:4],
        rows=tuple(rows) if data.national else tuple(r[:4] for r in rows),
        note=Label.say(CALENDAR_AHEAD_NOTE, year=year),
    )


def calendar_summary(data: ReportData) -> Table:
    """This year's national-calendar activities counted by observance: in the
    national report one row per region and a column per observance (with a
    total row and column; upright on a page), in a region's report one row per
    observance."""
    counts: Counter[tuple[Observance | None, str]] = Counter()
    for s in data.submissions:
        for observance, n in Counter(map(_OBSERVANCE, filter(_IN_CALENDAR, s.activities))).items():
            counts[(observance, s.region)] += n
    observances = [o for o in _IN_YEAR if any(k[0] == o for k in counts)]

    def label(o: Observance | None) -> Message | Label:
        return Label.of(o) if o is not None else NO_OBSERVANCE

    numbers: list[tuple[Cell, list[int]]] = []
    header: tuple[Message | Label, ...]
    if data.national:
        for r in (r for r in REGION_CODES if any(k[1] == r for k in counts)):
            values = [counts[(o, r)] for o in observances]
            numbers.append((Label(REGIONS[r].sq, REGIONS[r].en), [*values, sum(values)]))
        header = (REGION, *(label(o) for o in observances), TOTAL)
        layout = Layout(short={1 + j: _SHORT[o] for j, o in enumerate(observances) if o in _SHORT})
    else:
        for o in observances:
            numbers.append((label(o), [sum(n for (k, _), n in counts.items() if k == o)]))
        header = (OBSERVANCE, TOTAL)
        layout = Layout()
    if numbers:
        width = len(numbers[0][1])
        numbers.append((TOTAL, [sum(v[j] for _, v in numbers) for j in range(width)]))
    rows = [(name, *values) for name, values in numbers]
    return Table(
        key="calendar_summary",
        section="activities",
        title=SUMMARY_TITLE,
        header=header,
        rows=tuple(rows),
        note=SUMMARY_NOTE,
        layout=layout,
    )
