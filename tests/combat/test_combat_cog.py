"""Combat through the offline Discord: the fighting card, `weapons`, `equip` (prefix and
slash, refusals) and the tutorial, in two servers."""

from __future__ import annotations

GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def test_weapons_equip_and_the_card(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!fight")
    assert "Max HP **250**" in ex.text and "No weapon yet" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!weapons")
    assert "`VW1` Emerald Laceration · 5–10" in ex.text and "`buy C1`" in ex.text
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1000")
    await sandbox.say("Alice", GROVE, "P!buy verdant windblade")
    await sandbox.say("Alice", GROVE, "P!buy crimson fang dagger")
    ex = await sandbox.say("Alice", GROVE, "P!fight")
    assert "Crimson Fang Dagger" in ex.text and "`CF1` Blood Ripper" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!equip verdant windblade")
    assert "You now fight with 🗡️ Verdant Windblade, level 0" in ex.text
    assert "instead of Crimson Fang Dagger" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "fight weapons")
    assert "⚔️ fighting with it" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!equip stormcallers pike")
    assert "You don't have a **Stormcaller's Pike**" in ex.text and "`buy C3`" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!equip")
    assert "Missing" in ex.text
    # the other server: nothing held there
    ex = await sandbox.say("Alice", POND, "P!fight")
    assert "No weapon yet" in ex.text


async def test_the_tutorial_is_private_on_slash(sandbox) -> None:
    ex = await sandbox.say("Carol", GROVE, "P!dtut")
    assert "How fights work" in ex.text
    ex = await sandbox.slash("Carol", GROVE, "fight tutorial")
    assert "How fights work" in ex.text and ex.ephemeral == [True]


async def test_sparring_through_discord(sandbox) -> None:
    """`spar @member` challenges, `spar @challenger` accepts; `attack`, `defend`, `forfeit`
    act in the fight; out of turn and out of a fight get one line."""
    for user in ("Alice", "Bob"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 1000")
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")
    assert "not in a fight" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!spar @Bob")
    assert "challenges **Bob** to a sparring match" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!spar @Bob")
    assert "already challenged **Bob**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!spar @Alice")
    assert "can't fight yourself" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!spar @Alice")
    assert "👉 **Alice**'s turn" in ex.text and "250/250 HP" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!attack VW1")
    assert "It is **Alice**'s turn, not yours" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")
    assert "Alice** hits **Bob** with Emerald Laceration" in ex.text or "dodges" in ex.text
    ex = await sandbox.slash("Bob", GROVE, "fight defend")
    assert "**Bob** defends" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!attack frobnicate")
    assert "no attack called **frobnicate**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!forfeit")
    assert "**Alice** forfeits." in ex.text and "🏆 **Bob** wins the fight." in ex.text
    ex = await sandbox.say("Bob", POND, "P!attack VW1")  # another server: no fight there
    assert "not in a fight" in ex.text


async def test_train_spars_with_a_member_and_names_the_npcs(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!train @Bob")
    assert "challenges **Bob** to a sparring match" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!train easy")
    assert "need a weapon to train against **Peaceful Panda**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!train nobody")
    assert "can't find that member" in ex.text and "dummy, easy, medium, hard" in ex.text


