"""Benchmarks of the statewide run and of sweeps, run on purpose (never as unit tests).

* one statewide run for one year (target < 20 ms), warm;
* a sweep of 10,000 scenarios on one core (target < 60 s) and with 2 worker processes.

Usage: ``python benchmarks/scenarios.py [--scenarios N]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import timeit
from concurrent.futures import ProcessPoolExecutor

from kim.scenarios import random_scenarios, run_statewide, sweep


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenarios", type=int, default=10_000)
    args = parser.parse_args()
    run_statewide(2023)
    per_run = min(timeit.repeat(lambda: run_statewide(2023), number=10, repeat=5)) / 10
    ranges = {
        "case_management_flat_rate": (50_000, 65_000),
        "coordination_flat_rate": (50_000, 65_000),
        "kim_budget": (60_000_000, 80_000_000),
    }
    scenarios = random_scenarios(args.scenarios, ranges, year=2023, seed=1)
    one = sweep(scenarios, year=2023, progress=False)
    with ProcessPoolExecutor(max_workers=2) as pool:
        two = sweep(scenarios, year=2023, executor=pool, chunk_size=500, progress=False)
    assert one.rows == two.rows
    print(f"cores available: {os.cpu_count()}\n")
    print("| benchmark | value | target |\n|---|---|---|")
    print(f"| statewide run, 54 units, 2023 (ms) | {per_run * 1000:.1f} | < 20 ms |")
    print(f"| sweep of {args.scenarios:,} scenarios, sequential (s) | {one.seconds:.1f} | < 60 s |")
    print(f"| same sweep, 2 worker processes (s) | {two.seconds:.1f} | |")
    print(f"| speed-up with 2 workers | {one.seconds / two.seconds:.2f} x | |")


if __name__ == "__main__":
    main()
