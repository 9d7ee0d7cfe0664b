"""Benchmarks of the foundation, run on purpose (never as unit tests).

* import time: ``import kim`` next to ``import pydantic`` alone, each in a fresh
  interpreter, median of N runs (target: kim at most 1.5 x pydantic);
* first use: ``import kim; kim.embedded_parameters()`` (loading and validating the data);
* parameter lookup: ``ParameterSet.value(id, date)`` on a warm set (target: < 5 µs).

Usage: ``python benchmarks/run.py [--runs N]``; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import timeit
from datetime import date


def _import_time(module: str, runs: int) -> float:
    """Median cumulative import time of ``module`` in ms, from ``-X importtime``."""
    times = []
    for _ in range(runs):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"import {module}"],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        for line in err.splitlines():
            fields = line.split("|")
            if len(fields) == 3 and fields[2] == f" {module}":
                times.append(int(fields[1]) / 1000.0)
    return statistics.median(times)


def _wall(code: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = timeit.default_timer()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append((timeit.default_timer() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    rows = []
    pyd = _import_time("pydantic", args.runs)
    kim_t = _import_time("kim", args.runs)
    rows.append(("import pydantic (importtime, ms)", f"{pyd:.1f}", ""))
    rows.append(("import kim (importtime, ms)", f"{kim_t:.1f}", f"{kim_t / pyd:.2f} x pydantic"))
    empty = _wall("pass", args.runs)
    first = _wall("import kim; kim.embedded_parameters()", args.runs)
    rows.append(
        ("import kim + load parameters (wall, ms, minus bare python)", f"{first - empty:.1f}", "")
    )

    from kim.parameters import embedded_parameters

    params = embedded_parameters()
    day = date(2023, 6, 1)
    params.value("case_management_flat_rate", day)
    n = 200_000
    t = timeit.timeit(lambda: params.value("case_management_flat_rate", day), number=n)
    rows.append(("parameter lookup (µs)", f"{t / n * 1e6:.2f}", "target < 5 µs"))

    print("| benchmark | value | note |\n|---|---|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")


if __name__ == "__main__":
    main()
