"""Progress use cases: levels, item upgrades, milestones, achievements, stats, cooldowns.

Each public method other than `check` and `values` is one transaction (`Database.scoped`)
and returns a plain result for the cog to render. `check` is called by other systems inside
their own transaction, right after the action that may have moved a counter, so an
achievement unlocks with the real action, is paid once, and is returned for the cog to
announce; `check_now` runs it in a transaction of its own.

Decisions:
- **Achievements** are paid once per member per server: the unlock row is inserted with
  `ON CONFLICT DO NOTHING ... RETURNING`, and only the transaction whose insert returned a row
  credits the reward (earned chi: it counts toward the level, as a reward for play).
  `achievements` runs `check` too, so an achievement reached by a path that did not check is
  granted the next time the member looks.
- **Milestone rewards are not earned chi** (`earned=False`): they do not raise lifetime chi,
  so a reward can never complete another milestone (no cascade) nor raise the level. Claims
  are one insert per milestone with `ON CONFLICT DO NOTHING`, so simultaneous claims pay each
  milestone exactly once; a claim that finds nothing new is refused and writes nothing.
- **Upgrades** need the item in the inventory (not the chest), cost
  `upgrade_cost(scaled price, level)` where the price is the chi-shop base price times the
  server's `shop_price_multiplier` (read from the database inside the transaction, not from
  the cache), and raise the level by compare-and-set: a concurrent upgrade of the same item
  makes the loser fail (and roll back its debit), so every level is paid exactly once and a
  level is never skipped. Items without a chi-shop price cannot be upgraded. (SQLite queues
  simultaneous upgrades, so each sees the last; on PostgreSQL the losers of a race are told
  "try again" and pay nothing.)
- **Early bird** reads the member's place by record creation, counted no further than the
  threshold (10), so a check stays cheap in a large server.
- The member row is read through this feature's own store (`ProgressStore.member`), not the
  economy's: a feature calls another's service, never its store.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.errors import NotEnoughChi
from chibot.core.events import Changes, MemberActed, ProfileFact, ProfileRequested
from chibot.core.items import Item
from chibot.core.members import MemberRow
from chibot.core.scope import GuildScope
from chibot.features.progress import rules
from chibot.features.progress.content import (
    Achievement,
    AchievementsFile,
    Category,
    Milestone,
    MilestonesFile,
)
from chibot.features.progress.errors import (
    FullyUpgraded,
    NotHeld,
    NothingToClaim,
    NotUpgradable,
    UnknownCategory,
    UnknownItem,
    UpgradeConflict,
    UpgradeTooExpensive,
)
from chibot.features.progress.store import ProgressStore

# Counters read from the member row rather than the counters table.
MEMBER_FIELDS = ("lifetime_chi", "secret_words")
CHAT_COOLDOWN = "chat"  # how the chat cooldown (on the member row) is listed by `cooldowns`
CHAT_CAP = "chat_cap"  # the hourly chat cap, once reached (`ready_at`: when the hour ends)
CHAT_HOUR = timedelta(hours=1)  # the chat award's window (economy's store)


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LevelInfo:
    user_id: int
    card: rules.LevelCard
    permanent_hp: int
    max_hp: int


@dataclass(frozen=True, slots=True)
class UpgradeResult:
    item: Item
    old_level: int
    new_level: int
    cost: int
    balance: int
    bonus_pct: int  # the item's damage bonus at its new level
    next_cost: int | None  # None: fully upgraded now
    achievements: list[Achievement]


@dataclass(frozen=True, slots=True)
class MilestoneBoard:
    user_id: int
    lifetime_chi: int
    rows: list[rules.MilestoneRow]

    @property
    def claimable(self) -> list[Milestone]:
        return [r.milestone for r in self.rows if r.state == "claimable"]

    @property
    def claimed_count(self) -> int:
        return sum(1 for r in self.rows if r.state == "claimed")


@dataclass(frozen=True, slots=True)
class ClaimResult:
    claimed: list[Milestone]
    total: int
    balance: int
    board: MilestoneBoard
    achievements: list[Achievement]


@dataclass(frozen=True, slots=True)
class AchievementBoard:
    user_id: int
    rows: list[rules.AchievementRow]
    categories: list[Category]
    category: Category | None  # the one asked for, or None for all
    unlocked_count: int  # over every category
    total: int
    chi_earned: int  # from achievement rewards (the ledger)
    member_number: int | None  # place among the server's first members (early bird)
    new: list[Achievement]  # unlocked by this very look


@dataclass(frozen=True, slots=True)
class StatsInfo:
    user_id: int
    member: MemberRow | None
    summary: rules.StatsSummary
    counters: dict[str, int]
    achievements: int
    milestones: int


@dataclass(frozen=True, slots=True)
class ActiveCooldown:
    action: str
    ready_at: datetime
    earned: int | None = None  # the hourly chat cap (`CHAT_CAP`): chi earned this hour
    cap: int | None = None  # and the cap itself


# --- the service --------------------------------------------------------------------------


class ProgressService:
    def __init__(self, db: Database, catalog: Catalog) -> None:
        self.db = db
        self.catalog = catalog

    @property
    def achievements(self) -> AchievementsFile:
        return self.catalog.files["achievements"]  # type: ignore[return-value]

    @property
    def milestones(self) -> MilestonesFile:
        return self.catalog.files["milestones"]  # type: ignore[return-value]

    # --- listeners (subscribed in the manifest) -------------------------------------------

    @functools.cached_property
    def _thresholds(self) -> dict[str, tuple[int, ...]]:
        """Counter -> the sorted `at` values of the achievements that read it."""
        found: dict[str, set[int]] = {}
        for a in self.achievements.achievement:
            if a.at:
                found.setdefault(a.counter, set()).add(a.at)
        return {counter: tuple(sorted(values)) for counter, values in found.items()}

    def worth_a_check(self, changes: Changes | None) -> bool:
        """Whether a fact's changes can have made an achievement due: unknown changes always;
        a counter moved by an unknown amount if any achievement reads it; otherwise only when a
        threshold was crossed (so an ordinary chat award costs no query at all)."""
        if changes is None:
            return True
        for counter, moved in changes.items():
            thresholds = self._thresholds.get(counter)
            if not thresholds:
                continue
            if moved is None or rules.crossed(moved[0], moved[1], thresholds):
                return True
        return False

    async def on_member_acted(self, scope: GuildScope, event: MemberActed) -> list[Achievement]:
        """Every fact about a member doing something: unlock and pay what is due, in the
        fact's own transaction; the unlocked achievements are the notices to announce."""
        if not self.worth_a_check(event.changes):
            return []
        return await self.check(scope, event.user_id)

    async def on_profile(self, scope: GuildScope, event: ProfileRequested) -> list[ProfileFact]:
        """This system's part of a member's card: level, max HP and achievements n / total."""
        permanent, unlocked = await scope.get(ProgressStore).profile_numbers(event.user_id)
        level = rules.level_for(event.lifetime_chi)
        return [
            ProfileFact("level", level),
            ProfileFact("next_level_at", rules.chi_for_level(level + 1)),
            ProfileFact("max_level", rules.MAX_LEVEL),
            ProfileFact("max_hp", rules.max_hp(permanent)),
            ProfileFact("achievements", unlocked),
            ProfileFact("achievements_total", len(self.achievements.achievement)),
        ]

    # --- HP rules other systems show (the shop's HP upgrades, item levels) -------------------

    max_permanent_hp = rules.MAX_PERMANENT_HP

    @staticmethod
    def max_hp(permanent_hp: int) -> int:
        return rules.max_hp(permanent_hp)

    @staticmethod
    def damage_bonus_pct(level: int) -> int:
        return rules.damage_bonus_pct(level)

    # --- achievements engine ----------------------------------------------------------------

    async def values(self, scope: GuildScope, user_id: int) -> dict[str, int]:
        """Every counter an achievement may read, for one member."""
        values = await scope.counters.all(user_id)
        member = await scope.members.row(user_id)
        if member is not None:
            values["lifetime_chi"] = member.lifetime_chi
            values["secret_words"] = member.secret_words
        values["max_hp"] = rules.max_hp(values.get("permanent_hp", 0))
        return values

    async def unlocked(self, scope: GuildScope, user_id: int) -> dict[str, datetime]:
        """The member's unlocked achievements (id -> when), for other systems' views."""
        return await scope.get(ProgressStore).unlocked(user_id)

    async def _evaluate(
        self, scope: GuildScope, user_id: int, *, always: bool = False
    ) -> tuple[list[Achievement], dict[str, datetime], dict[str, int]]:
        """Unlock and pay what is due; returns (new, unlocked after, values). With `always`,
        the values are read even when nothing is pending (the board shows them)."""
        store = scope.get(ProgressStore)
        unlocked = await store.unlocked(user_id)
        pending = [a for a in self.achievements.achievement if a.id not in unlocked]
        if not pending and not always:
            return [], unlocked, {}
        values = await self.values(scope, user_id)
        # `member_number` only matters to achievements like early bird (`at_most`): count
        # no further than the largest such threshold.
        limits = [a.at_most for a in pending if a.counter == "member_number" and a.at_most]
        if limits:
            number = await store.member_number(user_id, up_to=max(limits))
            if number is not None:
                values["member_number"] = number
        new = []
        for achievement in rules.due(pending, unlocked, values):
            if await store.unlock(user_id, achievement.id):
                if achievement.reward:
                    await scope.wallet.credit(
                        user_id, achievement.reward, reason="achievement", ref=achievement.id
                    )
                unlocked[achievement.id] = scope.now()
                new.append(achievement)
        return new, unlocked, values

    async def check(self, scope: GuildScope, user_id: int) -> list[Achievement]:
        """Unlock and pay every achievement the member has reached; returns the new ones."""
        new, _, _ = await self._evaluate(scope, user_id)
        return new

    async def check_now(self, guild_id: int, user_id: int) -> list[Achievement]:
        """`check` in a transaction of its own (after the chat path, which is kept lean)."""
        return await self.db.scoped(guild_id, self.check, user_id)

    # --- level ----------------------------------------------------------------------------

    async def level(self, guild_id: int, user_id: int) -> LevelInfo:
        async def tx(scope: GuildScope) -> LevelInfo:
            return await self.level_in(scope, user_id)

        return await self.db.read(guild_id, tx)

    async def level_in(self, scope: GuildScope, user_id: int) -> LevelInfo:
        """The member's level card and max HP, inside the caller's transaction (combat builds
        its fighters with it)."""
        money = await scope.wallet.get(user_id)
        permanent = await scope.counters.get(user_id, "permanent_hp")
        return LevelInfo(
            user_id, rules.level_card(money.lifetime_chi), permanent, rules.max_hp(permanent)
        )

    # --- upgrades -------------------------------------------------------------------------

    def _upgradable(self, text: str) -> Item:
        item = self.catalog.items.find(text)
        if item is None:
            raise UnknownItem(text=text)
        if not item.upgradable or item.buy is None or item.buy.shop != "chi":
            raise NotUpgradable(item=item.name)
        return item

    async def upgrade(self, guild_id: int, user_id: int, text: str) -> UpgradeResult:
        """Raise a held item's level by one, paying its upgrade price (one transaction)."""
        item = self._upgradable(text)
        assert item.buy is not None
        buy = item.buy

        async def tx(scope: GuildScope) -> UpgradeResult:
            held = await scope.inventory.get(user_id, item.id)
            if held is None or held.qty <= 0:
                raise NotHeld(item.name, in_chest=await scope.chest.qty(user_id, item.id) > 0)
            old = held.level
            if old >= item.max_level:
                raise FullyUpgraded(item=item.name, max_level=item.max_level)
            settings = await scope.settings.load()
            price = rules.scaled_price(buy.price, settings.shop_price_multiplier)
            cost = rules.upgrade_cost(price, old)
            try:
                balance = await scope.wallet.debit(
                    user_id, cost, reason="progress.upgrade", ref=item.id
                )
            except NotEnoughChi as error:
                raise UpgradeTooExpensive(item.name, old + 1, cost, error.have) from None
            if not await scope.inventory.set_level(user_id, item.id, expect=old, level=old + 1):
                raise UpgradeConflict(item=item.name)
            await scope.counters.bump(user_id, "upgrades")
            new = await self.check(scope, user_id)
            return UpgradeResult(
                item,
                old,
                old + 1,
                cost,
                balance,
                rules.damage_bonus_pct(old + 1),
                rules.next_upgrade_cost(price, old + 1, item.max_level),
                new,
            )

        return await self.db.scoped(guild_id, tx)

    async def upgrade_choices(
        self, guild_id: int, user_id: int, current: str
    ) -> list[tuple[Item, int]]:
        """The member's upgradable inventory items matching `current` (autocomplete), with
        their levels."""

        async def tx(scope: GuildScope) -> list[tuple[str, int]]:
            return [(h.item_id, h.level) for h in await scope.inventory.all(user_id)]

        held = await self.db.scoped(guild_id, tx)
        levels: dict[str, int] = {}
        for item_id, level in held:
            item = self.catalog.items.by_id.get(item_id)
            if (
                item is not None
                and item.upgradable
                and item.buy is not None
                and item.buy.shop == "chi"
            ):
                levels[item.id] = level
        pool = [self.catalog.items.get(i) for i in levels]
        found = self.catalog.items.search(current, pool) if current.strip() else pool[:25]
        return [(item, levels[item.id]) for item in found]

    # --- milestones -----------------------------------------------------------------------

    async def _board(self, scope: GuildScope, user_id: int) -> MilestoneBoard:
        lifetime = (await scope.wallet.get(user_id)).lifetime_chi
        claimed = await scope.get(ProgressStore).claimed(user_id)
        return MilestoneBoard(
            user_id, lifetime, rules.milestone_rows(self.milestones.milestone, claimed, lifetime)
        )

    async def milestone_board(self, guild_id: int, user_id: int) -> MilestoneBoard:
        return await self.db.scoped(guild_id, self._board, user_id)

    async def claim_milestones(self, guild_id: int, user_id: int) -> ClaimResult:
        """Claim every reached, unclaimed milestone at once; refuses when there is none."""

        async def tx(scope: GuildScope) -> ClaimResult:
            store = scope.get(ProgressStore)
            money = await scope.wallet.get(user_id)
            claimed = await store.claimed(user_id)
            paid: list[Milestone] = []
            balance = money.chi
            for milestone in rules.claimable(
                self.milestones.milestone, claimed, money.lifetime_chi
            ):
                if await store.claim(user_id, milestone.id):
                    balance = await scope.wallet.credit(
                        user_id,
                        milestone.reward,
                        reason="milestone",
                        ref=milestone.id,
                        earned=False,
                    )
                    paid.append(milestone)
            if not paid:
                after = await store.claimed(user_id)
                upcoming = [m for m in self.milestones.milestone if m.id not in after]
                nxt = upcoming[0] if upcoming else None
                raise NothingToClaim(
                    nxt.name if nxt else None, nxt.lifetime_chi - money.lifetime_chi if nxt else 0
                )
            new = await self.check(scope, user_id)
            board = await self._board(scope, user_id)
            return ClaimResult(paid, sum(m.reward for m in paid), balance, board, new)

        return await self.db.scoped(guild_id, tx)

    # --- achievements board ---------------------------------------------------------------

    def category(self, text: str | None) -> Category | None:
        """The category asked for (None for all); refuses an unknown one with the list."""
        if text is None or not text.strip():
            return None
        categories = list(self.achievements.category)
        found = rules.find_category(categories, text)
        if found is None:
            raise UnknownCategory(text, [c.id for c in categories])
        return found

    async def achievement_board(
        self, guild_id: int, user_id: int, category: str | None = None
    ) -> AchievementBoard:
        """The member's achievements (optionally one category). Checks first, so anything
        reached by a path that did not check is granted now (`new`)."""
        chosen = self.category(category)

        async def tx(scope: GuildScope) -> AchievementBoard:
            new, unlocked, values = await self._evaluate(scope, user_id, always=True)
            everything = self.achievements
            rows = rules.achievement_rows(
                everything.achievement,
                everything.category,
                unlocked,
                values,
                self.catalog.installed,
                chosen.id if chosen else None,
            )
            known = {a.id for a in everything.achievement}
            earned = await scope.get(ProgressStore).ledger_sum(user_id, "achievement")
            return AchievementBoard(
                user_id,
                rows,
                list(everything.category),
                chosen,
                sum(1 for a in unlocked if a in known),
                len(everything.achievement),
                earned,
                values.get("member_number"),
                new,
            )

        return await self.db.scoped(guild_id, tx)

    # --- stats ----------------------------------------------------------------------------

    async def stats(self, guild_id: int, user_id: int) -> StatsInfo:
        async def tx(scope: GuildScope) -> StatsInfo:
            store = scope.get(ProgressStore)
            member = await scope.members.row(user_id)
            summary = rules.summarize(await store.ledger_totals(user_id))
            counters = await scope.counters.all(user_id)
            unlocked = await store.unlocked(user_id)
            claimed = await store.claimed(user_id)
            return StatsInfo(user_id, member, summary, counters, len(unlocked), len(claimed))

        return await self.db.read(guild_id, tx)

    # --- cooldowns ------------------------------------------------------------------------

    async def cooldowns(self, guild_id: int, user_id: int) -> list[ActiveCooldown]:
        """Every cooldown still running for the member here, soonest first, the chat
        cooldown (kept on the member row) included."""

        async def tx(scope: GuildScope) -> list[ActiveCooldown]:
            found = [
                ActiveCooldown(c.action, c.ready_at) for c in await scope.cooldowns.active(user_id)
            ]
            member = await scope.members.row(user_id)
            if member is not None and member.chat_ready_at > scope.now():
                found.append(ActiveCooldown(CHAT_COOLDOWN, member.chat_ready_at))
            window = await scope.get(ProgressStore).chat_window(user_id)
            if window is not None and window[0] + CHAT_HOUR > scope.now():
                settings = await scope.settings.load()
                cap, smallest = settings.chat_hourly_cap, max(1, settings.chat_positive_min)
                if window[1] + smallest > cap:  # no positive message fits any more this hour
                    found.append(ActiveCooldown(CHAT_CAP, window[0] + CHAT_HOUR, window[1], cap))
            return sorted(found, key=lambda c: (c.ready_at, c.action))

        return await self.db.read(guild_id, tx)
