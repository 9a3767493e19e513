"""`chibot import-legacy DIR [--guild ID] [--dry-run]`: exit codes, the printed report and its
totals, the elapsed time and peak memory, on both backends."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chibot import cli
from chibot.core.tables import ledger, members

FIXTURES = Path(__file__).parent / "fixtures" / "basic"
G = 1405243158958309417


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "OWNER_IDS", "SHARD_IDS", "SHARD_COUNT"):
        monkeypatch.delenv(name, raising=False)


async def chibot(*args: str) -> int:
    return await asyncio.to_thread(cli.main, ["import-legacy", *args])


async def member_count(db) -> int:
    async with db.transaction() as conn:
        return (
            await conn.execute(
                select(func.count()).select_from(members).where(members.c.guild_id == G)
            )
        ).scalar_one()


async def test_import_prints_the_report_and_totals(db, capsys: pytest.CaptureFixture[str]) -> None:
    assert await chibot(str(FIXTURES), "--database-url", db.url) == 0
    out, err = capsys.readouterr()
    assert f"into server {G}" in out
    for heading in (
        "Written",
        "Quarantined records",
        "Not imported yet (no such system)",
        "Not in this game",
        "Totals: nothing lost",
    ):
        assert heading in out
    assert "5,102,284,129" in out  # total chi, in the files (imported part) and in the database
    assert "NO" not in out.split("Totals: nothing lost")[1]
    assert "elapsed" in out and "peak memory" in out and "MB" in out
    assert "Imported into server" in err
    assert await member_count(db) == 10
    async with db.transaction() as conn:
        entries = (await conn.execute(select(func.count()).select_from(ledger))).scalar_one()
    assert (
        await chibot(str(FIXTURES), "--database-url", db.url, "--guild", str(G)) == 0
    )  # again: nothing changes
    assert "rows changed: 0" in capsys.readouterr().out
    async with db.transaction() as conn:
        assert (
            await conn.execute(select(func.count()).select_from(ledger))
        ).scalar_one() == entries


async def test_dry_run_prints_and_writes_nothing(db, capsys: pytest.CaptureFixture[str]) -> None:
    assert await chibot(str(FIXTURES), "--database-url", db.url, "--dry-run") == 0
    out, err = capsys.readouterr()
    assert "DRY RUN" in out and "Would write" in out and "Totals: nothing lost" in out
    assert "nothing was written" in err
    assert await member_count(db) == 0


async def test_a_foreign_target_is_refused_with_exit_2(
    db, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        await chibot(str(FIXTURES), "--database-url", db.url, "--guild", "200000000000000777") == 2
    )
    out, err = capsys.readouterr()
    assert "Import refused" in out and "embedded guild_id" in out and "200000000000000777" in out
    assert "Refused" in err and "nothing was written" in err
    assert await member_count(db) == 0


def test_a_missing_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/x.db"
    assert cli.main(["import-legacy", str(tmp_path / "nope"), "--database-url", url]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_the_command_is_listed() -> None:
    help_text = cli.build_parser().format_help()
    assert "import-legacy" in help_text and "export" in help_text and "bench" in help_text
