"""sessions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 07:00:00
"""

from alembic import op
import sqlalchemy as sa
import chibot.core.tables


revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", chibot.core.tables.UtcDateTime(), nullable=False),
        sa.Column("expires_at", chibot.core.tables.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "kind", "key", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index("ix_sessions_member", ["guild_id", "kind", "user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_member")
    op.drop_table("sessions")
