"""The statewide run: eligibility, staffing and grants for all 54 units in one year.

For each unit and component the run

1. decides eligibility (on 31 December of the year);
2. takes the staffing **observed** in the sources, else the **scenario's** staffing, else
   an **estimate**: the coordination quota of its type (Baustein 1), or its share of a
   statewide total apportioned by the allocation key (Bausteine 2 and 3);
3. computes the grant with :func:`kim.funding.grant`; a component whose flat rate is not
   known for the year has no figure (``missing``) rather than a guessed one.

Every figure carries a status: the weakest of its inputs, where ``estimated`` (staffing
from a key or quota) and ``supplied`` (a scenario value) rank below ``inferred``.

>>> run = run_statewide(2023)
>>> run.totals[Component.CASE_MANAGEMENT].amount > 0, len(run.units)
(True, 54)
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cache
from importlib import import_module
from typing import Any, NamedTuple

from pydantic import Field

from kim._model import KimModel
from kim.components import POST_KINDS, Component, PostKind, split_estimate
from kim.eligibility import Outcome, decide
from kim.errors import InputError, KimError, MissingValueError
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet, Status
from kim.scenarios.model import AllocationChoice, Scenario
from kim.territory.model import District, DistrictType
from kim.territory.registry import embedded_territory

__all__ = [
    "ComponentFigure",
    "FigureStatus",
    "RunComparison",
    "StaffingBasis",
    "StatewideRun",
    "UnitResult",
    "compare_runs",
    "default_year",
    "run_statewide",
]


class StaffingBasis(StrEnum):
    """Where a unit's staffing for a component comes from."""

    OBSERVED = "observed"
    """Reported by a source (council paper, press)."""
    SCENARIO = "scenario"
    """Given by the scenario."""
    ESTIMATED = "estimated"
    """From the coordination quota or the allocation key."""
    NONE = "none"
    """No staffing could be set (no observation, no key total)."""


class FigureStatus(StrEnum):
    """How sure a figure of the run is, from most to least certain."""

    CONFIRMED = "confirmed"
    DERIVED = "derived"
    INFERRED = "inferred"
    ESTIMATED = "estimated"
    SUPPLIED = "supplied"
    MISSING = "missing"

    @property
    def rank(self) -> int:
        """0 for confirmed up to 5 for missing."""
        return list(FigureStatus).index(self)


def _weakest(*statuses: FigureStatus) -> FigureStatus:
    return max(statuses, key=lambda s: s.rank)


class ComponentFigure(KimModel):
    """One unit's result for one component."""

    component: Component = Field(description="The component.")
    eligibility: Outcome = Field(description="Eligibility on 31 December of the year.")
    staffing: dict[PostKind, Decimal] = Field(description="FTE per kind of post.")
    basis: StaffingBasis = Field(description="Where the staffing comes from.")
    grant: Euro | None = Field(description="The grant, or None when it cannot be computed.")
    status: FigureStatus = Field(description="How sure the figure is.")
    note: str | None = Field(default=None, description="Why a figure is missing, or remarks.")


class UnitResult(KimModel):
    """One unit's results for all three components."""

    key: str = Field(description="The unit's key.")
    name: str = Field(description="Its name.")
    type: DistrictType = Field(description="Kreis, kreisfreie Stadt, ...")
    components: dict[Component, ComponentFigure] = Field(description="Per component.")

    @property
    def total(self) -> Euro:
        """The sum of the grants that could be computed."""
        return sum((f.grant for f in self.components.values() if f.grant is not None), Euro(0))

    @property
    def status(self) -> FigureStatus:
        """The weakest status of its known figures (``missing`` only if none is known)."""
        known = [f.status for f in self.components.values() if f.grant is not None]
        return _weakest(*known) if known else FigureStatus.MISSING


