"""The ``kim allocate`` command: apportion posts among the 54 units, or compare a key.

It compares a key with the observed posts, too. Parsing and printing only; the rules
live in [`kim.allocation`][kim.allocation].

``kim allocate --total 500 --step 0.5 --method sainte-lague --key population
[--minimum 3] [--cap 30] [--base 4] [--weights FILE.csv] [--format table|csv|json]``

``kim allocate --compare-observed --year 2021 --component 2 [--total T] [--base B]
[--confirmed-only]``: without ``--total`` the total is calibrated to the observed units
([`kim.allocation.calibrated_total()`][kim.allocation.observed.calibrated_total]).
"""

from __future__ import annotations

import argparse
import json
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from kim._cli_args import decimal_arg, year_arg
from kim._cli_supply import add_supply_arguments, supplied_from
from kim._render import FORMATS, render
from kim.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from fractions import Fraction

__all__ = ["register"]


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``allocate`` command to the ``kim`` command's sub-parsers."""
    help_text = "Apportion posts among the 54 units, or compare a key with observed posts."
    cmd: argparse.ArgumentParser = subparsers.add_parser(
        "allocate", help=help_text, description=help_text
    )
    cmd.set_defaults(handler=_handle)
    cmd.add_argument("--total", type=decimal_arg, help="posts (FTE) to split, e.g. 500")
    cmd.add_argument("--step", type=decimal_arg, help="default 0.5 FTE")
    cmd.add_argument(
        "--method",
        help="largest-remainder (default), dhondt, sainte-lague or huntington-hill",
    )
    cmd.add_argument(
        "--key",
        choices=("population", "equal"),
        default=None,
        help="weights: population (default) or equal",
    )
    cmd.add_argument("--weights", metavar="FILE.csv", help="your own weights: columns key,weight")
    cmd.add_argument("--minimum", type=decimal_arg, help="least posts per unit")
    cmd.add_argument("--cap", type=decimal_arg, help="most posts per unit")
    cmd.add_argument("--base", type=decimal_arg, help="fixed posts per unit, the rest by weight")
    cmd.add_argument(
        "--compare-observed",
        action="store_true",
        help="compare the key with the posts the sources report (needs --year, --component)",
    )
    cmd.add_argument("--year", type=year_arg, help="year of the observed posts")
    cmd.add_argument("--component", help="component (Baustein): 1, 2 or 3")
    cmd.add_argument(
        "--confirmed-only", action="store_true", help="leave out observed rows that are inferred"
    )
    cmd.add_argument("--format", choices=FORMATS, default="table", help="output format")
    add_supply_arguments(cmd)
    return cmd


def _from_scenario(args: argparse.Namespace) -> Any:
    """Fill the options the command line leaves out from the scenario's allocation choice.

    Returns the supplied bundle; its facts' unit posts become observed rows.
    """
    supplied = supplied_from(args, args.year)
    choice = supplied.scenario.allocation if supplied.scenario is not None else None
    if choice is not None:
        for name in ("total", "minimum", "cap"):
            if getattr(args, name) is None:
                setattr(args, name, getattr(choice, name))
        if args.step is None:
            args.step = choice.step
        if args.method is None:
            args.method = choice.method
        if args.base is None and choice.base:
            args.base = choice.base
        if args.key is None and args.weights is None:
            args.key = choice.key
    args.step = Decimal("0.5") if args.step is None else args.step
    args.method = args.method or "largest-remainder"
    return supplied


