"""`chibot play`: the offline sandbox in a terminal.

You act as one member in one server; type commands as in Discord (`P!daily`, `/give
member:Bob amount:5`, `what a magnificent day`) and read what the bot answers. Lines starting
with `:` drive the sandbox itself (`:help`). When stdin is not a terminal, one command is read
per line and the replies are printed, so a session can be scripted:

    printf 'P!daily\\n:as Bob\\nP!profile\\n' | chibot play
"""

from __future__ import annotations

import asyncio
import logging
import re
import shlex
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from rich.console import Console, Group
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from chibot.app import App
from chibot.config import Settings
from chibot.core.catalog import load_catalog
from chibot.core.clock import Clock, SystemClock
from chibot.core.db import Database
from chibot.core.rng import make_rng
from chibot.discord.harness import BotError, Exchange, SentMessage
from chibot.discord.sandbox import Sandbox

HELP = """\
[bold]Type what a member would type:[/]
  P!daily · P!give @Bob 20 · P!leaderboard rebirths · what a magnificent day
  /daily · /give member:Bob amount:20 · /config set key:daily_reward value:500
[bold]Sandbox commands:[/]
  :as NAME          act as Alice, Bob, Carol, Dave, Erin or Psy (the bot owner)
  :in SERVER        switch server (Bamboo Grove, Lotus Pond; a prefix is enough)
  :channel NAME     switch channel (general, garden)
  :click N          press button N of the bot's last message (:click N MESSAGE to pick one)
  :wait DURATION    move the clock forward: 30s, 10m, 2h, 1d
  :admin NAME       give NAME the Manage Server permission here (:unadmin NAME takes it)
  :who              who and where you are;  :servers  the servers and their members
  :help · :quit"""

_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


class OffsetClock:
    """Real time plus an offset that `:wait` moves forward."""

    def __init__(self, base: Clock | None = None) -> None:
        self.base = base or SystemClock()
        self.offset = timedelta()

    def now(self) -> datetime:
        return self.base.now() + self.offset


class Player:
    """The state of one sandbox session: who acts where, and the last messages shown."""

    def __init__(self, sandbox: Sandbox, clock: OffsetClock, console: Console) -> None:
        self.sandbox, self.clock, self.console = sandbox, clock, console
        self.user, self.guild, self.channel = "Alice", "Bamboo Grove", "general"
        self.last: list[SentMessage] = []

    @property
    def prompt(self) -> str:
        return f"[{self.user} @ {self.guild} #{self.channel}]> "

    async def handle(self, line: str) -> bool:
        """Run one input line; False means quit."""
        line = line.strip()
        if not line:
            return True
        if line.startswith(":"):
            return await self.meta(line[1:])
        try:
            if line.startswith("/"):
                exchange = await self.slash(line[1:])
            else:
                exchange = await self.sandbox.say(self.user, self.guild, line, self.channel)
        except BotError as error:
            self.console.print(f"[red]bot error:[/] {error}")
            return True
        except (AssertionError, ValueError) as error:
            self.console.print(f"[yellow]{error}[/]")
            return True
        self.show(exchange)
        return True

    async def slash(self, text: str) -> Exchange:
        parts = shlex.split(text)
        words = [p for p in parts if ":" not in p]
        options: dict[str, object] = {}
        for part in parts:
            if ":" in part:
                key, value = part.split(":", 1)
                options[key] = self.sandbox.users.get(value.lstrip("@"), value)
        return await self.sandbox.slash(
            self.user, self.guild, " ".join(words), self.channel, **options
        )

    def show(self, exchange: Exchange) -> None:
        if exchange.reactions:
            self.console.print(f"[dim](the bot reacted {' '.join(exchange.reactions)})[/]")
        shown = [m for m in exchange.messages if not m.deleted]
        if not shown and not exchange.reactions:
            self.console.print("[dim](no answer)[/]")
        for message in shown:
            self.console.print(render(message, self.sandbox))
        if shown:
            self.last = shown

    async def meta(self, text: str) -> bool:
        command, _, rest = text.partition(" ")
        rest = rest.strip()
        sb = self.sandbox
        if command in ("quit", "exit", "q"):
            return False
        if command == "help":
            self.console.print(HELP)
        elif command == "as":
            name = _pick(rest, list(sb.users))
            if name:
                self.user = name
        elif command == "in":
            name = _pick(rest, list(sb.guilds))
            if name:
                self.guild = name
        elif command == "channel":
            if rest in ("general", "garden"):
                self.channel = rest
        elif command == "wait":
            match = _DURATION.match(rest)
            if match:
                self.clock.offset += timedelta(**{_UNITS[match[2]]: int(match[1])})
                self.console.print(
                    f"[dim](the clock moved {rest}; it is now {self.clock.now():%Y-%m-%d %H:%M} UTC)[/]"
                )
            else:
                self.console.print("[yellow]:wait takes 30s, 10m, 2h or 1d[/]")
        elif command == "click":
            await self.click(rest)
        elif command in ("admin", "unadmin"):
            name = _pick(rest, list(sb.users))
            if name:
                sb.discord.set_permissions(
                    sb.guild_id(self.guild), sb.user_id(name), manage_guild=command == "admin"
                )
                self.console.print(
                    f"[dim]({name} {'is now' if command == 'admin' else 'is no longer'} an admin of {self.guild})[/]"
                )
        elif command == "who":
            self.console.print(f"You are {self.user} in {self.guild} #{self.channel}.")
        elif command == "servers":
            for name, guild in sb.guilds.items():
                members = ", ".join(sb.discord.users[u].name for u in guild.members)
                self.console.print(f"[bold]{name}[/]: {members}")
        else:
            self.console.print(f"[yellow]unknown sandbox command :{command} (see :help)[/]")
        return True

    async def click(self, rest: str) -> None:
        args = rest.split()
        if not args or not args[0].isdigit():
            self.console.print("[yellow]:click takes a button number[/]")
            return
        if not self.last:
            self.console.print("[yellow]no message with buttons yet[/]")
            return
        message = next((m for m in reversed(self.last) if m.buttons), self.last[-1])
        try:
            exchange = await self.sandbox.discord.click(
                message, self.sandbox.user_id(self.user), index=int(args[0]) - 1
            )
        except AssertionError as error:
            self.console.print(f"[yellow]{error}[/]")
            return
        self.show(exchange)


