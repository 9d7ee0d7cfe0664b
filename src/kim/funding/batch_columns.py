"""The columns of the batch engine: their units, their checks and the exact rounding.

Money is in integer cents, FTE in millionths ([`FTE_SCALE`][kim.funding.batch_units.FTE_SCALE]),
months in whole months; the units and the rule of one line on plain integers live in
[`kim.funding.batch_units`][kim.funding.batch_units]. Every column is checked once, as an
array, before anything is computed; a value that could leave the ``int64`` range is
refused ([`guard()`][kim.funding.batch_columns.guard]), never wrapped. The
[`kim.funding.batch`][kim.funding.batch] module builds on these helpers.

Examples:
    >>> fte_scaled(["0.5", 2]).tolist(), kind_index("coordination")
    ([500000, 2000000], 0)
    >>> rounded(np.array([6_000_000, 5_999_999])).tolist()  # 0.5 cent rounds up
    [1, 0]

"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt

from kim.components import PostKind
from kim.errors import InputError
from kim.funding.batch_units import (
    COMPONENT_OF_KIND,
    DENOMINATOR,
    FTE_SCALE,
    KINDS,
)

__all__ = [
    "INT64_MAX",
    "KIND_COMPONENT",
    "Bools",
    "ColumnStats",
    "Ints",
    "check_range",
    "fte_scaled",
    "guard",
    "int_column",
    "kind_index",
    "lines_shape",
    "rounded",
]

Ints = npt.NDArray[np.int64]
"""A NumPy array of ``int64`` (cents, scaled FTE, months, indices)."""
Bools = npt.NDArray[np.bool_]
"""A NumPy array of booleans."""

KIND_COMPONENT: Ints = np.array(COMPONENT_OF_KIND, dtype=np.int64)
"""Per kind (in [`KINDS`][kim.funding.batch_units.KINDS] order), the index of its component."""

INT64_MAX = int(np.iinfo(np.int64).max)
"""The largest ``int64``: no product or sum of the engine may exceed it."""

_HALF = DENOMINATOR // 2


def kind_index(kind: PostKind | str) -> int:
    """The column index of a kind of post (any spelling `parse_post_kind()` reads).

    Examples:
        >>> kind_index("case-management"), KINDS[kind_index("ABH")].value
        (2, 'auslaenderbehoerde')

    """
    from kim.funding.model import parse_post_kind

    return KINDS.index(parse_post_kind(kind))


def fte_scaled(values: Iterable[Decimal | int | str]) -> Ints:
    """FTE as scaled integers, exactly; more than six decimals is refused.

    Examples:
        >>> fte_scaled(["0.5", 12, "1.000001"]).tolist()
        [500000, 12000000, 1000001]

    """
    out = []
    for value in values:
        scaled = Decimal(value) * FTE_SCALE
        if scaled != scaled.to_integral_value():
            raise InputError(
                f"FTE {value} has more than six decimals; the batch engine counts FTE in "
                "millionths. Round the FTE or use kim.funding.grant()."
            )
        out.append(int(scaled))
    return int_column(out, "fte")


def int_column(values: Any, name: str) -> Ints:
    """``values`` as an ``int64`` array; floats, booleans and values beyond int64 are refused.

    Examples:
        >>> int_column([1, 2], "months").dtype.name
        'int64'

    """
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:  # pragma: no cover - ragged input
        raise InputError(f"{name} must be an array of integers: {error}") from None
    if array.dtype == np.int64:
        return array
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.integer):
        if array.size == 0:
            return np.zeros(array.shape, dtype=np.int64)
        raise InputError(
            f"{name} must hold integers, got {array.dtype}; scale FTE with fte_scaled() and "
            "give money in cents."
        )
    if array.dtype == np.uint64 and array.size and int(array.max()) > INT64_MAX:
        raise InputError(f"{name} holds values above the int64 range; split or scale them.")
    return array.astype(np.int64, copy=False)


def check_range(array: Ints, name: str, low: int, high: int | None = None) -> tuple[int, int]:
    """Refuse values outside ``low..high``; return ``(smallest, largest)`` (0, 0 when empty).

    Examples:
        >>> check_range(np.array([3, 1, 12]), "months", 0, 12)
        (1, 12)

    """
    if array.size == 0:
        return 0, 0
    smallest, largest = int(array.min()), int(array.max())
    if smallest < low or (high is not None and largest > high):
        bound = f"from {low}" + (f" to {high}" if high is not None else " up")
        raise InputError(f"{name} must be {bound}; got values outside that range.")
    return smallest, largest


def lines_shape(array: Ints, lines: int, name: str) -> Ints:
    """``array`` as one value per line (``(lines,)``) or one row per scenario.

    A single value is broadcast to every line; other shapes are refused, naming the
    shape expected.
    """
    if array.ndim == 0:
        return np.broadcast_to(array, (lines,))
    if array.ndim > 2 or array.shape[-1] != lines:
        raise InputError(
            f"{name} has shape {array.shape}; expected ({lines},) for one value per line or "
            f"(scenarios, {lines}) for one row per scenario."
        )
    return array


def guard(*largest: int, what: str) -> None:
    """Refuse when the product of the largest values (exact Python integers) leaves int64.

    Raises:
        InputError: the product exceeds [`INT64_MAX`][kim.funding.batch_columns.INT64_MAX].

    Examples:
        >>> guard(2**31, 2**31, what="a product")
        >>> guard(2**32, 2**32, what="a product")
        Traceback (most recent call last):
        ...
        kim.errors.InputError: a product could exceed the int64 range ...

    """
    product = 1
    for value in largest:
        product *= value
    if product > INT64_MAX:
        raise InputError(
            f"{what} could exceed the int64 range of the batch engine (about 9.2e18 cents); "
            "nothing was computed. Split the batch or use kim.funding.grant()."
        )


def rounded(numerator: Ints) -> Ints:
    """``numerator / (12 × FTE_SCALE)`` rounded half up, for ``numerator >= 0``.

    The rounding of [`Euro`][kim.money.Euro]: one rounding of the exact quotient.
    """
    out: Ints = (numerator + _HALF) // DENOMINATOR
    return out


class ColumnStats:
    """What `price()` needs to know about a batch's columns, found once when it is built."""

    def __init__(
        self, kind: tuple[int, int], fte: tuple[int, int], months: tuple[int, int], cost: int
    ) -> None:
        self.kinds = range(kind[0], kind[1] + 1)  # kinds that may occur
        self.fte_min, self.fte_max = fte
        self.months_min, self.months_max = months
        self.any_cost = cost >= 0
