"""Crafting's refusals: a code and the fields that describe the situation, worded for Discord
by `phrases.py`. Raising one rolls the transaction back: nothing is half done."""

from __future__ import annotations

from chibot.core.errors import UserError


class CraftingOff(UserError):
    code = "crafting.off"
    plain = "Crafting is switched off in this server."


class UnknownRecipe(UserError):
    code = "crafting.unknown"
    plain = "There is no recipe called {text}. craft lists them."


class AmbiguousRecipe(UserError):
    """A part of a name that fits several recipes: `choices` are their names."""

    code = "crafting.ambiguous"
    plain = "{text} could be {listed}: which one?"

    def __init__(self, text: str, choices: tuple[str, ...]) -> None:
        super().__init__(text=text, choices=choices, listed=" or ".join(choices))


class ArrivesWith(UserError):
    code = "crafting.arrives_with"
    plain = "{recipe} can't be crafted yet: it arrives with {system}."


class MissingInputs(UserError):
    """`missing`: (item name, have, need) of each input the member lacks."""

    code = "crafting.missing"
    plain = "You don't have what {recipe} needs: {listed}."

    def __init__(self, recipe: str, missing: tuple[tuple[str, int, int], ...]) -> None:
        listed = ", ".join(f"{name} {have:,}/{need:,}" for name, have, need in missing)
        super().__init__(recipe=recipe, missing=missing, listed=listed)


class SlotsFull(UserError):
    code = "crafting.slots_full"
    plain = (
        "You have {slots} crafts in progress, the most at once: craft collect when one is ready."
    )


class AlreadyOwn(UserError):
    code = "crafting.already_own"
    plain = "You already own {item}: one is enough."


class AlreadyCrafting(UserError):
    code = "crafting.already_crafting"
    plain = "You are already crafting {item}: one is enough."


class NothingToCollect(UserError):
    code = "crafting.nothing_to_collect"
    plain = "You have no craft in progress: craft lists what you can make."


class NothingReady(UserError):
    code = "crafting.nothing_ready"
    plain = "No craft is finished yet: the next is ready at {next_at:%Y-%m-%d %H:%M} UTC."
