"""Pets' pure rules: hunger over time, health following it down to a floor, feeding capped,
training costs and caps and their effects, nicknames that never ping (legacy E-1); tables
and hypothesis, with the clock passed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import chibot.features  # noqa: F401
from chibot.core.catalog import load_catalog
from chibot.features.pets import rules
from chibot.features.pets.content import PetsFile

CONTENT: PetsFile = load_catalog().file("pets", PetsFile)
SPECIES = {s.key: s for s in CONTENT.species}
HUNGER = CONTENT.hunger
T0 = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
OX, DRAGON = SPECIES["ox"], SPECIES["dragon"]


def snap(hunger: int = 100, hp: int = 1000, at: datetime = T0) -> rules.Snapshot:
    return rules.Snapshot(hunger, hp, at)


@pytest.mark.parametrize(
    ("species", "hours", "hunger"),
    [
        ("ox", 0, 100),
        ("ox", 12, 75),
        ("ox", 24, 50),
        ("ox", 36, 25),
        ("ox", 48, 0),
        ("ox", 500, 0),
        ("dragon", 12, 50),
        ("dragon", 24, 0),
    ],
)
def test_hunger_falls_from_full_to_empty_in_the_species_hours(species, hours, hunger) -> None:
    s = SPECIES[species]
    assert rules.hunger_at(snap(), s, T0 + timedelta(hours=hours)) == hunger


def test_a_pet_is_fed_until_its_hunger_falls_below_the_line() -> None:
    top = OX.hp
    assert rules.condition(snap(hp=top), OX, top, HUNGER, T0 + timedelta(hours=36)).fed
    later = rules.condition(snap(hp=top), OX, top, HUNGER, T0 + timedelta(hours=36, seconds=1))
    assert not later.fed and later.starving_since == T0 + timedelta(hours=36)


@pytest.mark.parametrize(
    ("hours_starving", "hp"),
    [(0, 1000), (1, 980), (10, 800), (45, 100), (1000, 100)],
)
def test_health_follows_hunger_down_to_a_floor_never_zero(hours_starving, hp) -> None:
    """2% of the max an hour while starving; never below 10% (no pet dies)."""
    at = T0 + timedelta(hours=36 + hours_starving)
    assert rules.health_at(snap(hp=1000), 1000, OX, HUNGER, at) == hp


def test_feeding_restores_hunger_and_health_capped() -> None:
    assert rules.feed(20, 500, 1000, 30, 300, 0) == (50, 800)
    assert rules.feed(90, 900, 1000, 30, 300, 0) == (100, 1000)
    assert rules.feed(0, 100, 1000, 10, 100, 50) == (10, 250)  # heal training: +50%


@given(
    hunger=st.integers(0, 100),
    hp=st.integers(1, 6000),
    hours=st.floats(0, 1000, allow_nan=False),
    key=st.sampled_from(sorted(SPECIES)),
)
def test_state_stays_in_bounds_and_only_falls_with_time(hunger, hp, hours, key) -> None:
    s = SPECIES[key]
    top = s.hp
    hp = min(hp, top)
    start = snap(hunger, hp)
    now = T0 + timedelta(hours=hours)
    cond = rules.condition(start, s, top, HUNGER, now)
    assert 0 <= cond.hunger <= hunger
    assert cond.hp <= hp
    assert cond.hp >= min(hp, rules.floor_hp(top, HUNGER)) > 0
    later = rules.condition(start, s, top, HUNGER, now + timedelta(hours=1))
    assert later.hunger <= cond.hunger and later.hp <= cond.hp


@given(
    hunger=st.integers(0, 100),
    hp=st.integers(1, 1000),
    food=st.integers(1, 100),
    heal=st.integers(1, 1000),
    pct=st.integers(0, 100),
)
def test_feeding_never_lowers_nor_exceeds_the_caps(hunger, hp, food, heal, pct) -> None:
    new_hunger, new_hp = rules.feed(hunger, hp, 1000, food, heal, pct)
    assert hunger <= new_hunger <= 100 and hp <= new_hp <= 1000


@pytest.mark.parametrize(
    ("kind", "current", "cost"),
    [("heal", 0, 500), ("heal", 4, 2500), ("attack", 9, 7500), ("special", 0, 2000)],
)
def test_training_costs_grow_with_the_level(kind, current, cost) -> None:
    assert rules.train_cost(CONTENT.training(kind), current) == cost


@pytest.mark.parametrize("kind", ["heal", "health", "attack", "special"])
def test_training_is_capped(kind) -> None:
    t = CONTENT.training(kind)
    assert rules.may_train(t, t.max_level - 1)
    assert not rules.may_train(t, t.max_level)


def test_trained_levels_change_the_numbers_combat_reads() -> None:
    maxed = rules.Levels(heal=5, health=5, attack=10, special=5)
    assert rules.level(maxed) == 26
    assert rules.max_hp(OX, maxed, CONTENT.training("health")) == 1250
    assert rules.damage_pct(maxed, CONTENT.training("attack")) == 50
    assert rules.heal_pct(maxed, CONTENT.training("heal")) == 50
    special = CONTENT.training("special")
    wing, hiss = DRAGON.attacks[1].effect, SPECIES["snake"].attacks[2].effect
    assert rules.effect_chance(wing, maxed, special) == 40  # 25 + 5 x 3
    assert rules.effect_chance(hiss, rules.Levels(), special) == 40
    assert rules.effect_chance(DRAGON.attacks[0].effect, maxed, special) == 100
    assert rules.effect_chance(OX.attacks[0].effect, maxed, special) == 0


def test_a_starving_pet_gives_no_garden_bonus() -> None:
    assert rules.garden_bonus(DRAGON, True) == DRAGON.garden
    assert rules.garden_bonus(DRAGON, False) is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("@everyone", "markup"),
        ("<@123>", "markup"),
        ("**bold**", "markup"),
        ("a", "short"),
        ("x" * 25, "long"),
        ("two\nlines", "lines"),
        ("see https", "link"),
        ("!!", "letters"),
        ("a\u200bb", "invisible"),
    ],
)
def test_nicknames_that_could_ping_or_format_are_refused_legacy_e1(text, why) -> None:
    with pytest.raises(rules.NameProblem) as problem:
        rules.clean_name(text)
    assert problem.value.why == why


def test_a_nickname_is_trimmed() -> None:
    assert rules.clean_name("  Sir   Moo  ") == "Sir Moo"
