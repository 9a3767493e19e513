"""A ready-made offline world: the real bot, two servers, several members.

Used by `chibot play` and by the command tests, so that both speak of the same people:
- **Bamboo Grove** (owned by Alice) and **Lotus Pond** (owned by Bob), each with `#general`
  and `#garden`;
- Alice, Bob, Carol and Dave are in both servers; Erin only in Bamboo Grove;
- Psy is the bot's application owner ("PSY"): a plain member of both servers, yet an admin
  in every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from chibot.app import App
from chibot.discord.bot import ChiBot
from chibot.discord.harness import JSON, Exchange, FakeGuild, FakeUser, OfflineDiscord

PSY_ID = 100_000_000_000_000_009
USERS = {
    "Alice": 100_000_000_000_000_001,
    "Bob": 100_000_000_000_000_002,
    "Carol": 100_000_000_000_000_003,
    "Dave": 100_000_000_000_000_004,
    "Erin": 100_000_000_000_000_005,
}
GUILDS = {
    # name: (id, owner, members)
    "Bamboo Grove": (
        200_000_000_000_000_001,
        "Alice",
        ["Alice", "Bob", "Carol", "Dave", "Erin", "Psy"],
    ),
    "Lotus Pond": (200_000_000_000_000_002, "Bob", ["Alice", "Bob", "Carol", "Dave", "Psy"]),
}


@dataclass
class Sandbox:
    app: App
    bot: ChiBot
    discord: OfflineDiscord
    users: dict[str, FakeUser]
    guilds: dict[str, FakeGuild]

    @classmethod
    async def start(cls, app: App, *, raise_errors: bool = True) -> Sandbox:
        bot = ChiBot(app, offline=True)
        offline = OfflineDiscord(bot, owner_id=PSY_ID, raise_errors=raise_errors)
        offline.owner.name = "Psy"
        await offline.start()
        users = {name: offline.make_user(uid, name) for name, uid in USERS.items()}
        users["Psy"] = offline.owner
        guilds = {}
        channel_ids = iter(range(300_000_000_000_000_001, 300_000_000_000_001_000))
        for name, (guild_id, owner, members) in GUILDS.items():
            guild = offline.make_guild(
                guild_id,
                name,
                owner_id=users[owner].id,
                channels=[(next(channel_ids), "general"), (next(channel_ids), "garden")],
            )
            await offline.join_guild(guild, [users[m] for m in members])
            guilds[name] = guild
        return cls(app, bot, offline, users, guilds)

    async def close(self) -> None:
        await self.discord.close()

    def guild_id(self, name: str) -> int:
        return self.guilds[name].id

    def user_id(self, name: str) -> int:
        return self.users[name].id

    async def say(self, user: str, guild: str, text: str, channel: str = "general") -> Exchange:
        """`user` writes `text` in `guild`'s channel; @Name becomes a mention."""
        g = self.guilds[guild]
        return await self.discord.send(
            g.id, g.channel(channel).id, self.user_id(user), self.mention(text)
        )

    async def slash(
        self, user: str, guild: str, command: str, /, channel: str = "general", **options: object
    ) -> Exchange:
        g = self.guilds[guild]
        return await self.discord.slash(
            g.id, g.channel(channel).id, self.user_id(user), command, **options
        )

    async def autocomplete(
        self, user: str, guild: str, command: str, /, focused: str, value: str, **options: object
    ) -> list[JSON]:
        g = self.guilds[guild]
        return await self.discord.autocomplete(
            g.id, g.channel("general").id, self.user_id(user), command, focused, value, **options
        )

    async def wait(self, seconds: float) -> Exchange:
        """`seconds` pass: the bot's clock moves on (if it can) and views time out as they
        would (offers, confirmations); the exchange holds what the bot did about it."""
        advance = getattr(self.app.clock, "advance", None)
        if advance is not None:
            advance(seconds)
        exchange = await self.discord.advance(seconds)
        # the scheduler's work falls due too, as the running bot's lifecycle tick would do it:
        # sessions expire (challenges refunded, idle fights settled) and their messages change
        jobs = getattr(self.bot.get_cog("Lifecycle"), "jobs", None)
        if jobs is not None:
            await jobs()  # the loop's body, once (`tasks.Loop.__call__`)
        return exchange

    def mention(self, text: str) -> str:
        for name, user in sorted(self.users.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(f"@{name}", f"<@{user.id}>")
        return text
