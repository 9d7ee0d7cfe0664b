"""The exact batch engine: post lines of many recipients and many scenarios as columns.

[`kim.funding.grant()`][kim.funding.rules.grant] builds one validated, explained
[`Grant`][kim.funding.model.Grant] per plan. Studies and apps that price thousands of recipients or
thousands of scenarios need only the money, so this module computes the same post lines as columns
of NumPy ``int64``:

* money in **integer cents**, FTE as integers scaled by [`FTE_SCALE`][kim.funding.batch.FTE_SCALE],
  months as whole months (0-12);
* each line is rate × units × months / 12, computed as one exact integer product and
  rounded **once, half up** to the cent (the rule of [`Euro`][kim.money.Euro] and
  [`line_amount()`][kim.funding.rules.line_amount]), then capped at the actual cost when one is
  given;
* the **notified** amount of a line is the same product for the months of the notice
  (a whole year by default), without the cap;
* eligibility is decided once per unit and component
  ([`eligibility()`][kim.funding.batch.eligibility]), the minimum post share once per year; refused
  lines carry 0 cents;
* a value that could leave the ``int64`` range raises [`InputError`][kim.errors.InputError]
  before anything is computed: nothing ever wraps around.

Rates can be one row (``(kinds,)``) or one row per scenario (``(scenarios, kinds)``);
FTE, months and costs can be one column per line or one row per scenario, so a sweep
can vary staffing, months and costs as well as rates. The tests check, with random
plans, that every line and every total equals [`grant()`][kim.funding.rules.grant] to the cent.

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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import numpy.typing as npt

from kim.components import Component, PostKind
from kim.errors import InputError, MissingValueError
from kim.money import Euro

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

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

FTE_SCALE = 1_000_000
"""FTE are integers in millionths of a full-time equivalent (``0.5`` FTE is 500,000)."""

NO_COST = -1
"""The cost column's value for a line whose actual cost is not given (no cap)."""

NO_RATE = -1
"""A rate the parameter set does not know for the year (see `kind_rates()`)."""

KINDS: tuple[PostKind, ...] = tuple(PostKind)
"""The kinds of post in column order: the ``kind`` column holds indices into this."""

_COMPONENTS: tuple[Component, ...] = tuple(Component)
_KIND_COMPONENT = np.array([_COMPONENTS.index(k.component) for k in KINDS], dtype=np.int64)
_DENOMINATOR = 12 * FTE_SCALE
_LIMIT = 0.999 * 2**63
"""Products and sums are checked in floating point against this bound (a 0.1 % margin)."""
_INT64_MAX = int(np.iinfo(np.int64).max)


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
    return _ints(out, "fte")


def _ints(values: Any, name: str) -> Ints:
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as error:  # pragma: no cover - ragged input
        raise InputError(f"{name} must be an array of integers: {error}") from None
    if array.dtype == np.bool_ or not np.issubdtype(array.dtype, np.integer):
        if array.size == 0:
            return np.zeros(array.shape, dtype=np.int64)
        raise InputError(
            f"{name} must hold integers, got {array.dtype}; scale FTE with fte_scaled() and "
            "give money in cents."
        )
    if array.dtype == np.uint64 and array.size and int(array.max()) > _INT64_MAX:
        raise InputError(f"{name} holds values above the int64 range; split or scale them.")
    return array.astype(np.int64, copy=False)


def _check_range(array: Ints, name: str, low: int, high: int | None = None) -> int:
    """Refuse values outside ``low..high``; return the largest value (0 when empty)."""
    if array.size == 0:
        return 0
    largest = int(array.max())
    if int(array.min()) < low or (high is not None and largest > high):
        bound = f"from {low}" + (f" to {high}" if high is not None else " up")
        raise InputError(f"{name} must be {bound}; got values outside that range.")
    return largest


def _lines_shape(array: Ints, lines: int, name: str) -> Ints:
    if array.ndim == 0:
        return np.broadcast_to(array, (lines,))
    if array.ndim > 2 or array.shape[-1] != lines:
        raise InputError(
            f"{name} has shape {array.shape}; expected ({lines},) for one value per line or "
            f"(scenarios, {lines}) for one row per scenario."
        )
    return array


