"""The result types of the statewide run: one figure per unit and component, the run.

A figure's status uses the words of :class:`kim.parameters.Status` (confirmed, derived,
inferred, supplied) and two more that only a report needs: ``estimated`` (the staffing
comes from the estimation layer, :mod:`kim.scenarios.estimates`) and ``missing`` (no
figure can be computed).

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
from importlib import import_module
from typing import Any

from pydantic import Field

from kim._model import KimModel
from kim.components import Component, PostKind
from kim.eligibility import Outcome
from kim.errors import InputError
from kim.money import Euro
from kim.parameters.model import Status
from kim.territory.model import DistrictType

__all__ = [
    "ComponentFigure",
    "FigureStatus",
    "StaffingBasis",
    "StatewideRun",
    "UnitResult",
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

    The first four members are :class:`kim.parameters.Status`, in its order (a test
    keeps them equal); ``estimated`` and ``missing`` are the report's own grades.
    """

    CONFIRMED = "confirmed"
    """A source states the inputs for this unit and year."""
    DERIVED = "derived"
    """Arithmetic on stated facts."""
    INFERRED = "inferred"
    """A reading that no source states word for word."""
    SUPPLIED = "supplied"
    """Rests on a value the scenario gave."""
    ESTIMATED = "estimated"
    """Rests on an estimated staffing; comes with an interval."""
    MISSING = "missing"
    """No figure can be computed."""

    @property
    def rank(self) -> int:
        """0 for confirmed up to 5 for missing."""
        return list(FigureStatus).index(self)

    @classmethod
    def of(cls, status: Status) -> FigureStatus:
        """The figure status for a value's :class:`~kim.parameters.Status`."""
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
        return FigureStatus.weakest(
            f.status for f in self.components.values() if f.grant is not None
        )


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
