"""A server is a tenant: nothing done in one server changes anything in another.

Proven here (SQLite and PostgreSQL):
- the same user in two servers has independent balances, daily cooldowns, chat cooldowns,
  leaderboards, settings and blacklists (only the bot-wide list, guild 0, spans servers);
- property (hypothesis): a random interleaving of actions (chat of each kind, daily, give,
  admin grants, server blacklisting, settings changes, clock moves, founding, joining,
  donating to and leaving teams, founding gardens, buying seeds, planting, harvesting,
  crafting and collecting, duels with stakes, bets, defending and forfeiting, adopting and
  feeding pets, the rift: opening, joining, attacking, running, ending; team duels, raids and
  solo boss fights: starting, acting, forfeiting) over 3 servers and
  4 users,
  run on ONE database, leaves every server exactly as the same server's actions run alone on
  a fresh server id: same outcomes, balances, counters, ledger, cooldowns, settings and audit.
  Each server rolls its own seeded dice, so the two runs see the same dice per server.
"""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from chibot.app import App
from chibot.core.errors import OnCooldown, UserError
from chibot.core.tables import (
    audit,
    cooldowns,
    counters,
    guild_settings,
    inventory,
    ledger,
    members,
)
from chibot.features.admin.service import AdminService
from chibot.features.combat import engine
from chibot.features.combat.store import (
    combat_bets,
    combat_pools,
    combat_rift_raiders,
    combat_rifts,
)
from chibot.features.crafting.store import crafts
from chibot.features.gardens.store import garden_plants, gardens
from chibot.features.pets.store import pets
from chibot.features.teams.store import team_ledger, team_members, teams

G1, G2 = 901, 902
U = 42
ADMIN = 99


async def chi(app: App, guild: int, user: int = U) -> int:
    return (await app.db.scoped(guild, lambda s: s.wallet.get(user))).chi


async def test_balances_are_per_server(app: App) -> None:
    await app.economy.admin_adjust(G1, ADMIN, U, 500)
    await app.economy.admin_adjust(G2, ADMIN, U, 7)
    await app.economy.give(G1, U, 5, 100)
    assert (await chi(app, G1), await chi(app, G2)) == (400, 7)
    assert await chi(app, G2, 5) == 0


async def test_daily_is_per_server(app: App) -> None:
    await app.economy.daily(G1, U)
    with pytest.raises(OnCooldown):
        await app.economy.daily(G1, U)
    second = await app.economy.daily(G2, U)  # not blocked by the first server's cooldown
    assert second.amount == 250
    assert (await app.economy.profile(G2, U)).chi == (
        await app.economy.profile(G1, U)
    ).chi  # same story in each


async def test_chat_cooldown_is_per_server(app: App) -> None:
    assert await app.economy.chat(G1, U, "that was magnificent") is not None
    assert await app.economy.chat(G1, U, "that was magnificent") is None
    assert await app.economy.chat(G2, U, "that was magnificent") is not None


async def test_leaderboards_are_per_server(app: App) -> None:
    await app.economy.admin_adjust(G1, ADMIN, U, 10)
    await app.economy.admin_adjust(G1, ADMIN, 5, 20)
    await app.economy.admin_adjust(G2, ADMIN, 6, 1)
    one = await app.economy.leaderboard(G1, "chi", 1, U)
    two = await app.economy.leaderboard(G2, "chi", 1, U)
    assert [r.user_id for r in one.rows] == [5, U] and one.viewer.rank == 2
    assert [r.user_id for r in two.rows] == [6] and two.viewer is None
    assert (await app.economy.profile(G2, 6)).members == 1


async def test_settings_are_per_server(app: App) -> None:
    await app.guild_settings.set(G1, "daily_reward", 10, by=ADMIN)
    await app.guild_settings.set(G1, "chat_enabled", False, by=ADMIN)
    assert (await app.economy.daily(G1, U)).amount == 10
    assert (await app.economy.daily(G2, U)).amount == 250
    assert await app.economy.chat(G1, U, "cake") is None
    assert await app.economy.chat(G2, U, "cake") is not None
    assert await app.db.scoped(G2, lambda s: s.audit.recent()) == []


