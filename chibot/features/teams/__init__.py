"""Teams: found, invite, join, a chi bank, a base with real upgrades, alliances and rivals,
the team board and team events (docs/teams.md)."""

from typing import TYPE_CHECKING, Any

from chibot.core.sessions import SessionEnded
from chibot.core.system import ServiceContext, System
from chibot.features.teams.legacy import IMPORTERS
from chibot.features.teams.settings import TeamSettings
from chibot.features.teams.store import TABLES

if TYPE_CHECKING:
    from chibot.core.scheduler import Job
    from chibot.features.teams.service import TeamsService


def _service(ctx: ServiceContext) -> "TeamsService":
    from chibot.features.teams.service import TeamsService

    return TeamsService(ctx.db, ctx.catalog, ctx.guild_settings)


async def _close_event(app: Any, job: "Job") -> None:
    await app.teams.close_event(job.guild_id, int(job.key))


SYSTEM = System(
    name="teams",
    summary="Teams: found one, invite, bank, base, allies and rivals, team events",
    service=_service,
    cog="chibot.features.teams.cog",
    phrases="chibot.features.teams.phrases",
    tables=TABLES,
    settings=TeamSettings,
    jobs={"team.event_close": _close_event},
    listens=((SessionEnded, lambda service: service.on_session_ended),),
    legacy=IMPORTERS,
)
