import json
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kim.cli import main
from kim.components import Component, PostKind
from kim.eligibility import Outcome
from kim.money import Euro
from kim.scenarios import (
    FigureStatus,
    Scenario,
    StaffingBasis,
    StatewideRun,
    compare_runs,
    default_year,
    grid,
    random_scenarios,
    run_statewide,
    save_scenario,
    sweep,
)

RUN_2023 = run_statewide(2023)


def unit(run: StatewideRun, key: str):  # type: ignore[no-untyped-def]
    return next(u for u in run.units if u.key == key)


def test_default_year_is_the_latest_with_a_confirmed_rate() -> None:
    assert default_year() == 2023
    assert run_statewide().year == 2023


def test_observed_posts_are_used_and_priced_with_the_published_rate() -> None:
    # Kreis Coesfeld 2023: 12 case-management posts at 57,000 € (SV-10-0898,
    # https://www.kreis-coesfeld.de/sessionnet/sessionnetbi/vo0050.php?__kvonr=5924)
    coesfeld = unit(RUN_2023, "05558").components[Component.CASE_MANAGEMENT]
    assert coesfeld.basis is StaffingBasis.OBSERVED
    assert coesfeld.grant == Euro("684000")
    assert coesfeld.status is FigureStatus.CONFIRMED
    # Kreis Unna 2023: 18 posts, 1,026,000 € (https://ratsportal.kamen.de/bi/vo0050.asp?__kvonr=4501)
    unna = unit(RUN_2023, "05978").components[Component.CASE_MANAGEMENT]
    assert unna.grant == Euro("1026000")


def test_units_without_observations_are_estimated_and_marked() -> None:
    essen = unit(RUN_2023, "05113000").components[Component.CASE_MANAGEMENT]
    assert essen.basis is StaffingBasis.ESTIMATED
    assert essen.status is FigureStatus.ESTIMATED
    assert essen.grant is not None and essen.grant > Euro(0)
    # The coordination quota of a city (2.5 + 0.5, inferred) prices to 165,000 € in 2023.
    b1 = unit(RUN_2023, "05113000").components[Component.COORDINATION]
    assert b1.staffing == {
        PostKind.COORDINATION: Decimal("2.5"),
        PostKind.ADMIN_ASSISTANCE: Decimal("0.5"),
    }
    assert b1.grant == Euro("165000")


def test_unknown_rates_give_missing_figures_not_guesses() -> None:
    for u in RUN_2023.units:
        b3 = u.components[Component.AUTHORITIES]
        assert b3.grant is None and b3.status is FigureStatus.MISSING
    assert RUN_2023.coverage[FigureStatus.MISSING] >= 54
    assert RUN_2023.totals[Component.AUTHORITIES] == Euro(0)


def test_totals_add_up_and_every_unit_is_eligible() -> None:
    for c in Component:
        known = [g for u in RUN_2023.units if (g := u.components[c].grant) is not None]
        assert sum(known, Euro(0)) == RUN_2023.totals[c]
    assert RUN_2023.total == sum(RUN_2023.totals.values(), Euro(0))
    assert all(
        f.eligibility is Outcome.ELIGIBLE for u in RUN_2023.units for f in u.components.values()
    )
    assert sum(RUN_2023.coverage.values()) == 54 * 3


def test_budget_check_when_the_budget_is_known() -> None:
    run = run_statewide(2022)
    assert run.budget == Euro("75000000")
    assert "within the budget" in run.budget_note or "above the budget" in run.budget_note
    assert run_statewide(2023).budget is None


def test_components_before_their_start_are_not_funded() -> None:
    run = run_statewide(2020)
    b1 = unit(run, "05558").components[Component.COORDINATION]
    assert b1.eligibility is Outcome.ELIGIBLE  # on 31.12.2020, after the guideline
    early = run_statewide(2019)
    assert all(u.components[Component.CASE_MANAGEMENT].grant == Euro(0) for u in early.units)


def test_scenario_values_are_marked_supplied_and_fill_a_missing_year() -> None:
    scenario = Scenario.model_validate(
        {
            "name": "rates-2024",
            "parameters": [
                {
                    "parameter": "case_management_flat_rate",
                    "start": "2024-01-01",
                    "end": "2024-12-31",
                    "value": "59000",
                    "unit": "EUR",
                },
                {
                    "parameter": "coordination_flat_rate",
                    "start": "2024-01-01",
                    "end": "2024-12-31",
                    "value": "59000",
                    "unit": "EUR",
                },
                {
                    "parameter": "admin_assistance_flat_rate_half_post",
                    "start": "2024-01-01",
                    "end": "2024-12-31",
                    "value": "23500",
                    "unit": "EUR",
                },
            ],
        }
    )
    run = run_statewide(2024, scenario)
    assert run.scenario == "rates-2024"
    b2 = [u.components[Component.CASE_MANAGEMENT] for u in run.units]
    assert all(f.status is FigureStatus.SUPPLIED for f in b2)
    assert run.coverage[FigureStatus.SUPPLIED] >= 54
    with pytest.raises(Exception, match="No known value"):
        from kim.parameters import embedded_parameters

        embedded_parameters().value("case_management_flat_rate", date(2024, 1, 1))


