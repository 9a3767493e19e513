"""Team fights: a team duel (team against team) and a team boss raid (one team against a
boss of `content/team_bosses.toml`). docs/team-fights.md has the rules and why.

- **One team fight per team** (`TEAM_LOCK` session keyed by the team id, opened with the lobby:
  `ON CONFLICT DO NOTHING`, so of two challenges at once one wins), and one live fight per
  member (the engine's `fighter` sessions), in any number of servers and teams at once.
- **A lobby first** (`DUEL_LOBBY` / `RAID_LOBBY` sessions, 3 minutes, their card's Join button
  or `tduel join` / `tboss join`): the roster of each side is its leader and the teammates who
  joined, at most `MAX_ROSTER`; a member joins only with a weapon and while in no other fight.
  - A team duel (`teamduel @leader`) needs the challenged leader's consent (`tduel accept`),
    unless the teams are enemies (teams' `enemy`): then the challenger starts it
    (`tduel start`) and the challenged can't decline. Rosters may differ in size.
  - A raid (`teamboss <boss>`) starts when its leader says so (`tboss start`) with
    `MIN_RAIDERS`..`MAX_RAIDERS` raiders, none on that boss's cooldown.
  A lobby nobody started expires: the teams are free again, its card says so.
- **The fight** is one engine fight: a duel's turns alternate sides (A1, B1, A2, B2…, the
  larger side's extra members last); a raid's boss plays after every raider (legacy §9.4).
  The member on turn acts, **or their leader for them** (`live.for_the_side`); only a leader
  forfeits for the side. A turn nobody takes in `turn_seconds` forfeits the side (a side that
  stops answering loses), the match limit ends it (a duel by HP shares; a raid: the boss
  outlasted them, a retreat). Each side's team arena adds its bonus to its damage (`team`
  hook, `Fight.bonus`). Pets fight beside their owners.
- **The settlement** (the modes' endings, in the transaction that ends the fight, once):
  - a duel pays no chi (legacy's 500 × team size to every winner grew with the square of the
    team, B8, and from nowhere): both teams' records through teams' `record_team_duel`
    (win +100 score; by forfeit +50 / −25), and each fighter's `team_duel_*` counters;
  - a raid won shares the boss's `pot` among the raiders (equal shares, the remainder one chi
    each to the first joined: the sum is the pot exactly), starts the boss's cooldown for each
    raider, and counts `team_bosses_defeated`; teams' `record_boss` gets victory, defeat (a
    wipe) or retreat (a forfeit, an idle side, the match limit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chibot.core.errors import OnCooldown
from chibot.core.scope import GuildScope
from chibot.core.sessions import MessageNotice, Session, SessionBusy, SessionEnded, shown_in
from chibot.features.combat.boss_fights import fastest_name, seconds_since, wins_name
from chibot.features.combat.engine import Fight, MatchEnded, Mode
from chibot.features.combat.errors import (
    AlreadyFighting,
    AlreadyInLobby,
    CombatOff,
    LobbyFull,
    NoLobby,
    NotALeader,
    NotYourLobby,
    RaidResting,
    SameTeam,
    TeamBusy,
    TeamsAreEnemies,
    TooFewRaiders,
    Unarmed,
    UnknownTeamBoss,
    WaitForConsent,
)
from chibot.features.combat.live import (
    LEADERS,
    PETS,
    LiveFights,
    Step,
    count_result,
    outcome_of,
)
from chibot.features.combat.team_bosses import MAX_RAIDERS, MIN_RAIDERS, TeamBoss, TeamBossesFile

TEAM_LOCK = "team_fight"
DUEL_LOBBY = "tduel_lobby"
RAID_LOBBY = "traid_lobby"
LOBBY_LASTS = timedelta(minutes=3)
MAX_ROSTER = MAX_RAIDERS  # per side, a duel and a raid alike
TEAM_DUEL = Mode(
    "team_duel", turn_seconds=120, match_seconds=1200, heal_charges=2,
    allows=PETS | {"team", "potions"},
)  # fmt: skip
TEAM_BOSS = Mode(
    "team_boss", turn_seconds=120, match_seconds=1500, heal_charges=3,
    allows=PETS | {"team", "boss", "potions"}, bare_weapon=True, on_match_limit="tie",
)  # fmt: skip
REASON = "combat.team_boss"
FORFEITS = frozenset({"forfeit", "idle"})


@dataclass(frozen=True, slots=True)
class Lobby:
    """A team fight waiting to start: who has joined each side, until when."""

    kind: str  # "duel" or "raid"
    key: str
    teams: tuple[int, ...]  # duel: (challenger, challenged); raid: (team,)
    team_names: tuple[str, ...]
    leaders: tuple[int, ...]
    rosters: tuple[tuple[tuple[int, str], ...], ...]  # per side: (user id, name) in join order
    expires_at: datetime
    enemies: bool = False
    boss: TeamBoss | None = None

    @property
    def raiders(self) -> int:
        return len(self.rosters[0])


@dataclass(frozen=True, slots=True)
class LobbyClosed:
    """A lobby that ended without a fight (declined, called off)."""

    lobby: Lobby
    why: str  # declined | called_off


@dataclass(frozen=True, slots=True)
class TeamDuelResult:
    """A team duel's settlement: each side's team and outcome (win, loss, tie; by forfeit)."""

    names: tuple[str, str]
    winner: int | None  # the index of the winning side, None on a tie
    by_forfeit: bool


@dataclass(frozen=True, slots=True)
class RaidResult:
    """A raid's settlement: what each raider got (a win), or how it was lost."""

    boss: TeamBoss
    team: str
    outcome: str  # victory, defeat, retreat
    shares: tuple[tuple[int, str, int], ...] = ()  # (user id, name, chi)
    ready_at: datetime | None = None


