"""The case tables counted once (reporting.tally, issue 13 speed) equal the
tables counted the straightforward way: one pass over the cases per table, as
the builders did before the tally.

The reference below reads every case itself; the builders add up the tally.
Generated submissions are edited into the awkward cases: no identifying
institution or an unknown one, no referral, repeated exploitation types,
citizenships and assistance types, none of them at all, and no case at all.
"""

from __future__ import annotations

import copy
import pickle
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import astuple
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from krat_core.demo.synthetic import generate_submission
from krat_core.format.codelists import (
    ActivityStatus,
    ActivityType,
    AssistanceType,
    CaseStatus,
    ExploitationType,
    IdentificationSource,
    InstitutionType,
    ObjectiveStatus,
    Observance,
    Sex,
    TraffickingScope,
)
from krat_core.format.models import Activity, Case, Submission
from krat_core.format.models.activity import Participants
from krat_core.format.models.case import Assistance
from krat_core.format.regions import REGION_CODES, REGIONS
from krat_core.reporting import cases as C
from krat_core.reporting.activities import MONTHS
from krat_core.reporting.data import ReportData, days_to_referral, is_held, median
from krat_core.reporting.institutions import institution_metrics, institution_performance
from krat_core.reporting.labels import NOT_RECORDED, REGION, STATUS, TOTAL
from krat_core.reporting.outlook import NO_OBSERVANCE
from krat_core.reporting.report import build_tables
from krat_core.reporting.tables import Cell, Count, Label, Stat, Table
from krat_core.reporting.tally import Cases

# --------------------------------------------------------------------------- reference


def _counter(pairs: Any) -> Counter[tuple[Hashable, bool]]:
    return Counter(pairs)


def _code_rows(codelist: Any) -> list[tuple[Hashable, tuple[Cell, ...]]]:
    return [(m, (Label.of(m),)) for m in codelist]


def reference_tables(data: ReportData) -> dict[str, Table]:
    """The case tables of ``data``, each from its own pass over the cases."""
    cases = [c for s in data.submissions for c in s.cases]
    institutions = data.institutions()
    age = C._age_table
    out = [
        age(
            "cases_status_sex",
            "cases",
            C.STATUS_SEX_TITLE,
            (STATUS, C.SEX),
            [((a, b), (Label.of(a), Label.of(b))) for a in CaseStatus for b in Sex],
            _counter(((c.status, c.sex), c.minor) for c in cases),
            total_row=True,
            keep=lambda k: (
                k
                in {
                    (a, b)
                    for a in (CaseStatus.VICTIM, CaseStatus.POTENTIAL_VICTIM)
                    for b in (Sex.FEMALE, Sex.MALE)
                }
            ),
        ),
        age(
            "cases_sex",
            "cases",
            C.SEX_TITLE,
            (C.SEX,),
            _code_rows(Sex),
            _counter((c.sex, c.minor) for c in cases),
            total_row=True,
            keep=lambda k: k in (Sex.FEMALE, Sex.MALE),
        ),
        age(
            "cases_exploitation",
            "cases",
            C.EXPLOITATION_TITLE,
            (C.EXPLOITATION,),
            [*_code_rows(ExploitationType), (None, (NOT_RECORDED,))],
            _counter(
                (t, c.minor)
                for c in cases
                for t in (dict.fromkeys(c.exploitation_types) or (None,))
            ),
            total_row=False,
        ),
        age(
            "cases_scope",
            "cases",
            C.SCOPE_TITLE,
            (C.SCOPE,),
            _code_rows(TraffickingScope),
            _counter((c.scope, c.minor) for c in cases),
            total_row=True,
            keep=lambda k: k is not TraffickingScope.UNKNOWN,
        ),
        age(
            "cases_identification_source",
            "cases",
            C.SOURCE_TITLE,
            (C.SOURCE,),
            _code_rows(IdentificationSource),
            _counter((c.identification_source, c.minor) for c in cases),
            total_row=True,
        ),
        age(
            "assistance_type",
            "referral",
            C.ASSISTANCE_TITLE,
            (C.ASSISTANCE,),
            _code_rows(AssistanceType),
            _counter(
                (t, c.minor) for c in cases for t in dict.fromkeys(a.type for a in c.assistance)
            ),
            total_row=False,
        ),
    ]
    found = sorted({cc for c in cases for cc in c.citizenships}, key=lambda cc: (cc != "AL", cc))
    out.append(
        age(
            "cases_citizenship",
            "cases",
            C.CITIZENSHIP_TITLE,
            (C.CITIZENSHIP,),
            [*((cc, (C.country_name(cc),)) for cc in found), (None, (NOT_RECORDED,))],
            _counter(
                (cc, c.minor) for c in cases for cc in (dict.fromkeys(c.citizenships) or (None,))
            ),
            total_row=False,
        )
    )
    if data.national:
        rows: list[tuple[Hashable, tuple[Cell, ...]]] = [
            *_code_rows(InstitutionType),
            (None, (NOT_RECORDED,)),
        ]
        types = {i.id: i.type for i in institutions.values()}
        keys: list[Hashable] = [
            types.get(c.identified_by) if c.identified_by else None for c in cases
        ]
        shares: dict[Hashable, str] = {}
        out.append(
            age(
                "cases_region",
                "cases",
                C.REGION_TITLE,
                (REGION,),
                [(code, (Label.of(REGIONS[code]),)) for code in REGION_CODES],
                _counter((s.region, c.minor) for s in data.submissions for c in s.cases),
                total_row=True,
                keep=lambda _k: True,
            )
        )
    else:
        rows = [(i.id, (Label(i.name),)) for i in institutions.values()]
        rows.append((None, (NOT_RECORDED,)))
        keys = [c.identified_by if c.identified_by in institutions else None for c in cases]
        shares = {i: f"cases.identified_by.{i}" for i in institutions}
    out.append(
        age(
            "cases_identifying_institution",
            "cases",
            C.INSTITUTION_TITLE,
            (C.INSTITUTION_TYPE if data.national else C.INSTITUTION,),
            rows,
            _counter(zip(keys, (c.minor for c in cases), strict=True)),
            total_row=True,
            row_shares=shares,
        )
    )
    return {t.key: t for t in out}


