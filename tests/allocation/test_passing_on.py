"""Passing posts on inside a Kreis, with the published Kreis Unna figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.allocation import KREIS, BelowMinimum, Method, apportion, pass_on
from kim.errors import AllocationError, InputError

# Kamen, council paper 141/2021 (https://ratsportal.kamen.de/bi/vo0050.asp?__kvonr=4249):
# Kreis Unna's computed shares for the three cooperating towns, and the agreed posts.
COMPUTED = {"Kamen": Decimal("0.85"), "Bergkamen": Decimal("1.19"), "Bönen": Decimal("0.38")}
AGREED = {"Kamen": Decimal("1.0"), "Bergkamen": Decimal("1.0"), "Bönen": Decimal("0.5")}


@pytest.mark.parametrize("method", list(Method))
def test_kreis_unna_2021_split_is_reproduced_by_every_method(method: Method) -> None:
    split = pass_on("2.5", COMPUTED, method=method)
    assert split.allocation.as_dict() == AGREED
    assert split.raised == ("Bönen",)
    assert split.rule is BelowMinimum.RAISE


def test_without_the_minimum_boenen_could_get_nothing() -> None:
    # D'Hondt without the 0.5 minimum gives Bönen's half post to the larger towns:
    # the minimum, not the method, keeps Bönen in.
    plain = apportion("2.5", COMPUTED, method="dhondt")
    assert plain.share("Bönen") == 0
    assert pass_on("2.5", COMPUTED, method="dhondt").share("Bönen") == Decimal("0.5")


def test_the_kreis_keeps_small_shares_under_the_kreis_rule() -> None:
    split = pass_on("2.5", COMPUTED, below_minimum="kreis")
    assert split.kept_by_kreis == ("Bönen",)
    assert split.share("Bönen") == 0
    assert split.allocation.as_dict() == {
        "Kamen": Decimal("1.0"),
        "Bergkamen": Decimal("1.0"),
        KREIS: Decimal("0.5"),
    }


def test_groups_pool_municipalities_into_one_recipient() -> None:
    # Made-up weights; the shape is Kreis Coesfeld's: one employer for four municipalities.
    weights = {"m1": 36, "m2": 11, "m3": 12, "m4": 46, "m5": 11}
    split = pass_on(4, weights, groups={"region": ["m1", "m2", "m3", "m5"]})
    assert list(split.allocation.keys) == ["region", "m4"]
    assert split.allocation.weights == (Decimal(70), Decimal(46))
    assert split.allocation.as_dict() == {"region": Decimal("2.5"), "m4": Decimal("1.5")}
    assert split.groups == (("region", ("m1", "m2", "m3", "m5")),)


def test_too_few_posts_for_every_minimum_names_the_way_out() -> None:
    with pytest.raises(AllocationError) as info:
        pass_on(1, {"a": 1, "b": 1, "c": 1})
    assert info.value.cause == "minimums-above-total"
    assert "groups" in str(info.value) and "kreis" in str(info.value)
    kept = pass_on(1, {"a": 1, "b": 1, "c": 1}, below_minimum="kreis")
    assert sum(kept.allocation.shares) == 1


def test_bad_groups_are_refused() -> None:
    with pytest.raises(InputError):
        pass_on(2, {"a": 1, "b": 1}, groups={"g": ["a", "x"]})
    with pytest.raises(InputError):
        pass_on(2, {"a": 1, "b": 1}, groups={"g": ["a"], "h": ["a", "b"]})
    with pytest.raises(InputError):
        pass_on(2, {"a": 1, KREIS: 1}, below_minimum="kreis")


@given(
    weights=st.lists(st.integers(1, 100_000), min_size=1, max_size=12),
    halves=st.integers(0, 40),
    method=st.sampled_from(list(Method)),
)
def test_every_share_passed_on_is_fundable(weights: list[int], halves: int, method: Method) -> None:
    keys = {f"m{i}": w for i, w in enumerate(weights)}
    total = Decimal(len(keys) + halves) * Decimal("0.5")
    for rule in BelowMinimum:
        split = pass_on(total, keys, method=method, below_minimum=rule)
        shares = split.allocation.shares
        assert sum(shares) == total
        # every recipient's share is zero or at least 0.5 FTE, in half steps
        assert all(s == 0 or s >= Decimal("0.5") for s in shares)
        assert all(s % Decimal("0.5") == 0 for s in shares)
        if rule is BelowMinimum.RAISE:
            assert all(s >= Decimal("0.5") for s in shares)
