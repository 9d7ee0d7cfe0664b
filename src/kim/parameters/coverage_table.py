"""What the library knows, per parameter and year: confirmed, derived, inferred or missing."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from pydantic import Field

from kim._model import FrozenMap, KimModel
from kim.parameters.model import ParameterSet, Status

__all__ = ["Coverage", "CoverageRow", "CoverageStatus", "coverage"]


class CoverageStatus(StrEnum):
    """The state of knowledge of one parameter in one year."""

    CONFIRMED = "confirmed"
    """Every day of the year has a value, and all are confirmed."""
    DERIVED = "derived"
    """Every day has a value; the weakest is derived."""
    INFERRED = "inferred"
    """Every day has a value; the weakest is inferred."""
    SUPPLIED = "supplied"
    """Every day has a value; the weakest was supplied by the caller."""
    PARTIAL = "partial"
    """Some days of the year have a value, others none."""
    MISSING = "missing"
    """No day of the year has a value."""


class CoverageRow(KimModel):
    """The coverage of one parameter over the years asked for."""

    parameter: str = Field(description="The parameter id.")
    name: str = Field(description="The parameter's English name.")
    years: FrozenMap[int, CoverageStatus] = Field(description="Status per year.")


class Coverage(KimModel):
    """Coverage of a parameter set: one row per parameter."""

    years: tuple[int, ...] = Field(description="The years covered, in order.")
    rows: tuple[CoverageRow, ...] = Field(description="One row per parameter.")

    def count(self, year: int, status: CoverageStatus) -> int:
        """How many parameters have ``status`` in ``year``."""
        return sum(1 for row in self.rows if row.years[year] is status)


def _year_status(values_days: int, year_days: int, weakest: Status | None) -> CoverageStatus:
    if values_days == 0 or weakest is None:
        return CoverageStatus.MISSING
    if values_days < year_days:
        return CoverageStatus.PARTIAL
    return CoverageStatus(weakest.value)


def coverage(
    parameters: ParameterSet | None = None, years: Iterable[int] | None = None
) -> Coverage:
    """For each parameter and year, how well the sources cover it.

    Args:
        parameters: the set to inspect; the embedded set by default.
        years: the years to report; 2020 (the programme's start) to 2025 by default.

    Examples:
        >>> cov = coverage(years=[2020, 2023])
        >>> row = next(r for r in cov.rows if r.parameter == "case_management_flat_rate")
        >>> row.years[2020].value, row.years[2023].value
        ('missing', 'confirmed')

    """
    if parameters is None:
        from kim.parameters.loader import embedded_parameters

        parameters = embedded_parameters()
    year_list = tuple(sorted(set(years if years is not None else range(2020, 2026))))
    rows = []
    for parameter in parameters.values():
        cells: dict[int, CoverageStatus] = {}
        for year in year_list:
            first, last = date(year, 1, 1), date(year, 12, 31)
            year_days = (last - first).days + 1
            covered = 0
            statuses = []
            for value in parameter.overlapping(first, last):
                end = parameter.effective_end(value) or last
                days = (min(end, last) - max(value.start, first)).days + 1
                covered += days
                statuses.append(value.status)
            cells[year] = _year_status(covered, year_days, Status.weakest(statuses))
        rows.append(CoverageRow(parameter=parameter.id, name=parameter.name.en, years=cells))
    return Coverage(years=year_list, rows=tuple(rows))
