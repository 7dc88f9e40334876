"""NationalDataset: the twelve regions' submissions combined by the national office.

A national dataset embeds every accepted regional :class:`Submission` whole,
unchanged, next to where it came from (file name and SHA-256), so each record
keeps its exact content and its provenance. Superseded submissions (older
versions of a resubmitted region and period) are embedded too, with what the
newer version changed, so nothing that was received is lost and combining the
national dataset again reproduces it byte for byte.

It also holds what the office needs to trust the data: the completeness matrix
(twelve regions by period), persons reported by more than one region, record
ids with conflicting content, and counts that reconcile
(``records_in == records_accepted + records_superseded``).

The document is built by :func:`krat_core.combine.consolidate.combine`; it has no time
stamp of its own, so the same inputs always give the same bytes.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from krat_core.format.models.amendment import CalendarAmendment
from krat_core.format.models.case import SubjectRef
from krat_core.format.models.common import (
    INTEGRAL,
    CaseId,
    Day,
    Extensions,
    KratModel,
    RegionCode,
    Timestamp,
)
from krat_core.format.models.submission import Generator, Period, Submission

__all__ = [
    "AMENDMENTS_SINCE",
    "NATIONAL_FORMAT",
    "NATIONAL_SCHEMA_VERSION",
    "AcceptedSubmission",
    "AmendmentSource",
    "AppliedAmendment",
    "CaseRef",
    "CompletenessCell",
    "Conflict",
    "ConflictVersion",
    "CrossRegionDuplicate",
    "NationalCounts",
    "NationalDataset",
    "RecordChanges",
    "Source",
    "SupersededSubmission",
    "ValidationSummary",
]

NATIONAL_FORMAT = "krat-national"
"""The value of ``format`` in a national dataset."""

NATIONAL_SCHEMA_VERSION = "1.0.0"
"""The national dataset format version this library writes. Readers accept any 1.x.y.

A dataset with calendar amendments is written as :data:`AMENDMENTS_SINCE`, the
lowest version that has them (the version policy: write the lowest minor
version whose fields you use), so a 1.0 reader refuses it clearly."""

AMENDMENTS_SINCE = "1.1.0"
"""The format version that added calendar amendments (and ``NationalDataset.amendments``)."""

Sha256 = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9a-f]{64}$"),
    Field(description="SHA-256 digest, 64 lower-case hexadecimal characters."),
]
FileName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=255),
    Field(description="Name of a file as received (its base name, without folders)."),
]
Count = Annotated[int, Field(ge=0, le=10**15), INTEGRAL]
"""A count of submissions, records or findings (exact in every JSON reader)."""
RecordId = Annotated[str, StringConstraints(min_length=1, max_length=100)]
RecordKind = Literal["institution", "case", "activity", "objective"]


class ValidationSummary(KratModel):
    """The outcome of the validation engine on one submission."""

    valid: bool = Field(description="True when there is no error (warnings allowed).")
    errors: Count = 0
    warnings: Count = 0


class Source(KratModel):
    """Where one submission came from: the file as received and its digest."""

    file: FileName
    sha256: Sha256 = Field(description="SHA-256 of the file's bytes as received.")
    other_files: list[FileName] = Field(
        default_factory=list,
        description="Other names under which byte-identical copies were received.",
    )
    records: Count = Field(description="Number of records in the submission.")
    late: bool | None = Field(
        default=None, description="Submitted after the deadline; empty when no deadline was set."
    )
    validation: ValidationSummary | None = Field(
        default=None,
        description="Validation outcome of an accepted submission; empty when not validated.",
    )


class AcceptedSubmission(KratModel):
    """A regional submission that is part of the national dataset, with its provenance."""

    source: Source = Field(description="Where the submission came from.")
    submission: Submission = Field(description="The regional submission, whole and unchanged.")


class AmendmentSource(KratModel):
    """Where one calendar amendment came from: the file as received and its digest."""

    file: FileName
    sha256: Sha256 = Field(description="SHA-256 of the file's bytes as received.")
    other_files: list[FileName] = Field(
        default_factory=list,
        description="Other names under which byte-identical copies were received.",
    )


class AppliedAmendment(KratModel):
    """A calendar amendment applied on top of its region's accepted submission."""

    source: AmendmentSource = Field(description="Where the amendment came from.")
    amendment: CalendarAmendment = Field(description="The amendment, whole and unchanged.")


class RecordChanges(KratModel):
    """What a resubmission changed, by record id, compared with the version it replaced."""

    added: list[RecordId] = Field(
        default_factory=list, description="Ids only in the newer version."
    )
    removed: list[RecordId] = Field(
        default_factory=list, description="Ids only in the older version."
    )
    changed: list[RecordId] = Field(
        default_factory=list, description="Ids in both versions with different content."
    )


class SupersededSubmission(KratModel):
    """An older version of a region's submission for a period, replaced by a newer one.

    Kept whole so that nothing received is lost; it does not count in national figures.
    """

    source: Source = Field(description="Where the older version came from.")
    superseded_by: Sha256 = Field(
        description="SHA-256 of the next version of the same region and period."
    )
    tie: bool = Field(
        default=False,
        description=(
            "Both versions carry the same submitted_at; the order was decided by SHA-256 "
            "(the larger digest counts as newer)."
        ),
    )
    changes: RecordChanges = Field(description="What the next version changed.")
    submission: Submission = Field(description="The older version, whole and unchanged.")


