"""Teams through the offline Discord: a whole team's life in two servers at once, by prefix
and slash, with buttons (invite Accept, join-request Accept, alliance Accept, confirmations)."""

from __future__ import annotations

from chibot.core.tables import GLOBAL_GUILD  # noqa: F401  (documents that teams are per server)

GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def fund(sandbox, guild: str, user: str, chi: int) -> None:
    await sandbox.app.economy.admin_adjust(sandbox.guild_id(guild), 1, sandbox.user_id(user), chi)


async def test_a_whole_team_life_in_two_servers(sandbox) -> None:
    for guild in (GROVE, POND):
        for user in ("Alice", "Bob", "Carol", "Dave"):
            await fund(sandbox, guild, user, 30_000)
    alice, bob, carol = (sandbox.user_id(n) for n in ("Alice", "Bob", "Carol"))

    # the bare group: how to start
    ex = await sandbox.say("Bob", GROVE, "P!team")
    assert "not in a team yet" in ex.text and "createteam" in ex.text

    # found (shortcut and slash), in both servers with the same name
    ex = await sandbox.say("Alice", GROVE, "P!createteam Dragon Riders")
    assert "Dragon Riders is founded" in ex.text
    ex = await sandbox.slash("Bob", POND, "team create", name="Dragon Riders")
    assert "Dragon Riders is founded" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!team create dragon riders")
    assert "already a team called **Dragon Riders**" in ex.text

    # invite with buttons: someone else can't press; the invitee accepts
    ex = await sandbox.say("Alice", GROVE, "P!team invite @Bob")
    invite = ex.reply
    assert "invited to join **Dragon Riders**" in invite.text
    other = await sandbox.discord.click(invite, carol, label="Accept")
    assert "someone else" in other.text
    ex = await sandbox.discord.click(invite, bob, label="Accept")
    assert "joined **Dragon Riders**" in ex.text

    # a join request, accepted by the leader with its button
    ex = await sandbox.say("Carol", GROVE, "P!jointeam Dragon Riders")
    request = ex.reply
    assert "asks to join" in request.text
    denied = await sandbox.discord.click(request, bob, label="Accept")  # a member: refused
    assert "leader or officers" in denied.text
    ex = await sandbox.discord.click(request, alice, label="Accept")
    assert "Carol" in ex.text and "joined" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!team members")
    assert (
        "Alice" in ex.text and "Bob" in ex.text and "Carol" in ex.text and "3/5 members" in ex.text
    )

    # the bank (both servers keep their own)
    ex = await sandbox.say("Bob", GROVE, "P!team donate 10k")
    assert "Donated **10,000** chi" in ex.text and "Bank: **10,000**" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!team withdraw 5")
    assert "leader or officers" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!teamchi")
    assert "Bank of Dragon Riders" in ex.text and "+10,000" in ex.text
    ex = await sandbox.say("Bob", POND, "P!team bank show")
    assert "Balance: **0** chi" in ex.text
    ex = await sandbox.say("Bob", POND, "P!team info")
    assert "Dragon Riders" in ex.text and "Leader: Bob" in ex.text
    ex = await sandbox.say("Bob", POND, "P!team add @Carol")  # the old forced add: now an invite
    assert "invited to join" in ex.text

    # decorate, the base, relax; upgrades need trophies
    ex = await sandbox.say("Carol", GROVE, "P!buy TV")
    ex = await sandbox.say("Carol", GROVE, "P!teamdecorate TV")
    assert "**TV** now stands in the base" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!team base relax tv")
    assert "+**20** chi" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!teambase")
    assert "Camp" in ex.text and "TV" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!teamupgrade base")
    assert "5** 🏆" in ex.text  # no trophies yet

    # alliances need both leaders; rivals are one-sided
    ex = await sandbox.say("Dave", GROVE, "P!createteam Wolves")
    ex = await sandbox.say("Alice", GROVE, "P!ally Wolves")
    proposal = ex.reply
    assert "proposes an alliance" in proposal.text
    ex = await sandbox.discord.click(proposal, sandbox.user_id("Dave"), label="Accept alliance")
    assert "are now allies" in ex.text
    ex = await sandbox.say("Dave", GROVE, "P!enemy Dragon Riders")
    assert "named **Dragon Riders** a rival" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!team")
    assert "Named rival by: Wolves" in ex.text and "Allies" not in ex.text

    # the board of this server only
    ex = await sandbox.say("Bob", GROVE, "P!team leaderboard")
    assert "Dragon Riders" in ex.text and "Wolves · 0 points · 0W / 0L / 0T ⚔️ rival" in ex.text
    ex = await sandbox.say("Bob", POND, "P!team top")
    assert "Wolves" not in ex.text and "Dragon Riders" in ex.text

    # events: admins open, leaders register
    ex = await sandbox.say("Carol", GROVE, "P!team event 2 Spring Cup")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!team event 2 Spring Cup")
    assert "Spring Cup" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!team register")
    assert "Registered for **Spring Cup**" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!team event")
    assert "**Spring Cup**" in ex.text and "1 team: Dragon Riders" in ex.text

    # the card's buttons: members, base, bank, privately
    card = (await sandbox.say("Bob", GROVE, "P!team")).reply
    ex = await sandbox.discord.click(card, bob, label="🏰 Base")
    assert "Base of Dragon Riders" in ex.text and ex.ephemeral == [True]
    ex = await sandbox.discord.click(card, carol, label="🏦 Bank")
    assert "isn't yours" in ex.text

    # leave (confirmed), kick, disband (confirmed): the bank goes back by donation
    ex = await sandbox.say("Alice", GROVE, "P!teamkick @Carol")
    assert "was removed from **Dragon Riders**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!team disband")
    ex = await sandbox.discord.click(ex.reply, alice, label="Confirm")
    assert "was disbanded" in ex.text and "Bob 10,000" in ex.text
    assert (
        await sandbox.app.economy.profile(sandbox.guild_id(GROVE), bob)
    ).chi >= 30_000 - 10_000 + 10_000
    ex = await sandbox.say("Bob", POND, "P!team")
    assert "Dragon Riders" in ex.text  # the other server's team is untouched
    ex = await sandbox.say("Bob", POND, "P!leaveteam")
    ex = await sandbox.discord.click(ex.reply, bob, label="Confirm")
    assert "disbanded" in ex.text


