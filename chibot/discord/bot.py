"""The bot: an `AutoShardedBot` with per-server prefixes, hybrid commands and one error handler.

The same class runs on Discord (`chibot run`) and offline (`chibot play`, the tests), where the
harness feeds it gateway events instead of a websocket.
"""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from chibot.app import App
from chibot.core.heap import settle
from chibot.core.secrets import secret
from chibot.discord.checks import Blocked
from chibot.discord.context import ChiContext
from chibot.discord.errors import explain, is_silent, record_bug
from chibot.discord.tree import add_shortcuts, remove_shortcuts
from chibot.discord.ui import answer_error, say, unclaimed
from chibot.discord.ui.seal import EXPIRED, sealer_for, set_sealer
from chibot.discord.wording import install_phrases

log = logging.getLogger("chibot.bot")

INTENTS = discord.Intents.default()
INTENTS.members = True  # member join/leave, member converters, role evaluation
INTENTS.message_content = True  # chat chi reads what members write; prefix commands


class ChiBot(commands.AutoShardedBot):
    def __init__(self, app: App, *, sync_commands: bool = True, offline: bool = False) -> None:
        settings = app.settings
        super().__init__(
            command_prefix=self._prefixes,
            intents=INTENTS,
            help_command=None,
            case_insensitive=True,
            strip_after_prefix=True,
            allowed_mentions=discord.AllowedMentions.none(),
            # None (every shard) is AutoShardedBot's default; its options type says list only
            shard_ids=settings.shard_ids or None,  # type: ignore[arg-type]
            shard_count=settings.shard_count,
            owner_ids=set(settings.owner_ids) or None,
        )
        self.app = app
        self.button_key: bytes | None = None  # read from the database in setup_hook
        install_phrases(app.registry.phrase_modules)  # every system's error wording
        self.sync_commands = sync_commands
        self.offline = offline  # driven by the harness: no background loops
        self._application_owners: set[int] = set()
        self.tree.error(self._on_app_command_error)
        self.add_check(self._not_blacklisted, call_once=True)

    # --- identity ----------------------------------------------------------------------

    def owner_id_set(self) -> set[int]:
        """Bot owners: OWNER_IDS plus the application's owner (or team), once known."""
        return set(self.app.settings.owner_ids) | self._application_owners

    async def _load_application_owners(self) -> None:
        try:
            info = await self.application_info()
        except (discord.HTTPException, AttributeError, TypeError):
            return
        if info.team:
            self._application_owners = {m.id for m in info.team.members}
        elif info.owner:
            self._application_owners = {info.owner.id}

    async def _prefixes(self, bot: commands.Bot, message: discord.Message) -> list[str]:
        prefix = self.app.settings.default_prefix
        if message.guild is not None:
            prefix = (await self.app.guild_settings.get(message.guild.id)).prefix or prefix
        variants = {prefix, prefix.lower(), prefix.upper()}
        return commands.when_mentioned_or(*sorted(variants, key=len, reverse=True))(bot, message)

    async def command_prefix_for(self, guild_id: int | None) -> str:
        if guild_id is None:
            return self.app.settings.default_prefix
        return (
            await self.app.guild_settings.get(guild_id)
        ).prefix or self.app.settings.default_prefix

    # --- the command tree: groups plus top-level prefix shortcuts (chibot/discord/tree.py) ---

    def add_command(self, command: commands.Command[Any, ..., Any], /) -> None:
        super().add_command(command)
        try:
            add_shortcuts(self, command)
        except Exception:
            super().remove_command(command.name)
            raise

    def remove_command(self, name: str, /) -> commands.Command[Any, ..., Any] | None:
        command = self.all_commands.get(name)
        if command is not None and command.parent is None and name == command.name:
            remove_shortcuts(self, command)
        return super().remove_command(name)

    # --- lifecycle ----------------------------------------------------------------------

    async def setup_hook(self) -> None:
        self.button_key = await secret(self.app.db)  # seals buttons' state (discord/ui/seal.py)
        for name in self.app.registry.cogs:  # every installed system's cog (its manifest)
            await self.load_extension(name)
        await self._load_application_owners()
        if self.sync_commands:
            await self.tree.sync()
        if not self.offline:  # a live bot's start-up objects, frozen (core/heap.py)
            settle()

    async def get_context(
        self, origin: Any, /, *, cls: type[commands.Context[Any]] = ChiContext
    ) -> Any:
        ctx = await super().get_context(origin, cls=cls)
        # buttons built while answering this command are sealed for its server
        set_sealer(sealer_for(self, ctx.guild.id if ctx.guild is not None else 0))
        return ctx

    async def is_blocked(self, guild_id: int, user_id: int) -> bool:
        """Blacklisted in this server (`guild_id`, 0 in DMs) or bot-wide; owners never are.
        Read by the global command check and by every component (`discord/ui`)."""
        if user_id in self.owner_id_set():
            return False
        blocked: bool = await self.app.admin.is_blocked(guild_id, user_id)
        return blocked

    async def _not_blacklisted(self, ctx: commands.Context[Any]) -> bool:
        """Blacklisted users (this server's list or the bot-wide one) can run nothing."""
        if await self.is_blocked(ctx.guild.id if ctx.guild else 0, ctx.author.id):
            raise Blocked()
        return True

    # --- errors -------------------------------------------------------------------------

    async def on_command_error(
        self, ctx: commands.Context[Any], error: commands.CommandError
    ) -> None:
        if is_silent(error):
            return
        if ctx.command is not None and ctx.command.has_error_handler():
            return
        message = explain(error, ctx) or await record_bug(
            self, ctx.guild.id if ctx.guild else 0, ctx.author.id, error, f"command {ctx.command}"
        )
        await self._answer(ctx, message)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """A press nothing answers (an old message's button after a restart, a forged or
        unsealed id) still gets a line, never Discord's "This interaction failed"."""
        if unclaimed(interaction):
            await say(interaction, EXPIRED)

    async def _on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await answer_error(interaction, error, f"app command {interaction.command}")

    async def _answer(self, ctx: commands.Context[Any], message: str) -> None:
        try:
            if ctx.interaction is not None:
                await ctx.send(message, ephemeral=True)
            else:
                await ctx.reply(message, mention_author=False)
        except discord.HTTPException:
            log.warning("could not deliver an error message in %s", ctx.channel)
