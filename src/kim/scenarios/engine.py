"""The run engine: eligibility, staffing and grants for all 54 units in one year.

For each unit and component the run

1. decides eligibility (on 31 December of the year);
2. takes the staffing from
   [`kim.scenarios.estimates.plan_staffing()`][kim.scenarios.estimates.plan_staffing] (supplied,
   observed or estimated);
3. computes the grant with [`kim.funding.grant()`][kim.funding.rules.grant]; a component whose flat
   rate is not known for the year has no figure (``missing``) rather than a guessed one.

The work is in three steps, so that a sweep can redo only the last one:
[`prepare()`][kim.scenarios.engine.prepare] (everything that does not depend on rates),
[`structure()`][kim.scenarios.engine.structure] (the grant lines to price) and
[`price()`][kim.scenarios.engine.price] (money on the lines).

Examples:
    >>> run = run_statewide(2023)
    >>> run.totals[Component.CASE_MANAGEMENT].amount > 0, len(run.units)
    (True, 54)

"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from kim._model import FrozenMap, KimModel, frozen_map
from kim.components import Component, PostKind
from kim.eligibility import Outcome, decide
from kim.errors import InputError, MissingValueError
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet, Status
from kim.scenarios.binding import bind_published
from kim.scenarios.estimates import StaffingEstimate, plan_staffing
from kim.scenarios.model import Scenario
from kim.scenarios.results import (
    ComponentFigure,
    FigureStatus,
    StatewideRun,
)
from kim.scenarios.summary import summarise
from kim.territory.model import District
from kim.territory.registry import embedded_territory

__all__ = [
    "PricedLine",
    "Structure",
    "UnitPlan",
    "columns",
    "default_year",
    "euro_cents",
    "evaluate",
    "figure",
    "figure_cents",
    "known_components",
    "paid_lines",
    "prepare",
    "price",
    "run_statewide",
    "structure",
]


def default_year(parameters: ParameterSet | None = None) -> int:
    """The latest year with a confirmed case-management flat rate (the report's default)."""
    params = embedded_parameters() if parameters is None else parameters
    years = [
        v.start.year for v in params["case_management_flat_rate"].values
        if v.status is Status.CONFIRMED
    ]  # fmt: skip
    if not years:
        raise InputError("no year has a confirmed case-management flat rate")
    return max(years)


class UnitPlan(KimModel):
    """Eligibility and staffing of one unit: everything that does not depend on rates."""

    unit: District
    eligibility: FrozenMap[Component, Outcome]
    staffing: FrozenMap[Component, StaffingEstimate]


def prepare(year: int, scenario: Scenario | None, params: ParameterSet) -> tuple[UnitPlan, ...]:
    """Eligibility and staffing of every unit (the rate-independent part of a run)."""
    staffing = plan_staffing(year, scenario, parameters=params)
    on = date(year, 12, 31)
    return tuple(
        UnitPlan.model_construct(
            unit=unit,
            eligibility=frozen_map({c: decide(unit, c, on).outcome for c in Component}),
            staffing=frozen_map(staffing[unit.key]),
        )
        for unit in embedded_territory().districts()
    )


def known_components(year: int, params: ParameterSet) -> dict[Component, str | None]:
    """Per component: None when its rates are known for the year, else why not."""
    from kim.funding import RATE_PARAMETERS, rate_for

    known: dict[Component, str | None] = dict.fromkeys(Component)
    for kind, parameter in RATE_PARAMETERS.items():
        if known[kind.component] is not None:
            continue
        try:
            rate_for(parameter, year, params)
        except MissingValueError as error:
            known[kind.component] = str(error)
    return known


class PricedLine(KimModel):
    """The rate-independent part of one grant line: what to price and how."""

    parameter: str
    units: Decimal
    months: int
    cost: Euro | None
    refused: bool


Structure = tuple[tuple[UnitPlan, dict[Component, tuple[PricedLine, ...] | None]], ...]
"""Per unit: its plan and, per component, the lines to price (None: nothing to price)."""


def structure(
    year: int, plans: tuple[UnitPlan, ...], params: ParameterSet
) -> tuple[dict[Component, str | None], Structure]:
    """Compute the grants once and keep, per unit and component, the lines to price.

    A component is ``None`` when its rates are unknown for the year, the unit is not
    eligible, or it has no staffing.
    """
    from kim.funding import LineKind, StaffingPlan, grants

    known = known_components(year, params)
    fundable: list[tuple[UnitPlan, dict[PostKind, Decimal]]] = []
    for plan in plans:
        posts: dict[PostKind, Decimal] = {}
        for c in Component:
            if known[c] is None and plan.eligibility[c] is Outcome.ELIGIBLE:
                posts.update(plan.staffing[c].staffing)
        fundable.append((plan, {k: v for k, v in posts.items() if v > 0}))
    staffing_plans = [
        StaffingPlan.from_fte(plan.unit.key, year, dict(posts.items()))
        for plan, posts in fundable
        if posts
    ]
    results = iter(grants(staffing_plans, parameters=params))
    out = []
    for plan, posts in fundable:
        result = next(results) if posts else None
        lines: dict[Component, tuple[PricedLine, ...] | None] = dict.fromkeys(Component)
        if result is not None:
            for c in Component:
                mine = [ln for ln in result.lines if ln.component is c]
                if not mine:
                    continue
                priced = []
                for ln in mine:
                    if (
                        ln.kind is not LineKind.POST
                        or ln.parameter is None
                        or ln.units is None
                        or ln.months is None
                    ):
                        raise InputError("the statewide run prices post lines only")
                    priced.append(
                        PricedLine.model_construct(
                            parameter=ln.parameter,
                            units=ln.units,
                            months=ln.months,
                            cost=ln.actual_cost,
                            refused=ln.refused is not None,
                        )
                    )
                lines[c] = tuple(priced)
        out.append((plan, lines))
    return known, tuple(out)


class Columns(NamedTuple):
    """The priced lines of a structure as batch columns (rate-independent, built once)."""

    parameters: tuple[str, ...]
    parameter: Any
    units: Any
    months: Any
    cost: Any
    figure: Any
    figures: int


def paid_lines(
    known: Mapping[Component, str | None], lines_of: Structure
) -> Iterator[tuple[int, PricedLine, int]]:
    """The lines that get money (eligible, rates known, not refused), in order.

    Yields, per line, its figure (unit × 3 + component), the line and its FTE in
    millionths ([`FTE_SCALE`][kim.funding.batch_units.FTE_SCALE]).

    Raises:
        InputError: an FTE with more than six decimals.

    """
    from kim.funding.batch_units import FTE_SCALE

    for u, (plan, lines) in enumerate(lines_of):
        for j, c in enumerate(Component):
            priced = lines[c]
            if priced is None or known[c] is not None:
                continue
            if plan.eligibility[c] is not Outcome.ELIGIBLE:
                continue
            for line in priced:
                if line.refused:
                    continue
                scaled = line.units * FTE_SCALE
                if scaled != scaled.to_integral_value():
                    raise InputError(f"FTE {line.units} has more than six decimals")
                yield u * len(Component) + j, line, int(scaled)


def columns(known: Mapping[Component, str | None], lines_of: Structure) -> Columns:
    """The lines that get money as NumPy columns: one figure per unit × component."""
    import numpy as np

    from kim.funding.batch_units import NO_COST

    names: dict[str, int] = {}
    parameter, units, months, cost, figure = [], [], [], [], []
    for at, line, scaled in paid_lines(known, lines_of):
        parameter.append(names.setdefault(line.parameter, len(names)))
        units.append(scaled)
        months.append(line.months)
        cost.append(NO_COST if line.cost is None else line.cost.cents)
        figure.append(at)
    return Columns(
        tuple(names),
        np.array(parameter, dtype=np.int64),
        np.array(units, dtype=np.int64),
        np.array(months, dtype=np.int64),
        np.array(cost, dtype=np.int64),
        np.array(figure, dtype=np.int64),
        len(lines_of) * len(Component),
    )


def figure_cents(priced: Columns, rates: Any) -> Any:
    """Cents per scenario and figure, ``(scenarios, units x 3)``, for rates ``(S, P)``."""
    from kim.funding.batch import line_cents, sum_by

    amount = line_cents(rates[:, priced.parameter], priced.units, priced.months, priced.cost)
    return sum_by(amount[1], priced.figure, priced.figures)


def euro_cents(cents: int) -> Euro:
    """Whole cents as [`Euro`][kim.money.Euro]."""
    return Euro(Decimal(cents).scaleb(-2))


def price(
    year: int,
    scenario: Scenario | None,
    known: Mapping[Component, str | None],
    lines_of: Structure,
    params: ParameterSet,
) -> StatewideRun:
    """Put money on the structure with the rates of ``params`` (the batch engine's rule)."""
    from kim.funding import rate_for
    from kim.funding.batch_units import NO_COST, line_cents_int

    rates: dict[str, tuple[Euro, FigureStatus]] = {}
    for parameter in {
        line.parameter
        for plan, lines in lines_of
        for c in Component
        if known[c] is None and plan.eligibility[c] is Outcome.ELIGIBLE
        for line in lines[c] or ()
    }:
        value = rate_for(parameter, year, params)
        rates[parameter] = (Euro(value.value), FigureStatus.of(value.status))
    # One scenario, a few hundred lines: Python integers with the batch engine's rule
    # (sweeps price many scenarios at once on NumPy columns, `figure_cents()`).
    cents = [0] * (len(lines_of) * len(Component))
    for at, line, scaled in paid_lines(known, lines_of):
        cost = NO_COST if line.cost is None else line.cost.cents
        cents[at] += line_cents_int(rates[line.parameter][0].cents, scaled, line.months, cost)
    units = []
    for u, (plan, lines) in enumerate(lines_of):
        figures = {}
        for j, c in enumerate(Component):
            amount: Euro | None
            staffing = plan.staffing[c]
            note, status = staffing.note, staffing.status
            priced = lines[c]
            if plan.eligibility[c] is not Outcome.ELIGIBLE:
                amount, note = Euro(0), f"not funded: {plan.eligibility[c].value}"
            elif known[c] is not None:
                amount, status, note = None, FigureStatus.MISSING, known[c]
            elif priced is None and staffing.no_posts:
                amount = Euro(0)  # an estimate of no posts (e.g. no authority of its own)
            elif priced is None:
                amount, status = None, FigureStatus.MISSING
            else:
                amount = euro_cents(cents[u * len(Component) + j])
                for line in priced:
                    if not line.refused:
                        status = FigureStatus.weakest((status, rates[line.parameter][1]))
            figures[c] = figure(c, plan, amount, status, note)
        units.append(bind_published(plan.unit, year, figures))
    return summarise(year, scenario, tuple(units), params)


def figure(
    c: Component, plan: UnitPlan, amount: Euro | None, status: FigureStatus, note: str | None
) -> ComponentFigure:
    """One unit's figure for one component, with the 80 % interval of an estimate."""
    staffing = plan.staffing[c]
    interval = staffing.interval
    low = high = None
    if interval is not None and amount is not None and staffing.fte > 0:
        low = Euro(amount.amount * interval.low / staffing.fte)
        high = Euro(amount.amount * interval.high / staffing.fte)
    elif interval is not None and amount is not None and interval.high == 0:
        low = high = amount  # an estimate of no posts: nothing either way
    return ComponentFigure.model_construct(
        component=c,
        eligibility=plan.eligibility[c],
        staffing=frozen_map(staffing.staffing),
        basis=staffing.basis,
        grant=amount,
        status=status if amount is not None else FigureStatus.MISSING,
        note=note,
        fte_low=None if interval is None else interval.low,
        fte_high=None if interval is None else interval.high,
        grant_low=low,
        grant_high=high,
    )


def evaluate(
    year: int, scenario: Scenario | None, plans: tuple[UnitPlan, ...], params: ParameterSet
) -> StatewideRun:
    """Structure and price prepared plans: a whole run."""
    known, lines_of = structure(year, plans, params)
    return price(year, scenario, known, lines_of, params)


def run_statewide(
    year: int | None = None,
    scenario: Scenario | None = None,
    *,
    parameters: ParameterSet | None = None,
) -> StatewideRun:
    """Run all 54 units for one year (default: `default_year()`).

    Args:
        year: the funding year.
        scenario: changes to the baseline (parameters, staffing, allocation key).
        parameters: the baseline parameter set; the embedded one by default.

    """
    base = embedded_parameters() if parameters is None else parameters
    params = scenario.apply(base) if scenario is not None else base
    year = default_year(params) if year is None else year
    return evaluate(year, scenario, prepare(year, scenario, params), params)
