"""The ``kim`` command: parsing arguments and printing results, no rules of its own.

One boundary ([`main()`][kim.cli.main]) turns every error into one line on standard error,
``kim: error: ...``, and an exit status scripts can use ([`EXIT_STATUS`][kim.cli.EXIT_STATUS]);
there is no traceback unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from importlib import import_module
from typing import Any, NoReturn

from kim._cli_args import date_arg, year_arg
from kim._cli_supply import add_supply_arguments, supplied_from
from kim._i18n import LANGS, default_lang
from kim._render import FORMATS, render, render_for, text_width
from kim._text import safe_text
from kim._version import __version__
from kim.errors import InputError, KimError

__all__ = ["EXIT_STATUS", "build_parser", "main"]

EXIT_STATUS = {
    0: "success",
    1: "a value the sources do not give (a data gap), or a refused case event",
    2: "a usage error or bad input (an argument, a file, a name the library does not know)",
    70: "an internal error: a bug in kim; please report it (run again with --debug)",
}
"""The exit statuses of the ``kim`` command and what each means."""

_VERSION = f"kim-nrw {__version__}"

_EPILOG = "exit status:\n" + "\n".join(f"  {k:<3} {v}" for k, v in EXIT_STATUS.items())

Handler = Callable[[argparse.Namespace], str]

_COMMAND_MODULES = (
    "kim.allocation.cli",
    "kim.funding.cli",
    "kim.casework.cli",
    "kim.scenarios.cli",
    "kim.service_cli",
)
"""Modules whose ``register(subparsers)`` adds their commands (each imports its rules lazily)."""


def _cmd_sources(args: argparse.Namespace) -> str:
    from kim.sources import embedded_sources

    rows = [
        {
            "id": s.id,
            "kind": s.kind.value,
            "issuer": s.issuer,
            "date": s.date.isoformat() if s.date else None,
            "section": s.section,
            "title": s.title_de,
            "url": s.url,
        }
        for s in embedded_sources().values()
    ]
    columns = ["id", "kind", "issuer", "date", "section", "url"]
    if args.format != "table":
        columns.insert(5, "title")
    return render_for(args, rows, columns)


def _rates_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    from kim.money import Euro
    from kim.parameters import format_quantity

    params = supplied_from(args, args.year).parameters
    if args.on is not None:
        start = end = args.on
    elif args.year is not None:
        start, end = date(args.year, 1, 1), date(args.year, 12, 31)
    else:
        start, end = date.min, date.max
    rows: list[dict[str, Any]] = []
    for p in params.values():
        found = p.overlapping(start, end)
        base = {"parameter": p.id, "name": p.name.en, "per": p.reference_period.value}
        if not found and (args.on is not None or args.year is not None):
            rows.append({**base, "value": None, "status": "missing", "valid": None})
        for v in found:
            end_text = p.effective_end(v)
            rows.append(
                {
                    **base,
                    "value": format_quantity(v.value, p.unit),
                    "number": Euro(v.value) if p.unit.value == "EUR" else v.value,
                    "in_force": _in_force(v.start, end_text, args.lang),
                    "amount": str(v.value),
                    "unit": p.unit.value,
                    "qualifier": v.qualifier.value,
                    "valid": f"{v.start.isoformat()}..{end_text.isoformat() if end_text else ''}",
                    "status": v.status.value,
                    "sources": list(v.sources),
                    "note": v.note,
                }
            )
    return rows


def _in_force(start: date, end: date | None, lang: str) -> str:
    """A validity as people read it: whole years as ``2021–2022``, else the two dates."""
    from kim._i18n import day

    language: Any = lang
    if end is None:
        return f"{day(start, language)}–"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    return f"{day(start, language)}–{day(end, language)}"


def _cmd_rates(args: argparse.Namespace) -> str:
    if args.on is not None and args.year is not None:
        raise InputError("Give either --year or --on, not both.")
    rows = _rates_rows(args)
    if args.format == "table" and args.wide:
        columns = ["parameter", "value", "per", "qualifier", "valid", "status", "sources"]
    elif args.format == "table":
        columns = ["parameter", "number", "unit", "in_force", "status"]
    else:
        columns = [
            "parameter", "name", "amount", "unit", "per", "qualifier",
            "valid", "status", "sources", "note",
        ]  # fmt: skip
    return render_for(args, rows, columns)


def _cmd_coverage(args: argparse.Namespace) -> str:
    from kim.parameters import coverage

    if args.last < args.first:
        raise InputError(f"--to {args.last} is before --from {args.first}.")
    supplied = supplied_from(args)
    cov = coverage(supplied.parameters, years=range(args.first, args.last + 1))
    rows = [
        {"parameter": r.parameter, **{str(y): s.value for y, s in r.years.items()}}
        for r in cov.rows
    ]
    table = render_for(args, rows, ["parameter", *(str(y) for y in cov.years)])
    return "\n".join([table, *supplied.lines()]) if args.format == "table" else table


def _district_row(d: Any) -> dict[str, Any]:
    return {
        "key": d.key,
        "name": d.name,
        "type": d.type.value,
        "regierungsbezirk": d.regierungsbezirk.value,
        "population": d.population.value,
        "population_date": d.population.date.isoformat(),
        "population_status": d.population.status.value,
        "population_sources": list(d.population.sources),
        "ki": d.has_ki,
        "aliases": list(d.aliases),
    }


def _cmd_districts(args: argparse.Namespace) -> str:
    from kim.territory import embedded_territory

    territory = embedded_territory()
    rows = [_district_row(d) for d in territory.districts()]
    columns = ["key", "name", "type", "regierungsbezirk", "population", "population_date"]
    if args.format != "table":
        columns += ["population_status", "population_sources", "ki", "aliases"]
        return render_for(args, rows, columns)
    total = territory.state_population()
    note = (
        f"{len(rows)} units; NRW population {total:,} (the city of Aachen counted once, "
        "inside the Städteregion)"
    )
    width = text_width(args)
    return (
        render_for(args, rows, columns, "table")
        + "\n\n"
        + (textwrap.fill(note, width) if width else note)
    )


def _cmd_district(args: argparse.Namespace) -> str:
    from kim.territory import District, embedded_territory

    territory = embedded_territory()
    found = territory.find(args.name)
    if isinstance(found, District):
        row = _district_row(found)
        row["municipalities"] = [m.name for m in territory.municipalities_of(found)]
    else:
        facts = ("auslaenderbehoerde", "einbuergerungsbehoerde", "jugendamt", "integrationsrat")
        row = {
            "key": found.ags,
            "name": found.name,
            "type": "municipality",
            "parent": str(territory.parent_of(found)),
            "population": found.population.value if found.population else None,
            **{f: getattr(found, f).value for f in facts},
        }
    if args.format == "table":
        width = max(len(k) for k in row)
        return "\n".join(f"{k.ljust(width)}  {_plain(v)}" for k, v in row.items())
    return render([row], list(row), args.format)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "unknown" if value is None else str(value)


def _cmd_eligibility(args: argparse.Namespace) -> str:
    from kim.eligibility import decide

    on = args.on if args.on is not None else date.today()
    supplied = supplied_from(args, on.year)
    decision = decide(
        args.entity,
        args.component,
        on,
        extra_coordination=args.extra_coordination,
        territory=supplied.territory,
    )
    if args.answers:
        from kim.situation import decide_again

        decision = decide_again(
            decision,
            dict(_answer(a) for a in args.answers),
            territory=supplied.territory,
            parameters=supplied.parameters,
        )
    if args.format == "json" and args.explain:
        return decision.explain().to_json()
    if args.format == "json":
        data = decision.model_dump(mode="json")
        if supplied.rows:
            data["supplied"] = supplied.data()
        return json.dumps(data, indent=2, ensure_ascii=False)
    lines = [decision.to_text()]
    lines += [f"  ask: {f.key} ({f.type}): {f.question.en}" for f in decision.missing_facts()]
    return "\n".join([*lines, *supplied.lines()])


def _answer(text: str) -> tuple[str, bool | str]:
    """``KEY=VALUE`` of ``--answer``: true/false, or a number or date as text."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise InputError(f"--answer {text!r}: write KEY=VALUE, e.g. post.additional=true")
    lowered = value.strip().lower()
    if lowered in ("true", "yes", "ja"):
        return key.strip(), True
    if lowered in ("false", "no", "nein"):
        return key.strip(), False
    return key.strip(), value.strip()


