"""Calendar amendments: a region's changes to its activities during the year (a design).

A region adds, changes or cancels awareness activities without resubmitting
its statistics by sending a *calendar amendment*: its own kind of document
(``format: "krat-calendar-amendment"``) holding activities only::

    {
      "format": "krat-calendar-amendment",
      "schema_version": "1.0.0",
      "region": "AL-02",
      "period": "2024",
      "amended_at": "2024-09-15T10:00:00+02:00",
      "submitted_by": {"institution": "Prefektura e Qarkut Durrës"},
      "generator": {"name": "krat", "version": "0.2.0"},
      "based_on": "<SHA-256 of the submission the region had in front of it, optional>",
      "activities": [ ...whole Activity records, added or replacing one with the same id... ],
      "cancellations": [{"id": "AL-02-A-2024-0012", "cancelled_on": "2024-09-14",
                         "reason": "Shkolla u mbyll për riparime"}],
      "extensions": {}
    }

How it applies (:func:`apply_amendments`), so that the archive, ``krat
combine`` and the ICS feed agree:

* on top of the region's **latest submission** for the period, amendments in
  the order of ``amended_at`` (equal times keep the order given: the archive
  would pass them ordered by the SHA-256 of their bytes, as submissions);
* an activity with a new id is added; one with an existing id replaces it whole;
* a cancellation never deletes: the activity stays, with status ``cancelled``
  (an ICS export then emits ``STATUS:CANCELLED`` with a higher ``SEQUENCE``);
  cancelling an id the region never sent is refused;
* cases, objectives and institutions are untouched, so an amendment never
  makes the region's submission late or invalid, and never supersedes it;
* every amendment is kept (append-only), so the history shows who changed
  which activity when.

Status: the model and :func:`apply_amendments` are the proposed envelope; the
archive, ``krat combine``, the JSON Schema and the ICS exporter do not read
amendments yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from krat_core.errors import FormatError
from krat_core.format.codelists import ActivityStatus
from krat_core.format.models import Activity, Generator, Submission, SubmittedBy
from krat_core.format.models.common import (
    ActivityId,
    Day,
    Extensions,
    KratModel,
    RegionCode,
    ShortText,
    Timestamp,
)
from krat_core.format.models.submission import SCHEMA_VERSION, Period

__all__ = ["AMENDMENT_FORMAT", "CalendarAmendment", "Cancellation", "apply_amendments"]

AMENDMENT_FORMAT = "krat-calendar-amendment"


class Cancellation(KratModel):
    """An activity the region cancels: its id, the day it was called off, why."""

    id: ActivityId
    cancelled_on: Day
    reason: ShortText | None = None


class CalendarAmendment(KratModel):
    """Additions, changes and cancellations of one region's activities for one period."""

    format: Literal["krat-calendar-amendment"] = "krat-calendar-amendment"
    schema_version: str = Field(default=SCHEMA_VERSION, pattern=r"^1\.[0-9]+\.[0-9]+$")
    region: RegionCode
    period: Period
    amended_at: Timestamp = Field(description="When the amendment was sent, with a time zone.")
    submitted_by: SubmittedBy
    generator: Generator
    based_on: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the submission the region amended (informative).",
    )
    activities: list[Activity] = Field(default_factory=list)
    cancellations: list[Cancellation] = Field(default_factory=list)
    extensions: Extensions = Field(default_factory=dict)


def apply_amendments(submission: Submission, amendments: Iterable[CalendarAmendment]) -> Submission:
    """``submission`` with ``amendments`` applied in ``amended_at`` order (see the module).

    Raises :class:`FormatError` for an amendment of another region or period,
    or one cancelling an activity that does not exist.
    """
    ordered = sorted(amendments, key=lambda a: a.amended_at)
    activities = {a.id: a for a in submission.activities}
    for amendment in ordered:
        if (amendment.region, amendment.period) != (submission.region, submission.period):
            raise FormatError(
                f"an amendment of {amendment.region} {amendment.period} cannot apply to "
                f"the submission of {submission.region} {submission.period}"
            )
        for activity in amendment.activities:
            activities[activity.id] = activity
        for cancel in amendment.cancellations:
            found = activities.get(cancel.id)
            if found is None:
                raise FormatError(f"the amendment cancels {cancel.id}, which was never sent")
            activities[cancel.id] = found.model_copy(update={"status": ActivityStatus.CANCELLED})
    return submission.model_copy(update={"activities": list(activities.values())})
