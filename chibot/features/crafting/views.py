"""How crafting looks on Discord: the recipe book (grouped by system, paged, each recipe with
the member's have/need per input, fee, time and chance; the recipes that arrive with a later
system listed as such), the crafts in progress with relative timestamps, a recipe's card, and
what starting and collecting did.

The book's page buttons are the kit's restart-proof `PageButton`s, for the member who asked;
each page is built again from the database when pressed.
"""

from __future__ import annotations

from typing import Any

import discord

from chibot.core.items import ItemRegistry
from chibot.discord import ui
from chibot.discord.ui import Palette, plural
from chibot.discord.ui import timestamp as ts
from chibot.features.crafting import rules
from chibot.features.crafting.service import (
    Book,
    Collected,
    CraftingService,
    Delivered,
    InProgress,
    Listing,
    Started,
)

COLOR = Palette.GREEN
PAGE_CHARS = 3_000  # of an embed's description (Discord: 4,096; the embed: 6,000)
SHOWN_CRAFTS = 10


def duration(minutes: int) -> str:
    if minutes == 0:
        return "instant"
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        hours = minutes / 60
        return f"{hours:g} h"
    return f"{minutes / 1440:g} days"


def chance(value: float) -> str:
    return f"{value * 100:g}%"


def _parts(parts: dict[str, int], items: ItemRegistry) -> str:
    return ", ".join(f"{items.get(i).label} ×{n:,}" for i, n in sorted(parts.items()))


def recipe_lines(listing: Listing, items: ItemRegistry) -> list[str]:
    """A recipe in the book: a title line, then its inputs (have/need) on one line."""
    recipe = listing.recipe
    terms = [duration(recipe.minutes), f"{recipe.chi:,} chi" if recipe.chi else "no fee"]
    if recipe.chance < 1:
        terms.append(f"{chance(recipe.chance)} chance")
    made = f" ×{recipe.qty}" if recipe.qty > 1 else ""
    title = f"{listing.output.emoji} **{listing.name}**{made} · " + " · ".join(terms)
    if listing.arrives_with is not None:
        return [f"🔒 {title}", f"  arrives with {listing.arrives_with}"]
    if listing.owned:
        title += " · ✅ owned"
    elif listing.crafting:
        title += " · ⏳ crafting"
    elif listing.can_craft:
        title += " · ✨ ready to craft"
    inputs = " · ".join(
        f"{'✓' if n.have >= n.need else '✗'} {items.get(n.item).name} {n.have:,}/{n.need:,}"
        for n in listing.needs
    )
    return [title, f"  {inputs}"]


def progress_lines(crafts: tuple[InProgress, ...], now: Any) -> list[str]:
    lines = []
    for craft in crafts[:SHOWN_CRAFTS]:
        when = (
            "✅ ready: use `craft collect`"
            if craft.ready(now)
            else f"ready {ts(craft.row.ready_at)}"
        )
        lines.append(f"⚒️ {craft.name} · {when}")
    return lines


def book_pages(book: Book, items: ItemRegistry) -> list[list[str]]:
    """The book's lines cut into pages of at most PAGE_CHARS, a system's heading repeated
    on a page it continues on."""
    pages: list[list[str]] = [[]]
    heading = None
    for listing in book.listings:
        block = recipe_lines(listing, items)
        system = listing.recipe.system
        head = f"__**{system.capitalize()}**__"
        if system != heading:
            block = [head, *block]
            heading = system
        if pages[-1] and len("\n".join([*pages[-1], *block])) > PAGE_CHARS:
            pages.append([] if block[0] == head else [head])
        pages[-1].extend(block)
    return pages


def book_embed(book: Book, items: ItemRegistry, owner: str, page: int) -> tuple[discord.Embed, int]:
    pages = book_pages(book, items)
    page = min(max(1, page), len(pages))
    embed = discord.Embed(title=f"⚒️ Crafting · {owner}", color=COLOR)
    embed.description = "\n".join(pages[page - 1]) or "No recipes yet."
    used = len(book.crafts)
    if book.crafts:
        embed.add_field(
            name=f"In progress ({used}/{book.slots})",
            value="\n".join(progress_lines(book.crafts, book.now))[:1024],
            inline=False,
        )
    footer = f"craft <recipe> · craft info <recipe> · craft collect · {book.balance:,} chi"
    if len(pages) > 1:
        footer = f"Page {page}/{len(pages)} · {footer}"
    embed.set_footer(text=footer)
    return embed, len(pages)


