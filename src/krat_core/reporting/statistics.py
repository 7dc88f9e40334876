"""Every table of the reports, computed once from the records.

This is the ONE place where report figures are computed; the exporters (Word,
Excel, CSV...) only render the :class:`Table` objects built here. Functions are
pure: they take records (or submissions) and return tables; nothing is printed,
written or cached.

A table is language-neutral: every label is a :class:`Text` holding the
Albanian and the English wording, and the exporter picks one. Cells are plain
values (``int``, ``float``, ``str``, ``date``, :class:`Text`, ``None``) or one
of three markers the disclosure control (:mod:`krat_core.reporting.disclosure`) works on:

- :class:`Count`: a number of people (cases). Small counts are suppressed.
- :class:`Stat`: a figure computed from people (a median, a change) that is
  hidden whenever a count it rests on is small.
- :class:`Suppressed`: what a suppressed cell becomes ("<5" or "x").

A :class:`Grid` says which rows and columns of a table add up to which totals,
so the disclosure control can stop a suppressed count being worked out from
them. Counts of activities, participants in public events and objectives are
not counts of victims and are plain integers.

National figures count **case records**: a person reported by two regions is
counted once in each region (the national dataset lists such persons).
"""

from __future__ import annotations

import statistics as _stats
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from krat_core.errors import KratError
from krat_core.format.codelists import (
    ActivityStatus,
    ActivityType,
    AssistanceType,
    CaseStatus,
    CodeList,
    ExploitationType,
    IdentificationSource,
    InstitutionType,
    ObjectiveStatus,
    Pillar,
    Sex,
    TraffickingScope,
)
from krat_core.format.regions import REGION_CODES, REGIONS

if TYPE_CHECKING:
    from krat_core.format.models import Activity, Case, Institution, Objective, Submission
    from krat_core.format.models.national import CompletenessCell, NationalDataset

__all__ = [
    "MONTHS",
    "SECTIONS",
    "Cell",
    "Chart",
    "Count",
    "Grid",
    "Layout",
    "Report",
    "ReportData",
    "Stat",
    "Suppressed",
    "Table",
    "Text",
    "activities_by_month",
    "activities_by_type",
    "assistance_by_type",
    "build_report",
    "cases_by_citizenship",
    "cases_by_exploitation",
    "cases_by_identification_source",
    "cases_by_identifying_institution",
    "cases_by_region",
    "cases_by_scope",
    "cases_by_status_sex",
    "cases_by_year",
    "completeness",
    "format_cell",
    "institution_comparison",
    "institution_metrics",
    "institution_performance",
    "key_figures",
    "national_calendar",
    "objectives_by_status",
    "objectives_table",
    "participants_by_sex",
    "referral",
    "report_data",
]


# --------------------------------------------------------------------------- cells


@dataclass(frozen=True, slots=True)
class Text:
    """A label in Albanian (``sq``) and English (``en``; None: same as Albanian)."""

    sq: str
    en: str | None = None

    def get(self, lang: str = "sq") -> str:
        """The label in ``lang`` ("sq" or "en")."""
        return self.en if lang == "en" and self.en is not None else self.sq

    @classmethod
    def of(cls, member: CodeList) -> Text:
        """The labels of a code-list value."""
        return cls(member.sq, member.en)


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


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A cell withheld by disclosure control: ``marker`` is "<N" (a small count) or "x"."""

    marker: str
    primary: bool


Cell = int | float | str | date | Text | Count | Stat | Suppressed | None
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
    date after the start date), or a alone when b is empty.
    """

    columns: tuple[int, ...] = ()
    group: int | None = None
    repeat_key: int | None = None
    repeat_cols: tuple[int, ...] = ()
    bands: tuple[tuple[Text | None, int], ...] = ()
    short: Mapping[int, Text] = field(default_factory=dict)
    note: Text | None = None
    """Said on the page under the table's own note (e.g. where the columns left out are)."""
    join: tuple[tuple[int, int], ...] = ()

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
    title: Text
    header: tuple[Text, ...]
    rows: tuple[tuple[Cell, ...], ...]
    label_cols: int = 1
    grid: Grid | None = None
    note: Text | None = None
    shared: Mapping[tuple[int, int], str] = field(default_factory=dict)
    layout: Layout = field(default_factory=Layout)

    @property
    def counts_people(self) -> bool:
        """Whether any cell counts people (and is therefore subject to suppression)."""
        return any(isinstance(c, Count | Stat | Suppressed) for row in self.rows for c in row)

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
    title: Text
    kind: Literal["bar", "column"]
    category_col: int
    value_cols: tuple[int, ...]
    rows: tuple[int, ...]


SECTIONS: tuple[tuple[str, Text], ...] = (
    ("key", Text("Shifrat kryesore", "Key figures")),
    ("cases", Text("Rastet e identifikuara", "Identified cases")),
    ("referral", Text("Referimi dhe asistenca", "Referral and assistance")),
    ("activities", Text("Aktivitetet", "Activities")),
    ("plan", Text("Plani i veprimit", "Action plan")),
    ("completeness", Text("Plotësia e raportimit", "Completeness of reporting")),
    ("institutions", Text("Performanca e institucioneve", "Performance of institutions")),
)
"""The chapters of a report, in order, with their headings."""

MONTHS: tuple[Text, ...] = tuple(
    Text(sq, en)
    for sq, en in zip(
        [
            "janar",
            "shkurt",
            "mars",
            "prill",
            "maj",
            "qershor",
            "korrik",
            "gusht",
            "shtator",
            "tetor",
            "nëntor",
            "dhjetor",
        ],
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        strict=True,
    )
)

