"""Combat: one engine for every fight (docs/combat.md): the weapons (`weapons`, `equip`), the
fighting card (`fight`), sparring, NPC training, duels with bets, tournaments, the solo bosses
(`boss`, docs/bosses.md), the rift (`rift`, `event rift`), team duels and team boss raids
(`teamduel`, `teamboss`, docs/team-fights.md), with their stats and boards."""

from typing import TYPE_CHECKING, Any

from chibot.core.events import ProfileRequested
from chibot.core.sessions import SessionEnded
from chibot.core.system import ServiceContext, System
from chibot.features.combat.bosses import BossesFile
from chibot.features.combat.legacy import IMPORTERS
from chibot.features.combat.npcs import NpcsFile
from chibot.features.combat.settings import CombatSettings
from chibot.features.combat.store import TABLES
from chibot.features.combat.team_bosses import TeamBossesFile

if TYPE_CHECKING:
    from chibot.core.scheduler import Job
    from chibot.features.combat.service import CombatService


def _service(ctx: ServiceContext) -> "CombatService":
    from chibot.features.combat.service import CombatService

    return CombatService(
        ctx.db, ctx.catalog, ctx.need("progress"), ctx.rng, ctx.need("teams"), ctx.need("pets")
    )


async def _tournament_round(app: Any, job: "Job") -> None:
    """A tournament round's deadline (`tournaments.DEADLINE_JOB`, key `<tournament>:<round>`):
    what it says goes to the outbox like an expired session's notices."""
    tournament, round_ = job.key.split(":")
    notices = await app.combat.tournament_deadline(job.guild_id, int(tournament), int(round_))
    outbox = getattr(app, "outbox", None)
    if notices and outbox is not None:
        outbox.extend(notices)


async def _rift_close(app: Any, job: "Job") -> None:
    """A rift's end (`rift.CLOSE_JOB`, key: the rift id): if the Rifter still stands it
    escapes; what its card should say goes to the outbox (the rift cog delivers it)."""
    ended = await app.combat.rift_close(job.guild_id, int(job.key))
    outbox = getattr(app, "outbox", None)
    if ended is not None and outbox is not None:
        outbox.append(ended)


SYSTEM = System(
    name="combat",
    summary="Combat: duels, training, tournaments, bosses, the rift and team fights",
    service=_service,
    needs=("progress", "teams", "pets"),
    cog="chibot.features.combat.cog",
    phrases="chibot.features.combat.phrases",
    tables=TABLES,
    settings=CombatSettings,
    legacy=IMPORTERS,
    content={"npcs": NpcsFile, "bosses": BossesFile, "team_bosses": TeamBossesFile},
    jobs={"combat.tournament_round": _tournament_round, "combat.rift_close": _rift_close},
    listens=(
        (SessionEnded, lambda service: service.on_session_ended),
        (ProfileRequested, lambda service: service.on_profile),  # the weapon on the card
    ),
)
