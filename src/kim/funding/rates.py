"""Flat rates and the arithmetic of one post line: which rate, for which period, how much.

* [`rate_for()`][kim.funding.rates.rate_for] reads a yearly flat rate strictly: the value in
  force on 1 January must hold until 31 December.
* [`notice_period()`][kim.funding.rates.notice_period] is the period a notice
  (Bewilligung) covers: the calendar year, for case management in 2020 01.07.–31.12.
* [`line_amount()`][kim.funding.rates.line_amount] is the money of one post line: the flat
  rate pro rata, rounded once to the cent, capped at the actual cost.

[`kim.funding.rules`][kim.funding.rules] assembles grants from these; the names are
importable from there as well.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from kim.components import POST_KINDS, Component, PostKind
from kim.errors import InputError
from kim.money import Euro
from kim.parameters.model import ParameterSet, ParameterValue
from kim.periods import DateRange, funding_year

__all__ = [
    "MEASURES_PARAMETER",
    "RATE_PARAMETERS",
    "WORKPLACE_PARAMETER",
    "line_amount",
    "notice_period",
    "rate_for",
]

RATE_PARAMETERS: Mapping[PostKind, str] = MappingProxyType(
    {kind: entry.rate_parameter for kind, entry in POST_KINDS.items()}
)
"""The parameter that holds the flat rate of each kind of post (from the registry)."""

WORKPLACE_PARAMETER = "workplace_setup"
"""The parameter for setting up a workplace (per FTE and year, at most)."""

MEASURES_PARAMETER = "coordination_measures_budget"
"""A parameter holding a recipient's own cap for events and measures (scoped to it)."""


def notice_period(component: Component, year: int) -> DateRange | None:
    """The notice period (Bewilligungszeitraum) of a component within ``year``.

    The calendar year; case management began on 01.07.2020, so its 2020 notice covered
    01.07.–31.12.2020 (``coesfeld-sv-9-1769``). ``None`` before that.

    Examples:
        >>> str(notice_period(Component.CASE_MANAGEMENT, 2020))
        '2020-07-01..2020-12-31'
        >>> notice_period(Component.CASE_MANAGEMENT, 2021).start
        datetime.date(2021, 1, 1)

    """
    whole = funding_year(year)
    if component is not Component.CASE_MANAGEMENT:
        return whole
    start = max(whole.start, component.start.start)
    if start > whole.end:
        return None
    return DateRange(start=start, end=whole.end)


def rate_for(parameter: str, year: int, parameters: ParameterSet) -> ParameterValue:
    """The value of ``parameter`` for the funding year ``year``, strictly.

    The value in force on 1 January must still be in force on 31 December: a yearly
    flat rate cannot change within the year.

    Raises:
        MissingValueError: no value on 1 January or on 31 December (unchanged from the
            parameter set).
        InputError: the value changes within the year.

    Examples:
        >>> from kim.parameters import embedded_parameters
        >>> rate_for("case_management_flat_rate", 2022, embedded_parameters()).value
        Decimal('55000')

    """
    first = parameters.value(parameter, date(year, 1, 1))
    last = parameters.value(parameter, date(year, 12, 31))
    if first is not last and first != last:
        raise InputError(
            f"{parameter} changes within {year} (a value from {first.start.isoformat()} and "
            f"one from {last.start.isoformat()}); a yearly flat rate needs one value for the "
            "whole year. Supply one value from 1 January to 31 December."
        )
    return first


def line_amount(
    rate: Euro, units: Decimal, months: int, cost: Euro | None
) -> tuple[Euro, Euro, bool]:
    """The money of one post line: the flat rate pro rata, capped at the actual cost.

    Returns ``(full, amount, capped)``: ``full`` is rate × units × months / 12 computed
    as one exact product and rounded once (the same cents as the explanation's
    rate × Fraction(units × months, 12)); ``amount`` is ``full``, or ``cost`` when that is
    lower. The single place this arithmetic lives; sweeps re-price lines with it.

    Examples:
        >>> line_amount(Euro("57000"), Decimal("12"), 12, None)
        (Euro('684000.00'), Euro('684000.00'), False)
        >>> line_amount(Euro("55000"), Decimal("1.5"), 12, Euro("70000"))
        (Euro('82500.00'), Euro('70000.00'), True)

    """
    full = Euro._exact(rate.amount * units * months / 12)
    if cost is not None and cost < full:
        return full, cost, True
    return full, full, False
