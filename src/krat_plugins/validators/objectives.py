"""Built-in rules about the objectives of the regional action plan."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.format.codelists import ObjectiveStatus
from krat_core.messages import Message
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import both, member
from krat_plugins.validators.catalog import rule
from krat_plugins.validators.objective_status import RULES as STATUS_RULES

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Indicator, Objective


__all__ = ["RULES", "krat_validators"]

_LATE = frozenset({ObjectiveStatus.NOT_ACHIEVED, ObjectiveStatus.PARTIALLY_ACHIEVED})
"""Statuses that say an objective was late: its deadline may lie outside the plan year."""
_OPEN = frozenset({ObjectiveStatus.NOT_STARTED, ObjectiveStatus.IN_PROGRESS})

DEADLINE_OUTSIDE_YEAR = Message(
    sq="Afati ({deadline}) është jashtë vitit të planit {year}, dhe statusi ('{status}') "
    "nuk tregon se objektivi është me vonesë. Korrigjoni afatin, ose raportojeni si "
    "'nuk është realizuar' ose 'realizuar pjesërisht'.",
    en="The deadline ({deadline}) is outside the plan year {year}, and the status "
    "('{status}') does not say the objective is late. Correct the deadline, or report it "
    "as not achieved or partially achieved.",
)
ACHIEVED_BELOW_TARGET = Message(
    sq="Objektivi raportohet si i realizuar, por treguesi nr. {number} arriti {actual} "
    "kundrejt synimit {target}: kontrolloni vlerat, ose raportojeni si 'realizuar pjesërisht'.",
    en="The objective is reported achieved, but indicator no. {number} reached {actual} "
    "against a target of {target}: check the values, or report it as partially achieved.",
)
INDICATOR_WITHOUT_TARGET = Message(
    sq="Treguesi nr. {number} nuk ka synim: plotësoni vlerën që duhet arritur.",
    en="Indicator no. {number} has no target: give the value to reach.",
)
NO_INDICATORS = Message(
    sq="Objektivi nuk ka asnjë tregues, prandaj ecuria e tij nuk mund të matet.",
    en="The objective has no indicator, so its progress cannot be measured.",
)
PAST_DEADLINE_STILL_OPEN = Message(
    sq="Afati ({deadline}) ka kaluar para dorëzimit, por statusi është ende '{status}': "
    "raportoni rezultatin.",
    en="The deadline ({deadline}) passed before the submission, but the status is still "
    "'{status}': report the outcome.",
)
YEAR_OUTSIDE_PERIOD = Message(
    sq="Objektivi i përket planit të vitit {year}, por dorëzimi është për periudhën {period}.",
    en="The objective belongs to the plan of {year}, but the submission is for {period}.",
)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def deadline_outside_year(objective: Objective, ctx: RuleContext) -> Iterator[Problem]:
    """The deadline is not in the plan year, and the status does not say the objective is late."""
    if objective.deadline.year == objective.year:
        return
    if objective.status in _LATE or objective.status == ObjectiveStatus.CANCELLED:
        return
    status = member(ObjectiveStatus, objective.status)
    texts = both(
        DEADLINE_OUTSIDE_YEAR, deadline=objective.deadline, year=objective.year, status=status
    )
    yield Problem("/deadline", **texts, value=objective.deadline.isoformat())


def _short_of_target(indicator: Indicator) -> bool:
    """Whether the actual value misses the target (a falling target when below the baseline)."""
    target, actual, baseline = indicator.target, indicator.actual, indicator.baseline
    if target is None or actual is None:
        return False
    if baseline is not None and target < baseline:  # e.g. "reduce cases from 20 to 10"
        return actual > target
    return actual < target


def achieved_below_target(objective: Objective, ctx: RuleContext) -> Iterator[Problem]:
    """The objective is reported achieved but an indicator's actual value misses its target."""
    if objective.status != ObjectiveStatus.ACHIEVED:
        return
    for i, indicator in enumerate(objective.indicators):
        if _short_of_target(indicator):
            assert indicator.actual is not None and indicator.target is not None
            actual, target = _number(indicator.actual), _number(indicator.target)
            texts = ACHIEVED_BELOW_TARGET.both(number=i + 1, actual=actual, target=target)
            yield Problem(f"/indicators/{i}/actual", **texts, value=indicator.actual)


def indicator_without_target(objective: Objective, ctx: RuleContext) -> Iterator[Problem]:
    """An indicator has no target."""
    for i, indicator in enumerate(objective.indicators):
        if indicator.target is None:
            yield Problem(f"/indicators/{i}/target", **INDICATOR_WITHOUT_TARGET.both(number=i + 1))


def no_indicators(objective: Objective, ctx: RuleContext) -> Iterator[Problem]:
    """An objective has no indicator, so its progress cannot be measured."""
    if not objective.indicators and objective.status != ObjectiveStatus.CANCELLED:
        yield Problem("/indicators", **NO_INDICATORS.both())


def past_deadline_still_open(objective: Objective, ctx: RuleContext) -> Iterator[Problem]:
    """The deadline passed before the submission, yet the status is not started or in progress."""
    if objective.status in _OPEN and objective.deadline < ctx.submitted_on:
        status = member(ObjectiveStatus, objective.status)
        texts = both(PAST_DEADLINE_STILL_OPEN, deadline=objective.deadline, status=status)
        yield Problem("/status", **texts, value=str(objective.status))


def year_outside_period(objective: Objective, ctx: RuleContext) -> Iterator[Problem]:
    """The objective's plan year is not the year of the submission's period."""
    year = ctx.submission.year
    if objective.year != year:
        texts = YEAR_OUTSIDE_PERIOD.both(year=objective.year, period=ctx.submission.period)
        yield Problem("/year", **texts, value=objective.year)


RULES: list[Rule] = [
    rule("objective.deadline-outside-year", ("objective",), deadline_outside_year),
    rule("objective.achieved-below-target", ("objective",), achieved_below_target),
    rule("objective.indicator-without-target", ("objective",), indicator_without_target),
    rule("objective.no-indicators", ("objective",), no_indicators),
    rule("objective.past-deadline-still-open", ("objective",), past_deadline_still_open),
    rule("objective.year-outside-period", ("objective",), year_outside_period),
    *STATUS_RULES,
]
"""The objective rules, in the order documented in docs/validation.md."""


@hookimpl
def krat_validators() -> list[Rule]:
    """The built-in objective rules."""
    return list(RULES)
