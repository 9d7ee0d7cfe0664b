"""Type checks at the entry of public functions: a wrong type is an ``InputError``.

Python would otherwise fail later with a bare ``TypeError`` or ``AttributeError`` deep
inside a rule. `expect()` names the argument, the type given and the types expected.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kim.errors import InputError

__all__ = ["FIRST_DAY", "LAST_DAY", "expect", "expect_day"]


def expect(value: Any, types: type | tuple[type, ...], argument: str) -> None:
    """Refuse ``value`` unless it is an instance of ``types`` (``bool`` is not an ``int``).

    Examples:
        >>> expect("x", str, "name")
        >>> expect(None, str, "name")
        Traceback (most recent call last):
        ...
        kim.errors.InputError: name: expected str, got NoneType.

    """
    wanted = types if isinstance(types, tuple) else (types,)
    ok = not (isinstance(value, bool) and bool not in wanted) and isinstance(value, wanted)
    if not ok:
        names = " or ".join(t.__name__ for t in wanted)
        raise InputError(f"{argument}: expected {names}, got {type(value).__name__}.")


FIRST_DAY = date(1900, 1, 1)
"""The earliest day a public function accepts."""
LAST_DAY = date(2199, 12, 31)
"""The latest day a public function accepts (later days leave no room for deadlines)."""


def expect_day(value: Any, argument: str) -> None:
    """Refuse anything but a ``datetime.date`` from 1900 to 2199 (not a ``datetime``).

    Examples:
        >>> expect_day("2023-01-01", "on")
        Traceback (most recent call last):
        ...
        kim.errors.InputError: on: expected a datetime.date, got str; write date(2023, 1, 1).

    """
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InputError(
            f"{argument}: expected a datetime.date, got {type(value).__name__}; "
            "write date(2023, 1, 1)."
        )
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InputError(f"{argument}: {value} is outside the days 1900-01-01..2199-12-31.")
