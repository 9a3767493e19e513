"""Economy use cases. Each public method is one transaction and returns a plain result.

The chat path is the bot's hottest: a message without a listed word never reaches the
database, nor VADER (`judge.py`: messages are judged as a whole); one that earns or costs chi
costs one conditional UPDATE and one ledger INSERT (one statement on PostgreSQL), which also
return the new lifetime total.

Achievements and other systems (decisions): the economy imports no other system. It publishes
facts inside its transactions (`events.py`: `ChatAwarded`, `DailyClaimed`, `Reborn`); progress
hears them and unlocks and pays achievements in the same transaction, and what it returns (the
unlocked achievements) is carried in the result for the Discord layer to announce. When a
listener paid something, the balance in the result is read again.
- Chat keeps its hot path lean: an ordinary award publishes `ChatAwarded` with what moved
  (lifetime chi before and after), so the listener runs no query unless a threshold was
  crossed (Chi Millionaire) or a secret word was found (Secrets Unveiled); the member's first
  record says "everything moved" (Early Bird: the first ten members).
- `daily` says what moved too (its four counters and lifetime chi, before and after), so an
  ordinary day runs no achievement query; a member's first daily says "everything moved"
  (Early Bird for a member whose record a gift created).
- Reads (`profile`, `leaderboard`) run through `Database.read`: on SQLite they never wait
  for a writer.
- `give` publishes nothing: a gift moves no counter that an achievement reads (given chi is not
  earned chi, given rebirths are not rebirths done), and being given chi is not playing, so a
  receiver whose record the gift created gets Early Bird at their own next action.
- Admin grants (`chiadd`, `arebirth`) publish nothing: achievements come from the real action
  (an admin rebirth does not bump `rebirths_done`).
- The profile card asks the other systems for their part (`ProfileRequested`: level, max HP,
  achievements), in its own transaction.

Rebirth (decisions): exactly the server's `rebirth_threshold` becomes ONE rebirth; only a
balance at or above it can rebirth (so debt never becomes rebirths); nothing else is reset.
The threshold is read inside the transaction from the database, not from the settings cache,
so a change made in another process applies at once. The debit is the wallet's conditional
UPDATE (`chi >= threshold`), so simultaneous rebirths of a member holding exactly the
threshold give exactly one rebirth on both backends. The confirm button carries the threshold
it showed; if the server changed it meanwhile, the rebirth is refused rather than charging a
price the member did not see.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from chibot.core.catalog import Catalog
from chibot.core.currency import CHI, REBIRTHS, Currency
from chibot.core.db import Database
from chibot.core.errors import NotEnoughChi
from chibot.core.events import Notices, ProfileFact, ProfileRequested
from chibot.core.ids import new_id
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.core.settings import SettingsService
from chibot.core.wallet import check_amount
from chibot.features.economy import rules
from chibot.features.economy.content import WordsFile
from chibot.features.economy.errors import (
    CannotReceive,
    DailyOff,
    GiveToBot,
    GiveToSelf,
    RebirthRefused,
    RemoveTooMuch,
    ThresholdChanged,
    UnknownBoard,
)
from chibot.features.economy.events import ChatAwarded, DailyClaimed, Reborn
from chibot.features.economy.judge import ChatJudge
from chibot.features.economy.ranks import RankSnapshots
from chibot.features.economy.settings import EconomySettings
from chibot.features.economy.store import (
    Awarded,
    Board,
    BoardRow,
    ChatAwardArgs,
    Cursor,
    EconomyStore,
)

__all__ = ["BoardRow"]  # with the results below: views show board rows

Unlocked = Notices
_DAILY_COUNTERS = ("daily_streak", "daily_last_day", "daily_streak_best", "dailies")
Seek = Literal["page", "after", "before", "last", "mine"]
"""How a leaderboard page is found (see `EconomyService.leaderboard`)."""


def _ranked(found: list[tuple[int, int, int]], start: int) -> list[BoardRow]:
    """(user_id, chi, rebirths) rows in board order, numbered from `start`."""
    return [BoardRow(start + i, u, c, r) for i, (u, c, r) in enumerate(found)]


"""What other systems unlocked with the action (achievements...), to announce."""


@dataclass(frozen=True, slots=True)
class ChatResult:
    kind: rules.Kind
    word: str
    delta: int
    balance: int
    lifetime_chi: int = 0
    achievements: Unlocked = ()  # unlocked by this message (announce them)


@dataclass(frozen=True, slots=True)
class Profile:
    user_id: int
    chi: int
    rebirths: int
    lifetime_chi: int
    level: int
    next_level_at: int
    rank: int | None
    members: int
    positive_messages: int
    negative_messages: int
    secret_words: int
    title: str | None = None  # chosen with the shop's Exclusive Title (raw: escape to show)
    max_hp: int = 0  # the facts below come from other systems (ProfileRequested)
    achievements: int = 0  # unlocked
    achievements_total: int = 0
    max_level: int = 0
    daily_streak: int = 0  # alive today (claimed today or yesterday), else 0
    daily_streak_best: int = 0
    weapon: str | None = None  # combat's: the weapon they fight with ("🗡️ Verdant Windblade +0")


@dataclass(frozen=True, slots=True)
class LeaderboardPage:
    board: Board
    page: int
    pages: int
    rows: list[BoardRow]
    viewer: BoardRow | None  # the viewer's own row, with rank (None if they have no record)


@dataclass(frozen=True, slots=True)
class DailyResult:
    amount: int
    balance: int
    next_at: datetime
    streak: int = 1
    best_streak: int = 1
    achievements: Unlocked = ()


@dataclass(frozen=True, slots=True)
class GiveResult:
    amount: int
    currency: Currency
    sender_balance: int
    receiver_balance: int


@dataclass(frozen=True, slots=True)
class RebirthOffer:
    """What `rebirth` shows before the member confirms."""

    threshold: int
    chi: int
    rebirths: int


@dataclass(frozen=True, slots=True)
class RebirthResult:
    threshold: int  # chi spent
    chi: int  # balance afterwards (achievement rewards included)
    rebirths: int  # rebirths afterwards
    rebirths_done: int  # rebirths this member has performed here (not admin grants)
    achievements: Unlocked = ()


@dataclass(frozen=True, slots=True)
class AdminResult:
    target_id: int
    currency: Currency
    before: int
    after: int


class EconomyService:
    def __init__(self, db: Database, catalog: Catalog, rng: Rng, settings: SettingsService) -> None:
        self.db = db
        self.catalog = catalog
        self.rng = rng
        self.guild_settings = settings
        self._judges: dict[int, tuple[EconomySettings, ChatJudge]] = {}
        self.ranks = RankSnapshots(db)

    # --- settings -----------------------------------------------------------------------

    async def settings(self, guild_id: int) -> EconomySettings:
        settings: EconomySettings = await self.guild_settings.get(guild_id)  # the composed model
        return settings

    def _judge(self, guild_id: int, settings: EconomySettings) -> ChatJudge:
        """The server's chat judge (its word book read by VADER), rebuilt when its settings
        are read again."""
        cached = self._judges.get(guild_id)
        if cached is not None and cached[0] is settings:
            return cached[1]
        judge = ChatJudge(rules.word_book(self.catalog.file("words", WordsFile), settings))
        if len(self._judges) > 50_000:
            self._judges.clear()
        self._judges[guild_id] = (settings, judge)
        return judge

    # --- chat ---------------------------------------------------------------------------

    async def chat(
        self, guild_id: int, user_id: int, text: str, ref: str | None = None
    ) -> ChatResult | None:
        """Judge a message and, if it is worth something, apply it (one transaction)."""
        settings = await self.settings(guild_id)
        if not settings.chat_enabled:
            return None
        judge = self._judge(guild_id, settings)
        verdict = judge.judge(text)
        if verdict is None:
            return None
        delta = rules.roll(verdict, judge.book, settings, self.rng)
        if delta == 0:
            return None
        return await self.db.scoped(guild_id, self._chat_tx, user_id, verdict, delta, settings, ref)

    async def _chat_tx(
        self,
        scope: GuildScope,
        user_id: int,
        verdict: rules.Verdict,
        delta: int,
        settings: EconomySettings,
        ref: str | None,
    ) -> ChatResult | None:
        """The award, and the fact published with it (see the module docstring)."""
        store = scope.get(EconomyStore)
        args = ChatAwardArgs(
            now=scope.now(),
            cooldown=timedelta(seconds=settings.chat_cooldown_seconds),
            hourly_cap=settings.chat_hourly_cap,
            ledger_id=new_id(),
            ref=ref,
        )
        awarded = await store.award_chat(user_id, delta, verdict.kind.value, **args)
        first_record = False
        if awarded is None:
            awarded = await self._first_award(scope, store, user_id, verdict, delta, args)
            if awarded is None:
                return None
            first_record = True
        changes: dict[str, tuple[int, int] | None] | None = None
        if not first_record:  # the first record: everything is new (Early Bird)
            changes = {}
            if delta > 0:
                changes["lifetime_chi"] = (awarded.lifetime_chi - delta, awarded.lifetime_chi)
                if verdict.kind is rules.Kind.SECRET:
                    changes["secret_words"] = None
        fact = ChatAwarded(user_id, changes, delta=delta, kind=verdict.kind.value)
        notices = await scope.publish(fact)
        balance = (await scope.wallet.get(user_id)).chi if notices else awarded.chi
        return ChatResult(verdict.kind, verdict.word, delta, balance, awarded.lifetime_chi, notices)

    async def _first_award(
        self,
        scope: GuildScope,
        store: EconomyStore,
        user_id: int,
        verdict: rules.Verdict,
        delta: int,
        args: ChatAwardArgs,
    ) -> Awarded | None:
        """The award refused: a cooldown, the cap or the blacklist, or no record yet. Only the
        last gets a record and the award (a blacklisted stranger gets nothing either)."""
        if await store.exists(user_id):
            return None  # cooling down, capped or blacklisted
        if await scope.blacklist.is_blocked(user_id):
            return None  # no record for a blacklisted stranger either
        await scope.wallet.ensure(user_id)
        return await store.award_chat(user_id, delta, verdict.kind.value, **args)

    # --- reading ------------------------------------------------------------------------

    async def profile(self, guild_id: int, user_id: int) -> Profile:
        """The card, read-only (`Database.read`): the member row, rank and member count in
        one statement, the counters in one, and the other systems' part (`ProfileRequested`)."""

        async def tx(scope: GuildScope) -> Profile:
            store = scope.get(EconomyStore)
            snapshot = self.ranks.usable(guild_id, "chi")
            card = await store.card(user_id, counted=snapshot is None)
            if card is not None:
                self.ranks.seen(guild_id, "chi", card[2])
                if snapshot is not None:
                    card = (card[0], snapshot.ahead(card[0].chi, user_id) + 1, card[2])
            row = card[0] if card is not None else None
            asked = ProfileRequested(
                user_id, lifetime_chi=row.lifetime_chi if row is not None else 0
            )
            facts = {
                f.key: f.value for f in await scope.publish(asked) if isinstance(f, ProfileFact)
            }
            extra = {
                k: facts[k]
                for k in ("max_hp", "achievements", "achievements_total", "max_level", "weapon")
                if k in facts
            }
            level, next_level_at = facts.get("level", 0), facts.get("next_level_at", 0)
            if card is None:
                total = await scope.members.count()
                return Profile(
                    user_id, 0, 0, 0, level, next_level_at, None, total, 0, 0, 0, **extra
                )
            row, rank, total = card
            counters = await scope.counters.all(user_id)
            today = rules.utc_day(scope.now())
            return Profile(
                user_id,
                row.chi,
                row.rebirths,
                row.lifetime_chi,
                level,
                next_level_at,
                rank,
                total,
                row.positive_messages,
                row.negative_messages,
                row.secret_words,
                title=row.title,
                daily_streak=rules.current_streak(
                    counters.get("daily_last_day"), counters.get("daily_streak", 0), today
                ),
                daily_streak_best=counters.get("daily_streak_best", 0),
                **extra,
            )

        return await self.db.read(guild_id, tx)

    async def leaderboard(
        self,
        guild_id: int,
        board: Board,
        page: int,
        viewer_id: int,
        *,
        seek: Seek = "page",
        cursor: Cursor | None = None,
    ) -> LeaderboardPage:
        """One page of a board, read-only (`Database.read`). `seek` says how it is found:
        `page` by its number (a typed page: one OFFSET over the index only), `after` /
        `before` the row `cursor` (the page buttons: keyset, no OFFSET), `last` (the end of
        the board, read backwards), `mine` (the viewer's own page, seeking from their row).
        A keyset page that finds nothing (the board shrank) falls back to the last or first."""
        if board not in ("chi", "rebirths"):
            raise UnknownBoard(board=board)
        if seek not in ("page", "after", "before", "last", "mine"):
            seek = "page"
        if seek in ("after", "before") and cursor is None:
            seek = "page"

        async def tx(scope: GuildScope) -> LeaderboardPage:
            store = scope.get(EconomyStore)
            per = rules.PAGE_SIZE
            total = await store.count(board)
            pages = rules.page_count(total)
            # the viewer's own rank: from a snapshot in a big server (ranks.py), except for
            # their own page, which is placed by the exact count
            snapshot = self.ranks.usable(guild_id, board) if seek != "mine" else None
            viewer = await store.viewer(board, viewer_id, counted=snapshot is None)
            self.ranks.seen(guild_id, board, total)
            if viewer is not None and snapshot is not None:
                key = viewer.chi if board == "chi" else viewer.rebirths
                viewer = replace(viewer, rank=snapshot.ahead(key, viewer_id) + 1)
            how = seek
            if how == "mine" and viewer is None:
                how = "page"
            rows: list[BoardRow] = []
            number = page
            if how == "mine" and viewer is not None:
                first = viewer.rank - (viewer.rank - 1) % per
                mine = (viewer.chi if board == "chi" else viewer.rebirths, viewer_id)
                found = await store.seek(board, mine, viewer.rank - first, before=True)
                start = viewer.rank - len(found)
                found += await store.seek(board, mine, per - len(found), inclusive=True)
                rows = _ranked(found, start)
            elif how in ("after", "before"):
                found = await store.seek(board, cursor, per, before=how == "before")
                if found and (how == "after" or len(found) == per):
                    u, c, r = found[0]
                    start = await store.rank_of(board, (c if board == "chi" else r, u))
                    rows = _ranked(found, start)
                else:
                    how, number = ("last", page) if how == "after" else ("page", 1)
            if how == "last":
                count = total - (pages - 1) * per if total else 0
                rows = _ranked(await store.seek(board, None, count), total - count + 1)
            elif how == "page":
                rows = await store.page(board, rules.clamp_page(number, total), per)
            current = -(-rows[0].rank // per) if rows else rules.clamp_page(number, total)
            return LeaderboardPage(board, min(current, pages), pages, rows, viewer)

        return await self.db.read(guild_id, tx)

    # --- earning and moving -------------------------------------------------------------

    async def daily(self, guild_id: int, user_id: int) -> DailyResult:
        """The daily reward, once per UTC day, with the streak: counters `daily_streak`
        (consecutive UTC days claimed), `daily_last_day` (UTC day of the last claim, days since
        the epoch), `daily_streak_best` (the best) and `dailies` (claims in all); then the
        achievement check (Daily Devotee), all in one transaction. Five statements: the
        cooldown claim, the credit and its ledger row, the counters read and written (one
        statement each); the fact says what moved, so progress checks nothing unless a
        threshold was crossed (the member's first daily checks everything)."""
        settings = await self.settings(guild_id)
        if settings.daily_reward <= 0:
            raise DailyOff()

        async def tx(scope: GuildScope) -> DailyResult:
            now = scope.now()
            next_at = rules.daily_ready_at(now)
            await scope.cooldowns.claim(user_id, "daily", next_at)
            amount = settings.daily_reward
            balance, lifetime = await scope.wallet.credit_with_lifetime(
                user_id, amount, reason="daily"
            )
            counters = scope.counters
            today = rules.utc_day(now)
            old = await counters.read(user_id, _DAILY_COUNTERS)
            streak = rules.next_streak(old["daily_last_day"] or None, old["daily_streak"], today)
            # The claimed cooldown row serialises a member's dailies: these counters are
            # written by nobody else, so the new values are computed here and written at once.
            new = {
                "daily_streak": streak,
                "daily_last_day": today,
                "daily_streak_best": max(old["daily_streak_best"], streak),
                "dailies": old["dailies"] + 1,
            }
            await counters.apply(
                user_id, put={k: v for k, v in new.items() if k != "dailies"}, add={"dailies": 1}
            )
            changes: dict[str, tuple[int, int] | None] | None = None
            if old["dailies"]:  # the first daily checks everything (Early Bird...)
                changes = {name: (old[name], value) for name, value in new.items()}
                changes["lifetime_chi"] = (lifetime - amount, lifetime)
            unlocked = await scope.publish(
                DailyClaimed(user_id, changes, amount=amount, streak=streak)
            )
            if unlocked:
                balance = (await scope.wallet.get(user_id)).chi
            best = new["daily_streak_best"]
            return DailyResult(amount, balance, next_at, streak, best, unlocked)

        return await self.db.scoped(guild_id, tx)

    async def give(
        self,
        guild_id: int,
        sender_id: int,
        receiver_id: int,
        amount: int,
        *,
        receiver_is_bot: bool = False,
        currency: Currency = CHI,
    ) -> GiveResult:
        if sender_id == receiver_id:
            raise GiveToSelf()
        if receiver_is_bot:
            raise GiveToBot()
        check_amount(amount)

        async def tx(scope: GuildScope) -> GiveResult:
            if await scope.blacklist.is_blocked(receiver_id):
                raise CannotReceive()
            sent, received = await scope.wallet.transfer(
                sender_id, receiver_id, amount, reason="give", currency=currency
            )
            return GiveResult(amount, currency, sent, received)

        return await self.db.scoped(guild_id, tx)

    async def admin_adjust(
        self,
        guild_id: int,
        actor_id: int,
        target_id: int,
        amount: int,
        *,
        currency: Currency = CHI,
        remove: bool = False,
    ) -> AdminResult:
        """Admin grant or removal, audited. A removal never overdraws: it is refused if the
        member has less (negative chi comes from chat penalties only)."""
        check_amount(amount)
        action = f"admin.{'remove' if remove else 'add'}.{currency}"

        async def tx(scope: GuildScope) -> AdminResult:
            before = getattr(await scope.wallet.get(target_id), currency)
            if remove:
                if before < amount:
                    noun = "rebirths" if currency == REBIRTHS else "chi"
                    raise RemoveTooMuch(have=before, noun=noun)
                after = await scope.wallet.debit(
                    target_id, amount, reason=action, ref=str(actor_id), currency=currency
                )
            else:
                after = await scope.wallet.credit(
                    target_id,
                    amount,
                    reason=action,
                    ref=str(actor_id),
                    currency=currency,
                    earned=False,
                )
            await scope.audit.write(
                actor_id,
                action,
                target_id=target_id,
                before={currency: before},
                after={currency: after},
            )
            return AdminResult(target_id, currency, before, after)

        return await self.db.scoped(guild_id, tx)

    # --- rebirth ------------------------------------------------------------------------

    async def rebirth_offer(self, guild_id: int, user_id: int) -> RebirthOffer:
        """What a rebirth would cost the member now; `RebirthRefused` below the threshold.
        Changes nothing: the rebirth itself is `rebirth`, which checks everything again."""

        async def tx(scope: GuildScope) -> RebirthOffer:
            threshold = (await scope.settings.load()).rebirth_threshold
            money = await scope.wallet.get(user_id)
            if rules.rebirth_shortfall(money.chi, threshold):
                raise RebirthRefused(money.chi, threshold)
            return RebirthOffer(threshold, money.chi, money.rebirths)

        return await self.db.scoped(guild_id, tx)

    async def rebirth(
        self, guild_id: int, user_id: int, *, expected_threshold: int | None = None
    ) -> RebirthResult:
        """Convert exactly the threshold of chi into one rebirth, in one transaction: the
        conditional debit, the rebirth credit (each with its ledger row, reason `rebirth`),
        `rebirths_done` += 1 and the achievement check. `expected_threshold` is the price the
        member was shown: if the server changed it since, nothing happens."""

        async def tx(scope: GuildScope) -> RebirthResult:
            threshold = (await scope.settings.load()).rebirth_threshold
            if expected_threshold is not None and expected_threshold != threshold:
                raise ThresholdChanged(threshold=threshold)
            try:
                chi = await scope.wallet.debit(user_id, threshold, reason="rebirth")
            except NotEnoughChi as short:
                raise RebirthRefused(short.have, threshold) from None
            rebirths = await scope.wallet.credit(user_id, 1, reason="rebirth", currency=REBIRTHS)
            done = await scope.counters.bump(user_id, "rebirths_done")
            unlocked = await scope.publish(Reborn(user_id, rebirths_done=done))
            if unlocked:
                chi = (await scope.wallet.get(user_id)).chi
            return RebirthResult(threshold, chi, rebirths, done, unlocked)

        return await self.db.scoped(guild_id, tx)