@dataclass(frozen=True, eq=False)
class PostBatch:
    """Post lines of many recipients for one funding year, as columns.

    Args:
        units: a label per recipient (a KIM unit key or any name for synthetic units).
        year: the funding year.
        unit: per line, the index of its recipient in ``units``.
        kind: per line, the index of its kind of post in [`KINDS`][kim.funding.batch.KINDS].
        fte: per line, FTE × [`FTE_SCALE`][kim.funding.batch.FTE_SCALE] (see
            [`fte_scaled()`][kim.funding.batch.fte_scaled]).
        months: per line, whole months filled in the year (default 12).
        cost: per line, the actual cost in cents, or [`NO_COST`][kim.funding.batch.NO_COST].
        eligible: per recipient and component (``(units, 3)``), whether it may be funded;
            default all. [`eligibility()`][kim.funding.batch.eligibility] decides it for KIM units.
        allowed: per line, whether the line may be paid at all; default all. ``from_plans``
            sets it to False for money passed on outside the Kreis (``forwarding_within_kreis``).

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

    def __post_init__(self) -> None:
        unit = _ints(self.unit, "unit")
        if unit.ndim != 1:
            raise InputError(f"unit must be one column, got shape {unit.shape}")
        n = unit.shape[0]
        kind = _lines_shape(_ints(self.kind, "kind"), n, "kind")
        if kind.ndim != 1:
            raise InputError("kind must be one column (one kind per line)")
        fte = _lines_shape(_ints(self.fte, "fte"), n, "fte")
        months = _lines_shape(_ints(self.months, "months"), n, "months")
        cost = _lines_shape(_ints(self.cost, "cost"), n, "cost")
        _check_range(unit, "unit", 0, len(self.units) - 1)
        _check_range(kind, "kind", 0, len(KINDS) - 1)
        _check_range(fte, "fte", 1)
        _check_range(months, "months", 0, 12)
        _check_range(cost, "cost", NO_COST)
        if self.eligible is None:
            eligible = np.ones((len(self.units), len(_COMPONENTS)), dtype=np.bool_)
        else:
            eligible = np.asarray(self.eligible, dtype=np.bool_)
            if eligible.shape != (len(self.units), len(_COMPONENTS)):
                raise InputError(
                    f"eligible has shape {eligible.shape}; expected ({len(self.units)}, 3)"
                )
        allowed = None
        if self.allowed is not None:
            allowed = np.asarray(self.allowed, dtype=np.bool_)
            if allowed.shape != (n,):
                raise InputError(f"allowed has shape {allowed.shape}; expected ({n},)")
        for name, value in (
            ("unit", unit), ("kind", kind), ("fte", fte), ("months", months), ("cost", cost),
            ("eligible", eligible), ("allowed", allowed),
        ):  # fmt: skip
            object.__setattr__(self, name, value)
        object.__setattr__(self, "units", tuple(self.units))

    @property
    def lines(self) -> int:
        """The number of lines."""
        return int(self.unit.shape[0])

    @cached_property
    def grouping(self) -> tuple[Ints | None, Ints, Ints]:
        """How lines fall into (recipient, component) groups, computed once per batch."""
        return _grouping(self.unit * len(_COMPONENTS) + _KIND_COMPONENT[self.kind])

    @classmethod
    def from_plans(
        cls, plans: Sequence[StaffingPlan], *, territory: Territory | None = None
    ) -> PostBatch:
        """The post lines of staffing plans of one year, eligibility decided per unit.

        Eligibility is decided as [`grant()`][kim.funding.rules.grant] does: once per plan and
        component, on the last day a post of that component is filled. Plans with a
        workplace or an events-and-measures line are refused: those lines are priced by
        [`grant()`][kim.funding.rules.grant] only.
        """
        from kim.components import EmployerKind
        from kim.eligibility import Outcome, decide, forwarding_target_reason
        from kim.periods import year_share
        from kim.territory.registry import embedded_territory

        terr = embedded_territory() if territory is None else territory
        years = {p.year for p in plans}
        if len(years) != 1:
            raise InputError(f"a batch holds plans of one year; got years {sorted(years)}")
        (year,) = years
        year_end = date(year, 12, 31)
        units, unit, kind, fte, months, cost, allowed = [], [], [], [], [], [], []
        eligible = np.ones((len(plans), len(_COMPONENTS)), dtype=np.bool_)
        for i, plan in enumerate(plans):
            if plan.measures is not None or any(p.needs_new_workplace for p in plan.posts):
                raise InputError(
                    f"plan {i + 1} has a workplace or events line; the batch engine prices "
                    "post lines only. Use kim.funding.grant() for it."
                )
            district = terr.district(plan.recipient)
            units.append(district.key)
            last: dict[Component, date] = {}
            for post in plan.posts:
                end = year_end if post.filled is None else min(post.filled.end, year_end)
                c = post.kind.component
                last[c] = max(last.get(c, end), end)
                unit.append(i)
                kind.append(KINDS.index(post.kind))
                fte.append(post.fte)
                months.append(12 if post.filled is None else year_share(post.filled, year).months)
                cost.append(NO_COST if post.actual_cost is None else post.actual_cost.cents)
                allowed.append(
                    post.employer is not EmployerKind.MUNICIPALITY
                    or forwarding_target_reason(
                        district, post.final_recipient_key, date(year, 1, 1)
                    ).held
                    is not False
                )
            for c, day in last.items():
                decision = decide(district, c, day, territory=terr)
                eligible[i, _COMPONENTS.index(c)] = decision.outcome is not Outcome.NOT_ELIGIBLE
        return cls(
            units=tuple(units),
            year=year,
            unit=np.array(unit, dtype=np.int64),
            kind=np.array(kind, dtype=np.int64),
            fte=fte_scaled(fte),
            months=np.array(months, dtype=np.int64),
            cost=np.array(cost, dtype=np.int64),
            eligible=eligible,
            allowed=np.array(allowed, dtype=np.bool_),
        )


def eligibility(units: Sequence[str], year: int, *, territory: Territory | None = None) -> Bools:
    """Whether each KIM unit may be funded for each component, decided on 31 December.

    One decision per unit and component (``undetermined`` counts as eligible, as in
    [`grant()`][kim.funding.rules.grant]); the result is a ``(units, 3)`` boolean array for
    [`PostBatch`][kim.funding.batch.PostBatch].

    Examples:
        >>> eligibility(["05558", "05711"], 2023).tolist()
        [[True, True, True], [True, True, True]]

    """
    from kim.eligibility import Outcome, decide
    from kim.territory.registry import embedded_territory

    terr = embedded_territory() if territory is None else territory
    on = date(year, 12, 31)
    out = np.ones((len(units), len(_COMPONENTS)), dtype=np.bool_)
    for i, key in enumerate(units):
        district = terr.district(key)
        for j, c in enumerate(_COMPONENTS):
            out[i, j] = decide(district, c, on, territory=terr).outcome is not Outcome.NOT_ELIGIBLE
    return out


def kind_rates(year: int, parameters: ParameterSet | Sequence[ParameterSet] | None = None) -> Ints:
    """The flat rate of every kind of post in cents, per unit of its reference period.

    One parameter set gives a ``(kinds,)`` row; a sequence (one set per scenario) gives
    ``(scenarios, kinds)``. Rates are read strictly ([`rate_for()`][kim.funding.rules.rate_for]); a
    rate not known for the year is [`NO_RATE`][kim.funding.batch.NO_RATE], and
    [`price()`][kim.funding.batch.price] raises the
    [`MissingValueError`][kim.errors.MissingValueError] only if a line needs it.

    Examples:
        >>> kind_rates(2023).tolist()
        [5700000, 2250000, 5700000, -1, -1]

    """
    from kim.funding.rules import RATE_PARAMETERS, rate_for
    from kim.parameters.loader import embedded_parameters

    def cents(kind: PostKind, params: ParameterSet) -> int:
        try:
            return Euro(rate_for(RATE_PARAMETERS[kind], year, params).value).cents
        except MissingValueError:
            return NO_RATE

    def row(params: ParameterSet) -> list[int]:
        return [cents(k, params) for k in KINDS]

    if parameters is None:
        return np.array(row(embedded_parameters()), dtype=np.int64)
    if isinstance(parameters, Sequence):
        return np.array([row(p) for p in parameters], dtype=np.int64).reshape(-1, len(KINDS))
    return np.array(row(parameters), dtype=np.int64)


_YEAR_VALUES: dict[tuple[int, int], tuple[ParameterSet, Ints, int | None]] = {}


def _year_values(year: int, parameters: ParameterSet) -> tuple[Ints, int | None]:
    """The unit factors and the minimum share of a year (a parameter set is immutable)."""
    key = (id(parameters), year)
    found = _YEAR_VALUES.get(key)
    if found is None or found[0] is not parameters:
        if len(_YEAR_VALUES) > 64:
            _YEAR_VALUES.clear()
        found = (parameters, _factors(year, parameters), _minimum(year, parameters))
        _YEAR_VALUES[key] = found
    return found[1], found[2]


def _factors(year: int, parameters: ParameterSet) -> Ints:
    """Per kind: 1 for a rate per FTE, 2 for a rate per half post (units = FTE / 0.5)."""
    from kim.funding.rules import RATE_PARAMETERS
    from kim.parameters.model import ReferencePeriod

    out = []
    for k in KINDS:
        period = parameters[RATE_PARAMETERS[k]].reference_period
        if period is ReferencePeriod.HALF_FTE_YEAR:
            out.append(2)
        elif period in (ReferencePeriod.FTE_YEAR, ReferencePeriod.NEW_FTE):
            out.append(1)
        else:
            raise InputError(
                f"{RATE_PARAMETERS[k]} is given {period.value}; a rate per FTE or per half "
                "post is needed"
            )
    return np.array(out, dtype=np.int64)


def _minimum(year: int, parameters: ParameterSet) -> int | None:
    try:
        value = parameters.value("minimum_post_share", date(year, 1, 1)).value
    except MissingValueError:
        return None
    scaled = value * FTE_SCALE
    return int(scaled.to_integral_value(rounding="ROUND_CEILING"))


def _guard(*largest: int, what: str) -> None:
    """Refuse when the product of the largest values (exact integers) leaves int64."""
    product = 1
    for value in largest:
        product *= value
    if product > _INT64_MAX:
        raise InputError(
            f"{what} could exceed the int64 range of the batch engine (about 9.2e18 cents); "
            "nothing was computed. Split the batch or use kim.funding.grant()."
        )


_HALF_DENOMINATOR = _DENOMINATOR // 2


def _rounded(numerator: Ints) -> Ints:
    """``numerator / (12 × FTE_SCALE)`` rounded half up (numerator >= 0)."""
    out: Ints = (numerator + _HALF_DENOMINATOR) // _DENOMINATOR
    return out


def line_cents(
    rate: npt.ArrayLike, units: npt.ArrayLike, months: npt.ArrayLike, cost: npt.ArrayLike
) -> tuple[Ints, Ints, Bools]:
    """`line_amount()` on columns: ``(full, amount, capped)`` in cents.

    ``rate`` in cents, ``units`` scaled by [`FTE_SCALE`][kim.funding.batch.FTE_SCALE], ``months``
    0-12, ``cost`` in cents or [`NO_COST`][kim.funding.batch.NO_COST]; the arrays broadcast.
    ``full`` is rate × units × months / 12 rounded once, half up; ``amount`` is the lower of
    ``full`` and the cost.

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
        _ints(rate, "rate"), _ints(units, "units"), _ints(months, "months"), _ints(cost, "cost")
    )  # fmt: skip
    product = 1
    for name, array in (("rate", r), ("units", u), ("months", m)):
        product *= _check_range(array, name, 0)
    _check_range(c, "cost", NO_COST)
    _guard(product + _HALF_DENOMINATOR, what="rate × units × months")
    full = _rounded(r * u * m)
    capped: Bools = (c >= 0) & (c < full)
    amount: Ints = np.where(capped, c, full)
    return full, amount, capped