_TOTAL = Text("Gjithsej", "Total")
_MINORS = Text("Të mitur (nën 18 vjeç)", "Minors (under 18)")
_ADULTS = Text("Të rritur", "Adults")
_NOT_RECORDED = Text("pa të dhëna", "not recorded")
_PEOPLE_NOTE = Text(
    "Numri i rasteve (viktima dhe viktima të mundshme). Një person i raportuar nga dy qarqe "
    "numërohet një herë në secilin qark.",
    "Number of cases (victims and potential victims). A person reported by two regions is "
    "counted once in each region.",
)
_MULTI_NOTE = Text(
    "Një rast me disa vlera numërohet në secilën prej tyre, prandaj rreshtat nuk mblidhen "
    "në numrin e rasteve.",
    "A case with several values is counted under each, so the rows do not add up to the "
    "number of cases.",
)

# Shared quantities: cells showing the same number in several tables.
SHARE_CASES = "cases.total"
SHARE_MINORS = "cases.minors"
SHARE_ADULTS = "cases.adults"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class ReportData:
    """What a report is about: the submissions, and whether it is national.

    Build it with :func:`report_data` from a :class:`Submission` or a
    :class:`~krat_core.format.models.national.NationalDataset`.
    """

    submissions: tuple[Submission, ...]
    national: bool
    region: str | None
    periods: tuple[str, ...]
    completeness: tuple[CompletenessCell, ...] = ()

    @property
    def period(self) -> str:
        """The period(s) covered, as written on the report ("2024", "2024-H1, 2024-H2")."""
        return ", ".join(self.periods)

    @property
    def year(self) -> int:
        """The (last) year covered."""
        return max(int(p[:4]) for p in self.periods)

    def cases(self) -> list[Case]:
        """Every case of every submission."""
        return [c for s in self.submissions for c in s.cases]

    def activities(self) -> list[Activity]:
        """Every activity of every submission."""
        return [a for s in self.submissions for a in s.activities]

    def objectives(self) -> list[Objective]:
        """Every objective of every submission."""
        return [o for s in self.submissions for o in s.objectives]

    def institutions(self) -> dict[str, Institution]:
        """Every institution, by id."""
        return {i.id: i for s in self.submissions for i in s.institutions}


def report_data(dataset: Submission | NationalDataset | ReportData) -> ReportData:
    """The :class:`ReportData` of a regional submission or a national dataset.

    Raises :class:`KratError` for anything else.
    """
    from krat_core.format.models import Submission
    from krat_core.format.models.national import NationalDataset

    if isinstance(dataset, ReportData):
        return dataset
    if isinstance(dataset, Submission):
        return ReportData(
            submissions=(dataset,),
            national=False,
            region=dataset.region,
            periods=(dataset.period,),
        )
    if isinstance(dataset, NationalDataset):
        subs = tuple(dataset.regional_submissions())
        periods = tuple(dataset.periods) or tuple(sorted({s.period for s in subs}))
        if not periods:
            raise KratError("the national dataset covers no period; nothing to report")
        return ReportData(
            submissions=subs,
            national=True,
            region=None,
            periods=periods,
            completeness=tuple(dataset.completeness),
        )
    raise KratError(
        f"cannot report on a {type(dataset).__name__}: expected a regional submission "
        "or a national dataset"
    )


# --------------------------------------------------------------------------- helpers


def _median(values: Sequence[int]) -> float | None:
    return float(_stats.median(values)) if values else None


def _label(value: CodeList | None) -> Text:
    return Text.of(value) if value is not None else _NOT_RECORDED


def _age_table(
    key: str,
    section: str,
    title: Text,
    row_header: tuple[Text, ...],
    rows: Sequence[tuple[Hashable, tuple[Cell, ...]]],
    pairs: Iterable[tuple[Hashable, bool]],
    *,
    total_row: bool,
    keep: Callable[[Hashable], bool] = lambda _k: False,
    note: Text | None = _PEOPLE_NOTE,
    row_shares: Mapping[Hashable, str] | None = None,
) -> Table:
    """A table of cases with columns minors | adults | total, one row per key.

    ``pairs`` yields ``(row key, minor)`` once per case (or once per value of a
    multi-valued field). Rows with no case are left out unless ``keep(key)``.
    With ``total_row`` the rows are exclusive and a total row is added whose
    cells are the shared case totals.
    """
    counter: Counter[tuple[Hashable, bool]] = Counter(pairs)
    nlab = len(row_header)
    out: list[tuple[Cell, ...]] = []
    shared: dict[tuple[int, int], str] = {}
    for row_key, labels in rows:
        minors, adults = counter[(row_key, True)], counter[(row_key, False)]
        if minors + adults == 0 and not keep(row_key):
            continue
        if row_shares and row_key in row_shares:
            shared[(len(out), nlab + 2)] = row_shares[row_key]
        out.append((*labels, Count(minors), Count(adults), Count(minors + adults)))
    interior = tuple(range(len(out)))
    total_index = None
    if total_row:
        minors = sum(v for (_, m), v in counter.items() if m)
        adults = sum(v for (_, m), v in counter.items() if not m)
        total_index = len(out)
        out.append(
            (_TOTAL, *([""] * (nlab - 1)), Count(minors), Count(adults), Count(minors + adults))
        )
        shared[(total_index, nlab)] = SHARE_MINORS
        shared[(total_index, nlab + 1)] = SHARE_ADULTS
        shared[(total_index, nlab + 2)] = SHARE_CASES
    return Table(
        key=key,
        section=section,
        title=title,
        header=(*row_header, _MINORS, _ADULTS, _TOTAL),
        rows=tuple(out),
        label_cols=nlab,
        grid=Grid(interior, (nlab, nlab + 1), total_index, nlab + 2),
        note=note if total_row else (_MULTI_NOTE if note is _PEOPLE_NOTE else note),
        shared=shared,
    )


