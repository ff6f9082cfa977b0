"""patient's next due session: date, number and series length kept on the patient, indexed by date

The dashboard's "due this week or overdue" list read every plan and counted every session on each request
(1.2 s with 10,000 patients and 100,000 sessions); the services now keep these columns when a plan is made or a
session recorded. This revision fills them for the records made before, as the services compute them: the first
date of the latest plan's series not yet matched by a recorded session.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24 14:40:00
"""

from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

patients = sa.table(
    "patients",
    sa.column("id", sa.Integer),
    sa.column("next_due_on", sa.Date),
    sa.column("next_due_number", sa.Integer),
    sa.column("series_length", sa.Integer),
)
plans = sa.table("plans", sa.column("id", sa.Integer), sa.column("patient_id", sa.Integer), sa.column("plan", sa.JSON))
sessions = sa.table("sessions", sa.column("id", sa.Integer), sa.column("patient_id", sa.Integer))


def upgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_due_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("next_due_number", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("series_length", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_patients_next_due_on"), ["next_due_on"], unique=False)
    conn = op.get_bind()
    latest = sa.select(sa.func.max(plans.c.id)).group_by(plans.c.patient_id)
    done = dict(
        conn.execute(
            sa.select(sessions.c.patient_id, sa.func.count(sessions.c.id)).group_by(sessions.c.patient_id)
        ).all()
    )
    rows = []
    for patient_id, plan in conn.execute(sa.select(plans.c.patient_id, plans.c.plan).where(plans.c.id.in_(latest))):
        series = (plan or {}).get("series") or {}
        dates = series.get("dates") or []
        n = done.get(patient_id, 0)
        if n < len(dates):
            rows.append({"pid": patient_id, "on": date.fromisoformat(dates[n]), "number": n + 1, "length": len(dates)})
    if rows:
        conn.execute(
            patients.update()
            .where(patients.c.id == sa.bindparam("pid"))
            .values(
                next_due_on=sa.bindparam("on"),
                next_due_number=sa.bindparam("number"),
                series_length=sa.bindparam("length"),
            ),
            rows,
        )


def downgrade() -> None:
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_next_due_on"))
        batch_op.drop_column("series_length")
        batch_op.drop_column("next_due_number")
        batch_op.drop_column("next_due_on")
