"""Shop commands through the offline Discord: what members type or click, what the bot answers.
Prefix and slash forms, page buttons, the Buy select, confirmations, refusals, two servers."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from shop_support import fund, put, state

from chibot.discord import ui
from chibot.features.shop import rules, views

GROVE, POND = "Bamboo Grove", "Lotus Pond"


def ids(world, guild: str, user: str) -> tuple[int, int]:
    return world.guild_id(guild), world.user_id(user)


async def fund_member(world, guild: str, user: str, chi: int = 0, rebirths: int = 0) -> None:
    await fund(world.app, *ids(world, guild, user), chi=chi, rebirths=rebirths)


async def give(world, guild: str, user: str, item_id: str, qty: int = 1, **kwargs) -> None:
    await put(world.app, *ids(world, guild, user), item_id, qty, **kwargs)


async def member_state(world, guild: str, user: str):
    return await state(world.app, *ids(world, guild, user))


def held(s) -> dict[str, int]:
    return {h.item_id: h.qty for h in s.inventory}


# --- shops ---------------------------------------------------------------------------------


async def test_cshop_prefix_and_slash(world) -> None:
    await fund_member(world, GROVE, "Alice", chi=600)
    ex = await world.say("Alice", GROVE, "P!cshop")
    page = ex.reply
    assert "💰 Chi shop" in page.text and "Page 1/3" in page.text
    assert "`C1` 🗡️ **Verdant Windblade** · 200 chi · 🟢 can afford" in page.text
    assert "`C3` 🔱 **Stormcaller's Pike** · 1,500 chi · 🔒 need 900 more" in page.text
    assert "Alice: 600 chi" in page.text
    assert "Couch" not in page.text and "Hoe" not in page.text  # not sold before teams/gardens
    ((pick, options),) = page.selects
    assert pick.rpartition("~")[0] == "shop:pick:chi:1" and options == [
        f"C{i}" for i in range(1, 11)
    ]
    ex = await world.slash("Alice", GROVE, "shop chi", page=2)
    assert "Page 2/3" in ex.text and "Minor Healing Salve" in ex.text and "Mystery Box" in ex.text
    ex = await world.slash("Bob", GROVE, "shop chi")
    assert "Chi shop" in ex.text and "Bob: 0 chi" in ex.text
    ex = await world.say("Bob", GROVE, "P!rshop")
    assert "♻️ Rebirth shop" in ex.text and "`R5` 🏷️ **Exclusive Title** · 2 rebirths" in ex.text
    ex = await world.slash("Bob", GROVE, "shop rebirth")
    assert "+1000 Permanent HP" in ex.text


async def test_prices_follow_the_server_multiplier(world) -> None:
    await world.say("Alice", GROVE, "P!config set shop_price_multiplier 150")
    ex = await world.say("Carol", GROVE, "P!cshop")
    assert "**Verdant Windblade** · 300 chi" in ex.text and "prices at 150% here" in ex.text
    ex = await world.say("Carol", POND, "P!cshop")
    assert "**Verdant Windblade** · 200 chi" in ex.text and "150%" not in ex.text


async def test_shop_menu_and_page_buttons(world) -> None:
    await fund_member(world, GROVE, "Bob", chi=2_000)
    ex = await world.say("Alice", GROVE, "P!shop")
    menu = ex.reply
    assert "🏪 Shops" in menu.text and "`P!cshop`" in menu.text
    ex = await world.discord.click(menu, world.user_id("Alice"), label="Rebirth shop")
    assert "Rebirth shop" in ex.text and "Permanent HP" in ex.text
    ex = await world.slash("Alice", GROVE, "shop menu")
    assert "🏪 Shops" in ex.text and "`/cshop`" in ex.text
    ex = await world.say("Alice", GROVE, "P!cshop")
    page = ex.reply
    ex = await world.discord.click(page, world.user_id("Alice"), label="▶")
    assert "Page 2/3" in ex.text and "`C11`" in ex.text and "`C1`" not in ex.text
    ex = await world.discord.click(ex.reply, world.user_id("Bob"), label="◀")  # whoever clicks
    assert "Page 1/3" in ex.text and "Bob: 2,000 chi" in ex.text
    assert "`C3` 🔱 **Stormcaller's Pike** · 1,500 chi · 🟢 can afford" in ex.text


async def test_buy_with_the_select(world) -> None:
    await fund_member(world, GROVE, "Alice", chi=20_000)
    await fund_member(world, GROVE, "Bob", chi=300)
    ex = await world.say("Alice", GROVE, "P!cshop")
    page = ex.reply
    ex = await world.discord.select(page, world.user_id("Bob"), ["C1"])  # Bob buys for himself
    assert "Bob bought 1 × 🗡️ Verdant Windblade" in ex.text and ex.ephemeral == [True]
    assert held(await member_state(world, GROVE, "Bob")) == {"verdant_windblade": 1}
    assert (await member_state(world, GROVE, "Alice")).chi == 20_000
    ex = await world.discord.select(page, world.user_id("Bob"), ["C1"])
    assert "already own **Verdant Windblade**" in ex.text and ex.ephemeral == [True]
    ex = await world.discord.select(page, world.user_id("Alice"), ["C5"])  # 10,000: confirm first
    assert "Buy 1 × 🔨 Celestial Warhammer?" in ex.text and ex.ephemeral == [True]
    assert (await member_state(world, GROVE, "Alice")).chi == 20_000
    ex = await world.discord.click(ex.reply, world.user_id("Alice"), label="Confirm")
    assert "Alice bought 1 × 🔨 Celestial Warhammer" in ex.text
    s = await member_state(world, GROVE, "Alice")
    assert s.chi == 10_000 and held(s) == {"celestial_warhammer": 1}


async def test_blacklisted_members_cannot_buy_with_components(world) -> None:
    await fund_member(world, GROVE, "Bob", chi=20_000)
    page = (await world.say("Alice", GROVE, "P!cshop")).reply
    offer = (await world.say("Bob", GROVE, "P!buy C5")).reply  # offered before the ban
    await world.say("Alice", GROVE, "P!blacklist add @Bob")
    ex = await world.discord.select(page, world.user_id("Bob"), ["C1"])
    assert "blacklisted" in ex.text and ex.ephemeral == [True]
    ex = await world.discord.click(offer, world.user_id("Bob"), label="Confirm")
    assert "blacklisted" in ex.text
    s = await member_state(world, GROVE, "Bob")
    assert s.inventory == () and s.chi == 20_000


async def test_buy_prefix_and_slash(world) -> None:
    await fund_member(world, GROVE, "Alice", chi=9_000)
    ex = await world.say("Alice", GROVE, "P!buy Minor Healing Salve 3")  # no quotes needed
    assert "Alice bought 3 × 🩹 Minor Healing Salve" in ex.text and "**3,000** chi left" in ex.text
    ex = await world.say("Alice", GROVE, 'P!buy "minor healing salve"')
    assert "**4** Minor Healing Salve now" in ex.text
    ex = await world.slash("Alice", GROVE, "shop buy", item="verdant_windblade")
    assert "Alice bought 1 × 🗡️ Verdant Windblade" in ex.text and ex.ephemeral == [False]
    ex = await world.say("Alice", GROVE, "P!buy c2")
    assert "Crimson Fang Dagger" in ex.text
    s = await member_state(world, GROVE, "Alice")
    assert s.chi == 9_000 - 8_000 - 200 - 500
    assert held(s) == {"minor_healing_salve": 4, "verdant_windblade": 1, "crimson_fang_dagger": 1}


async def test_buy_with_confirmation(world) -> None:
    await fund_member(world, GROVE, "Alice", chi=60_000)
    ex = await world.say("Alice", GROVE, "P!buy Phoenix Flameblade")
    offer = ex.reply
    assert "Buy 1 × 🔥 Phoenix Flameblade?" in offer.text and "after: **35,000**" in offer.text
    assert re.search(r"expires <t:\d+:R>", offer.text)
    assert [b[1] for b in offer.buttons] == ["Confirm", "Cancel"]
    ex = await world.discord.click(offer, world.user_id("Bob"), label="Confirm")  # not his
    assert "Only <@" in ex.text and "can confirm" in ex.text and ex.ephemeral == [True]
    ex = await world.discord.click(offer, world.user_id("Bob"), label="Cancel")
    assert "can cancel" in ex.text
    assert (await member_state(world, GROVE, "Alice")).chi == 60_000
    ex = await world.discord.click(offer, world.user_id("Alice"), label="Confirm")
    assert "Alice bought 1 × 🔥 Phoenix Flameblade" in ex.text
    assert (
        "Achievement unlocked" in ex.text
        and "Legendary Armament" in ex.text
        and "+1,500" in ex.text
    )
    assert offer.buttons == []  # the offer is closed
    s = await member_state(world, GROVE, "Alice")
    assert s.chi == 60_000 - 25_000 + 1_500 and held(s) == {"phoenix_flameblade": 1}


async def test_cancel_leaves_everything_unchanged(world) -> None:
    await fund_member(world, GROVE, "Alice", rebirths=5)
    before = await member_state(world, GROVE, "Alice")
    ex = await world.say("Alice", GROVE, "P!rbuy R1")  # any rebirth purchase is confirmed
    assert "3 rebirths" in ex.text
    ex = await world.discord.click(ex.reply, world.user_id("Alice"), label="Cancel")
    assert "cancelled" in ex.text
    assert await member_state(world, GROVE, "Alice") == before


async def test_an_expired_offer_is_refused(world) -> None:
    await fund_member(world, GROVE, "Alice", rebirths=5)
    ex = await world.slash("Alice", GROVE, "shop buy", item="exclusive_title")
    world.app.clock.advance(rules.CONFIRM_SECONDS + 1)
    ex = await world.discord.click(ex.reply, world.user_id("Alice"), label="Confirm")
    assert "expired" in ex.text
    assert (await member_state(world, GROVE, "Alice")).rebirths == 5


# --- selling -------------------------------------------------------------------------------


async def test_sell(world) -> None:
    await give(world, GROVE, "Carol", "minor_healing_salve", 5)
    ex = await world.say("Carol", GROVE, "P!sell Minor Healing Salve 2")
    assert "Carol sold 2 × 🩹 Minor Healing Salve" in ex.text and "+**1,200** chi" in ex.text
    assert "3 left" in ex.text
    ex = await world.slash("Carol", GROVE, "shop sell", item="minor_healing_salve", qty=3)
    assert "Balance: **3,000** chi" in ex.text and "0 left" in ex.text
    s = await member_state(world, GROVE, "Carol")
    assert s.chi == 3_000 and s.lifetime == 0 and s.inventory == ()


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("P!buy Dragon Swrod", "There is no item called **Dragon Swrod**"),
        ("P!buy Phoenx Flameblade", "Did you mean **Phoenix Flameblade**"),
        ("P!buy C5", "You need **10,000** chi but have **100**"),
        ("P!buy Peace Lily", "sold in the garden shop: `garden buy G7`"),
        ("P!buy Minor Healing Salve 0", "`qty` must be above zero"),
        ("P!buy Minor Healing Salve 1001", "from 1 to 1,000"),
        ("P!buy Minor Healing Salve lots", "qty"),
        ("P!buy", "Missing `item`"),
        ("P!sell Minor Healing Salve", "You don't have any **Minor Healing Salve**"),
        ("P!sell Mystery Box", "can't be sold"),
        ("P!use Verdant Windblade", "`equip Verdant Windblade`"),
        ("P!use +100 Permanent HP", "You don't have any **+100 Permanent HP**"),
        ("P!chest take Mystery Box", "Your chest has no **Mystery Box**"),
        ("P!item frobnicator", "There is no item called **frobnicator**"),
        ("P!inv nobody", "neither a member here nor an item category"),
    ],
)
async def test_refusals(world, text: str, answer: str) -> None:
    await fund_member(world, GROVE, "Dave", chi=100)
    await give(world, GROVE, "Dave", "verdant_windblade")
    before = await member_state(world, GROVE, "Dave")
    ex = await world.say("Dave", GROVE, text)
    assert answer in ex.text
    assert len(ex.messages) == 1 and "Error id" not in ex.text
    assert await member_state(world, GROVE, "Dave") == before


async def test_slash_refusals_are_ephemeral(world) -> None:
    ex = await world.slash("Dave", GROVE, "shop sell", item="minor_healing_salve", qty=2)
    assert "You don't have any" in ex.text and ex.ephemeral == [True]
    ex = await world.slash("Dave", GROVE, "shop buy", item="C7")
    assert "You need **50,000** chi but have **0**" in ex.text and ex.ephemeral == [True]


# --- inventory, item -------------------------------------------------------------------------


async def test_inventory(world) -> None:
    await fund_member(world, GROVE, "Alice", chi=1_234, rebirths=2)
    await give(world, GROVE, "Alice", "phoenix_flameblade", level=3)
    await give(world, GROVE, "Alice", "minor_healing_salve", 4)
    await give(world, GROVE, "Alice", "mystery_box", 2, chest=True)
    ex = await world.say("Alice", GROVE, "P!inv")
    text = ex.text
    assert (
        "🎒 Alice's inventory" in text
        and "Chi: **1,234** · Rebirths: **2** · Chest: 2 items" in text
    )
    assert "Weapons: 🔥 Phoenix Flameblade **+3**" in text
    assert "Healing: 🩹 Minor Healing Salve ×4" in text
    ex = await world.say("Alice", GROVE, "P!inventory weapons")
    assert "Alice's inventory · Weapons" in ex.text and "Salve" not in ex.text
    ex = await world.say("Bob", GROVE, "P!inv @Alice")  # another member's, read-only
    assert "Alice's inventory" in ex.text and "Phoenix Flameblade" in ex.text
    ex = await world.say("Bob", GROVE, "P!inv @Alice healing")
    assert "Minor Healing Salve" in ex.text and "Phoenix" not in ex.text
    ex = await world.slash(
        "Bob", GROVE, "shop inventory", member=world.users["Alice"], category="healing"
    )
    assert "Alice's inventory · Healing" in ex.text
    ex = await world.slash("Bob", GROVE, "shop inventory")
    assert "Bob's inventory" in ex.text and "Nothing here yet" in ex.text


async def test_a_long_inventory_pages_within_discord_limits(world) -> None:
    for item in world.app.catalog.items:
        await give(
            world,
            GROVE,
            "Erin",
            item.id,
            1 if not item.stacks else 987_654_321,
            level=7 if item.upgradable else 0,
        )
    ex = await world.say("Erin", GROVE, "P!inv")
    first = ex.reply
    pages = int(re.search(r"Page 1/(\d+)", first.text).group(1))
    assert pages >= 3
    texts = [first.text]
    for embed in first.embeds:
        fields = embed.get("fields", [])
        assert len(fields) <= 25 and all(
            len(f["value"]) <= 1024 and len(f["name"]) <= 256 for f in fields
        )
        total = (
            len(embed.get("title", ""))
            + len(embed.get("description", ""))
            + len((embed.get("footer") or {}).get("text", ""))
        )
        assert total + sum(len(f["name"]) + len(f["value"]) for f in fields) <= 6000
    ex = await world.discord.click(first, world.user_id("Carol"), label="▶")
    assert f"Page 2/{pages}" in ex.text and "Erin's inventory" in ex.text
    texts.append(ex.text)  # (the message is edited in place: keep each page's text)
    for page in range(3, pages + 1):
        ex = await world.discord.click(ex.reply, world.user_id("Erin"), label="▶")
        assert f"Page {page}/{pages}" in ex.text
        texts.append(ex.text)
    missing = [i.name for i in world.app.catalog.items if not any(i.name in t for t in texts)]
    assert missing == []


async def test_item_info(world) -> None:
    await give(world, GROVE, "Alice", "phoenix_flameblade", level=2)
    ex = await world.say("Alice", GROVE, "P!item Phoenix Flameblade")
    text = ex.text
    assert "🔥 Phoenix Flameblade" in text and "Category: Weapons" in text
    assert "Base damage **90** → **99** with your +10%" in text
    assert "Inferno Slash: 75–110 (yours: 82–121)" in text
    assert (
        "Price: 25,000 chi" in text
        and "Sold in: Chi shop (`C6`)" in text
        and "Sells for: 7,500 chi" in text
    )
    assert "Inventory: 1 **+2** · Chest: 0" in text
    ex = await world.slash("Bob", GROVE, "shop item", name="mystery_box")
    assert (
        "May contain" in ex.text
        and "Minor Healing Salve: 50%" in ex.text
        and "Sells for: can't be sold" in ex.text
    )
    ex = await world.say("Bob", GROVE, "P!item C6 info")  # the old syntax still works
    assert "Phoenix Flameblade" in ex.text and "Inventory: 0" in ex.text
    ex = await world.say("Bob", GROVE, 'P!item "Phoenix Flameblade"')
    assert "Phoenix Flameblade" in ex.text and "Inventory: 0" in ex.text
    ex = await world.say("Bob", GROVE, "P!item R1")
    assert (
        "+**100** max HP" in ex.text and "Yours: 250 max HP" in ex.text and "3 rebirths" in ex.text
    )


# --- use -----------------------------------------------------------------------------------


async def test_use_each_kind(world) -> None:
    await give(world, GROVE, "Alice", "permanent_hp_250", 1)
    await give(world, GROVE, "Alice", "exclusive_title", 2)
    await give(world, GROVE, "Alice", "mystery_box", 1)
    ex = await world.say("Alice", GROVE, "P!use +250 Permanent HP")
    assert "+250 max HP for Alice" in ex.text and "Max HP: **500**" in ex.text
    ex = await world.say("Alice", GROVE, "P!use Exclusive Title The Wise")
    assert "Alice is now “The Wise”" in ex.text
    assert (await member_state(world, GROVE, "Alice")).title == "The Wise"
    ex = await world.slash("Alice", GROVE, "shop use", item="exclusive_title", text="**@everyone**")
    assert "can't hold mentions, markdown or links" in ex.text and ex.ephemeral == [True]
    ex = await world.say("Alice", GROVE, "P!use Exclusive Title")
    assert "Tell me the title too" in ex.text
    world.app.shop.rng = SimpleNamespace(
        randint=lambda a, b: 1, random=lambda: 0.0
    )  # the first entry
    ex = await world.say("Alice", GROVE, "P!use mystery box")
    assert "Alice opened a Mystery Box" in ex.text and "Minor Healing Salve" in ex.text
    s = await member_state(world, GROVE, "Alice")
    assert held(s) == {"exclusive_title": 1, "minor_healing_salve": 1}
    assert s.counters["permanent_hp"] == 250 and s.counters["items_used"] == 3


async def test_unbreakable_is_announced(world) -> None:
    await give(world, GROVE, "Bob", "permanent_hp_1000", 2)
    await give(world, GROVE, "Bob", "permanent_hp_500")
    await give(world, GROVE, "Bob", "permanent_hp_250")
    await give(world, GROVE, "Bob", "permanent_hp_100")
    for code in ("R4", "R4", "R3"):
        await world.say("Bob", GROVE, f"P!use {code}")
    ex = await world.slash("Bob", GROVE, "shop use", item="R2")
    assert "Max HP: **3,000**" in ex.text and "Unbreakable" in ex.text and "+3,500" in ex.text
    ex = await world.say("Bob", GROVE, "P!use R1")
    assert "past the cap" in ex.text
    assert held(await member_state(world, GROVE, "Bob")) == {"permanent_hp_100": 1}


# --- chest ---------------------------------------------------------------------------------


async def test_chest_store_view_take(world) -> None:
    await give(world, GROVE, "Carol", "phoenix_flameblade", level=4)
    await give(world, GROVE, "Carol", "minor_healing_salve", 6)
    ex = await world.say("Carol", GROVE, "P!chest store Phoenix Flameblade")
    assert "Stored 1 × 🔥 Phoenix Flameblade **+4** in your chest" in ex.text
    ex = await world.slash("Carol", GROVE, "shop chest store", item="minor_healing_salve", qty=4)
    assert "Inventory: **2** · Chest: **4**" in ex.text
    ex = await world.say("Carol", GROVE, "P!chest")
    assert (
        "🧰 Carol's chest" in ex.text and "Phoenix Flameblade **+4**" in ex.text and "×4" in ex.text
    )
    ex = await world.slash("Carol", GROVE, "shop chest view")
    assert "Carol's chest" in ex.text
    ex = await world.say("Carol", GROVE, "P!chest take Phoenix Flameblade")
    assert "Took 1 × 🔥 Phoenix Flameblade **+4** out of your chest" in ex.text
    ex = await world.say("Carol", GROVE, "P!chest remove Minor Healing Salve 4")  # the old word
    assert "Inventory: **6** · Chest: **0**" in ex.text
    ex = await world.slash("Carol", GROVE, "shop chest take", item="minor_healing_salve")
    assert "Your chest has no" in ex.text and ex.ephemeral == [True]
    s = await member_state(world, GROVE, "Carol")
    assert s.chest == () and {(h.item_id, h.qty, h.level) for h in s.inventory} == {
        ("phoenix_flameblade", 1, 4),
        ("minor_healing_salve", 6, 0),
    }


# --- servers, autocomplete, restarts ------------------------------------------------------------


async def test_two_servers_have_separate_inventories(world) -> None:
    await fund_member(world, GROVE, "Alice", chi=1_000)
    await fund_member(world, POND, "Alice", chi=1_000)
    await world.say("Alice", GROVE, "P!buy Verdant Windblade")
    ex = await world.say("Alice", POND, "P!inv")
    assert "Verdant Windblade" not in ex.text and "Chi: **1,000**" in ex.text
    ex = await world.say("Alice", POND, "P!sell Verdant Windblade")
    assert "You don't have any" in ex.text
    ex = await world.say("Alice", POND, "P!buy Verdant Windblade")  # not "already own" there
    assert "Alice bought" in ex.text
    assert (await member_state(world, GROVE, "Alice")).chi == 800
    assert (await member_state(world, POND, "Alice")).chi == 800


async def test_autocomplete(world) -> None:
    cog = world.bot.get_cog("Shop")
    g, alice = ids(world, GROVE, "Alice")
    await give(world, GROVE, "Alice", "minor_healing_salve", 2)
    await give(world, GROVE, "Alice", "mystery_box", chest=True)
    await world.say("Alice", GROVE, "P!config set shop_price_multiplier 200")
    who = SimpleNamespace(guild_id=g, user=SimpleNamespace(id=alice))
    choices = await cog._ac_buy(who, "pho")
    assert [(c.name, c.value) for c in choices] == [
        ("C6 · Phoenix Flameblade · 50,000 chi", "phoenix_flameblade")
    ]
    assert all("Hoe" not in c.name for c in await cog._ac_buy(who, ""))
    assert [c.value for c in await cog._ac_buy(who, "r5")] == ["exclusive_title"]
    assert [c.value for c in await cog._ac_any(who, "couch")] == ["couch"]
    assert [c.value for c in await cog._ac_inventory(who, "")] == ["minor_healing_salve"]
    assert [c.value for c in await cog._ac_chest(who, "mys")] == ["mystery_box"]
    assert [c.value for c in await cog._ac_category(who, "wea")] == ["weapon"]
    assert len(await cog._ac_any(who, "")) == 25


async def test_buttons_survive_a_restart(world) -> None:
    """The components are DynamicItems: a fresh bot (same database) still answers them."""
    from chibot.discord.sandbox import Sandbox

    await fund_member(world, GROVE, "Alice", chi=50_000)
    offer = (await world.say("Alice", GROVE, "P!buy C5")).reply
    page = (await world.say("Alice", GROVE, "P!cshop")).reply
    await world.close()
    fresh = await Sandbox.start(world.app)
    try:
        message = fresh.discord._by_id.setdefault(
            offer.id, offer
        )  # the old message, seen by the new bot
        ex = await fresh.discord.click(message, fresh.user_id("Alice"), label="Confirm")
        assert "Alice bought 1 × 🔨 Celestial Warhammer" in ex.text
        message = fresh.discord._by_id.setdefault(page.id, page)
        ex = await fresh.discord.click(message, fresh.user_id("Alice"), label="▶")
        assert "Page 2/3" in ex.text
    finally:
        await fresh.close()


def test_custom_ids_fit_discord() -> None:
    """Custom ids are at most 100 characters, even with the longest values and the seal."""
    with ui.sealing(b"k" * 32, 10**20 - 1):
        _fit()


def _fit() -> None:
    button = views.ConfirmButton("R999", 1000, 10**20 - 1, 10**16 - 1, 10**16 - 1, 10**12 - 1)
    assert len(button.custom_id) <= 100
    assert (
        len(views.HoldingsButton("chest", 10**20 - 1, "ingredient", 9999, "▶", "next").custom_id)
        <= 100
    )


async def test_autocomplete_through_discord(world) -> None:
    """An autocomplete interaction (type 4) reaches the shop's autocomplete through the tree."""
    g, alice = ids(world, GROVE, "Alice")
    choices = await world.discord.autocomplete(g, None, alice, "shop buy", "item", "phoe")
    assert choices == [
        {"name": "C6 · Phoenix Flameblade · 25,000 chi", "value": "phoenix_flameblade"}
    ]


