"""Combat stats: a member's fighting record here (`fight stats`), the duel leaderboard
(`fight leaderboard`) and the weapon on the profile card, all read from the per-server
`counters` table (`core/tables.py`) and the inventory.

- **The record** is the counters each mode keeps when a fight is settled (`live.COUNTERS`):
  `<mode>_wins` / `_losses` / `_ties`, the current win streak `<mode>_streak` and the best
  `<mode>_best_streak`, for duels, sparring and (when they arrive) NPC training; tournaments
  count `tournament_wins` (matches won) and `tournaments_won`. A member's whole record is one
  statement (`Counters.read`). The win rate is wins over fights played (ties count as played);
  none is shown before a first fight.
- **The duel board** lists the members of this server who fought at least one duel (a win, a
  loss or a tie counted), ranked by `duel_wins`, ties broken by fewer `duel_losses`, then by
  user id. It is a per-server aggregate over `counters` (guild_id first, the three duel
  counters pivoted per member): one statement for a page (`page`), one for the number listed
  with the viewer's own row and rank (`standing`, a window function). Members who left the
  server keep their place, as on the chi board; the view names them "Former member".
- **The weapon a member fights with** (`fights_with`): the inventory's weapons joined with
  the member's choice (`combat_loadouts`) in ONE statement, for the profile card and the
  stats card; the choice itself is the service's rule (the chosen one while held, else the
  strongest held).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Subquery, and_, bindparam, case, func, select

from chibot.core.holdings import Holding
from chibot.core.items import Item
from chibot.core.scope import GuildScope
from chibot.core.tables import counters, inventory
from chibot.features.combat.live import COUNTERS
from chibot.features.combat.store import combat_loadouts

PAGE_SIZE = 10
DUEL = COUNTERS["duel"]
SPAR = COUNTERS["spar"]
TRAINING = ("training_wins", "training_losses", "training_ties")  # NPC training, when it lands
TOURNAMENT = ("tournament_wins", "tournaments_won")  # matches won, tournaments won
STREAKS = ("duel_streak", "duel_best_streak", "spar_streak", "spar_best_streak")
NAMES = (*DUEL, *SPAR, *TRAINING, *TOURNAMENT, *STREAKS)


@dataclass(frozen=True, slots=True)
class Record:
    """Wins, losses and ties of one mode."""

    wins: int = 0
    losses: int = 0
    ties: int = 0

    @property
    def played(self) -> int:
        return self.wins + self.losses + self.ties

    @property
    def win_rate(self) -> float | None:
        """Wins over fights played (0.0 to 1.0), None before a first fight."""
        return self.wins / self.played if self.played else None

    @classmethod
    def of(cls, values: dict[str, int], names: tuple[str, str, str]) -> Record:
        return cls(*(values.get(n, 0) for n in names))


@dataclass(frozen=True, slots=True)
class Weapon:
    """The weapon a member fights with, at its upgrade level."""

    item: Item
    level: int

    @property
    def text(self) -> str:
        return f"{self.item.emoji} {self.item.name} +{self.level}"


@dataclass(frozen=True, slots=True)
class CombatStats:
    user_id: int
    duel: Record
    duel_streak: int
    duel_best_streak: int
    spar: Record
    spar_best_streak: int
    training: Record
    tournament_wins: int  # tournament matches won
    tournaments_won: int
    weapon: Weapon | None

    @property
    def fought(self) -> bool:
        """Whether the member has any result counted here."""
        return bool(
            self.duel.played or self.spar.played or self.training.played or self.tournament_wins
            or self.tournaments_won
        )  # fmt: skip

    @classmethod
    def of(cls, user_id: int, values: dict[str, int], weapon: Weapon | None) -> CombatStats:
        return cls(
            user_id,
            Record.of(values, DUEL),
            values.get("duel_streak", 0),
            values.get("duel_best_streak", 0),
            Record.of(values, SPAR),
            values.get("spar_best_streak", 0),
            Record.of(values, TRAINING),
            values.get("tournament_wins", 0),
            values.get("tournaments_won", 0),
            weapon,
        )


@dataclass(frozen=True, slots=True)
class DuelRow:
    rank: int
    user_id: int
    wins: int
    losses: int
    ties: int


@dataclass(frozen=True, slots=True)
class DuelBoard:
    page: int
    pages: int
    total: int  # members listed
    rows: list[DuelRow]
    viewer: DuelRow | None  # the viewer's own row with rank (None: no duel counted)


def page_count(total: int, per_page: int = PAGE_SIZE) -> int:
    return max(1, -(-total // per_page))


def clamp_page(page: int, total: int, per_page: int = PAGE_SIZE) -> int:
    return min(max(1, page), page_count(total, per_page))


# --- queries --------------------------------------------------------------------------------


def _board(guild_id: int) -> Subquery:
    """The duel board of one server: one row per member with a duel counted (wins, losses,
    ties pivoted from their counters), as a subquery."""
    c = counters.c
    wins, losses, ties = DUEL

    def pick(name: str) -> Any:
        return func.coalesce(func.sum(case((c.name == name, c.value), else_=0)), 0)

    return (
        select(
            c.user_id,
            pick(wins).label("wins"),
            pick(losses).label("losses"),
            pick(ties).label("ties"),
        )
        .where((c.guild_id == guild_id) & c.name.in_(DUEL))
        .group_by(c.user_id)
        .having(func.sum(c.value) > 0)
        .subquery("board")
    )


def _order(board: Subquery) -> tuple[Any, ...]:
    return (board.c.wins.desc(), board.c.losses.asc(), board.c.user_id.asc())


async def standing(scope: GuildScope, viewer_id: int) -> tuple[int, DuelRow | None]:
    """How many members the board lists, and the viewer's own row with rank: one statement."""
    board = _board(scope.guild_id)
    ranked = select(
        board.c.user_id,
        board.c.wins,
        board.c.losses,
        board.c.ties,
        func.row_number().over(order_by=_order(board)).label("rank"),
    ).subquery("ranked")
    total = select(func.count().label("n")).select_from(board).subquery("total")
    row = (
        await scope.conn.execute(
            select(total.c.n, ranked.c.rank, ranked.c.wins, ranked.c.losses, ranked.c.ties)
            .select_from(total.outerjoin(ranked, ranked.c.user_id == viewer_id))
        )
    ).one()  # fmt: skip
    mine = (
        DuelRow(int(row.rank), viewer_id, int(row.wins), int(row.losses), int(row.ties))
        if row.rank is not None
        else None
    )
    return int(row.n), mine


