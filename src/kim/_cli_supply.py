"""The supply options of every computing ``kim`` command: ``--set``, ``--scenario``, ...

One implementation for all commands; the values go through [`kim.facts.supply()`][kim.facts.supply].
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from kim.facts import Supplied

__all__ = ["add_supply_arguments", "supplied_from"]


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
    """The [`kim.facts.Supplied`][kim.facts.Supplied] bundle of a command's supply options."""
    from kim.facts import supply

    return supply(
        scenario=getattr(args, "scenario", None),
        assignments=getattr(args, "assignments", None) or (),
        facts=getattr(args, "facts", None),
        year=year,
        note=getattr(args, "note", None),
    )
