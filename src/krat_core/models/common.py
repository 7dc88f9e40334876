"""Shared building blocks of the record models: base class, ids, countries, extensions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    WithJsonSchema,
)

from krat_core.codelists import COUNTRY_CODES

REGION_PATTERN = r"AL-(0[1-9]|1[0-2])"
"""Regex for an ISO 3166-2:AL region code, used inside every record id."""


def _id(letter: str, with_year: bool) -> str:
    year = r"-[0-9]{4}" if with_year else ""
    return rf"^{REGION_PATTERN}-{letter}{year}-[0-9]{{4,}}$"


INSTITUTION_ID_PATTERN = _id("I", with_year=False)
CASE_ID_PATTERN = _id("C", with_year=True)
ACTIVITY_ID_PATTERN = _id("A", with_year=True)
OBJECTIVE_ID_PATTERN = _id("O", with_year=True)

InstitutionId = Annotated[
    str,
    StringConstraints(pattern=INSTITUTION_ID_PATTERN),
    Field(
        description="Institution id, e.g. AL-02-I-0007: region, I, sequence. Stable across years."
    ),
]
CaseId = Annotated[
    str,
    StringConstraints(pattern=CASE_ID_PATTERN),
    Field(description="Case id, e.g. AL-02-C-2019-0001: region, C, year, sequence."),
]
ActivityId = Annotated[
    str,
    StringConstraints(pattern=ACTIVITY_ID_PATTERN),
    Field(description="Activity id, e.g. AL-02-A-2019-0001: region, A, year, sequence."),
]
ObjectiveId = Annotated[
    str,
    StringConstraints(pattern=OBJECTIVE_ID_PATTERN),
    Field(description="Objective id, e.g. AL-02-O-2019-0001: region, O, plan year, sequence."),
]
RegionCode = Annotated[
    str,
    StringConstraints(pattern=rf"^{REGION_PATTERN}$"),
    Field(description="ISO 3166-2:AL region code, AL-01 (Berat) to AL-12 (Vlorë)."),
]


def _check_country(code: str) -> str:
    if code not in COUNTRY_CODES:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code (e.g. AL, IT, GR)")
    return code


Country = Annotated[
    str,
    AfterValidator(_check_country),
    WithJsonSchema(
        {
            "type": "string",
            "enum": sorted(COUNTRY_CODES),
            "description": "ISO 3166-1 alpha-2 country code (XK for Kosovo).",
        }
    ),
]

ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Amount = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]
Day = Annotated[date, Field(description="A calendar date, ISO 8601 (YYYY-MM-DD).")]

ExtensionNamespace = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$", max_length=100),
]
Extensions = Annotated[
    dict[ExtensionNamespace, dict[str, JsonValue]],
    Field(
        description=(
            "Fields a region keeps that the national format does not have, grouped by a "
            "namespace such as 'al-02' or 'durres.register'. Kept untouched, never aggregated."
        ),
    ),
]


class KratModel(BaseModel):
    """Base of every record: immutable, strict, no unknown fields."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        strict=True,
        use_enum_values=False,
        validate_default=False,
    )


class Record(KratModel):
    """A record of the exchange format: it has an id and may carry extensions."""

    KIND: ClassVar[str] = ""
    """The record kind: "institution", "case", "activity" or "objective"."""

    id: str
    extensions: Extensions = Field(default_factory=dict)


__all__ = [
    "ACTIVITY_ID_PATTERN",
    "CASE_ID_PATTERN",
    "INSTITUTION_ID_PATTERN",
    "OBJECTIVE_ID_PATTERN",
    "ActivityId",
    "Amount",
    "CaseId",
    "Count",
    "Country",
    "Day",
    "Extensions",
    "InstitutionId",
    "KratModel",
    "ObjectiveId",
    "Record",
    "RegionCode",
    "ShortText",
]
