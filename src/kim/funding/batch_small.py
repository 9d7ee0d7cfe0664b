"""The batch engine's arithmetic in plain Python integers: a second, independent path.

[`price(..., engine="python")`][kim.funding.batch.price] computes each line with Python
integers instead of NumPy columns. The rules are the same, operation for operation: rate ×
units × months / 12 as one exact product rounded once, half up; the cap at the actual
cost; refused lines at 0; workplaces and events lines in Baustein 1. The tests check that
both paths give the same cents as [`grant()`][kim.funding.rules.grant] on random batches.

It was written for small batches, but measured against the NumPy path (whose fixed cost
is now about 0.1 ms) it is slower from 4 lines on (1.1 × the time at 4 lines, 4.4 × at
216; `benchmarks/batch.py`), so ``engine="auto"`` uses it only up to
[`SMALL_BATCH`][kim.funding.batch_small.SMALL_BATCH] scenario-lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from kim.funding.batch_units import COMPONENT_OF_KIND, DENOMINATOR, FTE_SCALE, WORKPLACE_KINDS

__all__ = ["SMALL_BATCH", "Inputs", "Priced", "price_rows"]

SMALL_BATCH = 2
"""Scenario-lines up to which ``price(engine="auto")`` uses Python integers: the measured
crossover (see `docs/performance.md`)."""

_HALF = DENOMINATOR // 2
_HALF_FTE = FTE_SCALE // 2


class Inputs(NamedTuple):
    """One batch as Python lists: per scenario row, per line (see `PostBatch`)."""

    rates: Sequence[Sequence[int]]
    """Per row, per kind: the rate in cents per FTE (rates per half post already doubled)."""
    unit: Sequence[int]
    """Per line, its recipient."""
    kind: Sequence[int]
    """Per line, its kind of post."""
    fte: Sequence[Sequence[int]]
    """Per row, per line: scaled FTE."""
    months: Sequence[Sequence[int]]
    """Per row, per line: whole months filled."""
    cost: Sequence[Sequence[int]]
    """Per row, per line: the actual cost in cents, or -1."""
    keep: Sequence[Sequence[bool]] | None
    """Per row, per line: not refused (None: no line is refused)."""
    notice_months: int
    """Months of the notice."""
    units: int
    """Number of recipients."""
    workplace: Sequence[bool] | None = None
    """Per line: the post needs a new workplace."""
    workplace_cost: Sequence[int] = ()
    """Per line: the workplace's actual cost in cents, or -1."""
    workplace_rate: Sequence[int] = ()
    """Per row: the workplace rate in cents per FTE."""
    measures: Sequence[int] | None = None
    """Per recipient: the settled events-and-measures amount in cents, or 0."""


class Priced(NamedTuple):
    """Per row: the lines' cents, the totals per (recipient, component), the notified total."""

    full: list[list[int]]
    """Per row, per line: before the cap."""
    amount: list[list[int]]
    """Per row, per line: the settled amount."""
    capped: list[list[bool]]
    """Per row, per line: capped at the cost."""
    refused: list[list[bool]]
    """Per row, per line: refused."""
    notified: list[list[int]]
    """Per row, per line: the notified amount."""
    workplace: list[list[int]]
    """Per row, per line: the workplace line's settled amount (0 when none)."""
    totals: list[list[int]]
    """Per row: cents per recipient × 3 + component."""
    notified_total: list[int]
    """Per row: the notified amount of all lines."""


def price_rows(x: Inputs) -> Priced:
    """Price every row of a small batch with Python integers.

    Examples:
        >>> x = Inputs(rates=[[5700000]], unit=[0], kind=[0], fte=[[1_500_000]],
        ...            months=[[6]], cost=[[-1]], keep=None, notice_months=12, units=1)
        >>> p = price_rows(x)
        >>> p.amount, p.notified, p.totals
        ([[4275000]], [[8550000]], [[4275000, 0, 0]])

    """
    out = Priced([], [], [], [], [], [], [], [])
    lines = range(len(x.kind))
    group = [u * 3 + COMPONENT_OF_KIND[k] for u, k in zip(x.unit, x.kind, strict=True)]
    for s, rate in enumerate(x.rates):
        fte, months, cost = x.fte[s], x.months[s], x.cost[s]
        base = [rate[k] * f for k, f in zip(x.kind, fte, strict=True)]
        full_row = [(b * m + _HALF) // DENOMINATOR for b, m in zip(base, months, strict=True)]
        capped_row = [0 <= c < f for f, c in zip(full_row, cost, strict=True)]
        notice = x.notice_months
        notified_row = [(b * notice + _HALF) // DENOMINATOR for b in base]
        if x.keep is None:
            refused_row = [False] * len(base)
        else:
            refused_row = [not k for k in x.keep[s]]
            capped_row = [c and not r for c, r in zip(capped_row, refused_row, strict=True)]
            notified_row = [0 if r else n for n, r in zip(notified_row, refused_row, strict=True)]
        amount_row = [
            0 if r else (c if p else f)
            for f, c, p, r in zip(full_row, cost, capped_row, refused_row, strict=True)
        ]
        totals = [0] * (3 * x.units)
        for g, amount in zip(group, amount_row, strict=True):
            totals[g] += amount
        notified_total = sum(notified_row)
        workplace_row = [0] * len(lines)
        if x.workplace is not None:
            wp_rate = x.workplace_rate[s]
            for i in lines:
                if not (x.workplace[i] and WORKPLACE_KINDS[x.kind[i]] and not refused_row[i]):
                    continue
                if months[i] == 0:
                    continue
                full = (wp_rate * fte[i] + _HALF_FTE) // FTE_SCALE
                c = x.workplace_cost[i]
                amount = c if 0 <= c < full else full
                workplace_row[i] = amount
                totals[x.unit[i] * 3] += amount
                notified_total += full
        if x.measures is not None:
            for u, amount in enumerate(x.measures):
                totals[u * 3] += amount
                notified_total += amount
        out.full.append(full_row)
        out.amount.append(amount_row)
        out.capped.append(capped_row)
        out.refused.append(refused_row)
        out.notified.append(notified_row)
        out.workplace.append(workplace_row)
        out.totals.append(totals)
        out.notified_total.append(notified_total)
    return out
