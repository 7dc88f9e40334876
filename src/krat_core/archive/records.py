"""A submission as archive rows: the version row's header and one row per record.

Shared by adding, verifying and restoring, so the three derive rows the same
way: :func:`prepare` turns received bytes into everything the archive stores,
and :func:`record_rows` yields the record rows from the canonical form, in
batches, so adding 10^5 records never builds them all at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from krat_core.format.canonical import dump_submission
from krat_core.format.migrate import migrate_submission
from krat_core.format.models import Submission

__all__ = ["BATCH", "KINDS", "Prepared", "prepare", "record_rows", "utc_text"]

BATCH = 2000
"""Rows per INSERT statement while adding records."""

KINDS: tuple[tuple[str, str], ...] = (
    ("institution", "institutions"),
    ("case", "cases"),
    ("activity", "activities"),
    ("objective", "objectives"),
)
"""Record kind and the submission's list holding it, in :meth:`Submission.records` order."""


def utc_text(moment: datetime) -> str:
    """A moment as fixed-width UTC text (``2025-01-20T09:00:00.000000Z``): sorts as time does."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class Prepared:
    """Received bytes made ready for the archive (computed outside any transaction).

    It keeps the bytes, the header columns and the validation outcome, not the
    parsed submission: the models are freed before the records are inserted,
    so adding holds one representation of the records at a time.
    """

    original: bytes
    sha256: str
    canonical: bytes
    canonical_sha256: str
    header: dict[str, Any]
    migrated: bool
    validation: Any = None

    @property
    def region(self) -> str:
        """The submission's region code."""
        return str(self.header["region"])

    @property
    def period(self) -> str:
        """The submission's period."""
        return str(self.header["period"])

    @property
    def records(self) -> int:
        """Number of records in the submission."""
        return int(self.header["records"])

    @property
    def original_version(self) -> str:
        """The format version as received."""
        return str(self.header["original_version"])


def _header(s: Submission, sha: str, canonical_sha: str, original_version: str) -> dict[str, Any]:
    """The columns of the ``versions`` row that come from the document itself."""
    return {
        "sha256": sha,
        "canonical_sha256": canonical_sha,
        "region": s.region,
        "period": s.period,
        "submitted_at": s.submitted_at.isoformat(),
        "submitted_utc": utc_text(s.submitted_at),
        "submitted_by": orjson.dumps(
            s.submitted_by.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS
        ).decode(),
        "original_version": original_version,
        "schema_version": s.schema_version,
        "records": len(s.institutions) + len(s.cases) + len(s.activities) + len(s.objectives),
    }


def prepare(raw: bytes, validate: Callable[[Submission], Any] | None = None) -> Prepared:
    """Read ``raw`` (any released format version), migrate it and make its canonical form.

    ``validate``, when given, is called on the migrated submission and its
    result kept in :attr:`Prepared.validation`. Raises
    :class:`~krat_core.errors.FormatError` for anything that is not a submission.
    """
    migrated = migrate_submission(raw)
    canonical = dump_submission(migrated.submission)
    sha = hashlib.sha256(raw).hexdigest()
    canonical_sha = hashlib.sha256(canonical).hexdigest()
    return Prepared(
        original=raw,
        sha256=sha,
        canonical=canonical,
        canonical_sha256=canonical_sha,
        header=_header(migrated.submission, sha, canonical_sha, migrated.original_version),
        migrated=migrated.changed,
        validation=validate(migrated.submission) if validate is not None else None,
    )


def _typed(kind: str, r: dict[str, Any]) -> dict[str, Any]:
    if kind == "institution":
        return {"name": r["name"], "type": r["type"]}
    if kind == "case":
        return {
            "subject_ref": r["subject_ref"],
            "status": r["status"],
            "identified_on": r["identified_on"],
            "identified_by": r.get("identified_by"),
            "sex": r["sex"],
            "age_at_identification": r.get("age_at_identification"),
            "minor": r["minor"],
            "scope": r["scope"],
            "stage": r["stage"],
        }
    if kind == "activity":
        participants = r.get("participants")
        return {
            "type": r["type"],
            "start": r["start"],
            "end": r.get("end"),
            "status": r["status"],
            "national_calendar": r["national_calendar"],
            "organiser": r["organiser"],
            "participants": participants["total"] if participants else None,
        }
    return {
        "year": r["year"],
        "pillar": r["pillar"],
        "status": r["status"],
        "deadline": r["deadline"],
    }


def record_rows(
    canonical: bytes, version_id: int, *, batch: int = BATCH
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """``(kind, rows)`` batches of record rows from a canonical submission, in file order.

    ``position`` numbers the records across kinds as :meth:`Submission.records` does;
    ``content`` is the record's canonical JSON.
    """
    document = orjson.loads(canonical)
    region, period = document["region"], document["period"]
    position = 0
    for kind, key in KINDS:
        rows: list[dict[str, Any]] = []
        for record in document.get(key, ()):
            rows.append(
                {
                    "version_id": version_id,
                    "region": region,
                    "period": period,
                    "position": position,
                    "record_id": record["id"],
                    **_typed(kind, record),
                    "content": orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode(),
                }
            )
            position += 1
            if len(rows) >= batch:
                yield kind, rows
                rows = []
        if rows:
            yield kind, rows
