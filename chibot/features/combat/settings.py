"""Combat's section of the per-server settings."""

from __future__ import annotations

from pydantic import Field

from chibot.core.settings import SettingsSection


class CombatSettings(SettingsSection):
    combat_enabled: bool = Field(
        True,
        description="Members can start fights here (duels, sparring, training); fights already "
        "under way finish.",
    )
    duel_max_stake: int = Field(
        1_000_000, ge=0, le=10**12, description="The largest stake of a duel, per side (0: none)."
    )
    duel_bets_enabled: bool = Field(True, description="Spectators can bet on duels.")
