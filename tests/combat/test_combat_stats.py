"""Combat stats (`chibot/features/combat/stats.py`), on SQLite and PostgreSQL, and through the
offline Discord: a member's record by mode after counted fights, per server; the duel board
ranked by wins (fewer losses, then user id), paged by number and by its restart-proof buttons,
with the viewer's rank; the weapon on the profile card within the profile's statement budget;
bad input answered in one line."""

from __future__ import annotations

from chibot.app import App
from chibot.features.combat import engine

G, H = 9_401, 9_402
A, B, C = 81, 82, 83
GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def put(app: App, guild: int, user: int, **values: int) -> None:
    await app.db.scoped(guild, lambda s: s.counters.apply(user, add=values))


async def arm(app: App, guild: int, *users: int, weapon: str = "verdant_windblade") -> None:
    for user in users:
        await app.db.scoped(guild, lambda s, u=user: s.inventory.add(u, weapon, 1, unique=True))


# --- the record ---------------------------------------------------------------------------------


async def test_a_member_who_never_fought(app: App) -> None:
    result = await app.combat.stats(G, A)
    assert not result.fought and result.weapon is None
    assert result.duel.played == 0 and result.duel.win_rate is None


async def test_stats_after_a_spar_played_to_a_forfeit(app: App) -> None:
    await arm(app, G, A, B)
    await app.combat.spar(G, A, "Ann", B, "Bob")
    step = await app.combat.act(G, B, engine.Forfeit(str(B)))
    assert step.ended
    ann, bob = await app.combat.stats(G, A), await app.combat.stats(G, B)
    assert (ann.spar.wins, ann.spar.losses, ann.spar.ties) == (1, 0, 0)
    assert (bob.spar.wins, bob.spar.losses, bob.spar.ties) == (0, 1, 0)
    assert ann.spar_best_streak == 1 and ann.spar.win_rate == 1.0 and ann.fought
    assert ann.duel.played == 0  # sparring is not dueling
    assert ann.weapon is not None and ann.weapon.text == "🗡️ Verdant Windblade +0"


async def test_every_mode_read_in_one_statement_per_part(app: App) -> None:
    await put(
        app, G, A, duel_wins=7, duel_losses=2, duel_ties=1, duel_streak=3, duel_best_streak=5,
        training_wins=4, training_losses=1, tournament_wins=6, tournaments_won=2,
    )  # fmt: skip
    await arm(app, G, A)
    await app.combat.stats(G, A)  # warmed
    with app.db.count_statements() as count:
        result = await app.combat.stats(G, A)
    assert count.n <= 2, count.statements  # the counters, the weapon
    assert (result.duel.wins, result.duel.losses, result.duel.ties) == (7, 2, 1)
    assert result.duel.win_rate == 0.7
    assert (result.duel_streak, result.duel_best_streak) == (3, 5)
    assert (result.training.wins, result.training.losses) == (4, 1)
    assert (result.tournament_wins, result.tournaments_won) == (6, 2)


async def test_stats_are_per_server(app: App) -> None:
    await put(app, G, A, duel_wins=3)
    await arm(app, G, A)
    here, there = await app.combat.stats(G, A), await app.combat.stats(H, A)
    assert here.duel.wins == 3 and here.weapon is not None
    assert there.duel.wins == 0 and not there.fought and there.weapon is None


async def test_the_weapon_is_the_one_they_fight_with(app: App) -> None:
    await arm(app, G, A)
    await arm(app, G, A, weapon="crimson_fang_dagger")
    assert (await app.combat.stats(G, A)).weapon.item.id == "crimson_fang_dagger"  # strongest
    await app.combat.equip(G, A, "verdant windblade")
    assert (await app.combat.stats(G, A)).weapon.item.id == "verdant_windblade"
    await app.db.scoped(G, lambda s: s.inventory.take(A, "verdant_windblade", 1))
    assert (await app.combat.stats(G, A)).weapon.item.id == "crimson_fang_dagger"  # not held


# --- the duel board -------------------------------------------------------------------------


