"""Game systems, one folder each. Importing this package registers every system's tables."""

from chibot.features.economy import store as _economy_store  # noqa: F401
