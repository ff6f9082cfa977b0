"""session record follows the plan: the plan a session followed, and the overrides with their justification

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 08:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key("fk_sessions_plan_id_plans", "plans", ["plan_id"], ["id"])
    op.create_table(
        "session_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_region_id", sa.Integer(), nullable=False),
        sa.Column("check", sa.String(length=40), nullable=False),
        sa.Column("refusal", sa.Text(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_region_id"], ["session_regions.id"]),
        sa.ForeignKeyConstraint(["clinician_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("session_overrides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_session_overrides_session_region_id"), ["session_region_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("session_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_overrides_session_region_id"))
    op.drop_table("session_overrides")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_sessions_plan_id_plans", type_="foreignkey")
        batch_op.drop_column("plan_id")
