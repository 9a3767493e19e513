"""Chi and rebirth moves with their ledger rows.

Every change is one conditional statement plus a ledger row, in the caller's transaction:
- `credit` adds (creating the member row if needed);
- `debit` spends only what is there (`... WHERE chi >= :amount`), else `NotEnoughChi`;
- `penalize` may push chi below zero: the only way to negative chi (chat penalties);
- `transfer` is zero-sum; on PostgreSQL both rows are locked in user-id order first, so that
  opposite transfers cannot deadlock.

Statements (each command's budget is tested): a credit is one upsert plus its ledger row; a
debit one conditional UPDATE plus its ledger row (on PostgreSQL each is ONE statement, the
move and its ledger INSERT in a data-modifying WITH); a transfer is four: the two rows made and
(PostgreSQL) locked in user-id order by one upsert, the conditional debit, the credit, and
both ledger rows in one INSERT.

The statements are built once per shape (`_statement`, cached by dialect and currency) with
bound parameters, and executed with the values: building a data-modifying WITH and its cache
key on every call cost about 0.3 ms, a tenth of a purchase (`chibot bench commands`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, String, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from chibot.core.currency import CHI, Currency
from chibot.core.errors import AmountTooLarge, InvalidAmount, NotEnoughChi
from chibot.core.ids import new_id
from chibot.core.scope import GuildScope, Repo
from chibot.core.tables import GLOBAL_GUILD, UtcDateTime, ledger, members

_LEDGER_COLUMNS = [
    "guild_id",
    "id",
    "user_id",
    "delta",
    "currency",
    "reason",
    "ref",
    "balance_after",
    "at",
]
MAX_AMOUNT = 10**15  # far above any legitimate balance, far below BIGINT overflow

#: The member row of the statements below: bound as `g` (server) and `u` (member).
_MEMBER = (members.c.guild_id == bindparam("g")) & (members.c.user_id == bindparam("u"))
_LEDGER_INSERT = ledger.insert()
_MONEY = select(members.c.chi, members.c.rebirths, members.c.lifetime_chi).where(_MEMBER)


def _with_ledger(moved: Any) -> Any:
    """PostgreSQL: the move `moved` (a statement RETURNING the balance first) and its ledger
    row as ONE statement, `WITH moved AS (...), logged AS (INSERT INTO ledger SELECT ... FROM
    moved) SELECT * FROM moved`: no row moved, no ledger row. The ledger row's values are
    bound as `ledger_id`, `delta`, `currency`, `reason`, `ref` and `at`."""
    changed = moved.cte("moved")
    balance = list(changed.c)[0]
    row = select(
        bindparam("g", type_=BigInteger),
        bindparam("ledger_id", type_=BigInteger),
        bindparam("u", type_=BigInteger),
        bindparam("delta", type_=BigInteger),
        bindparam("currency", type_=String),
        bindparam("reason", type_=String),
        bindparam("ref", type_=String),
        balance,
        bindparam("at", type_=UtcDateTime),
    ).select_from(changed)
    logged = insert(ledger).from_select(_LEDGER_COLUMNS, row).cte("logged")
    return select(*changed.c).add_cte(logged)


@cache
def _spend(currency: str) -> Any:
    """`UPDATE members SET <currency> = <currency> - :amount WHERE <member> AND <currency> >=
    :amount RETURNING <currency>`: nothing if there is not enough."""
    column = members.c[currency]
    amount = bindparam("amount", type_=BigInteger)
    return (
        update(members)
        .where(_MEMBER & (column >= amount))
        .values({currency: column - amount})
        .returning(column)
    )


@cache
def _receive(currency: str) -> Any:
    """`UPDATE members SET <currency> = <currency> + :amount WHERE <member> RETURNING ...`."""
    column = members.c[currency]
    amount = bindparam("amount", type_=BigInteger)
    return update(members).where(_MEMBER).values({currency: column + amount}).returning(column)


@cache
def _debit(dialect: str, currency: str) -> Any:
    """`_spend` with its ledger row on PostgreSQL (one statement)."""
    return _with_ledger(_spend(currency)) if dialect == "postgresql" else _spend(currency)


@cache
def _made_both(dialect: str) -> Any:
    """Make the member rows `u0` < `u1` if missing; on PostgreSQL an upsert that takes the row
    lock of each in VALUES order, so both are locked in user-id order in one statement."""
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    made = dialect_insert(members).values(
        [
            {
                "guild_id": bindparam("g"),
                "user_id": bindparam(f"u{i}"),
                "created_at": bindparam("at"),
            }
            for i in range(2)
        ]
    )
    if dialect == "postgresql":
        return made.on_conflict_do_update(
            index_elements=[members.c.guild_id, members.c.user_id],
            set_={"chi": members.c.chi},
        )
    return made.on_conflict_do_nothing()


@cache
def _credit(dialect: str, currency: str, earned: bool) -> Any:
    """The upsert of a credit, RETURNING the balance and the lifetime chi (with its ledger row
    on PostgreSQL); `earned` chi counts toward the lifetime total too."""
    amount = bindparam("amount", type_=BigInteger)
    values: dict[str, Any] = {currency: amount}
    if currency == CHI and earned:
        values["lifetime_chi"] = amount
    dialect_insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = dialect_insert(members).values(
        guild_id=bindparam("g"), user_id=bindparam("u"), created_at=bindparam("at"), **values
    )
    sets = {name: members.c[name] + stmt.excluded[name] for name in values}
    upsert = stmt.on_conflict_do_update(
        index_elements=[members.c.guild_id, members.c.user_id], set_=sets
    ).returning(members.c[currency], members.c.lifetime_chi)
    return _with_ledger(upsert) if dialect == "postgresql" else upsert


@dataclass(frozen=True, slots=True)
class MemberMoney:
    user_id: int
    chi: int
    rebirths: int
    lifetime_chi: int


def check_amount(amount: int) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise InvalidAmount()
    if amount > MAX_AMOUNT:
        raise AmountTooLarge(MAX_AMOUNT)
    return amount


class Wallet(Repo):
    def __init__(self, scope: GuildScope) -> None:
        super().__init__(scope)
        if self.guild_id == GLOBAL_GUILD:
            raise ValueError("no wallets in the bot-wide scope (guild_id 0)")

    def _key(self, user_id: int) -> ColumnElement[bool]:
        return (members.c.guild_id == self.guild_id) & (members.c.user_id == user_id)

    async def ensure(self, *user_ids: int) -> None:
        """Create missing member rows (in id order, so concurrent callers lock alike)."""
        now = self.scope.now()
        for user_id in sorted(set(user_ids)):
            stmt = self.insert(members).values(
                guild_id=self.guild_id, user_id=user_id, created_at=now
            )
            await self.conn.execute(stmt.on_conflict_do_nothing())

    async def get(self, user_id: int) -> MemberMoney:
        row = (await self.conn.execute(_MONEY, {"g": self.guild_id, "u": user_id})).first()
        if row is None:
            return MemberMoney(user_id, 0, 0, 0)
        return MemberMoney(user_id, row.chi, row.rebirths, row.lifetime_chi)

    async def credit(
        self,
        user_id: int,
        amount: int,
        *,
        reason: str,
        ref: str | None = None,
        currency: Currency = CHI,
        earned: bool = True,
    ) -> int:
        """Add `amount`; `earned` chi also counts toward the lifetime total (the level)."""
        balance, _lifetime = await self.credit_with_lifetime(
            user_id, amount, reason=reason, ref=ref, currency=currency, earned=earned
        )
        return balance

    async def credit_with_lifetime(
        self,
        user_id: int,
        amount: int,
        *,
        reason: str,
        ref: str | None = None,
        currency: Currency = CHI,
        earned: bool = True,
    ) -> tuple[int, int]:
        """`credit`, returning (the new balance, the lifetime chi after it) from the same
        statement (so an achievement check can be skipped without reading the row)."""
        check_amount(amount)
        now = self.scope.now()
        params = self._params(user_id, amount, at=now)
        stmt = _credit(self.dialect, currency, earned)
        if self.dialect == "postgresql":
            params.update(self._ledger_params(amount, currency, reason, ref))
            row = (await self.conn.execute(stmt, params)).one()
            return int(row[0]), int(row[1])
        row = (await self.conn.execute(stmt, params)).one()
        balance = int(row[0])
        await self.record(user_id, amount, currency, reason, ref, balance)
        return balance, int(row[1])

    def _params(self, user_id: int, amount: int, **more: Any) -> dict[str, Any]:
        return {"g": self.guild_id, "u": user_id, "amount": amount, **more}

    def _ledger_params(
        self, delta: int, currency: str, reason: str, ref: str | None
    ) -> dict[str, Any]:
        """The ledger row's values of a PostgreSQL move (`_with_ledger`)."""
        return {
            "ledger_id": new_id(),
            "delta": delta,
            "currency": currency,
            "reason": reason,
            "ref": ref,
            "at": self.scope.now(),
        }

    async def debit(
        self,
        user_id: int,
        amount: int,
        *,
        reason: str,
        ref: str | None = None,
        currency: Currency = CHI,
    ) -> int:
        """Spend `amount`, never overdrawing: raises `NotEnoughChi` with the real balance."""
        check_amount(amount)
        logged = self.dialect == "postgresql"
        params = self._params(user_id, amount)
        if logged:
            params.update(self._ledger_params(-amount, currency, reason, ref))
        found = (
            await self.conn.execute(_debit(self.dialect, currency), params)
        ).scalar_one_or_none()
        if found is None:
            have = await self.get(user_id)
            raise NotEnoughChi(amount, getattr(have, currency), currency)
        balance = int(found)
        if not logged:
            await self.record(user_id, -amount, currency, reason, ref, balance)
        return balance

    async def penalize(
        self, user_id: int, amount: int, *, reason: str, ref: str | None = None
    ) -> int:
        """Take chi even below zero. Only chat penalties may do this (the game's negative chi)."""
        check_amount(amount)
        await self.ensure(user_id)
        stmt = (
            update(members)
            .where(self._key(user_id))
            .values(chi=members.c.chi - amount)
            .returning(members.c.chi)
        )
        balance = int((await self.conn.execute(stmt)).scalar_one())
        await self.record(user_id, -amount, CHI, reason, ref, balance)
        return balance

    async def transfer(
        self,
        sender: int,
        receiver: int,
        amount: int,
        *,
        reason: str,
        currency: Currency = CHI,
    ) -> tuple[int, int]:
        """Move `amount` from sender to receiver; returns both new balances. Zero-sum."""
        check_amount(amount)
        if sender == receiver:
            raise InvalidAmount("You can't transfer to yourself.")
        low, high = sorted((sender, receiver))
        made = {"g": self.guild_id, "u0": low, "u1": high, "at": self.scope.now()}
        await self.conn.execute(_made_both(self.dialect), made)
        sent = (
            await self.conn.execute(_spend(currency), self._params(sender, amount))
        ).scalar_one_or_none()
        if sent is None:
            have = await self.get(sender)
            raise NotEnoughChi(amount, getattr(have, currency), currency)
        received = (
            await self.conn.execute(_receive(currency), self._params(receiver, amount))
        ).scalar_one()
        await self.record_many(
            (sender, -amount, currency, reason, str(receiver), int(sent)),
            (receiver, amount, currency, reason, str(sender), int(received)),
        )
        return int(sent), int(received)

    async def record(
        self, user_id: int, delta: int, currency: str, reason: str, ref: str | None, balance: int
    ) -> None:
        """Append the ledger row of a change already made (same transaction)."""
        await self.record_many((user_id, delta, currency, reason, ref, balance))

    async def record_many(self, *rows: tuple[int, int, str, str, str | None, int]) -> None:
        """Append the ledger rows (user, delta, currency, reason, ref, balance after) of
        changes already made, in one INSERT."""
        now = self.scope.now()
        await self.conn.execute(
            _LEDGER_INSERT,
            [
                {
                    "guild_id": self.guild_id,
                    "id": new_id(),
                    "user_id": user_id,
                    "delta": delta,
                    "currency": currency,
                    "reason": reason,
                    "ref": ref,
                    "balance_after": balance,
                    "at": now,
                }
                for user_id, delta, currency, reason, ref, balance in rows
            ],
        )
