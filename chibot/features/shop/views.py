"""Embeds, buttons and selects of the shops, the inventory and the chest. Rendering only: every
number comes from the service, and every component calls the service again as the member who
clicked (nothing is trusted from the message).

Components are the kit's `DynamicItem`s (guarded: blacklisted members are refused) whose whole
state is in their custom id, so they keep working after a restart:
- `shop:page:<shop>:<page>:<tag>`: a shop page (also the menu's "open" buttons), a kit
  `PageButton`;
- `shop:pick:<shop>:<page>`: the "Buy…" select of a page (values are shop codes);
- `shop:ok:<code>:<qty>:<buyer>:<total>:<held>:<expires>` / `shop:no:<buyer>:<code>`: the
  confirmation of a purchase; only the buyer may press them, and the service re-checks the
  offer (expiry, price, quantity held) so that it is used at most once (the kit's
  `ConfirmItem` / `CancelItem`);
- `hold:<inv|chest>:<member>:<category|all>:<page>:<tag>`: inventory and chest pages
  (`PageButton`s).
Whoever clicks a shop page or a Buy select acts as themselves: the page shows what *they* own
and can afford, and the select buys for them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import discord

from chibot.core.errors import UserError
from chibot.core.items import CATEGORY_NAMES, Item
from chibot.discord import ui
from chibot.discord.ui import Palette, announce, awards, name_of, plural
from chibot.discord.ui import timestamp as ts
from chibot.features.shop import rules
from chibot.features.shop.errors import OfferExpired
from chibot.features.shop.service import (
    ChestMove,
    HoldingsView,
    HpUse,
    ItemInfo,
    LootUse,
    Purchase,
    Quote,
    Sale,
    ShopPage,
    TitleUse,
    UseResult,
)

GREEN, RED, GOLD, BLUE, PURPLE, GREY = (
    Palette.GREEN,
    Palette.RED,
    Palette.GOLD,
    Palette.BLUE,
    Palette.PURPLE,
    Palette.GREY,
)
SHOP_EMOJI = {"chi": "💰", "rebirth": "♻️"}
HOLDING_LINES_PER_PAGE = 15
FIELD_LIMIT = 1000  # Discord allows 1,024 characters per field value


def _level(level: int) -> str:
    return f" **+{level}**" if level else ""


def _shop(interaction: discord.Interaction) -> Any:
    return interaction.client.app.shop  # type: ignore[attr-defined]


def _noun(currency: str, amount: int) -> str:
    if currency == "rebirths":
        return "rebirth" if amount == 1 else "rebirths"
    return "chi"


# --- shops ---------------------------------------------------------------------------------


def menu_embed(prefix: str) -> discord.Embed:
    embed = discord.Embed(title="🏪 Shops", color=GOLD, description="Where would you like to shop?")
    embed.add_field(
        name="💰 Chi shop",
        value=f"Weapons, healing items and boxes, for chi. `{prefix}shop chi` or `{prefix}cshop`",
        inline=False,
    )
    embed.add_field(
        name="♻️ Rebirth shop",
        value=f"Permanent HP and titles, for rebirths. `{prefix}shop rebirth` or `{prefix}rshop`",
        inline=False,
    )
    embed.set_footer(text="More shops open in the towns, with a later update.")
    return embed


def menu_view() -> ui.View:
    view = ui.View()
    view.add_item(ShopPageButton("chi", 1, "Chi shop", "open", emoji="💰"))
    view.add_item(ShopPageButton("rebirth", 1, "Rebirth shop", "open", emoji="♻️"))
    return view


def _status(entry: Any, page: ShopPage) -> str:
    if entry.owned and not entry.item.stacks:
        return "✅ owned"
    owned = f" · you have {entry.owned:,}" if entry.owned else ""
    if entry.affordable:
        return f"🟢 can afford{owned}"
    return f"🔒 need {entry.price.amount - page.balance:,} more{owned}"


def shop_embed(page: ShopPage, viewer: discord.abc.User) -> discord.Embed:
    title = f"{SHOP_EMOJI[page.shop]} {rules.SHOP_NAMES[page.shop]}"
    embed = discord.Embed(title=title, color=GOLD if page.shop == "chi" else PURPLE)
    lines = []
    for entry in page.entries:
        item = entry.item
        assert item.buy is not None
        lines.append(
            f"`{item.buy.code}` {item.emoji} **{item.name}** · {entry.price} · {_status(entry, page)}"
        )
    embed.description = "\n".join(lines) or "Nothing for sale here yet."
    noun = _noun(page.currency, page.balance)
    footer = f"Page {page.page}/{page.pages} · {viewer.display_name}: {page.balance:,} {noun}"
    if page.shop == "chi" and page.multiplier != 100:
        footer += f" · prices at {page.multiplier}% here"
    footer += " · buy <code> [qty]"
    embed.set_footer(text=footer)
    return embed


def shop_view(page: ShopPage) -> ui.View:
    view = ui.View()
    if page.pages > 1:
        ShopPageButton.controls(page.shop, page=page.page, pages=page.pages, view=view)
    view.add_item(ShopPageButton(page.shop, page.page, "🔄", "refresh"))
    if page.entries:
        options = []
        for entry in page.entries:
            item = entry.item
            assert item.buy is not None
            note = (
                "owned"
                if entry.owned and not item.stacks
                else ("can afford" if entry.affordable else "can't afford yet")
            )
            options.append(
                discord.SelectOption(
                    label=f"{item.buy.code} · {item.name}"[:100],
                    value=item.buy.code,
                    description=f"{entry.price} · {note}"[:100],
                )
            )
        view.add_item(ShopSelect(page.shop, page.page, options))
    return view


class ShopPageButton(ui.PageButton, prefix="shop:page", state={"shop": "chi|rebirth"}):
    """Shows a shop page to whoever clicks (their balance, what they own)."""

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, shop: str, *, page: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        result = await viewer.bot.app.shop.page(viewer.guild_id, viewer.user.id, shop, page)
        return shop_embed(result, viewer.user), shop_view(result)


class ShopSelect(
    ui.DynamicItem[discord.ui.Select[Any]],
    template=r"shop:pick:(?P<shop>chi|rebirth):(?P<page>\d{1,4})",
):
    """ "Buy…": buys one of the chosen item for whoever chose it (with a confirmation when
    the purchase needs one)."""

    def __init__(self, shop: str, page: int, options: Sequence[discord.SelectOption]) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"shop:pick:{shop}:{page}",
                placeholder="Buy…",
                options=list(options),
                min_values=1,
                max_values=1,
            )
        )
        self.shop, self.page = shop, page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShopSelect:
        options = item.options if isinstance(item, discord.ui.Select) else []  # always a Select
        return cls(match["shop"], int(match["page"]), options)

    async def callback(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        code = self.item.values[0]
        result = await _shop(interaction).buy(interaction.guild.id, interaction.user.id, code, 1)
        if isinstance(result, Quote):
            await interaction.response.send_message(
                embed=quote_embed(result),
                view=confirm_view(result, interaction.user.id),
                ephemeral=True,
            )
            return
        await interaction.response.send_message(
            embed=purchase_embed(result, interaction.user), ephemeral=True
        )
        await announce(interaction.client, interaction.followup, interaction.user, result.unlocked)


# --- buying --------------------------------------------------------------------------------


def quote_embed(quote: Quote) -> discord.Embed:
    item = quote.item
    noun = _noun(quote.total.currency, quote.balance)
    embed = discord.Embed(
        title=f"🛒 Buy {quote.qty:,} × {item.emoji} {item.name}?",
        description=f"Price: **{quote.total}**"
        + (f" ({quote.unit} each)" if quote.qty > 1 else "")
        + f"\nYou have **{quote.balance:,}** {noun}; after: **{quote.balance - quote.total.amount:,}**."
        + f"\nThis offer expires {ts(quote.expires_at)}.",
        color=GOLD,
    )
    return embed


def confirm_view(quote: Quote, buyer_id: int) -> ui.View:
    assert quote.item.buy is not None
    code = quote.item.buy.code
    expires = int(quote.expires_at.timestamp())
    view = ui.View()
    view.add_item(ConfirmButton(code, quote.qty, buyer_id, quote.total.amount, quote.held, expires))
    view.add_item(CancelButton(buyer_id, code))
    return view


class ConfirmButton(
    ui.ConfirmItem,
    template=r"shop:ok:(?P<code>[CR]\d{1,3}):(?P<qty>\d{1,4}):(?P<buyer>\d{1,20}):(?P<total>\d{1,16}):(?P<held>\d{1,16}):(?P<exp>\d{1,12})",
):
    """Confirms a purchase; the service re-checks the offer (expiry, price, quantity held)."""

    not_owner = "Only <@{owner}> can confirm this purchase."

    def __init__(
        self, code: str, qty: int, buyer: int, total: int, held: int, expires: int
    ) -> None:
        super().__init__(f"shop:ok:{code}:{qty}:{buyer}:{total}:{held}:{expires}")
        self.code, self.qty, self.buyer, self.total, self.held, self.expires = (
            code,
            qty,
            buyer,
            total,
            held,
            expires,
        )
        self.owner_id = buyer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ConfirmButton:
        return cls(
            match["code"],
            int(match["qty"]),
            int(match["buyer"]),
            int(match["total"]),
            int(match["held"]),
            int(match["exp"]),
        )

    async def action(self, interaction: discord.Interaction) -> None:
        assert interaction.guild is not None
        result = await _shop(interaction).buy(
            interaction.guild.id,
            self.buyer,
            self.code,
            self.qty,
            confirmed=True,
            max_total=self.total,
            expect_held=self.held,
            expires_at=datetime.fromtimestamp(self.expires, UTC),
        )
        assert isinstance(result, Purchase)
        await interaction.response.edit_message(
            embed=purchase_embed(result, interaction.user), view=None
        )
        await announce(interaction.client, interaction.followup, interaction.user, result.unlocked)

    async def refused(self, interaction: discord.Interaction, error: UserError) -> None:
        if isinstance(error, OfferExpired):  # close the offer
            closing = ui.Closing(
                embed=discord.Embed(description=f"⌛ {ui.word(error)}", color=GREY),
                remove_buttons=True,
            )
            await interaction.response.edit_message(**closing.edit(None))
            return
        await super().refused(
            interaction, error
        )  # the offer stays (a second click must not hide the receipt)


class CancelButton(ui.CancelItem, template=r"shop:no:(?P<buyer>\d{1,20}):(?P<code>[CR]\d{1,3})"):
    not_owner = "Only <@{owner}> can cancel this purchase."
    closing = ui.Closing(
        embed=discord.Embed(description="Purchase cancelled: nothing was spent.", color=GREY),
        remove_buttons=True,
    )

    def __init__(self, buyer: int, code: str) -> None:
        super().__init__(f"shop:no:{buyer}:{code}")
        self.buyer = self.owner_id = buyer

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CancelButton:
        return cls(int(match["buyer"]), match["code"])


def _use_hint(item: Item) -> str:
    if item.effect("permanent_hp") or item.effect("loot"):
        return f"\nUse it with `use {item.name}`."
    if item.effect("title"):
        return f"\nUse it with `use {item.name} <your title>`."
    return ""


def purchase_embed(p: Purchase, buyer: discord.abc.User) -> discord.Embed:
    noun = _noun(p.total.currency, p.balance)
    item = p.item
    return discord.Embed(
        title=f"🛒 {buyer.display_name} bought {p.qty:,} × {item.emoji} {item.name}",
        description=f"Paid **{p.total}**. You have **{p.balance:,}** {noun} left"
        f"{awards(p.unlocked) if p.total.currency == 'chi' else ''}"
        f" and **{p.held:,}** {item.name} now.{_use_hint(item)}",
        color=GREEN,
    )


def sale_embed(s: Sale, seller: discord.abc.User) -> discord.Embed:
    item = s.item
    each = f" ({s.unit:,} each)" if s.qty > 1 else ""
    return discord.Embed(
        title=f"💰 {seller.display_name} sold {s.qty:,} × {item.emoji} {item.name}",
        description=f"+**{s.total:,}** chi{each}. Balance: **{s.balance:,}** chi"
        f"{awards(s.unlocked)}. "
        f"{s.remaining:,} left in your inventory.",
        color=GREEN,
    )


def sell_offer_embed(item: Item, qty: int, unit: int, total: int) -> discord.Embed:
    each = f" ({unit:,} each)" if qty > 1 else ""
    return discord.Embed(
        title=f"💰 Sell {qty:,} × {item.emoji} {item.name}?",
        description=f"For **{total:,}** chi{each}. Sold items are gone: buying them back costs "
        "more than they sell for.",
        color=GOLD,
    ).set_footer(text="Only the seller can confirm. The offer expires in 2 minutes.")


SALE_CANCELLED = ui.Closing(
    embed=discord.Embed(description="Sale cancelled: nothing was sold.", color=GREY),
    remove_buttons=True,
)
SALE_EXPIRED = ui.Closing(
    embed=discord.Embed(description="⌛ This sale offer expired: nothing was sold.", color=GREY),
    remove_buttons=True,
)


# --- inventory and chest -------------------------------------------------------------------


def _holding_lines(view: HoldingsView) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for entry in view.entries:
        item = entry.item
        qty = f" ×{entry.qty:,}" if item.stacks else ""
        lines.append((entry.item.category, f"{item.emoji} {item.name}{qty}{_level(entry.level)}"))
    return lines


def holding_pages(view: HoldingsView) -> int:
    return rules.page_count(len(view.entries), HOLDING_LINES_PER_PAGE)


def holdings_embed(
    view: HoldingsView, member: discord.abc.User | None, page: int = 1
) -> discord.Embed:
    """One page of an inventory or chest: fields by category, each under Discord's limits
    (at most 15 lines of at most ~90 characters per page, fields split at 1,000 characters)."""
    pages = holding_pages(view)
    page = min(max(1, page), pages)
    who = name_of(member, view.user_id)
    if view.where == "chest":
        title = f"🧰 {who}'s chest"
        head = f"Kept safe through resets. Inventory: {plural(view.other, 'item')}."
    else:
        title = f"🎒 {who}'s inventory"
        head = f"Chi: **{view.chi:,}** · Rebirths: **{view.rebirths:,}** · Chest: {plural(view.other, 'item')}"
    if view.category:
        title += f" · {CATEGORY_NAMES[view.category]}"
    embed = discord.Embed(title=title, description=head, color=BLUE)
    lines = _holding_lines(view)[
        (page - 1) * HOLDING_LINES_PER_PAGE : page * HOLDING_LINES_PER_PAGE
    ]
    if not lines:
        empty = "Nothing here." if view.where == "chest" else "Nothing here yet: see `cshop`."
        embed.add_field(name="Empty", value=empty, inline=False)
    fields: list[tuple[str, list[str]]] = []
    for category, line in lines:
        if (
            fields
            and fields[-1][0] == category
            and len("\n".join([*fields[-1][1], line])) <= FIELD_LIMIT
        ):
            fields[-1][1].append(line)
        else:
            fields.append((category, [line]))
    for category, group in fields:
        embed.add_field(name=CATEGORY_NAMES[category], value="\n".join(group), inline=False)
    if pages > 1:
        embed.set_footer(text=f"Page {page}/{pages}")
    return embed


def holdings_view(view: HoldingsView, page: int = 1) -> ui.View | None:
    pages = holding_pages(view)
    if pages <= 1:
        return None
    page = min(max(1, page), pages)
    where = "chest" if view.where == "chest" else "inv"
    return HoldingsButton.controls(
        where, view.user_id, view.category or "all", page=page, pages=pages
    )


class HoldingsButton(
    ui.PageButton, prefix="hold", state={"where": "inv|chest", "user": int, "cat": "[a-z_]{1,20}"}
):
    """A page of a member's inventory or chest (read-only: anyone may turn the page)."""

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, where: str, user: int, cat: str, *, page: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        assert viewer.guild is not None
        view = await viewer.bot.app.shop.holdings(
            viewer.guild.id,
            user,
            where="chest" if where == "chest" else "inventory",
            category=None if cat == "all" else cat,
        )
        return holdings_embed(view, viewer.guild.get_member(user), page), holdings_view(view, page)


