"""The rows of a sweep: one scenario's totals, and all rows with CSV and pandas output."""

from __future__ import annotations

import csv
import io
from importlib import import_module
from typing import Any

from pydantic import Field

from kim._model import FrozenMap, KimModel
from kim.components import Component
from kim.errors import InputError
from kim.money import Euro

__all__ = ["SweepResult", "SweepRow"]


class SweepRow(KimModel):
    """The totals of one scenario."""

    scenario: str = Field(description="The scenario's name.")
    year: int = Field(description="The funding year.")
    totals: FrozenMap[Component, Euro] = Field(description="Sum per component.")
    total: Euro = Field(description="Sum of the known figures.")
    budget: Euro | None = Field(description="The budget of the year, if known.")
    missing: int = Field(description="Figures that could not be computed.")
    supplied: int = Field(description="Figures resting on a scenario value.")


class SweepResult(KimModel):
    """All rows of a sweep, with how long it took."""

    year: int = Field(description="The funding year.")
    rows: tuple[SweepRow, ...] = Field(description="One row per scenario, in input order.")
    seconds: float = Field(description="Wall time of the sweep.")
    executor: str = Field(description="'sequential' or the executor's class name.")

    def to_csv(self) -> str:
        """The rows as CSV."""
        buffer = io.StringIO()
        names = ["scenario", "year", *(f"b{c.value}" for c in Component), "total", "budget"]
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([*names, "missing", "supplied"])
        for r in self.rows:
            writer.writerow(
                [
                    r.scenario,
                    r.year,
                    *(str(r.totals[c].amount) for c in Component),
                    str(r.total.amount),
                    "" if r.budget is None else str(r.budget.amount),
                    r.missing,
                    r.supplied,
                ]
            )
        return buffer.getvalue()

    def to_frame(self) -> Any:
        """The rows as a pandas ``DataFrame`` (needs the ``notebook`` extra)."""
        try:
            pd: Any = import_module("pandas")
        except ImportError:
            raise InputError("to_frame() needs pandas: pip install 'kim-nrw[notebook]'") from None
        return pd.read_csv(io.StringIO(self.to_csv())).set_index("scenario")