def split_pot(pot: int, payees: int) -> list[int]:
    """Equal shares of `pot`; the remainder one chi each to the first payees."""
    if payees <= 0:
        return []
    base, extra = divmod(pot, payees)
    return [base + (1 if i < extra else 0) for i in range(payees)]


def duel_order(sides: Sequence[Sequence[str]]) -> list[str]:
    """Alternate the sides, A1 B1 A2 B2…, the longer side's extra fighters last."""
    order: list[str] = []
    for i in range(max(len(s) for s in sides)):
        order += [s[i] for s in sides if i < len(s)]
    return order


def raid_order(raiders: Sequence[str], boss: str) -> list[str]:
    """Each raider, then the boss (legacy §9.4: every action is answered by a boss turn)."""
    return [x for r in raiders for x in (r, boss)]


def _lobby(session: Session, bosses: TeamBossesFile) -> Lobby:
    s = session.state
    boss = bosses.get(str(s.get("boss", ""))) if s.get("boss") else None
    return Lobby(
        s["kind"], session.key, tuple(s["teams"]), tuple(s["team_names"]), tuple(s["leaders"]),
        tuple(tuple((int(u), str(n)) for u, n in r) for r in s["rosters"]),
        session.expires_at, bool(s.get("enemies")), boss,
    )  # fmt: skip


