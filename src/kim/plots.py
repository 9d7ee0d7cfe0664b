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


_LABELS = {
    "en": {
        "title": "KIM grants by unit, {year}",
        "component": "Baustein {n}: {label}",
        "estimated": "hatched: estimate, whisker: 80 % interval",
        "missing": "x: figure missing (no known rate)",
        "xlabel": "Mio €",
    },
    "de": {
        "title": "KIM-Zuwendungen je Einheit, {year}",
        "component": "Baustein {n}: {label}",
        "estimated": "schraffiert: Schätzung, Strich: 80-%-Intervall",
        "missing": "x: Wert fehlt (keine bekannte Pauschale)",
        "xlabel": "Mio. €",
    },
}


def _labels(lang: str) -> dict[str, str]:
    if lang not in _LABELS:
        raise InputError(f"lang must be 'de' or 'en', got {lang!r}")
    return _LABELS[lang]


def funding_by_unit(run: StatewideRun, *, lang: str = "en") -> Any:
    """Stacked horizontal bars: the grant per unit and component.

    Figures resting on sources are solid bars; estimated figures are lighter and
    hatched, with a whisker for the 80 % interval of the unit's estimated part; a unit
    with a missing figure gets an ``x`` at the end of its bar. The legend says so.

    Args:
        run: a statewide run.
        lang: ``"en"`` or ``"de"`` for the labels.

    """
    words = _labels(lang)
    units = sorted(run.units, key=lambda u: u.total)
    figure = _figure(9, max(6.0, 0.22 * len(units)))
    ax = figure.add_subplot()
    left = [0.0] * len(units)
    names = [u.name for u in units]
    for c in Component:
        figures = [u.components[c] for u in units]
        values = [0.0 if f.grant is None else float(f.grant.amount) / 1e6 for f in figures]
        label = c.label_de if lang == "de" else c.label_en
        ax.barh(names, [0.0 if f.estimated else v for f, v in zip(figures, values, strict=True)],
                left=left, color=_COMPONENT_COLOURS[c.value],
                label=words["component"].format(n=c.value, label=label))  # fmt: skip
        ax.barh(names, [v if f.estimated else 0.0 for f, v in zip(figures, values, strict=True)],
                left=left, color=_COMPONENT_COLOURS[c.value], alpha=0.45, hatch="///",
                edgecolor="white", linewidth=0)  # fmt: skip
        left = [a + b for a, b in zip(left, values, strict=True)]
    low = [float(u.total_low.amount) / 1e6 for u in units]
    high = [float((u.total_high or u.total).amount) / 1e6 for u in units]
    rows = [i for i, u in enumerate(units) if u.total_low != (u.total_high or u.total)]
    ax.errorbar([left[i] for i in rows], rows,
                xerr=[[max(left[i] - low[i], 0.0) for i in rows],
                      [max(high[i] - left[i], 0.0) for i in rows]],
                fmt="none", ecolor="#333333", elinewidth=0.8, capsize=2)  # fmt: skip
    gaps = [i for i, u in enumerate(units) if any(
        f.grant is None and f.eligibility.value == "eligible" for f in u.components.values()
    )]  # fmt: skip
    ax.plot([left[i] for i in gaps], gaps, linestyle="", marker="x", color="#b00000",
            label=words["missing"])  # fmt: skip
    patch = import_module("matplotlib.patches").Patch
    handles = ax.get_legend_handles_labels()[0]
    handles.append(patch(facecolor="#999999", alpha=0.45, hatch="///", label=words["estimated"]))
    ax.set_xlabel(words["xlabel"])
    title = words["title"].format(year=run.year) + (f" ({run.scenario})" if run.scenario else "")
    ax.set_title(title)
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(handles=handles, loc="lower right", fontsize=8)
    ax.set_xlim(left=0)
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
