"""The vocabulary the explanation model and its renderers share: operations, units, numbers."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Literal

from kim.parameters.model import Labels

__all__ = ["Lang", "OperandUnit", "Operation", "decimal_of", "exact", "labels"]

Lang = Literal["de", "en"]
"""The languages every text of an explanation is given in."""


def labels(de: str, en: str) -> Labels:
    """A German/English text pair, built without validation (for internal use).

    Examples:
        >>> labels("Summe", "Sum").en
        'Sum'

    """
    return Labels.model_construct(de=de, en=en)


class Operation(StrEnum):
    """What a step does with its operands (see the module notes)."""

    INPUT = "input"
    """Takes its single operand as it is."""
    PRODUCT = "product"
    """A euro amount times factors, rounded once to the cent, half up."""
    MINIMUM = "minimum"
    """The smallest operand."""
    SUM = "sum"
    """The sum of the operands."""
    DIFFERENCE = "difference"
    """The first operand minus all others."""
    GROWTH_FACTOR = "growth_factor"
    """``1 + Σ weight × change / 100`` over (weight, change in percent) pairs."""
    CHECK = "check"
    """A rule and whether it held; no result."""


class OperandUnit(StrEnum):
    """What an operand or a step result measures."""

    EUR = "EUR"
    """Euros (two decimals)."""
    FTE = "FTE"
    """Full-time equivalents."""
    HALF_POSTS = "half_posts"
    """Half posts (FTE / 0.5), for rates per half post."""
    SHARE = "share"
    """A share of a year (months / 12) or another fraction."""
    WEIGHT = "weight"
    """A weight between 0 and 1."""
    PERCENT = "percent"
    """A change in percent."""
    FACTOR = "factor"
    """A plain number (a growth factor)."""


def exact(text: str) -> Fraction:
    """The exact number an operand or result text stands for (``"9/12"``, ``"0.5"``)."""
    return Fraction(text)


def decimal_of(value: Fraction) -> Decimal:
    """A fraction with a finite decimal expansion as a ``Decimal``."""
    if value.denominator == 1:
        return Decimal(value.numerator)
    return Decimal(value.numerator) / Decimal(value.denominator)
