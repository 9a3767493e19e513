"""`ping`, `uptime` and `donate` through the offline Discord, in both servers."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chibot.config import Settings

GROVE, POND = "Bamboo Grove", "Lotus Pond"


async def test_ping_measures_the_database_and_says_the_gateway_is_offline(sandbox) -> None:
    for server in (GROVE, POND):
        text = (await sandbox.say("Carol", server, "P!ping")).text
        assert "🏓 Pong! Gateway: offline (the sandbox) · Database: " in text, text
        assert " ms." in text
    slash = await sandbox.slash("Bob", GROVE, "info ping")
    assert "Database: " in slash.text
    extra = (await sandbox.say("Carol", GROVE, "P!ping now")).text
    assert "Too many arguments" in extra and "Usage: `P!ping`." in extra


async def test_uptime_counts_on_the_apps_clock(sandbox) -> None:
    text = (await sandbox.say("Carol", GROVE, "P!uptime")).text
    assert "Up for 0 seconds" in text and "in 2 servers" in text
    sandbox.app.clock.advance(2 * 86_400 + 3 * 3_600 + 5)
    text = (await sandbox.say("Bob", POND, "P!uptime")).text
    assert "Up for 2 days, 3 hours, since " in text, text


async def test_donate_without_a_link_says_the_bot_takes_none(sandbox) -> None:
    text = (await sandbox.say("Carol", GROVE, "P!donate")).text
    assert "takes no donations" in text and "never sold" in text and "http" not in text


async def test_donate_shows_the_hosts_link_without_an_embed(sandbox) -> None:
    sandbox.app.settings.donate_url = "https://example.org/chibot"
    text = (await sandbox.say("Carol", POND, "P!donate")).text
    assert "<https://example.org/chibot>" in text and "buy nothing in the game" in text


@pytest.mark.parametrize("bad", ["http://example.org", "javascript:alert(1)", "https://a b", "x"])
def test_a_donation_link_must_be_one_https_link(bad: str) -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, donate_url=bad)
    assert Settings(_env_file=None, donate_url="  ").donate_url is None


async def test_the_info_group_lists_its_commands_and_its_names_answer(sandbox) -> None:
    text = (await sandbox.say("Carol", GROVE, "P!info")).text
    for name in ("ping", "uptime", "donate"):
        assert name in text, text
    for typed in ("P!info ping", "P!latency", "P!info uptime", "P!support", "P!info donate"):
        assert (await sandbox.say("Bob", POND, typed)).text, typed
