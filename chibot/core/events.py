"""Domain events: facts a service publishes inside its transaction, for other systems to act on.

A service that did something other systems care about (a chat award, a daily claim, a
purchase, a rebirth) publishes a fact through its scope, inside its own transaction:

    notices = await scope.publish(DailyClaimed(user_id=user_id, streak=streak))

Every listener subscribed to that fact's class (or to one of its base classes) runs at once,
in order of subscription, inside the same transaction: what a listener writes commits or rolls
back with the action. A listener may return things the member should be told (an achievement
unlocked, a quest step done); `publish` returns them all, and the publisher carries them in
its result for the Discord layer to announce, without knowing what they are.

This is what lets systems react to each other without importing each other: progress
subscribes to `MemberActed` (every fact about a member doing something) and checks
achievements; the economy never imports progress, and a later system's facts reach progress
by subclassing `MemberActed`. Listeners are declared in each system's manifest
(`System.listens`) and subscribed by the registry when the app is built.

Events are frozen dataclasses holding plain values (ids, amounts, names): they are data, not
objects with behaviour, and never hold a connection or a Discord object.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chibot.core.scope import GuildScope


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every domain event."""


Changes = Mapping[str, "tuple[int, int] | None"]
"""Counter name -> (before, after), or None when it moved by an amount the publisher did not
read. Names are those of the counters table and of the member row (`lifetime_chi`,
`secret_words`)."""


@dataclass(frozen=True, slots=True)
class MemberActed(Event):
    """A member did something in the game (the base of every per-member fact). Listeners
    that re-evaluate a member's standing (achievements) subscribe to this class.

    `changes` lets a hot path spare them the work: None means "anything may have moved"
    (re-evaluate everything); a mapping names the only counters that moved, so a listener
    whose thresholds none of them crossed does nothing (the chat path: one award, no query)."""

    user_id: int
    changes: Changes | None = None


@dataclass(frozen=True, slots=True)
class ProfileRequested(Event):
    """A member's card (`profile`) is being shown. Systems answer with `ProfileFact`s (their
    part of the card: max HP, achievements, later team, pet...), read in the same transaction,
    so the card's owner (the economy) needs no system's service to show them. It carries
    what it already read of the member row, so listeners need not read it again."""

    user_id: int
    lifetime_chi: int = 0


@dataclass(frozen=True, slots=True)
class ProfileFact:
    """One value on a member's card, named by the system that answers (`max_hp`)."""

    key: str
    value: Any


Notices = tuple[Any, ...]
"""What listeners returned for the member to be told, in order (opaque to the publisher)."""

Listener = Callable[["GuildScope", Any], Awaitable[Iterable[Any] | None]]


class EventBus:
    """Listeners by event class; `publish` runs those of the event's class and its bases."""

    def __init__(self) -> None:
        self._listeners: dict[type, list[Listener]] = {}
        self._resolved: dict[type, tuple[Listener, ...]] = {}

    def subscribe(self, kind: type[Event], listener: Listener) -> None:
        if not (isinstance(kind, type) and issubclass(kind, Event)):
            raise TypeError(f"{kind!r} is not an Event class")
        self._listeners.setdefault(kind, []).append(listener)
        self._resolved.clear()

    def listeners(self, kind: type) -> tuple[Listener, ...]:
        found = self._resolved.get(kind)
        if found is None:
            found = tuple(fn for base in kind.__mro__ for fn in self._listeners.get(base, ()))
            self._resolved[kind] = found
        return found

    async def publish(self, scope: GuildScope, event: Event) -> Notices:
        """Run every listener of `event` inside the caller's transaction; their notices."""
        out: list[Any] = []
        for listener in self.listeners(type(event)):
            got = await listener(scope, event)
            if got:
                out.extend(got)
        return tuple(out)
