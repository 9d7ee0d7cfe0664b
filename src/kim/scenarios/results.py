"""The result types of the statewide run: one figure per unit and component, the run.

A figure's status uses the words of [`kim.parameters.Status`][kim.parameters.model.Status]
(confirmed, derived, inferred, supplied) and two more that only a report needs: ``estimated`` (the
staffing comes from the estimation layer, [`kim.scenarios.estimates`][kim.scenarios.estimates]) and
``missing`` (no figure can be computed).

Examples:
    >>> FigureStatus.of(Status.INFERRED).value
    'inferred'
    >>> FigureStatus.weakest([FigureStatus.CONFIRMED, FigureStatus.ESTIMATED]).value
    'estimated'

"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from html import escape
from importlib import import_module
from typing import Any, NamedTuple

from pydantic import Field

from kim._model import KimModel
from kim.allocation.authorities import AuthorityShare
from kim.allocation.observed import ObservedTotal
from kim.components import Component, PostKind
from kim.eligibility import Outcome
from kim.errors import InputError
from kim.money import Euro
from kim.parameters.model import Status
from kim.territory.model import DistrictType

__all__ = [
    "Breakdown",
    "ComponentFigure",
    "FigureStatus",
    "StaffingBasis",
    "StatewideRun",
    "TownFigure",
    "UnitResult",
    "breakdown",
    "town_breakdown",
    "town_figures",
]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _money(value: Euro | None) -> str | None:
    return None if value is None else str(value.amount)


def _published(total: ObservedTotal) -> str:
    qualifier = "" if total.qualifier.value == "exact" else f"{total.qualifier.value} "
    what = "EUR" if total.what == "grant" else "posts"
    return f"{what} {qualifier}{total.value} ({total.status.value})"


def _html_cell(f: ComponentFigure) -> str:
    if f.grant is None:
        return "<td style='color:#b00'>missing</td>"
    text = f"{f.grant.amount:,.0f}"
    if f.estimated and f.grant_low is not None and f.grant_high is not None:
        return (
            f"<td style='text-align:right;color:#777'><i>≈{text} "
            f"[{f.grant_low.amount:,.0f}–{f.grant_high.amount:,.0f}]</i></td>"
        )
    return f"<td style='text-align:right'>{text}</td>"


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
    staffing: dict[PostKind, Decimal] = Field(description="FTE per kind of post.")
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


class UnitResult(KimModel):
    """One unit's results for all three components."""

    key: str = Field(description="The unit's key.")
    name: str = Field(description="Its name.")
    type: DistrictType = Field(description="Kreis, kreisfreie Stadt, ...")
    components: dict[Component, ComponentFigure] = Field(description="Per component.")
    published: tuple[ObservedTotal, ...] = Field(
        default=(), description="Totals the unit itself published for the year."
    )
    note: str | None = Field(
        default=None, description="How the figures were made to agree with a published total."
    )

    @property
    def total(self) -> Euro:
        """The sum of the grants that could be computed."""
        return sum((f.grant for f in self.components.values() if f.grant is not None), Euro(0))

    @property
    def total_low(self) -> Euro:
        """Lower end of the total's 80 % interval (known figures at their value)."""
        return sum(
            (f.grant_low or f.grant for f in self.components.values() if f.grant is not None),
            Euro(0),
        )

    @property
    def total_high(self) -> Euro | None:
        """Upper end of the total's interval; ``None`` (open) when a figure is missing."""
        if any(f.grant is None for f in self.components.values()):
            return None
        return sum(
            (f.grant_high or f.grant for f in self.components.values() if f.grant is not None),
            Euro(0),
        )

    @property
    def status(self) -> FigureStatus:
        """The weakest status of its known figures (``missing`` only if none is known)."""
        return FigureStatus.weakest(
            f.status for f in self.components.values() if f.grant is not None
        )

    def figure_for(
        self, components: Iterable[Component], what: str = "grant"
    ) -> tuple[Decimal, Decimal, Decimal | None]:
        """The unit's figure for some components: point, low end, high end.

        ``what`` is ``"grant"`` (euros) or ``"posts"`` (FTE). The high end is ``None``
        (open) when a grant of an eligible component is missing.
        """
        figures = [self.components[c] for c in components]
        if what == "posts":
            return (
                sum((f.fte for f in figures), Decimal(0)),
                sum((f.fte if f.fte_low is None else f.fte_low for f in figures), Decimal(0)),
                sum((f.fte if f.fte_high is None else f.fte_high for f in figures), Decimal(0)),
            )
        known = [f for f in figures if f.grant is not None]
        point = sum((f.grant.amount for f in known if f.grant), Decimal(0))
        low = sum(((f.grant_low or f.grant).amount for f in known if f.grant), Decimal(0))
        gap = any(f.grant is None and f.eligibility is Outcome.ELIGIBLE for f in figures)
        high = sum(((f.grant_high or f.grant).amount for f in known if f.grant), Decimal(0))
        return point, low, None if gap else high

    def agrees_with(self, total: ObservedTotal) -> bool:
        """Whether the unit's figure equals a total it published or its interval holds it.

        An open interval (a figure is missing) agrees unless its low end already exceeds
        the total.
        """
        point, low, high = self.figure_for(total.components, total.what)
        if high is None:
            return total.qualifier.value == "at_least" or total.admits(
                point, low, max(point, total.value)
            )
        return total.admits(point, low, high)


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


