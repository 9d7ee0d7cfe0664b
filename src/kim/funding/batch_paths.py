"""The two arithmetic paths of [`price()`][kim.funding.batch.price] and the checks before them.

* [`check_bounds()`][kim.funding.batch_paths.check_bounds] refuses, before anything is
  computed, a product or sum that could leave ``int64``;
* [`keep_mask()`][kim.funding.batch_paths.keep_mask] and
  [`measures_amounts()`][kim.funding.batch_paths.measures_amounts]: refusals and the events lines;
* [`numpy_columns()`][kim.funding.batch_paths.numpy_columns]: a few whole-column NumPy
  operations, no Python work per line;
* [`python_columns()`][kim.funding.batch_paths.python_columns]: the same with Python integers
  ([`kim.funding.batch_small`][kim.funding.batch_small]).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from kim.funding.batch_columns import (
    INT64_MAX,
    KIND_COMPONENT,
    Bools,
    ColumnStats,
    Ints,
    guard,
    rounded,
)
from kim.funding.batch_rates import measures_caps
from kim.funding.batch_result import LineColumns, as_rows
from kim.funding.batch_small import Inputs, price_rows
from kim.funding.batch_units import (
    DENOMINATOR,
    FTE_SCALE,
    WORKPLACE_KINDS,
)

if TYPE_CHECKING:  # pragma: no cover
    from kim.funding.batch import PostBatch
    from kim.parameters.model import ParameterSet

__all__ = ["check_bounds", "keep_mask", "measures_amounts", "numpy_columns", "python_columns"]

_U64 = np.uint64


def measures_amounts(batch: PostBatch, params: ParameterSet) -> Ints:
    """Per recipient: the events-and-measures amount, capped at its own limit if any."""
    if batch.measures is None:
        return np.zeros(len(batch.units), dtype=np.int64)
    caps = measures_caps(batch.units, batch.year, params)
    asked = np.maximum(batch.measures, 0)
    out: Ints = np.where((caps >= 0) & (caps < asked), caps, asked)
    return out


def keep_mask(batch: PostBatch, minimum: int | None) -> Bools | None:
    """Per line (or per scenario and line): not refused; None when no line is refused.

    A line is refused when its recipient may not be funded for its component, its money
    is passed on where it may not go (``allowed``), or its FTE are below the minimum post
    share (in millionths).
    """
    keep: Bools | None = None
    eligible = batch.eligible
    if eligible is not None and not bool(eligible.all()):
        keep = eligible[batch.unit, KIND_COMPONENT[batch.kind]]
    stats: ColumnStats = batch.stats
    if batch.allowed is not None:
        keep = batch.allowed if keep is None else keep & batch.allowed
    if minimum is not None and stats.fte_min < minimum:
        enough = batch.fte >= minimum
        keep = enough if keep is None else keep & enough
    return keep


def check_bounds(
    batch: PostBatch,
    rate_rows: Ints,
    factors: tuple[int, ...],
    used: list[int],
    longest: int,
    wp_rate: int,
    measures: Ints,
) -> int:
    """Refuse, before computing, any product or sum that could leave int64.

    A quick bound first (largest rate × largest factor × largest FTE); only when it
    fails, the exact largest units of any line, so nothing that fits is refused. Returns
    the bound on the sum of all lines.
    """
    if not used:
        return 0
    stats: ColumnStats = batch.stats
    top_rate = int(rate_rows[:, used].max())
    half = DENOMINATOR // 2
    extra = sum(measures.tolist())
    if batch.workplace is not None:
        extra += (wp_rate * stats.fte_max // FTE_SCALE + 1) * batch.lines

    def sizes(units: int) -> tuple[int, int]:
        product = top_rate * units * longest + half
        return product, (product // DENOMINATOR + 1) * batch.lines + extra

    product, total = sizes(stats.fte_max * max(factors[k] for k in used))
    if product > INT64_MAX or total > INT64_MAX:
        top_rate = int(rate_rows[:, list(batch.kinds_used)].max())
        units = int((batch.fte * np.array(factors, dtype=np.int64)[batch.kind]).max())
        product, total = sizes(units)
        guard(product, what="rate × units × months")
        guard(total, what="the sum of the lines")
    return total


def numpy_columns(
    batch: PostBatch,
    effective: Ints,
    keep: Bools | None,
    notice_months: int,
    wp_rate: int,
    measures: Ints,
) -> LineColumns:
    """The per-line columns by NumPy: a few whole-column operations, no Python work per line.

    Money is capped with one unsigned minimum (``NO_COST`` is -1, the largest unsigned
    value, so it never caps); the columns not needed for totals are left to
    [`LineColumns`][kim.funding.batch_result.LineColumns] to compute when read.
    """
    stats: ColumnStats = batch.stats
    scenarios = effective.shape[0]
    line_rate = effective[0][batch.kind] if scenarios == 1 else effective[:, batch.kind]
    base = line_rate * batch.fte
    if stats.months_min == 12:  # a whole year: x 12 / 12 needs no product
        full: Ints = (base + FTE_SCALE // 2) // FTE_SCALE
    else:
        full = rounded(base * batch.months)
    amount = full
    cost = batch.cost if stats.any_cost else None
    if cost is not None:
        amount = np.minimum(full.view(_U64), cost.view(_U64)).view(np.int64)
    if keep is not None:
        amount = amount * keep
    shape = (scenarios, batch.lines)
    known: dict[str, Ints] = {}
    extra_notified = measures.sum() + np.zeros(scenarios, dtype=np.int64)
    if batch.workplace is not None:
        fte = as_rows(batch.fte, shape)
        wfull = (wp_rate * fte + FTE_SCALE // 2) // FTE_SCALE
        wkeep = batch.workplace & np.array(WORKPLACE_KINDS)[batch.kind] & (batch.months > 0)
        if keep is not None:
            wkeep = wkeep & keep
        wcost = batch.workplace_cost.view(_U64)
        known["workplace"] = np.minimum(wfull.view(_U64), wcost).view(np.int64) * wkeep
        extra_notified = extra_notified + (wfull * wkeep).sum(axis=1)
    return LineColumns(
        shape, full, amount, measures, base=base, keep=keep, cost=cost,
        notice_months=notice_months, extra_notified=extra_notified, **known,
    )  # fmt: skip


def python_columns(
    batch: PostBatch,
    effective: Ints,
    keep: Bools | None,
    notice_months: int,
    wp_rate: int,
    measures: Ints,
) -> tuple[Ints, LineColumns]:
    """Unit totals and per-line columns with Python integers (`price_rows()`)."""
    scenarios = effective.shape[0]
    shape = (scenarios, batch.lines)

    def rows(array: Ints | Bools) -> Any:
        return as_rows(array, shape).tolist()

    priced = price_rows(
        Inputs(
            rates=effective.tolist(),
            unit=batch.unit.tolist(),
            kind=batch.kind.tolist(),
            fte=rows(batch.fte),
            months=rows(batch.months),
            cost=rows(batch.cost),
            keep=None if keep is None else rows(keep),
            notice_months=notice_months,
            units=len(batch.units),
            workplace=None if batch.workplace is None else batch.workplace.tolist(),
            workplace_cost=() if batch.workplace is None else batch.workplace_cost.tolist(),
            workplace_rate=[wp_rate] * scenarios,
            measures=measures.tolist(),
        )
    )
    columns = LineColumns(
        shape,
        np.array(priced.full, dtype=np.int64).reshape(shape),
        np.array(priced.amount, dtype=np.int64).reshape(shape),
        measures,
        capped=np.array(priced.capped, dtype=np.bool_).reshape(shape),
        refused=np.array(priced.refused, dtype=np.bool_).reshape(shape),
        notified=np.array(priced.notified, dtype=np.int64).reshape(shape),
        workplace=np.array(priced.workplace, dtype=np.int64).reshape(shape),
        notified_total=np.array(priced.notified_total, dtype=np.int64),
    )
    totals = np.array(priced.totals, dtype=np.int64).reshape(scenarios, -1)
    return totals, columns
