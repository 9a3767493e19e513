"""Pure rules of progress: due achievements, claimable milestones, upgrade costs, max HP, the
level card, the achievement board and the stats summary. Table-driven and property-based."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chibot.core.catalog import load_catalog
from chibot.features.progress import rules
from chibot.features.progress.content import Achievement, Milestone
from chibot.features.progress.rules import MAX_LEVEL, LedgerTotal, chi_for_level

CATALOG = load_catalog()
ACH = CATALOG.files["achievements"]
MILESTONES = CATALOG.files["milestones"].milestone
BY_ID = {a.id: a for a in ACH.achievement}


def ach(
    id_: str, counter: str = "c", at: int | None = 1, at_most: int | None = None, **kw
) -> Achievement:
    return Achievement(
        id=id_,
        name=id_,
        emoji="⭐",
        category=kw.pop("category", "combat"),
        tier=kw.pop("tier", "common"),
        reward=100,
        description="d",
        counter=counter,
        at=at,
        at_most=at_most,
        **kw,
    )


# --- due ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "unlocked", "expected"),
    [
        ({}, [], []),
        ({"wins": 0}, [], []),
        ({"wins": 1}, [], ["one_win"]),
        ({"wins": 9}, [], ["one_win"]),
        ({"wins": 10}, [], ["one_win", "ten_wins"]),
        ({"wins": 10}, ["one_win"], ["ten_wins"]),
        ({"wins": 50}, ["one_win", "ten_wins"], []),
        ({"place": 1}, [], ["early"]),
        ({"place": 10}, [], ["early"]),
        ({"place": 11}, [], []),
        ({"place": 0}, [], []),  # no place: never "at most 10"
    ],
)
def test_due(values: dict, unlocked: list, expected: list) -> None:
    pool = [ach("one_win", "wins", 1), ach("ten_wins", "wins", 10), ach("early", "place", None, 10)]
    assert [a.id for a in rules.due(pool, unlocked, values)] == expected


def test_due_over_the_real_catalog() -> None:
    values = {"lifetime_chi": 1_000_000, "secret_words": 1, "member_number": 3, "max_hp": 3000}
    ids = {a.id for a in rules.due(ACH.achievement, [], values)}
    assert ids == {"millionaire", "secret_explorer", "early_bird", "hp_maxed"}


# --- milestones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lifetime", "claimed", "expected"),
    [
        (0, [], []),
        (999, [], []),
        (1000, [], ["lifetime_1000"]),
        (5000, [], ["lifetime_1000", "lifetime_5000"]),
        (5000, ["lifetime_1000"], ["lifetime_5000"]),
        (9999, ["lifetime_1000", "lifetime_5000"], []),
        (-50, [], []),
    ],
)
def test_claimable(lifetime: int, claimed: list, expected: list) -> None:
    assert [m.id for m in rules.claimable(MILESTONES, claimed, lifetime)] == expected


def test_milestone_rows() -> None:
    rows = rules.milestone_rows(MILESTONES[:3], {"lifetime_1000"}, 6000)
    assert [(r.milestone.id, r.state, r.to_go) for r in rows] == [
        ("lifetime_1000", "claimed", 0),
        ("lifetime_5000", "claimable", 0),
        ("lifetime_10000", "locked", 4000),
    ]


def test_milestone_rewards_are_small() -> None:
    """Every reward is at most a tenth of its threshold (the content rule)."""
    assert all(m.reward * 10 <= m.lifetime_chi for m in MILESTONES)
    with pytest.raises(ValueError):
        type(CATALOG.files["milestones"]).model_validate(
            {
                "version": 1,
                "milestone": [{"id": "x_1", "name": "X", "lifetime_chi": 100, "reward": 11}],
            }
        )


@given(st.integers(-(10**6), 10**8), st.sets(st.sampled_from([m.id for m in MILESTONES])))
def test_claimable_never_returns_claimed_or_unreached(lifetime: int, claimed: set) -> None:
    for m in rules.claimable(MILESTONES, claimed, lifetime):
        assert m.id not in claimed and m.lifetime_chi <= lifetime


# --- upgrades, HP, prices ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "level", "cost"),
    [
        (200, 0, 50),
        (200, 1, 100),
        (200, 9, 500),
        (500, 0, 125),
        (1, 0, 1),
        (3, 0, 1),
        (100_000, 9, 250_000),
    ],
)
def test_upgrade_cost(price: int, level: int, cost: int) -> None:
    assert rules.upgrade_cost(price, level) == cost


@given(st.integers(4, 10**9), st.integers(0, 49))
def test_upgrade_cost_strictly_increases_with_level(price: int, level: int) -> None:
    assert rules.upgrade_cost(price, level + 1) > rules.upgrade_cost(price, level) >= 1


@given(st.integers(1, 10**9), st.integers(0, 49))
def test_upgrade_cost_never_decreases_and_is_positive(price: int, level: int) -> None:
    assert rules.upgrade_cost(price, level + 1) >= rules.upgrade_cost(price, level) >= 1


@pytest.mark.parametrize(
    ("price", "level", "max_level", "expected"),
    [(200, 0, 10, 50), (200, 9, 10, 500), (200, 10, 10, None)],
)
def test_next_upgrade_cost(price: int, level: int, max_level: int, expected: int | None) -> None:
    assert rules.next_upgrade_cost(price, level, max_level) == expected


@pytest.mark.parametrize(
    ("base", "multiplier", "price"),
    [(200, 100, 200), (200, 150, 300), (200, 10, 20), (5, 10, 1), (333, 50, 167), (1, 10, 1)],
)
def test_scaled_price(base: int, multiplier: int, price: int) -> None:
    assert rules.scaled_price(base, multiplier) == price


@pytest.mark.parametrize(
    ("permanent", "hp"),
    [(0, 250), (500, 750), (2750, 3000), (2751, 3000), (10**9, 3000), (-5, 250)],
)
def test_max_hp(permanent: int, hp: int) -> None:
    assert rules.max_hp(permanent) == hp


@given(st.integers(-(10**9), 10**12))
def test_max_hp_is_capped(permanent: int) -> None:
    assert (
        rules.BASE_HP <= rules.max_hp(permanent) <= rules.BASE_HP + rules.MAX_PERMANENT_HP == 3000
    )


def test_damage_bonus() -> None:
    assert [rules.damage_bonus_pct(n) for n in (0, 1, 10)] == [0, 5, 50]


def test_every_upgradable_item_has_a_chi_price() -> None:
    """Upgrades are priced from the chi shop: an upgradable item without a chi price could
    never be upgraded."""
    upgradable = [i for i in CATALOG.items if i.upgradable]
    assert upgradable
    assert all(i.buy is not None and i.buy.shop == "chi" and not i.stacks for i in upgradable)


# --- level card --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lifetime", "level", "next_at", "to_next", "bonus"),
    [
        (0, 0, 500, 500, 0),
        (499, 0, 500, 1, 0),
        (500, 1, 1500, 1000, 5),
        (1499, 1, 1500, 1, 5),
        (1500, 2, 3000, 1500, 10),
        (chi_for_level(MAX_LEVEL), MAX_LEVEL, None, 0, 500),
        (10**12, MAX_LEVEL, None, 0, 500),
        (-300, 0, 500, 800, 0),
    ],
)
def test_level_card(
    lifetime: int, level: int, next_at: int | None, to_next: int, bonus: int
) -> None:
    card = rules.level_card(lifetime)
    assert (card.level, card.next_at, card.to_next, card.damage_bonus_pct) == (
        level,
        next_at,
        to_next,
        bonus,
    )


@given(st.integers(0, 10**10))
def test_level_card_fraction_in_range(lifetime: int) -> None:
    card = rules.level_card(lifetime)
    assert 0.0 <= card.fraction <= 1.0
    assert card.floor <= lifetime
    assert card.next_at is None or lifetime < card.next_at


@pytest.mark.parametrize(
    ("fraction", "bar"), [(0, "▱" * 12), (0.5, "▰" * 6 + "▱" * 6), (1, "▰" * 12), (7, "▰" * 12)]
)
def test_progress_bar(fraction: float, bar: str) -> None:
    assert rules.progress_bar(fraction) == bar


# --- achievement board -------------------------------------------------------------------------


def test_board_orders_by_category_then_tier() -> None:
    rows = rules.achievement_rows(ACH.achievement, ACH.category, {}, {}, {"economy"})
    assert len(rows) == 30
    order = {c.id: i for i, c in enumerate(ACH.category)}
    keys = [(order[r.achievement.category], rules.TIER_ORDER[r.achievement.tier]) for r in rows]
    assert keys == sorted(keys)
    combat = [r.achievement.id for r in rows if r.achievement.category == "combat"]
    assert combat[:3] == ["duel_master", "duel_streak_10", "rift_survivor"]  # legendary first
    assert combat[-2:] == ["first_duel_win", "sparring_partner"]  # common last, file order


def test_board_states() -> None:
    when = datetime(2026, 1, 2, tzinfo=UTC)
    rows = rules.achievement_rows(
        ACH.achievement, ACH.category, {"first_rebirth": when}, {"rebirths_done": 3}, {"economy"}
    )
    by = {r.achievement.id: r for r in rows}
    assert by["first_rebirth"].state == "unlocked" and by["first_rebirth"].unlocked_at == when
    assert by["rebirth_master"].state == "locked" and by["rebirth_master"].value == 3
    assert by["secret_explorer"].state == "hidden"
    assert by["first_duel_win"].state == "unavailable"  # combat is not installed
    assert by["millionaire"].value is None


def test_board_one_category() -> None:
    rows = rules.achievement_rows(ACH.achievement, ACH.category, {}, {}, {"economy"}, "economy")
    assert [r.achievement.id for r in rows] == ["rebirth_master", "millionaire", "first_rebirth"]


@pytest.mark.parametrize(
    ("text", "found"),
    [("combat", "combat"), ("Combat", "combat"), (" ECONOMY ", "economy"), ("nope", None)],
)
def test_find_category(text: str, found: str | None) -> None:
    category = rules.find_category(ACH.category, text)
    assert (category.id if category else None) == found


# --- stats --------------------------------------------------------------------------------------


def test_summarize() -> None:
    totals = [
        LedgerTotal("chi", "chat.positive", 1, 120, 30),
        LedgerTotal("chi", "chat.secret", 1, 30, 2),
        LedgerTotal("chi", "chat.negative", -1, -45, 4),
        LedgerTotal("chi", "daily", 1, 500, 2),
        LedgerTotal("chi", "achievement", 1, 1500, 1),
        LedgerTotal("chi", "milestone", 1, 100, 1),
        LedgerTotal("chi", "progress.upgrade", -1, -150, 2),
        LedgerTotal("chi", "shop.buy", -1, -200, 1),
        LedgerTotal("chi", "shop.sell", 1, 60, 1),
        LedgerTotal("chi", "give", -1, -70, 3),
        LedgerTotal("chi", "give", 1, 20, 1),
        LedgerTotal("chi", "admin.add.chi", 1, 1000, 1),
        LedgerTotal("chi", "admin.remove.chi", -1, -10, 1),
        LedgerTotal("chi", "rebirth", -1, -500_000, 1),
        LedgerTotal("rebirths", "rebirth", 1, 1, 1),
        LedgerTotal("rebirths", "shop.buy", -1, -1, 1),
        LedgerTotal("rebirths", "give", 1, 2, 1),
        LedgerTotal("chi", "quest.reward", 1, 40, 1),
    ]
    s = rules.summarize(totals)
    assert s.earned == 120 + 30 + 500 + 1500 + 100 + 40
    assert s.earned_by == {
        "chat": 150,
        "daily": 500,
        "achievement": 1500,
        "milestone": 100,
        "quest": 40,
    }
    assert s.chat_penalties == 45
    assert s.spent == 150 + 200 + 500_000
    assert s.spent_by == {"progress": 150, "shop": 200, "rebirth": 500_000}
    assert (s.given, s.gives, s.received, s.receipts) == (70, 3, 20, 1)
    assert s.sold == 60
    assert (s.admin_added, s.admin_removed) == (1000, 10)
    assert (s.rebirths_gained, s.rebirths_spent, s.rebirths_received, s.rebirths_given) == (
        1,
        1,
        2,
        0,
    )


def test_summarize_nothing() -> None:
    s = rules.summarize([])
    assert s.earned == s.spent == s.given == s.received == 0 and s.earned_by == {}


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("upgrades", "Item upgrades"),
        ("plants_harvested", "Plants Harvested"),
        ("rift_runs", "Rift Runs"),
    ],
)
def test_counter_label(name: str, label: str) -> None:
    assert rules.counter_label(name, {"upgrades": "Item upgrades"}) == label


@pytest.mark.parametrize(
    ("text", "clean"),
    [("sword", "sword"), ("`x`", "'x'"), ("a\nb", "a b"), ("y" * 60, "y" * 39 + "…")],
)
def test_clean_query(text: str, clean: str) -> None:
    assert rules.clean_query(text) == clean


def test_milestone_type_is_validated() -> None:
    assert isinstance(MILESTONES[0], Milestone)
    assert BY_ID["early_bird"].at_most == 10
