"""Benchmarks of the allocation methods, run on purpose (never as unit tests).

* 54 units (population), 1,000 posts in steps of 0.5 FTE, every method (target < 1 ms);
* 10,000 units with random weights, 1,000 and 5,000 posts in steps of 0.5, every method
  (target < 100 ms);
* the same with a minimum and a cap, to show what bounds cost.

Each figure is the median of several timed calls of the whole public function
(input checks, exact quotas, the method and the result model).

Usage: ``python benchmarks/allocation.py [--runs N]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import timeit
from collections.abc import Callable
from functools import partial

from kim.allocation import Method, apportion, population_weights


def _median_ms(call: Callable[[], object], runs: int) -> float:
    call()  # warm up (loads the data once)
    return statistics.median(timeit.repeat(call, number=1, repeat=runs)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=31)
    args = parser.parse_args()

    pop = population_weights()
    rng = random.Random(2026)
    big = {f"u{i:05d}": rng.randint(1_000, 1_000_000) for i in range(10_000)}

    rows: list[tuple[str, str, float, str]] = []
    for method in Method:
        t = _median_ms(partial(apportion, 1000, pop, method=method), args.runs * 10)
        rows.append(("54 units, 1,000 posts", method.value, t, "< 1 ms"))
    for total in (1000, 5000):
        for method in Method:
            t = _median_ms(partial(apportion, total, big, method=method), args.runs)
            rows.append((f"10,000 units, {total:,} posts", method.value, t, "< 100 ms"))
    for method in Method:
        bounded = partial(apportion, 5000, big, method=method, minimum="0.5", cap=2)
        t = _median_ms(bounded, args.runs)
        rows.append(("10,000 units, 5,000 posts, min 0.5, cap 2", method.value, t, ""))

    print("| case | method | median (ms) | target |\n|---|---|---|---|")
    for case, method_name, ms, target in rows:
        print(f"| {case} | {method_name} | {ms:.2f} | {target} |")


if __name__ == "__main__":
    main()
