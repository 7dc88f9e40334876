"""Built-in rules about activities: participants, stale statuses, national-calendar dates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import ActivityStatus, Observance
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import day, member
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Activity


__all__ = ["RULES", "krat_validators"]


def participants_missing(activity: Activity, ctx: RuleContext) -> Iterator[Problem]:
    """A completed activity does not report its participants."""
    if activity.status == ActivityStatus.COMPLETED and activity.participants is None:
        yield Problem(
            pointer="/participants",
            en="The activity is completed but does not report its participants (total at least).",
            sq=(
                "Aktiviteti është realizuar por nuk raporton pjesëmarrësit "
                "(të paktën numrin gjithsej)."
            ),
        )


def participants_exceed_total(activity: Activity, ctx: RuleContext) -> Iterator[Problem]:
    """Female plus male participants are more than the total."""
    p = activity.participants
    if p is None:
        return
    female, male = p.female or 0, p.male or 0
    if female + male > p.total:
        yield Problem(
            pointer="/participants/total",
            en=(
                f"Female ({female}) plus male ({male}) participants are {female + male}, "
                f"more than the total ({p.total})."
            ),
            sq=(
                f"Pjesëmarrëset femra ({female}) dhe pjesëmarrësit meshkuj ({male}) janë "
                f"{female + male}, më shumë se numri gjithsej ({p.total})."
            ),
            value=p.total,
        )


def planned_but_past(activity: Activity, ctx: RuleContext) -> Iterator[Problem]:
    """A planned activity whose last day has passed, within the period: status not updated."""
    if activity.status != ActivityStatus.PLANNED:
        return
    last_day = max(activity.start, activity.end or activity.start)
    _, period_end = ctx.period_bounds
    if last_day < ctx.submitted_on and last_day <= period_end:
        yield Problem(
            pointer="/status",
            en=(
                f"The activity is still 'planned' although its date ({day(last_day, 'en')}) "
                "has passed: say whether it was completed, postponed or cancelled."
            ),
            sq=(
                f"Aktiviteti është ende 'planifikuar' megjithëse data e tij "
                f"({day(last_day, 'sq')}) ka kaluar: tregoni nëse u realizua, u shty apo u anulua."
            ),
            value=str(activity.status),
        )


_FIXED_DAYS = {Observance.EU_DAY: (10, 18), Observance.WORLD_DAY: (7, 30)}


def _years(start: date, end: date) -> range:
    # A span of three calendar years or more covers every day of the middle one.
    return range(start.year, min(end.year, start.year + 2) + 1)


def _covers(start: date, end: date, month: int, day_: int) -> bool:
    return any(start <= date(y, month, day_) <= end for y in _years(start, end))


def _in_october(start: date, end: date) -> bool:
    return any(start <= date(y, 10, 31) and end >= date(y, 10, 1) for y in _years(start, end))


def observance_date(activity: Activity, ctx: RuleContext) -> Iterator[Problem]:
    """An observance's activity does not fall on its date (18 October, 30 July, October)."""
    observance = activity.observance
    if observance is not None:
        observance = member(Observance, observance)
    if observance is None or observance == Observance.OTHER:
        return
    start = activity.start
    end = max(start, activity.end or start)
    if observance == Observance.OCTOBER_MONTH:
        if _in_october(start, end):
            return
    else:
        month, day_ = _FIXED_DAYS[observance]
        if _covers(start, end, month, day_):
            return
    yield Problem(
        pointer="/start",
        en=(
            f"The activity is marked for «{observance.en}» but takes place on "
            f"{day(start, 'en')}" + (f" to {day(end, 'en')}" if end != start else "")
            + ". Correct the date or the observance."
        ),
        sq=(
            f"Aktiviteti është shënuar për «{observance.sq}», por zhvillohet më "
            f"{day(start, 'sq')}" + (f" – {day(end, 'sq')}" if end != start else "")
            + ". Korrigjoni datën ose ditën e shënuar."
        ),
        value=start.isoformat(),
    )


RULES: list[Rule] = [
    rule("activity.participants-missing", ("activity",), participants_missing),
    rule("activity.participants-exceed-total", ("activity",), participants_exceed_total),
    rule("activity.planned-but-past", ("activity",), planned_but_past),
    rule("activity.observance-date", ("activity",), observance_date),
]
"""The activity rules, in the order documented in docs/validation.md."""


@hookimpl
def krat_validators() -> list[Rule]:
    """The built-in activity rules."""
    return list(RULES)