def reference_referral_rows(cases: Sequence[Case]) -> list[tuple[Cell, ...]]:
    """The referral table's rows, from a pass over the cases."""
    referred: Counter[CaseStatus] = Counter()
    unreferred: Counter[CaseStatus] = Counter()
    days: dict[CaseStatus, list[int]] = defaultdict(list)
    for c in cases:
        d = days_to_referral(c)
        if d is None:
            unreferred[c.status] += 1
        else:
            referred[c.status] += 1
            days[c.status].append(d)
    rows: list[tuple[Cell, ...]] = []
    for s in CaseStatus:
        r, u = referred[s], unreferred[s]
        if r + u or s is not CaseStatus.NOT_VICTIM:
            rows.append(
                (Label.of(s), Count(r), Count(u), Count(r + u), Stat(median(days[s]), (r,)))
            )
    tr, tu = sum(referred.values()), sum(unreferred.values())
    every = [d for v in days.values() for d in v]
    rows.append((TOTAL, Count(tr), Count(tu), Count(tr + tu), Stat(median(every), (tr,))))
    return rows


def reference_metrics(subs: Sequence[Submission]) -> dict[str, tuple[Any, ...]]:
    """Each institution's metrics (days sorted), from a pass over the records."""
    out: dict[str, list[Any]] = defaultdict(lambda: [0, 0, [], 0, 0, 0, 0])
    for s in subs:
        for i in s.institutions:
            out[i.id]
        for c in s.cases:
            if c.identified_by is None:
                continue
            m = out[c.identified_by]
            m[0] += 1
            d = days_to_referral(c)
            if d is not None:
                m[1] += 1
                m[2].append(d)
        for a in s.activities:
            m = out[a.organiser]
            m[4] += 1
            m[3] += is_held(a)
        for o in s.objectives:
            for r in dict.fromkeys(o.responsible):
                m = out[r]
                m[6] += 1
                m[5] += o.status is ObjectiveStatus.ACHIEVED
    return {k: (*v[:2], sorted(v[2]), *v[3:]) for k, v in out.items()}


