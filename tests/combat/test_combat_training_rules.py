"""NPC training, pure: an NPC as the engine fights it (an `auto` fighter with one synthetic
attack at level 0; the dummy with none, passing every turn), the NPC table as the cog shows
it, and the training result among a step's notices (other renderers ignore it)."""

from __future__ import annotations

import random

import pytest
from combat_fixtures import ITEMS, at

import chibot.features  # noqa: F401  (registers every content file's schema)
from chibot.core.catalog import load_catalog
from chibot.discord.ui.notices import awards
from chibot.features.combat import engine, views
from chibot.features.combat.live import MODES, Step
from chibot.features.combat.npcs import NpcsFile
from chibot.features.combat.training import NpcLine, TrainingResult
from chibot.features.progress import views as progress_views

NPCS = load_catalog().file("npcs", NpcsFile)
MODE = MODES["training"]


def member(weapon: str = "verdant_windblade") -> engine.Fighter:
    return engine.make_fighter("7", "Ann", "side0", MODE, weapon=ITEMS[weapon])


@pytest.mark.parametrize(
    ("key", "hp", "hit"),
    [("dummy", 1000, None), ("easy", 200, (1, 10)), ("medium", 400, (1, 30)),
     ("hard", 600, (1, 50))],
)  # fmt: skip
def test_an_npc_as_the_engine_fights_it(key: str, hp: int, hit) -> None:
    npc = NPCS.find(key)
    fighter = npc.fighter("side1")
    assert (fighter.id, fighter.hp, fighter.max_hp, fighter.level) == (f"npc:{key}", hp, hp, 0)
    assert fighter.auto and fighter.heals == ()
    if hit is None:
        assert fighter.weapon is None
    else:
        (attack,) = fighter.weapon.attacks
        assert (attack.code, attack.low, attack.high) == ("NPC1", *hit)
        assert fighter.weapon_level() == 0  # no scaling: the legacy range as it is
    assert NPCS.find(npc.name.upper()) == npc  # by name too
    assert NPCS.find("dragon") is None


def test_an_auto_fighter_without_a_weapon_passes_its_turns() -> None:
    """The engine keeps the dummy in the order and never lets it hit."""
    rng = random.Random(3)
    dummy = NPCS.find("dummy").fighter("side1")
    fight, _ = engine.new_fight("t1", MODE, [member(), dummy], rng, at())
    for i in range(60):
        fight, events = engine.apply(fight, engine.Attack("7", "VW1"), rng, at(i))
        assert not any(getattr(e, "source", None) == "npc:dummy" for e in events)
        assert engine.TurnPassed("npc:dummy", fight.round - 1) in events
        assert fight.whose_turn == "7" and fight.fighter("7").hp == 250
    assert fight.fighter("npc:dummy").hp < 1000 and fight.status is engine.Status.ACTIVE


def test_an_npc_with_an_attack_answers_at_once() -> None:
    rng = random.Random(5)
    hard = NPCS.find("hard").fighter("side1")
    fight, _ = engine.new_fight("t2", MODE, [member(), hard], rng, at())
    fight, events = engine.apply(fight, engine.Attack("7", "VW1"), rng, at(1))
    answered = [e for e in events if getattr(e, "source", None) == "npc:hard"]
    assert len(answered) == 1 and answered[0].label == "Wuxi Strike"
    if isinstance(answered[0], engine.DamageDealt):
        assert 1 <= answered[0].amount <= 75  # 1-50, a crit x1.5 at most
    assert fight.whose_turn == "7"
    assert engine.from_dict(engine.to_dict(fight)) == fight  # kept as JSON between actions


def test_the_npc_table_shows_stakes_and_readiness() -> None:
    easy, hard = NPCS.find("easy"), NPCS.find("hard")
    lines = (NpcLine(NPCS.find("dummy"), None), NpcLine(easy, at(600)), NpcLine(hard, None))
    embed = views.npcs_embed(lines, "Ann")
    text = "\n".join(f"{f.name}\n{f.value}" for f in embed.fields)
    assert "🐼 Peaceful Panda · `train easy`" in text
    assert "❤️ 200 HP · ⚔️ 1–10" in text and "+40 chi every 30 min · lose −50 chi" in text
    assert f"⏳ reward ready <t:{int(at(600).timestamp())}:R>" in text
    assert "+150 chi every 2 h" in text and "✅ reward ready" in text
    assert "never attacks" in text and "practice only" in text and "nothing to lose" in text


@pytest.mark.parametrize(
    ("made", "says"),
    [
        (dict(outcome="win", reward=40, ready_at=at(1800)), "**+40 chi** for beating 🐼"),
        (dict(outcome="win", ready_at=at(60)), "reward was won already: it is ready again <t:"),
        (dict(outcome="defeat", penalty=50), "Peaceful Panda wins this time: **−50 chi**"),
        (dict(outcome="fled", penalty=20), "You fled: **−20 chi**"),
        (dict(outcome="fled"), "You fled: you had no chi to lose"),
        (dict(outcome="tie"), "A tie: nothing won, nothing lost"),
    ],
)
def test_the_end_of_a_training_says_the_reward_or_the_penalty(made, says) -> None:
    done = TrainingResult(NPCS.find("easy"), **made)
    fight, _ = engine.new_fight(
        "t3", MODE, [member(), NPCS.find("easy").fighter("side1")], random.Random(1), at()
    )
    fight = engine.apply(fight, engine.Forfeit("7"), random.Random(1), at(1))[0]
    text = views.step_text(Step(fight, (), (done,)))
    assert says in text


def test_other_renderers_ignore_a_training_result() -> None:
    """Achievement announcements pick achievements only; `awards` (chi paid by notices) reads
    the reward truthfully."""
    done = TrainingResult(NPCS.find("easy"), "win", reward=40)
    assert progress_views.render_notices(object(), [done]) is None  # type: ignore[arg-type]
    assert awards([done]) == " (including +40 chi from 🐼 Peaceful Panda)"
    assert awards([TrainingResult(NPCS.find("easy"), "fled", penalty=50)]) == ""
