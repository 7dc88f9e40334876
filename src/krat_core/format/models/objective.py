"""Objective: one line of the regional Action Plan for the year."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from krat_core.format.codelists import ObjectiveStatus, Pillar
from krat_core.format.models.common import (
    INTEGRAL,
    Amount,
    Day,
    InstitutionId,
    KratModel,
    ObjectiveId,
    Record,
    ShortText,
)


class Indicator(KratModel):
    """A measurable indicator of an objective: baseline, target and actual value."""

    name: ShortText
    unit: ShortText | None = None
    baseline: Amount | None = None
    target: Amount | None = None
    actual: Amount | None = None


class Objective(Record):
    """An objective of the regional action plan under one pillar of the national strategy."""

    KIND: ClassVar[str] = "objective"

    id: ObjectiveId
    year: Annotated[int, Field(ge=2000, le=2100), INTEGRAL] = Field(description="Plan year.")
    pillar: Pillar
    title: ShortText = Field(description="Title in Albanian.")
    title_en: ShortText | None = None
    national_measure: ShortText | None = Field(
        default=None, description="Reference to the measure of the national action plan."
    )
    responsible: list[InstitutionId] = Field(default_factory=list)
    deadline: Day
    status: ObjectiveStatus
    indicators: list[Indicator] = Field(default_factory=list)
