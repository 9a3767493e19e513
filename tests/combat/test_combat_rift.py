"""The rift (`chibot/features/combat/rift.py`) against a real database, SQLite and PostgreSQL:
opening (audited, one live per server, the 4-hour rest), joining (the Rifter grows), attacks
(the cooldown, the real counter-attack that downs a raider, back after 60 s), running (the
share forfeited, no rejoining), the minimum of two attacks, 50 members attacking at once and
the prize paid exactly once, the end of its lifetime by the scheduler (the Rifter escapes,
nothing paid), a restart in the middle of a rift, an admin's early end, and two servers
apart. Issue 13; legacy-combat §7, B4 (farmed entries, a prize paid twice by a race) and B28
(a cosmetic counter-attack)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from support.worded import refused

from chibot.app import App
from chibot.core.scheduler import Jobs, run_due
from chibot.core.tables import ledger
from chibot.features.combat import errors, rift_rules
from chibot.features.combat.rift import CLOSE_JOB, REASON, Rift, RiftEnded, RiftNone
from chibot.features.combat.store import combat_rift_raiders

G, H = 9_601, 9_602
ADMIN = 7
A, B, C = 61, 62, 63


class Dice:
    """Scripted dice for the rift: each `randint` takes the next value, clamped into its
    range (so 999 is "the most", 0 "the least"); when the script runs out, the least."""

    def __init__(self, *values: int) -> None:
        self.values = list(values)

    def randint(self, a: int, b: int) -> int:
        value = self.values.pop(0) if self.values else a
        return min(max(value, a), b)

    def random(self) -> float:
        return 0.0


def script(app: App, *values: int) -> None:
    app.combat.rifts.rng = Dice(*values)


async def paid(app: App, guild: int = G) -> list[tuple[int, int]]:
    """The rift's ledger rows: (member, amount)."""

    async def tx(scope: Any) -> list[tuple[int, int]]:
        rows = await scope.conn.execute(
            select(ledger.c.user_id, ledger.c.delta)
            .where((ledger.c.guild_id == guild) & (ledger.c.reason == REASON))
            .order_by(ledger.c.user_id)
        )
        return [(int(r.user_id), int(r.delta)) for r in rows]

    return await app.db.read(guild, tx)


async def raiders(app: App, guild: int = G) -> dict[int, Any]:
    async def tx(scope: Any) -> dict[int, Any]:
        rows = await scope.conn.execute(
            select(combat_rift_raiders).where(combat_rift_raiders.c.guild_id == guild)
        )
        return {int(r.user_id): r for r in rows}

    return await app.db.read(guild, tx)


async def counters(app: App, user: int, guild: int = G) -> dict[str, int]:
    names = ["rift_damage", "rifts_defeated", "rift_best_damage", "rifter_defeated"]
    return await app.db.read(guild, lambda s: s.counters.read(user, names))


async def live(app: App, guild: int = G) -> Rift:
    found = await app.combat.rift(guild)
    assert isinstance(found, Rift), found
    return found


async def test_open_join_scaling_and_the_card(app: App) -> None:
    opened = await app.combat.rift_open(G, ADMIN, channel_id=5)
    assert (opened.hp, opened.max_hp, opened.prize, opened.raiders) == (2_500, 2_500, 1_500, 0)
    assert opened.closes_at == app.clock.now() + timedelta(minutes=30)
    with refused(errors.RiftLive, "already open here"):
        await app.combat.rift_open(G, ADMIN)
    for user in (A, B, C):
        joined = await app.combat.rift_join(G, user, f"P{user}")
        assert joined.hp_added == 0 and joined.rift.max_hp == 2_500 and joined.my_hp == 250
    script(app, 200, 20)  # L1 for 200, the Rifter's answer 20
    hit = await app.combat.rift_attack(G, A, "heaven's smite")
    assert (hit.damage, hit.counter, hit.my_hp, hit.rift.hp) == (200, 20, 230, 2_300)
    fourth = await app.combat.rift_join(G, 64, "P64")  # the fourth raider: +500 to both
    assert fourth.hp_added == 500 and (fourth.rift.hp, fourth.rift.max_hp) == (2_800, 3_000)
    assert fourth.rift.prize == 1_800 and fourth.rift.raiders == 4 and fourth.rift.inside == 4
    with refused(errors.AlreadyRaiding, "already in the rift"):
        await app.combat.rift_join(G, A, "PA")
    card = await live(app)
    assert [(r.user_id, r.damage) for r in card.top][:1] == [(A, 200)] and len(card.top) == 4
    with refused(errors.UnknownRiftAttack, "no legendary attack called"):
        await app.combat.rift_attack(G, B, "Emerald Laceration")
    with refused(errors.NotRaiding, "rift join"):
        await app.combat.rift_attack(G, 99, "L1")
    # the other server: nothing there
    assert await app.combat.rift(H) == RiftNone(None, None)
    with refused(errors.NoRift, "event rift"):
        await app.combat.rift_join(H, A, "PA")


