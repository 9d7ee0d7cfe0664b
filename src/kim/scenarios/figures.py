"""The figures of the statewide run: statuses, one unit's component figure, breakdowns.

A figure's status uses the words of [`kim.parameters.Status`][kim.parameters.model.Status]
(confirmed, derived, inferred, supplied) and two more that only a report needs: ``estimated`` (the
staffing comes from the estimation layer, [`kim.scenarios.estimates`][kim.scenarios.estimates]) and
``missing`` (no figure can be computed). The run that holds them is
[`kim.scenarios.results`][kim.scenarios.results]; every name here is importable from there too.

Examples:
    >>> FigureStatus.of(Status.INFERRED).value
    'inferred'
    >>> FigureStatus.weakest([FigureStatus.CONFIRMED, FigureStatus.ESTIMATED]).value
    'estimated'

"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

from pydantic import Field

from kim._model import FrozenMap, KimModel
from kim.allocation.authorities import AuthorityShare
from kim.components import Component, PostKind
from kim.eligibility import Outcome
from kim.money import Euro
from kim.parameters.model import Status

__all__ = [
    "Breakdown",
    "ComponentFigure",
    "FigureStatus",
    "StaffingBasis",
    "TownFigure",
    "breakdown",
    "town_breakdown",
    "town_figures",
]


class StaffingBasis(StrEnum):
    """Where a unit's staffing for a component comes from."""

    OBSERVED = "observed"
    """Reported by a source (council paper, press)."""
    SCENARIO = "scenario"
    """Given by the scenario."""
    ESTIMATED = "estimated"
    """From the estimation layer (a quota or a model fitted to the observed units)."""
    NONE = "none"
    """No staffing could be set (no observation, no estimate)."""


class FigureStatus(StrEnum):
    """How sure a figure of the run is, from most to least certain.

    The words are those of [`kim.parameters.Status`][kim.parameters.model.Status], in its order (a
    test keeps them equal), with the report's own two grades: ``estimated`` (ranked between
    ``inferred`` and ``supplied``) and ``missing``. ``supplied`` ranks below
    ``estimated`` on purpose: a figure resting on your assumption must say so; an
    estimated staffing still shows its interval (``ComponentFigure.estimated``).
    """

    CONFIRMED = "confirmed"
    """A source states the inputs for this unit and year."""
    DERIVED = "derived"
    """Arithmetic on stated facts."""
    INFERRED = "inferred"
    """A reading that no source states word for word."""
    ESTIMATED = "estimated"
    """Rests on an estimated staffing; comes with an interval."""
    SUPPLIED = "supplied"
    """Rests on a value the scenario gave (ranks last: your assumption must show)."""
    MISSING = "missing"
    """No figure can be computed."""

    @property
    def rank(self) -> int:
        """0 for confirmed up to 5 for missing."""
        return list(FigureStatus).index(self)

    @classmethod
    def of(cls, status: Status) -> FigureStatus:
        """The figure status for a value's [`Status`][kim.parameters.model.Status]."""
        return cls(status.value)

    @classmethod
    def weakest(cls, statuses: Iterable[FigureStatus]) -> FigureStatus:
        """The least certain of ``statuses`` (``missing`` for none)."""
        return max(statuses, key=lambda s: s.rank, default=cls.MISSING)


class ComponentFigure(KimModel):
    """One unit's result for one component."""

    component: Component = Field(description="The component.")
    eligibility: Outcome = Field(description="Eligibility on 31 December of the year.")
    staffing: FrozenMap[PostKind, Decimal] = Field(description="FTE per kind of post.")
    basis: StaffingBasis = Field(description="Where the staffing comes from.")
    grant: Euro | None = Field(description="The grant, or None when it cannot be computed.")
    status: FigureStatus = Field(description="How sure the figure is.")
    note: str | None = Field(default=None, description="Why a figure is missing, or remarks.")
    fte_low: Decimal | None = Field(default=None, description="80 % interval of the posts, low.")
    fte_high: Decimal | None = Field(default=None, description="80 % interval, high.")
    grant_low: Euro | None = Field(default=None, description="80 % interval of the grant, low.")
    grant_high: Euro | None = Field(default=None, description="80 % interval, high.")

    @property
    def fte(self) -> Decimal:
        """All posts of the component together."""
        return sum(self.staffing.values(), Decimal(0))

    @property
    def estimated(self) -> bool:
        """Whether the figure rests on estimated staffing (and so has an interval)."""
        return self.basis is StaffingBasis.ESTIMATED and self.grant is not None


class Breakdown(KimModel):
    """What a total is made of: sourced + supplied + estimated (with interval) + missing."""

    sourced: Euro = Field(description="Figures resting on sources (confirmed/derived/inferred).")
    supplied: Euro = Field(description="Figures resting on scenario values.")
    estimated: Euro = Field(description="Figures resting on estimated staffing (points).")
    estimated_low: Euro = Field(description="Their 80 % interval, low end.")
    estimated_high: Euro = Field(description="Their 80 % interval, high end.")
    figures: int = Field(description="Figures counted (eligible unit-components).")
    missing: int = Field(description="Figures that cannot be computed.")

    @property
    def known(self) -> Euro:
        """Sourced plus supplied: the part that is not estimated."""
        return self.sourced + self.supplied

    @property
    def point(self) -> Euro:
        """Known plus the estimates' points."""
        return self.known + self.estimated

    def describe(self) -> str:
        """The breakdown in words; ``missing`` when no figure is known at all.

        Examples:
            >>> zero = Euro(0)
            >>> Breakdown(sourced=zero, supplied=zero, estimated=zero, estimated_low=zero,
            ...           estimated_high=zero, figures=54, missing=54).describe()
            'missing (54 of 54 figures)'

        """
        if self.figures and self.missing == self.figures:
            return f"missing ({self.missing} of {self.figures} figures)"
        parts = [f"{self.sourced.format_en()} sourced"]
        if self.supplied:
            parts.append(f"{self.supplied.format_en()} supplied")
        if self.estimated or self.estimated_high:
            parts.append(
                f"{self.estimated.format_en()} estimated (80 % interval "
                f"{self.estimated_low.format_en()} to {self.estimated_high.format_en()})"
            )
        if self.missing:
            parts.append(f"{self.missing} missing")
        return " + ".join(parts)

    def __add__(self, other: Breakdown) -> Breakdown:
        return Breakdown(
            sourced=self.sourced + other.sourced,
            supplied=self.supplied + other.supplied,
            estimated=self.estimated + other.estimated,
            estimated_low=self.estimated_low + other.estimated_low,
            estimated_high=self.estimated_high + other.estimated_high,
            figures=self.figures + other.figures,
            missing=self.missing + other.missing,
        )


