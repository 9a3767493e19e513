"""The shop's section of the per-server settings."""

from __future__ import annotations

from pydantic import Field

from chibot.core.settings import SettingsSection


class ShopSettings(SettingsSection):
    shop_price_multiplier: int = Field(
        100, ge=10, le=1000, description="Chi-shop prices (and sell-backs) in percent of the base."
    )
