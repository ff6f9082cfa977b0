"""signed consents, their withdrawals, and sessions recorded without one with the reason; append-only by trigger

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 11:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("consents", "consent_withdrawals", "consent_overrides")


def _immutable(table: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
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
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=20), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("lang", sa.String(length=5), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signature_kind", sa.String(length=10), nullable=False),
        sa.Column("signature_png", sa.LargeBinary(), nullable=True),
        sa.Column("typed_signature", sa.String(length=200), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("supersedes_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"]),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"]),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["supersedes_id"], ["consents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("supersedes_id"),
        sa.CheckConstraint(
            "(signature_kind = 'drawn' AND signature_png IS NOT NULL) OR "
            "(signature_kind = 'typed' AND typed_signature IS NOT NULL)",
            name="ck_consents_signature",
        ),
    )
    op.create_index("ix_consents_patient_id", "consents", ["patient_id"])
    op.create_table(
        "consent_withdrawals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["consent_id"], ["consents.id"]),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("consent_id"),
    )
    op.create_table(
        "consent_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("procedure", sa.String(length=20), nullable=False),
        sa.Column("refusal", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.ForeignKeyConstraint(["clinician_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_consent_overrides_session_id", "consent_overrides", ["session_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION needling_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION '% are append-only: record a new row instead', TG_TABLE_NAME; END $$"
        )
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
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS needling_append_only()")
    op.drop_index("ix_consent_overrides_session_id", table_name="consent_overrides")
    op.drop_table("consent_overrides")
    op.drop_table("consent_withdrawals")
    op.drop_index("ix_consents_patient_id", table_name="consents")
    op.drop_table("consents")
