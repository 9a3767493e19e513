"""Pets' refusals: a code and the fields that describe the situation, worded for Discord by
`phrases.py`. Raising one rolls the transaction back: nothing is half done."""

from __future__ import annotations

from chibot.core.errors import UserError


class PetsOff(UserError):
    code = "pets.off"
    plain = "Pets are switched off in this server."


class NoPets(UserError):
    code = "pets.no_pets"
    plain = "You have no pet yet: pet store shows who is waiting for you."


class UnknownSpecies(UserError):
    code = "pets.unknown_species"
    plain = "There is no pet called {text}. pet store lists them."


class AlreadyOwnSpecies(UserError):
    code = "pets.already_own"
    plain = "You already have a {species}: one of each kind."


class TheyOwnSpecies(UserError):
    code = "pets.they_own"
    plain = "They already have a {species}: one of each kind."


class NoAdoptionFood(UserError):
    code = "pets.no_adoption_food"
    plain = (
        "Adopting a {species} takes {need} {food}; you have {have}: pet shop buy {food} {short}."
    )


class UnknownPet(UserError):
    code = "pets.unknown_pet"
    plain = "You have no pet called {text}. pet list shows yours."


class UnknownFood(UserError):
    code = "pets.unknown_food"
    plain = "There is no pet food called {text}. pet shop lists them."


class NoFood(UserError):
    code = "pets.no_food"
    plain = "You have no {food}: pet shop buy {food}."


class NotHungry(UserError):
    code = "pets.not_hungry"
    plain = "{pet} is full and healthy: the food would be wasted."


class Starving(UserError):
    code = "pets.starving"
    plain = "{pet} is too hungry to {what}: pet feed <food> first."


class TopLevel(UserError):
    code = "pets.top_level"
    plain = "{pet}'s {training} is at its highest level, {most}."


class BadName(UserError):
    code = "pets.bad_name"
    plain = "A pet's name: {why}."


class BadQty(UserError):
    code = "pets.bad_qty"
    plain = "From 1 to {most:,} at a time."


class OfferChanged(UserError):
    code = "pets.offer_changed"
    plain = "That changed since it was shown to you: look again."


class UnknownTraining(UserError):
    code = "pets.unknown_training"
    plain = "Train heal, health, attack or special."
