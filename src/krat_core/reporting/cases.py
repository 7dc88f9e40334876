"""The tables that count people: cases by status, sex, age, region,
exploitation, citizenship, identification, referral and assistance.

Every count here is a :class:`~krat_core.reporting.tables.Count` (or a
:class:`~krat_core.reporting.tables.Stat` computed from counts), so disclosure
control protects it. Functions are pure: records in, a table out.

The tables add up the cases' :class:`~krat_core.reporting.tally.CaseTally`
(:func:`~krat_core.reporting.tally.tally_of`) instead of reading every case:
given the cases of :meth:`ReportData.cases() <krat_core.reporting.data.ReportData.cases>`,
the cases are counted once for all the tables.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from itertools import repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from krat_core.format.codelists import (
    AssistanceType,
    CaseStatus,
    CodeList,
    ExploitationType,
    IdentificationSource,
    InstitutionType,
    Sex,
    TraffickingScope,
)
from krat_core.format.regions import REGION_CODES, REGIONS
from krat_core.messages import Message
from krat_core.reporting.data import ReportData, median
from krat_core.reporting.labels import (
    ADULTS,
    MINORS,
    MULTI_NOTE,
    NOT_RECORDED,
    PEOPLE_NOTE,
    REGION,
    SHARE_ADULTS,
    SHARE_CASES,
    SHARE_MINORS,
    STATUS,
    TOTAL,
)
from krat_core.reporting.tables import Cell, Count, Grid, Label, Stat, Table, Wording
from krat_core.reporting.tally import Person, Submissions, marginal, tally_of

if TYPE_CHECKING:
    from krat_core.format.models import Case, Institution, Submission

__all__ = [
    "assistance_by_type",
    "cases_by_citizenship",
    "cases_by_exploitation",
    "cases_by_identification_source",
    "cases_by_identifying_institution",
    "cases_by_region",
    "cases_by_scope",
    "cases_by_status_sex",
    "cases_by_year",
    "referral",
]

STATUS_SEX_TITLE = Message(
    sq="Rastet sipas statusit, gjinisë dhe moshës", en="Cases by status, sex and age"
)
SEX = Message(sq="Gjinia", en="Sex")
SCOPE_TITLE = Message(
    sq="Trafikimi i brendshëm dhe ndërkombëtar", en="Internal and transnational trafficking"
)
SCOPE = Message(sq="Lloji i trafikimit", en="Scope")
SOURCE_TITLE = Message(
    sq="Rastet sipas burimit të identifikimit", en="Cases by source of identification"
)
SOURCE = Message(sq="Burimi i identifikimit", en="Source of identification")
INSTITUTION_TYPE = Message(
    sq="Lloji i institucionit identifikues", en="Type of identifying institution"
)
INSTITUTION = Message(sq="Institucioni identifikues", en="Identifying institution")
INSTITUTION_TITLE = Message(
    sq="Rastet sipas institucionit identifikues", en="Cases by identifying institution"
)
REGION_TITLE = Message(sq="Rastet sipas qarkut", en="Cases by region")
EXPLOITATION_TITLE = Message(
    sq="Rastet sipas llojit të shfrytëzimit", en="Cases by type of exploitation"
)
EXPLOITATION = Message(sq="Lloji i shfrytëzimit", en="Type of exploitation")
CITIZENSHIP_TITLE = Message(sq="Rastet sipas shtetësisë", en="Cases by citizenship")
CITIZENSHIP = Message(sq="Shtetësia", en="Citizenship")
SEX_TITLE = Message(sq="Rastet sipas gjinisë", en="Cases by sex")
ASSISTANCE_TITLE = Message(
    sq="Personat e asistuar sipas llojit të asistencës",
    en="Persons assisted by type of assistance",
)
ASSISTANCE = Message(sq="Lloji i asistencës", en="Type of assistance")
REFERRAL_TITLE = Message(
    sq="Referimi: rastet e referuara dhe ditët nga identifikimi deri te referimi",
    en="Referral: cases referred and days from identification to referral",
)
REFERRAL_HEADER = (
    STATUS,
    Message(sq="Të referuar", en="Referred"),
    Message(sq="Pa u referuar", en="Not referred"),
    TOTAL,
    Message(sq="Mediana e ditëve deri te referimi", en="Median days to referral"),
)
REFERRAL_NOTE = Message(
    sq="Mediana llogaritet vetëm mbi rastet e referuara dhe nuk jepet kur bazohet në pak raste.",
    en="The median is over referred cases only and is not shown when it rests on few cases.",
)
YEAR_TITLE = Message(sq="Rastet sipas vitit dhe statusit", en="Cases by year and status")
PERIOD = Message(sq="Periudha", en="Period")


_IS_MINOR = itemgetter(2)  # of a Person


def _age_table(
    key: str,
    section: str,
    title: Wording,
    row_header: tuple[Wording, ...],
    rows: Sequence[tuple[Hashable, tuple[Cell, ...]]],
    counter: Counter[tuple[Hashable, bool]],
    *,
    total_row: bool,
    keep: Callable[[Hashable], bool] = lambda _k: False,
    note: Wording | None = PEOPLE_NOTE,
    row_shares: Mapping[Hashable, str] | None = None,
) -> Table:
    """A table of cases with columns minors | adults | total, one row per key.

    ``counter`` counts the cases by ``(row key, minor)`` (or, for a
    multi-valued field, the cases with each value). Rows with no case are left
    out unless ``keep(key)``. With ``total_row`` the rows are exclusive and a
    total row is added whose cells are the shared case totals.
    """
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
            (TOTAL, *([""] * (nlab - 1)), Count(minors), Count(adults), Count(minors + adults))
        )
        shared[(total_index, nlab)] = SHARE_MINORS
        shared[(total_index, nlab + 1)] = SHARE_ADULTS
        shared[(total_index, nlab + 2)] = SHARE_CASES
    return Table(
        key=key,
        section=section,
        title=title,
        header=(*row_header, MINORS, ADULTS, TOTAL),
        rows=tuple(out),
        label_cols=nlab,
        grid=Grid(interior, (nlab, nlab + 1), total_index, nlab + 2),
        note=note if total_row else (MULTI_NOTE if note is PEOPLE_NOTE else note),
        shared=shared,
    )


def _code_rows(codelist: Iterable[CodeList]) -> list[tuple[Hashable, tuple[Cell, ...]]]:
    return [(m, (Label.of(m),)) for m in codelist]


def _by_minor(
    cases: Sequence[Case], key: Callable[[Person], Hashable]
) -> Counter[tuple[Hashable, bool]]:
    """The cases by ``(key(person), minor)``: ``person`` a case's :data:`Person`."""
    return marginal(tally_of(cases).people, lambda p: (key(p), p[2]))


