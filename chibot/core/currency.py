"""The game's currencies: plain names, importable by pure rules (the wallet moves them)."""

from __future__ import annotations

from typing import Literal

Currency = Literal["chi", "rebirths"]
CHI: Currency = "chi"
REBIRTHS: Currency = "rebirths"
