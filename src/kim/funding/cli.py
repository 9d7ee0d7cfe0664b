"""The ``kim grant`` and ``kim explain`` commands: parsing and printing only.

``kim grant --district NAME-OR-KEY --year Y --post KIND=FTE ...`` prints the grant's
lines with status and sources, the totals per component, the own share and the money
passed on; ``--explain`` (or ``kim explain ...`` with the same options) prints the full
explanation instead. Kinds of post: every name the registry
[`kim.components.POST_KINDS`][kim.components.POST_KINDS] knows, e.g. ``case-management`` or ``ABH``.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any, Literal

from kim._cli_args import date_arg, year_arg
from kim._cli_supply import add_supply_arguments, supplied_from
from kim.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from kim.components import PostKind
    from kim.facts import Supplied
    from kim.funding.model import Grant, StaffingPlan

__all__ = ["register"]


def _kinds() -> str:
    """The kinds of post, from the registry (read only when a command runs)."""
    from kim.components import PostKind

    return ", ".join(kind.cli_name for kind in PostKind)


def _pair(text: str) -> tuple[str, str]:
    kind, sep, value = text.partition("=")
    if not sep or not kind.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write KIND=NUMBER, e.g. case-management=12")
    return kind.strip(), value.strip()


def _plan(args: argparse.Namespace, supplied: Supplied) -> StaffingPlan:
    from kim.funding.model import StaffingPlan, parse_post_kind

    fte: dict[PostKind | str, str] = {}
    if not args.post and args.measures is None:
        observed = None
        if supplied.facts is not None:
            unit = supplied.territory.district(args.district)
            observed = supplied.facts.posts_of(unit.key, supplied.territory)
        if observed is None:
            raise InputError(
                f"Give at least one --post KIND=FTE (kinds: {_kinds()}), or a --facts file "
                "with the unit's posts."
            )
        fte.update({k: str(v) for k, v in observed.posts.items()})
    for kind_text, size in args.post or []:
        kind = parse_post_kind(kind_text)
        if kind in fte:
            raise InputError(f"--post {kind.cli_name} is given twice; add the FTE.")
        fte[kind] = size
    costs: dict[PostKind | str, str] = {}
    for kind_text, amount in args.cost or []:
        costs[parse_post_kind(kind_text)] = amount
    start, end = args.start, args.end
    if (start is not None and start.year != args.year) or (
        end is not None and end.year != args.year
    ):
        raise InputError(f"--from and --to must lie in the funding year {args.year}.")
    return StaffingPlan.from_fte(
        args.district,
        args.year,
        fte,
        start=start,
        end=end,
        costs=costs,
        measures=args.measures,
    )


def _summary(g: Grant, args: argparse.Namespace) -> str:
    from decimal import Decimal

    from kim._i18n import amount
    from kim._render import render_for
    from kim.money import Euro

    columns = [
        "line", "component", "kind", "fte", "months", "rate", "status",
        "amount", "own_share", "final_recipient", "refused", "sources",
    ]  # fmt: skip
    if not args.wide:  # what fits 80 columns; the rest with --wide
        columns = ["line", "component", "kind", "fte", "months", "rate", "status", "amount"]
    head = [f"{g.recipient_name} ({g.recipient}), funding year {g.year}"]
    head += [f"CAUTION: {c.en}" for c in g.caveats]
    head.append(f"basis: {g.basis.value if g.basis else 'none'}; parameter set: {g.parameter_set}")
    rows = g.rows()
    for row in rows:
        if row["months"] is not None:
            row["months"] = f"{row['months']}/12"
        for key in ("rate", "amount", "own_share"):  # numbers, shown in the language asked
            if row[key] is not None:
                row[key] = Euro(row[key])
        if row["fte"] is not None:
            row["fte"] = Decimal(row["fte"])
    out = ["\n".join(head), "", render_for(args, rows, columns, "table", currency=False), ""]
    de = args.lang == "de"

    def money(value: Euro) -> str:  # 684.000,00 € / EUR 684,000.00
        return amount(value, "de") if de else value.format_en()

    for c in g.components:
        label = c.component.label_de if de else c.component.label_en
        out.append(f"Baustein {c.component.value} ({label}): {money(c.amount)}")
    out.append(f"{'Summe' if de else 'Total'}: {money(g.total)}")
    for what_de, what_en, f in (
        ("Bewilligt", "Notified (Bewilligung)", g.notice),
        ("Abgerechnet", "Settled (Verwendungsnachweis)", g.settlement),
        ("Differenz", "Difference", g.difference),
    ):
        status = f.status.value if f.status else "none"
        out.append(f"{what_de if de else what_en}: {money(f.amount)} [{f.rule}, {status}]")
    if g.own_share is not None and g.actual_cost is not None:
        out.append(f"Actual cost given: {g.actual_cost}; own share (Eigenanteil): {g.own_share}")
    for p in g.passed_on:
        out.append(f"Passed on to {p.final_recipient} ({p.employer.value}): {p.amount}")
    for w in g.warnings:
        out.append(f"Note: {w.en}")
    out.append("Sources: kim sources; full account: add --explain.")
    return "\n".join(out)


def _computed(args: argparse.Namespace) -> tuple[Grant, Supplied]:
    from kim.funding.rules import grant

    supplied = supplied_from(args, args.year)
    plan = _plan(args, supplied)
    return grant(plan, parameters=supplied.parameters, territory=supplied.territory), supplied


def _cmd_grant(args: argparse.Namespace) -> str:
    g, supplied = _computed(args)
    if args.explain or args.format == "html":
        return _render_explanation(g, supplied, args)
    if args.format == "json":
        data = g.model_dump(mode="json")
        if supplied.rows:
            data["supplied"] = supplied.data()
        return json.dumps(data, indent=2, ensure_ascii=False)
    return "\n".join([_summary(g, args), *supplied.lines()])


def _render_explanation(g: Grant, supplied: Supplied, args: argparse.Namespace) -> str:
    e = g.explain()
    lang: Literal["de", "en"] = "de" if args.lang == "de" else "en"
    if args.format == "json":
        return e.to_json()
    if args.format == "html":
        return e.to_html(lang)
    return "\n".join([e.to_text(lang), *supplied.lines()])


def _cmd_explain(args: argparse.Namespace) -> str:
    g, supplied = _computed(args)
    return _render_explanation(g, supplied, args)


def _options(cmd: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    cmd.add_argument("--district", required=True, help="key, name or alias of the KIM unit")
    cmd.add_argument("--year", required=True, type=year_arg, help="the funding year")
    cmd.add_argument(
        "--post",
        action="append",
        type=_pair,
        metavar="KIND=FTE",
        help="posts of one kind in FTE (repeat; KIND e.g. case-management; a wrong KIND lists all)",
    )
    cmd.add_argument(
        "--from", dest="start", type=date_arg, help="all posts filled from this day (YYYY-MM-DD)"
    )
    cmd.add_argument("--to", dest="end", type=date_arg, help="all posts filled until this day")
    cmd.add_argument(
        "--cost",
        action="append",
        type=_pair,
        metavar="KIND=EUR",
        help="actual personnel cost of the posts of one kind in the year (repeat)",
    )
    cmd.add_argument("--measures", metavar="EUR", help="money asked for events and measures")
    cmd.add_argument("--format", choices=formats, default="table", help="output format")
    cmd.add_argument("--lang", choices=("en", "de"), default="en", help="language of the text")
    add_supply_arguments(cmd)


def register(subparsers: Any) -> None:
    """Add ``grant`` and ``explain`` to the ``kim`` command's subparsers."""
    grant_cmd = subparsers.add_parser(
        "grant",
        help="Compute a grant from posts: lines, totals, statuses and sources.",
        description="Compute a grant from posts: lines, totals, statuses and sources.",
    )
    grant_cmd.set_defaults(handler=_cmd_grant)
    _options(grant_cmd, ("table", "json", "html"))
    grant_cmd.add_argument(
        "--explain", action="store_true", help="print the full explanation instead"
    )
    explain_cmd = subparsers.add_parser(
        "explain",
        help="Explain a grant step by step (same options as grant).",
        description="Explain a grant step by step: inputs, arithmetic, parameter values, sources.",
    )
    explain_cmd.set_defaults(handler=_cmd_explain, explain=True)
    _options(explain_cmd, ("table", "json", "html"))