def _grouping(groups: Ints) -> tuple[Ints | None, Ints, Ints]:
    """The order that sorts ``groups`` (None if sorted), the sorted groups and the starts."""
    if groups.size < 2 or bool((groups[1:] >= groups[:-1]).all()):
        order, keys = None, groups
    else:
        order = np.argsort(groups, kind="stable")
        keys = groups[order]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if keys.size else keys
    return order, keys, starts


def _sum_grouped(v: Ints, grouping: tuple[Ints | None, Ints, Ints], size: int) -> Ints:
    order, keys, starts = grouping
    out = np.zeros((v.shape[0], size), dtype=np.int64)
    if keys.size:
        _guard(int(v.max()), v.shape[1], what="the sum of the lines")
        ordered = v if order is None else v[:, order]
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
    v = _ints(values, "values")
    v = v[None, :] if v.ndim == 1 else v
    g = _ints(groups, "groups")
    _check_range(g, "groups", 0, size - 1)
    _check_range(v, "values", 0)
    return _sum_grouped(v, _grouping(g), size)


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The priced lines and totals of a `PostBatch`, in cents, as columns.

    Per-line arrays have shape ``(scenarios, lines)`` and are ``None`` in totals-only mode
    (``price(..., lines=False)``).
    """

    units: tuple[str, ...]
    """The recipients, as in the batch."""
    unit_totals: Ints
    """Cents per scenario, recipient and component: ``(scenarios, units, 3)``."""
    totals: Ints
    """Cents per scenario and component: ``(scenarios, 3)``."""
    total: Ints
    """Cents per scenario: ``(scenarios,)``."""
    notified_total: Ints
    """The notified amount (whole notice, no cap) per scenario: ``(scenarios,)``."""
    full: Ints | None = None
    """Per line: rate × units × months / 12, rounded once, before the cap."""
    amount: Ints | None = None
    """Per line: the settled amount (capped at the cost; 0 when refused)."""
    capped: Bools | None = None
    """Per line: whether the cost capped the line."""
    refused: Bools | None = None
    """Per line: refused by eligibility or the minimum post share."""
    notified: Ints | None = None
    """Per line: rate × units × notice months / 12, no cap (0 when refused)."""

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
        flat = self.unit_totals.reshape(s * u, len(_COMPONENTS))
        frame = pd.DataFrame(flat, index=index, columns=[f"b{c.value}" for c in _COMPONENTS])
        frame["total"] = flat.sum(axis=1)
        return frame


_A = TypeVar("_A", bound=np.generic)


def _rows(array: npt.NDArray[_A], shape: tuple[int, int]) -> npt.NDArray[_A]:
    """``array`` as ``(scenarios, lines)``: a cheap view when it is one row already."""
    if array.shape == shape:
        return array
    if array.ndim == 1 and shape[0] == 1:
        return array[None, :]
    return np.broadcast_to(array, shape)


def price(
    batch: PostBatch,
    rates: Ints,
    *,
    parameters: ParameterSet | None = None,
    notice_months: int = 12,
    lines: bool = True,
) -> BatchResult:
    """Price every line of ``batch`` for every row of ``rates``.

    Args:
        batch: the lines.
        rates: cents per kind ([`kind_rates()`][kim.funding.batch.kind_rates]), ``(kinds,)`` or
            ``(scenarios, kinds)``.
        parameters: where the reference periods of the rates and the minimum post share
            are read (the embedded set by default).
        notice_months: months of the notice for the notified amount (12: the whole year).
        lines: keep the per-line columns; ``False`` keeps only the totals.

    Raises:
        InputError: a value out of range or a product or sum that could leave int64.

    """
    from kim.parameters.loader import embedded_parameters

    params = embedded_parameters() if parameters is None else parameters
    rate_rows = _ints(rates, "rates")
    if rate_rows.ndim == 1:
        rate_rows = rate_rows[None, :]
    if rate_rows.ndim != 2 or rate_rows.shape[1] != len(KINDS):
        raise InputError(f"rates has shape {rate_rows.shape}; expected (scenarios, {len(KINDS)})")
    _check_range(rate_rows, "rates", NO_RATE)
    used = np.zeros(len(KINDS), dtype=np.bool_)
    used[batch.kind] = True
    for k in np.flatnonzero(used & (rate_rows < 0).any(axis=0)):
        from kim.funding.rules import RATE_PARAMETERS, rate_for

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
    factors, minimum = _year_values(batch.year, params)
    units = batch.fte * factors[batch.kind]
    rate = rate_rows[:, batch.kind]
    eligible = (
        np.ones((len(batch.units), 3), np.bool_) if batch.eligible is None else batch.eligible
    )
    keep = eligible[batch.unit, _KIND_COMPONENT[batch.kind]]
    if batch.allowed is not None:
        keep = keep & batch.allowed
    if minimum is not None:
        keep = keep & (batch.fte >= minimum)
    longest = max(int(batch.months.max(initial=0)), notice_months)
    largest_units = int(units.max(initial=0))
    _guard(
        int(rate.max(initial=0)) * largest_units * longest + _HALF_DENOMINATOR,
        what="rate × units × months",
    )
    base = rate * units
    full = _rounded(base * batch.months)
    capped = (batch.cost >= 0) & (batch.cost < full)
    amount: Ints = np.where(keep, np.where(capped, batch.cost, full), 0)
    capped = capped & keep
    notified: Ints = np.where(keep, _rounded(base * notice_months), 0)
    amount = _rows(amount, (scenarios, batch.lines))
    size = len(batch.units) * len(_COMPONENTS)
    unit_totals = _sum_grouped(amount, batch.grouping, size)
    by_unit = unit_totals.reshape(scenarios, len(batch.units), len(_COMPONENTS))
    totals = by_unit.sum(axis=1)
    refused = ~keep
    _guard(int(notified.max(initial=0)), batch.lines, what="the sum of the notified lines")
    notified_rows = _rows(notified, (scenarios, batch.lines))
    result = BatchResult(
        units=batch.units,
        unit_totals=by_unit,
        totals=totals,
        total=totals.sum(axis=1),
        notified_total=_sum_grouped(
            notified_rows, (None, np.zeros(1, np.int64), np.zeros(1, np.int64)), 1
        )[:, 0]
        if batch.lines
        else np.zeros(scenarios, dtype=np.int64),
    )
    if not lines:
        return result
    shape = (scenarios, batch.lines)
    return BatchResult(
        units=result.units,
        unit_totals=by_unit,
        totals=totals,
        total=result.total,
        notified_total=result.notified_total,
        full=_rows(full, shape),
        amount=amount,
        capped=_rows(capped, shape),
        refused=_rows(refused, shape),
        notified=notified_rows,
    )
