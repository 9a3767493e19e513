"""Server lifecycle: joining, leaving, coming back within 30 days, purge after, reconcile,
and the job runner that performs the purge."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from chibot.core.scheduler import Jobs, owns, run_due
from chibot.core.tables import guilds, ledger, members

G1, G2 = 200_000_000_000_000_101, 200_000_000_000_000_102
U = 100_000_000_000_000_101


async def rows(app, table, guild_id: int) -> int:
    async with app.db.transaction() as conn:
        return (
            await conn.execute(
                select(func.count()).select_from(table).where(table.c.guild_id == guild_id)
            )
        ).scalar_one()


async def test_leave_keeps_data_and_return_restores_it(app) -> None:
    await app.lifecycle.joined(G1, "One")
    await app.economy.admin_adjust(G1, 1, U, 500)
    await app.lifecycle.left(G1)
    app.clock.advance(days=29)
    assert await run_due(app.db, app) == 0  # nothing due yet
    result = await app.lifecycle.joined(G1, "One")
    assert result.returning
    app.clock.advance(days=5)
    assert await run_due(app.db, app) == 0  # the purge was cancelled by the return
    assert (await app.economy.profile(G1, U)).chi == 500


async def test_purge_after_thirty_days_touches_only_that_server(app) -> None:
    for g in (G1, G2):
        await app.lifecycle.joined(g, str(g))
        await app.economy.admin_adjust(g, 1, U, 500)
        await app.economy.daily(g, U)
    await app.lifecycle.left(G1)
    g2_before = await app.economy.profile(G2, U)
    app.clock.advance(days=30, seconds=1)
    assert await run_due(app.db, app) == 1
    for table in (members, ledger, guilds):
        assert await rows(app, table, G1) == 0
        assert await rows(app, table, G2) > 0
    g2_after = await app.economy.profile(G2, U)
    assert (g2_after.chi, g2_after.lifetime_chi, g2_after.rank) == (
        g2_before.chi,
        g2_before.lifetime_chi,
        g2_before.rank,
    )
    async with app.db.transaction() as conn:
        from chibot.core.tables import metadata

        for table in metadata.sorted_tables:
            if "guild_id" in table.c:
                count = (
                    await conn.execute(
                        select(func.count()).select_from(table).where(table.c.guild_id == G1)
                    )
                ).scalar_one()
                assert count == 0, table.name


async def test_a_late_purge_of_a_returned_server_does_nothing(app) -> None:
    await app.lifecycle.joined(G1, "One")
    await app.economy.admin_adjust(G1, 1, U, 5)
    await app.lifecycle.left(G1)
    await app.lifecycle.joined(G1, "One")
    app.clock.advance(days=40)
    assert not await app.lifecycle.purge(G1)
    assert (await app.economy.profile(G1, U)).chi == 5


async def test_reconcile_applies_what_happened_offline(app) -> None:
    await app.lifecycle.joined(G1, "One")
    joined, left = await app.lifecycle.reconcile({G2: "Two"})
    assert joined == [G2] and left == [G1]
    async with app.db.transaction() as conn:
        state = dict((await conn.execute(select(guilds.c.guild_id, guilds.c.left_at))).all())
    assert state[G2] is None and state[G1] is not None
    assert await app.lifecycle.reconcile({G2: "Two"}) == ([], [])  # idempotent


async def test_jobs_are_leased_once(app) -> None:
    await app.db.scoped(G1, lambda s: s.get(Jobs).schedule("noop", s.now() - timedelta(seconds=1)))
    from chibot.core.scheduler import claim_due

    first = await claim_due(app.db)
    second = await claim_due(app.db)
    assert [j.kind for j in first] == ["noop"] and second == []


def test_shard_ownership() -> None:
    assert owns(G1, None, None)
    shard = (G1 >> 22) % 4
    assert owns(G1, [shard], 4) and not owns(G1, [(shard + 1) % 4], 4)


async def test_joining_posts_a_welcome_and_leaving_is_recorded(sandbox) -> None:
    h = sandbox.discord
    guild = h.make_guild(
        G1,
        "New Place",
        owner_id=sandbox.user_id("Alice"),
        channels=[(300_000_000_000_009_001, "lobby")],
    )
    ex = await h.join_guild(guild, [sandbox.users["Alice"]])
    assert "Thanks for adding chibot" in ex.text and "P!help" in ex.text
    await h.remove_guild(G1)
    async with sandbox.app.db.transaction() as conn:
        left_at = (
            await conn.execute(select(guilds.c.left_at).where(guilds.c.guild_id == G1))
        ).scalar_one()
    assert left_at is not None
    ex = await h.join_guild(guild, [sandbox.users["Alice"]])
    assert "Welcome back" in ex.text


async def test_member_leaving_and_rejoining_keeps_data(sandbox) -> None:
    h, g = sandbox.discord, sandbox.guild_id("Bamboo Grove")
    await sandbox.say("Psy", "Bamboo Grove", "P!chiadd @Erin 77")
    await h.member_remove(g, sandbox.user_id("Erin"))
    await h.member_join(g, sandbox.users["Erin"])
    ex = await sandbox.say("Erin", "Bamboo Grove", "P!chi")
    assert "Erin: 77 chi" in ex.text


async def test_help_lists_commands_and_explains_one(sandbox) -> None:
    ex = await sandbox.say("Bob", "Bamboo Grove", "P!help")
    assert "`daily`" in ex.text and "`give`" in ex.text
    ex = await sandbox.slash("Bob", "Bamboo Grove", "help", command="give")
    assert "P!give" in ex.text and "`pay`" in ex.text and ex.ephemeral == [True]
    ex = await sandbox.say("Bob", "Bamboo Grove", "P!help nonsense")
    assert "no command called" in ex.text


async def test_reconcile_leaves_other_shards_servers_alone(app) -> None:
    await app.lifecycle.joined(G1, "One")
    await app.lifecycle.joined(G2, "Two")
    joined, left = await app.lifecycle.reconcile({G2: "Two"}, mine=lambda g: g == G2)
    assert (joined, left) == ([], [])  # G1 belongs to another process: not "gone"
