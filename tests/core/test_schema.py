"""The schema keeps the tenancy rules, and the migrations build exactly that schema.

Proven here:
- every table (core and features) has a primary key whose FIRST column is `guild_id`;
- every foreign key includes `guild_id` on both sides;
- after `Database.upgrade()`, Alembic's autogenerate comparison finds no difference between
  the migrated database and the metadata (types and server defaults included), on SQLite and
  PostgreSQL: a table or column added without a migration fails here;
- `upgrade()` is idempotent;
- the migrations are found wherever the package is installed (a path with spaces or commas).
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import BigInteger, Column, DefaultClause, MetaData, inspect, select

from chibot.core.db import Database
from chibot.core.registry import default_registry
from chibot.core.tables import members, metadata

default_registry()  # every system's manifest, and so its tables
TABLES = sorted(metadata.tables.values(), key=lambda t: t.name)


def test_the_features_register_their_tables() -> None:
    assert {"guilds", "members", "ledger", "cooldowns", "guild_settings", "audit", "blacklist"} <= {
        t.name for t in TABLES
    }


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_guild_id_leads_the_primary_key(table) -> None:
    columns = list(table.primary_key.columns)
    assert columns, f"{table.name} has no primary key"
    assert columns[0].name == "guild_id", (
        f"{table.name}: primary key is {[c.name for c in columns]}"
    )
    assert not columns[0].nullable


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_foreign_keys_include_guild_id(table) -> None:
    for fk in table.foreign_key_constraints:
        local = [c.name for c in fk.columns]
        remote = [e.column.name for e in fk.elements]
        assert "guild_id" in local and "guild_id" in remote, (
            f"{table.name}: {fk.name} {local}->{remote}"
        )


def _plain(default: str | None) -> str | None:
    """A server default without the quoting/parentheses each backend adds when reflecting."""
    if default is None:
        return None
    default = re.sub(r"^\((.*)\)$", r"\1", default.strip())
    default = re.sub(r"::[\w ]+$", "", default)  # PostgreSQL casts: '0'::bigint
    return re.sub(r"^'(.*)'$", r"\1", default)


def _differences(sync_conn, target: MetaData = metadata) -> list:
    context = MigrationContext.configure(
        sync_conn,
        opts={
            "compare_type": True,
            "compare_server_default": lambda _ctx, _col, _mcol, found, _default, wanted: (
                _plain(found) != _plain(wanted)
            ),
        },
    )
    return compare_metadata(context, target)


async def test_migrations_build_exactly_the_metadata(db: Database) -> None:
    async with db.engine.connect() as conn:
        diffs = await conn.run_sync(_differences)
    assert diffs == []


async def test_the_comparison_notices_drift(db: Database) -> None:
    """Guard for the test above: metadata ahead of the migrations is reported (a new column,
    a changed server default)."""
    ahead = MetaData(naming_convention=metadata.naming_convention)
    for table in TABLES:
        table.to_metadata(ahead)
    ahead.tables["members"].append_column(Column("extra", BigInteger, nullable=True))
    ahead.tables["members"].c.chi.server_default = DefaultClause("1")
    async with db.engine.connect() as conn:
        diffs = await conn.run_sync(_differences, ahead)
    flat = [d for group in diffs for d in (group if isinstance(group, list) else [group])]
    assert any(d[0] == "add_column" and d[3].name == "extra" for d in flat), diffs
    assert any(d[0] == "modify_default" and d[3] == "chi" for d in flat), diffs


async def test_upgrade_is_idempotent(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            members.insert().values(guild_id=7, user_id=1, chi=42, created_at=db.clock.now())
        )
    await db.upgrade()
    await db.upgrade()
    async with db.engine.connect() as conn:
        assert (await conn.execute(select(members.c.chi))).scalar_one() == 42
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {t.name for t in TABLES} <= tables


def test_migrations_are_found_under_a_path_with_a_space(monkeypatch: pytest.MonkeyPatch) -> None:
    import chibot.migrations

    monkeypatch.setattr(chibot.migrations, "HERE", Path("/opt/my bots, inc/chibot/migrations"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "legacy splitting on spaces/commas" either
        locations = chibot.migrations.alembic_config().get_version_locations_list()
    assert locations == ["/opt/my bots, inc/chibot/migrations/versions"]