def _each_value(
    counter: Mapping[tuple[tuple[Any, ...], bool], int], empty: tuple[Hashable, ...]
) -> Counter[tuple[Hashable, bool]]:
    """The cases with each value of a multi-valued field, by ``(value, minor)``:
    a case counts once under each of its distinct values, or under each of
    ``empty`` when it has none."""
    out: Counter[tuple[Hashable, bool]] = Counter()
    for (values, minor), n in counter.items():
        for v in dict.fromkeys(values) or empty:
            out[(v, minor)] += n
    return out


def cases_by_status_sex(cases: Sequence[Case]) -> Table:
    """Cases by status (VT/VMT) and sex, minors and adults; victims and potential
    victims of both sexes always shown."""
    rows = [((st, sx), (Label.of(st), Label.of(sx))) for st in CaseStatus for sx in Sex]
    main = {
        (st, sx)
        for st in (CaseStatus.VICTIM, CaseStatus.POTENTIAL_VICTIM)
        for sx in (Sex.FEMALE, Sex.MALE)
    }
    return _age_table(
        "cases_status_sex",
        "cases",
        STATUS_SEX_TITLE,
        (STATUS, SEX),
        rows,
        _by_minor(cases, lambda p: (p[0], p[1])),
        total_row=True,
        keep=lambda k: k in main,
    )