def _code_rows(codelist: Iterable[CodeList]) -> list[tuple[Hashable, tuple[Cell, ...]]]:
    return [(m, (Text.of(m),)) for m in codelist]


# --------------------------------------------------------------------------- cases


def cases_by_status_sex(cases: Sequence[Case]) -> Table:
    """Cases by status (VT/VMT) and sex, minors and adults; victims and potential
    victims of both sexes always shown."""
    rows = [((st, sx), (Text.of(st), Text.of(sx))) for st in CaseStatus for sx in Sex]
    main = {
        (st, sx)
        for st in (CaseStatus.VICTIM, CaseStatus.POTENTIAL_VICTIM)
        for sx in (Sex.FEMALE, Sex.MALE)
    }
    return _age_table(
        "cases_status_sex",
        "cases",
        Text("Rastet sipas statusit, gjinisë dhe moshës", "Cases by status, sex and age"),
        (Text("Statusi", "Status"), Text("Gjinia", "Sex")),
        rows,
        (((c.status, c.sex), c.minor) for c in cases),
        total_row=True,
        keep=lambda k: k in main,
    )


def cases_by_scope(cases: Sequence[Case]) -> Table:
    """Cases of internal and transnational trafficking, minors and adults."""
    return _age_table(
        "cases_scope",
        "cases",
        Text("Trafikimi i brendshëm dhe ndërkombëtar", "Internal and transnational trafficking"),
        (Text("Lloji i trafikimit", "Scope"),),
        _code_rows(TraffickingScope),
        ((c.scope, c.minor) for c in cases),
        total_row=True,
        keep=lambda k: k is not TraffickingScope.UNKNOWN,
    )


def cases_by_identification_source(cases: Sequence[Case]) -> Table:
    """Cases by who brought the person to the referral mechanism."""
    return _age_table(
        "cases_identification_source",
        "cases",
        Text("Rastet sipas burimit të identifikimit", "Cases by source of identification"),
        (Text("Burimi i identifikimit", "Source of identification"),),
        _code_rows(IdentificationSource),
        ((c.identification_source, c.minor) for c in cases),
        total_row=True,
    )


def cases_by_identifying_institution(
    cases: Sequence[Case], institutions: Mapping[str, Institution], *, by_type: bool
) -> Table:
    """Cases by identifying institution: each institution (regional report) or
    each type of institution (national report)."""
    rows: list[tuple[Hashable, tuple[Cell, ...]]]
    if by_type:
        rows = [*_code_rows(InstitutionType), (None, (_NOT_RECORDED,))]

        def key(case: Case) -> Hashable:
            inst = institutions.get(case.identified_by) if case.identified_by else None
            return inst.type if inst is not None else None

        header = (Text("Lloji i institucionit identifikues", "Type of identifying institution"),)
        shares: dict[Hashable, str] = {}
    else:
        rows = [(i.id, (Text(i.name),)) for i in institutions.values()]
        rows.append((None, (_NOT_RECORDED,)))

        def key(case: Case) -> Hashable:
            return case.identified_by if case.identified_by in institutions else None

        header = (Text("Institucioni identifikues", "Identifying institution"),)
        shares = {i: f"cases.identified_by.{i}" for i in institutions}
    return _age_table(
        "cases_identifying_institution",
        "cases",
        Text("Rastet sipas institucionit identifikues", "Cases by identifying institution"),
        header,
        rows,
        ((key(c), c.minor) for c in cases),
        total_row=True,
        row_shares=shares,
    )


def cases_by_region(submissions: Sequence[Submission]) -> Table:
    """Cases by region (national report); every region is listed."""
    rows = [(code, (Text(REGIONS[code].sq, REGIONS[code].en),)) for code in REGION_CODES]
    return _age_table(
        "cases_region",
        "cases",
        Text("Rastet sipas qarkut", "Cases by region"),
        (Text("Qarku", "Region"),),
        rows,
        ((s.region, c.minor) for s in submissions for c in s.cases),
        total_row=True,
        keep=lambda _k: True,
    )


def cases_by_exploitation(cases: Sequence[Case]) -> Table:
    """Cases by type of exploitation; a case with two types counts under both."""
    return _age_table(
        "cases_exploitation",
        "cases",
        Text("Rastet sipas llojit të shfrytëzimit", "Cases by type of exploitation"),
        (Text("Lloji i shfrytëzimit", "Type of exploitation"),),
        [*_code_rows(ExploitationType), (None, (_NOT_RECORDED,))],
        ((t, c.minor) for c in cases for t in (dict.fromkeys(c.exploitation_types) or (None,))),
        total_row=False,
    )


def cases_by_citizenship(cases: Sequence[Case]) -> Table:
    """Cases by citizenship (ISO 3166-1 code); a person with two counts under both."""
    found = sorted({cc for c in cases for cc in c.citizenships}, key=lambda cc: (cc != "AL", cc))
    rows: list[tuple[Hashable, tuple[Cell, ...]]] = [(cc, (cc,)) for cc in found]
    rows.append((None, (_NOT_RECORDED,)))
    return _age_table(
        "cases_citizenship",
        "cases",
        Text("Rastet sipas shtetësisë", "Cases by citizenship"),
        (Text("Shtetësia (ISO 3166-1)", "Citizenship (ISO 3166-1)"),),
        rows,
        ((cc, c.minor) for c in cases for cc in (dict.fromkeys(c.citizenships) or (None,))),
        total_row=False,
    )


