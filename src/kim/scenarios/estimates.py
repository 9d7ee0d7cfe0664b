"""Staffing per unit and component for the statewide run: observed, supplied or estimated.

The run asks this module one question: what staffing does each unit have for each
component in a year, and how sure is it? :func:`plan_staffing` answers in this order:

1. the scenario's staffing for the unit (``supplied``);
2. the posts observed in the sources (:func:`kim.allocation.observed_posts`);
3. an **estimate**: the coordination quota of the unit's type (Baustein 1), or its share
   of a statewide total apportioned by the allocation key (Bausteine 2 and 3).

>>> plan = plan_staffing(2023)
>>> coesfeld = plan["05558"][Component.CASE_MANAGEMENT]
>>> coesfeld.basis.value, coesfeld.status.value, coesfeld.fte
('observed', 'confirmed', Decimal('12'))
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache

from pydantic import Field

from kim._model import KimModel
from kim.components import Component, PostKind
from kim.errors import InputError, KimError, MissingValueError
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.scenarios.model import AllocationChoice, Scenario
from kim.scenarios.results import FigureStatus, StaffingBasis
from kim.territory.model import District, DistrictType
from kim.territory.registry import embedded_territory

__all__ = ["StaffingEstimate", "plan_staffing"]


class StaffingEstimate(KimModel):
    """One unit's staffing for one component, with where it comes from."""

    staffing: dict[PostKind, Decimal] = Field(description="FTE per kind of post.")
    basis: StaffingBasis = Field(description="observed, scenario, estimated or none.")
    status: FigureStatus = Field(description="How sure the staffing is.")
    note: str | None = Field(default=None, description="How it was estimated, or why not.")

    @property
    def fte(self) -> Decimal:
        """All posts of the component together."""
        return sum(self.staffing.values(), Decimal(0))


_QUOTA_KINDS = (
    (PostKind.COORDINATION, "coordination_posts_kreis", "coordination_posts_city"),
    (PostKind.ADMIN_ASSISTANCE, "admin_assistance_posts_kreis", "admin_assistance_posts_city"),
)


@cache
def _observed(year: int) -> Mapping[tuple[str, Component], tuple[Decimal, FigureStatus]]:
    from kim.allocation import observed_posts

    found: dict[tuple[str, Component], tuple[Decimal, FigureStatus]] = {}
    for row in observed_posts(year=year):
        found[(row.unit, Component(row.component))] = (row.posts, FigureStatus.of(row.status))
    return found


def _kind_split(component: Component, fte: Decimal) -> dict[PostKind, Decimal]:
    if component is Component.CASE_MANAGEMENT:
        return {PostKind.CASE_MANAGEMENT: fte}
    if component is Component.AUTHORITIES:
        half = fte / 2
        return {PostKind.AUSLAENDERBEHOERDE: half, PostKind.EINBUERGERUNGSBEHOERDE: half}
    return {PostKind.COORDINATION: fte}


def _quota(unit: District, year: int, params: ParameterSet) -> dict[PostKind, Decimal] | None:
    city = unit.type in (DistrictType.KREISFREIE_STADT, DistrictType.REGIONSANGEHOERIGE_STADT)
    on = date(year, 12, 31)
    staffing: dict[PostKind, Decimal] = {}
    for kind, kreis_param, city_param in _QUOTA_KINDS:
        try:
            staffing[kind] = params.value(city_param if city else kreis_param, on).value
        except MissingValueError:
            return None
    return staffing


def _key_estimates(
    year: int, component: Component, choice: AllocationChoice, params: ParameterSet
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


def _one(
    unit: District,
    component: Component,
    year: int,
    scenario: Scenario | None,
    keyed: Mapping[Component, tuple[dict[str, Decimal], str]],
    params: ParameterSet,
) -> StaffingEstimate:
    if scenario is not None:
        given = scenario.staffing_for(unit.key)
        mine = {k: v for k, v in (given or {}).items() if k.component is component}
        if mine:
            return StaffingEstimate(
                staffing=mine, basis=StaffingBasis.SCENARIO, status=FigureStatus.SUPPLIED
            )
    observed = _observed(year).get((unit.key, component))
    if observed is not None:
        fte, status = observed
        split = _kind_split(component, fte)
        if component is Component.COORDINATION:
            # Sources give one figure for Baustein 1; the administrative-assistance part
            # is taken from the quota of the unit's type when there is one.
            quota = _quota(unit, year, params)
            assistance = quota[PostKind.ADMIN_ASSISTANCE] if quota else Decimal(0)
            if Decimal(0) < assistance < fte:
                split = {PostKind.COORDINATION: fte - assistance,
                         PostKind.ADMIN_ASSISTANCE: assistance}  # fmt: skip
        return StaffingEstimate(staffing=split, basis=StaffingBasis.OBSERVED, status=status)
    if component is Component.COORDINATION:
        quota = _quota(unit, year, params)
        if quota is None:
            return StaffingEstimate(
                staffing={}, basis=StaffingBasis.NONE, status=FigureStatus.MISSING,
                note=f"no coordination quota for {year}",
            )  # fmt: skip
        return StaffingEstimate(
            staffing=quota, basis=StaffingBasis.ESTIMATED, status=FigureStatus.ESTIMATED,
            note="quota of its type (inferred)",
        )  # fmt: skip
    shares, how = keyed[component]
    if unit.key not in shares:
        return StaffingEstimate(
            staffing={}, basis=StaffingBasis.NONE, status=FigureStatus.MISSING, note=how
        )
    return StaffingEstimate(
        staffing=_kind_split(component, shares[unit.key]),
        basis=StaffingBasis.ESTIMATED,
        status=FigureStatus.ESTIMATED,
        note=f"allocation key ({how})",
    )


def plan_staffing(
    year: int,
    scenario: Scenario | None = None,
    *,
    parameters: ParameterSet | None = None,
) -> dict[str, dict[Component, StaffingEstimate]]:
    """The staffing of every unit and component in ``year``.

    Args:
        year: the funding year.
        scenario: the scenario's staffing and allocation choice, if any.
        parameters: the parameter set (quotas, statewide totals); embedded by default.

    Returns:
        Per unit key, per component: the staffing with its basis and status.

    """
    params = embedded_parameters() if parameters is None else parameters
    choice = scenario.allocation if scenario and scenario.allocation else AllocationChoice()
    keyed = {
        c: _key_estimates(year, c, choice, params)
        for c in (Component.CASE_MANAGEMENT, Component.AUTHORITIES)
    }
    return {
        unit.key: {c: _one(unit, c, year, scenario, keyed, params) for c in Component}
        for unit in embedded_territory().districts()
    }
