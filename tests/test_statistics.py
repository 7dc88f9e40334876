"""Report tables: every figure equals a count computed here, independently, from the records."""

from __future__ import annotations

import statistics as pystats
from collections import Counter
from datetime import date

import pytest

from krat_core.demo.synthetic import generate_national, generate_submission
from krat_core.errors import (
    ComparisonMismatch,
    KratError,
    ReportError,
    ReportOptionError,
    UnsupportedDataset,
)
from krat_core.format.codelists import (
    ActivityStatus,
    CaseStatus,
    ExploitationType,
    ObjectiveStatus,
    Pillar,
    Sex,
)
from krat_core.format.models import Submission
from krat_core.messages import Message
from krat_core.reporting import (
    Count,
    Label,
    ReportData,
    Stat,
    Suppressed,
    Table,
    build_report,
    format_cell,
    report_data,
)
from krat_core.reporting.institutions import institution_metrics


def _national(subs: list[Submission], period: str = "2024") -> ReportData:
    return ReportData(tuple(subs), True, None, (period,))


def _value(cell: object) -> object:
    if isinstance(cell, Count | Stat):
        return cell.value
    return cell


def _row(table: Table, *labels: object) -> tuple:
    for row in table.rows:
        if tuple(row[: len(labels)]) == labels:
            return row
    raise AssertionError(f"{labels} not in {table.key}")


@pytest.fixture(scope="module")
def report(national_2024: list[Submission]):
    previous = generate_national(2023)
    return build_report(
        _national(national_2024),
        compare=[_national(previous, "2023")],
        suppress=None,
        generated_on="2025-02-10",
    )


def test_cases_by_status_sex_and_age(report, national_2024) -> None:
    cases = [c for s in national_2024 for c in s.cases]
    expected = Counter((c.status, c.sex, c.minor) for c in cases)
    table = report.table("cases_status_sex")
    for st in CaseStatus:
        for sx in Sex:
            minors, adults = expected[(st, sx, True)], expected[(st, sx, False)]
            main = st is not CaseStatus.NOT_VICTIM and sx in (Sex.FEMALE, Sex.MALE)
            if minors + adults == 0 and not main:
                assert not any(r[:2] == (Label.of(st), Label.of(sx)) for r in table.rows)
                continue
            row = _row(table, Label.of(st), Label.of(sx))
            assert [_value(c) for c in row[2:]] == [minors, adults, minors + adults]
    total = table.rows[-1]
    assert [_value(c) for c in total[2:]] == [
        sum(c.minor for c in cases),
        sum(not c.minor for c in cases),
        len(cases),
    ]


def test_cases_by_exploitation_counts_each_type(report, national_2024) -> None:
    cases = [c for s in national_2024 for c in s.cases]
    table = report.table("cases_exploitation")
    for t in ExploitationType:
        n = sum(t in c.exploitation_types for c in cases)
        if n:
            assert _value(_row(table, Label.of(t))[3]) == n
    assert sum(len(set(c.exploitation_types)) for c in cases) == sum(
        _value(r[3]) for r in table.rows
    )


def test_scope_region_source_and_institution_tables_add_up(report, national_2024) -> None:
    cases = [c for s in national_2024 for c in s.cases]
    for key in (
        "cases_scope",
        "cases_region",
        "cases_identification_source",
        "cases_identifying_institution",
    ):
        table = report.table(key)
        assert _value(table.rows[-1][-1]) == len(cases), key
        assert sum(_value(r[-1]) for r in table.rows[:-1]) == len(cases), key
    by_region = report.table("cases_region")
    counts = {s.region: len(s.cases) for s in national_2024}
    assert [_value(r[-1]) for r in by_region.rows[:-1]] == list(counts.values())


def test_referral_and_median(report, national_2024) -> None:
    cases = [c for s in national_2024 for c in s.cases]
    days = [(c.referral.referred_on - c.identified_on).days for c in cases if c.referral]
    total = report.table("referral").rows[-1]
    assert _value(total[1]) == len(days)
    assert _value(total[2]) == len(cases) - len(days)
    assert _value(total[4]) == pystats.median(days)
    vt = [c for c in cases if c.status is CaseStatus.VICTIM and c.referral]
    row = _row(report.table("referral"), Label.of(CaseStatus.VICTIM))
    assert _value(row[1]) == len(vt)