def _pick(text: str, names: list[str]) -> str | None:
    found = [n for n in names if n.lower().startswith(text.lower())] if text else []
    if len(found) == 1:
        return found[0]
    return next((n for n in found if n.lower() == text.lower()), None)


_MENTION = re.compile(r"<@!?(\d+)>|<t:(\d+):R>")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _readable(text: str, sandbox: Sandbox, style: str = "") -> Text:
    """Discord markdown made readable: mentions as @Name, timestamps as "in 2h", **bold**."""

    def swap(match: re.Match[str]) -> str:
        if match[1]:
            user = sandbox.discord.users.get(int(match[1]))
            return f"@{user.name}" if user else match[0]
        return f"in {_relative(int(match[2]), sandbox)}"

    markup = _BOLD.sub(r"[bold]\1[/bold]", escape(_MENTION.sub(swap, text)).replace("`", ""))
    return Text.from_markup(markup, style=style)


def _relative(stamp: int, sandbox: Sandbox) -> str:
    seconds = stamp - int(sandbox.app.clock.now().timestamp())
    if seconds <= 0:
        return "now"
    hours, rem = divmod(seconds, 3600)
    return f"{hours}h {rem // 60}m" if hours else f"{rem // 60}m {rem % 60}s"


def render(message: SentMessage, sandbox: Sandbox) -> Panel | Text:
    parts: list[Text] = []
    if message.content:
        parts.append(_readable(message.content, sandbox))
    for embed in message.embeds:
        if embed.get("title"):
            parts.append(_readable(embed["title"], sandbox, "bold"))
        if embed.get("description"):
            parts.append(_readable(embed["description"], sandbox))
        for field in embed.get("fields", []):
            parts.append(
                Text.assemble(
                    (f"{field['name']}: ", "bold cyan"), _readable(str(field["value"]), sandbox)
                )
            )
        if (embed.get("footer") or {}).get("text"):
            parts.append(_readable(embed["footer"]["text"], sandbox, "dim"))
    buttons = message.buttons
    if buttons:
        labels = [
            f"[{i}] {label or cid}" + (" (off)" if disabled else "")
            for i, (cid, label, disabled) in enumerate(buttons, 1)
        ]
        parts.append(Text("  ".join(labels), style="magenta"))
    title = "chibot" + (" (only you see this)" if message.ephemeral else "")
    return Panel(Group(*parts), title=title, title_align="left", expand=False)


async def play_main(settings: Settings, database_url: str | None, seed: int | None) -> int:
    console = Console(highlight=False, soft_wrap=not sys.stdin.isatty())
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    for noisy in ("discord", "alembic"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    tmp = None
    if database_url is None:
        tmp = tempfile.TemporaryDirectory(prefix="chibot-play-")
        database_url = f"sqlite+aiosqlite:///{Path(tmp.name) / 'play.db'}"
    clock = OffsetClock()
    db = Database(database_url, clock=clock)
    await db.upgrade()
    app = App(settings, db, load_catalog(), clock, make_rng(seed))
    sandbox = await Sandbox.start(app, raise_errors=False)
    player = Player(sandbox, clock, console)
    interactive = sys.stdin.isatty()
    if interactive:
        import readline  # noqa: F401  (line editing and history at the prompt)

        console.print(
            "[bold green]chibot sandbox[/]: two servers, five members, no Discord. Type :help."
        )
    try:
        while True:
            try:
                line = (
                    await asyncio.to_thread(input, player.prompt)
                    if interactive
                    else await asyncio.to_thread(sys.stdin.readline)
                )
            except EOFError:
                break
            if not interactive:
                if not line:
                    break
                console.print(f"[bold]{player.prompt}[/]{line.rstrip()}")
            if not await player.handle(line):
                break
            sys.stdout.flush()
    finally:
        await sandbox.close()
        await app.close()
        if tmp is not None:
            tmp.cleanup()
    return 0
