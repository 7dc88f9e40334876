"""The archive's tables (SQLAlchemy Core metadata), the one description of its schema.

The tables are created and changed only by the Alembic migrations in
``krat_core/archive/migrations``; this metadata is what they must produce
(a test compares a freshly migrated database with it).

Append-only: rows are inserted, never updated or deleted. A submission
*version* is one distinct file content (its SHA-256); each time a file is
added is a *receipt* (name, sender, time), so adding the same bytes twice
stores them once and records both receipts. Records live in one table per
kind with a few typed columns for queries and the record's canonical JSON.
Calendar amendments (format 1.1) have their own two tables, ``amendments``
and ``amendment_receipts`` (revision 0002); the public releases of reports
made from the archive, ``releases`` (revision 0003).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "RECORD_TABLES",
    "activities",
    "amendment_receipts",
    "amendments",
    "blobs",
    "cases",
    "institutions",
    "metadata",
    "objectives",
    "receipts",
    "releases",
    "versions",
]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),
)
"""Content-addressed bytes: original files and canonical forms, keyed by SHA-256."""

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False, unique=True),
    Column("canonical_sha256", String(64), ForeignKey("blobs.sha256"), nullable=False),
    Column("region", String(5), nullable=False),
    Column("period", String(7), nullable=False),
    Column("submitted_at", String(64), nullable=False),
    Column("submitted_utc", String(27), nullable=False),
    Column("submitted_by", Text, nullable=False),
    Column("original_version", String(64), nullable=False),
    Column("schema_version", String(64), nullable=False),
    Column("records", Integer, nullable=False),
    Column("validated", Boolean, nullable=False),
    Column("valid", Boolean, nullable=True),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("infos", Integer, nullable=False),
    Column("added_at", String(27), nullable=False),
    Index("ix_versions_region_period", "region", "period"),
    Index("ix_versions_period", "period"),
)
"""One row per distinct submission (original SHA-256), with its header and validation summary."""

receipts = Table(
    "receipts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
    Column("file_name", String(255), nullable=False),
    Column("sender", Text, nullable=False),
    Column("received_at", String(27), nullable=False),
)
"""Each time a file was added: the name it came under, who added it, when (UTC)."""


def _record_table(name: str, *columns: Column[object]) -> Table:
    return Table(
        name,
        metadata,
        Column("row_id", Integer, primary_key=True, autoincrement=True),
        Column("version_id", Integer, ForeignKey("versions.id"), nullable=False, index=True),
        Column("region", String(5), nullable=False),
        Column("period", String(7), nullable=False),
        Column("position", Integer, nullable=False),
        Column("record_id", String(100), nullable=False, index=True),
        *columns,
        Column("content", Text, nullable=False),
        UniqueConstraint("version_id", "position"),
        Index(f"ix_{name}_region_period", "region", "period"),
    )


institutions = _record_table(
    "institutions",
    Column("name", Text, nullable=False),
    Column("type", String(64), nullable=False),
)
cases = _record_table(
    "cases",
    Column("subject_ref", String(80), nullable=False, index=True),
    Column("status", String(64), nullable=False),
    Column("identified_on", String(64), nullable=False),
    Column("identified_by", String(100), nullable=True),
    Column("sex", String(64), nullable=False),
    Column("age_at_identification", Integer, nullable=True),
    Column("minor", Boolean, nullable=False),
    Column("scope", String(64), nullable=False),
    Column("stage", String(64), nullable=False),
)
activities = _record_table(
    "activities",
    Column("type", String(64), nullable=False),
    Column("start", String(64), nullable=False),
    Column("end", String(10), nullable=True),
    Column("status", String(64), nullable=False),
    Column("national_calendar", Boolean, nullable=False),
    Column("organiser", String(100), nullable=False),
    Column("participants", Integer, nullable=True),
)
objectives = _record_table(
    "objectives",
    Column("year", Integer, nullable=False),
    Column("pillar", String(64), nullable=False),
    Column("status", String(64), nullable=False),
    Column("deadline", String(64), nullable=False),
)

RECORD_TABLES: dict[str, Table] = {
    "institution": institutions,
    "case": cases,
    "activity": activities,
    "objective": objectives,
}
"""The record tables by record kind, in the order :meth:`Submission.records` yields them."""

amendments = Table(
    "amendments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("sha256", String(64), ForeignKey("blobs.sha256"), nullable=False, unique=True),
    Column("region", String(5), nullable=False),
    Column("period", String(7), nullable=False),
    Column("amended_at", String(64), nullable=False),
    Column("amended_utc", String(27), nullable=False),
    Column("submitted_by", Text, nullable=False),
    Column("schema_version", String(64), nullable=False),
    Column("activities", Integer, nullable=False),
    Column("cancellations", Integer, nullable=False),
    Column("added_at", String(27), nullable=False),
    Index("ix_amendments_region_period", "region", "period"),
)
"""One row per distinct calendar amendment (SHA-256 of its bytes, kept in ``blobs``).

Amendments apply on top of the region's latest version when the archive
combines or exports a period; they never supersede a version (revision 0002).
"""

amendment_receipts = Table(
    "amendment_receipts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("amendment_id", Integer, ForeignKey("amendments.id"), nullable=False, index=True),
    Column("file_name", String(255), nullable=False),
    Column("sender", Text, nullable=False),
    Column("received_at", String(27), nullable=False),
)
"""Each time an amendment file was added: the name, who added it, when (UTC)."""

releases = Table(
    "releases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("period", String(7), nullable=False),
    Column("scope", String(16), nullable=False),
    Column("audience", String(16), nullable=False),
    Column("threshold", Integer, nullable=True),
    Column("output", String(255), nullable=False),
    Column("digest", String(71), nullable=False),
    Column("created", String(27), nullable=False),
    Column("cells", Text, nullable=True),
    Column("version", Integer, nullable=False),
    Index("ix_releases_period_scope", "period", "scope"),
)
"""The release register in the archive (revision 0003): one row per public release
written from it (:class:`krat_core.reporting.register.ReleaseRecord`; ``cells`` its
canonical JSON), appended, never changed."""
