"""Argument types shared by every ``kim`` subcommand: dates, years and numbers."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal, InvalidOperation

__all__ = ["date_arg", "decimal_arg", "year_arg"]


def date_arg(text: str) -> date:
    """An ISO date (``YYYY-MM-DD``); anything else is a one-line argument error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-06-30"
        ) from None


def year_arg(text: str) -> int:
    """A year from 1900 to 2200."""
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year, e.g. 2023") from None
    if not 1900 <= year <= 2200:
        raise argparse.ArgumentTypeError(f"year {year} is out of range 1900..2200")
    return year


def decimal_arg(text: str) -> Decimal:
    """An exact decimal number (a point as separator)."""
    try:
        value = Decimal(text.strip())
    except (ArithmeticError, InvalidOperation):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number, e.g. 500 or 0.5") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value
