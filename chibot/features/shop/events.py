"""Facts the shop publishes inside its transactions (see `core/events.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from chibot.core.events import MemberActed


@dataclass(frozen=True, slots=True)
class ItemBought(MemberActed):
    item_id: str = ""
    qty: int = 0


@dataclass(frozen=True, slots=True)
class ItemSold(MemberActed):
    item_id: str = ""
    qty: int = 0


@dataclass(frozen=True, slots=True)
class ItemUsed(MemberActed):
    item_id: str = ""
