"""An offline Discord: run a real discord.py bot with no network at all.

:class:`OfflineDiscord` keeps a tiny model of the world (guilds, channels, roles, members,
users), turns it into raw gateway payloads and feeds them to the bot's ``ConnectionState``,
then records every REST call and interaction response the bot makes and answers them with
plausible JSON.  After each injected event it waits until every task that event spawned has
finished, so a test reads like ``ex = await h.send(g, c, u, "P!ping"); assert ex.text == "pong"``.

It is as strict as Discord: every message, edit, interaction response, follow-up, autocomplete
answer and modal is checked against Discord's limits (:data:`LIMITS`, :class:`DiscordLimits`)
and refused the way Discord refuses it, with the ``discord.HTTPException`` (400 ``Invalid Form
Body``) discord.py would raise. Each refusal is recorded (``refusals`` of the harness and of the
exchange); with ``raise_errors`` the exchange raises :class:`OverLimit` even if the bot caught
the exception, and :func:`unreported_refusals` lets a test runner fail whatever slipped by
(tests/conftest.py does, for every test). Members are held to Discord too: at most 6,000
characters a slash option, one of an option's choices.

Private discord.py seams used (why ``discord.py`` is pinned to 2.7.x in pyproject):

* ``client._connection.parse_<event>(payload)`` is where the gateway hands decoded events to
  the cache and dispatcher.  We call it directly; no websocket is ever opened.  ``client.ws``
  is replaced by :class:`_FakeGateway` (presence changes, member chunk requests).
* ``client._async_setup_hook()`` binds ``client.loop``/``http.loop``; ``Client.login`` calls it
  and then ``setup_hook()``.  :meth:`OfflineDiscord.start` does the same minus the token.
* ``client.http.request(route, ...)`` is the single funnel for REST; it is replaced on the
  instance by the recorder.  ``static_login``/``ws_connect``/``get_from_cdn`` are stubbed.
* Interaction callbacks and follow-ups bypass ``HTTPClient`` and go through the adapter in
  ``discord.webhook.async_.async_context`` (a ContextVar).  Every public adapter method
  (``create_interaction_response``, ``execute_webhook``, ``*_original_interaction_response``,
  ``edit/delete/get_webhook_message``...) funnels into ``AsyncWebhookAdapter.request``, so the
  recording adapter overrides that one method.  The ContextVar is set in every task the
  harness's task factory creates, so it works whichever context a fixture ran in.
* Idle tracking: a task factory installed on the running loop attributes each new task to
  the :class:`Exchange` stored in a ContextVar at injection time (tasks inherit the context,
  so nested tasks are tracked too).  Tasks that are timers, not work (``View`` timeouts,
  ``ext.tasks`` loops, ``delete_after`` sleeps) are excluded, see ``IGNORED_COROUTINES``.
* Errors that reach discord.py's default handlers (``Client.on_error``,
  ``Bot.on_command_error``, ``CommandTree.on_error``, ``View.on_error``) are only *logged*
  ("Ignoring exception in ..."), so a handler on the ``discord`` logger captures them.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import os
import re
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import FrameType, SimpleNamespace
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, cast
from urllib.parse import unquote

import discord
from discord.http import Route
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

if TYPE_CHECKING:
    from discord.types.gateway import GuildMembersChunkEvent
    from discord.types.user import User as UserPayload

__all__ = [
    "LIMITS",
    "BotError",
    "DiscordLimits",
    "OverLimit",
    "Problem",
    "Refusal",
    "check_limits",
    "unreported_refusals",
    "Exchange",
    "FakeChannel",
    "FakeGuild",
    "FakeRole",
    "FakeUser",
    "HarnessTimeout",
    "JSON",
    "HttpCall",
    "OfflineDiscord",
    "RoleChange",
    "SentMessage",
]

DISCORD_EPOCH_MS = 1_420_070_400_000
EPHEMERAL, LOADING = 64, 128
ALL_PERMISSIONS = discord.Permissions.all().value
EVERYONE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    read_message_history=True,
    add_reactions=True,
    embed_links=True,
    attach_files=True,
    use_external_emojis=True,
    use_application_commands=True,
    create_instant_invite=True,
    change_nickname=True,
    connect=True,
    speak=True,
).value
#: ``__qualname__`` fragments of tasks that are timers, not work: never waited for (so a view's
#: ``on_timeout`` or a ``delete_after=`` deletion only happens if the test itself sleeps) and
#: cancelled by :meth:`OfflineDiscord.close`.  Extend ``harness.ignored_coroutines`` for your own.
IGNORED_COROUTINES = (
    "View.__timeout_task_impl",
    "Loop._loop",
    ".delete.<locals>.delete",
    "<locals>.inner_call",
)
_LIBRARY_DIRS = (os.path.dirname(asyncio.__file__), os.path.dirname(discord.__file__))
_JOINED_AT = "2025-01-01T00:00:00+00:00"
_SELECT_TYPES = {3: None, 5: 6, 6: 8, 7: 9, 8: 7}  # select component type -> option type of values
#: A raw Discord JSON object (gateway payload, REST body or response) as the harness builds it.
JSON = dict[str, Any]
_EXCHANGE: contextvars.ContextVar[Exchange | None] = contextvars.ContextVar(
    "offline_exchange", default=None
)


def _iso(snowflake: int) -> str:
    return datetime.fromtimestamp(((snowflake >> 22) + DISCORD_EPOCH_MS) / 1000, UTC).isoformat()


def _walk(components: list[JSON]) -> Iterator[JSON]:
    for comp in components or ():
        yield comp
        yield from _walk(comp.get("components", []))
        if isinstance(comp.get("accessory"), dict):
            yield comp["accessory"]


def _check_ids(*ids: int) -> None:
    """discord.py's converters only recognise 15-20 digit ids in mentions (``<@id>``, ``<#id>``)."""
    if bad := [i for i in ids if not 15 <= len(str(i)) <= 20]:
        raise ValueError(f"ids must be 15-20 digit snowflakes like real Discord ones, got {bad}")


def _response(status: int, reason: str) -> Any:
    """What discord.py's HTTP errors read of an aiohttp response: its status and reason."""
    return SimpleNamespace(status=status, reason=reason)


def _not_found(what: str) -> discord.NotFound:
    return discord.NotFound(
        _response(404, "Not Found"),
        {"code": 10000, "message": f"Unknown {what}"},
    )


class BotError(Exception):
    """Raised (when ``raise_errors``) if the bot hit an unhandled error while handling an event."""

    def __init__(self, exchange: Exchange):
        self.exchange = exchange
        first = exchange.errors[0]
        super().__init__(
            f"bot raised while handling {exchange.event}: {first!r}"
            + (f" (+{len(exchange.errors) - 1} more)" if len(exchange.errors) > 1 else "")
        )
        self.__cause__ = first


class HarnessTimeout(TimeoutError):
    """The bot was still busy when the idle timeout expired."""


# ----------------------------------------------------------------------------- world model
@dataclass
class FakeUser:
    id: int
    name: str
    bot: bool = False

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": self.name,
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
        }


@dataclass
class FakeChannel:
    id: int
    name: str
    guild_id: int | None
    type: int = 0  # 0 text, 1 DM, 2 voice, 4 category
    recipient: FakeUser | None = None

    def payload(self) -> JSON:
        if self.type == 1:
            return {
                "id": str(self.id),
                "type": 1,
                "last_message_id": None,
                "recipients": [self.recipient.payload()] if self.recipient else [],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "guild_id": str(self.guild_id),
            "position": 0,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }


