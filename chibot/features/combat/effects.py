"""Effects with durations: what burns, stuns, shields or strengthens a fighter for a while.

An effect of `rounds` N is seen at its bearer's next N turn starts. At each one it acts (a
damage-over-time kind deals its `amount`, a stun skips that turn) and loses a round; at the Nth
it expires. Modifier kinds hold in between, so a shield raised on your turn protects you during
the other side's turns and is gone when your next turn starts after its last round.

Kinds:

* `burn`, `poison`: damage over time, `amount` HP per round. Direct: no defend, no shield, no
  dodge (it is not a hit), but it can knock out.
* `stun`, `fear`: the bearer's turn is skipped (`amount` unused): a stunned fighter can't, a
  frightened one dares not (pets: the Ox's charge, the Snake's hiss).
* `strength` / `weaken`: outgoing damage +/- `amount` percent.
* `empower`: the bearer's next weapon hit deals `amount` percent more, and the effect is used
  up by that hit (the Tiger's roar); unused, it expires like any other.
* `shield` / `resistance`: incoming damage - `amount` percent (after the defend stance).
* `heal_block`: the bearer cannot heal: `heal` is refused, and a heal that an attack or a
  hook would give them heals nothing (`amount` unused; the Snake's constrict).

Stacking: one effect per kind on a fighter; applying a kind it already bears replaces the old
one (so a second burn restarts the burn rather than doubling it). Whether an effect is applied
again at all is the applier's choice (Emberclaw's burn is applied once, by its behaviour).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DAMAGE_OVER_TIME = frozenset({"burn", "poison"})
SKIPS_TURN = frozenset({"stun", "fear"})
OUTGOING = ("strength", "weaken", "empower")
INCOMING = ("shield", "resistance")
BLOCKS_HEALING = frozenset({"heal_block"})
KINDS = DAMAGE_OVER_TIME | SKIPS_TURN | frozenset(OUTGOING) | frozenset(INCOMING) | BLOCKS_HEALING


@dataclass(frozen=True, slots=True)
class Effect:
    kind: str
    rounds: int
    amount: int = 0
    source: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown effect kind {self.kind!r}")
        if self.rounds < 1 or self.amount < 0:
            raise ValueError("an effect lasts at least one round, with a non-negative amount")


def added(effects: Iterable[Effect], new: Effect) -> tuple[Effect, ...]:
    """`effects` with `new` on, replacing an effect of the same kind (where it stood)."""
    out, placed = [], False
    for e in effects:
        if e.kind == new.kind:
            out.append(new)
            placed = True
        else:
            out.append(e)
    if not placed:
        out.append(new)
    return tuple(out)


def outgoing_pcts(effects: Iterable[Effect]) -> list[int]:
    """Outgoing percents in a fixed order: strength, then weaken, then empower."""
    by = {e.kind: e for e in effects}
    out = []
    if "strength" in by:
        out.append(by["strength"].amount)
    if "weaken" in by:
        out.append(-by["weaken"].amount)
    if "empower" in by:
        out.append(by["empower"].amount)
    return out


def heal_blocked(effects: Iterable[Effect]) -> Effect | None:
    """The effect that keeps the bearer from healing, if any."""
    return next((e for e in effects if e.kind in BLOCKS_HEALING), None)


def without(effects: Iterable[Effect], kinds: Iterable[str]) -> tuple[Effect, ...]:
    """`effects` less those of `kinds` (a cleanse, an empower used up)."""
    gone = frozenset(kinds)
    return tuple(e for e in effects if e.kind not in gone)


def incoming_pcts(effects: Iterable[Effect]) -> list[int]:
    """Percents taken off an incoming hit, in a fixed order: shield, then resistance."""
    by = {e.kind: e for e in effects}
    return [by[k].amount for k in INCOMING if k in by]
