"""`cooldowns [member]` (the hourly chat cap included) and `stats` that shows only what a
player can read (labels, dates), through the offline Discord."""

from __future__ import annotations

import re

GROVE = "Bamboo Grove"


async def test_cooldowns_of_another_member(sandbox) -> None:
    await sandbox.say("Bob", GROVE, "P!daily")
    ex = await sandbox.say("Carol", GROVE, "P!cooldowns @Bob")
    assert "Bob's cooldowns" in ex.text and "📅 Daily reward · ready <t:" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!cooldowns")
    assert "Carol's cooldowns" in ex.text and "everything is ready" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!cooldowns nobody")
    assert "can't find a member called `nobody`" in ex.text


async def test_cooldowns_show_the_hourly_chat_cap_and_when_it_resets(sandbox) -> None:
    for key, value in [
        ("chat_positive_min", 1),
        ("chat_positive_max", 1),
        ("chat_hourly_cap", 2),
        ("chat_cooldown_seconds", 0),
    ]:
        await sandbox.say("Alice", GROVE, f"P!config set {key} {value}")
    await sandbox.say("Carol", GROVE, "what a magnificent day")
    ex = await sandbox.say("Carol", GROVE, "P!cooldowns")
    assert "everything is ready" in ex.text  # 1 of 2: another message still earns
    sandbox.app.clock.advance(60)
    await sandbox.say("Carol", GROVE, "what a magnificent idea")
    ex = await sandbox.say("Carol", GROVE, "such a magnificent plan")
    assert ex.reactions == []  # the cap: nothing more this hour
    ex = await sandbox.say("Carol", GROVE, "P!cooldowns")
    assert "everything is ready" not in ex.text
    assert re.search(
        r"Hourly chat cap reached \(2/2 chi this hour\): chat earns nothing until it resets <t:\d+:R>",
        ex.text,
    ), ex.text
    sandbox.app.clock.advance(3600)
    ex = await sandbox.say("Carol", GROVE, "P!cooldowns")
    assert "everything is ready" in ex.text


async def test_stats_show_labels_and_dates_not_internal_counters(sandbox) -> None:
    await sandbox.say("Carol", GROVE, "P!daily")
    text = (await sandbox.say("Carol", GROVE, "P!stats")).text
    assert "Daily Last Day" not in text and "daily_last_day" not in text
    assert re.search(r"Last daily reward: <t:\d+:D>", text)
    assert re.search(r"Playing here since: <t:\d+:D>", text)
    assert "Daily streak: 1 day\n" in text and "Daily rewards claimed: 1" in text
    assert not re.search(r": 20,\d{3}\b", text)  # no day numbers
