"""Exact number input: one place that decides how outside numbers become ``Decimal``.

The rule (used for euro amounts, FTE and every other exact quantity):

* ``int``, ``Decimal`` and numeric ``str`` are taken as they are;
* a ``float`` is converted **exactly from its shortest decimal text** (``repr``), so
  ``0.1`` becomes ``Decimal("0.1")``, not ``Decimal(0.1)`` with its binary tail. That is
  the text a JSON document, a CSV cell or a literal in a notebook showed;
* ``bool``, NaN, infinities and anything else are refused with an
  :class:`~kim.errors.InputError` that names the quantity.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction

from kim.errors import InputError

__all__ = ["to_decimal"]


def to_decimal(value: object, what: str) -> Decimal:
    """Convert ``value`` to a finite ``Decimal`` following the module's rule.

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
        try:
            result = Decimal(value.strip().replace("_", ""))
        except InvalidOperation:
            raise InputError(
                f"{what}: {value!r} is not a number; write it like '57000.00' "
                "(a point as decimal separator, no thousands separator)."
            ) from None
    else:
        raise InputError(
            f"{what}: expected a number (int, Decimal, str or float), got {type(value).__name__}."
        )
    if not result.is_finite():
        raise InputError(f"{what}: {value!r} is not a finite number.")
    return result