async def test_the_scaling_is_what_the_rules_say(app: App) -> None:
    await app.combat.rift_open(G, ADMIN)
    for n in range(1, 32):
        joined = await app.combat.rift_join(G, 1_000 + n, f"P{n}")
        assert joined.rift.max_hp == rift_rules.max_hp(n) == joined.rift.hp, n
        assert joined.rift.prize == rift_rules.prize(rift_rules.max_hp(n))
    assert (await live(app)).max_hp == 15_000


async def test_the_cooldown_and_a_downed_raider(app: App) -> None:
    """B28: the counter-attack is real. A raider waits 15 s between attacks; at 0 HP they are
    down for 60 s (refused with the time left), then back at full HP."""
    await app.combat.rift_open(G, ADMIN)
    await app.combat.rift_join(G, A, "Ann")
    script(app, 100, 200, 100, 999)  # two attacks; the answers 200, then 250
    first = await app.combat.rift_attack(G, A, "L1")
    assert first.my_hp == 50 and first.downed_until is None
    with refused(errors.RiftCooldown, "attack the Rifter again <t:"):
        await app.combat.rift_attack(G, A, "L1")
    app.clock.advance(14)
    with refused(errors.RiftCooldown):
        await app.combat.rift_attack(G, A, "L1")
    app.clock.advance(1)
    second = await app.combat.rift_attack(G, A, "L1")
    assert second.my_hp == 0 and second.downed_until == app.clock.now() + timedelta(seconds=60)
    app.clock.advance(30)
    with refused(errors.RaiderDowned, "back at full HP <t:"):
        await app.combat.rift_attack(G, A, "L1")
    app.clock.advance(30)
    script(app, 100, 20)
    back = await app.combat.rift_attack(G, A, "L1")
    assert back.my_hp == 230 and back.my_attacks == 3 and back.my_damage == 300
    assert (await counters(app, A))["rift_damage"] == 300


async def test_running_forfeits_the_share_and_two_attacks_are_the_minimum(app: App) -> None:
    """C attacks twice and runs (no share, no rejoining); B attacks once (under the minimum);
    A strikes until the Rifter falls: the whole prize is A's, the final blow counting only the
    HP that was left."""
    await app.combat.rift_open(G, ADMIN)
    for user in (A, B, C):
        await app.combat.rift_join(G, user, f"P{user}")
    script(app, 0, 0, 0, 0)
    await app.combat.rift_attack(G, C, "L3")  # 60
    app.clock.advance(15)
    await app.combat.rift_attack(G, C, "L3")  # 60
    ran = await app.combat.rift_run(G, C)
    assert ran.damage == 120 and ran.rift.inside == 2
    with refused(errors.RanFromRift, "can't join it again"):
        await app.combat.rift_join(G, C, "PC")
    with refused(errors.RanFromRift):
        await app.combat.rift_attack(G, C, "L3")
    script(app, 999, 0)
    await app.combat.rift_attack(G, B, "L3")  # 300
    for _ in range(6):  # A: 6 × 300
        script(app, 999, 0)
        hit = await app.combat.rift_attack(G, A, "L3")
        assert hit.settled is None
        app.clock.advance(15)
    script(app, 999)
    kill = await app.combat.rift_attack(G, A, "L3")
    assert kill.damage == 280 and kill.counter == 0 and kill.rift.hp == 0  # 2,500 − 2,220
    assert kill.rift.status == "defeated" and kill.settled is not None
    assert [(p.user_id, p.amount) for p in kill.settled.payouts] == [(A, 1_500)]
    assert kill.settled.unpaid == 1 and kill.settled.killer == f"P{A}"
    assert await paid(app) == [(A, 1_500)]
    rows = await raiders(app)
    assert (rows[A].damage, rows[A].paid, rows[B].paid, rows[C].paid) == (2_080, 1_500, 0, 0)
    assert await counters(app, A) == {
        "rift_damage": 2_080, "rifts_defeated": 1, "rift_best_damage": 2_080, "rifter_defeated": 1,
    }  # fmt: skip
    assert (await counters(app, B))["rifts_defeated"] == 0
    unlocked = await app.db.read(G, lambda s: app.progress.unlocked(s, A))
    assert "rift_survivor" in unlocked
    assert any(getattr(n.notice, "id", None) == "rift_survivor" for n in kill.unlocked)
    app.clock.advance(15)
    with refused(errors.NoRift):  # the rift is over: nothing more changes
        await app.combat.rift_attack(G, B, "L3")
    assert await paid(app) == [(A, 1_500)]


