"""The report: every table computed once from the records, protected, in order.

This is the ONE place where a report's figures are put together; the exporters
(Word, Excel, CSV...) only render the :class:`Report` built here. The tables
come from :mod:`~krat_core.reporting.cases`,
:mod:`~krat_core.reporting.activities` and
:mod:`~krat_core.reporting.institutions`; :func:`build_report` applies the
disclosure control (:mod:`krat_core.reporting.disclosure`) and then copies the
key figures from the protected tables. Functions are pure: nothing is printed,
written or cached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from krat_core.errors import ComparisonMismatch, ReportOptionError
from krat_core.format.codelists import CaseStatus, ObjectiveStatus
from krat_core.format.regions import REGION_CODES, REGIONS
from krat_core.messages import Message
from krat_core.reporting.activities import (
    activities_by_month,
    activities_by_type,
    national_calendar,
    objectives_by_status,
    objectives_table,
    participants_by_sex,
)
from krat_core.reporting.cases import (
    assistance_by_type,
    cases_by_citizenship,
    cases_by_exploitation,
    cases_by_identification_source,
    cases_by_identifying_institution,
    cases_by_region,
    cases_by_scope,
    cases_by_sex,
    cases_by_status_sex,
    cases_by_year,
    referral,
)
from krat_core.reporting.comparison import comparison_tables
from krat_core.reporting.data import ReportData, report_data
from krat_core.reporting.institutions import institution_comparison, institution_performance
from krat_core.reporting.labels import MINORS, PEOPLE_NOTE, REGION
from krat_core.reporting.outlook import calendar_ahead, calendar_summary, objectives_ahead
from krat_core.reporting.release import protect_release
from krat_core.reporting.summary import executive_summary
from krat_core.reporting.tables import Cell, Chart, Count, Label, Table

if TYPE_CHECKING:
    from krat_core.format.models import Submission
    from krat_core.format.models.national import NationalDataset

__all__ = [
    "SECTIONS",
    "Report",
    "build_report",
    "build_tables",
    "completeness",
    "key_figures",
]

SECTIONS: tuple[tuple[str, Message], ...] = (
    ("key", Message(sq="Shifrat kryesore", en="Key figures")),
    ("cases", Message(sq="Rastet e identifikuara", en="Identified cases")),
    ("referral", Message(sq="Referimi dhe asistenca", en="Referral and assistance")),
    ("activities", Message(sq="Aktivitetet", en="Activities")),
    ("plan", Message(sq="Plani i veprimit", en="Action plan")),
    ("completeness", Message(sq="Plotësia e raportimit", en="Completeness of reporting")),
    ("institutions", Message(sq="Performanca e institucioneve", en="Performance of institutions")),
    (
        "comparison",
        Message(sq="Krahasimi me vitet e mëparshme", en="Comparison with earlier years"),
    ),
    ("outlook", Message(sq="Viti i ardhshëm", en="The coming year")),
)
"""The chapters of a report, in order, with their headings."""

RECEIVED = Message(sq="marrë", en="received")
SAME_PERIOD = Message(
    sq="një grup krahasimi i të dhënave mbulon {period}, të njëjtën periudhë si raporti; "
    "krahasoni me grupe të dhënash të periudhave të mëparshme",
    en="a comparison dataset covers {period}, the same period as the report; "
    "compare with datasets of earlier periods",
)
NATIONAL = Message(sq="kombëtar", en="national")
OTHER_SCOPE = Message(
    sq="një grup krahasimi i të dhënave ({scope}, {period}) nuk ka të njëjtën shtrirje si "
    "raporti ({own})",
    en="a comparison dataset ({scope}, {period}) is not of the same scope as the report ({own})",
)
NOT_AN_ISO_DATE = Message(
    sq="data e raportit {date} nuk është datë ISO (YYYY-MM-DD)",
    en="report date {date} is not an ISO date (YYYY-MM-DD)",
)
MISSING = Message(sq="mungon", en="missing")
YES = Message(sq="po", en="yes")
NO = Message(sq="jo", en="no")
COMPLETENESS_TITLE = Message(
    sq="Plotësia e raportimit të qarqeve", en="Completeness of regional submissions"
)
COMPLETENESS_HEADER = (
    REGION,
    Message(sq="Periudha", en="Period"),
    Message(sq="Dorëzimi", en="Submission"),
    Message(sq="Dorëzuar më", en="Submitted on"),
    Message(sq="Me vonesë", en="Late"),
    Message(sq="Me gabime", en="With errors"),
    Message(sq="Versione të zëvendësuara", en="Superseded versions"),
    Message(sq="Aktivitete", en="Activities"),
    Message(sq="Objektiva", en="Objectives"),
    Message(sq="Institucione", en="Institutions"),
)
KEY_FIGURES = SECTIONS[0][1]
KEY_HEADER = (Message(sq="Treguesi", en="Figure"), Message(sq="Vlera", en="Value"))
CASES_TOTAL = Message(sq="Raste gjithsej", en="Cases, total")
CASES_REFERRED = Message(sq="Raste të referuara", en="Cases referred")
MEDIAN_DAYS = Message(
    sq="Mediana e ditëve nga identifikimi te referimi",
    en="Median days from identification to referral",
)
ACTIVITIES_HELD = Message(sq="Aktivitete të realizuara", en="Activities held")
PARTICIPANTS = Message(sq="Pjesëmarrës në aktivitete", en="Participants in activities")
OBJECTIVES = Message(sq="Objektiva të planit të veprimit", en="Objectives of the action plan")
OBJECTIVES_ACHIEVED = Message(sq="Objektiva të realizuara", en="Objectives achieved")
SUBMISSIONS_RECEIVED = Message(
    sq="Dorëzime të qarqeve të marra", en="Regional submissions received"
)
NATIONAL_TITLE = Message(
    sq="Raporti kombëtar i Komiteteve Rajonale Antitrafik",
    en="National report of the Regional Anti-Trafficking Committees",
)
REGIONAL_TITLE = Message(
    sq="Analiza vjetore e Komitetit Rajonal Antitrafik, Qarku {region}",
    en="Annual analysis of the Regional Anti-Trafficking Committee, {region} region",
)
# The report's own text (its title page), not a message of the library: it names the
# command-line option so that a reader knows how the document was made.
UNSUPPRESSED_NOTE = Message(
    sq="VETËM PËR PËRDORIM TË BRENDSHËM: ky raport është krijuar pa fshehjen e "
    "numrave të vegjël (--no-suppress) dhe nuk duhet publikuar.",
    en="FOR INTERNAL USE ONLY: this report was produced without small-cell "
    "suppression (--no-suppress) and must not be published.",
)
SUPPRESSION_NOTE = Message(
    sq="Numrat e personave nga 1 deri në {largest} fshihen, si edhe qelizat nga të cilat "
    "ata do të mund të llogariteshin; çdo qelizë e fshehur shënohet «x», që lexuesi të mos "
    "dallojë cilat janë të vogla. Numri 0 shfaqet gjithmonë.",
    en="Numbers of people from 1 to {largest} are hidden, and so are the cells from which "
    "they could be worked out; every hidden cell is marked \u201cx\u201d, so that a reader "
    "cannot tell which ones are small. Zero is always shown.",
)


# --------------------------------------------------------------------------- completeness


def completeness(data: ReportData) -> Table:
    """Completeness of the regional submissions (national report): each region
    and period, received or missing, late, invalid, superseded versions, and
    the records each accepted submission holds (cases are not shown here; they
    are in the case tables, under disclosure control)."""
    by_key = {(s.region, s.period): s for s in data.submissions}
    cells: list[tuple[str, str, Any]] = [(c.region, c.period, c) for c in data.completeness] or [
        (r, p, None) for p in data.periods for r in REGION_CODES
    ]

    def flag(value: bool | None) -> Cell:
        return "" if value is None else (YES if value else NO)

    rows: list[tuple[Cell, ...]] = []
    for region, period, cell in cells:
        sub = by_key.get((region, period))
        received = sub is not None if cell is None else cell.status == "received"
        submitted = sub.submitted_at.date() if sub is not None else None
        rows.append(
            (
                Label.of(REGIONS[region]),
                period,
                RECEIVED if received else MISSING,
                submitted,
                flag(cell.late if cell is not None else None),
                flag(cell.invalid if cell is not None else None),
                cell.superseded if cell is not None else 0,
                len(sub.activities) if sub is not None else None,
                len(sub.objectives) if sub is not None else None,
                len(sub.institutions) if sub is not None else None,
            )
        )
    return Table(
        key="completeness",
        section="completeness",
        title=COMPLETENESS_TITLE,
        header=COMPLETENESS_HEADER,
        rows=tuple(rows),
        label_cols=2,
    )


# --------------------------------------------------------------------------- key figures


@dataclass(frozen=True, slots=True)
class _KeyFigure:
    label: Message | Label
    source: tuple[str, int, int] | None  # (table key, row, col) to copy from
    value: Cell = None


def key_figures(tables: Mapping[str, Table], data: ReportData) -> Table:
    """The headline figures, copied from cells of the other tables (after
    disclosure control, so a figure suppressed there is suppressed here too)."""
    status = tables["referral"]
    rows_by_label = {r[0]: i for i, r in enumerate(status.rows) if isinstance(r[0], Label)}
    activities = tables["activities_type"].rows[-1]
    objectives = tables["objectives_status"].rows
    achieved = next(r[-1] for r in objectives if r[0] == Label.of(ObjectiveStatus.ACHIEVED))
    scope = tables["cases_scope"]
    total_scope = len(scope.rows) - 1
    last = len(status.rows) - 1
    figures: list[_KeyFigure] = [_KeyFigure(CASES_TOTAL, ("referral", last, 3))]
    for st in (CaseStatus.VICTIM, CaseStatus.POTENTIAL_VICTIM):
        row = rows_by_label.get(Label.of(st))
        if row is not None:
            figures.append(_KeyFigure(Label.of(st), ("referral", row, 3)))
    figures += [
        _KeyFigure(MINORS, ("cases_scope", total_scope, 1)),
        _KeyFigure(CASES_REFERRED, ("referral", last, 1)),
        _KeyFigure(MEDIAN_DAYS, ("referral", last, 4)),
        _KeyFigure(ACTIVITIES_HELD, None, activities[2]),
        _KeyFigure(PARTICIPANTS, None, activities[6]),
        _KeyFigure(OBJECTIVES, None, objectives[-1][-1]),
        _KeyFigure(OBJECTIVES_ACHIEVED, None, achieved),
    ]
    if data.national:
        received = sum(1 for r in tables["completeness"].rows if r[2] == RECEIVED)
        figures.insert(
            0,
            _KeyFigure(
                SUBMISSIONS_RECEIVED, None, f"{received} / {len(tables['completeness'].rows)}"
            ),
        )
    rows = tuple(
        (f.label, tables[f.source[0]].rows[f.source[1]][f.source[2]] if f.source else f.value)
        for f in figures
    )
    return Table(
        key="key_figures",
        section="key",
        title=KEY_FIGURES,
        header=KEY_HEADER,
        rows=rows,
        note=PEOPLE_NOTE,
    )


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class Report:
    """Everything an exporter renders: what the report is about, and its tables and charts.

    ``suppress`` is the small-cell threshold applied (None: not applied, internal use).
    """

    data: ReportData
    generated_on: date
    suppress: int | None
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...]
    compared: tuple[str, ...] = ()
    summary: tuple[Label, ...] = ()
    """The executive summary's sentences, from the published tables
    (:mod:`krat_core.reporting.summary`)."""

    @property
    def national(self) -> bool:
        """Whether this is the national report."""
        return self.data.national

    def table(self, key: str) -> Table:
        """The table called ``key``; KeyError if the report has none."""
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def has(self, key: str) -> bool:
        """Whether the report has a table called ``key``."""
        return any(t.key == key for t in self.tables)

    def title(self, lang: str = "sq") -> str:
        """The report's title: the annual analysis of a region, or the national report."""
        if self.national:
            return NATIONAL_TITLE.text(lang)
        region = Label.of(REGIONS[self.data.region or ""])
        return REGIONAL_TITLE.text(lang, region=region.text(lang))

    def suppression_note(self) -> Label:
        """What the reader must know about small-cell suppression in this report,
        in both languages."""
        n = self.suppress
        if n is None:
            return Label.say(UNSUPPRESSED_NOTE)
        return Label.say(SUPPRESSION_NOTE, n=n, largest=n - 1)


