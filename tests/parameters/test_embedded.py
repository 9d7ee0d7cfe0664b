from datetime import date
from decimal import Decimal

import pytest

from kim.errors import MissingValueError, UnknownNameError
from kim.parameters import (
    PARAMETER_FILES,
    CoverageStatus,
    Status,
    coverage,
    embedded_parameters,
)
from kim.sources import embedded_sources


def test_every_value_names_sources_that_exist() -> None:
    sources = embedded_sources()
    for parameter in embedded_parameters().values():
        for value in parameter.values:
            assert value.sources, (parameter.id, value.start)
            for source in value.sources:
                assert source in sources, (parameter.id, value.start, source)


def test_every_parameter_is_named_in_german_and_english() -> None:
    for parameter in embedded_parameters().values():
        assert parameter.name.de and parameter.name.en
        assert parameter.description.de and parameter.description.en


def test_published_rates() -> None:
    params = embedded_parameters()
    cm = params.value("case_management_flat_rate", date(2023, 7, 1))
    assert cm.value == Decimal("57000") and cm.status is Status.CONFIRMED
    assert params.value("case_management_flat_rate", date(2022, 1, 1)).value == 55000
    assert params.value("case_management_flat_rate", date(2021, 12, 31)).value == 55000
    va = params.value("admin_assistance_flat_rate_half_post", date(2023, 1, 1))
    assert va.value == Decimal("22500")
    b3 = params.value("authorities_flat_rate_half_post", date(2020, 4, 21))
    assert b3.value == 25000 and b3.status is Status.DERIVED
    assert params.value("minimum_post_share", date(2023, 5, 1)).value == Decimal("0.5")
    assert params.value("tintg_infrastructure_base", date(2030, 1, 1)).value == 130_000_000


def test_budget_series() -> None:
    params = embedded_parameters()
    budget = {y: params["kim_budget"].find(date(y, 6, 1)) for y in range(2020, 2026)}
    assert budget[2020] is not None and budget[2020].value == 25_000_000
    assert budget[2021] is not None and budget[2021].value == 50_000_000
    assert budget[2022] is not None and budget[2022].value == 75_000_000
    assert budget[2023] is None and budget[2024] is None
    assert budget[2025] is not None and budget[2025].qualifier.value == "at_least"


def test_derived_b3_rate_matches_its_arithmetic() -> None:
    params = embedded_parameters()
    on = date(2020, 6, 1)
    total = params.value("authorities_budget", on).value
    half_posts = params.value("authorities_half_posts_total", on).value
    assert total / half_posts == params.value("authorities_flat_rate_half_post", on).value


def test_missing_year_raises_with_nearest_dates() -> None:
    with pytest.raises(MissingValueError) as info:
        embedded_parameters().value("case_management_flat_rate", date(2024, 3, 1))
    error = info.value
    assert error.parameter == "case_management_flat_rate"
    assert error.on == date(2024, 3, 1)
    assert error.before == date(2023, 12, 31)
    assert error.after is None
    assert "2024-03-01" in str(error) and "2023-12-31" in str(error)


def test_gap_between_values_names_both_sides() -> None:
    with pytest.raises(MissingValueError) as info:
        embedded_parameters().value("kim_budget", date(2023, 6, 1))
    assert info.value.before == date(2022, 12, 31)
    assert info.value.after == date(2025, 1, 1)


def test_date_before_first_value() -> None:
    with pytest.raises(MissingValueError) as info:
        embedded_parameters().value("case_management_flat_rate", date(2020, 9, 1))
    assert info.value.before is None and info.value.after == date(2021, 1, 1)


def test_unknown_parameter_suggests_closest_ids() -> None:
    with pytest.raises(UnknownNameError) as info:
        embedded_parameters().value("case_management_rate", date(2023, 1, 1))
    assert info.value.suggestions[0] == "case_management_flat_rate"
    assert "Did you mean" in str(info.value)


def test_with_value_supplies_without_changing_the_embedded_set() -> None:
    base = embedded_parameters()
    s = base.with_value("case_management_flat_rate", date(2024, 1, 1), date(2024, 12, 31), 59000)
    assert s.value("case_management_flat_rate", date(2024, 2, 1)).status is Status.SUPPLIED
    assert s.value("case_management_flat_rate", date(2023, 2, 1)).value == 57000
    with pytest.raises(MissingValueError):
        base.value("case_management_flat_rate", date(2024, 2, 1))


def test_with_value_cuts_an_overlapping_value() -> None:
    base = embedded_parameters()
    s = base.with_value("minimum_post_share", date(2024, 1, 1), date(2024, 12, 31), "0.25")
    p = s["minimum_post_share"]
    assert p.at(date(2023, 12, 31)).value == Decimal("0.5")
    assert p.at(date(2024, 6, 1)).value == Decimal("0.25")
    assert p.at(date(2025, 1, 1)).value == Decimal("0.5")  # the open value resumes after


def test_coverage_per_year() -> None:
    cov = coverage(years=[2020, 2021, 2023, 2024])
    rows = {r.parameter: r.years for r in cov.rows}
    assert rows["case_management_flat_rate"][2020] is CoverageStatus.MISSING
    assert rows["case_management_flat_rate"][2023] is CoverageStatus.CONFIRMED
    assert rows["authorities_flat_rate_half_post"][2020] is CoverageStatus.DERIVED
    assert rows["admin_assistance_flat_rate_half_post"][2023] is CoverageStatus.INFERRED
    assert rows["tintg_infrastructure_base"][2021] is CoverageStatus.MISSING
    assert cov.count(2024, CoverageStatus.MISSING) >= 3


def test_partial_year_coverage() -> None:
    s = embedded_parameters().with_value(
        "case_management_flat_rate", date(2024, 7, 1), date(2024, 12, 31), 1
    )
    row = next(r for r in coverage(s, [2024]).rows if r.parameter == "case_management_flat_rate")
    assert row.years[2024] is CoverageStatus.PARTIAL


def test_one_file_per_component_plus_programme() -> None:
    components = {p.component for p in embedded_parameters().values()}
    assert {"coordination", "case_management", "authorities", None} == components
    assert len(PARAMETER_FILES) == 4
