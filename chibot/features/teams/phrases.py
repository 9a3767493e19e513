"""How teams' refusals read on Discord (`errors.py` holds their codes and fields)."""

from __future__ import annotations

from chibot.discord.ui.text import timestamp, typed
from chibot.discord.wording import Phrase

_NAME = {
    "short": "A team name has at least 3 characters.",
    "long": "A team name has at most 24 characters.",
    "lines": "A team name is one line.",
    "invisible": "A team name can't hold invisible or control characters.",
    "markup": "A team name can't hold mentions, markdown or links (no `@ # < > * _ ~ | [ ] ( ) / \\ :`).",
    "link": "A team name can't be a link.",
    "letters": "A team name needs a letter or a digit.",
    "missing": "Give it a name: `team create <name>`.",
}


def _busy(text: str) -> Phrase:
    return lambda e: f"{text} It waits until {timestamp(e.expires_at)}."


PHRASES: dict[str, Phrase] = {
    "teams.off": lambda e: "Teams are switched off in this server.",
    "teams.bad_name": lambda e: _NAME.get(e.problem, "That team name can't be used."),
    "teams.name_taken": lambda e: f"There is already a team called **{e.name}** here.",
    "teams.already_in_team": lambda e: f"You are already in **{e.team}**: `team leave` first.",
    "teams.they_are_in_team": lambda e: "They are already in a team.",
    "teams.not_in_team": lambda e: (
        "You are not in a team: `team create <name>`, or `jointeam <team>`."
    ),
    "teams.not_in_your_team": lambda e: "They are not in your team.",
    "teams.unknown_team": lambda e: (
        f"There is no team called **{typed(e.text)}** here (`team list`)."
    ),
    "teams.role_needed": lambda e: f"Only the team's {e.need} can {e.action}.",
    "teams.full": lambda e: f"**{e.team}** is full ({e.cap} members): a base upgrade makes room.",
    "teams.not_yourself": lambda e: f"You can't {e.action} yourself.",
    "teams.no_bots": lambda e: "Bots can't join teams.",
    "teams.leader_cant_be_kicked": lambda e: (
        "The leader can't be kicked or demoted: `team transfer` first."
    ),
    "teams.bank_short": lambda e: f"The bank holds **{e.have:,}** chi, not {e.needed:,}.",
    "teams.allowance_used": lambda e: (
        f"You may withdraw **{e.left:,}** more chi today (your limit is {e.limit:,} a day)."
    ),
    "teams.top_level": lambda e: f"The {e.facility} is at its top level.",
    "teams.upgrade_short": lambda e: (
        f"Upgrading the {e.facility} costs **{e.chi:,}** chi from the bank and **{e.trophies:,}** 🏆; "
        f"the team has {e.bank:,} chi and {e.have_trophies:,} 🏆 (trophies come from wins)."
    ),
    "teams.unknown_facility": lambda e: "Upgrade `base`, `gym` or `arena`.",
    "teams.bad_colour": lambda e: f"Colours: {e.colours}.",
    "teams.wrong_kind": lambda e: f"**{typed(e.item)}** isn't {e.want}.",
    "teams.already_placed": lambda e: f"Your base already has a **{e.item}**.",
    "teams.not_in_base": lambda e: f"Your base has no {typed(e.text, 80)}.",
    "teams.same_team": lambda e: "That is your own team.",
    "teams.already_related": lambda e: f"**{e.team}** is already your {e.kind}.",
    "teams.not_related": lambda e: f"**{e.team}** is not your {e.kind}.",
    "teams.no_event": lambda e: "No team event is open for registration.",
    "teams.unknown_event": lambda e: f"No open event is called **{typed(e.text)}**: {e.open}.",
    "teams.already_registered": lambda e: f"Your team is already registered for **{e.event}**.",
    "teams.no_invite": lambda e: "You have no team invite waiting.",
    "teams.invite_busy": _busy("They already have an invite from your team."),
    "teams.request_busy": _busy("You already asked to join that team."),
    "teams.proposal_busy": _busy("Your team already proposed an alliance to them."),
}
