"""A generator of old-format data sets, for measuring `chibot import-legacy` at scale.

    python -m chibot.legacy.fixtures OUTDIR --members 100000 [--seed 1] [--guild ID]

writes every file of the old bot (reference Part 1) for that many member records, with every
anomaly the reference lists, in realistic proportions:

- ids as strings (dict keys, `leader`, `members`, invites, shop owners) and as ints (values),
  some `user_id` values as strings, one key with a leading zero (a duplicate id);
- the six timestamp shapes: epoch floats with microseconds (plants), epoch ints meaning an
  expiry (`mining_cooldown`), naive ISO (teams, artifacts, error logs), `str()` of an aware
  datetime (pets, player shops), `str()` of a naive local datetime (listings), ISO with `Z`
  (artifacts), plus PostgreSQL `timestamptz` text (artifact state);
- negative chi (about one in eight), chi above 2^31, records missing fields (the record made
  after the last DB load, records without chi or rebirths), the test record 1234567, a record
  whose key differs from its `user_id`, a record that is not an object, a key that is not an id,
  an unreadable chi;
- `garden_inventory` as JSON text (and as broken text), `"owned"` values, `active_pet` without
  pets, the bot account in `user_teams`, duplicates in chest arrays, unknown item names, levels
  above the maximum or for items not held, permanent HP above the cap, unknown achievement ids,
  pre-merge rebirth counters, potions and ingredients of the old alchemy.

The output is deterministic for a seed. `generate()` is the API; the tests call it at a small
size. Records are written one at a time, so the generator itself needs little memory.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

DEFAULT_GUILD = 1405243158958309417
TEST_RECORD = 1234567
BOT_ACCOUNT = 1426070822682103859
PSY = 1382187068373074001
_START = datetime(2025, 8, 1, tzinfo=UTC)

WEAPONS = [
    "Verdant Windblade",
    "Crimson Fang Dagger",
    "Stormcaller's Pike",
    "Obsidian Reaver",
    "Celestial Warhammer",
]
STACKING = [
    "Minor Healing Salve",
    "Basic Health Elixir",
    "Greater Healing Orb",
    "Mystery Box",
    "Pirate Hat",
    "Treadmill",
]
UNKNOWN_ITEMS = ["Old Boot", "Dragon Scale", "Rusty Key", "Golden Acorn"]
POTIONS = ["Fire Potion", "Healing Draught", "Berserker Brew"]
INGREDIENTS = [f"I{n}" for n in range(1, 9)]
ACHIEVEMENTS = [
    "first_duel_win",
    "duel_champion",
    "first_rebirth",
    "millionaire",
    "team_founder",
    "boss_slayer",
    "quest_master",
    "legendary_weapon",
    "secret_explorer",
    "early_bird",
    "daily_devotee",
    "hp_maxed",
]
REBIRTH_SHOP = [
    "+100 Permanent HP",
    "+250 Permanent HP",
    "Custom Role",
    "Level Boost",
    "Decoration Pack",
]
PLANTS = ["Moonshade", "Silverdew", "Heartvine", "Peace Lily"]
ZERO_BONUS = {"melee_strength": 0.0, "speed": 0.0, "range_strength": 0.0, "bonus_hp": 0}


def _snowflake(rng: random.Random, used: set[int]) -> int:
    while True:
        value = rng.randrange(1_000_000_000_000_000_000, 1_440_000_000_000_000_000)
        if value not in used and value != BOT_ACCOUNT:
            used.add(value)
            return value


def _when(rng: random.Random) -> datetime:
    return _START + timedelta(seconds=rng.uniform(0, 120 * 86400))


def _chi(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.12:
        return -rng.randint(5, 21) if rng.random() < 0.95 else -rng.randint(21, 600_000)
    if roll < 0.17:
        return 0
    if roll < 0.175:
        return rng.randint(2**31, 2**33)  # above a 32-bit column
    return int(rng.lognormvariate(7, 2.5)) % 200_000_000


def _member(rng: random.Random, user_id: int, guild_id: int, i: int) -> dict[str, Any]:
    """One record in the shape of the dump (16 keys) plus the optional fields some have."""
    record: dict[str, Any] = {
        "user_id": user_id if rng.random() > 0.01 else str(user_id),
        "chi": _chi(rng),
        "rebirths": rng.randint(1, 4) if rng.random() < 0.05 else 0,
        "milestones_claimed": [],
        "mini_quests": [],
        "active_pet": None,
        "mining_cooldown": 0 if rng.random() > 0.05 else int(_when(rng).timestamp()),
        "garden_inventory": {},
        "fertilizer_uses": 0,
        "guild_id": guild_id,
        "artifacts": [],
        "pets": [],
        "trade_requests": [],
        "training_bonuses": dict(ZERO_BONUS),
        "pet_food": {},
        "boss_keys": [],
    }
    roll = rng.random()
    if roll < 0.01:
        record["active_pet"] = rng.choice(["dragon", "panda", "ox"])  # without pets
    elif roll < 0.02:
        kind = rng.choice(["tiger", "snake", "dragon"])
        record["active_pet"] = kind
        record["pets"] = [
            {
                "type": kind,
                "name": kind.title(),
                "emoji": "🐾",
                "nickname": None,
                "health": 1200,
                "max_health": 1200,
                "level": 1,
                "xp": 0,
                "battles_won": 0,
                "battles_lost": 0,
                "purchased_at": str(_when(rng)),
            }
        ]
    roll = rng.random()
    if roll < 0.02:
        record["garden_inventory"] = json.dumps(
            {"Moonshade Seed": rng.randint(1, 9), "basic_hoe": "owned"}
        )
    elif roll < 0.021:
        record["garden_inventory"] = '{"Moonshade Seed": 3,'  # truncated JSON text
    elif roll < 0.05:
        record["garden_inventory"] = {"Silverdew Seed": rng.randint(1, 5), "watering_can": "owned"}
    if rng.random() < 0.03:
        record["purchased_items"] = rng.sample(WEAPONS, rng.randint(1, 2)) + rng.sample(STACKING, 1)
    if rng.random() < 0.10:
        names = rng.sample(
            WEAPONS + STACKING + UNKNOWN_ITEMS + POTIONS + INGREDIENTS, rng.randint(1, 4)
        )
        record["inventory"] = {
            n: ("owned" if rng.random() < 0.05 else rng.randint(0 if rng.random() < 0.05 else 1, 5))
            for n in names
        }
        if rng.random() < 0.5:
            record["item_levels"] = {n: rng.randint(1, 14) for n in rng.sample(WEAPONS, 2)}
    if rng.random() < 0.08:
        pool = WEAPONS + STACKING + UNKNOWN_ITEMS
        record["chest"] = [rng.choice(pool) for _ in range(rng.randint(1, 6))]
        record["chest"] += record["chest"][:1]  # always a duplicate
    if rng.random() < 0.03:
        record["permanent_hp"] = rng.choice([100, 250, 500, 1000, 1350, 2750, 3850])
    if rng.random() < 0.10:
        record["achievements"] = rng.sample(ACHIEVEMENTS, rng.randint(1, 4)) + (
            ["legacy_only_badge"] if rng.random() < 0.1 else []
        )
    if rng.random() < 0.01:
        record["rebirth_purchases"] = rng.sample(REBIRTH_SHOP, rng.randint(1, 2))
    if rng.random() < 0.005:
        record["milestones_claimed"] = rng.choice([["lifetime_1000"], [5000], ["nitro_boost_1"]])
    if rng.random() < 0.02:
        record["potions"] = rng.sample(POTIONS + ["Minor Healing Salve"], 2)
        record["ingredients"] = {k: rng.choice([1, 2, "owned"]) for k in rng.sample(INGREDIENTS, 2)}
    if rng.random() < 0.02:
        when = _when(rng)
        stamp = (
            when.replace(tzinfo=None).isoformat()
            if rng.random() < 0.5
            else when.strftime("%Y-%m-%dT%H:%M:%SZ")
        )
        record["artifacts"] = [
            {
                "id": f"rare_{int(when.timestamp())}",
                "tier": "rare",
                "emoji": "💎",
                "name": "Rare Gem",
                "claimed_at": stamp,
            }
        ]
    if rng.random() < 0.01:
        record["training_bonuses"] = {
            "melee_strength": 0.5,
            "speed": 0.25,
            "range_strength": 0.0,
            "bonus_hp": 50,
        }
    if rng.random() < 0.002:
        record["positive_rebirths"], record["negative_rebirths"] = (
            rng.randint(0, 2),
            rng.randint(0, 1),
        )
    if i % 997 == 0:  # created after the last DB load: no DB columns
        for key in (
            "user_id",
            "guild_id",
            "mining_cooldown",
            "garden_inventory",
            "fertilizer_uses",
        ):
            record.pop(key, None)
    elif i % 1999 == 0:
        record.pop("chi", None)
        record.pop("rebirths", None)
    return record


def _write_object(out: TextIO, items: Any) -> None:
    """Write {key: value, ...} one entry at a time."""
    out.write("{")
    first = True
    for key, value in items:
        out.write(
            ("\n " if first else ",\n ")
            + json.dumps(str(key))
            + ": "
            + json.dumps(value, ensure_ascii=False)
        )
        first = False
    out.write("\n}\n")


def generate(
    outdir: str | Path, *, members: int = 1000, seed: int = 1, guild_id: int = DEFAULT_GUILD
) -> dict[str, int]:
    """Write a full old-format data set; returns record counts per file."""
    rng = random.Random(seed)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    used: set[int] = set()
    ids = [_snowflake(rng, used) for _ in range(members)]
    counts: dict[str, int] = {}

    def chi_records() -> Iterator[tuple[str, dict[str, Any] | None]]:
        yield str(TEST_RECORD), {**_member(rng, TEST_RECORD, guild_id, 1), "chi": 0}
        yield str(ids[0] + 1), {**_member(rng, ids[0] + 2, guild_id, 1)}  # key != user_id
        yield str(ids[0] + 3), None  # not an object
        yield "not-a-user", {"chi": 10}
        yield str(ids[0] + 4), {**_member(rng, ids[0] + 4, guild_id, 1), "chi": "a lot"}
        yield "0" + str(ids[1]), _member(rng, ids[1], guild_id, 1)  # the same id as ids[1]
        for i, user_id in enumerate(ids, 1):
            record = _member(rng, user_id, guild_id, i)
            if i % 5000 == 1:
                record["chi"] = str(record.get("chi", 0))  # a number as text
            yield str(user_id), record

    with (out / "chi_data.json").open("w", encoding="utf-8") as f:
        _write_object(f, chi_records())
    counts["chi_data.json"] = members + 6

    team_count = max(members // 20, 3)
    teams = {}
    for t in range(1, team_count + 1):
        leader = PSY if t == 1 else rng.choice(ids)
        teams[str(t)] = {
            "team_id": t,
            "name": f"Team {t}",
            "leader_id": leader,
            "leader": str(leader),
            "base_tier": rng.choice(["team", "solo"]),
            "base_color": "white",
            "gym_level": 0,
            "arena_level": 0,
            "team_chi": rng.randint(150, 237_742_417),
            "team_score": 0,
            "wins": 0,
            "losses": 0,
            "ties": 0,
            "duel_stats": {"wins": 0, "losses": 0, "ties": 0},
            "guild_id": guild_id,
            "members": [],
            "base_modules": {},
            "decorations": [],
            "gym_equipment": [],
            "allies": [],
            "enemies": [],
            "created_at": _when(rng).replace(tzinfo=None).isoformat(),
        }
    user_teams = {
        str(u): str(rng.randint(1, team_count))
        for u in rng.sample(ids, min(len(ids), members // 10 + 1))
    }
    user_teams[str(BOT_ACCOUNT)] = str(team_count)
    invites = {
        str(u): str(rng.randint(1, team_count))
        for u in rng.sample(ids, min(len(ids), members // 100 + 1))
    }
    (out / "teams_data.json").write_text(
        json.dumps({"teams": teams, "user_teams": user_teams, "pending_invites": invites}),
        encoding="utf-8",
    )
    counts["teams_data.json"] = team_count

    gardens: dict[str, Any] = {}
    for u in rng.sample(ids, min(len(ids), members // 10 + 1)):
        plants: list[Any] = []
        for _ in range(rng.choice([0, 0, 0, 3, 11, 26])):
            planted = _when(rng).timestamp()
            plants.append(
                {"name": rng.choice(PLANTS), "planted_at": planted}
                if rng.random() > 0.02
                else {"seed": rng.choice(PLANTS), "mature_at": planted}
            )
        if plants and rng.random() < 0.05:
            plants.append("Moonshade")  # bare string
        gardens[str(u)] = {
            "user_id": u,
            "tier": rng.choice(["rare", "eternal"]),
            "level": 1,
            "guild_id": guild_id,
            "plants": plants,
            "last_watered": {},
        }
    (out / "gardens_data.json").write_text(
        json.dumps({"gardens": gardens, "garden_event": {"active": False, "end_time": None}}),
        encoding="utf-8",
    )
    counts["gardens_data.json"] = len(gardens)

    progress = {
        str(u): sorted(rng.sample(range(10), rng.randint(1, 3)))
        for u in rng.sample(ids, min(len(ids), members // 50 + 1))
    }
    progress[str(PSY)] = [2]
    quests = {
        "quests": [
            f"{n}\ufe0f\u20e3 Quest {n} **Reward:** {r} chi"
            for n, r in enumerate([50, 100, 150, 200, 300, 400, 500, 600, 800, 1000])
        ],
        "month": "Tutorial Quests",
        "user_progress": progress,
    }
    (out / "quests_data.json").write_text(json.dumps(quests, ensure_ascii=False), encoding="utf-8")

    shops = {}
    for n, u in enumerate(rng.sample(ids, min(len(ids), members // 500 + 1)), 1):
        shops[f"S{n}"] = {
            "owner_id": str(u),
            "name": f"Shop {n}",
            "total_sales": 0,
            "total_revenue": 0,
            "created_at": str(_when(rng)),
            "listings": [
                {
                    "item_name": rng.choice(WEAPONS + UNKNOWN_ITEMS),
                    "price": rng.randint(1, 1_000_000),
                    "quantity": 1,
                    "category": "Other",
                    "listed_at": str(_when(rng).replace(tzinfo=None)),
                }
                for _ in range(rng.randint(0, 3))
            ],
        }
    (out / "player_shops_data.json").write_text(
        json.dumps({"shops": shops, "next_shop_id": len(shops) + 1, "global_sales": 0}),
        encoding="utf-8",
    )

    spawned = _when(rng).replace(tzinfo=None)
    static: dict[str, Any] = {
        "shop_data.json": {
            "items": [
                {
                    "item_id": f"R{n}",
                    "name": name,
                    "cost": n,
                    "type": "permanent_hp" if "HP" in name else "default",
                    "realm": "Pandian Realm",
                }
                for n, name in enumerate(REBIRTH_SHOP, 1)
            ]
        },
        "chi_shop_data.json": {
            "items": [
                {
                    "item_id": f"C{n}",
                    "name": name,
                    "cost": 200 * n,
                    "type": "weapon",
                    "tags": ["weapon"],
                    "realm": "Pandian Realm",
                }
                for n, name in enumerate(WEAPONS, 1)
            ]
        },
        "potions_data.json": {
            "ingredients": {
                k: {
                    "name": f"Ingredient {k}",
                    "emoji": "🧪",
                    "source": "duel",
                    "description": "",
                    "rarity": "common",
                }
                for k in INGREDIENTS
            },
            "potions": [
                {
                    "item_id": f"P{n}",
                    "name": name,
                    "emoji": "🧪",
                    "description": "",
                    "cost": 1000 * n,
                    "type": "buff",
                    "tier": "minor",
                    "effect": {"type": "strength"},
                }
                for n, name in enumerate(POTIONS, 1)
            ],
            "recipes": [
                {
                    "potion_id": "P1",
                    "ingredients": {"I1": 2},
                    "craft_time_seconds": 30,
                    "success_chance": 90,
                }
            ],
        },
        "achievements_data.json": {
            "achievements": [
                {
                    "id": a,
                    "name": a,
                    "description": "",
                    "emoji": "🏆",
                    "category": "Combat",
                    "tier": "common",
                    "reward_chi": 500,
                    "hidden": False,
                }
                for a in ACHIEVEMENTS
            ],
            "categories": {"Combat": {"emoji": "⚔️", "description": ""}},
            "tiers": {"common": {"emoji": "⚪", "color": 1}},
        },
        "pet_catalog.json": {
            "pets": [
                {
                    "id": "baby_panda",
                    "name": "Baby Panda",
                    "cost": 5000,
                    "base_health": 1000,
                    "base_attack": 50,
                    "description": "",
                }
            ],
            "foods": [
                {"name": "Bamboo Snack", "cost": 50, "hunger_restore": 10, "health_restore": 5}
            ],
        },
        "artifact_state.json": {
            "active_artifact": {
                "id": "rare_1762833584",
                "emoji": "💎",
                "name": "Rare Gem",
                "tier": "rare",
                "spawned_at": spawned.isoformat(),
                "expires_at": str((spawned + timedelta(minutes=5)).replace(tzinfo=UTC))[:-3],
                "claimed_by": None,
            },
            "next_spawn_at": (spawned + timedelta(hours=12)).isoformat(),
            "last_spawn_at": spawned.isoformat(),
        },
        "error_logs.json": {
            "logs": [
                {
                    "id": "L1",
                    "timestamp": spawned.isoformat(),
                    "error": "boom",
                    "command": "P!duel",
                    "user": "someone#0001",
                    "message_link": "",
                    "error_code": "KeyError",
                }
            ],
            "counter": 1,
        },
        "log_config.json": {"error_channel_id": None},
        "server_config.json": {
            "guilds": {
                str(guild_id): {
                    "channels": {
                        "log_channel_id": guild_id + 1,
                        "garden_channels": [guild_id + 2],
                        "duel_channels": [],
                        "pet_channels": [],
                        "updates_channel_id": str(guild_id + 3),
                    },
                    "roles": {
                        "admin_role_id": guild_id + 10,
                        "quest_completer_role_id": None,
                        "positive_role_id": guild_id + 12,
                        "negative_role_id": None,
                    },
                    "features": {"setup_complete": True},
                }
            }
        },
        "blacklisted_users.json": [
            *rng.sample(ids, min(len(ids), members // 1000 + 1)),
            str(ids[-1]),
            4321,
            ids[-1],
        ],
    }
    for name, data in static.items():
        (out / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        counts[name] = len(data) if isinstance(data, list | dict) else 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m chibot.legacy.fixtures", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("outdir")
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--guild", type=int, default=DEFAULT_GUILD)
    args = parser.parse_args(argv)
    counts = generate(args.outdir, members=args.members, seed=args.seed, guild_id=args.guild)
    size = sum(p.stat().st_size for p in Path(args.outdir).glob("*.json"))
    print(
        f"wrote {len(counts)} files ({size / 1e6:,.1f} MB) to {args.outdir}: {counts['chi_data.json']:,} member records"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
