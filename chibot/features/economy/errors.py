"""The economy's refusals: a code and the fields that describe the situation (amounts, the
rebirth threshold), worded for Discord by `phrases.py`. Raising one rolls the transaction back."""

from __future__ import annotations

from chibot.core.errors import InvalidAmount, NotAllowed, UserError
from chibot.features.economy import rules


class RebirthRefused(UserError):
    """Below the threshold: says how much is missing (negative balances never rebirth)."""

    code = "economy.rebirth_refused"
    chi: int
    threshold: int
    missing: int

    def __init__(self, chi: int, threshold: int) -> None:
        missing = rules.rebirth_shortfall(chi, threshold)
        message = (
            f"A rebirth costs {threshold:,} chi and you have {chi:,}: {missing:,} chi missing."
        )
        if chi < 0:
            message += " A negative balance can never be reborn."
        super().__init__(message, chi=chi, threshold=threshold, missing=missing)


class ThresholdChanged(UserError):
    """The confirmed offer's price is no longer the server's threshold: nothing was spent."""

    code = "economy.threshold_changed"
    threshold: int
    plain = (
        "This server's rebirth threshold has just changed to {threshold:,} chi. "
        "Nothing was spent: run rebirth again to see the new offer."
    )


class UnknownBoard(UserError):
    code = "economy.unknown_board"
    board: str
    plain = "Leaderboards: chi or rebirths."


class DailyOff(UserError):
    code = "economy.daily_off"
    plain = "Daily rewards are switched off in this server."


class GiveToSelf(NotAllowed):
    code = "economy.give_to_self"
    plain = "You can't give to yourself."


class GiveToBot(NotAllowed):
    code = "economy.give_to_bot"
    plain = "Bots don't need chi."


class CannotReceive(NotAllowed):
    """The receiver is on this server's blacklist or the bot-wide one."""

    code = "economy.cannot_receive"
    plain = "That member can't receive chi."


class RemoveTooMuch(InvalidAmount):
    """An admin removal above what the member holds (`noun`: chi or rebirths)."""

    code = "economy.remove_too_much"
    have: int
    noun: str
    plain = "They only have {have:,} {noun}."
