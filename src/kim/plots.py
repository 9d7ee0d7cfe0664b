"""Plots for notebooks and reports (matplotlib, from the ``notebook`` extra).

Every function returns a ``matplotlib.figure.Figure`` and draws nothing on screen;
save it with ``figure.savefig(path)``. The figures are built on the object API with the
non-interactive Agg canvas, so they work in scripts, tests and notebooks alike.
"""

from __future__ import annotations

from datetime import date
from importlib import import_module
from typing import Any

from kim.components import Component
from kim.errors import InputError
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.scenarios.statewide import RunComparison, StatewideRun

__all__ = ["funding_by_unit", "rate_timeline", "run_difference"]

_STATUS_MARKERS = {"confirmed": "o", "derived": "s", "inferred": "^", "supplied": "D"}
_COMPONENT_COLOURS = {1: "#4c72b0", 2: "#55a868", 3: "#c44e52"}


def _figure(width: float, height: float) -> Any:
    try:
        figure_module = import_module("matplotlib.figure")
        import_module("matplotlib.backends.backend_agg")
    except ImportError:
        raise InputError("plots need matplotlib: pip install 'kim-nrw[notebook]'") from None
    return figure_module.Figure(figsize=(width, height), layout="constrained")


def funding_by_unit(run: StatewideRun) -> Any:
    """Stacked horizontal bars: the grant per unit and component (known figures)."""
    units = sorted(run.units, key=lambda u: u.total)
    figure = _figure(9, max(6.0, 0.22 * len(units)))
    ax = figure.add_subplot()
    left = [0.0] * len(units)
    names = [u.name for u in units]
    for c in Component:
        values = [float((u.components[c].grant or 0 * u.total).amount) / 1e6 for u in units]
        ax.barh(names, values, left=left, color=_COMPONENT_COLOURS[c.value],
                label=f"Baustein {c.value}: {c.label_en}")  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel("Mio €")
    title = f"KIM grants by unit, {run.year}" + (f" ({run.scenario})" if run.scenario else "")
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(loc="lower right", fontsize=8)
    return figure


def rate_timeline(parameter: str, parameters: ParameterSet | None = None) -> Any:
    """The values of one parameter over time, with a marker per status."""
    params = embedded_parameters() if parameters is None else parameters
    p = params[parameter]
    figure = _figure(8, 4)
    ax = figure.add_subplot()
    for v in p.values:
        end = p.effective_end(v) or date(max(v.start.year + 1, date.today().year), 12, 31)
        y = float(v.value)
        ax.plot([v.start, end], [y, y], color="#4c72b0", linewidth=2)
        ax.plot([v.start], [y], marker=_STATUS_MARKERS.get(v.status.value, "x"),
                color="#4c72b0", linestyle="", label=v.status.value)  # fmt: skip
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), title="status", fontsize=8)
    ax.set_title(f"{p.name.en} ({p.unit.value}, per {p.reference_period.value})")
    ax.set_ylim(bottom=0)
    return figure


def run_difference(comparison: RunComparison) -> Any:
    """Bars of the per-unit difference between two runs (other minus base)."""
    rows = sorted(comparison.rows, key=lambda r: float(r["difference"]))
    figure = _figure(9, max(6.0, 0.22 * len(rows)))
    ax = figure.add_subplot()
    values = [float(r["difference"]) / 1e3 for r in rows]
    colours = ["#c44e52" if v < 0 else "#55a868" for v in values]
    ax.barh([r["name"] for r in rows], values, color=colours)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel("difference, thousand €")
    ax.set_title(f"{comparison.other} minus {comparison.base}")
    ax.tick_params(axis="y", labelsize=7)
    return figure
