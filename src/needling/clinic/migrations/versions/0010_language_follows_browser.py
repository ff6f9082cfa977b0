"""a user's language "" follows the browser; "en" and "sv" are choices that override it

Until now "en" was both the default and the English choice, so a choice of English could not override a
Swedish browser. Rows still at the old default become "" (follow the browser), which is what they did.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 12:00:00
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE users SET language = '' WHERE language = 'en'")


def downgrade() -> None:
    op.execute("UPDATE users SET language = 'en' WHERE language = ''")
