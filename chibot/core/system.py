"""The manifest of a game system: everything it brings to the bot, declared in one place.

Every `chibot/features/<system>/__init__.py` defines `SYSTEM = System(...)`. The registry
(`core/registry.py`) finds these manifests and every part of the bot that used to keep its
own list iterates the registry instead: the app builds the services, the bot loads the cogs,
export / import / backup / restore take the tables, the catalog loads the content files, the
settings model is composed from the sections, the scheduler runs the job handlers, the legacy
import runs the importers, the item registry knows which systems are installed, and the event
bus subscribes the listeners. Adding a system is adding its folder, and nothing else.

A manifest holds values and names, not behaviour: the service is built by a factory that
receives a `ServiceContext` (the database, the catalog, the clock, the dice, the settings
service, the process settings, and the services of the systems it `needs`); the cog is the
dotted name of a discord.py extension, loaded by the bot only (so the app, the CLI and the
tests never import discord.py through a manifest).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import Table

from chibot.core.events import Event, Listener

if TYPE_CHECKING:
    from chibot.config import Settings
    from chibot.core.catalog import Catalog
    from chibot.core.clock import Clock
    from chibot.core.db import Database
    from chibot.core.rng import Rng
    from chibot.core.scheduler import Job
    from chibot.core.settings import SettingsService

JobHandler = Callable[[Any, "Job"], Awaitable[None]]
"""`handler(services, job)`: runs one due job; `services` maps system names to services."""


@dataclass(frozen=True)
class ServiceContext:
    """What a service factory receives. `services` holds the services of the systems built
    before this one (every system named in `needs` is among them)."""

    db: Database
    catalog: Catalog
    clock: Clock
    rng: Rng
    guild_settings: SettingsService
    settings: Settings
    services: Mapping[str, Any]
    registry: Any  # the Registry (typed loosely: core.registry imports this module)

    def need(self, name: str) -> Any:
        try:
            return self.services[name]
        except KeyError:
            raise LookupError(f"service {name!r} is not built yet: list it in `needs`") from None


@dataclass(frozen=True)
class System:
    """One game system's manifest (see the module docstring)."""

    name: str
    """The folder name; also the name items use in `requires` and the export part's name."""
    summary: str
    """One line for `help` and `config`: what the system is."""
    service: Callable[[ServiceContext], Any] | None = None
    needs: tuple[str, ...] = ()
    """Systems whose services this one's factory uses (built first)."""
    cog: str | None = None
    """Dotted name of the discord.py extension (a module with `async def setup(bot)`)."""
    phrases: str | None = None
    """Dotted name of the module whose `PHRASES` word this system's errors on Discord
    (`code -> phrase(error)`); loaded by the bot only, like the cog."""
    tables: tuple[Table, ...] = ()
    """This system's per-server tables: its part of the export document, in dependency order."""
    content: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    """`content/<stem>.toml` -> the pydantic schema that validates it."""
    settings: type[BaseModel] | None = None
    """This system's section of the per-server settings (fields with defaults)."""
    jobs: Mapping[str, JobHandler] = field(default_factory=dict)
    """Scheduled job kind -> handler."""
    legacy: tuple[Any, ...] = ()
    """Importers of the old bot's data (`chibot.legacy.LegacyImporter` values)."""
    listens: tuple[tuple[type[Event], Callable[[Any], Listener]], ...] = ()
    """(event class, factory): the factory receives this system's service and returns the
    listener, so a listener is a bound method of the service."""
    publishes: tuple[type[Event], ...] = ()
    """The facts this system publishes (documentation, and checked to be Event classes)."""
    makes_usable: tuple[str, ...] = ()
    """Further `requires` names of items this system gives a use to (its own name always)."""