def cases_by_sex(cases: Sequence[Case]) -> Table:
    """Cases by sex, minors and adults: the one-way split that survives disclosure
    control where the status x sex cells do not."""
    return _age_table(
        "cases_sex",
        "cases",
        SEX_TITLE,
        (SEX,),
        _code_rows(Sex),
        _by_minor(cases, lambda p: p[1]),
        total_row=True,
        keep=lambda k: k in (Sex.FEMALE, Sex.MALE),
    )


def country_name(code: str) -> Label:
    """The name of the country ``code`` (ISO 3166-1 alpha-2, ``XK`` for Kosovo) in
    Albanian and English, from the Unicode CLDR; the code itself if CLDR has no name."""
    from babel import Locale

    names = [Locale.parse(lang).territories.get(code, code) for lang in ("sq", "en")]
    return Label(names[0], names[1])


def cases_by_scope(cases: Sequence[Case]) -> Table:
    """Cases of internal and transnational trafficking, minors and adults."""
    return _age_table(
        "cases_scope",
        "cases",
        SCOPE_TITLE,
        (SCOPE,),
        _code_rows(TraffickingScope),
        _by_minor(cases, lambda p: p[3]),
        total_row=True,
        keep=lambda k: k is not TraffickingScope.UNKNOWN,
    )


def cases_by_identification_source(cases: Sequence[Case]) -> Table:
    """Cases by who brought the person to the referral mechanism."""
    return _age_table(
        "cases_identification_source",
        "cases",
        SOURCE_TITLE,
        (SOURCE,),
        _code_rows(IdentificationSource),
        _by_minor(cases, lambda p: p[4]),
        total_row=True,
    )


def cases_by_identifying_institution(
    cases: Sequence[Case], institutions: Mapping[str, Institution], *, by_type: bool
) -> Table:
    """Cases by identifying institution: each institution (regional report) or
    each type of institution (national report)."""
    rows: list[tuple[Hashable, tuple[Cell, ...]]]
    if by_type:
        rows = [*_code_rows(InstitutionType), (None, (NOT_RECORDED,))]

        def key(identified_by: str | None) -> Hashable:
            inst = institutions.get(identified_by) if identified_by else None
            return inst.type if inst is not None else None

        header = INSTITUTION_TYPE
        shares: dict[Hashable, str] = {}
    else:
        rows = [(i.id, (Label(i.name),)) for i in institutions.values()]
        rows.append((None, (NOT_RECORDED,)))

        def key(identified_by: str | None) -> Hashable:
            return identified_by if identified_by in institutions else None

        header = INSTITUTION
        shares = {i: f"cases.identified_by.{i}" for i in institutions}
    return _age_table(
        "cases_identifying_institution",
        "cases",
        INSTITUTION_TITLE,
        (header,),
        rows,
        _by_minor(cases, lambda p: key(p[5])),
        total_row=True,
        row_shares=shares,
    )


def cases_by_region(submissions: Sequence[Submission]) -> Table:
    """Cases by region (national report); every region is listed."""
    rows = [(code, (Label.of(REGIONS[code]),)) for code in REGION_CODES]
    tallies = (
        submissions.cases.tallies
        if isinstance(submissions, Submissions)  # counted once for the whole report
        else [tally_of(s.cases) for s in submissions]
    )
    counter: Counter[tuple[Hashable, bool]] = Counter()
    for s, tally in zip(submissions, tallies, strict=True):
        for minor, n in marginal(tally.people, _IS_MINOR).items():
            counter[(s.region, minor)] += n
    return _age_table(
        "cases_region",
        "cases",
        REGION_TITLE,
        (REGION,),
        rows,
        counter,
        total_row=True,
        keep=lambda _k: True,
    )