def _observed_rows(supplied: Any, year: int) -> Any:
    """The embedded observed rows, with the facts file's posts of ``year`` in their place."""
    from kim.allocation.observed import ObservedPosts, observed_posts

    facts = supplied.facts
    if facts is None:
        return None
    own: dict[tuple[str, int], ObservedPosts] = {}
    for name, unit in facts.units.items():
        if unit.year not in (None, year):
            continue
        key = supplied.territory.district(name).key
        for kind, fte in unit.posts.items():
            ident = (key, int(kind.component))
            before = own[ident].posts if ident in own else Decimal(0)
            own[ident] = ObservedPosts(
                unit=key,
                year=year,
                component=kind.component,
                posts=before + fte,
                status="supplied",
                sources=(f"facts file {facts.name!r}",),
                note=unit.note,
            )
    kept = [r for r in observed_posts() if (r.unit, int(r.component)) not in own or r.year != year]
    return (*kept, *own.values())


def _weights(args: argparse.Namespace) -> dict[str, object]:
    from kim.allocation.weights import (
        equal_weights,
        population_weights,
        read_weights,
        unit_weights,
    )

    if args.weights and args.key:
        raise InputError("Give either --key or --weights, not both.")
    if args.weights:
        return unit_weights(read_weights(args.weights))
    if args.key == "equal":
        return dict(equal_weights())
    return dict(population_weights())


def _allocate(args: argparse.Namespace, total: Decimal, weights: dict[str, object]) -> Any:
    from kim.allocation import apportion, base_plus_weight

    if args.base is not None:
        if args.minimum is not None:
            raise InputError("--base already gives every unit a minimum; drop --minimum.")
        return base_plus_weight(
            total, weights, base=args.base, method=args.method, step=args.step, cap=args.cap
        )
    return apportion(
        total, weights, method=args.method, step=args.step, minimum=args.minimum, cap=args.cap
    )


def _fmt(value: Fraction) -> str:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def _handle(args: argparse.Namespace) -> str:
    from kim.territory import embedded_territory

    supplied = _from_scenario(args)
    weights = _weights(args)
    names = {d.key: d.name for d in embedded_territory()}
    if args.compare_observed:
        return _compare(args, weights, supplied)
    if args.total is None:
        raise InputError("Give --total (the posts to split), e.g. --total 500.")
    allocation = _allocate(args, args.total, weights)
    rows = [
        {
            "key": r.key,
            "name": names.get(r.key, ""),
            "weight": str(r.weight),
            "quota": _fmt(r.quota),
            "share": str(r.share),
        }
        for r in allocation.rows()
    ]
    return render(rows, ["key", "name", "weight", "quota", "share"], args.format)


def _compare(args: argparse.Namespace, weights: dict[str, object], supplied: Any) -> str:
    from kim.allocation import calibrated_total, compare_with_observed

    if args.year is None or args.component is None:
        raise InputError("--compare-observed needs --year and --component, e.g. 2021 and 2")
    total = args.total
    if total is None:
        total = calibrated_total(
            weights,
            year=args.year,
            component=args.component,
            base=args.base or 0,
            step=args.step,
            confirmed_only=args.confirmed_only,
        )
    allocation = _allocate(args, total, weights)
    result = compare_with_observed(
        allocation,
        year=args.year,
        component=args.component,
        confirmed_only=args.confirmed_only,
        observed=_observed_rows(supplied, args.year),
    )
    rows = [
        {
            "key": r.unit,
            "name": r.name,
            "observed": str(r.observed),
            "allocated": str(r.allocated),
            "residual": str(r.residual),
            "status": r.status.value,
            "sources": list(r.sources),
        }
        for r in result.residuals
    ]
    columns = ["key", "name", "observed", "allocated", "residual", "status", "sources"]
    summary = {
        "method": result.method.value,
        "total": str(result.total),
        "base": str(result.base),
        "units": len(result.residuals),
        "mae": str(result.mae),
        "rmse": str(result.rmse),
        "bias": str(result.bias),
    }
    if args.format == "json":
        return json.dumps({"summary": summary, "rows": rows}, indent=2, ensure_ascii=False)
    text = render(rows, columns, args.format)
    if args.format == "csv":
        return text
    line = ", ".join(f"{k} {v}" for k, v in summary.items())
    return f"{text}\n\n{line}"