@pytest.mark.parametrize("raiders_count", [50])
async def test_fifty_members_attack_at_once_and_the_prize_is_paid_exactly_once(
    app: App, raiders_count: int
) -> None:
    """B4: 50 members join at once (the Rifter grows to its cap exactly), then attack at once,
    round after round, until it falls: the kill settles in its own transaction, the payouts
    are exactly the split of the contributors' damage and add up to the prize; the attacks
    racing it are told the rift is over and change nothing."""
    await app.combat.rift_open(G, ADMIN)
    users = [2_000 + i for i in range(raiders_count)]
    await asyncio.gather(*(app.combat.rift_join(G, u, f"P{u}") for u in users))
    card = await live(app)
    assert (card.raiders, card.max_hp, card.hp, card.prize) == (50, 15_000, 15_000, 9_000)
    refusals: dict[str, int] = {}
    kills = []
    for _ in range(40):
        results = await asyncio.gather(
            *(app.combat.rift_attack(G, u) for u in users), return_exceptions=True
        )
        for r in results:
            if isinstance(r, errors.UserError):
                refusals[type(r).__name__] = refusals.get(type(r).__name__, 0) + 1
            elif isinstance(r, BaseException):
                raise r
            elif r.settled is not None:
                kills.append(r)
        if not isinstance(await app.combat.rift(G), Rift):
            break
        app.clock.advance(15)
    assert len(kills) == 1, "the Rifter falls once"
    assert set(refusals) <= {"RaiderDowned", "RiftOver", "NoRift"}, refusals
    settled = kills[0].settled
    assert settled is not None and settled.prize == 9_000
    rows = await raiders(app)
    assert sum(int(r.damage) for r in rows.values()) == 15_000  # no overkill is counted
    contributors = {u: int(r.damage) for u, r in rows.items() if int(r.attacks) >= 2}
    expected = rift_rules.split_prize(9_000, contributors)
    assert {p.user_id: p.amount for p in settled.payouts} == expected
    assert sum(expected.values()) == 9_000
    ledger_rows = await paid(app)
    assert sum(d for _, d in ledger_rows) == 9_000
    assert sorted(ledger_rows) == sorted((u, a) for u, a in expected.items() if a > 0)
    assert {u: int(r.paid) for u, r in rows.items()} == {u: expected.get(u, 0) for u in users}
    # the three who dealt the most find a Rift Shard each, once
    top = rift_rules.shard_winners(contributors)
    shards = {
        u: await app.db.read(G, lambda s, u=u: s.inventory.qty(u, "rift_shard")) for u in users
    }
    assert {u for u, q in shards.items() if q} == set(top) and sum(shards.values()) == 3
    assert {p.user_id for p in settled.payouts if p.shard} == set(top)
    # after the kill: nothing changes
    app.clock.advance(15)
    late = await asyncio.gather(
        *(app.combat.rift_attack(G, u) for u in users[:10]), return_exceptions=True
    )
    assert all(isinstance(r, errors.NoRift) for r in late)
    assert await paid(app) == ledger_rows and await raiders(app) == rows
    status = await app.combat.rift(G)
    assert isinstance(status, RiftNone) and status.last is not None
    assert status.last.status == "defeated"
    assert await app.db.read(G, lambda s: s.get(Jobs).pending()) == []  # the close job went


