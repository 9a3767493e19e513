"""Rebirth and the admin rebirth tools, on SQLite and PostgreSQL: services and commands.

Proven here:
- a rebirth converts exactly the server's `rebirth_threshold` into ONE rebirth, in one
  transaction: chi debit and rebirth credit (ledger reason `rebirth`), `rebirths_done` + 1,
  and the achievements (Reborn at 1, Cycle of Eternity at 10), paid once;
- below the threshold it is refused with the missing amount and writes nothing; a negative
  balance can never rebirth (the old "debt into rebirths" exploit), not even at -threshold;
- a change of the threshold setting applies at once; a confirm button showing the old price
  is refused without spending;
- 20 simultaneous rebirths by a member holding exactly the threshold give exactly one;
- the command shows what a rebirth gives and that nothing else is reset; only the member can
  press Confirm/Cancel; Cancel changes nothing; Confirm re-checks (chi spent meanwhile);
- `arebirth` / `rrebirth`: admins only, audited, refuse more than the member has, and never
  count as rebirths done (no achievement).
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import select
from support.worded import refused

from chibot.app import App
from chibot.core.tables import audit, ledger
from chibot.features.economy.errors import RebirthRefused, RemoveTooMuch, ThresholdChanged

G = 701
A, B = 11, 22
ADMIN = 99
THRESHOLD = 500_000
GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def money(app: App, user: int, guild: int = G):
    return await app.db.scoped(guild, lambda s: s.wallet.get(user))


async def counter(app: App, user: int, name: str, guild: int = G) -> int:
    return await app.db.scoped(guild, lambda s: s.counters.get(user, name))


async def ledger_rows(app: App, guild: int = G) -> list:
    async with app.db.engine.connect() as conn:
        rows = await conn.execute(
            select(ledger).where(ledger.c.guild_id == guild).order_by(ledger.c.id)
        )
        return list(rows)


async def fund(app: App, user: int, amount: int, guild: int = G) -> None:
    await app.economy.admin_adjust(guild, ADMIN, user, amount)


def outcomes(results: list) -> Counter:
    return Counter("ok" if not isinstance(r, BaseException) else type(r).__name__ for r in results)


# --- service ----------------------------------------------------------------------------------


async def test_rebirth_converts_the_threshold_into_one_rebirth(app: App, veterans) -> None:
    await fund(app, A, 600_000)
    offer = await app.economy.rebirth_offer(G, A)
    assert (offer.threshold, offer.chi, offer.rebirths) == (THRESHOLD, 600_000, 0)

    result = await app.economy.rebirth(G, A, expected_threshold=THRESHOLD)
    assert [a.id for a in result.achievements] == ["first_rebirth"]  # Reborn: 1,500 chi
    assert (result.threshold, result.chi, result.rebirths, result.rebirths_done) == (
        THRESHOLD,
        100_000 + 1_500,
        1,
        1,
    )
    after = await money(app, A)
    assert (after.chi, after.rebirths) == (101_500, 1)
    assert await counter(app, A, "rebirths_done") == 1
    rows = [(r.delta, r.currency, r.reason) for r in await ledger_rows(app)]
    assert rows == [
        (600_000, "chi", "admin.add.chi"),
        (-THRESHOLD, "chi", "rebirth"),
        (1, "rebirths", "rebirth"),
        (1_500, "chi", "achievement"),
    ]


async def test_one_rebirth_per_command_and_the_excess_stays(app: App, veterans) -> None:
    await fund(app, A, 1_200_000)
    await app.economy.rebirth(G, A)
    second = await app.economy.rebirth(G, A)
    assert (second.rebirths, second.rebirths_done, second.achievements) == (2, 2, ())
    assert (await money(app, A)).chi == 200_000 + 1_500
    with pytest.raises(RebirthRefused):
        await app.economy.rebirth(G, A)


@pytest.mark.parametrize(("balance", "missing"), [(0, 500_000), (499_999, 1), (1, 499_999)])
async def test_below_the_threshold_is_refused_with_what_is_missing(
    app: App, veterans, balance: int, missing: int
) -> None:
    if balance:
        await fund(app, A, balance)
    before = await ledger_rows(app)
    for attempt in (app.economy.rebirth_offer(G, A), app.economy.rebirth(G, A)):
        with refused(RebirthRefused, f"**{missing:,}** chi missing") as caught:
            await attempt
        assert caught.value.missing == missing
    assert await ledger_rows(app) == before
    assert (await money(app, A)).rebirths == 0
    assert await counter(app, A, "rebirths_done") == 0


@pytest.mark.parametrize("debt", [1, THRESHOLD, 600_000])
async def test_a_negative_balance_never_rebirths(app: App, veterans, debt: int) -> None:
    """The old bot turned -500,000 into a rebirth (and +500,000 chi). Never here."""
    await app.db.scoped(G, lambda s: s.wallet.penalize(A, debt, reason="chat.negative"))
    before = await ledger_rows(app)
    with refused(RebirthRefused, "negative balance can never be reborn") as caught:
        await app.economy.rebirth(G, A)
    assert caught.value.missing == THRESHOLD + debt
    with pytest.raises(RebirthRefused):
        await app.economy.rebirth_offer(G, A)
    assert await ledger_rows(app) == before
    assert ((await money(app, A)).chi, (await money(app, A)).rebirths) == (-debt, 0)


async def test_the_threshold_setting_applies_at_once(app: App, veterans) -> None:
    await fund(app, A, 1_500)
    await app.guild_settings.set(G, "rebirth_threshold", 1_000, by=ADMIN)
    offer = await app.economy.rebirth_offer(G, A)
    assert offer.threshold == 1_000
    await app.guild_settings.set(G, "rebirth_threshold", 2_000, by=ADMIN)
    # a confirm button that showed 1,000 is refused, nothing spent
    with refused(ThresholdChanged, "2,000") as changed:
        await app.economy.rebirth(G, A, expected_threshold=offer.threshold)
    assert changed.value.threshold == 2_000
    with pytest.raises(RebirthRefused) as caught:
        await app.economy.rebirth(G, A)
    assert caught.value.missing == 500
    assert (await money(app, A)).chi == 1_500
    await app.guild_settings.set(G, "rebirth_threshold", 1_000, by=ADMIN)
    result = await app.economy.rebirth(G, A, expected_threshold=1_000)
    assert (result.rebirths, result.chi) == (1, 500 + 1_500)
    # another server keeps the default
    await fund(app, A, 1_500, guild=G + 1)
    with pytest.raises(RebirthRefused):
        await app.economy.rebirth(G + 1, A)


async def test_ten_rebirths_unlock_cycle_of_eternity(app: App, veterans) -> None:
    await app.guild_settings.set(G, "rebirth_threshold", 1_000, by=ADMIN)
    await fund(app, A, 10_000)
    unlocked = []
    for _ in range(10):
        unlocked += [a.id for a in (await app.economy.rebirth(G, A)).achievements]
    assert unlocked == ["first_rebirth", "rebirth_master"]
    assert (await money(app, A)).chi == 1_500 + 15_000
    assert await counter(app, A, "rebirths_done") == 10


async def test_simultaneous_rebirths_at_exactly_the_threshold_give_one(app: App, veterans) -> None:
    await fund(app, A, THRESHOLD)
    results = await asyncio.gather(
        *(app.economy.rebirth(G, A) for _ in range(20)), return_exceptions=True
    )
    assert outcomes(results) == {"ok": 1, "RebirthRefused": 19}
    after = await money(app, A)
    assert (after.chi, after.rebirths) == (1_500, 1)  # the Reborn reward, once
    assert await counter(app, A, "rebirths_done") == 1
    rows = [r for r in await ledger_rows(app) if r.reason == "rebirth"]
    assert sorted((r.currency, r.delta) for r in rows) == [("chi", -THRESHOLD), ("rebirths", 1)]


async def test_admin_rebirths_are_audited_and_are_not_rebirths_done(app: App, veterans) -> None:
    added = await app.economy.admin_adjust(G, ADMIN, A, 3, currency="rebirths")
    removed = await app.economy.admin_adjust(G, ADMIN, A, 2, currency="rebirths", remove=True)
    assert (added.before, added.after, removed.before, removed.after) == (0, 3, 3, 1)
    with refused(RemoveTooMuch, "only have **1** rebirths"):
        await app.economy.admin_adjust(G, ADMIN, A, 2, currency="rebirths", remove=True)
    assert (await money(app, A)).rebirths == 1
    assert await counter(app, A, "rebirths_done") == 0
    assert [(r.delta, r.currency, r.reason) for r in await ledger_rows(app)] == [
        (3, "rebirths", "admin.add.rebirths"),
        (-2, "rebirths", "admin.remove.rebirths"),
    ]
    entries = list(reversed(await app.db.scoped(G, lambda s: s.audit.recent())))
    assert [(e.action, e.target_id, e.before, e.after) for e in entries] == [
        ("admin.add.rebirths", A, {"rebirths": 0}, {"rebirths": 3}),
        ("admin.remove.rebirths", A, {"rebirths": 3}, {"rebirths": 1}),
    ]
    # no achievement from admin rebirths, even at a real rebirth's threshold of 10
    await app.economy.admin_adjust(G, ADMIN, A, 20, currency="rebirths")
    assert await app.progress.check_now(G, A) == []


# --- commands ---------------------------------------------------------------------------------


async def state(sandbox, user: str, guild: str = GROVE) -> tuple[int, int]:
    found = await sandbox.app.db.scoped(
        sandbox.guild_id(guild), lambda s: s.wallet.get(sandbox.user_id(user))
    )
    return found.chi, found.rebirths


async def test_rebirth_command_refuses_below_the_threshold(late_sandbox) -> None:
    sandbox = late_sandbox
    await sandbox.say("Psy", GROVE, "P!chiadd @Carol 499,000")
    ex = await sandbox.say("Carol", GROVE, "P!rebirth")
    assert "**1,000** chi missing" in ex.text and ex.reply.buttons == []
    ex = await sandbox.slash("Carol", GROVE, "chi rebirth")
    assert "**1,000** chi missing" in ex.text and ex.ephemeral == [True]
    assert await state(sandbox, "Carol") == (499_000, 0)


async def test_rebirth_offer_confirm_by_the_member(late_sandbox) -> None:
    sandbox = late_sandbox
    await sandbox.say("Psy", GROVE, "P!chiadd @Carol 600k")
    ex = await sandbox.say("Carol", GROVE, "P!rebirth")
    offer = ex.reply
    assert "Spend **500,000** chi for **1** rebirth" in offer.text
    assert "rebirth shop" in offer.text and "leaderboard" in offer.text
    assert "nothing is reset" in offer.text
    assert "600,000 → **100,000**" in offer.text and "0 → **1**" in offer.text
    assert [label for _, label, _ in offer.buttons] == ["Confirm", "Cancel"]
    assert await state(sandbox, "Carol") == (600_000, 0)  # the offer spends nothing

    ex = await sandbox.discord.click(offer, sandbox.user_id("Carol"), label="Confirm")
    assert "Carol is reborn" in ex.text and "Rebirths: **1**" in ex.text
    assert "Reborn" in ex.text and "Achievement unlocked" in ex.text
    assert sandbox.discord.message(offer.id).buttons == []  # the offer is closed
    assert await state(sandbox, "Carol") == (101_500, 1)
    assert await state(sandbox, "Carol", POND) == (0, 0)  # another world
    ex = await sandbox.slash("Alice", GROVE, "chi leaderboard", board="rebirths")
    assert "Carol" in ex.text and "1 rebirth ·" in ex.text


async def test_only_the_member_can_answer_and_cancel_changes_nothing(late_sandbox) -> None:
    sandbox = late_sandbox
    await sandbox.say("Psy", GROVE, "P!chiadd @Carol 500k")
    ex = await sandbox.slash("Carol", GROVE, "chi rebirth")
    offer = ex.reply
    for label in ("Confirm", "Cancel"):
        ex = await sandbox.discord.click(offer, sandbox.user_id("Dave"), label=label)
        assert "Only the member who asked" in ex.text and ex.ephemeral == [True]
    assert await state(sandbox, "Carol") == (500_000, 0)
    ex = await sandbox.discord.click(offer, sandbox.user_id("Carol"), label="Cancel")
    assert "Rebirth cancelled" in ex.text and "Nothing was spent" in ex.text
    assert sandbox.discord.message(offer.id).buttons == []
    assert await state(sandbox, "Carol") == (500_000, 0)


async def test_confirm_checks_again(late_sandbox) -> None:
    """The button is not trusted: chi spent after the offer makes the confirm fail."""
    sandbox = late_sandbox
    await sandbox.say("Psy", GROVE, "P!chiadd @Carol 500k")
    offer = (await sandbox.say("Carol", GROVE, "P!rebirth")).reply
    await sandbox.say("Carol", GROVE, "P!give @Dave 1")
    ex = await sandbox.discord.click(offer, sandbox.user_id("Carol"), label="Confirm")
    assert "No rebirth" in ex.text and "**1** chi missing" in ex.text
    assert await state(sandbox, "Carol") == (499_999, 0)


async def test_confirm_refused_when_the_threshold_changed(late_sandbox) -> None:
    sandbox = late_sandbox
    await sandbox.say("Psy", GROVE, "P!chiadd @Carol 600k")
    offer = (await sandbox.say("Carol", GROVE, "P!rebirth")).reply
    ex = await sandbox.say("Alice", GROVE, "P!config set rebirth_threshold 550,000")
    assert "is now 550,000" in ex.text
    ex = await sandbox.discord.click(offer, sandbox.user_id("Carol"), label="Confirm")
    assert "changed to **550,000**" in ex.text
    assert await state(sandbox, "Carol") == (600_000, 0)
    ex = await sandbox.say("Carol", GROVE, "P!rebirth")
    assert "Spend **550,000** chi" in ex.text


async def test_arebirth_rrebirth_admins_only_and_audited(late_sandbox) -> None:
    sandbox = late_sandbox
    ex = await sandbox.say("Bob", GROVE, "P!arebirth @Bob 5")  # Bob owns Lotus Pond, not the Grove
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!arebirth @Bob 5")
    assert "Added 5 rebirths" in ex.text and "0 → **5**" in ex.text
    ex = await sandbox.slash(
        "Alice", GROVE, "chi remove-rebirths", member=sandbox.users["Bob"], amount="2"
    )
    assert "Removed 2 rebirths" in ex.text and "5 → **3**" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!rrebirth @Bob 4")
    assert "only have **3** rebirths" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!arebirth @Bob 0")
    assert "above zero" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!arebirth 5 @Bob")  # the old, wrong order
    assert "can't find a member" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!rrebirth @Bob 1")
    assert "Only server admins" in ex.text
    ex = await sandbox.say("Psy", POND, "P!arebirth @Bob 1")  # the bot owner, anywhere
    assert "0 → **1**" in ex.text
    assert await state(sandbox, "Bob") == (0, 3)
    async with sandbox.app.db.transaction() as conn:
        rows = (
            await conn.execute(select(audit.c.guild_id, audit.c.action).order_by(audit.c.id))
        ).all()
    assert [(g, a) for g, a in rows] == [
        (sandbox.guild_id(GROVE), "admin.add.rebirths"),
        (sandbox.guild_id(GROVE), "admin.remove.rebirths"),
        (sandbox.guild_id(POND), "admin.add.rebirths"),
    ]
    assert (
        await sandbox.app.db.scoped(
            sandbox.guild_id(GROVE),
            lambda s: s.counters.get(sandbox.user_id("Bob"), "rebirths_done"),
        )
        == 0
    )


async def test_empty_rebirth_board_says_so(late_sandbox) -> None:
    ex = await late_sandbox.say("Dave", POND, "P!leaderboard rebirths")
    assert "Nobody here holds a rebirth right now" in ex.text
