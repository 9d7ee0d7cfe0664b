"""The batch engine equals the Decimal rules of grant(), line by line and in total."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kim.components import Component, EmployerKind, PostKind
from kim.errors import InputError, MissingValueError
from kim.funding import (
    FTE_SCALE,
    KINDS,
    NO_COST,
    RATE_PARAMETERS,
    WORKPLACE_PARAMETER,
    LineKind,
    Post,
    PostBatch,
    StaffingPlan,
    fte_scaled,
    grant,
    kind_index,
    kind_rates,
    line_amount,
    line_cents,
    price,
)
from kim.funding.batch import Engine
from kim.funding.batch_units import line_cents_int
from kim.money import Euro
from kim.parameters import ParameterSet, embedded_parameters
from kim.periods import DateRange
from kim.territory import embedded_territory

UNITS = [d.key for d in embedded_territory().districts()]
YEARS = [2020, 2021, 2022, 2023, 2024, 2025]
# FTE with up to six decimals, from tiny (refused by the minimum share) to the model's bound.
ftes = st.integers(min_value=1, max_value=1000 * FTE_SCALE).map(
    lambda n: Decimal(n) / FTE_SCALE
) | st.decimals(min_value=Decimal("0.01"), max_value=Decimal("40"), places=2)
costs = st.none() | st.integers(min_value=0, max_value=10**11).map(lambda c: Euro(c) / 100)


def rated(year: int, cents: dict[str, int]) -> ParameterSet:
    params = embedded_parameters()
    for parameter, value in cents.items():
        params = params.with_value(
            parameter, date(year, 1, 1), date(year, 12, 31), Decimal(value) / 100
        )
    return params


@st.composite
def posts(draw: st.DrawFn, year: int) -> Post:
    first = draw(st.integers(min_value=1, max_value=12))
    last = draw(st.integers(min_value=first, max_value=12))
    end = (
        date(year, 12, 31)
        if last == 12
        else date.fromordinal(date(year, last + 1, 1).toordinal() - 1)
    )
    start_day = draw(st.sampled_from([1, 2, 15]))
    employer = draw(st.sampled_from(list(EmployerKind)))
    forwarded = employer is not EmployerKind.RECIPIENT
    workplace = draw(st.booleans())
    return Post(
        needs_new_workplace=workplace,
        workplace_cost=draw(costs) if workplace else None,
        kind=draw(st.sampled_from(list(PostKind))),
        fte=draw(ftes),
        filled=None
        if draw(st.booleans())
        else DateRange(start=date(year, first, start_day), end=end),
        employer=employer,
        final_recipient="Kamen" if forwarded else None,
        actual_cost=draw(costs),
    )


@st.composite
def batches(draw: st.DrawFn, max_rate: int = 10**7) -> tuple[list[StaffingPlan], ParameterSet]:
    year = draw(st.sampled_from(YEARS))
    rates = {
        p: draw(st.integers(min_value=0, max_value=max_rate))
        for p in {*RATE_PARAMETERS.values(), WORKPLACE_PARAMETER}
    }
    plans = [
        StaffingPlan(
            recipient=draw(st.sampled_from(UNITS)),
            year=year,
            posts=tuple(draw(st.lists(posts(year), min_size=0, max_size=5))),
            measures=draw(costs),
        )
        for _ in range(draw(st.integers(min_value=1, max_value=4)))
    ]
    return plans, rated(year, rates)


def assert_equal_to_grants(
    plans: list[StaffingPlan], params: ParameterSet, engine: Engine = "auto"
) -> None:
    batch = PostBatch.from_plans(plans)
    rates = kind_rates(batch.year, params)
    result = price(batch, rates, parameters=params, engine=engine)
    totals = price(batch, rates, parameters=params, lines=False, engine=engine)
    assert result.amount is not None and result.full is not None
    assert result.capped is not None and result.refused is not None
    assert result.notified is not None and result.workplace is not None
    assert totals.amount is None
    i = 0
    notified_total = 0
    for p, plan in enumerate(plans):
        g = grant(plan, parameters=params)
        for line in g.lines:
            if line.kind is LineKind.WORKPLACE:
                assert result.workplace[0, i - 1] == line.amount.cents
                notified_total += line.notified.cents
                continue
            if line.kind is LineKind.MEASURES:
                assert result.measures[p] == line.amount.cents
                notified_total += line.notified.cents
                continue
            assert line.units is not None and line.rate is not None
            assert result.full[0, i] == line.full_amount.cents
            assert result.amount[0, i] == line.amount.cents
            assert result.capped[0, i] == line.capped
            assert result.refused[0, i] == (line.refused is not None)
            notified = line_amount(Euro(line.rate.value), line.units, 12, None)[0]
            assert result.notified[0, i] == (0 if line.refused else notified.cents)
            notified_total += int(result.notified[0, i])
            i += 1
        by_component = {c.component: c.amount.cents for c in g.components}
        for c in Component:
            assert result.unit_totals[0, p, c.value - 1] == by_component.get(c, 0)
            assert totals.unit_totals[0, p, c.value - 1] == by_component.get(c, 0)
    assert i == batch.lines
    total = sum(grant(plan, parameters=params).total.cents for plan in plans)
    assert int(result.total[0]) == int(totals.total[0]) == total
    assert int(result.notified_total[0]) == notified_total


@given(batches())
@settings(max_examples=200, deadline=None)
def test_batch_equals_grant_line_by_line_and_in_total(
    case: tuple[list[StaffingPlan], ParameterSet],
) -> None:
    assert_equal_to_grants(*case)


@given(batches(), st.sampled_from(["python", "numpy"]))
@settings(max_examples=150, deadline=None)
def test_both_engines_equal_grant_workplaces_and_measures_included(
    case: tuple[list[StaffingPlan], ParameterSet], engine: Engine
) -> None:
    assert_equal_to_grants(*case, engine=engine)


@given(batches(max_rate=10**15))
@settings(max_examples=100, deadline=None)
def test_huge_values_are_exact_or_refused_never_wrapped(
    case: tuple[list[StaffingPlan], ParameterSet],
) -> None:
    plans, params = case
    batch = PostBatch.from_plans(plans)
    rates = kind_rates(batch.year, params)
    factor = np.array([2 if "half" in RATE_PARAMETERS[k] else 1 for k in KINDS])
    # The documented bound: largest rate x largest units x 12 months (the notice) + half
    # a denominator must fit in int64, and so must the largest line x the number of lines.
    top_rate = max((int(rates[k]) for k in batch.kind), default=0)
    top_units = max(
        (int(f) * int(factor[k]) for k, f in zip(batch.kind, batch.fte, strict=True)), default=0
    )
    product = top_rate * top_units * 12 + 6 * FTE_SCALE
    top_line = top_rate * top_units * 12 // (12 * FTE_SCALE) + 1
    limit = 2**63 - 1
    # Workplaces and measures add to the sums: at most rate x FTE per line, and the asked.
    extra = sum(max(int(m), 0) for m in batch.measures) if batch.measures is not None else 0
    workplace = 0
    if batch.workplace is not None:
        wp_rate = Euro(params.value(WORKPLACE_PARAMETER, date(batch.year, 6, 1)).value).cents
        workplace = wp_rate * int(batch.fte.max())
        extra += (workplace // FTE_SCALE + 1) * batch.lines
    try:
        assert_equal_to_grants(plans, params)
    except InputError as error:
        assert "int64" in str(error)
        assert product > limit or top_line * batch.lines + extra > limit or workplace > limit
    else:
        assert product <= limit


@given(
    rate=st.integers(0, 10**9),
    units=st.integers(0, 50 * 10**6),
    months=st.integers(0, 12),
    cost=st.one_of(st.just(NO_COST), st.integers(0, 10**10)),
)
def test_one_line_on_python_integers_equals_the_columns_and_the_decimal_rule(
    rate: int, units: int, months: int, cost: int
) -> None:
    # The statewide run prices with line_cents_int, sweeps with line_cents on columns,
    # grant() with line_amount on Decimals: three implementations, one rule.
    one = line_cents_int(rate, units, months, cost)
    _, amount, _ = line_cents(*(np.array([v]) for v in (rate, units, months, cost)))
    decimal = line_amount(
        Euro(Decimal(rate).scaleb(-2)),
        Decimal(units).scaleb(-6),
        months,
        None if cost == NO_COST else Euro(Decimal(cost).scaleb(-2)),
    )[1]
    assert one == int(amount[0]) == decimal.cents


def test_a_product_beyond_int64_is_refused_not_wrapped() -> None:
    with pytest.raises(InputError, match="int64"):
        line_cents(
            np.array([2**40]), np.array([2**20 * FTE_SCALE]), np.array([12]), np.array([NO_COST])
        )
    rates = np.full(len(KINDS), 2**40, dtype=np.int64)
    batch = PostBatch(
        units=("x",), year=2023, unit=np.array([0]), kind=np.array([0]), fte=fte_scaled([1000])
    )
    with pytest.raises(InputError, match="int64"):
        price(batch, rates)


def test_bad_columns_are_refused_with_the_shape_expected() -> None:
    with pytest.raises(InputError, match="months must be from 0 to 12"):
        PostBatch(
            units=("x",),
            year=2023,
            unit=np.array([0]),
            kind=np.array([0]),
            fte=np.array([1]),
            months=np.array([13]),
        )
    with pytest.raises(InputError, match="must hold integers"):
        PostBatch(
            units=("x",), year=2023, unit=np.array([0]), kind=np.array([0]), fte=np.array([0.5])
        )
    with pytest.raises(InputError, match="more than six decimals"):
        fte_scaled(["0.1234567"])
    with pytest.raises(InputError, match=r"expected \(2,\)"):
        PostBatch(
            units=("x",),
            year=2023,
            unit=np.array([0, 0]),
            kind=np.array([0, 0]),
            fte=np.array([1, 2, 3]),
        )
    with pytest.raises(InputError, match=r"workplace has shape"):
        PostBatch(
            units=("x",),
            year=2023,
            unit=np.array([0]),
            kind=np.array([0]),
            fte=np.array([1]),
            workplace=np.array([True, False]),
        )


def test_an_unknown_rate_is_missing_only_when_a_line_needs_it() -> None:
    batch = PostBatch(
        units=("x",),
        year=2023,
        unit=np.array([0]),
        kind=np.array([kind_index("ABH")]),
        fte=fte_scaled([1]),
    )
    with pytest.raises(MissingValueError, match="authorities_flat_rate_half_post"):
        price(batch, kind_rates(2023))
    fine = PostBatch(
        units=("x",),
        year=2023,
        unit=np.array([0]),
        kind=np.array([kind_index("case-management")]),
        fte=fte_scaled([1]),
    )
    assert price(fine, kind_rates(2023)).total.tolist() == [5_700_000]


def test_scenarios_vary_rates_fte_months_and_costs_at_once() -> None:
    # Kreis Coesfeld 2023: 12 case managers at 57,000 EUR (RL 2024 rate), one row per scenario.
    batch = PostBatch(
        units=("05558",),
        year=2023,
        unit=np.array([0, 0]),
        kind=np.array([kind_index("case-management")] * 2),
        fte=np.array([[6 * FTE_SCALE] * 2, [6 * FTE_SCALE, 3 * FTE_SCALE]]),
        months=np.array([[12, 12], [12, 6]]),
        cost=np.array([[NO_COST, NO_COST], [NO_COST, 50_000_00]]),
    )
    rates = np.array([kind_rates(2023), kind_rates(2023) + 100_000])
    result = price(batch, rates)
    assert result.total.tolist() == [684_000_00, 6 * 58_000_00 + 50_000_00]
    scenario = rated(2023, {"case_management_flat_rate": 58_000_00})
    plan = StaffingPlan(
        recipient="05558",
        year=2023,
        posts=(
            Post(kind=PostKind.CASE_MANAGEMENT, fte=6),
            Post(
                kind=PostKind.CASE_MANAGEMENT,
                fte=3,
                filled=DateRange(start=date(2023, 7, 1), end=date(2023, 12, 31)),
                actual_cost=Euro(50_000),
            ),
        ),
    )
    assert grant(plan, parameters=scenario).total.cents == result.total[1]


def test_ten_thousand_synthetic_units_through_the_public_api() -> None:
    rng = np.random.default_rng(7)
    n = 10_000
    unit = np.repeat(np.arange(n), 4)
    kind = np.tile(
        [
            kind_index(k)
            for k in ("coordination", "verwaltungsassistenz", "case-management", "case-management")
        ],
        n,
    )
    fte = rng.integers(1, 40, size=4 * n) * (FTE_SCALE // 4)
    cost = np.where(rng.random(4 * n) < 0.5, NO_COST, rng.integers(0, 10**8, size=4 * n))
    batch = PostBatch(
        units=tuple(f"synthetic-{i}" for i in range(n)),
        year=2023,
        unit=unit,
        kind=kind,
        fte=fte,
        cost=cost,
    )
    rates = kind_rates(2023)
    totals = price(batch, rates, lines=False)
    result = price(batch, rates)
    assert totals.unit_totals.shape == (1, n, 3)
    assert (totals.unit_totals == result.unit_totals).all()
    assert result.amount is not None and result.refused is not None
    # Lines below 0.5 FTE are refused; every other line follows the Decimal rule.
    assert (result.refused[0] == (fte < FTE_SCALE // 2)).all()
    for i in rng.integers(0, 4 * n, size=200):
        units = (
            Decimal(int(fte[i]))
            / FTE_SCALE
            * (2 if KINDS[kind[i]] is PostKind.ADMIN_ASSISTANCE else 1)
        )
        c = None if cost[i] == NO_COST else Euro(int(cost[i])) / 100
        expected = line_amount(Euro(int(rates[kind[i]])) / 100, units, 12, c)[1]
        assert result.amount[0, i] == (0 if fte[i] < FTE_SCALE // 2 else expected.cents)
    frame = totals.to_frame()
    assert len(frame) == n and int(frame["total"].sum()) == int(totals.total[0])
