"""Administration use cases: settings and the server blacklist, each audited."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chibot.core import export
from chibot.core.db import Database
from chibot.core.scope import GuildScope
from chibot.core.settings import SettingsService
from chibot.features.admin import rules
from chibot.features.admin.errors import AlreadyBlacklisted, NotBlacklisted
from chibot.features.admin.store import Wipe

_WORD_KEYS = ("extra_positive_words", "extra_negative_words", "removed_words")


@dataclass(frozen=True, slots=True)
class ServerReset:
    members: int
    chi: int
    rebirths: int
    export_path: Path


class AdminService:
    def __init__(
        self,
        db: Database,
        settings: SettingsService,
        export_dir: Path | str = "data/exports",
        *,
        export_parts: export.Parts | None = None,
        content_words: Any = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.export_dir = Path(export_dir)
        self.export_parts = export_parts  # None: the parts of the installed systems
        # The chat words of the content (`content/words.toml`, the economy's schema: read by
        # its field names, positive / negative / secret[].word), so that a server's extra
        # words stay off the other lists. None: no content words (a bare test service).
        self.content_words = content_words

    async def reset_member(
        self, guild_id: int, user_id: int, *, by: int, action: str = "admin.reset"
    ) -> dict[str, int]:
        """Wipe one member in this server (the chest survives); audited with what they had:
        the values the zeroing ledger rows removed, read from the row as it was deleted."""

        async def tx(scope: GuildScope) -> dict[str, int]:
            wiped = await scope.get(Wipe).member(user_id, reason=action, ref=str(by))
            before = {
                "chi": wiped.chi,
                "rebirths": wiped.rebirths,
                "lifetime_chi": wiped.lifetime_chi,
            }
            await scope.audit.write(by, action, target_id=user_id, before=before, after=None)
            return before

        return await self.db.scoped(guild_id, tx)

    async def reset_server(self, guild_id: int, *, by: int) -> ServerReset:
        """Wipe every member of this server, after an automatic export (its path is returned,
        so the admin is told where it is). Chests, settings and history are kept. The export
        is a new file (never one that exists: two resets in the same second keep both), on
        disk before the wipe begins."""
        document = await export.export_guild(self.db, guild_id, self.export_parts)
        stamp = self.db.clock.now().strftime("%Y%m%dT%H%M%SZ")
        path = await asyncio.to_thread(
            _write_new, self.export_dir, f"{guild_id}-{stamp}", export.dumps(document)
        )

        async def tx(scope: GuildScope) -> ServerReset:
            wiped = await scope.get(Wipe).server(reason="admin.totalreset", ref=str(by))
            count = len(wiped)
            chi = sum(w.chi for w in wiped)
            rebirths = sum(w.rebirths for w in wiped)
            await scope.audit.write(
                by,
                "admin.totalreset",
                before={"members": count, "chi": chi, "rebirths": rebirths},
                after=None,
                note=str(path),
            )
            return ServerReset(count, chi, rebirths, path)

        return await self.db.scoped(guild_id, tx)

    async def show(self, guild_id: int) -> tuple[Any, set[str]]:
        """The settings and the keys this server has set (the rest are defaults)."""

        async def tx(scope: GuildScope) -> tuple[Any, set[str]]:
            return await scope.settings.load(), set(await scope.settings.stored())

        return await self.db.scoped(guild_id, tx)

    async def set(self, guild_id: int, key: str, text: str, *, by: int) -> Any:
        value = rules.parse_value(self.settings.model, key, text)
        if key in _WORD_KEYS:
            current = await self.settings.get(guild_id)
            lists = self._word_lists(current, without=key)
            for word in {w.strip().lower() for w in value or ()} - set(getattr(current, key)):
                rules.check_word_fits(key, word, lists)
        return await self.settings.set(guild_id, key, value, by=by)

    async def reset(self, guild_id: int, key: str, *, by: int) -> Any:
        return await self.settings.reset(guild_id, key, by=by)

    async def edit_words(
        self, guild_id: int, which: str, word: str, *, add: bool, by: int
    ) -> list[str]:
        key = rules.word_list_key(which)
        word = rules.unquote(word)

        async def tx(scope: GuildScope) -> list[str]:
            settings = await scope.settings.load()
            current = list(getattr(settings, key))
            if add:
                rules.check_word_fits(key, word, self._word_lists(settings, without=key))
            updated = await scope.settings.set(key, rules.with_word(current, word, add=add), by=by)
            return list(getattr(updated, key))

        result = await self.db.scoped(guild_id, tx)
        self.settings.cache.drop(guild_id)
        return result

    def _word_lists(self, settings: Any, *, without: str) -> rules.WordLists:
        """The lists a word added to `without` must stay off (that list itself left out)."""
        words = self.content_words

        def extra(key: str) -> frozenset[str]:
            return frozenset() if key == without else frozenset(getattr(settings, key, ()))

        return rules.WordLists(
            builtin_positive=frozenset(getattr(words, "positive", ())),
            builtin_negative=frozenset(getattr(words, "negative", ())),
            secret=frozenset(s.word for s in getattr(words, "secret", ())),
            extra_positive=extra("extra_positive_words"),
            extra_negative=extra("extra_negative_words"),
        )

    async def blacklist(
        self,
        guild_id: int,
        user_id: int,
        *,
        add: bool,
        by: int,
        reason: str | None = None,
        owners: Collection[int] = (),
        is_bot: bool = False,
    ) -> None:
        """Put a member on this server's blacklist or take them off. An admin can't bar
        themselves, a bot owner or a bot (`owners` and `is_bot` come from Discord)."""
        if add:
            rules.check_blacklist_target(user_id, by=by, owners=owners, is_bot=is_bot)
            reason = rules.blacklist_reason(reason)

        async def tx(scope: GuildScope) -> None:
            changed = await (
                scope.blacklist.add(user_id, by, reason) if add else scope.blacklist.remove(user_id)
            )
            if not changed:
                raise AlreadyBlacklisted() if add else NotBlacklisted()
            await scope.audit.write(
                by, f"blacklist.{'add' if add else 'remove'}", target_id=user_id, note=reason
            )

        await self.db.scoped(guild_id, tx)

    async def is_blocked(self, guild_id: int, user_id: int) -> bool:
        """On this server's blacklist or the bot-wide one (guild id 0 for DMs: bot-wide only)."""
        return await self.db.scoped(guild_id, lambda s: s.blacklist.is_blocked(user_id))

    async def blacklisted(self, guild_id: int) -> list[int]:
        return await self.db.scoped(guild_id, lambda s: s.blacklist.list())


def _write_new(directory: Path, stem: str, text: str) -> Path:
    """Write `text` to a file that did not exist, `<stem>-before-reset.json` or, when that is
    taken, `<stem>-2-before-reset.json`, `-3`, ... (exclusive create: never overwritten, even
    by another process), flushed and fsynced before returning."""
    directory.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    for n in range(1, 10_000):
        path = directory / f"{stem}{'' if n == 1 else f'-{n}'}-before-reset.json"
        try:
            handle = open(path, "xb")  # noqa: SIM115 (closed below, after the fsync)
        except FileExistsError:
            continue
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _fsync_directory(directory)
        return path
    raise FileExistsError(f"no free export name for {stem} in {directory}")


def _fsync_directory(directory: Path) -> None:
    """Make the new file's name durable too (POSIX; a no-op where directories can't be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