def _charts(tables: Mapping[str, Table]) -> tuple[Chart, ...]:
    charts: list[Chart] = []

    def interior(t: Table) -> tuple[int, ...]:
        return t.grid.rows if t.grid is not None else tuple(range(len(t.rows) - 1))

    t = tables["cases_exploitation"]
    charts.append(Chart("chart_exploitation", t.key, t.title, "bar", 0, (3,), interior(t)))
    if "cases_year" in tables:
        t = tables["cases_year"]
        # stacked by status: one series per status column that has any case
        statuses = tuple(
            c
            for c in range(1, len(t.header) - 1)
            if any(not isinstance(r[c], Count) or r[c].value for r in t.rows)  # type: ignore[union-attr]
        )
        charts.append(
            Chart(
                "chart_year",
                t.key,
                t.title,
                "column",
                0,
                statuses or (len(t.header) - 1,),
                interior(t),
            )
        )
    t = tables["activities_month"]
    charts.append(Chart("chart_month", t.key, t.title, "column", 0, (1,), tuple(range(12))))
    t = tables["objectives_status"]
    charts.append(
        Chart(
            "chart_objectives",
            t.key,
            t.title,
            "bar",
            0,
            (len(t.header) - 1,),
            tuple(range(len(t.rows) - 1)),
        )
    )
    return tuple(charts)