@dataclass
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 1

    def payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "hoist": False,
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class FakeGuild:
    """A guild as the harness knows it; ``members`` maps user id -> assigned role ids."""

    id: int
    name: str
    owner_id: int
    channels: dict[int, FakeChannel] = field(default_factory=dict)
    roles: dict[int, FakeRole] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)
    nicks: dict[int, str | None] = field(default_factory=dict)
    joined: bool = False

    @property
    def default_channel_id(self) -> int:
        return next(c.id for c in self.channels.values() if c.type == 0)

    def channel(self, name: str) -> FakeChannel:
        return next(c for c in self.channels.values() if c.name == name)

    def role(self, name: str) -> FakeRole:
        return next(r for r in self.roles.values() if r.name == name)

    def permissions_for(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        value = self.roles[self.id].permissions
        for role_id in self.members.get(user_id, ()):
            value |= self.roles[role_id].permissions
        return ALL_PERMISSIONS if value & discord.Permissions(administrator=True).value else value


# ----------------------------------------------------------------------------- observations
@dataclass(eq=False)
class HttpCall:
    """One outgoing call: ``path`` is the route template, ``url`` the concrete path."""

    source: str  # "rest" | "webhook"
    method: str
    path: str
    url: str
    params: dict[str, Any]
    json: Any = None
    files: list[tuple[str, bytes]] = field(default_factory=list)
    query: dict[str, Any] | None = None
    reason: str | None = None
    status: int = 200
    response: Any = None

    def __str__(self) -> str:
        return f"{self.method} {self.url}"


class RoleChange(NamedTuple):
    action: str  # "add" | "remove"
    guild_id: int
    user_id: int
    role_id: int
    reason: str | None


@dataclass(eq=False)
class SentMessage:
    """A message the bot created, kept up to date by later edits/deletes."""

    id: int
    channel_id: int
    guild_id: int | None
    author: JSON = field(repr=False, default_factory=dict)
    content: str = ""
    embeds: list[JSON] = field(default_factory=list)
    components: list[JSON] = field(default_factory=list)
    attachments: list[JSON] = field(default_factory=list)
    ephemeral: bool = False
    is_dm: bool = False
    deleted: bool = False
    flags: int = 0
    reference_id: int | None = None
    interaction: bool = False  # created as an interaction response / follow-up
    edits: int = 0
    edited_timestamp: str | None = None

    def _apply(self, body: JSON, mint: Callable[[], int]) -> None:
        if "content" in body:
            self.content = body["content"] or ""
        for key in ("embeds", "components"):
            if key in body:
                setattr(self, key, list(body[key] or []))
        if "flags" in body:
            self.flags = (body["flags"] or 0) | (self.flags & EPHEMERAL)
        if ref := body.get("message_reference"):
            self.reference_id = int(ref["message_id"])
        if "attachments" in body:
            old = {a["id"]: a for a in self.attachments}
            self.attachments = [
                old.get(str(a["id"])) or {"id": str(mint()), "filename": a.get("filename", "file")}
                for a in body["attachments"] or []
            ]

    @property
    def filenames(self) -> list[str]:
        return [a["filename"] for a in self.attachments]

    @property
    def buttons(self) -> list[tuple[str | None, str | None, bool]]:
        return [
            (c.get("custom_id"), c.get("label"), bool(c.get("disabled")))
            for c in _walk(self.components)
            if c.get("type") == 2
        ]

    @property
    def menus(self) -> list[JSON]:
        """The select menus as sent (custom_id, placeholder, options with labels...)."""
        return [c for c in _walk(self.components) if c.get("type") in _SELECT_TYPES]

    @property
    def selects(self) -> list[tuple[str, list[str]]]:
        return [
            (c["custom_id"], [o["value"] for o in c.get("options", [])])
            for c in _walk(self.components)
            if c.get("type") in _SELECT_TYPES
        ]

    @property
    def text(self) -> str:
        parts: list[str | None] = [self.content] if self.content else []
        for e in self.embeds:
            parts += [(e.get("author") or {}).get("name"), e.get("title"), e.get("description")]
            parts += [f"{f['name']}: {f['value']}" for f in e.get("fields", [])]
            parts.append((e.get("footer") or {}).get("text"))
        parts += [c.get("content") for c in _walk(self.components) if c.get("type") == 10]
        return "\n".join(p for p in parts if p)

    def payload(self) -> JSON:
        p = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author,
            "content": self.content,
            "embeds": self.embeds,
            "components": self.components,
            "attachments": [
                {
                    **a,
                    "size": 0,
                    "url": f"https://cdn.offline.invalid/{a['id']}/{a['filename']}",
                    "proxy_url": f"https://cdn.offline.invalid/{a['id']}/{a['filename']}",
                }
                for a in self.attachments
            ],
            "timestamp": _iso(self.id),
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "pinned": False,
            "type": 19 if self.reference_id else 0,
            "flags": self.flags,
        }
        if self.reference_id:
            p["message_reference"] = {
                "message_id": str(self.reference_id),
                "channel_id": str(self.channel_id),
            }
        if self.guild_id is not None:
            p["guild_id"] = str(self.guild_id)
        return p


@dataclass(eq=False)
class Exchange:
    """What the bot did in answer to one injected event."""

    event: str
    calls: list[HttpCall] = field(default_factory=list)
    messages: list[SentMessage] = field(
        default_factory=list
    )  # created or edited, first-touch order
    errors: list[BaseException] = field(default_factory=list)
    role_changes: list[RoleChange] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)  # payloads Discord would refuse (400)
    trigger_message_id: int | None = None
    payload: JSON | None = field(default=None, repr=False)  # the injected gateway payload
    _tasks: list[asyncio.Task[Any]] = field(default_factory=list, repr=False)

    def _touch(self, msg: SentMessage) -> None:
        if not any(m is msg for m in self.messages):
            self.messages.append(msg)

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages if not m.deleted)

    @property
    def reply(self) -> SentMessage:
        if not self.messages:
            seen = ", ".join(map(str, self.calls)) or "no calls"
            raise AssertionError(
                f"bot sent no message in answer to {self.event} ({seen}; errors: {self.errors})"
            )
        return self.messages[0]

    @property
    def ephemeral(self) -> list[bool]:
        return [m.ephemeral for m in self.messages]

    @property
    def reactions(self) -> list[str]:
        """Emoji the bot added to the message that triggered this exchange."""
        return [
            c.params["emoji"]
            for c in self.calls
            if c.method == "PUT"
            and c.path.endswith("/{emoji}/@me")
            and c.params.get("message_id") == self.trigger_message_id
        ]


# ----------------------------------------------------------------------------- Discord's limits
@dataclass(frozen=True)
class DiscordLimits:
    """What Discord accepts; a payload over any of these is refused with HTTP 400 (error code
    50035 ``Invalid Form Body``, or 50006 for an empty message), and the harness does the same.

    From Discord's developer documentation (https://discord.com/developers/docs):

    * Create Message (``resources/message#create-message``): ``content`` up to 2000
      characters, up to 10 ``embeds``; a new message needs content, an embed, a component or a
      file (else 50006 "Cannot send an empty message"). Edit Message, Execute Webhook (the
      interaction follow-ups), Edit Webhook Message and the interaction callbacks
      (``interactions/receiving-and-responding#interaction-response-object-messages``) take the
      same fields with the same limits.
    * Embed limits (``resources/message#embed-object-embed-limits``): title 256, description
      4096, up to 25 fields, field name 256 and value 1024 (both required), footer text 2048,
      author name 256; the characters of all of these, over every embed of one message, at most
      6000.
    * Components (``components/reference``): up to 5 action rows in a message; a row holds up to
      5 buttons or one select menu; a button has a label (up to 80) or an emoji, and (unless it
      is a link) a ``custom_id`` of 1-100 characters; a select menu has a ``custom_id`` of 1-100,
      a placeholder up to 150, ``min_values`` 0-25, ``max_values`` 1-25, and (a string select)
      1-25 options whose label and value take 1-100 characters and description up to 100.
      With the components-v2 flag a message has up to 40 components and 4000 characters of text
      displays (and no content or embeds).
    * Autocomplete (``interactions/receiving-and-responding#interaction-response-object-
      autocomplete``): up to 25 choices; a choice's name takes 1-100 characters and a string
      value up to 100 (``interactions/application-commands#application-command-object-
      application-command-option-choice-structure``).
    * Modals (``interactions/receiving-and-responding#interaction-response-object-modal``): a
      title of 1-45 characters, a ``custom_id`` of 1-100, 1-5 components; a text input
      (``components/reference#text-input``) has a ``custom_id`` of 1-100, a label up to 45, a
      placeholder up to 100, a value up to 4000, ``min_length`` 0-4000, ``max_length`` 1-4000.
    """

    content: int = 2000
    embeds: int = 10
    embed_title: int = 256
    embed_description: int = 4096
    embed_fields: int = 25
    field_name: int = 256
    field_value: int = 1024
    footer_text: int = 2048
    author_name: int = 256
    embed_total: int = 6000
    action_rows: int = 5
    row_buttons: int = 5
    button_label: int = 80
    custom_id: int = 100
    select_options: int = 25
    option_label: int = 100
    option_value: int = 100
    option_description: int = 100
    placeholder: int = 150
    select_values: int = 25
    v2_components: int = 40
    v2_text: int = 4000
    choices: int = 25
    choice_name: int = 100
    choice_value: int = 100
    modal_title: int = 45
    modal_components: int = 5
    input_label: int = 45
    input_placeholder: int = 100
    input_value: int = 4000


#: The one table of Discord's limits the harness enforces (see :class:`DiscordLimits`).
LIMITS = DiscordLimits()
#: What members can send the bot: a message of up to 4,000 characters (with Nitro; 2,000
#: without) and slash string options of up to 6,000 (or the option's own ``max_length``).
#: The harness refuses slash options over that, as Discord's client does; it lets a test write
#: longer messages (a test may need a 5,000-digit number; only a slash option can carry one).
MEMBER_MESSAGE_MOST, MEMBER_OPTION_MOST = 4000, 6000
_COMPONENTS_V2 = 1 << 15
_SELECT_KINDS = frozenset(_SELECT_TYPES)


class Problem(NamedTuple):
    """One reason Discord refuses a payload: where (``embeds.0.title``), Discord's error code and
    message, and what the harness saw."""

    path: str
    code: str
    message: str
    detail: str

    def __str__(self) -> str:
        return f"{self.path or 'body'}: {self.detail}"


