"""Pets: adopt one of five species with chi and its food, feed it (hunger falls, health
follows), train it, switch, rename, release; the pet-food shop (docs/pets.md). The combat
hook and the garden bonus at planting are read through `PetsService.active_pet` and
`PetsService.garden_bonus` by those systems."""

from typing import TYPE_CHECKING

from chibot.core.system import ServiceContext, System
from chibot.features.pets.content import PetsFile
from chibot.features.pets.events import PetAdopted, PetTrained
from chibot.features.pets.legacy import IMPORTERS
from chibot.features.pets.settings import PetSettings
from chibot.features.pets.store import TABLES

if TYPE_CHECKING:
    from chibot.features.pets.service import PetsService


def _service(ctx: ServiceContext) -> "PetsService":
    from chibot.features.pets.service import PetsService

    return PetsService(ctx.db, ctx.catalog, ctx.guild_settings)


SYSTEM = System(
    name="pets",
    summary="Pets: adopt, feed and train a companion; the pet-food shop",
    service=_service,
    cog="chibot.features.pets.cog",
    phrases="chibot.features.pets.phrases",
    tables=TABLES,
    content={"pets": PetsFile},
    settings=PetSettings,
    publishes=(PetAdopted, PetTrained),
    legacy=IMPORTERS,
)