async def test_the_rifter_escapes_at_the_end_of_its_time(app: App) -> None:
    opened = await app.combat.rift_open(G, ADMIN, channel_id=5)
    await app.combat.attach_rift(G, (await live(app)).id, 5, 6)
    await app.combat.rift_join(G, A, "Ann")
    await app.combat.rift_join(G, B, "Bob")
    script(app)  # the least of every roll
    for _ in range(2):
        await app.combat.rift_attack(G, A, "L1")
        await app.combat.rift_attack(G, B, "L1")
        app.clock.advance(15)
    app.clock.advance(timedelta(minutes=30).total_seconds())
    with refused(errors.RiftClosing, "time is up"):
        await app.combat.rift_attack(G, A, "L1")
    app.outbox.clear()
    assert await run_due(app.db, app) == 1
    [ended] = app.outbox
    assert isinstance(ended, RiftEnded) and ended.status == "escaped"
    assert (ended.channel_id, ended.message_id) == (5, 6)
    assert await paid(app) == []
    assert all(r.paid is None for r in (await raiders(app)).values())
    status = await app.combat.rift(G)
    assert isinstance(status, RiftNone) and status.last is not None
    rest_ends = opened.closes_at + timedelta(hours=4)  # it escaped when its time was up
    assert status.last.status == "escaped" and status.ready_at == rest_ends
    with refused(errors.NoRift):
        await app.combat.rift_attack(G, A, "L1")
    with refused(errors.RiftResting, "the next may open <t:"):
        await app.combat.rift_open(G, ADMIN)
    app.clock.set(rest_ends - timedelta(seconds=1))
    with refused(errors.RiftResting):
        await app.combat.rift_open(G, ADMIN)
    app.clock.set(rest_ends)
    assert (await app.combat.rift_open(G, ADMIN)).status == "open"
    assert await run_due(app.db, app) == 0


async def test_a_restart_in_the_middle_of_a_rift_loses_nothing(app: App) -> None:
    """A new app on the same database (a restarted bot) continues the rift: its raiders, their
    damage and cooldowns, and it settles it; the old app's close job then finds nothing."""
    await app.combat.rift_open(G, ADMIN)
    for user in (A, B):
        await app.combat.rift_join(G, user, f"P{user}")
    script(app, 999, 0, 999, 0)
    await app.combat.rift_attack(G, A, "L3")
    await app.combat.rift_attack(G, B, "L3")
    fresh = App(app.settings, app.db, app.catalog, app.clock, app.rng)
    with refused(errors.RiftCooldown):
        await fresh.combat.rift_attack(G, A, "L3")
    card = await fresh.combat.rift(G)
    assert isinstance(card, Rift) and card.hp == 1_900 and card.inside == 2
    for _ in range(3):  # 1,900 − 3 × 600
        app.clock.advance(15)
        script(fresh, 999, 0, 999, 0)
        await fresh.combat.rift_attack(G, A, "L3")
        await fresh.combat.rift_attack(G, B, "L3")
    app.clock.advance(15)
    script(fresh, 999)
    hit = await fresh.combat.rift_attack(G, A, "L3")  # the last 100
    assert hit.settled is not None and hit.rift.status == "defeated" and hit.damage == 100
    assert dict(await paid(fresh)) == {A: 780, B: 720}  # 1,300 and 1,200 of 2,500
    app.clock.advance(timedelta(minutes=30).total_seconds())
    assert await run_due(app.db, fresh) == 0  # the close job was cancelled by the kill


async def test_a_restart_then_the_scheduler_ends_the_rift(app: App) -> None:
    await app.combat.rift_open(G, ADMIN)
    await app.combat.rift_join(G, A, "Ann")
    fresh = App(app.settings, app.db, app.catalog, app.clock, app.rng)
    app.clock.advance(timedelta(minutes=30).total_seconds())
    assert await run_due(fresh.db, fresh) == 1
    assert [type(n) for n in fresh.outbox] == [RiftEnded]
    status = await fresh.combat.rift(G)
    assert isinstance(status, RiftNone) and status.last is not None
    assert status.last.status == "escaped"


