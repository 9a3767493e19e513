"""Crafting: recipes (content/crafting.toml) turn items and a chi fee into an item, at once or
after a crafting time, with a chance of success decided at the start; the garden tools are
its first recipes, alchemy and the armoury will add theirs (docs/crafting.md)."""

from typing import TYPE_CHECKING

from chibot.core.system import ServiceContext, System
from chibot.features.crafting.content import CraftingFile
from chibot.features.crafting.events import CraftsCollected
from chibot.features.crafting.settings import CraftingSettings
from chibot.features.crafting.store import TABLES

if TYPE_CHECKING:
    from chibot.features.crafting.service import CraftingService


def _service(ctx: ServiceContext) -> "CraftingService":
    from chibot.features.crafting.service import CraftingService

    return CraftingService(ctx.db, ctx.catalog, ctx.guild_settings, ctx.rng)


SYSTEM = System(
    name="crafting",
    summary="Crafting: turn harvest drops, seeds and tools into better tools (recipes)",
    service=_service,
    cog="chibot.features.crafting.cog",
    phrases="chibot.features.crafting.phrases",
    tables=TABLES,
    content={"crafting": CraftingFile},
    settings=CraftingSettings,
    publishes=(CraftsCollected,),
)
