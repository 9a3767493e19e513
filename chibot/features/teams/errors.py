"""Teams' refusals: a code and the fields that describe the situation, worded for Discord by
`phrases.py`. Raising one rolls the transaction back: nothing is half done."""

from __future__ import annotations

from chibot.core.errors import NotAllowed, NotFound, UserError
from chibot.core.sessions import SessionBusy


class TeamsOff(UserError):
    code = "teams.off"
    plain = "Teams are switched off in this server."


class BadTeamName(UserError):
    """`problem`: short, long, lines, invisible, markup, link, letters, missing."""

    code = "teams.bad_name"
    plain = "That team name can't be used ({problem})."


class NameTaken(UserError):
    code = "teams.name_taken"
    plain = "There is already a team called {name} here."


class AlreadyInTeam(UserError):
    code = "teams.already_in_team"
    plain = "You are already in {team}: leave it first."


class TheyAreInTeam(UserError):
    code = "teams.they_are_in_team"
    plain = "They are already in a team."


class NotInTeam(UserError):
    code = "teams.not_in_team"
    plain = "You are not in a team."


class NotInYourTeam(NotFound):
    code = "teams.not_in_your_team"
    plain = "They are not in your team."


class UnknownTeam(NotFound):
    code = "teams.unknown_team"
    plain = "There is no team called {text} here."


class RoleNeeded(NotAllowed):
    """`need`: `leader` or `officer` (leader or officer); `action` names what was refused."""

    code = "teams.role_needed"
    plain = "Only the team's {need} can {action}."


class TeamFull(UserError):
    code = "teams.full"
    plain = "{team} is full ({cap} members): a base upgrade makes room."


class NotYourself(UserError):
    code = "teams.not_yourself"
    plain = "You can't {action} yourself."


class NoBots(UserError):
    code = "teams.no_bots"
    plain = "Bots can't join teams."


class LeaderCantLeave(UserError):
    code = "teams.leader_cant_be_kicked"
    plain = "The leader can't be kicked or demoted: transfer the team first."


class BankShort(UserError):
    code = "teams.bank_short"
    plain = "The bank holds {have:,} chi, not {needed:,}."


class AllowanceUsed(UserError):
    code = "teams.allowance_used"
    plain = "You may withdraw {left:,} more chi today (your limit is {limit:,} a day)."


class TopLevel(UserError):
    code = "teams.top_level"
    plain = "The {facility} is at its top level."


class UpgradeShort(UserError):
    code = "teams.upgrade_short"
    plain = (
        "Upgrading the {facility} costs {chi:,} chi from the bank and {trophies:,} trophies; "
        "the team has {bank:,} chi and {have_trophies:,} trophies."
    )


class UnknownFacility(UserError):
    code = "teams.unknown_facility"
    plain = "Upgrade the base, the gym or the arena."


class BadColour(UserError):
    code = "teams.bad_colour"
    plain = "Colours: {colours}."


class WrongKind(UserError):
    """The item isn't a decoration / gym equipment (`want`)."""

    code = "teams.wrong_kind"
    plain = "{item} isn't {want}."


class AlreadyPlaced(UserError):
    code = "teams.already_placed"
    plain = "Your base already has a {item}."


class NotInBase(UserError):
    """`want`: `equipment` or `place`."""

    code = "teams.not_in_base"
    plain = "Your base has no {text}."


class SameTeam(UserError):
    code = "teams.same_team"
    plain = "That is your own team."


class AlreadyRelated(UserError):
    """`kind`: ally or enemy."""

    code = "teams.already_related"
    plain = "{team} is already your {kind}."


class NotRelated(UserError):
    code = "teams.not_related"
    plain = "{team} is not your {kind}."


class NoOpenEvent(UserError):
    code = "teams.no_event"
    plain = "No team event is open for registration."


class UnknownEvent(NotFound):
    code = "teams.unknown_event"
    plain = "No open event is called {text}: {open}."


class AlreadyRegistered(UserError):
    code = "teams.already_registered"
    plain = "Your team is already registered for {event}."


class NoInvite(NotFound):
    code = "teams.no_invite"
    plain = "You have no team invite waiting."


class InviteBusy(SessionBusy):
    code = "teams.invite_busy"
    plain = "They already have an invite from your team."


class RequestBusy(SessionBusy):
    code = "teams.request_busy"
    plain = "You already asked to join that team."


class ProposalBusy(SessionBusy):
    code = "teams.proposal_busy"
    plain = "Your team already proposed an alliance to them."
