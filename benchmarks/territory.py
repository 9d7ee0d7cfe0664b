"""Benchmarks of districts and eligibility, run on purpose (never as unit tests).

* lookup of a unit by key (target < 2 µs) and by name with umlauts;
* one eligibility decision (target < 50 µs).

Usage: ``python benchmarks/territory.py``; prints a Markdown table.
"""

from __future__ import annotations

import timeit
from datetime import date

from kim.eligibility import decide
from kim.territory import embedded_territory


def per_call_us(fn: object, number: int) -> float:
    timer = timeit.Timer(fn)  # type: ignore[arg-type]
    return min(timer.repeat(repeat=5, number=number)) / number * 1e6


def main() -> None:
    t = embedded_territory()
    coesfeld = t.district("05558")
    day = date(2023, 1, 1)
    rows = [
        ("lookup by key '05558' (µs)", per_call_us(lambda: t.find("05558"), 100_000), "< 2 µs"),
        ("lookup by name 'Mönchengladbach' (µs)",
         per_call_us(lambda: t.find("Mönchengladbach"), 100_000), ""),
        ("eligibility decision, unit object (µs)",
         per_call_us(lambda: decide(coesfeld, 2, day), 10_000), "< 50 µs"),
        ("eligibility decision, municipality by name, extra post (µs)",
         per_call_us(lambda: decide("Rheine", 1, day, extra_coordination=True), 10_000),
         "< 50 µs"),
    ]  # fmt: skip
    print("| benchmark | value | target |\n|---|---|---|")
    for name, value, target in rows:
        print(f"| {name} | {value:.2f} | {target} |")


if __name__ == "__main__":
    main()
