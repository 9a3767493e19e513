"""Process settings, read from the environment and an optional `.env` file.

Per-server settings (prefix, chat amounts, ...) are not here: they live in the database and are
read through `chibot.core.settings.GuildSettings`. This module holds only what one process needs
to start: where the database is, which token to log in with, which shards to run.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/chibot.db"


def _int_list(value: object) -> list[int]:
    if value is None or value == "":
        return []
    if isinstance(value, int):
        return [value]
    if isinstance(value, str):
        parts = value.replace(";", ",").replace(" ", ",").split(",")
        return [int(p) for p in parts if p.strip()]
    if not isinstance(value, Iterable):
        raise TypeError(f"{type(value).__name__!r} object is not iterable")
    return [int(v) for v in value]


class Settings(BaseSettings):
    """Every setting of the process, with its default. The README lists them."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: str | None = Field(
        default=None, description="Bot token from the Developer Portal."
    )
    database_url: str = Field(default=DEFAULT_DATABASE_URL, description="SQLAlchemy async URL.")
    database_pool_size: int = Field(
        default=32, ge=1, description="PostgreSQL: connections kept open (the bot's concurrency)."
    )
    database_max_overflow: int = Field(
        default=16, ge=0, description="PostgreSQL: extra connections opened for a burst."
    )
    owner_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Bot owners (PSY), besides the application owner."
    )
    shard_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="Shards this process runs (empty: all)."
    )
    shard_count: int | None = Field(default=None, description="Total shards (empty: ask Discord).")
    default_prefix: str = Field(default="P!", description="Prefix for servers that set none.")
    log_level: str = Field(default="INFO")
    export_dir: str = Field(default="data/exports", description="Where automatic exports go.")
    donate_url: str | None = Field(
        default=None,
        description="An https link `donate` shows (empty: the bot says it takes no donations).",
    )

    @field_validator("owner_ids", "shard_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> list[int]:
        return _int_list(value)

    @field_validator("donate_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if not value.startswith("https://") or len(value) > 500 or any(c.isspace() for c in value):
            raise ValueError("DONATE_URL must be one https:// link of at most 500 characters")
        return value

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    def sqlite_path(self) -> Path | None:
        """The file behind a SQLite URL, so that its folder can be created before connecting."""
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix):
            rest = self.database_url[len(prefix) :]
            if rest and rest != ":memory:":
                return Path(rest.split("?", 1)[0])
        return None
