"""Admin commands, in the `admin` group: `config` (show, set, reset, words), the server's
`blacklist`, `setup`, `reset` and `totalreset` (each also a top-level prefix shortcut)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.checks import admin_only
from chibot.discord.context import ChiContext
from chibot.discord.tree import hybrid_group, overview, shortcut
from chibot.discord.ui import Palette, code
from chibot.features.admin.service import AdminService
from chibot.features.admin.views import (
    BlacklistPages,
    ConfigPages,
    error_entry_embed,
    error_page_embed,
)
from chibot.features.admin.views import show as _show

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot


#: The longest input `config words` passes on (the economy's settings refuse words over 40
#: letters with their own message; this keeps a pasted essay from being echoed).
WORD_INPUT_MOST = 100


class Admin(commands.Cog):
    """Server settings and moderation, for server admins."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.admin: AdminService = bot.app.admin

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ConfigPages, BlacklistPages)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ConfigPages, BlacklistPages)

    async def _key_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        keys = self.bot.app.guild_settings.model.model_fields
        return [app_commands.Choice(name=k, value=k) for k in keys if current.lower() in k][:25]

    # `/admin …` holds this system's commands; the old top-level prefix names are shortcuts.

    @hybrid_group(name="admin", invoke_without_command=True)
    @commands.guild_only()
    async def admin_group(self, ctx: ChiContext) -> None:
        """Server admins: settings, blacklist, setup and resets."""
        await overview(ctx)

    @admin_group.group(name="config", fallback="show", invoke_without_command=True)
    @shortcut("config")
    @commands.guild_only()
    @admin_only()
    async def config(self, ctx: ChiContext) -> None:
        """Show this server's settings (★ = set here, the rest are defaults)."""
        embed, view = await ConfigPages.render(ctx.viewer, ctx.author.id, page=1)
        if view is None:
            await ctx.send(embed=embed, ephemeral=True)
        else:
            await ctx.send(embed=embed, view=view, ephemeral=True)

    @config.command(name="set")
    @admin_only()
    @app_commands.describe(key="Setting", value="New value (`none` clears a channel or role)")
    @app_commands.autocomplete(key=_key_autocomplete)
    async def config_set(self, ctx: ChiContext, key: str, *, value: str) -> None:
        """Change one setting of this server."""
        settings = await self.admin.set(ctx.guild_id, key.lower(), value, by=ctx.author.id)
        await ctx.send(f"✅ `{key.lower()}` is now {_show(getattr(settings, key.lower()))}.")

    @config.command(name="reset")
    @admin_only()
    @app_commands.describe(key="Setting to put back to its default")
    @app_commands.autocomplete(key=_key_autocomplete)
    async def config_reset(self, ctx: ChiContext, key: str) -> None:
        """Put one setting back to its default."""
        settings = await self.admin.reset(ctx.guild_id, key.lower(), by=ctx.author.id)
        await ctx.send(
            f"✅ `{key.lower()}` is back to its default ({_show(getattr(settings, key.lower()))})."
        )

    @config.command(name="words")
    @admin_only()
    @app_commands.describe(
        action="add or remove", which="positive, negative or removed", word="The word"
    )
    async def config_words(
        self,
        ctx: ChiContext,
        action: Literal["add", "remove"],
        which: Literal["positive", "negative", "removed"],
        word: str,
    ) -> None:
        """Edit this server's extra chat words (or the words that count for nothing)."""
        if len(word) > WORD_INPUT_MOST:
            raise commands.BadArgument(
                f"That word is too long ({len(word):,} characters): a chat word is one short word."
            )
        words = await self.admin.edit_words(
            ctx.guild_id, which, word, add=action == "add", by=ctx.author.id
        )
        await ctx.send(f"✅ Extra {which} words: {_show(words)}.")  # a long list is cut

    @admin_group.group(name="blacklist", fallback="list", invoke_without_command=True)
    @shortcut("blacklist")
    @commands.guild_only()
    @admin_only()
    async def blacklist(self, ctx: ChiContext) -> None:
        """Members barred from the bot in this server."""
        embed, view = await BlacklistPages.render(ctx.viewer, ctx.author.id, page=1)
        if view is None:
            await ctx.send(embed=embed, ephemeral=True)
        else:
            await ctx.send(embed=embed, view=view, ephemeral=True)

    @blacklist.command(name="add")
    @admin_only()
    @app_commands.describe(member="Who to bar", reason="Why (kept in the audit log)")
    async def blacklist_add(
        self, ctx: ChiContext, member: discord.Member, *, reason: str | None = None
    ) -> None:
        """Bar a member from every command and from earning chi here."""
        await self.admin.blacklist(
            ctx.guild_id,
            member.id,
            add=True,
            by=ctx.author.id,
            reason=reason,
            owners=self.bot.owner_id_set(),
            is_bot=member.bot,
        )
        await ctx.send(f"⛔ {member.mention} is blacklisted in this server.")

    @blacklist.command(name="remove")
    @admin_only()
    @app_commands.describe(member="Who to allow again")
    async def blacklist_remove(self, ctx: ChiContext, member: discord.Member) -> None:
        """Allow a blacklisted member again."""
        await self.admin.blacklist(ctx.guild_id, member.id, add=False, by=ctx.author.id)
        await ctx.send(f"✅ {member.mention} is no longer blacklisted here.")

    @admin_group.command(name="log", ignore_extra=False)
    @shortcut("log", "errors")
    @commands.guild_only()
    @admin_only()
    @app_commands.describe(which="A page number, or an error id a member quoted")
    async def error_log(self, ctx: ChiContext, which: str = "1") -> None:
        """The bugs members ran into here in the last 7 days, or one by its error id."""
        log = self.bot.app.error_log
        if which.isdecimal() and len(which) <= 6:
            page = await log.page(ctx.guild_id, int(which))
            await ctx.send(embed=error_page_embed(page, ctx.clean_prefix), ephemeral=True)
            return
        entry = await log.find(ctx.guild_id, which)
        if entry is None:
            await ctx.send(
                f"No error {code(which, 16)} here in the last 7 days. "
                f"`{ctx.clean_prefix}log` lists them.",
                ephemeral=True,
            )
            return
        await ctx.send(embed=error_entry_embed(entry), ephemeral=True)

    @admin_group.command(name="setup")
    @shortcut("setup")
    @commands.guild_only()
    @admin_only()
    async def setup_server(self, ctx: ChiContext) -> None:
        """Admin: create the bot's roles and channels here and point the settings at them."""
        guild = ctx.server
        settings = await self.bot.app.guild_settings.get(guild.id)
        made: list[str] = []
        try:
            roles = {}
            for key, name, colour in (
                ("positive_role_id", "Positive Chi", discord.Colour.green()),
                ("negative_role_id", "Negative Chi", discord.Colour.red()),
                ("quest_role_id", "Quest Completer", discord.Colour.gold()),
            ):
                role = guild.get_role(getattr(settings, key) or 0) or discord.utils.get(
                    guild.roles, name=name
                )
                if role is None:
                    role = await guild.create_role(
                        name=name, colour=colour, reason=f"chibot setup by {ctx.author}"
                    )
                    made.append(f"role **{name}**")
                roles[key] = role
            category = discord.utils.get(guild.categories, name="chibot")
            if category is None:
                category = await guild.create_category("chibot", reason="chibot setup")
                made.append("category **chibot**")
            channels = {}
            for key, name, read_only in (
                ("log_channel_id", "chibot-log", True),
                ("event_channel_id", "chibot-events", False),
            ):
                channel = guild.get_channel(getattr(settings, key) or 0) or discord.utils.get(
                    guild.text_channels, name=name
                )
                if channel is None:
                    overwrites: dict[
                        discord.Role | discord.Member | discord.Object, discord.PermissionOverwrite
                    ] = (
                        {guild.default_role: discord.PermissionOverwrite(send_messages=False)}
                        if read_only
                        else {}
                    )
                    channel = await guild.create_text_channel(
                        name, category=category, overwrites=overwrites, reason="chibot setup"
                    )
                    made.append(f"channel {channel.mention}")
                channels[key] = channel
        except discord.Forbidden:
            await ctx.send(
                "I need the **Manage Roles** and **Manage Channels** permissions to set up. "
                "Give them to me, or set roles and channels yourself with `config set`."
            )
            return
        for key, target in {**roles, **channels}.items():
            if getattr(settings, key) != target.id:
                await self.admin.set(guild.id, key, str(target.id), by=ctx.author.id)
        prefix = await self.bot.command_prefix_for(guild.id)
        await ctx.send(
            embed=discord.Embed(
                title="chibot is set up",
                description=(
                    "Created " + ", ".join(made) + "."
                    if made
                    else "Everything was already in place."
                )
                + f"\nSettings now point at them; see `{prefix}config`. Members can start with "
                f"`{prefix}daily` and `{prefix}help`.",
                color=Palette.GREEN,
            )
        )

    @admin_group.command(name="reset")
    @shortcut("reset")
    @commands.guild_only()
    @admin_only()
    @app_commands.describe(member="Whose progress to wipe in this server (their chest is kept)")
    async def reset_member(self, ctx: ChiContext, member: discord.Member) -> None:
        """Admin: wipe one member's progress in this server (the chest survives)."""

        async def go(interaction: discord.Interaction) -> None:
            before = await self.admin.reset_member(ctx.guild_id, member.id, by=ctx.author.id)
            await interaction.followup.send(
                f"♻️ {member.mention} was reset (had {before['chi']:,} chi, {before['rebirths']:,} rebirths). Audited."
            )

        await ctx.confirm(
            f"Reset {member.mention} in this server? Their chi, rebirths, items, achievements and "
            "cooldowns go; their chest stays.",
            action=go,
        )

    @admin_group.command(name="totalreset")
    @shortcut("totalreset")
    @commands.guild_only()
    @admin_only()
    async def totalreset(self, ctx: ChiContext) -> None:
        """Admin: wipe every member's progress in this server, after an automatic export."""

        async def go(interaction: discord.Interaction) -> None:
            done = await self.admin.reset_server(ctx.guild_id, by=ctx.author.id)
            await interaction.followup.send(
                f"♻️ Reset {done.members:,} members ({done.chi:,} chi, {done.rebirths:,} rebirths). "
                f"An export was saved first: `{done.export_path}` (a bot owner can restore it with "
                "`chibot import`)."
            )

        await ctx.confirm(
            "⚠️ Reset **every member** of this server? Chi, rebirths, items, achievements and "
            "cooldowns go; chests, settings and history stay. An export is saved first.",
            action=go,
        )


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Admin(bot))
