"""audit entries name the patient, the result and the client; unauthenticated attempts counted

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 09:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("patient_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("result", sa.String(length=20), nullable=False, server_default="ok"))
        batch_op.add_column(sa.Column("client", sa.String(length=45), nullable=False, server_default=""))
        batch_op.create_index(batch_op.f("ix_audit_log_patient_id"), ["patient_id"], unique=False)
    # Earlier entries: a patient read or refusal named the patient in entity_id; the refusals become results.
    op.execute(
        "UPDATE audit_log SET patient_id = CAST(entity_id AS INTEGER) "
        "WHERE entity = 'patient' AND entity_id <> '' AND entity_id <> '*' AND LENGTH(entity_id) < 10"
    )
    op.execute("UPDATE audit_log SET action = 'read', result = 'not-found' WHERE action = 'denied'")
    op.create_table(
        "unauthenticated_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("client", sa.String(length=45), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_path", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("day", "client"),
    )
    with op.batch_alter_table("unauthenticated_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unauthenticated_attempts_day"), ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("unauthenticated_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unauthenticated_attempts_day"))
    op.drop_table("unauthenticated_attempts")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_patient_id"))
        batch_op.drop_column("client")
        batch_op.drop_column("result")
        batch_op.drop_column("patient_id")
