"""Built-in rules: dates in order, none after the submission, none outside the period.

The order of a case is identification <= referral <= assistance start <=
assistance end <= closing. Each wrong date gives one finding, at the first link
of the chain it breaks. Completed activities cannot lie after the submission;
planned ones may (the national calendar is kept open for additions).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import ActivityStatus
from krat_core.messages import Message
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import (
    ACTIVITY_END,
    ACTIVITY_START,
    CLOSED,
    IDENTIFIED,
    REFERRED,
    Field,
    assistance_end,
    assistance_start,
    before,
    both,
)
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Activity, Case

__all__ = ["RULES", "krat_validators"]

AFTER_SUBMISSION = Message(
    sq="{name} ({when}) është pas datës së dorëzimit ({submitted}): "
    "një datë nuk mund të jetë në të ardhmen.",
    en="The {name} ({when}) is after the submission was sent ({submitted}): "
    "a date cannot lie in the future.",
)
OUTSIDE_PERIOD = Message(
    sq="{name} ({when}) është jashtë periudhës {period} ({first} – {last}); kontrolloni që "
    "data të jetë e saktë dhe që regjistrimi t'i përkasë këtij dorëzimi.",
    en="The {name} ({when}) is outside the period {period} ({first} to {last}); check that "
    "the date is right and that the record belongs to this submission.",
)


def _case_dates(case: Case) -> Iterator[tuple[str, Field, date]]:
    """Every date of a case with its pointer and name, in the order of the case's life."""
    yield "/identified_on", IDENTIFIED, case.identified_on
    if case.referral is not None:
        yield "/referral/referred_on", REFERRED, case.referral.referred_on
    for i, item in enumerate(case.assistance):
        yield f"/assistance/{i}/start", assistance_start(i + 1), item.start
        if item.end is not None:
            yield f"/assistance/{i}/end", assistance_end(i + 1), item.end
    if case.closed_on is not None:
        yield "/closed_on", CLOSED, case.closed_on


def _activity_dates(activity: Activity) -> Iterator[tuple[str, Field, date]]:
    yield "/start", ACTIVITY_START, activity.start
    if activity.end is not None:
        yield "/end", ACTIVITY_END, activity.end