async def test_blacklists_are_per_server_except_the_global_one(app: App) -> None:
    admin = AdminService(app.db, app.guild_settings)
    await admin.blacklist(G1, U, add=True, by=ADMIN)
    assert await app.economy.chat(G1, U, "cake") is None
    assert await app.economy.chat(G2, U, "cake") is not None
    assert await admin.blacklisted(G2) == []

    await app.db.scoped(0, lambda s: s.blacklist.add(7, ADMIN))
    assert await app.economy.chat(G2, 7, "cake") is None


# --- property: interleaved servers == servers alone -----------------------------------------

SERVERS = range(3)
USERS = (1, 2, 3, 4)
TEXTS = {
    "positive": "that was magnificent",
    "negative": "you are stupid",
    "secret": "cake",
    "plain": "hello there",
}
server = st.sampled_from(SERVERS)
user = st.sampled_from(USERS)
action = st.one_of(
    st.tuples(st.just("chat"), server, user, st.sampled_from(sorted(TEXTS))),
    st.tuples(st.just("daily"), server, user),
    st.tuples(st.just("give"), server, user, user, st.integers(1, 60)),
    st.tuples(st.just("admin"), server, user, st.integers(1, 100)),
    st.tuples(st.just("ban"), server, user),
    st.tuples(
        st.just("config"),
        server,
        st.sampled_from(["daily_reward", "chat_hourly_cap"]),
        st.integers(0, 40),
    ),
    st.tuples(st.just("advance"), st.sampled_from([10, 31, 3600, 86400])),
    st.tuples(st.just("team_create"), server, user, st.sampled_from(["Dragons", "Wolves"])),
    st.tuples(st.just("team_join"), server, user, user),
    st.tuples(st.just("team_donate"), server, user, st.integers(1, 80)),
    st.tuples(st.just("team_leave"), server, user),
    st.tuples(st.just("garden_create"), server, user),
    st.tuples(
        st.just("garden_buy"), server, user, st.sampled_from(["G7", "G12"]), st.integers(1, 5)
    ),
    st.tuples(st.just("garden_plant"), server, user, st.sampled_from(["peace lily", "silverdew"])),
    st.tuples(st.just("garden_harvest"), server, user),
    st.tuples(st.just("drops"), server, user),
    st.tuples(st.just("craft"), server, user),
    st.tuples(st.just("craft_collect"), server, user),
    st.tuples(st.just("duel"), server, user, user, st.sampled_from([0, 20, 500])),
    st.tuples(st.just("duel_bet"), server, user, user, st.integers(1, 50)),
    st.tuples(st.just("duel_defend"), server, user),
    st.tuples(st.just("duel_run"), server, user),
    st.tuples(st.just("pet_adopt"), server, user),
    st.tuples(st.just("pet_feed"), server, user),
    st.tuples(st.just("rift_open"), server),
    st.tuples(st.just("rift_join"), server, user),
    st.tuples(st.just("rift_attack"), server, user, st.sampled_from(["L1", "L3", ""])),
    st.tuples(st.just("rift_run"), server, user),
    st.tuples(st.just("rift_end"), server),
    st.tuples(st.just("arm"), server, user),
    st.tuples(st.just("team_duel"), server, user, user),
    st.tuples(st.just("team_raid"), server, user, user),
    st.tuples(st.just("boss"), server, user),
)
_ids = itertools.count(10_000, 10)


