"""Server administration: settings (`config`) and the server's blacklist."""

from typing import TYPE_CHECKING

from chibot.core.system import ServiceContext, System
from chibot.features.admin.legacy import IMPORTERS

if TYPE_CHECKING:
    from chibot.features.admin.service import AdminService


def _service(ctx: ServiceContext) -> "AdminService":
    from chibot.features.admin.service import AdminService

    return AdminService(
        ctx.db,
        ctx.guild_settings,
        ctx.settings.export_dir,
        export_parts=ctx.registry.export_parts,
        content_words=ctx.catalog.files.get("words"),
    )


SYSTEM = System(
    name="admin",
    summary="Administration: settings, the server blacklist, resets",
    service=_service,
    cog="chibot.features.admin.cog",
    phrases="chibot.features.admin.phrases",
    legacy=IMPORTERS,
)
