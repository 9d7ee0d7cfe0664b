"""The ``kim report`` command: the statewide table and totals with the coverage note."""

from __future__ import annotations

import argparse
import textwrap
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
    from kim._cli_supply import supplied_from
    from kim.components import Component
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
    from kim._render import render_for, text_width

    rows: list[dict[str, Any]] = []
    towns = run.towns_by_kreis()
    for u in run.units:
        row: dict[str, Any] = {"key": u.key, "name": u.name}
        for c in Component:
            row[f"B{c.value}"] = _cell(u.components[c], args.lang)
        high = "open" if u.total_high is None else _k(u.total_high, args.lang)
        row["total"] = _k(u.total, args.lang) + (
            f" [{_k(u.total_low, args.lang)}-{high}]" if u.total_low != u.total_high else ""
        )
        if all(f.grant is None for f in u.components.values()):
            row["total"] = "missing"
        row["status"] = u.status.value
        row["published"] = "; ".join(_published(t) for t in u.published)
        rows.append(row)
        for town in towns.get(u.key, ()):
            rows.append(_town_wide(town, args.lang))
    if args.wide:
        table = render_for(args, rows, list(rows[0]), currency=False)
    else:
        table = render_for(args, _compact(run, args.lang), ["name", "total", "80 %", "status"])
    de = args.lang == "de"
    named = (", Szenario " if de else ", scenario ") + run.scenario if run.scenario else ""
    header = ("KIM landesweit " if de else "KIM statewide run ") + f"{run.year}{named}"
    if args.wide:
        legend = (
            "Tausend Euro. ~x [a-b]: eine Schätzung (Stellen geschätzt) mit ihrem "
            "80-%-Intervall; missing: keine Zahl berechenbar; published: die eigene Summe "
            "der Einheit für das Jahr."
            if de
            else "Thousand euros. ~x [a-b]: an estimate (staffing estimated) with its 80 % "
            "interval; missing: no figure can be computed; published: the unit's own total "
            "for the year."
        )
    else:
        legend = (
            "Summe je Einheit in €; ~: geschätzt, daneben das 80-%-Intervall; missing: keine "
            "Zahl berechenbar. Jeder Baustein mit Intervall und Quelle: --wide."
            if de
            else "Total per unit in EUR; ~: estimated, with its 80 % interval beside it; "
            "missing: no figure can be computed. Every component with its interval and "
            "source: --wide."
        )
    status = (
        "Status: bestätigt / abgeleitet / gefolgert stammen aus den Quellen; vorgegebene "
        "Werte aus dem Szenario; geschätzte Stellen aus kim.estimates (Doku-Seite "
        "'Estimates'); fehlenden Zahlen fehlt eine bekannte Pauschale: mit --set oder "
        "--scenario vorgeben."
        if de
        else "Status: confirmed / derived / inferred come from the sources; supplied values "
        "from the scenario; estimated staffing from kim.estimates (see the docs page "
        "'Estimates'); missing figures have no known flat rate: supply one with --set or "
        "--scenario."
    )
    prose = [
        *(f"B{c.value}: {run.breakdown[c].describe()}" for c in Component),
        ("insgesamt: " if de else "all: ") + run.overall.describe(),
        run.budget_note,
        ("Abdeckung: " if de else "Coverage: ") + run.coverage_note(),
        status,
    ]
    if run.to_supply:
        prose.append(
            f"No value for {run.year}: {', '.join(run.to_supply)}. Supply them with --set or "
            "in a scenario file (kim report --scenario FILE) to price the missing figures."
        )
    prose += [f"{u.name}: {u.note}." for u in run.units if u.note]
    width = text_width(args)
    if width is not None:
        legend = textwrap.fill(legend, width)
        prose = [textwrap.fill(p, width, subsequent_indent="  ") for p in prose]
    lines = [header, "", legend, "", table, "", ("Summen:" if de else "Totals:"), *prose]
    lines += supplied.lines()
    if args.plot:
        lines.append(f"{word('Plot saved to', args.lang)} {args.plot}.")
    return "\n".join(lines)


def _compact(run: Any, lang: Any) -> list[dict[str, Any]]:
    """One short row per unit: its total in full euros, the 80 % interval, the status.

    The per-component figures with their intervals are in ``--wide`` and in the totals
    below the table; an estimated total starts with ``~``.
    """
    from kim._i18n import amount

    rows = []
    towns = run.towns_by_kreis()
    for u in run.units:
        if all(f.grant is None for f in u.components.values()):
            total, interval = "missing", ""
        else:
            estimated = any(f.estimated for f in u.components.values())
            total = ("~" if estimated else "") + amount(u.total, lang, currency=False)
            interval = ""
            if u.total_low != u.total_high:
                interval = _span(u.total_low, u.total_high, lang)
        name = u.name if len(u.name) <= 24 else u.name[:23] + "…"
        rows.append({"name": name, "total": total, "80 %": interval, "status": u.status.value})
        for town in towns.get(u.key, ()):
            estimated = town.status.value == "estimated"
            rows.append(
                {
                    "name": _town_name(town.name, 24),
                    "total": ("~" if estimated else "") + amount(town.grant, lang, currency=False),
                    "80 %": _span(town.grant_low, town.grant_high, lang) if estimated else "",
                    "status": town.status.value,
                }
            )
    return rows


def _span(low: Any, high: Any, lang: str) -> str:
    """An 80 % interval in full euros, ``open`` at the top when ``high`` is None."""
    top = "open" if high is None else f"{high.amount:,.0f}"
    text = f"{low.amount:,.0f}-{top}"
    return text.replace(",", ".") if lang == "de" else text


def _town_name(name: str, width: int | None = None) -> str:
    """A town's own Baustein 3 row, indented under its Kreis: ``↳ Bocholt (B3)``."""
    text = f"↳ {name} (B3)"
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _town_wide(town: Any, lang: str) -> dict[str, Any]:
    """A town's row in the wide table: only Baustein 3 and the total are filled."""
    grant = _k(town.grant, lang)
    if town.status.value == "estimated":
        grant = f"~{grant} [{_k(town.grant_low, lang)}-{_k(town.grant_high, lang)}]"
    return {
        "key": town.ags,
        "name": _town_name(town.name),
        "B1": "",
        "B2": "",
        "B3": grant,
        "total": grant,
        "status": town.status.value,
        "published": "",
    }


def _k(amount: Any, lang: str = "en") -> str:
    text = f"{amount.amount / 1000:,.1f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "de" else text


def _cell(figure: Any, lang: str = "en") -> str:
    if figure.grant is None:
        fte = sum(figure.staffing.values())
        if not fte:
            return "missing"
        return f"missing ({'~' if figure.fte_low is not None else ''}{fte.normalize()} posts)"
    if figure.estimated and figure.grant_low is not None and figure.grant_high is not None:
        low, high = _k(figure.grant_low, lang), _k(figure.grant_high, lang)
        return f"~{_k(figure.grant, lang)} [{low}-{high}]"
    return _k(figure.grant, lang)


def _published(total: Any) -> str:
    words = {"exact": "", "about": "~", "at_most": "<=", "at_least": ">="}
    value = f"{total.value / 1000:,.1f}" if total.what == "grant" else f"{total.value} posts"
    return words[total.qualifier.value] + value


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
