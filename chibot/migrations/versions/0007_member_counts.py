"""member counts kept by triggers; the boards' indexes ordered as the boards are

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 09:00:00

`member_counts` holds each server's number of member rows, maintained by triggers on
`members` (AFTER INSERT +1, AFTER DELETE -1): every path that writes members (the wallet,
imports, resets, purges) keeps it exact, in its own transaction. `ix_members_chi_rank` and
`ix_members_rebirth_rank` become (guild_id, key DESC, user_id): the board's order (chi down, ties by user id up) is then the
index order, so a page is an index range scan with no sort.
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_SQLITE = [
    """CREATE TRIGGER members_counted_insert AFTER INSERT ON members
    BEGIN
        INSERT INTO member_counts (guild_id, members) VALUES (NEW.guild_id, 1)
        ON CONFLICT (guild_id) DO UPDATE SET members = members + 1;
    END""",
    """CREATE TRIGGER members_counted_delete AFTER DELETE ON members
    BEGIN
        UPDATE member_counts SET members = members - 1 WHERE guild_id = OLD.guild_id;
    END""",
]
_POSTGRESQL = [
    """CREATE FUNCTION members_counted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO member_counts AS c (guild_id, members) VALUES (NEW.guild_id, 1)
            ON CONFLICT (guild_id) DO UPDATE SET members = c.members + 1;
        ELSE
            UPDATE member_counts SET members = members - 1 WHERE guild_id = OLD.guild_id;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER members_counted AFTER INSERT OR DELETE ON members
    FOR EACH ROW EXECUTE FUNCTION members_counted()""",
]


def upgrade() -> None:
    op.create_table(
        "member_counts",
        sa.Column("guild_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("members", sa.BigInteger(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("guild_id", name=op.f("pk_member_counts")),
    )
    op.execute(
        "INSERT INTO member_counts (guild_id, members) "
        "SELECT guild_id, count(*) FROM members GROUP BY guild_id"
    )
    dialect = op.get_bind().dialect.name
    for statement in _POSTGRESQL if dialect == "postgresql" else _SQLITE:
        op.execute(statement)
    for name, column in (("ix_members_chi_rank", "chi"), ("ix_members_rebirth_rank", "rebirths")):
        op.drop_index(name, table_name="members")
        op.create_index(name, "members", ["guild_id", sa.text(f"{column} DESC"), "user_id"])


def downgrade() -> None:
    for name, column in (("ix_members_chi_rank", "chi"), ("ix_members_rebirth_rank", "rebirths")):
        op.drop_index(name, table_name="members")
        op.create_index(name, "members", ["guild_id", column, "user_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER members_counted ON members")
        op.execute("DROP FUNCTION members_counted()")
    else:
        op.execute("DROP TRIGGER members_counted_insert")
        op.execute("DROP TRIGGER members_counted_delete")
    op.drop_table("member_counts")
