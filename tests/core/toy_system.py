"""A small game system defined inside the test suite ("toys"), to prove that a new system is
one folder and nothing else: it declares everything in its manifest and the test
(`test_registry.py`) shows it taking part in every registry without a line changed in core.

It has a per-server table, a content file, a settings section, a scheduled job, a listener,
a published fact, a cog with one command, a legacy importer and an item system it makes
usable ("bosses": the registry counts it installed, so items requiring it would be sold).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from discord.ext import commands
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BigInteger, Column, Integer, MetaData, String, Table, select

from chibot.core.events import MemberActed
from chibot.core.scheduler import Job
from chibot.core.scope import GuildScope, Repo
from chibot.core.settings import SettingsSection
from chibot.core.system import ServiceContext, System
from chibot.legacy import LegacyContext, LegacyImporter

toy_metadata = MetaData()  # its own: the real schema (migrations) never sees this table
toys = Table(
    "test_toys",
    toy_metadata,
    Column("guild_id", BigInteger, primary_key=True),
    Column("user_id", BigInteger, primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("plays", Integer, nullable=False, default=0),
)


class ToysFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    version: int
    names: tuple[str, ...] = Field(min_length=1)


class ToySettings(SettingsSection):
    toy_limit: int = Field(3, ge=0, le=100, description="Most toys a member may keep.")


@dataclass(frozen=True, slots=True)
class ToyPlayed(MemberActed):
    toy: str = ""


class ToyStore(Repo):
    async def play(self, user_id: int, name: str) -> int:
        stmt = self.insert(toys).values(guild_id=self.guild_id, user_id=user_id, name=name, plays=1)
        await self.conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[toys.c.guild_id, toys.c.user_id, toys.c.name],
                set_={"plays": toys.c.plays + 1},
            )
        )
        row = await self.conn.execute(
            select(toys.c.plays).where(
                (toys.c.guild_id == self.guild_id)
                & (toys.c.user_id == user_id)
                & (toys.c.name == name)
            )
        )
        return row.scalar_one()


class ToyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.db = ctx.db
        self.catalog = ctx.catalog
        self.heard: list[tuple[int, str]] = []  # facts of other systems this one heard
        self.ticks: list[int] = []  # guilds whose scheduled job ran
        self.imported: list[int] = []

    async def play(self, guild_id: int, user_id: int, name: str) -> tuple[int, Any]:
        if name not in self.catalog.files["toys"].names:
            raise ValueError(name)

        async def tx(scope: GuildScope) -> tuple[int, Any]:
            await scope.wallet.ensure(user_id)  # a member record (early bird counts them)
            plays = await scope.get(ToyStore).play(user_id, name)
            notices = await scope.publish(ToyPlayed(user_id, toy=name))
            return plays, notices

        return await self.db.scoped(guild_id, tx)

    async def on_member_acted(self, scope: GuildScope, event: MemberActed) -> None:
        self.heard.append((event.user_id, type(event).__name__))


async def import_toys(ctx: LegacyContext) -> None:
    """The toys' part of the old bot's files: nothing to write, one line in the report."""
    ctx.report.line("toys", "test_toys", unchanged=len(ctx.file("teams_data.json") or {}))


TOY_IMPORTER = LegacyImporter("toys", import_toys, files=["teams_data.json"], order=90)


async def tick(app: Any, job: Job) -> None:
    app.toys.ticks.append(job.guild_id)


class ToyCog(commands.Cog):
    """Toys: a test system"""

    def __init__(self, bot: Any) -> None:
        self.bot = bot

    @commands.hybrid_command(name="toyplay")
    async def toyplay(self, ctx: commands.Context[Any], name: str) -> None:
        """Play with a toy."""
        plays, _ = await self.bot.app.toys.play(ctx.guild.id, ctx.author.id, name)
        await ctx.send(f"You played with the {name} {plays} times.")


async def setup(bot: commands.Bot) -> None:
    await bot.add_cog(ToyCog(bot))


SYSTEM = System(
    name="toys",
    summary="Toys: a system defined by the tests",
    service=ToyService,
    needs=("progress",),
    cog=__name__,
    tables=(toys,),
    content={"toys": ToysFile},
    settings=ToySettings,
    jobs={"toy_tick": tick},
    legacy=(TOY_IMPORTER,),
    listens=((MemberActed, lambda service: service.on_member_acted),),
    publishes=(ToyPlayed,),
    makes_usable=("bosses",),
)
