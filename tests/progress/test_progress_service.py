"""Progress use cases against a real database (SQLite and PostgreSQL), through `App`.

Proven here:
- level: from lifetime chi earned (spending and admin grants change nothing), max HP from the
  permanent HP counter, level 0 for a stranger;
- upgrade: debits `upgrade_cost(price x multiplier, level)` with a `progress.upgrade` ledger
  row, raises the level by one, bumps `upgrades`; refuses unknown items, items that cannot be
  upgraded, items not held (or in the chest), not enough chi and max level, changing nothing;
  20 simultaneous upgrades by a member who can afford them all pay each level exactly once;
- milestones: claimed / claimable / locked; a claim takes every reached milestone at once,
  pays `milestone` rows that do not count as earned chi; "nothing to claim"; 30 simultaneous
  claims pay each milestone once; per server;
- achievements board: totals, unknown categories, unlocking on look;
- stats: the ledger aggregated by reason and sign, chat counts and counters;
- cooldowns: the cooldowns table plus the chat cooldown, only while running.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select, update
from support.worded import refused

from chibot.app import App
from chibot.core.errors import NotEnoughChi, UserError
from chibot.core.scope import GuildScope
from chibot.core.tables import ledger, members
from chibot.features.progress.errors import (
    FullyUpgraded,
    NotHeld,
    NothingToClaim,
    NotUpgradable,
    UnknownCategory,
    UnknownItem,
    UpgradeConflict,
    UpgradeTooExpensive,
)
from chibot.features.progress.rules import upgrade_cost

G, H = 1_001, 1_002
A, B = 41, 42
ADMIN = 99
SWORD = "verdant_windblade"  # C1, 200 chi, max level 10
SWORD_COSTS = [upgrade_cost(200, level) for level in range(10)]  # 50, 100, ..., 500


@pytest.fixture(autouse=True)
async def _early_members(app: App) -> None:
    """Ten members came first in both servers, so the members under test are not early
    birds (an early bird's 5,000 chi would blur every balance here; it is tested on its own)."""
    for guild in (G, H):
        await app.db.scoped(guild, lambda s: s.wallet.ensure(*range(500, 510)))
    app.clock.advance(1)


async def earn(app: App, user: int, amount: int, guild: int = G) -> None:
    """Chi earned by playing (counts toward the level and milestones)."""
    await app.db.scoped(guild, lambda s: s.wallet.credit(user, amount, reason="daily"))


async def grant(app: App, user: int, amount: int, guild: int = G) -> None:
    """Chi from an admin (not earned)."""
    await app.economy.admin_adjust(guild, ADMIN, user, amount)


async def give_item(
    app: App, user: int, item: str = SWORD, guild: int = G, *, level: int = 0, chest: bool = False
) -> None:
    async def tx(scope: GuildScope) -> None:
        holdings = scope.chest if chest else scope.inventory
        await holdings.add(user, item, level=level, unique=not app.catalog.items.get(item).stacks)

    await app.db.scoped(guild, tx)


async def held_level(app: App, user: int, item: str = SWORD, guild: int = G) -> int | None:
    found = await app.db.scoped(guild, lambda s: s.inventory.get(user, item))
    return found.level if found else None


async def money(app: App, user: int, guild: int = G):
    return await app.db.scoped(guild, lambda s: s.wallet.get(user))


async def ledger_rows(app: App, guild: int = G, reason: str | None = None) -> list:
    async with app.db.engine.connect() as conn:
        query = select(ledger).where(ledger.c.guild_id == guild).order_by(ledger.c.id)
        if reason:
            query = query.where(ledger.c.reason == reason)
        return list(await conn.execute(query))


# --- level ------------------------------------------------------------------------------------


async def test_level_from_lifetime_chi(app: App) -> None:
    await earn(app, A, 1600)
    info = await app.progress.level(G, A)
    assert (info.card.level, info.card.next_at, info.card.to_next, info.card.damage_bonus_pct) == (
        2,
        3000,
        1400,
        10,
    )
    assert info.max_hp == 250
    await app.db.scoped(G, lambda s: s.wallet.debit(A, 1600, reason="shop.buy"))
    await grant(app, A, 10_000)
    assert (await app.progress.level(G, A)).card.level == 2  # spending and grants change nothing
    assert (await app.progress.level(H, A)).card.level == 0  # another server, another life


async def test_level_max_hp_and_stranger(app: App) -> None:
    await app.db.scoped(G, lambda s: s.counters.set(A, "permanent_hp", 500))
    info = await app.progress.level(G, A)
    assert (info.permanent_hp, info.max_hp) == (500, 750)
    stranger = await app.progress.level(G, B)
    assert (stranger.card.level, stranger.card.lifetime_chi, stranger.max_hp) == (0, 0, 250)


# --- upgrade ----------------------------------------------------------------------------------


async def test_upgrade_pays_and_raises_the_level(app: App) -> None:
    await grant(app, A, 1000)
    await give_item(app, A)
    result = await app.progress.upgrade(G, A, "verdant windblade")
    assert (result.old_level, result.new_level, result.cost, result.balance) == (0, 1, 50, 950)
    assert (result.bonus_pct, result.next_cost) == (5, 100)
    assert await held_level(app, A) == 1
    result = await app.progress.upgrade(G, A, "C1")  # by shop code too
    assert (result.new_level, result.cost, result.balance, result.next_cost) == (2, 100, 850, 150)
    rows = await ledger_rows(app, reason="progress.upgrade")
    assert [(r.delta, r.ref, r.balance_after) for r in rows] == [
        (-50, SWORD, 950),
        (-100, SWORD, 850),
    ]
    assert await app.db.scoped(G, lambda s: s.counters.get(A, "upgrades")) == 2


async def test_upgrade_price_follows_the_server_multiplier(app: App) -> None:
    await app.guild_settings.set(G, "shop_price_multiplier", 150, by=ADMIN)
    for guild in (G, H):
        await grant(app, A, 1000, guild)
        await give_item(app, A, guild=guild)
    assert (await app.progress.upgrade(G, A, SWORD)).cost == 75  # 300 x 1/4
    assert (await app.progress.upgrade(H, A, SWORD)).cost == 50
    assert await held_level(app, A, guild=G) == await held_level(app, A, guild=H) == 1


async def test_upgrade_to_max_then_fully_upgraded(app: App) -> None:
    await grant(app, A, sum(SWORD_COSTS))
    await give_item(app, A, level=9)
    result = await app.progress.upgrade(G, A, SWORD)
    assert (result.new_level, result.cost, result.next_cost, result.bonus_pct) == (
        10,
        500,
        None,
        50,
    )
    with refused(FullyUpgraded, "fully upgraded"):
        await app.progress.upgrade(G, A, SWORD)
    assert await held_level(app, A) == 10


@pytest.mark.parametrize(
    ("text", "error", "message"),
    [
        ("nonsense blade", UnknownItem, "don't know an item called `nonsense blade`"),
        ("minor healing salve", NotUpgradable, "can't be upgraded"),
        ("+100 Permanent HP", NotUpgradable, "can't be upgraded"),
        ("crimson fang dagger", NotHeld, "don't have a **Crimson Fang Dagger**"),
    ],
)
async def test_upgrade_refusals_change_nothing(
    app: App, text: str, error: type, message: str
) -> None:
    await grant(app, A, 1000)
    await give_item(app, A)
    await give_item(app, A, "minor_healing_salve")
    with refused(error, message):
        await app.progress.upgrade(G, A, text)
    assert (await money(app, A)).chi == 1000
    assert await ledger_rows(app, reason="progress.upgrade") == []
    assert await held_level(app, A) == 0


async def test_upgrade_needs_the_item_out_of_the_chest(app: App) -> None:
    await grant(app, A, 1000)
    await give_item(app, A, chest=True)
    with refused(NotHeld, "in your chest"):
        await app.progress.upgrade(G, A, SWORD)
    await give_item(app, A, guild=H)  # held in another server: not here
    with pytest.raises(NotHeld):
        await app.progress.upgrade(G, B, SWORD)


async def test_upgrade_without_enough_chi_changes_nothing(app: App) -> None:
    await grant(app, A, 49)
    await give_item(app, A)
    with refused(UpgradeTooExpensive, "costs **50** chi; you have **49**") as caught:
        await app.progress.upgrade(G, A, SWORD)
    assert isinstance(caught.value, NotEnoughChi)
    assert (await money(app, A)).chi == 49
    assert await held_level(app, A) == 0
    assert await app.db.scoped(G, lambda s: s.counters.get(A, "upgrades")) == 0


async def test_twenty_simultaneous_upgrades_pay_each_level_once(app: App) -> None:
    budget = sum(SWORD_COSTS) + 7
    await grant(app, A, budget)
    await give_item(app, A)
    results = await asyncio.gather(
        *(app.progress.upgrade(G, A, SWORD) for _ in range(20)), return_exceptions=True
    )
    ok = [r for r in results if not isinstance(r, BaseException)]
    failures = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(f, FullyUpgraded | UpgradeConflict) for f in failures), failures
    level = await held_level(app, A)
    assert level == len(ok) <= 10
    assert sorted(r.new_level for r in ok) == list(
        range(1, level + 1)
    )  # no level skipped or repeated
    rows = await ledger_rows(app, reason="progress.upgrade")
    assert sorted(-r.delta for r in rows) == SWORD_COSTS[:level]
    assert (await money(app, A)).chi == budget - sum(SWORD_COSTS[:level])
    assert await app.db.scoped(G, lambda s: s.counters.get(A, "upgrades")) == level
    if app.db.dialect == "sqlite":  # transactions queue: every upgrade sees the last one
        assert level == 10 and Counter(type(f).__name__ for f in failures) == {"FullyUpgraded": 10}
    # whatever raced, the member can finish the job one by one
    while level < 10:
        level = (await app.progress.upgrade(G, A, SWORD)).new_level
    assert (await money(app, A)).chi == 7


