"""The application object: every long-lived service, built once and handed to the bot.

The services are not listed here: each system's manifest declares its factory
(`System.service`), and the app builds them in the registry's order (each after the systems
it `needs`), subscribes their listeners to the event bus, and sets the composed settings model
on the database. A service is reached by its system's name (`app.economy`, `app.services[
"economy"]`) or, typed, by its class (`app.get(EconomyService)`).

Tests and the offline sandbox build it with a manual clock, a seeded random source and a
database of their own; `chibot run` builds it from the process settings.
"""

from __future__ import annotations

from typing import Any, TypeVar

from chibot.config import Settings
from chibot.core.catalog import Catalog, load_catalog
from chibot.core.clock import Clock, SystemClock
from chibot.core.db import Database
from chibot.core.error_log import ErrorLog
from chibot.core.events import EventBus
from chibot.core.registry import Registry, default_registry
from chibot.core.rng import Rng, make_rng
from chibot.core.settings import SettingsService
from chibot.core.system import ServiceContext

S = TypeVar("S")


class App:
    def __init__(
        self,
        settings: Settings,
        db: Database,
        catalog: Catalog,
        clock: Clock,
        rng: Rng,
        *,
        registry: Registry | None = None,
    ) -> None:
        self.settings = settings
        self.db = db
        self.catalog = catalog
        self.clock = clock
        self.rng = rng
        self.outbox: list[Any] = []
        """What jobs want said on Discord (`core/sessions.MessageNotice`...): the bot's
        background loop delivers it after each run of the scheduler."""
        self.registry = registry or default_registry()
        db.settings_model = self.registry.settings_model
        db.events = EventBus()  # this app's listeners only (a rebuilt app does not add twice)
        self.guild_settings = SettingsService(db)
        self.error_log = ErrorLog(db)
        """The bugs members ran into, per server (`log`, `core/error_log.py`)."""
        self.services: dict[str, Any] = {}
        for system in self.registry.ordered:
            if system.service is None:
                continue
            context = ServiceContext(
                db=db,
                catalog=catalog,
                clock=clock,
                rng=rng,
                guild_settings=self.guild_settings,
                settings=settings,
                services=dict(self.services),
                registry=self.registry,
            )
            self.services[system.name] = system.service(context)
        self.registry.subscribe(db.events, self.services)

    def __getattr__(self, name: str) -> Any:
        """`app.economy`: the service of the system called `economy`."""
        services = self.__dict__.get("services")
        if services is not None and name in services:
            return services[name]
        raise AttributeError(f"the app has no attribute or service {name!r}")

    def get(self, kind: type[S]) -> S:
        """The one service that is an instance of `kind` (typed access for cogs)."""
        for service in self.services.values():
            if isinstance(service, kind):
                return service
        raise LookupError(f"no installed system provides a {kind.__name__}")

    async def close(self) -> None:
        await self.db.dispose()


def build_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    rng: Rng | None = None,
    database_url: str | None = None,
    registry: Registry | None = None,
) -> App:
    """Build the app; the catalog is validated here, so bad content stops start-up."""
    settings = settings or Settings()
    clock = clock or SystemClock()
    registry = registry or default_registry()
    db = Database(
        database_url or settings.database_url,
        clock=clock,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
    )
    return App(
        settings, db, load_catalog(registry=registry), clock, rng or make_rng(), registry=registry
    )