def chest_move_embed(move: ChestMove) -> discord.Embed:
    item = move.item
    if move.into_chest:
        title = (
            f"🧰 Stored {move.qty:,} × {item.emoji} {item.name}{_level(move.level)} in your chest"
        )
    else:
        title = (
            f"🎒 Took {move.qty:,} × {item.emoji} {item.name}{_level(move.level)} out of your chest"
        )
    return discord.Embed(
        title=title,
        description=f"Inventory: **{move.inventory:,}** · Chest: **{move.chest:,}**",
        color=BLUE,
    )


# --- items ---------------------------------------------------------------------------------


def item_embed(info: ItemInfo) -> discord.Embed:
    item = info.item
    embed = discord.Embed(
        title=f"{item.emoji} {item.name}", description=item.description, color=BLUE
    )
    embed.add_field(name="Category", value=CATEGORY_NAMES[item.category])
    if item.upgradable:
        embed.add_field(name="Upgrades", value=f"up to +{item.max_level}")
    embed.add_field(name="Stacks", value="yes" if item.stacks else "no: one each")
    weapon = item.effect("weapon")
    if weapon is not None and weapon.damage is not None:
        bonus = info.bonus_pct
        dmg = f"Base damage **{weapon.damage}**"
        if bonus:
            dmg += f" → **{rules.boosted(weapon.damage, bonus)}** with your +{bonus}%"
        attacks = []
        for a in weapon.attacks:
            line = f"• {a.name}: {a.min}–{a.max}"
            if bonus:
                line += f" (yours: {rules.boosted(a.min, bonus)}–{rules.boosted(a.max, bonus)})"
            attacks.append(line)
        embed.add_field(name="Damage", value=dmg, inline=False)
        embed.add_field(name="Attacks", value="\n".join(attacks)[:1024], inline=False)
    healing = item.effect("healing")
    if healing is not None and healing.heal is not None:
        heal = f"Restores **{healing.heal:,}** HP in a fight (one use)"
        if info.bonus_pct:
            heal += f"; **{rules.boosted(healing.heal, info.bonus_pct):,}** with your +{info.bonus_pct}%"
        embed.add_field(name="Healing", value=heal, inline=False)
    hp = item.effect("permanent_hp")
    if hp is not None and hp.hp is not None:
        embed.add_field(
            name="Effect",
            value=f"+**{hp.hp:,}** max HP for good when used. Yours: {info.max_hp:,} max HP "
            f"({info.permanent_hp:,}/{info.max_permanent_hp:,} permanent HP).",
            inline=False,
        )
    if item.effect("title"):
        embed.add_field(
            name="Effect",
            value="A title of your choice on your profile here (1–32 characters).",
            inline=False,
        )
    if info.loot:
        lines = [
            f"{line.item.emoji} {line.item.name}{f' ×{line.qty}' if line.qty > 1 else ''}: {line.chance:.0%}"
            for line in info.loot
        ]
        lines.append("A weapon you own already is paid out at its sell value.")
        embed.add_field(name="May contain", value="\n".join(lines)[:1024], inline=False)
    if info.unit is not None and item.buy is not None:
        where = f"{rules.SHOP_NAMES[item.buy.shop]} (`{item.buy.code}`)"
        scaled = (
            " (this server's prices)" if item.buy.shop == "chi" and info.multiplier != 100 else ""
        )
        embed.add_field(name="Price", value=f"{info.unit}{scaled}")
        embed.add_field(name="Sold in", value=where)
    elif item.buy is not None:
        embed.add_field(name="Sold in", value=f"not yet: arrives with {item.requires}")
    else:
        embed.add_field(name="Sold in", value="no shop")
    embed.add_field(
        name="Sells for", value=f"{info.sell:,} chi" if info.sell > 0 else "can't be sold"
    )
    inv = f"{info.inventory.qty:,}{_level(info.inventory.level)}" if info.inventory else "0"
    chest = f"{info.chest.qty:,}{_level(info.chest.level)}" if info.chest else "0"
    embed.add_field(name="You own", value=f"Inventory: {inv} · Chest: {chest}", inline=False)
    embed.set_footer(text=f"id: {item.id}")
    return embed


