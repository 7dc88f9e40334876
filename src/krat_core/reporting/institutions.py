"""The institutions' performance: cases identified and referred, activities
held, objectives achieved, in one dataset and year over year.

Institutions are matched by id, which is stable across years. Cases are
:class:`~krat_core.reporting.tables.Count` cells (under disclosure control);
activities and objectives are plain integers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Literal

from krat_core.format.codelists import ObjectiveStatus
from krat_core.format.regions import REGIONS
from krat_core.messages import Message
from krat_core.reporting.data import ReportData, held_status, median
from krat_core.reporting.labels import REGION
from krat_core.reporting.tables import Cell, Count, Label, Layout, Stat, Table, Wording
from krat_core.reporting.tally import CaseTally, tally_cases

if TYPE_CHECKING:
    from krat_core.format.models import Institution, Submission

__all__ = [
    "BETTER",
    "InstitutionMetrics",
    "change_columns",
    "institution_comparison",
    "institution_metrics",
    "institution_performance",
]

INSTITUTION = Message(sq="Institucioni", en="Institution")
TYPE = Message(sq="Lloji", en="Type")
IDENTIFIED = Message(sq="Raste të identifikuara", en="Cases identified")
MEDIAN_DAYS = Message(sq="Mediana e ditëve deri te referimi", en="Median days to referral")
ACTIVITIES_HELD = Message(sq="Aktivitete të realizuara", en="Activities held")
ACTIVITIES_PLANNED = Message(sq="Aktivitete të planifikuara", en="Activities planned")
OBJECTIVES_ACHIEVED = Message(sq="Objektiva të realizuara", en="Objectives achieved")
PERFORMANCE_TITLE = Message(sq="Performanca e institucioneve", en="Performance of institutions")
PERFORMANCE_HEADER = (
    IDENTIFIED,
    Message(sq="Prej tyre të referuara", en="Of which referred"),
    MEDIAN_DAYS,
    ACTIVITIES_HELD,
    ACTIVITIES_PLANNED,
    OBJECTIVES_ACHIEVED,
    Message(sq="Objektiva në përgjegjësi", en="Objectives responsible for"),
)
COMPARISON_TITLE = Message(
    sq="Krahasim vit pas viti i performancës së institucioneve",
    en="Year-over-year comparison of the institutions' performance",
)
COMPARISON_NOTE = Message(
    sq="Bosh: institucioni nuk ishte në të dhënat e atij viti.",
    en="Empty: the institution was not in that year's data.",
)
CHANGE = Message(sq="ndryshimi", en="change")
CHANGE_BETWEEN = Message(sq="ndryshimi {before}–{after}", en="change {before}–{after}")
METRIC_IN = Message(sq="{metric} {period}", en="{metric} {period}")
METRIC_CHANGE = Message(sq="{metric}: {change}", en="{metric}: {change}")
DELTA = Message(sq="Δ", en="Δ")
DELTA_NOTE = Message(
    sq="Δ: {change}; ✓ ndryshim për mirë, ✗ për keq (shih «Metodologjia dhe shenjat»).",
    en="Δ: {change}; ✓ a change for the better, ✗ for the worse (see \u201cMethod and "
    "markers\u201d).",
)

_METRICS: tuple[tuple[str, Message], ...] = (
    ("identified", IDENTIFIED),
    ("referred", Message(sq="Raste të referuara", en="Cases referred")),
    ("median_days", MEDIAN_DAYS),
    ("activities_held", ACTIVITIES_HELD),
    ("activities_planned", ACTIVITIES_PLANNED),
    ("objectives_achieved", OBJECTIVES_ACHIEVED),
)
BETTER: Mapping[str, Literal["higher", "lower", "none"]] = {
    "identified": "none",
    "referred": "none",
    "median_days": "lower",
    "activities_held": "higher",
    "activities_planned": "higher",
    "objectives_achieved": "higher",
}
"""Which way each measure's change is better: fewer days to referral, more
activities held and planned, more objectives achieved. Counts of cases are not
assessed (more cases may mean better identification, or more trafficking)."""


@dataclass(slots=True)
class InstitutionMetrics:
    """One institution's performance in one dataset."""

    identified: int = 0
    referred: int = 0
    days: list[int] = field(default_factory=list)
    """The days to referral of the referred cases it identified, in no particular order."""
    activities_held: int = 0
    activities_planned: int = 0
    objectives_achieved: int = 0
    objectives_responsible: int = 0

    @property
    def median_days(self) -> float | None:
        """Median days from identification to referral of the cases it identified."""
        return median(self.days)


