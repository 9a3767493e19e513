"""chibot: a multi-server Discord game bot about chi."""

__version__ = "0.1.0"