def test_assistance_counts_persons_per_type(report, national_2024) -> None:
    cases = [c for s in national_2024 for c in s.cases]
    table = report.table("assistance_type")
    counter = Counter(t for c in cases for t in {a.type for a in c.assistance})
    for t, n in counter.items():
        assert _value(_row(table, Label.of(t))[3]) == n


def test_activities_tables(report, national_2024) -> None:
    acts = [a for s in national_2024 for a in s.activities]
    held = [a for a in acts if a.status is ActivityStatus.COMPLETED]
    by_type = report.table("activities_type")
    assert by_type.rows[-1][1:3] == (len(acts), len(held))
    assert by_type.rows[-1][6] == sum(a.participants.total for a in held if a.participants)
    by_month = report.table("activities_month")
    october = Counter(a.start.month for a in held)[10]
    assert by_month.rows[9][1] == october
    sexes = report.table("participants_sex")
    assert sexes.rows[0][1] == sum(a.participants.female or 0 for a in held if a.participants)
    calendar = report.table("national_calendar")
    flagged = sorted((a for a in acts if a.national_calendar), key=lambda a: (a.start, a.id))
    assert len(calendar.rows) == len(flagged)
    assert [r[0] for r in calendar.rows] == [a.start for a in flagged]


def test_objectives_tables(report, national_2024) -> None:
    objectives = [o for s in national_2024 for o in s.objectives]
    table = report.table("objectives_status")
    counter = Counter((o.status, o.pillar) for o in objectives)
    for i, st in enumerate(ObjectiveStatus):
        assert list(table.rows[i][1:5]) == [counter[(st, p)] for p in Pillar]
    assert table.rows[-1][-1] == len(objectives)
    plan = report.table("objectives")
    assert len(plan.rows) == sum(max(1, len(o.indicators)) for o in objectives)
    first = min(objectives, key=lambda o: o.id)
    ind = first.indicators[0]
    assert (plan.rows[0][0].sq, plan.rows[0][1]) == ("Berat", first.id)  # national: the region
    assert plan.rows[0][10:12] == (ind.target, ind.actual)


def test_institution_metrics_and_comparison(report, national_2024) -> None:
    metrics = institution_metrics(national_2024)
    durres = national_2024[1]
    police = durres.institutions[0].id
    identified = [c for c in durres.cases if c.identified_by == police]
    assert metrics[police].identified == len(identified)
    assert metrics[police].referred == sum(1 for c in identified if c.referral)
    organised = [a for a in durres.activities if a.organiser == police]
    assert metrics[police].activities_planned == len(organised)
    comparison = report.table("institution_comparison")
    previous = institution_metrics(generate_national(2023))
    # one row per institution: region, institution, then per measure 2023, 2024, change
    row = next(r for r in comparison.rows if r[1] == Label(durres.institutions[0].name))
    assert row[0].sq == "Durrës"
    column = {h.en: i for i, h in enumerate(comparison.header)}
    held = column["Activities held 2023"]
    assert row[held : held + 3] == (
        previous[police].activities_held,
        metrics[police].activities_held,
        metrics[police].activities_held - previous[police].activities_held,
    )
    ident = column["Cases identified: change 2023–2024"]
    assert _value(row[ident]) == metrics[police].identified - previous[police].identified
    years = report.table("cases_year")
    assert [r[0] for r in years.rows] == ["2023", "2024"]
    assert _value(years.rows[1][-1]) == sum(len(s.cases) for s in national_2024)


def test_key_figures_copy_the_tables(report, national_2024) -> None:
    figures = report.table("key_figures")
    cases = sum(len(s.cases) for s in national_2024)
    by_label = {format_cell(r[0], "en"): r[1] for r in figures.rows}
    assert _value(by_label["Cases, total"]) == cases
    assert format_cell(figures.rows[1][0], "sq") == "Raste gjithsej"  # after the submissions


def test_regional_report_lists_institutions(durres_2024: Submission) -> None:
    report = build_report(durres_2024, generated_on="2025-02-10")
    assert not report.national
    assert not report.has("completeness") and not report.has("cases_region")
    table = report.table("cases_identifying_institution")
    names = {i.name for i in durres_2024.institutions}
    assert {r[0].sq for r in table.rows[:-1]} <= names | {"pa të dhëna"}
    assert report.title("en").endswith("Durrës region")


