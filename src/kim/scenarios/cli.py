"""The ``kim report`` command: the statewide table and totals with the coverage note."""

from __future__ import annotations

import argparse
from typing import Any

from kim._render import FORMATS

__all__ = ["register"]


def _report(args: argparse.Namespace) -> str:
    from kim._cli_supply import supplied_from
    from kim._render import render
    from kim.components import Component
    from kim.scenarios.statewide import run_statewide

    supplied = supplied_from(args, args.year)
    run = run_statewide(args.year, supplied.scenario)
    if args.plot:
        from kim.plots import funding_by_unit

        funding_by_unit(run).savefig(args.plot, dpi=120)
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
    lines += supplied.lines()
    if args.plot:
        lines.append(f"Plot saved to {args.plot}.")
    return "\n".join(lines)


def register(subparsers: Any) -> None:
    """Add ``kim report`` to the ``kim`` command."""
    from kim._cli_args import year_arg
    from kim._cli_supply import add_supply_arguments

    report = subparsers.add_parser(
        "report",
        help="The statewide run: every unit's grants, totals, budget and coverage.",
        description="The statewide run: every unit's grants, totals, budget and coverage.",
    )
    report.set_defaults(handler=_report)
    report.add_argument("--year", type=year_arg, help="funding year (default: latest confirmed)")
    report.add_argument("--format", choices=FORMATS, default="table", help="output format")
    report.add_argument("--plot", help="save a bar chart of the grants to this PNG file")
    add_supply_arguments(report)
