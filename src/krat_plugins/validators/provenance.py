"""Built-in rules: a plausible sending date, and an empty submission declared as such (issue 11).

- ``submission.submitted-in-future``: ``submitted_at`` later than the checking
  clock plus :data:`krat_core.format.provenance.FUTURE_TOLERANCE`. Such a file
  would otherwise supersede every genuine resubmission in ``krat combine``.
- ``submission.nil-return-with-records``: ``nil_return`` is true, but the
  submission has cases, activities or objectives.
- ``submission.empty-without-nil-return``: no case, activity or objective, and
  no ``nil_return`` declaration: nothing says whether the region had nothing
  to report or its data got lost on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from krat_core import hookimpl
from krat_core.findings import Problem
from krat_core.messages import Message, Plural
from krat_core.plugins.descriptors import Rule, RuleContext
from krat_plugins.validators.catalog import rule

if TYPE_CHECKING:  # models are imported lazily: plugins load at CLI start-up
    from krat_core.format.models import Submission

__all__ = ["RULES", "krat_validators"]

SUBMITTED_IN_FUTURE = Message(
    sq="Dorëzimi thotë se u dërgua më {when}, në të ardhmen. Korrigjoni datën e dërgimit "
    "(submitted_at): një datë e tillë do të zëvendësonte çdo dorëzim të vërtetë të mëvonshëm.",
    en="The submission says it was sent on {when}, in the future. Correct the sending date "
    "(submitted_at): such a date would supersede every later genuine resubmission.",
)
NIL_RETURN_WITH_RECORDS = Message(
    sq=Plural(
        one="Dorëzimi deklaron se nuk ka asgjë për të raportuar (nil_return), por ka {n} "
        "regjistrim (rast, aktivitet ose objektiv). Hiqni deklaratën ose regjistrimin.",
        other="Dorëzimi deklaron se nuk ka asgjë për të raportuar (nil_return), por ka {n} "
        "regjistrime (raste, aktivitete ose objektiva). Hiqni deklaratën ose regjistrimet.",
    ),
    en=Plural(
        one="The submission declares it has nothing to report (nil_return) but holds {n} "
        "record (case, activity or objective). Remove the declaration or the record.",
        other="The submission declares it has nothing to report (nil_return) but holds {n} "
        "records (cases, activities or objectives). Remove the declaration or the records.",
    ),
)
EMPTY_WITHOUT_NIL_RETURN = Message(
    sq="Dorëzimi nuk ka asnjë rast, aktivitet apo objektiv, dhe nuk deklaron se qarku nuk ka "
    "asgjë për të raportuar (nil_return). Nëse periudha është vërtet bosh, deklarojeni; "
    "përndryshe të dhënat kanë humbur gjatë rrugës.",
    en="The submission has no case, activity or objective, and does not declare that the "
    "region has nothing to report (nil_return). If the period is really empty, declare it; "
    "otherwise the data got lost on the way.",
)


def submitted_in_future(submission: Submission, ctx: RuleContext) -> Iterator[Problem]:
    """``submitted_at`` lies after the checking clock plus the tolerance."""
    from krat_core.format.provenance import is_future

    if is_future(submission.submitted_at):
        when = submission.submitted_at.isoformat()
        yield Problem("/submitted_at", **SUBMITTED_IN_FUTURE.both(when=when), value=when)


def nil_return_with_records(submission: Submission, ctx: RuleContext) -> Iterator[Problem]:
    """A nil return that holds cases, activities or objectives."""
    n = submission.reported_records
    if submission.nil_return and n:
        yield Problem("/nil_return", **NIL_RETURN_WITH_RECORDS.both(n=n), value=True)


def empty_without_nil_return(submission: Submission, ctx: RuleContext) -> Iterator[Problem]:
    """No case, activity or objective, and no nil-return declaration."""
    if not submission.nil_return and submission.reported_records == 0:
        yield Problem("", **EMPTY_WITHOUT_NIL_RETURN.both())


_REPORTED = ("case", "activity", "objective")

RULES: list[Rule] = [
    rule("submission.submitted-in-future", _REPORTED, submitted_in_future, scope="submission"),
    rule(
        "submission.nil-return-with-records",
        _REPORTED,
        nil_return_with_records,
        scope="submission",
    ),
    rule(
        "submission.empty-without-nil-return",
        _REPORTED,
        empty_without_nil_return,
        scope="submission",
    ),
]
"""The provenance rules, in the order documented in docs/validation.md."""


@hookimpl
def krat_validators() -> list[Rule]:
    """The built-in provenance rules."""
    return list(RULES)
