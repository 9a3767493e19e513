"""`chibot play`: the offline sandbox in a terminal.

You act as one member in one server; type commands as in Discord (`P!daily`, `/give
member:Bob amount:5`, `what a magnificent day`) and read what the bot answers. Lines starting
with `:` drive the sandbox itself (`:help`). When stdin is not a terminal, one command is read
per line and the replies are printed, so a session can be scripted:

    printf 'P!daily\\n:as Bob\\nP!profile\\n' | chibot play

At the prompt, Ctrl-C drops the line being typed (the session goes on) and Ctrl-D ends the
session. Everything the session writes (its database unless `--database-url` is given, the
exports `totalreset` saves first) goes to a temporary directory, removed at the end.
"""

from __future__ import annotations

import asyncio
import logging
import re
import shlex
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands
from rich.console import Console, Group
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

META = """\
[bold]Sandbox commands:[/]
  :as NAME          act as Alice, Bob, Carol, Dave, Erin or Psy (the bot owner)
  :in SERVER        switch server (Bamboo Grove, Lotus Pond; a prefix is enough)
  :channel NAME     switch channel (general, garden)
  :click N          press button N of the latest message with buttons
                    (:click N M: of message M of the last answer)
  :select N OPTION  choose OPTION (its number, value or label; several: 1,3) in
                    menu N of the latest message with one (:select OPTION if one)
  :wait DURATION    move the clock on: 30s, 10m, 2h, 1d (offers and prompts expire)
  :admin NAME       give NAME Manage Server here (:unadmin NAME takes it back)
  :who              who and where you are;  :servers  servers and their members
  :help · :quit     (Ctrl-C drops the line being typed; Ctrl-D quits)"""
HELP = (
    """\
[bold]Type what a member would type:[/]
  P!daily · P!give @Bob 20 · P!leaderboard rebirths · what a magnificent day
  /daily · /give member:Bob amount:20 · /give Bob 20 · /config set daily_reward 500
"""
    + META
)

