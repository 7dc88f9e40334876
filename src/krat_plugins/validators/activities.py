"""Built-in rules about activities: participants, stale statuses, national-calendar dates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import ActivityStatus, Observance
from krat_core.messages import Message
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import NONE, Found, both, member
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Activity


__all__ = ["RULES", "krat_validators"]

# Code-list members looked up once (an enum member read through its class costs about
# 0.1 µs, and each rule runs on every activity).
_COMPLETED = ActivityStatus.COMPLETED
_PLANNED = ActivityStatus.PLANNED
_OTHER = Observance.OTHER
_OCTOBER_MONTH = Observance.OCTOBER_MONTH

PARTICIPANTS_MISSING = Message(
    sq="Aktiviteti është realizuar por nuk raporton pjesëmarrësit (të paktën numrin gjithsej).",
    en="The activity is completed but does not report its participants (total at least).",
)
PARTICIPANTS_EXCEED_TOTAL = Message(
    sq="Pjesëmarrëset femra ({female}) dhe pjesëmarrësit meshkuj ({male}) janë {both}, "
    "më shumë se numri gjithsej ({total}).",
    en="Female ({female}) plus male ({male}) participants are {both}, "
    "more than the total ({total}).",
)
PLANNED_BUT_PAST = Message(
    sq="Aktiviteti është ende 'planifikuar' megjithëse data e tij ({day}) ka kaluar: "
    "tregoni nëse u realizua, u shty apo u anulua.",
    en="The activity is still 'planned' although its date ({day}) has passed: "
    "say whether it was completed, postponed or cancelled.",
)
OBSERVANCE_ON_DAY = Message(
    sq="Aktiviteti është shënuar për «{observance}», por zhvillohet më {start}. "
    "Korrigjoni datën ose ditën e shënuar.",
    en="The activity is marked for «{observance}» but takes place on {start}. "
    "Correct the date or the observance.",
)
OBSERVANCE_ON_DAYS = Message(
    sq="Aktiviteti është shënuar për «{observance}», por zhvillohet më {start} – {end}. "
    "Korrigjoni datën ose ditën e shënuar.",
    en="The activity is marked for «{observance}» but takes place on {start} to {end}. "
    "Correct the date or the observance.",
)


def participants_missing(activity: Activity, ctx: RuleContext) -> Found:
    """A completed activity does not report its participants."""
    if activity.participants is None and activity.status == _COMPLETED:
        return (Problem("/participants", **PARTICIPANTS_MISSING.both()),)
    return NONE


def participants_exceed_total(activity: Activity, ctx: RuleContext) -> Found:
    """Female plus male participants are more than the total."""
    p = activity.participants
    if p is None:
        return NONE
    female, male = p.female or 0, p.male or 0
    if female + male > p.total:
        texts = PARTICIPANTS_EXCEED_TOTAL.both(
            female=female, male=male, both=female + male, total=p.total
        )
        return (Problem("/participants/total", **texts, value=p.total),)
    return NONE


def planned_but_past(activity: Activity, ctx: RuleContext) -> Found:
    """A planned activity whose last day has passed, within the period: status not updated."""
    if activity.status != _PLANNED:
        return NONE
    last_day = max(activity.start, activity.end or activity.start)
    _, period_end = ctx.period_bounds
    if last_day < ctx.submitted_on and last_day <= period_end:
        texts = both(PLANNED_BUT_PAST, day=last_day)
        return (Problem("/status", **texts, value=str(activity.status)),)
    return NONE


_FIXED_DAYS = {Observance.EU_DAY: (10, 18), Observance.WORLD_DAY: (7, 30)}


def _years(start: date, end: date) -> range:
    # A span of three calendar years or more covers every day of the middle one.
    return range(start.year, min(end.year, start.year + 2) + 1)


def _covers(start: date, end: date, month: int, day_: int) -> bool:
    return any(start <= date(y, month, day_) <= end for y in _years(start, end))


def _in_october(start: date, end: date) -> bool:
    return any(start <= date(y, 10, 31) and end >= date(y, 10, 1) for y in _years(start, end))


def observance_date(activity: Activity, ctx: RuleContext) -> Found:
    """An observance's activity does not fall on its date (18 October, 30 July, October)."""
    observance = activity.observance
    if observance is None:
        return NONE
    observance = member(Observance, observance)
    if observance == _OTHER:
        return NONE
    start = activity.start
    end = max(start, activity.end or start)
    if observance == _OCTOBER_MONTH:
        if _in_october(start, end):
            return NONE
    else:
        month, day_ = _FIXED_DAYS[observance]
        if _covers(start, end, month, day_):
            return NONE
    message = OBSERVANCE_ON_DAY if end == start else OBSERVANCE_ON_DAYS
    texts = both(message, observance=observance, start=start, end=end)
    return (Problem("/start", **texts, value=start.isoformat()),)


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
