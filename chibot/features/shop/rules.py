"""Pure rules of the shops and of items: prices, sell values, quantities, loot rolls, titles,
finding an item from what a member typed. No Discord, no database; the dice are passed in.

Decisions (see also the service and cog docstrings):
- **Chi prices scale** with the server's `shop_price_multiplier` (percent): the unit price is
  `ceil(price x multiplier / 100)` and a total is unit x qty, so the price a member sees per
  unit is the price they pay per unit. Rebirth prices never scale.
- **Sell values scale down**: `floor(sell x multiplier / 100)`. The catalog guarantees
  `sell <= price / 2`; rounding the buy price up and the sell value down keeps that true at
  every multiplier, so nothing can be bought and sold back for profit. A sell value that
  rounds to 0 means "can't be sold here".
- **Confirmation** is asked for any rebirth-shop purchase and for chi purchases of
  10,000 chi or more (after the multiplier).
- **Quantities** are 1 to 1,000 per command; non-stacking items (weapons) are bought,
  sold and moved one at a time, and a member holds at most one of each (inventory or chest).
- **Legendary weapon**: a weapon whose *base* chi-shop price is 25,000 or more (the
  achievement says "worth 25,000 chi"; a server's multiplier does not change what counts).
- **Loot** rolls `randint(1, total weight)` and walks the table: every entry's chance is
  its weight over the total.
- **Titles** are 1 to 32 characters after collapsing spaces; mentions, markdown, links, line
  breaks and invisible characters are refused (not escaped: a title is shown in many places,
  and what the member sees when choosing it is what everybody sees).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from chibot.core.currency import CHI, REBIRTHS, Currency
from chibot.core.items import CATEGORY_NAMES, Item, ItemRegistry, LootEntry, LootTable
from chibot.core.rng import Rng
from chibot.features.shop.errors import (
    BadQuantity,
    BadTitle,
    DoesNotStack,
    InGardenShop,
    InPetShop,
    NotSold,
    UnknownCategory,
    UnknownItem,
)

MIN_QTY, MAX_QTY = 1, 1000
CONFIRM_AT_CHI = 10_000
CONFIRM_SECONDS = 120
LEGENDARY_PRICE = 25_000
SHOP_PAGE_SIZE = 10
TITLE_MAX = 32
SHOPS = ("chi", "rebirth")
SHOP_NAMES = {"chi": "Chi shop", "rebirth": "Rebirth shop"}
SHOP_CODES = {"chi": "cshop", "rebirth": "rshop"}


# --- refusals: chibot/features/shop/errors.py (worded by phrases.py) ----------------------


# --- finding items -------------------------------------------------------------------------


def suggestions(registry: ItemRegistry, text: str, limit: int = 3) -> list[str]:
    """Close names for a typo: names containing the text first, then similar spellings."""
    text = " ".join(text.strip().lower().split())
    if not text:
        return []
    found = [i.name for i in registry.search(text, limit=limit)]
    names = {i.name.lower(): i.name for i in registry}
    for close in difflib.get_close_matches(text, list(names), n=limit, cutoff=0.6):
        if names[close] not in found:
            found.append(names[close])
    return found[:limit]


def find_item(registry: ItemRegistry, text: str) -> Item:
    """The item named by `text` (id, name in any case, or shop code), or `UnknownItem` with
    suggestions."""
    item = registry.find(text) if text and text.strip() else None
    if item is None:
        raise UnknownItem(text or "", suggestions(registry, text or ""))
    return item


def parse_category(text: str) -> str:
    """A category key from its key or display name, singular or plural, any case."""
    key = " ".join(text.strip().lower().replace("_", " ").split())
    for cat, name in CATEGORY_NAMES.items():
        lowered = name.lower()
        options = {cat.replace("_", " "), lowered, lowered.rstrip("s"), lowered.split(" ")[0]}
        if key in options or key.rstrip("s") in options:
            return cat
    raise UnknownCategory(text=text)


# --- prices --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Price:
    amount: int
    currency: Currency

    def __str__(self) -> str:
        if self.currency == REBIRTHS:
            return f"{self.amount:,} rebirth{'s' if self.amount != 1 else ''}"
        return f"{self.amount:,} chi"


def currency_of(item: Item) -> Currency:
    assert item.buy is not None
    return REBIRTHS if item.buy.shop == "rebirth" else CHI


def scaled_price(base: int, multiplier: int) -> int:
    """A chi price at a server's multiplier (percent), rounded up."""
    return -(-base * multiplier // 100)


def unit_price(item: Item, multiplier: int) -> Price:
    """What one unit costs in this server. Only for items with a shop price."""
    if item.buy is None:
        raise NotSold(item)
    if item.buy.shop == "rebirth":
        return Price(item.buy.price, REBIRTHS)
    return Price(scaled_price(item.buy.price, multiplier), CHI)


def total_price(item: Item, qty: int, multiplier: int) -> Price:
    unit = unit_price(item, multiplier)
    return Price(unit.amount * qty, unit.currency)


def sell_value(item: Item, multiplier: int) -> int:
    """Chi paid back for one unit in this server (0: it can't be sold here). The server's
    multiplier scales what the chi shop sells, both ways; everything else (the garden shop's
    seeds and tools, bundle contents, crafted tools, drops) is priced by its own system and
    sells back at its base value, so a high multiplier can never resell a 3-chi seed for 10."""
    if item.buy is not None and item.buy.shop == "chi":
        return item.sell * multiplier // 100
    return item.sell


def needs_confirmation(price: Price) -> bool:
    return price.currency == REBIRTHS or price.amount >= CONFIRM_AT_CHI


def check_buyable(item: Item, registry: ItemRegistry) -> None:
    if not registry.available(item):
        raise NotSold(item)
    if item.buy is not None and item.buy.shop == "garden":  # to garden owners, by gardens
        raise InGardenShop(item=item.name, code=item.buy.code)
    if item.buy is not None and item.buy.shop == "pet":  # the pet-food shop, by pets
        raise InPetShop(item=item.name, code=item.buy.code)


def check_qty(qty: int, item: Item | None = None) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int) or not MIN_QTY <= qty <= MAX_QTY:
        raise BadQuantity(least=MIN_QTY, most=MAX_QTY)
    if item is not None and not item.stacks and qty != 1:
        raise DoesNotStack(item)
    return qty


