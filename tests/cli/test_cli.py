"""The command line: start-up refusals say what to do, and exit with distinct codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chibot import cli
from chibot.core import catalog


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env from the developer's checkout
    for name in ("DISCORD_TOKEN", "DATABASE_URL", "OWNER_IDS", "SHARD_IDS", "SHARD_COUNT"):
        monkeypatch.delenv(name, raising=False)


def test_run_without_token_explains_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run"]) == 2
    err = capsys.readouterr().err
    assert "No DISCORD_TOKEN" in err
    assert "make play" in err
    assert "discord.com/developers" in err


def test_bad_content_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "content"
    bad.mkdir()
    for path in catalog.CONTENT_DIR.glob("*.toml"):  # every file good but the words
        shutil.copy(path, bad / path.name)
    (bad / "words.toml").write_text('version = 1\npositive = ["nice"]\nnegative = ["nice"]\n')
    monkeypatch.setattr(catalog, "CONTENT_DIR", bad)
    db = tmp_path / "play.db"
    assert cli.main(["play", "--database-url", f"sqlite+aiosqlite:///{db}"]) == 3
    err = capsys.readouterr().err
    assert "Invalid game content" in err
    assert "content/words.toml" in err and "both lists" in err


def test_invalid_environment_is_reported(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SHARD_COUNT", "many")
    assert cli.main(["run"]) == 2
    assert "Invalid settings" in capsys.readouterr().err


def test_settings_parse_id_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    from chibot.config import Settings

    monkeypatch.setenv("OWNER_IDS", "123, 456")
    monkeypatch.setenv("SHARD_IDS", "0,1")
    settings = Settings(_env_file=None)
    assert settings.owner_ids == [123, 456]
    assert settings.shard_ids == [0, 1]
    assert settings.database_url == "sqlite+aiosqlite:///data/chibot.db"
    assert settings.default_prefix == "P!"


def test_db_upgrade_creates_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sub" / "chibot.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    assert cli.main(["db", "upgrade"]) == 0
    assert path.exists()
    assert cli.main(["db", "upgrade"]) == 0  # idempotent


def test_run_applies_migrations_before_connecting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import discord
    import sqlalchemy

    from chibot.discord.bot import ChiBot

    db_path = tmp_path / "run.db"
    seen: dict[str, object] = {}

    async def fake_start(self, token: str, *, reconnect: bool = True) -> None:
        engine = sqlalchemy.create_engine(f"sqlite:///{db_path}")
        with engine.connect() as conn:
            seen["tables"] = set(sqlalchemy.inspect(conn).get_table_names())
        seen["token"] = token
        raise discord.LoginFailure("bad token")

    monkeypatch.setattr(ChiBot, "start", fake_start)
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi")
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{db_path}")
    assert cli.main(["run"]) == 2
    assert {"members", "ledger", "alembic_version"} <= seen["tables"]  # migrated before connecting
    assert seen["token"] == "abc.def.ghi"
    assert "Discord refused the token" in capsys.readouterr().err
