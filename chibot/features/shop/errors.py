"""The shop's refusals: a code and the fields that describe the situation (item names,
quantities, prices), worded for Discord by `phrases.py`. Raising one rolls the transaction back."""

from __future__ import annotations

from collections.abc import Sequence

from chibot.core.errors import NotFound, UserError
from chibot.core.items import Item


class UnknownItem(NotFound):
    code = "shop.unknown_item"

    def __init__(self, text: str, suggestions: Sequence[str] = ()) -> None:
        hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"There is no item called {text[:40]}.{hint}", text=text, suggestions=list(suggestions)
        )


class NotSold(UserError):
    code = "shop.not_sold"

    def __init__(self, item: Item) -> None:
        arrives = item.requires if item.buy is not None else None
        if arrives is None:
            message = f"{item.name} isn't sold in any shop."
        else:
            message = f"{item.name} isn't sold yet: it arrives with {arrives}."
        super().__init__(message, item=item.name, arrives_with=arrives)


class InGardenShop(UserError):
    code = "shop.in_garden_shop"
    plain = "{item} is sold in the garden shop: garden buy {code}."


class InPetShop(UserError):
    code = "shop.in_pet_shop"
    plain = "{item} is sold in the pet-food shop: pet shop buy {code}."


class BadQuantity(UserError):
    code = "shop.bad_quantity"
    plain = "The quantity must be from {least:,} to {most:,}."


class DoesNotStack(BadQuantity):
    code = "shop.does_not_stack"

    def __init__(self, item: Item) -> None:
        UserError.__init__(self, f"{item.name} doesn't stack: one at a time.", item=item.name)


class AlreadyOwned(UserError):
    code = "shop.already_owned"

    def __init__(self, item: Item, where: str = "") -> None:
        place = f" (in your {where})" if where else ""
        super().__init__(
            f"You already own {item.name}{place}: one is enough.", item=item.name, where=where
        )


class CannotSell(UserError):
    code = "shop.cannot_sell"

    def __init__(self, item: Item, here: bool = False) -> None:
        tail = " at this server's prices" if here else ""
        super().__init__(f"{item.name} can't be sold{tail}.", item=item.name, here=here)


def _fight_use(item: Item) -> str:
    """How a fight item is used: a weapon is equipped, anything else heals on your turn."""
    return f"equip {item.name}" if item.effect("weapon") else f"fight heal {item.name}"


class CannotUse(UserError):
    """An item with no use here: `reason` says why (`fights`; `elsewhere`: its system uses it
    with its own commands, `kind` says which effect; `not_here` with the system it needs;
    `no_use`)."""

    code = "shop.cannot_use"

    def __init__(self, item: Item, reason: str) -> None:
        messages = {
            "fights": f"{item.name} is used in fights: `{_fight_use(item)}`.",
            "not_here": f"{item.name} does its work in {item.requires}, which isn't here yet.",
            "elsewhere": f"{item.name} does its work in {item.requires}, with its own commands.",
        }
        super().__init__(
            messages.get(reason, f"{item.name} can't be used."),
            item=item.name,
            reason=reason,
            needs=item.requires,
            kind=item.effects[0].kind if item.effects else None,
            how=_fight_use(item),
        )


class HpCapReached(UserError):
    code = "shop.hp_cap"
    plain = "That would take your permanent HP to {total:,}, past the cap of {cap:,} (you have {have:,}). Nothing was used."


class BadTitle(UserError):
    """A refused custom title; `problem` is one of `missing`, `lines`, `long` (with `length`
    and `most`), `invisible`, `markup`, `link`."""

    code = "shop.bad_title"
    plain = "That title can't be used ({problem})."


class UnknownCategory(NotFound):
    code = "shop.unknown_category"
    plain = "{text} is neither a member here nor an item category."


class OfferExpired(UserError):
    code = "shop.offer_expired"
    plain = "This offer has expired: use buy again."


class OfferChanged(UserError):
    code = "shop.offer_changed"
    plain = "This offer was already used (or your inventory changed since): use buy again."


class PriceWentUp(OfferChanged):
    code = "shop.price_went_up"
    plain = "The price went up to {total} since: use buy again."


class UnknownShop(NotFound):
    code = "shop.unknown_shop"
    plain = "The shops are chi and rebirth."


class NotInInventory(UserError):
    code = "shop.not_in_inventory"
    plain = "You don't have any {item} in your inventory: your chest holds {in_chest:,}."


class NotInChest(UserError):
    code = "shop.not_in_chest"

    def __init__(self, item: Item, wanted: int, have: int) -> None:
        message = (
            f"Your chest has no {item.name}."
            if have == 0
            else f"Your chest holds {have:,} {item.name}, not {wanted:,}."
        )
        super().__init__(message, item=item.name, wanted=wanted, have=have)