def reference_activity_rows(activities: Sequence[Activity]) -> dict[str, list[Any]]:
    """The rows of the activity tables, each from its own pass over the activities."""
    by_type: dict[ActivityType, list[int]] = {t: [0] * 6 for t in ActivityType}
    held_by_month, people_by_month = [0] * 12, [0] * 12
    female = male = total = 0
    for a in activities:
        v = by_type[a.type]
        v[0] += 1
        if is_held(a):
            v[1] += 1
            held_by_month[a.start.month - 1] += 1
            if a.participants is not None:
                v[3] += a.participants.female or 0
                v[4] += a.participants.male or 0
                v[5] += a.participants.total
                people_by_month[a.start.month - 1] += a.participants.total
                female += a.participants.female or 0
                male += a.participants.male or 0
                total += a.participants.total
        elif a.status in (ActivityStatus.CANCELLED, ActivityStatus.POSTPONED):
            v[2] += 1
    type_rows = [(Label.of(t), *v) for t, v in by_type.items() if v[0]]
    type_rows.append((TOTAL, *(sum(v[i] for v in by_type.values()) for i in range(6))))
    month_rows = [(MONTHS[m], held_by_month[m], people_by_month[m]) for m in range(12)]
    month_rows.append((TOTAL, sum(held_by_month), sum(people_by_month)))
    calendar = sorted((a for a in activities if a.national_calendar), key=lambda a: (a.start, a.id))
    return {
        "activities_type": type_rows,
        "activities_month": month_rows,
        "participants_sex": [female, male, max(0, total - female - male), total],
        "national_calendar": [
            (
                a.start,
                a.end if a.end is not None and a.end != a.start else None,
                Label(a.title, a.title_en),
                Label.of(a.type),
                Label.of(a.observance) if a.observance is not None else "",
                ", ".join(p for p in (a.place, a.municipality) if p),
                a.organiser,
                Label.of(a.status),
            )
            for a in calendar
        ],
    }


# --------------------------------------------------------------------------- edits

EDITS = st.fixed_dictionaries(
    {
        "identified_by": st.sampled_from(["keep", "none", "unknown", "first"]),
        "referral": st.booleans(),
        "exploitation": st.sampled_from(["keep", "empty", "twice", "all"]),
        "citizenships": st.sampled_from(["keep", "empty", "twice", "two"]),
        "assistance": st.sampled_from(["keep", "empty", "twice"]),
        "minor": st.booleans(),
    }
)


def _edit(case: Case, edit: dict[str, Any], first: str) -> Case:
    update: dict[str, Any] = {"minor": edit["minor"]}
    update["identified_by"] = {
        "keep": case.identified_by,
        "none": None,
        "unknown": "AL-99-I-9999",
        "first": first,
    }[edit["identified_by"]]
    if not edit["referral"]:
        update["referral"] = None
    update["exploitation_types"] = {
        "keep": case.exploitation_types,
        "empty": [],
        "twice": case.exploitation_types * 2,
        "all": [*ExploitationType, ExploitationType.SEXUAL],
    }[edit["exploitation"]]
    update["citizenships"] = {
        "keep": case.citizenships,
        "empty": [],
        "twice": case.citizenships * 2,
        "two": ["XK", *case.citizenships],
    }[edit["citizenships"]]
    update["assistance"] = {
        "keep": case.assistance,
        "empty": [],
        "twice": [*case.assistance, *case.assistance],
    }[edit["assistance"]]
    return case.model_copy(update=update)


ACTIVITY_EDITS = st.fixed_dictionaries(
    {
        "status": st.sampled_from([None, *ActivityStatus]),
        "participants": st.sampled_from(["keep", "none", "no sex", "female only"]),
        "national_calendar": st.booleans(),
        "place": st.sampled_from(["keep", "none", "both", "place", "municipality"]),
        "observance": st.sampled_from(["keep", None, *Observance]),
        "next_year": st.booleans(),
    }
)


