"""Economy use cases against a real database (SQLite and PostgreSQL), through `App`.

Proven here:
- chat: positive, negative and secret messages move the balance and write a `chat.<kind>`
  ledger row; a 30 s cooldown; no member row for a message worth nothing; the hourly cap on
  awards (and its reset after an hour); penalties ignore the cap and can go negative;
  blacklisted members (server list and bot-wide list) earn nothing; the `chat_enabled`
  switch; a server's extra and removed words;
- daily: pays `daily_reward` once per UTC day, refused while cooling down, switched off at 0;
(Tests of mechanics take the `veterans` fixture, ten earlier members, so that no Early Bird
reward changes their balances; achievements have their own tests in test_achievement_hooks.py.)
- give: zero-sum; refuses self, bots, non-positive amounts, more than the sender has and a
  blacklisted receiver, writing nothing when it refuses;
- admin add/remove: audited with before/after, a removal never overdraws;
- profile: the level follows lifetime chi (spending does not lower it) and the rank;
- leaderboards: pages of 10 with clamped page numbers, order chi then user id (rebirths then
  chi then user id), the viewer's own rank even off the page, none for a stranger.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from support.worded import refused

from chibot.app import App
from chibot.core.errors import InvalidAmount, NotEnoughChi, OnCooldown
from chibot.core.tables import ledger
from chibot.features.economy.errors import (
    CannotReceive,
    DailyOff,
    GiveToBot,
    GiveToSelf,
    RemoveTooMuch,
    UnknownBoard,
)
from chibot.features.economy.rules import Kind
from chibot.features.progress.rules import chi_for_level

G = 701
A, B, C = 11, 22, 33
ADMIN = 99

POSITIVE, NEGATIVE, SECRET = "that was magnificent", "you are stupid", "cake"


async def chi(app: App, user: int, guild: int = G) -> int:
    return (await app.db.scoped(guild, lambda s: s.wallet.get(user))).chi


async def record(app: App, user: int, guild: int = G):
    return await app.db.scoped(guild, lambda s: s.members.row(user))


async def ledger_rows(app: App, guild: int = G) -> list:
    async with app.db.engine.connect() as conn:
        rows = await conn.execute(
            select(ledger).where(ledger.c.guild_id == guild).order_by(ledger.c.id)
        )
        return list(rows)


async def configure(app: App, guild: int = G, **values) -> None:
    for key, value in values.items():
        await app.guild_settings.set(guild, key, value, by=ADMIN)


async def fund(app: App, user: int, amount: int, guild: int = G) -> None:
    await app.economy.admin_adjust(guild, ADMIN, user, amount)


# --- chat -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "counter", "bonus"),
    [
        (POSITIVE, Kind.POSITIVE, 1, 8, "positive_messages", 0),
        (NEGATIVE, Kind.NEGATIVE, -15, -5, "negative_messages", 0),
        # a first secret word also unlocks Secrets Unveiled (10,000 chi, earned)
        (SECRET, Kind.SECRET, 10, 15, "secret_words", 10_000),
    ],
)
async def test_chat_awards(
    app: App, veterans, text: str, kind: Kind, low: int, high: int, counter: str, bonus: int
) -> None:
    result = await app.economy.chat(G, A, text, ref="msg-1")
    assert result is not None
    assert result.kind is kind
    assert low <= result.delta <= high
    assert result.balance == result.delta + bonus == await chi(app, A)

    row, *achievement = await ledger_rows(app)
    assert (row.user_id, row.delta, row.reason, row.ref, row.balance_after) == (
        A,
        result.delta,
        f"chat.{kind}",
        "msg-1",
        result.delta,
    )
    assert [r.delta for r in achievement] == ([bonus] if bonus else [])
    mine = await record(app, A)
    assert getattr(mine, counter) == 1
    # penalties do not lower the lifetime total
    assert mine.lifetime_chi == max(result.delta, 0) + bonus


async def test_chat_amounts_follow_the_settings(app: App) -> None:
    await configure(
        app, chat_positive_min=7, chat_positive_max=7, chat_negative_min=3, chat_negative_max=3
    )
    assert (await app.economy.chat(G, A, POSITIVE)).delta == 7
    assert (await app.economy.chat(G, B, NEGATIVE)).delta == -3


async def test_chat_cooldown(app: App, veterans) -> None:
    first = await app.economy.chat(G, A, POSITIVE)
    app.clock.advance(29)
    assert await app.economy.chat(G, A, POSITIVE) is None
    assert await app.economy.chat(G, A, NEGATIVE) is None  # penalties wait for it too
    assert await chi(app, A) == first.balance
    assert len(await ledger_rows(app)) == 1

    app.clock.advance(2)  # 31 s after the first
    second = await app.economy.chat(G, A, POSITIVE)
    assert second is not None
    assert await chi(app, A) == first.delta + second.delta
    assert len(await ledger_rows(app)) == 2


EVERYDAY = [  # finding 12: a listed word in an everyday sentence (the old judge took chi)
    "I mean, that was a good game",
    "I need to take out the trash",
    "my dirty laundry pile",
    "watched a snake documentary",
    "what do you mean?",
]


@pytest.mark.parametrize(
    "text", ["hello there", "magnificent", "", "<@123> stupid", "cakes", *EVERYDAY]
)
async def test_a_message_worth_nothing_creates_no_member(app: App, text: str) -> None:
    assert await app.economy.chat(G, A, text) is None
    assert await record(app, A) is None
    assert await ledger_rows(app) == []


@pytest.mark.parametrize(
    ("text", "reads"),
    [
        ("hello there", False),  # no listed word: neither VADER nor the database
        ("I hate mondays", False),  # lexicon words only (VADER would call it negative)
        ("good game, well played 😂", False),
        ("kill the lights", False),
        ("magnificent", False),  # listed, but no ordinary word
        *[(text, True) for text in EVERYDAY],  # VADER reads them; nothing is due
    ],
)
async def test_the_fast_path_never_reaches_the_database(
    app: App, monkeypatch: pytest.MonkeyPatch, text: str, reads: bool
) -> None:
    settings = await app.economy.settings(G)  # warm, as on a running bot
    judge = app.economy._judge(G, settings)
    runs = judge.vader_runs

    async def no_database(*args: object, **kwargs: object) -> None:
        raise AssertionError("the chat path reached the database")

    monkeypatch.setattr(app.db, "scoped", no_database)
    monkeypatch.setattr(app.db, "transaction", no_database)
    assert await app.economy.chat(G, A, text) is None
    assert judge.vader_runs == runs + reads


async def test_hourly_cap(app: App, veterans) -> None:
    await configure(app, chat_positive_min=5, chat_positive_max=5, chat_hourly_cap=20)
    start = app.clock.now()
    paid = []
    for _ in range(8):
        paid.append(await app.economy.chat(G, A, POSITIVE))
        app.clock.advance(31)
    assert [r is not None for r in paid] == [True] * 4 + [False] * 4
    assert await chi(app, A) == 20

    app.clock.set(start + timedelta(hours=1))  # the window that began with the first award ends
    assert (await app.economy.chat(G, A, POSITIVE)).balance == 25
    assert await chi(app, A) == 25


@pytest.mark.parametrize("cap", [0, 5])
async def test_the_first_award_of_an_hour_respects_the_cap(app: App, cap: int) -> None:
    await configure(app, chat_positive_min=8, chat_positive_max=8, chat_hourly_cap=cap)
    await app.economy.chat(G, A, POSITIVE)
    assert await chi(app, A) <= cap


async def test_penalties_ignore_the_cap_and_go_negative(app: App, veterans) -> None:
    await configure(
        app,
        chat_positive_min=5,
        chat_positive_max=5,
        chat_negative_min=12,
        chat_negative_max=12,
        chat_hourly_cap=5,
    )
    assert (await app.economy.chat(G, A, POSITIVE)).balance == 5
    app.clock.advance(31)
    assert await app.economy.chat(G, A, POSITIVE) is None  # capped
    assert (await app.economy.chat(G, A, NEGATIVE)).balance == -7
    app.clock.advance(31)
    assert (await app.economy.chat(G, A, NEGATIVE)).balance == -19
    assert [r.balance_after for r in await ledger_rows(app)] == [5, -7, -19]


@pytest.mark.parametrize("list_guild", [G, 0], ids=["server-list", "global-list"])
async def test_blacklisted_members_earn_nothing(app: App, veterans, list_guild: int) -> None:
    await app.economy.chat(G, A, POSITIVE)  # A has a record already
    before = await chi(app, A)
    for user in (A, B):
        await app.db.scoped(list_guild, lambda s, u=user: s.blacklist.add(u, ADMIN))
    app.clock.advance(31)
    for text in (POSITIVE, NEGATIVE, SECRET):
        assert await app.economy.chat(G, A, text) is None
        assert await app.economy.chat(G, B, text) is None
    assert await chi(app, A) == before
    assert await chi(app, B) == 0
    assert len(await ledger_rows(app)) == 1


async def test_a_blacklisted_stranger_gets_no_record(app: App) -> None:
    await app.db.scoped(0, lambda s: s.blacklist.add(B, ADMIN))
    assert await app.economy.chat(G, B, POSITIVE) is None
    assert await record(app, B) is None


async def test_chat_can_be_switched_off(app: App) -> None:
    await configure(app, chat_enabled=False)
    for text in (POSITIVE, NEGATIVE, SECRET):
        assert await app.economy.chat(G, A, text) is None
    assert await record(app, A) is None
    await configure(app, chat_enabled=True)
    assert await app.economy.chat(G, A, POSITIVE) is not None


async def test_server_words(app: App) -> None:
    assert await app.economy.chat(G, A, "totally rad") is None
    await configure(
        app, extra_positive_words=["rad"], extra_negative_words=["meanie"], removed_words=["cake"]
    )
    assert (await app.economy.chat(G, A, "totally rad")).kind is Kind.POSITIVE
    assert (await app.economy.chat(G, B, "what a meanie")).kind is Kind.NEGATIVE
    assert await app.economy.chat(G, C, SECRET) is None
    # another server keeps the shipped lists
    assert await app.economy.chat(G + 1, A, "totally rad") is None
    assert (await app.economy.chat(G + 1, C, SECRET)).kind is Kind.SECRET


# --- daily ----------------------------------------------------------------------------------


async def test_daily_once_per_utc_day(app: App, veterans) -> None:
    app.clock.set(datetime(2026, 3, 1, 23, 59, tzinfo=UTC))
    first = await app.economy.daily(G, A)
    midnight = datetime(2026, 3, 2, tzinfo=UTC)
    assert (first.amount, first.balance, first.next_at) == (250, 250, midnight)

    with pytest.raises(OnCooldown) as caught:
        await app.economy.daily(G, A)
    assert caught.value.ready_at == midnight

    app.clock.set(midnight)  # a new UTC day, one minute later
    assert (await app.economy.daily(G, A)).balance == 500
    assert [(r.delta, r.reason) for r in await ledger_rows(app)] == [(250, "daily"), (250, "daily")]
    assert (await record(app, A)).lifetime_chi == 500


async def test_daily_pays_the_server_setting(app: App, veterans) -> None:
    await configure(app, daily_reward=75)
    assert (await app.economy.daily(G, A)).balance == 75


async def test_daily_switched_off_costs_no_cooldown(app: App, veterans) -> None:
    await configure(app, daily_reward=0)
    with refused(DailyOff, "Daily rewards are switched off in this server."):
        await app.economy.daily(G, A)
    assert await record(app, A) is None
    await configure(app, daily_reward=10)
    assert (await app.economy.daily(G, A)).balance == 10


# --- give -----------------------------------------------------------------------------------


async def test_give_is_zero_sum(app: App) -> None:
    await fund(app, A, 100)
    result = await app.economy.give(G, A, B, 30)
    assert (result.amount, result.currency, result.sender_balance, result.receiver_balance) == (
        30,
        "chi",
        70,
        30,
    )
    assert (await chi(app, A), await chi(app, B)) == (70, 30)
    gives = [r for r in await ledger_rows(app) if r.reason == "give"]
    assert sorted((r.user_id, r.delta) for r in gives) == [(A, -30), (B, 30)]


@pytest.mark.parametrize(
    ("receiver", "amount", "kwargs", "error"),
    [
        (A, 10, {}, GiveToSelf),
        (B, 10, {"receiver_is_bot": True}, GiveToBot),
        (B, 0, {}, InvalidAmount),
        (B, -5, {}, InvalidAmount),
        (B, 101, {}, NotEnoughChi),
        (C, 10, {}, CannotReceive),  # C is on the server's blacklist
        (ADMIN, 10, {}, CannotReceive),  # ADMIN is on the bot-wide blacklist
    ],
    ids=["self", "bot", "zero", "negative", "unaffordable", "blacklisted", "global-blacklisted"],
)
async def test_give_refusals_write_nothing(
    app: App, receiver: int, amount: int, kwargs: dict, error
) -> None:
    await fund(app, A, 100)
    await app.db.scoped(G, lambda s: s.blacklist.add(C, ADMIN))
    await app.db.scoped(0, lambda s: s.blacklist.add(ADMIN, ADMIN))
    before = await ledger_rows(app)
    with pytest.raises(error):
        await app.economy.give(G, A, receiver, amount, **kwargs)
    assert await ledger_rows(app) == before
    assert await chi(app, A) == 100
    if receiver != A:
        assert await record(app, receiver) is None


async def test_give_unaffordable_says_what_you_have(app: App) -> None:
    await fund(app, A, 40)
    with pytest.raises(NotEnoughChi) as caught:
        await app.economy.give(G, A, B, 41)
    assert (caught.value.needed, caught.value.have) == (41, 40)


# --- admin ----------------------------------------------------------------------------------


async def test_admin_add_and_remove_are_audited(app: App) -> None:
    added = await app.economy.admin_adjust(G, ADMIN, A, 500)
    removed = await app.economy.admin_adjust(G, ADMIN, A, 200, remove=True)
    assert (added.before, added.after, removed.before, removed.after) == (0, 500, 500, 300)
    assert await chi(app, A) == 300
    assert (await record(app, A)).lifetime_chi == 0  # granted chi is not earned chi

    assert [(r.delta, r.reason, r.ref) for r in await ledger_rows(app)] == [
        (500, "admin.add.chi", str(ADMIN)),
        (-200, "admin.remove.chi", str(ADMIN)),
    ]
    entries = list(reversed(await app.db.scoped(G, lambda s: s.audit.recent())))
    assert [(e.actor_id, e.action, e.target_id, e.before, e.after) for e in entries] == [
        (ADMIN, "admin.add.chi", A, {"chi": 0}, {"chi": 500}),
        (ADMIN, "admin.remove.chi", A, {"chi": 500}, {"chi": 300}),
    ]


@pytest.mark.parametrize("currency", ["chi", "rebirths"])
async def test_admin_remove_never_overdraws(app: App, currency: str) -> None:
    await app.economy.admin_adjust(G, ADMIN, A, 300, currency=currency)
    with refused(RemoveTooMuch, f"only have **300** {currency}"):
        await app.economy.admin_adjust(G, ADMIN, A, 301, currency=currency, remove=True)
    money = await app.db.scoped(G, lambda s: s.wallet.get(A))
    assert getattr(money, currency) == 300
    assert len(await ledger_rows(app)) == 1
    assert len(await app.db.scoped(G, lambda s: s.audit.recent())) == 1


# --- profile and leaderboards --------------------------------------------------------------


async def test_profile_of_a_stranger(app: App) -> None:
    await fund(app, A, 5)
    profile = await app.economy.profile(G, B)
    assert (profile.chi, profile.level, profile.next_level_at, profile.rank, profile.members) == (
        0,
        0,
        chi_for_level(1),
        None,
        1,
    )


async def test_profile_level_follows_lifetime_chi(app: App, veterans) -> None:
    await configure(app, daily_reward=1600)
    await app.economy.daily(G, A)
    await app.economy.give(G, A, B, 1000)  # spending does not lower the level
    a, b = await app.economy.profile(G, A), await app.economy.profile(G, B)
    assert (a.chi, a.lifetime_chi, a.level, a.next_level_at, a.rank) == (600, 1600, 2, 3000, 2)
    assert (b.chi, b.lifetime_chi, b.level, b.rank, b.members) == (1000, 0, 0, 1, 2 + len(veterans))


async def populate(app: App) -> dict[int, tuple[int, int]]:
    """25 members (ids 1..25) with tied chi and tied rebirths (6 members have some); returns
    {user: (chi, rebirths)}."""
    state = {user: ((user % 5) * 10, user % 3 if user % 4 == 0 else 0) for user in range(1, 26)}

    async def fill(scope):
        for user, (money, rebirths) in state.items():
            await scope.wallet.ensure(user)
            if money:
                await scope.wallet.credit(user, money, reason="t")
            if rebirths:
                await scope.wallet.credit(user, rebirths, reason="t", currency="rebirths")
        await scope.wallet.penalize(25, 3, reason="chat.negative")  # one member below zero

    await app.db.scoped(G, fill)
    state[25] = (state[25][0] - 3, state[25][1])
    return state


async def whole_board(app: App, board: str, viewer: int = A) -> list:
    first = await app.economy.leaderboard(G, board, 1, viewer)
    rows = list(first.rows)
    for page in range(2, first.pages + 1):
        rows += (await app.economy.leaderboard(G, board, page, viewer)).rows
    return rows


@pytest.mark.parametrize(
    ("board", "listed", "key"),
    [
        ("chi", lambda chi, rebirths: True, lambda item: (-item[1][0], item[0])),
        # the rebirth board lists members with a rebirth, by rebirths then user id
        ("rebirths", lambda chi, rebirths: rebirths > 0, lambda item: (-item[1][1], item[0])),
    ],
)
async def test_leaderboard_order(app: App, board: str, listed, key) -> None:
    state = await populate(app)
    on_board = {user: money for user, money in state.items() if listed(*money)}
    expected = [user for user, _ in sorted(on_board.items(), key=key)]
    rows = await whole_board(app, board)
    assert [r.user_id for r in rows] == expected
    assert [r.rank for r in rows] == list(range(1, len(expected) + 1))
    assert all((r.chi, r.rebirths) == state[r.user_id] for r in rows)
    for user in state:  # each viewer's own rank agrees with the board
        viewer = (await app.economy.leaderboard(G, board, 1, user)).viewer
        if user in on_board:
            assert viewer.rank == expected.index(user) + 1
        else:
            assert viewer is None


@pytest.mark.parametrize(
    ("asked", "shown", "count"),
    [(1, 1, 10), (2, 2, 10), (3, 3, 5), (0, 1, 10), (-4, 1, 10), (99, 3, 5)],
)
async def test_leaderboard_pages(app: App, asked: int, shown: int, count: int) -> None:
    await populate(app)
    page = await app.economy.leaderboard(G, "chi", asked, 1)
    assert (page.page, page.pages, len(page.rows)) == (shown, 3, count)
    assert page.rows[0].rank == (shown - 1) * 10 + 1


async def test_leaderboard_viewer(app: App) -> None:
    await populate(app)
    page = await app.economy.leaderboard(G, "chi", 1, 25)  # last place, not on page 1
    assert 25 not in [r.user_id for r in page.rows]
    assert (page.viewer.rank, page.viewer.user_id, page.viewer.chi) == (25, 25, -3)
    assert (await app.economy.leaderboard(G, "chi", 1, 12345)).viewer is None


async def test_empty_leaderboard_and_unknown_board(app: App) -> None:
    page = await app.economy.leaderboard(G, "chi", 5, A)
    assert (page.page, page.pages, page.rows, page.viewer) == (1, 1, [], None)
    with refused(UnknownBoard, "Leaderboards: `chi` or `rebirths`."):
        await app.economy.leaderboard(G, "pets", 1, A)