async def perform(app: App, guild: int, act: tuple) -> object:
    kind, *args = act
    admin = AdminService(app.db, app.guild_settings)
    if kind == "chat":
        result = await app.economy.chat(guild, args[1], TEXTS[args[2]])
        return result and (result.kind, result.delta, result.balance)
    if kind == "daily":
        return await app.economy.daily(guild, args[1])
    if kind == "give":
        return await app.economy.give(guild, args[1], args[2], args[3])
    if kind == "admin":
        return await app.economy.admin_adjust(guild, ADMIN, args[1], args[2])
    if kind == "ban":
        return await admin.blacklist(guild, args[1], add=True, by=ADMIN)
    if kind == "team_create":
        return (await app.teams.create(guild, args[1], args[2])).card.team.name
    if kind == "team_join":  # args[1] invites args[2], who accepts
        await app.teams.invite(guild, args[1], args[2])
        joined = await app.teams.answer_invite(guild, args[2], None, accept=True)
        return (joined.team.name, joined.team.members)
    if kind == "team_donate":
        move = await app.teams.donate(guild, args[1], args[2])
        return (move.team.name, move.bank, move.balance)
    if kind == "team_leave":
        left = await app.teams.leave(guild, args[1])
        return (left.team.name, left.disbanded, sorted(left.refunds.items()))
    if kind == "garden_create":
        founded = await app.gardens.create(guild, args[1])
        return (founded.cost, founded.balance)
    if kind == "garden_buy":
        bought = await app.gardens.buy(guild, args[1], args[2], args[3])
        return (bought.item.id, bought.qty, bought.total, bought.balance, bought.held)
    if kind == "garden_plant":
        planted = await app.gardens.plant(guild, args[1], args[2], 2)
        return (planted.item.id, planted.qty, planted.ready_at, planted.chi_each, planted.free)
    if kind == "garden_harvest":
        harvest = await app.gardens.harvest(guild, args[1])
        return (sorted(harvest.plants.items()), harvest.chi, sorted(harvest.drops.items()))
    if kind == "drops":  # what harvests find, granted (the ingredients of a Steel Rake)
        for item in ("moonpetal", "winterleaf"):
            await app.db.scoped(guild, lambda s, item=item: s.inventory.add(args[1], item, 8))
        return "drops"
    if kind == "craft":
        started = await app.crafting.start(guild, args[1], "steel rake")
        return (started.recipe.id, started.fee, started.balance, started.ready_at)
    if kind == "craft_collect":
        collected = await app.crafting.collect(guild, args[1])
        return (len(collected.delivered), collected.still, collected.next_at)
    if kind == "duel":  # args[1] challenges args[2], who accepts
        await app.combat.duel(guild, args[1], "A", args[2], "B", args[3])
        step = await app.combat.answer_duel(guild, args[2], "B", args[1], accept=True)
        return (step.fight.whose_turn, [f.hp for f in step.fight.fighters])
    if kind == "duel_bet":
        placed = await app.combat.bet(guild, args[1], args[3], args[2], "x")
        return (placed.amount, placed.balance, placed.pool, placed.bettors)
    if kind == "pet_adopt":  # granted the price, buys the adoption food, adopts an Ox
        await app.economy.admin_adjust(guild, ADMIN, args[1], 44_000)
        await app.pets.buy_food(guild, args[1], "grass", 10)
        adopted = await app.pets.adopt(guild, args[1], "Ox")
        return (adopted.pet.species.key, adopted.active, adopted.balance)
    if kind == "pet_feed":
        await app.pets.buy_food(guild, args[1], "hay", 1)
        fed = await app.pets.feed(guild, args[1], "hay")
        return (fed.pet.condition.hunger, fed.pet.condition.hp, fed.left)
    if kind == "rift_open":
        opened = await app.combat.rift_open(guild, ADMIN)
        return (opened.hp, opened.prize, opened.closes_at)
    if kind == "rift_join":
        joined = await app.combat.rift_join(guild, args[1], f"P{args[1]}")
        return (joined.hp_added, joined.rift.hp, joined.rift.max_hp, joined.my_hp)
    if kind == "rift_attack":
        hit = await app.combat.rift_attack(guild, args[1], args[2])
        payouts = hit.settled.payouts if hit.settled is not None else ()
        return (hit.attack.code, hit.damage, hit.counter, hit.rift.hp,
                [(p.user_id, p.amount) for p in payouts])  # fmt: skip
    if kind == "rift_run":
        return (await app.combat.rift_run(guild, args[1])).damage
    if kind == "rift_end":
        return (await app.combat.rift_end(guild, ADMIN)).hp
    if kind == "arm":  # a weapon for the fights below (a second one is refused)
        await app.db.scoped(
            guild, lambda sc: sc.inventory.add(args[1], "verdant_windblade", 1, unique=True)
        )
        return "armed"
    if kind == "team_duel":  # args[1]'s team challenges args[2]'s, who accepts
        await app.combat.team_duel(guild, args[1], "A", args[2], "B")
        step = await app.combat.team_start(guild, args[2], "duel")
        return (step.fight.order, [f.hp for f in step.fight.fighters])
    if kind == "team_raid":  # args[1] opens a raid, args[2] joins, args[1] starts it
        await app.combat.team_raid(guild, args[1], "A", "guardian")
        await app.combat.team_join(guild, args[2], "B", "raid")
        step = await app.combat.team_start(guild, args[1], "raid")
        return (step.fight.order, [f.hp for f in step.fight.fighters])
    if kind == "boss":  # granted Fang's entry, enters
        await app.economy.admin_adjust(guild, ADMIN, args[1], 500)
        step = await app.combat.fight_boss(guild, args[1], "A", "fang")
        return [f.hp for f in step.fight.fighters]
    if kind in ("duel_defend", "duel_run"):
        command = engine.Defend if kind == "duel_defend" else engine.Forfeit
        step = await app.combat.act(guild, args[1], command(str(args[1])))
        return (step.ended, step.fight.winner, [f.hp for f in step.fight.fighters])
    return await admin.set(guild, args[1], str(args[2]), by=ADMIN)


