"""No reply outgrows Discord's limits, whatever members type and however much a server holds.

The offline Discord refuses every payload Discord would answer with HTTP 400 (a message over
2,000 characters, an embed over 6,000, a 26th select option...; `harness.LIMITS`), and every
test fails on such a payload even when the bot caught the error (tests/conftest.py). These
tests feed the bot the longest input Discord lets through: a 4,000-character message (Nitro)
for every prefix command, a 6,000-character string for every slash option; and fill a server
with the most settings, words and blacklisted members.

Limits do not depend on the database, so these run on SQLite only.
"""

from __future__ import annotations

import itertools
import types
import typing

import discord
import pytest
from discord import app_commands

from chibot.discord.harness import LIMITS, MEMBER_MESSAGE_MOST, MEMBER_OPTION_MOST
from chibot.discord.tree import prefix_path

GROVE = "Bamboo Grove"
#: Long arguments in the shapes commands take: one word, a number then text, a member then
#: text, a subcommand's words then text, many words.
SHAPES = ["x" * 4000, "12 " + "y" * 4000, "@Bob " + "z" * 4000, "add positive " + "w" * 4000]
SHAPES.append("a " * 2000)


@pytest.fixture
def database_url(tmp_path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/chibot.db"


def _commands(bot) -> list[str]:
    names = set()
    for command in bot.walk_commands():
        names.add(command.qualified_name)  # `chi give`, `psy blacklist add`
        names.add(prefix_path(command))  # and the shortcut a member types, `give`
    return sorted(names)


@pytest.fixture
def refused(sandbox):
    """Collects what the sweep got refused, so that one run lists every culprit."""
    sandbox.discord.raise_errors = False  # a bug id is another test's business (test_bad_input)
    found: list[str] = []
    yield found
    assert not found, f"{len(found)} replies over Discord's limits:\n" + "\n".join(found)


def _within(ex, refused: list[str]) -> None:
    for refusal in ex.refusals:
        refusal.reported = True
        refused.append(str(refusal))


async def test_every_prefix_command_answers_a_4000_character_message_within_limits(
    sandbox, refused
) -> None:
    for name in _commands(sandbox.bot):
        for shape in SHAPES:
            for user in ("Psy", "Alice"):  # the bot's owner, and the server's owner
                text = sandbox.mention(f"P!{name} {shape}")[:MEMBER_MESSAGE_MOST]
                ex = await sandbox.discord.send(
                    sandbox.guild_id(GROVE), None, sandbox.user_id(user), text
                )
                _within(ex, refused)


def _plausible(sandbox, name: str, param) -> list[str]:
    """Values a member could type for a prefix parameter before the long one."""
    annotation = param.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return [str(v) for v in typing.get_args(annotation)]
    if name in ("server", "guild"):
        return [str(sandbox.guild_id(GROVE))]
    if name in ("member", "user") or annotation in (discord.Member, discord.User):
        return [f"<@{sandbox.user_id('Bob')}>"]
    if annotation is bool:
        return ["yes"]
    if annotation is str or typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return ["alpha"]
    return ["5"]


async def test_every_prefix_parameter_takes_a_long_value_within_limits(sandbox, refused) -> None:
    """Each parameter in turn gets the long text, after plausible values for those before it."""
    tried = 0
    for command in sandbox.bot.walk_commands():
        params = list(command.clean_params.items())
        for k in range(len(params)):
            before = [_plausible(sandbox, n, p) for n, p in params[:k]]
            for values in itertools.product(*before):
                text = f"P!{command.qualified_name} {' '.join(values)} " + "L" * 4000
                for user in ("Psy", "Alice"):
                    ex = await sandbox.discord.send(
                        sandbox.guild_id(GROVE),
                        None,
                        sandbox.user_id(user),
                        text[:MEMBER_MESSAGE_MOST],
                    )
                    _within(ex, refused)
                    tried += 1
    assert tried > 100


def _filler(sandbox, param: app_commands.Parameter) -> object:
    """A value Discord would send for a required option the sweep does not aim at."""
    t = discord.AppCommandOptionType
    if param.choices:
        return param.choices[0].value
    if param.type in (t.user, t.mentionable):
        return sandbox.users["Bob"]
    if param.type in (t.integer, t.number):
        return max(1, int(param.min_value or 1))
    if param.type is t.boolean:
        return True
    return "1"


async def test_every_slash_option_of_6000_characters_is_answered_within_limits(
    sandbox, refused
) -> None:
    tried = 0
    for command in sandbox.bot.tree.walk_commands():
        if isinstance(command, app_commands.Group):
            continue
        for param in command.parameters:
            if param.type is not discord.AppCommandOptionType.string or param.choices:
                continue
            longest = min(int(param.max_value or MEMBER_OPTION_MOST), MEMBER_OPTION_MOST)
            options = {  # (`parameters` makes new objects at each call: compare names)
                p.display_name: ("x" * longest if p.name == param.name else _filler(sandbox, p))
                for p in command.parameters
                if p.name == param.name or p.required
            }
            for user in ("Psy", "Alice"):
                _within(
                    await sandbox.slash(user, GROVE, command.qualified_name, **options), refused
                )
                tried += 1
    assert tried > 20


# --- the cases the limits first revealed --------------------------------------------------


async def test_an_error_echoing_a_6000_character_option_is_cut(sandbox) -> None:
    amount = await sandbox.slash(
        "Alice", GROVE, "chi give", member="Bob", amount="9" * 3 + "x" * 5997
    )
    assert "`999" in amount.text and "…" in amount.text and "Error id" not in amount.text
    assert len(amount.reply.content) < 300
    key = await sandbox.slash("Alice", GROVE, "admin config set", key="k" * 6000, value="1")
    assert "no setting called" in key.text and len(key.reply.content) < 200
    who = await sandbox.say("Alice", GROVE, "P!profile " + "n" * 3900)
    assert "can't find a member" in who.text and len(who.reply.content) < 200


async def test_config_words_add_refuses_a_2000_character_word_clearly(sandbox) -> None:
    long_word = "w" * 2100
    for ex in (
        await sandbox.say("Alice", GROVE, f"P!config words add positive {long_word}"),
        await sandbox.slash(
            "Alice", GROVE, "admin config words", action="add", which="positive", word=long_word
        ),
    ):
        assert "too long" in ex.text and "2,100 characters" in ex.text
        assert len(ex.reply.content) < 200
    settings = await sandbox.app.guild_settings.get(sandbox.guild_id(GROVE))
    assert settings.extra_positive_words == []
    just_over = await sandbox.say("Alice", GROVE, "P!config words add positive " + "v" * 60)
    assert "at most 40" in just_over.text and len(just_over.reply.content) < 200


async def test_config_words_answers_with_a_short_list(sandbox) -> None:
    guild = sandbox.guild_id(GROVE)
    words = [f"{'abcdefghij'[i % 10]}{i:03d}" + "q" * 35 for i in range(120)]
    await sandbox.app.admin.set(guild, "extra_positive_words", ",".join(words), by=1)
    ex = await sandbox.say("Alice", GROVE, "P!config words add positive magnifique")
    assert ex.text.startswith("✅ Extra positive words: a000")
    assert "more)." in ex.text and len(ex.reply.content) < 400


async def _fill_every_setting(sandbox, guild: int) -> None:
    """Every setting at its longest value: long words lists, big numbers, long texts."""
    model = sandbox.app.guild_settings.model
    lists = 0
    for key, info in model.model_fields.items():
        annotation = str(info.annotation)
        if "list" in annotation:  # 150 words of 40 letters, each list its own
            lists += 1
            text = ",".join(f"{'pnrxyz'[lists % 6]}{i:03d}" + "x" * 36 for i in range(150))
        elif key.endswith("_id"):
            text = "123456789012345678901"[:19]
        elif info.annotation is bool:
            text = "yes"
        elif "int" in annotation:
            bounds = [m.le for m in info.metadata if getattr(m, "le", None) is not None]
            text = str(bounds[0] if bounds else 10**9)
        else:
            most = [m.max_length for m in info.metadata if getattr(m, "max_length", None)]
            text = "P" * (most[0] if most else 8)
        try:
            await sandbox.app.admin.set(guild, key, text, by=1)
        except Exception:  # noqa: BLE001 - a rule between settings (min <= max): keep the default
            continue


async def _config_pages(sandbox, ex) -> list[str]:
    """The text of every page of a `config` answer, turning them with ▶."""
    message = ex.reply
    pages = [message.text]
    while any(label == "▶" and not off for _, label, off in message.buttons):
        await sandbox.discord.click(message, sandbox.user_id("Alice"), label="▶")
        pages.append(message.text)
    return pages


async def test_config_with_every_setting_at_its_longest_stays_within_limits(sandbox) -> None:
    guild = sandbox.guild_id(GROVE)
    await _fill_every_setting(sandbox, guild)
    settings = await sandbox.app.guild_settings.get(guild)
    assert len(settings.extra_positive_words) == 150 and len(settings.removed_words) == 150
    assert settings.prefix == "PPPPPPPP"
    keys = list(sandbox.app.guild_settings.model.model_fields)
    for ex in (
        await sandbox.discord.send(guild, None, sandbox.user_id("Alice"), "PPPPPPPPconfig"),
        await sandbox.slash("Alice", GROVE, "admin config show"),
    ):
        pages = await _config_pages(sandbox, ex)
        text = "\n".join(pages)
        assert all(f"`{key}`" in text for key in keys)
        assert text.count("more)") == 3  # the three word lists, cut: 150 words each
        assert all(len(page) < LIMITS.embed_description for page in pages)


async def test_config_is_paged_when_it_outgrows_a_page(sandbox, monkeypatch) -> None:
    from chibot.features.admin import views

    monkeypatch.setattr(views, "CONFIG_PAGE_CHARS", 500)
    await _fill_every_setting(sandbox, sandbox.guild_id(GROVE))
    ex = await sandbox.slash("Alice", GROVE, "admin config show")
    assert ex.reply.ephemeral and "Page 1/" in ex.text
    pages = await _config_pages(sandbox, ex)
    assert len(pages) >= 3 and f"Page {len(pages)}/{len(pages)}" in pages[-1]
    text = "\n".join(pages)
    for key in sandbox.app.guild_settings.model.model_fields:
        assert text.count(f"`{key}`") == 1, key
    prefix = await sandbox.say("Alice", GROVE, "PPPPPPPPconfig")  # the prefix form, paged too
    assert "Page 1/" in prefix.text
    other = await sandbox.discord.click(prefix.reply, sandbox.user_id("Bob"), label="▶")
    assert "isn't yours" in other.text  # only the admin who asked turns the pages


async def test_a_blacklist_of_250_members_is_listed_in_pages(sandbox) -> None:
    guild = sandbox.guild_id(GROVE)
    barred = [700_000_000_000_000_000 + i for i in range(250)]
    for user_id in barred:
        await sandbox.app.admin.blacklist(guild, user_id, add=True, by=1)
    ex = await sandbox.say("Alice", GROVE, "P!blacklist")
    message = ex.reply
    assert "Blacklist (250)" in message.text and "Page 1/10" in message.text
    listed = set()
    for page in range(10):
        listed |= {u for u in barred if f"`{u}`" in message.text}
        if page < 9:
            await sandbox.discord.click(message, sandbox.user_id("Alice"), label="▶")
    assert listed == set(barred)
    slash = await sandbox.slash("Alice", GROVE, "admin blacklist list")
    assert slash.reply.ephemeral and "Page 1/10" in slash.text


async def test_a_bot_wide_blacklist_of_250_users_is_listed_in_pages(sandbox) -> None:
    psy = sandbox.user_id("Psy")
    for i in range(250):
        await sandbox.app.owner.blacklist(psy, 700_000_000_000_000_000 + i, add=True)
    ex = await sandbox.say("Psy", GROVE, "P!psy blacklist")
    assert "Bot-wide blacklist (250)" in ex.text and "Page 1/10" in ex.text
    turned = await sandbox.discord.click(ex.reply, psy, label="▶")
    assert "Page 2/10" in turned.text
    refused = await sandbox.discord.click(ex.reply, sandbox.user_id("Alice"), label="▶")
    assert "owners" in refused.text
