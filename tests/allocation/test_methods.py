"""Laws every apportionment method must obey, checked with hypothesis, and fixed examples."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from math import ceil, floor
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from kim.allocation import Method, apportion, apportion_money, base_plus_weight
from kim.allocation._core import divisor
from kim.errors import AllocationError, InputError, KimError
from kim.money import Euro

from .reference import divisor_sequential, hare_unbounded

METHODS = list(Method)
DIVISORS = [Method.DHONDT, Method.SAINTE_LAGUE, Method.HUNTINGTON_HILL]
STEP = Decimal("0.5")


@dataclass(frozen=True)
class Problem:
    """A feasible apportionment problem in half steps."""

    weights: dict[str, Decimal]
    total: Decimal
    minimum: dict[str, Decimal] | None
    cap: dict[str, Decimal] | None

    def mins(self) -> dict[str, Decimal]:
        return self.minimum or {}

    def caps(self) -> dict[str, Decimal]:
        return self.cap or {}


@st.composite
def problems(draw: st.DrawFn, bounded: bool = True) -> Problem:
    """A feasible problem: weights, a total in half steps, maybe minimums and caps."""
    n = draw(st.integers(1, 8))
    weights = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    if not any(weights):
        weights[draw(st.integers(0, n - 1))] = draw(st.integers(1, 60))
    keys = [f"u{i}" for i in range(n)]
    mins = [0] * n
    caps: list[int | None] = [None] * n
    if bounded and draw(st.booleans()):
        mins = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    if bounded and draw(st.booleans()):
        caps = [m + draw(st.integers(0, 12)) for m in mins]
    lo = sum(mins)
    if any(c is None and w for w, c in zip(weights, caps, strict=True)):
        hi = lo + 60
    else:
        hi = sum((c or 0) if w else m for w, m, c in zip(weights, mins, caps, strict=True))
    assume(hi >= lo)
    seats = draw(st.integers(lo, hi))
    return Problem(
        weights={k: Decimal(w) for k, w in zip(keys, weights, strict=True)},
        total=seats * STEP,
        minimum={k: m * STEP for k, m in zip(keys, mins, strict=True)} if any(mins) else None,
        cap=(
            {k: c * STEP for k, c in zip(keys, caps, strict=True) if c is not None}
            if any(c is not None for c in caps)
            else None
        ),
    )


def run(p: Problem, method: Method) -> dict[str, Decimal]:
    return apportion(
        p.total, p.weights, method=method, step=STEP, minimum=p.minimum, cap=p.cap
    ).as_dict()


@pytest.mark.parametrize("method", METHODS)
@given(p=problems())
def test_total_bounds_and_steps(method: Method, p: Problem) -> None:
    shares = run(p, method)
    assert sum(shares.values()) == p.total
    for key, share in shares.items():
        assert share % STEP == 0
        assert share >= p.mins().get(key, 0)
        if key in p.caps():
            assert share <= p.caps()[key]


@pytest.mark.parametrize("method", METHODS)
@given(p=problems(), data=st.data())
def test_the_order_of_the_units_does_not_matter(
    method: Method, p: Problem, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(list(p.weights)))
    again = run(replace(p, weights={k: p.weights[k] for k in shuffled}), method)
    assert again == run(p, method)


@pytest.mark.parametrize("method", METHODS)
@given(p=problems())
def test_relabelling_relabels_the_result_only(method: Method, p: Problem) -> None:
    # An order-preserving renaming, so that the key tie-break sees the same order.
    def new(k: str) -> str:
        return "unit-" + k

    def rename(m: dict[str, Decimal] | None) -> dict[str, Decimal] | None:
        return None if m is None else {new(k): v for k, v in m.items()}

    renamed = Problem(rename(p.weights) or {}, p.total, rename(p.minimum), rename(p.cap))
    assert run(renamed, method) == {new(k): v for k, v in run(p, method).items()}


@pytest.mark.parametrize("method", METHODS)
@given(p=problems(), factor=st.sampled_from([2, 3, 7, Decimal("0.001"), Decimal("12.5")]))
def test_scaling_all_weights_changes_nothing(
    method: Method, p: Problem, factor: int | Decimal
) -> None:
    scaled = replace(p, weights={k: w * factor for k, w in p.weights.items()})
    assert run(scaled, method) == run(p, method)


@given(p=problems(bounded=False))
def test_largest_remainder_stays_within_floor_and_ceiling_of_the_quota(p: Problem) -> None:
    result = apportion(p.total, p.weights, step=STEP)
    for key, share in result.as_dict().items():
        quota = Fraction(p.total) * Fraction(p.weights[key]) / Fraction(sum(p.weights.values()))
        assert result.quota(key) == quota
        steps = quota / Fraction(STEP)
        assert floor(steps) * STEP <= share <= ceil(steps) * STEP


@given(p=problems())
def test_largest_remainder_with_bounds_stays_near_the_bounded_quota(p: Problem) -> None:
    result = apportion(p.total, p.weights, minimum=p.minimum, cap=p.cap)
    assert sum(result.quotas) == Fraction(result.total)
    for key, q, share in zip(result.keys, result.quotas, result.shares, strict=True):
        assert p.mins().get(key, 0) <= q <= p.caps().get(key, q)
        steps = q / Fraction(STEP)
        assert floor(steps) * STEP <= share <= ceil(steps) * STEP


def _ints(p: Problem) -> tuple[list[str], list[int], int, list[int], list[int | None]]:
    keys = list(p.weights)
    weights = [int(p.weights[k]) for k in keys]
    mins = [int(p.mins().get(k, 0) / STEP) for k in keys]
    caps = [int(p.caps()[k] / STEP) if k in p.caps() else None for k in keys]
    return keys, weights, int(p.total / STEP), mins, caps


@given(p=problems(bounded=False))
def test_largest_remainder_matches_the_textbook_definition(p: Problem) -> None:
    keys, weights, seats, _, _ = _ints(p)
    got = run(p, Method.LARGEST_REMAINDER)
    assert [int(got[k] / STEP) for k in keys] == hare_unbounded(weights, seats, keys)


@pytest.mark.parametrize("method", DIVISORS)
@given(p=problems())
def test_divisor_methods_match_one_seat_at_a_time(method: Method, p: Problem) -> None:
    keys, weights, seats, mins, caps = _ints(p)
    expected = divisor_sequential(method.value, weights, seats, mins, caps, keys)
    got = run(p, method)
    assert [int(got[k] / STEP) for k in keys] == expected


@pytest.mark.parametrize("kind", ["dhondt", "sainte-lague", "huntington-hill"])
@given(
    weights=st.lists(st.integers(0, 10**6), min_size=1, max_size=40).filter(any),
    seats=st.integers(0, 400),
)
def test_divisor_jump_start_is_exact_on_large_inputs(
    kind: str, weights: list[int], seats: int
) -> None:
    n = len(weights)
    keys = [f"k{i:02d}" for i in range(n)]
    rank = list(range(n))
    got = divisor(kind, weights, seats, [0] * n, [None] * n, rank)
    assert got == divisor_sequential(kind, weights, seats, [0] * n, [None] * n, keys)


@pytest.mark.parametrize("method", DIVISORS)
@given(p=problems())
def test_divisor_methods_are_house_monotone(method: Method, p: Problem) -> None:
    if p.cap is not None:
        room = sum(p.caps().get(k, p.total + 1) if w else 0 for k, w in p.weights.items())
        assume(p.total + STEP <= room)
    before = run(p, method)
    after = run(replace(p, total=p.total + STEP), method)
    assert all(after[k] >= before[k] for k in before)


@pytest.mark.parametrize("method", DIVISORS)
@given(p=problems(), data=st.data())
def test_divisor_methods_never_take_from_a_unit_whose_weight_grows(
    method: Method, p: Problem, data: st.DataObject
) -> None:
    key = data.draw(st.sampled_from(list(p.weights)))
    grown = {**p.weights, key: p.weights[key] + data.draw(st.integers(1, 100))}
    assert run(replace(p, weights=grown), method)[key] >= run(p, method)[key]


@pytest.mark.parametrize("method", METHODS)
@given(p=problems(bounded=False), base=st.integers(0, 4))
def test_base_plus_weight_gives_every_unit_its_base(method: Method, p: Problem, base: int) -> None:
    total = p.total + base * len(p.weights)
    result = base_plus_weight(total, p.weights, base=base, method=method)
    assert sum(result.shares) == total
    assert all(s >= base for s in result.shares)
    assert sum(result.quotas) == Fraction(total)
    rest = apportion(total - base * len(p.weights), p.weights, method=method).as_dict()
    assert result.as_dict() == {k: v + base for k, v in rest.items()}


def test_alabama_paradox_of_largest_remainder() -> None:
    """A larger total takes a post away: the Alabama paradox (Hare-Niemeyer, 1880 US census).

    Three units with weights 6, 6 and 2 share 10 posts as 4, 4, 2 (quotas 4.29, 4.29,
    1.43: the small unit has the largest remainder). With 11 posts the quotas are 4.71,
    4.71, 1.57: the two large units now have the larger remainders and take both spare
    posts, and the small unit falls to 1. Divisor methods cannot do this.
    """
    weights = {"A": 6, "B": 6, "C": 2}
    ten = apportion(10, weights, step=1).as_dict()
    eleven = apportion(11, weights, step=1).as_dict()
    assert ten == {"A": 4, "B": 4, "C": 2}
    assert eleven == {"A": 5, "B": 5, "C": 1}
    for method in DIVISORS:
        small = [apportion(t, weights, step=1, method=method).share("C") for t in (10, 11)]
        assert small[1] >= small[0]


def test_methods_differ_as_the_textbooks_say() -> None:
    weights = {"big": 53, "mid": 24, "small": 23}
    got = {m: apportion(7, weights, step=1, method=m).as_dict() for m in METHODS}
    assert got[Method.DHONDT] == {"big": 4, "mid": 2, "small": 1}
    assert got[Method.SAINTE_LAGUE] == {"big": 3, "mid": 2, "small": 2}
    assert got[Method.LARGEST_REMAINDER] == {"big": 4, "mid": 2, "small": 1}
    assert got[Method.HUNTINGTON_HILL] == {"big": 3, "mid": 2, "small": 2}


def test_huntington_hill_gives_every_weighted_unit_a_first_step() -> None:
    shares = apportion(3, {"a": 1000, "b": 1, "c": 1}, step=1, method="huntington-hill")
    assert shares.as_dict() == {"a": 1, "b": 1, "c": 1}


def test_money_in_cents() -> None:
    a = apportion_money(Euro("1026000"), {"x": 1, "y": 2})
    assert a.euros() == {"x": Euro("342000.00"), "y": Euro("684000.00")}
    assert a.step == Decimal("0.01")


def test_result_keeps_inputs_and_exact_quotas() -> None:
    a = apportion(5, {"A": 3, "B": 2, "C": 1}, minimum=1, cap=2, method="sainte-lague")
    assert a.weights == (Decimal(3), Decimal(2), Decimal(1))
    assert a.minimums == (Decimal(1),) * 3 and a.caps == (Decimal(2),) * 3
    assert a.quotas == (Fraction(2), Fraction(2), Fraction(1))
    rows = list(a.rows())
    assert rows[0].key == "A" and rows[0].share == Decimal("2.0")
    # the result validates like any model (and refuses an inconsistent copy)
    assert type(a).model_validate(a.model_dump()) == a
    with pytest.raises(InputError):
        type(a).model_validate({**a.model_dump(), "total": Decimal(6)})


@pytest.mark.parametrize(
    ("kwargs", "cause"),
    [
        ({"total": 3, "weights": {"a": 1, "b": 1}, "minimum": 2}, "minimums-above-total"),
        ({"total": 3, "weights": {"a": 0, "b": 0}}, "all-weights-zero"),
        ({"total": 3, "weights": {"a": -1, "b": 2}}, "negative-weight"),
        ({"total": 3, "weights": {"a": None, "b": 2}}, "missing-weight"),
        ({"total": 3, "weights": {"a": "", "b": 2}}, "missing-weight"),
        ({"total": Decimal("3.2"), "weights": {"a": 1}}, "not-a-multiple-of-step"),
        ({"total": 3, "weights": {"a": 1, "b": 1}, "minimum": 2, "cap": 1}, "cap-below-minimum"),
        ({"total": 3, "weights": {"a": 1, "b": 1}, "cap": 1}, "caps-below-total"),
        ({"total": 3, "weights": {"a": 1, "b": 0}, "cap": {"a": 2}}, "caps-below-total"),
        ({"total": 3, "weights": {}}, "no-units"),
        ({"total": -1, "weights": {"a": 1}}, "negative-total"),
        ({"total": 1, "weights": {"a": 1}, "step": 0}, "bad-step"),
    ],
)
def test_infeasible_input_names_the_cause(kwargs: dict[str, object], cause: str) -> None:
    call: Any = apportion
    with pytest.raises(AllocationError) as info:
        call(**kwargs)
    assert info.value.cause == cause
    assert isinstance(info.value, InputError | KimError)
    assert str(info.value)


def test_base_above_total_is_refused() -> None:
    with pytest.raises(AllocationError) as info:
        base_plus_weight(10, {"a": 1, "b": 1, "c": 1}, base=4)
    assert info.value.cause == "base-above-total" and "12" in str(info.value)


def test_unknown_method_and_unit() -> None:
    with pytest.raises(InputError, match="Unknown method"):
        apportion(1, {"a": 1}, method="borda")
    with pytest.raises(KimError, match="Unknown unit"):
        apportion(1, {"a": 1}).share("b")
    assert Method.parse("Hare-Niemeyer") is Method.LARGEST_REMAINDER
    assert Method.parse("D'Hondt") is Method.DHONDT


def test_ties_go_to_the_larger_weight_then_to_the_first_key() -> None:
    # remainders 0.5 and 0.5: the larger weight wins the spare step
    assert apportion(2, {"A": 1, "B": 3}, step=1).as_dict() == {"A": 0, "B": 2}
    # D'Hondt: A's second seat (2/2) ties with B's first (1/1); A is larger
    assert apportion(2, {"A": 2, "B": 1}, step=1, method="dhondt").as_dict() == {"A": 2, "B": 0}
    # equal weights: the key that sorts first wins, whatever the order given
    for method in METHODS:
        assert apportion(1, {"b": 1, "a": 1}, step=1, method=method).as_dict() == {"b": 0, "a": 1}
