"""Sealed custom ids: the state a restart-proof button carries is bound to its server and
cannot be forged.

A restart-proof component (`ui.DynamicItem`) keeps its state in its custom id: the buyer and
the price of a purchase offer, its expiry, the owner of a page. Anyone can send Discord an
interaction with any custom id, so that state is signed: the id is `<state>~<seal>`, where the
seal is the first 9 bytes (12 base64url characters) of HMAC-SHA256 over the server's id and
the state, with a key kept in the database (`core/secrets.py`, one per bot, shared by all its
processes and kept across restarts). A press whose seal does not match (a forged or edited
id: another buyer, a later expiry, a lower price; a button carried to another server or into
DMs) is answered "This button has expired." and nothing runs; so is an id the item cannot
read (a page of 10^9, an expiry in year 10,000).

The seal is made when the item is built, for the server where it is being sent: the bot sets
that context around each command (`ChiBot.get_context`) and each press it answers (the kit's
bases), so no feature passes keys or servers around. Building a sealed item anywhere else is a
bug and says so.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

SEAL = r"~(?P<seal>[A-Za-z0-9_-]{12})"
"""What the kit appends to every restart-proof component's template."""
SEAL_LENGTH = 13  # "~" and 12 characters: a template's state has 87 of Discord's 100
EXPIRED = "This button has expired: run the command again."


@dataclass(frozen=True)
class Sealer:
    """Seals and checks custom ids for one server (`guild_id`, 0 in DMs)."""

    key: bytes
    guild_id: int

    def seal(self, state: str) -> str:
        digest = hmac.new(self.key, f"{self.guild_id}\x1f{state}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:9]).decode()

    def sealed(self, state: str) -> str:
        return f"{state}~{self.seal(state)}"

    def opens(self, custom_id: str) -> bool:
        state, _, seal = custom_id.rpartition("~")
        return bool(state) and hmac.compare_digest(seal, self.seal(state))


_CURRENT: ContextVar[Sealer | None] = ContextVar("chibot_sealer", default=None)


def current() -> Sealer:
    sealer = _CURRENT.get()
    if sealer is None:
        raise LookupError(
            "a restart-proof button was built outside a command or a press: the kit does not "
            "know which server to seal it for (use `ui.sealing(...)`)"
        )
    return sealer


def set_sealer(sealer: Sealer | None) -> None:
    """For the rest of this task (a command, a press), seal items with `sealer`."""
    _CURRENT.set(sealer)


@contextmanager
def sealing(key: bytes, guild_id: int) -> Iterator[Sealer]:
    """Seal the items built inside the block for `guild_id` (tests, jobs that send buttons)."""
    sealer = Sealer(key, guild_id)
    token = _CURRENT.set(sealer)
    try:
        yield sealer
    finally:
        _CURRENT.reset(token)


def sealer_for(client: Any, guild_id: int) -> Sealer | None:
    """The sealer of `client` (a `ChiBot`, whose `button_key` is read from the database at
    start-up) for a server; None for a client without a key."""
    key = getattr(client, "button_key", None)
    return Sealer(key, guild_id) if isinstance(key, bytes) else None