def assistance_by_type(cases: Sequence[Case]) -> Table:
    """Persons assisted, by type of assistance (a person counts once per type)."""
    return _age_table(
        "assistance_type",
        "referral",
        Text(
            "Personat e asistuar sipas llojit të asistencës",
            "Persons assisted by type of assistance",
        ),
        (Text("Lloji i asistencës", "Type of assistance"),),
        _code_rows(AssistanceType),
        ((t, c.minor) for c in cases for t in dict.fromkeys(a.type for a in c.assistance)),
        total_row=False,
    )


def _days_to_referral(case: Case) -> int | None:
    if case.referral is None:
        return None
    return (case.referral.referred_on - case.identified_on).days


def referral(cases: Sequence[Case]) -> Table:
    """Cases referred and not referred, by status, with the median days from
    identification to referral."""
    referred: Counter[CaseStatus] = Counter()
    unreferred: Counter[CaseStatus] = Counter()
    days: dict[CaseStatus, list[int]] = defaultdict(list)
    for c in cases:
        d = _days_to_referral(c)
        if d is None:
            unreferred[c.status] += 1
        else:
            referred[c.status] += 1
            days[c.status].append(d)
    rows: list[tuple[Cell, ...]] = []
    for st in CaseStatus:
        r, u = referred[st], unreferred[st]
        if r + u == 0 and st is CaseStatus.NOT_VICTIM:
            continue
        rows.append((Text.of(st), Count(r), Count(u), Count(r + u), Stat(_median(days[st]), (r,))))
    all_days = [d for v in days.values() for d in v]
    tr, tu = sum(referred.values()), sum(unreferred.values())
    total = len(rows)
    rows.append((_TOTAL, Count(tr), Count(tu), Count(tr + tu), Stat(_median(all_days), (tr,))))
    return Table(
        key="referral",
        section="referral",
        title=Text(
            "Referimi: rastet e referuara dhe ditët nga identifikimi deri te referimi",
            "Referral: cases referred and days from identification to referral",
        ),
        header=(
            Text("Statusi", "Status"),
            Text("Të referuar", "Referred"),
            Text("Pa u referuar", "Not referred"),
            Text("Gjithsej", "Total"),
            Text("Mediana e ditëve deri te referimi", "Median days to referral"),
        ),
        rows=tuple(rows),
        grid=Grid(tuple(range(total)), (1, 2), total, 3),
        note=Text(
            "Mediana llogaritet vetëm mbi rastet e referuara dhe nuk jepet kur bazohet "
            "në pak raste.",
            "The median is over referred cases only and is not shown when it rests on few cases.",
        ),
        shared={(total, 3): SHARE_CASES, (total, 1): "cases.referred"},
    )


# --------------------------------------------------------------------------- activities


def _held(a: Activity) -> bool:
    return a.status is ActivityStatus.COMPLETED


def activities_by_type(activities: Sequence[Activity]) -> Table:
    """Activities by type: planned (all), held, cancelled or postponed, participants by sex."""
    rows: list[tuple[Cell, ...]] = []
    acc: dict[ActivityType, list[int]] = {t: [0] * 6 for t in ActivityType}
    for a in activities:
        v = acc[a.type]
        v[0] += 1
        if _held(a):
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
            rows.append((Text.of(t), *v))
            totals = [x + y for x, y in zip(totals, v, strict=True)]
    rows.append((_TOTAL, *totals))
    return Table(
        key="activities_type",
        section="activities",
        title=Text("Aktivitetet sipas llojit", "Activities by type"),
        header=(
            Text("Lloji i aktivitetit", "Type of activity"),
            Text("Të planifikuara", "Planned"),
            Text("Të realizuara", "Held"),
            Text("Të anuluara ose të shtyra", "Cancelled or postponed"),
            Text("Pjesëmarrës femra", "Participants, female"),
            Text("Pjesëmarrës meshkuj", "Participants, male"),
            Text("Pjesëmarrës gjithsej", "Participants, total"),
        ),
        rows=tuple(rows),
        note=Text(
            "Të planifikuara: të gjitha aktivitetet e regjistruara, në çdo status. "
            "Pjesëmarrësit numërohen vetëm për aktivitetet e realizuara.",
            "Planned: every activity recorded, in any status. Participants are counted for "
            "activities held only.",
        ),
    )


def activities_by_month(activities: Sequence[Activity]) -> Table:
    """Activities held, and their participants, by month of the start day."""
    held = [0] * 12
    people = [0] * 12
    for a in activities:
        if _held(a):
            held[a.start.month - 1] += 1
            if a.participants is not None:
                people[a.start.month - 1] += a.participants.total
    rows: list[tuple[Cell, ...]] = [(MONTHS[m], held[m], people[m]) for m in range(12)]
    rows.append((_TOTAL, sum(held), sum(people)))
    return Table(
        key="activities_month",
        section="activities",
        title=Text("Aktivitetet e realizuara sipas muajit", "Activities held by month"),
        header=(
            Text("Muaji", "Month"),
            Text("Aktivitete të realizuara", "Activities held"),
            Text("Pjesëmarrës", "Participants"),
        ),
        rows=tuple(rows),
    )


