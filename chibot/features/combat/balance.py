"""Boss fights simulated with the real engine, content and specials: how often a member (or a
raid of them) wins with each weapon, so every boss is beatable with its weapon tier and the
tier below struggles (GAME.md: the balance is "checked by a simulation, not by feel").

Pure: no database, no Discord. A simulated member is at `level`, has the max HP a new member
has (250) and one Minor Healing Salve (a boss fight's charges); on their turn they heal when
below a third of their HP and a charge is left, else use their weapon's strongest attack (the
best range). A raid's members all play so. Seeds 0..n-1 give the same numbers on every run.

`python -m chibot.features.combat.balance` prints the table that docs/bosses.md and
docs/team-fights.md quote; `tests/combat/test_boss_balance.py` checks the targets.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from chibot.core.catalog import Catalog, load_catalog
from chibot.features.combat import engine
from chibot.features.combat.boss_fights import BOSS_MODE
from chibot.features.combat.bosses import Behaviours, BossesFile
from chibot.features.combat.team_bosses import TeamBehaviours, TeamBossesFile
from chibot.features.combat.team_fights import TEAM_BOSS, raid_order

START = datetime(2026, 1, 1, tzinfo=UTC)
HEAL = "minor_healing_salve"
MAX_HP = 250
LEVEL = 5
WEAPONS = (
    "stormcallers_pike", "obsidian_reaver", "celestial_warhammer", "phoenix_flameblade",
    "void_eclipse_scythe",
)  # fmt: skip
TIERS = {  # the weapon each boss is tuned for (about 6 wins in 10 at LEVEL)
    "fang": "obsidian_reaver",
    "ironhide": "celestial_warhammer",
    "emberclaw": "phoenix_flameblade",
    "rifter": "void_eclipse_scythe",
    "guardian": "obsidian_reaver",
    "titan": "celestial_warhammer",
    "dragon": "phoenix_flameblade",
}


def _best(fighter: engine.Fighter) -> str:
    assert fighter.weapon is not None
    return max(fighter.weapon.attacks, key=lambda a: a.low + a.high).code


def fight(
    catalog: Catalog, boss: str, weapon: str, seed: int, *, raiders: int = 0,
    level: int = LEVEL,
) -> bool:  # fmt: skip
    """One fight to its end: True when the member (a raid of `raiders` when > 0) wins."""
    items = catalog.items
    solo = catalog.file("bosses", BossesFile)
    team = catalog.file("team_bosses", TeamBossesFile)
    hooks = engine.Hooks(boss=TeamBehaviours(team, Behaviours(solo)), team_bonus=engine.side_bonus)
    mode = TEAM_BOSS if raiders else BOSS_MODE
    members = [
        engine.make_fighter(
            f"m{i}",
            f"M{i}",
            "side0",
            mode,
            max_hp=MAX_HP,
            level=level,
            weapon=items.get(weapon),
            heal_items=[items.get(HEAL)],
        )  # fmt: skip
        for i in range(max(raiders, 1))
    ]
    order = None
    if raiders:
        found = team.get(boss)
        assert found is not None
        npc = found.fighter("side1", raiders)
        order = raid_order([m.id for m in members], npc.id)
    else:
        found_solo = solo.get(boss)
        assert found_solo is not None
        npc = found_solo.fighter("side1")
    rng = random.Random(seed)
    state, _ = engine.new_fight("sim", mode, [*members, npc], rng, START, hooks, order=order)
    for turn in range(1, 2_000):
        if state.status is engine.Status.ENDED:
            break
        me = state.fighter(state.whose_turn)
        assert me is not None
        command: engine.Command = engine.Attack(me.id, _best(me))
        if me.hp * 3 < me.max_hp and any(k.charges for k in me.heals):
            command = engine.Heal(me.id, me.heals[0].item)
        state, _ = engine.apply(state, command, rng, START + timedelta(seconds=turn), hooks)
    return state.winner == "side0"


def win_rate(
    catalog: Catalog, boss: str, weapon: str, *, raiders: int = 0, seeds: int = 100,
    level: int = LEVEL,
) -> float:  # fmt: skip
    """The share of `seeds` fights won (seeds 0..seeds-1)."""
    won = sum(fight(catalog, boss, weapon, s, raiders=raiders, level=level) for s in range(seeds))
    return won / seeds


def table(catalog: Catalog, seeds: int = 100) -> list[str]:
    """The win rates of every boss against every weapon (raids of 2, 3 and 5)."""
    head = "boss".ljust(16) + "".join(w.split("_")[0][:10].rjust(11) for w in WEAPONS)
    lines = [head]
    for b in catalog.file("bosses", BossesFile).boss:
        rates = [win_rate(catalog, b.key, w, seeds=seeds) for w in WEAPONS]
        lines.append(b.key.ljust(16) + "".join(f"{r:>10.0%} " for r in rates))
    for t in catalog.file("team_bosses", TeamBossesFile).boss:
        for n in (2, 3, 5):
            rates = [win_rate(catalog, t.key, w, raiders=n, seeds=seeds) for w in WEAPONS]
            lines.append(f"{t.key} ×{n}".ljust(16) + "".join(f"{r:>10.0%} " for r in rates))
    return lines


if __name__ == "__main__":  # pragma: no cover - the table of the docs
    print(f"win rates at level {LEVEL}, {MAX_HP} HP, one {HEAL} (tuned: {TIERS})")
    print("\n".join(table(load_catalog())))
