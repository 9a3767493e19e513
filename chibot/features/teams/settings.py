"""Teams' section of the per-server settings."""

from __future__ import annotations

from pydantic import Field

from chibot.core.settings import SettingsSection


class TeamSettings(SettingsSection):
    teams_enabled: bool = Field(True, description="Members can create and join teams.")
    team_create_cost: int = Field(
        1_000, ge=0, le=10_000_000, description="Chi it costs to found a team."
    )
    team_invite_hours: int = Field(
        24,
        ge=1,
        le=24 * 14,
        description="Hours an invite, join request or alliance proposal waits.",
    )
    team_officer_limit: int = Field(
        1_000, ge=0, le=1_000_000_000,
        description="A new team's daily bank withdraw limit for officers (leaders change theirs).",
    )  # fmt: skip
