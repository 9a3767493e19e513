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

from chibot.discord.harness import (
    BotError,
    FakeGuild,
    FakeUser,
    HarnessTimeout,
    OfflineDiscord,
    RoleChange,
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