# --- friendliness: quantities, `use <item> [qty]`, big sales confirmed --------------------------


async def test_use_takes_a_quantity(world) -> None:
    await give(world, GROVE, "Alice", "mystery_box", 3)
    ex = await world.say("Alice", GROVE, "P!use Mystery Box 2")
    assert ex.text.count("Alice opened a Mystery Box") == 2 and "1 Mystery Box left." in ex.text
    assert held(await member_state(world, GROVE, "Alice")).get("mystery_box") == 1
    ex = await world.say("Alice", GROVE, "P!use Mystery Box 3")  # only one left: one, then why
    assert ex.text.count("opened a Mystery Box") == 1 and "Stopped after 1:" in ex.text
    ex = await world.say("Alice", GROVE, "P!use Mystery Box lots")
    assert "`lots` isn't a quantity" in ex.text and "Error id" not in ex.text
    ex = await world.say("Alice", GROVE, "P!use Mystery Box 11")
    assert "from 1 to 10" in ex.text


async def test_a_big_sale_asks_for_a_confirmation(world) -> None:
    await give(world, GROVE, "Alice", "divine_full_heal", 2)
    ex = await world.say("Alice", GROVE, "P!sell Divine Full Heal")
    prompt = ex.reply
    assert "Sell 1 × ✨ Divine Full Heal?" in prompt.text and "For **" in prompt.text
    assert [b[1] for b in prompt.buttons] == ["Sell", "Cancel"]
    assert (await member_state(world, GROVE, "Alice")).chi == 0  # nothing sold yet
    ex = await world.discord.click(prompt, world.user_id("Bob"), label="Sell")
    assert "Only the seller" in ex.text
    ex = await world.discord.click(prompt, world.user_id("Alice"), label="Sell")
    assert "Alice sold 1 × ✨ Divine Full Heal" in ex.text
    s = await member_state(world, GROVE, "Alice")
    assert s.chi > 0 and held(s) == {"divine_full_heal": 1}
    prompt = (await world.say("Alice", GROVE, "P!sell Divine Full Heal")).reply
    ex = await world.discord.click(prompt, world.user_id("Alice"), label="Cancel")
    assert "nothing was sold" in ex.text and held(await member_state(world, GROVE, "Alice")) == {
        "divine_full_heal": 1
    }


async def test_small_sales_and_sales_of_what_you_lack_need_no_confirmation(world) -> None:
    await give(world, GROVE, "Alice", "minor_healing_salve", 2)
    ex = await world.say("Alice", GROVE, "P!sell Minor Healing Salve")
    assert "Alice sold 1 ×" in ex.text and not ex.reply.buttons
    ex = await world.say("Alice", GROVE, "P!sell Divine Full Heal")
    assert "You don't have any **Divine Full Heal**" in ex.text and not ex.reply.buttons
