"""Text helpers shared by every view: times, player-written text, member names."""

from __future__ import annotations

from datetime import datetime

import discord
from discord.utils import format_dt

__all__ = [
    "code",
    "format_dt",
    "member_name",
    "name_of",
    "or_list",
    "plural",
    "safe",
    "timestamp",
    "typed",
]


def timestamp(when: datetime, style: discord.utils.TimestampStyle = "R") -> str:
    """A Discord timestamp (`<t:...:R>`), shown in each reader's time zone; relative by default."""
    return format_dt(when, style)


def safe(text: str) -> str:
    """Player-chosen text shown as is: no markdown, no mentions."""
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def typed(text: str, limit: int = 40) -> str:
    """What a member typed, echoed in a reply: one line, at most `limit` characters, no
    markdown, no mentions."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return safe(text)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """`1 rebirth`, `2 rebirths`, `1,000 members`: the count (with thousands separators) and
    the noun that agrees with it (`plural_form` when adding an "s" is wrong)."""
    noun = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {noun}"


def code(text: str, limit: int = 40) -> str:
    """What a member typed, inside inline code (`` `text` ``): one line, at most `limit`
    characters, and a backtick in it can't close the span early (double backticks then,
    with a zero-width space between any two backticks)."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    if "`" not in text:
        return f"`{text}`" if text else "` `"
    while "``" in text:
        text = text.replace("``", "`\u200b`")
    return f"`` {text} ``"


def or_list(names: list[str] | tuple[str, ...], *, bold: bool = True) -> str:
    """`**a**, **b** or **c**`: choices offered to the reader."""
    quoted = [f"**{n}**" if bold else f"`{n}`" for n in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


def name_of(
    user: discord.abc.User | None, user_id: int = 0, *, missing: str = "Member {id}"
) -> str:
    """A user's display name made safe; `missing` (with `{id}`) when the user is unknown."""
    return safe(user.display_name if user is not None else missing.format(id=user_id))


def member_name(guild: discord.Guild, user_id: int) -> str:
    """The safe display name of a member of `guild`, or "Former member <id>" once they left."""
    return name_of(guild.get_member(user_id), user_id, missing="Former member {id}")