class _Check:
    """Walks one payload and collects every :class:`Problem`, as Discord's validation does."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, code: str, message: str, detail: str) -> None:
        self.problems.append(Problem(path, code, message, detail))

    def length(self, path: str, value: Any, most: int, *, least: int = 0, what: str = "") -> None:
        if value is None:
            if least:
                self.add(path, "BASE_TYPE_REQUIRED", "This field is required", "missing")
            return
        n, what = len(value), what or "characters"
        if n > most:
            self.add(
                path,
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {most} or fewer in length.",
                f"{n:,} {what}, Discord allows {most:,}",
            )
        elif n < least:
            self.add(
                path,
                "BASE_TYPE_MIN_LENGTH",
                f"Must be {least} or more in length.",
                f"{n:,} {what}, Discord needs at least {least:,}",
            )

    def number(self, path: str, value: Any, least: int, most: int) -> None:
        if value is not None and not least <= int(value) <= most:
            self.add(
                path,
                "NUMBER_TYPE_MAX" if int(value) > most else "NUMBER_TYPE_MIN",
                f"int value should be between {least} and {most}.",
                f"{value}, Discord allows {least}..{most}",
            )

    # -- messages ---------------------------------------------------------------------------
    def message(self, body: JSON, at: str = "", *, create: bool, files: bool = False) -> None:
        L = LIMITS
        content, embeds, components = (
            body.get("content"),
            body.get("embeds") or [],
            body.get("components") or [],
        )
        if isinstance(content, str):
            self.length(at + "content", content, L.content)
        self.length(at + "embeds", embeds, L.embeds, what="embeds")
        total = 0
        for i, embed in enumerate(embeds):
            total += self.embed(embed or {}, f"{at}embeds.{i}.")
        if total > L.embed_total:
            self.add(
                at + "embeds",
                "MAX_EMBED_SIZE_EXCEEDED",
                f"Embed size exceeds maximum size of {L.embed_total}",
                f"{total:,} characters in the embeds together, Discord allows {L.embed_total:,}",
            )
        if (body.get("flags") or 0) & _COMPONENTS_V2:
            self.v2(components, at)
        else:
            self.rows(components, at)
        empty = not (content or embeds or components or files or body.get("attachments"))
        if create and empty and not body.get("sticker_ids") and not body.get("poll"):
            self.add(at, "EMPTY", "Cannot send an empty message", "an empty message")

    def embed(self, embed: JSON, at: str) -> int:
        L = LIMITS
        texts = {
            "title": (embed.get("title"), L.embed_title),
            "description": (embed.get("description"), L.embed_description),
            "footer.text": ((embed.get("footer") or {}).get("text"), L.footer_text),
            "author.name": ((embed.get("author") or {}).get("name"), L.author_name),
        }
        total = 0
        for key, (text, most) in texts.items():
            if text is not None:
                self.length(at + key, str(text), most)
                total += len(str(text))
        fields = embed.get("fields") or []
        self.length(at + "fields", fields, L.embed_fields, what="fields")
        for j, f in enumerate(fields):
            name, value = f.get("name"), f.get("value")
            self.length(f"{at}fields.{j}.name", name and str(name), L.field_name, least=1)
            self.length(f"{at}fields.{j}.value", value and str(value), L.field_value, least=1)
            total += len(str(name or "")) + len(str(value or ""))
        return total

    def rows(self, rows: list[JSON], at: str) -> None:
        L = LIMITS
        self.length(at + "components", rows, L.action_rows, what="action rows")
        for i, row in enumerate(rows):
            path = f"{at}components.{i}"
            if row.get("type") != 1:
                self.add(
                    path + ".type",
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (1,).',
                    f"a component of type {row.get('type')} outside an action row",
                )
                continue
            items = row.get("components") or []
            selects = [c for c in items if c.get("type") in _SELECT_KINDS]
            if not items or (selects and len(items) > 1) or len(items) > L.row_buttons:
                self.add(
                    path + ".components",
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width",
                    f"{len(items)} components ({len(selects)} selects): a row holds 1-"
                    f"{L.row_buttons} buttons or one select",
                )
            for j, item in enumerate(items):
                self.component(item, f"{path}.components.{j}.")

    def v2(self, components: list[JSON], at: str) -> None:
        L = LIMITS
        every = list(_walk(components))
        if len(every) > L.v2_components:
            self.add(
                at + "components",
                "BASE_TYPE_MAX_LENGTH",
                f"Must be {L.v2_components} or fewer in length.",
                f"{len(every)} components, Discord allows {L.v2_components}",
            )
        text = sum(len(c.get("content") or "") for c in every if c.get("type") == 10)
        if text > L.v2_text:
            self.add(
                at + "components",
                "MAX_COMPONENT_TEXT_EXCEEDED",
                f"Text displays exceed {L.v2_text} characters",
                f"{text:,} characters of text, Discord allows {L.v2_text:,}",
            )
        for i, comp in enumerate(every):
            if comp.get("type") == 2 or comp.get("type") in _SELECT_KINDS:
                self.component(comp, f"{at}components.{i}.")

    def component(self, comp: JSON, at: str) -> None:
        L = LIMITS
        kind = comp.get("type")
        if kind == 2:
            style = comp.get("style")
            if style != 6:
                self.length(at + "label", comp.get("label"), L.button_label)
                if not comp.get("label") and not comp.get("emoji"):
                    self.add(
                        at + "label",
                        "BASE_TYPE_REQUIRED",
                        "This field is required",
                        "a button with neither a label nor an emoji",
                    )
            if style not in (5, 6):
                self.length(at + "custom_id", comp.get("custom_id"), L.custom_id, least=1)
        elif kind in _SELECT_KINDS:
            self.length(at + "custom_id", comp.get("custom_id"), L.custom_id, least=1)
            self.length(at + "placeholder", comp.get("placeholder"), L.placeholder)
            self.number(at + "min_values", comp.get("min_values"), 0, L.select_values)
            self.number(at + "max_values", comp.get("max_values"), 1, L.select_values)
            if kind == 3:
                options = comp.get("options") or []
                self.length(at + "options", options, L.select_options, least=1, what="options")
                for k, o in enumerate(options):
                    p = f"{at}options.{k}."
                    self.length(p + "label", o.get("label"), L.option_label, least=1)
                    self.length(p + "value", o.get("value"), L.option_value, least=1)
                    self.length(p + "description", o.get("description"), L.option_description)
        elif kind == 4:  # text input, in a modal
            self.length(at + "custom_id", comp.get("custom_id"), L.custom_id, least=1)
            self.length(at + "label", comp.get("label"), L.input_label)
            self.length(at + "placeholder", comp.get("placeholder"), L.input_placeholder)
            self.length(at + "value", comp.get("value"), L.input_value)
            self.number(at + "min_length", comp.get("min_length"), 0, L.input_value)
            self.number(at + "max_length", comp.get("max_length"), 1, L.input_value)

    # -- interaction callbacks --------------------------------------------------------------
    def callback(self, body: JSON) -> None:
        kind, data = body.get("type"), body.get("data") or {}
        if kind == 4:
            self.message(data, "data.", create=True)
        elif kind == 7:
            self.message(data, "data.", create=False)
        elif kind == 8:
            self.choices(data.get("choices") or [])
        elif kind == 9:
            self.modal(data)

    def choices(self, choices: list[JSON]) -> None:
        L = LIMITS
        self.length("data.choices", choices, L.choices, what="choices")
        for i, choice in enumerate(choices):
            self.length(f"data.choices.{i}.name", choice.get("name"), L.choice_name, least=1)
            if isinstance(choice.get("value"), str):
                self.length(f"data.choices.{i}.value", choice["value"], L.choice_value)

    def modal(self, data: JSON) -> None:
        L = LIMITS
        self.length("data.title", data.get("title"), L.modal_title, least=1)
        self.length("data.custom_id", data.get("custom_id"), L.custom_id, least=1)
        components = data.get("components") or []
        self.length("data.components", components, L.modal_components, least=1, what="components")
        for i, comp in enumerate(_walk(components)):
            if comp.get("type") == 4:
                self.component(comp, f"data.components.{i}.")


def check_limits(
    method: str, path: str, body: JSON | None, *, files: bool = False
) -> list[Problem]:
    """Everything Discord would refuse in this request (``path`` is the route template)."""
    check, body = _Check(), body or {}
    if path == "/interactions/{webhook_id}/{webhook_token}/callback":
        check.callback(body)
    elif method == "POST" and path in (
        "/channels/{channel_id}/messages",
        "/webhooks/{webhook_id}/{webhook_token}",
    ):
        check.message(body, create=True, files=files)
    elif method == "PATCH" and (
        path == "/channels/{channel_id}/messages/{message_id}"
        or path.startswith("/webhooks/{webhook_id}/{webhook_token}/messages/")
    ):
        check.message(body, create=False, files=files)
    return check.problems


def _refused(problems: list[Problem]) -> discord.HTTPException:
    """The exception discord.py raises when Discord answers 400 to these problems."""
    response = _response(400, "Bad Request")
    if any(p.code == "EMPTY" for p in problems):
        return discord.HTTPException(
            response, {"code": 50006, "message": "Cannot send an empty message"}
        )
    errors: JSON = {}
    for p in problems:
        node = errors
        for key in p.path.split("."):
            node = node.setdefault(key, {})
        node.setdefault("_errors", []).append({"code": p.code, "message": p.message})
    return discord.HTTPException(
        response, {"code": 50035, "message": "Invalid Form Body", "errors": errors}
    )


@dataclass(eq=False)
class Refusal:
    """A payload Discord would have refused with HTTP 400: the call, why, and in answer to what."""

    call: HttpCall
    problems: list[Problem]
    event: str
    reported: bool = False

    def __str__(self) -> str:
        return f"{self.call} (in answer to {self.event}): " + "; ".join(map(str, self.problems))


class OverLimit(AssertionError):
    """The bot sent payloads Discord would refuse (raised when ``raise_errors``, even if the bot
    caught the ``HTTPException``)."""

    def __init__(self, refusals: list[Refusal]):
        self.refusals = refusals
        super().__init__(
            "the bot sent what Discord refuses with HTTP 400:\n"
            + "\n".join(f"  {r}" for r in refusals)
        )


_HARNESSES: weakref.WeakSet[OfflineDiscord] = weakref.WeakSet()


def unreported_refusals() -> list[Refusal]:
    """Every refusal of every harness not reported yet (now marked reported): a test's teardown
    fails on them (tests/conftest.py), so a bot that swallows the 400 still fails its test."""
    found = [r for h in list(_HARNESSES) for r in h.refusals if not r.reported]
    for refusal in found:
        refusal.reported = True
    return found


# ----------------------------------------------------------------------------- fakes for discord.py
class _RecordingAdapter(AsyncWebhookAdapter):
    """Every public adapter method ends in ``request``: record it instead of doing I/O."""

    def __init__(self, harness: OfflineDiscord):
        super().__init__()  # type: ignore[no-untyped-call]  # discord.py leaves this __init__ unannotated
        self._harness = harness

    async def request(
        self,
        route: Route,
        session: Any = None,
        *,
        payload: JSON | None = None,
        multipart: list[JSON] | None = None,
        files: Any = None,
        reason: str | None = None,
        params: JSON | None = None,
        **_: Any,
    ) -> Any:
        return await self._harness._record(
            "webhook", route, payload, multipart, files, reason, params
        )


class _FakeGateway:
    """Stands in for ``DiscordWebSocket``: no socket, presence recorded, chunks answered locally."""

    open, latency, shard_id, session_id, sequence = False, 0.0, None, "offline", 0

    def __init__(self, harness: OfflineDiscord):
        self._harness = harness

    def is_ratelimited(self) -> bool:
        return False

    async def change_presence(
        self, *, activity: Any = None, status: Any = None, since: float = 0.0
    ) -> None:
        self._harness.presences.append((activity, status))

    async def request_chunks(
        self,
        guild_id: int,
        query: str | None = None,
        *,
        limit: int = 0,
        user_ids: list[int] | None = None,
        presences: bool = False,
        nonce: str | None = None,
    ) -> None:
        h = self._harness
        guild, query = h.guilds[int(guild_id)], (query or "").lower()

        def matches(uid: int) -> bool:  # Discord: a username (or nickname) starting with query
            names = (h.users[uid].name, guild.nicks.get(uid) or "")
            return any(n.lower().startswith(query) for n in names if n or not query)

        members = [
            h._member_payload(guild, uid)
            for uid in guild.members
            if (uid in user_ids if user_ids else matches(uid))
        ]
        chunk = {
            "guild_id": str(guild_id),
            "members": members[: limit or None],
            "chunk_index": 0,
            "chunk_count": 1,
            "nonce": nonce,
        }
        asyncio.create_task(self._answer(chunk))  # tracked by the harness, like every task

    async def _answer(self, chunk: JSON) -> None:
        """Like Discord, answer after the caller started waiting for the chunk (else it never sees it)."""
        state = self._harness.client._connection
        request = next(
            (r for r in state._chunk_requests.values() if r.nonce == chunk["nonce"]), None
        )
        for _ in range(100):
            if request is None or request.waiters:
                break
            await asyncio.sleep(0)
        state.parse_guild_members_chunk(cast("GuildMembersChunkEvent", chunk))

    async def voice_state(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def close(self, code: int = 1000) -> None:
        return None


class _TaskFactory(Protocol):
    """A loop task factory as asyncio calls it (typeshed's ``_TaskFactory`` lacks ``context=``)."""

    def __call__(
        self,
        loop: asyncio.AbstractEventLoop,
        coro: Any,
        /,
        *,
        context: contextvars.Context | None = None,
    ) -> asyncio.Task[Any]: ...


@dataclass(eq=False)
class _Interaction:
    id: int
    kind: int
    channel_id: int
    guild_id: int | None
    original: SentMessage | None = None  # the clicked message for components, else the response
    loading: bool = False
    responses: list[JSON] = field(default_factory=list)


class _ErrorLog(logging.Handler):
    def __init__(self, harness: OfflineDiscord):
        super().__init__(logging.ERROR)
        self._harness = harness

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self._harness._capture(record.exc_info[1])


# ----------------------------------------------------------------------------- the harness
class OfflineDiscord:
    """Drive ``bot`` (a ``discord.Client``/``commands.Bot``/``AutoShardedBot``) fully offline."""

    def __init__(
        self,
        bot: discord.Client,
        *,
        bot_user_id: int = 900_000_000_000_000_001,
        application_id: int | None = None,
        bot_name: str = "chibot",
        owner_id: int = 900_000_000_000_000_000,
        raise_errors: bool = True,
        timeout: float = 10.0,
    ):
        self.client = bot
        self.bot_user = FakeUser(bot_user_id, bot_name, bot=True)
        self.application_id = application_id or bot_user_id
        self.owner = FakeUser(owner_id, "app-owner")
        self.raise_errors, self.timeout = raise_errors, timeout
        self.ignored_coroutines: list[str] = list(IGNORED_COROUTINES)
        self.users: dict[int, FakeUser] = {bot_user_id: self.bot_user, owner_id: self.owner}
        self.guilds: dict[int, FakeGuild] = {}
        self.channels: dict[int, FakeChannel] = {}
        self.calls: list[HttpCall] = []
        self.messages: list[SentMessage] = []
        self.errors: list[BaseException] = []
        self.role_changes: list[RoleChange] = []
        self.presences: list[tuple[Any, Any]] = []
        self.modals: list[JSON] = []
        self.refusals: list[Refusal] = []  # every payload refused as Discord would (HTTP 400)
        self._by_id: dict[int, SentMessage] = {}
        self._user_messages: dict[int, JSON] = {}
        self._dm_by_user: dict[int, FakeChannel] = {}
        self._interactions: dict[str, _Interaction] = {}
        self._command_ids: dict[tuple[int | None, str], int] = {}
        self._counter = self._last_ms = 0
        self._adapter = _RecordingAdapter(self)
        self._gateway = _FakeGateway(self)
        self._log_handler = _ErrorLog(self)
        self._background: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self._world = Exchange("world building")
        self._started = False
        _HARNESSES.add(self)
        self._routes: dict[tuple[str, str], Callable[[HttpCall], Any]] = {
            ("GET", "/users/@me"): lambda c: self.bot_user.payload(),
            ("GET", "/gateway/bot"): lambda c: {
                "shards": 1,
                "url": "wss://gateway.offline.invalid",
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            },
            ("GET", "/oauth2/applications/@me"): self._app_info,
            ("POST", "/users/@me/channels"): lambda c: self._dm_channel(
                int(c.json["recipient_id"])
            ).payload(),
            ("GET", "/users/{user_id}"): lambda c: self._user(
                c.params["user_id"], http=True
            ).payload(),
            ("GET", "/channels/{channel_id}"): lambda c: self._channel(
                c.params["channel_id"]
            ).payload(),
            ("POST", "/channels/{channel_id}/messages"): self._post_message,
            ("GET", "/channels/{channel_id}/messages"): self._history,
            ("GET", "/channels/{channel_id}/messages/{message_id}"): self._get_message,
            ("PATCH", "/channels/{channel_id}/messages/{message_id}"): self._edit_message,
            ("DELETE", "/channels/{channel_id}/messages/{message_id}"): self._delete_message,
            ("GET", "/guilds/{guild_id}"): lambda c: self._guild_payload(
                self._guild(c.params["guild_id"])
            ),
            ("GET", "/guilds/{guild_id}/channels"): lambda c: [
                ch.payload() for ch in self._guild(c.params["guild_id"]).channels.values()
            ],
            ("GET", "/guilds/{guild_id}/roles"): lambda c: [
                r.payload() for r in self._guild(c.params["guild_id"]).roles.values()
            ],
            ("GET", "/guilds/{guild_id}/members/{member_id}"): self._get_member,
            ("PATCH", "/guilds/{guild_id}/members/{user_id}"): self._edit_member,
            ("PUT", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"): self._role_call,
            ("DELETE", "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"): self._role_call,
            ("POST", "/guilds/{guild_id}/roles"): self._create_role,
            ("POST", "/guilds/{guild_id}/channels"): self._create_channel,
            ("PUT", "/applications/{application_id}/commands"): self._sync_commands,
            (
                "PUT",
                "/applications/{application_id}/guilds/{guild_id}/commands",
            ): self._sync_commands,
            ("GET", "/applications/{application_id}/commands"): lambda c: [],
            ("GET", "/applications/{application_id}/guilds/{guild_id}/commands"): lambda c: [],
            (
                "POST",
                "/interactions/{webhook_id}/{webhook_token}/callback",
            ): self._interaction_callback,
            ("POST", "/webhooks/{webhook_id}/{webhook_token}"): self._followup,
        }
        for method in ("GET", "PATCH", "DELETE"):
            for tail in ("@original", "{message_id}"):
                self._routes[method, "/webhooks/{webhook_id}/{webhook_token}/messages/" + tail] = (
                    self._webhook_message
                )

    # -- lifecycle ------------------------------------------------------------------------
    async def __aenter__(self) -> OfflineDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Install the fakes, log in without a token, run ``setup_hook`` and dispatch READY."""
        if self._started:
            return
        client, loop = self.client, asyncio.get_running_loop()
        self._loop = loop
        # typeshed's factory protocol lacks the ``context=`` asyncio has passed since 3.11
        self._prev_factory: _TaskFactory | None = loop.get_task_factory()  # type: ignore[assignment]
        loop.set_task_factory(self._task_factory)
        self._prev_adapter = async_context.get()
        async_context.set(self._adapter)
        logging.getLogger("discord").addHandler(self._log_handler)
        http, state = client.http, client._connection
        # The fakes below stand in for discord.py's own methods and gateway, hence the ignores.
        http.request = self._http_request  # type: ignore[method-assign]
        http.static_login = self._static_login  # type: ignore[method-assign, assignment]  # raw JSON for UserPayload
        http.ws_connect = self._no_socket  # type: ignore[method-assign]
        http.get_from_cdn = self._no_socket  # type: ignore[method-assign]
        client.ws = self._gateway  # type: ignore[assignment]  # duck-typed DiscordWebSocket
        state._get_websocket = lambda *args, **kwargs: self._gateway  # type: ignore[assignment]
        # member lookups (`MemberConverter.query_member_by_id`) ask the client for the shard's
        # socket; an AutoShardedClient has no shards offline, so every shard is the fake one
        client._get_websocket = lambda *args, **kwargs: self._gateway  # type: ignore[method-assign, assignment]
        if not isinstance(client.loop, asyncio.AbstractEventLoop):
            await client._async_setup_hook()
        if isinstance(client, discord.AutoShardedClient):
            client.shard_count = client._connection.shard_count = 1
            client.shard_ids = client._connection.shard_ids = [0]
        state.application_id = state.application_id or self.application_id
        state.user = discord.ClientUser(
            state=state, data=cast("UserPayload", self.bot_user.payload())
        )
        self._started = True
        client._application = await client.application_info()
        await client.setup_hook()
        ready = {
            "v": 10,
            "user": self.bot_user.payload(),
            "guilds": [],
            "session_id": "offline",
            "resume_gateway_url": "wss://gateway.offline.invalid",
            "shard": [0, 1],
            "application": {"id": str(self.application_id), "flags": 0},
        }
        saved, state.guild_ready_timeout = state.guild_ready_timeout, 0
        try:
            await self._inject("READY", state.parse_ready, ready)
        finally:
            state.guild_ready_timeout = saved

    async def close(self) -> None:
        """Close the bot, cancel leftover timer tasks and uninstall every fake."""
        if not self._started:
            return
        try:
            await self._settle(
                self._world
            )  # events dispatched by set_permissions() since the last one
            await self.client.close()
        finally:
            leftovers = [t for t in self._background if not t.done()]
            for task in leftovers:
                task.cancel()
            await asyncio.gather(*leftovers, return_exceptions=True)
            self._loop.set_task_factory(self._prev_factory)
            async_context.set(self._prev_adapter)
            logging.getLogger("discord").removeHandler(self._log_handler)
            self._started = False

    # -- world building --------------------------------------------------------------------
    def snowflake(self) -> int:
        """A fresh, valid, strictly increasing snowflake.

        Its timestamp follows the wall clock (at least 1 ms after the previous one): discord.py
        treats interactions older than 15 minutes as expired, so a fixed epoch would break
        ``ctx.send`` in slash invocations."""
        self._counter += 1
        self._last_ms = max(int(time.time() * 1000), self._last_ms + 1)
        return (self._last_ms - DISCORD_EPOCH_MS) << 22 | (self._counter & 0xFFF)

    def make_user(self, user_id: int, name: str, *, bot: bool = False) -> FakeUser:
        _check_ids(user_id)
        self.users[user_id] = user = FakeUser(user_id, name, bot)
        return user

    def make_guild(
        self,
        guild_id: int,
        name: str,
        *,
        owner_id: int,
        channels: list[tuple[int, str]] | None = None,
        roles: list[tuple[int, str] | tuple[int, str, int]] | None = None,
    ) -> FakeGuild:
        """Create (not join) a guild. ``roles`` items are ``(id, name[, permission bits])``."""
        _check_ids(guild_id, *(c[0] for c in channels or ()), *(r[0] for r in roles or ()))
        guild = FakeGuild(guild_id, name, owner_id)
        guild.roles[guild_id] = FakeRole(guild_id, "@everyone", EVERYONE_PERMISSIONS, 0)
        for spec in roles or ():
            guild.roles[spec[0]] = FakeRole(spec[0], spec[1], spec[2] if len(spec) > 2 else 0)
        bot_role = FakeRole(self.snowflake(), self.bot_user.name, ALL_PERMISSIONS, 99)
        guild.roles[bot_role.id] = bot_role
        guild.members[self.bot_user.id] = [bot_role.id]
        for channel_id, channel_name in channels or [(self.snowflake(), "general")]:
            guild.channels[channel_id] = self.channels[channel_id] = FakeChannel(
                channel_id, channel_name, guild_id
            )
        self.guilds[guild_id] = guild
        return guild

    async def join_guild(self, guild: FakeGuild, members: list[FakeUser]) -> Exchange:
        """The bot joins ``guild`` (GUILD_CREATE, members included so no chunking is needed)."""
        for user in members:
            self.users.setdefault(user.id, user)
            guild.members.setdefault(user.id, [])
        guild.joined = True
        return await self._inject(
            f"GUILD_CREATE {guild.name}", self._state.parse_guild_create, self._guild_payload(guild)
        )

    async def remove_guild(self, guild_id: int) -> Exchange:
        self._guild(guild_id).joined = False
        return await self._inject(
            f"GUILD_DELETE {guild_id}", self._state.parse_guild_delete, {"id": str(guild_id)}
        )

    async def member_join(
        self, guild_id: int, user: FakeUser, *, roles: list[int] | tuple[int, ...] = ()
    ) -> Exchange:
        guild = self._guild(guild_id)
        if unknown := [r for r in roles if r not in guild.roles]:
            raise AssertionError(f"guild {guild.name!r} has no role(s) {unknown}")
        self.users.setdefault(user.id, user)
        guild.members[user.id] = list(roles)
        payload = {**self._member_payload(guild, user.id), "guild_id": str(guild_id)}
        return await self._inject(
            f"GUILD_MEMBER_ADD {user.name}", self._state.parse_guild_member_add, payload
        )

    async def member_remove(self, guild_id: int, user_id: int) -> Exchange:
        guild = self._guild(guild_id)
        guild.members.pop(user_id, None)
        payload = {"guild_id": str(guild_id), "user": self._user(user_id).payload()}
        return await self._inject(
            f"GUILD_MEMBER_REMOVE {user_id}", self._state.parse_guild_member_remove, payload
        )

    def set_permissions(
        self,
        guild_id: int,
        user_id: int,
        *,
        manage_guild: bool = False,
        administrator: bool = False,
        **other: bool,
    ) -> None:
        """Give ``user_id`` exactly these extra permissions through a per-user harness role."""
        guild = self._guild(guild_id)
        if user_id not in guild.members:
            raise AssertionError(f"user {user_id} is not a member of guild {guild.name!r}")
        value = discord.Permissions(
            manage_guild=manage_guild, administrator=administrator, **other
        ).value
        name = f"harness-perms-{user_id}"
        role = next((r for r in guild.roles.values() if r.name == name), None)
        created = role is None
        if role is None:
            role = FakeRole(self.snowflake(), name)
            guild.roles[role.id] = role
        role.permissions = value
        member_roles = guild.members[user_id]
        if value and role.id not in member_roles:
            member_roles.append(role.id)
        elif not value and role.id in member_roles:
            member_roles.remove(role.id)
        if guild.joined:
            token = _EXCHANGE.set(self._world)
            try:
                event = (
                    self._state.parse_guild_role_create
                    if created
                    else self._state.parse_guild_role_update
                )
                event({"guild_id": str(guild_id), "role": role.payload()})
                self._member_update(guild, user_id)
            finally:
                _EXCHANGE.reset(token)

    # -- acting ----------------------------------------------------------------------------
    async def send(
        self, guild_id: int | None, channel_id: int | None, user_id: int, content: str
    ) -> Exchange:
        """MESSAGE_CREATE from ``user_id``. ``guild_id=None`` is a DM (channel made on demand);
        ``channel_id=None`` in a guild means its first text channel."""
        user = self._user(user_id)
        if guild_id is None:
            channel = self._dm_channel(user_id, channel_id)
        else:
            guild = self._member_guild(guild_id, user_id)
            channel = self._guild_channel(guild, channel_id)
        message_id = self.snowflake()
        mentions = []
        for uid in dict.fromkeys(int(m) for m in re.findall(r"<@!?(\d+)>", content)):
            if uid in self.users:
                mention = self.users[uid].payload()
                if guild_id is not None and uid in guild.members:
                    mention["member"] = self._member_payload(guild, uid, user=False)
                mentions.append(mention)
        payload = {
            "id": str(message_id),
            "channel_id": str(channel.id),
            "author": user.payload(),
            "content": content,
            "timestamp": _iso(message_id),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": mentions,
            "mention_roles": re.findall(r"<@&(\d+)>", content),
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
        }
        if guild_id is not None:
            payload["guild_id"] = str(guild_id)
            payload["member"] = self._member_payload(guild, user_id, user=False)
        self._user_messages[message_id] = payload
        shown = content if len(content) <= 80 else f"{content[:60]}…({len(content):,} characters)"
        ex = Exchange(f"message {shown!r} from {user.name}", trigger_message_id=message_id)
        return await self._inject(ex, self._state.parse_message_create, payload)

    async def slash(
        self,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int,
        command: str,
        /,
        **options: Any,
    ) -> Exchange:
        """Invoke an app command by qualified name (``"team create"``); options by (display) name.
        Member/user/role/channel options take ids or Fake* objects and get proper ``resolved`` data."""
        data = self._command_data(guild_id, user_id, command, options)
        payload = self._interaction_payload(2, guild_id, channel_id, user_id, data)
        return await self._inject(
            f"/{command} by {user_id}", self._state.parse_interaction_create, payload
        )

    async def autocomplete(
        self,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int,
        command: str,
        /,
        focused: str,
        value: str,
        **options: Any,
    ) -> list[JSON]:
        """Type ``value`` into option ``focused`` of an app command (other options as given) and
        return the choices the bot offers (``[{"name": ..., "value": ...}]``)."""
        data = self._command_data(guild_id, user_id, command, options, focused=(focused, value))
        payload = self._interaction_payload(4, guild_id, channel_id, user_id, data)
        await self._inject(
            f"autocomplete /{command} {focused}={value!r}",
            self._state.parse_interaction_create,
            payload,
        )
        responses = self._interactions[payload["token"]].responses
        if not responses or responses[-1].get("type") != 8:
            raise AssertionError(f"/{command}: no autocomplete answer for {focused!r}")
        choices: list[JSON] = responses[-1]["data"]["choices"]
        return choices

    def _command_data(
        self,
        guild_id: int | None,
        user_id: int,
        command: str,
        options: dict[str, Any],
        focused: tuple[str, str] | None = None,
    ) -> JSON:
        tree: discord.app_commands.CommandTree = self.client.tree  # type: ignore[attr-defined]
        names = command.split()
        scope = discord.Object(guild_id) if guild_id is not None else None
        root = scope and tree.get_command(names[0], guild=scope)
        scoped = root is not None
        root = root or tree.get_command(names[0])
        chain = [root]
        for name in names[1:]:
            parent = chain[-1]
            chain.append(
                parent.get_command(name) if isinstance(parent, discord.app_commands.Group) else None
            )
        leaf = chain[-1]
        if root is None or None in chain or not isinstance(leaf, discord.app_commands.Command):
            known = sorted(
                {c.qualified_name for c in tree.walk_commands()}
                | {c.qualified_name for c in tree.walk_commands(guild=scope)}
            )
            raise AssertionError(f"no app command {command!r} (known: {known})")
        guild = self._member_guild(guild_id, user_id) if guild_id is not None else None
        resolved: dict[str, JSON] = {}
        params = {p.name: p for p in leaf.parameters} | {p.display_name: p for p in leaf.parameters}
        asked = set(options) | ({focused[0]} if focused else set())
        if unknown := asked - set(params):
            raise AssertionError(
                f"/{command} has no option(s) {sorted(unknown)}; has {sorted(params)}"
            )
        opts: list[JSON] = []
        for param in leaf.parameters:
            if focused and focused[0] in (param.name, param.display_name):
                opts.append(
                    {
                        "name": param.display_name,
                        "type": param.type.value,
                        "value": focused[1],
                        "focused": True,
                    }
                )
                continue
            key = param.name if param.name in options else param.display_name
            if key not in options:
                if param.required and not focused:
                    raise AssertionError(
                        f"/{command}: missing required option {param.display_name!r}"
                    )
                continue
            value = self._option_value(param.type.value, options[key], guild, resolved)
            if param.choices and value not in [c.value for c in param.choices]:
                raise AssertionError(
                    f"/{command}: {param.display_name!r} is one of "
                    f"{[c.value for c in param.choices]} (Discord sends no other), not {value!r}"
                )
            if isinstance(value, str) and param.type is discord.AppCommandOptionType.string:
                least = int(param.min_value or 0)  # a string's min_length / max_length
                most = min(int(param.max_value or MEMBER_OPTION_MOST), MEMBER_OPTION_MOST)
                if not least <= len(value) <= most:
                    raise AssertionError(
                        f"/{command}: Discord does not send a {param.display_name!r} of "
                        f"{len(value):,} characters ({least}..{most})"
                    )
            opts.append({"name": param.display_name, "type": param.type.value, "value": value})
        for node in reversed(chain[1:]):
            opts = [
                {
                    "name": node.name,
                    "type": 2 if isinstance(node, discord.app_commands.Group) else 1,
                    "options": opts,
                }
            ]
        cmd_id = self._command_ids.setdefault(
            (guild_id if scoped else None, root.name), self.snowflake()
        )
        data = {
            "id": str(cmd_id),
            "name": root.name,
            "type": 1,
            "options": opts,
            "resolved": resolved,
        }
        if scoped:
            data["guild_id"] = str(guild_id)
        return data

    async def click(
        self,
        message: SentMessage,
        user_id: int,
        *,
        custom_id: str | None = None,
        label: str | None = None,
        index: int | None = None,
    ) -> Exchange:
        """Press a button on a bot message, chosen by custom_id, label or index among its buttons."""
        buttons = [c for c in _walk(message.components) if c.get("type") == 2]
        if custom_id is not None:
            found = [b for b in buttons if b.get("custom_id") == custom_id]
        elif label is not None:
            found = [b for b in buttons if b.get("label") == label]
        elif index is not None:
            found = buttons[index : index + 1]
        else:
            found = buttons if len(buttons) == 1 else []
        if not found or "custom_id" not in found[0]:
            raise AssertionError(
                f"no clickable button custom_id={custom_id!r} label={label!r} index={index!r} "
                f"on message {message.id}; buttons: {message.buttons}"
            )
        if found[0].get("disabled"):
            raise AssertionError(
                f"button {found[0].get('label') or found[0]['custom_id']!r} is disabled"
            )
        return await self._component(
            message, user_id, {"custom_id": found[0]["custom_id"], "component_type": 2}
        )

    async def select(
        self, message: SentMessage, user_id: int, values: list[str], *, custom_id: str | None = None
    ) -> Exchange:
        """Choose ``values`` in a select menu (string selects are validated against their options)."""
        menus = [
            c
            for c in _walk(message.components)
            if c.get("type") in _SELECT_TYPES and custom_id in (None, c.get("custom_id"))
        ]
        if len(menus) != 1:
            raise AssertionError(
                f"expected one select custom_id={custom_id!r} on message {message.id}; "
                f"selects: {message.selects}"
            )
        menu, values = menus[0], [str(v) for v in values]
        if menu.get("disabled"):
            raise AssertionError(f"select {menu['custom_id']!r} is disabled")
        allowed = [o["value"] for o in menu.get("options", [])]
        if menu["type"] == 3 and not set(values) <= set(allowed):
            raise AssertionError(f"values {values} not among options {allowed}")
        if not menu.get("min_values", 1) <= len(values) <= menu.get("max_values", 1):
            raise AssertionError(
                f"select {menu['custom_id']!r} takes {menu.get('min_values', 1)}.."
                f"{menu.get('max_values', 1)} values, got {len(values)}"
            )
        data = {"custom_id": menu["custom_id"], "component_type": menu["type"], "values": values}
        if option_type := _SELECT_TYPES[menu["type"]]:
            data["resolved"] = {}
            guild = self.guilds.get(message.guild_id) if message.guild_id else None
            for value in values:
                self._option_value(option_type, int(value), guild, data["resolved"])
        return await self._component(message, user_id, data)

    async def advance(self, seconds: float) -> Exchange:
        """Let ``seconds`` pass for the bot's view timers: every view whose timeout falls within
        them times out now (its ``on_timeout`` runs and is waited for, like an event); the others
        are that much nearer their end. The bot's own clock is the caller's to move."""
        if not self._started:
            raise RuntimeError("OfflineDiscord.start() has not been awaited")
        world, self._world = self._world, Exchange("world building")
        await self._settle(world)
        ex = Exchange(f"{seconds:g} seconds pass")
        token = _EXCHANGE.set(ex)
        try:
            now = time.monotonic()
            for view in self._live_views():
                expiry = getattr(view, "_BaseView__timeout_expiry", None)  # discord.py 2.7
                if expiry is None:
                    continue
                view._BaseView__timeout_expiry = expiry - seconds  # type: ignore[attr-defined]
                if expiry - seconds <= now:
                    view._dispatch_timeout()  # type: ignore[no-untyped-call]  # discord.py leaves it unannotated
        finally:
            _EXCHANGE.reset(token)
        await self._settle(ex)
        return ex

    def _live_views(self) -> list[discord.ui.View]:
        store = self._state._view_store
        views = {id(v): v for v in store._synced_message_views.values()}
        for items in store._views.values():
            for item in items.values():
                if item.view is not None:
                    views[id(item.view)] = item.view
        return list(views.values())

    # -- observing -------------------------------------------------------------------------
    def take_refusals(self) -> list[Refusal]:
        """The refusals not reported yet, now reported: for a test that means to send too much."""
        found = [r for r in self.refusals if not r.reported]
        for refusal in found:
            refusal.reported = True
        return found

    def dms(self, user_id: int) -> list[SentMessage]:
        channel = self._dm_by_user.get(user_id)
        return [m for m in self.messages if channel is not None and m.channel_id == channel.id]

    def message(self, message_id: int) -> SentMessage:
        return self._by_id[message_id]

    # -- injection & idle tracking ---------------------------------------------------------
    @property
    def _state(self) -> Any:
        return self.client._connection

    async def _inject(
        self, event: str | Exchange, parse: Callable[[Any], None], payload: JSON
    ) -> Exchange:
        if not self._started:
            raise RuntimeError("OfflineDiscord.start() has not been awaited")
        world, self._world = self._world, Exchange("world building")
        await self._settle(world)
        ex = event if isinstance(event, Exchange) else Exchange(event)
        ex.payload = payload
        token = _EXCHANGE.set(ex)
        try:
            parse(payload)
        finally:
            _EXCHANGE.reset(token)
        await self._settle(ex)
        return ex

    def _task_factory(
        self,
        loop: asyncio.AbstractEventLoop,
        coro: Any,
        *,
        context: contextvars.Context | None = None,
    ) -> asyncio.Task[Any]:
        context = context if context is not None else contextvars.copy_context()
        if context.get(async_context) is not self._adapter:
            with contextlib.suppress(
                RuntimeError
            ):  # already entered: it got the adapter at start()
                context.run(async_context.set, self._adapter)
        if self._prev_factory is not None:
            task = self._prev_factory(loop, coro, context=context)
        else:
            task = asyncio.Task(coro, loop=loop, context=context)
        qualname = getattr(coro, "__qualname__", "")
        if any(fragment in qualname for fragment in self.ignored_coroutines):
            self._background.add(task)
        elif (ex := context.get(_EXCHANGE)) is not None:
            ex._tasks.append(task)
        return task

    async def _settle(self, ex: Exchange) -> None:
        loop, me = asyncio.get_running_loop(), asyncio.current_task()
        deadline = loop.time() + self.timeout
        while True:
            for _ in range(3):  # let call_soon callbacks run and spawn their tasks
                await asyncio.sleep(0)
            pending = [t for t in ex._tasks if not t.done() and t is not me]
            if not pending:
                break
            if (remaining := deadline - loop.time()) <= 0:
                stuck = "; ".join(self._describe(t) for t in pending)
                for task in pending:
                    task.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                raise HarnessTimeout(f"bot still busy {self.timeout}s after {ex.event}: {stuck}")
            await asyncio.wait(pending, timeout=remaining)
        for task in ex._tasks:
            if task.done() and not task.cancelled() and (exc := task.exception()) is not None:
                self.errors.append(exc)
                ex.errors.append(exc)
        ex._tasks.clear()
        if self.raise_errors and (refused := [r for r in ex.refusals if not r.reported]):
            for refusal in refused:
                refusal.reported = True
            raise OverLimit(refused)
        if self.raise_errors and ex.errors:
            raise BotError(ex)

    @staticmethod
    def _describe(task: asyncio.Task[Any]) -> str:
        coro: object = task.get_coro()
        frame: FrameType | None = None
        while (cr_frame := getattr(coro, "cr_frame", None)) is not None:
            if frame is None or not cr_frame.f_code.co_filename.startswith(_LIBRARY_DIRS):
                frame = cr_frame  # innermost frame of the bot's own code, if any
            coro = getattr(coro, "cr_await", None)
        where = (
            f" in {frame.f_code.co_qualname}() at {frame.f_code.co_filename}:{frame.f_lineno}"
            if frame
            else ""
        )
        return f"task {task.get_name()!r}{where}"

    def _capture(self, exc: BaseException) -> None:
        self.errors.append(exc)
        if (ex := _EXCHANGE.get()) is not None:
            ex.errors.append(exc)

    # -- recording -------------------------------------------------------------------------
    async def _http_request(
        self, route: Route, *, files: Any = None, form: Any = None, **kwargs: Any
    ) -> Any:
        return await self._record(
            "rest",
            route,
            kwargs.get("json"),
            form,
            files,
            kwargs.get("reason"),
            kwargs.get("params"),
        )

    async def _static_login(self, token: str) -> JSON:
        return self.bot_user.payload()

    async def _no_socket(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("OfflineDiscord: the bot tried to open a network connection")

    async def _record(
        self,
        source: str,
        route: Route,
        payload: Any,
        form: Any,
        files: Any,
        reason: str | None,
        query: JSON | None,
    ) -> Any:
        await asyncio.sleep(0)  # a real request always yields to the loop
        body = json.loads(json.dumps(payload)) if payload is not None else None
        for part in form or ():
            if part.get("name") == "payload_json":
                body = json.loads(part["value"])
        stored = []
        for f in files or ():
            try:
                position = f.fp.tell()
                stored.append((f.filename, f.fp.read()))
                f.fp.seek(position)
            except (AttributeError, OSError, ValueError):
                stored.append((f.filename, b""))
        url = route.url[len(Route.BASE) :]
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(route.path))
        match = re.fullmatch(pattern, url)
        params = {
            k: int(v) if v.isdigit() else unquote(v)
            for k, v in (match.groupdict() if match else {}).items()
        }
        call = HttpCall(source, route.method, route.path, url, params, body, stored, query, reason)
        self.calls.append(call)
        if (ex := _EXCHANGE.get()) is not None:
            ex.calls.append(call)
        if problems := check_limits(route.method, route.path, body, files=bool(stored)):
            call.status = 400
            refusal = Refusal(call, problems, ex.event if ex is not None else "world building")
            self.refusals.append(refusal)
            if ex is not None:
                ex.refusals.append(refusal)
            raise _refused(problems)
        handler = self._routes.get((route.method, route.path))
        try:
            call.response = handler(call) if handler else None
        except discord.NotFound:
            call.status = 404
            raise
        if call.response is None and route.method == "DELETE":
            call.status = 204
        return call.response

    # -- route handlers --------------------------------------------------------------------
    def _app_info(self, call: HttpCall) -> JSON:
        return {
            "id": str(self.application_id),
            "name": self.bot_user.name,
            "icon": None,
            "description": "",
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.owner.payload(),
            "verify_key": "offline",
            "flags": 0,
            "team": None,
            "rpc_origins": [],
        }

    def _new_message(
        self, channel_id: int, body: JSON, *, ephemeral: bool = False, interaction: bool = False
    ) -> SentMessage:
        channel = self._channel(channel_id)
        msg = SentMessage(
            self.snowflake(),
            channel_id,
            channel.guild_id,
            author=self.bot_user.payload(),
            ephemeral=ephemeral,
            is_dm=channel.type == 1,
            interaction=interaction,
        )
        msg._apply(body, self.snowflake)
        msg.flags |= EPHEMERAL if ephemeral else 0
        self.messages.append(msg)
        self._by_id[msg.id] = msg
        if (ex := _EXCHANGE.get()) is not None:
            ex._touch(msg)
        return msg

    def _edit(self, msg: SentMessage, body: JSON) -> JSON:
        msg._apply(body, self.snowflake)
        msg.edits += 1
        msg.edited_timestamp = _iso(self.snowflake())
        if (ex := _EXCHANGE.get()) is not None:
            ex._touch(msg)
        return msg.payload()

    def _bot_message(self, message_id: int) -> SentMessage:
        msg = self._by_id.get(message_id)
        if msg is None or msg.deleted:
            raise _not_found("Message")
        return msg

    def _post_message(self, call: HttpCall) -> JSON:
        return self._new_message(call.params["channel_id"], call.json or {}).payload()

    def _get_message(self, call: HttpCall) -> JSON:
        mid = call.params["message_id"]
        return (
            self._user_messages[mid]
            if mid in self._user_messages
            else self._bot_message(mid).payload()
        )

    def _edit_message(self, call: HttpCall) -> JSON:
        return self._edit(self._bot_message(call.params["message_id"]), call.json or {})

    def _delete_message(self, call: HttpCall) -> None:
        mid = call.params["message_id"]
        if self._user_messages.pop(mid, None) is None:
            self._bot_message(mid).deleted = True

    def _history(self, call: HttpCall) -> list[JSON]:
        cid, limit = call.params["channel_id"], int((call.query or {}).get("limit", 50))
        found = [p for p in self._user_messages.values() if int(p["channel_id"]) == cid]
        found += [
            m.payload()
            for m in self.messages
            if m.channel_id == cid and not m.deleted and not m.ephemeral
        ]
        return sorted(found, key=lambda p: -int(p["id"]))[:limit]

    def _get_member(self, call: HttpCall) -> JSON:
        guild, uid = self._guild(call.params["guild_id"]), call.params["member_id"]
        if uid not in guild.members:
            raise _not_found("Member")
        return self._member_payload(guild, uid)

    def _role_call(self, call: HttpCall) -> None:
        guild, uid, rid = (
            self._guild(call.params["guild_id"]),
            call.params["user_id"],
            call.params["role_id"],
        )
        if uid not in guild.members or rid not in guild.roles:
            raise _not_found("Member" if uid not in guild.members else "Role")
        roles, adding = guild.members[uid], call.method == "PUT"
        if adding != (rid in roles):
            roles.append(rid) if adding else roles.remove(rid)
        self._role_change("add" if adding else "remove", guild.id, uid, rid, call.reason)
        self._member_update(guild, uid)

    def _edit_member(self, call: HttpCall) -> JSON:
        guild, uid, body = (
            self._guild(call.params["guild_id"]),
            call.params["user_id"],
            call.json or {},
        )
        if uid not in guild.members:
            raise _not_found("Member")
        if "roles" in body:
            old, new = guild.members[uid], [int(r) for r in body["roles"]]
            for rid in [r for r in new if r not in old]:
                self._role_change("add", guild.id, uid, rid, call.reason)
            for rid in [r for r in old if r not in new]:
                self._role_change("remove", guild.id, uid, rid, call.reason)
            guild.members[uid] = new
        if "nick" in body:
            guild.nicks[uid] = body["nick"]
        self._member_update(guild, uid)
        return self._member_payload(guild, uid)

    def _role_change(self, *args: Any) -> None:
        change = RoleChange(*args)
        self.role_changes.append(change)
        if (ex := _EXCHANGE.get()) is not None:
            ex.role_changes.append(change)

    def _create_role(self, call: HttpCall) -> JSON:
        guild, body = self._guild(call.params["guild_id"]), call.json or {}
        role = FakeRole(
            self.snowflake(), body.get("name", "new role"), int(body.get("permissions", 0))
        )
        guild.roles[role.id] = role
        self._state.parse_guild_role_create({"guild_id": str(guild.id), "role": role.payload()})
        return role.payload()

    def _create_channel(self, call: HttpCall) -> JSON:
        guild, body = self._guild(call.params["guild_id"]), call.json or {}
        channel = FakeChannel(
            self.snowflake(), body.get("name", "channel"), guild.id, body.get("type", 0)
        )
        guild.channels[channel.id] = self.channels[channel.id] = channel
        self._state.parse_channel_create(channel.payload())
        return channel.payload()

    def _sync_commands(self, call: HttpCall) -> list[JSON]:
        guild_id = call.params.get("guild_id")
        out = []
        for cmd in call.json or []:
            cid = self._command_ids.setdefault((guild_id, cmd["name"]), self.snowflake())
            out.append(
                {
                    "description": "",
                    **cmd,
                    "id": str(cid),
                    "application_id": str(self.application_id),
                    "version": "1",
                    **({"guild_id": str(guild_id)} if guild_id else {}),
                }
            )
        return out

    def _interaction_callback(self, call: HttpCall) -> JSON:
        info, body = self._interactions[call.params["webhook_token"]], call.json or {}
        kind, data = body["type"], body.get("data") or {}
        info.responses.append(body)
        ephemeral = bool((data.get("flags") or 0) & EPHEMERAL)
        resource = None
        if kind == 4:  # channel message
            info.original = resource = self._new_message(
                info.channel_id, data, ephemeral=ephemeral, interaction=True
            )
        elif kind == 5:  # "bot is thinking..." placeholder, filled by the next edit or follow-up
            info.original = self._new_message(
                info.channel_id, {"flags": LOADING}, ephemeral=ephemeral, interaction=True
            )
            info.loading = True
        elif kind == 7 and info.original is not None:  # update the clicked message
            self._edit(info.original, data)
            resource = info.original
        elif kind == 9:
            self.modals.append(data)
        target = resource or (info.original if kind == 5 else None)
        return {
            "interaction": {
                "id": str(info.id),
                "type": info.kind,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": ephemeral,
                **({"response_message_id": str(target.id)} if target else {}),
            },
            **({"resource": {"type": kind, "message": resource.payload()}} if resource else {}),
        }

    def _followup(self, call: HttpCall) -> JSON:
        info, body = self._interactions.get(call.params["webhook_token"]), call.json or {}
        if info is None:
            raise _not_found("Webhook")
        if info.loading and info.original is not None:  # first follow-up after a thinking defer
            info.loading = False
            info.original.flags &= ~LOADING
            return self._edit(info.original, body)
        ephemeral = bool((body.get("flags") or 0) & EPHEMERAL)
        return self._new_message(
            info.channel_id, body, ephemeral=ephemeral, interaction=True
        ).payload()

    def _webhook_message(self, call: HttpCall) -> JSON | None:
        info = self._interactions.get(call.params["webhook_token"])
        mid = call.params.get("message_id")
        msg = (info.original if info is not None else None) if mid is None else self._by_id.get(mid)
        if info is None or msg is None or msg.deleted:
            raise _not_found("Message")
        if call.method == "DELETE":
            msg.deleted = True
            return None
        if call.method == "PATCH":
            if msg is info.original and info.loading:
                info.loading = False
                msg.flags &= ~LOADING
            return self._edit(msg, call.json or {})
        return msg.payload()

    # -- payload building ------------------------------------------------------------------
    def _user(self, user_id: int, *, http: bool = False) -> FakeUser:
        if user_id not in self.users:
            if http:
                raise _not_found("User")
            raise AssertionError(f"unknown user {user_id}; call make_user() first")
        return self.users[user_id]

    def _guild(self, guild_id: int) -> FakeGuild:
        if guild_id not in self.guilds:
            raise _not_found("Guild")
        return self.guilds[guild_id]

    def _member_guild(self, guild_id: int, user_id: int) -> FakeGuild:
        guild = self.guilds.get(guild_id)
        if guild is None or not guild.joined:
            raise AssertionError(f"the bot is not in guild {guild_id}; call join_guild() first")
        if user_id not in guild.members:
            raise AssertionError(f"user {user_id} is not a member of guild {guild.name!r}")
        return guild

    def _channel(self, channel_id: int) -> FakeChannel:
        if channel_id not in self.channels:
            raise _not_found("Channel")
        return self.channels[channel_id]

    def _guild_channel(self, guild: FakeGuild, channel_id: int | None) -> FakeChannel:
        if channel_id is None:
            return guild.channels[guild.default_channel_id]
        if channel_id not in guild.channels:
            raise AssertionError(f"guild {guild.name!r} has no channel {channel_id}")
        return guild.channels[channel_id]

    def _dm_channel(self, user_id: int, channel_id: int | None = None) -> FakeChannel:
        if user_id not in self._dm_by_user:
            channel = FakeChannel(channel_id or self.snowflake(), "", None, 1, self._user(user_id))
            self._dm_by_user[user_id] = self.channels[channel.id] = channel
        return self._dm_by_user[user_id]

    def _member_payload(
        self, guild: FakeGuild, user_id: int, *, user: bool = True, permissions: bool = False
    ) -> JSON:
        payload: JSON = {
            "roles": [str(r) for r in guild.members[user_id]],
            "nick": guild.nicks.get(user_id),
            "joined_at": _JOINED_AT,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "avatar": None,
            "premium_since": None,
            "communication_disabled_until": None,
        }
        if user:
            payload["user"] = self._user(user_id).payload()
        if permissions:
            payload["permissions"] = str(guild.permissions_for(user_id))
        return payload

    def _member_update(self, guild: FakeGuild, user_id: int) -> None:
        if guild.joined and user_id in guild.members:
            self._state.parse_guild_member_update(
                {**self._member_payload(guild, user_id), "guild_id": str(guild.id)}
            )

    def _guild_payload(self, guild: FakeGuild) -> JSON:
        members = [self._member_payload(guild, uid) for uid in guild.members]
        return {
            "id": str(guild.id),
            "name": guild.name,
            "owner_id": str(guild.owner_id),
            "icon": None,
            "features": [],
            "roles": [r.payload() for r in guild.roles.values()],
            "emojis": [],
            "stickers": [],
            "channels": [c.payload() for c in guild.channels.values()],
            "threads": [],
            "members": members,
            "member_count": len(members),
            "large": False,
            "presences": [],
            "voice_states": [],
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "system_channel_id": None,
            "afk_channel_id": None,
            "joined_at": _JOINED_AT,
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def _entity_id(self, option_type: int, value: Any, guild: FakeGuild | None) -> int | None:
        """The id a user/role/channel option names: an id, a Fake*/discord object, a mention
        (``<@id>``, ``<#id>``) or a name (``Bob``, ``@Bob``, ``#general``; any case)."""
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if hasattr(value, "id"):
            return int(value.id)
        text = str(value).strip()
        if match := re.fullmatch(r"<(?:@[!&]?|#)(\d+)>|(\d{15,20})", text):
            return int(match[1] or match[2])
        name, t = text.lstrip("@#").lower(), discord.AppCommandOptionType
        found: list[int] = []
        if option_type in (t.user.value, t.mentionable.value):
            found = [u.id for u in self.users.values() if u.name.lower() == name]
            if guild is not None and len(found) > 1:
                found = [uid for uid in found if uid in guild.members]
        if not found and guild is not None and option_type in (t.role.value, t.mentionable.value):
            found = [r.id for r in guild.roles.values() if r.name.lower() == name]
        if not found and guild is not None and option_type == t.channel.value:
            found = [c.id for c in guild.channels.values() if c.name.lower() == name]
        return found[0] if len(found) == 1 else None

    def _option_value(
        self, option_type: int, value: Any, guild: FakeGuild | None, resolved: JSON
    ) -> Any:
        t = discord.AppCommandOptionType
        if option_type in (t.user.value, t.role.value, t.mentionable.value, t.channel.value):
            oid = self._entity_id(option_type, value, guild)
            if option_type in (t.user.value, t.mentionable.value) and oid in self.users:
                resolved.setdefault("users", {})[str(oid)] = self.users[oid].payload()
                if guild is not None and oid in guild.members:
                    member = self._member_payload(guild, oid, user=False, permissions=True)
                    resolved.setdefault("members", {})[str(oid)] = member
                return str(oid)
            if option_type in (t.role.value, t.mentionable.value) and guild and oid in guild.roles:
                resolved.setdefault("roles", {})[str(oid)] = guild.roles[oid].payload()
                return str(oid)
            if option_type == t.channel.value and oid in self.channels:
                channel = self.channels[oid]
                resolved.setdefault("channels", {})[str(channel.id)] = {
                    **channel.payload(),
                    "permissions": str(ALL_PERMISSIONS),
                }
                return str(channel.id)
            raise AssertionError(
                f"no {t(option_type).name} {value!r} for this option: Discord's client only "
                "offers the ones it knows"
            )
        if option_type == t.boolean.value and isinstance(value, str):
            return value.strip().lower() in ("true", "yes", "on", "1")
        converters = {
            t.string.value: str,
            t.integer.value: int,
            t.number.value: float,
            t.boolean.value: bool,
        }
        if option_type in converters:
            try:
                return converters[option_type](value)
            except ValueError:
                raise AssertionError(
                    f"Discord's client does not send {value!r} as a {t(option_type).name}"
                ) from None
        raise AssertionError(f"cannot build an option of type {t(option_type).name} from {value!r}")

    def _interaction_payload(
        self,
        kind: int,
        guild_id: int | None,
        channel_id: int | None,
        user_id: int,
        data: JSON,
        message: SentMessage | None = None,
    ) -> JSON:
        interaction_id = self.snowflake()
        token = f"offline-token-{interaction_id}"
        payload = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "token": token,
            "version": 1,
            "locale": "en-US",
            "entitlements": [],
            "attachment_size_limit": 8 * 1024 * 1024,
        }
        if guild_id is not None:
            guild = self._member_guild(guild_id, user_id)
            channel = self._guild_channel(guild, channel_id)
            payload |= {
                "guild_id": str(guild_id),
                "guild_locale": "en-US",
                "context": 0,
                "member": self._member_payload(guild, user_id, permissions=True),
                "app_permissions": str(guild.permissions_for(self.bot_user.id)),
                "authorizing_integration_owners": {"0": str(guild_id)},
            }
            channel_payload = {
                **channel.payload(),
                "permissions": str(guild.permissions_for(user_id)),
            }
        else:
            channel = self._dm_channel(user_id) if channel_id is None else self._channel(channel_id)
            payload |= {
                "user": self._user(user_id).payload(),
                "context": 1,
                "app_permissions": str(ALL_PERMISSIONS),
                "authorizing_integration_owners": {"0": "0"},
            }
            channel_payload = channel.payload()
        payload |= {"channel": channel_payload, "channel_id": str(channel.id)}
        if message is not None:
            payload["message"] = message.payload()
        self._interactions[token] = _Interaction(
            interaction_id, kind, channel.id, guild_id, original=message
        )
        return payload

    async def _component(self, message: SentMessage, user_id: int, data: JSON) -> Exchange:
        if message.deleted:
            raise AssertionError(f"message {message.id} was deleted")
        if message.is_dm:
            channel = self.channels[message.channel_id]
            if channel.recipient is None or channel.recipient.id != user_id:
                raise AssertionError(f"user {user_id} cannot see DM message {message.id}")
        payload = self._interaction_payload(
            3, message.guild_id, message.channel_id, user_id, data, message
        )
        label = f"{'click' if data['component_type'] == 2 else 'select'} {data['custom_id']!r} by {user_id}"
        return await self._inject(label, self._state.parse_interaction_create, payload)