async def run(app: App, actions: list, guilds: dict[int, int], start, seed: int) -> dict[int, list]:
    """Run the actions of the servers mapped in `guilds` (index -> guild id) in order, each
    server with its own dice; returns each server's outcomes."""
    app.clock.set(start)
    dice = {i: random.Random(seed * 10 + i) for i in guilds}
    seen: dict[int, list] = {i: [] for i in guilds}
    for act in actions:
        if act[0] == "advance":
            app.clock.advance(act[1])
            continue
        index = act[1]
        if index not in guilds:
            continue
        app.economy.rng = app.gardens.rng = app.crafting.rng = dice[index]
        app.combat.live.rng = dice[index]
        try:
            seen[index].append(await perform(app, guilds[index], act))
        except UserError as error:
            seen[index].append(type(error).__name__)
    return seen


async def snapshot(app: App, guild: int) -> dict:
    """Everything a server owns, without its id (ledger/audit in order, without their ids)."""
    async with app.db.engine.connect() as conn:

        async def rows(table, order, *skip):
            result = await conn.execute(
                select(table).where(table.c.guild_id == guild).order_by(*order)
            )
            return [
                {k: v for k, v in row._mapping.items() if k not in ("guild_id", "id", *skip)}
                for row in result
            ]

        return {
            "members": await rows(members, [members.c.user_id]),
            "ledger": [  # a team move's ref is the team's id, a duel's its fight's: fresh
                {**r, "ref": None} if r["reason"].startswith(("team.", "combat.")) else r
                for r in await rows(ledger, [ledger.c.id])
            ],
            "cooldowns": await rows(cooldowns, [cooldowns.c.user_id, cooldowns.c.action]),
            "settings": await rows(guild_settings, [guild_settings.c.key]),
            "audit": await rows(audit, [audit.c.id], "note"),  # notes name team ids
            # teams, without their ids (made fresh in each run): by name, with their numbers
            "teams": await rows(teams, [teams.c.name_key], "team_id"),
            "team_members": await rows(team_members, [team_members.c.user_id], "team_id"),
            "team_ledger": await rows(team_ledger, [team_ledger.c.id], "team_id"),
            "inventory": await rows(inventory, [inventory.c.user_id, inventory.c.item_id]),
            "gardens": await rows(gardens, [gardens.c.user_id]),
            "garden_plants": await rows(  # plant ids are made fresh in each run
                garden_plants,
                [garden_plants.c.user_id, garden_plants.c.planted_at, garden_plants.c.seed],
                "plant_id",
            ),
            "crafts": await rows(crafts, [crafts.c.user_id, crafts.c.started_at], "craft_id"),
            "counters": await rows(counters, [counters.c.user_id, counters.c.name]),
            "pets": await rows(pets, [pets.c.user_id, pets.c.species], "pet_id"),
            "duel_pools": await rows(combat_pools, [combat_pools.c.created_at], "fight_id"),
            "duel_bets": await rows(
                combat_bets, [combat_bets.c.placed_at, combat_bets.c.user_id], "fight_id"
            ),
            "rifts": await rows(combat_rifts, [combat_rifts.c.opened_at]),
            "rift_raiders": await rows(
                combat_rift_raiders,
                [combat_rift_raiders.c.joined_at, combat_rift_raiders.c.user_id],
                "rift_id",
            ),
        }


