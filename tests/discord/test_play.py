"""`chibot play`, the sandbox in a terminal: what a player types and what they read.

Most tests drive a `Player` over the test sandbox and read what it printed; the last ones run
whole sessions through `play()` with scripted input (as `printf ... | chibot play` does).
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from rich.console import Console

from chibot.config import Settings
from chibot.discord.play import Player, play, readable, relative

GROVE, POND = "Bamboo Grove", "Lotus Pond"


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/chibot.db"  # the sandbox is the same on both


def _console(width: int = 100) -> Console:
    return Console(file=io.StringIO(), width=width, highlight=False, color_system=None)


def _out(console: Console) -> str:
    return console.file.getvalue()  # type: ignore[attr-defined]


def _flat(text: str) -> str:
    """The printed text without panel borders and line breaks (a folded line is one again)."""
    return re.sub(r"[\s│╭╮╰╯─]+", "", text)


@pytest.fixture
def player(sandbox) -> Player:
    return Player(sandbox, _console())


async def run(player: Player, *lines: str) -> str:
    before = len(_out(player.console))
    for line in lines:
        assert await player.handle(line) is True
    return _out(player.console)[before:]


# --- slash commands naming members -----------------------------------------------------------


async def test_slash_member_options_by_name_never_crash_the_sandbox(player) -> None:
    unknown = await run(player, "/profile member:Zed")
    assert "no user 'Zed'" in unknown
    given = await run(player, "/give member:bob 5")  # a name in any case, a value in order
    assert "You need 5 chi" in given or "gave 5 chi to Bob" in given
    await run(player, ":as Psy", "P!chiadd @Alice 100")
    player.user = "Alice"
    assert "Alice gave 5 chi to Bob" in await run(player, "/give Bob 5")
    assert "Alice gave 7 chi to Bob" in await run(player, "/chi give member:@Bob amount:7")
    assert "too many values" in await run(player, "/give Bob 5 chi 6")
    assert "is one of" in await run(player, "/give Bob 5 6")
    assert "no slash command /nowhere" in await run(player, "/nowhere")


async def test_a_mention_of_someone_not_in_the_server_is_answered_as_online(player) -> None:
    await run(player, ":in Lotus")
    for line in ("P!profile @Erin", "P!profile <@100000000000000077>"):
        out = await run(player, line)
        assert "I can't find a member called" in out, line
        assert "Error id" not in out
    slash = await run(player, "/profile member:Erin")  # a user, but not a member of this one
    assert "isn't in this server" in slash and "Error id" not in slash


# --- time ------------------------------------------------------------------------------------


async def test_wait_expires_a_rebirth_offer(player, sandbox) -> None:
    await run(player, ":as Psy", "P!chiadd @Alice 1000000", ":as Alice")
    offer = await run(player, "P!rebirth")
    assert "Rebirth?" in offer and "[1] Confirm" in offer
    expired = await run(player, ":wait 3m")
    assert "the clock moved 3m" in expired and "Rebirth offer expired" in expired
    assert "no clickable button" in await run(player, ":click 1")
    assert (
        await sandbox.app.economy.profile(sandbox.guild_id(GROVE), sandbox.user_id("Alice"))
    ).rebirths == 0


async def test_wait_moves_the_clock_that_offers_check(player, sandbox) -> None:
    start = sandbox.app.clock.now()
    await run(player, ":as Psy", "P!arebirth @Alice 5", ":as Alice", "P!rshop")
    quote = await run(player, ":select R5")
    assert "Buy 1 × " in quote and "expires in 2 minutes" in quote
    await run(player, ":wait 3m")
    assert sandbox.app.clock.now() - start == timedelta(minutes=3)
    assert "This offer has expired" in await run(player, ":click 1")


async def test_wait_takes_a_duration(player) -> None:
    assert ":wait takes 30s, 10m, 2h or 1d" in await run(player, ":wait soon")


# --- select menus ----------------------------------------------------------------------------


async def test_the_shop_select_menu_is_shown_and_can_be_used(player) -> None:
    await run(player, ":as Psy", "P!chiadd @Alice 100000", ":as Alice")
    shop = await run(player, "P!cshop")
    assert "select 1: Buy…" in shop and "(1) C1 · Verdant Windblade · 200 chi" in shop
    assert "Alice bought 1 × 🗡️ Verdant Windblade" in await run(player, ":select 1 1")
    assert "Alice bought 1 × 🔪 Crimson Fang Dagger" in await run(player, ":select fang")
    assert "has no option '99'" in await run(player, ":select 99")
    assert "takes a menu number" in await run(player, ":select 2 1")


# --- what the player reads -------------------------------------------------------------------


def test_relative_times_read_as_discord_shows_them() -> None:
    assert relative(300) == "in 5 minutes" and relative(-7200) == "2 hours ago"
    assert relative(30) == "in 30 seconds" and relative(86400 * 3) == "in 3 days"
    assert relative(0) == "now"


async def test_timestamps_mentions_and_markdown_are_rendered(sandbox) -> None:
    now = int(sandbox.app.clock.now().timestamp())
    bob = sandbox.user_id("Bob")
    text = readable(
        f"ready <t:{now + 300}:R>, *really* **soon** for <@{bob}> `P!daily` \\_Zed\\_", sandbox
    )
    assert text.plain == "ready in 5 minutes, really soon for @Bob P!daily _Zed_"
    styles = {text.plain[s.start : s.end]: str(s.style) for s in text.spans}
    assert styles["really"] == "italic" and styles["soon"] == "bold"
    stamp = readable("<t:0:D>", sandbox)
    assert stamp.plain == "01 January 1970 UTC"
    quote = readable("> said\n-# small", sandbox)
    assert quote.plain == "│ said\nsmall"


async def test_cooldowns_show_relative_times(player) -> None:
    await run(player, "P!daily")
    out = await run(player, "P!cooldowns")
    assert "<t:" not in out and re.search(r"in \d+ hours", out)


# --- sandbox commands ------------------------------------------------------------------------


async def test_bad_sandbox_commands_answer_with_the_list(player) -> None:
    out = await run(player, ":nonsense")
    assert "There is no sandbox command :nonsense." in out
    assert ":as NAME" in out and ":select N OPTION" in out and ":wait DURATION" in out
    assert "No member 'Zed': choose one of Alice" in await run(player, ":as Zed")
    assert "No server 'Nowhere'" in await run(player, ":in Nowhere")
    assert "No channel 'lobby'" in await run(player, ":channel lobby")
    assert "command :[red]x." in await run(player, ":[red]x")  # markup typed is shown as typed


# --- whole sessions --------------------------------------------------------------------------


def _script(*lines: object):
    """A `read` for play(): each item is a line, or an exception to raise (Ctrl-C, Ctrl-D)."""
    queue = list(lines)

    def read(prompt: str) -> str:
        item = queue.pop(0) if queue else EOFError()
        if isinstance(item, BaseException):
            raise item
        return str(item)

    return read


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # the working tree of these sessions
    return tmp_path


def _settings() -> Settings:
    return Settings(_env_file=None, discord_token=None, owner_ids=[], default_prefix="P!")


def test_ctrl_c_drops_the_line_and_ctrl_d_ends_the_session(in_tmp: Path) -> None:
    console = _console()
    read = _script(KeyboardInterrupt(), "P!daily", KeyboardInterrupt(), EOFError(), "P!daily")
    assert play(_settings(), None, 1, read=read, console=console) == 0
    out = _out(console)
    assert out.count("^C (line dropped") == 2
    assert out.count("Your daily reward") == 1  # the session went on after ^C, ended at ^D


def test_a_piped_session_never_cuts_long_lines(
    in_tmp: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")  # a narrow pipe: stdout is not a terminal here
    long_word = "w" * 120
    play(_settings(), None, 1, read=_script(f"P!help {long_word}", "/config"))
    out = capsys.readouterr().out
    assert f"P!help {long_word}" in out  # the command echoed whole, on one line
    assert "Change:P!configset<key><value>·P!configreset<key>" in _flat(out)
    assert "`shop_price_multiplier`=100" in _flat(out) or "shop_price_multiplier=100" in _flat(out)
    panel = [line for line in out.splitlines() if line.startswith("│")]
    assert panel and all(line.endswith("│") for line in panel)  # folded, never cropped


def test_totalreset_writes_its_export_in_a_temporary_directory(in_tmp: Path) -> None:
    console = _console(width=400)
    read = _script("P!daily", "P!totalreset", ":click 1")
    play(_settings(), None, 1, read=read, console=console)
    out = _out(console)
    match = re.search(r"An export was saved first: (\S+\.json)", out)
    assert match, out
    assert "chibot-play-" in match[1] and not match[1].startswith(str(in_tmp))
    assert not (in_tmp / "data").exists()  # nothing in the working tree
    assert not Path(match[1]).exists()  # and the temporary directory is gone with the session
