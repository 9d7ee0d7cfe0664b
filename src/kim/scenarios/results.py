"""The result types of the statewide run: one unit's results, the run and its tables.

The figures inside them (statuses, component figures, breakdowns, the towns' own
Baustein 3 rows) are defined in [`kim.scenarios.figures`][kim.scenarios.figures] and
importable from here as well.

Examples:
    >>> FigureStatus.of(Status.INFERRED).value
    'inferred'

"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from html import escape
from importlib import import_module
from typing import Any

from pydantic import Field

from kim._model import FrozenMap, KimModel
from kim.allocation.authorities import AuthorityShare
from kim.allocation.observed import ObservedTotal
from kim.components import Component
from kim.eligibility import Outcome
from kim.errors import InputError
from kim.money import Euro
from kim.parameters.model import Status
from kim.scenarios.figures import (
    Breakdown,
    ComponentFigure,
    FigureStatus,
    StaffingBasis,
    TownFigure,
    breakdown,
    town_breakdown,
    town_figures,
)
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


class UnitResult(KimModel):
    """One unit's results for all three components."""

    key: str = Field(description="The unit's key.")
    name: str = Field(description="Its name.")
    type: DistrictType = Field(description="Kreis, kreisfreie Stadt, ...")
    components: FrozenMap[Component, ComponentFigure] = Field(description="Per component.")
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


class StatewideRun(KimModel):
    """All 54 units for one year, with totals, the budget and a coverage summary."""

    year: int = Field(description="The funding year.")
    scenario: str | None = Field(description="The scenario's name, if any.")
    units: tuple[UnitResult, ...] = Field(description="One row per unit.")
    totals: FrozenMap[Component, Euro] = Field(description="Sum per component (known figures).")
    total: Euro = Field(description="Sum of all known figures.")
    budget: Euro | None = Field(description="The KIM budget of the year, if known.")
    budget_status: Status | None = Field(description="Status of the budget value.")
    budget_note: str = Field(description="The budget comparison in words.")
    coverage: FrozenMap[FigureStatus, int] = Field(description="Figures per status.")
    breakdown: FrozenMap[Component, Breakdown] = Field(
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
