"""The rules that an objective's status agrees with its indicators (issue 13).

``objective.achieved-below-target`` (in :mod:`krat_plugins.validators.objectives`)
catches an objective reported achieved whose indicators miss their targets;
this module adds the other direction, for both statuses that say the objective
fell short although every indicator reached its target (100 % of target or
more in the action plan's table):

- ``objective.not-achieved-at-target``: reported *not achieved*;
- ``objective.partly-achieved-at-target``: reported *partially achieved*.

Either way the report's count of objectives achieved would be wrong, or the
objective falls short in something its indicators do not measure (then the
indicators should say so), so the region is asked to check. The rules are part
of the ``objective-rules`` plugin.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from krat_core.findings import Problem
from krat_core.format.codelists import ObjectiveStatus
from krat_core.messages import Message, Plural
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators._common import both, member
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Indicator, Objective

__all__ = ["RULES", "not_achieved_at_target", "partly_achieved_at_target"]

NOT_ACHIEVED_AT_TARGET = Message(
    sq=Plural(
        one="Objektivi raportohet si '{status}', por treguesi i tij e arriti synimin: "
        "kontrolloni vlerat, ose raportojeni si 'realizuar'.",
        other="Objektivi raportohet si '{status}', por të {n} treguesit e tij e arritën "
        "synimin: kontrolloni vlerat, ose raportojeni si 'realizuar'.",
    ),
    en=Plural(
        one="The objective is reported '{status}', but its indicator reached its target: "
        "check the values, or report it as achieved.",
        other="The objective is reported '{status}', but all {n} of its indicators reached "
        "their targets: check the values, or report it as achieved.",
    ),
)
PARTLY_ACHIEVED_AT_TARGET = Message(
    sq=Plural(
        one="Objektivi raportohet si '{status}', por treguesi i tij e arriti synimin: "
        "kontrolloni vlerat, raportojeni si 'realizuar', ose shtoni treguesin që mat "
        "pjesën e parealizuar.",
        other="Objektivi raportohet si '{status}', por të {n} treguesit e tij e arritën "
        "synimin: kontrolloni vlerat, raportojeni si 'realizuar', ose shtoni treguesin që "
        "mat pjesën e parealizuar.",
    ),
    en=Plural(
        one="The objective is reported '{status}', but its indicator reached its target: "
        "check the values, report it as achieved, or add the indicator that measures what "
        "was not achieved.",
        other="The objective is reported '{status}', but all {n} of its indicators reached "
        "their targets: check the values, report it as achieved, or add the indicator that "
        "measures what was not achieved.",
    ),
)


def _reached(indicator: Indicator) -> bool | None:
    """Whether the actual value reached the target (a falling target: at or below it);
    None when the target or the actual value is missing."""
    target, actual, baseline = indicator.target, indicator.actual, indicator.baseline
    if target is None or actual is None:
        return None
    if baseline is not None and target < baseline:
        return actual <= target
    return actual >= target


def _at_target(
    objective: Objective, status: ObjectiveStatus, message: Message
) -> Iterator[Problem]:
    """A problem when ``objective`` has ``status`` yet every indicator (at least
    one) reached its target."""
    if objective.status != status or not objective.indicators:
        return
    reached = [_reached(i) for i in objective.indicators]
    if all(r is True for r in reached):
        label = member(ObjectiveStatus, objective.status)
        texts = both(message, n=len(reached), status=label)
        yield Problem("/status", **texts, value=str(objective.status))


def not_achieved_at_target(objective: Objective, ctx: RuleContext) -> Iterator[Problem]:
    """Reported not achieved, yet every indicator reached its target."""
    return _at_target(objective, ObjectiveStatus.NOT_ACHIEVED, NOT_ACHIEVED_AT_TARGET)


def partly_achieved_at_target(objective: Objective, ctx: RuleContext) -> Iterator[Problem]:
    """Reported partially achieved, yet every indicator reached its target."""
    return _at_target(objective, ObjectiveStatus.PARTIALLY_ACHIEVED, PARTLY_ACHIEVED_AT_TARGET)


RULES: list[Rule] = [
    rule("objective.not-achieved-at-target", ("objective",), not_achieved_at_target),
    rule("objective.partly-achieved-at-target", ("objective",), partly_achieved_at_target),
]
"""The status-against-indicators rules (registered by the objective rules' plugin)."""
