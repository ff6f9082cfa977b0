"""intake versions (append-only), the plan's intake version, session notes, amendments and an outcome's photos

Every patient already stored gets version 1 of their intake, dated when the patient was created and by no one
recorded (the author was not kept before this revision).

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24 14:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

TABLES = ("intake_versions", "session_notes", "amendments")


def _immutable(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":  # needling_append_only() comes with revision 0011
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION needling_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} are append-only: record a new row instead'); END"
            )


def upgrade() -> None:
    op.create_table(
        "intake_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("intake", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"]),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("patient_id", "number"),
    )
    op.create_index("ix_intake_versions_patient_id", "intake_versions", ["patient_id"])
    op.execute(
        "INSERT INTO intake_versions (patient_id, number, intake, changes, created_at) "
        "SELECT id, 1, intake, '[]', created FROM patients"
    )
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("intake_version_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_plans_intake_version", "intake_versions", ["intake_version_id"], ["id"])
    op.create_table(
        "session_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(length=40), nullable=True),
        sa.Column("template", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_session_notes_session_id", "session_notes", ["session_id"])
    op.create_table(
        "amendments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=20), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"]),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_amendments_patient_id", "amendments", ["patient_id"])
    op.create_table(
        "outcome_photos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("photo_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["outcome_id"], ["outcomes.id"]),
        sa.ForeignKeyConstraint(["photo_id"], ["photos.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("outcome_id", "photo_id"),
    )
    op.create_index("ix_outcome_photos_outcome_id", "outcome_photos", ["outcome_id"])
    for table in TABLES:
        _immutable(table)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table in TABLES:
        if postgres:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    op.drop_index("ix_outcome_photos_outcome_id", table_name="outcome_photos")
    op.drop_table("outcome_photos")
    op.drop_index("ix_amendments_patient_id", table_name="amendments")
    op.drop_table("amendments")
    op.drop_index("ix_session_notes_session_id", table_name="session_notes")
    op.drop_table("session_notes")
    with op.batch_alter_table("plans") as batch:
        batch.drop_constraint("fk_plans_intake_version", type_="foreignkey")
        batch.drop_column("intake_version_id")
    op.drop_index("ix_intake_versions_patient_id", table_name="intake_versions")
    op.drop_table("intake_versions")
