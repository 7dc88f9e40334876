"""The tables of the committee's work: activities by type and month, their
participants, the national anti-trafficking calendar, and the action plan's
objectives and indicators.

Activities, participants in public events and objectives are not counts of
victims: their figures are plain integers, not subject to disclosure control.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from operator import attrgetter
from typing import TYPE_CHECKING

from krat_core.format.codelists import (
    ActivityStatus,
    ActivityType,
    CodeList,
    ObjectiveStatus,
    Pillar,
)
from krat_core.format.regions import REGIONS, Region
from krat_core.messages import Message
from krat_core.reporting.data import is_held
from krat_core.reporting.labels import NOT_RECORDED, REGION, STATUS, TOTAL
from krat_core.reporting.tables import Cell, Label, Layout, Table

if TYPE_CHECKING:
    from krat_core.format.models import Activity, Institution, Objective

__all__ = [
    "MONTHS",
    "activities_by_month",
    "activities_by_type",
    "national_calendar",
    "objectives_by_status",
    "objectives_table",
    "participants_by_sex",
]

MONTHS: tuple[Message, ...] = (
    Message(sq="janar", en="January"),
    Message(sq="shkurt", en="February"),
    Message(sq="mars", en="March"),
    Message(sq="prill", en="April"),
    Message(sq="maj", en="May"),
    Message(sq="qershor", en="June"),
    Message(sq="korrik", en="July"),
    Message(sq="gusht", en="August"),
    Message(sq="shtator", en="September"),
    Message(sq="tetor", en="October"),
    Message(sq="nëntor", en="November"),
    Message(sq="dhjetor", en="December"),
)
"""The months, January first, as the tables name them."""

HELD = Message(sq="Aktivitete të realizuara", en="Activities held")
PARTICIPANTS = Message(sq="Pjesëmarrës", en="Participants")
SEX = Message(sq="Gjinia", en="Sex")
TYPE_TITLE = Message(sq="Aktivitetet sipas llojit", en="Activities by type")
TYPE_HEADER = (
    Message(sq="Lloji i aktivitetit", en="Type of activity"),
    Message(sq="Të planifikuara", en="Planned"),
    Message(sq="Të realizuara", en="Held"),
    Message(sq="Të anuluara ose të shtyra", en="Cancelled or postponed"),
    Message(sq="Pjesëmarrës femra", en="Participants, female"),
    Message(sq="Pjesëmarrës meshkuj", en="Participants, male"),
    Message(sq="Pjesëmarrës gjithsej", en="Participants, total"),
)
TYPE_NOTE = Message(
    sq="Të planifikuara: të gjitha aktivitetet e regjistruara, në çdo status. "
    "Pjesëmarrësit numërohen vetëm për aktivitetet e realizuara.",
    en="Planned: every activity recorded, in any status. Participants are counted for "
    "activities held only.",
)
MONTH_TITLE = Message(sq="Aktivitetet e realizuara sipas muajit", en="Activities held by month")
MONTH = Message(sq="Muaji", en="Month")
FEMALE = Message(sq="Femra", en="Female")
MALE = Message(sq="Meshkuj", en="Male")
SEX_TITLE = Message(sq="Pjesëmarrësit sipas gjinisë", en="Participants by sex")
CALENDAR_TITLE = Message(
    sq="Kalendari kombëtar antitrafik", en="National anti-trafficking calendar"
)
CALENDAR_HEADER = (
    Message(sq="Data e fillimit", en="Start"),
    Message(sq="Data e mbarimit", en="End"),
    Message(sq="Aktiviteti", en="Activity"),
    Message(sq="Lloji", en="Type"),
    Message(sq="Rasti i shënuar", en="Observance"),
    Message(sq="Vendi", en="Place"),
    Message(sq="Organizatori", en="Organiser"),
    STATUS,
)
CALENDAR_NOTE = Message(
    sq="Data e mbarimit mungon kur aktiviteti zgjat një ditë.",
    en="No end date: a one-day activity.",
)
DATE = Message(sq="Data", en="Date")
OBJECTIVES_TITLE = Message(
    sq="Plani i veprimit: objektivat dhe treguesit", en="Action plan: objectives and indicators"
)
OBJECTIVES_HEADER = (
    Message(sq="Kodi", en="Id"),
    Message(sq="Shtylla", en="Pillar"),
    Message(sq="Objektivi", en="Objective"),
    Message(sq="Institucionet përgjegjëse", en="Responsible institutions"),
    Message(sq="Afati", en="Deadline"),
    STATUS,
    Message(sq="Treguesi", en="Indicator"),
    Message(sq="Njësia", en="Unit"),
    Message(sq="Vlera bazë", en="Baseline"),
    Message(sq="Synimi", en="Target"),
    Message(sq="Vlera e arritur", en="Actual"),
    Message(sq="% e synimit", en="% of target"),
)
OBJECTIVES_PAGE_NOTE = Message(
    sq="Kodet, institucionet përgjegjëse dhe vlerat bazë janë në fletën e punës "
    "(Excel) dhe në skedarët CSV.",
    en="The ids, the responsible institutions and the baselines are in the workbook "
    "(Excel) and the CSV files.",
)
STATUS_TITLE = Message(
    sq="Objektivat sipas statusit dhe shtyllës", en="Objectives by status and pillar"
)


# --------------------------------------------------------------------------- activities


def activities_by_type(activities: Sequence[Activity]) -> Table:
    """Activities by type: planned (all), held, cancelled or postponed, participants by sex."""
    rows: list[tuple[Cell, ...]] = []
    acc: dict[ActivityType, list[int]] = {t: [0] * 6 for t in ActivityType}
    for a in activities:
        v = acc[a.type]
        v[0] += 1
        if is_held(a):
            v[1] += 1
            if a.participants is not None:
                v[3] += a.participants.female or 0
                v[4] += a.participants.male or 0
                v[5] += a.participants.total
        elif a.status in (ActivityStatus.CANCELLED, ActivityStatus.POSTPONED):
            v[2] += 1
    totals = [0] * 6
    for t in ActivityType:
        v = acc[t]
        if v[0]:
            rows.append((Label.of(t), *v))
            totals = [x + y for x, y in zip(totals, v, strict=True)]
    rows.append((TOTAL, *totals))
    return Table(
        key="activities_type",
        section="activities",
        title=TYPE_TITLE,
        header=TYPE_HEADER,
        rows=tuple(rows),
        note=TYPE_NOTE,
    )


def activities_by_month(activities: Sequence[Activity]) -> Table:
    """Activities held, and their participants, by month of the start day."""
    held = [0] * 12
    people = [0] * 12
    for a in activities:
        if is_held(a):
            held[a.start.month - 1] += 1
            if a.participants is not None:
                people[a.start.month - 1] += a.participants.total
    rows: list[tuple[Cell, ...]] = [(MONTHS[m], held[m], people[m]) for m in range(12)]
    rows.append((TOTAL, sum(held), sum(people)))
    return Table(
        key="activities_month",
        section="activities",
        title=MONTH_TITLE,
        header=(MONTH, HELD, PARTICIPANTS),
        rows=tuple(rows),
    )


def participants_by_sex(activities: Sequence[Activity]) -> Table:
    """Participants in activities held: female, male, sex not recorded, total."""
    female = male = total = 0
    for a in activities:
        if is_held(a) and a.participants is not None:
            female += a.participants.female or 0
            male += a.participants.male or 0
            total += a.participants.total
    rows: tuple[tuple[Cell, ...], ...] = (
        (FEMALE, female),
        (MALE, male),
        (NOT_RECORDED, max(0, total - female - male)),
        (TOTAL, total),
    )
    return Table(
        key="participants_sex",
        section="activities",
        title=SEX_TITLE,
        header=(SEX, PARTICIPANTS),
        rows=rows,
    )


def _calendar(activities: Iterable[Activity]) -> list[Activity]:
    return sorted(filter(_IN_CALENDAR, activities), key=_START_ID)


_IN_CALENDAR = attrgetter("national_calendar")
_START_ID = attrgetter("start", "id")


def _labels() -> Callable[[CodeList | Region], Label]:
    """:meth:`Label.of`, made once per value: one cache per code list, as values
    of two code lists may be equal strings."""
    return cache(Label.of)


def national_calendar(
    activities: Sequence[Activity], institutions: Mapping[str, Institution], *, national: bool
) -> Table:
    """The activities of the national anti-trafficking calendar, by date, with
    place and organiser (and region, in the national report)."""
    rows: list[tuple[Cell, ...]] = []
    type_label, observance_label, status_label = _labels(), _labels(), _labels()

    @cache
    def region_label(code: str) -> Label:
        return Label.of(REGIONS[code])

    for a in _calendar(activities):
        inst = institutions.get(a.organiser)
        place, municipality = a.place, a.municipality
        start, end = a.start, a.end
        observance = a.observance
        row: tuple[Cell, ...] = (
            start,
            end if end is not None and end != start else None,
            Label(a.title, a.title_en),
            type_label(a.type),
            observance_label(observance) if observance is not None else "",
            f"{place}, {municipality}" if place and municipality else place or municipality or "",
            inst.name if inst is not None else a.organiser,
            status_label(a.status),
        )
        if national:
            row = (*row[:2], region_label(a.id[:5]), *row[2:])
        rows.append(row)
    header = list(CALENDAR_HEADER)
    if national:
        header.insert(2, REGION)
    return Table(
        key="national_calendar",
        section="activities",
        title=CALENDAR_TITLE,
        header=tuple(header),
        rows=tuple(rows),
        label_cols=0,
        note=CALENDAR_NOTE,
        layout=Layout(join=((0, 1),), short={0: DATE}),
    )


# --------------------------------------------------------------------------- objectives


def objectives_table(
    objectives: Sequence[Objective],
    institutions: Mapping[str, Institution],
    *,
    national: bool = False,
) -> Table:
    """Each objective of the action plan with its status and each indicator's
    baseline, target, actual value and share of the target reached (the
    national report adds the region, by which a page groups the rows)."""
    rows: list[tuple[Cell, ...]] = []
    for o in sorted(objectives, key=lambda o: o.id):
        responsible = "; ".join(
            institutions[i].name if i in institutions else i for i in o.responsible
        )
        region: tuple[Cell, ...] = ()
        if national:
            reg = REGIONS.get(o.id[:5])
            region = (Label.of(reg) if reg is not None else o.id[:5],)
        head: tuple[Cell, ...] = (
            *region,
            o.id,
            Label.of(o.pillar),
            Label(o.title, o.title_en),
            responsible,
            o.deadline,
            Label.of(o.status),
        )
        if not o.indicators:
            rows.append((*head, "", "", None, None, None, None))
        for ind in o.indicators:
            share = (
                round(100 * ind.actual / ind.target, 1)
                if ind.actual is not None and ind.target
                else None
            )
            rows.append(
                (*head, ind.name, ind.unit or "", ind.baseline, ind.target, ind.actual, share)
            )
    k = 1 if national else 0  # column offset of the id
    return Table(
        key="objectives",
        section="plan",
        title=OBJECTIVES_TITLE,
        header=((REGION, *OBJECTIVES_HEADER) if national else OBJECTIVES_HEADER),
        rows=tuple(rows),
        label_cols=0,
        # A page: objective, pillar, deadline, status, indicator, unit, target,
        # actual, % of target; the objective's cells once for all its indicators.
        layout=Layout(
            columns=(k + 2, k + 1, k + 4, k + 5, k + 6, k + 7, k + 9, k + 10, k + 11),
            group=0 if national else None,
            repeat_key=k,
            repeat_cols=(k + 2, k + 1, k + 4, k + 5),
            note=OBJECTIVES_PAGE_NOTE,
        ),
    )


def objectives_by_status(objectives: Sequence[Objective]) -> Table:
    """Objectives by status and pillar (4P)."""
    counter: Counter[tuple[ObjectiveStatus, Pillar]] = Counter(
        (o.status, o.pillar) for o in objectives
    )
    rows: list[tuple[Cell, ...]] = []
    for st in ObjectiveStatus:
        values = [counter[(st, p)] for p in Pillar]
        rows.append((Label.of(st), *values, sum(values)))
    col_totals = [sum(counter[(st, p)] for st in ObjectiveStatus) for p in Pillar]
    rows.append((TOTAL, *col_totals, sum(col_totals)))
    return Table(
        key="objectives_status",
        section="plan",
        title=STATUS_TITLE,
        header=(STATUS, *(Label.of(p) for p in Pillar), TOTAL),
        rows=tuple(rows),
    )
