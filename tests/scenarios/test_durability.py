"""Durability: a bot killed mid-stream (SIGKILL, no shutdown) loses nothing it acknowledged.

The bot runs as a separate process (`chibot play`, the offline sandbox, on the test database)
and is fed a stream of `give` commands. After a number of acknowledged replies the process is
killed. A new process on the same database then shows that every acknowledged transfer is
there, and that money was neither created nor lost (at most the one in-flight command
committed without its reply being read).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from chibot.core.tables import ledger, members
from chibot.discord.sandbox import GUILDS, USERS

ACKED_BEFORE_KILL = 40
GIVES = 400


def _play(database_url: str, script: str, *, kill_after: int | None = None) -> tuple[str, int]:
    env = {**os.environ, "DATABASE_URL": database_url, "DISCORD_TOKEN": "", "OWNER_IDS": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "chibot.cli", "play", "--database-url", database_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    assert proc.stdin and proc.stdout
    proc.stdin.write(script)
    proc.stdin.flush()
    if kill_after is None:
        proc.stdin.close()
        output = proc.stdout.read()
        proc.wait(timeout=60)
        return output, proc.returncode
    acked, lines, deadline = 0, [], time.monotonic() + 60
    while acked < kill_after and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        acked += "gave 1 chi to Bob" in line
    os.kill(proc.pid, signal.SIGKILL)  # no shutdown, no flush, no goodbye
    proc.wait(timeout=10)
    return "".join(lines), acked


async def test_killed_bot_keeps_every_acknowledged_command(db) -> None:
    url = db.url
    script = ":as Psy\nP!chiadd @Alice 100000\n:as Alice\n" + "P!give @Bob 1\n" * GIVES
    output, acked = _play(url, script, kill_after=ACKED_BEFORE_KILL)
    assert acked == ACKED_BEFORE_KILL, output[-2000:]

    guild = GUILDS["Bamboo Grove"][0]
    async with db.transaction() as conn:
        balances = dict(
            (
                await conn.execute(
                    select(members.c.user_id, members.c.chi).where(members.c.guild_id == guild)
                )
            ).all()
        )
        ledger_sum = (
            await conn.execute(select(func.sum(ledger.c.delta)).where(ledger.c.guild_id == guild))
        ).scalar_one()
    bob, alice = balances[USERS["Bob"]], balances[USERS["Alice"]]
    assert acked <= bob <= acked + 1  # at most the in-flight command, never less than acknowledged
    assert alice + bob == 100_000 == ledger_sum  # nothing minted, nothing lost, ledger agrees

    # A restarted bot on the same database sees the same world.
    output, code = _play(url, ":as Bob\nP!chi\n")
    assert code == 0
    assert f"Bob: {bob:,} chi" in output