def test_scenario_staffing_overrides_observations() -> None:
    scenario = Scenario.model_validate(
        {"name": "coesfeld-20", "staffing": {"Kreis Coesfeld": {"case_management": "20"}}}
    )
    run = run_statewide(2023, scenario)
    f = unit(run, "05558").components[Component.CASE_MANAGEMENT]
    assert f.basis is StaffingBasis.SCENARIO and f.grant == Euro(20 * 57000)
    diff = compare_runs(RUN_2023, run)
    row = next(r for r in diff.rows if r["key"] == "05558")
    assert Decimal(row["difference"]) == 8 * 57000
    assert diff.total_difference == Euro(8 * 57000)


def test_allocation_choice_changes_estimates_only() -> None:
    scenario = Scenario.model_validate(
        {"name": "equal-base", "allocation": {"method": "dhondt", "base": "6"}}
    )
    run = run_statewide(2023, scenario)
    assert unit(run, "05558").components[Component.CASE_MANAGEMENT].grant == Euro("684000")
    assert (
        unit(run, "05113000").components[Component.CASE_MANAGEMENT].grant
        != unit(RUN_2023, "05113000").components[Component.CASE_MANAGEMENT].grant
    )


def test_exports_round_trip() -> None:
    again = StatewideRun.model_validate_json(RUN_2023.to_json())
    assert again.total == RUN_2023.total and len(again.units) == 54
    lines = RUN_2023.to_csv().splitlines()
    assert len(lines) == 55 and lines[0].startswith("key,name,type,b1_fte")
    frame = RUN_2023.to_frame()
    assert frame.loc["05558", "b2_grant"] == 684000.0


def test_sweep_grid_matches_single_runs() -> None:
    values = [Decimal("55000"), Decimal("57000"), Decimal("60000")]
    result = sweep(grid("case_management_flat_rate", values, year=2023), year=2023, progress=False)
    assert [r.scenario for r in result.rows] == [f"case_management_flat_rate={v}" for v in values]
    middle = result.rows[1]
    assert middle.totals == RUN_2023.totals  # re-pricing reproduces the full run
    for scenario, row in zip(
        grid("case_management_flat_rate", values, year=2023), result.rows, strict=True
    ):
        assert run_statewide(2023, scenario).total == row.total


def test_sweep_on_an_executor_gives_the_same_rows() -> None:
    scenarios = random_scenarios(
        12, {"case_management_flat_rate": (50000, 65000)}, year=2023, seed=7
    )
    sequential = sweep(scenarios, year=2023, progress=False)
    with ThreadPoolExecutor(max_workers=2) as pool:
        parallel = sweep(scenarios, year=2023, executor=pool, chunk_size=5, progress=False)
    assert parallel.rows == sequential.rows
    assert parallel.executor == "ThreadPoolExecutor"
    assert random_scenarios(3, {"kim_budget": (1, 9)}, year=2023, seed=1) == random_scenarios(
        3, {"kim_budget": (1, 9)}, year=2023, seed=1
    )


def test_full_runs_in_a_sweep_for_staffing_scenarios() -> None:
    s = Scenario.model_validate({"name": "s", "staffing": {"05558": {"case_management": "1"}}})
    row = sweep([s], year=2023, progress=False).rows[0]
    assert row.totals[Component.CASE_MANAGEMENT] == RUN_2023.totals[
        Component.CASE_MANAGEMENT
    ] - Euro(11 * 57000)


def test_report_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("KIM statewide run 2023") and "Coverage: 162 figures" in out
    scenario = Scenario.model_validate(
        {
            "name": "x",
            "parameters": [
                {
                    "parameter": "kim_budget",
                    "start": "2023-01-01",
                    "end": "2023-12-31",
                    "value": "75000000",
                    "unit": "EUR",
                }
            ],
        }
    )
    path = tmp_path / "s.yaml"
    save_scenario(scenario, path)
    png = tmp_path / "plot.png"
    assert main(["report", "--scenario", str(path), "--format", "json", "--plot", str(png)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"] == "x" and data["budget"] == "75000000.00"
    assert png.stat().st_size > 10_000
    assert main(["report", "--scenario", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_plots_return_figures() -> None:
    from kim.plots import funding_by_unit, rate_timeline, run_difference

    assert len(funding_by_unit(RUN_2023).axes) == 1
    assert rate_timeline("case_management_flat_rate").axes[0].get_title().startswith("Flat rate")
    other = run_statewide(
        2023,
        Scenario.model_validate({"name": "s", "staffing": {"05558": {"case_management": "1"}}}),
    )
    assert run_difference(compare_runs(RUN_2023, other)).axes[0].get_xlabel().startswith("diff")


@pytest.mark.parametrize("year", [2020, 2022, 2023, 2025])
def test_batch_priced_sweep_rows_equal_full_runs_in_every_field(year: int) -> None:
    ranges = {
        "case_management_flat_rate": (50000, 65000),
        "authorities_flat_rate_half_post": (20000, 30000),
        "kim_budget": (10**8, 2 * 10**8),
    }
    scenarios = random_scenarios(6, ranges, year=year, seed=year)
    fast = sweep([Scenario(name="baseline"), *scenarios], year=year, progress=False)
    for scenario, row in zip([Scenario(name="baseline"), *scenarios], fast.rows, strict=True):
        run = run_statewide(year, scenario)
        assert (row.totals, row.total, row.budget) == (run.totals, run.total, run.budget)
        assert row.missing == run.coverage[FigureStatus.MISSING]
        assert row.supplied == run.coverage[FigureStatus.SUPPLIED]
