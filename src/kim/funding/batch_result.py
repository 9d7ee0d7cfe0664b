"""The result of the batch engine: totals as arrays, per-line columns when asked for.

[`BatchResult`][kim.funding.batch_result.BatchResult] holds the totals per scenario, recipient and
component; the per-line columns that the totals do not need (the cap, refusals, the notified
amounts) are computed from the engine's intermediate columns only when they are first read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from kim.errors import InputError
from kim.funding.batch_columns import (
    Bools,
    Ints,
    rounded,
)
from kim.funding.batch_units import COMPONENTS

__all__ = ["BatchResult", "LineColumns", "as_rows"]

_A = TypeVar("_A", bound=np.generic)


def as_rows(array: npt.NDArray[_A], shape: tuple[int, int]) -> npt.NDArray[_A]:
    """``array`` as ``(scenarios, lines)``: a cheap view when it is one row already."""
    if array.shape == shape:
        return array
    if array.ndim == 1 and shape[0] == 1:
        return array[None, :]
    return np.broadcast_to(array, shape)


class LineColumns:
    """The per-line columns of a priced batch; those not needed for totals are lazy.

    Built by [`price()`][kim.funding.batch.price] with the amounts and what the lazy columns
    are computed from (``base`` is rate × units per line, before the months); the small
    path passes every column ready-made in ``known``. Read them through
    [`BatchResult`][kim.funding.batch_result.BatchResult].
    """

    def __init__(
        self,
        shape: tuple[int, int],
        full: Ints,
        amount: Ints,
        measures: Ints,
        *,
        base: Ints | None = None,
        keep: Bools | None = None,
        cost: Ints | None = None,
        notice_months: int = 12,
        extra_notified: Ints | None = None,
        **known: Any,
    ) -> None:
        self.shape = shape
        self.full = as_rows(full, shape)
        self.amount = as_rows(amount, shape)
        self.measures = measures
        self.base, self.keep, self.cost = base, keep, cost
        self.notice_months = notice_months
        self.extra_notified = (
            np.zeros(shape[0], np.int64) if extra_notified is None else extra_notified
        )
        self.__dict__.update(known)

    @cached_property
    def workplace(self) -> Ints:
        """Per line: the settled amount of its workplace line (0: none)."""
        return np.zeros(self.shape, dtype=np.int64)

    @cached_property
    def capped(self) -> Bools:
        """Per line: capped at the actual cost."""
        if self.cost is None:
            return np.zeros(self.shape, dtype=np.bool_)
        capped = (self.cost >= 0) & (self.cost < self.full)
        return as_rows(capped if self.keep is None else capped & self.keep, self.shape)

    @cached_property
    def refused(self) -> Bools:
        """Per line: refused (eligibility or the minimum post share)."""
        if self.keep is None:
            return np.zeros(self.shape, dtype=np.bool_)
        return as_rows(~self.keep, self.shape)

    @cached_property
    def notified(self) -> Ints:
        """Per line: rate × units × notice months / 12, no cap (0 when refused)."""
        if self.base is None:  # pragma: no cover - the small path sets notified itself
            raise AssertionError("notified needs the line bases")
        notified = rounded(self.base * self.notice_months)
        if self.keep is not None:
            notified = notified * self.keep
        return as_rows(notified, self.shape)

    @cached_property
    def notified_total(self) -> Ints:
        """Per scenario: the notified amount of every line, workplaces and measures."""
        out: Ints = self.notified.sum(axis=1) + self.extra_notified
        return out


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The priced lines and totals of a `PostBatch`, in cents, as columns.

    Per-line arrays have shape ``(scenarios, lines)`` and are ``None`` in totals-only mode
    (``price(..., lines=False)``); those not needed for the totals are computed when first
    read.
    """

    units: tuple[str, ...]
    """The recipients, as in the batch."""
    unit_totals: Ints
    """Cents per scenario, recipient and component: ``(scenarios, units, 3)``."""
    totals: Ints
    """Cents per scenario and component: ``(scenarios, 3)``."""
    total: Ints
    """Cents per scenario: ``(scenarios,)``."""
    keep_lines: bool = True
    """Whether the per-line columns are kept (``price(..., lines=True)``)."""
    line_columns: Any = field(default=None, repr=False)
    """The engine's per-line columns (internal; read the properties below)."""

    def _line(self, name: str) -> Any:
        return getattr(self.line_columns, name) if self.keep_lines else None

    @property
    def notified_total(self) -> Ints:
        """The notified amount (whole notice, no cap) per scenario: ``(scenarios,)``."""
        out: Ints = self.line_columns.notified_total
        return out

    @property
    def full(self) -> Ints | None:
        """Per line: rate × units × months / 12, rounded once, before the cap."""
        return self._line("full")  # type: ignore[no-any-return]

    @property
    def amount(self) -> Ints | None:
        """Per line: the settled amount (capped at the cost; 0 when refused)."""
        return self._line("amount")  # type: ignore[no-any-return]

    @property
    def capped(self) -> Bools | None:
        """Per line: whether the cost capped the line."""
        return self._line("capped")  # type: ignore[no-any-return]

    @property
    def refused(self) -> Bools | None:
        """Per line: refused by eligibility or the minimum post share."""
        return self._line("refused")  # type: ignore[no-any-return]

    @property
    def notified(self) -> Ints | None:
        """Per line: rate × units × notice months / 12, no cap (0 when refused)."""
        return self._line("notified")  # type: ignore[no-any-return]

    @property
    def workplace(self) -> Ints | None:
        """Per line: the settled amount of its workplace line (0 when it has none)."""
        return self._line("workplace")  # type: ignore[no-any-return]

    @property
    def measures(self) -> Ints:
        """Per recipient: the settled events-and-measures amount (0 when none)."""
        out: Ints = self.line_columns.measures
        return out

    def to_frame(self) -> Any:
        """Per-scenario, per-recipient component totals in cents as a pandas ``DataFrame``.

        Needs pandas (the ``notebook`` extra). The index is ``(scenario, unit)``; columns
        ``b1``, ``b2``, ``b3`` and ``total`` hold integer cents.
        """
        try:
            pd: Any = import_module("pandas")
        except ImportError:
            raise InputError("to_frame() needs pandas: pip install 'kim-nrw[notebook]'") from None
        s, u, _ = self.unit_totals.shape
        index = pd.MultiIndex.from_product([range(s), self.units], names=["scenario", "unit"])
        flat = self.unit_totals.reshape(s * u, len(COMPONENTS))
        frame = pd.DataFrame(flat, index=index, columns=[f"b{c.value}" for c in COMPONENTS])
        frame["total"] = flat.sum(axis=1)
        return frame
