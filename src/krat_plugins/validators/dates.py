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
    NONE,
    REFERRED,
    Field,
    Found,
    assistance_end,
    assistance_start,
    before,
    both,
)
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Activity, Case

__all__ = ["RULES", "krat_validators"]

_COMPLETED = ActivityStatus.COMPLETED
"""Looked up once (an enum member read through its class costs about 0.1 µs a call)."""

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


def referral_before_identification(case: Case, ctx: RuleContext) -> Found:
    """The referral date is before the identification date."""
    ref = case.referral
    if ref is not None and ref.referred_on < case.identified_on:
        return (
            before(
                "/referral/referred_on", REFERRED, ref.referred_on, IDENTIFIED, case.identified_on
            ),
        )
    return NONE


def assistance_before_referral(case: Case, ctx: RuleContext) -> Found:
    """An assistance starts before the referral date."""
    if case.referral is None or not case.assistance:
        return NONE
    referred_on = case.referral.referred_on
    found = []  # a loop, not a comprehension: no function frame per case
    for i, item in enumerate(case.assistance):
        if item.start < referred_on:
            n = i + 1
            found.append(
                before(
                    f"/assistance/{i}/start", assistance_start(n), item.start, REFERRED, referred_on
                )
            )
    return found


def assistance_before_identification(case: Case, ctx: RuleContext) -> Found:
    """A case without referral has an assistance that starts before identification."""
    if case.referral is not None or not case.assistance:
        return NONE  # with a referral, assistance_before_referral speaks
    identified_on = case.identified_on
    found = []
    for i, item in enumerate(case.assistance):
        if item.start < identified_on:
            start = assistance_start(i + 1)
            found.append(
                before(f"/assistance/{i}/start", start, item.start, IDENTIFIED, identified_on)
            )
    return found


def assistance_end_before_start(case: Case, ctx: RuleContext) -> Found:
    """An assistance ends before it starts."""
    found = []
    for i, item in enumerate(case.assistance):
        if item.end is not None and item.end < item.start:
            n = i + 1
            found.append(
                before(
                    f"/assistance/{i}/end",
                    assistance_end(n),
                    item.end,
                    assistance_start(n),
                    item.start,
                )
            )
    return found


def closing_before_identification(case: Case, ctx: RuleContext) -> Found:
    """The closing date is before the identification date."""
    if case.closed_on is not None and case.closed_on < case.identified_on:
        return (before("/closed_on", CLOSED, case.closed_on, IDENTIFIED, case.identified_on),)
    return NONE


def closing_before_referral(case: Case, ctx: RuleContext) -> Found:
    """The closing date is before the referral date (but not before identification)."""
    closed, ref = case.closed_on, case.referral
    if closed is None or ref is None or closed < case.identified_on:
        return NONE
    if closed < ref.referred_on:
        return (before("/closed_on", CLOSED, closed, REFERRED, ref.referred_on),)
    return NONE


def closing_before_assistance(case: Case, ctx: RuleContext) -> Found:
    """The closing date is before the latest start or end of an assistance."""
    closed = case.closed_on
    if closed is None or not case.assistance or closed < case.identified_on:
        return NONE
    if case.referral is not None and closed < case.referral.referred_on:
        return NONE  # closing_before_referral speaks
    # Fast path: no assistance date after the closing date, so nothing to say.
    if all(
        item.start <= closed and (item.end is None or item.end <= closed)
        for item in case.assistance
    ):
        return NONE
    latest: tuple[date, Field] | None = None
    for i, item in enumerate(case.assistance):
        ends = ((item.start, assistance_start(i + 1)), (item.end, assistance_end(i + 1)))
        for when, name in ends:
            if when is not None and (latest is None or when > latest[0]):
                latest = (when, name)
    if latest is not None and closed < latest[0]:
        return (before("/closed_on", CLOSED, closed, latest[1], latest[0]),)
    return NONE


def _after_submission(pointer: str, name: Field, when: date, submitted: date) -> Problem:
    texts = both(AFTER_SUBMISSION, name=name.subject, when=when, submitted=submitted)
    return Problem(pointer, **texts, value=when.isoformat())


def _latest_case_date(case: Case) -> date:
    """The latest of the case's dates (each date is compared with the submission day)."""
    latest = case.identified_on
    if case.referral is not None and case.referral.referred_on > latest:
        latest = case.referral.referred_on
    for item in case.assistance:
        if item.start > latest:
            latest = item.start
        if item.end is not None and item.end > latest:
            latest = item.end
    if case.closed_on is not None and case.closed_on > latest:
        latest = case.closed_on
    return latest


def case_date_after_submission(case: Case, ctx: RuleContext) -> Found:
    """A date of the case is after the day the submission was sent."""
    submitted = ctx.submitted_on
    if _latest_case_date(case) <= submitted:
        return NONE  # the common case, without walking the dates one by one
    return [
        _after_submission(pointer, name, when, submitted)
        for pointer, name, when in _case_dates(case)
        if when > submitted
    ]


def activity_date_after_submission(activity: Activity, ctx: RuleContext) -> Found:
    """A completed activity is dated after the day the submission was sent."""
    if activity.status != _COMPLETED:
        return NONE
    submitted = ctx.submitted_on
    end = activity.end
    if activity.start <= submitted and (end is None or end <= submitted):
        return NONE
    return [
        _after_submission(pointer, name, when, submitted)
        for pointer, name, when in _activity_dates(activity)
        if when > submitted
    ]


def _outside(pointer: str, name: Field, when: date, ctx: RuleContext) -> Problem:
    first, last = ctx.period_bounds
    period = ctx.submission.period
    texts = both(
        OUTSIDE_PERIOD, name=name.subject, when=when, period=period, first=first, last=last
    )
    return Problem(pointer, **texts, value=when.isoformat())


def _case_dates_within(case: Case, first: date, last: date) -> bool:
    """Whether every date of the case lies within ``first`` .. ``last``."""
    if not first <= case.identified_on <= last:
        return False
    ref = case.referral
    if ref is not None and not first <= ref.referred_on <= last:
        return False
    for item in case.assistance:
        if not first <= item.start <= last:
            return False
        if item.end is not None and not first <= item.end <= last:
            return False
    closed = case.closed_on
    return closed is None or first <= closed <= last


def case_date_outside_period(case: Case, ctx: RuleContext) -> Found:
    """A date of the case is outside the period (and not after the submission)."""
    first, last = ctx.period_bounds
    if _case_dates_within(case, first, last):
        return NONE  # the common case, without walking the dates one by one
    submitted = ctx.submitted_on
    return [
        _outside(pointer, name, when, ctx)
        for pointer, name, when in _case_dates(case)
        if (when < first or when > last) and when <= submitted
    ]


def activity_date_outside_period(activity: Activity, ctx: RuleContext) -> Found:
    """An activity date is outside the period (completed ones after the submission aside)."""
    first, last = ctx.period_bounds
    end = activity.end
    if first <= activity.start <= last and (end is None or first <= end <= last):
        return NONE
    late_error = activity.status == _COMPLETED
    found = []
    for pointer, name, when in _activity_dates(activity):
        if late_error and when > ctx.submitted_on:
            continue  # activity_date_after_submission speaks
        if when < first or when > last:
            found.append(_outside(pointer, name, when, ctx))
    return found


def activity_end_before_start(activity: Activity, ctx: RuleContext) -> Found:
    """The activity ends before it starts."""
    if activity.end is not None and activity.end < activity.start:
        return (before("/end", ACTIVITY_END, activity.end, ACTIVITY_START, activity.start),)
    return NONE


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
