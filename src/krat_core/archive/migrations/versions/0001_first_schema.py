"""The first schema: blobs, versions, receipts and the four record tables

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-30 06:39:50.314811
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("canonical_sha256", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("submitted_at", sa.String(length=64), nullable=False),
        sa.Column("submitted_utc", sa.String(length=27), nullable=False),
        sa.Column("submitted_by", sa.Text(), nullable=False),
        sa.Column("original_version", sa.String(length=64), nullable=False),
        sa.Column("schema_version", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("validated", sa.Boolean(), nullable=False),
        sa.Column("valid", sa.Boolean(), nullable=True),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("infos", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["canonical_sha256"], ["blobs.sha256"], name=op.f("fk_versions_canonical_sha256_blobs")
        ),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name=op.f("fk_versions_sha256_blobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_versions")),
        sa.UniqueConstraint("sha256", name=op.f("uq_versions_sha256")),
    )
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.create_index("ix_versions_period", ["period"], unique=False)
        batch_op.create_index("ix_versions_region_period", ["region", "period"], unique=False)

    op.create_table(
        "activities",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("start", sa.String(length=64), nullable=False),
        sa.Column("end", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("national_calendar", sa.Boolean(), nullable=False),
        sa.Column("organiser", sa.String(length=100), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_activities_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("row_id", name=op.f("pk_activities")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_activities_version_id")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activities_record_id"), ["record_id"], unique=False)
        batch_op.create_index("ix_activities_region_period", ["region", "period"], unique=False)
        batch_op.create_index(batch_op.f("ix_activities_version_id"), ["version_id"], unique=False)

    op.create_table(
        "cases",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("subject_ref", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("identified_on", sa.String(length=64), nullable=False),
        sa.Column("identified_by", sa.String(length=100), nullable=True),
        sa.Column("sex", sa.String(length=64), nullable=False),
        sa.Column("age_at_identification", sa.Integer(), nullable=True),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("stage", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_cases_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("row_id", name=op.f("pk_cases")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_cases_version_id")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_record_id"), ["record_id"], unique=False)
        batch_op.create_index("ix_cases_region_period", ["region", "period"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_subject_ref"), ["subject_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_version_id"), ["version_id"], unique=False)

    op.create_table(
        "institutions",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_institutions_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("row_id", name=op.f("pk_institutions")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_institutions_version_id")),
    )
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_institutions_record_id"), ["record_id"], unique=False)
        batch_op.create_index("ix_institutions_region_period", ["region", "period"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_institutions_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "objectives",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=100), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("pillar", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=64), nullable=False),
        sa.Column("deadline", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_objectives_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("row_id", name=op.f("pk_objectives")),
        sa.UniqueConstraint("version_id", "position", name=op.f("uq_objectives_version_id")),
    )
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_objectives_record_id"), ["record_id"], unique=False)
        batch_op.create_index("ix_objectives_region_period", ["region", "period"], unique=False)
        batch_op.create_index(batch_op.f("ix_objectives_version_id"), ["version_id"], unique=False)

    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"], ["versions.id"], name=op.f("fk_receipts_version_id_versions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
    )
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipts_version_id"), ["version_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipts_version_id"))

    op.drop_table("receipts")
    with op.batch_alter_table("objectives", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_objectives_version_id"))
        batch_op.drop_index("ix_objectives_region_period")
        batch_op.drop_index(batch_op.f("ix_objectives_record_id"))

    op.drop_table("objectives")
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institutions_version_id"))
        batch_op.drop_index("ix_institutions_region_period")
        batch_op.drop_index(batch_op.f("ix_institutions_record_id"))

    op.drop_table("institutions")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_version_id"))
        batch_op.drop_index(batch_op.f("ix_cases_subject_ref"))
        batch_op.drop_index("ix_cases_region_period")
        batch_op.drop_index(batch_op.f("ix_cases_record_id"))

    op.drop_table("cases")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_version_id"))
        batch_op.drop_index("ix_activities_region_period")
        batch_op.drop_index(batch_op.f("ix_activities_record_id"))

    op.drop_table("activities")
    with op.batch_alter_table("versions", schema=None) as batch_op:
        batch_op.drop_index("ix_versions_region_period")
        batch_op.drop_index("ix_versions_period")

    op.drop_table("versions")
    op.drop_table("blobs")
