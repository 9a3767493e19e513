"""Bot owners ("PSY"): act on any server, the bot-wide blacklist, the audit trail."""

from typing import TYPE_CHECKING

from chibot.core.system import ServiceContext, System

if TYPE_CHECKING:
    from chibot.features.owner.service import OwnerService


def _service(ctx: ServiceContext) -> "OwnerService":
    from chibot.features.owner.service import OwnerService

    return OwnerService(ctx.db, ctx.catalog, ctx.need("admin"))


SYSTEM = System(
    name="owner",
    summary="Bot owners: act on any server",
    service=_service,
    needs=("admin",),
    cog="chibot.features.owner.cog",
    phrases="chibot.features.owner.phrases",
)
