"""Crafting's section of the per-server settings."""

from __future__ import annotations

from pydantic import Field

from chibot.core.settings import SettingsSection


class CraftingSettings(SettingsSection):
    crafting_enabled: bool = Field(True, description="Members can craft here.")
    craft_slots: int = Field(
        3, ge=1, le=10, description="Crafts one member may have in progress at once."
    )
