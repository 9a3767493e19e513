"""The Discord UI kit on its own: the confirmation (only the asker, one answer, expiry, the
re-check), the paginator (custom ids that survive a restart, owner-only pages) and the text
helpers. Interactions are small fakes: the kit only answers, edits and asks the bot."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from chibot.core.errors import UserError
from chibot.discord import ui

ASKER, OTHER, BANNED, OWNER = 11, 12, 13, 99
GUILD = 500


@pytest.fixture(autouse=True)
def _sealed_for_this_server():
    """As the bot does around a command: components built here are sealed for GUILD."""
    with ui.sealing(KEY, GUILD):
        yield


class FakeResponse:
    def __init__(self) -> None:
        self.sent: list[tuple[str | None, bool]] = []
        self.edits: list[dict[str, Any]] = []

    def is_done(self) -> bool:
        return bool(self.sent or self.edits)

    async def send_message(
        self, content: str | None = None, *, ephemeral: bool = False, **_: Any
    ) -> None:
        assert not self.is_done(), "answered twice"
        self.sent.append((content, ephemeral))

    async def edit_message(self, **kwargs: Any) -> None:
        assert not self.is_done(), "answered twice"
        self.edits.append(kwargs)


class FakeFollowup:
    def __init__(self) -> None:
        self.sent: list[tuple[str | None, bool]] = []

    async def send(self, content: str | None = None, *, ephemeral: bool = False, **_: Any) -> None:
        self.sent.append((content, ephemeral))


KEY = b"k" * 32


class FakeBot:
    button_key = KEY  # seals the restart-proof components (ui/seal.py)

    def __init__(self, blocked: set[int] = frozenset({BANNED})) -> None:  # type: ignore[assignment]
        self.blocked = set(blocked)

    def owner_id_set(self) -> set[int]:
        return {OWNER}

    async def is_blocked(self, guild_id: int, user_id: int) -> bool:
        return user_id in self.blocked and user_id != OWNER


def press(user_id: int, bot: FakeBot | None = None) -> Any:
    return SimpleNamespace(
        user=SimpleNamespace(id=user_id, display_name=f"user{user_id}"),
        guild=SimpleNamespace(id=GUILD, get_member=lambda _id: None),
        guild_id=GUILD,
        client=bot or FakeBot(),
        response=FakeResponse(),
        followup=FakeFollowup(),
        extras={},
    )


async def answer(view: ui.View, button: Any, interaction: Any) -> bool:
    """What discord.py does with a press on a view: the check, then the callback."""
    if not await view.interaction_check(interaction):
        return False
    await button.callback(interaction)
    return True


def buttons_disabled(view: discord.ui.View) -> bool:
    return all(item.disabled for item in view.children)  # type: ignore[attr-defined]


# --- the confirmation ----------------------------------------------------------------------


def prompt(**options: Any) -> tuple[ui.ConfirmView, list[int]]:
    done: list[int] = []

    async def action(interaction: Any) -> None:
        done.append(interaction.user.id)
        await interaction.followup.send("done")

    return ui.ConfirmView(ASKER, action, **options), done


async def test_only_the_asker_may_answer() -> None:
    view, done = prompt()
    other = press(OTHER)
    assert not await answer(view, view.confirm_button, other)
    assert other.response.sent == [("This choice isn't yours to make.", True)]
    assert not await answer(view, view.cancel_button, press(OTHER))
    assert done == [] and not view.is_finished()
    asker = press(ASKER)
    assert await answer(view, view.confirm_button, asker)
    assert done == [ASKER] and view.is_finished() and buttons_disabled(view)
    assert asker.response.edits == [{"view": view}]  # the prompt closes before the action
    late = press(ASKER)
    assert not await answer(view, view.confirm_button, late)
    assert late.response.sent == [("This choice is already answered.", True)] and done == [ASKER]


async def test_blacklisted_asker_is_refused_and_nothing_runs() -> None:
    done: list[int] = []

    async def action(interaction: Any) -> None:
        done.append(1)

    view = ui.ConfirmView(BANNED, action)
    banned = press(BANNED)
    assert not await answer(view, view.confirm_button, banned)
    assert banned.response.sent == [(ui.BLOCKED, True)] and done == []
    assert not view.answered  # a refused press does not use up the answer


async def test_cancel_closes_with_its_text() -> None:
    view, done = prompt()
    asker = press(ASKER)
    assert await answer(view, view.cancel_button, asker)
    assert asker.response.edits == [
        {"view": view, "content": "Cancelled: nothing changed.", "embed": None}
    ]
    assert done == [] and buttons_disabled(view) and view.is_finished()


async def test_recheck_refuses_with_its_line_and_nothing_runs() -> None:
    async def recheck(interaction: Any) -> None:
        raise UserError("Only server admins (Manage Server or the bot's admin role) can do that.")

    view, done = prompt(recheck=recheck)
    asker = press(ASKER)
    assert await answer(view, view.confirm_button, asker)
    assert done == []
    assert asker.response.edits == [{"view": view}] and buttons_disabled(view)
    assert asker.followup.sent == [
        ("Only server admins (Manage Server or the bot's admin role) can do that.", True)
    ]


async def test_a_refusal_can_close_the_prompt_its_own_way() -> None:
    async def action(interaction: Any) -> None:
        raise UserError("No longer possible.")

    view = ui.ConfirmView(
        ASKER,
        action,
        ack=False,
        refused=lambda error: ui.Closing(content=f"Refused: {error.message}", remove_buttons=True),
    )
    asker = press(ASKER)
    assert await answer(view, view.confirm_button, asker)
    assert asker.response.edits == [{"view": None, "content": "Refused: No longer possible."}]


async def test_expiry_disables_the_buttons_unless_answered() -> None:
    edits: list[dict[str, Any]] = []

    async def edit(**kwargs: Any) -> None:
        edits.append(kwargs)

    view, _ = prompt(timeout=0.01, expired=ui.Closing(content="Expired."))
    view.message = SimpleNamespace(id=1, edit=edit)  # type: ignore[assignment]
    await view.on_timeout()
    assert edits == [{"view": view, "content": "Expired."}] and buttons_disabled(view)
    answered, _ = prompt()
    answered.message = SimpleNamespace(id=2, edit=edit)  # type: ignore[assignment]
    await answer(answered, answered.confirm_button, press(ASKER))
    await answered.on_timeout()
    assert len(edits) == 1  # an answered prompt is left as its answer made it


async def test_the_timeout_is_the_views() -> None:
    view, _ = prompt(timeout=42)
    assert view.timeout == 42 and view.owner_id == ASKER


class Buy(ui.ConfirmItem, template=r"test:ok:(?P<owner>\d+):(?P<total>\d+)"):
    not_owner = "Only <@{owner}> can confirm this."
    ran: list[int] = []

    def __init__(self, owner: int, total: int) -> None:
        super().__init__(f"test:ok:{owner}:{total}")
        self.owner_id, self.total = owner, total

    @classmethod
    async def from_custom_id(cls, interaction: Any, item: Any, match: Any) -> Buy:
        return cls(int(match["owner"]), int(match["total"]))

    async def recheck(self, interaction: Any) -> None:
        if self.total > 100:
            raise UserError("The price changed.")

    async def action(self, interaction: Any) -> None:
        Buy.ran.append(self.total)
        await interaction.response.edit_message(content="bought", view=None)


async def test_the_restart_proof_confirm_shares_the_flow() -> None:
    Buy.ran.clear()
    button = Buy(ASKER, 50)
    match = Buy.__discord_ui_compiled_template__.fullmatch(button.custom_id)
    again = await Buy.from_custom_id(press(ASKER), button.item, match)
    other = press(OTHER)
    assert not await again.interaction_check(other)
    assert other.response.sent == [(f"Only <@{ASKER}> can confirm this.", True)]
    banned = press(BANNED)
    assert not await Buy(BANNED, 50).interaction_check(banned)
    assert banned.response.sent == [(ui.BLOCKED, True)]
    refused = press(ASKER)
    await Buy(ASKER, 500).callback(refused)
    assert refused.response.sent == [("The price changed.", True)] and Buy.ran == []
    ok = press(ASKER)
    assert await again.interaction_check(ok)
    await again.callback(ok)
    assert Buy.ran == [50] and ok.response.edits == [{"content": "bought", "view": None}]


# --- the paginator ------------------------------------------------------------------------


class Pages(
    ui.PageButton, prefix="test:pages", state={"board": "a|b", "user": int}, owner_field="user"
):
    seen: list[tuple[Any, ...]] = []

    @classmethod
    async def render(
        cls, viewer: ui.Viewer, board: str, user: int, *, page: int
    ) -> tuple[discord.Embed, ui.View]:
        cls.seen.append((viewer.user.id, board, user, page))
        return discord.Embed(title=f"{board} {page}"), cls.controls(
            board, user, page=page, pages=3, ends=True
        )


class OwnersPages(ui.PageButton, prefix="test:psy"):
    bot_owners_only = True


async def test_page_custom_ids_round_trip() -> None:
    button = Pages("b", 10**20 - 1, 7, "▶", "next")
    state, _, seal = button.custom_id.rpartition("~")
    assert state == f"test:pages:b:{10**20 - 1}:7:next" and len(seal) == 12
    assert len(button.custom_id) <= 100
    match = Pages.__discord_ui_compiled_template__.fullmatch(button.custom_id)
    again = await Pages.from_custom_id(press(ASKER), button.item, match)
    assert (again.board, again.user, again.page, again.tag) == ("b", 10**20 - 1, 7, "next")
    assert again.custom_id == button.custom_id and again.owner_id == 10**20 - 1
    assert Pages.__discord_ui_compiled_template__.fullmatch("test:pages:c:1:1:next") is None
    with pytest.raises(TypeError):
        Pages("b", 7, "▶", "next")  # the member is missing


def test_controls_disable_what_leads_nowhere() -> None:
    view = Pages.controls("a", ASKER, page=1, pages=3, ends=True)
    assert [(b.item.label, b.item.disabled) for b in view.children] == [
        ("⏮", True),
        ("◀", True),
        ("▶", False),
        ("⏭", False),
    ]
    assert [b.custom_id.rpartition("~")[0] for b in view.children][2:] == [
        f"test:pages:a:{ASKER}:2:next",
        f"test:pages:a:{ASKER}:3:last",
    ]
    assert isinstance(view, ui.View)


# --- the seal ------------------------------------------------------------------------------


async def open_press(cls: Any, custom_id: str, interaction: Any) -> Any:
    """What discord.py does with a press of a registered dynamic item: match, then open."""
    match = cls.__discord_ui_compiled_template__.fullmatch(custom_id)
    assert match is not None, custom_id
    item = discord.ui.Button(label="x", custom_id=custom_id)
    return await cls.from_custom_id(interaction, item, match)


def elsewhere(user_id: int, guild_id: int | None) -> Any:
    interaction = press(user_id)
    interaction.guild = (
        None if guild_id is None else SimpleNamespace(id=guild_id, get_member=lambda _id: None)
    )
    return interaction


@pytest.mark.parametrize(
    "tamper",
    [
        lambda cid: cid.replace(":7:", ":8:"),  # another page, same seal
        lambda cid: cid.replace(f":{10**20 - 1}:", f":{ASKER}:"),  # another owner
        lambda cid: cid[:-1] + ("A" if cid[-1] != "A" else "B"),  # a forged seal
    ],
)
async def test_a_forged_or_edited_custom_id_is_not_opened(tamper: Any) -> None:
    button = Pages("b", 10**20 - 1, 7, "▶", "next")
    forged = tamper(button.custom_id)
    interaction = press(ASKER)
    opened = await open_press(Pages, forged, interaction)
    assert not await opened.interaction_check(interaction)
    assert interaction.response.sent == [(ui.EXPIRED, True)]


@pytest.mark.parametrize("guild_id", [GUILD + 1, None])
async def test_a_button_carried_to_another_server_or_to_dms_has_expired(
    guild_id: int | None,
) -> None:
    button = Pages("a", ASKER, 2, "▶", "next")
    interaction = elsewhere(ASKER, guild_id)
    opened = await open_press(Pages, button.custom_id, interaction)
    assert not await opened.interaction_check(interaction)
    assert interaction.response.sent == [(ui.EXPIRED, True)] and Pages.seen == []


async def test_an_unreadable_but_sealed_id_is_answered_not_crashed() -> None:
    """A sealed id its item cannot read (here, a page past the int range the item accepts)
    answers "expired": the press never goes unanswered."""

    class Strict(ui.PageButton, prefix="test:strict"):
        @classmethod
        async def from_custom_id(cls, interaction: Any, item: Any, match: Any) -> Any:
            raise OverflowError("year 10000")

    button = Strict(3, "▶", "next")
    interaction = press(ASKER)
    opened = await open_press(Strict, button.custom_id, interaction)
    assert not await opened.interaction_check(interaction)
    assert interaction.response.sent == [(ui.EXPIRED, True)]


def test_a_seal_needs_a_server() -> None:
    with ui.sealing(KEY, GUILD):
        pass
    from chibot.discord.ui import seal

    token = seal._CURRENT.set(None)
    try:
        with pytest.raises(LookupError, match="outside a command or a press"):
            Pages("a", ASKER, 2, "▶", "next")
    finally:
        seal._CURRENT.reset(token)


async def test_owner_only_pages() -> None:
    Pages.seen.clear()
    button = Pages("a", ASKER, 2, "▶", "next")
    other = press(OTHER)
    assert not await button.interaction_check(other)
    assert other.response.sent == [("This isn't yours.", True)]
    asker = press(ASKER)
    assert await button.interaction_check(asker)
    await button.callback(asker)
    assert Pages.seen == [(ASKER, "a", ASKER, 2)]
    assert asker.response.edits[0]["embed"].title == "a 2"
    psy = OwnersPages(1, "▶", "next")
    refused = press(ASKER)
    assert not await psy.interaction_check(refused)
    assert refused.response.sent == [("Only the bot's owners can do that.", True)]
    assert await psy.interaction_check(press(OWNER))


async def test_errors_in_a_press_get_the_one_line_answer() -> None:
    class Broken(ui.PageButton, prefix="test:broken"):
        @classmethod
        async def render(cls, viewer: ui.Viewer, *, page: int) -> Any:
            raise UserError("Nothing here.")

    interaction = press(ASKER)
    await Broken(1, "▶", "next").callback(interaction)
    assert interaction.response.sent == [("Nothing here.", True)]


# --- text helpers --------------------------------------------------------------------------


def test_times_use_discord_timestamps() -> None:
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    stamp = int(when.timestamp())
    assert ui.timestamp(when) == f"<t:{stamp}:R>"
    assert ui.timestamp(when, "d") == f"<t:{stamp}:d>" == discord.utils.format_dt(when, "d")


def test_player_text_and_names_are_safe() -> None:
    assert ui.safe("**bold** @everyone") == "\\*\\*bold\\*\\* @\u200beveryone"
    user = SimpleNamespace(display_name="_Zed_")
    assert ui.name_of(user) == "\\_Zed\\_"  # type: ignore[arg-type]
    assert ui.name_of(None, 42) == "Member 42"
    guild = SimpleNamespace(get_member=lambda uid: user if uid == 1 else None)
    assert ui.member_name(guild, 1) == "\\_Zed\\_"  # type: ignore[arg-type]
    assert ui.member_name(guild, 2) == "Former member 2"  # type: ignore[arg-type]


def test_one_palette() -> None:
    assert ui.Palette.GREEN == 0x2ECC71 and ui.Palette.GREY == 0x95A5A6
