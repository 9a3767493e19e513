"""Errors a user can cause. Raising one rolls the transaction back.

Errors carry data: a `code` naming the situation and the fields that describe it (the amount
needed, the balance, the setting). The core's errors hold no Markdown and no Discord syntax:
their `message` is a plain sentence for logs and the command line, and the Discord layer
words them from the code and the fields (`chibot/discord/wording.py` for these, each system's
`phrases.py` for its own: bold amounts, relative timestamps), the seam where translations will
plug in. Anything that is not a `UserError` is a bug: it is logged with an id that the user
also sees.

A system declares its refusals in its `errors.py` the short way: a class with a `code` (named
`<system>.<situation>`) and a `plain` template, raised with its fields as keywords::

    class DailyOff(UserError):
        code = "economy.daily_off"
        plain = "Daily rewards are switched off in this server."

    class NotSold(UserError):
        code = "shop.not_sold"
        plain = "{item} isn't sold in any shop."

    raise NotSold(item=item.name)
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar


class UserError(Exception):
    """A refusal the user can understand and act on. `code` is set by a class whose wording
    the Discord layer knows; its fields are attributes of the error."""

    code: ClassVar[str | None] = None
    plain: ClassVar[str] = ""
    """The plain sentence, a `str.format` template over the fields (when no message is given)."""

    def __init__(self, message: str | None = None, **fields: object) -> None:
        for name, value in fields.items():
            setattr(self, name, value)
        if message is None:
            message = self.plain.format(**fields)
        super().__init__(message)
        self.message = message
        self.fields = fields

    @classmethod
    def worded_by_code(cls) -> str | None:
        """The class's own code (a subclass that only changes the sentence has none)."""
        return cls.__dict__.get("code")


class NotEnoughChi(UserError):
    code = "not_enough"

    def __init__(self, needed: int, have: int, currency: str = "chi") -> None:
        noun = "rebirths" if currency == "rebirths" else "chi"
        said = "rebirth" if noun == "rebirths" and needed == 1 else noun
        super().__init__(f"You need {needed:,} {said} but have {have:,}.")
        self.needed, self.have, self.currency, self.noun = needed, have, currency, noun


class InvalidAmount(UserError):
    """An amount that cannot be used; a subclass with a code says why, with its fields."""

    plain = "The amount must be a whole number above zero."


class AmountTooLarge(InvalidAmount):
    code = "amount_too_large"

    def __init__(self, most: int) -> None:
        super().__init__(f"That amount is too large (at most {most:,}).")
        self.most = most


class NotFound(UserError):
    pass


class NotAllowed(UserError):
    pass


class OnCooldown(UserError):
    """Refused because an action is still cooling down; `ready_at` is shown as a relative time."""

    code = "on_cooldown"

    def __init__(self, action: str, ready_at: datetime) -> None:
        super().__init__(f"{action} is on cooldown until {ready_at:%Y-%m-%d %H:%M:%S} UTC.")
        self.action, self.ready_at = action, ready_at


class ContentError(Exception):
    """A content file is invalid: start-up stops with this message (file, entry, problem)."""


class UnknownSetting(NotFound):
    code = "unknown_setting"

    def __init__(self, key: str) -> None:
        super().__init__(f"There is no setting called {key!r}.")
        self.key = key


class InvalidSetting(UserError):
    code = "invalid_setting"

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"Invalid value for {key!r}: {problem}")
        self.key, self.problem = key, problem
