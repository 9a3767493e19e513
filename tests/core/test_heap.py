"""`core/heap.py`: start-up's objects frozen, so that later full collections skip them."""

from __future__ import annotations

import gc

from chibot.core.heap import settle


def test_settle_freezes_what_is_alive_and_leaves_later_objects_collectable() -> None:
    try:
        settle()
        assert gc.get_freeze_count() > 1_000  # the interpreter and what the tests imported
        later = [[] for _ in range(100)]
        assert any(obj is later for obj in gc.get_objects())  # tracked, not frozen
    finally:
        gc.unfreeze()
