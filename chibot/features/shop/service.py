"""Shop and inventory use cases (to be completed)."""

from __future__ import annotations

from chibot.core.catalog import Catalog
from chibot.core.db import Database
from chibot.core.rng import Rng
from chibot.core.settings import SettingsService
from chibot.features.progress.service import ProgressService


class ShopService:
    def __init__(
        self,
        db: Database,
        catalog: Catalog,
        rng: Rng,
        settings: SettingsService,
        progress: ProgressService,
    ) -> None:
        self.db = db
        self.catalog = catalog
        self.rng = rng
        self.settings = settings
        self.progress = progress
