"""Activity: an awareness or sensitisation event of the anti-trafficking calendar."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from krat_core.format.codelists import ActivityStatus, ActivityType, Observance, TargetGroup
from krat_core.format.models.common import (
    ActivityId,
    Count,
    Day,
    InstitutionId,
    KratModel,
    ObjectiveId,
    Record,
    ShortText,
)


class Participants(KratModel):
    """How many people took part, by sex and in total."""

    female: Count | None = None
    male: Count | None = None
    total: Count


class Activity(Record):
    """One event of the calendar: a school session, forum, campaign, training..."""

    KIND: ClassVar[str] = "activity"

    id: ActivityId
    title: ShortText = Field(description="Title in Albanian.")
    title_en: ShortText | None = Field(default=None, description="Title in English, optional.")
    type: ActivityType
    start: Day
    end: Day | None = Field(default=None, description="Last day; empty for a one-day event.")
    status: ActivityStatus
    national_calendar: bool = Field(
        default=False, description="Whether it is part of the national anti-trafficking calendar."
    )
    observance: Observance | None = None
    organiser: InstitutionId
    partners: list[InstitutionId] = Field(default_factory=list)
    municipality: ShortText | None = None
    place: ShortText | None = Field(default=None, description="Venue, e.g. a school.")
    target_groups: list[TargetGroup] = Field(default_factory=list)
    participants: Participants | None = None
    objectives: list[ObjectiveId] = Field(
        default_factory=list, description="Objectives of the action plan this activity serves."
    )