def use_embed(result: UseResult, member: discord.abc.User) -> discord.Embed:
    item = result.item
    if isinstance(result, HpUse):
        return discord.Embed(
            title=f"❤️ +{result.hp:,} max HP for {member.display_name}",
            description=f"Max HP: **{result.max_hp:,}** (permanent HP {result.permanent_hp:,}/"
            f"{result.max_permanent_hp:,}). {result.remaining:,} {item.name} left.",
            color=RED,
        )
    if isinstance(result, TitleUse):
        return discord.Embed(
            title=f"🏷️ {member.display_name} is now “{result.title}”",
            description=f"That is your title in this server. {result.remaining:,} {item.name} left.",
            color=PURPLE,
        )
    assert isinstance(result, LootUse)
    got = result.got
    qty = f"{result.qty:,} × " if result.qty > 1 else ""
    if result.duplicate:
        text = f"It held {got.emoji} **{got.name}**, which you already own"
        text += (
            f", so it was paid out: +**{result.paid:,}** chi (balance {result.balance:,}"
            f"{awards(result.unlocked)})."
            if result.paid
            else "."
        )
    else:
        text = f"It held {qty}{got.emoji} **{got.name}**!"
    return discord.Embed(
        title=f"{item.emoji} {member.display_name} opened a {item.name}",
        description=f"{text}\n{result.remaining:,} {item.name} left.",
        color=GOLD,
    )
