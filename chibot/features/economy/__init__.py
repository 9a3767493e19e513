"""The chi economy: chat chi, profiles, leaderboards, daily rewards, transfers, admin grants."""

from typing import TYPE_CHECKING

from chibot.core.system import ServiceContext, System
from chibot.features.economy.content import WordsFile
from chibot.features.economy.events import ChatAwarded, DailyClaimed, Reborn
from chibot.features.economy.legacy import IMPORTERS
from chibot.features.economy.settings import EconomySettings

if TYPE_CHECKING:
    from chibot.features.economy.service import EconomyService


def _service(ctx: ServiceContext) -> "EconomyService":
    from chibot.features.economy.service import EconomyService

    return EconomyService(ctx.db, ctx.catalog, ctx.rng, ctx.guild_settings)


SYSTEM = System(
    name="economy",
    summary="Chi: chat chi, profiles, leaderboards, daily, give, rebirth",
    service=_service,
    cog="chibot.features.economy.cog",
    phrases="chibot.features.economy.phrases",
    content={"words": WordsFile},
    settings=EconomySettings,
    legacy=IMPORTERS,
    publishes=(ChatAwarded, DailyClaimed, Reborn),
)
