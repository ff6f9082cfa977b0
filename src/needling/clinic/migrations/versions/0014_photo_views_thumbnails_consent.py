"""photos: the standard view and the thumbnail of each photo, and the patient's photo consent (append-only)

Photos stored before this revision get the view "front" and no thumbnail (it is made when first asked for).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLE = "photo_consents"


def upgrade() -> None:
    with op.batch_alter_table("photos") as batch:
        batch.add_column(sa.Column("view", sa.String(length=20), nullable=False, server_default="front"))
        batch.add_column(sa.Column("thumb_sha256", sa.String(length=64), nullable=True))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("scope IN ('none', 'record', 'exports')", name="ck_photo_consents_scope"),
    )
    op.create_index("ix_photo_consents_patient_id", TABLE, ["patient_id"])
    if op.get_bind().dialect.name == "postgresql":  # needling_append_only() comes from 0011
        op.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION needling_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{event.lower()} BEFORE {event} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{TABLE} are append-only: record a new row instead'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
    else:
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
    op.drop_index("ix_photo_consents_patient_id", table_name=TABLE)
    op.drop_table(TABLE)
    with op.batch_alter_table("photos") as batch:
        batch.drop_column("thumb_sha256")
        batch.drop_column("view")
