"""The system registry: every feature folder's manifest, iterated by everything.

Proven here, with a system defined inside the test suite (`toy_system.py`) added beside the
real ones, and no line of core changed for it:
- the app builds its service (after the systems it needs) and reaches it by name and type;
- the catalog loads its content file; the item registry sells what it makes usable;
- the settings model has its section: `config set toy_limit 5` validates and stores, and
  `config` lists it under the system;
- its facts reach progress (achievements are checked), and the facts of other systems reach
  its listener, inside the same transaction;
- its table is part of a server's export (round trip byte-identical), import and backup;
- the scheduler runs its job; the legacy import lists its importer;
- the bot loads its cog, `help` lists its command under its summary.
Also: the real registry finds every feature folder, orders services by need, and refuses
clashes (two systems declaring one setting, a need that is not installed, a cycle).
"""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import toy_system
from sqlalchemy import delete

from chibot.app import App
from chibot.config import Settings
from chibot.core import export
from chibot.core.catalog import CONTENT_DIR, load_catalog
from chibot.core.registry import Registry, RegistryError, default_registry
from chibot.core.scheduler import Jobs, run_due
from chibot.core.settings import SettingsSection
from chibot.core.system import System
from chibot.legacy import read_legacy_dir, run_legacy_import

G, OTHER = 801, 802
A, ADMIN = 11, 99

REAL = (
    "admin",
    "combat",
    "crafting",
    "economy",
    "gardens",
    "lifecycle",
    "owner",
    "pets",
    "progress",
    "shop",
    "teams",
    "utility",
)


@pytest.fixture
def registry() -> Registry:
    return Registry([*default_registry().systems, toy_system.SYSTEM])


@pytest.fixture
def content(tmp_path: Path) -> Path:
    for path in CONTENT_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "toys.toml").write_text('version = 1\nnames = ["kite", "yoyo"]\n')
    return tmp_path


@pytest.fixture
async def toy_app(db, clock, registry: Registry, content: Path):
    async with db.engine.begin() as conn:
        await conn.run_sync(toy_system.toy_metadata.create_all)
    settings = Settings(
        _env_file=None, discord_token=None, owner_ids=[1], default_prefix="P!", database_url=db.url
    )
    app = App(
        settings, db, load_catalog(content, registry), clock, random.Random(5), registry=registry
    )
    yield app
    async with db.engine.begin() as conn:
        await conn.run_sync(toy_system.toy_metadata.drop_all)


def test_the_real_registry_finds_every_feature_folder() -> None:
    registry = default_registry()
    assert tuple(s.name for s in registry.systems) == REAL
    order = [s.name for s in registry.ordered]
    assert order.index("admin") < order.index("owner") and order.index("progress") < order.index(
        "shop"
    )
    assert set(registry.export_parts) == {
        "core",
        "progress",
        "teams",
        "gardens",
        "crafting",
        "combat",
        "pets",
    }
    assert set(registry.content_files) == {
        "words",
        "achievements",
        "milestones",
        "items",
        "gardens",
        "crafting",
        "npcs",
        "bosses",
        "team_bosses",
        "pets",
    }
    assert registry.settings_owner["daily_reward"] == "economy"
    assert registry.settings_owner["shop_price_multiplier"] == "shop"
    assert registry.settings_owner["prefix"] == "core"
    assert "purge_guild" in registry.job_handlers
    assert len(registry.cogs) == len(REAL)


