"""The exact batch engine: post lines of many recipients and many scenarios as columns.

[`kim.funding.grant()`][kim.funding.rules.grant] builds one validated, explained
[`Grant`][kim.funding.model.Grant] per plan. Studies and apps that price thousands of recipients or
thousands of scenarios need only the money, so this module computes the same lines as columns
of NumPy ``int64``:

* money in **integer cents**, FTE as integers scaled by
  [`FTE_SCALE`][kim.funding.batch_units.FTE_SCALE], months as whole months (0-12);
* each post line is rate × units × months / 12, computed as one exact integer product and
  rounded **once, half up** to the cent (the rule of [`Euro`][kim.money.Euro] and
  [`line_amount()`][kim.funding.rules.line_amount]), then capped at the actual cost when one is
  given;
* a post that needs a new **workplace** gets the workplace rate × FTE (rounded once,
  capped at the workplace's cost; Baustein 1 kinds filled at least one month), and a
  recipient's **events and measures** are the amount asked for, capped at its own limit
  when the parameter set has one: both count in Baustein 1, as in
  [`grant()`][kim.funding.rules.grant];
* the **notified** amount of a line is the same product for the months of the notice
  (a whole year by default), without the cap;
* eligibility is decided once per unit and component
  ([`eligibility()`][kim.funding.batch_rates.eligibility]), the minimum post share once per
  year; refused lines carry 0 cents;
* a value that could leave the ``int64`` range raises [`InputError`][kim.errors.InputError]
  before anything is computed: nothing ever wraps around.

Rates can be one row (``(kinds,)``) or one row per scenario (``(scenarios, kinds)``);
FTE, months and costs can be one column per line or one row per scenario, so a sweep
can vary staffing, months and costs as well as rates. The arithmetic runs on NumPy
columns, or with Python integers ([`kim.funding.batch_small`][kim.funding.batch_small],
``engine="python"``); per-line columns other than the amounts are computed when first
read. The tests check, with random plans, that every line and every total equals
[`grant()`][kim.funding.rules.grant] to the cent, on both paths.

The columns, their checks and the rounding live in
[`kim.funding.batch_columns`][kim.funding.batch_columns], what is read from the parameter set in
[`kim.funding.batch_rates`][kim.funding.batch_rates], sums in
[`kim.funding.batch_sums`][kim.funding.batch_sums]; this module re-exports their public names.

Examples:
    >>> from kim.funding import StaffingPlan, grant
    >>> plans = [
    ...     StaffingPlan.from_fte("Kreis Coesfeld", 2023, {"case-management": "12.5"}),
    ...     StaffingPlan.from_fte(
    ...         "Bielefeld", 2023, {"coordination": 3}, costs={"coordination": 150000}
    ...     ),
    ... ]
    >>> batch = PostBatch.from_plans(plans)
    >>> result = price(batch, kind_rates(2023))
    >>> result.unit_totals[0].sum(axis=1).tolist()
    [71250000, 15000000]
    >>> [grant(p).total.cents for p in plans]
    [71250000, 15000000]

Columns can describe recipients that are not KIM units, for synthetic studies:

Examples:
    >>> import numpy as np
    >>> synthetic = PostBatch(
    ...     units=("a", "b"),
    ...     year=2023,
    ...     unit=np.array([0, 1, 1]),
    ...     kind=np.array([kind_index("case-management"), kind_index("coordination"),
    ...                    kind_index("case-management")]),
    ...     fte=fte_scaled(["2", "1.5", "0.25"]),
    ... )
    >>> result = price(synthetic, kind_rates(2023))
    >>> result.amount[0].tolist(), result.refused[0].tolist()
    ([11400000, 8550000, 0], [False, False, True])

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

import numpy as np

from kim.errors import InputError
from kim.funding.batch_columns import (
    KIND_COMPONENT,
    Bools,
    ColumnStats,
    Ints,
    check_range,
    fte_scaled,
    guard,
    int_column,
    kind_index,
    lines_shape,
)
from kim.funding.batch_paths import (
    check_bounds,
    keep_mask,
    measures_amounts,
    numpy_columns,
    python_columns,
)
from kim.funding.batch_rates import (
    eligibility,
    kind_rates,
    plan_columns,
    workplace_rate,
    year_values,
)
from kim.funding.batch_result import BatchResult
from kim.funding.batch_small import SMALL_BATCH
from kim.funding.batch_sums import (
    FLOAT_EXACT,
    Grouping,
    counted_sums,
    group_sums,
    grouping,
    line_cents,
    sum_by,
)
from kim.funding.batch_units import (
    COMPONENTS,
    FTE_SCALE,
    KINDS,
    NO_COST,
    NO_RATE,
)

if TYPE_CHECKING:  # pragma: no cover
    from kim.funding.model import StaffingPlan
    from kim.parameters.model import ParameterSet
    from kim.territory.registry import Territory

__all__ = [
    "FTE_SCALE",
    "KINDS",
    "NO_COST",
    "NO_RATE",
    "BatchResult",
    "PostBatch",
    "eligibility",
    "fte_scaled",
    "kind_index",
    "kind_rates",
    "line_cents",
    "price",
    "sum_by",
]


@dataclass(frozen=True, eq=False)
class PostBatch:
    """Post lines of many recipients for one funding year, as columns.

    Args:
        units: a label per recipient (a KIM unit key or any name for synthetic units).
        year: the funding year.
        unit: per line, the index of its recipient in ``units``.
        kind: per line, the index of its kind of post in
            [`KINDS`][kim.funding.batch_units.KINDS].
        fte: per line, FTE × [`FTE_SCALE`][kim.funding.batch_units.FTE_SCALE] (see
            [`fte_scaled()`][kim.funding.batch_columns.fte_scaled]).
        months: per line, whole months filled in the year (default 12).
        cost: per line, the actual cost in cents, or
            [`NO_COST`][kim.funding.batch_units.NO_COST].
        eligible: per recipient and component (``(units, 3)``), whether it may be funded;
            default all. [`eligibility()`][kim.funding.batch_rates.eligibility] decides it for
            KIM units.
        allowed: per line, whether the line may be paid at all; default all.
            ``from_plans`` sets it to False for money passed on outside the Kreis
            (``forwarding_within_kreis``).
        workplace: per line, whether the post needs a new workplace (default: none does).
        workplace_cost: per line, the workplace's actual cost in cents, or ``NO_COST``.
        measures: per recipient, the money asked for events and measures in cents, or
            ``NO_COST`` (default: none).

    Inputs are checked once, as arrays, when the batch is built; ``fte``, ``months`` and
    ``cost`` may also be given per scenario (``(scenarios, lines)``).

    """

    units: tuple[str, ...]
    year: int
    unit: Ints
    kind: Ints
    fte: Ints
    months: Ints = field(default_factory=lambda: np.array(12, dtype=np.int64))
    cost: Ints = field(default_factory=lambda: np.array(NO_COST, dtype=np.int64))
    eligible: Bools | None = None
    allowed: Bools | None = None
    workplace: Bools | None = None
    workplace_cost: Ints = field(default_factory=lambda: np.array(NO_COST, dtype=np.int64))
    measures: Ints | None = None
    stats: ColumnStats = field(init=False, repr=False)
    """What the checks found: the ranges of kinds, FTE and months, whether costs are given."""

    def __post_init__(self) -> None:
        unit = int_column(self.unit, "unit")
        if unit.ndim != 1:
            raise InputError(f"unit must be one column, got shape {unit.shape}")
        n = unit.shape[0]
        kind = lines_shape(int_column(self.kind, "kind"), n, "kind")
        if kind.ndim != 1:
            raise InputError("kind must be one column (one kind per line)")
        fte = lines_shape(int_column(self.fte, "fte"), n, "fte")
        months = int_column(self.months, "months")
        cost = int_column(self.cost, "cost")
        check_range(unit, "unit", 0, len(self.units) - 1)
        stats = ColumnStats(  # single values are checked before they are spread over lines
            check_range(kind, "kind", 0, len(KINDS) - 1),
            check_range(fte, "fte", 1),
            check_range(months, "months", 0, 12),
            check_range(cost, "cost", NO_COST)[1],
        )
        if n == 0:
            stats = ColumnStats((0, 0), (0, 0), (0, 0), NO_COST)
        months = lines_shape(months, n, "months")
        cost = lines_shape(cost, n, "cost")
        shape = (len(self.units), len(COMPONENTS))
        if self.eligible is None:
            eligible = np.ones(shape, dtype=np.bool_)
        else:
            eligible = np.asarray(self.eligible, dtype=np.bool_)
            if eligible.shape != shape:
                raise InputError(f"eligible has shape {eligible.shape}; expected {shape}")
        allowed = None
        if self.allowed is not None:
            allowed = np.asarray(self.allowed, dtype=np.bool_)
            if allowed.shape != (n,):
                raise InputError(f"allowed has shape {allowed.shape}; expected ({n},)")
            allowed = None if bool(allowed.all()) else allowed
        workplace, workplace_cost, measures = self.workplace, self.workplace_cost, self.measures
        if workplace is not None:
            workplace = np.asarray(workplace, dtype=np.bool_)
            if workplace.shape != (n,):
                raise InputError(f"workplace has shape {workplace.shape}; expected ({n},)")
            workplace = workplace if bool(workplace.any()) else None
        workplace_cost = int_column(workplace_cost, "workplace_cost")
        if workplace is not None:  # read only with workplaces
            workplace_cost = lines_shape(workplace_cost, n, "workplace_cost")
            if workplace_cost.ndim != 1:
                raise InputError("workplace_cost must be one column (one value per line)")
            check_range(workplace_cost, "workplace_cost", NO_COST)
        if measures is not None:
            measures = int_column(measures, "measures")
            if measures.shape != (len(self.units),):
                raise InputError(
                    f"measures has shape {measures.shape}; expected ({len(self.units)},)"
                )
            check_range(measures, "measures", NO_COST)
        for name, value in (
            ("unit", unit), ("kind", kind), ("fte", fte), ("months", months), ("cost", cost),
            ("eligible", eligible), ("allowed", allowed), ("workplace", workplace),
            ("workplace_cost", workplace_cost), ("measures", measures),
            ("units", tuple(self.units)), ("stats", stats),
        ):  # fmt: skip
            object.__setattr__(self, name, value)

    @property
    def lines(self) -> int:
        """The number of lines."""
        return int(self.unit.shape[0])

    @cached_property
    def grouping(self) -> Grouping:
        """How lines fall into (recipient, component) groups, computed once per batch."""
        return grouping(self.groups)

    @cached_property
    def groups(self) -> Ints:
        """Per line, its (recipient, component) group: recipient × 3 + component index."""
        out: Ints = self.unit * len(COMPONENTS) + KIND_COMPONENT[self.kind]
        return out

    @cached_property
    def kinds_used(self) -> tuple[int, ...]:
        """The kinds of post that occur.

        Indices into [`KINDS`][kim.funding.batch_units.KINDS].
        """
        counts = np.bincount(self.kind, minlength=len(KINDS))
        return tuple(int(k) for k in np.flatnonzero(counts))

    @classmethod
    def from_plans(
        cls, plans: Sequence[StaffingPlan], *, territory: Territory | None = None
    ) -> PostBatch:
        """The lines of staffing plans of one year, eligibility decided per unit.

        Eligibility is decided as [`grant()`][kim.funding.rules.grant] does: once per plan and
        component, on the last day a post of that component is filled. Workplaces and
        events-and-measures lines are kept (see
        [`plan_columns()`][kim.funding.batch_rates.plan_columns]).
        """
        return cls(**plan_columns(plans, territory=territory))


Engine = Literal["auto", "numpy", "python"]
"""Which arithmetic `price()` uses: chosen by size (``auto``), or forced."""


def price(
    batch: PostBatch,
    rates: Ints,
    *,
    parameters: ParameterSet | None = None,
    notice_months: int = 12,
    lines: bool = True,
    workplace: int | None = None,
    engine: Engine = "auto",
) -> BatchResult:
    """Price every line of ``batch`` for every row of ``rates``.

    Args:
        batch: the lines.
        rates: cents per kind ([`kind_rates()`][kim.funding.batch_rates.kind_rates]),
            ``(kinds,)`` or ``(scenarios, kinds)``.
        parameters: where the reference periods of the rates, the minimum post share, the
            workplace rate and the caps for events and measures are read (the embedded
            set by default).
        notice_months: months of the notice for the notified amount (12: the whole year).
        lines: keep the per-line columns; ``False`` keeps only the totals.
        workplace: the workplace rate in cents per FTE (default: read from ``parameters``
            when a line needs it).
        engine: ``python`` or ``numpy`` arithmetic; ``auto`` uses Python integers up to
            [`SMALL_BATCH`][kim.funding.batch_small.SMALL_BATCH] scenario-lines. Both give
            the same cents.

    Raises:
        InputError: a value out of range or a product or sum that could leave int64.
        MissingValueError: a rate a line needs is not known for the year.

    """
    from kim.parameters.loader import embedded_parameters

    params = embedded_parameters() if parameters is None else parameters
    rate_rows = int_column(rates, "rates")
    if rate_rows.ndim == 1:
        rate_rows = rate_rows[None, :]
    if rate_rows.ndim != 2 or rate_rows.shape[1] != len(KINDS):
        raise InputError(f"rates has shape {rate_rows.shape}; expected (scenarios, {len(KINDS)})")
    check_range(rate_rows, "rates", NO_RATE)
    stats: ColumnStats = batch.stats
    used = list(stats.kinds)
    if bool((rate_rows[:, used] < 0).any()):
        used = list(batch.kinds_used)  # only then find which kinds occur exactly
    for k in used:
        if bool((rate_rows[:, k] < 0).any()):
            from kim.funding.rates import RATE_PARAMETERS, rate_for

            rate_for(RATE_PARAMETERS[KINDS[k]], batch.year, params)  # raises MissingValueError
            raise InputError(f"rates of {KINDS[k].value} must not be negative")
    if not 0 <= notice_months <= 12:
        raise InputError(f"notice_months must be 0 to 12, got {notice_months}")
    scenarios = rate_rows.shape[0]
    for name in ("fte", "months", "cost"):
        column: Ints = getattr(batch, name)
        if column.ndim == 2 and column.shape[0] not in (1, scenarios):
            raise InputError(
                f"{name} has {column.shape[0]} scenario rows but rates has {scenarios}"
            )
    factors, minimum = year_values(batch.year, params)
    effective = rate_rows * np.array(factors, dtype=np.int64)
    wp_rate = 0
    if batch.workplace is not None:
        wp_rate = workplace_rate(batch.year, params) if workplace is None else workplace
        guard(wp_rate, stats.fte_max, what="workplace rate × FTE")
    measures = measures_amounts(batch, params)
    bound = check_bounds(batch, rate_rows, factors, used, max(stats.months_max, notice_months),
                          wp_rate, measures)  # fmt: skip
    keep = keep_mask(batch, minimum)
    size = len(batch.units) * len(COMPONENTS)
    if engine == "python" or (engine == "auto" and scenarios * batch.lines <= SMALL_BATCH):
        unit_totals, columns = python_columns(
            batch, effective, keep, notice_months, wp_rate, measures
        )
    else:
        columns = numpy_columns(batch, effective, keep, notice_months, wp_rate, measures)
        if bound < FLOAT_EXACT:
            unit_totals = counted_sums(columns.amount, batch.groups, size)
        else:
            unit_totals = group_sums(columns.amount, batch.grouping, size)
        if batch.workplace is not None:
            unit_totals += sum_by(columns.workplace, batch.unit * len(COMPONENTS), size)
        if batch.measures is not None:
            unit_totals[:, 0 :: len(COMPONENTS)] += measures
    by_unit = unit_totals.reshape(scenarios, len(batch.units), len(COMPONENTS))
    totals = by_unit.sum(axis=1)
    return BatchResult(
        units=batch.units,
        unit_totals=by_unit,
        totals=totals,
        total=totals.sum(axis=1),
        keep_lines=lines,
        line_columns=columns,
    )
