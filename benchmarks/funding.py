"""Benchmarks of the funding rules, run on purpose (never as unit tests).

* one recipient's grant, without rendering (target < 100 µs): Kreis Coesfeld 2023 with
  3.5 coordination, 0.5 administrative assistance, 6 case managers at the Kreis and
  6 passed on to a municipality with a cost given (four lines);
* all 54 units for one year (target < 5 ms): the same kind of plan for every unit, with
  case-management posts varying from 6 to 17 FTE;
* the explanation of that one grant, built and rendered as text (no target).

Plans are built before timing; each figure is the best of 5 repeats.

Usage: ``python benchmarks/funding.py``; prints a Markdown table.
"""

from __future__ import annotations

import timeit
from collections.abc import Callable
from decimal import Decimal

from kim.components import EmployerKind, PostKind
from kim.funding import Post, StaffingPlan, grant, grants
from kim.territory import embedded_territory


def per_call(fn: Callable[[], object], number: int) -> float:
    return min(timeit.Timer(fn).repeat(repeat=5, number=number)) / number


def plan_for(key: str, case_managers: int) -> StaffingPlan:
    half = Decimal(case_managers) / 2
    return StaffingPlan(
        recipient=key,
        year=2023,
        posts=(
            Post(kind=PostKind.COORDINATION, fte="3.5"),
            Post(kind=PostKind.ADMIN_ASSISTANCE, fte="0.5"),
            Post(kind=PostKind.CASE_MANAGEMENT, fte=half),
            Post(
                kind=PostKind.CASE_MANAGEMENT,
                fte=half,
                employer=EmployerKind.MUNICIPALITY,
                final_recipient="a municipality",
                actual_cost=half * 60_000,
            ),
        ),
    )


def main() -> None:
    one = plan_for("05558", 12)
    everyone = [plan_for(d.key, 6 + i % 12) for i, d in enumerate(embedded_territory().districts())]
    grant(one).explain()  # warm the data caches
    g = grant(one)
    rows = [
        ("one recipient's grant, no rendering (µs)", per_call(lambda: grant(one), 5000) * 1e6,
         "< 100 µs"),
        ("all 54 units for one year (ms)", per_call(lambda: grants(everyone), 100) * 1e3,
         "< 5 ms"),
        ("explanation of one grant, built and rendered as text (µs)",
         per_call(lambda: g.explain().to_text(), 500) * 1e6, ""),
    ]  # fmt: skip
    print("| benchmark | value | target |\n|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value:.2f} | {target} |")


if __name__ == "__main__":
    main()
