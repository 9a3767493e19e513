"""Utility commands: help (more arrive with the utility update)."""
