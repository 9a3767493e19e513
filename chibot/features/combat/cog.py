"""Combat commands: `/fight …` and its prefix tree (`P!fight`, `P!weapons`, `P!equip`,
`P!spar`, `P!train`, `P!attack`, `P!defend`, `P!forfeit`, `P!dueltutorial` / `P!dtut`). Cogs
parse, call the service, render."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Annotated, Any

import discord
from discord import app_commands
from discord.ext import commands

from chibot.discord import ui
from chibot.discord.checks import NotAdmin, admin_only, is_admin
from chibot.discord.context import ChiContext
from chibot.discord.converters import Amount, parse_amount
from chibot.discord.tree import hybrid_group, shortcut
from chibot.discord.ui.seal import sealer_for, set_sealer
from chibot.features.combat import card, engine, team_views, tournament_views, views
from chibot.features.combat.live import InChannel, Step
from chibot.features.combat.service import Challenge, CombatService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot


class Combat(commands.Cog):
    """Combat: weapons, the weapon you fight with, sparring and NPC training."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.combat: CombatService = bot.app.combat

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(
            *card.DYNAMIC_ITEMS, views.DuelBoardButton, views.BossBoardButton
        )
        self.bot.add_dynamic_items(tournament_views.TournamentJoin, team_views.LobbyButton)

    async def deliver_notice(self, notice: object) -> bool:
        """Say what a fight the scheduler ended has to say, where its card was (a
        tournament's results and its next matches' cards): `live.InChannel`."""
        if not isinstance(notice, InChannel) or not tournament_views.says_something(notice.notice):
            return False
        channel = self.bot.get_channel(notice.channel_id)
        guild = getattr(channel, "guild", None)
        if channel is None or guild is None:
            return False
        set_sealer(sealer_for(self.bot, guild.id))  # the cards' buttons, sealed for this server
        try:
            await tournament_views.follow_up(self.bot, channel, guild.id, [notice.notice])
        finally:
            set_sealer(None)
        return True

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(
            *card.DYNAMIC_ITEMS, views.DuelBoardButton, views.BossBoardButton
        )
        self.bot.remove_dynamic_items(tournament_views.TournamentJoin, team_views.LobbyButton)

    async def _show(self, ctx: ChiContext, step: Step, *, lead: str | None = None) -> None:
        """Post the fight's card (it becomes the one the fight shows; an older card loses its
        buttons) and announce what the step unlocked."""
        view = card.fight_view(step)
        embed = card.fight_embed(step)
        sent = await (
            ctx.send(lead, embed=embed, view=view) if view else ctx.send(lead, embed=embed)
        )
        if not step.ended:
            await self.combat.attach_fight(ctx.guild_id, step.fight.id, sent.channel.id, sent.id)
        if step.card is not None and step.card != (sent.channel.id, sent.id):
            channel = self.bot.get_channel(step.card[0])
            if isinstance(channel, discord.abc.Messageable):
                with contextlib.suppress(discord.HTTPException):
                    await channel.get_partial_message(step.card[1]).edit(view=None)
        await card.announce_step(self.bot, ctx, ctx.author, step)
        if step.ended and step.fight.mode.name == "tournament":  # results, the next matches
            await tournament_views.follow_up(self.bot, ctx.channel, ctx.guild_id, step.notices)

    async def _weapon_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = self.combat.items.search(current, self.combat.weapons)
        return [app_commands.Choice(name=i.name, value=i.name) for i in found]

    @hybrid_group(name="fight", aliases=["combat"], fallback="card", invoke_without_command=True)
    @commands.guild_only()
    async def fight(self, ctx: ChiContext) -> None:
        """Your fighting card: HP, level, the weapon you fight with and its attacks."""
        arsenal = await self.combat.arsenal(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.card_embed(arsenal, ctx.author.display_name))

    @fight.command(name="weapons")
    @shortcut("weapons")
    @commands.guild_only()
    async def weapons(self, ctx: ChiContext) -> None:
        """Every weapon, its attacks with their codes and your damage, what you hold."""
        arsenal = await self.combat.arsenal(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.weapons_embed(arsenal, ctx.author.display_name))

    @fight.command(name="equip")
    @shortcut("equip")
    @commands.guild_only()
    @app_commands.describe(weapon="A weapon you hold")
    @app_commands.autocomplete(weapon=_weapon_autocomplete)
    async def equip(self, ctx: ChiContext, *, weapon: str) -> None:
        """Choose the weapon you fight with (one in your inventory)."""
        done = await self.combat.equip(ctx.guild_id, ctx.author.id, weapon)
        await ctx.send(views.equipped_text(done))

    @fight.command(name="spar")
    @shortcut("spar")
    @commands.guild_only()
    @app_commands.describe(member="Whom to spar with (or whose challenge to accept)")
    async def spar(self, ctx: ChiContext, member: discord.Member) -> None:
        """Spar with a member (no stakes): challenge them, or accept their challenge."""
        if member.bot:
            await ctx.send("Bots don't spar: name a member.")
            return
        done = await self.combat.challenge_spar(
            ctx.guild_id, ctx.author.id, ctx.author.display_name, member.id, member.display_name
        )
        if isinstance(done, Challenge):
            sent = await ctx.send(
                views.challenge_text(done, ctx.author.display_name),
                view=card.spar_view(ctx.author.id, member.id),
            )
            await self.combat.attach_spar_challenge(
                ctx.guild_id, member.id, ctx.author.id, sent.channel.id, sent.id
            )
        else:
            await self._show(ctx, done)

    async def _opponent_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        said = current.strip().casefold()
        return [
            app_commands.Choice(name=f"{n.name} ({n.key})", value=n.key)
            for n in self.combat.training.npcs.npc
            if not said or said in n.key or said in n.name.casefold()
        ]

    @fight.command(name="train")
    @shortcut("train")
    @commands.guild_only()
    @app_commands.describe(
        opponent="An NPC (dummy, easy, medium, hard), a member to spar with, or empty: the list"
    )
    @app_commands.autocomplete(opponent=_opponent_autocomplete)
    async def train(self, ctx: ChiContext, *, opponent: str = "") -> None:
        """Train against an NPC (chi for a win, once per cooldown), or spar with a member."""
        said = opponent.strip()
        if said.lower() in ("", "list", "npcs"):
            await ctx.invoke(self.npcs)
            return
        npc = self.combat.training.npcs.find(said)
        if npc is not None:
            step = await self.combat.train_npc(
                ctx.guild_id, ctx.author.id, ctx.author.display_name, npc.key
            )
            await self._show(ctx, step, lead=views.training_head(npc, ctx.author.display_name))
            return
        try:
            member = await commands.MemberConverter().convert(ctx, said)
        except commands.BadArgument:
            await ctx.send(
                "I can't find that member here. `train @member` spars with a member; "
                f"NPCs: {', '.join(n.key for n in self.combat.training.npcs.npc)} "
                "(`train` lists them)."
            )
            return
        await ctx.invoke(self.spar, member=member)

    @fight.command(name="npcs")
    @commands.guild_only()
    async def npcs(self, ctx: ChiContext) -> None:
        """The training NPCs: HP, hits, rewards, cooldowns, and when yours are ready."""
        lines = await self.combat.npc_lines(ctx.guild_id, ctx.author.id)
        await ctx.send(embed=views.npcs_embed(lines, ctx.author.display_name))

    async def _act(self, ctx: ChiContext, command: object) -> None:
        step = await self.combat.act(ctx.guild_id, ctx.author.id, command)
        await self._show(ctx, step)

    @fight.command(name="attack")
    @shortcut("attack")
    @commands.guild_only()
    @app_commands.describe(attack="An attack code (VW1) or name")
    async def attack(self, ctx: ChiContext, *, attack: str = "") -> None:
        """Attack in your fight."""
        await self._act(ctx, engine.Attack(str(ctx.author.id), attack.strip()))

    @fight.command(name="pet")
    @commands.guild_only()
    @app_commands.describe(move="Your pet's attack: its code (P1), number or name")
    async def pet(self, ctx: ChiContext, *, move: str = "") -> None:
        """Send your pet in: one of its three attacks instead of yours (then it rests a turn)."""
        await self.pet_attack(ctx, move)

    async def pet_attack(self, ctx: ChiContext, move: str) -> None:
        """The pet's move in the member's fight (also `pet attack P#`, the pets cog's)."""
        await self._act(ctx, engine.PetAttack(str(ctx.author.id), move.strip()))

    @fight.command(name="defend")
    @shortcut("defend")
    @commands.guild_only()
    async def defend(self, ctx: ChiContext) -> None:
        """Defend: the next hit you take is halved (twice in a row at most)."""
        await self._act(ctx, engine.Defend(str(ctx.author.id)))

    @fight.command(name="heal")
    @commands.guild_only()
    @app_commands.describe(item="A healing item you hold")
    async def heal(self, ctx: ChiContext, *, item: str) -> None:
        """Heal with a healing item you hold (a few charges per fight)."""
        found = self.combat.items.find(item)
        await self._act(ctx, engine.Heal(str(ctx.author.id), found.name if found else item))

    @fight.command(name="forfeit", aliases=["run"])
    @shortcut("forfeit")
    @commands.guild_only()
    async def forfeit(self, ctx: ChiContext) -> None:
        """Give up your fight."""
        await self._act(ctx, engine.Forfeit(str(ctx.author.id)))

    # --- duels ---------------------------------------------------------------------------------

    @fight.group(name="duel", fallback="challenge", invoke_without_command=True)
    @shortcut("duel")
    @commands.guild_only()
    @app_commands.describe(member="Whom to challenge", stake="Chi each side puts in (optional)")
    async def duel(
        self, ctx: ChiContext, member: discord.Member | None = None, stake: str | None = None
    ) -> None:
        """Challenge a member to a duel, with an optional stake both sides put in escrow."""
        if member is None and stake is not None:  # `duel @someone-not-here 50`
            await ctx.send(
                f"I can't find **{ui.typed(stake)}** here: `duel @member [stake]` challenges a "
                "member of this server."
            )
            return
        if member is None:
            await ctx.send(
                "⚔️ `duel @member [stake]` challenges a member (both stakes go into escrow, the "
                "winner takes them). `duel accept` / `duel deny` answer a challenge, "
                "`duel bet <amount> @duelist` backs a duelist, `dueltutorial` explains fights."
            )
            return
        if member.bot:
            await ctx.send("Bots don't duel: name a member.")
            return
        amount = 0
        if stake is not None:
            parsed = parse_amount(stake)
            if parsed is None or parsed < 0:
                await ctx.send("A stake is an amount of chi, like `100` or `2k` (or none).")
                return
            amount = parsed
        sent_challenge = await self.combat.duel(
            ctx.guild_id, ctx.author.id, ctx.author.display_name, member.id,
            member.display_name, amount,
        )  # fmt: skip
        sent = await ctx.send(
            card.challenge_text(sent_challenge), view=card.challenge_view(sent_challenge)
        )
        await self.combat.attach_challenge(ctx.guild_id, sent_challenge, sent.channel.id, sent.id)

    @duel.command(name="accept")
    @commands.guild_only()
    @app_commands.describe(member="Whose challenge (default: the latest)")
    async def duel_accept(self, ctx: ChiContext, member: discord.Member | None = None) -> None:
        """Accept a duel challenge (your stake goes into escrow too)."""
        step = await self.combat.answer_duel(
            ctx.guild_id, ctx.author.id, ctx.author.display_name,
            member.id if member else None, accept=True,
        )  # fmt: skip
        assert isinstance(step, Step)
        await self._show(ctx, step)

    @duel.command(name="deny", aliases=["decline"])
    @commands.guild_only()
    @app_commands.describe(member="Whose challenge (default: the latest)")
    async def duel_deny(self, ctx: ChiContext, member: discord.Member | None = None) -> None:
        """Decline a duel challenge (the challenger's stake goes back to them)."""
        declined = await self.combat.answer_duel(
            ctx.guild_id, ctx.author.id, ctx.author.display_name,
            member.id if member else None, accept=False,
        )  # fmt: skip
        await ctx.send(card.declined_text(declined))

    @duel.command(name="bet")
    @commands.guild_only()
    @app_commands.describe(amount="Chi to bet", duelist="The duelist you back")
    async def duel_bet(
        self, ctx: ChiContext, amount: Annotated[int, Amount], duelist: discord.Member
    ) -> None:
        """Bet on a duelist of a live duel (open until the first action; 5% house cut)."""
        placed = await self.combat.bet(
            ctx.guild_id, ctx.author.id, amount, duelist.id, duelist.display_name
        )
        await ctx.send(card.bet_text(placed))

    @duel.command(name="attack")
    @commands.guild_only()
    @app_commands.describe(attack="An attack code (VW1) or name")
    async def duel_attack(self, ctx: ChiContext, *, attack: str = "") -> None:
        """Attack in your fight (as `attack`)."""
        await self._act(ctx, engine.Attack(str(ctx.author.id), attack.strip()))

    @duel.command(name="defend")
    @commands.guild_only()
    async def duel_defend(self, ctx: ChiContext) -> None:
        """Defend in your fight (as `defend`)."""
        await self._act(ctx, engine.Defend(str(ctx.author.id)))

    @duel.command(name="heal")
    @commands.guild_only()
    @app_commands.describe(item="A healing item you hold")
    async def duel_heal(self, ctx: ChiContext, *, item: str) -> None:
        """Heal in your fight (as `fight heal`)."""
        found = self.combat.items.find(item)
        await self._act(ctx, engine.Heal(str(ctx.author.id), found.name if found else item))

    @duel.command(name="stats", ignore_extra=False)
    @commands.guild_only()
    @app_commands.describe(member="Whose stats (default: yours)")
    async def duel_stats(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional
        """Your combat record here (as `fight stats`)."""
        await ctx.invoke(self.stats, member=member)

    @duel.command(name="leaderboard", aliases=["lb"], ignore_extra=False)
    @commands.guild_only()
    @app_commands.describe(page="Page number")
    async def duel_leaderboard(self, ctx: ChiContext, page: Annotated[int, Amount] = 1) -> None:
        """This server's duelists by wins (as `fight leaderboard`)."""
        await ctx.invoke(self.leaderboard, page=page)

    @duel.command(name="run", aliases=["forfeit"])
    @shortcut("run")
    @commands.guild_only()
    async def duel_run(self, ctx: ChiContext) -> None:
        """Give up your fight (the other side wins the stakes)."""
        await self._act(ctx, engine.Forfeit(str(ctx.author.id)))

    @fight.command(name="tutorial")
    @shortcut("dueltutorial", "dtut")
    async def tutorial(self, ctx: ChiContext) -> None:
        """How fights work (only you see it)."""
        await ctx.send(views.TUTORIAL, ephemeral=True)

    # --- stats and the duel board (`stats.py`) ----------------------------------------------

    @fight.command(name="stats", ignore_extra=False)
    @shortcut("combatstats")
    @commands.guild_only()
    @app_commands.describe(member="Whose stats (default: yours)")
    async def stats(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional (docs/architecture.md)
        """Your combat record here: duels, sparring, training, tournaments, your weapon."""
        target = member or ctx.author
        result = await self.combat.stats(ctx.guild_id, target.id)
        await ctx.send(embed=views.stats_embed(result, ui.safe(target.display_name)))

    @fight.command(name="leaderboard", aliases=["lb"], ignore_extra=False)
    @shortcut("duellb")
    @commands.guild_only()
    @app_commands.describe(page="Page number")
    async def leaderboard(self, ctx: ChiContext, page: Annotated[int, Amount] = 1) -> None:
        """This server's duelists by wins (fewer losses first on a tie), with your rank."""
        await ctx.paginate(views.DuelBoardButton, page=page)

    # --- tournaments (`tournaments.py`, `tournament_views.py`) ------------------------------

    @fight.group(name="tournament", fallback="match", invoke_without_command=True)
    @shortcut("tournament", "tourn")
    @commands.guild_only()
    @app_commands.describe(first="Admins: a forced match between two members", second="Versus")
    async def tournament(
        self, ctx: ChiContext, first: discord.Member | None = None,
        second: discord.Member | None = None,
    ) -> None:  # fmt: skip
        """Tournaments: join, leave, the bracket; admins: `tournament @a @b`, a forced match."""
        if first is None or second is None:
            await ctx.send(tournament_views.HELP)
            return
        if not await is_admin(self.bot, ctx.author, ctx.guild):
            raise NotAdmin()
        if first.bot or second.bot:
            await ctx.send("Bots don't fight in tournaments: name two members.")
            return
        step = await self.combat.tournament_force(
            ctx.guild_id, first.id, first.display_name, second.id, second.display_name
        )
        await self._show(ctx, step, lead="🏆 A tournament match, set by an admin: no stakes.")

    @tournament.command(name="create")
    @commands.guild_only()
    @admin_only()
    @app_commands.describe(details="A name, then an entry fee and a size limit (optional)")
    async def tournament_create(self, ctx: ChiContext, *, details: str) -> None:
        """Open a tournament: `tournament create <name> [fee] [size]` (admins)."""
        name, numbers = tournament_views.split_details(details)
        parsed = [parse_amount(n) for n in numbers]
        if any(p is None or p < 0 for p in parsed):
            await ctx.send(
                "The fee and the size are numbers: `tournament create Spring Cup 100 8`."
            )
            return
        fee = int(parsed[0]) if parsed else 0  # type: ignore[arg-type]
        size = int(parsed[1]) if len(parsed) > 1 else None  # type: ignore[arg-type]
        made = await self.combat.tournament_create(
            ctx.guild_id, ctx.author.id, name, fee, size, channel_id=ctx.channel.id
        )
        await ctx.send(tournament_views.created_text(made), view=tournament_views.join_view(made))

    @tournament.command(name="join")
    @commands.guild_only()
    async def tournament_join(self, ctx: ChiContext) -> None:
        """Enter the open tournament (its entry fee goes into the pool)."""
        joined = await self.combat.tournament_join(
            ctx.guild_id, ctx.author.id, ctx.author.display_name
        )
        await ctx.send(tournament_views.joined_text(joined, ctx.author.display_name))

    @tournament.command(name="leave")
    @commands.guild_only()
    async def tournament_leave(self, ctx: ChiContext) -> None:
        """Leave the tournament before it starts (your fee comes back)."""
        left = await self.combat.tournament_leave(ctx.guild_id, ctx.author.id)
        await ctx.send(tournament_views.left_text(left, ctx.author.display_name))

    @tournament.command(name="start")
    @commands.guild_only()
    @admin_only()
    async def tournament_start(self, ctx: ChiContext) -> None:
        """Start the tournament: the bracket is drawn, round 1's matches begin (admins)."""
        started = await self.combat.tournament_start(ctx.guild_id, ctx.author.id)
        await ctx.send(
            tournament_views.started_text(started),
            embed=tournament_views.bracket_embed(started.tournament),
        )
        for match in started.matches:
            await self._show(ctx, match.step, lead=tournament_views.started_lead(match))

    @tournament.command(name="bracket")
    @commands.guild_only()
    async def tournament_bracket(self, ctx: ChiContext) -> None:
        """The bracket, round by round: who is live, who won, byes and walk-overs."""
        found = await self.combat.tournament(ctx.guild_id)
        await ctx.send(embed=tournament_views.bracket_embed(found))

    @tournament.command(name="cancel")
    @commands.guild_only()
    @admin_only()
    async def tournament_cancel(self, ctx: ChiContext) -> None:
        """Cancel the tournament: every fee is refunded, live matches are called off (admins)."""
        done = await self.combat.tournament_cancel(ctx.guild_id, ctx.author.id)
        await ctx.send(tournament_views.cancelled_text(done))
        await tournament_views.edit_cards(self.bot, done.notices)

    # --- team fights (`team_fights.py`) -----------------------------------------------------

    async def _post_lobby(self, ctx: ChiContext, lobby: Any, lead: str | None = None) -> None:
        sent = await ctx.send(
            lead, embed=team_views.lobby_embed(lobby), view=team_views.lobby_view(lobby)
        )
        await self.combat.attach_lobby(ctx.guild_id, lobby, sent.channel.id, sent.id)

    async def _team_live(self, ctx: ChiContext, kind: str) -> bool:
        """Show the member's team fight or its lobby, if there is one (True when shown)."""
        fight = await self.combat.current(ctx.guild_id, ctx.author.id)
        if fight is not None and fight.mode.name in ("team_duel", "team_boss"):
            await self._show(ctx, Step(fight, ()))
            return True
        lobby = await self.combat.team_lobby(ctx.guild_id, ctx.author.id)
        if lobby is not None and lobby.kind == kind:
            await self._post_lobby(ctx, lobby)
            return True
        return False

    async def _team_status(self, ctx: ChiContext, kind: str) -> None:
        if await self._team_live(ctx, kind):
            return
        await ctx.send(
            "Your team has no team duel open or under way: `teamduel @leader` challenges a team."
            if kind == "duel"
            else "Your team has no raid open or under way: `teamboss` lists the team bosses."
        )

    async def _team_attack(
        self, ctx: ChiContext, target: discord.Member | None, attack: str
    ) -> None:
        aim = str(target.id) if target is not None else None
        await self._act(ctx, engine.Attack(str(ctx.author.id), attack.strip(), aim))

    async def _team_heal(self, ctx: ChiContext, item: str) -> None:
        found = self.combat.items.find(item)
        await self._act(ctx, engine.Heal(str(ctx.author.id), found.name if found else item))

    @fight.group(name="teamduel", fallback="challenge", invoke_without_command=True)
    @shortcut("teamduel", "tduel")
    @commands.guild_only()
    @app_commands.describe(leader="The leader of the team you challenge")
    async def teamduel(self, ctx: ChiContext, leader: discord.Member | None = None) -> None:
        """Challenge another team to a team duel (you lead yours; they accept unless enemies)."""
        if leader is None and await self._team_live(ctx, "duel"):
            return
        if leader is None:
            await ctx.send(
                "🛡️ `teamduel @leader` challenges that member's team (you must lead yours). "
                "Teammates `tduel join`, their leader `tduel accept`s (enemies need no consent: "
                "you `tduel start`). In the fight: `tduel attack [@target] <attack>`, `defend`, "
                "`heal <item>`, `forfeit` (leaders); a leader may act for the teammate on turn."
            )
            return
        if leader.bot:
            await ctx.send("Bots lead no team: name a team's leader.")
            return
        lobby = await self.combat.team_duel(
            ctx.guild_id, ctx.author.id, ctx.author.display_name, leader.id, leader.display_name
        )
        await self._post_lobby(ctx, lobby)

    @teamduel.command(name="join")
    @commands.guild_only()
    async def teamduel_join(self, ctx: ChiContext) -> None:
        """Join your team's side of its team duel challenge."""
        lobby = await self.combat.team_join(
            ctx.guild_id, ctx.author.id, ctx.author.display_name, "duel"
        )
        await self._post_lobby(ctx, lobby, f"**{ui.safe(ctx.author.display_name)}** joins.")

    @teamduel.command(name="accept", aliases=["start"])
    @commands.guild_only()
    async def teamduel_accept(self, ctx: ChiContext) -> None:
        """Accept the challenge to your team (or start it, between enemies): the fight begins."""
        step = await self.combat.team_start(ctx.guild_id, ctx.author.id, "duel")
        await self._show(ctx, step)

    @teamduel.command(name="deny", aliases=["decline"])
    @commands.guild_only()
    async def teamduel_deny(self, ctx: ChiContext) -> None:
        """Decline a team duel challenge (not an enemy's)."""
        closed = await self.combat.team_close(ctx.guild_id, ctx.author.id, "duel", "declined")
        await ctx.send(team_views.closed_text(closed))

    @teamduel.command(name="cancel")
    @commands.guild_only()
    async def teamduel_cancel(self, ctx: ChiContext) -> None:
        """Call off the challenge you sent."""
        closed = await self.combat.team_close(ctx.guild_id, ctx.author.id, "duel", "called_off")
        await ctx.send(team_views.closed_text(closed))

    @teamduel.command(name="status")
    @commands.guild_only()
    async def teamduel_status(self, ctx: ChiContext) -> None:
        """Your team duel: the lobby, or the fight's card."""
        await self._team_status(ctx, "duel")

    @teamduel.command(name="attack")
    @commands.guild_only()
    @app_commands.describe(
        target="Whom to hit (default: the first standing)", attack="An attack code or name"
    )
    async def teamduel_attack(
        self, ctx: ChiContext, target: discord.Member | None = None, *, attack: str = ""
    ) -> None:
        """Attack in the team duel (yours, or your teammate's turn if you lead)."""
        await self._team_attack(ctx, target, attack)

    @teamduel.command(name="defend")
    @commands.guild_only()
    async def teamduel_defend(self, ctx: ChiContext) -> None:
        """Defend: the next hit taken is halved."""
        await self._act(ctx, engine.Defend(str(ctx.author.id)))

    @teamduel.command(name="heal")
    @commands.guild_only()
    @app_commands.describe(item="A healing item the fighter on turn holds")
    async def teamduel_heal(self, ctx: ChiContext, *, item: str) -> None:
        """Heal with a healing item."""
        await self._team_heal(ctx, item)

    @teamduel.command(name="forfeit", aliases=["run"])
    @commands.guild_only()
    async def teamduel_forfeit(self, ctx: ChiContext) -> None:
        """Forfeit the team duel for your side (leaders only)."""
        await self._act(ctx, engine.Forfeit(str(ctx.author.id)))

    async def _team_boss_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _boss_choices(self.combat.team_bosses.boss, current)

    @fight.group(name="teamboss", fallback="raid", invoke_without_command=True)
    @shortcut("teamboss", "tboss")
    @commands.guild_only()
    @app_commands.describe(boss="guardian, titan or dragon (none: the list)")
    @app_commands.autocomplete(boss=_team_boss_autocomplete)
    async def teamboss(self, ctx: ChiContext, *, boss: str = "") -> None:
        """The team bosses, or open a raid on one (team leaders)."""
        if not boss.strip():
            await ctx.send(embed=team_views.team_bosses_embed(self.combat.team_bosses.boss, 3))
            return
        lobby = await self.combat.team_raid(
            ctx.guild_id, ctx.author.id, ctx.author.display_name, boss
        )
        await self._post_lobby(ctx, lobby)

    @teamboss.command(name="list")
    @commands.guild_only()
    async def teamboss_list(self, ctx: ChiContext) -> None:
        """The team bosses: HP by raiders, hits, specials, pots and rests."""
        await ctx.send(embed=team_views.team_bosses_embed(self.combat.team_bosses.boss, 3))

    @teamboss.command(name="join")
    @commands.guild_only()
    async def teamboss_join(self, ctx: ChiContext) -> None:
        """Join your team's raid before it starts."""
        lobby = await self.combat.team_join(
            ctx.guild_id, ctx.author.id, ctx.author.display_name, "raid"
        )
        await self._post_lobby(
            ctx, lobby, f"**{ui.safe(ctx.author.display_name)}** joins the raid."
        )

    @teamboss.command(name="start")
    @commands.guild_only()
    async def teamboss_start(self, ctx: ChiContext) -> None:
        """Start your team's raid (its leader; two raiders at least)."""
        step = await self.combat.team_start(ctx.guild_id, ctx.author.id, "raid")
        await self._show(ctx, step)

    @teamboss.command(name="cancel")
    @commands.guild_only()
    async def teamboss_cancel(self, ctx: ChiContext) -> None:
        """Call off your team's raid before it starts."""
        closed = await self.combat.team_close(ctx.guild_id, ctx.author.id, "raid", "called_off")
        await ctx.send(team_views.closed_text(closed))

    @teamboss.command(name="status")
    @commands.guild_only()
    async def teamboss_status(self, ctx: ChiContext) -> None:
        """Your team's raid: the lobby, or the fight's card."""
        await self._team_status(ctx, "raid")

    @teamboss.command(name="attack")
    @commands.guild_only()
    @app_commands.describe(attack="An attack code or name (or your weapon's name)")
    async def teamboss_attack(self, ctx: ChiContext, *, attack: str = "") -> None:
        """Attack the boss (your turn, or your teammate's if you lead)."""
        await self._team_attack(ctx, None, attack)

    @teamboss.command(name="defend")
    @commands.guild_only()
    async def teamboss_defend(self, ctx: ChiContext) -> None:
        """Defend: the boss's next hit on the fighter is halved."""
        await self._act(ctx, engine.Defend(str(ctx.author.id)))

    @teamboss.command(name="heal")
    @commands.guild_only()
    @app_commands.describe(item="A healing item the fighter on turn holds")
    async def teamboss_heal(self, ctx: ChiContext, *, item: str) -> None:
        """Heal with a healing item."""
        await self._team_heal(ctx, item)

    @teamboss.command(name="run", aliases=["forfeit", "flee"])
    @commands.guild_only()
    async def teamboss_run(self, ctx: ChiContext) -> None:
        """Retreat from the raid (its leader): no reward, the team's score −25."""
        await self._act(ctx, engine.Forfeit(str(ctx.author.id)))

    # --- solo bosses -------------------------------------------------------------------------

    async def _boss_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _boss_choices(self.combat.bosses.boss, current)

    @hybrid_group(name="boss", fallback="list", invoke_without_command=True)
    @commands.guild_only()
    async def boss(self, ctx: ChiContext) -> None:
        """The bosses: HP, hits, specials, what entering costs, rewards, and when you may fight."""
        lines = await self.combat.boss_lines(ctx.guild_id, ctx.author.id)
        items = self.combat.items
        await ctx.send(embed=views.bosses_embed(lines, ctx.author.display_name, items))

    @boss.command(name="stats", ignore_extra=False)
    @commands.guild_only()
    @app_commands.describe(member="Whose stats (default: yours)")
    async def boss_stats(self, ctx: ChiContext, member: discord.Member = None) -> None:  # type: ignore[assignment]  # "member not found", not Optional
        """Bosses beaten with best times, raids, team duels and the rift, in this server."""
        target = member or ctx.author
        result = await self.combat.boss_stats(ctx.guild_id, target.id)
        await ctx.send(embed=views.boss_stats_embed(result, ui.safe(target.display_name)))

    @boss.command(name="board", aliases=["leaderboard", "lb"])
    @commands.guild_only()
    @app_commands.describe(
        board="kills (default), rift (damage), or a boss for its fastest wins", page="Page"
    )
    async def boss_board(
        self, ctx: ChiContext, board: str = "kills", page: Annotated[int, Amount] = 1
    ) -> None:
        """This server's boss boards: bosses beaten, rift damage, a boss's fastest wins."""
        kinds = self.combat.board_kinds()
        kind = board.strip().casefold()
        if kind.isdigit():  # `boss board 2`: page 2 of the kills
            kind, page = "kills", int(kind)
        if kind not in kinds:
            found = [k for k in kinds if k.startswith(kind)] if kind else []
            if len(found) != 1:
                await ctx.send(f"Boards: {', '.join(f'`{k}`' for k in kinds)}.")
                return
            kind = found[0]
        await ctx.paginate(views.BossBoardButton, kind, page=page)

    @boss.command(name="fight")
    @commands.guild_only()
    @app_commands.describe(boss="fang, ironhide, emberclaw or rifter")
    @app_commands.autocomplete(boss=_boss_autocomplete)
    async def boss_fight(self, ctx: ChiContext, *, boss: str) -> None:
        """Fight a boss: chi or a key to enter; a win pays, drops loot, and the boss rests."""
        found = self.combat.boss_fights.boss(boss)
        step = await self.combat.fight_boss(
            ctx.guild_id, ctx.author.id, ctx.author.display_name, found.key
        )
        await self._show(ctx, step, lead=views.boss_head(found, ctx.author.display_name))

    @boss.command(name="attack")
    @commands.guild_only()
    @app_commands.describe(attack="An attack code (VW1) or name (or your weapon's name)")
    async def boss_attack(self, ctx: ChiContext, *, attack: str = "") -> None:
        """Attack in your boss fight."""
        await self._act(ctx, engine.Attack(str(ctx.author.id), attack.strip()))

    @boss.command(name="defend")
    @commands.guild_only()
    async def boss_defend(self, ctx: ChiContext) -> None:
        """Defend: the boss's next hit on you is halved."""
        await self._act(ctx, engine.Defend(str(ctx.author.id)))

    @boss.command(name="heal")
    @commands.guild_only()
    @app_commands.describe(item="A healing item you hold")
    async def boss_heal(self, ctx: ChiContext, *, item: str) -> None:
        """Heal with a healing item you hold."""
        found = self.combat.items.find(item)
        await self._act(ctx, engine.Heal(str(ctx.author.id), found.name if found else item))

    @boss.command(name="run", aliases=["flee"])
    @commands.guild_only()
    async def boss_run(self, ctx: ChiContext) -> None:
        """Flee your boss fight (it costs 100 chi, never more than you have)."""
        await self._act(ctx, engine.Forfeit(str(ctx.author.id)))


def _boss_choices(bosses: Any, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete of a boss (solo or team) by its key or a part of its name."""
    said = current.casefold()
    return [
        app_commands.Choice(name=b.name, value=b.key)
        for b in bosses
        if said in b.key or said in b.name.casefold()
    ][:25]


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Combat(bot))
    from chibot.features.combat.rift_cog import RiftCog  # the rift's own cog (rift_cog.py)

    await bot.add_cog(RiftCog(bot))
