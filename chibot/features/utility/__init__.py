"""Utility commands: help (more arrive with the utility update)."""

from chibot.core.system import System

SYSTEM = System(
    name="utility",
    summary="Help and small tools",
    cog="chibot.features.utility.cog",
)
