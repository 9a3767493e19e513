"""`log` through the offline Discord: a bug's id is kept for the server it happened in, its
admins read it, members can't, and the other server sees nothing of it."""

from __future__ import annotations

import re

GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def test_a_bug_is_in_this_servers_log_only(sandbox, monkeypatch) -> None:
    async def broken(*args, **kwargs):
        raise RuntimeError("the ledger is on fire")

    monkeypatch.setattr(sandbox.app.economy, "daily", broken)
    answer = (await sandbox.say("Carol", GROVE, "P!daily")).text
    found = re.search(r"Error id `([0-9a-f]{8})`", answer)
    assert found, answer
    error_id = found.group(1)

    listing = (await sandbox.say("Alice", GROVE, "P!log")).text  # the server's owner
    assert error_id in listing and "command chi daily" in listing and "RuntimeError" in listing
    assert "Page 1/1 · 1 error" in listing
    one = (await sandbox.say("Alice", GROVE, f"P!log {error_id}")).text
    assert "the ledger is on fire" in one and "command chi daily" in one and "<@" in one

    assert "Only server admins" in (await sandbox.say("Carol", GROVE, "P!log")).text
    other = (await sandbox.say("Psy", POND, "P!log")).text
    assert "No errors here" in other and error_id not in other
    missing = (await sandbox.say("Psy", POND, f"P!log {error_id}")).text
    assert f"No error `{error_id}` here" in missing


async def test_log_pages_and_bad_input(sandbox) -> None:
    for i in range(13):
        await sandbox.app.error_log.record(
            sandbox.guild_id(GROVE), 1, f"e{i:02d}", "command x", ValueError("v")
        )
        sandbox.app.clock.advance(1)
    second = (await sandbox.say("Alice", GROVE, "P!errors 2")).text
    assert "Page 2/2 · 13 errors" in second and "e02" in second and "e03" not in second
    assert "Page 2/2" in (await sandbox.say("Alice", GROVE, "P!log 999999")).text
    weird = (await sandbox.say("Alice", GROVE, "P!log " + "z" * 300)).text
    assert "No error" in weird and len(weird) < 300
    slash = await sandbox.slash("Alice", GROVE, "admin log")
    assert "Page 1/2" in slash.text


async def test_owners_read_every_servers_log(sandbox) -> None:
    grove, pond = sandbox.guild_id(GROVE), sandbox.guild_id(POND)
    await sandbox.app.error_log.record(grove, 1, "aaaa1111", "command x", ValueError("one"))
    sandbox.app.clock.advance(1)
    await sandbox.app.error_log.record(pond, 1, "bbbb2222", "button y", KeyError("two"))
    every = (await sandbox.say("Psy", GROVE, "P!psy log")).text
    assert "aaaa1111" in every and "bbbb2222" in every and "all servers" in every
    one = (await sandbox.say("Psy", GROVE, f"P!psy log {pond}")).text
    assert "bbbb2222" in one and "aaaa1111" not in one
    assert "aaaa1111" in (await sandbox.say("Psy", GROVE, f'P!psy log "{GROVE}"')).text
    denied = (await sandbox.say("Alice", GROVE, "P!psy log")).text
    assert "bbbb2222" not in denied


async def test_a_bug_in_a_button_press_is_logged_too(sandbox, monkeypatch) -> None:
    app, g = sandbox.app, sandbox.guild_id(GROVE)
    for i in range(15):
        await app.economy.admin_adjust(g, 1, 100_000_000_000_001_000 + i, 1000 + i)
    board = (await sandbox.say("Dave", GROVE, "P!leaderboard")).reply

    async def broken(*args, **kwargs):
        raise RuntimeError("the board fell over")

    monkeypatch.setattr(app.economy, "leaderboard", broken)
    pressed = await sandbox.discord.click(board, sandbox.user_id("Dave"), label="▶")
    found = re.search(r"Error id `([0-9a-f]{8})`", pressed.text)
    assert found, pressed.text
    entry = await app.error_log.find(g, found.group(1))
    assert entry is not None and entry.detail == "the board fell over"
    assert entry.user_id == sandbox.user_id("Dave")
