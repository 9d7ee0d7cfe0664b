"""The statewide report is honest: observed first, estimates with intervals, totals that
say what they are (issue 12)."""

import json
import math
import re
from decimal import Decimal

import pytest

from kim.allocation import observed_posts, observed_totals
from kim.cli import main
from kim.components import Component
from kim.estimates import fit_staffing_model, staffing_model
from kim.money import Euro
from kim.parameters.model import Status
from kim.scenarios import FigureStatus, StaffingBasis, StatewideRun, run_statewide
from kim.scenarios.estimates import plan_staffing

YEARS = range(2020, 2026)
RUNS = {year: run_statewide(year) for year in YEARS}


def unit(run: StatewideRun, key: str):  # type: ignore[no-untyped-def]
    return next(u for u in run.units if u.key == key)


def test_figure_status_speaks_the_words_of_status() -> None:
    words = [s.value for s in FigureStatus]
    assert [w for w in words if w not in ("estimated", "missing")] == [s.value for s in Status]
    assert FigureStatus.of(Status.DERIVED) is FigureStatus.DERIVED


@pytest.mark.parametrize("total", observed_totals(), ids=lambda t: f"{t.unit}-{t.year}-{t.what}")
def test_every_published_total_agrees_with_the_report(total) -> None:  # type: ignore[no-untyped-def]
    u = unit(RUNS[total.year], total.unit)
    assert u.agrees_with(total), (u.figure_for(total.components, total.what), u.note)


def test_koeln_2023_equals_the_grant_the_city_published() -> None:
    # Köln's budget paper expects 1,118,100 € of grants for 2023
    # (https://ratsinformation.stadt-koeln.de/to0050.asp?__ktonr=363111); the population
    # share once put the city at about 2.6 times that.
    koeln = unit(RUNS[2023], "05315000")
    assert koeln.total == Euro("1118100")
    assert koeln.note is not None and "published total" in koeln.note
    assert [t.value for t in koeln.published] == [Decimal("1118100")]


def test_gelsenkirchen_2022_posts_add_up_to_its_18_posts() -> None:
    # 18 KIM posts in 2022 (https://gelsenkirchen.de/de/_meta/aktuelles/artikel/52921-...),
    # twelve of them case managers.
    plan = plan_staffing(2022)["05513000"]
    assert sum(e.fte for e in plan.values()) == 18
    assert plan[Component.CASE_MANAGEMENT].basis is StaffingBasis.OBSERVED


def test_the_model_beats_the_population_share_out_of_sample() -> None:
    model = staffing_model(Component.CASE_MANAGEMENT)
    assert model.loo.rows == len(observed_posts(component=2))
    assert model.loo.mae < model.baseline.mae
    assert model.loo.rmse < model.baseline.rmse
    assert model.residual_low <= 0 <= model.residual_high


def test_about_80_percent_of_the_left_out_rows_fall_in_their_interval() -> None:
    model = staffing_model(Component.CASE_MANAGEMENT)
    inside = sum(
        model.residual_low <= float(r.observed - r.model) <= model.residual_high for r in model.rows
    )
    assert 0.6 <= inside / len(model.rows) <= 1


def test_too_few_rows_are_refused() -> None:
    with pytest.raises(Exception, match="too few"):
        fit_staffing_model(2, [("05558", 2021, Decimal(6))])


@pytest.mark.parametrize("year", YEARS)
def test_no_estimated_figure_without_its_interval(year: int) -> None:
    run = RUNS[year]
    for u in run.units:
        for f in u.components.values():
            if f.basis is StaffingBasis.ESTIMATED:
                assert f.fte_low is not None and f.fte_high is not None
                assert f.fte_low <= f.fte <= f.fte_high
                if f.grant is not None:
                    assert f.grant_low is not None and f.grant_high is not None
                    assert f.grant_low <= f.grant <= f.grant_high
    for row in run.rows():
        for c in Component:
            if row[f"b{c.value}_basis"] == "estimated" and row[f"b{c.value}_grant"] is not None:
                assert row[f"b{c.value}_grant_low"] and row[f"b{c.value}_grant_high"]
    frame = run.to_frame()
    for c in Component:
        b = f"b{c.value}"
        estimated = frame[(frame[f"{b}_basis"] == "estimated") & frame[f"{b}_grant"].notna()]
        assert estimated[[f"{b}_grant_low", f"{b}_grant_high"]].notna().all().all()
        assert frame[f"{b}_grant"].dtype == float
    data = json.loads(run.to_json())
    for u in data["units"]:
        for f in u["components"].values():
            if f["basis"] == "estimated" and f["grant"] is not None:
                assert f["grant_low"] is not None and f["grant_high"] is not None


