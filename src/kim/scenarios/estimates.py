"""Staffing per unit and component for the statewide run: observed, supplied or estimated.

The run asks this module one question: what staffing does each unit have for each
component in a year, and how sure is it? [`plan_staffing()`][kim.scenarios.estimates.plan_staffing]
answers in this order:

1. the scenario's staffing for the unit (``supplied``);
2. the posts observed in the sources
   ([`kim.allocation.observed_posts()`][kim.allocation.observed.observed_posts]);
3. an **estimate** with its 80 % interval from the estimation layer
   ([`kim.estimates`][kim.estimates]: the quota of the unit's type for Baustein 1, a model fitted
   to the observed units for Bausteine 2 and 3), or, when the scenario chooses an
   allocation key, the unit's share of the key with the population-share estimate's
   interval.

A unit's published number of posts
([`kim.allocation.observed_totals()`][kim.allocation.observed.observed_totals]) binds the
estimates: its estimated components are scaled so that all add up to it.

Examples:
    >>> plan = plan_staffing(2023)
    >>> coesfeld = plan["05558"][Component.CASE_MANAGEMENT]
    >>> coesfeld.basis.value, coesfeld.status.value, coesfeld.fte, coesfeld.interval
    ('observed', 'confirmed', Decimal('12'), None)
    >>> essen = plan["05113000"][Component.CASE_MANAGEMENT]
    >>> essen.basis.value, essen.interval.low <= essen.fte <= essen.interval.high
    ('estimated', True)

"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from pydantic import Field

from kim._model import FrozenMap, KimModel
from kim.allocation.authorities import AuthorityShare
from kim.components import POST_KINDS, Component, PostKind, split_estimate
from kim.errors import InputError, KimError, MissingValueError
from kim.estimates import Interval, Share, fit_to_total, staffing_model
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.scenarios.model import AllocationChoice, Scenario
from kim.scenarios.results import FigureStatus, StaffingBasis
from kim.territory.model import District, DistrictType
from kim.territory.registry import embedded_territory

__all__ = [
    "StaffingEstimate",
    "authority_shares",
    "municipal_authorities",
    "municipal_of",
    "plan_staffing",
]


class StaffingEstimate(KimModel):
    """One unit's staffing for one component, with where it comes from."""

    staffing: FrozenMap[PostKind, Decimal] = Field(description="FTE per kind of post.")
    basis: StaffingBasis = Field(description="observed, scenario, estimated or none.")
    status: FigureStatus = Field(description="How sure the staffing is.")
    note: str | None = Field(default=None, description="How it was estimated, or why not.")
    interval: Interval | None = Field(
        default=None, description="The 80 % interval of the posts (estimates only)."
    )

    @property
    def fte(self) -> Decimal:
        """All posts of the component together."""
        return sum(self.staffing.values(), Decimal(0))

    @property
    def no_posts(self) -> bool:
        """Staffing was set, to no posts (a unit that runs no authority): a figure of 0.00."""
        return bool(self.staffing) and self.fte == 0


_QUOTA_KINDS = tuple(
    (e.kind, *e.quota_parameters) for e in POST_KINDS.values() if e.quota_parameters
)


@cache
def _observed(year: int) -> Mapping[tuple[str, Component], tuple[Decimal, FigureStatus]]:
    from kim.allocation import observed_posts

    found: dict[tuple[str, Component], tuple[Decimal, FigureStatus]] = {}
    for row in observed_posts(year=year):
        found[(row.unit, Component(row.component))] = (row.posts, FigureStatus.of(row.status))
    return found


_kind_split = split_estimate


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


def authority_shares(year: int, params: ParameterSet) -> tuple[AuthorityShare, ...] | None:
    """Baustein 3 per authority, observed unit figures kept, the statewide total conserved.

    Args:
        year: the funding year.
        params: the parameter set (statewide half posts and the rate per half post).

    Returns:
        One share per authority, or ``None`` when the year has no statewide number of
        half posts or no rate.

    """
    from kim.allocation.authorities import authority_estimate

    fixed = {
        unit: int(fte * 2)
        for (unit, c), (fte, _) in _observed(year).items()
        if c is Component.AUTHORITIES
    }
    try:
        return authority_estimate(year, params, fixed=fixed)
    except MissingValueError:
        return None


def municipal_authorities(
    year: int, scenario: Scenario | None, params: ParameterSet
) -> tuple[AuthorityShare, ...]:
    """The Baustein 3 rows of municipalities with their own authority.

    They are recipients of their own under their Kreis, counted in the run's totals and
    never in the Kreis. A scenario that sets its own allocation total gets none.
    """
    return municipal_of(authority_shares(year, params), scenario)


def municipal_of(
    shares: tuple[AuthorityShare, ...] | None, scenario: Scenario | None
) -> tuple[AuthorityShare, ...]:
    """The municipal rows among ``shares`` (as from `authority_shares()`).

    None when a scenario sets its own allocation total: its total replaces the
    distribution per authority.
    """
    if scenario is not None and scenario.allocation and scenario.allocation.total is not None:
        return ()
    return tuple(share for share in shares or () if share.authority.municipal)


