"""What economy commands cost: statements per command, and the boards read by key.

Proven here (SQLite and PostgreSQL):
- statements per call (counted with a `before_cursor_execute` listener, transaction control
  left out): profile <= 4 (progress's numbers in one statement, combat's weapon in one joined SELECT), daily <= 5 (an ordinary day: the achievement check is skipped
  unless a threshold is crossed), give <= 5, a leaderboard page <= 4; each keeps its result;
- the member count on the profile and the boards is the kept count (`member_counts`), and no
  command counts the server's member rows;
- the leaderboard's pages by key: walking ▶ from the top and ◀ back gives exactly the pages
  by number (ties by user id), ⏭ the last page, "My rank" the viewer's own page, and a page
  button seeks with no OFFSET; the ranks are the indexed counts, negative chi included;
- the buttons carry the cursor (board, chi, user id) within Discord's 100 characters.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chibot.app import App

G = 701
A, B, ADMIN = 11, 22, 99
DAY1 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
BUDGET = 6  # the ceiling for every one of these commands


async def test_profile_statements(app: App, veterans) -> None:
    await app.economy.admin_adjust(G, ADMIN, A, 500)
    await app.economy.profile(G, A)  # settings and the like warmed
    with app.db.count_statements() as count:
        card = await app.economy.profile(G, A)
    assert (card.chi, card.rank, card.members) == (500, 1, 11)
    assert count.n <= 4 <= BUDGET, count.statements  # 3, and combat's weapon (one SELECT)
    assert sum("combat_loadouts" in s for s in count.statements) == 1
    assert not any("count(*)" in s.lower() and "ahead" not in s for s in count.statements)
    with app.db.count_statements() as count:
        stranger = await app.economy.profile(G, B)
    assert (stranger.rank, stranger.members) == (None, 11)
    assert count.n <= BUDGET


async def test_daily_statements(app: App, veterans) -> None:
    app.clock.set(DAY1)
    first = await app.economy.daily(G, A)  # the first daily checks every achievement
    app.clock.set(DAY1 + timedelta(days=1))
    with app.db.count_statements() as count:
        second = await app.economy.daily(G, A)
    assert (first.streak, second.streak, second.best_streak) == (1, 2, 2)
    assert second.balance == 500 and second.achievements == ()
    assert count.n <= 5 <= BUDGET, count.statements
    counters = await app.db.scoped(G, lambda s: s.counters.all(A))
    assert (counters["dailies"], counters["daily_streak"], counters["daily_streak_best"]) == (
        2,
        2,
        2,
    )


async def test_a_daily_that_crosses_a_threshold_still_unlocks(app: App, veterans) -> None:
    app.clock.set(DAY1)
    yesterday = (DAY1 - datetime(1970, 1, 1, tzinfo=UTC)).days - 1
    streak = {"daily_streak": 29, "daily_streak_best": 29, "dailies": 29}
    await app.db.scoped(
        G, lambda s: s.counters.apply(A, put={**streak, "daily_last_day": yesterday})
    )
    result = await app.economy.daily(G, A)
    assert (result.streak, [a.id for a in result.achievements]) == (30, ["daily_devotee"])
    app.clock.set(DAY1 + timedelta(days=1))
    assert (await app.economy.daily(G, A)).achievements == ()  # paid once


async def test_give_statements(app: App, veterans) -> None:
    await app.economy.admin_adjust(G, ADMIN, A, 100)
    with app.db.count_statements() as count:
        result = await app.economy.give(G, A, B, 30)  # B has no record yet
    assert (result.sender_balance, result.receiver_balance) == (70, 30)
    assert count.n <= 5 <= BUDGET, count.statements
    with app.db.count_statements() as count:
        await app.economy.give(G, B, A, 10)
    assert count.n <= 5
    assert (await app.economy.profile(G, B)).members == 12


# --- boards by key ------------------------------------------------------------------------


async def board_world(app: App) -> dict[int, int]:
    """35 members: ties of chi (broken by user id), negatives, zeros."""
    chis = {}
    for i in range(35):
        user = 1_000 + (i * 7919) % 97  # ids not in chi order
        chis[user] = [300, 300, 120, 0, -5][i % 5] + (i // 5) * 1_000 * (i % 2)
    for user, amount in chis.items():
        if amount > 0:
            await app.economy.admin_adjust(G, ADMIN, user, amount)
        else:
            await app.db.scoped(G, lambda s, u=user: s.wallet.ensure(u))
            if amount < 0:
                await app.db.scoped(
                    G, lambda s, u=user, a=amount: s.wallet.penalize(u, -a, reason="t")
                )
    return chis


def board_order(chis: dict[int, int]) -> list[int]:
    return [u for u, _ in sorted(chis.items(), key=lambda kv: (-kv[1], kv[0]))]


async def test_pages_by_key_are_the_pages_by_number(app: App) -> None:
    chis = await board_world(app)
    order = board_order(chis)
    viewer = order[23]
    by_number = [await app.economy.leaderboard(G, "chi", p, viewer) for p in (1, 2, 3, 4)]
    assert [r.user_id for p in by_number for r in p.rows] == order
    assert [r.rank for p in by_number for r in p.rows] == list(range(1, 36))
    assert by_number[0].pages == 4 and by_number[0].viewer.rank == 24

    walked = [by_number[0]]
    for _ in range(3):
        last = walked[-1].rows[-1]
        with app.db.count_statements() as count:
            walked.append(
                await app.economy.leaderboard(
                    G,
                    "chi",
                    walked[-1].page + 1,
                    viewer,
                    seek="after",
                    cursor=(last.chi, last.user_id),
                )
            )
        # no OFFSET: the page by number is the only query that skips rows (`chosen`)
        assert not any("chosen" in s for s in count.statements)
        assert count.n <= 4 <= BUDGET
    assert [p.rows for p in walked] == [p.rows for p in by_number]
    assert [p.page for p in walked] == [1, 2, 3, 4]

    back = walked[-1]
    for want in (by_number[2], by_number[1], by_number[0]):
        first = back.rows[0]
        back = await app.economy.leaderboard(
            G, "chi", back.page - 1, viewer, seek="before", cursor=(first.chi, first.user_id)
        )
        assert back.rows == want.rows and back.page == want.page

    last = await app.economy.leaderboard(G, "chi", 1, viewer, seek="last")
    assert last.rows == by_number[3].rows and last.page == 4
    mine = await app.economy.leaderboard(G, "chi", 1, viewer, seek="mine")
    assert mine.rows == by_number[2].rows and mine.page == 3
    # past the end (the board shrank since the button was made): the last page
    end = await app.economy.leaderboard(G, "chi", 5, viewer, seek="after", cursor=(-(10**6), 0))
    assert end.rows == by_number[3].rows


async def test_the_rebirth_board_by_key(app: App) -> None:
    for user, rebirths in ((1, 3), (2, 1), (3, 3), (4, 2)) * 1 + tuple(
        (10 + i, 1) for i in range(12)
    ):
        await app.economy.admin_adjust(G, ADMIN, user, rebirths, currency="rebirths")
    await app.db.scoped(G, lambda s: s.wallet.ensure(99))  # no rebirth: not on the board
    first = await app.economy.leaderboard(G, "rebirths", 1, 2)
    assert [r.user_id for r in first.rows] == [1, 3, 4, 2, 10, 11, 12, 13, 14, 15]
    assert first.viewer.rank == 4 and first.pages == 2
    last = first.rows[-1]
    second = await app.economy.leaderboard(
        G, "rebirths", 2, 2, seek="after", cursor=(last.rebirths, last.user_id)
    )
    assert [r.user_id for r in second.rows] == [16, 17, 18, 19, 20, 21]
    assert [r.rank for r in second.rows] == list(range(11, 17))
    assert (await app.economy.leaderboard(G, "rebirths", 1, 99)).viewer is None


async def test_the_buttons_turn_pages_by_key(sandbox) -> None:
    app, g = sandbox.app, sandbox.guild_id("Bamboo Grove")
    for i in range(24):  # ties on purpose: 1,000 chi for all but the first four
        await app.economy.admin_adjust(g, 1, 100_000_000_000_001_000 + i, 1000 + max(0, i - 20))
    dave = sandbox.user_id("Dave")
    board = (await sandbox.say("Dave", "Bamboo Grove", "P!leaderboard")).reply
    ids = {label: cid for cid, label, _ in board.buttons}
    assert ids["▶"].startswith("lb:chi:1000:100000000000001006:2:next~")
    assert all(len(cid) <= 100 for cid in ids.values())
    two = await sandbox.discord.click(board, dave, label="▶")
    assert "Page 2/3" in two.text and "`#11`" in two.text and "`#20`" in two.text
    three = await sandbox.discord.click(two.reply, dave, label="▶")
    assert "Page 3/3" in three.text and "`#24`" in three.text
    back = await sandbox.discord.click(three.reply, dave, label="◀")
    assert back.text == two.text
    last = await sandbox.discord.click(board, dave, label="⏭")
    assert last.text == three.text


@pytest.mark.parametrize("board", ["chi", "rebirths"])
async def test_an_empty_board(app: App, board: str) -> None:
    page = await app.economy.leaderboard(G, board, 3, A, seek="after", cursor=(5, 5))
    assert (page.rows, page.page, page.pages, page.viewer) == ([], 1, 1, None)