class StatewideRun(KimModel):
    """All 54 units for one year, with totals, the budget and a coverage summary."""

    year: int = Field(description="The funding year.")
    scenario: str | None = Field(description="The scenario's name, if any.")
    units: tuple[UnitResult, ...] = Field(description="One row per unit.")
    totals: dict[Component, Euro] = Field(description="Sum per component (known figures).")
    total: Euro = Field(description="Sum of all known figures.")
    budget: Euro | None = Field(description="The KIM budget of the year, if known.")
    budget_status: Status | None = Field(description="Status of the budget value.")
    budget_note: str = Field(description="The budget comparison in words.")
    coverage: dict[FigureStatus, int] = Field(description="Figures per status.")

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per unit (for tables, CSV and data frames)."""
        out = []
        for u in self.units:
            row: dict[str, Any] = {"key": u.key, "name": u.name, "type": u.type.value}
            for c in Component:
                f = u.components[c]
                row[f"b{c.value}_fte"] = str(sum(f.staffing.values(), Decimal(0)))
                row[f"b{c.value}_basis"] = f.basis.value
                row[f"b{c.value}_grant"] = None if f.grant is None else str(f.grant.amount)
                row[f"b{c.value}_status"] = f.status.value
            row["total"] = str(u.total.amount)
            row["status"] = u.status.value
            out.append(row)
        return out

    def to_csv(self) -> str:
        """The unit rows as CSV."""
        rows = self.rows()
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return buffer.getvalue()

    def to_json(self) -> str:
        """The whole run as JSON (lossless: ``StatewideRun.model_validate_json`` reads it)."""
        return self.model_dump_json(indent=2)

    def to_frame(self) -> Any:
        """The unit rows as a pandas ``DataFrame`` (needs the ``notebook`` extra)."""
        try:
            pd: Any = import_module("pandas")
        except ImportError:
            raise InputError("to_frame() needs pandas: pip install 'kim-nrw[notebook]'") from None
        frame = pd.DataFrame(self.rows()).set_index("key")
        for c in Component:
            frame[f"b{c.value}_fte"] = frame[f"b{c.value}_fte"].astype(float)
            frame[f"b{c.value}_grant"] = pd.to_numeric(frame[f"b{c.value}_grant"])
        frame["total"] = pd.to_numeric(frame["total"])
        return frame

    def coverage_note(self) -> str:
        """A sentence on how sure the figures are."""
        parts = [f"{n} {s.value}" for s, n in self.coverage.items() if n]
        return f"{len(self.units) * 3} figures: " + ", ".join(parts) + "."


# -- staffing ---------------------------------------------------------------------------

_QUOTA_KINDS = tuple(
    (e.kind, *e.quota_parameters) for e in POST_KINDS.values() if e.quota_parameters
)


def _status_of(status: Status) -> FigureStatus:
    return FigureStatus(status.value)


@cache
def _observed(year: int) -> Mapping[tuple[str, Component], tuple[Decimal, FigureStatus]]:
    from kim.allocation import observed_posts

    found: dict[tuple[str, Component], tuple[Decimal, FigureStatus]] = {}
    for row in observed_posts(year=year):
        key = (row.unit, Component(row.component))
        found[key] = (row.posts, _status_of(row.status))
    return found


_kind_split = split_estimate


def _quota(
    unit: District, year: int, params: ParameterSet
) -> tuple[dict[PostKind, Decimal], FigureStatus] | None:
    city = unit.type in (DistrictType.KREISFREIE_STADT, DistrictType.REGIONSANGEHOERIGE_STADT)
    on = date(year, 12, 31)
    staffing: dict[PostKind, Decimal] = {}
    status = FigureStatus.ESTIMATED
    for kind, kreis_param, city_param in _QUOTA_KINDS:
        try:
            value = params.value(city_param if city else kreis_param, on)
        except MissingValueError:
            return None
        staffing[kind] = value.value
    return staffing, status


def _key_estimates(
    year: int,
    component: Component,
    choice: AllocationChoice,
    params: ParameterSet,
) -> tuple[dict[str, Decimal], str]:
    """Estimated posts per unit from the allocation key, and how the total was set."""
    from kim.allocation import apportion, base_plus_weight, calibrated_total, population_weights

    if choice.key != "population":
        raise InputError(
            f"unknown allocation key {choice.key!r}; the statewide run knows 'population'"
        )
    weights = population_weights()
    if choice.total is not None:
        total, how = choice.total, "the scenario's total"
    elif component is Component.AUTHORITIES:
        try:
            half_posts = params.value("authorities_half_posts_total", date(year, 6, 30)).value
        except MissingValueError:
            return {}, f"no statewide total of Baustein 3 posts is known for {year}"
        total, how = half_posts / 2, "the statewide number of half posts"
    else:
        try:
            total = calibrated_total(
                weights, year=year, component=component, base=choice.base, step=choice.step
            )
        except KimError:
            return {}, f"no observed posts in {year} to calibrate the key on"
        how = "a total calibrated to the observed units"
    if choice.base:
        allocation = base_plus_weight(
            total, weights, base=choice.base, method=choice.method, step=choice.step,
            cap=choice.cap,
        )  # fmt: skip
    else:
        allocation = apportion(
            total, weights, method=choice.method, step=choice.step,
            minimum=choice.minimum or None, cap=choice.cap,
        )  # fmt: skip
    return allocation.as_dict(), how


def _staffing(
    unit: District,
    component: Component,
    year: int,
    scenario: Scenario | None,
    estimates: Mapping[Component, tuple[dict[str, Decimal], str]],
    params: ParameterSet,
) -> tuple[dict[PostKind, Decimal], StaffingBasis, FigureStatus, str | None]:
    if scenario is not None:
        given = scenario.staffing_for(unit.key)
        if given:
            mine = {k: v for k, v in given.items() if k.component is component}
            if mine:
                return mine, StaffingBasis.SCENARIO, FigureStatus.SUPPLIED, None
    observed = _observed(year).get((unit.key, component))
    if observed is not None:
        fte, status = observed
        split = _kind_split(component, fte)
        if component is Component.COORDINATION:
            # Sources give one figure for Baustein 1; the administrative-assistance part
            # is taken from the quota of the unit's type when there is one.
            quota = _quota(unit, year, params)
            assistance = quota[0][PostKind.ADMIN_ASSISTANCE] if quota else Decimal(0)
            if Decimal(0) < assistance < fte:
                split = {PostKind.COORDINATION: fte - assistance,
                         PostKind.ADMIN_ASSISTANCE: assistance}  # fmt: skip
        return split, StaffingBasis.OBSERVED, status, None
    if component is Component.COORDINATION:
        quota = _quota(unit, year, params)
        if quota is None:
            return {}, StaffingBasis.NONE, FigureStatus.MISSING, f"no coordination quota for {year}"
        staffing, status = quota
        return staffing, StaffingBasis.ESTIMATED, status, "quota of its type (inferred)"
    shares, how = estimates[component]
    if unit.key not in shares:
        return {}, StaffingBasis.NONE, FigureStatus.MISSING, how
    return (
        _kind_split(component, shares[unit.key]),
        StaffingBasis.ESTIMATED,
        FigureStatus.ESTIMATED,
        f"allocation key ({how})",
    )


# -- the run ------------------------------------------------------------------------------


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


class _UnitPlan(KimModel):
    """Eligibility and staffing of one unit: everything that does not depend on rates."""

    unit: District
    eligibility: dict[Component, Outcome]
    staffing: dict[Component, dict[PostKind, Decimal]]
    basis: dict[Component, StaffingBasis]
    status: dict[Component, FigureStatus]
    notes: dict[Component, str | None]


def _prepare(year: int, scenario: Scenario | None, params: ParameterSet) -> tuple[_UnitPlan, ...]:
    choice = scenario.allocation if scenario and scenario.allocation else AllocationChoice()
    estimates = {
        c: _key_estimates(year, c, choice, params)
        for c in (Component.CASE_MANAGEMENT, Component.AUTHORITIES)
    }
    on = date(year, 12, 31)
    plans = []
    for unit in embedded_territory().districts():
        eligibility, staffing, basis, status, notes = {}, {}, {}, {}, {}
        for c in Component:
            eligibility[c] = decide(unit, c, on).outcome
            staffing[c], basis[c], status[c], notes[c] = _staffing(
                unit, c, year, scenario, estimates, params
            )
        plans.append(
            _UnitPlan.model_construct(
                unit=unit,
                eligibility=eligibility,
                staffing=staffing,
                basis=basis,
                status=status,
                notes=notes,
            )
        )
    return tuple(plans)


def _known_components(year: int, params: ParameterSet) -> dict[Component, str | None]:
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


class _Line(KimModel):
    """The rate-independent part of one grant line: what to price and how."""

    parameter: str
    units: Decimal
    months: int
    cost: Euro | None
    refused: bool


_Structure = tuple[tuple[_UnitPlan, dict[Component, tuple[_Line, ...] | None]], ...]


def _structure(
    year: int, plans: tuple[_UnitPlan, ...], params: ParameterSet
) -> tuple[dict[Component, str | None], _Structure]:
    """Compute the grants once and keep, per unit and component, the lines to price.

    A component is ``None`` when its rates are unknown for the year, the unit is not
    eligible, or it has no staffing.
    """
    from kim.funding import LineKind, StaffingPlan, grants

    known = _known_components(year, params)
    fundable: list[tuple[_UnitPlan, dict[PostKind, Decimal]]] = []
    for plan in plans:
        posts: dict[PostKind, Decimal] = {}
        for c in Component:
            if known[c] is None and plan.eligibility[c] is Outcome.ELIGIBLE:
                posts.update(plan.staffing[c])
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
        lines: dict[Component, tuple[_Line, ...] | None] = dict.fromkeys(Component)
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
                        _Line.model_construct(
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


class _Columns(NamedTuple):
    """The priced lines of a structure as batch columns (rate-independent, built once)."""

    parameters: tuple[str, ...]
    parameter: Any
    units: Any
    months: Any
    cost: Any
    figure: Any
    figures: int


def _columns(known: Mapping[Component, str | None], structure: _Structure) -> _Columns:
    """The lines that get money: eligible, rates known, not refused; one figure per unit x c."""
    import numpy as np

    from kim.funding.batch import FTE_SCALE, NO_COST

    names: dict[str, int] = {}
    parameter, units, months, cost, figure = [], [], [], [], []
    for u, (plan, lines) in enumerate(structure):
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
                parameter.append(names.setdefault(line.parameter, len(names)))
                units.append(int(scaled))
                months.append(line.months)
                cost.append(NO_COST if line.cost is None else line.cost.cents)
                figure.append(u * len(Component) + j)
    return _Columns(
        tuple(names),
        np.array(parameter, dtype=np.int64),
        np.array(units, dtype=np.int64),
        np.array(months, dtype=np.int64),
        np.array(cost, dtype=np.int64),
        np.array(figure, dtype=np.int64),
        len(structure) * len(Component),
    )


def _figure_cents(columns: _Columns, rates: Any) -> Any:
    """Cents per scenario and figure, ``(scenarios, units x 3)``, for rates ``(S, P)``."""
    from kim.funding.batch import line_cents, sum_by

    amount = line_cents(rates[:, columns.parameter], columns.units, columns.months, columns.cost)
    return sum_by(amount[1], columns.figure, columns.figures)


def _euro_cents(cents: int) -> Euro:
    return Euro._exact(Decimal(cents).scaleb(-2))


def _price(
    year: int,
    scenario: Scenario | None,
    known: Mapping[Component, str | None],
    structure: _Structure,
    params: ParameterSet,
) -> StatewideRun:
    """Put money on the structure with the rates of ``params`` (the batch engine)."""
    import numpy as np

    from kim.funding import rate_for

    rates: dict[str, tuple[Euro, FigureStatus]] = {}
    for parameter in {
        line.parameter
        for plan, lines in structure
        for c in Component
        if known[c] is None and plan.eligibility[c] is Outcome.ELIGIBLE
        for line in lines[c] or ()
    }:
        value = rate_for(parameter, year, params)
        rates[parameter] = (Euro(value.value), _status_of(value.status))
    columns = _columns(known, structure)
    row = np.array([[rates[p][0].cents for p in columns.parameters]], dtype=np.int64)
    cents = _figure_cents(columns, row.reshape(1, len(columns.parameters)))[0]
    units = []
    for u, (plan, lines) in enumerate(structure):
        figures = {}
        for j, c in enumerate(Component):
            amount: Euro | None
            note = plan.notes[c]
            status = plan.status[c]
            priced = lines[c]
            if plan.eligibility[c] is not Outcome.ELIGIBLE:
                amount, note = Euro(0), f"not funded: {plan.eligibility[c].value}"
            elif known[c] is not None:
                amount, status, note = None, FigureStatus.MISSING, known[c]
            elif priced is None:
                amount, status = None, FigureStatus.MISSING
            else:
                amount = _euro_cents(int(cents[u * len(Component) + j]))
                for line in priced:
                    if not line.refused:
                        status = _weakest(status, rates[line.parameter][1])
            figures[c] = ComponentFigure.model_construct(
                component=c,
                eligibility=plan.eligibility[c],
                staffing=plan.staffing[c],
                basis=plan.basis[c],
                grant=amount,
                status=status if amount is not None else FigureStatus.MISSING,
                note=note,
            )
        u_ = plan.unit
        units.append(
            UnitResult.model_construct(key=u_.key, name=u_.name, type=u_.type, components=figures)
        )
    return _summarise(year, scenario, tuple(units), params)


def _evaluate(
    year: int, scenario: Scenario | None, plans: tuple[_UnitPlan, ...], params: ParameterSet
) -> StatewideRun:
    known, structure = _structure(year, plans, params)
    return _price(year, scenario, known, structure, params)


def run_statewide(
    year: int | None = None,
    scenario: Scenario | None = None,
    *,
    parameters: ParameterSet | None = None,
) -> StatewideRun:
    """Run all 54 units for one year (default: :func:`default_year`).

    Args:
        year: the funding year.
        scenario: changes to the baseline (parameters, staffing, allocation key).
        parameters: the baseline parameter set; the embedded one by default.

    """
    base = embedded_parameters() if parameters is None else parameters
    params = scenario.apply(base) if scenario is not None else base
    year = default_year(params) if year is None else year
    return _evaluate(year, scenario, _prepare(year, scenario, params), params)


def _summarise(
    year: int, scenario: Scenario | None, units: tuple[UnitResult, ...], params: ParameterSet
) -> StatewideRun:
    totals = {c: sum((u.components[c].grant or Euro(0) for u in units), Euro(0)) for c in Component}
    total = sum(totals.values(), Euro(0))
    coverage = dict.fromkeys(FigureStatus, 0)
    for u in units:
        for f in u.components.values():
            coverage[f.status] += 1
    budget: Euro | None = None
    budget_status: Status | None = None
    try:
        value = params.value("kim_budget", date(year, 6, 30))
    except MissingValueError:
        note = f"The KIM budget for {year} is not known; the totals cannot be checked against it."
    else:
        budget, budget_status = Euro(value.value), value.status
        missing = coverage[FigureStatus.MISSING]
        relation = "within" if total <= budget else "above"
        note = (
            f"The known figures add up to {total.format_en()}, {relation} the budget of "
            f"{budget.format_en()} ({value.qualifier.value}, {value.status.value})"
            + (f"; {missing} figures are missing." if missing else ".")
        )
    return StatewideRun.model_construct(
        year=year,
        scenario=scenario.name if scenario else None,
        units=units,
        totals=totals,
        total=total,
        budget=budget,
        budget_status=budget_status,
        budget_note=note,
        coverage=coverage,
    )


class RunComparison(KimModel):
    """Per-unit and total differences between two runs (other minus base)."""

    base: str = Field(description="Label of the base run.")
    other: str = Field(description="Label of the other run.")
    rows: tuple[dict[str, Any], ...] = Field(description="key, name, base, other, difference.")
    total_base: Euro = Field(description="Total of the base run.")
    total_other: Euro = Field(description="Total of the other run.")

    @property
    def total_difference(self) -> Euro:
        """Other total minus base total."""
        return self.total_other - self.total_base

    def to_json(self) -> str:
        """The comparison as JSON."""
        return json.dumps(self.model_dump(mode="json"), indent=2, ensure_ascii=False)


def compare_runs(base: StatewideRun, other: StatewideRun) -> RunComparison:
    """Differences per unit and in total between two runs of the same units."""
    other_by_key = {u.key: u for u in other.units}
    rows = []
    for u in base.units:
        o = other_by_key[u.key]
        rows.append(
            {
                "key": u.key,
                "name": u.name,
                "base": str(u.total.amount),
                "other": str(o.total.amount),
                "difference": str((o.total - u.total).amount),
            }
        )
    return RunComparison(
        base=f"{base.year} {base.scenario or 'baseline'}",
        other=f"{other.year} {other.scenario or 'baseline'}",
        rows=tuple(rows),
        total_base=base.total,
        total_other=other.total,
    )
