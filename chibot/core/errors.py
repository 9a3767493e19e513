"""Errors a user can cause, each with the one short line the bot answers with.

Services raise these; the Discord error handler renders `str(error)` and nothing else. Anything
that is not a `UserError` is a bug: it is logged with an id that the user also sees.
"""

from __future__ import annotations

from datetime import datetime


class UserError(Exception):
    """A refusal the user can understand and act on. Raising one rolls the transaction back."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotEnoughChi(UserError):
    def __init__(self, needed: int, have: int, currency: str = "chi") -> None:
        noun = "rebirths" if currency == "rebirths" else "chi"
        super().__init__(f"You need **{needed:,}** {noun} but have **{have:,}**.")
        self.needed, self.have, self.currency = needed, have, currency


class InvalidAmount(UserError):
    def __init__(self, message: str = "The amount must be a whole number above zero.") -> None:
        super().__init__(message)


class NotFound(UserError):
    pass


class NotAllowed(UserError):
    pass


class OnCooldown(UserError):
    """Refused because an action is still cooling down; `ready_at` is shown as a relative time."""

    def __init__(self, action: str, ready_at: datetime) -> None:
        stamp = int(ready_at.timestamp())
        super().__init__(f"`{action}` is on cooldown: ready <t:{stamp}:R>.")
        self.action, self.ready_at = action, ready_at


class ContentError(Exception):
    """A content file is invalid: start-up stops with this message (file, entry, problem)."""


class UnknownSetting(NotFound):
    def __init__(self, key: str) -> None:
        super().__init__(f"There is no setting called `{key}`.")
        self.key = key


class InvalidSetting(UserError):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"Invalid value for `{key}`: {problem}")
        self.key, self.problem = key, problem