def _edit_activity(activity: Activity, edit: dict[str, Any]) -> Activity:
    update: dict[str, Any] = {"national_calendar": edit["national_calendar"]}
    if edit["status"] is not None:
        update["status"] = edit["status"]
    update["participants"] = {
        "keep": activity.participants,
        "none": None,
        "no sex": Participants(total=12),
        "female only": Participants(female=7, total=9),
    }[edit["participants"]]
    if edit["place"] == "none":
        update |= {"place": None, "municipality": None}
    elif edit["place"] == "both":
        update |= {"place": "Shkolla 1", "municipality": "Durrës"}
    elif edit["place"] == "place":
        update |= {"place": "Shkolla 1", "municipality": None}
    elif edit["place"] == "municipality":
        update |= {"place": None, "municipality": "Durrës"}
    if edit["observance"] != "keep":
        update["observance"] = edit["observance"]
    if edit["next_year"]:
        update["start"] = activity.start + timedelta(days=366)
        update["end"] = activity.end + timedelta(days=366) if activity.end else None
    return activity.model_copy(update=update)


@st.composite
def report_datas(draw: st.DrawFn) -> ReportData:
    codes = draw(st.lists(st.sampled_from(REGION_CODES), min_size=1, max_size=3, unique=True))
    subs = []
    for code in codes:
        sub = generate_submission(
            code,
            2024,
            seed=draw(st.integers(0, 10_000)),
            cases=draw(st.integers(0, 25)),
            activities=draw(st.integers(0, 6)),
        )
        edits = draw(st.lists(EDITS, min_size=len(sub.cases), max_size=len(sub.cases)))
        first = sub.institutions[0].id
        cases = [_edit(c, e, first) for c, e in zip(sub.cases, edits, strict=True)]
        changes = draw(
            st.lists(ACTIVITY_EDITS, min_size=len(sub.activities), max_size=len(sub.activities))
        )
        activities = [_edit_activity(a, e) for a, e in zip(sub.activities, changes, strict=True)]
        subs.append(sub.model_copy(update={"cases": cases, "activities": activities}))
    national = len(subs) > 1 or draw(st.booleans())
    region: str | None = None if national else subs[0].region
    return ReportData(tuple(subs), national, region, ("2024",))


# --------------------------------------------------------------------------- tests


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=report_datas())
def test_tally_tables_equal_the_tables_counted_case_by_case(data: ReportData) -> None:
    tables = build_tables(data)
    expected = reference_tables(data)
    for key, table in expected.items():
        assert tables[key] == table, key
        assert repr(tables[key]) == repr(table), key  # same types too (1 == 1.0 == True)
    assert list(tables["referral"].rows) == reference_referral_rows(data.cases())
    # a plain list of the cases (counted on the spot) gives the same tables
    plain = list(data.cases())
    assert C.cases_by_exploitation(plain) == expected["cases_exploitation"]
    assert C.assistance_by_type(plain) == expected["assistance_type"]
    assert C.referral(plain) == tables["referral"]
    metrics = institution_metrics(data.submissions)
    reference = reference_metrics(data.submissions)
    assert {k: (*astuple(m)[:2], sorted(m.days), *astuple(m)[3:]) for k, m in metrics.items()} == (
        reference
    )
    assert institution_performance(data) == tables["institution_performance"]
    if data.national:  # submissions without their tally: counted on the spot
        assert C.cases_by_region(tuple(data.submissions)) == tables["cases_region"]
    activity_rows = reference_activity_rows(data.activities())
    assert list(tables["activities_type"].rows) == activity_rows["activities_type"]
    assert list(tables["activities_month"].rows) == activity_rows["activities_month"]
    assert [r[1] for r in tables["participants_sex"].rows] == activity_rows["participants_sex"]
    calendar = [r[:2] + r[3:] if data.national else r for r in tables["national_calendar"].rows]
    names = {i.id: i.name for i in data.institutions().values()}
    assert [(*r[:6], names.get(str(r[6]), r[6]), r[7]) for r in calendar] == [
        (*r[:6], names.get(str(r[6]), r[6]), r[7]) for r in activity_rows["national_calendar"]
    ]
    # the coming year's observances: activities held this year and planned for the next
    held: Counter[Observance] = Counter()
    planned: Counter[Observance] = Counter()
    in_calendar: Counter[tuple[Observance | None, str]] = Counter()
    for s in data.submissions:
        for a in s.activities:
            if a.national_calendar:
                in_calendar[(a.observance, s.region)] += 1
            if a.observance is None:
                continue
            if a.start.year == 2024 and a.status is ActivityStatus.COMPLETED:
                held[a.observance] += 1
            elif a.start.year == 2025:
                planned[a.observance] += 1
    ahead = tables["calendar_ahead"]
    assert [r[2:4] for r in ahead.rows] == [
        (held[o], planned[o])
        for o in (Observance.WORLD_DAY, Observance.EU_DAY, Observance.OCTOBER_MONTH)
    ]
    summary = {r[0]: r[-1] for r in tables["calendar_summary"].rows[:-1]}
    by_label: Counter[Any] = Counter()
    for (o, r), n in in_calendar.items():
        if data.national:
            by_label[Label(REGIONS[r].sq, REGIONS[r].en)] += n
        else:
            by_label[Label.of(o) if o is not None else NO_OBSERVANCE] += n
    assert summary == dict(by_label)
    by_status = Counter(c.status for c in plain)
    year = C.cases_by_year(data, [])
    assert year.rows[0][1:-1] == tuple(Count(by_status[s]) for s in CaseStatus)


