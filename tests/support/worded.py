"""`refused(ErrorClass, "words")`: the refusal is raised and reads, as a member sees it on
Discord (`chibot.discord.wording.word`), with those words. Errors carry data; the sentence is
the Discord layer's, so a test of what the user reads asks the Discord layer."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from chibot.core.errors import UserError
from chibot.discord.wording import word


@contextmanager
def refused(
    kind: type[UserError] | tuple[type[UserError], ...], *says: str
) -> Iterator[pytest.ExceptionInfo[UserError]]:
    with pytest.raises(kind) as caught:
        yield caught
    worded = word(caught.value)
    for words in says:
        assert words in worded, f"{words!r} not in {worded!r}"
