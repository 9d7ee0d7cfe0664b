"""Euro amounts on ``Decimal``: cent rounding half up, exact sums, German and English text.

A [`Euro`][kim.money.Euro] always holds a whole number of cents. Building one from a value with
more decimals rounds **half up** (``ROUND_HALF_UP``: 0.005 → 0.01, -0.005 → -0.01), the
rounding of German public budgets. Adding and subtracting euro amounts is therefore
exact. Multiplying by a factor (an FTE, a share of a year) computes the exact product
first and rounds once, at the end.

Floats follow the library-wide rule of `kim._numbers.to_decimal()`: they are
converted from their shortest decimal text, so ``Euro(0.1)`` is ten cents.

Examples:
    >>> from kim.money import Euro
    >>> rate = Euro("57000")
    >>> rate.format_de()
    '57.000,00 €'
    >>> rate.format_en()
    'EUR 57,000.00'
    >>> rate * 12
    Euro('684000.00')
    >>> sum([Euro("0.10"), Euro("0.20")], Euro(0)) == Euro("0.30")
    True

"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, ClassVar

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from kim._numbers import to_decimal
from kim.errors import InputError

__all__ = ["CENT", "Euro", "round_cents"]

CENT = Decimal("0.01")
"""The smallest amount a [`Euro`][kim.money.Euro] holds."""


def round_cents(value: Decimal) -> Decimal:
    """Round a ``Decimal`` to whole cents, half up.

    Examples:
        >>> round_cents(Decimal("2.345"))
        Decimal('2.35')
        >>> round_cents(Decimal("-2.345"))
        Decimal('-2.35')

    """
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


Factor = int | Decimal | Fraction


def _factor(value: object) -> Decimal | Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InputError(
            f"A euro amount can be multiplied by an int, Decimal or Fraction, "
            f"not by {type(value).__name__}."
        )
    return Decimal(value)


class Euro:
    """An amount of euros, exact to the cent.

    Args:
        value: an ``int``, ``Decimal``, numeric ``str``, ``float`` (see the module
            notes) or another ``Euro``. Rounded half up to whole cents.

    Comparisons and arithmetic work between ``Euro`` values; multiplication and
    division take ``int``, ``Decimal`` or ``Fraction`` factors. ``sum()`` works with
    or without a ``Euro(0)`` start value.

    """

    __slots__ = ("_amount",)
    _amount: Decimal

    _THOUSANDS: ClassVar[dict[str, tuple[str, str]]] = {"de": (".", ","), "en": (",", ".")}

    def __init__(self, value: object = 0) -> None:
        amount = value._amount if isinstance(value, Euro) else to_decimal(value, "euro amount")
        object.__setattr__(self, "_amount", round_cents(amount))

    @classmethod
    def _exact(cls, amount: Decimal) -> Euro:
        new = cls.__new__(cls)
        object.__setattr__(new, "_amount", round_cents(amount))
        return new

    # -- value -----------------------------------------------------------------
    @property
    def amount(self) -> Decimal:
        """The amount as a ``Decimal`` with exactly two decimal places."""
        return self._amount

    @property
    def cents(self) -> int:
        """The amount in whole cents."""
        return int(self._amount * 100)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Euro is immutable")

    def __reduce__(self) -> tuple[type[Euro], tuple[str]]:
        # Pickle by value (for process pools): Euro("57000.00").
        return (Euro, (str(self._amount),))

    def __repr__(self) -> str:
        return f"Euro('{self._amount}')"

    def __str__(self) -> str:
        return self.format_en()

    def __format__(self, spec: str) -> str:
        if spec in ("", "en"):
            return self.format_en()
        if spec == "de":
            return self.format_de()
        return format(self._amount, spec)

    def _grouped(self, lang: str) -> str:
        thousands, point = self._THOUSANDS[lang]
        sign = "-" if self._amount < 0 else ""
        whole, _, frac = f"{abs(self._amount):.2f}".partition(".")
        groups: list[str] = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        groups.insert(0, whole)
        return f"{sign}{thousands.join(groups)}{point}{frac}"

    def format_de(self) -> str:
        """German text, e.g. ``57.000,00 €``."""
        return f"{self._grouped('de')} €"

    def format_en(self) -> str:
        """English text, e.g. ``EUR 57,000.00``."""
        return f"EUR {self._grouped('en')}"

    # -- comparison --------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, Euro):
            return self._amount == other._amount
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Euro", self._amount))

    def __lt__(self, other: Euro) -> bool:
        if not isinstance(other, Euro):
            return NotImplemented
        return self._amount < other._amount

    def __le__(self, other: Euro) -> bool:
        if not isinstance(other, Euro):
            return NotImplemented
        return self._amount <= other._amount

    def __gt__(self, other: Euro) -> bool:
        if not isinstance(other, Euro):
            return NotImplemented
        return self._amount > other._amount

    def __ge__(self, other: Euro) -> bool:
        if not isinstance(other, Euro):
            return NotImplemented
        return self._amount >= other._amount

    def __bool__(self) -> bool:
        return bool(self._amount)

    # -- arithmetic --------------------------------------------------------------
    def __add__(self, other: Euro) -> Euro:
        if not isinstance(other, Euro):
            return NotImplemented
        return Euro._exact(self._amount + other._amount)

    def __radd__(self, other: object) -> Euro:
        # Lets the built-in sum() start from its default 0.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: Euro) -> Euro:
        if not isinstance(other, Euro):
            return NotImplemented
        return Euro._exact(self._amount - other._amount)

    def __neg__(self) -> Euro:
        return Euro._exact(-self._amount)

    def __abs__(self) -> Euro:
        return Euro._exact(abs(self._amount))

    def __mul__(self, factor: Factor) -> Euro:
        f = _factor(factor)
        if isinstance(f, Fraction):
            return Euro._exact(self._amount * f.numerator / f.denominator)
        return Euro._exact(self._amount * f)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Factor) -> Euro:
        d = _factor(divisor)
        if d == 0:
            raise InputError("A euro amount cannot be divided by zero.")
        if isinstance(d, Fraction):
            return Euro._exact(self._amount * d.denominator / d.numerator)
        return Euro._exact(self._amount / d)

    def ratio(self, other: Euro) -> Decimal:
        """Return ``self / other`` as a ``Decimal`` (for shares and percentages)."""
        if other._amount == 0:
            raise InputError("Cannot take a ratio to zero euros.")
        return self._amount / other._amount

    def min(self, other: Euro) -> Euro:
        """Return the smaller of two amounts (used for caps at actual cost)."""
        return self if self._amount <= other._amount else other

    # -- pydantic ------------------------------------------------------------------
    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def validate(value: object) -> Euro:
            return value if isinstance(value, Euro) else Euro(value)

        return core_schema.no_info_plain_validator_function(
            validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda e: str(e.amount), when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": r"^-?\d+\.\d{2}$",
            "description": "A euro amount with two decimals, e.g. '57000.00'.",
        }
