"""The base of every button, select and view of the bot.

- **Errors are answered like commands**: a `UserError` gets its one line, anything else a bug
  id (`discord/errors.py`), always ephemerally; never Discord's bare "This interaction failed".
- **Who may press**: a component with an owner (`owner_id`) refuses everyone else; one marked
  `bot_owners_only` refuses all but the bot's owners; and every component refuses blacklisted
  members (this server's list or the bot-wide one; bot owners exempt), like the global check
  on commands, through `ChiBot.is_blocked`.

`View` is the base of every view; `DynamicItem` of every restart-proof component (whose state
lives in its custom id, sealed: `seal.py`). discord.py runs only the item's own
`interaction_check` for a dynamic item, and does not route its errors to `View.on_error`: so
the guard and the error answer are on both.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any, ClassVar, TypeVar

import discord

from chibot.core.errors import UserError
from chibot.discord.checks import Blocked, NotOwner
from chibot.discord.errors import explain, record_bug
from chibot.discord.ui.seal import EXPIRED, SEAL, current, sealer_for, set_sealer
from chibot.discord.wording import word

log = logging.getLogger(__name__)

BaseT = TypeVar("BaseT", bound="discord.ui.Item[Any]")
BLOCKED = str(Blocked())
NOT_BOT_OWNER = str(NotOwner())
_NO_TEMPLATE = re.compile(r"(?!)")  # the kit's abstract items match no custom id


async def say(interaction: discord.Interaction, text: str) -> None:
    """One ephemeral line, as the response or (once responded) as a follow-up."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not answer a component interaction")


