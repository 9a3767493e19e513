"""Bot owners ("PSY"): the `psy` group acts on any server, is refused to everyone else, and
every action is audited where it happened."""

from __future__ import annotations

from sqlalchemy import select

from chibot.core.tables import GLOBAL_GUILD, audit

GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def audits(sandbox, guild_id: int) -> list:
    async with sandbox.app.db.transaction() as conn:
        return list(
            (
                await conn.execute(
                    select(audit).where(audit.c.guild_id == guild_id).order_by(audit.c.id)
                )
            ).all()
        )


async def test_non_owners_are_refused_even_server_owners(sandbox) -> None:
    for user, guild in (("Alice", GROVE), ("Bob", POND), ("Carol", GROVE)):
        ex = await sandbox.say(user, guild, "P!psy guilds")
        assert "Only the bot's owners" in ex.text
    ex = await sandbox.say("Alice", GROVE, f"P!psy give {sandbox.guild_id(POND)} @Alice chi 100")
    assert "Only the bot's owners" in ex.text
    assert (
        await sandbox.app.economy.profile(sandbox.guild_id(POND), sandbox.user_id("Alice"))
    ).chi == 0


async def test_owner_acts_on_another_server_from_here(sandbox) -> None:
    pond = sandbox.guild_id(POND)
    ex = await sandbox.say("Psy", GROVE, f"P!psy give {pond} @Dave chi 1,500")
    assert "Gave 1,500 chi" in ex.text
    ex = await sandbox.say("Psy", GROVE, f"P!psy give {pond} @Dave item 2 minor healing salve")
    assert (
        "Gave 2 Minor Healing Salve to" in ex.text and "now have 2 Minor Healing Salve" in ex.text
    )
    assert "{" not in ex.text  # a sentence, not a Python dict
    ex = await sandbox.say("Psy", GROVE, f"P!psy remove {pond} @Dave chi 500")
    assert "Removed 500 chi" in ex.text
    ex = await sandbox.say("Psy", GROVE, f"P!psy inspect {pond} @Dave")
    assert "Chi: 1,000" in ex.text and "minor_healing_salve x2" in ex.text
    assert (
        await sandbox.app.economy.profile(sandbox.guild_id(GROVE), sandbox.user_id("Dave"))
    ).chi == 0
    rows = await audits(sandbox, pond)
    assert [r.action for r in rows] == ["psy.give.chi", "psy.give.item", "psy.remove.chi"]
    assert (
        rows[0].actor_id == sandbox.user_id("Psy")
        and rows[0].before == {"chi": 0}
        and rows[0].after == {"chi": 1500}
    )
    ex = await sandbox.say("Psy", GROVE, f"P!psy audit {pond}")
    assert "psy.give.chi" in ex.text and "psy.remove.chi" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!psy guilds")
    assert str(pond) in ex.text


async def test_owner_refusals(sandbox) -> None:
    pond = sandbox.guild_id(POND)
    ex = await sandbox.say("Psy", GROVE, f"P!psy remove {pond} @Dave chi 5")
    assert "only have **0**" in ex.text
    ex = await sandbox.say("Psy", GROVE, f"P!psy give {pond} @Dave item 1 excalibur")
    assert "no item called" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!psy give Nowhere @Dave chi 5")
    assert "No single server" in ex.text
    ex = await sandbox.say("Psy", GROVE, f"P!psy give {pond} someone chi 5")
    assert "not a user id" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!psy give 0 @Dave chi 5")
    assert "bot-wide records only" in ex.text


async def test_reset_wipes_one_member_in_one_server_but_keeps_the_chest(sandbox) -> None:
    app, grove, pond = sandbox.app, sandbox.guild_id(GROVE), sandbox.guild_id(POND)
    dave = sandbox.user_id("Dave")
    for g in (grove, pond):
        await app.economy.admin_adjust(g, 1, dave, 300)
    await app.db.scoped(grove, lambda s: s.chest.add(dave, "minor_healing_salve", 3))
    ex = await sandbox.say("Psy", POND, f"P!psy reset {grove} {dave}")
    assert "Reset" in ex.text and "300 chi" in ex.text
    assert (await app.economy.profile(grove, dave)).chi == 0
    assert (await app.economy.profile(pond, dave)).chi == 300
    assert await app.db.scoped(grove, lambda s: s.chest.qty(dave, "minor_healing_salve")) == 3
    ledger_sum = await app.db.scoped(grove, lambda s: s.wallet.get(dave))
    assert ledger_sum.chi == 0


async def test_global_blacklist_blocks_everywhere(sandbox) -> None:
    ex = await sandbox.say("Psy", GROVE, "P!psy blacklist add @Erin spam bot")
    assert "blacklisted everywhere" in ex.text
    ex = await sandbox.say("Erin", GROVE, "P!daily")
    assert "blacklisted" in ex.text
    ex = await sandbox.say("Erin", GROVE, "what a magnificent day")
    assert ex.reactions == []
    ex = await sandbox.say("Psy", GROVE, "P!psy blacklist")
    assert str(sandbox.user_id("Erin")) in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!psy blacklist add @Psy")
    assert "Owners can't be blacklisted" in ex.text
    await sandbox.say("Psy", GROVE, "P!psy blacklist remove @Erin")
    ex = await sandbox.say("Erin", GROVE, "P!daily")
    assert "+250 chi" in ex.text
    assert [r.action for r in await audits(sandbox, GLOBAL_GUILD)] == [
        "psy.blacklist.add",
        "psy.blacklist.remove",
    ]


async def test_server_admin_is_refused_outside_their_server(sandbox) -> None:
    ex = await sandbox.say("Alice", POND, "P!chiadd @Alice 5")  # Alice owns the Grove, not the Pond
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Alice", POND, "P!config set daily_reward 5")
    assert "Only server admins" in ex.text


async def test_guilds_pages_with_buttons_for_owners_only(sandbox) -> None:
    for i in range(12):
        await sandbox.app.lifecycle.joined(200_000_000_000_000_500 + i, f"Extra {i}")
    ex = await sandbox.say("Psy", GROVE, "P!psy guilds")
    assert "page 1/2" in ex.text and "Servers (14)" in ex.text
    ex2 = await sandbox.discord.click(ex.reply, sandbox.user_id("Bob"), label="▶")
    assert "Only the bot's owners" in ex2.text
    ex2 = await sandbox.discord.click(ex.reply, sandbox.user_id("Psy"), label="▶")
    assert "page 2/2" in ex2.text
    ex = await sandbox.say("Psy", GROVE, "P!psy guilds 99")
    assert "page 2/2" in ex.text
