"""team_legacy_ids: the legacy import's map of old team ids to teams

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:00:00
"""

from alembic import op
import sqlalchemy as sa
import chibot.core.tables


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "team_legacy_ids",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("legacy_id", sa.String(length=32), nullable=False),
        sa.Column("team_id", sa.BigInteger(), nullable=False),
        sa.Column("at", chibot.core.tables.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "legacy_id", name=op.f("pk_team_legacy_ids")),
    )


def downgrade() -> None:
    op.drop_table("team_legacy_ids")
