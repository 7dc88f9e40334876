"""The record models of the exchange format: the one source of truth for its shape.

The JSON Schemas in ``schemas/`` are generated from these models.
"""

from krat_core.format.models.activity import Activity, Participants
from krat_core.format.models.case import Assistance, Case, Referral
from krat_core.format.models.common import KratModel, Record
from krat_core.format.models.institution import Institution
from krat_core.format.models.objective import Indicator, Objective
from krat_core.format.models.submission import (
    SCHEMA_VERSION,
    SUPPORTED_MAJOR,
    ComponentVersion,
    Generator,
    Submission,
    SubmittedBy,
)

RECORD_TYPES: dict[str, type[Record]] = {
    "institution": Institution,
    "case": Case,
    "activity": Activity,
    "objective": Objective,
}
"""Each record kind's model, keyed by kind."""

RECORD_LISTS: dict[str, str] = {
    "institution": "institutions",
    "case": "cases",
    "activity": "activities",
    "objective": "objectives",
}
"""The Submission field that holds each record kind."""

__all__ = [
    "RECORD_LISTS",
    "RECORD_TYPES",
    "SCHEMA_VERSION",
    "SUPPORTED_MAJOR",
    "Activity",
    "Assistance",
    "Case",
    "ComponentVersion",
    "Generator",
    "Indicator",
    "Institution",
    "KratModel",
    "Objective",
    "Participants",
    "Record",
    "Referral",
    "Submission",
    "SubmittedBy",
]
