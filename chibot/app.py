"""The application object: every long-lived service, built once and handed to the bot.

Tests and the offline sandbox build it with a manual clock, a seeded random source and a
database of their own; `chibot run` builds it from the process settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chibot.config import Settings
from chibot.core.catalog import Catalog, load_catalog
from chibot.core.clock import Clock, SystemClock
from chibot.core.db import Database
from chibot.core.rng import Rng, make_rng
from chibot.core.settings import SettingsService
from chibot.features.admin.service import AdminService
from chibot.features.economy.service import EconomyService
from chibot.features.lifecycle.service import LifecycleService
from chibot.features.owner.service import OwnerService
from chibot.features.progress.service import ProgressService
from chibot.features.shop.service import ShopService


@dataclass
class App:
    settings: Settings
    db: Database
    catalog: Catalog
    clock: Clock
    rng: Rng
    guild_settings: SettingsService = field(init=False)
    economy: EconomyService = field(init=False)
    admin: AdminService = field(init=False)
    progress: ProgressService = field(init=False)
    shop: ShopService = field(init=False)
    lifecycle: LifecycleService = field(init=False)
    owner: OwnerService = field(init=False)

    def __post_init__(self) -> None:
        self.guild_settings = SettingsService(self.db)
        self.progress = ProgressService(self.db, self.catalog)
        self.economy = EconomyService(self.db, self.catalog, self.rng, self.guild_settings, self.progress)
        self.admin = AdminService(self.db, self.guild_settings, self.settings.export_dir)
        self.lifecycle = LifecycleService(self.db)
        self.owner = OwnerService(self.db, self.catalog, self.admin)
        self.shop = ShopService(self.db, self.catalog, self.rng, self.guild_settings, self.progress)

    async def close(self) -> None:
        await self.db.dispose()


def build_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    rng: Rng | None = None,
    database_url: str | None = None,
) -> App:
    """Build the app; the catalog is validated here, so bad content stops start-up."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    db = Database(database_url or settings.database_url, clock=clock)
    return App(settings, db, load_catalog(), clock, rng or make_rng())
