"""Progress: levels, item upgrades, milestones, achievements, stats, cooldowns."""

from chibot.core.events import MemberActed, ProfileRequested
from chibot.core.system import ServiceContext, System
from chibot.features.progress.content import AchievementsFile, MilestonesFile
from chibot.features.progress.legacy import IMPORTERS
from chibot.features.progress.service import ProgressService
from chibot.features.progress.store import achievements, milestones


def _service(ctx: ServiceContext) -> ProgressService:
    return ProgressService(ctx.db, ctx.catalog)


SYSTEM = System(
    name="progress",
    summary="Progress: levels, upgrades, milestones, achievements, stats",
    service=_service,
    cog="chibot.features.progress.cog",
    phrases="chibot.features.progress.phrases",
    tables=(achievements, milestones),
    content={"achievements": AchievementsFile, "milestones": MilestonesFile},
    legacy=IMPORTERS,
    listens=(
        (MemberActed, lambda service: service.on_member_acted),
        (ProfileRequested, lambda service: service.on_profile),
    ),
)
