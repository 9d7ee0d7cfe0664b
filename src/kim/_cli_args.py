"""Arguments shared by every ``kim`` subcommand: dates, years, numbers, supplied values."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kim.facts import Supplied

__all__ = ["add_supply_arguments", "date_arg", "decimal_arg", "supplied_from", "year_arg"]


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


def add_supply_arguments(cmd: argparse.ArgumentParser, *, facts: bool = True) -> None:
    """Add ``--scenario``, ``--set``, ``--note`` (and ``--facts``) to a computing command."""
    group = cmd.add_argument_group("supplied values (status 'supplied')")
    group.add_argument("--scenario", metavar="FILE", help="a scenario file (YAML or JSON)")
    group.add_argument(
        "--set",
        dest="assignments",
        action="append",
        default=[],
        metavar="PARAM=VALUE[@FROM..TO]",
        help="supply one parameter value (repeat); FROM/TO are dates or years; "
        "without @ the value applies in --year (or on every date)",
    )
    group.add_argument("--note", help="where the --set values come from (kept with them)")
    if facts:
        group.add_argument(
            "--facts", metavar="FILE", help="a facts file: municipalities' facts, units' posts"
        )


def supplied_from(args: argparse.Namespace, year: int | None = None) -> Supplied:
    """The :class:`kim.facts.Supplied` bundle of a command's supply options."""
    from kim.facts import supply

    return supply(
        scenario=getattr(args, "scenario", None),
        assignments=getattr(args, "assignments", None) or (),
        facts=getattr(args, "facts", None),
        year=year,
        note=getattr(args, "note", None),
    )
