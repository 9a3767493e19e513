"""Combat's refusals: a code and the fields that describe the situation, worded for Discord by
`phrases.py`. Raising one rolls the transaction back: nothing is half done."""

from __future__ import annotations

from chibot.core.errors import UserError


class UnknownWeapon(UserError):
    code = "combat.unknown_weapon"
    plain = "There is no weapon called {text}. weapons lists them."


class NotAWeapon(UserError):
    code = "combat.not_a_weapon"
    plain = "{item} is not a weapon: weapons lists them."


class WeaponNotHeld(UserError):
    code = "combat.weapon_not_held"
    plain = "You don't have a {item}: buy it in the chi shop (buy {code})."


class WeaponInChest(UserError):
    code = "combat.weapon_in_chest"
    plain = "Your {item} is in your chest: chest take {item} first."
