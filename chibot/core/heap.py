"""The heap after start-up: frozen, so that the garbage collector's full passes stay short.

CPython's cycle collector now and then walks every tracked object (a generation-2 pass, due
each time the long-lived objects have grown by a quarter). Once the bot has started, most of
its objects (discord.py, SQLAlchemy, the catalog, every cog and command: some 120,000) live as
long as the process, and one full pass over them took 35 ms on this machine, all of it added
to whichever command it landed in. `settle()` collects once and then moves everything alive
into the permanent generation (`gc.freeze()`, the standard library's tool for this), so later
passes walk only what was made since. Nothing leaks: frozen objects are still freed by
reference counting; only cycles among them are no longer looked for, and start-up leaves none
that matter. The bot calls it at the end of `setup_hook`, `chibot bench commands` before its
timed calls.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect, then freeze what survives (call once, when start-up is over)."""
    gc.collect()
    gc.freeze()
