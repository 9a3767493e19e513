"""Progress: levels, item upgrades, milestones, achievements, stats, cooldowns."""
