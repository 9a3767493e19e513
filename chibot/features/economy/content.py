"""Schema of `content/words.toml`: the positive, negative and secret words of chat chi."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SecretWord(_Strict):
    word: str = Field(min_length=1, max_length=40)
    min: int = Field(ge=1, le=10_000)
    max: int = Field(ge=1, le=10_000)

    @field_validator("word")
    @classmethod
    def _lower(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError("a secret word is letters only")
        return value.lower()

    @model_validator(mode="after")
    def _range(self) -> SecretWord:
        if self.max < self.min:
            raise ValueError(f"max must be at least min ({self.min})")
        return self


class WordsFile(_Strict):
    version: int = Field(ge=1)
    positive: tuple[str, ...]
    negative: tuple[str, ...]
    secret: tuple[SecretWord, ...] = ()

    @field_validator("positive", "negative")
    @classmethod
    def _clean(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for word in values:
            low = word.strip().lower()
            if not low or not low.replace("-", "").replace("'", "").isalnum():
                raise ValueError(f"{word!r} is not a single word")
            if low in seen:
                raise ValueError(f"{word!r} is listed twice")
            seen.add(low)
        return tuple(sorted(seen))

    @model_validator(mode="after")
    def _disjoint(self) -> WordsFile:
        both = set(self.positive) & set(self.negative)
        if both:
            raise ValueError(f"words on both lists: {sorted(both)}")
        secrets = [s.word for s in self.secret]
        if len(secrets) != len(set(secrets)):
            raise ValueError("a secret word is listed twice")
        return self
