"""The solo bosses of `content/bosses.toml` in the engine: each special (Fang's crushing blow,
Ironhide's iron wall, Emberclaw's and the Rifter's infernal roar) with scripted dice and with a
fixed seed, and the content's rules (an entry for each, every item known). Issue 13."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest
from combat_fixtures import at, duelist
from test_combat_engine import Dice

from chibot.core.catalog import load_catalog
from chibot.core.errors import ContentError
from chibot.features.combat.bosses import Behaviours, BossesFile, check_content
from chibot.features.combat.engine import (
    Attack,
    DamageDealt,
    Dodged,
    EffectApplied,
    EffectTicked,
    Fight,
    Healed,
    Hooks,
    Mode,
    Status,
    apply,
    new_fight,
)

TOML = Path(__file__).resolve().parents[2] / "chibot" / "content" / "bosses.toml"
CONTENT = BossesFile.model_validate(tomllib.loads(TOML.read_text(encoding="utf-8")))
BOSS = Mode("boss", allows=frozenset({"boss"}), bare_weapon=True, match_seconds=6000)
HOOKS = Hooks(boss=Behaviours(CONTENT))


def fight_with(key: str, rng: object, hp: int = 5_000) -> tuple[Fight, list[object]]:
    boss = CONTENT.get(key)
    assert boss is not None
    player = duelist("ann", "a", weapon="celestial_warhammer", mode=BOSS, max_hp=hp)
    return new_fight("b", BOSS, [player, boss.fighter("boss")], rng, at(), HOOKS)  # type: ignore[arg-type]


def hits_on_ann(events: list[object], label: str) -> list[DamageDealt]:
    return [
        e for e in events if isinstance(e, DamageDealt) and e.target == "ann" and e.label == label
    ]


def test_the_content_has_an_entry_for_each_and_knows_its_items() -> None:
    assert [b.key for b in CONTENT.boss] == ["fang", "ironhide", "emberclaw", "rifter"]
    assert CONTENT.get("fang").entry_chi > 0  # type: ignore[union-attr]
    chain = [(b.entry_key, b.key) for b in CONTENT.boss if b.entry_key]
    assert chain == [
        ("bamboo_key", "ironhide"),
        ("titan_key", "emberclaw"),
        ("eternal_key", "rifter"),
    ]
    registry = load_catalog().items
    check_content(CONTENT, registry)
    broken = CONTENT.model_copy(
        update={
            "boss": (
                CONTENT.boss[0].model_copy(update={"entry_key": None, "entry_chi": 1, "drops": ()}),
            )
        }
    )
    check_content(broken, registry)
    with pytest.raises(ContentError):
        bad = CONTENT.boss[0].model_copy(
            update={"drops": (CONTENT.boss[0].drops[0].model_copy(update={"item": "nope"}),)}
        )
        check_content(CONTENT.model_copy(update={"boss": (bad,)}), registry)


def test_fangs_crushing_blow_lands_on_its_chance_and_cannot_be_dodged() -> None:
    fight, _ = fight_with("fang", Dice())
    # ann's hit: roll, crit, dodge; fang's turn: target, move, roll, crit, dodge; round end: the
    # special's die (0.05 < 10%), its target, then the blow's (unused) dodge die 0.0
    dice = Dice(floats=[0.99, 0.99, 0.99, 0.99, 0.05, 0.0])
    fight, events = apply(fight, Attack("ann", "Celestial Warhammer"), dice, at(1), HOOKS)
    blows = hits_on_ann(events, "Crushing Blow")
    assert [b.amount for b in blows] == [50] and not any(isinstance(e, Dodged) for e in events)
    dice = Dice(floats=[0.99, 0.99, 0.99, 0.99, 0.10])
    fight, events = apply(fight, Attack("ann", "Celestial Warhammer"), dice, at(2), HOOKS)
    assert not hits_on_ann(events, "Crushing Blow")  # 10% is not under 10%


def test_ironhide_mends_a_tenth_every_third_round() -> None:
    rng = random.Random(3)
    fight, _ = fight_with("ironhide", rng)
    heals = []
    for n in range(1, 10):
        fight, events = apply(fight, Attack("ann", "Celestial Warhammer"), rng, at(n), HOOKS)
        heals += [
            (n, e.amount) for e in events if isinstance(e, Healed) and e.target == "boss:ironhide"
        ]
        if fight.status is Status.ENDED:
            break
    assert [n for n, _ in heals] == [3, 6, 9][: len(heals)] and len(heals) >= 2
    assert all(0 < amount <= 150 for _, amount in heals)


@pytest.mark.parametrize("key", ["emberclaw", "rifter"])
def test_the_infernal_roar_burns_15_for_three_rounds_once(key: str) -> None:
    fight, events = fight_with(key, Dice())
    assert EffectApplied("ann", "burn", 3, 15, f"boss:{key}") in events
    ticks = [e.amount for e in events if isinstance(e, EffectTicked)]
    applied = 1
    for n in range(1, 6):
        fight, events = apply(fight, Attack("ann", "Celestial Warhammer"), Dice(), at(n), HOOKS)
        ticks += [e.amount for e in events if isinstance(e, EffectTicked)]
        applied += sum(isinstance(e, EffectApplied) for e in events)
    assert ticks == [15, 15, 15] and applied == 1


def test_a_seeded_boss_fight_is_repeatable_and_ends() -> None:
    def play(seed: int) -> tuple[Fight, list[object]]:
        rng = random.Random(seed)
        fight, log = fight_with("fang", rng, hp=1_500)
        for n in range(1, 300):
            if fight.status is Status.ENDED:
                break
            fight, events = apply(fight, Attack("ann", "Celestial Warhammer"), rng, at(n), HOOKS)
            log += events
        return fight, log

    fight, log = play(21)
    assert play(21) == (fight, log) and fight.status is Status.ENDED and fight.reason == "ko"
