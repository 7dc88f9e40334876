"""CalendarAmendment: a region's additions, changes and cancellations of its activities.

Its own kind of document in the envelope (``format: "krat-calendar-amendment"``);
how it applies (:func:`apply_amendments`) is described in :mod:`krat_core.format.amendment`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from krat_core.format.codelists import ActivityStatus
from krat_core.format.models.activity import Activity
from krat_core.format.models.common import (
    ActivityId,
    Day,
    Extensions,
    KratModel,
    RegionCode,
    ShortText,
    Timestamp,
)
from krat_core.format.models.submission import (
    SCHEMA_VERSION,
    Generator,
    Period,
    Submission,
    SubmittedBy,
)

__all__ = ["AMENDMENT_FORMAT", "CalendarAmendment", "Cancellation", "apply_amendments"]

AMENDMENT_FORMAT = "krat-calendar-amendment"
"""The ``format`` of a calendar amendment."""


class Cancellation(KratModel):
    """An activity the region cancels: its id, the day it was called off, why."""

    id: ActivityId = Field(description="Id of an activity the region sent earlier.")
    cancelled_on: Day = Field(description="The day the activity was called off.")
    reason: ShortText | None = Field(default=None, description="Why, in a few words.")


class CalendarAmendment(KratModel):
    """Additions, changes and cancellations of one region's activities for one period.

    Activities only: it never touches cases, objectives or institutions, never
    supersedes the region's submission and never makes it late.
    """

    format: Literal["krat-calendar-amendment"] = Field(
        default="krat-calendar-amendment", description="Always 'krat-calendar-amendment'."
    )
    schema_version: str = Field(
        default=SCHEMA_VERSION,
        pattern=r"^1\.[0-9]+\.[0-9]+$",
        description="Version of the exchange format (semver); amendments exist from 1.1.0.",
    )
    region: RegionCode = Field(description="The region whose calendar changes.")
    period: Period = Field(description="The reporting period of the submission it amends.")
    amended_at: Timestamp = Field(description="When the amendment was sent, with a time zone.")
    submitted_by: SubmittedBy = Field(description="Who sent it.")
    generator: Generator = Field(description="The software that wrote it.")
    based_on: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 of the submission the region amended (informative).",
    )
    activities: list[Activity] = Field(
        default_factory=list,
        description="Whole activity records: a new id is added, an existing id is replaced.",
    )
    cancellations: list[Cancellation] = Field(
        default_factory=list,
        description="Activities called off: they stay, with status 'cancelled'.",
    )
    extensions: Extensions = Field(default_factory=dict)


def apply_amendments(submission: Submission, amendments: Iterable[CalendarAmendment]) -> Submission:
    """``submission`` with ``amendments`` applied in ``amended_at`` order.

    Raises :class:`ValueError` for an amendment of another region or period,
    or one cancelling an activity that does not exist
    (:func:`krat_core.format.amendment.apply_amendments` raises ``FormatError``).
    """
    ordered = sorted(amendments, key=lambda a: a.amended_at)
    if not ordered:
        return submission
    activities = {a.id: a for a in submission.activities}
    for amendment in ordered:
        if (amendment.region, amendment.period) != (submission.region, submission.period):
            raise ValueError(
                f"an amendment of {amendment.region} {amendment.period} cannot apply to "
                f"the submission of {submission.region} {submission.period}"
            )
        for activity in amendment.activities:
            activities[activity.id] = activity
        for cancel in amendment.cancellations:
            found = activities.get(cancel.id)
            if found is None:
                raise ValueError(f"the amendment cancels {cancel.id}, which was never sent")
            activities[cancel.id] = found.model_copy(update={"status": ActivityStatus.CANCELLED})
    return submission.model_copy(update={"activities": list(activities.values())})
