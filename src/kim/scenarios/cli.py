"""The ``kim report`` command: the statewide table and totals with the coverage note."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from kim._render import FORMATS

__all__ = ["register"]


def _report(args: argparse.Namespace) -> str:
    from kim.components import Component
    from kim.scenarios.files import load_scenario
    from kim.scenarios.statewide import run_statewide

    scenario = load_scenario(args.scenario) if args.scenario else None
    run = run_statewide(args.year, scenario)
    if args.plot:
        from kim.plots import funding_by_unit

        funding_by_unit(run).savefig(args.plot, dpi=120)
    if args.format == "json":
        return run.to_json()
    if args.format == "csv":
        return run.to_csv().rstrip("\n")
    from kim._i18n import amount, word
    from kim._render import render_for, text_width

    rows: list[dict[str, Any]] = []
    for u in run.units:
        row: dict[str, Any] = {"key": u.key, "name": u.name}
        for c in Component:
            f = u.components[c]
            row[f"B{c.value}"] = "missing" if f.grant is None else f.grant
        row["total"] = u.total
        row["status"] = u.status.value
        rows.append(row)
    columns = list(rows[0]) if args.wide else [c for c in rows[0] if c != "key"]
    table = render_for(args, rows, columns, currency=False)
    de = args.lang == "de"
    totals = ", ".join(f"B{c.value} {amount(run.totals[c], args.lang)}" for c in Component)
    named = (", Szenario " if de else ", scenario ") + run.scenario if run.scenario else ""
    header = ("KIM landesweit " if de else "KIM statewide run ") + f"{run.year}{named}"
    status = (
        "Status: bestätigt / abgeleitet / gefolgert stammen aus den Quellen; geschätzte "
        "Stellen aus einer Quote oder dem Verteilschlüssel; vorgegebene Werte aus dem "
        "Szenario; wo eine Pauschale fehlt, fehlt die Zahl. Beträge in €."
        if de
        else "Status: confirmed / derived / inferred come from the sources; estimated staffing "
        "comes from a quota or the allocation key; supplied values from the scenario; "
        "missing figures have no known flat rate. Amounts in EUR."
    )
    prose = [
        (f"Summen: {totals}; insgesamt {amount(run.total, 'de')}." if de else
         f"Totals: {totals}; all {amount(run.total, 'en')} EUR."),
        run.budget_note,
        ("Abdeckung: " if de else "Coverage: ") + run.coverage_note(),
        status,
    ]  # fmt: skip
    width = text_width(args)
    if width is not None:
        prose = [textwrap.fill(p, width) for p in prose]
    lines = [header, "", table, "", *prose]
    if args.plot:
        lines.append(f"{word('Plot saved to', args.lang)} {args.plot}.")
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