def build_tables(data: ReportData, previous: Sequence[ReportData] = ()) -> dict[str, Table]:
    """Every table of the report except the key figures, unprotected, keyed and in order."""
    cases = data.cases()
    activities = data.activities()
    objectives = data.objectives()
    institutions = data.institutions()
    tables: list[Table] = [cases_by_status_sex(cases), cases_by_sex(cases)]
    if data.national:
        tables.append(cases_by_region(data.submissions))
    tables += [
        cases_by_exploitation(cases),
        cases_by_scope(cases),
        cases_by_citizenship(cases),
        cases_by_identifying_institution(cases, institutions, by_type=data.national),
        cases_by_identification_source(cases),
        referral(cases),
        assistance_by_type(cases),
        activities_by_type(activities),
        participants_by_sex(activities),
        activities_by_month(activities),
        national_calendar(activities, institutions, national=data.national),
        calendar_summary(data),
        objectives_by_status(objectives),
        objectives_table(objectives, institutions, national=data.national),
    ]
    if data.national:
        tables.append(completeness(data))
    tables.append(institution_performance(data))
    if previous:
        tables.append(cases_by_year(data, previous))
        tables.append(institution_comparison(data, previous))
    tables += [objectives_ahead(data), calendar_ahead(data)]
    return {t.key: t for t in tables}