async def test_the_board_ranks_by_wins_then_fewer_losses_then_user_id(app: App) -> None:
    records = {
        101: (5, 3), 102: (5, 1), 103: (9, 9), 104: (5, 1), 105: (0, 4), 106: (1, 0),
    }  # fmt: skip
    for user, (wins, losses) in records.items():
        await put(app, G, user, duel_wins=wins, duel_losses=losses)
    await put(app, G, 107, spar_wins=50)  # sparring only: not on the duel board
    await put(app, G, 108, duel_ties=1)  # a tie counts as a duel fought
    await put(app, H, 109, duel_wins=99)  # another server
    board = await app.combat.duel_board(G, 104)
    assert [r.user_id for r in board.rows] == [103, 102, 104, 101, 106, 108, 105]
    assert [r.rank for r in board.rows] == list(range(1, 8))
    assert (board.page, board.pages, board.total) == (1, 1, 7)
    assert board.viewer is not None and (board.viewer.rank, board.viewer.wins) == (3, 5)
    assert (await app.combat.duel_board(G, 107)).viewer is None
    assert (await app.combat.duel_board(H, 104)).total == 1


async def test_the_board_pages_and_the_viewers_page(app: App) -> None:
    for i in range(25):
        await put(app, G, 1_000 + i, duel_wins=100 - i, duel_losses=i % 3)
    viewer = 1_000 + 22  # rank 23: page 3
    pages = [await app.combat.duel_board(G, viewer, n) for n in (1, 2, 3)]
    assert [len(p.rows) for p in pages] == [10, 10, 5]
    assert [r.rank for p in pages for r in p.rows] == list(range(1, 26))
    assert [r.user_id for p in pages for r in p.rows] == [1_000 + i for i in range(25)]
    assert all(p.pages == 3 and p.viewer.rank == 23 for p in pages)
    with app.db.count_statements() as count:
        mine = await app.combat.duel_board(G, viewer, 1, mine=True)
    assert count.n <= 2, count.statements  # the count and rank, the page
    assert mine.page == 3 and mine.rows == pages[2].rows
    assert (await app.combat.duel_board(G, viewer, 10**9)).page == 3  # past the end: the last
    assert (await app.combat.duel_board(G, viewer, 0)).page == 1


async def test_an_empty_board(app: App) -> None:
    board = await app.combat.duel_board(G, A, 4)
    assert (board.rows, board.page, board.pages, board.total, board.viewer) == ([], 1, 1, 0, None)


# --- through Discord ----------------------------------------------------------------------------


