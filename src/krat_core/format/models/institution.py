"""Institution: an actor of the referral mechanism whose performance is compared."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from krat_core.format.codelists import InstitutionType
from krat_core.format.models.common import InstitutionId, Record, ShortText


class Institution(Record):
    """An institution taking part in the regional technical table (TTAT).

    Its id is stable across years, so its performance can be compared year after year.
    """

    KIND: ClassVar[str] = "institution"

    id: InstitutionId
    name: ShortText = Field(description="Official name, in Albanian.")
    type: InstitutionType
    municipality: ShortText | None = Field(
        default=None, description="Municipality (bashkia) where it sits."
    )