def participants_by_sex(activities: Sequence[Activity]) -> Table:
    """Participants in activities held: female, male, sex not recorded, total."""
    female = male = total = 0
    for a in activities:
        if _held(a) and a.participants is not None:
            female += a.participants.female or 0
            male += a.participants.male or 0
            total += a.participants.total
    rows: tuple[tuple[Cell, ...], ...] = (
        (Text("Femra", "Female"), female),
        (Text("Meshkuj", "Male"), male),
        (_NOT_RECORDED, max(0, total - female - male)),
        (_TOTAL, total),
    )
    return Table(
        key="participants_sex",
        section="activities",
        title=Text("Pjesëmarrësit sipas gjinisë", "Participants by sex"),
        header=(Text("Gjinia", "Sex"), Text("Pjesëmarrës", "Participants")),
        rows=rows,
    )


def _calendar(activities: Iterable[Activity]) -> list[Activity]:
    return sorted((a for a in activities if a.national_calendar), key=lambda a: (a.start, a.id))


def national_calendar(
    activities: Sequence[Activity], institutions: Mapping[str, Institution], *, national: bool
) -> Table:
    """The activities of the national anti-trafficking calendar, by date, with
    place and organiser (and region, in the national report)."""
    rows: list[tuple[Cell, ...]] = []
    for a in _calendar(activities):
        inst = institutions.get(a.organiser)
        place = ", ".join(p for p in (a.place, a.municipality) if p)
        row: list[Cell] = [
            a.start,
            a.end if a.end is not None and a.end != a.start else None,
            Text(a.title, a.title_en),
            Text.of(a.type),
            Text.of(a.observance) if a.observance is not None else "",
            place,
            inst.name if inst is not None else a.organiser,
            Text.of(a.status),
        ]
        if national:
            region = REGIONS[a.id[:5]]
            row.insert(2, Text(region.sq, region.en))
        rows.append(tuple(row))
    header = [
        Text("Data e fillimit", "Start"),
        Text("Data e mbarimit", "End"),
        Text("Aktiviteti", "Activity"),
        Text("Lloji", "Type"),
        Text("Rasti i shënuar", "Observance"),
        Text("Vendi", "Place"),
        Text("Organizatori", "Organiser"),
        Text("Statusi", "Status"),
    ]
    if national:
        header.insert(2, Text("Qarku", "Region"))
    return Table(
        key="national_calendar",
        section="activities",
        title=Text("Kalendari kombëtar antitrafik", "National anti-trafficking calendar"),
        header=tuple(header),
        rows=tuple(rows),
        label_cols=0,
        note=Text(
            "Data e mbarimit mungon kur aktiviteti zgjat një ditë.",
            "No end date: a one-day activity.",
        ),
        layout=Layout(join=((0, 1),), short={0: Text("Data", "Date")}),
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
            region = (Text(reg.sq, reg.en) if reg is not None else o.id[:5],)
        head: tuple[Cell, ...] = (
            *region,
            o.id,
            Text.of(o.pillar),
            Text(o.title, o.title_en),
            responsible,
            o.deadline,
            Text.of(o.status),
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
        title=Text(
            "Plani i veprimit: objektivat dhe treguesit", "Action plan: objectives and indicators"
        ),
        header=(
            *((Text("Qarku", "Region"),) if national else ()),
            Text("Kodi", "Id"),
            Text("Shtylla", "Pillar"),
            Text("Objektivi", "Objective"),
            Text("Institucionet përgjegjëse", "Responsible institutions"),
            Text("Afati", "Deadline"),
            Text("Statusi", "Status"),
            Text("Treguesi", "Indicator"),
            Text("Njësia", "Unit"),
            Text("Vlera bazë", "Baseline"),
            Text("Synimi", "Target"),
            Text("Vlera e arritur", "Actual"),
            Text("% e synimit", "% of target"),
        ),
        rows=tuple(rows),
        label_cols=0,
        # A page: objective, pillar, deadline, status, indicator, unit, target,
        # actual, % of target; the objective's cells once for all its indicators.
        layout=Layout(
            columns=(k + 2, k + 1, k + 4, k + 5, k + 6, k + 7, k + 9, k + 10, k + 11),
            group=0 if national else None,
            repeat_key=k,
            repeat_cols=(k + 2, k + 1, k + 4, k + 5),
            note=Text(
                "Kodet, institucionet përgjegjëse dhe vlerat bazë janë në fletën e punës "
                "(Excel) dhe në skedarët CSV.",
                "The ids, the responsible institutions and the baselines are in the workbook "
                "(Excel) and the CSV files.",
            ),
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
        rows.append((Text.of(st), *values, sum(values)))
    col_totals = [sum(counter[(st, p)] for st in ObjectiveStatus) for p in Pillar]
    rows.append((_TOTAL, *col_totals, sum(col_totals)))
    return Table(
        key="objectives_status",
        section="plan",
        title=Text("Objektivat sipas statusit dhe shtyllës", "Objectives by status and pillar"),
        header=(Text("Statusi", "Status"), *(Text.of(p) for p in Pillar), _TOTAL),
        rows=tuple(rows),
    )


# --------------------------------------------------------------------------- institutions


@dataclass(slots=True)
class InstitutionMetrics:
    """One institution's performance in one dataset."""

    identified: int = 0
    referred: int = 0
    days: list[int] = field(default_factory=list)
    activities_held: int = 0
    activities_planned: int = 0
    objectives_achieved: int = 0
    objectives_responsible: int = 0

    @property
    def median_days(self) -> float | None:
        """Median days from identification to referral of the cases it identified."""
        return _median(self.days)


def institution_metrics(submissions: Iterable[Submission]) -> dict[str, InstitutionMetrics]:
    """Performance of every institution (by id), in one pass over the records.

    Cases identified (``identified_by``) and how many of them were referred, with
    the median days to referral; activities organised (all = planned, completed
    = held); objectives it is responsible for, and how many were achieved.
    """
    out: dict[str, InstitutionMetrics] = defaultdict(InstitutionMetrics)
    for s in submissions:
        for i in s.institutions:
            out[i.id]
        for c in s.cases:
            if c.identified_by is None:
                continue
            m = out[c.identified_by]
            m.identified += 1
            d = _days_to_referral(c)
            if d is not None:
                m.referred += 1
                m.days.append(d)
        for a in s.activities:
            m = out[a.organiser]
            m.activities_planned += 1
            m.activities_held += _held(a)
        for o in s.objectives:
            for responsible in dict.fromkeys(o.responsible):
                m = out[responsible]
                m.objectives_responsible += 1
                m.objectives_achieved += o.status is ObjectiveStatus.ACHIEVED
    return dict(out)


def _institution_label(inst_id: str, institutions: Mapping[str, Institution]) -> Text:
    inst = institutions.get(inst_id)
    return Text(inst.name) if inst is not None else Text(inst_id)


def institution_performance(data: ReportData) -> Table:
    """Each institution's cases identified and referred, median days to
    referral, activities held vs planned and objectives achieved."""
    institutions = data.institutions()
    metrics = institution_metrics(data.submissions)
    rows: list[tuple[Cell, ...]] = []
    shared: dict[tuple[int, int], str] = {}
    for inst_id in sorted(metrics):
        m = metrics[inst_id]
        inst = institutions.get(inst_id)
        label: list[Cell] = [
            _institution_label(inst_id, institutions),
            Text.of(inst.type) if inst is not None else "",
        ]
        if data.national:
            reg = REGIONS.get(inst_id[:5])
            label.insert(0, Text(reg.sq, reg.en) if reg else inst_id[:5])
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
    header: list[Text] = [Text("Institucioni", "Institution"), Text("Lloji", "Type")]
    if data.national:
        header.insert(0, Text("Qarku", "Region"))
    return Table(
        key="institution_performance",
        section="institutions",
        title=Text("Performanca e institucioneve", "Performance of institutions"),
        header=(
            *header,
            Text("Raste të identifikuara", "Cases identified"),
            Text("Prej tyre të referuara", "Of which referred"),
            Text("Mediana e ditëve deri te referimi", "Median days to referral"),
            Text("Aktivitete të realizuara", "Activities held"),
            Text("Aktivitete të planifikuara", "Activities planned"),
            Text("Objektiva të realizuara", "Objectives achieved"),
            Text("Objektiva në përgjegjësi", "Objectives responsible for"),
        ),
        rows=tuple(rows),
        label_cols=len(header),
        shared=shared,
        layout=Layout(group=0 if data.national else None),
    )


def cases_by_year(current: ReportData, previous: Sequence[ReportData]) -> Table:
    """Cases by year and status: the earlier datasets and this one."""
    datasets = sorted([*previous, current], key=lambda d: d.period)
    statuses = list(CaseStatus)
    rows: list[tuple[Cell, ...]] = []
    shared: dict[tuple[int, int], str] = {}
    for d in datasets:
        counter = Counter(c.status for c in d.cases())
        values = [counter[s] for s in statuses]
        if d is current:
            shared[(len(rows), len(statuses) + 1)] = SHARE_CASES
        rows.append((d.period, *(Count(v) for v in values), Count(sum(values))))
    n = len(statuses)
    return Table(
        key="cases_year",
        section="institutions",
        title=Text("Rastet sipas vitit dhe statusit", "Cases by year and status"),
        header=(Text("Periudha", "Period"), *(Text.of(s) for s in statuses), _TOTAL),
        rows=tuple(rows),
        grid=Grid(tuple(range(len(rows))), tuple(range(1, n + 1)), None, n + 1),
        note=_PEOPLE_NOTE,
        shared=shared,
    )


_METRICS: tuple[tuple[str, Text], ...] = (
    ("identified", Text("Raste të identifikuara", "Cases identified")),
    ("referred", Text("Raste të referuara", "Cases referred")),
    ("median_days", Text("Mediana e ditëve deri te referimi", "Median days to referral")),
    ("activities_held", Text("Aktivitete të realizuara", "Activities held")),
    ("activities_planned", Text("Aktivitete të planifikuara", "Activities planned")),
    ("objectives_achieved", Text("Objektiva të realizuara", "Objectives achieved")),
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
    metrics = [institution_metrics(d.submissions) for d in datasets]
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
            reg = REGIONS.get(inst_id[:5])
            label.insert(0, Text(reg.sq, reg.en) if reg else inst_id[:5])
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
    change = Text(
        f"ndryshimi {datasets[before].period}–{current.period}" if before >= 0 else "ndryshimi",
        f"change {datasets[before].period}–{current.period}" if before >= 0 else "change",
    )
    header: list[Text] = [Text("Institucioni", "Institution")]
    if current.national:
        header.insert(0, Text("Qarku", "Region"))
    columns: list[int] = list(range(nlab))
    short: dict[int, Text] = {}
    bands: list[tuple[Text | None, int]] = [(None, 1)] * (nlab - (1 if current.national else 0))
    for _, metric_label in _METRICS:
        first = len(header)
        header += [
            Text(f"{metric_label.sq} {d.period}", f"{metric_label.en} {d.period}") for d in datasets
        ]
        page = [first + now]
        if before >= 0:
            header.append(
                Text(f"{metric_label.sq}: {change.sq}", f"{metric_label.en}: {change.en}")
            )
            page = [first + before, first + now, first + width - 1]
            short[first + width - 1] = Text("Δ")
        for col in page[: 2 if before >= 0 else 1]:
            short[col] = Text(datasets[col - first].period)
        columns += page
        bands.append((metric_label, len(page)))
    return Table(
        key="institution_comparison",
        section="institutions",
        title=Text(
            "Krahasim vit pas viti i performancës së institucioneve",
            "Year-over-year comparison of the institutions' performance",
        ),
        header=tuple(header),
        rows=tuple(rows),
        label_cols=nlab,
        note=Text(
            "Bosh: institucioni nuk ishte në të dhënat e atij viti.",
            "Empty: the institution was not in that year's data.",
        ),
        shared=shared,
        layout=Layout(
            columns=tuple(columns),
            group=0 if current.national else None,
            bands=tuple(bands),
            short=short,
            note=Text(f"Δ: {change.sq}.", f"Δ: {change.en}.") if before >= 0 else None,
        ),
    )


# --------------------------------------------------------------------------- completeness


_RECEIVED = Text("marrë", "received")
_MISSING = Text("mungon", "missing")


def completeness(data: ReportData) -> Table:
    """Completeness of the regional submissions (national report): each region
    and period, received or missing, late, invalid, superseded versions, and
    the records each accepted submission holds (cases are not shown here; they
    are in the case tables, under disclosure control)."""
    by_key = {(s.region, s.period): s for s in data.submissions}
    cells: list[tuple[str, str, Any]] = [(c.region, c.period, c) for c in data.completeness] or [
        (r, p, None) for p in data.periods for r in REGION_CODES
    ]
    yes, no = Text("po", "yes"), Text("jo", "no")

    def flag(value: bool | None) -> Cell:
        return "" if value is None else (yes if value else no)

    rows: list[tuple[Cell, ...]] = []
    for region, period, cell in cells:
        sub = by_key.get((region, period))
        reg = REGIONS[region]
        received = sub is not None if cell is None else cell.status == "received"
        submitted = sub.submitted_at.date() if sub is not None else None
        rows.append(
            (
                Text(reg.sq, reg.en),
                period,
                _RECEIVED if received else _MISSING,
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
        title=Text("Plotësia e raportimit të qarqeve", "Completeness of regional submissions"),
        header=(
            Text("Qarku", "Region"),
            Text("Periudha", "Period"),
            Text("Dorëzimi", "Submission"),
            Text("Dorëzuar më", "Submitted on"),
            Text("Me vonesë", "Late"),
            Text("Me gabime", "With errors"),
            Text("Versione të zëvendësuara", "Superseded versions"),
            Text("Aktivitete", "Activities"),
            Text("Objektiva", "Objectives"),
            Text("Institucione", "Institutions"),
        ),
        rows=tuple(rows),
        label_cols=2,
    )


# --------------------------------------------------------------------------- key figures


@dataclass(frozen=True, slots=True)
class _KeyFigure:
    label: Text
    source: tuple[str, int, int] | None  # (table key, row, col) to copy from
    value: Cell = None


def key_figures(tables: Mapping[str, Table], data: ReportData) -> Table:
    """The headline figures, copied from cells of the other tables (after
    disclosure control, so a figure suppressed there is suppressed here too)."""
    status = tables["referral"]
    rows_by_label = {r[0]: i for i, r in enumerate(status.rows) if isinstance(r[0], Text)}
    activities = tables["activities_type"].rows[-1]
    objectives = tables["objectives_status"].rows
    achieved = next(r[-1] for r in objectives if r[0] == Text.of(ObjectiveStatus.ACHIEVED))
    scope = tables["cases_scope"]
    total_scope = len(scope.rows) - 1
    figures: list[_KeyFigure] = [
        _KeyFigure(Text("Raste gjithsej", "Cases, total"), ("referral", len(status.rows) - 1, 3)),
    ]
    for st in (CaseStatus.VICTIM, CaseStatus.POTENTIAL_VICTIM):
        row = rows_by_label.get(Text.of(st))
        if row is not None:
            figures.append(_KeyFigure(Text.of(st), ("referral", row, 3)))
    figures += [
        _KeyFigure(_MINORS, ("cases_scope", total_scope, 1)),
        _KeyFigure(
            Text("Raste të referuara", "Cases referred"), ("referral", len(status.rows) - 1, 1)
        ),
        _KeyFigure(
            Text(
                "Mediana e ditëve nga identifikimi te referimi",
                "Median days from identification to referral",
            ),
            ("referral", len(status.rows) - 1, 4),
        ),
        _KeyFigure(Text("Aktivitete të realizuara", "Activities held"), None, activities[2]),
        _KeyFigure(
            Text("Pjesëmarrës në aktivitete", "Participants in activities"), None, activities[6]
        ),
        _KeyFigure(
            Text("Objektiva të planit të veprimit", "Objectives of the action plan"),
            None,
            objectives[-1][-1],
        ),
        _KeyFigure(Text("Objektiva të realizuara", "Objectives achieved"), None, achieved),
    ]
    if data.national:
        received = sum(1 for r in tables["completeness"].rows if r[2] == _RECEIVED)
        figures.insert(
            0,
            _KeyFigure(
                Text("Dorëzime të qarqeve të marra", "Regional submissions received"),
                None,
                f"{received} / {len(tables['completeness'].rows)}",
            ),
        )
    rows = tuple(
        (f.label, tables[f.source[0]].rows[f.source[1]][f.source[2]] if f.source else f.value)
        for f in figures
    )
    return Table(
        key="key_figures",
        section="key",
        title=Text("Shifrat kryesore", "Key figures"),
        header=(Text("Treguesi", "Figure"), Text("Vlera", "Value")),
        rows=rows,
        note=_PEOPLE_NOTE,
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
            return Text(
                "Raporti kombëtar i Komiteteve Rajonale Antitrafik",
                "National report of the Regional Anti-Trafficking Committees",
            ).get(lang)
        region = REGIONS[self.data.region or ""]
        return Text(
            f"Analiza vjetore e Komitetit Rajonal Antitrafik, Qarku {region.sq}",
            f"Annual analysis of the Regional Anti-Trafficking Committee, {region.en} region",
        ).get(lang)

    def suppression_note(self, lang: str = "sq") -> Text:
        """What the reader must know about small-cell suppression in this report."""
        n = self.suppress
        if n is None:
            return Text(
                "VETËM PËR PËRDORIM TË BRENDSHËM: ky raport është krijuar pa fshehjen e "
                "numrave të vegjël (--no-suppress) dhe nuk duhet publikuar.",
                "FOR INTERNAL USE ONLY: this report was produced without small-cell "
                "suppression (--no-suppress) and must not be published.",
            )
        return Text(
            f"Numrat e personave nga 1 deri në {n - 1} jepen si «<{n}»; «x» shënon një "
            f"qelizë të fshehur që numri i vogël të mos llogaritet nga totalet.",
            f"Numbers of people from 1 to {n - 1} are shown as \u201c<{n}\u201d; "
            "\u201cx\u201d marks a cell hidden so that a small number cannot be worked out "
            "from the totals.",
        )


def _charts(tables: Mapping[str, Table]) -> tuple[Chart, ...]:
    charts: list[Chart] = []

    def interior(t: Table) -> tuple[int, ...]:
        return t.grid.rows if t.grid is not None else tuple(range(len(t.rows) - 1))

    t = tables["cases_exploitation"]
    charts.append(Chart("chart_exploitation", t.key, t.title, "bar", 0, (3,), interior(t)))
    if "cases_year" in tables:
        t = tables["cases_year"]
        charts.append(
            Chart("chart_year", t.key, t.title, "column", 0, (len(t.header) - 1,), interior(t))
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
    tables: list[Table] = [cases_by_status_sex(cases)]
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
        objectives_by_status(objectives),
        objectives_table(objectives, institutions, national=data.national),
    ]
    if data.national:
        tables.append(completeness(data))
    tables.append(institution_performance(data))
    if previous:
        tables.append(cases_by_year(data, previous))
        tables.append(institution_comparison(data, previous))
    return {t.key: t for t in tables}


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
        suppress: small-cell threshold N (counts 1..N-1 shown as "<N"); None: off.
        generated_on: the report date (ISO string or date); None: today.

    Raises:
        KratError: a dataset that is not a submission or national dataset, a
            comparison dataset of the same period, or a threshold below 3.
    """
    from krat_core.reporting.disclosure import protect_tables

    data = report_data(dataset)
    previous = [report_data(d) for d in compare]
    for p in previous:
        if p.period == data.period:
            raise KratError(
                f"--compare dataset covers {p.period}, the same period as the report; "
                "give datasets of earlier periods"
            )
        if p.national != data.national or (not data.national and p.region != data.region):
            raise KratError(
                f"--compare dataset ({'national' if p.national else p.region}, {p.period}) is not "
                f"of the same scope as the report ({'national' if data.national else data.region})"
            )
    if isinstance(generated_on, str):
        try:
            generated_on = date.fromisoformat(generated_on)
        except ValueError:
            raise KratError(
                f"report date {generated_on!r} is not an ISO date (YYYY-MM-DD)"
            ) from None
    from krat_core.format.canonical import gc_paused

    with gc_paused():  # many small acyclic tuples; see krat_core.format.canonical.gc_paused
        tables = build_tables(data, previous)
    protected = protect_tables(tables, suppress)
    ordered = {"key_figures": key_figures(protected, data), **protected}
    return Report(
        data=data,
        generated_on=generated_on or date.today(),
        suppress=suppress,
        tables=tuple(ordered.values()),
        charts=_charts(ordered),
        compared=tuple(p.period for p in sorted(previous, key=lambda d: d.period)),
    )


# --------------------------------------------------------------------------- rendering


def format_cell(cell: Cell, lang: str = "sq") -> str:
    """A cell as text for a reader: labels in ``lang``, dates dd.mm.yyyy (sq) or
    ISO (en), decimal comma in Albanian, suppressed cells as their marker."""
    if cell is None:
        return ""
    if isinstance(cell, Text):
        return cell.get(lang)
    if isinstance(cell, Suppressed):
        return cell.marker
    if isinstance(cell, Count):
        return str(cell.value)
    if isinstance(cell, Stat):
        if cell.value is None:
            return "–"
        return format_cell(cell.value, lang)
    if isinstance(cell, date):
        return cell.strftime("%d.%m.%Y") if lang == "sq" else cell.isoformat()
    if isinstance(cell, bool):
        return str(cell)
    if isinstance(cell, float):
        text = f"{cell:.0f}" if cell.is_integer() else f"{cell:.1f}"
        return text.replace(".", ",") if lang == "sq" else text
    return str(cell)


def cell_value(cell: Cell, lang: str = "sq") -> int | float | str | date | None:
    """A cell as a typed value for a spreadsheet: numbers stay numbers, dates
    stay dates, labels and markers become text."""
    if isinstance(cell, Count):
        return cell.value
    if isinstance(cell, Stat):
        return cell.value
    if isinstance(cell, Text):
        return cell.get(lang)
    if isinstance(cell, Suppressed):
        return cell.marker
    return cell
