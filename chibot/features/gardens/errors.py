"""Gardens' refusals: a code and the fields that describe the situation, worded for Discord by
`phrases.py`. Raising one rolls the transaction back: nothing is half done."""

from __future__ import annotations

from chibot.core.errors import UserError


class GardensOff(UserError):
    code = "gardens.off"
    plain = "Gardens are switched off in this server."


class NoGarden(UserError):
    code = "gardens.no_garden"
    plain = "You have no garden yet: garden create founds one for {cost:,} chi."


class TheyHaveNoGarden(UserError):
    code = "gardens.they_have_no_garden"
    plain = "They have no garden in this server."


class AlreadyHaveGarden(UserError):
    code = "gardens.already_have"
    plain = "You already have a garden: garden shows it."


class UnknownSeed(UserError):
    code = "gardens.unknown_seed"
    plain = "There is no seed called {text}. garden shop lists them."


class NotAGardenItem(UserError):
    code = "gardens.not_sold_here"
    plain = "The garden shop doesn't sell {text}. garden shop lists what it sells."


class TierLocked(UserError):
    code = "gardens.tier_locked"
    plain = "{item} grows only in a {tier} garden or better; yours is a {yours}."


class NoSeeds(UserError):
    code = "gardens.no_seeds"
    plain = "You have {have:,} {seed} seeds, not {wanted:,}: garden buy {seed} {wanted}."


class GardenFull(UserError):
    code = "gardens.full"
    plain = "Your garden has {free:,} free plots of {plots:,}: harvest or plant fewer."


class BadPlantQty(UserError):
    code = "gardens.bad_qty"
    plain = "Plant from 1 to {most:,} seeds at a time."


class NothingPlanted(UserError):
    code = "gardens.nothing_planted"
    plain = "Nothing is growing in your garden{of}: plant <seed> plants some."


class NothingReady(UserError):
    code = "gardens.nothing_ready"
    plain = "Nothing is ready yet{of}: the next is ready at {next_at:%Y-%m-%d %H:%M} UTC."


class AlreadyOwnTool(UserError):
    code = "gardens.already_own_tool"
    plain = "You already own {item}: one is enough."


class OfferChanged(UserError):
    code = "gardens.offer_changed"
    plain = "That changed since it was shown to you: look again."


class NoWateringCan(UserError):
    code = "gardens.no_can"
    plain = "You need a watering can to water: garden buy G1."


class NothingToWater(UserError):
    code = "gardens.nothing_to_water"
    plain = "Every growing plant{of} is already watered."


class NoFertilizer(UserError):
    code = "gardens.no_fertilizer"
    plain = "You have no fertilizer: garden buy fertilizer."


class NothingToFertilize(UserError):
    code = "gardens.nothing_to_fertilize"
    plain = "Every growing plant{of} is already fertilised."


class TopTier(UserError):
    code = "gardens.top_tier"
    plain = "Your garden is a {tier}, the highest tier."


class UnknownBundle(UserError):
    code = "gardens.unknown_bundle"
    plain = "There is no bundle called {text}. bundle lists them."


class BundleToolOwned(UserError):
    code = "gardens.bundle_tool_owned"
    plain = "You already own {tool}, the point of the {bundle}."


class BoostRunning(UserError):
    code = "gardens.boost_running"
    plain = "A garden boost is already running, until {until:%Y-%m-%d %H:%M} UTC."


class BoostResting(UserError):
    code = "gardens.boost_resting"
    plain = "The last garden boost ended recently: the next may start {ready:%Y-%m-%d %H:%M} UTC."


class BadBoostLength(UserError):
    code = "gardens.bad_boost_length"
    plain = "A garden boost lasts from {least} minutes to {most} hours."
