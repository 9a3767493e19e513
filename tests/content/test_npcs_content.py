"""The training NPCs of `content/npcs.toml` against the legacy table (legacy-combat Appendix
A.4) and GAME.md's "every faucet has a limit" (legacy B7, PvE farming: every reward has a
cooldown, and the most an hour of training can pay stays well under chat's hourly cap)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

import chibot.features  # noqa: F401  (registers every content file's schema)
from chibot.core.catalog import load_catalog
from chibot.features.combat.npcs import NpcsFile
from chibot.features.economy.settings import EconomySettings

NPCS = load_catalog().file("npcs", NpcsFile)

LEGACY_A4 = [  # key, name, HP, hit, reward
    ("dummy", "Training Dummy", 1000, None, 0),
    ("easy", "Peaceful Panda", 200, (1, 10), 40),
    ("medium", "Bamboo Warrior", 400, (1, 30), 75),
    ("hard", "Master Shifu", 600, (1, 50), 150),
]


def test_the_npcs_are_the_legacy_table() -> None:
    got = [
        (n.key, n.name, n.hp, (n.hit.min, n.hit.max) if n.hit else None, n.reward) for n in NPCS.npc
    ]
    assert got == LEGACY_A4


def test_cooldowns_and_penalties() -> None:
    """The decision of docs/combat.md: 30 min, 1 h, 2 h; 50 chi for a defeat or a flight,
    nothing at the dummy (which pays nothing either)."""
    table = {n.key: (n.cooldown_minutes, n.penalty) for n in NPCS.npc}
    assert table == {"dummy": (0, 0), "easy": (30, 50), "medium": (60, 50), "hard": (120, 50)}


def test_every_reward_has_a_cooldown_and_training_is_a_small_faucet() -> None:
    """Legacy B7: the most a member can earn from training in an hour, every reward won as
    soon as it is ready, stays under chat's hourly cap (300 by default)."""
    hourly = sum(n.reward * 60 / n.cooldown_minutes for n in NPCS.npc if n.reward)
    assert all(n.cooldown_minutes > 0 for n in NPCS.npc if n.reward > 0)
    assert hourly == 230 < EconomySettings().chat_hourly_cap
    daily = sum(n.reward * 24 * 60 // n.cooldown_minutes for n in NPCS.npc if n.reward)
    assert daily == 5_520  # around the clock, without a single defeat: 1.1% of a rebirth


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"reward": 10, "cooldown_minutes": 0}, "a reward needs a cooldown"),
        ({"hit": {"name": "Poke", "min": 9, "max": 3}}, "max must be at least min"),
        ({"key": "Easy!"}, "pattern"),
        ({"colour": "red"}, "Extra inputs"),
    ],
)
def test_the_schema_refuses_bad_npcs(change, problem) -> None:
    good = NPCS.npc[1].model_dump()
    with pytest.raises(ValidationError, match=problem):
        NpcsFile.model_validate({"npc": [{**good, **change}]})


def test_keys_and_names_are_unique() -> None:
    good = NPCS.npc[1].model_dump()
    with pytest.raises(ValidationError, match="npc key used twice: easy"):
        NpcsFile.model_validate({"npc": [good, {**good, "name": "Other"}]})
    with pytest.raises(ValidationError, match="npc name used twice"):
        NpcsFile.model_validate({"npc": [good, {**good, "key": "other"}]})
