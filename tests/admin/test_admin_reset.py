"""Admin resets: one member or the whole server, confirmed by a button, audited; a whole-server
reset exports the server first and says where; chests survive; other servers are untouched."""

from __future__ import annotations

import json

from sqlalchemy import select

from chibot.core import export
from chibot.core.tables import audit

GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def test_reset_member_with_confirmation(sandbox) -> None:
    app, grove = sandbox.app, sandbox.guild_id(GROVE)
    dave = sandbox.user_id("Dave")
    await app.economy.admin_adjust(grove, 1, dave, 400)
    await app.economy.admin_adjust(sandbox.guild_id(POND), 1, dave, 400)
    await app.db.scoped(grove, lambda s: s.chest.add(dave, "minor_healing_salve", 2))
    ex = await sandbox.say("Alice", GROVE, "P!reset @Dave")
    prompt = ex.reply
    ex = await sandbox.discord.click(prompt, sandbox.user_id("Bob"), label="Confirm")
    assert "isn't yours" in ex.text
    assert (await app.economy.profile(grove, dave)).chi == 400
    ex = await sandbox.discord.click(prompt, sandbox.user_id("Alice"), label="Confirm")
    assert "was reset" in ex.text and "400 chi" in ex.text
    assert (await app.economy.profile(grove, dave)).chi == 0
    assert (await app.economy.profile(sandbox.guild_id(POND), dave)).chi == 400
    assert await app.db.scoped(grove, lambda s: s.chest.qty(dave, "minor_healing_salve")) == 2


async def test_cancel_changes_nothing_and_non_admins_are_refused(sandbox) -> None:
    app, grove = sandbox.app, sandbox.guild_id(GROVE)
    await app.economy.admin_adjust(grove, 1, sandbox.user_id("Dave"), 10)
    ex = await sandbox.say("Carol", GROVE, "P!totalreset")
    assert "Only server admins" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "admin totalreset")
    ex = await sandbox.discord.click(ex.reply, sandbox.user_id("Alice"), label="Cancel")
    assert "nothing changed" in ex.text
    assert (await app.economy.profile(grove, sandbox.user_id("Dave"))).chi == 10


async def test_totalreset_exports_first_and_says_where(sandbox, tmp_path) -> None:
    app, grove, pond = sandbox.app, sandbox.guild_id(GROVE), sandbox.guild_id(POND)
    app.admin.export_dir = tmp_path
    for name in ("Bob", "Carol"):
        await app.economy.admin_adjust(grove, 1, sandbox.user_id(name), 100)
    await app.economy.admin_adjust(pond, 1, sandbox.user_id("Bob"), 100)
    pond_before = export.dumps(await export.export_guild(app.db, pond))
    ex = await sandbox.say("Alice", GROVE, "P!totalreset")
    ex = await sandbox.discord.click(ex.reply, sandbox.user_id("Alice"), label="Confirm")
    files = list(tmp_path.glob("*.json"))
    assert len(files) == 1 and str(files[0]) in ex.text
    assert "Reset 2 members" in ex.text
    saved = json.loads(files[0].read_text())
    assert {r["user_id"] for r in saved["parts"]["core"]["members"]} == {
        sandbox.user_id("Bob"),
        sandbox.user_id("Carol"),
    }
    assert (await app.economy.leaderboard(grove, "chi", 1, 1)).rows == []
    assert export.dumps(await export.export_guild(app.db, pond)) == pond_before
    async with app.db.transaction() as conn:
        actions = [
            r.action
            for r in await conn.execute(select(audit.c.action).where(audit.c.guild_id == grove))
        ]
    assert "admin.totalreset" in actions
    # and the export restores the server
    await export.import_guild(app.db, saved)
    assert (await app.economy.profile(grove, sandbox.user_id("Carol"))).chi == 100


async def test_setup_creates_roles_and_channels_once(sandbox) -> None:
    ex = await sandbox.say("Bob", GROVE, "P!setup")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!setup")
    assert "chibot is set up" in ex.text and "Created role **Positive Chi**" in ex.text
    settings = await sandbox.app.guild_settings.get(sandbox.guild_id(GROVE))
    assert all(
        getattr(settings, k)
        for k in (
            "positive_role_id",
            "negative_role_id",
            "quest_role_id",
            "log_channel_id",
            "event_channel_id",
        )
    )
    ex = await sandbox.slash("Alice", GROVE, "admin setup")
    assert "already in place" in ex.text
    other = await sandbox.app.guild_settings.get(sandbox.guild_id(POND))
    assert other.positive_role_id is None


async def test_an_admin_who_lost_manage_server_cannot_confirm_what_they_opened(sandbox) -> None:
    """A confirmation re-checks the command's checks when pressed, for the member as they are
    now: Carol opens a reset and a totalreset as an admin, loses Manage Server, presses."""
    app, grove, carol = sandbox.app, sandbox.guild_id(GROVE), sandbox.user_id("Carol")
    await app.economy.admin_adjust(grove, 1, sandbox.user_id("Dave"), 400)
    sandbox.discord.set_permissions(grove, carol, manage_guild=True)
    reset = (await sandbox.say("Carol", GROVE, "P!reset @Dave")).reply
    total = (await sandbox.slash("Carol", GROVE, "admin totalreset")).reply
    sandbox.discord.set_permissions(grove, carol)  # Manage Server taken away
    for prompt in (reset, total):
        ex = await sandbox.discord.click(prompt, carol, label="Confirm")
        assert "Only server admins" in ex.text and ex.ephemeral[-1] is True
    assert (await app.economy.profile(grove, sandbox.user_id("Dave"))).chi == 400
    sandbox.discord.set_permissions(grove, carol, manage_guild=True)  # and given back: it works
    reset = (await sandbox.say("Carol", GROVE, "P!reset @Dave")).reply
    ex = await sandbox.discord.click(reset, carol, label="Confirm")
    assert "was reset" in ex.text
