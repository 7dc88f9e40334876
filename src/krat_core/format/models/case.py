"""Case: one identified victim (VT) or potential victim (VMT) of trafficking.

There are no names and no free text about the person: the person is represented
only by ``subject_ref``, a keyed hash of their identity (see ``krat_core.format.pseudonym``).
"""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field, StringConstraints

from krat_core.format.codelists import (
    AssistanceType,
    CaseStage,
    CaseStatus,
    ClosingReason,
    ExploitationType,
    IdentificationSource,
    RecruitmentMethod,
    RelationshipToTrafficker,
    Sex,
    TraffickingScope,
)
from krat_core.format.models.common import (
    INTEGRAL,
    CaseId,
    Country,
    Day,
    InstitutionId,
    KratModel,
    Record,
)

SubjectRef = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{64}$"),
    Field(
        description=(
            "Pseudonymous reference to the person: HMAC-SHA256 (hex) of normalised identity "
            "attributes under the national key. Equal for the same person in every region."
        )
    ),
]


class Referral(KratModel):
    """The referral of the person into the National Referral Mechanism (MKR)."""

    referred_on: Day
    referred_to: InstitutionId | None = Field(
        default=None, description="Institution the person was referred to."
    )
    consent: bool | None = Field(
        default=None, description="Whether the person (or guardian) consented to the referral."
    )


class Assistance(KratModel):
    """One kind of assistance given to the person."""

    type: AssistanceType
    provider: InstitutionId | None = None
    start: Day
    end: Day | None = None


class Case(Record):
    """A victim (VT) or potential victim (VMT) of trafficking, as identified in the region."""

    KIND: ClassVar[str] = "case"

    id: CaseId
    subject_ref: SubjectRef
    status: CaseStatus
    status_decided_by: InstitutionId | None = Field(
        default=None, description="Institution that decided the status (required for VT by rule)."
    )
    identified_on: Day
    identified_by: InstitutionId | None = Field(
        default=None, description="Identifying institution."
    )
    identification_source: IdentificationSource
    sex: Sex
    age_at_identification: Annotated[int, Field(ge=0, le=120), INTEGRAL] | None = Field(
        default=None, description="Age in whole years on the day of identification."
    )
    minor: bool = Field(description="Under 18 on the day of identification.")
    citizenships: list[Country] = Field(default_factory=list)
    exploitation_types: list[ExploitationType] = Field(default_factory=list)
    scope: TraffickingScope = TraffickingScope.UNKNOWN
    countries_of_exploitation: list[Country] = Field(default_factory=list)
    recruitment_method: RecruitmentMethod | None = None
    relationship_to_trafficker: RelationshipToTrafficker | None = None
    referral: Referral | None = None
    assistance: list[Assistance] = Field(default_factory=list)
    stage: CaseStage = CaseStage.IDENTIFIED
    closed_on: Day | None = None
    closing_reason: ClosingReason | None = None
    criminal_proceedings: bool | None = Field(
        default=None, description="Whether criminal proceedings were started."
    )