class TownFigure(KimModel):
    """Baustein 3 of one town that runs its own authority: its own row under its Kreis.

    A town with an Ausländer- and an Einbürgerungsbehörde has one row for both. Its money
    is never inside the Kreis's figure and is counted once in the run's totals.
    """

    ags: str = Field(description="The town's AGS (8 digits).")
    name: str = Field(description="The town's name.")
    kreis: str = Field(description="The key of its Kreis (the first five digits of the AGS).")
    half_posts: int = Field(description="Half posts of its authorities together.")
    grant: Euro = Field(description="Half posts times the flat rate per half post.")
    grant_low: Euro = Field(
        description="The 80 % interval's low end (the point for an observed figure); never "
        "below one half post per authority, the least the programme gave any authority."
    )
    grant_high: Euro = Field(
        description="The 80 % interval's high end (the point for an observed figure)."
    )
    status: FigureStatus = Field(
        description="``estimated`` when the run distributes the half posts; the sources' "
        "status when a source gives the town's money (observed)."
    )
    kinds: tuple[str, ...] = Field(
        description="The kinds of its authorities (``auslaenderbehoerde``, "
        "``einbuergerungsbehoerde``, ``unspecified``)."
    )
    sources: tuple[str, ...] = Field(description="Source ids of its authorities.")


def town_figures(
    shares: Iterable[AuthorityShare], spread: tuple[Decimal, Decimal] = (Decimal(0), Decimal(0))
) -> tuple[TownFigure, ...]:
    """One row per town from the municipal authorities' Baustein 3 shares, in AGS order.

    ``spread`` gives an estimate's 80 % interval relative to its point (for example
    ``(-0.5, 1.2)``), as the estimation layer's residuals give it for the units.

    Examples:
        >>> from kim.scenarios import run_statewide
        >>> [(t.name, str(t.grant.amount), t.status.value) for t in town_figures(
        ...     run_statewide(2020).authorities) if t.name in ("Bocholt", "Düren")]
        [('Düren', '25000.00', 'inferred'), ('Bocholt', '50000.00', 'confirmed')]

    """
    by_town: dict[str, list[AuthorityShare]] = {}
    for share in shares:
        by_town.setdefault(share.authority.holder, []).append(share)
    rows = []
    for ags in sorted(by_town):
        parts = by_town[ags]
        first = parts[0].authority
        grant = sum((p.amount for p in parts), Euro(0))
        low = high = grant
        if all(p.observed for p in parts):
            status = FigureStatus.weakest(FigureStatus.of(p.authority.status) for p in parts)
        else:
            status = FigureStatus.ESTIMATED
            half_post = parts[0].amount.amount / parts[0].half_posts
            floor = half_post * len(parts)
            low = Euro(max(grant.amount * (1 + spread[0]), floor))
            high = Euro(max(grant.amount * (1 + spread[1]), grant.amount))
        rows.append(
            TownFigure(
                ags=ags,
                name=first.holder_name,
                kreis=first.kreis,
                half_posts=sum(p.half_posts for p in parts),
                grant=grant,
                grant_low=low,
                grant_high=high,
                status=status,
                kinds=tuple(p.authority.kind.value for p in parts),
                sources=tuple(dict.fromkeys(s for p in parts for s in p.authority.sources)),
            )
        )
    return tuple(rows)


def town_breakdown(towns: Iterable[TownFigure]) -> Breakdown:
    """What the towns' Baustein 3 rows add to the total.

    Observed money counts as sourced, the rest as estimated with its interval.
    """
    zero = Euro(0)
    sourced = estimated = low = high = zero
    count = 0
    for town in towns:
        count += 1
        if town.status is FigureStatus.ESTIMATED:
            estimated += town.grant
            low += town.grant_low
            high += town.grant_high
        else:
            sourced += town.grant
    return Breakdown(
        sourced=sourced, supplied=zero, estimated=estimated, estimated_low=low,
        estimated_high=high, figures=count, missing=0,
    )  # fmt: skip


def breakdown(figures: Iterable[ComponentFigure]) -> Breakdown:
    """Add up figures by what they rest on (eligible figures only are counted)."""
    zero = Euro(0)
    sourced = supplied = estimated = low = high = zero
    count = missing = 0
    for f in figures:
        if f.eligibility is not Outcome.ELIGIBLE:
            continue
        count += 1
        if f.grant is None:
            missing += 1
        elif f.estimated:
            estimated += f.grant
            low += f.grant_low or f.grant
            high += f.grant_high or f.grant
        elif f.status is FigureStatus.SUPPLIED:
            supplied += f.grant
        else:
            sourced += f.grant
    return Breakdown(
        sourced=sourced, supplied=supplied, estimated=estimated, estimated_low=low,
        estimated_high=high, figures=count, missing=missing,
    )  # fmt: skip
