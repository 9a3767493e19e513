"""Progress: levels, item upgrades, milestones, achievements, stats, cooldowns."""

from chibot.core.export import contribute as _contribute
from chibot.features.progress.store import achievements as _achievements
from chibot.features.progress.store import milestones as _milestones

_contribute("progress", _achievements, _milestones)  # this system's part of a server export
