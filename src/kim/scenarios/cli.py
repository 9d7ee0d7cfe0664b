"""The ``kim report`` command: the statewide table and totals with the coverage note."""

from __future__ import annotations

import argparse
from typing import Any

from kim._render import FORMATS
from kim.errors import InputError

__all__ = ["register"]


_PLOT_FORMATS = ("png", "svg", "pdf")


def _plot_format(path: str) -> str:
    """The format of a plot file from its suffix; the folder must exist."""
    from pathlib import Path

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


_LAYOUT_ONLY = frozenset({"help", "format", "recompute"})
"""Options of ``kim report`` that do not change the run (with ``--lang`` and ``--wide``)."""


def _stored_applies(args: argparse.Namespace) -> bool:
    """Whether the stored report may answer: every option that shapes the run at its default.

    The defaults come from the command's own options (``run_defaults``, set in
    `register`), so an option added later makes the command compute until it is named
    in ``_LAYOUT_ONLY``.
    """
    defaults: dict[str, Any] = args.run_defaults
    return not args.recompute and all(getattr(args, k) == v for k, v in defaults.items())


def _report(args: argparse.Namespace) -> str:
    from kim._render import text_width
    from kim.scenarios import _report_text

    if _stored_applies(args):
        from kim._snapshot import stored_report

        stored = stored_report()
        if stored is not None:
            return _report_text.from_stored(stored, args.format, args.lang, text_width(args))

    from kim._cli_supply import supplied_from
    from kim.scenarios.statewide import run_statewide

    if args.plot is not None:
        _plot_format(args.plot)  # a bad path fails before the run, not after it
    supplied = supplied_from(args, args.year)
    run = run_statewide(args.year, supplied.scenario)
    if args.plot is not None:
        from kim.plots import funding_by_unit

        _save_plot(funding_by_unit(run, lang=args.lang), args.plot)
    if args.format == "json":
        return run.to_json()
    if args.format == "csv":
        return run.to_csv().rstrip("\n")
    from kim._i18n import word

    tail = supplied.lines()
    if args.plot:
        tail.append(f"{word('Plot saved to', args.lang)} {args.plot}.")
    doc = _report_text.document(run, args.lang, wide=args.wide, tail=tail)
    return _report_text.layout(doc, text_width(args))


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
    report.add_argument(
        "--recompute",
        action="store_true",
        help="compute the run even when the report stored with this copy of kim applies",
    )
    add_supply_arguments(report)
    report.set_defaults(
        run_defaults={a.dest: a.default for a in report._actions if a.dest not in _LAYOUT_ONLY}
    )
