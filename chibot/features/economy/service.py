"""Economy use cases. Each public method is one transaction and returns a plain result.

The chat path is the bot's hottest: a message without a listed word never reaches the
database; one with a word costs one conditional UPDATE and one ledger INSERT.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.errors import InvalidAmount, NotAllowed, UserError
from chibot.core.ids import new_id
from chibot.core.rng import Rng
from chibot.core.scope import GuildScope
from chibot.core.settings import GuildSettings, SettingsService
from chibot.core.wallet import CHI, REBIRTHS, Currency, check_amount
from chibot.features.economy import rules
from chibot.features.economy.store import Board, BoardRow, EconomyStore


@dataclass(frozen=True, slots=True)
class ChatResult:
    kind: rules.Kind
    word: str
    delta: int
    balance: int


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


@dataclass(frozen=True, slots=True)
class GiveResult:
    amount: int
    currency: Currency
    sender_balance: int
    receiver_balance: int


@dataclass(frozen=True, slots=True)
class AdminResult:
    target_id: int
    currency: Currency
    before: int
    after: int


class EconomyService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        rng: Rng,
        settings: SettingsService,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.rng = rng
        self.guild_settings = settings
        self._books: dict[int, tuple[GuildSettings, rules.WordBook]] = {}

    # --- settings -----------------------------------------------------------------------

    async def settings(self, guild_id: int) -> GuildSettings:
        return await self.guild_settings.get(guild_id)

    def _book(self, guild_id: int, settings: GuildSettings) -> rules.WordBook:
        cached = self._books.get(guild_id)
        if cached is not None and cached[0] is settings:
            return cached[1]
        book = rules.word_book(self.catalog.words, settings)
        if len(self._books) > 50_000:
            self._books.clear()
        self._books[guild_id] = (settings, book)
        return book

    # --- chat ---------------------------------------------------------------------------

    async def chat(self, guild_id: int, user_id: int, text: str, ref: str | None = None) -> ChatResult | None:
        """Judge a message and, if it is worth something, apply it (one transaction)."""
        settings = await self.settings(guild_id)
        if not settings.chat_enabled:
            return None
        book = self._book(guild_id, settings)
        verdict = rules.judge(text, book)
        if verdict is None:
            return None
        delta = rules.roll(verdict, book, settings, self.rng)
        if delta == 0:
            return None
        return await self.db.scoped(guild_id, self._chat_tx, user_id, verdict, delta, settings, ref)

    async def _chat_tx(
        self,
        scope: GuildScope,
        user_id: int,
        verdict: rules.Verdict,
        delta: int,
        settings: GuildSettings,
        ref: str | None,
    ) -> ChatResult | None:
        store = scope.get(EconomyStore)
        args = dict(
            now=scope.now(),
            cooldown=timedelta(seconds=settings.chat_cooldown_seconds),
            hourly_cap=settings.chat_hourly_cap,
            ledger_id=new_id(),
            ref=ref,
        )
        balance = await store.award_chat(user_id, delta, verdict.kind.value, **args)
        if balance is None:
            if await store.member(user_id) is not None:
                return None  # cooling down, capped or blacklisted
            if await scope.blacklist.is_blocked(user_id):
                return None  # no record for a blacklisted stranger either
            await scope.wallet.ensure(user_id)
            balance = await store.award_chat(user_id, delta, verdict.kind.value, **args)
            if balance is None:
                return None
        return ChatResult(verdict.kind, verdict.word, delta, balance)

    # --- reading ------------------------------------------------------------------------

    async def profile(self, guild_id: int, user_id: int) -> Profile:
        async def tx(scope: GuildScope) -> Profile:
            store = scope.get(EconomyStore)
            row = await store.member(user_id)
            total = await store.count()
            if row is None:
                return Profile(user_id, 0, 0, 0, 0, rules.chi_for_level(1), None, total, 0, 0, 0)
            level = rules.level_for(row.lifetime_chi)
            return Profile(
                user_id, row.chi, row.rebirths, row.lifetime_chi, level,
                rules.chi_for_level(level + 1), await store.rank("chi", row), total,
                row.positive_messages, row.negative_messages, row.secret_words,
            )

        return await self.db.scoped(guild_id, tx)

    async def leaderboard(self, guild_id: int, board: Board, page: int, viewer_id: int) -> LeaderboardPage:
        if board not in ("chi", "rebirths"):
            raise UserError("Leaderboards: `chi` or `rebirths`.")

        async def tx(scope: GuildScope) -> LeaderboardPage:
            store = scope.get(EconomyStore)
            total = await store.count(board)
            current = rules.clamp_page(page, total)
            rows = await store.page(board, current, rules.PAGE_SIZE)
            viewer = None
            me = await store.member(viewer_id)
            rank = await store.rank(board, me) if me is not None else None
            if me is not None and rank is not None:
                viewer = BoardRow(rank, viewer_id, me.chi, me.rebirths)
            return LeaderboardPage(board, current, rules.page_count(total), rows, viewer)

        return await self.db.scoped(guild_id, tx)

    # --- earning and moving -------------------------------------------------------------

    async def daily(self, guild_id: int, user_id: int) -> DailyResult:
        settings = await self.settings(guild_id)
        if settings.daily_reward <= 0:
            raise UserError("Daily rewards are switched off in this server.")

        async def tx(scope: GuildScope) -> DailyResult:
            next_at = rules.daily_ready_at(scope.now())
            await scope.cooldowns.claim(user_id, "daily", next_at)
            balance = await scope.wallet.credit(user_id, settings.daily_reward, reason="daily")
            return DailyResult(settings.daily_reward, balance, next_at)

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
            raise NotAllowed("You can't give to yourself.")
        if receiver_is_bot:
            raise NotAllowed("Bots don't need chi.")
        check_amount(amount)

        async def tx(scope: GuildScope) -> GiveResult:
            if await scope.blacklist.is_blocked(receiver_id):
                raise NotAllowed("That member can't receive chi.")
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
                    raise InvalidAmount(f"They only have **{before:,}** {noun}.")
                after = await scope.wallet.debit(
                    target_id, amount, reason=action, ref=str(actor_id), currency=currency
                )
            else:
                after = await scope.wallet.credit(
                    target_id, amount, reason=action, ref=str(actor_id), currency=currency,
                    earned=False,
                )
            await scope.audit.write(
                actor_id, action, target_id=target_id, before={currency: before}, after={currency: after}
            )
            return AdminResult(target_id, currency, before, after)

        return await self.db.scoped(guild_id, tx)
