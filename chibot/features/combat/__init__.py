"""Combat: one engine for every fight (placeholder manifest of the engine branch; the real
manifest comes from the combat feature's branch and replaces this file at merge)."""

from chibot.core.system import System

SYSTEM = System(
    name="combat",
    summary="Combat: one engine for every fight",
    phrases="chibot.features.combat.phrases",
)
