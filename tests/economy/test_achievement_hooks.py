"""Daily streaks, the economy's achievement hooks and the new profile fields, on SQLite and
PostgreSQL (services, then commands through the offline Discord).

Proven here:
- streaks: consecutive UTC days count up (`daily_streak`, `daily_last_day`), a missed day
  starts again at 1, the best streak is kept (`daily_streak_best`); 30 days in a row unlock
  Daily Devotee inside the daily transaction, paid once;
- chat: a secret word unlocks Secrets Unveiled once (first record or later message); an award
  that crosses 1,000,000 lifetime chi unlocks Chi Millionaire, and an ordinary award runs no
  achievement check at all; the first ten members of a server get Early Bird with their
  first award, the eleventh does not;
- `give` checks nobody (a gift is not the receiver playing): Early Bird comes with their own
  next checked action;
- profile: title (escaped), max HP from permanent HP, achievements n/30, current and best
  daily streak.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from chibot.app import App
from chibot.core.tables import members

G = 701
A, B = 11, 22
ADMIN = 99
SECRET, POSITIVE = "cake", "that was magnificent"
GROVE, POND = "Bamboo Grove", "Lotus Pond"
DAY1 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


async def chi(app: App, user: int, guild: int = G) -> int:
    return (await app.db.scoped(guild, lambda s: s.wallet.get(user))).chi


async def counters(app: App, user: int, guild: int = G) -> dict[str, int]:
    return await app.db.scoped(guild, lambda s: s.counters.all(user))


async def unlocked(app: App, user: int, guild: int = G) -> set[str]:
    return set(await app.db.scoped(guild, lambda s: app.progress.unlocked(s, user)))


async def configure(app: App, guild: int = G, **values) -> None:
    for key, value in values.items():
        await app.guild_settings.set(guild, key, value, by=ADMIN)


# --- daily streaks ----------------------------------------------------------------------------


async def test_consecutive_days_count_up(app: App, veterans) -> None:
    app.clock.set(DAY1)
    streaks = []
    for day in range(3):
        app.clock.set(DAY1 + timedelta(days=day, hours=day * 7))  # any time of the UTC day
        result = await app.economy.daily(G, A)
        streaks.append((result.streak, result.best_streak))
    assert streaks == [(1, 1), (2, 2), (3, 3)]
    found = await counters(app, A)
    assert found["daily_streak"] == 3 and found["daily_streak_best"] == 3 and found["dailies"] == 3
    assert found["daily_last_day"] == (DAY1.date() - datetime(1970, 1, 1).date()).days + 2


async def test_a_missed_day_starts_again_and_the_best_is_kept(app: App, veterans) -> None:
    for day in (0, 1, 2, 4, 5):  # day 3 is missed
        app.clock.set(DAY1 + timedelta(days=day))
        result = await app.economy.daily(G, A)
    assert (result.streak, result.best_streak) == (2, 3)
    profile = await app.economy.profile(G, A)
    assert (profile.daily_streak, profile.daily_streak_best) == (2, 3)
    app.clock.set(DAY1 + timedelta(days=6, hours=15))  # 23:00, not claimed today: still alive
    assert (await app.economy.profile(G, A)).daily_streak == 2
    app.clock.set(DAY1 + timedelta(days=7))  # yesterday was missed: broken, best kept
    profile = await app.economy.profile(G, A)
    assert (profile.daily_streak, profile.daily_streak_best) == (0, 3)


async def test_thirty_days_in_a_row_unlock_daily_devotee(app: App, veterans) -> None:
    await configure(app, daily_reward=10)
    found = []
    for day in range(31):
        app.clock.set(DAY1 + timedelta(days=day))
        result = await app.economy.daily(G, A)
        found += [(day + 1, a.id) for a in result.achievements]
    assert found == [(30, "daily_devotee")]
    assert result.streak == 31
    assert await chi(app, A) == 31 * 10 + 4_000  # paid once
    assert await unlocked(app, A) == {"daily_devotee"}


async def test_streaks_are_per_server(app: App, veterans) -> None:
    app.clock.set(DAY1)
    await app.economy.daily(G, A)
    app.clock.set(DAY1 + timedelta(days=1))
    await app.economy.daily(G, A)
    assert (await app.economy.daily(G + 1, A)).streak == 1
    assert (await counters(app, A))["daily_streak"] == 2


# --- chat hooks -------------------------------------------------------------------------------


async def test_secret_word_unlocks_secrets_unveiled_once(app: App, veterans) -> None:
    first = await app.economy.chat(G, A, POSITIVE)  # A's first record: no secret yet
    assert first.achievements == ()
    app.clock.advance(31)
    found = await app.economy.chat(G, A, SECRET)  # through `check_now`, after the award
    assert [a.id for a in found.achievements] == ["secret_explorer"]
    assert found.balance == first.delta + found.delta + 10_000 == await chi(app, A)
    app.clock.advance(31)
    again = await app.economy.chat(G, A, SECRET)
    assert again.achievements == ()
    assert await chi(app, A) == first.delta + found.delta + again.delta + 10_000


async def test_a_first_message_that_is_secret_unlocks_in_the_same_transaction(
    app: App, veterans
) -> None:
    result = await app.economy.chat(G, B, SECRET)
    assert [a.id for a in result.achievements] == ["secret_explorer"]
    assert result.balance == result.delta + 10_000 == await chi(app, B)


async def test_crossing_a_million_by_chat_unlocks_chi_millionaire(
    app: App, veterans, monkeypatch
) -> None:
    await configure(app, chat_positive_min=8, chat_positive_max=8)
    await app.economy.chat(G, A, POSITIVE)  # the record exists
    app.clock.advance(31)
    checks = []
    real = app.progress.check  # run by progress's listener of the economy's ChatAwarded

    async def counting(scope, user_id: int):
        checks.append(user_id)
        return await real(scope, user_id)

    monkeypatch.setattr(app.progress, "check", counting)
    await app.db.scoped(G, lambda s: s.wallet.credit(A, 999_984, reason="test"))  # lifetime 999,992
    ordinary = await app.economy.chat(G, A, POSITIVE)  # 999,992 -> 1,000,000: crosses
    assert ordinary.lifetime_chi == 1_000_000
    assert [a.id for a in ordinary.achievements] == ["millionaire"]
    assert checks == [A]
    app.clock.advance(31)
    after = await app.economy.chat(G, A, POSITIVE)  # nothing crossed: no check at all
    assert after.achievements == () and checks == [A]
    assert await unlocked(app, A) == {"millionaire"}


async def test_an_ordinary_award_runs_no_check(app: App, veterans, monkeypatch) -> None:
    await app.economy.chat(G, A, POSITIVE)
    app.clock.advance(31)

    async def forbidden(*args):
        raise AssertionError("check_now on an ordinary award")

    monkeypatch.setattr(app.progress, "check_now", forbidden)
    monkeypatch.setattr(app.progress, "check", forbidden)
    assert (await app.economy.chat(G, A, POSITIVE)).achievements == ()
    app.clock.advance(31)
    assert (await app.economy.chat(G, A, "you are stupid")).achievements == ()


async def test_the_first_ten_members_are_early_birds(app: App) -> None:
    users = list(range(1, 12))
    results = {}
    for user in users:
        results[user] = await app.economy.chat(G, user, POSITIVE)
        app.clock.advance(1)
    for user in users[:10]:
        assert [a.id for a in results[user].achievements] == ["early_bird"]
        assert await chi(app, user) == results[user].delta + 5_000
    assert results[11].achievements == ()
    assert await chi(app, 11) == results[11].delta
    # each server counts its own first members
    assert [a.id for a in (await app.economy.chat(G + 1, 11, POSITIVE)).achievements] == [
        "early_bird"
    ]


async def test_a_first_record_with_a_penalty_is_early_too(app: App) -> None:
    result = await app.economy.chat(G, A, "you are stupid")
    assert result.delta < 0
    assert [a.id for a in result.achievements] == ["early_bird"]
    assert result.balance == result.delta + 5_000


async def test_give_unlocks_nothing_the_receiver_earns_early_bird_by_playing(app: App) -> None:
    await app.economy.admin_adjust(G, ADMIN, A, 100)
    await app.economy.give(G, A, B, 30)
    assert await unlocked(app, A) == set() and await unlocked(app, B) == set()
    assert await chi(app, B) == 30
    result = await app.economy.daily(G, B)  # B's own first checked action
    assert [a.id for a in result.achievements] == ["early_bird"]
    assert result.balance == 30 + 250 + 5_000


async def test_admin_grants_unlock_nothing(app: App) -> None:
    await app.economy.admin_adjust(G, ADMIN, A, 2_000_000)
    await app.economy.admin_adjust(G, ADMIN, A, 20, currency="rebirths")
    assert await unlocked(app, A) == set()


# --- profile ----------------------------------------------------------------------------------


async def set_title(app: App, guild: int, user: int, title: str) -> None:
    async with app.db.transaction() as conn:
        await conn.execute(
            update(members)
            .where((members.c.guild_id == guild) & (members.c.user_id == user))
            .values(title=title)
        )


async def test_profile_fields(app: App, veterans) -> None:
    stranger = await app.economy.profile(G, B)
    assert (
        stranger.title,
        stranger.max_hp,
        stranger.achievements,
        stranger.achievements_total,
    ) == (None, 250, 0, 30)
    assert (stranger.daily_streak, stranger.daily_streak_best) == (0, 0)

    app.clock.set(DAY1)
    await app.economy.chat(G, A, SECRET)  # Secrets Unveiled
    await app.economy.daily(G, A)
    await app.db.scoped(G, lambda s: s.counters.bump(A, "permanent_hp", 350))
    await set_title(app, G, A, "The Wise")
    profile = await app.economy.profile(G, A)
    assert (profile.title, profile.max_hp, profile.achievements, profile.achievements_total) == (
        "The Wise",
        600,
        1,
        30,
    )
    assert (profile.daily_streak, profile.daily_streak_best) == (1, 1)
    await app.db.scoped(G, lambda s: s.counters.bump(A, "permanent_hp", 10_000))
    assert (await app.economy.profile(G, A)).max_hp == 3_000  # the cap of permanent HP


async def test_profile_command_shows_title_hp_achievements_and_streak(late_sandbox) -> None:
    sandbox = late_sandbox
    g, carol = sandbox.guild_id(GROVE), sandbox.user_id("Carol")
    await sandbox.say("Carol", GROVE, "P!daily")
    await sandbox.app.db.scoped(g, lambda s: s.counters.bump(carol, "permanent_hp", 100))
    await set_title(sandbox.app, g, carol, "**Boss** @everyone <@100000000000000001>")
    ex = await sandbox.say("Dave", GROVE, "P!profile @Carol")
    text = ex.text
    assert "Carol's chi" in text and "Chi: 250" in text and "Rank: #1 of 11" in text
    assert "Max HP: 350" in text and "Achievements: 0/30" in text and "Daily streak: 1 day" in text
    assert (
        "\\*\\*Boss\\*\\*" in text
        and "@everyone" not in text
        and "<@100000000000000001>" not in text
    )
    ex = await sandbox.slash("Carol", POND, "chi profile")  # another world: nothing of that
    assert "Max HP: 250" in ex.text and "Daily streak: 0 days" in ex.text and "🏷️" not in ex.text


async def test_profile_shows_the_best_streak_when_the_current_one_is_shorter(late_sandbox) -> None:
    sandbox = late_sandbox
    for days in (0, 1, 1, 2):  # claims on days 0, 1, 2, then day 4 (day 3 missed)
        sandbox.app.clock.advance(days=days)
        await sandbox.say("Erin", GROVE, "P!daily")
    ex = await sandbox.slash("Erin", GROVE, "chi profile")
    assert "Daily streak: 1 day (best 3 days)" in ex.text


@pytest.mark.parametrize("who", ["Alice", "Bob"])
async def test_early_bird_is_announced_in_the_channel(sandbox, who: str) -> None:
    ex = await sandbox.say(who, POND, "P!daily")
    assert "+250 chi" in ex.text and "Early Bird" in ex.text
    assert "Achievements: 1/30" in (await sandbox.say(who, POND, "P!profile")).text


async def test_secret_word_after_the_first_message_is_announced(late_sandbox) -> None:
    sandbox = late_sandbox
    await sandbox.say("Dave", GROVE, "what a magnificent day")
    sandbox.app.clock.advance(31)
    ex = await sandbox.say("Dave", GROVE, "I love cake")
    assert "found a secret word" in ex.text and "Secrets Unveiled" in ex.text
    sandbox.app.clock.advance(31)
    ex = await sandbox.say("Dave", GROVE, "more cake")
    assert "found a secret word" in ex.text and "Achievement" not in ex.text