# --- weapons -------------------------------------------------------------------------------


def is_legendary_weapon(item: Item) -> bool:
    return (
        item.category == "weapon"
        and item.buy is not None
        and item.buy.shop == "chi"
        and item.buy.price >= LEGENDARY_PRICE
    )


def weapon_counts(items: Iterable[Item]) -> tuple[int, int]:
    """(distinct weapons, distinct legendary weapons) among the items a member holds."""
    weapons = {i.id: i for i in items if i.category == "weapon"}
    return len(weapons), sum(1 for i in weapons.values() if is_legendary_weapon(i))


def boosted(value: int, pct: int) -> int:
    """A damage or healing figure with an upgrade bonus of `pct` percent, rounded down."""
    return value * (100 + pct) // 100


# --- loot ----------------------------------------------------------------------------------


def roll_loot(table: LootTable, rng: Rng) -> LootEntry:
    """One weighted draw: entry i wins with probability weight_i / total."""
    total = sum(e.weight for e in table.entries)
    ticket = rng.randint(1, total)
    for entry in table.entries:
        ticket -= entry.weight
        if ticket <= 0:
            return entry
    raise AssertionError("unreachable: the ticket is within the total weight")


def loot_odds(table: LootTable) -> list[tuple[LootEntry, float]]:
    """Each entry with its chance (0..1), as listed."""
    total = sum(e.weight for e in table.entries)
    return [(e, e.weight / total) for e in table.entries]


# --- titles --------------------------------------------------------------------------------

_FORBIDDEN = set("@#<>*_~`|[]()\\/:")
_LINKISH = re.compile(r"https?|www\.|discord\.gg|\.(?:com|gg|net|org|io|xyz)\b", re.IGNORECASE)


def clean_title(text: str | None) -> str:
    """A title as it will be stored and shown, or `BadTitle` saying what is wrong."""
    if text is None or not text.strip():
        raise BadTitle(problem="missing")
    if any(c in "\r\n" for c in text):
        raise BadTitle(problem="lines")
    title = " ".join(text.split())
    if len(title) > TITLE_MAX:
        raise BadTitle(problem="long", length=len(title), most=TITLE_MAX)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in title):
        raise BadTitle(problem="invisible")
    if any(c in _FORBIDDEN for c in title):
        raise BadTitle(problem="markup")
    if _LINKISH.search(title):
        raise BadTitle(problem="link")
    return title


# --- paging --------------------------------------------------------------------------------


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


def clamp_page(page: int, total: int, size: int) -> int:
    return min(max(1, page), page_count(total, size))


def item_sort_key(item: Item) -> tuple[int, str, int, str]:
    """Category order, then shop code order (C1, C2 ... C10), then name."""
    order = list(CATEGORY_NAMES).index(item.category)
    if item.buy is not None:
        return (order, item.buy.code[0], int(item.buy.code[1:]), item.name)
    return (order, "~", 0, item.name)