def test_suppressed_report_matches_the_true_counts(durres_2024: Submission) -> None:
    """Every shown count is the true one; every hidden count is non-zero, the small
    ones (1..4) among them."""
    true = build_report(durres_2024, suppress=None, generated_on="2025-02-10")
    shown = build_report(durres_2024, suppress=5, generated_on="2025-02-10")
    hidden = 0
    for t_true, t_shown in zip(true.tables, shown.tables, strict=True):
        for r_true, r_shown in zip(t_true.rows, t_shown.rows, strict=True):
            for a, b in zip(r_true, r_shown, strict=True):
                if isinstance(b, Suppressed):
                    hidden += 1
                    assert b.marker == "x"
                    if b.primary:
                        assert isinstance(a, Count) and 1 <= a.value <= 4
                    elif isinstance(a, Count):
                        assert a.value >= 1  # zero is always shown
                    continue
                assert a == b
    assert hidden > 0


def test_completeness_from_a_combined_dataset(national_2024: list[Submission]) -> None:
    import hashlib

    from krat_core.combine import CombineInput, combine
    from krat_core.format.canonical import dump_submission

    inputs = [
        CombineInput(f"{s.region}.json", hashlib.sha256(dump_submission(s)).hexdigest(), s)
        for s in national_2024
        if s.region != "AL-05"
    ]
    dataset = combine(inputs, period="2024").dataset
    data = report_data(dataset)
    assert data.national and len(data.submissions) == 11
    report = build_report(dataset, generated_on="2025-02-10")
    rows = report.table("completeness").rows
    assert len(rows) == 12
    missing = [r for r in rows if format_cell(r[2], "en") == "missing"]
    assert [format_cell(r[0], "sq") for r in missing] == ["Gjirokastër"]
    assert format_cell(missing[0][2], "sq") == "mungon"


def test_bad_inputs_raise_precise_krat_errors(durres_2024: Submission) -> None:
    with pytest.raises(UnsupportedDataset, match="cannot report"):
        build_report({"format": "x"})  # type: ignore[arg-type]
    with pytest.raises(ComparisonMismatch, match="same period") as caught:
        build_report(durres_2024, compare=[durres_2024])
    assert "--" not in str(caught.value)  # a library message names no command-line option
    with pytest.raises(ComparisonMismatch, match="same scope") as caught:
        build_report(durres_2024, compare=[generate_submission("AL-03", 2023)])
    assert "--" not in str(caught.value)
    with pytest.raises(ReportOptionError, match="ISO date"):
        build_report(durres_2024, generated_on="10.02.2025")
    with pytest.raises(ReportOptionError, match="at least 3") as caught:
        build_report(durres_2024, suppress=2)
    assert "--" not in str(caught.value)
    for error in (UnsupportedDataset, ComparisonMismatch, ReportOptionError):
        assert issubclass(error, ReportError) and issubclass(error, KratError)


def test_format_cell() -> None:
    assert format_cell(date(2019, 2, 13), "sq") == "13.02.2019"
    assert format_cell(date(2019, 2, 13), "en") == "2019-02-13"
    assert format_cell(2.5, "sq") == "2,5"
    assert format_cell(Stat(None, ()), "en") == "–"
    assert format_cell(Suppressed("x", True)) == "x"
    assert format_cell(Suppressed()) == "x"  # one marker, whatever the reason
    assert format_cell(Label("shfrytëzim", "exploitation"), "en") == "exploitation"
    assert format_cell(Label("Policia e Durrësit"), "en") == "Policia e Durrësit"
    assert format_cell(Message(sq="Gjithsej", en="Total"), "sq") == "Gjithsej"


def test_a_label_says_a_message_in_both_languages() -> None:
    change = Label.say(Message(sq="ndryshimi {a}–{b}", en="change {a}–{b}"), a="2023", b="2024")
    assert change == Label("ndryshimi 2023–2024", "change 2023–2024")
    # A label or message given as a value is put in the same language.
    metric = Message(sq="Raste", en="Cases")
    both = Label.say(Message(sq="{m}: {c}", en="{m}: {c}"), m=metric, c=change)
    assert both == Label("Raste: ndryshimi 2023–2024", "Cases: change 2023–2024")
