"""Exact integer arithmetic on columns: one line's money, and sums per group.

[`line_cents()`][kim.funding.batch_sums.line_cents] is
[`line_amount()`][kim.funding.rules.line_amount] on columns;
[`sum_by()`][kim.funding.batch_sums.sum_by] adds values per group in ``int64``. Both refuse
inputs whose result could leave the ``int64`` range instead of wrapping around.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from kim.funding.batch_columns import (
    Bools,
    Ints,
    check_range,
    guard,
    int_column,
    rounded,
)
from kim.funding.batch_units import DENOMINATOR, NO_COST

__all__ = [
    "FLOAT_EXACT",
    "Grouping",
    "counted_sums",
    "group_sums",
    "grouping",
    "line_cents",
    "sum_by",
]

FLOAT_EXACT = 2**53
"""Integers below this add exactly in ``float64``: sums bounded by it may use `counted_sums()`."""


def line_cents(
    rate: npt.ArrayLike, units: npt.ArrayLike, months: npt.ArrayLike, cost: npt.ArrayLike
) -> tuple[Ints, Ints, Bools]:
    """`line_amount()` on columns: ``(full, amount, capped)`` in cents.

    ``rate`` in cents, ``units`` scaled by [`FTE_SCALE`][kim.funding.batch_units.FTE_SCALE],
    ``months`` 0-12, ``cost`` in cents or [`NO_COST`][kim.funding.batch_units.NO_COST]; the
    arrays broadcast. ``full`` is rate × units × months / 12 rounded once, half up;
    ``amount`` is the lower of ``full`` and the cost.

    Raises:
        InputError: a negative input, or inputs whose largest rate × largest units ×
            largest months could leave the int64 range (refused as a whole, never
            wrapped).

    Examples:
        >>> full, amount, capped = line_cents(
        ...     np.array([5500000]), np.array([1_500_000]), np.array([12]), np.array([7000000]))
        >>> full.tolist(), amount.tolist(), capped.tolist()
        ([8250000], [7000000], [True])

    """
    r, u, m, c = (
        int_column(rate, "rate"), int_column(units, "units"), int_column(months, "months"),
        int_column(cost, "cost"),
    )  # fmt: skip
    product = 1
    for name, array in (("rate", r), ("units", u), ("months", m)):
        product *= check_range(array, name, 0)[1]
    check_range(c, "cost", NO_COST)
    guard(product + DENOMINATOR // 2, what="rate × units × months")
    full = rounded(r * u * m)
    capped: Bools = (c >= 0) & (c < full)
    amount: Ints = np.where(capped, c, full)
    return full, amount, capped


class Grouping(NamedTuple):
    """How lines fall into groups: computed once, used for every sum over them."""

    order: Ints | None
    """The order that sorts the lines by group, or None when they are sorted already."""
    keys: Ints
    """The group of each line, in sorted order."""
    starts: Ints
    """Where each group starts among the sorted lines."""


def grouping(groups: Ints) -> Grouping:
    """The [`Grouping`][kim.funding.batch_sums.Grouping] of a column of group numbers.

    Examples:
        >>> grouping(np.array([0, 0, 2])).starts.tolist()
        [0, 2]

    """
    if groups.size < 2 or bool((groups[1:] >= groups[:-1]).all()):
        order, keys = None, groups
    else:
        order = np.argsort(groups, kind="stable")
        keys = groups[order]
    if not keys.size:
        return Grouping(order, keys, keys)
    change = np.empty(keys.size, dtype=np.bool_)
    change[0] = True
    np.not_equal(keys[1:], keys[:-1], out=change[1:])
    return Grouping(order, keys, np.flatnonzero(change))


def group_sums(values: Ints, groups: Grouping, size: int) -> Ints:
    """Sums of ``values`` (``(rows, lines)``) per group: ``(rows, size)``, in ``int64``.

    The caller has made sure the sums fit (see [`sum_by()`][kim.funding.batch_sums.sum_by]).
    """
    order, keys, starts = groups
    out = np.zeros((values.shape[0], size), dtype=np.int64)
    if keys.size:
        ordered = values if order is None else values[:, order]
        out[:, keys[starts]] = np.add.reduceat(ordered, starts, axis=1)
    return out


def sum_by(values: npt.ArrayLike, groups: npt.ArrayLike, size: int) -> Ints:
    """Exact integer sums of the columns of ``values`` per group: ``(rows, size)``.

    ``values`` is ``(rows, lines)`` (or one row), ``groups`` gives each line's group
    (0 to ``size - 1``). The sums stay in ``int64``; values whose largest × number of
    lines could leave its range are refused.

    Examples:
        >>> sum_by(np.array([[1, 2, 3], [4, 5, 6]]), np.array([2, 0, 2]), 3).tolist()
        [[2, 0, 4], [5, 0, 10]]

    """
    v = int_column(values, "values")
    v = v[None, :] if v.ndim == 1 else v
    g = int_column(groups, "groups")
    check_range(g, "groups", 0, size - 1)
    largest = check_range(v, "values", 0)[1]
    guard(largest, v.shape[1], what="the sum of the lines")
    return group_sums(v, grouping(g), size)


def counted_sums(values: Ints, groups: Ints, size: int) -> Ints:
    """Sums of ``values`` (``(rows, lines)``) per group with one ``bincount``: ``(rows, size)``.

    ``bincount`` adds in ``float64``, which is exact for integers as long as every partial
    sum stays below [`FLOAT_EXACT`][kim.funding.batch_sums.FLOAT_EXACT]; the caller must have
    bounded the total by it. Faster than sorting lines into groups, and the lines need not
    be in order.

    Examples:
        >>> counted_sums(np.array([[1, 2, 3], [4, 5, 6]]), np.array([2, 0, 2]), 3).tolist()
        [[2, 0, 4], [5, 0, 10]]

    """
    rows = values.shape[0]
    if rows == 1:
        sums = np.bincount(groups, weights=values[0], minlength=size)[None, :]
    else:
        index = (np.arange(rows, dtype=np.int64)[:, None] * size + groups).ravel()
        flat = np.broadcast_to(values, (rows, groups.shape[0])).ravel()
        sums = np.bincount(index, weights=flat, minlength=rows * size).reshape(rows, size)
    out: Ints = sums.astype(np.int64)
    return out
