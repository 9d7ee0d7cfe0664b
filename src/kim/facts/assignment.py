"""``PARAM=VALUE[@FROM..TO]``: one supplied parameter value (the ``--set`` option)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from kim.errors import InputError, closest_matches
from kim.parameters.model import ParameterSet
from kim.scenarios.model import ParameterChange

__all__ = ["ALL_DATES", "parse_assignment"]


def _day(text: str, *, end: bool) -> dt.date:
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date; write YYYY-MM-DD or a year, e.g. 2024") from None


ALL_DATES = (dt.date(1900, 1, 1), None)
"""The range of an assignment without ``@`` and without a funding year: every date."""


def parse_assignment(
    text: str,
    *,
    year: int | None = None,
    note: str | None = None,
    parameters: ParameterSet | None = None,
) -> ParameterChange:
    """Read ``PARAM=VALUE[@FROM..TO]`` into a parameter change with the parameter's unit.

    ``FROM`` and ``TO`` are dates (``2024-01-01``) or years (``2024`` is 1 January or
    31 December); ``@2024`` alone is the whole year and ``@2024-07-01..`` is open-ended.
    Without ``@`` the value applies in the funding ``year`` if one is given, else on
    every date.

    Examples:
        >>> c = parse_assignment("case_management_flat_rate=59000", year=2024)
        >>> c.start, c.end, c.unit.value
        (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), 'EUR')
        >>> parse_assignment("kim_budget=70000000@2025-01-01..").end is None
        True

    """
    from kim.parameters.loader import embedded_parameters

    params = embedded_parameters() if parameters is None else parameters
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name or not rest.strip():
        raise InputError(f"{text!r}: write PARAM=VALUE[@FROM..TO], e.g. kim_budget=70000000@2024")
    if name not in params:
        near = closest_matches(name, params)
        hint = f" Did you mean {', '.join(near)}?" if near else " See `kim rates`."
        raise InputError(f"--set: unknown parameter {name!r}.{hint}")
    value_text, at, period = rest.partition("@")
    try:
        value = Decimal(value_text.strip())
    except InvalidOperation:
        raise InputError(f"--set {name}: {value_text.strip()!r} is not a number") from None
    if not value.is_finite():
        raise InputError(f"--set {name}: {value_text.strip()!r} is not a finite number")
    start: dt.date
    end: dt.date | None
    if at:
        first, dots, last = period.partition("..")
        if not first.strip():
            raise InputError(f"--set {name}: give the first day after '@', e.g. @2024-01-01..")
        start = _day(first, end=False)
        end = (_day(last, end=True) if last.strip() else None) if dots else _day(first, end=True)
    elif year is not None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        start, end = ALL_DATES
    return ParameterChange(
        parameter=name,
        start=start,
        end=end,
        value=value,
        unit=params[name].unit,
        note=note or "supplied with --set",
    )