class BookPages(ui.PageButton, prefix="craft:book", state={"user": int}, owner_field="user"):
    """A page of a member's recipe book, for that member."""

    not_owner = "This is someone else's recipe book: `craft` shows yours."

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, user: int, *, page: int
    ) -> tuple[discord.Embed, discord.ui.View | None]:
        crafting: CraftingService = viewer.bot.app.crafting
        book = await crafting.recipes(viewer.guild_id, user)
        owner = ui.member_name(viewer.guild, user) if viewer.guild else str(user)
        embed, pages = book_embed(book, crafting.items, owner, page)
        if pages == 1:
            return embed, None
        return embed, cls.controls(user, page=min(max(1, page), pages), pages=pages)


def info_embed(listing: Listing, items: ItemRegistry) -> discord.Embed:
    recipe = listing.recipe
    embed = discord.Embed(title=f"{listing.output.emoji} {listing.name}", color=COLOR)
    lines = [
        f"Makes: {listing.output.label}" + (f" ×{recipe.qty}" if recipe.qty > 1 else ""),
        listing.output.description,
        f"Time: **{duration(recipe.minutes)}** · fee: **{recipe.chi:,}** chi · "
        f"chance: **{chance(recipe.chance)}**",
    ]
    if recipe.chance < 1:
        lines.append("On a failure: " + failure_text(listing, items))
    if listing.arrives_with is not None:
        lines.append(f"🔒 Arrives with {listing.arrives_with}: it can't be crafted yet.")
    elif listing.owned:
        lines.append(f"✅ You own {listing.output.name}.")
    elif listing.crafting:
        lines.append(f"⏳ You are crafting {listing.output.name}.")
    embed.description = "\n".join(lines)
    needs = [
        f"{'✓' if n.have >= n.need else '✗'} {items.get(n.item).label}: {n.have:,}/{n.need:,}"
        for n in listing.needs
    ]
    embed.add_field(name="Needs", value="\n".join(needs)[:1024], inline=False)
    embed.set_footer(text=f"craft {listing.name}")
    return embed


def failure_text(listing: Listing, items: ItemRegistry) -> str:
    lost = rules.failure_losses(listing.recipe)
    fee = f"the {listing.recipe.chi:,} chi fee" if listing.recipe.chi else "no fee"
    if not lost:
        return f"you lose {fee}; every input comes back."
    return f"you lose {fee} and {_parts(lost, items)}; the rest comes back."


def confirm_text(listing: Listing, items: ItemRegistry) -> str:
    recipe = listing.recipe
    parts = _parts({i.item: i.qty for i in recipe.inputs}, items)
    text = f"Craft **{listing.name}** for **{recipe.chi:,}** chi and {parts}?"
    if recipe.chance < 1:
        text += (
            f"\nIt succeeds **{chance(recipe.chance)}** of the time; on a failure "
            + failure_text(listing, items)
        )
    if recipe.minutes:
        text += f"\nIt takes {duration(recipe.minutes)}."
    return text[:1900]


def delivered_line(done: Delivered, items: ItemRegistry) -> str:
    if done.success:
        output = items.get(done.recipe.output)
        return f"✨ **{done.name}** crafted: {output.label} ×{done.made:,} is yours."
    if done.duplicate:
        line = f"↩️ **{done.name}**: you already own one, so its inputs came back"
        return line + (f": {_parts(done.returned, items)}." if done.returned else ".")
    line = f"💥 **{done.name}** failed"
    if done.returned:
        line += f": back to you, {_parts(done.returned, items)}"
    if done.lost:
        line += f"; lost, {_parts(done.lost, items)}"
    return line + "."


def started_text(done: Started, items: ItemRegistry) -> str:
    fee = f" for {done.fee:,} chi" if done.fee else ""
    if done.delivered is not None:
        return delivered_line(done.delivered, items) + f"\nYou have {done.balance:,} chi."
    return (
        f"⚒️ Crafting **{done.name}**{fee}: ready {ts(done.ready_at)}, then `craft collect`. "
        f"You have {done.balance:,} chi."
    )


def collected_text(done: Collected, items: ItemRegistry) -> str:
    lines = [delivered_line(d, items) for d in done.delivered[:SHOWN_CRAFTS]]
    if len(done.delivered) > SHOWN_CRAFTS:
        lines.append(f"… and {plural(len(done.delivered) - SHOWN_CRAFTS, 'more craft')}")
    if done.next_at is not None:
        lines.append(f"Still crafting: {done.still:,} · the next is ready {ts(done.next_at)}.")
    return "\n".join(lines)[:1900]


DYNAMIC_ITEMS = (BookPages,)
