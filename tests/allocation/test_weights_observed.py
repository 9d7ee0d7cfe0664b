"""Population weights, CSV weights and the observed posts."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from kim.allocation import (
    apportion,
    base_plus_weight,
    calibrated_total,
    compare_with_observed,
    equal_weights,
    observed_posts,
    population_weights,
    rank_keys,
    read_weights,
    unit_weights,
)
from kim.components import Component
from kim.errors import AllocationError, DataFileError, InputError, UnknownNameError
from kim.parameters.model import Status
from kim.sources import embedded_sources
from kim.territory import embedded_territory


def test_population_counts_aachen_once() -> None:
    t = embedded_territory()
    w = population_weights()
    assert len(w) == 54
    assert w["05334002"] == t.district("05334002").population.value
    assert w["05334"] == t.district("05334").population.value - w["05334002"]
    assert sum(w.values()) == t.state_population()


def test_equal_weights() -> None:
    assert set(equal_weights().values()) == {1} and len(equal_weights()) == 54
    assert equal_weights(["a", "b"]) == {"a": 1, "b": 1}


def test_read_weights_and_resolve_names(tmp_path: Path) -> None:
    lines = ["key,weight,comment"]
    lines += [f"{d.name},{i + 1}," for i, d in enumerate(embedded_territory())]
    path = tmp_path / "w.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    weights = unit_weights(read_weights(path))
    assert next(iter(weights)) == "05111000" and weights["05111000"] == Decimal(1)
    assert sum(apportion(100, weights).shares) == 100


def test_read_weights_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="header"):
        read_weights(io.StringIO("a,b\n1,2\n"))
    with pytest.raises(DataFileError, match="duplicate"):
        read_weights(io.StringIO("key,weight\nKöln,1\nKöln,2\n"))
    with pytest.raises(DataFileError, match="line 2"):
        read_weights(io.StringIO("key,weight\nKöln,many\n"))
    with pytest.raises(DataFileError, match="cannot read"):
        read_weights(tmp_path / "absent.csv")
    blank = read_weights(io.StringIO("key,weight\nKöln,\n"))
    assert blank == {"Köln": None}
    with pytest.raises(AllocationError) as info:
        apportion(1, blank)
    assert info.value.cause == "missing-weight" and "Köln" in str(info.value)


def test_unit_weights_errors() -> None:
    with pytest.raises(AllocationError, match="No weight for 53"):
        unit_weights({"Köln": 1})
    with pytest.raises(AllocationError) as info:
        unit_weights({"Köln": 1, "05315000": 2})
    assert info.value.cause == "duplicate-unit"
    with pytest.raises(UnknownNameError):
        unit_weights({"Atlantis": 1})


def test_observed_rows_have_sources_and_statuses() -> None:
    rows = observed_posts()
    sources = embedded_sources()
    assert len(rows) >= 25
    assert {r.status for r in rows} <= {Status.CONFIRMED, Status.INFERRED}
    assert all(
        (s in sources and sources[s].url) or s == "mdl-pm-2021-03-12"
        for r in rows
        for s in r.sources
    )
    keys = {(r.unit, r.year, r.component) for r in rows}
    assert len(keys) == len(rows)


def test_published_figures() -> None:
    # Kreis Unna: 8 posts in 2021 (Kamen 141/2021), 18 in 2023 (Kamen, Vorlage 4501:
    # https://ratsportal.kamen.de/bi/vo0050.asp?__kvonr=4501)
    unna = {r.year: r.posts for r in observed_posts(component=2) if r.unit == "05978"}
    assert unna == {2021: 8, 2023: 18}
    # Kreis Minden-Lübbecke 2021: nine posts from one press release only -> inferred
    ml = observed_posts(year=2021, component=Component.CASE_MANAGEMENT)
    row = next(r for r in ml if r.unit == "05770")
    assert row.posts == 9 and row.status is Status.INFERRED
    assert all(
        r.unit != "05770" for r in observed_posts(year=2021, component=2, confirmed_only=True)
    )


def test_compare_with_observed_residuals_and_errors() -> None:
    pop = population_weights()
    allocation = base_plus_weight("378.5", pop, base=6, method="sainte-lague")
    c = compare_with_observed(allocation, year=2021, component=2, confirmed_only=True)
    # Heinsberg's six posts are confirmed by its 2021 payment (TO 11894), Duisburg's 14
    # by the dated press release of 05.08.2021.
    assert [r.unit for r in c.residuals] == [
        "05558",
        "05158",
        "05970",
        "05978",
        "05382",
        "05370",
        "05112000",
    ]
    residuals = [r.residual for r in c.residuals]
    assert residuals == [r.allocated - r.observed for r in c.residuals]
    n = Decimal(len(residuals))
    assert c.mae == (sum(abs(x) for x in residuals) / n).quantize(Decimal("0.0001"))
    assert c.bias == (sum(residuals, Decimal(0)) / n).quantize(Decimal("0.0001"))
    assert abs(c.rmse**2 - sum(x * x for x in residuals) / n) < Decimal("0.001")
    assert c.base == 6 and c.total == Decimal("378.5")


def test_calibrated_total_matches_the_observed_sum() -> None:
    pop = population_weights()
    rows = observed_posts(year=2021, component=2, confirmed_only=True)
    total = calibrated_total(pop, year=2021, component=2, confirmed_only=True)
    allocation = apportion(total, pop)
    exact = sum(allocation.quota(r.unit) for r in rows)
    # the total is rounded to half posts, so the observed units' quotas miss by < 0.25
    assert abs(exact - Fraction(sum(r.posts for r in rows))) < Fraction(1, 4)
    assert total % Decimal("0.5") == 0
    with pytest.raises(InputError):
        calibrated_total({"x": 1}, year=2021, component=2)


def test_a_base_plus_population_key_fits_2021_better_than_population_alone() -> None:
    pop = population_weights()
    keys = {}
    for base in (0, 6):
        total = calibrated_total(pop, year=2021, component=2, base=base, confirmed_only=True)
        keys[f"base {base}"] = base_plus_weight(total, pop, base=base, method="sainte-lague")
    ranked = rank_keys(keys, year=2021, component=2, confirmed_only=True)
    assert [c.label for c in ranked] == ["base 6", "base 0"]
    assert ranked[0].rmse < ranked[1].rmse


def test_no_observed_units_in_the_allocation() -> None:
    with pytest.raises(InputError, match="No observed posts"):
        compare_with_observed(apportion(1, {"x": 1}), year=2021, component=2)
