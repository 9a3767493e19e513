"""Gardens: found one, buy seeds and tools in the garden shop, plant, water, fertilise,
harvest, upgrade the tier, bundles, and the server's garden boost (docs/gardens.md)."""

from typing import TYPE_CHECKING

from chibot.core.system import ServiceContext, System
from chibot.features.gardens.content import GardensFile
from chibot.features.gardens.events import GardenFounded, GardenUpgraded, PlantsHarvested
from chibot.features.gardens.legacy import IMPORTERS
from chibot.features.gardens.settings import GardenSettings
from chibot.features.gardens.store import TABLES

if TYPE_CHECKING:
    from chibot.features.gardens.service import GardensService


def _service(ctx: ServiceContext) -> "GardensService":
    from chibot.features.gardens.service import GardensService

    return GardensService(ctx.db, ctx.catalog, ctx.guild_settings, ctx.rng, ctx.need("pets"))


SYSTEM = System(
    name="gardens",
    summary="Gardens: plant seeds, tend them and harvest chi; tiers, tools, bundles",
    service=_service,
    needs=("pets",),
    cog="chibot.features.gardens.cog",
    phrases="chibot.features.gardens.phrases",
    tables=TABLES,
    content={"gardens": GardensFile},
    settings=GardenSettings,
    publishes=(GardenFounded, PlantsHarvested, GardenUpgraded),
    legacy=IMPORTERS,
)
