"""error_log: the bugs members ran into, per server, for `log`

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 10:40:00
"""

from alembic import op
import sqlalchemy as sa
import chibot.core.tables


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "error_log",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("error_id", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("at", chibot.core.tables.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("guild_id", "error_id", name=op.f("pk_error_log")),
    )
    with op.batch_alter_table("error_log", schema=None) as batch_op:
        batch_op.create_index("ix_error_log_at", ["guild_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("error_log", schema=None) as batch_op:
        batch_op.drop_index("ix_error_log_at")
    op.drop_table("error_log")