def test_the_table_shows_every_estimate_with_its_interval(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "--year", "2023", "--wide"]) == 0
    out = capsys.readouterr().out
    lines = [ln for ln in out.splitlines() if ln.startswith("05")]
    assert len(lines) == 54
    run = RUNS[2023]
    estimated = sum(f.estimated for u in run.units for f in u.components.values())
    assert sum(len(re.findall(r"(?<!\()~[\d,.]+ \[", ln)) for ln in lines) == estimated
    assert sum(ln.count("[") for ln in lines) >= estimated
    assert "B3: missing (54 of 54 figures)" in out
    assert "0.00" not in out.split("Totals:")[1].split("\n")[3]


def test_a_component_with_no_figure_is_missing_not_zero() -> None:
    b3 = RUNS[2023].breakdown[Component.AUTHORITIES]
    assert b3.missing == b3.figures == 54
    assert b3.describe() == "missing (54 of 54 figures)"


def test_the_budget_check_refuses_a_verdict_while_figures_are_missing() -> None:
    note = RUNS[2022].budget_note
    assert "within" not in note.replace("within the budget cannot", "")
    assert "cannot be said" in note and re.search(r"explain \d+ %", note)


def test_the_default_table_fits_80_columns_and_marks_every_estimate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["report", "--year", "2023"]) == 0
    out = capsys.readouterr().out
    assert max(len(ln) for ln in out.splitlines()) <= 80
    run = RUNS[2023]
    for u in run.units:
        row = next(ln for ln in out.splitlines() if ln.startswith(u.name[:23]))
        if any(f.estimated for f in u.components.values()):
            # an estimated total carries "~" and its interval (or "open" above)
            assert "~" in row and "-" in row, row


def test_years_without_rates_say_what_to_supply(capsys: pytest.CaptureFixture[str]) -> None:
    run = RUNS[2024]
    assert "case_management_flat_rate" in run.to_supply
    rhein_sieg = unit(run, "05382").components[Component.CASE_MANAGEMENT]
    assert rhein_sieg.grant is None and rhein_sieg.fte == 17  # observed posts still shown
    assert main(["report", "--year", "2024", "--wide"]) == 0
    out = capsys.readouterr().out
    assert "missing (17 posts)" in out and "No value for 2024" in out


def test_html_is_compact_and_marks_estimates() -> None:
    html = RUNS[2023]._repr_html_()
    assert len(html) < 25_000
    assert "≈" in html and "missing" in html
    assert len(repr(RUNS[2023])) < 300


def test_the_plot_hatches_estimates_and_marks_missing_figures() -> None:
    pytest.importorskip("matplotlib")
    from kim.plots import funding_by_unit

    ax = funding_by_unit(RUNS[2023]).axes[0]
    hatched = [p for p in ax.patches if p.get_hatch() == "///" and p.get_width() > 0]
    assert len(hatched) == sum(
        f.estimated and f.grant is not None and f.grant.amount > 0
        for u in RUNS[2023].units
        for f in u.components.values()
    )
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("80 %" in t for t in legend) and any("missing" in t for t in legend)
    german = funding_by_unit(RUNS[2023], lang="de").axes[0]
    assert german.get_xlabel() == "Mio. €"
    with pytest.raises(Exception, match="lang"):
        funding_by_unit(RUNS[2023], lang="fr")


def test_frame_money_columns_are_numeric() -> None:
    frame = RUNS[2023].to_frame()
    assert math.isclose(frame.loc["05558", "b2_grant"], 684000.0)
    assert math.isnan(frame.loc["05558", "b3_grant"])
