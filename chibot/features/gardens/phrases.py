"""How gardens' refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from chibot.discord.ui.text import timestamp, typed
from chibot.discord.wording import Phrase

PHRASES: dict[str, Phrase] = {
    "gardens.off": lambda e: "Gardens are switched off in this server.",
    "gardens.no_garden": lambda e: (
        f"You have no garden yet: `garden create` founds one for **{e.cost:,}** chi."
    ),
    "gardens.they_have_no_garden": lambda e: "They have no garden in this server.",
    "gardens.already_have": lambda e: "You already have a garden: `garden` shows it.",
    "gardens.unknown_seed": lambda e: (
        f"There is no seed called **{typed(e.text)}**. `garden shop` lists them."
    ),
    "gardens.not_sold_here": lambda e: (
        f"The garden shop doesn't sell **{typed(e.text)}**. `garden shop` lists what it sells."
    ),
    "gardens.tier_locked": lambda e: (
        f"**{e.item}** grows only in a **{e.tier}** or better; yours is a {e.yours}"
        " (`upgrade garden`)."
    ),
    "gardens.no_seeds": lambda e: (
        f"You have {e.have:,} **{e.seed}** seeds, not {e.wanted:,}: "
        f"`garden buy {e.seed} {e.wanted - e.have}`."
    ),
    "gardens.full": lambda e: (
        f"Your garden has **{e.free:,}** free plots of {e.plots:,}: harvest first or plant fewer."
    ),
    "gardens.bad_qty": lambda e: f"From 1 to {e.most:,} at a time.",
    "gardens.nothing_planted": lambda e: (
        f"Nothing is growing in your garden{e.of}: `plant <seed> [qty]` plants some."
    ),
    "gardens.nothing_ready": lambda e: (
        f"Nothing is ready yet{e.of}: the next is ready {timestamp(e.next_at)}."
    ),
    "gardens.already_own_tool": lambda e: f"You already own **{e.item}**: one is enough.",
    "gardens.offer_changed": lambda e: "That changed since it was shown to you: look again.",
    "gardens.no_can": lambda e: "You need a watering can to water: `garden buy G1`.",
    "gardens.nothing_to_water": lambda e: f"Every growing plant{e.of} is already watered.",
    "gardens.no_fertilizer": lambda e: "You have no fertilizer: `garden buy fertilizer 10`.",
    "gardens.nothing_to_fertilize": lambda e: f"Every growing plant{e.of} is already fertilised.",
    "gardens.top_tier": lambda e: f"Your garden is a **{e.tier}**, the highest tier.",
    "gardens.unknown_bundle": lambda e: (
        f"There is no bundle called **{typed(e.text)}**. `bundle` lists them."
    ),
    "gardens.bundle_tool_owned": lambda e: (
        f"You already own **{e.tool}**, the heart of the {e.bundle}: it would be wasted."
    ),
    "gardens.boost_running": lambda e: (
        f"A garden boost is already running; it ends {timestamp(e.until)}."
    ),
    "gardens.boost_resting": lambda e: (
        f"The last garden boost ended recently: the next may start {timestamp(e.ready)}."
    ),
    "gardens.bad_boost_length": lambda e: (
        f"A garden boost lasts from {e.least} minutes to {e.most} hours (`garden boost 2h`)."
    ),
}
