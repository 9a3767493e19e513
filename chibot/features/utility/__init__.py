"""Utility commands: help, and the bot's own status (ping, uptime, donate). Translation and
reminders are planned (docs/commands.md)."""

from chibot.core.system import System

SYSTEM = System(
    name="utility",
    summary="Help and the bot's status",
    cog="chibot.features.utility.cog",
)
