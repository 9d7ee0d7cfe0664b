"""What the batch engine reads from the parameter set and the territory, once per batch.

* [`kind_rates()`][kim.funding.batch_rates.kind_rates]: the flat rate of every kind of post in
  cents, one row per parameter set;
* [`year_values()`][kim.funding.batch_rates.year_values]: per kind, the units of its rate (per
  FTE or per half post) and the minimum post share of the year;
* [`workplace_rate()`][kim.funding.batch_rates.workplace_rate] and
  [`measures_caps()`][kim.funding.batch_rates.measures_caps]: the workplace rate and the
  recipients' own caps for events and measures;
* [`eligibility()`][kim.funding.batch_rates.eligibility] and
  [`plan_columns()`][kim.funding.batch_rates.plan_columns]: eligibility decided once per unit
  and component, as [`grant()`][kim.funding.rules.grant] decides it.

Rates are read strictly, with [`rate_for()`][kim.funding.rules.rate_for], the function the
grant rules use.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from kim.components import Component, PostKind
from kim.errors import InputError, MissingValueError
from kim.funding.batch_columns import (
    Bools,
    Ints,
    fte_scaled,
)
from kim.funding.batch_units import (
    COMPONENTS,
    FTE_SCALE,
    KINDS,
    NO_COST,
    NO_RATE,
)
from kim.money import Euro

if TYPE_CHECKING:  # pragma: no cover
    from kim.funding.model import StaffingPlan
    from kim.parameters.model import ParameterSet
    from kim.territory.registry import Territory

__all__ = [
    "eligibility",
    "kind_rates",
    "measures_caps",
    "plan_columns",
    "workplace_rate",
    "year_values",
]


def kind_rates(year: int, parameters: ParameterSet | Sequence[ParameterSet] | None = None) -> Ints:
    """The flat rate of every kind of post in cents, per unit of its reference period.

    One parameter set gives a ``(kinds,)`` row; a sequence (one set per scenario) gives
    ``(scenarios, kinds)``. Rates are read strictly ([`rate_for()`][kim.funding.rules.rate_for]); a
    rate not known for the year is [`NO_RATE`][kim.funding.batch_units.NO_RATE], and
    [`price()`][kim.funding.batch.price] raises the
    [`MissingValueError`][kim.errors.MissingValueError] only if a line needs it.

    Examples:
        >>> kind_rates(2023).tolist()
        [5700000, 2250000, 5700000, -1, -1]

    """
    from kim.funding.rates import RATE_PARAMETERS, rate_for
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


_YEAR_VALUES: dict[tuple[int, int], tuple[ParameterSet, tuple[int, ...], int | None]] = {}


def year_values(year: int, parameters: ParameterSet) -> tuple[tuple[int, ...], int | None]:
    """Per kind, the factor from FTE to rate units, and the minimum share in millionths.

    The factor is 1 for a rate per FTE and 2 for a rate per half post (units = FTE / 0.5);
    the minimum post share is None when the year has none. Cached per parameter set
    (a parameter set is immutable).

    Examples:
        >>> from kim.parameters import embedded_parameters
        >>> year_values(2023, embedded_parameters())
        ((1, 2, 1, 2, 2), 500000)

    """
    key = (id(parameters), year)
    found = _YEAR_VALUES.get(key)
    if found is None or found[0] is not parameters:
        if len(_YEAR_VALUES) > 64:
            _YEAR_VALUES.clear()
        found = (parameters, _factors(parameters), _minimum(year, parameters))
        _YEAR_VALUES[key] = found
    return found[1], found[2]


def _factors(parameters: ParameterSet) -> tuple[int, ...]:
    from kim.funding.rates import RATE_PARAMETERS
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
    return tuple(out)


def _minimum(year: int, parameters: ParameterSet) -> int | None:
    try:
        value = parameters.value("minimum_post_share", date(year, 1, 1)).value
    except MissingValueError:
        return None
    scaled = value * FTE_SCALE
    return int(scaled.to_integral_value(rounding="ROUND_CEILING"))


def workplace_rate(year: int, parameters: ParameterSet) -> int:
    """The workplace rate of ``year`` in cents per FTE, read strictly.

    Raises:
        MissingValueError: the year has no workplace rate.

    Examples:
        >>> from kim.parameters import embedded_parameters
        >>> workplace_rate(2022, embedded_parameters())
        970000

    """
    from kim.funding.rates import WORKPLACE_PARAMETER, rate_for

    return Euro(rate_for(WORKPLACE_PARAMETER, year, parameters).value).cents


def measures_caps(units: Sequence[str], year: int, parameters: ParameterSet) -> Ints:
    """Per recipient, its own cap for events and measures in cents, or ``NO_COST`` (none).

    A cap applies when the parameter set holds a value of ``coordination_measures_budget``
    scoped to the recipient for the year, as in [`grant()`][kim.funding.rules.grant].

    Examples:
        >>> from kim.parameters import embedded_parameters
        >>> measures_caps(["05558"], 2023, embedded_parameters()).tolist()
        [-1]

    """
    from kim.funding.rates import MEASURES_PARAMETER, rate_for

    out = np.full(len(units), NO_COST, dtype=np.int64)
    if MEASURES_PARAMETER not in parameters:
        return out
    scope = parameters[MEASURES_PARAMETER].scope
    for i, unit in enumerate(units):
        if unit == scope:
            try:
                out[i] = Euro(rate_for(MEASURES_PARAMETER, year, parameters).value).cents
            except MissingValueError:
                continue
    return out


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
    out = np.ones((len(units), len(COMPONENTS)), dtype=np.bool_)
    for i, key in enumerate(units):
        district = terr.district(key)
        for j, c in enumerate(COMPONENTS):
            out[i, j] = decide(district, c, on, territory=terr).outcome is not Outcome.NOT_ELIGIBLE
    return out


def plan_columns(
    plans: Sequence[StaffingPlan], *, territory: Territory | None = None
) -> dict[str, Any]:
    """The columns of staffing plans of one year, eligibility decided per plan and component.

    Eligibility is decided as [`grant()`][kim.funding.rules.grant] does: once per plan and
    component, on the last day a post of that component is filled (31 December for the
    coordination component of a plan with only an events-and-measures line); a line whose
    money is passed on outside the Kreis is not allowed (``forwarding_within_kreis``). The
    result holds the keyword arguments of [`PostBatch`][kim.funding.batch.PostBatch].

    Raises:
        InputError: plans of more than one year, or a recipient that is not a KIM unit.

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
    units, unit, kind, fte, months, cost = [], [], [], [], [], []
    workplace, workplace_cost, measures, allowed = [], [], [], []
    eligible = np.ones((len(plans), len(COMPONENTS)), dtype=np.bool_)
    for i, plan in enumerate(plans):
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
            workplace.append(post.needs_new_workplace)
            allowed.append(  # money passed on outside the Kreis is refused, as in grant()
                post.employer is not EmployerKind.MUNICIPALITY
                or forwarding_target_reason(
                    district, post.final_recipient_key, date(year, 1, 1)
                ).held
                is not False
            )
            workplace_cost.append(
                NO_COST if post.workplace_cost is None else post.workplace_cost.cents
            )
        measures.append(NO_COST if plan.measures is None else plan.measures.cents)
        if plan.measures is not None:
            last.setdefault(Component.COORDINATION, year_end)
        for c, day in last.items():
            decision = decide(district, c, day, territory=terr)
            eligible[i, COMPONENTS.index(c)] = decision.outcome is not Outcome.NOT_ELIGIBLE
    return {
        "units": tuple(units),
        "year": year,
        "unit": np.array(unit, dtype=np.int64),
        "kind": np.array(kind, dtype=np.int64),
        "fte": fte_scaled(fte),
        "months": np.array(months, dtype=np.int64),
        "cost": np.array(cost, dtype=np.int64),
        "eligible": eligible,
        "allowed": np.array(allowed, dtype=np.bool_),
        "workplace": np.array(workplace, dtype=np.bool_) if any(workplace) else None,
        "workplace_cost": np.array(workplace_cost, dtype=np.int64),
        "measures": np.array(measures, dtype=np.int64)
        if any(p.measures is not None for p in plans)
        else None,
    }
