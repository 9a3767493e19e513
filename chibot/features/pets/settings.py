"""Pets' section of the per-server settings."""

from __future__ import annotations

from pydantic import Field

from chibot.core.settings import SettingsSection


class PetSettings(SettingsSection):
    pets_enabled: bool = Field(True, description="Members can adopt, feed and train pets here.")
