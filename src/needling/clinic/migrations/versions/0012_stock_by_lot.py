"""stock by lot: a lot's GTIN, its count of single-use items, and low-stock thresholds per lot and device model

A lot registered before this revision has no count (NULL): its stock is not tracked and sessions never
refuse it for stock.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("lots") as batch:
        batch.add_column(sa.Column("gtin", sa.String(length=14), nullable=True))
        batch.add_column(sa.Column("quantity", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("low_stock_at", sa.Integer(), nullable=True))
        batch.create_check_constraint("ck_lots_quantity_not_negative", "quantity IS NULL OR quantity >= 0")
    with op.batch_alter_table("device_models") as batch:
        batch.add_column(sa.Column("low_stock_at", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device_models") as batch:
        batch.drop_column("low_stock_at")
    with op.batch_alter_table("lots") as batch:
        batch.drop_constraint("ck_lots_quantity_not_negative", type_="check")
        batch.drop_column("low_stock_at")
        batch.drop_column("quantity")
        batch.drop_column("gtin")