async def test_a_duel_with_a_stake_bets_and_buttons(sandbox) -> None:
    """A challenge with its Accept button (only the challenged may press), the fight card's
    buttons acting for the fighter on turn, a spectator's bet with the Bet button, the stakes
    paid to the winner; a refusal for a stake nobody has."""
    alice, bob, carol = (sandbox.user_id(n) for n in ("Alice", "Bob", "Carol"))
    for user in ("Alice", "Bob", "Carol"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 1000")
    for user in ("Alice", "Bob"):
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    ex = await sandbox.say("Alice", GROVE, "P!duel @Bob 999999")
    assert "You need" in ex.text or "not enough" in ex.text.lower()
    ex = await sandbox.say("Alice", GROVE, "P!duel @Bob lots")
    assert "A stake is an amount of chi" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!duel @Bob 100")
    challenge = ex.reply
    assert "challenges **Bob** to a duel for **100** chi each" in challenge.text
    other = await sandbox.discord.click(challenge, carol, label="Accept")
    assert "for someone else" in other.text
    ex = await sandbox.discord.click(challenge, bob, label="Accept")
    assert "⚔️ Duel · Alice vs Bob" in ex.text and "Bets are open" in ex.text
    labels = [b[1] for b in challenge.buttons]
    assert "VW1 · Emerald Laceration" in labels and "🎲 Bet on Bob" in labels
    # Carol bets with the button: a choice of amounts, only she sees it
    ex = await sandbox.discord.click(challenge, carol, label="🎲 Bet on Alice")
    assert ex.ephemeral == [True] and "How much on **Alice**" in ex.text
    ex = await sandbox.discord.click(ex.reply, carol, label="100 chi")
    assert "You bet **100** chi on **Alice**" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!duel bet 50 @Bob")
    assert "already bet" in ex.text
    # Bob presses out of turn: refused; Alice attacks with the button
    ex = await sandbox.discord.click(challenge, bob, label="VW1 · Emerald Laceration")
    assert "It is **Alice**'s turn" in ex.text
    ex = await sandbox.discord.click(challenge, alice, label="VW1 · Emerald Laceration")
    assert "Emerald Laceration" in ex.text and "👉 **Bob**'s turn" in ex.text
    assert "🎲 Bet on Bob" not in [b[1] for b in challenge.buttons]  # bets closed
    ex = await sandbox.say("Bob", GROVE, "P!duel run")
    assert "**Bob** forfeits" in ex.text and "**Alice** takes the stakes: **200** chi" in ex.text
    assert "1 of 1 bet won: **95** chi paid from a pool of 100 (house cut 5)" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!duel accept")
    assert "No duel challenge is waiting" in ex.text


async def test_a_duel_challenge_declined_and_in_two_servers(sandbox) -> None:
    for where in (GROVE, POND):
        for user in ("Alice", "Bob"):
            await sandbox.say("Psy", where, f"P!chiadd @{user} 500")
            await sandbox.say(user, where, "P!buy verdant windblade")
    ex = await sandbox.say("Alice", GROVE, "P!duel @Bob 200")
    ex = await sandbox.say("Bob", GROVE, "P!duel deny")
    assert "declined **Alice**'s duel" in ex.text and "200 chi stake went back" in ex.text
    await sandbox.say("Alice", GROVE, "P!duel @Bob")
    await sandbox.say("Alice", POND, "P!duel @Bob")
    ex = await sandbox.say("Bob", GROVE, "P!duel accept @Alice")
    assert "⚔️ Duel · Alice vs Bob" in ex.text
    ex = await sandbox.slash("Bob", POND, "fight duel accept")
    assert "⚔️ Duel · Alice vs Bob" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!duel")
    assert "`duel @member [stake]`" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!duel @nobody 50")
    assert "I can't find **@nobody** here" in ex.text


async def test_training_against_npcs_through_discord(sandbox) -> None:
    """`train` lists the NPCs, `train easy` starts, the NPC answers each `attack` by itself,
    `forfeit` costs 50 chi; the dummy only stands there; `/fight train` and `fight npcs`."""
    ex = await sandbox.say("Alice", GROVE, "P!train")
    assert "Training · Alice" in ex.text and "🐼 Peaceful Panda · `train easy`" in ex.text
    assert "+40 chi every 30 min" in ex.text and "✅ reward ready" in ex.text
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1000")
    await sandbox.say("Alice", GROVE, "P!buy verdant windblade")  # 800 chi left
    ex = await sandbox.say("Alice", GROVE, "P!train easy")
    assert "**Alice** trains against 🐼 **Peaceful Panda** (200 HP, hits 1–10" in ex.text
    assert "👉 **Alice**'s turn" in ex.text and "Peaceful Panda: `██████████` 200/200 HP" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")
    assert "**Peaceful Panda** hits **Alice** with Lazy Paw" in ex.text or (
        "dodges Lazy Paw" in ex.text
    )
    assert "👉 **Alice**'s turn" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!train hard")
    assert "**Alice** is already in a fight here" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!forfeit")
    assert "**Alice** forfeits." in ex.text and "You fled: **−50 chi**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!bal")
    assert "750" in ex.text
    ex = await sandbox.slash("Alice", GROVE, "fight train", opponent="dummy")
    assert (
        "trains against 🪵 **Training Dummy** (1,000 HP, never attacks; practice, no reward)"
        in ex.text
    )
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")
    assert "**Training Dummy** just stands there." in ex.text and "250/250 HP" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!forfeit")
    assert "nothing lost" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!train dragon")
    assert "can't find that member" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!fight npcs")
    assert "Master Shifu" in ex.text
    ex = await sandbox.say("Alice", POND, "P!attack VW1")  # another server: no fight there
    assert "not in a fight" in ex.text