async def page(scope: GuildScope, number: int, per_page: int = PAGE_SIZE) -> list[DuelRow]:
    """Page `number` of the board (1-based): one statement."""
    board = _board(scope.guild_id)
    start = (number - 1) * per_page
    rows = await scope.conn.execute(
        select(board).order_by(*_order(board)).limit(per_page).offset(start)
    )
    return [
        DuelRow(start + i + 1, int(r.user_id), int(r.wins), int(r.losses), int(r.ties))
        for i, r in enumerate(rows)
    ]


def _fights_with() -> Any:
    """`fights_with`'s statement, built once (it is on the profile card's path)."""
    i, lo = inventory.c, combat_loadouts.c
    return (
        select(i.item_id, i.qty, i.level, lo.weapon)
        .select_from(
            inventory.outerjoin(
                combat_loadouts, and_(lo.guild_id == i.guild_id, lo.user_id == i.user_id)
            )
        )
        .where(
            (i.guild_id == bindparam("g"))
            & (i.user_id == bindparam("u"))
            & (i.qty > 0)
            & i.item_id.in_(bindparam("ids", expanding=True))
        )
    )


_FIGHTS_WITH = _fights_with()


async def fights_with(
    scope: GuildScope, user_id: int, weapons: Iterable[str]
) -> tuple[dict[str, Holding], str | None]:
    """The weapons the member holds (by item id) and the one they chose (`equip`, or None),
    in ONE statement: the inventory's weapon rows, each with the member's choice (a left
    join on `combat_loadouts`). A member who holds no weapon gets ({}, None): a choice
    matters only while its weapon is held."""
    ids = list(weapons)
    if not ids:
        return {}, None
    rows = await scope.conn.execute(_FIGHTS_WITH, {"g": scope.guild_id, "u": user_id, "ids": ids})
    held: dict[str, Holding] = {}
    chosen: str | None = None
    for r in rows:
        held[r.item_id] = Holding(r.item_id, int(r.qty), int(r.level))
        chosen = r.weapon
    return held, chosen


# --- the boss boards (`boss board`) -------------------------------------------------------------

BOSS_KILLS = ("bosses_defeated", "team_bosses_defeated")  # solo and team bosses beaten
RIFT_DAMAGE = ("rift_damage",)


@dataclass(frozen=True, slots=True)
class BoardRow:
    rank: int
    user_id: int
    value: int


@dataclass(frozen=True, slots=True)
class CounterBoard:
    """A page of a board ranking members by the sum of some counters (or a best time,
    lowest first), with the viewer's own row."""

    kind: str
    page: int
    pages: int
    total: int
    rows: list[BoardRow]
    viewer: BoardRow | None


def _counter_board(guild_id: int, names: tuple[str, ...]) -> Subquery:
    c = counters.c
    return (
        select(c.user_id, func.sum(c.value).label("value"))
        .where((c.guild_id == guild_id) & c.name.in_(names))
        .group_by(c.user_id)
        .having(func.sum(c.value) > 0)
        .subquery("board")
    )


async def counter_board(
    scope: GuildScope, kind: str, names: tuple[str, ...], viewer_id: int, number: int,
    *, ascending: bool = False, per_page: int = PAGE_SIZE,
) -> CounterBoard:  # fmt: skip
    """Members with a positive total of `names`, most first (`ascending`: a best time, least
    first), ties by user id: two statements (the count and the viewer's rank, the page)."""
    board = _counter_board(scope.guild_id, names)
    order = (board.c.value.asc() if ascending else board.c.value.desc(), board.c.user_id.asc())
    ranked = select(
        board.c.user_id, board.c.value, func.row_number().over(order_by=order).label("rank")
    ).subquery("ranked")
    total = select(func.count().label("n")).select_from(board).subquery("total")
    row = (
        await scope.conn.execute(
            select(total.c.n, ranked.c.rank, ranked.c.value)
            .select_from(total.outerjoin(ranked, ranked.c.user_id == viewer_id))
        )
    ).one()  # fmt: skip
    viewer = BoardRow(int(row.rank), viewer_id, int(row.value)) if row.rank is not None else None
    count = int(row.n)
    pages = page_count(count)
    number = clamp_page(number, count)
    start = (number - 1) * per_page
    rows: Any = (
        await scope.conn.execute(select(board).order_by(*order).limit(per_page).offset(start))
        if count
        else []
    )
    listed = [BoardRow(start + i + 1, int(r.user_id), int(r.value)) for i, r in enumerate(rows)]
    return CounterBoard(kind, number, pages, count, listed, viewer)


__all__ = [
    "NAMES",
    "CombatStats",
    "DuelBoard",
    "DuelRow",
    "Record",
    "Weapon",
    "fights_with",
    "page",
    "standing",
]
