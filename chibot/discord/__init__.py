"""Discord-facing layer of chibot (bot wiring, cogs and the offline test harness)."""
