"""The bosses of `content/bosses.toml` and `content/team_bosses.toml` against GAME.md's "every
faucet has a limit" (legacy B1, B4, B7: bosses, raids and the rift paid without cost, key or
cooldown): every reward has a rest, the most a member can take from bosses in a day is
bounded, the key chain is closed and no boss sells what it drops above its worth. Issue 13."""

from __future__ import annotations

import chibot.features  # noqa: F401  (registers every content file's schema)
from chibot.core.catalog import load_catalog
from chibot.features.combat import rift_rules
from chibot.features.combat.bosses import BossesFile
from chibot.features.combat.team_bosses import MIN_RAIDERS, TeamBossesFile

CATALOG = load_catalog()
SOLO = CATALOG.file("bosses", BossesFile)
TEAM = CATALOG.file("team_bosses", TeamBossesFile)


def test_every_boss_reward_rests_and_a_day_of_solo_bosses_is_bounded() -> None:
    """Winning every solo boss the moment it is ready, around the clock: at most 5,000 chi a
    day (1% of a 500,000 rebirth), and each keyed boss at most as often as the key it needs
    can be won."""
    per_day = sum(b.reward * 24 // b.cooldown_hours for b in SOLO.boss)
    assert all(b.cooldown_hours >= 4 for b in SOLO.boss)
    assert per_day <= 5_000, per_day
    wins_a_day = {b.key: 24 // b.cooldown_hours for b in SOLO.boss}
    keys = {d.item: b.key for b in SOLO.boss for d in b.drops if d.chance == 100}
    for b in SOLO.boss:
        if b.entry_key is not None:  # its key comes from the boss before, once per win
            assert wins_a_day[b.key] <= wins_a_day[keys[b.entry_key]]


def test_the_first_boss_is_worth_entering() -> None:
    fang = SOLO.boss[0]
    assert fang.entry_chi and fang.entry_chi < fang.reward  # no net loss for a win


def test_a_raider_takes_at_most_3500_chi_a_day_from_raids() -> None:
    """The smallest raid (the biggest share) winning every boss the moment it rests no more."""
    per_day = sum(t.pot // MIN_RAIDERS * 24 // t.cooldown_hours for t in TEAM.boss)
    assert all(t.cooldown_hours >= 24 for t in TEAM.boss)
    assert per_day <= 3_500, per_day


def test_the_rift_prize_is_a_fixed_pot_and_never_unlimited() -> None:
    """However many join, the pot is at most 9,000 chi, and a rift waits 4 hours after one."""
    assert rift_rules.max_hp(10_000) == rift_rules.MAX_HP
    assert rift_rules.prize(rift_rules.MAX_HP) <= 9_000
    assert rift_rules.REST.total_seconds() >= 4 * 3600


def test_drops_sell_for_less_than_a_win_pays() -> None:
    """What a win's drops fetch when sold, on average (the weapons: 5% of their resale; keys,
    essences and ores sell for nothing), stays under the boss's reward: the reward and the
    key chain stay the point of a fight."""
    for b in SOLO.boss:
        sold = sum(
            CATALOG.items.get(d.item).sell * (d.min + d.max) * d.chance // 200 for d in b.drops
        )
        assert sold <= b.reward, (b.key, sold)
