"""Calendar amendments: the amendments and amendment_receipts tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 07:55:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "amendments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("region", sa.String(length=5), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("amended_at", sa.String(length=64), nullable=False),
        sa.Column("amended_utc", sa.String(length=27), nullable=False),
        sa.Column("submitted_by", sa.Text(), nullable=False),
        sa.Column("schema_version", sa.String(length=64), nullable=False),
        sa.Column("activities", sa.Integer(), nullable=False),
        sa.Column("cancellations", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name=op.f("fk_amendments_sha256_blobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendments")),
        sa.UniqueConstraint("sha256", name=op.f("uq_amendments_sha256")),
    )
    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.create_index("ix_amendments_region_period", ["region", "period"], unique=False)

    op.create_table(
        "amendment_receipts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("amendment_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sender", sa.Text(), nullable=False),
        sa.Column("received_at", sa.String(length=27), nullable=False),
        sa.ForeignKeyConstraint(
            ["amendment_id"],
            ["amendments.id"],
            name=op.f("fk_amendment_receipts_amendment_id_amendments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_amendment_receipts")),
    )
    with op.batch_alter_table("amendment_receipts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_amendment_receipts_amendment_id"), ["amendment_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("amendment_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_amendment_receipts_amendment_id"))
    op.drop_table("amendment_receipts")
    with op.batch_alter_table("amendments", schema=None) as batch_op:
        batch_op.drop_index("ix_amendments_region_period")
    op.drop_table("amendments")