class TeamFights:
    """Team duels and raids over `live`; `teams` is the teams service (team rows, enemies,
    the arena's bonus, the records)."""

    def __init__(self, live: LiveFights, teams: Any, bosses: TeamBossesFile) -> None:
        self.live = live
        self.teams = teams
        self.bosses = bosses
        for mode in (TEAM_DUEL, TEAM_BOSS):
            live.modes[mode.name] = mode
            live.armed.add(mode.name)  # a roster member who sold their weapon can't start it
        live.endings[TEAM_DUEL.name] = self.settle_duel
        live.endings[TEAM_BOSS.name] = self.settle_raid

    @property
    def keys(self) -> str:
        return "|".join(b.key for b in self.bosses.boss)

    def boss(self, text: str) -> TeamBoss:
        said = " ".join(text.split()).casefold()
        for b in self.bosses.boss:
            if said and (said == b.key or b.name.casefold().startswith(said)):
                return b
        raise UnknownTeamBoss(text=text, keys=self.keys)

    @staticmethod
    def action(boss: TeamBoss) -> str:
        return f"teamboss {boss.key}"

    # --- the lobby ---------------------------------------------------------------------------

    async def _team(self, scope: GuildScope, user_id: int, *, leader: bool) -> Any:
        team = await self.teams.team_of(scope, user_id)
        if team is None:
            raise NotALeader(alone=True)
        if leader and team.leader_id != user_id:
            raise NotALeader()
        return team

    async def _lock(self, scope: GuildScope, team: Any, kind: str, lobby_key: str) -> None:
        lasts = LOBBY_LASTS + timedelta(seconds=TEAM_BOSS.match_seconds + 300)
        try:
            await scope.sessions.open(
                TEAM_LOCK, str(team.team_id), {"lobby": lobby_key, "kind": kind}, lasts=lasts
            )
        except SessionBusy:
            raise TeamBusy(team=team.name) from None

    async def _ready(self, scope: GuildScope, user_id: int, name: str, mode: Mode) -> None:
        """A member may join: not fighting, armed."""
        if await self.live.fighting(scope, user_id):
            raise AlreadyFighting(who=name)
        fighter = await self.live.fighters(scope, user_id, name, "side0", mode)
        if fighter.weapon is None:
            raise Unarmed(who=name, you=True)

    async def challenge(
        self, scope: GuildScope, user_id: int, name: str, target_id: int, target: str
    ) -> Lobby:
        """`teamduel @leader`: a lobby for a duel of the caller's team against the target's."""
        if not (await scope.settings.load()).combat_enabled:
            raise CombatOff()
        mine = await self._team(scope, user_id, leader=True)
        theirs = await self.teams.team_of(scope, target_id)
        if theirs is None or theirs.leader_id != target_id:
            raise NotALeader(them=True)
        if theirs.team_id == mine.team_id:
            raise SameTeam()
        await self._ready(scope, user_id, name, TEAM_DUEL)
        key = f"{mine.team_id}:{theirs.team_id}"
        for team in sorted((mine, theirs), key=lambda t: t.team_id):  # one order: no deadlock
            await self._lock(scope, team, DUEL_LOBBY, key)
        enemies = await self.teams.enemies_in(scope, mine.team_id, theirs.team_id)
        state = {
            "kind": "duel", "teams": [mine.team_id, theirs.team_id],
            "team_names": [mine.name, theirs.name], "leaders": [user_id, target_id],
            "rosters": [[[user_id, name]], [[target_id, target]]], "enemies": enemies,
        }  # fmt: skip
        session = await scope.sessions.open(DUEL_LOBBY, key, state, lasts=LOBBY_LASTS)
        return _lobby(session, self.bosses)

    async def open_raid(self, scope: GuildScope, user_id: int, name: str, boss: TeamBoss) -> Lobby:
        """`teamboss <boss>`: a raid lobby of the caller's team (the leader joins it)."""
        if not (await scope.settings.load()).combat_enabled:
            raise CombatOff()
        team = await self._team(scope, user_id, leader=True)
        await self._raid_ready(scope, user_id, name, boss)
        key = str(team.team_id)
        await self._lock(scope, team, RAID_LOBBY, key)
        state = {
            "kind": "raid", "teams": [team.team_id], "team_names": [team.name],
            "leaders": [user_id], "rosters": [[[user_id, name]]], "boss": boss.key,
        }  # fmt: skip
        session = await scope.sessions.open(RAID_LOBBY, key, state, lasts=LOBBY_LASTS)
        return _lobby(session, self.bosses)

    async def _raid_ready(self, scope: GuildScope, user_id: int, name: str, boss: TeamBoss) -> None:
        waiting = {c.action: c.ready_at for c in await scope.cooldowns.active(user_id)}
        ready_at = waiting.get(self.action(boss))
        if ready_at is not None:
            raise RaidResting(who=name, boss=boss.name, ready_at=ready_at)
        await self._ready(scope, user_id, name, TEAM_BOSS)

    async def lobby_of(self, scope: GuildScope, user_id: int) -> tuple[Session, Lobby] | None:
        """The lobby of the member's team, if it has one open."""
        team = await self.teams.team_of(scope, user_id)
        if team is None:
            return None
        lock = await scope.sessions.get(TEAM_LOCK, str(team.team_id))
        if lock is None or "lobby" not in lock.state:
            return None
        session = await scope.sessions.get(str(lock.state["kind"]), str(lock.state["lobby"]))
        return (session, _lobby(session, self.bosses)) if session is not None else None

    async def _mine(self, scope: GuildScope, user_id: int, kind: str) -> tuple[Session, Lobby]:
        found = await self.lobby_of(scope, user_id)
        if found is None or found[1].kind != kind:
            raise NoLobby(kind=kind)
        return found

    async def join(self, scope: GuildScope, user_id: int, name: str, kind: str) -> Lobby:
        session, lobby = await self._mine(scope, user_id, kind)
        team = await self.teams.team_of(scope, user_id)
        side = lobby.teams.index(team.team_id)
        if any(u == user_id for r in lobby.rosters for u, _ in r):
            raise AlreadyInLobby()
        if len(lobby.rosters[side]) >= MAX_ROSTER:
            raise LobbyFull(most=MAX_ROSTER)
        if lobby.boss is not None:
            await self._raid_ready(scope, user_id, name, lobby.boss)
        else:
            await self._ready(scope, user_id, name, TEAM_DUEL)
        rosters = [list(map(list, r)) for r in lobby.rosters]
        rosters[side].append([user_id, name])
        session = await scope.sessions.update(session, {**session.state, "rosters": rosters})
        return _lobby(session, self.bosses)

    async def close_lobby(
        self, scope: GuildScope, user_id: int, kind: str, why: str
    ) -> LobbyClosed:
        """Decline a duel (the challenged leader; not between enemies) or call a lobby off
        (its opener): the teams are free again."""
        session, lobby = await self._mine(scope, user_id, kind)
        if why == "declined":
            if lobby.kind != "duel" or user_id != lobby.leaders[1]:
                raise NotYourLobby()
            if lobby.enemies:
                raise TeamsAreEnemies()
        elif user_id != lobby.leaders[0]:
            raise NotYourLobby()
        await scope.sessions.close(session)
        await self._free(scope, lobby.teams)
        return LobbyClosed(lobby, why)

    async def _free(self, scope: GuildScope, teams: Sequence[int]) -> None:
        for team_id in teams:
            lock = await scope.sessions.get(TEAM_LOCK, str(team_id))
            if lock is not None:
                await scope.sessions.close(lock)

    async def start(self, scope: GuildScope, user_id: int, kind: str) -> Step:
        """Start the lobby's fight: a duel by the challenged leader's accept (or by the
        challenger, between enemies), a raid by its leader."""
        session, lobby = await self._mine(scope, user_id, kind)
        if lobby.kind == "duel":
            if user_id != lobby.leaders[1] and not (lobby.enemies and user_id == lobby.leaders[0]):
                raise WaitForConsent() if user_id == lobby.leaders[0] else NotYourLobby()
            step = await self._start_duel(scope, lobby)
        else:
            if user_id != lobby.leaders[0]:
                raise NotYourLobby()
            step = await self._start_raid(scope, lobby)
        where = shown_in(session)
        await scope.sessions.close(session)
        for team_id in lobby.teams:
            lock = await scope.sessions.get(TEAM_LOCK, str(team_id))
            if lock is not None:
                await scope.sessions.update(lock, {"fight": step.fight.id})
        if where is not None:
            await self.live.attach(scope, step.fight.id, *where)
        return step

    async def _bonus(self, scope: GuildScope, team_id: int) -> int:
        return int(await self.teams.arena_bonus(scope, team_id))

    async def _start_duel(self, scope: GuildScope, lobby: Lobby) -> Step:
        a, b = lobby.rosters
        members = [*a, *b]
        sides = ["side0"] * len(a) + ["side1"] * len(b)
        order = duel_order([[str(u) for u, _ in a], [str(u) for u, _ in b]])
        extra = {
            LEADERS: {"side0": lobby.leaders[0], "side1": lobby.leaders[1]},
            "teams": list(lobby.teams), "team_names": list(lobby.team_names),
        }  # fmt: skip
        bonus = {"side0": await self._bonus(scope, lobby.teams[0]),
                 "side1": await self._bonus(scope, lobby.teams[1])}  # fmt: skip
        return await self.live.start(
            scope, TEAM_DUEL.name, list(members), sides=sides, order=order, extra=extra,
            bonus=bonus,
        )  # fmt: skip

    async def _start_raid(self, scope: GuildScope, lobby: Lobby) -> Step:
        boss = lobby.boss
        assert boss is not None
        roster = lobby.rosters[0]
        if len(roster) < MIN_RAIDERS:
            raise TooFewRaiders(count=len(roster), least=MIN_RAIDERS)
        npc = boss.fighter("side1", len(roster))
        order = raid_order([str(u) for u, _ in roster], npc.id)
        extra = {
            LEADERS: {"side0": lobby.leaders[0]}, "teams": list(lobby.teams),
            "team_names": list(lobby.team_names), "boss": boss.key,
            "raiders": [[u, n] for u, n in roster],
        }  # fmt: skip
        return await self.live.start(
            scope, TEAM_BOSS.name, list(roster), npcs=(npc,), sides=["side0"] * len(roster),
            order=order, extra=extra, bonus={"side0": await self._bonus(scope, lobby.teams[0])},
        )  # fmt: skip

    async def on_lobby_ended(self, scope: GuildScope, event: SessionEnded) -> tuple[Any, ...]:
        """A lobby nobody started: the teams are free, its card says so."""
        lobby = _lobby(event.session, self.bosses)
        await self._free(scope, lobby.teams)
        where = shown_in(event.session)
        if where is None:
            return ()
        what = "team duel challenge" if lobby.kind == "duel" else "raid"
        return (
            MessageNotice(where[0], where[1], f"⌛ This {what} was never started: it expired."),
        )

    async def attach(
        self, scope: GuildScope, lobby: Lobby, channel_id: int, message_id: int
    ) -> bool:
        kind = DUEL_LOBBY if lobby.kind == "duel" else RAID_LOBBY
        return await scope.sessions.attach(kind, lobby.key, channel_id, message_id)

    # --- settlements ---------------------------------------------------------------------------

    async def settle_duel(
        self, scope: GuildScope, fight: Fight, ended: MatchEnded, extra: dict[str, Any]
    ) -> tuple[Any, ...]:
        teams = [int(t) for t in extra.get("teams", [])]
        names = tuple(str(n) for n in extra.get("team_names", ["?", "?"]))
        await self._free(scope, teams)
        forfeit = ended.reason in FORFEITS
        for i, team_id in enumerate(teams):
            outcome = outcome_of(f"side{i}", ended)
            said = (
                {"win": "forfeit_win", "loss": "forfeit"}.get(outcome, outcome)
                if forfeit
                else outcome
            )
            await self.teams.record_team_duel(scope, team_id, said)
        winner = None if ended.winner is None else int(ended.winner.removeprefix("side"))
        return (TeamDuelResult((names[0], names[1]), winner, forfeit),)

    async def settle_raid(
        self, scope: GuildScope, fight: Fight, ended: MatchEnded, extra: dict[str, Any]
    ) -> tuple[Any, ...]:
        teams = [int(t) for t in extra.get("teams", [])]
        await self._free(scope, teams)
        boss = self.bosses.get(str(extra.get("boss", "")))
        if boss is None or not teams:
            return ()
        team_name = str((extra.get("team_names") or ["?"])[0])
        outcome = outcome_of("side0", ended)
        if outcome != "win":
            how = "defeat" if outcome == "loss" and ended.reason not in FORFEITS else "retreat"
            await self.teams.record_boss(scope, teams[0], how)
            return (RaidResult(boss, team_name, how),)
        raiders = [(int(u), str(n)) for u, n in extra.get("raiders", [])]
        paid: list[tuple[int, str]] = []
        ready_at = None
        for user_id, name in raiders:
            try:
                ready_at = await scope.cooldowns.claim(
                    user_id, self.action(boss), timedelta(hours=boss.cooldown_hours)
                )
            except OnCooldown:
                continue
            paid.append((user_id, name))
        shares = split_pot(boss.pot, len(paid))
        took = seconds_since(fight.started_at, scope.now())
        notices: list[Any] = []
        for (user_id, _), share in zip(paid, shares, strict=True):
            if share:
                await scope.wallet.credit(user_id, share, reason=REASON, ref=boss.key)
            notices += await count_result(
                scope, user_id, TEAM_BOSS.name, "win",
                add={"team_bosses_defeated": 1, wins_name(f"team_{boss.key}"): 1},
                low={fastest_name(f"team_{boss.key}"): took},
            )  # fmt: skip
        await self.teams.record_boss(scope, teams[0], "victory")
        rows = tuple((u, n, s) for (u, n), s in zip(paid, shares, strict=True))
        return (RaidResult(boss, team_name, "victory", rows, ready_at), *notices)


def team_results(notices: Sequence[Any]) -> list[TeamDuelResult | RaidResult]:
    return [n for n in notices if isinstance(n, TeamDuelResult | RaidResult)]