async def answer_error(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    """A failed press: the one-line answer of a user error, or a logged bug id."""
    guild_id = interaction.guild_id or 0
    message = explain(error) or await record_bug(
        interaction.client, guild_id, interaction.user.id, error, where
    )
    await say(interaction, message)


def is_bot_owner(client: Any, user_id: int) -> bool:
    owners = getattr(client, "owner_id_set", None)
    return owners is not None and user_id in owners()


async def is_blocked(client: Any, guild_id: int, user_id: int) -> bool:
    check = getattr(client, "is_blocked", None)  # ChiBot.is_blocked; other clients block nobody
    return check is not None and await check(guild_id, user_id)


class Guarded:
    """Who may press: `refusal` says why not (or `None`), `admit` answers the refusal."""

    owner_id: int | None = None
    not_owner: str = "This isn't yours."  # may name the owner: `{owner}`
    bot_owners_only: ClassVar[bool] = False

    async def refusal(self, interaction: discord.Interaction) -> str | None:
        user_id = interaction.user.id
        if self.bot_owners_only and not is_bot_owner(interaction.client, user_id):
            return NOT_BOT_OWNER
        if self.owner_id is not None and user_id != self.owner_id:
            return self.not_owner.format(owner=self.owner_id)
        guild_id = interaction.guild.id if interaction.guild is not None else 0
        if await is_blocked(interaction.client, guild_id, user_id):
            return BLOCKED
        return None

    async def admit(self, interaction: discord.Interaction) -> bool:
        # items built while answering this press are sealed for this press's server
        set_sealer(sealer_for(interaction.client, interaction.guild.id if interaction.guild else 0))
        try:
            text = await self.refusal(interaction)
        except Exception as error:  # noqa: BLE001 - a failing check still gets its answer
            await answer_error(interaction, error, f"check of {type(self).__name__}")
            return False
        if text is not None:
            await say(interaction, text)
            return False
        return True


class View(Guarded, discord.ui.View):
    """The base of every view: guarded, errors answered; `owner_id` makes it one member's."""

    def __init__(self, *, owner_id: int | None = None, timeout: float | None = None) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.Message | None = None  # set by whoever sends it (`ctx.confirm`)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await self.admit(interaction)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: Any) -> None:
        await answer_error(
            interaction, error, f"component {getattr(item, 'custom_id', type(item).__name__)}"
        )

    def disable(self) -> None:
        """Grey out every button and select."""
        for item in self.walk_children():
            target = item.item if isinstance(item, discord.ui.DynamicItem) else item
            if hasattr(target, "disabled"):
                target.disabled = True


class DynamicItem(Guarded, discord.ui.DynamicItem[BaseT], template=_NO_TEMPLATE):
    """The base of every restart-proof component: guarded, sealed, and its `callback` answers
    errors.

    Subclasses give `template=` as with discord.py (the state part of the custom id; the kit
    appends the seal) and build their item with the unsealed id: the kit seals it for the
    server being answered. A press is opened only if its seal matches this server (otherwise,
    or if the subclass cannot read the id, it is answered "This button has expired.").
    Abstract bases of the kit may leave the template out.
    """

    def __init_subclass__(
        cls, *, template: str | re.Pattern[str] | None = None, **kwargs: Any
    ) -> None:
        if template is not None:
            pattern = template.pattern if isinstance(template, re.Pattern) else template
            template = f"(?:{pattern}){SEAL}"
        super().__init_subclass__(
            template=template if template is not None else _NO_TEMPLATE, **kwargs
        )
        original = cls.__dict__.get("callback")
        if original is not None:
            cls.callback = _answering(original)  # type: ignore[method-assign]
        opener = cls.__dict__.get("from_custom_id")
        if opener is not None:
            cls.from_custom_id = _opening(opener.__func__)  # type: ignore[method-assign]

    def __init__(self, item: BaseT, *, row: int | None = None) -> None:
        state = getattr(item, "custom_id", None)
        if isinstance(state, str):
            item.custom_id = current().sealed(state)  # type: ignore[attr-defined]
        super().__init__(item, row=row)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await self.admit(interaction)


def _answering(original: Any) -> Any:
    @functools.wraps(original)
    async def callback(self: Any, interaction: discord.Interaction) -> None:
        try:
            await original(self, interaction)
        except Exception as error:  # noqa: BLE001 - every failure gets its one-line answer
            await answer_error(interaction, error, f"component {type(self).__name__}")

    return callback


def _opening(original: Any) -> Any:
    """Wraps a `from_custom_id`: the seal is checked first, for the server of the press."""

    @functools.wraps(original)
    async def from_custom_id(
        cls: Any, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> Any:
        if interaction.extras.get("chibot.opened"):  # a subclass calling its base's
            return await original(cls, interaction, item, match)
        sealer = sealer_for(interaction.client, interaction.guild.id if interaction.guild else 0)
        set_sealer(sealer)
        if sealer is None or not sealer.opens(match.string):
            return Unopened(item, EXPIRED)
        interaction.extras["chibot.opened"] = True
        try:
            return await original(cls, interaction, item, match)
        except UserError as error:
            return Unopened(item, word(error))
        except Exception:  # noqa: BLE001 - an id it cannot read: a forgery or an old format
            log.info("unreadable custom id for %s: %r", cls.__name__, match.string[:100])
            return Unopened(item, EXPIRED)

    return classmethod(from_custom_id)


class Unopened(discord.ui.DynamicItem[discord.ui.Item[Any]], template=r"(?s:.+)"):
    """Stands in for a press the kit would not open: answers `text` and runs nothing. (Never
    registered, so it is never dispatched on its own.)"""

    def __init__(self, item: discord.ui.Item[Any], text: str) -> None:
        super().__init__(item)
        self.text = text

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        await say(interaction, self.text)
        return False

    async def callback(self, interaction: discord.Interaction) -> None:
        return None


def unclaimed(interaction: discord.Interaction) -> bool:
    """A component press that nothing of this bot will answer: no view holds its custom id
    (an in-memory view gone with a restart or closed since) and no restart-proof item's
    template matches it (an unsealed, forged or retired id). discord.py drops such presses in
    silence, which Discord shows as "This interaction failed"; the bot answers them instead
    (`ChiBot.on_interaction`: "This button has expired"). Reads discord.py's view store the way
    its own dispatch does (discord.py is pinned to an exact version)."""
    if interaction.type is not discord.InteractionType.component:
        return False
    data: Any = interaction.data or {}
    custom_id, kind = data.get("custom_id"), data.get("component_type")
    store = getattr(getattr(interaction.client, "_connection", None), "_view_store", None)
    if not isinstance(custom_id, str) or store is None:
        return False
    if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
        return False
    key = (kind, custom_id)
    message = interaction.message
    if message is not None and key in store._views.get(message.id, {}):
        return False
    return key not in store._views.get(None, {})