class _Parser(argparse.ArgumentParser):
    """argparse with its error line made safe: argparse echoes unknown arguments as given."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {safe_text(message, limit=2000)}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``kim`` command (exposed for the docs and tests)."""
    parser = _Parser(
        prog="kim",
        description="Kommunales Integrationsmanagement NRW: sourced rules, rates and data.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=_VERSION)
    parser.add_argument(
        "--debug", action="store_true", help="show the full traceback of an internal error"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.set_defaults(handler=handler)
        cmd.add_argument("--format", choices=FORMATS, default="table", help="output format")
        return cmd

    add("sources", "List the sources the library cites.", _cmd_sources)
    add("districts", "List the 54 KIM units with key, type and population.", _cmd_districts)
    one = add("district", "Show one unit or municipality by key, name or alias.", _cmd_district)
    one.add_argument("name", help="key (05558, 05315000), name or alias")
    elig = sub.add_parser(
        "eligibility",
        help="Decide whether a unit or municipality may be funded for a component.",
        description="Decide whether a unit or municipality may be funded for a component.",
    )
    elig.set_defaults(handler=_cmd_eligibility)
    elig.add_argument("entity", help="key, name or alias of a unit or municipality")
    elig.add_argument("--component", required=True, help="1, 2 or 3 (Baustein)")
    elig.add_argument("--on", type=date_arg, help="the date asked about (default: today)")
    elig.add_argument(
        "--extra-coordination",
        action="store_true",
        help="ask about a municipality's extra coordination post (Baustein 1)",
    )
    elig.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    add_supply_arguments(elig)
    elig.add_argument(
        "--answer",
        dest="answers",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="answer a missing fact (repeat), keyed as the decision lists it",
    )
    elig.add_argument(
        "--explain", action="store_true", help="with --format json: the full explanation"
    )
    rates = add(
        "rates",
        "List parameter values with status and sources (all dates, one year or one day).",
        _cmd_rates,
    )
    rates.add_argument("--year", type=year_arg, help="values that apply in this year")
    rates.add_argument("--on", type=date_arg, help="values in force on this date (YYYY-MM-DD)")
    add_supply_arguments(rates, facts=False)
    cov = add(
        "coverage", "Show per parameter and year what is confirmed or missing.", _cmd_coverage
    )
    cov.add_argument("--from", dest="first", type=year_arg, default=2020, help="first year")
    cov.add_argument("--to", dest="last", type=year_arg, default=2025, help="last year")
    add_supply_arguments(cov, facts=False)
    for module in _COMMAND_MODULES:
        import_module(module).register(sub)
    add_common_options(sub)
    return parser


def _fail(message: str) -> None:
    print(f"kim: error: {safe_text(message, limit=2000)}", file=sys.stderr)


def add_common_options(subparsers: Any) -> None:
    """Give every command ``--lang de|en`` and ``--wide`` (the same on all of them).

    ``--lang`` defaults to ``KIM_LANG`` or the locale (``kim._i18n.default_lang``); a
    command that already has ``--lang`` keeps it with that default. ``--wide`` prints
    tables at full width instead of fitting them to the terminal (80 columns when the
    width is not known).
    """
    lang = default_lang()
    for cmd in subparsers.choices.values():
        options = {o for action in cmd._actions for o in action.option_strings}
        if "--lang" not in options:
            cmd.add_argument(
                "--lang",
                choices=LANGS,
                help="language of the text output (default: KIM_LANG or the locale)",
            )
        cmd.set_defaults(lang=lang)
        if "--wide" not in options:
            cmd.add_argument(
                "--wide", action="store_true", help="tables at full width, not fitted to 80"
            )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see [`EXIT_STATUS`][kim.cli.EXIT_STATUS]).

    Examples:
        >>> main(["district", "Atlantis"])
        2
        >>> main(["district", "05558", "--format", "csv"]) == 0
        key,name,...
        True

    """
    if list(sys.argv[1:] if argv is None else argv)[:1] == ["--version"]:
        # The version alone: no parser of every command to build (what argparse prints).
        print(_VERSION)
        return 0
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        output = handler(args)
    except KimError as error:
        _fail(str(error))
        return error.exit_status
    except Exception as error:
        if args.debug:
            raise
        _fail(
            f"internal error ({type(error).__name__}); this is a bug in kim: please report "
            "it with the command you ran (add --debug for the full traceback)."
        )
        return 70
    try:
        print(output)
    except BrokenPipeError:  # e.g. `kim rates | head`: the reader has gone, not an error
        sys.stderr.close()
    return 0
