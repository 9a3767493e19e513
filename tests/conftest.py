"""Shared fixtures. PostgreSQL provisioning lives in tests/support/postgres.py.

Tests that must pass on both backends take ``database_url`` (ids ``sqlite`` and
``postgresql``). Environment knobs: CHIBOT_TEST_PG=0 (skip PostgreSQL), =1 (fail if
unavailable), =cluster (always use a private temporary cluster); CHIBOT_TEST_PG_URL=
postgresql://user:pw@host:port/postgres (use that server).
"""

from __future__ import annotations

import pytest

try:  # tests/ is not a package, so pytest puts tests/ itself on sys.path
    from support.postgres import PostgresSession, is_required
except ModuleNotFoundError as exc:  # tests/ has become a package
    if exc.name != "support":
        raise
    from tests.support.postgres import PostgresSession, is_required

_PG = PostgresSession()
_PG_FIXTURES = {"postgres_url", "database_url"}


def _pg_banner(reason: str | None) -> str:
    return f"!!! PostgreSQL tests were SKIPPED: {reason} !!!"


def pytest_configure(config: pytest.Config) -> None:
    # Errors are worded by the systems' phrases, as the bot installs them at start-up, so that
    # a test can check the sentence a member reads (`chibot.discord.wording.word`).
    from chibot.core.registry import default_registry
    from chibot.discord.wording import install_phrases

    install_phrases(default_registry().phrase_modules)
    try:
        is_required()
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Provision before the first test runs (only if a collected test needs it) and say so."""
    if session.config.option.collectonly:
        return
    if not any(_PG_FIXTURES & set(getattr(item, "fixturenames", ())) for item in session.items):
        return
    pg = _PG.get()
    tr = session.config.pluginmanager.get_plugin("terminalreporter")
    if tr is None:
        return
    tr.ensure_newline()
    if pg.available:
        tr.write_line(f"PostgreSQL tests use {pg.url} [{pg.source}]", green=True)
    else:
        tr.write_line(_pg_banner(pg.reason), red=True, bold=True)


_WORKERS_PG: list[dict] = []
"""With pytest-xdist, what each worker's PostgreSQL provisioning found (the workers' own
terminal output is not shown, so the controller repeats it: the skip stays loud)."""


def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)  # set on an xdist worker only
    pg = _PG.result
    if output is not None and pg is not None:
        output["chibot_pg"] = {"available": pg.available, "url": pg.url, "reason": pg.reason,
                               "source": pg.source}  # fmt: skip


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    found = getattr(node, "workeroutput", {}).get("chibot_pg")
    if found is not None:
        _WORKERS_PG.append(found)


def pytest_terminal_summary(terminalreporter) -> None:
    pg = _PG.result
    if pg is not None and not pg.available:
        terminalreporter.write_sep("!", "PostgreSQL", red=True, bold=True)
        terminalreporter.write_line(_pg_banner(pg.reason), red=True, bold=True)
    for found in _WORKERS_PG:
        if found["available"]:
            terminalreporter.write_line(
                f"PostgreSQL tests used {found['url']} [{found['source']}]", green=True
            )
    skipped = [f for f in _WORKERS_PG if not f["available"]]
    if skipped:
        terminalreporter.write_sep("!", "PostgreSQL", red=True, bold=True)
        terminalreporter.write_line(_pg_banner(skipped[0]["reason"]), red=True, bold=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    _PG.close()  # drop the throwaway database, stop/delete a temporary cluster


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """SQLAlchemy URL (postgresql+asyncpg://...) of this session's throwaway database."""
    pg = _PG.get()
    if not pg.available:
        if is_required():
            pytest.fail(f"PostgreSQL is required (CHIBOT_TEST_PG) but unavailable: {pg.reason}")
        pytest.skip(f"PostgreSQL unavailable: {pg.reason}")
    return pg.url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Both backends: a fresh SQLite file per test, or the session's PostgreSQL database.

    The PostgreSQL database is shared by the whole session: the app's ``db`` fixture
    (below) must create the schema once and truncate tables between tests.
    """
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/chibot.db"
    return request.getfixturevalue("postgres_url")


# --- database fixtures for the app are added below by the core ---

import random  # noqa: E402

from sqlalchemy import text  # noqa: E402

from chibot.app import App  # noqa: E402
from chibot.config import Settings  # noqa: E402
from chibot.core.catalog import load_catalog  # noqa: E402
from chibot.core.clock import ManualClock  # noqa: E402
from chibot.core.db import Database  # noqa: E402
from chibot.core.registry import default_registry  # noqa: E402
from chibot.core.tables import metadata  # noqa: E402

_MIGRATED: set[str] = set()
OWNER_ID = 1_000_000_000_000_000_001  # the test bot's owner ("PSY")


@pytest.fixture(autouse=True)
def _discord_limits():
    """Fail the test if the bot sent anything Discord refuses with HTTP 400 (a message over
    2,000 characters, an embed over 6,000, 26 select options...), even if the bot caught the
    error: the offline Discord enforces Discord's limits (`chibot.discord.harness.LIMITS`)."""
    from chibot.discord.harness import unreported_refusals

    unreported_refusals()  # anything left by an earlier test was reported there
    yield
    if refused := unreported_refusals():
        pytest.fail(
            "the bot sent what Discord refuses with HTTP 400:\n"
            + "\n".join(f"  {r}" for r in refused),
            pytrace=False,
        )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def db(database_url: str, clock: ManualClock):
    """A migrated, empty database on each backend. PostgreSQL's is shared by the session:
    migrated once, truncated before each test."""
    database = Database(database_url, clock=clock)
    default_registry()  # every system's tables are on `metadata` (truncated below)
    if database.dialect == "postgresql":
        if database_url not in _MIGRATED:
            await database.upgrade()
            _MIGRATED.add(database_url)
        names = ", ".join(t.name for t in metadata.sorted_tables)
        async with database.transaction() as conn:
            await conn.execute(text(f"TRUNCATE {names}"))
    else:
        await database.upgrade()
    yield database
    await database.dispose()


def make_settings(**overrides) -> Settings:
    values = {"discord_token": None, "owner_ids": [OWNER_ID], "default_prefix": "P!"}
    values.update(overrides)
    return Settings(_env_file=None, **values)


@pytest.fixture
def app(db: Database, clock: ManualClock) -> App:
    """The whole application over the test database, with a fixed clock and seeded dice."""
    return App(make_settings(database_url=db.url), db, load_catalog(), clock, random.Random(1234))


@pytest.fixture
async def sandbox(app: App):
    """The real bot over `app`, offline: two servers and their members (see
    `chibot.discord.sandbox`)."""
    from chibot.discord.sandbox import Sandbox

    world = await Sandbox.start(app)
    yield world
    await world.close()
