"""The built-in rules: each fires on the mistake it is about, and only there.

Every test starts from a synthetic submission that passes every rule, plants one
mistake with ``model_copy(update=...)`` and checks the exact findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from krat_core.demo.synthetic import generate_national, generate_submission
from krat_core.findings import Severity
from krat_core.format.codelists import (
    ActivityStatus,
    CaseStage,
    CaseStatus,
    ClosingReason,
    ObjectiveStatus,
    Observance,
    TraffickingScope,
)
from krat_core.format.models import Assistance, Indicator, Participants, Referral, Submission
from krat_core.plugins.manager import Registry, load_plugins
from krat_core.validation.engine import ValidationReport, resolve_pointer, validate

Mutation = Callable[[Submission], Submission]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_plugins()


@pytest.fixture(scope="module")
def base() -> Submission:
    return generate_submission("AL-02", 2024, seed=3)


def _replace(sub: Submission, attr: str, index: int, **update: Any) -> Submission:
    items = list(getattr(sub, attr))
    items[index] = items[index].model_copy(update=update)
    return sub.model_copy(update={attr: items})


def case(index: int = 0, **update: Any) -> Mutation:
    return lambda s: _replace(s, "cases", index, **update)


def activity(index: int = 0, **update: Any) -> Mutation:
    return lambda s: _replace(s, "activities", index, **update)


def objective(index: int = 0, **update: Any) -> Mutation:
    return lambda s: _replace(s, "objectives", index, **update)


def _codes(report: ValidationReport) -> set[str]:
    return {f.code for f in report.findings}


def test_synthetic_national_data_passes_every_rule(registry: Registry) -> None:
    for period in ("2024", "2023-H1", "2023-H2"):
        for submission in generate_national(period, seed=1):
            report = validate(submission, registry)
            assert report.findings == (), (submission.region, period, report.counts_by_code)


def test_all_documented_rules_are_registered(registry: Registry) -> None:
    builtin = {c for c, rule in registry.rules.items() if (rule.plugin or "").endswith("-rules")}
    doc = (Path(__file__).parent.parent / "docs" / "validation.md").read_text(encoding="utf-8")
    for code in builtin:
        assert f"`{code}`" in doc, f"{code} is not documented in docs/validation.md"
    assert len(builtin) >= 30


def _fixed_case(base: Submission) -> tuple[int, Any]:
    """A case of ``base`` with a referral and at least one assistance."""
    for i, c in enumerate(base.cases):
        if c.referral is not None and c.assistance:
            return i, c
    raise AssertionError("synthetic data has no assisted case")


D = date(2024, 5, 10)
REF = Referral(referred_on=D, referred_to="AL-02-I-0003")


def _assist(start: date, end: date | None = None, provider: str = "AL-02-I-0012") -> Assistance:
    from krat_core.format.codelists import AssistanceType

    return Assistance(type=AssistanceType.SHELTER, provider=provider, start=start, end=end)


# (mutation, code, pointer, severity)
CASES: list[tuple[str, Mutation, str, str, Severity]] = [
    (
        "referral before identification",
        case(
            identified_on=D,
            referral=REF.model_copy(update={"referred_on": D - timedelta(1)}),
            assistance=[],
            stage=CaseStage.REFERRED,
            closed_on=None,
            closing_reason=None,
        ),
        "case.referral-before-identification",
        "/referral/referred_on",
        Severity.ERROR,
    ),
    (
        "assistance before referral",
        case(
            identified_on=D,
            referral=REF,
            assistance=[_assist(D - timedelta(1))],
            stage=CaseStage.ASSISTED,
            closed_on=None,
            closing_reason=None,
        ),
        "case.assistance-before-referral",
        "/assistance/0/start",
        Severity.ERROR,
    ),
    (
        "assistance before identification, no referral",
        case(
            identified_on=D,
            referral=None,
            assistance=[_assist(D - timedelta(2))],
            stage=CaseStage.IDENTIFIED,
            closed_on=None,
            closing_reason=None,
        ),
        "case.assistance-before-identification",
        "/assistance/0/start",
        Severity.ERROR,
    ),
    (
        "assistance ends before it starts",
        case(
            identified_on=D,
            referral=REF,
            assistance=[_assist(D, D + timedelta(30)), _assist(D + timedelta(5), D + timedelta(1))],
            stage=CaseStage.ASSISTED,
            closed_on=None,
            closing_reason=None,
        ),
        "case.assistance-end-before-start",
        "/assistance/1/end",
        Severity.ERROR,
    ),
    (
        "closing before identification",
        case(
            identified_on=D,
            referral=None,
            assistance=[],
            stage=CaseStage.CLOSED,
            closed_on=D - timedelta(1),
            closing_reason=ClosingReason.OTHER,
        ),
        "case.closing-before-identification",
        "/closed_on",
        Severity.ERROR,
    ),
    (
        "closing before referral",
        case(
            identified_on=D,
            referral=REF.model_copy(update={"referred_on": D + timedelta(9)}),
            assistance=[],
            stage=CaseStage.CLOSED,
            closed_on=D + timedelta(3),
            closing_reason=ClosingReason.OTHER,
        ),
        "case.closing-before-referral",
        "/closed_on",
        Severity.ERROR,
    ),
    (
        "closing before assistance end",
        case(
            identified_on=D,
            referral=REF,
            assistance=[_assist(D, D + timedelta(40))],
            stage=CaseStage.CLOSED,
            closed_on=D + timedelta(20),
            closing_reason=ClosingReason.OTHER,
        ),
        "case.closing-before-assistance",
        "/closed_on",
        Severity.ERROR,
    ),
    (
        "case date after the submission",
        case(
            identified_on=D,
            referral=REF,
            assistance=[_assist(D, date(2025, 3, 1))],
            stage=CaseStage.ASSISTED,
            closed_on=None,
            closing_reason=None,
        ),
        "case.date-after-submission",
        "/assistance/0/end",
        Severity.ERROR,
    ),
    (
        "case date before the period",
        case(
            identified_on=date(2023, 12, 20),
            referral=None,
            assistance=[],
            stage=CaseStage.IDENTIFIED,
            closed_on=None,
            closing_reason=None,
        ),
        "case.date-outside-period",
        "/identified_on",
        Severity.WARNING,
    ),
    (
        "activity ends before it starts",
        activity(start=D, end=D - timedelta(1), observance=None, national_calendar=False),
        "activity.end-before-start",
        "/end",
        Severity.ERROR,
    ),
    (
        "completed activity after the submission",
        activity(
            start=date(2025, 2, 3),
            end=None,
            observance=None,
            national_calendar=False,
            status=ActivityStatus.COMPLETED,
            participants=Participants(female=1, male=1, total=2),
        ),
        "activity.date-after-submission",
        "/start",
        Severity.ERROR,
    ),
    (
        "planned activity in the next year",
        activity(
            start=date(2025, 3, 3),
            end=None,
            observance=None,
            national_calendar=False,
            status=ActivityStatus.PLANNED,
            participants=None,
        ),
        "activity.date-outside-period",
        "/start",
        Severity.WARNING,
    ),
    (
        "id of another region",
        case(id="AL-03-C-2024-0999"),
        "id.wrong-region",
        "/id",
        Severity.ERROR,
    ),
    (
        "unknown identifying institution",
        case(identified_by="AL-02-I-0777"),
        "ref.unknown-institution",
        "/identified_by",
        Severity.ERROR,
    ),
    (
        "unknown partner",
        activity(partners=["AL-02-I-0001", "AL-02-I-0555"], organiser="AL-02-I-0002"),
        "ref.unknown-institution",
        "/partners/1",
        Severity.ERROR,
    ),
    (
        "unknown responsible institution",
        objective(responsible=["AL-02-I-0444"]),
        "ref.unknown-institution",
        "/responsible/0",
        Severity.ERROR,
    ),
    (
        "unknown objective",
        activity(objectives=["AL-02-O-2024-0321"]),
        "ref.unknown-objective",
        "/objectives/0",
        Severity.ERROR,
    ),
    (
        "minor flag against age",
        case(age_at_identification=15, minor=False),
        "case.minor-flag-mismatch",
        "/minor",
        Severity.ERROR,
    ),
    (
        "adult flagged minor",
        case(age_at_identification=30, minor=True),
        "case.minor-flag-mismatch",
        "/minor",
        Severity.ERROR,
    ),
    (
        "referred without referral",
        case(
            referral=None,
            assistance=[],
            stage=CaseStage.REFERRED,
            closed_on=None,
            closing_reason=None,
        ),
        "case.referral-missing",
        "/referral",
        Severity.ERROR,
    ),
    (
        "closed without date",
        case(
            identified_on=D,
            referral=REF,
            assistance=[],
            stage=CaseStage.CLOSED,
            closed_on=None,
            closing_reason=ClosingReason.REINTEGRATED,
        ),
        "case.closing-date-missing",
        "/closed_on",
        Severity.ERROR,
    ),
    (
        "closed without reason",
        case(
            identified_on=D,
            referral=REF,
            assistance=[],
            stage=CaseStage.CLOSED,
            closed_on=D + timedelta(10),
            closing_reason=None,
        ),
        "case.closing-reason-missing",
        "/closing_reason",
        Severity.ERROR,
    ),
    (
        "closing date on an open case",
        case(
            identified_on=D,
            referral=REF,
            assistance=[],
            stage=CaseStage.REFERRED,
            closed_on=D + timedelta(10),
            closing_reason=None,
        ),
        "case.closing-date-on-open-case",
        "/stage",
        Severity.WARNING,
    ),
    (
        "transnational with only Albania",
        case(scope=TraffickingScope.TRANSNATIONAL, countries_of_exploitation=["AL"]),
        "case.transnational-without-foreign-country",
        "/countries_of_exploitation",
        Severity.ERROR,
    ),
    (
        "internal abroad",
        case(scope=TraffickingScope.INTERNAL, countries_of_exploitation=["AL", "IT"]),
        "case.internal-with-foreign-country",
        "/countries_of_exploitation/1",
        Severity.ERROR,
    ),
    (
        "VT without decider",
        case(status=CaseStatus.VICTIM, status_decided_by=None),
        "case.victim-without-decider",
        "/status_decided_by",
        Severity.ERROR,
    ),
    (
        "completed without participants",
        activity(
            status=ActivityStatus.COMPLETED, participants=None, start=D, end=None, observance=None
        ),
        "activity.participants-missing",
        "/participants",
        Severity.ERROR,
    ),
    (
        "participants above total",
        activity(participants=Participants(female=30, male=25, total=50)),
        "activity.participants-exceed-total",
        "/participants/total",
        Severity.ERROR,
    ),
    (
        "planned but past",
        activity(
            status=ActivityStatus.PLANNED, participants=None, start=D, end=None, observance=None
        ),
        "activity.planned-but-past",
        "/status",
        Severity.WARNING,
    ),
    (
        "EU day not on 18 October",
        activity(observance=Observance.EU_DAY, start=date(2024, 10, 15), end=None),
        "activity.observance-date",
        "/start",
        Severity.WARNING,
    ),
    (
        "World day not on 30 July",
        activity(observance=Observance.WORLD_DAY, start=date(2024, 7, 29), end=None),
        "activity.observance-date",
        "/start",
        Severity.WARNING,
    ),
    (
        "October month in November",
        activity(observance=Observance.OCTOBER_MONTH, start=date(2024, 11, 2), end=None),
        "activity.observance-date",
        "/start",
        Severity.WARNING,
    ),
    (
        "deadline outside the plan year",
        objective(deadline=date(2025, 3, 1), status=ObjectiveStatus.ACHIEVED),
        "objective.deadline-outside-year",
        "/deadline",
        Severity.ERROR,
    ),
    (
        "achieved below target",
        objective(
            status=ObjectiveStatus.ACHIEVED,
            indicators=[Indicator(name="x", baseline=1.0, target=10.0, actual=7.0)],
        ),
        "objective.achieved-below-target",
        "/indicators/0/actual",
        Severity.WARNING,
    ),
    (
        "falling target missed",
        objective(
            status=ObjectiveStatus.ACHIEVED,
            indicators=[Indicator(name="x", baseline=20.0, target=10.0, actual=12.0)],
        ),
        "objective.achieved-below-target",
        "/indicators/0/actual",
        Severity.WARNING,
    ),
    (
        "indicator without target",
        objective(indicators=[Indicator(name="x", target=5.0), Indicator(name="y")]),
        "objective.indicator-without-target",
        "/indicators/1/target",
        Severity.ERROR,
    ),
    (
        "objective without indicators",
        objective(indicators=[]),
        "objective.no-indicators",
        "/indicators",
        Severity.WARNING,
    ),
    (
        "deadline passed, still in progress",
        objective(deadline=date(2024, 6, 30), status=ObjectiveStatus.IN_PROGRESS),
        "objective.past-deadline-still-open",
        "/status",
        Severity.WARNING,
    ),
    (
        "objective of another year",
        objective(year=2023, deadline=date(2023, 12, 15), status=ObjectiveStatus.NOT_ACHIEVED),
        "objective.year-outside-period",
        "/year",
        Severity.WARNING,
    ),
]


@pytest.mark.parametrize(
    ("mutate", "code", "pointer", "severity"),
    [pytest.param(m, c, p, s, id=name) for name, m, c, p, s in CASES],
)
def test_rule_fires_exactly_where_the_mistake_is(
    registry: Registry,
    base: Submission,
    mutate: Mutation,
    code: str,
    pointer: str,
    severity: Severity,
) -> None:
    changed = mutate(base)
    report = validate(changed, registry)
    assert code in _codes(report), report.to_text("en")
    assert not any(f.code == "rule-error" for f in report.findings)
    mine = [f for f in report.findings if f.code == code]
    assert [f.pointer for f in mine] == [pointer]
    finding = mine[0]
    assert finding.severity is severity
    assert finding.plugin is not None and finding.plugin.endswith("-rules")
    assert finding.rule == code
    # The pointer resolves in the record it names.
    records = {(r.KIND, r.id): r.model_dump(mode="json") for r in changed.records()}
    resolve_pointer(records[(finding.kind, finding.record_id)], finding.pointer)
    # Both languages, and Albanian is written with its letters.
    assert finding.message_en and finding.message_sq and finding.message_en != finding.message_sq
    assert not re.search(r"[0-9a-f]{64}", finding.message_en + finding.message_sq)


def test_one_bad_closing_date_gives_one_finding(registry: Registry, base: Submission) -> None:
    changed = case(
        identified_on=D,
        referral=REF,
        assistance=[_assist(D, D + timedelta(9))],
        stage=CaseStage.CLOSED,
        closed_on=D - timedelta(5),
        closing_reason=ClosingReason.OTHER,
    )(base)
    closing = [f.code for f in validate(changed, registry).findings if "closing" in f.code]
    assert closing == ["case.closing-before-identification"]


def test_multi_day_campaign_across_the_observance_is_fine(
    registry: Registry, base: Submission
) -> None:
    changed = activity(
        observance=Observance.EU_DAY, start=date(2024, 10, 16), end=date(2024, 10, 19)
    )(base)
    assert "activity.observance-date" not in _codes(validate(changed, registry))
    changed = activity(
        observance=Observance.OCTOBER_MONTH, start=date(2024, 9, 28), end=date(2024, 10, 2)
    )(base)
    assert "activity.observance-date" not in _codes(validate(changed, registry))


def test_late_objective_may_have_its_deadline_after_the_year(
    registry: Registry, base: Submission
) -> None:
    for status in (ObjectiveStatus.NOT_ACHIEVED, ObjectiveStatus.PARTIALLY_ACHIEVED):
        changed = objective(deadline=date(2025, 1, 10), status=status)(base)
        assert "objective.deadline-outside-year" not in _codes(validate(changed, registry))


def test_duplicate_ids_are_found_in_one_pass(registry: Registry, base: Submission) -> None:
    first = base.cases[0]
    cases = [*base.cases, first.model_copy(), first.model_copy()]
    report = validate(base.model_copy(update={"cases": cases}), registry)
    dups = [f for f in report.findings if f.code == "id.duplicate"]
    assert len(dups) == 2
    assert {f.record_id for f in dups} == {first.id}
    assert all(f.kind == "case" and f.pointer == "/id" for f in dups)
    n = len(base.cases)
    # each finding names every record with the id, in both languages
    for dup in dups:
        assert f"records no. 1, {n + 1}, and {n + 2} of the cases" in dup.message_en
        assert f"regjistrimet nr. 1, {n + 1} dhe {n + 2} në listën e rasteve" in dup.message_sq


def test_possible_duplicate_never_shows_the_subject_ref(
    registry: Registry, base: Submission
) -> None:
    ref = base.cases[0].subject_ref
    changed = case(2, subject_ref=ref)(base)
    report = validate(changed, registry)
    found = [f for f in report.findings if f.code == "case.possible-duplicate"]
    assert len(found) == 1
    f = found[0]
    assert f.record_id == base.cases[2].id and f.pointer == "/subject_ref"
    assert f.value is None
    assert base.cases[0].id in f.message_en
    assert ref not in report.to_json().decode() and ref not in report.to_text("sq")


def test_minor_rule_does_not_echo_the_age(registry: Registry, base: Submission) -> None:
    changed = case(age_at_identification=16, minor=False)(base)
    report = validate(changed, registry)
    f = next(f for f in report.findings if f.code == "case.minor-flag-mismatch")
    assert "16" not in f.message_en and "16" not in f.message_sq
    assert f.value is False


def test_region_scoped_plugin_rule_runs_only_in_its_region(base: Submission) -> None:
    from krat_core import hookimpl
    from krat_core.findings import Problem
    from krat_core.plugins.descriptors import Rule

    def needs_partner(activity: Any, ctx: Any) -> Any:
        if not activity.partners:
            yield Problem("/partners", en="No partner.", sq="Asnjë partner.")

    class DurresPlugin:
        @hookimpl
        def krat_validators(self) -> list[Rule]:
            return [
                Rule(
                    "durres.activity-needs-partner",
                    Severity.WARNING,
                    ("activity",),
                    needs_partner,
                    "Needs a partner",
                    "Duhet një partner",
                    regions=("AL-02",),
                )
            ]

    registry = load_plugins(plugins=[("durres", DurresPlugin())])
    lonely = activity(partners=[])(base)
    report = validate(lonely, registry)
    hits = [f for f in report.findings if f.code == "durres.activity-needs-partner"]
    assert hits and hits[0].plugin == "durres"
    elsewhere = generate_submission("AL-05", 2024)
    elsewhere = _replace(elsewhere, "activities", 0, partners=[])
    assert "durres.activity-needs-partner" not in _codes(validate(elsewhere, registry))
    assert "durres.activity-needs-partner" not in validate(elsewhere, registry).rules


def test_not_achieved_although_every_indicator_reached_its_target(registry: Registry) -> None:
    from krat_core.format.codelists import ObjectiveStatus

    base = generate_national("2024", seed=1)[0]
    first = base.objectives[0]
    reached = [i.model_copy(update={"actual": i.target}) for i in first.indicators]
    bad = objective(0, status=ObjectiveStatus.NOT_ACHIEVED, indicators=reached)(base)
    assert "objective.not-achieved-at-target" in _codes(validate(bad, registry))
    short = [i.model_copy(update={"actual": (i.target or 1) - 1}) for i in first.indicators]
    fine = objective(0, status=ObjectiveStatus.NOT_ACHIEVED, indicators=short)(base)
    assert "objective.not-achieved-at-target" not in _codes(validate(fine, registry))
    partial = objective(0, status=ObjectiveStatus.PARTIALLY_ACHIEVED, indicators=reached)(base)
    assert "objective.not-achieved-at-target" not in _codes(validate(partial, registry))


def test_partly_achieved_although_every_indicator_reached_its_target(registry: Registry) -> None:
    from krat_core.format.codelists import ObjectiveStatus

    base = generate_national("2024", seed=1)[0]
    first = base.objectives[0]
    assert first.indicators
    code = "objective.partly-achieved-at-target"
    over = [i.model_copy(update={"actual": i.target}) for i in first.indicators]
    partial = objective(0, status=ObjectiveStatus.PARTIALLY_ACHIEVED, indicators=over)(base)
    found = [f for f in validate(partial, registry).findings if f.code == code]
    assert len(found) == 1 and found[0].pointer.endswith("/status")
    assert "partially achieved" in found[0].message_en
    assert "realizuar pjesërisht" in found[0].message_sq
    # one indicator short: the status is right
    short = [*over[:-1], over[-1].model_copy(update={"actual": (over[-1].target or 1) - 1})]
    fine = objective(0, status=ObjectiveStatus.PARTIALLY_ACHIEVED, indicators=short)(base)
    assert code not in _codes(validate(fine, registry))
    # the other statuses are other rules' business
    for status in (ObjectiveStatus.ACHIEVED, ObjectiveStatus.NOT_ACHIEVED):
        other = objective(0, status=status, indicators=over)(base)
        assert code not in _codes(validate(other, registry))