class TownFigure(NamedTuple):
    """Baustein 3 of one town that runs its own authority: its own row under its Kreis.

    A town with an Ausländer- and an Einbürgerungsbehörde has one row for both. Its money
    is never inside the Kreis's figure and is counted once in the run's totals.
    """

    ags: str
    """The town's AGS (8 digits)."""
    name: str
    """The town's name."""
    kreis: str
    """The key of the Kreis it lies in (the first five digits of the AGS)."""
    half_posts: int
    """Half posts of its authorities together."""
    grant: Euro
    """Half posts times the flat rate per half post."""
    grant_low: Euro
    """The 80 % interval's low end (the point for an observed figure); never below one
    half post per authority, the least the programme gave any authority."""
    grant_high: Euro
    """The 80 % interval's high end (the point for an observed figure)."""
    status: FigureStatus
    """``estimated`` when the half posts are distributed by the run; the sources' status
    when a source gives the town's money (observed)."""
    kinds: tuple[str, ...]
    """The kinds of its authorities (``auslaenderbehoerde``, ``einbuergerungsbehoerde``,
    ``unspecified``)."""
    sources: tuple[str, ...]
    """Source ids of the authorities and of an observed amount."""


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


def _town_row(town: TownFigure, kreis_name: str) -> dict[str, Any]:
    """A town's own Baustein 3 as a row with the columns of the unit rows."""
    row: dict[str, Any] = {"key": town.ags, "name": town.name, "type": "municipality"}
    for c in Component:
        b = f"b{c.value}"
        own = c is Component.AUTHORITIES
        row[f"{b}_fte"] = str(Decimal(town.half_posts) / 2) if own else None
        row[f"{b}_fte_low"] = row[f"{b}_fte_high"] = None
        if own and town.status is not FigureStatus.ESTIMATED:
            row[f"{b}_basis"] = StaffingBasis.OBSERVED.value
        else:
            row[f"{b}_basis"] = StaffingBasis.ESTIMATED.value if own else None
        row[f"{b}_grant"] = str(town.grant.amount) if own else None
        estimated = own and town.status is FigureStatus.ESTIMATED
        row[f"{b}_grant_low"] = str(town.grant_low.amount) if estimated else None
        row[f"{b}_grant_high"] = str(town.grant_high.amount) if estimated else None
        row[f"{b}_status"] = town.status.value if own else None
    row["total"] = str(town.grant.amount)
    row["total_low"] = str(town.grant_low.amount)
    row["total_high"] = str(town.grant_high.amount)
    row["status"] = town.status.value
    row["published"] = None
    row["note"] = f"own Baustein 3 recipient within {kreis_name} ({', '.join(town.kinds)})"
    return row


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
    breakdown: dict[Component, Breakdown] = Field(
        default_factory=dict, description="Per component: what its total is made of."
    )
    authorities: tuple[AuthorityShare, ...] = Field(
        default=(),
        description="Baustein 3 of municipalities with their own authority: one row each "
        "under its Kreis (``authority.kreis``), counted in the totals, never in the Kreis.",
    )
    towns: tuple[TownFigure, ...] = Field(
        default=(),
        description="The same money as ``authorities``, one row per town with its interval.",
    )
    to_supply: tuple[str, ...] = Field(
        default=(), description="Parameters with no value for the year: supply them to price."
    )

    @property
    def overall(self) -> Breakdown:
        """The breakdown of all components together."""
        parts = list(self.breakdown.values())
        return sum(parts[1:], parts[0]) if parts else breakdown(())

    def rows(self) -> list[dict[str, Any]]:
        """One flat row per unit (for tables, CSV and data frames).

        Per component: posts, basis, grant and status, and for an estimate the 80 %
        interval of posts and grant (empty otherwise); per unit the total with its
        interval (``total_high`` empty: a figure is missing, the interval is open) and
        the totals the unit published. A town that runs its own authority follows its
        Kreis as a row of type ``municipality`` with only its Baustein 3 figure (see
        [`TownFigure`][kim.scenarios.results.TownFigure]).
        """
        out = []
        towns = self.towns_by_kreis()
        for u in self.units:
            row: dict[str, Any] = {"key": u.key, "name": u.name, "type": u.type.value}
            for c in Component:
                f = u.components[c]
                b = f"b{c.value}"
                row[f"{b}_fte"] = str(f.fte)
                row[f"{b}_fte_low"] = _text(f.fte_low)
                row[f"{b}_fte_high"] = _text(f.fte_high)
                row[f"{b}_basis"] = f.basis.value
                row[f"{b}_grant"] = _money(f.grant)
                row[f"{b}_grant_low"] = _money(f.grant_low)
                row[f"{b}_grant_high"] = _money(f.grant_high)
                row[f"{b}_status"] = f.status.value
            known = any(f.grant is not None for f in u.components.values())
            row["total"] = str(u.total.amount) if known else None
            row["total_low"] = str(u.total_low.amount) if known else None
            row["total_high"] = _money(u.total_high)
            row["status"] = u.status.value
            row["published"] = "; ".join(_published(t) for t in u.published) or None
            row["note"] = u.note
            out.append(row)
            out += [_town_row(t, u.name) for t in towns.get(u.key, ())]
        return out

    def towns_by_kreis(self) -> dict[str, tuple[TownFigure, ...]]:
        """The towns' own Baustein 3 rows, by the key of their Kreis."""
        grouped: dict[str, list[TownFigure]] = {}
        for town in self.towns:
            grouped.setdefault(town.kreis, []).append(town)
        return {kreis: tuple(rows) for kreis, rows in grouped.items()}

    def to_csv(self) -> str:
        """The unit rows as CSV (empty cells: no value)."""
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
        """The unit rows as a pandas ``DataFrame`` (needs the ``notebook`` extra).

        Money and posts are numeric columns (``NaN`` where there is no value), statuses
        and bases text columns, one per figure.
        """
        try:
            pd: Any = import_module("pandas")
        except ImportError:
            raise InputError("to_frame() needs pandas: pip install 'kim-nrw[notebook]'") from None
        frame = pd.DataFrame(self.rows()).set_index("key")
        numeric = [
            c for c in frame.columns
            if c.endswith(("_fte", "_fte_low", "_fte_high", "_grant", "_grant_low",
                           "_grant_high")) or c in ("total", "total_low", "total_high")
        ]  # fmt: skip
        for column in numeric:
            frame[column] = pd.to_numeric(frame[column].replace("", None)).astype(float)
        return frame

    def __repr__(self) -> str:
        """A one-line summary (the full data: `to_json()`)."""
        return (
            f"StatewideRun(year={self.year}, scenario={self.scenario!r}, "
            f"units={len(self.units)}, total={self.total.format_en()!r}, "
            f"coverage={ {s.value: n for s, n in self.coverage.items() if n} })"
        )

    def _repr_html_(self) -> str:
        """A compact HTML table for Jupyter: estimates in grey with their interval."""
        head = "".join(f"<th>{h}</th>" for h in ("unit", "B1", "B2", "B3", "total", "status"))
        body = []
        towns = self.towns_by_kreis()
        for u in self.units:
            cells = [f"<td>{escape(u.name)}</td>"]
            for c in Component:
                cells.append(_html_cell(u.components[c]))
            total = u.total.amount
            cells.append(f"<td style='text-align:right'>{total:,.0f}</td>")
            cells.append(f"<td>{u.status.value}</td>")
            body.append("<tr>" + "".join(cells) + "</tr>")
            for t in towns.get(u.key, ()):
                grey = " style='color:#777'" if t.status is FigureStatus.ESTIMATED else ""
                body.append(
                    f"<tr><td>&#8627; {escape(t.name)}</td><td></td><td></td>"
                    f"<td{grey}>{t.grant.amount:,.0f}</td>"
                    f"<td style='text-align:right'>{t.grant.amount:,.0f}</td>"
                    f"<td>{t.status.value}</td></tr>"
                )
        summary = "<br>".join(
            escape(x)
            for x in (
                *(f"B{c.value}: {self.breakdown[c].describe()}" for c in self.breakdown),
                self.budget_note,
                self.coverage_note(),
            )
        )
        return (
            f"<div><b>KIM statewide run {self.year}"
            + (f", scenario {escape(self.scenario)}" if self.scenario else "")
            + f"</b> (euros; <i style='color:#777'>grey: estimate [80 % interval]</i>)"
            f"<table><tr>{head}</tr>{''.join(body)}</table><p>{summary}</p></div>"
        )

    def coverage_note(self) -> str:
        """A sentence on how sure the figures are."""
        parts = [f"{n} {s.value}" for s, n in self.coverage.items() if n]
        towns = len(self.towns)
        mine = f" (with {towns} towns' own Baustein 3)" if towns else ""
        return f"{sum(self.coverage.values())} figures{mine}: " + ", ".join(parts) + "."
