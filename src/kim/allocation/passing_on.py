"""Passing posts on inside a Kreis: split a Kreis's posts among its municipalities.

§ 9 (2) TIntG lets a Kreis pass KIM money on to municipalities (source ``tintg-9``).
Kreise do it by a key: the Rhein-Sieg-Kreis by population ("nach Einwohnerzahlen",
source ``gruene-rhein-sieg-2024``), Kreis Unna by computed shares (``kamen-141-2021``).
One rule of the funding limits every split: **only post shares of at least 0.5 FTE are
fundable** (``kamen-141-2021``).

**The rule for a share below the minimum.** A municipality's exact share may be below
0.5 FTE. The library's default
([`BelowMinimum.RAISE`][kim.allocation.passing_on.BelowMinimum.RAISE]) gives every municipality that
takes part at least the minimum, and the other municipalities pay for it under the same method (a
bounded apportionment, see [`kim.allocation.apportion()`][kim.allocation.methods.apportion]). This
is what Kreis Unna did in 2021: the computed shares Kamen 0.85, Bergkamen 1.19 and Bönen 0.38 became
1.0, 1.0 and 0.5. Bönen, below the minimum, got its own half post; it was neither merged into a
neighbour nor kept by the Kreis.

Two other rules are available because Kreise also use them:

* [`BelowMinimum.KREIS`][kim.allocation.passing_on.BelowMinimum.KREIS]: a municipality whose exact
  share is below the minimum gets nothing, and its part stays with the Kreis, which apportions it
  along with the others as one more recipient, under the key
  [`KREIS`][kim.allocation.passing_on.KREIS];
* pooling: ``groups`` merges municipalities into one recipient before the split, as
  Kreis Coesfeld (one post holder for Billerbeck, Coesfeld, Havixbeck and Rosendahl) and
  Kreis Siegen-Wittgenstein (one post for Kreuztal and Hilchenbach) did.

Examples:
    >>> from kim.allocation.passing_on import pass_on
    >>> split = pass_on("2.5", {"Kamen": "0.85", "Bergkamen": "1.19", "Bönen": "0.38"})
    >>> {k: str(v) for k, v in split.allocation.as_dict().items()}
    {'Kamen': '1.0', 'Bergkamen': '1.0', 'Bönen': '0.5'}

"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from pydantic import Field

from kim._model import KimModel
from kim._numbers import to_decimal
from kim.allocation.methods import (
    DEFAULT_STEP,
    Allocation,
    Method,
    Number,
    apportion,
)
from kim.errors import AllocationError, InputError

__all__ = ["FUNDABLE_MINIMUM", "KREIS", "BelowMinimum", "PassOn", "pass_on"]

FUNDABLE_MINIMUM = Decimal("0.5")
"""The smallest fundable post share (source ``kamen-141-2021``)."""

KREIS = "Kreis"
"""The recipient key of the part a Kreis keeps under `BelowMinimum.KREIS`."""


class BelowMinimum(StrEnum):
    """What happens to a municipality whose exact share is below the fundable minimum."""

    RAISE = "raise"
    """It gets the minimum; the others pay for it (default; Kreis Unna 2021)."""
    KREIS = "kreis"
    """It gets nothing; its part stays with the Kreis."""


class PassOn(KimModel):
    """A Kreis's posts split among its municipalities (or groups of them)."""

    allocation: Allocation = Field(description="The split among the recipients.")
    rule: BelowMinimum = Field(description="The rule applied to shares below the minimum.")
    minimum: Decimal = Field(description="The smallest fundable share.")
    groups: tuple[tuple[str, tuple[str, ...]], ...] = Field(
        default=(), description="Recipients that stand for several municipalities."
    )
    raised: tuple[str, ...] = Field(
        default=(), description="Recipients whose exact share was below the minimum."
    )
    kept_by_kreis: tuple[str, ...] = Field(
        default=(), description="Municipalities whose part the Kreis keeps (rule KREIS)."
    )

    def share(self, key: str) -> Decimal:
        """The share of a recipient (a municipality, a group or `KREIS`)."""
        if key in self.kept_by_kreis:
            return Decimal(0)
        return self.allocation.share(key)