def test_no_case_at_all() -> None:
    sub = generate_submission("AL-11", 2024, cases=0, activities=2)
    data = ReportData((sub,), False, "AL-11", ("2024",))
    tables = build_tables(data)
    for key, table in reference_tables(data).items():
        assert tables[key] == table, key
    assert tables["cases_sex"].rows[-1][-1] == Count(0)
    assert tables["assistance_type"].rows == ()


def test_report_data_counts_its_cases_once() -> None:
    sub = generate_submission("AL-11", 2024, cases=30, activities=2)
    data = ReportData((sub,), False, "AL-11", ("2024",))
    cases = data.cases()
    assert isinstance(cases, Cases)
    assert data.cases() is cases
    assert cases.tally is cases.tally
    assert list(cases) == list(sub.cases)
    assert sum(cases.tally.people.values()) == 30
    # a copy (pickled, as to another process) holds the same cases and tally
    again = pickle.loads(pickle.dumps(data))
    assert list(again.cases()) == list(cases)
    assert again.cases().tally == cases.tally
    assert copy.deepcopy(cases) == cases
    # another ReportData of the same records counts them on its own
    other = ReportData((sub,), True, None, ("2024",))
    assert other.cases() is not cases
    assert other.cases().tally == cases.tally


@pytest.mark.parametrize("repeat", [1, 3])
def test_repeated_values_count_once_per_case(repeat: int) -> None:
    sub = generate_submission("AL-11", 2024, seed=3, cases=4, activities=0)
    case = sub.cases[0].model_copy(
        update={
            "exploitation_types": [ExploitationType.SEXUAL] * repeat,
            "citizenships": ["AL"] * repeat,
            "assistance": [Assistance(type=AssistanceType.SHELTER, start=date(2024, 3, 1))]
            * repeat,
            "minor": True,
        }
    )
    table = C.cases_by_exploitation([case])
    row = next(r for r in table.rows if r[0] == Label.of(ExploitationType.SEXUAL))
    assert row[1:] == (Count(1), Count(0), Count(1))
    citizenship = C.cases_by_citizenship([case])
    assert citizenship.rows[0][1:] == (Count(1), Count(0), Count(1))
    assistance = C.assistance_by_type([case])
    assert [r[1:] for r in assistance.rows] == [(Count(1), Count(0), Count(1))]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=report_datas())
def test_tally_from_columns_equals_tally_of_records(data: ReportData) -> None:
    """The tally counted from the columns the record files write (CaseColumns) is the
    tally counted record by record, for every submission and in total."""
    from krat_core.reporting.tally import tally_cases

    cases = data.cases()
    assert "tallies" not in cases.__dict__
    _ = cases.columns  # read first: the tallies are then counted from the columns
    for part, tally in zip(cases.parts, cases.tallies, strict=True):
        assert tally == tally_cases(part)
    assert cases.tally == tally_cases(list(cases))
    assert build_tables(data) == build_tables(ReportData(*astuple_shallow(data)))


def astuple_shallow(data: ReportData) -> tuple[Any, ...]:
    """The fields of ``data`` (its submissions as a plain tuple: a fresh tally)."""
    return (tuple(data.submissions), data.national, data.region, data.periods, data.completeness)