async def test_an_idle_duel_settles_by_itself_and_its_card_says_so(sandbox) -> None:
    """The scheduler ends a duel whose fighter stopped answering: the idle side forfeits (the
    duel began), the stakes go to the other, and the card loses its buttons and says how."""
    from chibot.core.scheduler import run_due

    for user in ("Alice", "Bob"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 1000")
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    await sandbox.say("Alice", GROVE, "P!duel @Bob 100")
    ex = await sandbox.say("Bob", GROVE, "P!duel accept")
    card = (await sandbox.say("Alice", GROVE, "P!defend")).reply
    assert "👉 **Bob**'s turn" in card.text and card.buttons
    sandbox.app.clock.advance(91)  # Bob never answers
    await run_due(sandbox.app.db, sandbox.app)
    assert await sandbox.bot.get_cog("Lifecycle").deliver() == 1
    assert "Time's up for the turn: **Alice** wins" in card.text and card.buttons == []
    ex = await sandbox.say("Bob", GROVE, "P!duel stats")
    assert "**0** W · **1** L" in ex.text


async def test_a_sparring_challenge_with_buttons(sandbox) -> None:
    alice, bob, carol = (sandbox.user_id(n) for n in ("Alice", "Bob", "Carol"))
    ex = await sandbox.say("Alice", GROVE, "P!duel @Bob")
    assert "You have no weapon" in ex.text
    for user in ("Alice", "Bob", "Carol"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 500")
    await sandbox.say("Alice", GROVE, "P!buy verdant windblade")
    ex = await sandbox.say("Alice", GROVE, "P!spar @Bob")
    ex = await sandbox.discord.click(ex.reply, bob, label="Accept")
    assert "You have no weapon" in ex.text  # Bob has none: nothing starts
    await sandbox.say("Bob", GROVE, "P!buy verdant windblade")
    await sandbox.say("Bob", GROVE, "P!spar @Alice")  # accepts by typing
    await sandbox.say("Alice", GROVE, "P!forfeit")
    await sandbox.say("Carol", GROVE, "P!buy verdant windblade")
    challenge = (await sandbox.say("Alice", GROVE, "P!spar @Bob")).reply
    assert "press Accept" in challenge.text
    ex = await sandbox.discord.click(challenge, carol, label="Accept")
    assert "for someone else" in ex.text
    ex = await sandbox.discord.click(challenge, bob, label="Accept")
    assert "🥋 Sparring · Alice vs Bob" in ex.text and "👉 **Alice**'s turn" in ex.text
    ex = await sandbox.discord.click(challenge, alice, label="🏳️ Forfeit")
    assert "**Alice** forfeits" in ex.text and challenge.buttons == []
    declined = (await sandbox.say("Carol", GROVE, "P!spar @Bob")).reply
    ex = await sandbox.discord.click(declined, bob, label="Decline")
    assert "declined the sparring match" in ex.text


async def test_combat_stats_answers_by_its_seed_name(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!combat stats")
    assert "hasn't fought here yet" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!defend")
    assert "`duel @member`" in ex.text and "`train easy`" in ex.text


async def test_combat_settings_turn_fights_off_cap_stakes_and_bets(sandbox) -> None:
    for user in ("Alice", "Bob", "Carol"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 5000")
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    await sandbox.say("Alice", GROVE, "P!config set duel_max_stake 100")
    ex = await sandbox.say("Alice", GROVE, "P!duel @Bob 101")
    assert "at most **100** chi here" in ex.text
    await sandbox.say("Alice", GROVE, "P!config set duel_bets_enabled false")
    await sandbox.say("Alice", GROVE, "P!duel @Bob 100")
    await sandbox.say("Bob", GROVE, "P!duel accept")
    ex = await sandbox.say("Carol", GROVE, "P!duel bet 10 @Bob")
    assert "Bets on duels are turned off" in ex.text
    await sandbox.say("Alice", GROVE, "P!config set combat_enabled false")
    ex = await sandbox.say("Alice", GROVE, "P!attack VW1")  # a fight under way finishes
    assert "Emerald Laceration" in ex.text
    for typed in ("P!duel @Alice", "P!spar @Alice", "P!train easy"):
        ex = await sandbox.say("Carol", GROVE, typed)
        assert "Fights are turned off in this server" in ex.text, typed
    ex = await sandbox.say("Carol", POND, "P!duel @Alice")  # another server: its own settings
    assert "turned off" not in ex.text


async def test_a_tournament_through_discord(sandbox) -> None:
    """An admin opens a tournament (its Join button), members join, the admin starts it, the
    final's card is posted; a forfeit crowns the champion with the pool; the bracket shows it;
    the admin's forced match `tournament @a @b`; members can't run the admin commands."""
    alice = sandbox.user_id("Alice")
    for user in ("Alice", "Bob", "Carol"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 1000")
    for user in ("Alice", "Bob"):
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    ex = await sandbox.say("Carol", GROVE, "P!tournament create Cup 100")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!tournament create Spring Cup 100 2")
    announcement = ex.reply
    assert "**Spring Cup** is open: entry fee **100** chi" in announcement.text
    assert "up to **2** entrants" in announcement.text
    ex = await sandbox.discord.click(announcement, alice, label="Join")
    assert "**Alice** joined **Spring Cup** (paid **100** chi" in ex.text
    ex = await sandbox.discord.click(announcement, alice, label="Join")
    assert "already in **Spring Cup**" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!tourn join")
    assert "2/2 entrants, pool **200** chi" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!tournament join")
    assert "**Spring Cup** is full" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!tournament bracket")
    assert "Open for joining" in ex.text and "`#1` Alice" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!tournament start")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!tournament start")
    assert "**Spring Cup** starts: **2** entrants" in ex.text
    assert "the final, match 1" in ex.text and "🏆 Tournament · Alice vs Bob" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!tournament bracket")
    assert "**live**" in ex.text and "The final" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!forfeit")
    assert "**Alice** forfeits" in ex.text or "forfeit" in ex.text.lower()
    assert "🥇 **Bob** wins **Spring Cup**: **200** chi!" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!tournament bracket")
    assert "Finished" in ex.text and "🥇 **Bob** (200 chi)" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!fight stats")
    assert "tournaments won" in ex.text
    # the legacy forced match, admins only
    ex = await sandbox.say("Carol", GROVE, "P!tournament @Alice @Bob")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!tournament @Alice @Bob")
    assert "set by an admin" in ex.text and "🏆 Tournament · Alice vs Bob" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!forfeit")
    assert "Bob" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!tournament")
    assert "`tournament join`" in ex.text


async def test_a_tournament_cancelled_through_discord(sandbox) -> None:
    for user in ("Alice", "Bob", "Carol"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 500")
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    await sandbox.slash("Psy", GROVE, "fight tournament create", details='"Cup 2026" 50')
    for user in ("Alice", "Bob", "Carol"):
        ex = await sandbox.say(user, GROVE, "P!tournament join")
        assert "joined **Cup 2026** (paid **50** chi" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!tournament start")
    assert "1 top seed go straight to round 2" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!tournament create Another")
    assert "**Cup 2026** is already open or running" in ex.text
    ex = await sandbox.say("Psy", GROVE, "P!tournament cancel")
    assert "**150** chi in fees refunded to 3 entrants" in ex.text
    assert "1 live match called off" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!attack VW1")
    assert "not in a fight" in ex.text
    ex = await sandbox.say("Bob", POND, "P!tournament bracket")
    assert "There is no tournament here" in ex.text


async def test_a_no_show_walk_over_posts_the_next_match_where_the_card_was(sandbox) -> None:
    """Three entrants: the top seed waits in round 2; the round-1 match's fighters never act,
    so the scheduler gives a walk-over, and the final's card is posted in the channel of the
    ended match's card, with its buttons."""
    from chibot.core.scheduler import run_due

    for user in ("Alice", "Bob", "Carol"):
        await sandbox.say("Psy", GROVE, f"P!chiadd @{user} 500")
        await sandbox.say(user, GROVE, "P!buy verdant windblade")
    await sandbox.say("Psy", GROVE, "P!tournament create Winter Cup")
    for user in ("Alice", "Bob", "Carol"):
        await sandbox.say(user, GROVE, "P!tournament join")
    ex = await sandbox.say("Psy", GROVE, "P!tournament start")
    assert "Bob vs Carol" in ex.text
    sandbox.app.clock.advance(91)  # Bob, on turn, never acts
    await run_due(sandbox.app.db, sandbox.app)
    assert await sandbox.bot.get_cog("Lifecycle").deliver() >= 2  # the card edited, the final
    ex = await sandbox.say("Alice", GROVE, "P!tournament bracket")
    assert "The final" in ex.text and "**live**" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!tournament bracket")
    assert "walk-over" in ex.text.lower() or "walkover" in ex.text.lower() or "w/o" in ex.text


async def test_a_boss_fight_through_discord_in_two_servers(sandbox) -> None:
    """Issue 13: `boss` lists the bosses, `boss fight fang` pays the entry and posts the card
    with the member's buttons, the boss answers, `boss run` costs 100 chi; the key is needed
    for the next boss; the other server's `/boss fight` is its own."""
    alice = sandbox.user_id("Alice")
    for where in (GROVE, POND):
        await sandbox.say("Psy", where, "P!chiadd @Alice 5000")
        await sandbox.say("Alice", where, "P!buy C4")
    ex = await sandbox.say("Alice", GROVE, "P!boss")
    assert "Fang of the Bamboo" in ex.text and "enter: 100 chi" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!boss fight ironhide")
    assert "needs a key to enter" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!boss fight fang")
    assert "👹 Boss · Alice vs Fang of the Bamboo" in ex.text
    ex = await sandbox.discord.click(ex.reply, alice, label="OR1 · Dark Cleave")
    assert "Bamboo Strike" in ex.text or "dodges" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!boss run")
    assert "You fled: **−100 chi**" in ex.text
    ex = await sandbox.slash("Alice", POND, "boss fight", boss="fang")
    assert "👹 Boss · Alice vs Fang of the Bamboo" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!boss fight nobody")
    assert "no boss called **nobody**" in ex.text


async def _teams_with_weapons(sandbox, where: str) -> None:  # type: ignore[no-untyped-def]
    """Alice leads the Cranes (Carol), Bob the Tigers (Dave); everyone holds a weapon."""
    for name in ("Alice", "Bob", "Carol", "Dave"):
        await sandbox.say("Psy", where, f"P!chiadd @{name} 20000")
        await sandbox.say(name, where, "P!buy C4")
    await sandbox.say("Alice", where, "P!createteam Cranes")
    await sandbox.say("Bob", where, "P!createteam Tigers")
    for member, team, leader in (("Carol", "Cranes", "Alice"), ("Dave", "Tigers", "Bob")):
        request = (await sandbox.say(member, where, f"P!jointeam {team}")).reply
        await sandbox.discord.click(request, sandbox.user_id(leader), label="Accept")


async def test_a_team_duel_and_a_raid_through_discord_in_two_servers(sandbox) -> None:
    """Issue 13: `teamduel @leader` posts a lobby; teammates press Join, the challenged leader
    Accept; the card's buttons act (a leader for the teammate on turn); a leader's forfeit
    settles it and both teams' records show it. `teamboss guardian` opens a raid, Join and
    Start, the boss answers every raider, the leader's `tboss run` retreats. The other server
    plays its own at the same time."""
    alice, bob, carol, dave = (sandbox.user_id(n) for n in ("Alice", "Bob", "Carol", "Dave"))
    for where in (GROVE, POND):
        await _teams_with_weapons(sandbox, where)
    ex = await sandbox.say("Carol", GROVE, "P!teamduel @Bob")
    assert "Only a team's leader" in ex.text
    lobby = (await sandbox.say("Alice", GROVE, "P!teamduel @Bob")).reply
    assert "🛡️ Team duel · Cranes vs Tigers" in lobby.text
    other = await sandbox.slash("Alice", POND, "fight teamduel challenge", leader="Bob")
    assert "Cranes vs Tigers" in other.text  # the other server's own lobby
    ex = await sandbox.discord.click(lobby, carol, label="Join")
    assert "Carol" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!tduel")  # bare: her team's lobby
    assert "Cranes vs Tigers" in ex.text and "Carol" in ex.text
    await sandbox.discord.click(lobby, dave, label="Join")
    ex = await sandbox.discord.click(lobby, alice, label="Accept")
    assert "other team's leader must accept" in ex.text
    ex = await sandbox.discord.click(lobby, bob, label="Accept")
    assert "🛡️ Team duel · Alice, Carol vs Bob, Dave" in ex.text and "**Alice**'s turn" in ex.text
    ex = await sandbox.discord.click(lobby, alice, label="🛡️ Defend")
    # meanwhile in Lotus Pond: Bob accepts there with the button, Alice acts there
    pond = other.reply
    ex = await sandbox.discord.click(pond, bob, label="Accept")
    assert "🛡️ Team duel · Alice vs Bob" in ex.text
    ex = await sandbox.discord.click(pond, alice, label="🛡️ Defend")
    assert "**Bob**'s turn" in ex.text
    ex = await sandbox.discord.click(lobby, bob, label="🛡️ Defend")
    assert "**Carol**'s turn" in ex.text
    ex = await sandbox.discord.click(lobby, alice, label="🛡️ Defend")  # Alice acts for Carol
    assert "**Dave**'s turn" in ex.text
    ex = await sandbox.say("Dave", GROVE, "P!tduel forfeit")
    assert "Only your team's leader" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!tduel forfeit")
    assert "**Cranes** beat **Tigers** by forfeit" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!team")
    assert "Cranes" in ex.text and "1W / 0L" in ex.text
    ex = await sandbox.slash("Bob", POND, "fight teamduel forfeit")  # the Pond's own ending
    assert "**Cranes** beat **Tigers** by forfeit" in ex.text

    # a raid with buttons
    ex = await sandbox.say("Alice", GROVE, "P!teamboss")
    assert "Ancient Bamboo Guardian" in ex.text and "teamboss guardian" in ex.text
    raid = (await sandbox.say("Alice", GROVE, "P!teamboss guardian")).reply
    assert "🐉 Raid · Cranes vs" in raid.text
    ex = await sandbox.discord.click(raid, alice, label="Start")
    assert "at least **2** raiders" in ex.text
    await sandbox.discord.click(raid, carol, label="Join")
    ex = await sandbox.discord.click(raid, dave, label="Join")
    assert "not your team's" in ex.text
    ex = await sandbox.discord.click(raid, alice, label="Start")
    assert "🐉 Raid · Alice, Carol vs Ancient Bamboo Guardian" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!tboss status")
    assert "Raid" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!tboss attack")
    assert "Bamboo Crush" in ex.text or "entangle" in ex.text.lower() or "dodges" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!tboss run")
    assert "retreated from" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!teamboss kraken")
    assert "no team boss called **kraken**" in ex.text


async def test_a_lobby_nobody_starts_expires_and_its_card_says_so(sandbox) -> None:
    """Issue 13: a raid's lobby that its leader never starts ends on its own: its card loses
    its buttons and says so, and the team may open another."""
    from chibot.core.scheduler import run_due

    await _teams_with_weapons(sandbox, GROVE)
    lobby = (await sandbox.say("Alice", GROVE, "P!teamboss guardian")).reply
    assert lobby.buttons
    sandbox.app.clock.advance(181)
    await run_due(sandbox.app.db, sandbox.app)
    assert await sandbox.bot.get_cog("Lifecycle").deliver() == 1
    assert "This raid was never started: it expired" in lobby.text and lobby.buttons == []
    ex = await sandbox.say("Alice", GROVE, "P!teamboss guardian")
    assert "🐉 Raid · Cranes vs" in ex.text
