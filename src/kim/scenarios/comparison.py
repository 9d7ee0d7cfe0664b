"""Comparing two statewide runs unit by unit (other minus base).

Examples:
    >>> from kim.scenarios import run_statewide
    >>> run = run_statewide(2023)
    >>> compare_runs(run, run).total_difference
    Euro('0.00')

"""

from __future__ import annotations

import json
from typing import Any

from pydantic import Field

from kim._model import FrozenMap, KimModel
from kim.money import Euro
from kim.scenarios.results import StatewideRun

__all__ = ["RunComparison", "compare_runs"]


class RunComparison(KimModel):
    """Per-unit and total differences between two runs (other minus base)."""

    base: str = Field(description="Label of the base run.")
    other: str = Field(description="Label of the other run.")
    rows: tuple[FrozenMap[str, Any], ...] = Field(description="key, name, base, other, difference.")
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
