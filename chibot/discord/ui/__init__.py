"""The Discord UI kit: every view, button and select of the bot is built from it.

- `View`, `DynamicItem`: the bases (errors answered like commands; owner-only; blacklisted
  members refused);
- `ConfirmView`, `ConfirmItem`, `CancelItem`, `Closing`, `decide`: the one confirmation;
- `PageButton`, `Viewer`: the one paginator;
- `announce`, `RendersNotices`, `awards`: notices of other systems, announced where the action
  happened (`awards`: what they paid, for a reply showing a balance that includes it);
- `Palette`, `timestamp`, `safe`, `name_of`, `member_name`, `plural`, `code`: colours and text;
- `sealing`, `Sealer`: the seal of restart-proof components' custom ids (`seal.py`).

The kit imports no feature; features import the kit.
"""

from chibot.discord.ui.base import (
    BLOCKED,
    DynamicItem,
    Guarded,
    View,
    answer_error,
    say,
    unclaimed,
)
from chibot.discord.ui.confirm import CancelItem, Closing, ConfirmItem, ConfirmView, decide
from chibot.discord.ui.notices import RendersNotices, announce, awards
from chibot.discord.ui.paginator import INT, PageButton, Viewer
from chibot.discord.ui.palette import Palette
from chibot.discord.ui.seal import EXPIRED, Sealer, sealing
from chibot.discord.ui.text import (
    code,
    format_dt,
    member_name,
    name_of,
    or_list,
    plural,
    safe,
    timestamp,
    typed,
)
from chibot.discord.wording import word

__all__ = [
    "BLOCKED",
    "EXPIRED",
    "INT",
    "CancelItem",
    "Closing",
    "ConfirmItem",
    "ConfirmView",
    "DynamicItem",
    "Guarded",
    "PageButton",
    "RendersNotices",
    "Sealer",
    "Palette",
    "View",
    "Viewer",
    "announce",
    "answer_error",
    "awards",
    "code",
    "decide",
    "format_dt",
    "member_name",
    "name_of",
    "or_list",
    "plural",
    "safe",
    "say",
    "sealing",
    "timestamp",
    "typed",
    "unclaimed",
    "word",
]
