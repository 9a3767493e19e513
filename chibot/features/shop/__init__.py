"""Items: the chi and rebirth shops, buying and selling, the inventory, using items, the chest."""

from typing import TYPE_CHECKING

from chibot.core.system import ServiceContext, System
from chibot.features.shop.events import ItemBought, ItemSold, ItemUsed
from chibot.features.shop.settings import ShopSettings

if TYPE_CHECKING:
    from chibot.features.shop.service import ShopService


def _service(ctx: ServiceContext) -> "ShopService":
    from chibot.features.shop.service import ShopService

    return ShopService(ctx.db, ctx.catalog, ctx.rng, ctx.guild_settings, ctx.need("progress"))


SYSTEM = System(
    name="shop",
    summary="Items: shops, buy, sell, inventory, use, chest",
    service=_service,
    needs=("progress",),
    cog="chibot.features.shop.cog",
    phrases="chibot.features.shop.phrases",
    settings=ShopSettings,
    publishes=(ItemBought, ItemSold, ItemUsed),
)
