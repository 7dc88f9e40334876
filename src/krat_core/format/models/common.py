"""Shared building blocks of the record models: base class, ids, countries, extensions."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Union

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    JsonValue,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import core_schema
from typing_extensions import TypeAliasType

from krat_core.format.codelists import COUNTRY_CODES, REGION_PATTERN
from krat_core.format.textrules import (
    EXTENSION_KEY_MAX,
    EXTENSION_TEXT_MAX,
    ID_MAX,
    MULTILINE_PATTERN,
    SHORT_TEXT_MAX,
    TEXT_PATTERN,
)


def _id(letter: str, with_year: bool) -> str:
    year = r"-[0-9]{4}" if with_year else ""
    return rf"^{REGION_PATTERN}-{letter}{year}-[0-9]{{4,}}$"


INSTITUTION_ID_PATTERN = _id("I", with_year=False)
CASE_ID_PATTERN = _id("C", with_year=True)
ACTIVITY_ID_PATTERN = _id("A", with_year=True)
OBJECTIVE_ID_PATTERN = _id("O", with_year=True)

InstitutionId = Annotated[
    str,
    StringConstraints(pattern=INSTITUTION_ID_PATTERN, max_length=ID_MAX),
    Field(
        description="Institution id, e.g. AL-02-I-0007: region, I, sequence. Stable across years."
    ),
]
CaseId = Annotated[
    str,
    StringConstraints(pattern=CASE_ID_PATTERN, max_length=ID_MAX),
    Field(description="Case id, e.g. AL-02-C-2019-0001: region, C, year, sequence."),
]
ActivityId = Annotated[
    str,
    StringConstraints(pattern=ACTIVITY_ID_PATTERN, max_length=ID_MAX),
    Field(description="Activity id, e.g. AL-02-A-2019-0001: region, A, year, sequence."),
]
ObjectiveId = Annotated[
    str,
    StringConstraints(pattern=OBJECTIVE_ID_PATTERN, max_length=ID_MAX),
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


def _integral(value: Any) -> Any:
    """Accept a JSON number with no fractional part (``5.0``) as the integer it is.

    JSON (and JSON Schema's ``integer``) does not tell ``5`` from ``5.0``; the
    models must not either. Anything else goes on to the strict ``int`` check.
    """
    if type(value) is float and value.is_integer():
        return int(value)
    return value


INTEGRAL = BeforeValidator(_integral)
"""Put after the bounds of an ``int`` field: ``Annotated[int, Field(ge=0), INTEGRAL]``."""


# Dates and time stamps: portable regular expressions (ECMA-262, RE2 and Python agree:
# no look-around, no back-references) that accept exactly what the models accept.
_YEAR = r"(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_MONTH_DAY = (
    r"(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    r"|02-(?:0[1-9]|1[0-9]|2[0-8]))"
)
_DATE = rf"(?:{_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{1,6})?"
_OFFSET = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"

DATE_PATTERN = rf"^{_DATE}$"
"""A calendar date YYYY-MM-DD (years 0001-9999, Gregorian leap years)."""
TIMESTAMP_PATTERN = rf"^{_DATE}T{_TIME}{_OFFSET}$"
"""An RFC 3339 time stamp with a time zone: ``2024-01-20T09:00:00+01:00`` or ``...Z``."""

_TIMESTAMP = re.compile(TIMESTAMP_PATTERN)


def _parse_timestamp(value: Any) -> Any:
    # pydantic alone also takes "2024-01-20 09:00Z", "+0100" and Unix times as text.
    if isinstance(value, str):
        if _TIMESTAMP.fullmatch(value) is None:
            raise ValueError(
                "expected an RFC 3339 time stamp with a time zone, "
                "like 2024-01-20T09:00:00+01:00 or 2024-01-20T08:00:00Z"
            )
        return datetime.fromisoformat(value)
    return value


# --- text rules (issue 11): see krat_core.format.textrules.
ShortText = Annotated[
    str, StringConstraints(min_length=1, max_length=SHORT_TEXT_MAX, pattern=TEXT_PATTERN)
]
"""A single-line text of 1 to 500 characters (names, titles, places)."""
Count = Annotated[int, Field(ge=0, le=10_000_000), INTEGRAL]
Amount = Annotated[float, Field(allow_inf_nan=False, ge=-1e15, le=1e15)]


class _IsoDate:
    """Dates in JSON are exactly ``YYYY-MM-DD``; in Python, ``date`` objects.

    pydantic's strict date alone also takes a Unix time as text (``"0"``,
    ``"86400"``); a Rust-side pattern check before the date parser refuses it,
    at no measurable cost. The calendar check (``2023-02-29``) is the parser's.
    """

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.json_or_python_schema(
            json_schema=core_schema.chain_schema(
                [
                    core_schema.str_schema(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
                    core_schema.date_schema(strict=False),
                ]
            ),
            python_schema=core_schema.date_schema(strict=True),
        )


Day = Annotated[
    date,
    _IsoDate,
    WithJsonSchema(
        {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            "description": "A calendar date, ISO 8601 (YYYY-MM-DD).",
        }
    ),
]
Timestamp = Annotated[
    AwareDatetime,
    BeforeValidator(_parse_timestamp),
    WithJsonSchema(
        {
            "type": "string",
            "format": "date-time",
            "pattern": TIMESTAMP_PATTERN,
            "description": (
                "An RFC 3339 time stamp with a time zone, e.g. 2024-01-20T09:00:00+01:00; "
                "at most 6 digits of fractional seconds."
            ),
        }
    ),
]

_FLOAT_MAX = 1.7976931348623157e308

ExtensionKey = Annotated[
    str, StringConstraints(min_length=1, max_length=EXTENSION_KEY_MAX, pattern=TEXT_PATTERN)
]
"""A key inside an extension object: a short single-line text."""

# A JSON value that canonical JSON can write back unchanged: finite numbers,
# integers within 64 bits (orjson's range). Recursive, so it gets its own $defs entry.
if TYPE_CHECKING:
    ExtensionValue = JsonValue
else:
    ExtensionValue = TypeAliasType(
        "ExtensionValue",
        Union[  # noqa: UP007 - a recursive alias needs the Union spelling
            bool,
            Annotated[int, Field(ge=-(2**63), le=2**64 - 1)],
            Annotated[float, Field(allow_inf_nan=False, ge=-_FLOAT_MAX, le=_FLOAT_MAX)],
            Annotated[
                str,
                StringConstraints(max_length=EXTENSION_TEXT_MAX, pattern=MULTILINE_PATTERN),
            ],
            list["ExtensionValue"],
            dict[ExtensionKey, "ExtensionValue"],
            None,
        ],
    )

ExtensionNamespace = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)*$", max_length=100),
]
Extensions = Annotated[
    dict[ExtensionNamespace, dict[ExtensionKey, ExtensionValue]],
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
    "DATE_PATTERN",
    "EXTENSION_KEY_MAX",
    "EXTENSION_TEXT_MAX",
    "ID_MAX",
    "INSTITUTION_ID_PATTERN",
    "INTEGRAL",
    "MULTILINE_PATTERN",
    "OBJECTIVE_ID_PATTERN",
    "SHORT_TEXT_MAX",
    "TEXT_PATTERN",
    "TIMESTAMP_PATTERN",
    "ActivityId",
    "Amount",
    "CaseId",
    "Count",
    "Country",
    "Day",
    "ExtensionValue",
    "Extensions",
    "InstitutionId",
    "KratModel",
    "ObjectiveId",
    "Record",
    "RegionCode",
    "ShortText",
    "Timestamp",
]
