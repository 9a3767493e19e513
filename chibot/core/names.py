"""Player-chosen names (teams, pets, later shops): one check for what every such name owes.

A name is shown in many places and must never ping or format: one line, folded whitespace
(NFKC), a length between the caller's bounds, no invisible characters, none of the caller's
forbidden markup characters, nothing that looks like a link, and at least one letter or digit.
Each system keeps its bounds, its character set and its own refusal (with its code and wording);
this is the rule they share.
"""

from __future__ import annotations

import re
import unicodedata


def name_problem(
    text: str, *, least: int, most: int, forbidden: set[str], linkish: re.Pattern[str]
) -> tuple[str, str | None]:
    """(the name as stored and shown, the problem or None): `lines`, `short`, `long`,
    `invisible`, `markup`, `link` or `letters`."""
    if any(c in "\r\n" for c in text):
        return text, "lines"
    name = " ".join(unicodedata.normalize("NFKC", text).split())
    if len(name) < least:
        return name, "short"
    if len(name) > most:
        return name, "long"
    if any(unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs") for c in name):
        return name, "invisible"
    if any(c in forbidden for c in name):
        return name, "markup"
    if linkish.search(name):
        return name, "link"
    if not any(c.isalnum() for c in name):
        return name, "letters"
    return name, None
