"""Economy commands as members really type them: page numbers without a board, commands
addressed by mention (which earn no chat chi), and a daily reply whose balance adds up."""

from __future__ import annotations

GROVE = "Bamboo Grove"


async def rich(sandbox, n: int) -> None:
    g = sandbox.guild_id(GROVE)
    for i in range(n):
        await sandbox.app.db.scoped(
            g, lambda s, i=i: s.wallet.credit(10_000 + i, 100 + i, reason="daily")
        )


async def test_leaderboard_takes_a_page_with_or_without_a_board(sandbox) -> None:
    await rich(sandbox, 15)
    g = sandbox.guild_id(GROVE)
    for i in range(12):
        await sandbox.app.economy.admin_adjust(g, 1, 10_000 + i, 1, currency="rebirths")
    ex = await sandbox.say("Carol", GROVE, "P!leaderboard 2")
    assert "Chi leaderboard" in ex.text and "Page 2/2" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!lb rebirths 2")
    assert "Rebirth leaderboard" in ex.text and "Page 2/2" in ex.text
    ex = await sandbox.say("Carol", GROVE, "P!lb 2k")  # past the end: the last page
    assert "Page 2/2" in ex.text
    ex = await sandbox.slash("Carol", GROVE, "chi leaderboard", page="2")
    assert "Page 2/2" in ex.text


async def test_a_command_addressed_by_mention_earns_no_chat_chi(sandbox) -> None:
    bot = sandbox.bot.user.id
    ex = await sandbox.say("Carol", GROVE, f"<@{bot}> help magnificent idea")
    assert "There is no command called `magnificent idea`" in ex.text and ex.reactions == []
    ex = await sandbox.say("Carol", GROVE, f"<@{bot}> what a magnificent wonderful day")
    assert ex.reactions == []
    profile = await sandbox.app.economy.profile(sandbox.guild_id(GROVE), sandbox.user_id("Carol"))
    assert profile.chi == 0 and profile.positive_messages == 0
    ex = await sandbox.say("Carol", GROVE, "what a magnificent idea")  # the same words, as chat
    assert ex.reactions == ["😇"]


async def test_the_daily_reply_names_every_award_in_its_balance(sandbox) -> None:
    ex = await sandbox.say("Carol", GROVE, "P!daily")  # Carol is one of the first ten: Early Bird
    balance = (
        await sandbox.app.economy.profile(sandbox.guild_id(GROVE), sandbox.user_id("Carol"))
    ).chi
    assert balance == 5_250
    daily = ex.reply.text
    assert "Balance: **5,250** chi (including +5,000 chi from 🐦 Early Bird)." in daily