async def test_bad_input_gets_one_line(sandbox) -> None:
    await fund(sandbox, GROVE, "Alice", 5_000)
    for text, says in [
        ("P!team create", "Give it a name"),
        ("P!team create @everyone", "mentions"),
        ("P!team donate 5", "not in a team"),
        ("P!team upgrade moat", "must be one of"),
        ("P!team accept", "no team invite"),
        ("P!jointeam Nobody", "no team called **Nobody**"),
        ("P!team base paint mauve", "Colours:"),
        ("P!team info Nobody", "no team called"),
    ]:
        ex = await sandbox.say("Alice", GROVE, text)
        assert says in ex.text, (text, ex.text)
        assert "Error id" not in ex.text


async def test_an_expired_invite_says_so_on_its_message(sandbox) -> None:
    """The session ends by itself (the scheduler), and the bot edits the invite's message:
    its buttons go, it says it has expired; an answered invite is left as it was."""
    from chibot.core.scheduler import run_due

    await fund(sandbox, GROVE, "Alice", 5_000)
    await sandbox.say("Alice", GROVE, "P!createteam Dragons")
    invite = (await sandbox.say("Alice", GROVE, "P!team invite @Carol")).reply
    answered = (await sandbox.say("Alice", GROVE, "P!team invite @Dave")).reply
    await sandbox.discord.click(answered, sandbox.user_id("Dave"), label="Accept")
    sandbox.app.clock.advance(25 * 3600)
    await run_due(sandbox.app.db, sandbox.app)
    assert await sandbox.bot.get_cog("Lifecycle").deliver() == 1
    assert "This team invite has expired" in invite.text and invite.buttons == []
    ex = await sandbox.say("Carol", GROVE, "P!team accept")
    assert "no team invite" in ex.text