def referral_before_identification(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """The referral date is before the identification date."""
    ref = case.referral
    if ref is not None and ref.referred_on < case.identified_on:
        yield before(
            "/referral/referred_on", REFERRED, ref.referred_on, IDENTIFIED, case.identified_on
        )


def assistance_before_referral(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """An assistance starts before the referral date."""
    if case.referral is None:
        return
    referred_on = case.referral.referred_on
    for i, item in enumerate(case.assistance):
        if item.start < referred_on:
            yield before(
                f"/assistance/{i}/start", assistance_start(i + 1), item.start, REFERRED, referred_on
            )


def assistance_before_identification(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A case without referral has an assistance that starts before identification."""
    if case.referral is not None:
        return  # then assistance_before_referral speaks
    for i, item in enumerate(case.assistance):
        if item.start < case.identified_on:
            yield before(
                f"/assistance/{i}/start",
                assistance_start(i + 1),
                item.start,
                IDENTIFIED,
                case.identified_on,
            )


def assistance_end_before_start(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """An assistance ends before it starts."""
    for i, item in enumerate(case.assistance):
        if item.end is not None and item.end < item.start:
            yield before(
                f"/assistance/{i}/end",
                assistance_end(i + 1),
                item.end,
                assistance_start(i + 1),
                item.start,
            )


def closing_before_identification(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """The closing date is before the identification date."""
    if case.closed_on is not None and case.closed_on < case.identified_on:
        yield before("/closed_on", CLOSED, case.closed_on, IDENTIFIED, case.identified_on)


def closing_before_referral(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """The closing date is before the referral date (but not before identification)."""
    closed, ref = case.closed_on, case.referral
    if closed is None or ref is None or closed < case.identified_on:
        return
    if closed < ref.referred_on:
        yield before("/closed_on", CLOSED, closed, REFERRED, ref.referred_on)


def closing_before_assistance(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """The closing date is before the latest start or end of an assistance."""
    closed = case.closed_on
    if closed is None or not case.assistance or closed < case.identified_on:
        return
    if case.referral is not None and closed < case.referral.referred_on:
        return  # closing_before_referral speaks
    latest: tuple[date, Field] | None = None
    for i, item in enumerate(case.assistance):
        ends = ((item.start, assistance_start(i + 1)), (item.end, assistance_end(i + 1)))
        for when, name in ends:
            if when is not None and (latest is None or when > latest[0]):
                latest = (when, name)
    if latest is not None and closed < latest[0]:
        yield before("/closed_on", CLOSED, closed, latest[1], latest[0])


def _after_submission(pointer: str, name: Field, when: date, submitted: date) -> Problem:
    texts = both(AFTER_SUBMISSION, name=name.subject, when=when, submitted=submitted)
    return Problem(pointer, **texts, value=when.isoformat())


def case_date_after_submission(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A date of the case is after the day the submission was sent."""
    submitted = ctx.submitted_on
    for pointer, name, when in _case_dates(case):
        if when > submitted:
            yield _after_submission(pointer, name, when, submitted)


def activity_date_after_submission(activity: Activity, ctx: RuleContext) -> Iterator[Problem]:
    """A completed activity is dated after the day the submission was sent."""
    if activity.status != ActivityStatus.COMPLETED:
        return
    submitted = ctx.submitted_on
    for pointer, name, when in _activity_dates(activity):
        if when > submitted:
            yield _after_submission(pointer, name, when, submitted)


def _outside(pointer: str, name: Field, when: date, ctx: RuleContext) -> Problem:
    first, last = ctx.period_bounds
    period = ctx.submission.period
    texts = both(
        OUTSIDE_PERIOD, name=name.subject, when=when, period=period, first=first, last=last
    )
    return Problem(pointer, **texts, value=when.isoformat())


def case_date_outside_period(case: Case, ctx: RuleContext) -> Iterator[Problem]:
    """A date of the case is outside the period (and not after the submission)."""
    first, last = ctx.period_bounds
    submitted = ctx.submitted_on
    for pointer, name, when in _case_dates(case):
        if (when < first or when > last) and when <= submitted:
            yield _outside(pointer, name, when, ctx)


def activity_date_outside_period(activity: Activity, ctx: RuleContext) -> Iterator[Problem]:
    """An activity date is outside the period (completed ones after the submission aside)."""
    first, last = ctx.period_bounds
    late_error = activity.status == ActivityStatus.COMPLETED
    for pointer, name, when in _activity_dates(activity):
        if late_error and when > ctx.submitted_on:
            continue  # activity_date_after_submission speaks
        if when < first or when > last:
            yield _outside(pointer, name, when, ctx)


def activity_end_before_start(activity: Activity, ctx: RuleContext) -> Iterator[Problem]:
    """The activity ends before it starts."""
    if activity.end is not None and activity.end < activity.start:
        yield before("/end", ACTIVITY_END, activity.end, ACTIVITY_START, activity.start)


RULES: list[Rule] = [
    rule("case.referral-before-identification", ("case",), referral_before_identification),
    rule("case.assistance-before-referral", ("case",), assistance_before_referral),
    rule("case.assistance-before-identification", ("case",), assistance_before_identification),
    rule("case.assistance-end-before-start", ("case",), assistance_end_before_start),
    rule("case.closing-before-identification", ("case",), closing_before_identification),
    rule("case.closing-before-referral", ("case",), closing_before_referral),
    rule("case.closing-before-assistance", ("case",), closing_before_assistance),
    rule("case.date-after-submission", ("case",), case_date_after_submission),
    rule("case.date-outside-period", ("case",), case_date_outside_period),
    rule("activity.end-before-start", ("activity",), activity_end_before_start),
    rule("activity.date-after-submission", ("activity",), activity_date_after_submission),
    rule("activity.date-outside-period", ("activity",), activity_date_outside_period),
]
"""The date rules, in the order documented in docs/validation.md."""


@hookimpl
def krat_validators() -> list[Rule]:
    """The built-in date rules."""
    return list(RULES)