_ORGANISER_STATUS = attrgetter("organiser", "status")


def institution_metrics(submissions: Iterable[Submission]) -> dict[str, InstitutionMetrics]:
    """Performance of every institution (by id), in one pass over the records.

    Cases identified (``identified_by``) and how many of them were referred, with
    the median days to referral; activities organised (all = planned, completed
    = held); objectives it is responsible for, and how many were achieved.
    """
    subs = tuple(submissions)
    return _metrics(subs, tally_cases(c for s in subs for c in s.cases))


def _metrics(submissions: Sequence[Submission], tally: CaseTally) -> dict[str, InstitutionMetrics]:
    """:func:`institution_metrics`, the cases of ``submissions`` counted in ``tally``."""
    out: dict[str, InstitutionMetrics] = defaultdict(InstitutionMetrics)
    for s in submissions:
        for i in s.institutions:
            out[i.id]
        for (organiser, status), n in Counter(map(_ORGANISER_STATUS, s.activities)).items():
            m = out[organiser]
            m.activities_planned += n
            if held_status(status):
                m.activities_held += n
        for o in s.objectives:
            for responsible in dict.fromkeys(o.responsible):
                m = out[responsible]
                m.objectives_responsible += 1
                m.objectives_achieved += o.status is ObjectiveStatus.ACHIEVED
    for (_, identified_by, days), n in tally.referrals.items():
        if identified_by is None:
            continue
        m = out[identified_by]
        m.identified += n
        if days is not None:
            m.referred += n
            m.days.extend(repeat(days, n))
    return dict(out)


def _institution_label(inst_id: str, institutions: Mapping[str, Institution]) -> Label:
    inst = institutions.get(inst_id)
    return Label(inst.name) if inst is not None else Label(inst_id)


def _region_label(inst_id: str) -> Cell:
    reg = REGIONS.get(inst_id[:5])
    return Label.of(reg) if reg else inst_id[:5]


def institution_performance(data: ReportData) -> Table:
    """Each institution's cases identified and referred, median days to
    referral, activities held vs planned and objectives achieved."""
    institutions = data.institutions()
    metrics = _metrics(data.submissions, data.cases().tally)
    rows: list[tuple[Cell, ...]] = []
    shared: dict[tuple[int, int], str] = {}
    for inst_id in sorted(metrics):
        m = metrics[inst_id]
        inst = institutions.get(inst_id)
        label: list[Cell] = [
            _institution_label(inst_id, institutions),
            Label.of(inst.type) if inst is not None else "",
        ]
        if data.national:
            label.insert(0, _region_label(inst_id))
        if not data.national:
            shared[(len(rows), len(label))] = f"cases.identified_by.{inst_id}"
        rows.append(
            (
                *label,
                Count(m.identified),
                Count(m.referred),
                Stat(m.median_days, (m.referred,)),
                m.activities_held,
                m.activities_planned,
                m.objectives_achieved,
                m.objectives_responsible,
            )
        )
    header: list[Wording] = [INSTITUTION, TYPE]
    if data.national:
        header.insert(0, REGION)
    return Table(
        key="institution_performance",
        section="institutions",
        title=PERFORMANCE_TITLE,
        header=(*header, *PERFORMANCE_HEADER),
        rows=tuple(rows),
        label_cols=len(header),
        shared=shared,
        layout=Layout(group=0 if data.national else None),
    )


def _metric_cell(m: InstitutionMetrics | None, name: str) -> Cell:
    if m is None:
        return None
    if name == "identified":
        return Count(m.identified)
    if name == "referred":
        return Count(m.referred)
    if name == "median_days":
        return Stat(m.median_days, (m.referred,))
    value: int = getattr(m, name)
    return value


