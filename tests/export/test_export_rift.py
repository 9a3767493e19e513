"""The rift's tables are part of a server's export (issue 13): a live rift with its raiders,
and a settled one, round-trip byte for byte, also under another server id."""

from __future__ import annotations

import json
from datetime import timedelta

from chibot.core import export

G1, G3 = 200_000_000_000_000_211, 200_000_000_000_000_213
A, B = 100_000_000_000_000_211, 100_000_000_000_000_212


async def test_a_rift_round_trips(app) -> None:
    await app.lifecycle.joined(G1, "Rifted")
    opened = await app.combat.rift_open(G1, 1, channel_id=5)
    await app.combat.attach_rift(G1, opened.id, 5, 6)
    for user in (A, B):
        await app.combat.rift_join(G1, user, f"P{user}")
        await app.combat.rift_attack(G1, user, "L1")
    await app.combat.rift_run(G1, B)
    first = export.dumps(await export.export_guild(app.db, G1))
    combat = json.loads(first)["parts"]["combat"]
    [rift] = combat["combat_rifts"]
    assert (rift["status"], rift["live"], rift["message_id"]) == ("open", True, 6)
    raiders = {r["user_id"]: r for r in combat["combat_rift_raiders"]}
    assert raiders[A]["attacks"] == 1 and raiders[B]["left"] is True
    await export.import_guild(app.db, json.loads(first))
    assert export.dumps(await export.export_guild(app.db, G1)) == first
    await export.import_guild(app.db, json.loads(first), G3)  # a copy: its own live rift
    copied = await export.export_guild(app.db, G3)
    assert copied["parts"]["combat"] == json.loads(first)["parts"]["combat"]
    app.clock.advance(timedelta(minutes=30).total_seconds())
    await app.combat.rift_close(G1, opened.id)
    settled = export.dumps(await export.export_guild(app.db, G1))
    assert json.loads(settled)["parts"]["combat"]["combat_rifts"][0]["live"] is None
    await export.import_guild(app.db, json.loads(settled))
    assert export.dumps(await export.export_guild(app.db, G1)) == settled
