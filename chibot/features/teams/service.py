"""Teams' use cases: one transaction each (`Database.scoped`), on one server's data.

- **Membership** is a row per member (one team per member per server) and the team's member
  count, changed together; a join is one conditional update of the count (`members < cap`),
  so simultaneous joins never pass the cap. Invites, join requests and alliance proposals are
  live sessions (`core/sessions.py`) that expire on their own and are answered once.
- **The bank** moves through the wallet: a donation debits the member (ledger row) and
  credits the bank (team ledger row), a withdrawal the reverse, in one transaction; the bank
  never goes below zero (conditional update). Leaders withdraw freely; officers within the
  day's allowance (the leader's limit, capped by the base tier).
- **Leaving**: a leader who leaves hands the team to the longest-standing officer, else
  member; the last member out disbands it, and a disbanded team's bank goes back to its
  members in proportion to what they donated (or to the last leader), through the wallet.
- **Results** from fights arrive through `record_duel` / `record_boss`, the only way other
  systems change a team's record; combat reads `combat_bonuses` and `arena_bonus`.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.events import MemberActed, Notices
from chibot.core.items import Item, ItemRegistry
from chibot.core.scheduler import Jobs
from chibot.core.scope import GuildScope
from chibot.core.sessions import (
    MessageNotice,
    Session,
    SessionBusy,
    SessionEnded,
    SessionGone,
    shown_in,
)
from chibot.core.settings import SettingsService
from chibot.core.wallet import check_amount
from chibot.features.teams import rules
from chibot.features.teams.errors import (
    AllowanceUsed,
    AlreadyInTeam,
    AlreadyPlaced,
    AlreadyRegistered,
    AlreadyRelated,
    BadColour,
    BadTeamName,
    BankShort,
    InviteBusy,
    LeaderCantLeave,
    NameTaken,
    NoBots,
    NoInvite,
    NoOpenEvent,
    NotInBase,
    NotInTeam,
    NotInYourTeam,
    NotRelated,
    NotYourself,
    ProposalBusy,
    RequestBusy,
    RoleNeeded,
    SameTeam,
    TeamFull,
    TeamsOff,
    TheyAreInTeam,
    TopLevel,
    UnknownEvent,
    UnknownFacility,
    UnknownTeam,
    UpgradeShort,
    WrongKind,
)
from chibot.features.teams.store import MemberRow, TeamRow, TeamStore

INVITE, REQUEST, ALLY = "team.invite", "team.request", "team.ally"
EVENT_CLOSE = "team.event_close"
EXPIRED_TEXT = {
    INVITE: "⌛ This team invite has expired.",
    REQUEST: "⌛ This request to join has expired.",
    ALLY: "⌛ This alliance proposal has expired.",
}
PAGE = 10


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Card:
    team: TeamRow
    roster: list[MemberRow]
    items: list[str]
    allies: dict[int, str]
    enemies: dict[int, str]  # teams this one named rivals
    rivals: dict[int, str]  # teams that named this one
    tier: rules.Tier
    rank: int

    @property
    def leader(self) -> int:
        return self.team.leader_id


@dataclass(frozen=True, slots=True)
class Founded:
    card: Card
    unlocked: Notices  # achievements (Team Founder), to announce


@dataclass(frozen=True, slots=True)
class TeamPage:
    rows: list[TeamRow]
    page: int
    pages: int
    total: int
    board: str
    mine: TeamRow | None
    my_rank: int | None
    rivals: frozenset[int] = frozenset()  # teams in a rivalry with the viewer's (either way)
    allies: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Joined:
    team: TeamRow
    user_id: int


@dataclass(frozen=True, slots=True)
class Waiting:
    """A session opened: an invite, a join request or an alliance proposal."""

    kind: str
    team: TeamRow
    other: int  # the invited member / the requesting member / the other team
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class Left:
    team: TeamRow
    user_id: int
    new_leader: int | None
    disbanded: bool
    refunds: dict[int, int]


@dataclass(frozen=True, slots=True)
class BankMove:
    team: TeamRow
    user_id: int
    amount: int  # positive: into the bank
    bank: int
    balance: int  # the member's chi after


@dataclass(frozen=True, slots=True)
class Upgraded:
    team: TeamRow
    facility: str
    level: int
    cost: rules.Cost


@dataclass(frozen=True, slots=True)
class Placed:
    team: TeamRow
    item: Item


@dataclass(frozen=True, slots=True)
class Trained:
    item: Item
    stat: str
    pct: float
    cap: float
    ready_at: datetime


@dataclass(frozen=True, slots=True)
class Relaxed:
    item: Item
    chi: int
    balance: int
    ready_at: datetime


@dataclass(frozen=True, slots=True)
class Relation:
    kind: str  # ally | enemy
    team: TeamRow
    other: TeamRow
    added: bool


@dataclass(frozen=True, slots=True)
class EventInfo:
    event_id: int
    name: str
    closes_at: datetime
    entries: list[str]


class TeamsService:
    def __init__(self, db: Database, catalog: Catalog, settings: SettingsService) -> None:
        self.db = db
        self.catalog = catalog
        self.settings = settings

    @property
    def items(self) -> ItemRegistry:
        return self.catalog.items

    # --- helpers ----------------------------------------------------------------------------

    @staticmethod
    def store(scope: GuildScope) -> TeamStore:
        return scope.get(TeamStore)

    async def _on(self, scope: GuildScope) -> Any:
        settings = await scope.settings.load()
        if not settings.teams_enabled:
            raise TeamsOff()
        return settings

    async def _mine(self, scope: GuildScope, user_id: int) -> tuple[TeamRow, MemberRow]:
        store = self.store(scope)
        member = await store.member(user_id)
        team = await store.team(member.team_id) if member else None
        if member is None or team is None:
            raise NotInTeam()
        return team, member

    async def _find(self, scope: GuildScope, text: str) -> TeamRow:
        store = self.store(scope)
        found = await store.by_name(rules.name_key(text.strip()))
        digits = text.strip()
        if found is None and digits.isascii() and digits.isdigit() and len(digits) <= 19:
            number = int(digits)
            found = await store.team(number) if number < 2**63 else None
        if found is None:
            raise UnknownTeam(text=text.strip()[:40])
        return found

    @staticmethod
    def _need(member: MemberRow, need: str, action: str) -> None:
        if need == rules.LEADER and member.role != rules.LEADER:
            raise RoleNeeded(need="leader", action=action)
        if need == rules.OFFICER and member.role not in (rules.LEADER, rules.OFFICER):
            raise RoleNeeded(need="leader or officers", action=action)

    async def _lasts(self, scope: GuildScope) -> timedelta:
        return timedelta(hours=(await scope.settings.load()).team_invite_hours)

    # --- reading ----------------------------------------------------------------------------

    async def card(self, guild_id: int, user_id: int, team: str | None = None) -> Card | None:
        """A team's card: the named one, or the member's own (None if they have none)."""

        async def tx(scope: GuildScope) -> Card | None:
            store = self.store(scope)
            if team is not None:
                return await self._card(scope, await self._find(scope, team))
            member = await store.member(user_id)
            row = await store.team(member.team_id) if member else None
            if member is None or row is None:
                return None
            await self._days(scope, member)
            return await self._card(scope, row)

        return await self.db.scoped(guild_id, tx)

    async def _days(self, scope: GuildScope, member: MemberRow) -> None:
        """The `team_days` gauge (Loyal Member): whole days in this team, kept as a maximum."""
        days = (scope.now() - member.joined_at).days
        before = await scope.counters.get(member.user_id, "team_days")
        if days > before:
            await scope.counters.raise_to(member.user_id, "team_days", days)
            await scope.publish(MemberActed(member.user_id, {"team_days": (before, days)}))

    async def _card(self, scope: GuildScope, team: TeamRow) -> Card:
        store = self.store(scope)
        allies, enemies, rivals = [], [], []
        for kind, a, b in await store.relations(team.team_id):
            if kind == "ally":
                allies.append(b if a == team.team_id else a)
            elif a == team.team_id:
                enemies.append(b)
            else:
                rivals.append(a)
        names = await store.names([*allies, *enemies, *rivals])
        return Card(
            team,
            await store.roster(team.team_id),
            await store.items(team.team_id),
            {t: names[t] for t in allies if t in names},
            {t: names[t] for t in enemies if t in names},
            {t: names[t] for t in rivals if t in names},
            rules.tier(team.tier),
            await store.rank("score", team),
        )

    async def board(
        self, guild_id: int, user_id: int, board: str = "score", page: int = 1
    ) -> TeamPage:
        if board not in ("score", "bank", "members"):
            board = "score"

        async def tx(scope: GuildScope) -> TeamPage:
            store = self.store(scope)
            total = await store.count()
            pages = max(1, -(-total // PAGE))
            at = max(1, min(page, pages))
            rows = await store.board(board, (at - 1) * PAGE, PAGE)
            member = await store.member(user_id)
            mine = await store.team(member.team_id) if member else None
            rank = await store.rank(board, mine) if mine else None
            rivals: set[int] = set()
            allies: set[int] = set()
            if mine is not None:
                for kind, a, b in await store.relations(mine.team_id):
                    other = b if a == mine.team_id else a
                    (allies if kind == "ally" else rivals).add(other)
            return TeamPage(
                rows, at, pages, total, board, mine, rank, frozenset(rivals), frozenset(allies)
            )

        return await self.db.scoped(guild_id, tx)

    async def search(self, guild_id: int, text: str) -> list[TeamRow]:
        return await self.db.scoped(
            guild_id, lambda scope: self.store(scope).search(rules.name_key(text.strip()))
        )

    # --- founding, joining, leaving ------------------------------------------------------------

    async def create(self, guild_id: int, user_id: int, name: str) -> Founded:
        try:
            clean = rules.clean_name(name or "")
        except rules.NameProblem as problem:
            raise BadTeamName(problem=problem.problem) from None

        async def tx(scope: GuildScope) -> Founded:
            settings = await self._on(scope)
            store = self.store(scope)
            mine = await store.member(user_id)
            if mine is not None:
                current = await store.team(mine.team_id)
                raise AlreadyInTeam(team=current.name if current else "a team")
            cost = settings.team_create_cost
            if cost:
                await scope.wallet.debit(user_id, cost, reason="team.create")
            team = await store.create(
                clean, rules.name_key(clean), user_id,
                colour=rules.DEFAULT_COLOUR, officer_limit=settings.team_officer_limit,
            )  # fmt: skip
            if team is None:
                taken = await store.by_name(rules.name_key(clean))
                raise NameTaken(name=taken.name if taken else clean)
            await self._drop_waiting(scope, user_id)
            before = await scope.counters.get(user_id, "teams_created")
            await scope.counters.bump(user_id, "teams_created")
            unlocked = await scope.publish(
                MemberActed(user_id, {"teams_created": (before, before + 1)})
            )
            await scope.audit.write(user_id, "team.create", note=f"{team.team_id} {clean}")
            return Founded(await self._card(scope, team), unlocked)

        return await self.db.scoped(guild_id, tx)

    async def _drop_waiting(self, scope: GuildScope, user_id: int) -> None:
        """A member who joined a team has no use for the other invites and requests."""
        for kind in (INVITE, REQUEST):
            for session in await scope.sessions.waiting_on(kind, user_id):
                with contextlib.suppress(SessionGone):
                    await scope.sessions.take(kind, session.key)

    async def invite(
        self, guild_id: int, actor_id: int, target_id: int, *, target_is_bot: bool = False
    ) -> Waiting:
        if target_is_bot:
            raise NoBots()
        if target_id == actor_id:
            raise NotYourself(action="invite")

        async def tx(scope: GuildScope) -> Waiting:
            await self._on(scope)
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.OFFICER, "invite members")
            if await self.store(scope).member(target_id) is not None:
                raise TheyAreInTeam()
            cap = rules.tier(team.tier).member_cap
            if team.members >= cap:
                raise TeamFull(team=team.name, cap=cap)
            try:
                session = await scope.sessions.open(
                    INVITE, f"{team.team_id}:{target_id}", {"team": team.team_id, "by": actor_id},
                    lasts=await self._lasts(scope), user_id=target_id,
                )  # fmt: skip
            except SessionBusy as busy:
                raise InviteBusy(busy.kind, busy.key, busy.expires_at) from None
            return Waiting(INVITE, team, target_id, session.expires_at)

        return await self.db.scoped(guild_id, tx)

    async def invites(self, guild_id: int, user_id: int) -> list[tuple[Session, TeamRow]]:
        """The member's invites still waiting, with their teams."""

        async def tx(scope: GuildScope) -> list[tuple[Session, TeamRow]]:
            out = []
            for session in await scope.sessions.waiting_on(INVITE, user_id):
                team = await self.store(scope).team(int(session.state["team"]))
                if team is not None:
                    out.append((session, team))
            return out

        return await self.db.scoped(guild_id, tx)

    async def answer_invite(
        self, guild_id: int, user_id: int, team_id: int | None, *, accept: bool
    ) -> Joined | TeamRow:
        """Accept (joins; the other invites are dropped) or decline an invite: the named
        team's, or the only / oldest one waiting."""

        async def tx(scope: GuildScope) -> Joined | TeamRow:
            await self._on(scope)
            waiting = await scope.sessions.waiting_on(INVITE, user_id)
            if team_id is not None:
                waiting = [s for s in waiting if int(s.state["team"]) == team_id]
            if not waiting:
                raise NoInvite()
            session = await scope.sessions.take(INVITE, waiting[0].key)
            store = self.store(scope)
            team = await store.team(int(session.state["team"]))
            if team is None:
                raise UnknownTeam(text="that")
            if not accept:
                return team
            return await self._join(scope, team, user_id)

        return await self.db.scoped(guild_id, tx)

    async def _join(self, scope: GuildScope, team: TeamRow, user_id: int) -> Joined:
        store = self.store(scope)
        if await store.member(user_id) is not None:
            raise AlreadyInTeam(team="a team")
        cap = rules.tier(team.tier).member_cap
        if not await store.admit(team.team_id, user_id, cap):
            if await store.member(user_id) is not None:
                raise AlreadyInTeam(team="a team")
            raise TeamFull(team=team.name, cap=cap)
        await self._drop_waiting(scope, user_id)
        await scope.audit.write(user_id, "team.join", note=str(team.team_id))
        return Joined(await store.team(team.team_id) or team, user_id)

    async def request(self, guild_id: int, user_id: int, team: str) -> Joined | Waiting:
        """`jointeam <team>`: accepts that team's invite if there is one, else asks to join
        (its leader or officers accept)."""

        async def tx(scope: GuildScope) -> Joined | Waiting:
            await self._on(scope)
            store = self.store(scope)
            mine = await store.member(user_id)
            if mine is not None:
                current = await store.team(mine.team_id)
                raise AlreadyInTeam(team=current.name if current else "a team")
            row = await self._find(scope, team)
            invited = [
                s for s in await scope.sessions.waiting_on(INVITE, user_id)
                if int(s.state["team"]) == row.team_id
            ]  # fmt: skip
            if invited:
                await scope.sessions.take(INVITE, invited[0].key)
                return await self._join(scope, row, user_id)
            cap = rules.tier(row.tier).member_cap
            if row.members >= cap:
                raise TeamFull(team=row.name, cap=cap)
            try:
                session = await scope.sessions.open(
                    REQUEST, f"{row.team_id}:{user_id}", {"team": row.team_id},
                    lasts=await self._lasts(scope), user_id=user_id,
                )  # fmt: skip
            except SessionBusy as busy:
                raise RequestBusy(busy.kind, busy.key, busy.expires_at) from None
            return Waiting(REQUEST, row, user_id, session.expires_at)

        return await self.db.scoped(guild_id, tx)

    async def requests(self, guild_id: int, user_id: int) -> list[Session]:
        """The join requests waiting on the member's team (for its leader and officers)."""

        async def tx(scope: GuildScope) -> list[Session]:
            team, _ = await self._mine(scope, user_id)
            return await scope.sessions.of_kind(REQUEST, key_prefix=f"{team.team_id}:")

        return await self.db.scoped(guild_id, tx)

    async def answer_request(
        self, guild_id: int, actor_id: int, requester_id: int, *, accept: bool
    ) -> Joined | TeamRow:
        async def tx(scope: GuildScope) -> Joined | TeamRow:
            await self._on(scope)
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.OFFICER, "answer join requests")
            await scope.sessions.take(REQUEST, f"{team.team_id}:{requester_id}")
            if not accept:
                return team
            return await self._join(scope, team, requester_id)

        return await self.db.scoped(guild_id, tx)

    async def leave(self, guild_id: int, user_id: int) -> Left:
        async def tx(scope: GuildScope) -> Left:
            team, _ = await self._mine(scope, user_id)
            return await self._leave(scope, team, user_id, reason="team.leave")

        return await self.db.scoped(guild_id, tx)

    async def _leave(self, scope: GuildScope, team: TeamRow, user_id: int, *, reason: str) -> Left:
        store = self.store(scope)
        roster = await store.roster(team.team_id)
        new_leader = None
        if team.leader_id == user_id:
            standing = [rules.Standing(m.user_id, m.role, m.joined_at) for m in roster]
            new_leader = rules.successor(standing, user_id)
            if new_leader is None:
                refunds = await self._disband(scope, team, user_id)
                await scope.audit.write(user_id, reason, note=f"{team.team_id} disbanded")
                return Left(team, user_id, None, True, refunds)
        await store.remove(team.team_id, user_id)
        if new_leader is not None:
            await store.set_role(team.team_id, new_leader, rules.LEADER)
            await store.set(team.team_id, leader_id=new_leader)
        await scope.audit.write(user_id, reason, note=str(team.team_id))
        return Left(await store.team(team.team_id) or team, user_id, new_leader, False, {})

    async def _disband(self, scope: GuildScope, team: TeamRow, last_leader: int) -> dict[int, int]:
        """Delete the team; its bank goes back to the members in proportion to their
        donations (or to the last leader), through the wallet, ledgered on both sides."""
        store = self.store(scope)
        locked = await store.team(team.team_id, lock=True) or team
        roster = await store.roster(team.team_id)
        refunds = rules.split(locked.bank, {m.user_id: m.donated for m in roster}, last_leader)
        for member_id, amount in refunds.items():
            left = await store.bank_move(team.team_id, -amount)
            assert left is not None  # the split never exceeds the bank
            await store.log(team.team_id, member_id, -amount, "team.disband", left)
            await scope.wallet.credit(
                member_id, amount, reason="team.disband", ref=str(team.team_id), earned=False
            )
        for kind in (INVITE, REQUEST):
            for session in await scope.sessions.of_kind(kind, key_prefix=f"{team.team_id}:"):
                await scope.sessions.take(kind, session.key)
        await store.delete(team.team_id)
        return refunds

    async def disband(self, guild_id: int, actor_id: int) -> Left:
        async def tx(scope: GuildScope) -> Left:
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "disband the team")
            refunds = await self._disband(scope, team, actor_id)
            await scope.audit.write(actor_id, "team.disband", note=f"{team.team_id} {team.name}")
            return Left(team, actor_id, None, True, refunds)

        return await self.db.scoped(guild_id, tx)

    async def kick(self, guild_id: int, actor_id: int, target_id: int) -> Left:
        if actor_id == target_id:
            raise NotYourself(action="kick")

        async def tx(scope: GuildScope) -> Left:
            team, member = await self._mine(scope, actor_id)
            target = await self.store(scope).member(target_id)
            if target is None or target.team_id != team.team_id:
                raise NotInYourTeam()
            if target.role == rules.LEADER:
                raise LeaderCantLeave()
            if not rules.may_kick(member.role, target.role):
                raise RoleNeeded(
                    need="leader" if target.role == rules.OFFICER else "leader or officers",
                    action="kick " + ("officers" if target.role == rules.OFFICER else "members"),
                )
            return await self._leave(scope, team, target_id, reason="team.kick")

        return await self.db.scoped(guild_id, tx)

    async def member_left_server(self, guild_id: int, user_id: int) -> Left | None:
        """Reconcile: a member who left the server leaves their team."""

        async def tx(scope: GuildScope) -> Left | None:
            member = await self.store(scope).member(user_id)
            team = await self.store(scope).team(member.team_id) if member else None
            if team is None:
                return None
            return await self._leave(scope, team, user_id, reason="team.left_server")

        return await self.db.scoped(guild_id, tx)

    async def reconcile(self, guild_id: int, present: set[int]) -> list[Left]:
        """At start-up: team members who left the server while the bot was away leave their
        teams (leaders hand over), as `member_left_server` does live."""

        in_teams = await self.db.scoped(guild_id, lambda scope: self.store(scope).member_ids())
        gone = [u for u in in_teams if u not in present]
        done = [await self.member_left_server(guild_id, u) for u in gone]
        return [left for left in done if left is not None]

    async def set_role(self, guild_id: int, actor_id: int, target_id: int, role: str) -> TeamRow:
        """promote (officer), demote (member) or transfer (leader)."""
        if actor_id == target_id:
            raise NotYourself(
                action={"leader": "transfer the team to", "officer": "promote"}.get(role, "demote")
            )

        async def tx(scope: GuildScope) -> TeamRow:
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "promote, demote or hand over the team")
            store = self.store(scope)
            target = await store.member(target_id)
            if target is None or target.team_id != team.team_id:
                raise NotInYourTeam()
            if role == rules.LEADER:
                await store.set_role(team.team_id, actor_id, rules.OFFICER)
                await store.set(team.team_id, leader_id=target_id)
            await store.set_role(team.team_id, target_id, role)
            await scope.audit.write(
                actor_id, f"team.{role}", target_id=target_id, note=str(team.team_id)
            )
            return await store.team(team.team_id) or team

        return await self.db.scoped(guild_id, tx)

    # --- the bank ---------------------------------------------------------------------------

    async def donate(self, guild_id: int, user_id: int, amount: int) -> BankMove:
        check_amount(amount)

        async def tx(scope: GuildScope) -> BankMove:
            await self._on(scope)
            team, _ = await self._mine(scope, user_id)
            store = self.store(scope)
            balance = await scope.wallet.debit(
                user_id, amount, reason="team.donate", ref=str(team.team_id)
            )
            bank = await store.bank_move(team.team_id, amount)
            assert bank is not None
            await store.donated(user_id, amount)
            await store.log(team.team_id, user_id, amount, "team.donate", bank)
            return BankMove(team, user_id, amount, bank, balance)

        return await self.db.scoped(guild_id, tx)

    async def withdraw(self, guild_id: int, user_id: int, amount: int) -> BankMove:
        check_amount(amount)

        async def tx(scope: GuildScope) -> BankMove:
            await self._on(scope)
            team, member = await self._mine(scope, user_id)
            self._need(member, rules.OFFICER, "withdraw from the bank")
            store = self.store(scope)
            day = rules.day_number(scope.now())
            taken = member.withdrawn if member.withdrawn_day == day else 0
            left = rules.withdraw_allowance(member.role, team.officer_limit, team.tier, taken)
            if left is not None:
                if amount > left:
                    limit = min(team.officer_limit, rules.tier(team.tier).withdraw_cap)
                    raise AllowanceUsed(left=left, limit=limit)
                if not await store.take_allowance(member, day, amount):
                    raise AllowanceUsed(left=0, limit=team.officer_limit)
            bank = await store.bank_move(team.team_id, -amount)
            if bank is None:
                now = await store.team(team.team_id)
                raise BankShort(needed=amount, have=now.bank if now else 0)
            await store.log(team.team_id, user_id, -amount, "team.withdraw", bank)
            balance = await scope.wallet.credit(
                user_id, amount, reason="team.withdraw", ref=str(team.team_id), earned=False
            )
            return BankMove(team, user_id, -amount, bank, balance)

        return await self.db.scoped(guild_id, tx)

    async def set_officer_limit(self, guild_id: int, actor_id: int, amount: int) -> TeamRow:
        if amount < 0:
            check_amount(amount)

        async def tx(scope: GuildScope) -> TeamRow:
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "set the officers' limit")
            await self.store(scope).set(team.team_id, officer_limit=amount)
            return await self.store(scope).team(team.team_id) or team

        return await self.db.scoped(guild_id, tx)

    async def bank_log(
        self, guild_id: int, user_id: int, page: int = 1
    ) -> tuple[TeamRow, list[Any], int, int]:
        async def tx(scope: GuildScope) -> tuple[TeamRow, list[Any], int, int]:
            team, _ = await self._mine(scope, user_id)
            store = self.store(scope)
            pages = max(1, -(-await store.ledger_count(team.team_id) // PAGE))
            at = max(1, min(page, pages))
            return team, await store.ledger(team.team_id, (at - 1) * PAGE, PAGE), at, pages

        return await self.db.scoped(guild_id, tx)

    # --- the base ---------------------------------------------------------------------------

    async def upgrade(self, guild_id: int, actor_id: int, facility: str) -> Upgraded:
        facility = facility.strip().lower()
        if facility not in rules.FACILITIES:
            raise UnknownFacility()

        async def tx(scope: GuildScope) -> Upgraded:
            await self._on(scope)
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "upgrade the base")
            column = "tier" if facility == "base" else facility
            level = getattr(team, column)
            cost = rules.upgrade_cost(facility, level)
            if cost is None:
                raise TopLevel(facility=facility)
            store = self.store(scope)
            if not await store.spend(team.team_id, cost.chi, cost.trophies):
                now = await store.team(team.team_id) or team
                raise UpgradeShort(
                    facility=facility, chi=cost.chi, trophies=cost.trophies,
                    bank=now.bank, have_trophies=now.trophies,
                )  # fmt: skip
            if not await store.set_if(team.team_id, {column: level}, **{column: level + 1}):
                raise UpgradeShort(
                    facility=facility,
                    chi=cost.chi,
                    trophies=cost.trophies,
                    bank=team.bank,
                    have_trophies=team.trophies,
                )
            after = await store.team(team.team_id) or team
            if cost.chi:
                await store.log(
                    team.team_id, actor_id, -cost.chi, f"team.upgrade.{facility}", after.bank
                )
            await scope.audit.write(
                actor_id, f"team.upgrade.{facility}", note=f"{team.team_id} -> {level + 1}"
            )
            return Upgraded(after, facility, level + 1, cost)

        return await self.db.scoped(guild_id, tx)

    def _item(self, text: str, effect: str) -> Item:
        item = self.items.find(text or "")
        if item is None or item.effect(effect) is None:
            want = "a decoration" if effect == "decoration" else "gym equipment"
            raise WrongKind(item=item.name if item else (text or "").strip()[:40], want=want)
        return item

    async def place(self, guild_id: int, user_id: int, text: str, effect: str) -> Placed:
        """`team decorate <item>` / `team gym <item>`: an item bought in the chi shop moves
        from the member's inventory into the base (one of each per base)."""
        item = self._item(text, effect)

        async def tx(scope: GuildScope) -> Placed:
            await self._on(scope)
            team, _ = await self._mine(scope, user_id)
            store = self.store(scope)
            if not await store.place(team.team_id, item.id, user_id):
                raise AlreadyPlaced(item=item.name)
            await scope.inventory.take(user_id, item.id, 1, name=item.name)
            await scope.audit.write(user_id, "team.place", note=f"{team.team_id} {item.id}")
            return Placed(team, item)

        return await self.db.scoped(guild_id, tx)

    async def paint(self, guild_id: int, actor_id: int, colour: str) -> TeamRow:
        chosen = rules.parse_colour(colour or "")
        if chosen is None:
            raise BadColour(colours=", ".join(rules.COLOURS))

        async def tx(scope: GuildScope) -> TeamRow:
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "paint the base")
            await self.store(scope).set(team.team_id, colour=chosen)
            return await self.store(scope).team(team.team_id) or team

        return await self.db.scoped(guild_id, tx)

    async def train(self, guild_id: int, user_id: int, text: str) -> Trained:
        item = self._item(text, "gym")
        effect = item.effect("gym")
        assert effect is not None and effect.spot is not None and effect.bonus_pct is not None
        stat = effect.spot
        minutes = rules.TRAINING_MINUTES.get(stat, 30)

        async def tx(scope: GuildScope) -> Trained:
            await self._on(scope)
            team, _ = await self._mine(scope, user_id)
            store = self.store(scope)
            if item.id not in await store.items(team.team_id):
                raise NotInBase(text=item.name)
            ready = await scope.cooldowns.claim(
                user_id, f"team.train.{item.id}", timedelta(minutes=minutes)
            )
            current = (await store.training(user_id)).get(stat, 0.0)
            pct = rules.trained(current, effect.bonus_pct or 0.0, team.gym)
            await store.set_training(user_id, stat, pct)
            return Trained(item, stat, pct, rules.training_cap_pct(team.gym), ready)

        return await self.db.scoped(guild_id, tx)

    async def relax(self, guild_id: int, user_id: int, text: str) -> Relaxed:
        item = self.items.find(text or "")
        if item is None or item.id not in rules.RELAX:
            places = ", ".join(self.items.get(i).name for i in rules.RELAX)
            raise NotInBase(
                text=f"{(text or '').strip()[:40] or 'such place'} to relax at ({places})"
            )
        perk = rules.RELAX[item.id]

        async def tx(scope: GuildScope) -> Relaxed:
            await self._on(scope)
            team, _ = await self._mine(scope, user_id)
            if item.id not in await self.store(scope).items(team.team_id):
                raise NotInBase(text=item.name)
            ready = await scope.cooldowns.claim(
                user_id, f"team.relax.{item.id}", timedelta(hours=perk.hours)
            )
            balance = await scope.wallet.credit(user_id, perk.chi, reason="team.relax", ref=item.id)
            return Relaxed(item, perk.chi, balance, ready)

        return await self.db.scoped(guild_id, tx)

    # --- relations --------------------------------------------------------------------------

    async def ally(self, guild_id: int, actor_id: int, team_text: str) -> Relation | Waiting:
        """Propose an alliance; if the other team had proposed one to this team, this
        accepts it. Stored once per pair; an alliance ends a rivalry both ways."""

        async def tx(scope: GuildScope) -> Relation | Waiting:
            await self._on(scope)
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "make alliances")
            other = await self._find(scope, team_text)
            if other.team_id == team.team_id:
                raise SameTeam()
            store = self.store(scope)
            a, b = sorted((team.team_id, other.team_id))
            if ("ally", a, b) in await store.relations(team.team_id):
                raise AlreadyRelated(team=other.name, kind="ally")
            theirs = await scope.sessions.get(ALLY, f"{other.team_id}>{team.team_id}")
            if theirs is not None:
                await scope.sessions.take(ALLY, theirs.key)
                return await self._ally(scope, team, other, actor_id)
            try:
                session = await scope.sessions.open(
                    ALLY, f"{team.team_id}>{other.team_id}", {"from": team.team_id, "to": other.team_id},
                    lasts=await self._lasts(scope), user_id=other.leader_id,
                )  # fmt: skip
            except SessionBusy as busy:
                raise ProposalBusy(busy.kind, busy.key, busy.expires_at) from None
            return Waiting(ALLY, team, other.team_id, session.expires_at)

        return await self.db.scoped(guild_id, tx)

    async def _ally(self, scope: GuildScope, team: TeamRow, other: TeamRow, by: int) -> Relation:
        store = self.store(scope)
        a, b = sorted((team.team_id, other.team_id))
        await store.relate("ally", a, b)  # two acceptances at once: the key keeps one row
        await store.unrelate("enemy", team.team_id, other.team_id)
        await store.unrelate("enemy", other.team_id, team.team_id)
        await scope.audit.write(by, "team.ally", note=f"{a} {b}")
        return Relation("ally", team, other, True)

    async def answer_ally(
        self, guild_id: int, actor_id: int, from_team: int, *, accept: bool
    ) -> Relation | TeamRow:
        async def tx(scope: GuildScope) -> Relation | TeamRow:
            await self._on(scope)
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "answer alliances")
            await scope.sessions.take(ALLY, f"{from_team}>{team.team_id}")
            other = await self.store(scope).team(from_team)
            if other is None:
                raise UnknownTeam(text="that")
            if not accept:
                return other
            return await self._ally(scope, team, other, actor_id)

        return await self.db.scoped(guild_id, tx)

    async def unally(self, guild_id: int, actor_id: int, team_text: str) -> Relation:
        async def tx(scope: GuildScope) -> Relation:
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "end alliances")
            other = await self._find(scope, team_text)
            a, b = sorted((team.team_id, other.team_id))
            if not await self.store(scope).unrelate("ally", a, b):
                raise NotRelated(team=other.name, kind="ally")
            await scope.audit.write(actor_id, "team.unally", note=f"{a} {b}")
            return Relation("ally", team, other, False)

        return await self.db.scoped(guild_id, tx)

    async def enemy(self, guild_id: int, actor_id: int, team_text: str, *, add: bool) -> Relation:
        """Name (or stop naming) a rival: one-sided; it ends an alliance."""

        async def tx(scope: GuildScope) -> Relation:
            await self._on(scope)
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "name rivals")
            other = await self._find(scope, team_text)
            if other.team_id == team.team_id:
                raise SameTeam()
            store = self.store(scope)
            if add:
                if not await store.relate("enemy", team.team_id, other.team_id):
                    raise AlreadyRelated(team=other.name, kind="rival")
                await store.unrelate("ally", *sorted((team.team_id, other.team_id)))
            elif not await store.unrelate("enemy", team.team_id, other.team_id):
                raise NotRelated(team=other.name, kind="rival")
            await scope.audit.write(
                actor_id,
                "team.enemy" if add else "team.unenemy",
                note=f"{team.team_id} {other.team_id}",
            )
            return Relation("enemy", team, other, add)

        return await self.db.scoped(guild_id, tx)

    async def are_enemies(self, guild_id: int, team_a: int, team_b: int) -> bool:
        """For combat: either team named the other a rival (team duels need no consent)."""

        return await self.db.scoped(guild_id, lambda scope: self.enemies_in(scope, team_a, team_b))

    async def enemies_in(self, scope: GuildScope, team_a: int, team_b: int) -> bool:
        """`are_enemies` inside the caller's transaction (a team duel's challenge)."""
        relations = await self.store(scope).relations(team_a)
        return ("enemy", team_a, team_b) in relations or ("enemy", team_b, team_a) in relations

    # --- events -----------------------------------------------------------------------------

    async def open_event(self, guild_id: int, admin_id: int, name: str, hours: int) -> EventInfo:
        clean = " ".join((name or "").split())[:64]
        if not clean:
            raise BadTeamName(problem="missing")
        hours = max(1, min(hours, 24 * 14))

        async def tx(scope: GuildScope) -> EventInfo:
            await self._on(scope)
            closes = scope.now() + timedelta(hours=hours)
            event_id = await self.store(scope).open_event(clean, admin_id, closes)
            await scope.get(Jobs).schedule(EVENT_CLOSE, closes, key=str(event_id))
            await scope.audit.write(admin_id, "team.event.open", note=f"{event_id} {clean}")
            return EventInfo(event_id, clean, closes, [])

        return await self.db.scoped(guild_id, tx)

    async def register(self, guild_id: int, actor_id: int, name: str | None) -> EventInfo:
        async def tx(scope: GuildScope) -> EventInfo:
            await self._on(scope)
            team, member = await self._mine(scope, actor_id)
            self._need(member, rules.LEADER, "register the team")
            store = self.store(scope)
            events = [e for e in await store.open_events() if e.closes_at > scope.now()]
            if not events:
                raise NoOpenEvent()
            if name:
                chosen = [e for e in events if e.name.casefold() == name.strip().casefold()]
                if not chosen:
                    raise UnknownEvent(
                        text=name.strip()[:64], open=", ".join(e.name for e in events)
                    )
                event = chosen[0]
            else:
                event = events[-1]
            if not await store.enter(event.event_id, team.team_id, actor_id):
                raise AlreadyRegistered(event=event.name)
            await scope.audit.write(
                actor_id, "team.event.register", note=f"{event.event_id} {team.team_id}"
            )
            return await self._event(scope, event)

        return await self.db.scoped(guild_id, tx)

    async def _event(self, scope: GuildScope, event: Any) -> EventInfo:
        store = self.store(scope)
        entries = await store.entries(event.event_id)
        names = await store.names(entries)
        return EventInfo(
            event.event_id, event.name, event.closes_at, [names[t] for t in entries if t in names]
        )

    async def events(self, guild_id: int) -> list[EventInfo]:
        async def tx(scope: GuildScope) -> list[EventInfo]:
            store = self.store(scope)
            return [await self._event(scope, e) for e in await store.open_events()]

        return await self.db.scoped(guild_id, tx)

    async def close_event(self, guild_id: int, event_id: int) -> EventInfo | None:
        """Closes an event's registration (the scheduler, at its end): its entries are kept."""

        async def tx(scope: GuildScope) -> EventInfo | None:
            store = self.store(scope)
            event = await store.event(event_id)
            if event is None or not await store.close_event(event_id):
                return None
            return await self._event(scope, event)

        return await self.db.scoped(guild_id, tx)

    # --- the messages that show invites, requests and proposals ---------------------------

    async def attach(
        self, guild_id: int, waiting: Waiting, channel_id: int, message_id: int
    ) -> None:
        """Remember the message with the buttons, so that it says so when the session expires."""
        key = {
            INVITE: f"{waiting.team.team_id}:{waiting.other}",
            REQUEST: f"{waiting.team.team_id}:{waiting.other}",
            ALLY: f"{waiting.team.team_id}>{waiting.other}",
        }[waiting.kind]
        await self.db.scoped(
            guild_id, lambda scope: scope.sessions.attach(waiting.kind, key, channel_id, message_id)
        )

    async def on_session_ended(
        self, scope: GuildScope, event: SessionEnded
    ) -> tuple[MessageNotice, ...]:
        """An invite, join request or proposal that expired: its message says so (nothing
        else to settle: no money waits on them)."""
        text = EXPIRED_TEXT.get(event.session.kind)
        where = shown_in(event.session)
        if text is None or where is None:
            return ()
        return (MessageNotice(where[0], where[1], text),)

    # --- what other systems call --------------------------------------------------------------

    async def record_duel(self, scope: GuildScope, team_id: int, outcome: str) -> TeamRow | None:
        """A duel's result for a team (`win`, `loss`, `tie`), inside the caller's transaction."""
        return await self._record(scope, team_id, rules.DUEL[outcome])

    async def record_team_duel(
        self, scope: GuildScope, team_id: int, outcome: str
    ) -> TeamRow | None:
        return await self._record(scope, team_id, rules.TEAM_DUEL[outcome])

    async def record_boss(self, scope: GuildScope, team_id: int, outcome: str) -> TeamRow | None:
        """A team boss raid's result (`victory`, `defeat`, `retreat`)."""
        return await self._record(scope, team_id, rules.TEAM_BOSS[outcome])

    async def _record(
        self, scope: GuildScope, team_id: int, result: rules.Result
    ) -> TeamRow | None:
        return await self.store(scope).record(
            team_id, wins=result.wins, losses=result.losses, ties=result.ties,
            score=result.score, trophies=result.trophies,
        )  # fmt: skip

    async def team_of(self, scope: GuildScope, user_id: int) -> TeamRow | None:
        member = await self.store(scope).member(user_id)
        return await self.store(scope).team(member.team_id) if member else None

    async def combat_bonuses(self, scope: GuildScope, user_id: int) -> dict[str, float]:
        """A member's gym training bonuses (percent per stat; none outside a team)."""
        if await self.store(scope).member(user_id) is None:
            return {}
        return await self.store(scope).training(user_id)

    async def arena_bonus(self, scope: GuildScope, team_id: int) -> float:
        team = await self.store(scope).team(team_id)
        return rules.arena_bonus_pct(team.arena) if team else 0.0


__all__ = ["MemberRow", "TeamRow", "TeamsService"]  # the rows the views render