def _pool(
    weights: Mapping[str, object], groups: Mapping[str, Iterable[str]] | None
) -> tuple[dict[str, Decimal], tuple[tuple[str, tuple[str, ...]], ...]]:
    values = {str(k): to_decimal(v, f"weight of {k!r}") for k, v in weights.items()}
    if not groups:
        return values, ()
    seen: dict[str, str] = {}
    listed: list[tuple[str, tuple[str, ...]]] = []
    for name, members in groups.items():
        members = tuple(members)
        if not members:
            raise InputError(f"Group {name!r} has no members.")
        for m in members:
            if m not in values:
                raise InputError(f"Group {name!r}: {m!r} has no weight.")
            if m in seen:
                raise InputError(f"{m!r} is in more than one group.")
            seen[m] = name
        if name in values and name not in members:
            raise InputError(f"Group name {name!r} is also a municipality's key.")
        listed.append((name, members))
    sums = {name: sum((values[m] for m in ms), Decimal(0)) for name, ms in listed}
    pooled: dict[str, Decimal] = {}
    for key, value in values.items():  # a group takes the place of its first member
        group = seen.get(key)
        if group is None:
            pooled[key] = value
        elif group not in pooled:
            pooled[group] = sums[group]
    return pooled, tuple(listed)


def pass_on(
    total: Number,
    weights: Mapping[str, object],
    *,
    method: Method | str = Method.LARGEST_REMAINDER,
    step: Number = DEFAULT_STEP,
    minimum: Number = FUNDABLE_MINIMUM,
    below_minimum: BelowMinimum | str = BelowMinimum.RAISE,
    groups: Mapping[str, Iterable[str]] | None = None,
) -> PassOn:
    """Split a Kreis's ``total`` posts among its municipalities by ``weights``.

    Args:
        total: the posts to pass on, a whole number of steps.
        weights: ``{municipality: weight}``, e.g. population (Rhein-Sieg-Kreis).
        method: the apportionment method (default largest remainder).
        step: the smallest unit of a share (default 0.5 FTE).
        minimum: the smallest fundable share (default 0.5 FTE).
        below_minimum: the rule for a share below ``minimum`` (see the module notes).
        groups: ``{group name: municipalities}`` pooled into one recipient first.

    Raises:
        AllocationError: with [`BelowMinimum.RAISE`][kim.allocation.passing_on.BelowMinimum.RAISE],
            when the total cannot give every recipient the minimum (``minimums-above-total``): pool
            municipalities with ``groups`` or choose
            [`BelowMinimum.KREIS`][kim.allocation.passing_on.BelowMinimum.KREIS].

    """
    rule = BelowMinimum(below_minimum)
    minimum_d = to_decimal(minimum, "minimum")
    total_d = to_decimal(total, "total")
    pooled, listed = _pool(weights, groups)
    if rule is BelowMinimum.RAISE:
        try:
            allocation = apportion(total_d, pooled, method=method, step=step, minimum=minimum_d)
        except AllocationError as error:
            if error.cause != "minimums-above-total":
                raise
            raise AllocationError(
                error.cause,
                f"{total_d} posts cannot give each of {len(pooled)} recipients the "
                f"minimum {minimum_d}; pool municipalities with groups=... or let the "
                "Kreis keep the small shares (below_minimum='kreis').",
            ) from None
        raised = tuple(
            k for k in pooled if _plain_quota(total_d, pooled[k], pooled) < Fraction(minimum_d)
        )
        return PassOn(
            allocation=allocation, rule=rule, minimum=minimum_d, groups=listed, raised=raised
        )
    if KREIS in pooled:
        raise InputError(f"{KREIS!r} is reserved for the part the Kreis keeps.")
    # The Kreis keeps the parts it takes over, so every quota stays relative to the
    # same total weight and one pass finds all the small shares.
    kept = [k for k in pooled if _plain_quota(total_d, pooled[k], pooled) < Fraction(minimum_d)]
    active = {k: w for k, w in pooled.items() if k not in kept}
    recipients: dict[str, object] = dict(active)
    kreis_weight = sum((pooled[k] for k in kept), Decimal(0))
    if kept:
        recipients[KREIS] = kreis_weight
    bound = {k: minimum_d for k in active}
    allocation = apportion(total_d, recipients, method=method, step=step, minimum=bound)
    return PassOn(
        allocation=allocation,
        rule=rule,
        minimum=minimum_d,
        groups=listed,
        kept_by_kreis=tuple(kept),
    )


def _plain_quota(total: Decimal, weight: Decimal, pooled: Mapping[str, Decimal]) -> Fraction:
    """The unbounded quota ``total * weight / sum of weights``."""
    if not any(pooled.values()):
        raise AllocationError("all-weights-zero", "All weights are zero.")
    return Fraction(total) * Fraction(weight) / Fraction(sum(pooled.values(), Decimal(0)))
