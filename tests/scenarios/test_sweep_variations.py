"""Sweeps that vary months filled and actual costs equal grant() on the real units."""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal

import pytest

from kim.allocation.observed import observed_totals
from kim.components import Component, PostKind
from kim.eligibility import Outcome
from kim.errors import InputError
from kim.funding import Post, StaffingPlan, grant
from kim.money import Euro
from kim.parameters import embedded_parameters
from kim.periods import DateRange
from kim.scenarios import Scenario, grid, sweep
from kim.scenarios.engine import prepare

YEAR = 2023
B2 = Component.CASE_MANAGEMENT


def _unbound_units() -> list[tuple[str, dict[PostKind, Decimal]]]:
    """Units with case-management staffing and no published grant total in 2023."""
    out = []
    for plan in prepare(YEAR, None, embedded_parameters()):
        staffing = {k: v for k, v in plan.staffing[B2].staffing.items() if v > 0}
        published = any(t.what == "grant" for t in observed_totals(year=YEAR, unit=plan.unit.key))
        if staffing and not published and plan.eligibility[B2] is Outcome.ELIGIBLE:
            out.append((plan.unit.key, staffing))
    return out


def test_months_and_costs_of_real_units_change_the_totals_as_grant_does() -> None:
    units = _unbound_units()[:3]
    assert len(units) == 3
    scenarios = grid("case_management_flat_rate", [Decimal("57000"), Decimal("61000")], year=YEAR)
    base = sweep(scenarios, year=YEAR, progress=False)
    months = [{units[0][0]: 6, units[1][0]: 3}, {units[0][0]: 9}]
    costs: list[Mapping[str, Mapping[PostKind | str, Decimal | int | str]] | None] = [
        {units[2][0]: {k: 150000 for k in units[2][1]}},
        None,
    ]
    varied = sweep(scenarios, year=YEAR, progress=False, months=months, costs=costs)
    for s, rate in enumerate((Decimal("57000"), Decimal("61000"))):
        params = embedded_parameters().with_value(
            "case_management_flat_rate", date(YEAR, 1, 1), date(YEAR, 12, 31), rate
        )
        expected = base.rows[s].totals[B2]
        for key, staffing in units:
            filled = months[s].get(key, 12)
            cost = (costs[s] or {}).get(key, {})
            assert all(isinstance(k, PostKind) for k in cost)
            posts = tuple(
                Post(
                    kind=k,
                    fte=v,
                    filled=DateRange(
                        start=date(YEAR, 1, 1), end=date(YEAR, filled + 1, 1) - timedelta(1)
                    )
                    if filled < 12
                    else None,
                    actual_cost=Euro(cost[k]) if k in cost else None,
                )
                for k, v in staffing.items()
            )
            fte: dict[PostKind | str, Decimal | int | str | float] = {}
            fte.update(staffing.items())
            whole = grant(StaffingPlan.from_fte(key, YEAR, fte), parameters=params)
            part = grant(StaffingPlan(recipient=key, year=YEAR, posts=posts), parameters=params)
            expected += part.total - whole.total
        assert varied.rows[s].totals[B2] == expected
        assert varied.rows[s].totals[B2] != base.rows[s].totals[B2]


def test_whole_year_months_change_nothing() -> None:
    scenarios = grid("coordination_flat_rate", [Decimal("55000")], year=YEAR)
    base = sweep(scenarios, year=YEAR, progress=False)
    same = sweep(scenarios, year=YEAR, progress=False, months=[12])
    assert same.rows == base.rows


def test_months_and_costs_are_checked() -> None:
    scenarios = grid("coordination_flat_rate", [Decimal("55000")], year=YEAR)
    with pytest.raises(InputError, match="1 scenarios"):
        sweep(scenarios, year=YEAR, progress=False, months=[6, 6])
    with pytest.raises(InputError, match="0 to 12"):
        sweep(scenarios, year=YEAR, progress=False, months=[13])
    staffed = Scenario(name="staffed", staffing={"05558": {"case_management": Decimal(3)}})
    with pytest.raises(InputError, match="months and costs can be varied only"):
        sweep([staffed], year=YEAR, progress=False, months=[6])
