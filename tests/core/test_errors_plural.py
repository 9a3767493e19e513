"""One rebirth is singular, in the plain message and in the Discord wording."""

from chibot.core.errors import NotEnoughChi
from chibot.discord.wording import word


def test_one_rebirth_is_singular() -> None:
    one = NotEnoughChi(1, 0, "rebirths")
    assert one.message == "You need 1 rebirth but have 0."
    assert word(one) == "You need **1** rebirth but have **0**."
    assert word(NotEnoughChi(3, 1, "rebirths")) == "You need **3** rebirths but have **1**."
    assert word(NotEnoughChi(1, 0)) == "You need **1** chi but have **0**."
