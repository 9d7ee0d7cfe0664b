"""Funding years, date ranges and the pro-rata share of a year.

**Funding year.** KIM money is granted per calendar year (the flat rates are "jeweils
jährliche" payments; the first case-management period ran 01.07.–31.12.2020). A funding
year is therefore the calendar year, 1 January to 31 December.

**The pro-rata convention (the one place it is written down).** The sources say that a
post filled for part of a year is funded pro rata, but give no rule for partial months.
This library counts **whole calendar months**: a month counts when the post is filled
on every day of it, so a post filled from 15 April counts from May. The share of the
year is ``whole months / 12``. Every rule that pro-rates uses
[`year_share()`][kim.periods.year_share], and nothing else. A caller who needs another convention
passes the number of months directly to [`YearShare`][kim.periods.YearShare].

Examples:
    >>> from datetime import date
    >>> from kim.periods import DateRange, year_share
    >>> str(year_share(DateRange(start=date(2021, 4, 1), end=date(2021, 12, 31)), 2021))
    '9/12'
    >>> year_share(DateRange(start=date(2021, 4, 15), end=date(2022, 6, 30)), 2021).months
    8

"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Self

from dateutil.relativedelta import relativedelta
from pydantic import Field, model_validator

from kim._check import expect
from kim._model import KimModel
from kim.errors import InputError

__all__ = ["DateRange", "YearShare", "funding_year", "months_filled", "year_share"]


class DateRange(KimModel):
    """A closed range of days, ``start`` to ``end``, both included.

    Examples:
        >>> from datetime import date
        >>> r = DateRange(start=date(2020, 7, 1), end=date(2020, 12, 31))
        >>> r.contains(date(2020, 12, 31)), r.days
        (True, 184)

    """

    start: date = Field(description="First day of the range (included).")
    end: date = Field(description="Last day of the range (included).")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise InputError(
                f"A date range must not end before it starts: got {self.start.isoformat()} "
                f"to {self.end.isoformat()}."
            )
        return self

    @classmethod
    def of(cls, start: date, end: date) -> DateRange:
        """Build a range from two dates (a shorter spelling of the constructor)."""
        return cls(start=start, end=end)

    @property
    def days(self) -> int:
        """The number of days in the range, both ends included."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        """Whether ``day`` lies in the range."""
        return self.start <= day <= self.end

    def overlaps(self, other: DateRange) -> bool:
        """Whether the two ranges share at least one day."""
        return self.start <= other.end and other.start <= self.end

    def intersection(self, other: DateRange) -> DateRange | None:
        """The days both ranges share, or ``None``."""
        if not self.overlaps(other):
            return None
        return DateRange(start=max(self.start, other.start), end=min(self.end, other.end))

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def funding_year(year: int) -> DateRange:
    """The funding year ``year``: 1 January to 31 December.

    Examples:
        >>> str(funding_year(2023))
        '2023-01-01..2023-12-31'

    """
    expect(year, int, "year")
    if not 1900 <= year <= 2200:
        raise InputError(f"year: {year} is out of range 1900..2200.")
    if not 1900 <= year <= 2200:
        raise InputError(f"Funding year {year} is out of range; expected 1900..2200.")
    return DateRange(start=date(year, 1, 1), end=date(year, 12, 31))


def months_filled(period: DateRange, year: int) -> int:
    """Count the whole calendar months of ``year`` on every day of which ``period`` runs.

    This is the library's single pro-rata convention (see the module notes).

    Examples:
        >>> from datetime import date
        >>> months_filled(DateRange(start=date(2023, 1, 1), end=date(2023, 12, 31)), 2023)
        12
        >>> months_filled(DateRange(start=date(2023, 3, 2), end=date(2023, 3, 31)), 2023)
        0

    """
    clipped = period.intersection(funding_year(year))
    if clipped is None:
        return 0
    start, end = clipped.start, clipped.end
    first = start if start.day == 1 else start + relativedelta(months=+1, day=1)
    last_day_of_end_month = end + relativedelta(day=31)
    last = end if end == last_day_of_end_month else end + relativedelta(day=1, days=-1)
    if last < first:
        return 0
    return (last.year - first.year) * 12 + last.month - first.month + 1


class YearShare(KimModel):
    """The share of a funding year for which a post is filled: ``months / 12``.

    Examples:
        >>> YearShare(months=9).fraction
        Fraction(3, 4)

    """

    months: int = Field(ge=0, le=12, description="Whole calendar months filled (0 to 12).")

    @property
    def fraction(self) -> Fraction:
        """The exact share of the year as a fraction."""
        return Fraction(self.months, 12)

    @property
    def is_full_year(self) -> bool:
        """Whether all twelve months are filled."""
        return self.months == 12

    def __str__(self) -> str:
        return f"{self.months}/12"


def year_share(period: DateRange, year: int) -> YearShare:
    """The pro-rata share of ``year`` covered by ``period`` (whole months / 12)."""
    return YearShare(months=months_filled(period, year))
