"""Tests for chibot.discord.harness.OfflineDiscord, driven through a throwaway test bot."""

from __future__ import annotations

import asyncio
import io
import time
from dataclasses import dataclass

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord.http import Route

from chibot.discord.harness import (
    LIMITS,
    BotError,
    FakeGuild,
    FakeUser,
    HarnessTimeout,
    OfflineDiscord,
    OverLimit,
    RoleChange,
    check_limits,
    unreported_refusals,
)

GUILD_A, GUILD_B = 100_000_000_000_000_001, 100_000_000_000_000_002
CHAN_A, CHAN_B = 200_000_000_000_000_001, 200_000_000_000_000_002
CHAMPION = 300_000_000_000_000_001
ALICE, BOB, CAROL = 400_000_000_000_000_001, 400_000_000_000_000_002, 400_000_000_000_000_003


# ----------------------------------------------------------------------------- the test bot
def panel_embed(count: int) -> discord.Embed:
    embed = discord.Embed(title="Panel", description=f"count: {count}")
    embed.add_field(name="Owner", value="alice")
    embed.set_footer(text="chibot")
    return embed


class PanelView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=180)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="panel:inc", style=discord.ButtonStyle.primary)
    async def inc(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.count += 1
        await interaction.response.edit_message(embed=panel_embed(self.count), view=self)

    @discord.ui.button(label="Help", custom_id="panel:help")
    async def help(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.send_message("help text", ephemeral=True)

    @discord.ui.button(label="Lock", custom_id="panel:lock", style=discord.ButtonStyle.danger)
    async def lock(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        button.disabled = True
        await interaction.response.edit_message(content="locked", view=self)

    @discord.ui.select(
        custom_id="panel:color",
        options=[
            discord.SelectOption(label="Red", value="red"),
            discord.SelectOption(label="Blue", value="blue"),
        ],
    )
    async def color(self, interaction: discord.Interaction, select: discord.ui.Select) -> None:
        await interaction.response.send_message(f"picked {select.values[0]}", ephemeral=True)


class LongView(discord.ui.View):
    @discord.ui.button(label="Grow", custom_id="long:grow")
    async def grow(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(content="g" * 2001)


class LongModal(discord.ui.Modal, title="t" * 46):
    answer = discord.ui.TextInput(label="l" * 46, custom_id="long:answer")


class PickView(discord.ui.View):
    @discord.ui.select(cls=discord.ui.UserSelect, custom_id="pick:user")
    async def who(self, interaction: discord.Interaction, select: discord.ui.UserSelect) -> None:
        await interaction.response.send_message(f"you picked {select.values[0].display_name}")


class Fun(commands.Cog):
    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self.joined: list[tuple[int, int]] = []
        self.left: list[tuple[int, int]] = []
        self.ready = 0
        self.refused: list[discord.HTTPException] = []

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        self.ready += 1

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        self.joined.append((member.guild.id, member.id))
        await member.guild.text_channels[0].send(f"welcome {member.mention}")

    @commands.Cog.listener()
    async def on_member_remove(self, member: discord.Member) -> None:
        self.left.append((member.guild.id, member.id))

    @commands.hybrid_command()
    async def ping(self, ctx: commands.Context) -> None:
        await ctx.send("pong")

    @commands.hybrid_command()
    async def hello(self, ctx: commands.Context, member: discord.Member) -> None:
        await ctx.reply(f"hello {member.display_name}")

    @commands.hybrid_group()
    async def team(self, ctx: commands.Context) -> None:
        await ctx.send("team what?")

    @team.command(name="create")
    async def team_create(self, ctx: commands.Context, name: str) -> None:
        await ctx.send(f"team {name} created")

    @commands.hybrid_command()
    async def panel(self, ctx: commands.Context) -> None:
        await ctx.send(embed=panel_embed(0), view=PanelView())

    @commands.command()
    async def pick(self, ctx: commands.Context) -> None:
        await ctx.send("pick someone", view=PickView())

    @commands.hybrid_command()
    async def upload(self, ctx: commands.Context) -> None:
        await ctx.send("here", file=discord.File(io.BytesIO(b"chi!"), filename="chi.txt"))

    @commands.command()
    async def react(self, ctx: commands.Context) -> None:
        await ctx.message.add_reaction("✅")

    @commands.hybrid_command()
    async def dm(self, ctx: commands.Context) -> None:
        await ctx.author.send("psst")
        await ctx.send("sent you a DM")

    @commands.hybrid_command()
    async def promote(self, ctx: commands.Context, member: discord.Member) -> None:
        role = discord.utils.get(ctx.guild.roles, name="Champion")
        await member.add_roles(role, reason="promoted")
        await ctx.send(f"{member.display_name} is a Champion")

    @commands.hybrid_command()
    async def boom(self, ctx: commands.Context) -> None:
        raise RuntimeError("kaboom")

    @commands.command()
    async def later(self, ctx: commands.Context) -> None:
        async def deliver() -> None:
            await asyncio.sleep(0.05)
            inner = asyncio.create_task(ctx.send("later, from a grandchild task"))
            await asyncio.sleep(0)
            await inner

        asyncio.create_task(deliver())  # fire and forget

    @commands.command()
    async def sleepy(self, ctx: commands.Context) -> None:
        await asyncio.sleep(30)

    @commands.command()
    async def whereami(self, ctx: commands.Context) -> None:
        await ctx.send("a DM" if ctx.guild is None else f"guild {ctx.guild.name}")

    @commands.command()
    async def members(self, ctx: commands.Context) -> None:
        await ctx.send(",".join(sorted(m.name for m in ctx.guild.members if not m.bot)))

    @commands.command()
    @commands.has_permissions(manage_guild=True)
    async def admin(self, ctx: commands.Context) -> None:
        await ctx.send("admin ok")

    @commands.command()
    async def whois(self, ctx: commands.Context, user_id: int) -> None:
        member = await ctx.guild.fetch_member(user_id)
        await ctx.send(f"fetched {member.name} with {len(member.roles)} roles")

    # -- replies over Discord's limits, swallowed like a careless bot would ----------------
    @commands.hybrid_command()
    async def toolong(self, ctx: commands.Context) -> None:
        try:
            await ctx.send("x" * (LIMITS.content + 1))
        except discord.HTTPException as error:
            self.refused.append(error)  # swallowed: the harness must still tell

    @commands.command()
    async def editlong(self, ctx: commands.Context) -> None:
        message = await ctx.send("short")
        try:
            await message.edit(content="e" * 2001)
        except discord.HTTPException as error:
            self.refused.append(error)

    @commands.command()
    async def grow(self, ctx: commands.Context) -> None:
        await ctx.send("grow me", view=LongView())

    @app_commands.command(description="a follow-up too long")
    async def followlong(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer()
        try:
            await interaction.followup.send("f" * 2001)
        except discord.HTTPException as error:
            self.refused.append(error)

    @app_commands.command(description="edits its response to too much")
    async def editoriginal(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("short")
        try:
            await interaction.edit_original_response(embed=discord.Embed(title="t" * 257))
        except discord.HTTPException as error:
            self.refused.append(error)

    @app_commands.command(description="a modal over the limits")
    async def longmodal(self, interaction: discord.Interaction) -> None:
        try:
            await interaction.response.send_modal(LongModal())
        except discord.HTTPException as error:
            self.refused.append(error)

    @app_commands.command(description="offers many choices")
    async def choose(self, interaction: discord.Interaction, pick: str) -> None:
        await interaction.response.send_message(pick)

    @choose.autocomplete("pick")
    async def _choices(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        count, _, size = current.partition("x")
        name = "n" * int(size or 5)
        return [app_commands.Choice(name=name, value=f"v{i}") for i in range(int(count or 1))]

    @app_commands.command(description="ephemeral answer")
    async def secret(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("shh", ephemeral=True)

    @app_commands.command(description="defer then follow up")
    async def think(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("done thinking")
        await interaction.followup.send("and one more")

    @app_commands.command(description="edits its own response")
    async def countdown(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("3")
        await interaction.edit_original_response(content="liftoff")


def make_bot(cls: type[commands.Bot] = commands.Bot) -> commands.Bot:
    class TestBot(cls):  # type: ignore[misc, valid-type]
        async def setup_hook(self) -> None:
            await self.add_cog(Fun(self))

    return TestBot(command_prefix="P!", intents=discord.Intents.all(), help_command=None)


@dataclass
class World:
    h: OfflineDiscord
    bot: commands.Bot
    a: FakeGuild
    b: FakeGuild
    alice: FakeUser
    bob: FakeUser
    carol: FakeUser

    @property
    def cog(self) -> Fun:
        return self.bot.get_cog("Fun")  # type: ignore[return-value]


async def build_world(bot: commands.Bot, **kwargs) -> World:
    h = OfflineDiscord(bot, **kwargs)
    await h.start()
    alice, bob, carol = (
        h.make_user(ALICE, "alice"),
        h.make_user(BOB, "bob"),
        h.make_user(CAROL, "carol"),
    )
    a = h.make_guild(
        GUILD_A,
        "Alpha",
        owner_id=ALICE,
        channels=[(CHAN_A, "general")],
        roles=[(CHAMPION, "Champion")],
    )
    b = h.make_guild(GUILD_B, "Beta", owner_id=BOB, channels=[(CHAN_B, "lobby")])
    await h.join_guild(a, [alice, bob])
    await h.join_guild(b, [bob])
    return World(h, bot, a, b, alice, bob, carol)


@pytest.fixture
async def w():
    world = await build_world(make_bot())
    yield world
    await world.h.close()


# ----------------------------------------------------------------------------- tests
async def test_start_dispatches_ready_and_never_touches_the_network(w: World):
    assert w.bot.is_ready() and w.cog.ready == 1
    assert w.bot.user.id == w.h.bot_user.id
    assert {g.id for g in w.bot.guilds} == {GUILD_A, GUILD_B}
    assert [str(c) for c in w.h.calls] == ["GET /oauth2/applications/@me"]
    with pytest.raises(RuntimeError, match="network"):
        await w.bot.http.ws_connect("wss://example.invalid")
    await w.bot.change_presence(activity=discord.Game("chi"))
    assert w.h.presences[0][0].name == "chi"


async def test_prefix_and_slash_reach_the_same_hybrid_command(w: World):
    prefix = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!ping")
    assert prefix.text == "pong"
    assert [str(c) for c in prefix.calls] == [f"POST /channels/{CHAN_A}/messages"]
    assert prefix.reply.channel_id == CHAN_A and prefix.reply.guild_id == GUILD_A
    assert not prefix.reply.interaction

    slash = await w.h.slash(GUILD_A, CHAN_A, ALICE, "ping")
    assert slash.text == "pong"
    assert slash.reply.interaction and slash.ephemeral == [False]
    assert slash.calls[0].path == "/interactions/{webhook_id}/{webhook_token}/callback"
    assert slash.calls[0].json["type"] == 4
    assert w.h.messages == [prefix.reply, slash.reply]
    assert slash.reply.id > prefix.reply.id  # snowflakes increase


async def test_member_options_resolve_for_prefix_and_slash(w: World):
    by_mention = await w.h.send(GUILD_A, None, ALICE, f"P!hello <@{BOB}>")
    assert by_mention.text == "hello bob"
    assert by_mention.reply.reference_id == by_mention.trigger_message_id  # ctx.reply
    by_object = await w.h.slash(GUILD_A, CHAN_A, ALICE, "hello", member=w.bob)
    by_id = await w.h.slash(GUILD_A, CHAN_A, ALICE, "hello", member=ALICE)
    assert (by_object.text, by_id.text) == ("hello bob", "hello alice")


async def test_subcommand_groups(w: World):
    assert (await w.h.send(GUILD_A, CHAN_A, ALICE, "P!team create red")).text == "team red created"
    slash = await w.h.slash(GUILD_A, CHAN_A, ALICE, "team create", name="blue")
    assert slash.text == "team blue created"
    assert slash.payload["data"]["name"] == "team"
    assert slash.payload["data"]["options"] == [
        {"name": "create", "type": 1, "options": [{"name": "name", "type": 3, "value": "blue"}]}
    ]


async def test_short_ids_are_rejected(w: World):
    with pytest.raises(ValueError, match="15-20 digit"):
        w.h.make_user(12, "shorty")


async def test_slash_misuse_is_reported_clearly(w: World):
    with pytest.raises(AssertionError, match="no app command 'nope'"):
        await w.h.slash(GUILD_A, CHAN_A, ALICE, "nope")
    with pytest.raises(AssertionError, match="no option"):
        await w.h.slash(GUILD_A, CHAN_A, ALICE, "ping", loud=True)
    with pytest.raises(AssertionError, match="missing required option 'member'"):
        await w.h.slash(GUILD_A, CHAN_A, ALICE, "hello")
    with pytest.raises(AssertionError, match="not a member"):
        await w.h.slash(GUILD_B, CHAN_B, ALICE, "ping")


async def test_buttons_and_select_by_custom_id_label_and_index(w: World):
    ex = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!panel")
    panel = ex.reply
    assert "Panel" in panel.text and "count: 0" in panel.text and "Owner: alice" in panel.text
    assert [b[:2] for b in panel.buttons] == [
        ("panel:inc", "+1"),
        ("panel:help", "Help"),
        ("panel:lock", "Lock"),
    ]
    assert panel.selects == [("panel:color", ["red", "blue"])]

    click = await w.h.click(panel, BOB, label="+1")
    assert click.messages == [panel] and panel.edits == 1 and "count: 1" in panel.text
    await w.h.click(panel, ALICE, custom_id="panel:inc")
    assert "count: 2" in panel.text and len(w.h.messages) == 1  # edited in place, nothing new

    helped = await w.h.click(panel, BOB, index=1)
    assert helped.text == "help text" and helped.ephemeral == [True]

    picked = await w.h.select(panel, BOB, ["blue"])
    assert picked.text == "picked blue" and picked.reply.ephemeral
    with pytest.raises(AssertionError, match="not among options"):
        await w.h.select(panel, BOB, ["green"])

    locked = await w.h.click(panel, ALICE, label="Lock")
    assert locked.reply is panel and panel.content == "locked"
    assert ("panel:lock", "Lock", True) in panel.buttons
    with pytest.raises(AssertionError, match="disabled"):
        await w.h.click(panel, ALICE, label="Lock")
    with pytest.raises(AssertionError, match="no clickable button"):
        await w.h.click(panel, ALICE, label="Nope")


async def test_user_select_gets_resolved_members(w: World):
    ex = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!pick")
    picked = await w.h.select(ex.reply, ALICE, [str(BOB)], custom_id="pick:user")
    assert picked.text == "you picked bob"


async def test_concurrent_events_are_attributed_to_their_own_exchange(w: World):
    ping, members = await asyncio.gather(
        w.h.send(GUILD_A, CHAN_A, ALICE, "P!ping"), w.h.send(GUILD_B, CHAN_B, BOB, "P!members")
    )
    assert (ping.text, members.text) == ("pong", "bob")
    assert len(ping.calls) == len(members.calls) == 1


async def test_buttons_on_an_interaction_response(w: World):
    ex = await w.h.slash(GUILD_A, CHAN_A, ALICE, "panel")
    panel = ex.reply
    assert panel.interaction and panel.buttons
    await w.h.click(panel, ALICE, label="+1")
    assert "count: 1" in panel.text
    assert w.h.calls[-1].json["type"] == 7  # UPDATE_MESSAGE callback


async def test_view_timeouts_do_not_keep_the_harness_busy(w: World):
    started = time.monotonic()
    await w.h.send(GUILD_A, CHAN_A, ALICE, "P!panel")
    await w.h.slash(GUILD_A, CHAN_A, ALICE, "panel")
    assert time.monotonic() - started < 3


async def test_ephemeral_defer_followup_and_edit_original(w: World):
    secret = await w.h.slash(GUILD_A, CHAN_A, BOB, "secret")
    assert secret.text == "shh" and secret.ephemeral == [True]

    think = await w.h.slash(GUILD_A, CHAN_A, BOB, "think")
    assert [m.content for m in think.messages] == ["done thinking", "and one more"]
    assert think.ephemeral == [
        True,
        False,
    ]  # the first follow-up fills the ephemeral "thinking" message
    assert [c.method for c in think.calls] == ["POST", "POST", "POST"]

    countdown = await w.h.slash(GUILD_A, CHAN_A, BOB, "countdown")
    assert countdown.reply.content == "liftoff" and countdown.reply.edits == 1
    assert "@original" in countdown.calls[-1].path


async def test_reactions_dms_and_role_changes_are_recorded(w: World):
    react = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!react")
    assert react.reactions == ["✅"] and react.messages == []

    dm = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!dm")
    assert [m.is_dm for m in dm.messages] == [True, False]
    assert [m.content for m in w.h.dms(ALICE)] == ["psst"] and w.h.dms(BOB) == []
    assert any(str(c) == "POST /users/@me/channels" for c in dm.calls)

    promote = await w.h.send(GUILD_A, CHAN_A, ALICE, f"P!promote <@{BOB}>")
    assert promote.text == "bob is a Champion"
    change = RoleChange("add", GUILD_A, BOB, CHAMPION, "promoted")
    assert promote.role_changes == [change] and w.h.role_changes == [change]
    assert CHAMPION in w.a.members[BOB]
    member = w.bot.get_guild(GUILD_A).get_member(BOB)
    assert CHAMPION in [r.id for r in member.roles]  # the cache saw GUILD_MEMBER_UPDATE

    fetched = await w.h.send(GUILD_A, CHAN_A, ALICE, f"P!whois {BOB}")
    assert fetched.text == "fetched bob with 2 roles"  # @everyone + Champion


@pytest.mark.parametrize("how", ["prefix", "slash"])
async def test_file_uploads_are_recorded(w: World, how: str):
    if how == "prefix":
        ex = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!upload")
    else:
        ex = await w.h.slash(GUILD_A, CHAN_A, ALICE, "upload")
    assert ex.calls[0].files == [("chi.txt", b"chi!")]
    assert ex.reply.content == "here" and ex.reply.filenames == ["chi.txt"]


async def test_guilds_are_independent(w: World):
    assert (await w.h.send(GUILD_A, CHAN_A, ALICE, "P!members")).text == "alice,bob"
    assert (await w.h.send(GUILD_B, CHAN_B, BOB, "P!members")).text == "bob"
    assert (await w.h.send(GUILD_B, None, BOB, "P!whereami")).reply.channel_id == CHAN_B
    w.h.raise_errors = False
    ex = await w.h.send(GUILD_B, CHAN_B, BOB, f"P!hello <@{ALICE}>")  # alice is not in Beta
    assert ex.messages == [] and isinstance(ex.errors[0], commands.MemberNotFound)
    with pytest.raises(AssertionError, match="not a member"):
        await w.h.send(GUILD_B, CHAN_B, ALICE, "P!ping")


async def test_member_join_and_remove_reach_listeners(w: World):
    joined = await w.h.member_join(GUILD_B, w.carol)
    assert w.cog.joined == [(GUILD_B, CAROL)]
    assert joined.text == f"welcome <@{CAROL}>" and joined.reply.channel_id == CHAN_B
    assert w.bot.get_guild(GUILD_B).get_member(CAROL) is not None
    assert (await w.h.send(GUILD_B, CHAN_B, CAROL, "P!ping")).text == "pong"

    await w.h.member_remove(GUILD_B, CAROL)
    assert w.cog.left == [(GUILD_B, CAROL)]
    assert w.bot.get_guild(GUILD_B).get_member(CAROL) is None
    await w.h.remove_guild(GUILD_B)
    assert w.bot.get_guild(GUILD_B) is None


async def test_direct_messages_have_no_guild(w: World):
    ex = await w.h.send(None, None, CAROL, "P!whereami")  # carol shares no guild with the bot
    assert ex.text == "a DM" and ex.reply.is_dm and ex.reply.guild_id is None
    assert w.h.dms(CAROL) == [ex.reply]
    again = await w.h.send(None, None, CAROL, "P!ping")
    assert again.reply.channel_id == ex.reply.channel_id
    slash = await w.h.slash(None, None, CAROL, "ping")
    assert slash.text == "pong" and slash.reply.is_dm and slash.payload["user"]["id"] == str(CAROL)


async def test_set_permissions_via_a_harness_role(w: World):
    w.h.raise_errors = False
    denied = await w.h.send(GUILD_A, CHAN_A, BOB, "P!admin")
    assert isinstance(denied.errors[0], commands.MissingPermissions)
    w.h.set_permissions(GUILD_A, BOB, manage_guild=True)
    assert (await w.h.send(GUILD_A, CHAN_A, BOB, "P!admin")).text == "admin ok"
    assert w.bot.get_guild(GUILD_A).get_member(BOB).guild_permissions.manage_guild
    w.h.set_permissions(GUILD_A, BOB)
    assert isinstance(
        (await w.h.send(GUILD_A, CHAN_A, BOB, "P!admin")).errors[0], commands.MissingPermissions
    )
    assert (await w.h.send(GUILD_A, CHAN_A, ALICE, "P!admin")).text == "admin ok"  # owner


async def test_errors_are_raised_or_captured(w: World):
    with pytest.raises(BotError, match="kaboom") as info:
        await w.h.send(GUILD_A, CHAN_A, ALICE, "P!boom")
    assert isinstance(info.value.__cause__, commands.CommandInvokeError)

    w.h.raise_errors = False
    ex = await w.h.slash(GUILD_A, CHAN_A, ALICE, "boom")
    assert len(ex.errors) == 1 and "kaboom" in repr(ex.errors[0])
    assert len(w.h.errors) == 2
    with pytest.raises(AssertionError, match="sent no message"):
        _ = ex.reply


async def test_errors_handled_by_the_bot_are_not_captured():
    bot = make_bot()

    @bot.event
    async def on_command_error(ctx: commands.Context, error: Exception) -> None:
        await ctx.send(f"oops: {error.__cause__}")

    world = await build_world(bot)
    try:
        ex = await world.h.send(GUILD_A, CHAN_A, ALICE, "P!boom")
        assert ex.text == "oops: kaboom" and ex.errors == [] and world.h.errors == []
    finally:
        await world.h.close()


async def test_waits_for_nested_tasks(w: World):
    ex = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!later")
    assert ex.text == "later, from a grandchild task"


async def test_idle_timeout_names_the_stuck_task():
    world = await build_world(make_bot(), timeout=0.3)
    try:
        with pytest.raises(
            HarnessTimeout, match=r"still busy 0\.3s after message 'P!sleepy'.*Fun\.sleepy"
        ):
            await world.h.send(GUILD_A, CHAN_A, ALICE, "P!sleepy")
        assert (await world.h.send(GUILD_A, CHAN_A, ALICE, "P!ping")).text == "pong"  # still usable
    finally:
        await world.h.close()


async def test_tree_sync_is_answered_offline(w: World):
    synced = await w.bot.tree.sync()
    assert {c.name for c in synced} >= {"ping", "team", "secret"}
    assert all(c.id for c in synced)
    assert str(w.h.calls[-1]) == f"PUT /applications/{w.h.application_id}/commands"


async def test_auto_sharded_bot_and_context_manager():
    async with OfflineDiscord(make_bot(commands.AutoShardedBot)) as h:
        h.make_user(ALICE, "alice")
        guild = h.make_guild(GUILD_A, "Alpha", owner_id=ALICE)
        await h.join_guild(guild, [h.users[ALICE]])
        assert (await h.send(GUILD_A, None, ALICE, "P!ping")).text == "pong"
        assert (
            await h.slash(GUILD_A, None, ALICE, "team create", name="x")
        ).text == "team x created"
        await h.client.change_presence(activity=discord.Game("chi"))  # no shards: a no-op, no crash
    assert not h._started


# ----------------------------------------------------------------------------- Discord's limits
def _embed(**fields) -> dict:
    return {"title": "ok", **fields}


def _row(*items) -> dict:
    return {"type": 1, "components": list(items)}


def _button(i: int = 0, **fields) -> dict:
    return {"type": 2, "style": 1, "label": "ok", "custom_id": f"b{i}", **fields}


def _select(options: int = 2, **fields) -> dict:
    opts = [{"label": f"o{i}", "value": f"v{i}"} for i in range(options)]
    return {"type": 3, "custom_id": "s", "options": opts, **fields}


def _option(**fields) -> dict:
    return {**_select(), "options": [{"label": "a", "value": "a", **fields}]}


TOO_MUCH = {
    "content": ({"content": "x" * 2001}, "content"),
    "11 embeds": ({"embeds": [_embed()] * 11}, "embeds"),
    "title": ({"embeds": [_embed(title="t" * 257)]}, "embeds.0.title"),
    "description": ({"embeds": [_embed(description="d" * 4097)]}, "embeds.0.description"),
    "26 fields": (
        {"embeds": [_embed(fields=[{"name": "n", "value": "v"}] * 26)]},
        "embeds.0.fields",
    ),
    "field name": (
        {"embeds": [_embed(fields=[{"name": "n" * 257, "value": "v"}])]},
        "embeds.0.fields.0.name",
    ),
    "field value": (
        {"embeds": [_embed(fields=[{"name": "n", "value": "v" * 1025}])]},
        "embeds.0.fields.0.value",
    ),
    "empty field value": (
        {"embeds": [_embed(fields=[{"name": "n", "value": ""}])]},
        "embeds.0.fields.0.value",
    ),
    "footer": ({"embeds": [_embed(footer={"text": "f" * 2049})]}, "embeds.0.footer.text"),
    "author": ({"embeds": [_embed(author={"name": "a" * 257})]}, "embeds.0.author.name"),
    "6,001 in all embeds": (
        {"embeds": [_embed(title="", description="d" * 3000)] * 2 + [_embed(title="t")]},
        "embeds",
    ),
    "6 action rows": ({"components": [_row(_button(i)) for i in range(6)]}, "components"),
    "6 buttons in a row": (
        {"components": [_row(*(_button(i) for i in range(6)))]},
        "components.0.components",
    ),
    "a select beside a button": (
        {"content": "x", "components": [_row(_select(), _button())]},
        "components.0.components",
    ),
    "button label": (
        {"components": [_row(_button(label="l" * 81))]},
        "components.0.components.0.label",
    ),
    "custom_id": (
        {"components": [_row(_button(custom_id="c" * 101))]},
        "components.0.components.0.custom_id",
    ),
    "empty custom_id": (
        {"components": [_row(_button(custom_id=""))]},
        "components.0.components.0.custom_id",
    ),
    "26 options": ({"components": [_row(_select(26))]}, "components.0.components.0.options"),
    "no options": ({"components": [_row(_select(0))]}, "components.0.components.0.options"),
    "option label": (
        {"components": [_row(_option(label="l" * 101))]},
        "components.0.components.0.options.0.label",
    ),
    "option value": (
        {"components": [_row(_option(value="v" * 101))]},
        "components.0.components.0.options.0.value",
    ),
    "option description": (
        {"components": [_row(_option(description="d" * 101))]},
        "components.0.components.0.options.0.description",
    ),
    "placeholder": (
        {"components": [_row(_select(placeholder="p" * 151))]},
        "components.0.components.0.placeholder",
    ),
    "max_values": (
        {"components": [_row(_select(max_values=26))]},
        "components.0.components.0.max_values",
    ),
}
_FULL_EMBED = {  # 256 + 1,400 + 25 x (10 + 100) + 100 + 188 = 4,694 characters
    "title": "t" * 256,
    "description": "d" * 1400,
    "fields": [{"name": "n" * 10, "value": "v" * 100}] * 25,
    "footer": {"text": "f" * 100},
    "author": {"name": "a" * 188},
}
AT_THE_LIMITS = {
    "content": "x" * 2000,
    # ten embeds, 6,000 characters in all: 4,694 + 1,298 + 8 x 1
    "embeds": [_FULL_EMBED, {"description": "x" * 1298}] + [{"description": "x"}] * 8,
    "components": [_row(*(_button(5 * r + i, label="l" * 80) for i in range(5))) for r in range(4)]
    + [_row(_select(25, placeholder="p" * 150, max_values=25))],
}


def _post(w: World, body: dict):
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=CHAN_A)
    return w.bot.http.request(route, json=body)


def test_the_limits_are_discords_documented_ones():
    assert (LIMITS.content, LIMITS.embeds, LIMITS.embed_total) == (2000, 10, 6000)
    assert (LIMITS.embed_title, LIMITS.embed_description, LIMITS.embed_fields) == (256, 4096, 25)
    assert (LIMITS.field_name, LIMITS.field_value, LIMITS.footer_text) == (256, 1024, 2048)
    assert (LIMITS.author_name, LIMITS.action_rows, LIMITS.row_buttons) == (256, 5, 5)
    assert (LIMITS.button_label, LIMITS.custom_id, LIMITS.select_options) == (80, 100, 25)
    assert (LIMITS.option_label, LIMITS.option_value, LIMITS.option_description) == (100,) * 3
    assert (LIMITS.placeholder, LIMITS.choices, LIMITS.choice_name) == (150, 25, 100)
    assert (LIMITS.modal_title, LIMITS.input_label) == (45, 45)
    assert "discord.com/developers/docs" in (type(LIMITS).__doc__ or "")


@pytest.mark.parametrize("case", list(TOO_MUCH))
async def test_every_limit_is_refused_as_discord_does(w: World, case: str):
    body, path = TOO_MUCH[case]
    with pytest.raises(discord.HTTPException) as info:
        await _post(w, body)
    error = info.value
    assert type(error) is discord.HTTPException  # not NotFound/Forbidden: a plain 400
    assert (error.status, error.code) == (400, 50035)
    assert f"Invalid Form Body\nIn {path}: " in error.text
    [refusal] = w.h.take_refusals()
    assert refusal.call.status == 400 and path in [p.path for p in refusal.problems]
    assert w.h.messages == []  # Discord made nothing of it


async def test_an_empty_message_is_refused(w: World):
    with pytest.raises(discord.HTTPException) as info:
        await _post(w, {"content": "", "embeds": []})
    assert (info.value.status, info.value.code) == (400, 50006)
    assert "Cannot send an empty message" in str(info.value)
    assert len(w.h.take_refusals()) == 1


async def test_a_message_at_every_limit_is_accepted(w: World):
    assert check_limits("POST", "/channels/{channel_id}/messages", AT_THE_LIMITS) == []
    one_more = {**AT_THE_LIMITS, "embeds": [*AT_THE_LIMITS["embeds"][:-1], {"description": "xx"}]}
    [problem] = check_limits("POST", "/channels/{channel_id}/messages", one_more)
    assert problem.code == "MAX_EMBED_SIZE_EXCEEDED" and "6,001" in problem.detail
    await _post(w, AT_THE_LIMITS)
    assert len(w.h.messages) == 1 and w.h.refusals == []
    edit = {"content": "y" * 2001}
    assert check_limits("PATCH", "/channels/{channel_id}/messages/{message_id}", edit)


async def test_a_swallowed_refusal_still_fails_the_exchange(w: World):
    with pytest.raises(OverLimit, match=r"content: 2,001 characters, Discord allows 2,000"):
        await w.h.send(GUILD_A, CHAN_A, ALICE, "P!toolong")
    [error] = w.cog.refused  # the bot saw what discord.py raises on a 400...
    assert (error.status, error.code) == (400, 50035)
    assert unreported_refusals() == []  # ...and the refusal is reported once, by the exchange


async def test_a_swallowed_refusal_fails_the_test_at_teardown(w: World):
    w.h.raise_errors = False  # e.g. `chibot play`: nothing is raised...
    ex = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!toolong")
    assert ex.messages == [] and len(ex.refusals) == 1 and len(w.cog.refused) == 1
    [refusal] = unreported_refusals()  # ...but tests/conftest.py fails the test on it
    assert refusal is ex.refusals[0] and "P!toolong" in str(refusal)
    assert unreported_refusals() == []


async def test_slash_responses_follow_ups_edits_and_updates_are_checked(w: World):
    w.h.raise_errors = False
    slash = await w.h.slash(GUILD_A, CHAN_A, ALICE, "toolong")
    assert [p.path for r in slash.refusals for p in r.problems] == ["data.content"]
    follow = await w.h.slash(GUILD_A, CHAN_A, ALICE, "followlong")
    assert [p.path for r in follow.refusals for p in r.problems] == ["content"]
    edited = await w.h.slash(GUILD_A, CHAN_A, ALICE, "editoriginal")
    assert [p.path for r in edited.refusals for p in r.problems] == ["embeds.0.title"]
    assert edited.reply.content == "short"  # the refused edit changed nothing
    message_edit = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!editlong")
    assert [str(r.call).split()[0] for r in message_edit.refusals] == ["PATCH"]
    grow = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!grow")
    update = await w.h.click(grow.reply, ALICE, label="Grow")
    assert [p.path for r in update.refusals for p in r.problems] == ["data.content"]
    assert grow.reply.content == "grow me"
    assert len(w.cog.refused) == 4
    assert len(w.h.take_refusals()) == 5


async def test_autocomplete_choices_are_checked(w: World):
    ok = await w.h.autocomplete(GUILD_A, CHAN_A, ALICE, "choose", focused="pick", value="25x100")
    assert len(ok) == 25
    w.h.raise_errors = False
    for typed, path in (("26x5", "data.choices"), ("1x101", "data.choices.0.name")):
        with pytest.raises(AssertionError, match="no autocomplete answer"):
            await w.h.autocomplete(GUILD_A, CHAN_A, ALICE, "choose", focused="pick", value=typed)
        [refusal] = w.h.take_refusals()
        assert path in [p.path for p in refusal.problems]


async def test_modals_are_checked(w: World):
    w.h.raise_errors = False
    ex = await w.h.slash(GUILD_A, CHAN_A, ALICE, "longmodal")
    paths = [p.path for r in ex.refusals for p in r.problems]
    assert "data.title" in paths and any(p.endswith(".label") for p in paths)
    assert w.h.modals == [] and len(w.cog.refused) == 1
    w.h.take_refusals()


async def test_members_cannot_send_more_than_discord_lets_them(w: World):
    with pytest.raises(AssertionError, match="6,001 characters"):
        await w.h.slash(GUILD_A, CHAN_A, ALICE, "team create", name="n" * 6001)


# ----------------------------------------------------------------------------- member lookups, time
async def test_auto_sharded_member_lookups_go_through_the_fake_gateway():
    """A mention of someone the cache lacks is looked up as a live shard does (a member chunk
    request), found if they are in the server, else MemberNotFound: never a crash."""
    async with OfflineDiscord(make_bot(commands.AutoShardedBot), raise_errors=False) as h:
        alice = h.make_user(ALICE, "alice")
        h.make_user(BOB, "bob")
        carol = h.make_user(CAROL, "carol")
        guild = h.make_guild(GUILD_A, "Alpha", owner_id=ALICE)
        await h.join_guild(guild, [alice])
        guild.members[BOB] = []  # in the server, not in the bot's cache (no event was sent)
        assert h.client.get_guild(GUILD_A).get_member(BOB) is None
        by_id = await h.send(GUILD_A, None, ALICE, f"P!hello <@{BOB}>")
        assert by_id.text == "hello bob" and by_id.errors == []
        guild.nicks[BOB] = "Bobby"
        by_name = await h.send(GUILD_A, None, ALICE, "P!hello Bobby")
        assert by_name.text == "hello Bobby"
        missing = await h.send(GUILD_A, None, ALICE, f"P!hello <@{carol.id}>")
        assert missing.messages == [] and isinstance(missing.errors[0], commands.MemberNotFound)


async def test_slash_options_take_names_and_refuse_what_discord_would_not_send(w: World):
    assert (await w.h.slash(GUILD_A, CHAN_A, ALICE, "hello", member="BOB")).text == "hello bob"
    assert (await w.h.slash(GUILD_A, CHAN_A, ALICE, "hello", member="@alice")).text == "hello alice"
    mention = await w.h.slash(GUILD_A, CHAN_A, ALICE, "hello", member=f"<@{BOB}>")
    assert mention.text == "hello bob"
    with pytest.raises(AssertionError, match="no user 'Zed'"):
        await w.h.slash(GUILD_A, CHAN_A, ALICE, "hello", member="Zed")


async def test_advance_times_views_out(w: World):
    class Short(discord.ui.View):
        timed_out = False

        def __init__(self) -> None:
            super().__init__(timeout=60)

        @discord.ui.button(label="Go", custom_id="short:go")
        async def go(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
            await interaction.response.send_message("went")

        async def on_timeout(self) -> None:
            Short.timed_out = True
            await self.message.edit(content="expired", view=None)

    @w.bot.command()
    async def short(ctx: commands.Context) -> None:
        view = Short()
        view.message = await ctx.send("choose", view=view)

    ex = await w.h.send(GUILD_A, CHAN_A, ALICE, "P!short")
    early = await w.h.advance(30)
    assert not Short.timed_out and early.messages == []
    late = await w.h.advance(31)  # 61 seconds in all
    assert Short.timed_out and late.messages == [ex.reply]
    assert ex.reply.content == "expired" and ex.reply.buttons == []
