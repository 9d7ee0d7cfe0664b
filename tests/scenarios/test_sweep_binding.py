"""Sweeps bind the units' published grant totals exactly as the full statewide run does.

The sweep fits only the points of the figures (`fit_points`), once per scenario and
bound unit; the run builds the figures and calls `bind_published`. Random rates, with
cents, from nothing to far above the published totals, cover totals left alone,
scaled, in conflict with observed figures, and (without a Baustein 3 rate) totals that
cap because a covered part has no figure.
"""

from datetime import date
from decimal import Decimal

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kim.allocation.observed import observed_totals
from kim.funding.rates import RATE_PARAMETERS
from kim.parameters import embedded_parameters
from kim.scenarios import Scenario, run_statewide, sweep

YEARS = sorted({t.year for t in observed_totals() if t.what == "grant"})
RATES = sorted(set(RATE_PARAMETERS.values()))

Draw = dict[str, int]  # parameter -> rate in cents


def _scenario(i: int, year: int, rates: Draw) -> Scenario:
    params = embedded_parameters()
    return Scenario.model_validate(
        {
            "name": f"draw-{i}",
            "parameters": [
                {
                    "parameter": parameter,
                    "start": date(year, 1, 1),
                    "end": date(year, 12, 31),
                    "value": Decimal(cents).scaleb(-2),
                    "unit": params[parameter].unit.value,
                }
                for parameter, cents in rates.items()
            ],
        }
    )


def test_the_years_with_published_grant_totals_are_those_of_the_data() -> None:
    assert YEARS == [2021, 2022, 2023]
    qualifiers = {t.qualifier.value for t in observed_totals() if t.what == "grant"}
    assert qualifiers == {"exact", "about", "at_most"}


@given(
    year=st.sampled_from(YEARS),
    draws=st.lists(
        st.dictionaries(st.sampled_from(RATES), st.integers(0, 20_000_000), max_size=len(RATES)),
        min_size=1,
        max_size=3,
    ),
)
@example(year=2023, draws=[{"case_management_flat_rate": 6_000_000}])  # above 05978's total
@example(year=2021, draws=[{"case_management_flat_rate": 0, "coordination_flat_rate": 0}])
@example(
    year=2021,  # a Baustein 3 rate: the totals over all three components bind as published
    draws=[
        {"authorities_flat_rate_half_post": 2_500_000, "case_management_flat_rate": 12_000_000},
        {"authorities_flat_rate_half_post": 1},
    ],
)
@settings(max_examples=12, deadline=None)
def test_sweep_rows_equal_the_statewide_run_component_by_component(
    year: int, draws: list[Draw]
) -> None:
    scenarios = [_scenario(i, year, rates) for i, rates in enumerate(draws)]
    rows = sweep(scenarios, year=year, progress=False).rows
    for scenario, row in zip(scenarios, rows, strict=True):
        run = run_statewide(year, scenario)
        assert dict(row.totals) == dict(run.totals)
        assert row.total == run.total
