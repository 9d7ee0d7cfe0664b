from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from kim.errors import InputError
from kim.periods import DateRange, YearShare, funding_year, months_filled, year_share

days = st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31))


@st.composite
def ranges(draw: st.DrawFn) -> DateRange:
    a, b = draw(days), draw(days)
    return DateRange(start=min(a, b), end=max(a, b))


def test_minden_luebbecke_start_in_april_2021_counts_nine_months() -> None:
    # Kreis Minden-Lübbecke: case management from April 2021
    # (https://www.minden-luebbecke.de/.../Implementierung-eines-Kommunalen-Integrationsmanagements...)
    share = year_share(DateRange(start=date(2021, 4, 1), end=date(2021, 12, 31)), 2021)
    assert share.months == 9
    assert str(share) == "9/12"


def test_partial_months_do_not_count() -> None:
    assert months_filled(DateRange(start=date(2021, 4, 2), end=date(2021, 12, 31)), 2021) == 8
    assert months_filled(DateRange(start=date(2021, 4, 1), end=date(2021, 12, 30)), 2021) == 8
    assert months_filled(DateRange(start=date(2024, 2, 1), end=date(2024, 2, 29)), 2024) == 1
    assert months_filled(DateRange(start=date(2023, 2, 1), end=date(2023, 2, 27)), 2023) == 0


def test_second_half_of_2020_is_six_months() -> None:
    # First case-management period 01.07.-31.12.2020 (Rhein-Kreis Neuss, to0050 23500)
    assert months_filled(DateRange(start=date(2020, 7, 1), end=date(2020, 12, 31)), 2020) == 6


def test_range_outside_the_year_counts_nothing() -> None:
    r = DateRange(start=date(2019, 1, 1), end=date(2019, 12, 31))
    assert months_filled(r, 2020) == 0


def test_bad_ranges_and_years_are_refused() -> None:
    with pytest.raises(InputError, match="must not end before it starts"):
        DateRange(start=date(2021, 5, 1), end=date(2021, 4, 30))
    with pytest.raises(InputError):
        funding_year(12)
    with pytest.raises(InputError):
        YearShare(months=13)


def test_range_helpers() -> None:
    r = DateRange.of(date(2020, 7, 1), date(2020, 12, 31))
    assert r.days == 184
    assert r.contains(date(2020, 7, 1)) and not r.contains(date(2021, 1, 1))
    assert r.intersection(funding_year(2021)) is None
    assert str(r.intersection(funding_year(2020))) == "2020-07-01..2020-12-31"


@given(st.integers(min_value=2000, max_value=2100))
def test_full_year_is_twelve_months(year: int) -> None:
    assert year_share(funding_year(year), year).is_full_year
    assert year_share(funding_year(year), year).fraction == 1


@given(ranges(), st.integers(min_value=2019, max_value=2027))
def test_share_is_never_above_one(r: DateRange, year: int) -> None:
    share = year_share(r, year)
    assert 0 <= share.fraction <= 1


@given(
    ranges(), st.integers(min_value=0, max_value=60), st.integers(min_value=2019, max_value=2027)
)
def test_monotone_in_the_filled_period(r: DateRange, extra: int, year: int) -> None:
    longer = DateRange(start=r.start - timedelta(days=extra), end=r.end + timedelta(days=extra))
    assert months_filled(longer, year) >= months_filled(r, year)


@given(
    st.integers(min_value=2019, max_value=2027),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=12),
)
def test_parts_split_at_a_month_boundary_sum_to_the_whole(year: int, a: int, b: int) -> None:
    first, last = min(a, b), max(a, b)
    start = date(year, first, 1)
    end = date(year, last, 1) + relativedelta(day=31)
    whole = months_filled(DateRange(start=start, end=end), year)
    assert whole == last - first + 1
    for split in range(first, last):
        boundary = date(year, split, 1) + relativedelta(day=31)
        left = months_filled(DateRange(start=start, end=boundary), year)
        right = months_filled(DateRange(start=boundary + timedelta(days=1), end=end), year)
        assert left + right == whole