SUMMARY_LABELS: Mapping[str, Message] = {
    "cases_total": CASES_TOTAL,
    "cases_referred": CASES_REFERRED,
    "median_days": MEDIAN_DAYS,
    "activities_held": ACTIVITIES_HELD,
    "objectives": OBJECTIVES,
    "objectives_achieved": OBJECTIVES_ACHIEVED,
    "received": RECEIVED,
    "yes": YES,
}
"""The row labels the executive summary reads its figures from."""


def _compared(
    current: Mapping[str, Table],
    data: ReportData,
    previous: Sequence[ReportData],
    suppress: int | None,
) -> dict[str, Table]:
    """The comparison tables: each earlier dataset's tables are protected on their
    own, and only their published cells are compared
    (:mod:`krat_core.reporting.comparison`)."""
    earlier: list[tuple[str, Mapping[str, Table]]] = []
    for p in previous:
        protected = protect_release(build_tables(p), suppress)  # each year audited as a release
        earlier.append((p.period, {"key_figures": key_figures(protected, p), **protected}))
    return {t.key: t for t in comparison_tables(current, data.period, earlier)}


def build_report(
    dataset: Submission | NationalDataset | ReportData,
    *,
    compare: Sequence[Submission | NationalDataset | ReportData] = (),
    suppress: int | None = 5,
    generated_on: date | str | None = None,
) -> Report:
    """Compute every table of the report on ``dataset`` and apply disclosure control.

    Args:
        dataset: a regional submission (regional report) or a national dataset.
        compare: datasets of earlier periods for the year-over-year tables.
        suppress: small-cell threshold N (counts 1..N-1 hidden as "x"); None: off.
        generated_on: the report date (ISO string or date); None: today.

    Raises:
        UnsupportedDataset: a dataset that is not a submission or national dataset.
        ComparisonMismatch: a comparison dataset of the same period or another scope.
        ReportOptionError: a threshold below 3 or a report date that is not ISO.
    """
    data = report_data(dataset)
    previous = [report_data(d) for d in compare]
    for p in previous:
        if p.period == data.period:
            raise ComparisonMismatch(SAME_PERIOD.both(period=p.period))
        if p.national != data.national or (not data.national and p.region != data.region):
            raise ComparisonMismatch(
                OTHER_SCOPE.both(
                    scope=NATIONAL.both() if p.national else p.region,
                    period=p.period,
                    own=NATIONAL.both() if data.national else data.region,
                )
            )
    if isinstance(generated_on, str):
        try:
            generated_on = date.fromisoformat(generated_on)
        except ValueError:
            raise ReportOptionError(NOT_AN_ISO_DATE.both(date=repr(generated_on))) from None
    from krat_core.format.canonical import gc_paused

    with gc_paused():  # many small acyclic tuples; see krat_core.format.canonical.gc_paused
        tables = build_tables(data, previous)
    protected = protect_release(tables, suppress)  # one audit for the whole release
    ordered = {"key_figures": key_figures(protected, data), **protected}
    ordered.update(_compared(ordered, data, previous, suppress))
    latest = max((p.period for p in previous), default=None)
    return Report(
        data=data,
        generated_on=generated_on or date.today(),
        suppress=suppress,
        tables=tuple(ordered.values()),
        charts=_charts(ordered),
        compared=tuple(p.period for p in sorted(previous, key=lambda d: d.period)),
        summary=executive_summary(ordered, latest, data.national, SUMMARY_LABELS),
    )