def _change(before: Cell, after: Cell, of: tuple[int, int]) -> Cell:
    """The change from ``before`` to ``after`` (the cells in columns ``of``)."""
    if before is None or after is None:
        return None
    if isinstance(before, Count) and isinstance(after, Count):
        return Stat(after.value - before.value, (before.value, after.value), of)
    if isinstance(before, Stat) and isinstance(after, Stat):
        if before.value is None or after.value is None:
            return Stat(None, (), of)
        return Stat(round(after.value - before.value, 1), before.bases + after.bases, of)
    if isinstance(before, int) and isinstance(after, int):
        return after - before
    return None


def institution_comparison(current: ReportData, previous: Sequence[ReportData]) -> Table:
    """Each institution's performance in every period given, with the change
    from the period before the current one: one row per institution, for each
    measure a column per period and one for the change.

    Institutions are matched by id, which is stable across years. The national
    report adds the region (a page groups the rows by it). A page shows, for
    each measure, the period before the current one, the current one and the
    change; every period is in the workbook and the CSV files.
    """
    datasets = sorted([*previous, current], key=lambda d: d.period)
    metrics = [_metrics(d.submissions, d.cases().tally) for d in datasets]
    names: dict[str, Institution] = {}
    for d in datasets:
        names.update(d.institutions())
    now = datasets.index(current)
    before = now - 1
    ids = sorted(set().union(*metrics))
    nlab = 2 if current.national else 1
    width = len(datasets) + (before >= 0)  # columns per measure
    rows: list[tuple[Cell, ...]] = []
    shared: dict[tuple[int, int], str] = {}
    for inst_id in ids:
        label: list[Cell] = [_institution_label(inst_id, names)]
        if current.national:
            label.insert(0, _region_label(inst_id))
        else:  # the same number as the institution's row of the identifying-institution table
            shared[(len(rows), nlab + now)] = f"cases.identified_by.{inst_id}"
        cells: list[Cell] = []
        for name, _ in _METRICS:
            first = nlab + len(cells)
            values = [_metric_cell(ms.get(inst_id), name) for ms in metrics]
            cells += values
            if before >= 0:
                cells.append(_change(values[before], values[now], (first + before, first + now)))
        rows.append((*label, *cells))
    change: Wording = (
        Label.say(CHANGE_BETWEEN, before=datasets[before].period, after=current.period)
        if before >= 0
        else CHANGE
    )
    header: list[Wording] = [INSTITUTION]
    if current.national:
        header.insert(0, REGION)
    columns: list[int] = list(range(nlab))
    short: dict[int, Wording] = {}
    bands: list[tuple[Wording | None, int]] = [(None, 1)] * (nlab - (1 if current.national else 0))
    changes: dict[int, Literal["higher", "lower", "none"]] = {}
    for name, metric_label in _METRICS:
        first = len(header)
        header += [Label.say(METRIC_IN, metric=metric_label, period=d.period) for d in datasets]
        page = [first + now]
        if before >= 0:
            header.append(Label.say(METRIC_CHANGE, metric=metric_label, change=change))
            page = [first + before, first + now, first + width - 1]
            short[first + width - 1] = DELTA
            changes[first + width - 1] = BETTER[name]
        for col in page[: 2 if before >= 0 else 1]:
            short[col] = Label(datasets[col - first].period)
        columns += page
        bands.append((metric_label, len(page)))
    return Table(
        key="institution_comparison",
        section="institutions",
        title=COMPARISON_TITLE,
        header=tuple(header),
        rows=tuple(rows),
        label_cols=nlab,
        note=COMPARISON_NOTE,
        shared=shared,
        layout=Layout(
            columns=tuple(columns),
            group=0 if current.national else None,
            bands=tuple(bands),
            short=short,
            note=Label.say(DELTA_NOTE, change=change) if before >= 0 else None,
            changes=changes,
        ),
    )


def change_columns(table: Table) -> list[tuple[Message, int, Literal["higher", "lower", "none"]]]:
    """The measures of a year-over-year table made by :func:`institution_comparison`
    (in its order): each measure's name, the column of its change and which way
    is better. Empty when the table has no change (nothing compared)."""
    columns = sorted(table.layout.changes)
    if len(columns) != len(_METRICS):
        return []
    return [
        (label, col, table.layout.changes[col])
        for (_, label), col in zip(_METRICS, columns, strict=True)
    ]
