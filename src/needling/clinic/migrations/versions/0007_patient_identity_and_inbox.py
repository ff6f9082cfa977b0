"""optional personnummer and date of birth per patient; the state of the dashboard's alert inbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 09:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("personnummer", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("birth_date", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_patients_personnummer"), ["personnummer"], unique=False)
        batch_op.create_index(batch_op.f("ix_patients_birth_date"), ["birth_date"], unique=False)
    op.create_table(
        "inbox_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("assigned_to_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=True),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["assigned_to_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["acknowledged_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("inbox_states")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_birth_date"))
        batch_op.drop_index(batch_op.f("ix_patients_personnummer"))
        batch_op.drop_column("birth_date")
        batch_op.drop_column("personnummer")
