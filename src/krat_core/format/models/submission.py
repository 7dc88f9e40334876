"""Submission: one region's data for one reporting period."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from krat_core.format.codelists import PERIOD_PATTERN
from krat_core.format.models.activity import Activity
from krat_core.format.models.case import Case
from krat_core.format.models.common import Extensions, KratModel, RegionCode, ShortText, Timestamp
from krat_core.format.models.institution import Institution
from krat_core.format.models.objective import Objective

SCHEMA_VERSION = "1.1.0"
"""The exchange format version this library writes. Readers accept any 1.x.y."""

SUPPORTED_MAJOR = 1

Period = Annotated[
    str,
    StringConstraints(pattern=f"^{PERIOD_PATTERN}$"),
    Field(description='A year ("2019") or a half-year for the six-monthly review ("2019-H1").'),
]


def period_bounds(period: str) -> tuple[date, date]:
    """First and last day of a period: "2024" is the year, "2024-H1" Jan-Jun, "2024-H2" Jul-Dec."""
    year = int(period[:4])
    if period.endswith("-H1"):
        return date(year, 1, 1), date(year, 6, 30)
    if period.endswith("-H2"):
        return date(year, 7, 1), date(year, 12, 31)
    return date(year, 1, 1), date(year, 12, 31)


class SubmittedBy(KratModel):
    """Who sent the submission: an institution and an office contact (not a private person)."""

    institution: ShortText
    contact: ShortText | None = None


class ComponentVersion(KratModel):
    """A library or plugin that took part in producing the file, with its version."""

    name: ShortText
    version: ShortText


class Generator(KratModel):
    """The software that wrote the file."""

    name: ShortText = "krat"
    version: ShortText
    plugins: list[ComponentVersion] = Field(default_factory=list)


class Submission(KratModel):
    """One region's cases, activities, objectives and institutions for one period."""

    format: Literal["krat-submission"] = "krat-submission"
    schema_version: Annotated[str, StringConstraints(pattern=r"^1\.[0-9]+\.[0-9]+$")] = (
        SCHEMA_VERSION
    )
    region: RegionCode
    period: Period
    submitted_at: Timestamp = Field(description="When it was sent, with a time zone.")
    submitted_by: SubmittedBy
    generator: Generator
    institutions: list[Institution] = Field(default_factory=list)
    cases: list[Case] = Field(default_factory=list)
    activities: list[Activity] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    extensions: Extensions = Field(default_factory=dict)

    def records(self) -> list[Institution | Case | Activity | Objective]:
        """Every record of the submission, institutions first, in file order."""
        return [*self.institutions, *self.cases, *self.activities, *self.objectives]

    @property
    def bounds(self) -> tuple[date, date]:
        """First and last day of the period (see :func:`period_bounds`)."""
        return period_bounds(self.period)

    @property
    def year(self) -> int:
        """The year of the period."""
        return int(self.period[:4])