_DURATION = re.compile(r"^(\d+)\s*([smhd])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_OPTION = re.compile(r"^([A-Za-z_][\w-]*):(.*)$", re.S)


class OffsetClock:
    """Real time plus an offset that `:wait` moves forward."""

    def __init__(self, base: Clock | None = None) -> None:
        self.base = base or SystemClock()
        self.offset = timedelta()

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        self.offset += timedelta(seconds=seconds, **kwargs)
        return self.now()


class Player:
    """The state of one sandbox session: who acts where, and the last messages shown."""

    def __init__(self, sandbox: Sandbox, console: Console) -> None:
        self.sandbox, self.console = sandbox, console
        self.user, self.guild, self.channel = "Alice", "Bamboo Grove", "general"
        self.last: list[SentMessage] = []  # the messages of the last answer
        self.seen: list[SentMessage] = []  # every message shown, oldest first

    @property
    def prompt(self) -> str:
        return f"[{self.user} @ {self.guild} #{self.channel}]> "

    def warn(self, text: object) -> None:
        self.console.print(Text(str(text), style="yellow"))

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
            self.console.print(Text.assemble(("bot error: ", "red"), str(error)))
            return True
        except (AssertionError, ValueError) as error:  # what Discord's client would not send
            self.warn(error)
            return True
        except Exception as error:  # noqa: BLE001 - a sandbox bug must not end the session
            self.console.print(Text.assemble(("sandbox error: ", "red"), repr(error)))
            return True
        self.show(exchange)
        return True

    # --- slash commands ------------------------------------------------------------------

    def _app_command(self, words: list[str]) -> tuple[Any, int] | None:
        """The app command the first words name (a shortcut such as `give` is `chi give`, a
        group with a fallback such as `config` is `admin config show`), and how many words."""
        tree = self.sandbox.bot.tree
        leaves = {
            c.qualified_name: c
            for c in tree.walk_commands()
            if isinstance(c, discord.app_commands.Command)
        }
        for n in range(len(words), 0, -1):
            name = " ".join(words[:n]).lower()
            candidates = [name]
            command = self._prefix_command(words[:n])
            if command is not None:
                candidates.append(command.qualified_name)
                if fallback := getattr(command, "fallback", None):
                    candidates.append(f"{command.qualified_name} {fallback}")
            for candidate in candidates:
                if candidate in leaves:
                    return leaves[candidate], n
        return None

    def _prefix_command(self, words: list[str]) -> Any:
        """The prefix command these words name exactly (`give`, `admin config set`), if any."""
        found: Any = self.sandbox.bot
        for word in words:
            if not isinstance(found, commands.GroupMixin):
                return None
            found = found.all_commands.get(word.lower())
            if found is None:
                return None
        return found

    async def slash(self, text: str) -> Exchange:
        """`/give member:Bob amount:5`, or with values in order: `/give Bob 5`."""
        words, options = [], {}
        for part in shlex.split(text):
            if match := _OPTION.match(part):
                options[match[1]] = match[2]
            else:
                words.append(part)
        found = self._app_command(words)
        if found is None:
            raise AssertionError(f"no slash command /{' '.join(words)} (try :help)")
        command, used = found
        rest = words[used:]
        for param in command.parameters:
            if rest and param.name not in options and param.display_name not in options:
                options[param.display_name] = rest.pop(0)
        if rest:
            raise AssertionError(f"/{command.qualified_name}: too many values ({' '.join(rest)})")
        return await self.sandbox.slash(
            self.user, self.guild, command.qualified_name, self.channel, **options
        )

    # --- showing -------------------------------------------------------------------------

    def show(self, exchange: Exchange) -> None:
        if exchange.reactions:
            self.console.print(
                Text(f"(the bot reacted {' '.join(exchange.reactions)})", style="dim")
            )
        shown = [m for m in exchange.messages if not m.deleted]
        if not shown and not exchange.reactions and not exchange.refusals:
            self.console.print(Text("(no answer)", style="dim"))
        for message in shown:
            self.console.print(render(message, self.sandbox))
        for refusal in exchange.refusals:  # what Discord would have refused (HTTP 400)
            self.console.print(
                Text.assemble(("Discord would refuse this reply: ", "bold red"), str(refusal))
            )
        if shown:
            self.last = shown
            self.seen = [m for m in self.seen if all(m is not s for s in shown)] + shown

    # --- sandbox commands ----------------------------------------------------------------

    async def meta(self, text: str) -> bool:
        command, _, rest = text.partition(" ")
        command, rest = command.lower(), rest.strip()
        sb = self.sandbox
        if command in ("quit", "exit", "q"):
            return False
        if command == "help":
            self.console.print(HELP)
        elif command == "as":
            if name := self._choose(rest, list(sb.users), "member"):
                self.user = name
        elif command == "in":
            if name := self._choose(rest, list(sb.guilds), "server"):
                self.guild = name
        elif command == "channel":
            if name := self._choose(rest.lstrip("#"), ["general", "garden"], "channel"):
                self.channel = name
        elif command == "wait":
            await self.wait(rest)
        elif command == "click":
            await self.click(rest)
        elif command == "select":
            await self.select(rest)
        elif command in ("admin", "unadmin"):
            if name := self._choose(rest, list(sb.users), "member"):
                sb.discord.set_permissions(
                    sb.guild_id(self.guild), sb.user_id(name), manage_guild=command == "admin"
                )
                verb = "is now" if command == "admin" else "is no longer"
                self.console.print(Text(f"({name} {verb} an admin of {self.guild})", style="dim"))
        elif command == "who":
            self.console.print(f"You are {self.user} in {self.guild} #{self.channel}.")
        elif command == "servers":
            for name, guild in sb.guilds.items():
                members = ", ".join(sb.discord.users[u].name for u in guild.members)
                self.console.print(Text.assemble((name, "bold"), f": {members}"))
        else:
            self.warn(f"There is no sandbox command :{command}.")
            self.console.print(META)
        return True

    def _choose(self, text: str, names: list[str], what: str) -> str | None:
        name = _pick(text, names)
        if name is None:
            said = f" {text!r}" if text else ""
            self.warn(f"No {what}{said}: choose one of {', '.join(names)}.")
        return name

    async def wait(self, rest: str) -> None:
        match = _DURATION.match(rest)
        if not match:
            self.warn(":wait takes 30s, 10m, 2h or 1d")
            return
        seconds = timedelta(**{_UNITS[match[2]]: int(match[1])}).total_seconds()
        exchange = await self.sandbox.wait(seconds)
        now = self.sandbox.app.clock.now()
        self.console.print(
            Text(f"(the clock moved {rest}; it is now {now:%Y-%m-%d %H:%M} UTC)", style="dim")
        )
        if exchange.messages or exchange.refusals:
            self.show(exchange)

    def _target(self, rest: list[str], has: Callable[[SentMessage], bool]) -> SentMessage | None:
        """The message meant: message `rest[0]` of the last answer, else the latest message
        shown that `has` what is asked for (buttons, a menu), as a member scrolls up to it."""
        if not self.seen:
            self.warn("No message from the bot yet.")
            return None
        if rest and rest[0].isdigit() and 1 <= int(rest[0]) <= len(self.last):
            return self.last[int(rest[0]) - 1]
        live = [m for m in self.seen if not m.deleted]
        return next((m for m in reversed(live) if has(m)), live[-1] if live else None)

    async def click(self, rest: str) -> None:
        args = rest.split()
        if not args or not args[0].isdigit():
            self.warn(":click takes a button number (:click 2, or :click 2 MESSAGE)")
            return
        message = self._target(args[1:], lambda m: bool(m.buttons))
        if message is None:
            return
        try:
            exchange = await self.sandbox.discord.click(
                message, self.sandbox.user_id(self.user), index=int(args[0]) - 1
            )
        except AssertionError as error:
            self.warn(error)
            return
        self.show(exchange)

    async def select(self, rest: str) -> None:
        args = rest.split()
        message = self._target([], lambda m: bool(m.menus))
        if message is None:
            return
        menus = message.menus
        if not menus:
            self.warn("No message of the bot has a select menu.")
            return
        if len(args) == 1 and len(menus) == 1:
            args = ["1", *args]
        if len(args) != 2 or not args[0].isdigit() or not 1 <= int(args[0]) <= len(menus):
            self.warn(f":select takes a menu number (1..{len(menus)}) and an option")
            return
        menu = menus[int(args[0]) - 1]
        values = []
        for choice in args[1].split(","):
            value = _option_value(menu, choice)
            if value is None:
                self.warn(f"Menu {args[0]} has no option {choice!r}.")
                return
            values.append(value)
        try:
            exchange = await self.sandbox.discord.select(
                message, self.sandbox.user_id(self.user), values, custom_id=menu["custom_id"]
            )
        except AssertionError as error:
            self.warn(error)
            return
        self.show(exchange)


def _option_value(menu: dict[str, Any], choice: str) -> str | None:
    """An option of a string select, by number (1-based), value or label; a member/role/channel
    select takes the id itself."""
    options = menu.get("options") or []
    if not options:
        return choice if choice.isdigit() else None
    if choice.isdigit() and 1 <= int(choice) <= len(options):
        return str(options[int(choice) - 1]["value"])
    lowered = choice.lower()
    for option in options:
        if lowered in (str(option["value"]).lower(), str(option["label"]).lower()):
            return str(option["value"])
    found = [o for o in options if lowered in str(o["label"]).lower()]  # a word of its label
    return str(found[0]["value"]) if len(found) == 1 else None


def _pick(text: str, names: list[str]) -> str | None:
    found = [n for n in names if n.lower().startswith(text.lower())] if text else []
    if len(found) == 1:
        return found[0]
    return next((n for n in found if n.lower() == text.lower()), None)


# --- Discord's markdown, readable in a terminal --------------------------------------------

_TOKEN = re.compile(
    r"""
      \\(?P<esc>[^A-Za-z0-9\s])
    | <@!?(?P<user>\d+)>
    | <@&(?P<role>\d+)>
    | <\#(?P<channel>\d+)>
    | <a?:(?P<emoji>\w+):\d+>
    | <t:(?P<stamp>-?\d+)(?::(?P<style>[tTdDfFR]))?>
    | (?P<tick>`+)(?P<code>.+?)(?P=tick)
    | \*\*(?P<bold>.+?)\*\*
    | __(?P<underline>.+?)__
    | \*(?P<italic>[^*\s](?:.*?[^*\s])?)\*
    | (?<![\w\\])_(?P<italic2>[^_\s](?:.*?[^_\s\\])?)_(?!\w)
    | ~~(?P<strike>.+?)~~
    | \|\|(?P<spoiler>.+?)\|\|
    | \[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)
    """,
    re.X | re.S,
)
_KINDS = (
    "esc",
    "user",
    "role",
    "channel",
    "emoji",
    "stamp",
    "code",
    "bold",
    "underline",
    "italic",
    "italic2",
    "strike",
    "spoiler",
    "label",
)
_STYLES = {
    "bold": "bold",
    "underline": "underline",
    "italic": "italic",
    "italic2": "italic",
    "strike": "strike",
    "spoiler": "reverse",
}
_DATES = {
    "t": "%H:%M",
    "T": "%H:%M:%S",
    "d": "%d/%m/%Y",
    "D": "%d %B %Y",
    "f": "%d %B %Y %H:%M",
    "F": "%A, %d %B %Y %H:%M",
}


def relative(seconds: float) -> str:
    """A relative time as Discord shows `<t:…:R>`: "in 5 minutes", "2 hours ago"."""
    s = abs(seconds)
    if s < 1:
        return "now"
    steps = (  # below this many seconds: this many seconds a unit (None: the words as they are)
        (45, 1, "seconds"),
        (90, None, "a minute"),
        (45 * 60, 60, "minutes"),
        (90 * 60, None, "an hour"),
        (22 * 3600, 3600, "hours"),
        (36 * 3600, None, "a day"),
        (26 * 86400, 86400, "days"),
        (45 * 86400, None, "a month"),
        (320 * 86400, 30 * 86400, "months"),
        (548 * 86400, None, "a year"),
        (float("inf"), 365 * 86400, "years"),
    )
    _, unit, words = next(step for step in steps if s < step[0])
    if unit is not None:
        n = round(s / unit)
        words = f"{n} {words.removesuffix('s') if n == 1 else words}"
    return f"in {words}" if seconds > 0 else f"{words} ago"


def readable(text: str, sandbox: Sandbox, style: str = "") -> Text:
    """Discord's markdown as a terminal shows it: mentions as @Name, timestamps as "in 5
    minutes", **bold**, *italics*, __underline__, ~~strike~~, `code`, escapes undone; a line
    starting with `#` is a heading, `-#` small print, `>` a quote."""
    out = Text(style=style)
    for i, line in enumerate(text.split("\n")):
        if i:
            out.append("\n")
        line_style = ""
        if heading := re.match(r"^(#{1,3}) ", line):
            line, line_style = line[heading.end() :], "bold underline"
        elif line.startswith("-# "):
            line, line_style = line[3:], "dim"
        elif line.startswith("> "):
            out.append("│ ", style="dim")
            line, line_style = line[2:], "italic"
        out.append_text(_inline(line, sandbox, line_style))
    return out


def _inline(text: str, sandbox: Sandbox, style: str) -> Text:
    out, at = Text(style=style), 0
    for match in _TOKEN.finditer(text):
        out.append(text[at : match.start()])
        at = match.end()
        groups = match.groupdict()
        kind = next(k for k in _KINDS if groups[k] is not None)
        value = groups[kind]
        if kind == "esc":
            out.append(value)
        elif kind == "user":
            user = sandbox.discord.users.get(int(value))
            out.append(f"@{user.name}" if user else "@unknown-user", style="cyan")
        elif kind == "role":
            role = next(
                (g.roles[int(value)] for g in sandbox.guilds.values() if int(value) in g.roles),
                None,
            )
            out.append(f"@{role.name}" if role else "@unknown-role", style="cyan")
        elif kind == "channel":
            channel = sandbox.discord.channels.get(int(value))
            out.append(f"#{channel.name}" if channel else "#unknown-channel", style="cyan")
        elif kind == "emoji":
            out.append(f":{value}:")
        elif kind == "stamp":
            out.append(_stamp(int(value), match["style"] or "f", sandbox), style="green")
        elif kind == "code":
            out.append(value, style="bold cyan")
        elif kind == "label":
            out.append(f"{match['label']} ({match['url']})", style="underline")
        else:
            out.append_text(_inline(value, sandbox, _STYLES[kind]))
    out.append(text[at:])
    return out


def _stamp(stamp: int, style: str, sandbox: Sandbox) -> str:
    if style == "R":
        return relative(stamp - sandbox.app.clock.now().timestamp())
    return datetime.fromtimestamp(stamp, UTC).strftime(_DATES[style]) + " UTC"


def render(message: SentMessage, sandbox: Sandbox) -> Panel:
    parts: list[Text] = []
    if message.content:
        parts.append(readable(message.content, sandbox))
    for embed in message.embeds:
        if (embed.get("author") or {}).get("name"):
            parts.append(readable(embed["author"]["name"], sandbox, "dim"))
        if embed.get("title"):
            parts.append(readable(embed["title"], sandbox, "bold"))
        if embed.get("description"):
            parts.append(readable(embed["description"], sandbox))
        for field in embed.get("fields", []):
            parts.append(
                Text.assemble(
                    (f"{field['name']}: ", "bold cyan"), readable(str(field["value"]), sandbox)
                )
            )
        if (embed.get("footer") or {}).get("text"):
            parts.append(readable(embed["footer"]["text"], sandbox, "dim"))
    buttons = message.buttons
    if buttons:
        labels = [
            f"[{i}] {label or cid}" + (" (off)" if disabled else "")
            for i, (cid, label, disabled) in enumerate(buttons, 1)
        ]
        parts.append(Text("  ".join(labels), style="magenta"))
    for n, menu in enumerate(message.menus, 1):
        head = f"select {n}: {menu.get('placeholder') or 'choose'}"
        if menu.get("disabled"):
            head += " (off)"
        lines = [Text(head, style="bold magenta")]
        for i, option in enumerate(menu.get("options") or [], 1):
            about = f" · {option['description']}" if option.get("description") else ""
            lines.append(Text(f"  ({i}) {option['label']}{about}", style="magenta"))
        if not menu.get("options"):
            lines.append(Text("  (takes a member, role or channel id)", style="magenta"))
        parts.extend(lines)
    title = "chibot" + (" (only you see this)" if message.ephemeral else "")
    return Panel(Group(*parts), title=title, title_align="left", expand=False)


# --- the session -----------------------------------------------------------------------------


@dataclass
class Session:
    """One `chibot play`: the sandbox over a fresh (or given) database, files kept in `tmp`."""

    player: Player
    app: App
    tmp: tempfile.TemporaryDirectory[str]

    @classmethod
    async def open(
        cls, settings: Settings, database_url: str | None, seed: int | None, console: Console
    ) -> Session:
        tmp = tempfile.TemporaryDirectory(prefix="chibot-play-")
        # the sandbox writes nothing into the working tree: `totalreset`'s export goes here
        settings = settings.model_copy(update={"export_dir": str(Path(tmp.name) / "exports")})
        if database_url is None:
            database_url = f"sqlite+aiosqlite:///{Path(tmp.name) / 'play.db'}"
        clock = OffsetClock()
        db = Database(database_url, clock=clock)
        try:
            await db.upgrade()
            app = App(settings, db, load_catalog(), clock, make_rng(seed))
            sandbox = await Sandbox.start(app, raise_errors=False)
        except BaseException:
            await db.dispose()
            tmp.cleanup()
            raise
        return cls(Player(sandbox, console), app, tmp)

    async def close(self) -> None:
        try:
            await self.player.sandbox.close()
            await self.app.close()
        finally:
            self.tmp.cleanup()


def _reader(interactive: bool) -> Callable[[str], str]:
    if interactive:
        import readline  # noqa: F401  (line editing and history at the prompt)

        return input

    def read(prompt: str) -> str:
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    return read


def run_session(
    runner: asyncio.Runner,
    player: Player,
    read: Callable[[str], str],
    *,
    echo: bool = False,
) -> None:
    """The prompt loop: Ctrl-C drops the line being typed, Ctrl-D (end of input) ends it."""
    console = player.console
    while True:
        try:
            line = read(player.prompt)
        except KeyboardInterrupt:
            console.print(Text("^C (line dropped; Ctrl-D or :quit ends the session)", style="dim"))
            continue
        except EOFError:
            console.print()
            return
        if echo:  # a scripted session shows each command before its answer, on one line
            console.print(Text.assemble((player.prompt, "bold"), line), soft_wrap=True)
        try:
            if not runner.run(player.handle(line)):
                return
        except KeyboardInterrupt:
            console.print(Text("(interrupted)", style="dim"))
        sys.stdout.flush()


def play(
    settings: Settings,
    database_url: str | None,
    seed: int | None,
    *,
    read: Callable[[str], str] | None = None,
    console: Console | None = None,
) -> int:
    """`chibot play`; `read` (a prompt -> line function) and `console` are for tests."""
    interactive = read is None and sys.stdin.isatty()
    # never soft-wrap: a piped session's long lines wrap inside the panels, nothing is cut
    console = console or Console(highlight=False)
    logging.getLogger().setLevel(max(logging.WARNING, logging.getLogger().level))
    for noisy in ("discord", "alembic"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    with asyncio.Runner() as runner:
        session = runner.run(Session.open(settings, database_url, seed, console))
        try:
            if interactive:
                console.print(
                    "[bold green]chibot sandbox[/]: two servers, five members, no Discord. "
                    "Type :help."
                )
            run_session(runner, session.player, read or _reader(interactive), echo=not interactive)
        finally:
            runner.run(session.close())
    return 0


__all__ = ["HELP", "OffsetClock", "Player", "Session", "play", "readable", "relative", "render"]
