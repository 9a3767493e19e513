"""The economy's section of the per-server settings: chat chi, the word lists, daily, rebirth."""

from __future__ import annotations

from pydantic import Field, field_validator, model_validator

from chibot.core.settings import Emoji, SettingsSection

MAX_WORD = 40  # the longest chat word a server may add


def _words(values: list[str]) -> list[str]:
    cleaned = sorted({v.strip().lower() for v in values if v.strip()})
    for word in cleaned:
        if len(word) > MAX_WORD:  # the message is shown on Discord: never echo it whole
            raise ValueError(
                f"{word[:20]!r}… is {len(word):,} characters long; a word has at most {MAX_WORD}"
            )
        if not word.replace("-", "").replace("'", "").isalnum():
            raise ValueError(f"{word!r} is not a single word")
    return cleaned


class EconomySettings(SettingsSection):
    """Field descriptions are shown by `config`."""

    chat_enabled: bool = Field(True, description="Chat earns chi in this server.")
    chat_positive_min: int = Field(
        1, ge=0, le=1000, description="Least chi for a positive message."
    )
    chat_positive_max: int = Field(8, ge=0, le=1000, description="Most chi for a positive message.")
    chat_negative_min: int = Field(
        5, ge=0, le=1000, description="Least chi lost for a negative one."
    )
    chat_negative_max: int = Field(
        15, ge=0, le=1000, description="Most chi lost for a negative one."
    )
    chat_cooldown_seconds: int = Field(
        30, ge=0, le=86400, description="Seconds between chat awards."
    )
    chat_hourly_cap: int = Field(300, ge=0, le=1_000_000, description="Most chat chi per hour.")
    extra_positive_words: list[str] = Field(
        default_factory=list, description="Added positive words."
    )
    extra_negative_words: list[str] = Field(
        default_factory=list, description="Added negative words."
    )
    removed_words: list[str] = Field(
        default_factory=list, description="Words that count for nothing."
    )
    daily_reward: int = Field(250, ge=0, le=1_000_000, description="Chi paid by `daily`.")
    rebirth_threshold: int = Field(500_000, ge=1000, le=10**12, description="Chi per rebirth.")
    react_positive: Emoji = Field("😇", description="Reaction to a positive message (one emoji).")
    react_negative: Emoji = Field("😈", description="Reaction to a negative message (one emoji).")
    react_secret: Emoji = Field("🎁", description="Reaction to a secret word (one emoji).")

    @field_validator("extra_positive_words", "extra_negative_words", "removed_words")
    @classmethod
    def _word_list(cls, value: list[str]) -> list[str]:
        return _words(value)

    @model_validator(mode="after")
    def _ranges(self) -> EconomySettings:
        if self.chat_positive_min > self.chat_positive_max:
            raise ValueError("chat_positive_min is above chat_positive_max")
        if self.chat_negative_min > self.chat_negative_max:
            raise ValueError("chat_negative_min is above chat_negative_max")
        return self
