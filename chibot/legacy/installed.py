"""The legacy importers of the systems installed in this release. TEMPORARY.

The system registry (being built separately) replaces this module: it will collect the
`IMPORTERS` constant from every installed system's manifest. Until it lands, this is the one
place that knows which systems have an importer; the framework (`chibot.legacy.framework`)
imports no system and receives the importers it runs.
"""

from __future__ import annotations

from chibot.legacy.framework import LegacyImporter


def installed_importers() -> tuple[LegacyImporter, ...]:
    """Every importer of the installed systems (economy, progress, admin); the framework sorts
    them by `order`. Replaced by the system registry."""
    from chibot.features.admin import legacy as admin
    from chibot.features.economy import legacy as economy
    from chibot.features.progress import legacy as progress

    return (*economy.IMPORTERS, *progress.IMPORTERS, *admin.IMPORTERS)