def cases_by_exploitation(cases: Sequence[Case]) -> Table:
    """Cases by type of exploitation; a case with two types counts under both."""
    return _age_table(
        "cases_exploitation",
        "cases",
        EXPLOITATION_TITLE,
        (EXPLOITATION,),
        [*_code_rows(ExploitationType), (None, (NOT_RECORDED,))],
        _each_value(tally_of(cases).exploitation, (None,)),
        total_row=False,
    )


def cases_by_citizenship(cases: Sequence[Case]) -> Table:
    """Cases by citizenship (ISO 3166-1 code); a person with two counts under both."""
    tally = tally_of(cases)
    found = sorted(
        {cc for countries, _ in tally.citizenship for cc in countries},
        key=lambda cc: (cc != "AL", cc),
    )
    rows: list[tuple[Hashable, tuple[Cell, ...]]] = [(cc, (country_name(cc),)) for cc in found]
    rows.append((None, (NOT_RECORDED,)))
    return _age_table(
        "cases_citizenship",
        "cases",
        CITIZENSHIP_TITLE,
        (CITIZENSHIP,),
        rows,
        _each_value(tally.citizenship, (None,)),
        total_row=False,
    )


def assistance_by_type(cases: Sequence[Case]) -> Table:
    """Persons assisted, by type of assistance (a person counts once per type)."""
    return _age_table(
        "assistance_type",
        "referral",
        ASSISTANCE_TITLE,
        (ASSISTANCE,),
        _code_rows(AssistanceType),
        _each_value(tally_of(cases).assistance, ()),
        total_row=False,
    )


def referral(cases: Sequence[Case]) -> Table:
    """Cases referred and not referred, by status, with the median days from
    identification to referral."""
    referred: Counter[CaseStatus] = Counter()
    unreferred: Counter[CaseStatus] = Counter()
    days: dict[CaseStatus, list[int]] = defaultdict(list)
    for (st, _, d), n in tally_of(cases).referrals.items():
        if d is None:
            unreferred[st] += n
        else:
            referred[st] += n
            days[st].extend(repeat(d, n))
    rows: list[tuple[Cell, ...]] = []
    for st in CaseStatus:
        r, u = referred[st], unreferred[st]
        if r + u == 0 and st is CaseStatus.NOT_VICTIM:
            continue
        rows.append((Label.of(st), Count(r), Count(u), Count(r + u), Stat(median(days[st]), (r,))))
    all_days = [d for v in days.values() for d in v]
    tr, tu = sum(referred.values()), sum(unreferred.values())
    total = len(rows)
    rows.append((TOTAL, Count(tr), Count(tu), Count(tr + tu), Stat(median(all_days), (tr,))))
    return Table(
        key="referral",
        section="referral",
        title=REFERRAL_TITLE,
        header=REFERRAL_HEADER,
        rows=tuple(rows),
        grid=Grid(tuple(range(total)), (1, 2), total, 3),
        note=REFERRAL_NOTE,
        shared={(total, 3): SHARE_CASES, (total, 1): "cases.referred"},
    )


def cases_by_year(current: ReportData, previous: Sequence[ReportData]) -> Table:
    """Cases by year and status: the earlier datasets and this one."""
    datasets = sorted([*previous, current], key=lambda d: d.period)
    statuses = list(CaseStatus)
    rows: list[tuple[Cell, ...]] = []
    shared: dict[tuple[int, int], str] = {}
    for d in datasets:
        counter = marginal(tally_of(d.cases()).people, lambda p: p[0])
        values = [counter[s] for s in statuses]
        if d is current:
            shared[(len(rows), len(statuses) + 1)] = SHARE_CASES
        rows.append((d.period, *(Count(v) for v in values), Count(sum(values))))
    n = len(statuses)
    return Table(
        key="cases_year",
        section="institutions",
        title=YEAR_TITLE,
        header=(PERIOD, *(Label.of(s) for s in statuses), TOTAL),
        rows=tuple(rows),
        grid=Grid(tuple(range(len(rows))), tuple(range(1, n + 1)), None, n + 1),
        note=PEOPLE_NOTE,
        shared=shared,
    )
