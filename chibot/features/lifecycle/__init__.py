"""Server lifecycle: joining, leaving (data kept 30 days), reconciling, purging."""

from chibot.core.system import ServiceContext, System
from chibot.features.lifecycle.service import PURGE, LifecycleService, run_purge


def _service(ctx: ServiceContext) -> LifecycleService:
    return LifecycleService(ctx.db)


SYSTEM = System(
    name="lifecycle",
    summary="Server lifecycle: joins, leaves, the 30-day purge, the welcome",
    service=_service,
    cog="chibot.features.lifecycle.cog",
    jobs={PURGE: run_purge},
)
