"""Shared machinery: database, tenancy, money, cooldowns, settings, catalog. No game rules."""