class CompletenessCell(KratModel):
    """One region for one period: received or missing, and whether it needs attention."""

    region: RegionCode
    period: Period
    status: Literal["received", "missing"] = Field(
        description="'received' or 'missing' (no submission for this region and period)."
    )
    submitted_at: Timestamp | None = Field(
        default=None, description="When the accepted submission was sent."
    )
    sha256: Sha256 | None = Field(default=None, description="The accepted submission's file.")
    late: bool | None = Field(
        default=None, description="Sent after the deadline; empty when missing or no deadline."
    )
    invalid: bool | None = Field(
        default=None,
        description="Has validation errors; empty when missing or not validated.",
    )
    superseded: Count = Field(default=0, description="Earlier versions replaced by a resubmission.")


class CaseRef(KratModel):
    """A case record of one region's accepted submission."""

    region: RegionCode
    period: Period
    record_id: CaseId


class CrossRegionDuplicate(KratModel):
    """One person (``subject_ref``) in cases of two or more regions. Never merged."""

    subject_ref: SubjectRef
    regions: list[RegionCode] = Field(description="The regions that reported the person, sorted.")
    cases: list[CaseRef] = Field(description="Every accepted case of the person, sorted.")


class ConflictVersion(KratModel):
    """One occurrence of a record id whose content differs between inputs."""

    region: RegionCode = Field(description="Region of the submission that holds it.")
    period: Period
    file: FileName
    sha256: Sha256 = Field(description="SHA-256 of the submission's file.")
    content_sha256: Sha256 = Field(
        description="SHA-256 of the record's canonical JSON: equal digests, equal content."
    )


class Conflict(KratModel):
    """The same record id with different content in two accepted submissions. Not resolved."""

    kind: RecordKind = Field(description="institution, case, activity or objective.")
    record_id: RecordId
    versions: list[ConflictVersion] = Field(
        description="Every occurrence, sorted by period, region and file digest."
    )


class NationalCounts(KratModel):
    """Counts that reconcile: ``records_in == records_accepted + records_superseded``."""

    submissions_in: Count = Field(description="Distinct submissions received (by SHA-256).")
    submissions_accepted: Count = Field(description="Submissions in the national dataset.")
    submissions_superseded: Count = Field(description="Older versions replaced by resubmissions.")
    records_in: Count = Field(description="Records in all distinct submissions received.")
    records_accepted: Count = Field(description="Records in the accepted submissions.")
    records_superseded: Count = Field(description="Records in superseded submissions.")
    records_by_kind: dict[RecordKind, Count] = Field(
        description="Records in the accepted submissions, by kind."
    )
    cases: Count = Field(description="Case records accepted: a person counts once per region.")
    persons: Count = Field(description="Distinct subject_ref values among the accepted cases.")
    persons_in_several_regions: Count = Field(
        description="Persons reported by more than one region (see duplicates)."
    )
    repeated_record_ids: Count = Field(
        description="Record ids found in more than one accepted submission with equal content."
    )
    conflicts: Count = Field(description="Record ids with different content (see conflicts).")


class NationalDataset(KratModel):
    """The national dataset: the accepted regional submissions and what the office must know."""

    format: Literal["krat-national"] = Field(
        default="krat-national", description="Always 'krat-national'."
    )
    schema_version: Annotated[str, StringConstraints(pattern=r"^1\.[0-9]+\.[0-9]+$")] = Field(
        default=NATIONAL_SCHEMA_VERSION,
        description="Version of the national format (semver); readers accept any 1.x.y.",
    )
    periods: list[Period] = Field(description="The reporting periods covered, sorted.")
    deadline: Day | Timestamp | None = Field(
        default=None,
        description=(
            "Submission deadline. A date means 'on or before that day' in the submission's own "
            "time-zone offset; a date-time is compared as an instant."
        ),
    )
    validated: bool = Field(description="Whether the validation engine was run on submissions.")
    generator: Generator = Field(description="The software that combined the submissions.")
    completeness: list[CompletenessCell] = Field(
        description="The twelve regions by period, in region order then period order."
    )
    submissions: list[AcceptedSubmission] = Field(
        description="The accepted submissions, one per region and period, sorted by period, region."
    )
    superseded: list[SupersededSubmission] = Field(
        default_factory=list,
        description="Older versions replaced by a resubmission, sorted by period, region, time.",
    )
    duplicates: list[CrossRegionDuplicate] = Field(
        default_factory=list,
        description="Persons reported by more than one region, sorted by subject_ref.",
    )
    conflicts: list[Conflict] = Field(
        default_factory=list,
        description="Record ids with different content in two accepted submissions, sorted.",
    )
    counts: NationalCounts = Field(description="Counts that reconcile.")
    amendments: list[AppliedAmendment] = Field(
        default_factory=list,
        exclude_if=lambda value: not value,  # without amendments, the bytes 1.0 wrote
        description=(
            "Calendar amendments applied on top of the accepted submissions (format 1.1), "
            "sorted by period, region, amended_at, SHA-256; the submissions stay as received."
        ),
    )
    extensions: Extensions = Field(default_factory=dict)

    def regional_submissions(self) -> list[Submission]:
        """The accepted regional submissions, in period then region order, amendments applied.

        Each submission's activities are those it was sent with, changed by the
        calendar amendments of its region and period (see
        :func:`krat_core.format.amendment.apply_amendments`).
        """
        if not self.amendments:
            return [entry.submission for entry in self.submissions]
        from krat_core.format.models.amendment import apply_amendments

        by_key: dict[tuple[str, str], list[CalendarAmendment]] = {}
        for applied in self.amendments:
            a = applied.amendment
            by_key.setdefault((a.region, a.period), []).append(a)
        return [
            apply_amendments(s, by_key.get((s.region, s.period), []))
            for s in (entry.submission for entry in self.submissions)
        ]