async def test_a_test_defined_system_takes_part_in_everything(toy_app: App, db) -> None:
    app = toy_app
    # the app: its service, by name and by type, built with what it needs
    assert app.toys is app.get(toy_system.ToyService)
    # the catalog and the item registry
    assert app.catalog.files["toys"].names == ("kite", "yoyo")
    assert "bosses" in app.catalog.items.installed  # the toys make "bosses" usable
    assert "bosses" not in load_catalog().items.installed  # ... and nothing else does
    # its facts reach progress (early bird: the member's first checked action)
    plays, notices = await app.toys.play(G, A, "kite")
    assert plays == 1 and [a.id for a in notices] == ["early_bird"]
    # other systems' facts reach its listener
    await app.economy.daily(G, A)
    assert (A, "DailyClaimed") in app.toys.heard and (A, "ToyPlayed") in app.toys.heard
    # settings: its section is part of the model, validated and stored per server
    await app.guild_settings.set(G, "toy_limit", 5, by=ADMIN)
    assert (await app.guild_settings.get(G)).toy_limit == 5
    assert (await app.guild_settings.get(OTHER)).toy_limit == 3
    with pytest.raises(Exception, match="toy_limit"):
        await app.guild_settings.set(G, "toy_limit", 1000, by=ADMIN)
    # export: its part is in the document; the round trip is byte-identical
    parts = app.registry.export_parts
    document = await export.export_guild(db, G, parts)
    assert document["parts"]["toys"]["test_toys"] == [{"user_id": A, "name": "kite", "plays": 1}]
    text = export.dumps(document)
    async with db.transaction() as conn:
        await conn.execute(delete(toy_system.toys))
    await export.import_guild(db, document, parts=parts)
    assert export.dumps(await export.export_guild(db, G, parts)) == text
    backup = await export.backup(db, parts)
    assert any("toys" in d["parts"] for d in backup["guilds"])
    # the scheduler runs its job
    await db.scoped(G, lambda s: s.get(Jobs).schedule("toy_tick", s.now()))
    app.clock.advance(1)
    assert await run_due(db, app) == 1 and app.toys.ticks == [G]
    # the legacy import runs its importer: its line is in the report
    assert toy_system.TOY_IMPORTER in app.registry.legacy_importers
    source = read_legacy_dir(Path(__file__).parent.parent / "legacy" / "fixtures" / "basic")
    report = await run_legacy_import(
        db, app.catalog, source, app.registry.legacy_importers, guild_id=None
    )
    assert any(line.importer == "toys" for line in report.lines)


async def test_the_bot_loads_its_cog_and_help_lists_it(toy_app: App) -> None:
    from chibot.discord.sandbox import Sandbox

    world = await Sandbox.start(toy_app)
    try:
        said = await world.say("Alice", "Bamboo Grove", "P!toyplay yoyo")
        assert "played with the yoyo 1 times" in said.text
        shown = await world.say("Alice", "Bamboo Grove", "P!help")
        embed = shown.reply.embeds[0]
        fields = {f["name"]: f["value"] for f in embed["fields"]}
        assert "`toyplay`" in fields["Toys"]
        config = await world.say("Psy", "Bamboo Grove", "P!config")
        assert "**Toys**" in config.text and "`toy_limit` = 3" in config.text
    finally:
        await world.close()


# --- refusals ---------------------------------------------------------------------------------


class _Clash(SettingsSection):
    daily_reward: int = 1


def test_two_sections_cannot_declare_one_setting() -> None:
    clash = System(name="clash", summary="x", settings=_Clash)
    with pytest.raises((RegistryError, ValueError), match="daily_reward"):
        Registry([*default_registry().systems, clash])


def test_needs_must_be_installed_and_acyclic() -> None:
    with pytest.raises(RegistryError, match="not installed"):
        Registry([System(name="lonely", summary="x", service=lambda c: None, needs=("nowhere",))])
    a = System(name="a", summary="x", service=lambda c: None, needs=("b",))
    b = System(name="b", summary="x", service=lambda c: None, needs=("a",))
    with pytest.raises(RegistryError, match="cycle"):
        Registry([a, b])


def test_names_tables_and_job_kinds_are_unique() -> None:
    toy = replace(toy_system.SYSTEM, needs=())
    with pytest.raises(RegistryError, match="two systems"):
        Registry([toy, toy])
    with pytest.raises(RegistryError, match="job kind"):
        Registry([toy, replace(toy, name="toys2", settings=None, tables=(), content={})])
