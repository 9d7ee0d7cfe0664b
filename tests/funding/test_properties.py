"""Laws the funding rules must always keep (hypothesis)."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from kim.components import EmployerKind, PostKind
from kim.funding import LineKind, Post, StaffingPlan, grant
from kim.money import Euro
from kim.periods import DateRange

# Years and kinds whose rates are known in the embedded data.
KNOWN = {
    2020: [PostKind.AUSLAENDERBEHOERDE, PostKind.EINBUERGERUNGSBEHOERDE],
    2021: [PostKind.CASE_MANAGEMENT, PostKind.COORDINATION],
    2022: [PostKind.CASE_MANAGEMENT, PostKind.COORDINATION],
    2023: [
        PostKind.CASE_MANAGEMENT,
        PostKind.COORDINATION,
        PostKind.ADMIN_ASSISTANCE,
    ],
}
UNITS = ["05558", "05978", "05370", "05111000", "05334", "05334002", "05770"]

ftes = st.decimals(min_value=Decimal("0.05"), max_value=Decimal("40"), places=2)
costs = st.none() | st.integers(min_value=0, max_value=3_000_000).map(lambda c: Euro(c) / 100)


@st.composite
def posts(draw: st.DrawFn, year: int) -> Post:
    kind = draw(st.sampled_from(KNOWN[year]))
    first = draw(st.integers(min_value=1, max_value=12))
    last = draw(st.integers(min_value=first, max_value=12))
    end = date(year, 12, 31) if last == 12 else date(year, last + 1, 1).replace(day=1)
    end = date.fromordinal(end.toordinal() - 1) if last < 12 else end
    employer = draw(st.sampled_from(list(EmployerKind)))
    forwarded = employer is not EmployerKind.RECIPIENT
    return Post(
        kind=kind,
        fte=draw(ftes),
        filled=DateRange(start=date(year, first, 1), end=end),
        employer=employer,
        final_recipient=draw(st.sampled_from(["Kamen", "DRK", "Bönen"])) if forwarded else None,
        actual_cost=draw(costs),
        needs_new_workplace=year == 2023 and draw(st.booleans()),
    )


@st.composite
def plans(draw: st.DrawFn) -> StaffingPlan:
    year = draw(st.sampled_from(sorted(KNOWN)))
    return StaffingPlan(
        recipient=draw(st.sampled_from(UNITS)),
        year=year,
        posts=tuple(draw(st.lists(posts(year), min_size=0, max_size=6))),
        measures=draw(st.none() | st.integers(0, 100_000).map(Euro)),
    )


@given(plans())
@settings(max_examples=150, deadline=None)
def test_lines_sum_exactly_to_the_totals(plan: StaffingPlan) -> None:
    g = grant(plan)
    assert sum((line.amount for line in g.lines), Euro(0)) == g.total
    assert sum((c.amount for c in g.components), Euro(0)) == g.total
    for c in g.components:
        assert c.amount == sum((x.amount for x in g.lines if x.component == c.component), Euro(0))
    forwarded = sum((x.amount for x in g.lines if x.final_recipient is not None), Euro(0))
    assert sum((p.amount for p in g.passed_on), Euro(0)) == forwarded
    with_cost = [x for x in g.lines if x.actual_cost is not None]
    if with_cost:
        assert g.own_share == sum((x.actual_cost - x.amount for x in with_cost), Euro(0))  # type: ignore[operator]


@given(plans())
@settings(max_examples=150, deadline=None)
def test_never_more_than_flat_rate_times_fte_nor_actual_cost(plan: StaffingPlan) -> None:
    g = grant(plan)
    for line in g.lines:
        assert line.amount >= Euro(0)
        if line.kind is LineKind.MEASURES:
            continue
        if line.rate is not None and line.units is not None:
            assert line.amount <= Euro(line.rate.value * line.units)
            assert line.amount <= line.full_amount
        if line.actual_cost is not None:
            assert line.amount <= line.actual_cost
            assert line.own_share is not None and line.own_share >= Euro(0)


@given(plans())
@settings(max_examples=100, deadline=None)
def test_the_explanation_reproduces_the_total(plan: StaffingPlan) -> None:
    g = grant(plan)
    e = g.explain()
    results = e.recompute()
    assert results["total"] == g.total.amount
    assert e.result_value == g.total.amount
    if g.own_share is not None:
        assert results["own-share"] == g.own_share.amount


single_kinds = st.sampled_from(
    [(2023, k) for k in KNOWN[2023]] + [(2021, PostKind.CASE_MANAGEMENT)]
)


def one_post_grant(
    year: int, kind: PostKind, fte: Decimal, first_month: int, cost: Euro | None
) -> Euro:
    post = Post(
        kind=kind,
        fte=fte,
        filled=DateRange(start=date(year, first_month, 1), end=date(year, 12, 31)),
        actual_cost=cost,
    )
    return grant(StaffingPlan(recipient="05558", year=year, posts=(post,))).total


@given(single_kinds, ftes, ftes, st.integers(1, 12), costs)
@settings(max_examples=150, deadline=None)
def test_more_fte_never_gives_less(
    case: tuple[int, PostKind], a: Decimal, b: Decimal, month: int, cost: Euro | None
) -> None:
    year, kind = case
    low, high = sorted((a, b))
    assert one_post_grant(year, kind, low, month, cost) <= one_post_grant(
        year, kind, high, month, cost
    )


@given(single_kinds, ftes, st.integers(1, 12), st.integers(1, 12), costs)
@settings(max_examples=150, deadline=None)
def test_more_months_never_give_less(
    case: tuple[int, PostKind], fte: Decimal, m1: int, m2: int, cost: Euro | None
) -> None:
    year, kind = case
    later, earlier = max(m1, m2), min(m1, m2)  # an earlier start means more months filled
    assert one_post_grant(year, kind, fte, later, cost) <= one_post_grant(
        year, kind, fte, earlier, cost
    )


@given(single_kinds, ftes)
@settings(max_examples=100, deadline=None)
def test_twelve_months_is_the_full_year_amount(case: tuple[int, PostKind], fte: Decimal) -> None:
    year, kind = case
    explicit = one_post_grant(year, kind, fte, 1, None)
    default = grant(StaffingPlan(recipient="05558", year=year, posts=(Post(kind=kind, fte=fte),)))
    assert explicit == default.total
    line = default.lines[0]
    assert line.months == 12
    if line.refused is None:
        assert line.rate is not None and line.units is not None
        assert default.total == Euro(line.rate.value) * Fraction(line.units)