# A hand-made run that touches every kind of action with the same user in several servers,
# always checked on top of the random ones.
BUSY = [
    ("admin", 0, 1, 100),
    ("admin", 1, 1, 100),
    ("admin", 2, 2, 50),
    ("ban", 0, 2),
    ("config", 0, "daily_reward", 7),
    ("config", 1, "chat_hourly_cap", 10),
    ("give", 1, 1, 2, 30),
    ("give", 0, 1, 2, 30),
    ("give", 2, 2, 1, 20),
    ("chat", 0, 2, "secret"),
    ("chat", 1, 2, "secret"),
    ("chat", 2, 1, "positive"),
    ("daily", 0, 3),
    ("daily", 1, 3),
    ("daily", 2, 3),
    ("chat", 1, 3, "negative"),
    ("advance", 31),
    ("chat", 1, 2, "positive"),
    ("chat", 0, 1, "positive"),
    ("daily", 1, 3),
    ("advance", 86400),
    ("daily", 0, 3),
    ("daily", 1, 3),
    ("give", 1, 3, 4, 500),
    ("chat", 1, 2, "secret"),
    ("chat", 2, 2, "plain"),
    ("admin", 0, 3, 5_000),
    ("admin", 1, 3, 5_000),
    ("team_create", 0, 3, "Dragons"),
    ("team_create", 1, 3, "Dragons"),
    ("team_join", 0, 3, 1),
    ("team_donate", 0, 1, 40),
    ("team_donate", 1, 3, 70),
    ("team_leave", 0, 3),
    ("team_leave", 0, 1),
    ("admin", 0, 1, 1_000),
    ("admin", 1, 1, 1_000),
    ("garden_create", 0, 1),
    ("garden_create", 1, 1),
    ("garden_buy", 0, 1, "G7", 4),
    ("garden_buy", 1, 1, "G12", 2),
    ("garden_plant", 0, 1, "peace lily"),
    ("garden_plant", 1, 1, "silverdew"),
    ("advance", 86400),
    ("garden_harvest", 0, 1),
    ("garden_harvest", 1, 1),
    ("garden_harvest", 2, 1),
    ("drops", 0, 1),
    ("drops", 1, 2),
    ("craft", 0, 1),
    ("craft", 1, 1),
    ("advance", 3600),
    ("craft_collect", 0, 1),
    ("craft_collect", 1, 1),
    ("duel", 0, 1, 2, 20),
    ("duel", 1, 1, 2, 20),
    ("duel_bet", 0, 3, 1, 10),
    ("duel_bet", 1, 3, 2, 10),
    ("duel_defend", 0, 1),
    ("duel_run", 0, 2),
    ("duel_run", 1, 1),
    ("pet_adopt", 0, 4),
    ("pet_adopt", 1, 4),
    ("advance", 3600),
    ("pet_feed", 0, 4),
    ("pet_feed", 2, 4),
    ("rift_open", 0),
    ("rift_open", 1),
    ("rift_join", 0, 1),
    ("rift_join", 1, 1),
    ("rift_join", 0, 2),
    ("rift_attack", 0, 1, "L3"),
    ("rift_attack", 1, 1, ""),
    ("rift_attack", 0, 2, "L1"),
    ("advance", 31),
    ("rift_attack", 0, 1, "L1"),
    ("rift_run", 0, 2),
    ("rift_attack", 2, 1, "L1"),
    ("rift_end", 1),
    ("arm", 0, 3),
    ("arm", 0, 4),
    ("arm", 1, 3),
    ("arm", 1, 1),
    ("admin", 0, 4, 5_000),
    ("team_create", 0, 3, "Wolves"),
    ("team_create", 0, 4, "Dragons"),
    ("team_join", 1, 3, 1),
    ("team_duel", 0, 3, 4),
    ("duel_defend", 0, 3),
    ("duel_run", 0, 4),
    ("team_raid", 1, 3, 1),
    ("duel_defend", 1, 3),
    ("duel_run", 1, 3),
    ("boss", 2, 1),
    ("arm", 2, 1),
    ("boss", 2, 1),
    ("duel_run", 2, 1),
]


@example(actions=BUSY, seed=1)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=st.lists(action, min_size=5, max_size=30), seed=st.integers(0, 1000))
async def test_interleaved_servers_equal_servers_alone(app: App, actions: list, seed: int) -> None:
    base = next(_ids)
    start = app.clock.now()
    together = await run(app, actions, {i: base + i for i in SERVERS}, start, seed)
    for i in SERVERS:
        alone_guild = base + 5 + i
        alone = await run(app, actions, {i: alone_guild}, start, seed)
        assert alone[i] == together[i]
        assert await snapshot(app, alone_guild) == await snapshot(app, base + i)