async def test_upgrade_choices(app: App) -> None:
    await give_item(app, A)
    await give_item(app, A, "crimson_fang_dagger", level=3)
    await give_item(app, A, "minor_healing_salve")
    await give_item(app, A, "obsidian_reaver", chest=True)
    found = await app.progress.upgrade_choices(G, A, "")
    assert sorted((i.id, lvl) for i, lvl in found) == [("crimson_fang_dagger", 3), (SWORD, 0)]
    found = await app.progress.upgrade_choices(G, A, "crim")
    assert [(i.id, lvl) for i, lvl in found] == [("crimson_fang_dagger", 3)]
    assert await app.progress.upgrade_choices(H, A, "") == []


# --- milestones -------------------------------------------------------------------------------


async def test_milestone_board_states(app: App) -> None:
    await earn(app, A, 6000)
    board = await app.progress.milestone_board(G, A)
    states = [(r.milestone.id, r.state, r.to_go) for r in board.rows[:3]]
    assert states == [
        ("lifetime_1000", "claimable", 0),
        ("lifetime_5000", "claimable", 0),
        ("lifetime_10000", "locked", 4000),
    ]
    assert [m.id for m in board.claimable] == ["lifetime_1000", "lifetime_5000"]


async def test_claim_takes_every_reached_milestone_once(app: App) -> None:
    await earn(app, A, 6000)
    result = await app.progress.claim_milestones(G, A)
    assert [m.id for m in result.claimed] == ["lifetime_1000", "lifetime_5000"]
    assert (result.total, result.balance) == (350, 6350)
    assert result.board.claimed_count == 2 and result.board.claimable == []
    after = await money(app, A)
    assert after.lifetime_chi == 6000  # milestone rewards are not earned chi
    rows = await ledger_rows(app, reason="milestone")
    assert [(r.ref, r.delta) for r in rows] == [("lifetime_1000", 100), ("lifetime_5000", 250)]
    with refused(NothingToClaim, "Rising Chi** needs 4,000 more"):
        await app.progress.claim_milestones(G, A)
    await earn(app, A, 4000)
    result = await app.progress.claim_milestones(G, A)
    assert [m.id for m in result.claimed] == ["lifetime_10000"]


