"""Exact number input: one place that decides how outside numbers become ``Decimal``.

The rule (used for euro amounts, FTE and every other exact quantity):

* ``int``, ``Decimal`` and numeric ``str`` are taken as they are;
* a ``float`` is converted **exactly from its shortest decimal text** (``repr``), so
  ``0.1`` becomes ``Decimal("0.1")``, not ``Decimal(0.1)`` with its binary tail. That is
  the text a JSON document, a CSV cell or a literal in a notebook showed;
* ``bool``, NaN, infinities and anything else are refused with an
  [`InputError`][kim.errors.InputError] that names the quantity;
* the range is bounded: a magnitude below `MAX_MAGNITUDE` (10**15, a million
  times any public budget) and text of at most `MAX_TEXT` characters; beyond
  these, decimal arithmetic would overflow its context (from about 10**26 when
  rounding to the cent).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from kim.errors import InputError

__all__ = ["MAX_MAGNITUDE", "MAX_TEXT", "to_decimal"]

MAX_MAGNITUDE = Decimal("1e15")
"""Every exact quantity taken from outside is smaller than this in magnitude."""
MAX_TEXT = 100
"""The longest text read as a number."""


def to_decimal(value: object, what: str) -> Decimal:
    """Convert ``value`` to a finite ``Decimal`` following the module's rule.

    Examples:
        >>> to_decimal(0.1, "FTE")
        Decimal('0.1')
        >>> to_decimal("57000.00", "amount")
        Decimal('57000.00')

    """
    if isinstance(value, bool):
        raise InputError(f"{what}: expected a number, got the boolean {value!r}.")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    elif isinstance(value, Fraction):
        result = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, str):
        if len(value) > MAX_TEXT or not value.isascii():
            raise InputError(f"{what}: {_shown(value)} is longer than {MAX_TEXT} characters.")
        try:
            result = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            raise InputError(
                f"{what}: {_shown(value)} is not a number; write it like '57000.00' "
                "(a point as decimal separator, no thousands separator)."
            ) from None
    else:
        raise InputError(
            f"{what}: expected a number (int, Decimal, str or float), got {type(value).__name__}."
        )
    if not result.is_finite():
        raise InputError(f"{what}: {_shown(value)} is not a finite number.")
    if abs(result) >= MAX_MAGNITUDE:
        raise InputError(
            f"{what}: {_shown(value)} is out of range; exact quantities are smaller than "
            f"10**15 in magnitude."
        )
    return result


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:40] + "…"