async def test_an_admin_ends_the_rift_early_with_no_prize_audited(app: App) -> None:
    opened = await app.combat.rift_open(G, ADMIN)
    await app.combat.rift_join(G, A, "Ann")
    await app.combat.rift_attack(G, A, "L1")
    ended = await app.combat.rift_end(G, ADMIN)
    assert ended.status == "ended" and ended.rift_id == opened.id
    assert await paid(app) == []
    entries = await app.db.read(G, lambda s: s.audit.recent())
    assert [(e.actor_id, e.action, e.note) for e in entries][:2] == [
        (ADMIN, "combat.rift_end", str(opened.id)),
        (ADMIN, "combat.rift_open", str(opened.id)),
    ]
    assert await app.db.read(G, lambda s: s.get(Jobs).pending()) == []
    with refused(errors.NoRift):
        await app.combat.rift_end(G, ADMIN)
    with refused(errors.NoRift):
        await app.combat.rift_run(G, A)
    with refused(errors.RiftResting):  # any end starts the rest
        await app.combat.rift_open(G, ADMIN)


async def test_two_servers_are_apart(app: App) -> None:
    await app.combat.rift_open(G, ADMIN)
    await app.combat.rift_join(G, A, "Ann")
    await app.combat.rift_open(H, ADMIN)
    for user in (A, B, C, 64):
        await app.combat.rift_join(H, user, f"P{user}")
    script(app, 999, 0)
    await app.combat.rift_attack(G, A, "L3")
    g, h = await live(app, G), await live(app, H)
    assert (g.hp, g.max_hp, g.raiders) == (2_200, 2_500, 1)
    assert (h.hp, h.max_hp, h.raiders) == (3_000, 3_000, 4)
    await app.combat.rift_end(G, ADMIN)
    assert (await live(app, H)).status == "open"
    assert (await counters(app, A, H))["rift_damage"] == 0
    assert isinstance(await app.combat.rift(G), RiftNone)


async def test_a_raider_may_fight_a_duel_meanwhile_and_the_setting_stops_new_rifts(
    app: App,
) -> None:
    """A rift takes no one-fight lock: a member sparring attacks the rift too. Fights turned
    off in a server: no new rift there (a live one goes on)."""
    for user in (A, B):
        await app.db.scoped(
            G, lambda s, u=user: s.inventory.add(u, "verdant_windblade", 1, unique=True)
        )
    await app.combat.rift_open(G, ADMIN)
    await app.combat.spar(G, A, "Ann", B, "Bob")
    await app.combat.rift_join(G, A, "Ann")
    script(app)
    assert (await app.combat.rift_attack(G, A, "L2")).damage == 100
    await app.guild_settings.set(G, "combat_enabled", False, by=ADMIN)
    await app.guild_settings.set(H, "combat_enabled", False, by=ADMIN)
    app.clock.advance(15)
    assert (await app.combat.rift_attack(G, A, "L2")).my_attacks == 2
    with refused(errors.CombatOff):
        await app.combat.rift_open(H, ADMIN)


async def test_a_rift_whose_close_job_never_ran_escapes_when_the_next_is_opened(app: App) -> None:
    """Every live thing ends: a rift past its time whose job is gone (a server imported under
    another id carries no jobs) is closed as escaped at its time by the next `event rift`."""
    opened = await app.combat.rift_open(G, ADMIN)
    await app.db.scoped(G, lambda s: s.get(Jobs).cancel(CLOSE_JOB, str(opened.id)))
    app.clock.advance(timedelta(minutes=31).total_seconds())
    with refused(errors.RiftClosing):
        await app.combat.rift_join(G, A, "Ann")
    with refused(errors.RiftResting):
        await app.combat.rift_open(G, ADMIN)
    status = await app.combat.rift(G)
    assert isinstance(status, RiftNone) and status.last is not None
    assert status.last.status == "escaped" and status.last.ended_at == opened.closes_at
    app.clock.set(opened.closes_at + timedelta(hours=4))
    assert (await app.combat.rift_open(G, ADMIN)).status == "open"
