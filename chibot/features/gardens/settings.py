"""Gardens' section of the per-server settings."""

from __future__ import annotations

from pydantic import Field

from chibot.core.settings import SettingsSection


class GardenSettings(SettingsSection):
    gardens_enabled: bool = Field(True, description="Members can grow gardens here.")
    garden_create_cost: int = Field(
        100, ge=0, le=10_000_000, description="Chi it costs to found a garden."
    )
