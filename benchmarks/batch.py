"""The batch engine side by side with a plain Decimal loop, grant() and OpenFisca (on purpose).

One process, interleaved repeats, the same synthetic inputs for every path (a path that
takes less than 20 ms is called several times in a row per repeat, and the time per call
kept):

* every unit has four post lines: coordination (rate per FTE), administrative
  assistance (rate per half post), case management at the unit and case management
  passed on with a cost given (capped when the cost is lower); FTE with two decimals
  (0.50-12.00), months 1-12; rates 57,000 / 22,500 / 57,000 EUR (2023);
* **plain loop**: ``Decimal`` arithmetic per line, rate x units x months / 12 rounded
  half up to the cent, capped at the cost: the reference for exactness;
* **batch**: ``PostBatch`` from the columns (checked) and ``price()`` (lines kept);
* **per grant**: ``grants()`` over ``StaffingPlan`` objects built beforehand (the
  recipients cycle through the 54 real units: grant() needs a KIM unit);
* **OpenFisca** (if ``openfisca-core`` is installed, the ``bench`` extra): the same rule
  as a formula over NumPy arrays (float32, its default), simulation built from arrays.

Also: the peak memory of the batch path at 10,000 units (tracemalloc), a sweep of
10,000 rate scenarios over the 54 units (one core), and whole-process start-up times of
``kim --version``, ``kim report`` (the stored report, see ``kim._snapshot``) and
``kim report --recompute`` (the run computed) against ``import yaml`` and
``import pydantic``.

Also: where the Python path of small batches stops being faster than NumPy (the
crossover behind ``SMALL_BATCH``), and a sweep of 10,000 scenarios that varies the months
filled and the actual costs as well as the rates.

Usage: ``python benchmarks/batch.py [--repeats 7] [--before SRC] [--startup-only] [--pyc]``.
``--before`` points at another checkout's ``src``: its side-by-side rows (run in a
subprocess), sweep and start-up are timed in the same run. ``--startup-only`` times only
the start-up of whole processes; ``--pyc`` lets them use compiled files (kept in a
temporary folder, written by a first round that is not timed), as after ``pip install``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from importlib import import_module
from typing import Any

import numpy as np

from kim.components import EmployerKind, PostKind
from kim.funding import (
    FTE_SCALE,
    NO_COST,
    Post,
    PostBatch,
    StaffingPlan,
    grants,
    kind_index,
    kind_rates,
    price,
)
from kim.money import Euro
from kim.periods import DateRange
from kim.territory import embedded_territory

YEAR = 2023
KINDS = (PostKind.COORDINATION, PostKind.ADMIN_ASSISTANCE, PostKind.CASE_MANAGEMENT,
         PostKind.CASE_MANAGEMENT)  # fmt: skip
HALF = {PostKind.ADMIN_ASSISTANCE}
CENT = Decimal("0.01")


class Inputs:
    def __init__(self, n: int, seed: int = 1) -> None:
        rng = random.Random(seed)
        self.n = n
        self.unit = [u for u in range(n) for _ in KINDS]
        self.kind = [k for _ in range(n) for k in KINDS]
        self.fte = [Decimal(rng.randint(50, 1200)) / 100 for _ in self.unit]
        self.months = [rng.randint(1, 12) for _ in self.unit]
        self.cost: list[Decimal | None] = [
            Decimal(rng.randint(1_000_000, 60_000_000)) / 100 if i % 4 == 3 else None
            for i in range(len(self.unit))
        ]
        rates = kind_rates(YEAR)
        self.rate = {k: Decimal(int(rates[kind_index(k)])) / 100 for k in set(KINDS)}
        keys = [d.key for d in embedded_territory().districts()]
        self.keys = [keys[u % len(keys)] for u in range(n)]


def plain_loop(x: Inputs) -> list[Decimal]:
    out = []
    for kind, fte, months, cost in zip(x.kind, x.fte, x.months, x.cost, strict=True):
        units = fte * 2 if kind in HALF else fte
        full = (x.rate[kind] * units * months / 12).quantize(CENT, rounding=ROUND_HALF_UP)
        out.append(cost if cost is not None and cost < full else full)
    return out


def batch_path(x: Inputs, cols: dict[str, Any]) -> Any:
    batch = PostBatch(units=cols["units"], year=YEAR, unit=cols["unit"], kind=cols["kind"],
                      fte=cols["fte"], months=cols["months"], cost=cols["cost"])  # fmt: skip
    return price(batch, cols["rates"])


def columns(x: Inputs) -> dict[str, Any]:
    return {
        "units": tuple(f"u{i}" for i in range(x.n)),
        "unit": np.array(x.unit, dtype=np.int64),
        "kind": np.array([kind_index(k) for k in x.kind], dtype=np.int64),
        "fte": np.array([int(f * FTE_SCALE) for f in x.fte], dtype=np.int64),
        "months": np.array(x.months, dtype=np.int64),
        "cost": np.array([NO_COST if c is None else int(c * 100) for c in x.cost], np.int64),
        "rates": kind_rates(YEAR),
    }


def plans(x: Inputs) -> list[StaffingPlan]:
    out = []
    for u in range(x.n):
        posts = []
        for i in range(4 * u, 4 * u + 4):
            m = x.months[i]
            filled = None
            if m != 12:
                filled = DateRange(start=date(YEAR, 1, 1), end=date(YEAR, m + 1, 1) - timedelta(1))
            # A line with a cost is capped at it. The recipient employs every post:
            # money passed on by a kreisfreie Stadt, or outside the Kreis, is refused
            # (forwarding_within_kreis), which the plain loop does not model.
            posts.append(
                Post(
                    kind=x.kind[i],
                    fte=x.fte[i],
                    filled=filled,
                    employer=EmployerKind.RECIPIENT,
                    actual_cost=None if x.cost[i] is None else Euro(x.cost[i]),
                )
            )
        out.append(StaffingPlan(recipient=x.keys[u], year=YEAR, posts=tuple(posts)))
    return out


def openfisca_system() -> Any:
    """A tax-benefit system with the same rule, or None if openfisca-core is missing."""
    try:
        of: dict[str, Any] = {
            m: import_module(f"openfisca_core.{m}")
            for m in ("periods", "entities", "model_api", "taxbenefitsystems", "simulations")
        }
    except ImportError:
        return None
    api = of["model_api"]
    line = of["entities"].build_entity(
        key="line", plural="lines", label="post line", is_person=True
    )

    def formula(person: Any, period: Any) -> Any:
        full = person("rate", period) * person("units", period) * person("months", period) / 12
        c = person("cost", period)
        return api.where(c >= 0, api.min_(full, c), full)

    base = {"value_type": float, "entity": line, "definition_period": api.YEAR}
    variables = [
        type(name, (api.Variable,), {**base, **extra})
        for name, extra in (
            ("rate", {}), ("units", {}), ("months", {}), ("cost", {"default_value": -1}),
            ("amount", {"formula": formula}),
        )
    ]  # fmt: skip
    system = of["taxbenefitsystems"].TaxBenefitSystem([line])
    for v in variables:
        system.add_variable(v)
    return system, of


def openfisca_path(system: Any, x: Inputs, arrays: dict[str, Any]) -> Any:
    tbs, of = system
    builder = of["simulations"].SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("line", [str(i) for i in range(len(x.unit))])
    sim = builder.build(tbs)
    period = of["periods"].period(YEAR)
    for name in ("rate", "units", "months", "cost"):
        sim.set_input(name, period, arrays[name])
    return sim.calculate("amount", period)


def openfisca_inputs(x: Inputs) -> dict[str, Any]:
    return {
        "rate": np.array([float(x.rate[k]) for k in x.kind]),
        "units": np.array(
            [float(f * 2 if k in HALF else f) for k, f in zip(x.kind, x.fte, strict=True)]
        ),
        "months": np.array(x.months, dtype=float),
        "cost": np.array([-1.0 if c is None else float(c) for c in x.cost]),
    }


def timed(fn: Callable[[], Any], number: int = 1) -> tuple[float, Any]:
    """Seconds per call of ``number`` calls in a row, and the last result."""
    start = time.perf_counter()
    for _ in range(number):
        out = fn()
    return (time.perf_counter() - start) / number, out


def calls_for(fn: Callable[[], Any], seconds: float = 0.02) -> int:
    """How many calls in a row take about ``seconds`` (sub-millisecond paths are repeated)."""
    spent, _ = timed(fn)
    return max(1, min(1000, int(seconds / max(spent, 1e-6))))


def side_by_side(n: int, repeats: int, system: Any) -> list[tuple[str, float, str]]:
    x = Inputs(n)
    cols, built, of_in = columns(x), plans(x), openfisca_inputs(x)
    reference = plain_loop(x)
    ref_cents = [int(a * 100) for a in reference]
    ref_total = sum(ref_cents)
    paths: dict[str, Callable[[], Any]] = {
        "plain Decimal loop": lambda: plain_loop(x),
        "kim batch": lambda: batch_path(x, cols),
        "kim per grant": lambda: grants(built),
    }
    if system is not None:
        paths["OpenFisca arrays"] = lambda: openfisca_path(system, x, of_in)
    times: dict[str, list[float]] = {k: [] for k in paths}
    results: dict[str, Any] = {}
    for fn in paths.values():
        fn()  # warm caches
    number = {name: calls_for(fn) for name, fn in paths.items()}
    for _ in range(repeats):
        for name, fn in paths.items():
            seconds, results[name] = timed(fn, number[name])
            times[name].append(seconds)
    median = {k: statistics.median(v) for k, v in times.items()}
    exact = {
        "plain Decimal loop": True,
        "kim batch": results["kim batch"].amount[0].tolist() == ref_cents
        and int(results["kim batch"].total[0]) == ref_total,
        "kim per grant": [ln.amount.cents for g in results["kim per grant"] for ln in g.lines]
        == ref_cents,
    }
    drift = {}
    if system is not None:
        of = np.asarray(results["OpenFisca arrays"], dtype=np.float64)
        exact["OpenFisca arrays"] = bool(np.all(np.round(of * 100) == np.array(ref_cents)))
        drift["OpenFisca arrays"] = (
            f"total off by {abs(float(of.sum()) - ref_total / 100):,.2f} EUR"
        )
    rows = []
    for name in paths:
        note = "exact" if exact[name] else "NOT exact"
        if name in drift:
            note += f"; {drift[name]}"
        rows.append((f"{n:,} units: {name} (ms)", median[name] * 1e3, note))
    plain, batch = median["plain Decimal loop"], median["kim batch"]
    rows.append((f"{n:,} units: plain loop / batch", plain / batch, "x faster"))
    rows.append((f"{n:,} units: per grant / batch", median["kim per grant"] / batch, "x faster"))
    if system is not None:
        rows.append(
            (f"{n:,} units: batch / OpenFisca arrays", batch / median["OpenFisca arrays"], "x")
        )
    return rows


def batch_peak(n: int) -> float:
    x = Inputs(n)
    cols = columns(x)
    tracemalloc.start()
    batch_path(x, cols)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def sweep_seconds(src: str | None, varied: bool = False) -> float:
    """A sweep of 10,000 random rate scenarios (``varied``: also months and costs)."""
    extra = ""
    if varied:
        extra = (
            ", months=[{'05558': 6, '05711': 9} if i % 2 else 6 for i in range(10000)], "
            "costs=[{'05558': {'case-management': 100000 + i}} for i in range(10000)]"
        )
    code = (
        "import time\n"
        "from kim.scenarios import random_scenarios, sweep\n"
        "s = random_scenarios(10000, {'case_management_flat_rate': (50000, 65000), "
        "'coordination_flat_rate': (50000, 65000), 'kim_budget': (10**8, 2 * 10**8)}, year=2023)\n"
        f"t = time.perf_counter(); sweep(s, year=2023, progress=False{extra})\n"
        "print(time.perf_counter() - t)\n"
    )
    return float(run([sys.executable, "-c", code], src).stdout)


def crossover(repeats: int) -> list[tuple[str, float, str]]:
    """Python against NumPy arithmetic of ``price()`` on small batches (same process)."""
    rows = []
    for n in (1, 2, 4, 8, 16, 54):
        x = Inputs(n)
        cols = columns(x)
        batch = PostBatch(units=cols["units"], year=YEAR, unit=cols["unit"], kind=cols["kind"],
                          fte=cols["fte"], months=cols["months"], cost=cols["cost"])  # fmt: skip
        engines: dict[str, list[float]] = {"python": [], "numpy": []}
        for _ in range(repeats):
            for engine, spent in engines.items():
                start = time.perf_counter()
                for _ in range(50):
                    price(batch, cols["rates"], engine=engine)  # type: ignore[arg-type]
                spent.append((time.perf_counter() - start) / 50)
        py, nump = (statistics.median(engines[e]) for e in ("python", "numpy"))
        rows.append((f"{4 * n} lines: Python path / NumPy path", py / nump, "x the time"))
    return rows


def with_extras(n: int) -> tuple[str, float, str]:
    """Whether the batch equals grant() with workplaces and events lines, at n units."""
    from kim.funding import grant

    x = Inputs(n)
    built = []
    for plan in plans(x):
        posts = tuple(
            p.model_copy(update={"needs_new_workplace": True, "workplace_cost": Euro(5000)})
            if p.kind is PostKind.COORDINATION
            else p
            for p in plan.posts
        )
        built.append(plan.model_copy(update={"posts": posts, "measures": Euro(12345)}))
    result = price(PostBatch.from_plans(built), kind_rates(YEAR))
    cents = [grant(p).total.cents for p in built]
    exact = result.unit_totals[0].sum(axis=1).tolist() == cents
    note = "exact (equals grant())" if exact else "NOT exact"
    return (f"{n} units with workplaces and events lines: total (EUR)", int(result.total[0]) / 100,
            note)  # fmt: skip


def before_rows(src: str, repeats: int) -> list[tuple[str, float, str]]:
    """The side-by-side rows of another checkout, run in a subprocess."""
    out = run([sys.executable, __file__, "--rows-only", "--repeats", str(repeats)], src).stdout
    rows = []
    for line in out.splitlines():
        name, value, note = (part.strip() for part in line.strip("|").split("|"))
        rows.append((f"--before {name}", float(value.replace(",", "")), note))
    return rows


PYC: dict[str, str] = {}
"""Set by ``--pyc``: the environment that lets start-up use compiled files."""


def run(cmd: list[str], src: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not (PYC and k == "PYTHONDONTWRITEBYTECODE")}
    env.update(PYC)
    if src:
        env["PYTHONPATH"] = src
    return subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)


def startup(repeats: int, srcs: dict[str, str | None]) -> dict[str, dict[str, float]]:
    """Median milliseconds of whole processes, per code version (label: src), interleaved."""
    kim = [sys.executable, "-m", "kim"]
    cmds = {
        "python -c 'import yaml'": [sys.executable, "-c", "import yaml"],
        "python -c 'import pydantic'": [sys.executable, "-c", "import pydantic"],
        "kim --version": [*kim, "--version"],
        "kim report": [*kim, "report"],
        "kim report --recompute": [*kim, "report", "--recompute"],
    }
    # Code without the stored report has no --recompute: its `kim report` always computes.
    recompute = {
        label: "--recompute" in run([*kim, "report", "--help"], src).stdout
        for label, src in srcs.items()
    }
    times: dict[str, dict[str, list[float]]] = {label: {k: [] for k in cmds} for label in srcs}
    for warm_up in (True, *[False] * repeats):
        for label, src in srcs.items():
            for name, cmd in cmds.items():
                if not recompute[label] and "--recompute" in cmd:
                    cmd = [c for c in cmd if c != "--recompute"]
                start = time.perf_counter()
                run(cmd, src)
                if not warm_up:  # the first round only writes the compiled files (--pyc)
                    times[label][name].append(time.perf_counter() - start)
    # The baselines do not depend on the code version: their medians pool every sample.
    pooled = {
        k: statistics.median([x for by_cmd in times.values() for x in by_cmd[k]]) * 1e3
        for k in ("python -c 'import yaml'", "python -c 'import pydantic'")
    }
    return {
        label: {k: pooled.get(k, statistics.median(v) * 1e3) for k, v in by_cmd.items()}
        for label, by_cmd in times.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--before", help="src directory of the code to compare with")
    parser.add_argument("--rows-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--startup-only", action="store_true", help="time only the start-up of whole processes"
    )
    parser.add_argument(
        "--pyc",
        action="store_true",
        help="let start-up use compiled files (kept in a temporary folder), as an install does",
    )
    args = parser.parse_args()
    if args.pyc:
        PYC["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="kim-bench-pyc-")
    system = openfisca_system()
    if args.rows_only:
        for n in (54, 10_000):
            reps = args.repeats if n == 54 else max(3, args.repeats // 2)
            for name, value, note in side_by_side(n, reps, system):
                print(f"| {name} | {value:,.2f} | {note} |")
        return
    print(f"load average at start: {os.getloadavg()}")
    rows: list[tuple[str, float, str]] = []
    if args.startup_only:
        return _print_startup(rows, args)
    for n in (54, 10_000):
        rows += side_by_side(n, args.repeats if n == 54 else max(3, args.repeats // 2), system)
    if args.before:
        rows += before_rows(args.before, args.repeats)
    rows += crossover(args.repeats)
    rows.append(with_extras(54))
    rows.append(("10,000 units: batch peak memory (MiB)", batch_peak(10_000), "tracemalloc"))
    rates_only = sweep_seconds(None)
    rows.append(("sweep, 10,000 rate scenarios x 54 units, one core (s)", rates_only, ""))
    varied = sweep_seconds(None, varied=True)
    rows.append(("same sweep varying months and costs too (s)", varied, ""))
    rows.append(("varied sweep / rates-only sweep", varied / rates_only, "x"))
    if args.before:
        rows.append(("same sweep, --before code (s)", sweep_seconds(args.before), ""))
    _print_startup(rows, args)


def _print_startup(rows: list[tuple[str, float, str]], args: argparse.Namespace) -> None:
    """Time start-up, add its rows to ``rows`` and print the whole table."""
    srcs: dict[str, str | None] = {"": None}
    if args.before:
        srcs["--before "] = args.before
    for label, t in startup(args.repeats, srcs).items():
        for name, ms in t.items():
            rows.append((f"{label}{name} (ms, whole process)", ms, ""))
        rows.append(
            (
                f"{label}kim --version / import yaml",
                t["kim --version"] / t["python -c 'import yaml'"],
                "x",
            )
        )
        for report in ("kim report", "kim report --recompute"):
            rows.append(
                (
                    f"{label}{report} / import pydantic",
                    t[report] / t["python -c 'import pydantic'"],
                    "x",
                )
            )
    print(f"load average at end: {os.getloadavg()}")
    print("| benchmark | value | note |\n|---|---|---|")
    for name, value, note in rows:
        print(f"| {name} | {value:,.2f} | {note} |")


if __name__ == "__main__":
    main()