async def test_nothing_to_claim_writes_nothing(app: App) -> None:
    with refused(NothingToClaim, "needs 1,000 more"):
        await app.progress.claim_milestones(G, A)
    await grant(app, A, 50_000)  # admin chi is not earned: no milestone
    with pytest.raises(NothingToClaim):
        await app.progress.claim_milestones(G, A)
    assert await ledger_rows(app, reason="milestone") == []


async def test_every_milestone_claimed(app: App) -> None:
    await app.db.scoped(G, lambda s: s.wallet.credit(A, 3_000_000, reason="daily"))
    result = await app.progress.claim_milestones(G, A)
    assert len(result.claimed) == len(app.progress.milestones.milestone)
    with refused(NothingToClaim, "claimed every milestone"):
        await app.progress.claim_milestones(G, A)


async def test_thirty_simultaneous_claims_pay_each_milestone_once(app: App) -> None:
    await earn(app, A, 30_000)
    results = await asyncio.gather(
        *(app.progress.claim_milestones(G, A) for _ in range(30)), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert all(isinstance(f, NothingToClaim) for f in failures), failures
    paid = Counter(m.id for r in results if not isinstance(r, BaseException) for m in r.claimed)
    assert paid == {
        "lifetime_1000": 1,
        "lifetime_5000": 1,
        "lifetime_10000": 1,
        "lifetime_25000": 1,
    }
    rows = await ledger_rows(app, reason="milestone")
    assert sorted(r.ref for r in rows) == sorted(paid)
    assert (await money(app, A)).chi == 30_000 + 100 + 250 + 500 + 1000


async def test_milestones_are_per_server(app: App) -> None:
    await earn(app, A, 1000, G)
    await app.progress.claim_milestones(G, A)
    with pytest.raises(NothingToClaim):
        await app.progress.claim_milestones(H, A)
    await earn(app, A, 1000, H)
    assert [m.id for m in (await app.progress.claim_milestones(H, A)).claimed] == ["lifetime_1000"]


# --- achievements board -------------------------------------------------------------------------


async def test_achievement_board_totals_and_unlock_on_look(app: App) -> None:
    await app.db.scoped(
        G, lambda s: s.counters.set(A, "rebirths_done", 1)
    )  # a path that did not check
    board = await app.progress.achievement_board(G, A)
    assert [a.id for a in board.new] == ["first_rebirth"]
    assert (board.unlocked_count, board.total, board.chi_earned) == (1, 30, 1500)
    assert len(board.rows) == 30 and board.category is None
    board = await app.progress.achievement_board(G, A, "Economy")
    assert board.new == [] and board.category.id == "economy"
    assert [r.achievement.id for r in board.rows] == [
        "rebirth_master",
        "millionaire",
        "first_rebirth",
    ]
    assert [r.state for r in board.rows] == ["locked", "locked", "unlocked"]
    assert board.rows[0].value == 1


async def test_unknown_category_lists_them(app: App) -> None:
    with refused(
        UnknownCategory,
        "Categories: `combat`, `exploration`, `collection`, `social`, `economy`, `mastery`",
    ):
        await app.progress.achievement_board(G, A, "cooking")


# --- stats ---------------------------------------------------------------------------------------


async def test_stats_aggregates_the_ledger(app: App) -> None:
    await app.economy.chat(G, A, "that was magnificent")
    positive = (await money(app, A)).chi
    app.clock.advance(60)
    await app.economy.chat(G, A, "you are stupid")
    penalty = positive - (await money(app, A)).chi
    await app.economy.daily(G, A)
    await grant(app, A, 1000)
    await app.economy.give(G, A, B, 30)
    await app.economy.give(G, B, A, 10)
    await give_item(app, A)
    await app.progress.upgrade(G, A, SWORD)
    await app.db.scoped(G, lambda s: s.counters.bump(A, "plants_harvested", 3))
    await app.db.scoped(H, lambda s: s.wallet.credit(A, 999, reason="daily"))  # another server

    info = await app.progress.stats(G, A)
    s = info.summary
    assert s.earned == positive + 250
    assert s.earned_by == {"chat": positive, "daily": 250}
    assert s.chat_penalties == penalty
    assert (s.spent, s.spent_by) == (50, {"progress": 50})
    assert (s.given, s.gives, s.received, s.receipts) == (30, 1, 10, 1)
    assert (s.admin_added, s.admin_removed) == (1000, 0)
    assert (info.member.positive_messages, info.member.negative_messages) == (1, 1)
    # (other systems add their own counters, e.g. daily streaks)
    assert {"upgrades": 1, "plants_harvested": 3}.items() <= info.counters.items()
    assert info.member.chi == positive - penalty + 250 + 1000 - 30 + 10 - 50


async def test_stats_of_a_stranger(app: App) -> None:
    info = await app.progress.stats(G, B)
    assert info.member is None and info.counters == {} and info.summary.earned == 0


# --- cooldowns ------------------------------------------------------------------------------------


async def test_cooldowns_lists_running_ones_and_chat(app: App) -> None:
    assert await app.progress.cooldowns(G, A) == []
    await app.economy.daily(G, A)
    await app.economy.chat(G, A, "that was magnificent")
    found = await app.progress.cooldowns(G, A)
    assert [c.action for c in found] == ["chat", "daily"]  # soonest first
    assert found[0].ready_at == app.clock.now() + timedelta(seconds=30)
    assert await app.progress.cooldowns(H, A) == []
    app.clock.advance(31)
    assert [c.action for c in await app.progress.cooldowns(G, A)] == ["daily"]
    app.clock.advance(days=1)
    assert await app.progress.cooldowns(G, A) == []


async def test_chat_cooldown_far_in_the_past_is_not_listed(app: App) -> None:
    await app.db.scoped(G, lambda s: s.wallet.ensure(A))
    async with app.db.transaction() as conn:
        await conn.execute(
            update(members).where(members.c.user_id == A).values(chat_ready_at=app.clock.now())
        )
    assert await app.progress.cooldowns(G, A) == []


async def test_user_errors_are_user_errors() -> None:
    for error in (
        UnknownItem,
        NotUpgradable,
        NotHeld,
        FullyUpgraded,
        UpgradeConflict,
        NothingToClaim,
        UnknownCategory,
    ):
        assert issubclass(error, UserError)
