"""The units of the batch engine, and one line's arithmetic on Python integers (no NumPy).

The batch engine counts money in integer cents, FTE in millionths
([`FTE_SCALE`][kim.funding.batch_units.FTE_SCALE]) and months as whole months. This module
holds those units and [`line_cents_int()`][kim.funding.batch_units.line_cents_int], the rule
of one line on plain integers: rate × units × months / 12, one exact product rounded once,
half up, then capped at the actual cost. It imports nothing heavy, so the statewide run
(54 units, a few hundred lines) prices its lines without loading NumPy;
[`kim.funding.batch_columns`][kim.funding.batch_columns] applies the same rule to columns.

Examples:
    >>> line_cents_int(5_700_000, 1_500_000, 6, NO_COST)  # 57,000 €/FTE, 1.5 FTE, half a year
    4275000
    >>> line_cents_int(5_700_000, 1_500_000, 6, 4_000_000)  # capped at a cost of 40,000 €
    4000000

"""

from __future__ import annotations

from kim.components import POST_KINDS, Component, PostKind

__all__ = [
    "COMPONENTS",
    "COMPONENT_OF_KIND",
    "DENOMINATOR",
    "FTE_SCALE",
    "KINDS",
    "NO_COST",
    "NO_RATE",
    "WORKPLACE_KINDS",
    "line_cents_int",
]

FTE_SCALE = 1_000_000
"""FTE are integers in millionths of a full-time equivalent (``0.5`` FTE is 500,000)."""

NO_COST = -1
"""The cost column's value for a line whose actual cost is not given (no cap)."""

NO_RATE = -1
"""A rate the parameter set does not know for the year (see `kind_rates()`)."""

KINDS: tuple[PostKind, ...] = tuple(PostKind)
"""The kinds of post in column order: the ``kind`` column holds indices into this."""

COMPONENTS: tuple[Component, ...] = tuple(Component)
"""The components in column order (the last axis of unit totals)."""

COMPONENT_OF_KIND: tuple[int, ...] = tuple(COMPONENTS.index(k.component) for k in KINDS)
"""Per kind (in [`KINDS`][kim.funding.batch_units.KINDS] order), the index of its component."""

WORKPLACE_KINDS: tuple[bool, ...] = tuple(POST_KINDS[k].workplace for k in KINDS)
"""Per kind, whether setting up a new post's workplace is funded (Baustein 1 kinds)."""

DENOMINATOR = 12 * FTE_SCALE
"""rate × scaled units × months is divided by this (12 months × the FTE scale)."""

_HALF = DENOMINATOR // 2


def line_cents_int(rate: int, units: int, months: int, cost: int) -> int:
    """One line's settled amount in cents: rate × units × months / 12, half up, capped.

    Args:
        rate: the rate in cents per FTE and year.
        units: FTE × [`FTE_SCALE`][kim.funding.batch_units.FTE_SCALE].
        months: whole months filled, 0 to 12.
        cost: the actual cost in cents, or [`NO_COST`][kim.funding.batch_units.NO_COST].

    Returns:
        The lower of the rounded amount and the cost (the amount when no cost is given).

    Examples:
        >>> line_cents_int(1, 500_000, 12, NO_COST)  # half a cent rounds up
        1

    """
    full = (rate * units * months + _HALF) // DENOMINATOR
    return cost if 0 <= cost < full else full
