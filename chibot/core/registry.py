"""The registry of game systems: found once, iterated by everything that used to keep a list.

`discover()` walks the sub-packages of `chibot.features` (the way python-discord's bot walks
its extensions) and collects the `SYSTEM` manifest each one defines in its `__init__.py`
(`core/system.py`). A package without a manifest is an error, not something skipped: a system
that forgot its manifest would otherwise silently lose its tables from every export.

A `Registry` is a plain value: the app is built from one (`default_registry()` unless told
otherwise), and a test can build one with a system of its own beside the real ones
(`Registry([*default_registry().systems, mine])`) to see it take part in everything.

What the registry answers, each computed once:
- `ordered`: the systems, each after the systems it `needs` (the order services are built in);
- `content_files`: `content/<stem>.toml` -> schema, the core's (items) and every system's;
- `export_parts`: part name -> tables, the core part first (`core/export.py`);
- `settings_model`: the per-server settings model composed of the core section and every
  system's section (`core/settings.py`), and `settings_owner`: key -> system name;
- `job_handlers`, `legacy_importers`, `cogs`, `installed` (what items may `require`);
- `subscribe(bus, services)`: every listener on the event bus.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Table

from chibot.core.events import Event, EventBus
from chibot.core.system import JobHandler, System

FEATURES_PACKAGE = "chibot.features"
CORE = "core"


class RegistryError(Exception):
    """Two systems clash, a need is missing, or a feature package has no manifest."""


def discover(package: str = FEATURES_PACKAGE) -> Registry:
    """Import every sub-package of `package` and collect its `SYSTEM` manifest."""
    root = importlib.import_module(package)
    systems = []
    for info in sorted(pkgutil.iter_modules(root.__path__), key=lambda i: i.name):
        if not info.ispkg:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        system = getattr(module, "SYSTEM", None)
        if not isinstance(system, System):
            raise RegistryError(f"{module.__name__} defines no SYSTEM manifest")
        if system.name != info.name:
            raise RegistryError(f"{module.__name__}: the manifest is named {system.name!r}")
        systems.append(system)
    return Registry(systems)


@functools.cache
def default_registry() -> Registry:
    """The systems installed in this release (discovered once per process)."""
    return discover()


class Registry:
    def __init__(self, systems: Iterable[System]) -> None:
        self.systems: tuple[System, ...] = tuple(systems)
        self.by_name: dict[str, System] = {}
        for system in self.systems:
            if system.name in self.by_name or system.name == CORE:
                raise RegistryError(f"two systems are called {system.name!r}")
            self.by_name[system.name] = system
        self.ordered: tuple[System, ...] = self._order()
        self._check_clashes()

    def __iter__(self) -> Iterator[System]:
        return iter(self.systems)

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    # --- validation ---------------------------------------------------------------------

    def _order(self) -> tuple[System, ...]:
        done: dict[str, System] = {}
        visiting: set[str] = set()

        def visit(system: System) -> None:
            if system.name in done:
                return
            if system.name in visiting:
                raise RegistryError(f"{system.name}: its needs form a cycle")
            visiting.add(system.name)
            for need in system.needs:
                if need not in self.by_name:
                    raise RegistryError(f"{system.name} needs {need!r}, which is not installed")
                if self.by_name[need].service is None:
                    raise RegistryError(f"{system.name} needs {need!r}, which has no service")
                visit(self.by_name[need])
            visiting.discard(system.name)
            done[system.name] = system

        for system in self.systems:
            visit(system)
        return tuple(done.values())

    def _check_clashes(self) -> None:
        def unique(what: str, pairs: Iterable[tuple[str, str]]) -> None:
            seen: dict[str, str] = {}
            for key, owner in pairs:
                if key in seen:
                    raise RegistryError(f"{what} {key!r} is declared by {seen[key]} and {owner}")
                seen[key] = owner

        unique("content file", ((stem, s.name) for s in self.systems for stem in s.content))
        unique("job kind", ((kind, s.name) for s in self.systems for kind in s.jobs))
        unique("table", ((t.name, s.name) for s in self.systems for t in s.tables))
        for system in self.systems:
            for table in system.tables:
                if list(table.primary_key.columns)[0].name != "guild_id":
                    raise RegistryError(
                        f"{system.name}: {table.name}: guild_id must lead the primary key"
                    )
            for kind, _factory in system.listens:
                if not (isinstance(kind, type) and issubclass(kind, Event)):
                    raise RegistryError(f"{system.name} listens to {kind!r}, which is not an Event")
        self.settings_model  # noqa: B018  (composing checks that no two sections share a key)

    # --- what the rest of the bot iterates ----------------------------------------------

    @functools.cached_property
    def content_files(self) -> dict[str, type[BaseModel]]:
        from chibot.core.items import ItemsFile

        files: dict[str, type[BaseModel]] = {}
        for system in self.systems:
            for stem, schema in system.content.items():
                if stem == "items":  # two systems sharing a stem: `_check_clashes`
                    raise RegistryError("content file 'items' is the core's")
                files[stem] = schema
        files["items"] = ItemsFile  # the core's
        return files

    @functools.cached_property
    def export_parts(self) -> dict[str, tuple[Table, ...]]:
        from chibot.core.export import CORE_TABLES

        parts: dict[str, tuple[Table, ...]] = {CORE: CORE_TABLES}
        for system in self.systems:
            if system.tables:
                parts[system.name] = system.tables
        return parts

    @functools.cached_property
    def settings_model(self) -> type[BaseModel]:
        from chibot.core.settings import compose_settings

        return compose_settings(
            [(s.name, s.settings) for s in self.systems if s.settings is not None]
        )

    @functools.cached_property
    def settings_owner(self) -> dict[str, str]:
        """Setting key -> the system whose section declares it (`core` for the core's)."""
        from chibot.core.settings import CoreSettings

        owners = dict.fromkeys(CoreSettings.model_fields, CORE)
        for system in self.systems:
            if system.settings is not None:
                owners.update(dict.fromkeys(system.settings.model_fields, system.name))
        return owners

    @functools.cached_property
    def job_handlers(self) -> dict[str, JobHandler]:
        from chibot.core.sessions import CORE_JOBS  # the core's own: sessions that expire

        return {**CORE_JOBS, **{kind: fn for s in self.systems for kind, fn in s.jobs.items()}}

    @functools.cached_property
    def legacy_importers(self) -> tuple[Any, ...]:
        return tuple(importer for s in self.systems for importer in s.legacy)

    @functools.cached_property
    def cogs(self) -> tuple[str, ...]:
        return tuple(s.cog for s in self.ordered if s.cog)

    @functools.cached_property
    def phrase_modules(self) -> tuple[str, ...]:
        return tuple(s.phrases for s in self.ordered if s.phrases)

    @functools.cached_property
    def installed(self) -> frozenset[str]:
        """What an item's `requires` may name for the item to be sold in this release."""
        return frozenset(n for s in self.systems for n in (s.name, *s.makes_usable))

    def subscribe(self, bus: EventBus, services: Mapping[str, Any]) -> None:
        for system in self.ordered:
            for kind, factory in system.listens:
                bus.subscribe(kind, factory(services.get(system.name)))
