"""Game systems, one folder each; each folder's `__init__.py` holds its manifest (`SYSTEM`).

Nothing is imported here: the registry (`chibot/core/registry.py`) discovers the folders.
"""
