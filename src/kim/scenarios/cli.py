"""The ``kim report`` command: the statewide table and totals with the coverage note."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kim._render import FORMATS
from kim.errors import InputError

__all__ = ["register"]


_PLOT_FORMATS = ("png", "svg", "pdf")


def _plot_format(path: str) -> str:
    """The format of a plot file from its suffix; the folder must exist."""
    file = Path(path)
    suffix = file.suffix.lower().lstrip(".")
    if suffix not in _PLOT_FORMATS:
        raise InputError(
            f"--plot {file.name[:80]!r}: the name must end in "
            f"{', '.join('.' + f for f in _PLOT_FORMATS)}."
        )
    if file.is_dir() or not file.parent.is_dir():
        raise InputError(f"--plot {file.name[:80]!r}: give a file in an existing folder.")
    return suffix


def _save_plot(figure: Any, path: str) -> None:
    """Save ``figure`` whole or not at all; only PNG, SVG or PDF files."""
    import io

    from kim._io import write_atomic

    suffix = _plot_format(path)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=suffix, dpi=120)
    write_atomic(path, buffer.getvalue(), "plot")


def _report(args: argparse.Namespace) -> str:
    from kim._render import render
    from kim.components import Component
    from kim.scenarios.files import load_scenario
    from kim.scenarios.statewide import run_statewide

    if args.plot is not None:
        _plot_format(args.plot)  # a bad path fails before the run, not after it
    scenario = load_scenario(args.scenario) if args.scenario is not None else None
    run = run_statewide(args.year, scenario)
    if args.plot is not None:
        from kim.plots import funding_by_unit

        _save_plot(funding_by_unit(run), args.plot)
    if args.format == "json":
        return run.to_json()
    if args.format == "csv":
        return run.to_csv().rstrip("\n")
    rows: list[dict[str, Any]] = []
    for u in run.units:
        row: dict[str, Any] = {"key": u.key, "name": u.name}
        for c in Component:
            f = u.components[c]
            row[f"B{c.value}"] = "missing" if f.grant is None else f.grant.format_en()[4:]
        row["total"] = u.total.format_en()[4:]
        row["status"] = u.status.value
        rows.append(row)
    table = render(rows, list(rows[0]), "table")
    totals = ", ".join(f"B{c.value} {run.totals[c].format_en()}" for c in Component)
    header = f"KIM statewide run {run.year}" + (
        f", scenario {run.scenario}" if run.scenario else ""
    )
    lines = [
        header,
        "",
        table,
        "",
        f"Totals: {totals}; all {run.total.format_en()}.",
        run.budget_note,
        "Coverage: " + run.coverage_note(),
        "Status: confirmed / derived / inferred come from the sources; estimated staffing "
        "comes from a quota or the allocation key; supplied values from the scenario; "
        "missing figures have no known flat rate.",
    ]
    if args.plot:
        lines.append(f"Plot saved to {args.plot}.")
    return "\n".join(lines)


def register(subparsers: Any) -> None:
    """Add ``kim report`` to the ``kim`` command."""
    from kim._cli_args import year_arg

    report = subparsers.add_parser(
        "report",
        help="The statewide run: every unit's grants, totals, budget and coverage.",
        description="The statewide run: every unit's grants, totals, budget and coverage.",
    )
    report.set_defaults(handler=_report)
    report.add_argument("--year", type=year_arg, help="funding year (default: latest confirmed)")
    report.add_argument("--scenario", help="a scenario file (YAML or JSON)")
    report.add_argument("--format", choices=FORMATS, default="table", help="output format")
    report.add_argument("--plot", help="save a bar chart of the grants to this PNG file")
