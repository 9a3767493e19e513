"""Combat's service: the weapons a member holds, the one they fight with, their fighting card.

- **Weapons** are the chi shop's weapon items (`items.toml`, effect `weapon`: base damage, a
  two-letter `code` and named attacks, each a damage range). An attack is named by its code:
  the weapon's code and the attack's place (`VW1` is the Verdant Windblade's first attack).
- **The weapon a member fights with** is the one they `equip`, while they hold it in their
  inventory; otherwise the strongest weapon they hold (by base damage, then price): a member
  never has to equip before a first fight, and a weapon sold or put in the chest stops being
  equipped without a stale row mattering.
- **Damage as the card shows it**: an attack's range scaled by `(20 + L) / 20`, L = the
  member's level (fights count at most `LEVEL_CAP` of it) + the weapon's upgrade level, rounded
  down (legacy-combat §1.3, exact integer form; docs/combat.md).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.events import ProfileFact, ProfileRequested
from chibot.core.holdings import Holding
from chibot.core.items import Attack, Effect, Item
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.core.sessions import (
    MessageNotice,
    SessionBusy,
    SessionChanged,
    SessionEnded,
    shown_in,
)
from chibot.features.combat import engine, rules, stats
from chibot.features.combat.boss_fights import BossFights, BossLine, fastest_name, wins_name
from chibot.features.combat.bosses import Behaviours, BossesFile
from chibot.features.combat.bosses import check_content as check_bosses
from chibot.features.combat.duels import (
    CHALLENGE as DUEL_CHALLENGE,
)
from chibot.features.combat.duels import (
    BetPlaced,
    Declined,
    DuelChallenge,
    Duels,
)
from chibot.features.combat.engine import Fight, Fighter, Mode
from chibot.features.combat.errors import (
    AlreadyFighting,
    ChallengePending,
    CombatOff,
    NotAWeapon,
    SelfFight,
    UnknownWeapon,
    WeaponInChest,
    WeaponNotHeld,
)
from chibot.features.combat.live import LiveFights, Step
from chibot.features.combat.npcs import NpcsFile
from chibot.features.combat.rift import (
    Rift,
    RiftEnded,
    RiftHit,
    RiftJoined,
    RiftNone,
    RiftRan,
    Rifts,
    attack_named,
)
from chibot.features.combat.stats import CombatStats, CounterBoard, DuelBoard
from chibot.features.combat.store import LoadoutStore
from chibot.features.combat.team_bosses import TeamBehaviours, TeamBoss, TeamBossesFile
from chibot.features.combat.team_fights import (
    DUEL_LOBBY,
    RAID_LOBBY,
    Lobby,
    LobbyClosed,
    TeamFights,
)
from chibot.features.combat.tournaments import (
    Cancelled,
    Joined,
    Left,
    Started,
    Tournament,
    Tournaments,
)
from chibot.features.combat.training import NpcLine, Training

LEVEL_CAP = rules.USER_LEVEL_CAP
JOIN_ATTEMPTS = 8


def attack_code(effect: Effect, index: int) -> str:
    """The code of a weapon's attack: the weapon's code and the attack's place (1-based), as
    the engine names them (`rules.weapon_from_item`)."""
    assert effect.code is not None
    return f"{effect.code}{index + 1}"


@dataclass(frozen=True, slots=True)
class WeaponLine:
    item: Item
    held: Holding | None  # in the inventory (with its upgrade level)
    in_chest: bool
    equipped: bool

    @property
    def effect(self) -> Effect:
        found = self.item.effect("weapon")
        assert found is not None
        return found

    @property
    def level(self) -> int:
        return self.held.level if self.held is not None else 0


@dataclass(frozen=True, slots=True)
class Arsenal:
    """Every weapon of the game, with what the member holds, and their fighting numbers."""

    lines: tuple[WeaponLine, ...]
    fighter_level: int  # the member's level as fights count it (capped)
    level: int  # the member's level
    max_hp: int

    @property
    def equipped(self) -> WeaponLine | None:
        return next((line for line in self.lines if line.equipped), None)

    def levels(self, line: WeaponLine) -> int:
        return rules.scaling_level(self.fighter_level, line.level)

    def damage(self, line: WeaponLine, attack: Attack) -> tuple[int, int]:
        bonus = self.levels(line)
        return rules.scaled(attack.min, bonus), rules.scaled(attack.max, bonus)


CHALLENGE = "spar_challenge"
CHALLENGE_LASTS = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Challenge:
    """A sparring challenge sent: to whom, until when."""

    user_id: int
    name: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Equipped:
    item: Item
    level: int
    before: Item | None  # the weapon they fought with until now


class CombatService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        progress: object,
        rng: Rng,
        teams: object = None,
        pets: object = None,
    ) -> None:
        self.db = db
        self.pets = pets  # the pets service: the active pet joins fights whose mode allows it
        self.items = catalog.items
        self.progress = progress
        self.weapons = tuple(i for i in self.items if i.effect("weapon") is not None)
        self.live = LiveFights(rng, self.fighter)
        self.duels = Duels(self.live, teams)
        self.training = Training(catalog.file("npcs", NpcsFile), self.live)
        self.bosses = catalog.file("bosses", BossesFile)
        check_bosses(self.bosses, catalog.items)
        self.boss_fights = BossFights(self.bosses, self.live, rng, catalog.items)
        self.team_bosses = catalog.file("team_bosses", TeamBossesFile)
        self.team_fights = TeamFights(self.live, teams, self.team_bosses)
        behaviours = TeamBehaviours(self.team_bosses, Behaviours(self.bosses))
        self.live.hooks = replace(self.live.hooks, boss=behaviours, team_bonus=engine.side_bonus)
        self.tournaments = Tournaments(self.live)

    # --- fights ---------------------------------------------------------------------------

    async def fighter(
        self, scope: GuildScope, user_id: int, name: str, side: str, mode: Mode
    ) -> Fighter:
        """A member as the engine fights them: the weapon they fight with (its upgrade
        level), their level and max HP (progress's), and the healing items they hold."""
        info = await self.progress.level_in(scope, user_id)  # type: ignore[attr-defined]
        held = {h.item_id: h for h in await scope.inventory.all(user_id)}
        lines = await self._lines(scope, user_id, held)
        weapon = next((line for line in lines if line.equipped), None)
        heals = [self.items.get(i) for i in held if self.items.get(i).effect("healing") is not None]
        fighter = engine.make_fighter(
            str(user_id),
            name,
            side,
            mode,
            max_hp=info.max_hp,
            level=info.card.level,
            weapon=weapon.item if weapon is not None else None,
            item_levels={i: h.level for i, h in held.items()},
            heal_items=heals,
        )
        if "pets" in mode.allows and self.pets is not None:
            pet = await self.pets.fighting_pet(scope, user_id)  # type: ignore[attr-defined]
            if pet is not None:
                moves = tuple(engine.PetMove(**asdict(m)) for m in pet.moves)  # same fields
                fighter = replace(fighter, pet=engine.FighterPet(pet.name, moves, pet.fed))
        return fighter

    async def spar(
        self, guild_id: int, user_id: int, name: str, other_id: int, other_name: str
    ) -> Step:
        """A sparring fight between two members: no stakes, no rewards, its own stats."""
        if other_id == user_id:
            raise SelfFight()

        async def tx(scope: GuildScope) -> Step:
            return await self.live.start(scope, "spar", [(user_id, name), (other_id, other_name)])

        return await self.db.scoped(guild_id, tx)

    async def challenge_spar(
        self, guild_id: int, user_id: int, name: str, other_id: int, other_name: str
    ) -> Step | Challenge:
        """`spar @member`: accept that member's challenge to you if there is one (the fight
        starts), else challenge them (they accept with `spar @you` within two minutes)."""
        if other_id == user_id:
            raise SelfFight()

        async def tx(scope: GuildScope) -> Step | Challenge:
            theirs = await scope.sessions.get(CHALLENGE, f"{user_id}:{other_id}")
            if theirs is not None and theirs.expires_at > scope.now():
                await scope.sessions.close(theirs)
                return await self.live.start(
                    scope, "spar", [(other_id, other_name), (user_id, name)]
                )
            if await self.live.fighting(scope, user_id):
                raise AlreadyFighting(who=name)
            if not (await scope.settings.load()).combat_enabled:
                raise CombatOff()
            try:
                mine = await scope.sessions.open(
                    CHALLENGE, f"{other_id}:{user_id}", {"from": user_id},
                    lasts=CHALLENGE_LASTS, user_id=other_id,
                )  # fmt: skip
            except SessionBusy:
                raise ChallengePending(who=other_name) from None
            return Challenge(other_id, other_name, mine.expires_at)

        return await self.db.scoped(guild_id, tx)

    async def fight_boss(self, guild_id: int, user_id: int, name: str, text: str) -> Step:
        """A solo boss fight (`boss_fights.py`): `text` is the boss's key or name."""
        boss = self.boss_fights.boss(text)

        async def tx(scope: GuildScope) -> Step:
            return await self.boss_fights.start(scope, user_id, name, boss)

        return await self.db.scoped(guild_id, tx)

    async def boss_lines(self, guild_id: int, user_id: int) -> tuple[BossLine, ...]:
        async def tx(scope: GuildScope) -> tuple[BossLine, ...]:
            return await self.boss_fights.lines(scope, user_id)

        return await self.db.scoped(guild_id, tx)

    async def train_npc(self, guild_id: int, user_id: int, name: str, difficulty: str) -> Step:
        """Training against an NPC (`training.py`): `difficulty` is its key or name."""
        npc = self.training.npc(difficulty)

        async def tx(scope: GuildScope) -> Step:
            return await self.training.start(scope, user_id, name, npc)

        return await self.db.scoped(guild_id, tx)

    async def npc_lines(self, guild_id: int, user_id: int) -> tuple[NpcLine, ...]:
        """Every NPC, with when the member may win its reward again."""

        async def tx(scope: GuildScope) -> tuple[NpcLine, ...]:
            return await self.training.lines(scope, user_id)

        return await self.db.read(guild_id, tx)

    async def decline_spar(self, guild_id: int, user_id: int, challenger_id: int) -> bool:
        """Decline a sparring challenge (False: it had expired or was answered)."""

        async def tx(scope: GuildScope) -> bool:
            found = await scope.sessions.get(CHALLENGE, f"{user_id}:{challenger_id}")
            if found is None:
                return False
            await scope.sessions.close(found)
            return True

        return await self.db.scoped(guild_id, tx)

    async def attach_spar_challenge(
        self, guild_id: int, target_id: int, challenger_id: int, channel_id: int, message_id: int
    ) -> bool:
        return await self.db.scoped(
            guild_id,
            lambda scope: scope.sessions.attach(
                CHALLENGE, f"{target_id}:{challenger_id}", channel_id, message_id
            ),
        )

    async def act(self, guild_id: int, user_id: int, command: Any) -> Step:
        async def tx(scope: GuildScope) -> Step:
            return await self.live.act(scope, user_id, command)

        return await self.db.scoped(guild_id, tx)

    async def current(self, guild_id: int, user_id: int) -> Fight | None:
        async def tx(scope: GuildScope) -> Fight | None:
            return await self.live.current(scope, user_id)

        return await self.db.read(guild_id, tx)

    async def on_session_ended(self, scope: GuildScope, event: SessionEnded) -> tuple[Any, ...]:
        if event.session.kind == DUEL_CHALLENGE:
            return await self.duels.on_challenge_ended(scope, event)
        if event.session.kind == CHALLENGE:  # an unanswered sparring challenge
            where = shown_in(event.session)
            if where is None:
                return ()
            return (MessageNotice(where[0], where[1], "⌛ This sparring challenge expired."),)
        if event.session.kind in (DUEL_LOBBY, RAID_LOBBY):
            return await self.team_fights.on_lobby_ended(scope, event)
        return await self.live.on_session_ended(scope, event)

    # --- duels -----------------------------------------------------------------------------

    async def duel(
        self, guild_id: int, user_id: int, name: str, other_id: int, other_name: str,
        stake: int = 0,
    ) -> DuelChallenge:  # fmt: skip
        """`duel @member [stake]`: challenge them, the stake escrowed at once."""

        async def tx(scope: GuildScope) -> DuelChallenge:
            return await self.duels.challenge(scope, user_id, name, other_id, other_name, stake)

        return await self.db.scoped(guild_id, tx)

    async def answer_duel(
        self, guild_id: int, user_id: int, name: str, challenger_id: int | None, *, accept: bool
    ) -> Step | Declined:
        async def tx(scope: GuildScope) -> Step | Declined:
            return await self.duels.answer(scope, user_id, name, challenger_id, accept=accept)

        return await self.db.scoped(guild_id, tx)

    async def bet(
        self, guild_id: int, user_id: int, amount: int, duelist_id: int, duelist: str
    ) -> BetPlaced:
        async def tx(scope: GuildScope) -> BetPlaced:
            return await self.duels.bet(scope, user_id, amount, duelist_id, duelist)

        return await self.db.scoped(guild_id, tx)

    async def attach_challenge(
        self, guild_id: int, challenge: DuelChallenge, channel_id: int, message_id: int
    ) -> bool:
        return await self.db.scoped(
            guild_id, lambda scope: self.duels.attach(scope, challenge, channel_id, message_id)
        )

    async def attach_fight(
        self, guild_id: int, fight_id: str, channel_id: int, message_id: int
    ) -> bool:
        """Remember the message showing the fight's card (to tell it how the fight ended)."""
        return await self.db.scoped(
            guild_id, lambda scope: self.live.attach(scope, fight_id, channel_id, message_id)
        )

    async def fight_by_id(self, guild_id: int, fight_id: str) -> Fight | None:
        """A live fight by its id (a card's buttons), or None once it ended."""

        async def tx(scope: GuildScope) -> Fight | None:
            found = await scope.sessions.get("fight", fight_id)
            return engine.from_dict(found.state) if found is not None else None

        return await self.db.read(guild_id, tx)

    @staticmethod
    def store(scope: GuildScope) -> LoadoutStore:
        return LoadoutStore(scope)

    def weapon_of(self, text: str) -> Item:
        """A weapon by id, name, shop code, weapon code (`VW`) or a part of its name that fits
        one weapon only."""
        item = self.items.find(text)
        if item is None:
            item = next((w for w in self.weapons if self._code(w) == text.strip().upper()), None)
        if item is None:
            key = " ".join(text.lower().split())
            found = [w for w in self.weapons if key and key in w.name.lower()]
            if len(found) != 1:
                raise UnknownWeapon(text=text)
            item = found[0]
        if item.effect("weapon") is None:
            raise NotAWeapon(item=item.name)
        return item

    @staticmethod
    def _code(item: Item) -> str | None:
        effect = item.effect("weapon")
        return effect.code if effect is not None else None

    def _strongest(self, held: dict[str, Holding]) -> Item | None:
        owned = [w for w in self.weapons if w.id in held]

        def strength(item: Item) -> tuple[int, int]:
            effect = item.effect("weapon")
            assert effect is not None and effect.damage is not None
            return effect.damage, item.buy.price if item.buy else 0

        return max(owned, key=strength, default=None)

    async def _lines(
        self, scope: GuildScope, user_id: int, held: dict[str, Holding] | None = None
    ) -> tuple[WeaponLine, ...]:
        """Every weapon with what the member holds (`held`: their inventory, if the caller
        already read it) and the one they fight with."""
        if held is None:
            held = {h.item_id: h for h in await scope.inventory.all(user_id)}
        chest = {h.item_id for h in await scope.chest.all(user_id)}
        chosen = await self.store(scope).weapon(user_id)
        fights_with = chosen if chosen in held else None
        if fights_with is None:
            strongest = self._strongest(held)
            fights_with = strongest.id if strongest is not None else None
        return tuple(
            WeaponLine(w, held.get(w.id), w.id in chest, w.id == fights_with) for w in self.weapons
        )

    async def arsenal(self, guild_id: int, user_id: int) -> Arsenal:
        """Every weapon, what the member holds and fights with, their level and max HP."""

        async def tx(scope: GuildScope) -> Arsenal:  # one read transaction for all of it
            info = await self.progress.level_in(scope, user_id)  # type: ignore[attr-defined]
            level = info.card.level
            return Arsenal(await self._lines(scope, user_id), min(level, LEVEL_CAP), level,
                           info.max_hp)  # fmt: skip

        return await self.db.read(guild_id, tx)

    async def equip(self, guild_id: int, user_id: int, text: str) -> Equipped:
        """Fight with this weapon from now on (it must be in the inventory)."""
        item = self.weapon_of(text)

        async def tx(scope: GuildScope) -> Equipped:
            lines = {line.item.id: line for line in await self._lines(scope, user_id)}
            line = lines[item.id]
            if line.held is None:
                if line.in_chest:
                    raise WeaponInChest(item=item.name)
                raise WeaponNotHeld(item=item.name, code=item.buy.code if item.buy else item.id)
            before = next((x.item for x in lines.values() if x.equipped), None)
            await self.store(scope).equip(user_id, item.id, scope.now())
            return Equipped(item, line.level, before)

        return await self.db.scoped(guild_id, tx)

    # --- stats, the duel board, the profile's weapon (`stats.py`) -------------------------

    async def _fights_with(self, scope: GuildScope, user_id: int) -> stats.Weapon | None:
        """The weapon the member fights with (the rule of `_lines`), from one statement."""
        held, chosen = await stats.fights_with(scope, user_id, (w.id for w in self.weapons))
        item = self.items.get(chosen) if chosen is not None and chosen in held else None
        item = item or self._strongest(held)
        return stats.Weapon(item, held[item.id].level) if item is not None else None

    async def stats(self, guild_id: int, user_id: int) -> CombatStats:
        """The member's fighting record here and the weapon they fight with (one read
        transaction: the counters in one statement, the weapon in one)."""

        async def tx(scope: GuildScope) -> CombatStats:
            values = await scope.counters.read(user_id, stats.NAMES)
            return CombatStats.of(user_id, values, await self._fights_with(scope, user_id))

        return await self.db.read(guild_id, tx)

    async def duel_board(
        self, guild_id: int, viewer_id: int, page: int = 1, *, mine: bool = False
    ) -> DuelBoard:
        """A page of this server's duel board (`mine`: the viewer's own page), with the
        viewer's rank: two statements (the count and rank, then the page)."""

        async def tx(scope: GuildScope) -> DuelBoard:
            total, viewer = await stats.standing(scope, viewer_id)
            number = page
            if mine and viewer is not None:
                number = -(-viewer.rank // stats.PAGE_SIZE)
            number = stats.clamp_page(number, total)
            rows = await stats.page(scope, number) if total else []
            return DuelBoard(number, stats.page_count(total), total, rows, viewer)

        return await self.db.read(guild_id, tx)

    async def on_profile(self, scope: GuildScope, event: ProfileRequested) -> list[ProfileFact]:
        """Combat's part of the profile card: the weapon the member fights with (one
        statement), or nothing when they hold none."""
        weapon = await self._fights_with(scope, event.user_id)
        return [ProfileFact("weapon", weapon.text)] if weapon is not None else []

    # --- tournaments (`tournaments.py`) ------------------------------------------------------

    async def tournament_create(
        self, guild_id: int, user_id: int, name: str, fee: int = 0,
        size_limit: int | None = None, *, deadline_minutes: int | None = None,
        channel_id: int | None = None,
    ) -> Tournament:  # fmt: skip
        """`tournament create <name> [fee] [size]` (admins: the cog checks)."""
        extra = {} if deadline_minutes is None else {"deadline_minutes": deadline_minutes}

        async def tx(scope: GuildScope) -> Tournament:
            return await self.tournaments.create(
                scope, user_id, name, fee, size_limit, channel_id=channel_id, **extra
            )

        return await self.db.scoped(guild_id, tx)

    async def tournament_join(self, guild_id: int, user_id: int, name: str) -> Joined:
        return await self.db.scoped(
            guild_id, lambda scope: self.tournaments.join(scope, user_id, name)
        )

    async def tournament_leave(self, guild_id: int, user_id: int) -> Left:
        return await self.db.scoped(guild_id, lambda scope: self.tournaments.leave(scope, user_id))

    async def tournament_start(self, guild_id: int, user_id: int) -> Started:
        return await self.db.scoped(guild_id, lambda scope: self.tournaments.start(scope, user_id))

    async def tournament_cancel(self, guild_id: int, user_id: int) -> Cancelled:
        return await self.db.scoped(guild_id, lambda scope: self.tournaments.cancel(scope, user_id))

    async def tournament(self, guild_id: int, tournament_id: int | None = None) -> Tournament:
        """The live tournament (else the latest one) with its entrants and bracket."""
        return await self.db.read(
            guild_id, lambda scope: self.tournaments.view(scope, tournament_id)
        )

    async def tournament_deadline(
        self, guild_id: int, tournament_id: int, round_: int
    ) -> list[Any]:
        """The scheduler's job at a round's deadline (`tournaments.DEADLINE_JOB`)."""
        return await self.db.scoped(
            guild_id, lambda scope: self.tournaments.on_deadline(scope, tournament_id, round_)
        )

    async def tournament_force(
        self, guild_id: int, a: int, a_name: str, b: int, b_name: str
    ) -> Step:
        """`tournament @a @b` (admins): the legacy forced match."""
        return await self.db.scoped(
            guild_id, lambda scope: self.tournaments.force(scope, a, a_name, b, b_name)
        )

    # --- the rift (`rift.py`, docs/bosses.md "The rift") --------------------------------------

    @property
    def rifts(self) -> Rifts:
        """The rift mode (built on first use, over the fights' dice and progress's max HP)."""
        found = self.__dict__.get("_rifts")
        if found is None:
            found = self.__dict__["_rifts"] = Rifts(self.live, self.progress)
        return found

    async def rift(self, guild_id: int) -> Rift | RiftNone:
        """The live rift's card, or when the last one ended and when the next may open."""
        return await self.db.read(guild_id, self.rifts.status)

    async def rift_open(self, guild_id: int, user_id: int, channel_id: int | None = None) -> Rift:
        """`event rift` (admins: the cog checks): open a rift here, audited (a live rift past
        its time whose job never ran is closed first, in its own transaction)."""
        await self.db.scoped(guild_id, self.rifts.expire)
        return await self.db.scoped(
            guild_id, lambda scope: self.rifts.open(scope, user_id, channel_id)
        )

    async def rift_end(self, guild_id: int, user_id: int) -> RiftEnded:
        """`event end` (admins): close the live rift early, no prize, audited."""
        return await self.db.scoped(guild_id, lambda scope: self.rifts.end(scope, user_id))

    async def rift_join(self, guild_id: int, user_id: int, name: str) -> RiftJoined:
        return await self.db.scoped(guild_id, lambda scope: self.rifts.join(scope, user_id, name))

    async def rift_attack(self, guild_id: int, user_id: int, text: str = "") -> RiftHit:
        """One of the nine legendary attacks (`L1`..`L9` or a name; bare: one at random)."""
        attack = attack_named(text, self.live.rng)
        return await self.db.scoped(
            guild_id, lambda scope: self.rifts.attack(scope, user_id, attack)
        )

    async def rift_run(self, guild_id: int, user_id: int) -> RiftRan:
        return await self.db.scoped(guild_id, lambda scope: self.rifts.run(scope, user_id))

    async def rift_close(self, guild_id: int, rift_id: int) -> RiftEnded | None:
        """The scheduler's job at the rift's end (`rift.CLOSE_JOB`): the Rifter escapes."""
        return await self.db.scoped(guild_id, lambda scope: self.rifts.on_close(scope, rift_id))

    async def attach_rift(
        self, guild_id: int, rift_id: int, channel_id: int, message_id: int
    ) -> bool:
        """Remember the message showing the rift's card (to tell it how the rift ended)."""
        return await self.db.scoped(
            guild_id, lambda scope: self.rifts.attach(scope, rift_id, channel_id, message_id)
        )

    # --- team fights (`team_fights.py`) ------------------------------------------------------

    async def team_duel(
        self, guild_id: int, user_id: int, name: str, target_id: int, target: str
    ) -> Lobby:
        """`teamduel @leader`: open a team duel's lobby (the challenged leader accepts)."""
        return await self.db.scoped(
            guild_id,
            lambda scope: self.team_fights.challenge(scope, user_id, name, target_id, target),
        )

    async def team_raid(self, guild_id: int, user_id: int, name: str, text: str) -> Lobby:
        """`teamboss <boss>`: open a raid's lobby for the leader's team."""
        boss = self.team_fights.boss(text)
        return await self.db.scoped(
            guild_id, lambda scope: self.team_fights.open_raid(scope, user_id, name, boss)
        )

    async def team_join(self, guild_id: int, user_id: int, name: str, kind: str) -> Lobby:
        """Join the team's lobby; teammates joining at once are taken one after the other (a
        join that lost the lobby's compare-and-set is tried again on the new roster)."""
        for attempt in range(JOIN_ATTEMPTS):
            try:
                return await self.db.scoped(
                    guild_id, lambda scope: self.team_fights.join(scope, user_id, name, kind)
                )
            except SessionChanged:
                if attempt == JOIN_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def team_start(self, guild_id: int, user_id: int, kind: str) -> Step:
        """Accept a team duel (or start it, between enemies), or start a raid."""
        return await self.db.scoped(
            guild_id, lambda scope: self.team_fights.start(scope, user_id, kind)
        )

    async def team_close(self, guild_id: int, user_id: int, kind: str, why: str) -> LobbyClosed:
        """Decline a team duel or call a lobby off."""
        return await self.db.scoped(
            guild_id, lambda scope: self.team_fights.close_lobby(scope, user_id, kind, why)
        )

    async def team_lobby(self, guild_id: int, user_id: int) -> Lobby | None:
        async def tx(scope: GuildScope) -> Lobby | None:
            found = await self.team_fights.lobby_of(scope, user_id)
            return found[1] if found is not None else None

        return await self.db.read(guild_id, tx)

    async def attach_lobby(
        self, guild_id: int, lobby: Lobby, channel_id: int, message_id: int
    ) -> bool:
        return await self.db.scoped(
            guild_id, lambda scope: self.team_fights.attach(scope, lobby, channel_id, message_id)
        )

    def team_boss(self, text: str) -> TeamBoss:
        return self.team_fights.boss(text)

    # --- boss stats and boards (`stats.py`) ------------------------------------------------

    def board_kinds(self) -> dict[str, tuple[str, tuple[str, ...], bool]]:
        """The boss boards by name: (title, counters summed, lowest first)."""
        kinds: dict[str, tuple[str, tuple[str, ...], bool]] = {
            "kills": ("👹 Bosses beaten", stats.BOSS_KILLS, False),
            "rift": ("🌀 Rift damage", stats.RIFT_DAMAGE, False),
        }
        for b in self.bosses.boss:
            kinds[b.key] = (f"⏱️ Fastest wins · {b.label}", (fastest_name(b.key),), True)
        for t in self.team_bosses.boss:
            name = fastest_name(f"team_{t.key}")
            kinds[t.key] = (f"⏱️ Fastest raids · {t.label}", (name,), True)
        return kinds

    async def boss_board(
        self, guild_id: int, viewer_id: int, kind: str = "kills", page: int = 1
    ) -> CounterBoard:
        """A page of one of this server's boss boards (`board_kinds`)."""
        title, names, ascending = self.board_kinds()[kind]
        return await self.db.read(
            guild_id,
            lambda scope: stats.counter_board(
                scope, kind, names, viewer_id, page, ascending=ascending
            ),
        )

    async def boss_stats(self, guild_id: int, user_id: int) -> BossStats:
        """A member's boss record here: each boss's wins and best time, team bosses, the rift
        (one statement)."""
        names = [*BOSS_STAT_NAMES]
        for b in self.bosses.boss:
            names += [wins_name(b.key), fastest_name(b.key)]
        for t in self.team_bosses.boss:
            names += [wins_name(f"team_{t.key}"), fastest_name(f"team_{t.key}")]
        values = await self.db.read(guild_id, lambda scope: scope.counters.read(user_id, names))
        solo = tuple(
            (b.label, values[wins_name(b.key)], values[fastest_name(b.key)])
            for b in self.bosses.boss
        )
        team = tuple(
            (t.label, values[wins_name(f"team_{t.key}")], values[fastest_name(f"team_{t.key}")])
            for t in self.team_bosses.boss
        )
        return BossStats(values, solo, team)


BOSS_STAT_NAMES = (
    "bosses_defeated", "boss_losses", "boss_ties", "team_bosses_defeated", "team_boss_losses",
    "team_duel_wins", "team_duel_losses", "team_duel_ties", "rift_damage", "rifts_defeated",
    "rift_best_damage",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class BossStats:
    """`boss stats`: the counters by name, and (label, wins, best seconds) per boss."""

    values: dict[str, int]
    solo: tuple[tuple[str, int, int], ...]
    team: tuple[tuple[str, int, int], ...]
