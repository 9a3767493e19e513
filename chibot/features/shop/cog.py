"""Shop commands: cshop, rshop, shop (menu, chi, rebirth), buy, sell, inventory, item, use and
chest (view, store, take). Cogs parse, call the service, render: no rules and no SQL here.

Parsing decisions:
- **Item names need no quotes** in prefix commands (`P!buy Phoenix Flameblade 2`,
  `P!use Exclusive Title The Wise`): `ItemText` takes the longest run of words that names an
  item and leaves the rest (a quantity, a title) to the next arguments. Slash commands get
  the option as typed, with autocomplete.
- **Quantities and pages** are read by the one number converter (`discord.converters.Amount`:
  `3`, `1,000`, `2k`); the service refuses quantities outside 1..1,000 with the same answer
  for prefix and slash.
- **Extra arguments are refused** with the usage (`ignore_extra=False`), except where the
  rest of the message means something: `use <item> [qty]` uses `qty` of them (at most
  `MAX_USES`), `use Exclusive Title <title>` takes the title.
- **Selling for `rules.CONFIRM_AT_CHI` chi or more** (the threshold of buying) asks for a
  confirmation first (`ctx.confirm`); the sale itself is re-checked when confirmed.
- **`inventory [member] [category]`** takes an optional member, then an optional category.
  The member is `discord.Member | None` (Optional) here, unlike the economy commands:
  discord.py then passes a word that is not a member on to `category`, and the category is
  validated strictly, so `P!inv nobody` answers that `nobody` is neither a member nor a
  category instead of silently showing the caller's inventory.
- **`shop`** is the system's group (`docs/commands.md`): every command here is a `shop`
  subcommand (`/shop buy`, `P!shop buy`), and the old top-level prefix names are shortcuts
  (`P!buy`, `P!cshop` = `P!shop chi`). With no subcommand it shows a menu of the shops
  (`/shop menu` for slash).
- Seed names work: `inv`, `rbuy` (buy accepts `R` codes), `chest add/remove` as aliases of
  `chest store/take`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

import discord
from discord import app_commands
from discord.ext import commands

from chibot.core.errors import UserError
from chibot.core.items import CATEGORY_NAMES
from chibot.discord.context import ChiContext
from chibot.discord.converters import Amount, parse_amount
from chibot.discord.errors import BadInput
from chibot.discord.tree import hybrid_group, refuse_extra, shortcut
from chibot.discord.ui import announce, code, word
from chibot.features.shop import rules, views
from chibot.features.shop.errors import BadQuantity
from chibot.features.shop.service import Quote, ShopService

if TYPE_CHECKING:
    from chibot.discord.bot import ChiBot

_TOKEN = re.compile(r"\S+")
_QTY = re.compile(r"^[+-]?\d+$")
MAX_USES = 10  # `use <item> <qty>`: each use is its own transaction and embed (10 per message)

DYNAMIC_ITEMS = (
    views.ShopPageButton,
    views.ShopSelect,
    views.ConfirmButton,
    views.CancelButton,
    views.HoldingsButton,
)


class ItemText(commands.Converter[str]):
    """An item as typed: its id, its name (several words, no quotes needed) or its shop code.

    In a prefix command the name may run over several words: the longest run of words that
    names an item is taken, and what follows stays for the next arguments. When no run names
    an item, everything but a trailing number is taken (so the "unknown item" answer quotes
    what was meant). Slash commands pass the option as typed."""

    async def convert(self, ctx: commands.Context[Any], argument: str) -> str:
        argument = argument.strip()
        view = getattr(ctx, "view", None)
        if ctx.interaction is not None or view is None:
            return argument
        find = ctx.bot.app.shop.items.find
        start = view.index
        rest = view.buffer[start:]
        tokens = list(_TOKEN.finditer(rest))
        if tokens:  # a positional argument: `argument` is the first word (or a quoted name)
            parts = [argument, *(t.group() for t in tokens)]
            ends = [0, *(t.end() for t in tokens)]
        else:  # keyword-only (the rest of the message): try its leading words, drop the tail
            if len(argument) > 1 and argument[0] == argument[-1] == '"':
                argument = argument[1:-1].strip()
            parts, ends = argument.split() or [argument], []
        for n in range(len(parts), 0, -1):
            name = " ".join(parts[:n])
            if find(name) is not None:
                if ends:
                    view.index = start + ends[n - 1]
                return name
        if ends and len(parts) > 1 and (_QTY.match(parts[-1]) or parse_amount(parts[-1])):
            view.index = start + tokens[-1].start()
            return " ".join(parts[:-1])
        if ends:
            view.index = len(view.buffer)
        return " ".join(parts)


class Shop(commands.Cog):
    """Shops, items, inventory and the chest."""

    def __init__(self, bot: ChiBot) -> None:
        self.bot = bot
        self.shop: ShopService = bot.app.shop

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(*DYNAMIC_ITEMS)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(*DYNAMIC_ITEMS)

    # --- autocomplete ---------------------------------------------------------------------

    async def _ac_buy(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        found = await self.shop.suggest_buy(interaction.guild_id or 0, current)
        return [
            app_commands.Choice(
                name=f"{item.buy.code} · {item.name} · {price}"[:100], value=item.id
            )
            for item, price in found
            if item.buy is not None
        ]

    async def _ac_any(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=i.name, value=i.id) for i in self.shop.search(current)]

    async def _ac_inventory(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        found = await self.shop.suggest_held(
            interaction.guild_id, interaction.user.id, current, "inventory"
        )
        return [app_commands.Choice(name=i.name, value=i.id) for i in found]

    async def _ac_chest(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        found = await self.shop.suggest_held(
            interaction.guild_id, interaction.user.id, current, "chest"
        )
        return [app_commands.Choice(name=i.name, value=i.id) for i in found]

    async def _ac_category(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        text = current.strip().lower()
        return [
            app_commands.Choice(name=name, value=key)
            for key, name in CATEGORY_NAMES.items()
            if text in name.lower() or text in key
        ][:25]

    # --- shops ----------------------------------------------------------------------------

    async def _send_page(self, ctx: ChiContext, shop: str, page: int) -> None:
        await ctx.paginate(views.ShopPageButton, shop, page=page)

    @hybrid_group(name="shop", fallback="menu", invoke_without_command=True)
    @commands.guild_only()
    async def shop_group(self, ctx: ChiContext) -> None:
        """The shops of this server: pick one."""
        refuse_extra(ctx)
        prefix = "/" if ctx.interaction else await self.bot.command_prefix_for(ctx.guild_id)
        await ctx.send(embed=views.menu_embed(prefix), view=views.menu_view())

    @shop_group.command(name="chi", ignore_extra=False)
    @shortcut("cshop", "chishop")
    @commands.guild_only()
    @app_commands.describe(page="Page number")
    async def shop_chi(self, ctx: ChiContext, page: Annotated[int, Amount] = 1) -> None:
        """The chi shop: weapons, healing items and boxes, for chi."""
        await self._send_page(ctx, "chi", page)

    @shop_group.command(name="rebirth", ignore_extra=False)
    @shortcut("rshop", "rebirthshop")
    @commands.guild_only()
    @app_commands.describe(page="Page number")
    async def shop_rebirth(self, ctx: ChiContext, page: Annotated[int, Amount] = 1) -> None:
        """The rebirth shop: permanent HP and titles, for rebirths."""
        await self._send_page(ctx, "rebirth", page)

    # --- buying and selling ---------------------------------------------------------------

    @shop_group.command(name="buy", ignore_extra=False)
    @shortcut("buy", "rbuy", "purchase")
    @commands.guild_only()
    @app_commands.describe(item="Name, id or shop code (C3, R1)", qty="How many (default 1)")
    @app_commands.autocomplete(item=_ac_buy)
    async def buy(
        self, ctx: ChiContext, item: Annotated[str, ItemText], qty: Annotated[int, Amount] = 1
    ) -> None:
        """Buy an item from the chi or rebirth shop (big purchases ask for a confirmation)."""
        result = await self.shop.buy(ctx.guild_id, ctx.author.id, item, qty)
        if isinstance(result, Quote):
            await ctx.send(
                embed=views.quote_embed(result), view=views.confirm_view(result, ctx.author.id)
            )
            return
        await ctx.send(embed=views.purchase_embed(result, ctx.author))
        await announce(self.bot, ctx, ctx.author, result.unlocked)

    @shop_group.command(name="sell", ignore_extra=False)
    @shortcut("sell")
    @commands.guild_only()
    @app_commands.describe(item="What to sell", qty="How many (default 1)")
    @app_commands.autocomplete(item=_ac_inventory)
    async def sell(
        self, ctx: ChiContext, item: Annotated[str, ItemText], qty: Annotated[int, Amount] = 1
    ) -> None:
        """Sell items from your inventory back to the shop (big sales ask for a confirmation)."""
        info = await self.shop.item_info(ctx.guild_id, ctx.author.id, item)
        total = info.sell * qty
        held = info.inventory.qty if info.inventory is not None else 0
        if total < rules.CONFIRM_AT_CHI or held < qty:  # the sale itself refuses what it must
            result = await self.shop.sell(ctx.guild_id, ctx.author.id, item, qty)
            await ctx.send(embed=views.sale_embed(result, ctx.author))
            await announce(self.bot, ctx, ctx.author, result.unlocked)
            return
        rules.check_qty(qty, info.item)
        member, guild_id = ctx.author, ctx.guild_id

        async def sell(interaction: discord.Interaction) -> None:
            result = await self.shop.sell(guild_id, member.id, item, qty)
            await interaction.response.edit_message(
                embed=views.sale_embed(result, member), view=None
            )
            await announce(self.bot, interaction.followup, member, result.unlocked)

        await ctx.confirm(
            embed=views.sell_offer_embed(info.item, qty, info.sell, total),
            action=sell,
            ack=False,
            timeout=120,
            label="Sell",
            not_owner="Only the seller can answer this.",
            answered="This sale is already answered.",
            cancelled=views.SALE_CANCELLED,
            expired=views.SALE_EXPIRED,
        )

    # --- inventory and items --------------------------------------------------------------

    @shop_group.command(name="inventory", ignore_extra=False)
    @shortcut("inventory", "inv")
    @commands.guild_only()
    @app_commands.describe(member="Whose inventory (default: yours)", category="Only this category")
    @app_commands.autocomplete(category=_ac_category)
    async def inventory(
        self, ctx: ChiContext, member: discord.Member | None = None, *, category: str | None = None
    ) -> None:
        """Your items (or another member's), by category."""
        target = member or ctx.author
        result = await self.shop.holdings(
            ctx.guild_id, target.id, where="inventory", category=category
        )
        await self._send_holdings(ctx, result, target)

    async def _send_holdings(self, ctx: ChiContext, result: Any, target: discord.abc.User) -> None:
        view = views.holdings_view(result)
        embed = views.holdings_embed(result, target)
        if view is None:
            await ctx.send(embed=embed)
        else:
            await ctx.send(embed=embed, view=view)

    @shop_group.command(name="item", ignore_extra=False)
    @shortcut("item", "iteminfo")
    @commands.guild_only()
    @app_commands.describe(name="Name, id or shop code")
    @app_commands.autocomplete(name=_ac_any)
    async def item(self, ctx: ChiContext, *, name: Annotated[str, ItemText]) -> None:
        """What an item is, what it does, what it costs and how many you own."""
        info = await self.shop.item_info(ctx.guild_id, ctx.author.id, name)
        await ctx.send(embed=views.item_embed(info))

    @shop_group.command(name="use")
    @shortcut("use")
    @commands.guild_only()
    @app_commands.describe(
        item="What to use", text="How many (default 1); for a title: the title you want"
    )
    @app_commands.autocomplete(item=_ac_inventory)
    async def use(
        self, ctx: ChiContext, item: Annotated[str, ItemText], *, text: str | None = None
    ) -> None:
        """Use items: permanent HP, boxes (`use Mystery Box 2` opens two), a title
        (`use Exclusive Title The Wise`)."""
        found = self.shop.find(item)
        times = 1
        if text is not None and not found.effect("title"):
            number = parse_amount(text)
            if number is None:
                raise BadInput(
                    f"{code(text)} isn't a quantity: `use {found.name} 2` uses two "
                    f"(at most {MAX_USES} at once)."
                )
            if not 1 <= number <= MAX_USES:
                raise BadQuantity(least=1, most=MAX_USES)
            times, text = number, None
        embeds: list[discord.Embed] = []
        unlocked: list[Any] = []
        stopped: str | None = None
        for _ in range(times):
            try:
                result = await self.shop.use(ctx.guild_id, ctx.author.id, item, text)
            except UserError as error:
                if not embeds:
                    raise
                stopped = f"Stopped after {len(embeds)}: {word(error)}"
                break
            embeds.append(views.use_embed(result, ctx.author))
            unlocked.extend(result.unlocked)
        await ctx.send(stopped, embeds=embeds)
        await announce(self.bot, ctx, ctx.author, unlocked)

    # --- chest ----------------------------------------------------------------------------

    @shop_group.group(name="chest", fallback="view", invoke_without_command=True)
    @shortcut("chest")
    @commands.guild_only()
    async def chest(self, ctx: ChiContext) -> None:
        """Your chest: storage that keeps items safe through resets."""
        refuse_extra(ctx)
        result = await self.shop.holdings(ctx.guild_id, ctx.author.id, where="chest")
        await self._send_holdings(ctx, result, ctx.author)

    @chest.command(name="store", aliases=["add", "put", "deposit"], ignore_extra=False)
    @commands.guild_only()
    @app_commands.describe(item="What to store", qty="How many (default 1)")
    @app_commands.autocomplete(item=_ac_inventory)
    async def chest_store(
        self, ctx: ChiContext, item: Annotated[str, ItemText], qty: Annotated[int, Amount] = 1
    ) -> None:
        """Move items from your inventory into your chest (levels are kept)."""
        move = await self.shop.chest_move(ctx.guild_id, ctx.author.id, item, qty, into_chest=True)
        await ctx.send(embed=views.chest_move_embed(move))

    @chest.command(name="take", aliases=["remove", "withdraw"], ignore_extra=False)
    @commands.guild_only()
    @app_commands.describe(item="What to take out", qty="How many (default 1)")
    @app_commands.autocomplete(item=_ac_chest)
    async def chest_take(
        self, ctx: ChiContext, item: Annotated[str, ItemText], qty: Annotated[int, Amount] = 1
    ) -> None:
        """Move items from your chest back into your inventory (levels are kept)."""
        move = await self.shop.chest_move(ctx.guild_id, ctx.author.id, item, qty, into_chest=False)
        await ctx.send(embed=views.chest_move_embed(move))


async def setup(bot: ChiBot) -> None:
    await bot.add_cog(Shop(bot))
