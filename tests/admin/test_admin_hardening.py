"""What admins type, answered with one clear line (never a bug id), through the offline
Discord: `config set` with odd numbers, quotes, prefixes, reactions and languages; the extra
chat words kept off the other lists; and a blacklist that can't lock out the admin, a bot
owner or a bot, nor take a reason longer than it stores (PostgreSQL would refuse it)."""

from __future__ import annotations

import pytest

GROVE = "Bamboo Grove"
ROBO_ID = 100_000_000_000_000_077


def no_bug(text: str) -> None:
    assert "Error id" not in text and "went wrong" not in text, text


async def settings_of(sandbox):
    return await sandbox.app.guild_settings.get(sandbox.guild_id(GROVE))


@pytest.mark.parametrize("typed", ["²", "--5", "-", "5-", "١٢", "9" * 5000])
async def test_odd_whole_numbers_get_one_line(sandbox, typed: str) -> None:
    ex = await sandbox.say("Alice", GROVE, f"P!config set daily_reward {typed}")
    no_bug(ex.text)
    assert "`daily_reward` is a whole number." in ex.text
    assert (await settings_of(sandbox)).daily_reward == 250


async def test_quotes_are_not_part_of_a_value(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, 'P!config set prefix "?"')
    assert "`prefix` is now ?." in ex.text
    assert (await settings_of(sandbox)).prefix == "?"
    ex = await sandbox.say("Alice", GROVE, "?config set prefix “c!”")
    assert (await settings_of(sandbox)).prefix == "c!"
    ex = await sandbox.say("Alice", GROVE, "c!config set daily_reward '500'")
    assert (await settings_of(sandbox)).daily_reward == 500


@pytest.mark.parametrize(
    "typed", ['""', '" "', "“ ”", "a b", "123456789", "<@100000000000000002>", "@everyone"]
)
async def test_a_prefix_that_would_silence_or_ping_is_refused(sandbox, typed: str) -> None:
    ex = await sandbox.say("Alice", GROVE, f"P!config set prefix {typed}")
    no_bug(ex.text)
    assert "Invalid value for `prefix`" in ex.text and "1 to 8 characters" in ex.text
    assert (await settings_of(sandbox)).prefix is None
    ex = await sandbox.say("Alice", GROVE, "P!config")
    assert "Settings" in ex.text  # the bot still answers its prefix


async def test_an_empty_slash_prefix_is_refused(sandbox) -> None:
    ex = await sandbox.slash("Alice", GROVE, "admin config set", key="prefix", value="  ")
    no_bug(ex.text)
    assert "Invalid value for `prefix`" in ex.text
    assert (await settings_of(sandbox)).prefix is None


@pytest.mark.parametrize("typed", ["hello", "😇😇", ":smile:", "<:x:1>", "ok 😇"])
async def test_a_reaction_is_one_emoji(sandbox, typed: str) -> None:
    ex = await sandbox.say("Alice", GROVE, f"P!config set react_positive {typed}")
    no_bug(ex.text)
    assert "Invalid value for `react_positive`: it takes one emoji" in ex.text
    assert (await settings_of(sandbox)).react_positive == "😇"


@pytest.mark.parametrize("typed", ["🌟", "👍🏽", "<:chi:123456789012345678>", '"🎉"'])
async def test_a_reaction_emoji_is_accepted(sandbox, typed: str) -> None:
    ex = await sandbox.say("Alice", GROVE, f"P!config set react_secret {typed}")
    assert "✅ `react_secret` is now" in ex.text
    assert (await settings_of(sandbox)).react_secret == typed.strip('"')


async def test_language_is_one_the_bot_speaks(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!config set language xx")
    assert "Invalid value for `language`: the bot speaks en (English) only so far" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config set language EN")
    assert "`language` is now en." in ex.text
    assert (await settings_of(sandbox)).language == "en"


async def test_a_secret_word_cannot_become_negative_or_positive(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!config words add negative bamboo")
    assert "`bamboo` is a secret word: it can't be a negative word too." in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config words add positive Cookie")
    assert "`cookie` is a secret word: it can't be a positive word too." in ex.text
    ex = await sandbox.slash(
        "Alice", GROVE, "admin config words", action="add", which="negative", word='"cake"'
    )
    assert "`cake` is a secret word" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config set extra_negative_words grim, cake")
    assert "`cake` is a secret word" in ex.text
    settings = await settings_of(sandbox)
    assert settings.extra_negative_words == [] and settings.extra_positive_words == []
    ex = await sandbox.say("Alice", GROVE, "P!config words add removed bamboo")
    assert "Extra removed words: bamboo" in ex.text  # switching a secret word off is fine


async def test_positive_and_negative_words_stay_apart(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!config words add positive stupid")
    assert "`stupid` is a negative word: it can't be a positive word too." in ex.text
    assert "config words add removed stupid" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config words add negative magnificent")
    assert "`magnificent` is a positive word" in ex.text
    await sandbox.say("Alice", GROVE, "P!config words add positive rad")
    ex = await sandbox.say("Alice", GROVE, "P!config words add negative rad")
    assert "`rad` is a positive word" in ex.text and "config words remove positive rad" in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!config set extra_negative_words rad")
    assert "`rad` is a positive word" in ex.text
    settings = await settings_of(sandbox)
    assert settings.extra_positive_words == ["rad"] and settings.extra_negative_words == []


async def test_an_admin_cannot_blacklist_themselves(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!blacklist add @Alice")
    assert "You can't blacklist yourself." in ex.text
    ex = await sandbox.say("Alice", GROVE, "P!daily")
    assert "+250 chi" in ex.text  # not locked out
    assert await sandbox.app.admin.blacklisted(sandbox.guild_id(GROVE)) == []


async def test_an_admin_cannot_blacklist_a_bot_owner_or_a_bot(sandbox) -> None:
    ex = await sandbox.say("Alice", GROVE, "P!blacklist add @Psy")
    assert "The bot's owners can't be blacklisted." in ex.text
    me = sandbox.bot.user.id
    ex = await sandbox.say("Alice", GROVE, f"P!blacklist add <@{me}>")
    no_bug(ex.text)
    assert "Bots can't be blacklisted" in ex.text
    robo = sandbox.discord.make_user(ROBO_ID, "Robo", bot=True)
    await sandbox.discord.member_join(sandbox.guild_id(GROVE), robo)
    ex = await sandbox.say("Alice", GROVE, f"P!blacklist add <@{ROBO_ID}>")
    assert "Bots can't be blacklisted" in ex.text
    assert await sandbox.app.admin.blacklisted(sandbox.guild_id(GROVE)) == []


async def test_a_long_blacklist_reason_is_refused_before_storing(sandbox) -> None:
    """The column holds 200 characters: PostgreSQL refused more with a bug id."""
    ex = await sandbox.say("Alice", GROVE, "P!blacklist add @Bob " + "x" * 201)
    no_bug(ex.text)
    assert "A reason is at most 200 characters (this one has 201)" in ex.text
    assert await sandbox.app.admin.blacklisted(sandbox.guild_id(GROVE)) == []
    ex = await sandbox.say("Alice", GROVE, "P!blacklist add @Bob " + "x" * 200)
    assert "is blacklisted in this server" in ex.text