def _authority_units(year: int, params: ParameterSet) -> tuple[dict[str, Decimal], str] | None:
    """Baustein 3 posts per unit from the per-authority distribution (municipal ones apart)."""
    shares = authority_shares(year, params)
    if shares is None:
        return None
    per_unit: dict[str, Decimal] = {}
    for share in shares:
        if not share.authority.municipal:
            holder = share.authority.holder
            per_unit[holder] = per_unit.get(holder, Decimal(0)) + Decimal(share.half_posts) / 2
    return per_unit, "half posts per authority (one each, the rest by population served)"


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
        return _authority_units(year, params) or (
            {},
            f"no statewide total of Baustein 3 posts is known for {year}",
        )
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
    keyed: Mapping[Component, tuple[dict[str, Decimal], str]] | None,
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
    if keyed is not None and component in keyed:
        shares, how = keyed[component]
        if unit.key not in shares and component is Component.AUTHORITIES and shares:
            # The published half posts are spread over the registry's authorities; a unit
            # that runs none (Stadt Aachen: the Städteregion's authorities serve it) gets
            # none of them, which is a figure (0), not a gap.
            return StaffingEstimate(
                staffing=_kind_split(component, Decimal(0)),
                basis=StaffingBasis.ESTIMATED,
                status=FigureStatus.ESTIMATED,
                note="runs no Ausländer- or Einbürgerungsbehörde of its own in the registry",
                interval=Interval(point=Decimal(0), low=Decimal(0), high=Decimal(0)),
            )
        if unit.key not in shares:
            return StaffingEstimate(
                staffing={}, basis=StaffingBasis.NONE, status=FigureStatus.MISSING, note=how
            )
        point = shares[unit.key]
        model = staffing_model(component)
        interval = Interval(
            point=point,
            low=max(point * (1 + Decimal(repr(model.baseline_low))), Decimal(0)),
            high=point * (1 + Decimal(repr(model.baseline_high))),
        ).scaled(Decimal(1))
        return StaffingEstimate(
            staffing=_kind_split(component, point),
            basis=StaffingBasis.ESTIMATED,
            status=FigureStatus.ESTIMATED,
            note=f"allocation key ({how})",
            interval=interval,
        )
    try:
        estimate = staffing_model(component).predict(unit.key, year, parameters=params)
    except MissingValueError:
        return StaffingEstimate(
            staffing={}, basis=StaffingBasis.NONE, status=FigureStatus.MISSING,
            note=f"no coordination quota for {year}",
        )  # fmt: skip
    return _estimated(unit, component, year, estimate, params)


def _estimated(
    unit: District, component: Component, year: int, estimate: Interval, params: ParameterSet
) -> StaffingEstimate:
    if component is Component.COORDINATION:
        quota = _quota(unit, year, params) or {}
        whole = sum(quota.values())
        staffing = {}
        rest = estimate.point
        for i, (kind, posts) in enumerate(quota.items()):
            share = (posts * estimate.point / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)
            staffing[kind] = rest if i == len(quota) - 1 else share
            rest -= share
        note = "quota of its type (inferred)"
    else:
        staffing = _kind_split(component, estimate.point)
        note = "estimated from the observed units (kim.estimates)"
    return StaffingEstimate(
        staffing=staffing,
        basis=StaffingBasis.ESTIMATED,
        status=FigureStatus.ESTIMATED,
        note=note,
        interval=estimate,
    )


def _bind_posts(
    unit: District, year: int, plan: dict[Component, StaffingEstimate], params: ParameterSet
) -> dict[Component, StaffingEstimate]:
    """Scale the estimated components to the unit's published number of posts."""
    from kim.allocation.observed import observed_totals

    published = [t for t in observed_totals(year=year, unit=unit.key) if t.what == "posts"]
    for total in sorted(published, key=lambda t: len(t.components)):
        shares = {}
        for c in total.components:
            given = plan[c].interval or Interval(
                point=plan[c].fte, low=plan[c].fte, high=plan[c].fte
            )
            shares[c] = Share(
                point=given.point,
                low=given.low,
                high=given.high,
                estimated=plan[c].interval is not None,
            )
        fitted, conflict = fit_to_total(shares, total.value, mode=total.qualifier.value)
        if conflict:
            continue  # observed posts disagree with the published total: keep both
        for c, share in fitted.items():
            if plan[c].interval is None or share == shares[c]:
                continue
            interval = Interval(point=share.point, low=share.low, high=share.high)
            bound = _estimated(unit, c, year, interval, params)
            plan[c] = bound.model_copy(
                update={"note": f"{bound.note}; scaled to the {total.value} posts it published"}
            )
    return plan


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
    keyed: dict[Component, tuple[dict[str, Decimal], str]] = (
        {
            c: _key_estimates(year, c, scenario.allocation, params)
            for c in (Component.CASE_MANAGEMENT, Component.AUTHORITIES)
        }
        if scenario is not None and scenario.allocation is not None
        else {}
    )
    if Component.AUTHORITIES not in keyed:
        # A year with a published number of half posts (2020): per authority, the
        # published total conserved, rather than the fitted model.
        per_authority = _authority_units(year, params)
        if per_authority is not None:
            keyed[Component.AUTHORITIES] = per_authority
    plans = {}
    for unit in embedded_territory().districts():
        plan = {c: _one(unit, c, year, scenario, keyed, params) for c in Component}
        plans[unit.key] = _bind_posts(unit, year, plan, params)
    return plans
