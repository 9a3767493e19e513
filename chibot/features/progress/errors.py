"""Progress's refusals (upgrades, milestone claims, achievement categories): a code and the
fields that describe the situation, worded for Discord by `phrases.py`."""

from __future__ import annotations

from chibot.core.errors import NotEnoughChi, NotFound, UserError


class UnknownItem(NotFound):
    code = "progress.unknown_item"
    plain = "I don't know an item called {text!r}."


class NotUpgradable(UserError):
    code = "progress.not_upgradable"
    plain = "{item} can't be upgraded."


class NotHeld(NotFound):
    code = "progress.not_held"

    def __init__(self, item: str, in_chest: bool) -> None:
        if in_chest:
            message = f"Your {item} is in your chest: take it out to upgrade it."
        else:
            message = f"You don't have a {item} in your inventory."
        super().__init__(message, item=item, in_chest=in_chest)


class FullyUpgraded(UserError):
    code = "progress.fully_upgraded"
    plain = "Your {item} is fully upgraded (level {max_level}/{max_level})."


class UpgradeConflict(UserError):
    code = "progress.upgrade_conflict"
    plain = "Your {item} was just upgraded by another command; nothing was charged. Try again."


class UpgradeTooExpensive(NotEnoughChi):
    code = "progress.upgrade_too_expensive"

    def __init__(self, item: str, level: int, needed: int, have: int) -> None:
        super().__init__(needed, have)
        self.item, self.level = item, level
        self.message = f"Upgrading {item} to level {level} costs {needed:,} chi; you have {have:,}."
        self.args = (self.message,)


class NothingToClaim(UserError):
    """No milestone is reached and unclaimed: `next_name` and `to_go` say what is next
    (`next_name` is None once every milestone is claimed)."""

    code = "progress.nothing_to_claim"

    def __init__(self, next_name: str | None, to_go: int = 0) -> None:
        if next_name is None:
            message = "Nothing to claim: you have claimed every milestone."
        else:
            message = f"Nothing to claim yet: {next_name} needs {to_go:,} more lifetime chi."
        super().__init__(message, next_name=next_name, to_go=to_go)


class UnknownCategory(NotFound):
    code = "progress.unknown_category"

    def __init__(self, text: str, categories: list[str]) -> None:
        super().__init__(
            f"No category {text!r}. Categories: {', '.join(categories)}.",
            text=text,
            categories=categories,
        )
