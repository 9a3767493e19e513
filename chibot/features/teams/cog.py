"""Team commands: `/team …` and its prefix tree (`P!team create`), with the old names as
shortcuts (`P!createteam`, `P!jointeam`, `P!leaveteam`, `P!teamkick`, `P!teambase`,
`P!teamupgrade`, `P!teamdecorate`, `P!teamchi`, `P!ally`, `P!enemy`).

The `/team` group holds 25 entries (Discord's limit for a group): the base's paint, train and
relax live under `/team base`, the bank's log and limit under `/team bank`, and the board is
`/team list` (`P!team leaderboard` and `P!team top` are its prefix aliases).
Cogs parse, call the service, render; refusals are `UserError`s answered in one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord.checks import NotAdmin, is_admin
from chibot.discord.context import ChiContext
from chibot.discord.converters import Amount
from chibot.discord.tree import hybrid_group, refuse_extra, shortcut
from chibot.discord.ui import Palette, announce, member_name, plural
from chibot.discord.ui import timestamp as ts
from chibot.features.teams import views
from chibot.features.teams.errors import BadTeamName
from chibot.features.teams.rules import COLOURS
from chibot.features.teams.service import Joined, TeamsService, Waiting

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot


class Teams(commands.Cog):
    """Teams: found one, invite, the bank, the base, allies and rivals, team events."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.teams: TeamsService = bot.app.teams

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*views.DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*views.DYNAMIC_ITEMS)

    @commands.Cog.listener()
    async def on_member_remove(self, member: discord.Member) -> None:
        """A member who leaves the server leaves their team (a leader hands it over)."""
        await self.teams.member_left_server(member.guild.id, member.id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Members who left while the bot was away leave their teams (servers whose member
        list is known in full)."""
        for guild in self.bot.guilds:
            if guild.chunked:
                await self.teams.reconcile(guild.id, {m.id for m in guild.members})

    async def _team_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild is None:
            return []
        found = await self.teams.search(interaction.guild.id, current)
        return [app_commands.Choice(name=t.name, value=t.name) for t in found[:25]]

    # --- the group and the card ----------------------------------------------------------

    @hybrid_group(name="team", fallback="info", invoke_without_command=True)
    @commands.guild_only()
    @app_commands.describe(team="A team of this server (default: yours)")
    @app_commands.autocomplete(team=_team_autocomplete)
    async def team(self, ctx: ChiContext, *, team: str | None = None) -> None:
        """Your team's card (or another team's), or how to start one."""
        if team and ctx.interaction is None:  # `P!team info [team]`: the slash fallback's name
            first, _, rest = team.strip().partition(" ")
            if first.lower() == "info":
                team = rest.strip() or None
        card = await self.teams.card(ctx.guild_id, ctx.author.id, team)
        if card is None:
            invites = await self.teams.invites(ctx.guild_id, ctx.author.id)
            view = None
            if invites:
                view = views.answer_view(views.InviteAnswer, invites[0][1].team_id, ctx.author.id)
            cost = (await ctx.app.guild_settings.get(ctx.guild_id)).team_create_cost
            embed = views.no_team_embed(
                ctx.clean_prefix if not ctx.interaction else "/", invites, cost
            )
            await (ctx.send(embed=embed, view=view) if view else ctx.send(embed=embed))
            return
        if any(m.user_id == ctx.author.id for m in card.roster):  # your own team: next steps
            await ctx.send(
                embed=views.card_embed(card, ctx.server), view=views.card_view(ctx.author.id)
            )
        else:
            await ctx.send(embed=views.card_embed(card, ctx.server))
        leads = any(
            m.user_id == ctx.author.id and m.role in ("leader", "officer") for m in card.roster
        )
        if team is None and leads:
            for session in (await self.teams.requests(ctx.guild_id, ctx.author.id))[:3]:
                user = int(session.key.split(":")[1])
                waiting = Waiting(session.kind, card.team, user, session.expires_at)
                await ctx.send(
                    views.waiting_text(waiting, ctx.server),
                    view=views.answer_view(views.RequestAnswer, card.team.team_id, user),
                )

    @team.command(name="list", aliases=["leaderboard", "top"])
    @commands.guild_only()
    @app_commands.describe(board="Order by score, bank or members", page="Page number")
    async def team_list(
        self,
        ctx: ChiContext,
        board: Literal["score", "bank", "members"] = "score",
        page: commands.Range[int, 1, 100_000] = 1,
    ) -> None:
        """This server's teams: by score (or bank, or members), with your team's rank."""
        await ctx.paginate(views.TeamBoardButton, board, page=page)

    @team.command(name="members")
    @commands.guild_only()
    @app_commands.describe(team="A team of this server (default: yours)")
    @app_commands.autocomplete(team=_team_autocomplete)
    async def members(self, ctx: ChiContext, *, team: str | None = None) -> None:
        """Who is in a team, with their roles."""
        card = await self.teams.card(ctx.guild_id, ctx.author.id, team)
        if card is None:
            await ctx.send("You are not in a team: `team create <name>`, or `jointeam <team>`.")
            return
        await ctx.send(embed=views.members_embed(card, ctx.server))

    # --- founding, joining, leaving ------------------------------------------------------------

    @team.command(name="create")
    @shortcut("createteam")
    @commands.guild_only()
    @app_commands.describe(name="3 to 24 characters, no mentions or markdown")
    async def create(self, ctx: ChiContext, *, name: str | None = None) -> None:
        """Found a team (costs chi: see `config`); you lead it."""
        if not name:
            raise BadTeamName(problem="missing")
        founded = await self.teams.create(ctx.guild_id, ctx.author.id, name)
        embed = views.card_embed(founded.card, ctx.server)
        embed.title = f"🛡️ {founded.card.team.name} is founded!"
        await ctx.send(embed=embed)
        await announce(self.bot, ctx, ctx.author, founded.unlocked)

    @team.command(name="invite", aliases=["add"])
    @commands.guild_only()
    @app_commands.describe(member="Who to invite")
    async def invite(self, ctx: ChiContext, member: discord.Member) -> None:
        """Invite a member (leader and officers): they accept or decline with the buttons."""
        waiting = await self.teams.invite(
            ctx.guild_id, ctx.author.id, member.id, target_is_bot=member.bot
        )
        sent = await ctx.send(
            views.waiting_text(waiting, ctx.server),
            view=views.answer_view(views.InviteAnswer, waiting.team.team_id, member.id),
        )
        await self.teams.attach(ctx.guild_id, waiting, sent.channel.id, sent.id)

    @team.command(name="accept")
    @commands.guild_only()
    @app_commands.describe(
        who="A team whose invite you accept, or a member whose request you accept"
    )
    async def accept(self, ctx: ChiContext, *, who: str | None = None) -> None:
        """Accept your invite (or, for leaders and officers, a member's join request)."""
        await self._answer(ctx, who, accept=True)

    @team.command(name="deny", aliases=["decline"])
    @commands.guild_only()
    @app_commands.describe(
        who="A team whose invite you decline, or a member whose request you decline"
    )
    async def deny(self, ctx: ChiContext, *, who: str | None = None) -> None:
        """Decline your invite (or, for leaders and officers, a member's join request)."""
        await self._answer(ctx, who, accept=False)

    async def _answer(self, ctx: ChiContext, who: str | None, *, accept: bool) -> None:
        member = await _member_or_none(ctx, who)
        if member is not None:
            result = await self.teams.answer_request(
                ctx.guild_id, ctx.author.id, member.id, accept=accept
            )
            if isinstance(result, Joined):
                await ctx.send(views.joined_text(result, ctx.server))
            else:
                await ctx.send(
                    f"{member_name(ctx.server, member.id)}'s request to join **{result.name}** was declined."
                )
            return
        team_id = None
        if who:
            found = await self.teams.card(ctx.guild_id, ctx.author.id, who)
            team_id = found.team.team_id if found else None
        result = await self.teams.answer_invite(ctx.guild_id, ctx.author.id, team_id, accept=accept)
        if isinstance(result, Joined):
            await ctx.send(views.joined_text(result, ctx.server))
        else:
            await ctx.send(f"You declined the invite to **{result.name}**.")

    @team.command(name="join")
    @shortcut("jointeam")
    @commands.guild_only()
    @app_commands.describe(team="The team to join (its invite, or a request to its leader)")
    @app_commands.autocomplete(team=_team_autocomplete)
    async def join(self, ctx: ChiContext, *, team: str | None = None) -> None:
        """Join a team: accepts its invite, or asks its leader and officers."""
        if not team:
            await self._answer(ctx, None, accept=True)
            return
        result = await self.teams.request(ctx.guild_id, ctx.author.id, team)
        if isinstance(result, Joined):
            await ctx.send(views.joined_text(result, ctx.server))
            return
        sent = await ctx.send(
            views.waiting_text(result, ctx.server),
            view=views.answer_view(views.RequestAnswer, result.team.team_id, ctx.author.id),
        )
        await self.teams.attach(ctx.guild_id, result, sent.channel.id, sent.id)

    @team.command(name="leave")
    @shortcut("leaveteam")
    @commands.guild_only()
    async def leave(self, ctx: ChiContext) -> None:
        """Leave your team (a leader hands it to the longest-standing officer or member)."""

        async def go(interaction: discord.Interaction) -> None:
            left = await self.teams.leave(ctx.guild_id, ctx.author.id)
            await interaction.followup.send(views.left_text(left, ctx.server))

        await ctx.confirm(
            "Leave your team? Your gym training bonuses stay with the team.", action=go
        )

    @team.command(name="kick", aliases=["remove"])
    @shortcut("teamkick")
    @commands.guild_only()
    @app_commands.describe(member="Who to remove from the team")
    async def kick(self, ctx: ChiContext, member: discord.Member) -> None:
        """Remove a member (the leader; officers remove members)."""
        left = await self.teams.kick(ctx.guild_id, ctx.author.id, member.id)
        await ctx.send(views.left_text(left, ctx.server, verb="was removed from"))

    @team.command(name="disband")
    @commands.guild_only()
    async def disband(self, ctx: ChiContext) -> None:
        """Disband your team (the leader): its bank goes back to the members by donation."""

        async def go(interaction: discord.Interaction) -> None:
            left = await self.teams.disband(ctx.guild_id, ctx.author.id)
            await interaction.followup.send(views.left_text(left, ctx.server))

        await ctx.confirm(
            "💥 Disband your team for good? Its bank goes back to the members in proportion to "
            "what they donated; the base and its items are lost.",
            action=go,
        )

    @team.command(name="transfer")
    @commands.guild_only()
    @app_commands.describe(member="The new leader")
    async def transfer(self, ctx: ChiContext, member: discord.Member) -> None:
        """Hand the team to another member (you become an officer)."""

        async def go(interaction: discord.Interaction) -> None:
            team = await self.teams.set_role(ctx.guild_id, ctx.author.id, member.id, "leader")
            await interaction.followup.send(
                f"👑 {member_name(ctx.server, member.id)} now leads **{team.name}**."
            )

        await ctx.confirm(f"Hand your team to {member_name(ctx.server, member.id)}?", action=go)

    @team.command(name="promote")
    @commands.guild_only()
    @app_commands.describe(member="The member who becomes an officer")
    async def promote(self, ctx: ChiContext, member: discord.Member) -> None:
        """Make a member an officer: they invite, remove members and withdraw within the limit."""
        team = await self.teams.set_role(ctx.guild_id, ctx.author.id, member.id, "officer")
        await ctx.send(f"⭐ {member_name(ctx.server, member.id)} is an officer of **{team.name}**.")

    @team.command(name="demote")
    @commands.guild_only()
    @app_commands.describe(member="The officer who becomes a member again")
    async def demote(self, ctx: ChiContext, member: discord.Member) -> None:
        """Make an officer a member again."""
        team = await self.teams.set_role(ctx.guild_id, ctx.author.id, member.id, "member")
        await ctx.send(
            f"{member_name(ctx.server, member.id)} is a member of **{team.name}** again."
        )

    # --- the bank ---------------------------------------------------------------------------

    @team.command(name="donate")
    @commands.guild_only()
    @app_commands.describe(amount="Chi to put in the team's bank (e.g. 500 or 2k)")
    async def donate(self, ctx: ChiContext, amount: Annotated[int, Amount]) -> None:
        """Put chi in your team's bank."""
        move = await self.teams.donate(ctx.guild_id, ctx.author.id, amount)
        await ctx.send(views.bank_text(move))

    @team.command(name="withdraw")
    @commands.guild_only()
    @app_commands.describe(amount="Chi to take from the team's bank")
    async def withdraw(self, ctx: ChiContext, amount: Annotated[int, Amount]) -> None:
        """Take chi from the bank (the leader; officers within the daily limit)."""
        move = await self.teams.withdraw(ctx.guild_id, ctx.author.id, amount)
        await ctx.send(views.bank_text(move))

    @team.group(name="bank", fallback="show", invoke_without_command=True)
    @shortcut("teamchi")
    @commands.guild_only()
    @app_commands.describe(page="Page of the bank's log (a number)")
    async def bank(self, ctx: ChiContext, page: str | None = None) -> None:
        """The team's bank and its log: every donation, withdrawal and upgrade."""
        if page is None or page.strip().lower() in ("show", "log"):  # `P!team bank show`
            number = 1
        elif page.strip().isdigit() and len(page.strip()) <= 6:
            number = int(page.strip())
        else:
            raise commands.BadArgument(f"`{page[:20]}` isn't a page number.")
        team, rows, at, pages = await self.teams.bank_log(ctx.guild_id, ctx.author.id, number)
        await ctx.send(embed=views.bank_embed(team, rows, at, pages, ctx.server))

    @bank.command(name="limit")
    @commands.guild_only()
    @app_commands.describe(amount="What an officer may withdraw per day (capped by the base tier)")
    async def bank_limit(
        self, ctx: ChiContext, amount: commands.Range[int, 0, 1_000_000_000]
    ) -> None:
        """Set what officers may withdraw per day (the leader)."""
        team = await self.teams.set_officer_limit(ctx.guild_id, ctx.author.id, amount)
        await ctx.send(
            f"Officers of **{team.name}** may now withdraw up to {team.officer_limit:,} chi a day (at most what the base tier allows)."
        )

    # --- the base ---------------------------------------------------------------------------

    @team.group(name="base", fallback="show", invoke_without_command=True)
    @shortcut("teambase")
    @commands.guild_only()
    async def base(self, ctx: ChiContext) -> None:
        """Your team's base: tier, gym, arena, colour, decorations and equipment."""
        refuse_extra(ctx)
        card = await self.teams.card(ctx.guild_id, ctx.author.id)
        if card is None:
            await ctx.send("You are not in a team: `team create <name>`, or `jointeam <team>`.")
            return
        await ctx.send(embed=views.base_embed(card, self.teams.items.by_id))

    @team.command(name="upgrade")
    @shortcut("teamupgrade")
    @commands.guild_only()
    @app_commands.describe(
        facility="base (more members, higher limits), gym (training cap) or arena (team duels)"
    )
    async def upgrade(self, ctx: ChiContext, facility: Literal["base", "gym", "arena"]) -> None:
        """Upgrade the base, gym or arena (the leader), paid from the bank and trophies."""
        up = await self.teams.upgrade(ctx.guild_id, ctx.author.id, facility)
        await ctx.send(views.upgraded_text(up))

    @team.command(name="decorate")
    @shortcut("teamdecorate")
    @commands.guild_only()
    @app_commands.describe(item="A decoration from your inventory (TV, Couch, Bed, Pirate Hat)")
    async def decorate(self, ctx: ChiContext, *, item: str) -> None:
        """Move a decoration from your inventory into the base."""
        placed = await self.teams.place(ctx.guild_id, ctx.author.id, item, "decoration")
        await ctx.send(views.placed_text(placed))

    @team.command(name="gym")
    @commands.guild_only()
    @app_commands.describe(
        item="Gym equipment from your inventory (Treadmill, Weight Bench, Punching Bag)"
    )
    async def gym(self, ctx: ChiContext, *, item: str) -> None:
        """Move gym equipment from your inventory into the base."""
        placed = await self.teams.place(ctx.guild_id, ctx.author.id, item, "gym")
        await ctx.send(views.placed_text(placed))

    @base.command(name="paint")
    @commands.guild_only()
    @app_commands.describe(colour="white, red, blue, green, yellow, purple, orange, pink or black")
    async def paint(self, ctx: ChiContext, colour: str) -> None:
        """Paint the base (the leader): the colour of the team's cards."""
        team = await self.teams.paint(ctx.guild_id, ctx.author.id, colour)
        await ctx.send(
            embed=discord.Embed(
                description=f"🎨 **{team.name}** is painted {team.colour}.",
                color=COLOURS[team.colour],
            )
        )

    @base.command(name="train")
    @commands.guild_only()
    @app_commands.describe(equipment="Equipment in your base's gym")
    async def train(self, ctx: ChiContext, *, equipment: str) -> None:
        """Train on gym equipment: a lasting fight bonus, capped by the gym's level."""
        done = await self.teams.train(ctx.guild_id, ctx.author.id, equipment)
        await ctx.send(views.trained_text(done))

    @base.command(name="relax")
    @commands.guild_only()
    @app_commands.describe(place="A decoration of your base: TV, Couch or Bed")
    async def relax(self, ctx: ChiContext, *, place: str) -> None:
        """Relax at a decoration: a little chi, on a cooldown."""
        done = await self.teams.relax(ctx.guild_id, ctx.author.id, place)
        await ctx.send(views.relaxed_text(done))

    # --- relations --------------------------------------------------------------------------

    @team.group(name="ally", fallback="add", invoke_without_command=True)
    @shortcut("ally")
    @commands.guild_only()
    @app_commands.describe(team="The team to ally with (its leader must accept)")
    @app_commands.autocomplete(team=_team_autocomplete)
    async def ally(self, ctx: ChiContext, *, team: str) -> None:
        """Propose an alliance (the leader); accepting theirs makes it at once."""
        words = team.split(maxsplit=1)
        if len(words) == 2 and words[0].lower() in ("add", "remove"):  # `team ally add <team>`
            if words[0].lower() == "remove":
                await self._unally(ctx, words[1])
                return
            team = words[1]
        result = await self.teams.ally(ctx.guild_id, ctx.author.id, team)
        if isinstance(result, Waiting):
            sent = await ctx.send(
                views.waiting_text(result, ctx.server),
                view=views.answer_view(views.AllyAnswer, result.team.team_id),
            )
            await self.teams.attach(ctx.guild_id, result, sent.channel.id, sent.id)
        else:
            await ctx.send(views.relation_text(result))

    @ally.command(name="remove")
    @commands.guild_only()
    @app_commands.describe(team="The allied team")
    @app_commands.autocomplete(team=_team_autocomplete)
    async def unally(self, ctx: ChiContext, *, team: str) -> None:
        """End an alliance (the leader)."""
        await self._unally(ctx, team)

    async def _unally(self, ctx: ChiContext, team: str) -> None:
        await ctx.send(
            views.relation_text(await self.teams.unally(ctx.guild_id, ctx.author.id, team))
        )

    @team.group(name="enemy", fallback="add", invoke_without_command=True)
    @shortcut("enemy")
    @commands.guild_only()
    @app_commands.describe(team="The team to name a rival (no consent needed)")
    @app_commands.autocomplete(team=_team_autocomplete)
    async def enemy(self, ctx: ChiContext, *, team: str) -> None:
        """Name a rival team (the leader): shown on both cards; rivals duel without consent."""
        words = team.split(maxsplit=1)
        add = True
        if len(words) == 2 and words[0].lower() in ("add", "remove"):
            add, team = words[0].lower() == "add", words[1]
        result = await self.teams.enemy(ctx.guild_id, ctx.author.id, team, add=add)
        await ctx.send(views.relation_text(result))

    @enemy.command(name="remove")
    @commands.guild_only()
    @app_commands.describe(team="The rival team")
    @app_commands.autocomplete(team=_team_autocomplete)
    async def unenemy(self, ctx: ChiContext, *, team: str) -> None:
        """Stop naming a team a rival (the leader)."""
        result = await self.teams.enemy(ctx.guild_id, ctx.author.id, team, add=False)
        await ctx.send(views.relation_text(result))

    # --- events -----------------------------------------------------------------------------

    @team.command(name="event")
    @commands.guild_only()
    @app_commands.describe(
        name="The event's name (empty: list the open events)", hours="Hours registration stays open"
    )
    async def event(
        self, ctx: ChiContext, hours: commands.Range[int, 1, 336] = 24, *, name: str | None = None
    ) -> None:
        """Open a team event's registration (admins), or list the open ones."""
        if not name:
            events = await self.teams.events(ctx.guild_id)
            embed = discord.Embed(title="Team events", color=Palette.GOLD)
            embed.description = (
                "\n".join(
                    f"**{e.name}**: registration closes {ts(e.closes_at)} · "
                    f"{plural(len(e.entries), 'team')}"
                    + (f": {', '.join(e.entries[:20])}" if e.entries else "")
                    + (" …" if len(e.entries) > 20 else "")
                    for e in events[:10]
                )
                or "No team event is open. Admins open one with `team event [hours] <name>`."
            )
            await ctx.send(embed=embed)
            return
        await admin_check(ctx)
        info = await self.teams.open_event(ctx.guild_id, ctx.author.id, name, hours)
        await ctx.send(
            embed=discord.Embed(
                title=f"🏁 {info.name}",
                description=f"Team leaders: `team register {info.name}`. Registration closes {ts(info.closes_at)}.",
                color=Palette.GOLD,
            )
        )

    @team.command(name="register")
    @commands.guild_only()
    @app_commands.describe(event="The open event to enter (default: the newest)")
    async def register(self, ctx: ChiContext, *, event: str | None = None) -> None:
        """Register your team for an open event (the leader)."""
        info = await self.teams.register(ctx.guild_id, ctx.author.id, event)
        await ctx.send(
            f"✅ Registered for **{info.name}** ({plural(len(info.entries), 'team')} so far; registration closes {ts(info.closes_at)})."
        )


async def admin_check(ctx: ChiContext) -> None:
    """Opening an event is for admins (listing it is for everyone)."""
    if not await is_admin(ctx.bot, ctx.author, ctx.guild):
        raise NotAdmin()


async def _member_or_none(ctx: ChiContext, text: str | None) -> discord.Member | None:
    """`who` names a member (mention or id, or a name) of this server, or is a team name."""
    if not text:
        return None
    try:
        return await commands.MemberConverter().convert(ctx, text.strip())
    except commands.BadArgument:
        return None


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Teams(bot))
