"""How the shop's refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from typing import Any

from chibot.discord.ui.text import or_list, typed
from chibot.discord.wording import Phrase

_TITLE = {
    "missing": "Tell me the title too: `use Exclusive Title The Wise`.",
    "lines": "A title is one line.",
    "invisible": "A title can't hold invisible or control characters.",
    "markup": "A title can't hold mentions, markdown or links (no `@ # < > * _ ~ ` | [ ] ( ) / \\ :`).",
    "link": "A title can't be a link.",
}


def _unknown_item(e: Any) -> str:
    hint = f" Did you mean {or_list(e.suggestions)}?" if e.suggestions else ""
    return f"There is no item called **{typed(e.text)}**.{hint}"


def _not_sold(e: Any) -> str:
    if e.arrives_with is None:
        return f"**{e.item}** isn't sold in any shop."
    return f"**{e.item}** isn't sold yet: it arrives with {e.arrives_with}."


def _cannot_use(e: Any) -> str:
    if e.reason == "fights":
        if e.how.startswith("equip"):
            return f"**{e.item}** is a weapon: `{e.how}` to fight with it."
        return f"**{e.item}** heals you in a duel, a spar or a boss fight: `{e.how}` on your turn."
    if e.reason == "elsewhere":
        how = {"decoration": "team decorate", "gym": "team gym"}.get(e.kind)
        if how:
            return f"**{e.item}** goes in your team's base: `{how} {e.item}`."
        return f"**{e.item}** does its work in {e.needs}: see `help`."
    if e.reason == "not_here":
        return f"**{e.item}** does its work in {e.needs}, which isn't here yet."
    return f"**{e.item}** can't be used."


def _bad_title(e: Any) -> str:
    if e.problem == "long":
        return f"A title is at most {e.most} characters (that one has {e.length})."
    return _TITLE[e.problem]


def _not_in_chest(e: Any) -> str:
    if e.have == 0:
        return f"Your chest has no **{e.item}**."
    return f"Your chest holds **{e.have:,}** {e.item}, not {e.wanted:,}."


PHRASES: dict[str, Phrase] = {
    "shop.unknown_item": _unknown_item,
    "shop.not_sold": _not_sold,
    "shop.in_pet_shop": lambda e: (
        f"**{e.item}** is sold in the pet-food shop: `pet shop buy {e.code}`."
    ),
    "shop.in_garden_shop": lambda e: (
        f"**{e.item}** is sold in the garden shop: `garden buy {e.code}`."
    ),
    "shop.bad_quantity": lambda e: f"The quantity must be from {e.least:,} to {e.most:,}.",
    "shop.does_not_stack": lambda e: f"**{e.item}** doesn't stack: one at a time.",
    "shop.already_owned": lambda e: (
        f"You already own **{e.item}**{f' (in your {e.where})' if e.where else ''}: one is enough."
    ),
    "shop.cannot_sell": lambda e: (
        f"**{e.item}** can't be sold{' at this server' + chr(39) + 's prices' if e.here else ''}."
    ),
    "shop.cannot_use": _cannot_use,
    "shop.hp_cap": lambda e: (
        f"That would take your permanent HP to {e.total:,}, past the cap of {e.cap:,} "
        f"(you have {e.have:,}). Nothing was used."
    ),
    "shop.bad_title": _bad_title,
    "shop.unknown_category": lambda e: (
        f"**{typed(e.text)}** is neither a member here nor an item category "
        "(such as `weapons`, `healing`, `keys` or `titles`)."
    ),
    "shop.offer_expired": lambda e: "This offer has expired: use `buy` again.",
    "shop.offer_changed": lambda e: (
        "This offer was already used (or your inventory changed since): use `buy` again."
    ),
    "shop.price_went_up": lambda e: f"The price went up to **{e.total}** since: use `buy` again.",
    "shop.unknown_shop": lambda e: "The shops are `chi` and `rebirth`.",
    "shop.not_in_inventory": lambda e: (
        f"You don't have any **{e.item}** in your inventory: your chest holds "
        f"{e.in_chest:,} (`chest take {e.item}` first)."
    ),
    "shop.not_in_chest": _not_in_chest,
}