async def test_stats_command_prefix_slash_and_shortcut(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!fight stats")
    assert "hasn't fought here yet" in ex.text and "Weapon: none yet" in ex.text
    g, alice = sandbox.guild_id(GROVE), sandbox.user_id("Alice")
    await put(sandbox.app, g, alice, duel_wins=3, duel_losses=1, duel_best_streak=2)
    ex = await sandbox.say("Bob", GROVE, "P!combatstats @Alice")
    assert "Alice's combat stats" in ex.text and "**3** W · **1** L · **0** T" in ex.text
    assert "Win rate 75%" in ex.text and "(best **2**)" in ex.text
    ex = await sandbox.slash("Bob", GROVE, "fight stats", member=sandbox.users["Alice"])
    assert "Alice's combat stats" in ex.text and "**3** W" in ex.text
    ex = await sandbox.say("Alice", POND, "P!fight stats")  # the other server
    assert "hasn't fought here yet" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!fight stats nobody")
    assert "can't find a member" in ex.text and "Error id" not in ex.text


async def test_the_board_through_discord_with_buttons(sandbox) -> None:
    app, g = sandbox.app, sandbox.guild_id(GROVE)
    for i in range(24):  # former members who dueled more than Dave
        await put(app, g, 100_000_000_000_001_000 + i, duel_wins=50 + i, duel_losses=i % 2)
    dave = sandbox.user_id("Dave")
    await put(app, g, dave, duel_wins=2, duel_losses=7)
    board = (await sandbox.say("Dave", GROVE, "P!fight leaderboard")).reply
    first = board.text
    assert "Duel leaderboard" in board.text and "Page 1/3" in board.text
    assert "Your rank: #25 (2 W · 7 L)" in board.text
    assert "Former member" in board.text and "73 W · 1 L" in board.text.splitlines()[1]
    ids = {label: cid for cid, label, _ in board.buttons}
    assert ids["▶"].startswith("fight:lb:2:next~") and all(len(c) <= 100 for c in ids.values())
    two = await sandbox.discord.click(board, dave, label="▶")
    assert "Page 2/3" in two.text and "`#11`" in two.text and "`#20`" in two.text
    mine = await sandbox.discord.click(two.reply, dave, label="My rank")
    assert "Page 3/3" in mine.text and "Dave" in mine.text and "← you" in mine.text
    top = await sandbox.discord.click(mine.reply, dave, label="⏮")
    assert top.text == first
    last = await sandbox.discord.click(top.reply, dave, label="⏭")
    assert last.text == mine.text
    # another member pressing a button gets their own rank
    other = await sandbox.discord.click(last.reply, sandbox.user_id("Carol"), label="◀")
    assert "Page 2/3" in other.text and "You have no duel counted yet" in other.text
    for typed in ("P!fight lb 2", "P!duellb 2"):
        assert "Page 2/3" in (await sandbox.say("Dave", GROVE, typed)).text
    ex = await sandbox.slash("Dave", GROVE, "fight leaderboard", page="3")
    assert "Page 3/3" in ex.text
    ex = await sandbox.say("Dave", POND, "P!duellb")
    assert "Nobody has fought a duel here yet" in ex.text


async def test_the_board_answers_bad_pages_in_one_line(sandbox) -> None:
    g = sandbox.guild_id(GROVE)
    for i in range(12):
        await put(sandbox.app, g, 10_000 + i, duel_wins=1 + i)
    ex = await sandbox.say("Carol", GROVE, "P!fight leaderboard 1000000000")
    assert "Page 2/2" in ex.text  # past the end: the last page, as the chi board
    for bad, said in (("0", "must be above zero"), ("abc", "isn't a number"), ("-3", "")):
        ex = await sandbox.say("Carol", GROVE, f"P!duellb {bad}")
        assert ex.messages and "Error id" not in ex.text and said in ex.text, ex.text
        assert "Duel leaderboard" not in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!fight lb 2 3")
    assert "Error id" not in ex.text and "Duel leaderboard" not in ex.text


# --- the weapon on the profile ------------------------------------------------------------------


async def test_the_profile_shows_the_weapon(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!profile")
    assert "Weapon:" not in ex.text  # no weapon held: no line
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 1000")
    await sandbox.say("Alice", GROVE, "P!buy verdant windblade")
    ex = await sandbox.say("Alice", GROVE, "P!profile")
    assert "Weapon: 🗡️ Verdant Windblade +0" in ex.text
    ex = await sandbox.say("Bob", GROVE, "P!profile @Alice")
    assert "Weapon: 🗡️ Verdant Windblade +0" in ex.text
    ex = await sandbox.say("Alice", POND, "P!profile")
    assert "Weapon:" not in ex.text  # held in the other server only


async def test_the_profile_weapon_costs_one_statement(app: App) -> None:
    await app.economy.admin_adjust(G, 99, A, 500)
    await app.economy.profile(G, A)
    with app.db.count_statements() as before:
        await app.economy.profile(G, A)
    await arm(app, G, A)
    await app.combat.equip(G, A, "verdant windblade")
    await app.db.scoped(
        G, lambda s: s.inventory.set_level(A, "verdant_windblade", expect=0, level=3)
    )
    with app.db.count_statements() as count:
        card = await app.economy.profile(G, A)
    assert card.weapon == "🗡️ Verdant Windblade +3"
    assert count.n == before.n <= 5, count.statements  # the listener's one joined SELECT
    assert sum("combat_loadouts" in s for s in count.statements) == 1


# --- boss stats and boards (issue 13) -----------------------------------------------------------


async def test_a_best_time_is_lowered_never_raised_and_starts_at_the_first(app: App) -> None:
    async def low(value: int) -> int:
        got = await app.db.scoped(
            G, lambda s: s.counters.apply(A, low={"boss_fang_fastest": value})
        )
        return got["boss_fang_fastest"]

    assert [await low(v) for v in (300, 500, 120, 200)] == [300, 300, 120, 120]
    mixed = await app.db.scoped(
        G, lambda s: s.counters.apply(A, add={"bosses_defeated": 1}, low={"boss_fang_fastest": 90})
    )
    assert mixed == {"bosses_defeated": 1, "boss_fang_fastest": 90}


async def test_boss_wins_count_with_their_best_time_and_rank_the_server(app: App) -> None:
    from chibot.features.combat.engine import MatchEnded

    for user in (A, B):
        await arm(app, G, user, weapon="infinity_chi_scepter")
        await app.db.scoped(G, lambda s, u=user: s.wallet.credit(u, 1_000, reason="test"))

    async def beat(user: int, seconds: int) -> None:
        await app.combat.fight_boss(G, user, f"u{user}", "fang")
        fight = await app.combat.current(G, user)
        app.clock.advance(seconds)

        async def tx(scope):  # type: ignore[no-untyped-def]
            return await app.combat.boss_fights.settle(
                scope, fight, MatchEnded("ko", "side0"), {"boss": "fang"}
            )

        await app.db.scoped(G, tx)
        await app.combat.act(G, user, engine.Forfeit(str(user)))

    await beat(A, 80)
    await beat(B, 30)
    mine = await app.combat.boss_stats(G, A)
    assert mine.values["bosses_defeated"] == 1
    assert mine.solo[0][1:] == (1, 80)
    fastest = await app.combat.boss_board(G, A, "fang")
    assert [(r.user_id, r.value) for r in fastest.rows] == [(B, 30), (A, 80)]
    assert fastest.viewer is not None and fastest.viewer.rank == 2
    await put(app, G, A, team_bosses_defeated=2)
    kills = await app.combat.boss_board(G, B, "kills")
    assert [(r.user_id, r.value) for r in kills.rows] == [(A, 3), (B, 1)]
    elsewhere = await app.combat.boss_board(H, A, "kills")
    assert elsewhere.rows == [] and elsewhere.viewer is None


async def test_boss_stats_and_boards_through_discord(sandbox) -> None:  # type: ignore[no-untyped-def]
    await sandbox.say("Psy", GROVE, "P!chiadd @Alice 5000")
    await sandbox.say("Alice", GROVE, "P!buy C4")
    await sandbox.say("Alice", GROVE, "P!boss fight fang")
    await sandbox.say("Alice", GROVE, "P!boss run")
    ex = await sandbox.say("Alice", GROVE, "P!boss stats")
    assert "Alice's boss stats" in ex.text and "1 lost" in ex.text and "The rift" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!boss board")
    assert "Bosses beaten" in ex.text and "Nobody is on this board yet" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!boss lb fa")
    assert "Fastest wins · 🐼 Fang of the Bamboo" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!boss board nothing")
    assert "Boards: `kills`, `rift`" in ex.text
    ex = await sandbox.slash("Alice", POND, "boss board", board="rift")
    assert "Rift damage" in ex.text


async def test_the_rift_board_ranks_rift_damage(sandbox) -> None:  # type: ignore[no-untyped-def]
    g = sandbox.guild_id(GROVE)
    alice, bob = sandbox.user_id("Alice"), sandbox.user_id("Bob")
    await put(sandbox.app, g, alice, rift_damage=900)
    await put(sandbox.app, g, bob, rift_damage=1_400)
    ex = await sandbox.say("Alice", GROVE, "P!rift board")
    assert "Rift damage" in ex.text and ex.text.index("Bob") < ex.text.index("Alice")
    assert "Your rank: #2 (900)" in ex.text
