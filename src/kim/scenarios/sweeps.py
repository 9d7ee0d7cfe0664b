"""Sweeps: many scenarios (a grid or random draws), sequentially or on any executor.

A sweep runs the statewide run for each scenario and keeps the totals. It accepts any
`concurrent.futures.Executor`: a ``ProcessPoolExecutor`` on one machine, or a
Dask ``distributed.Client.get_executor()`` on a cluster. Scenarios are sent in chunks.

Most sweeps change only flat rates and budgets, and may also vary the months posts are
filled and their actual costs. For those, the work that does not depend on them
(eligibility, staffing, the structure of every grant line) is done once per chunk, and
all scenarios of the chunk are priced at once by the batch engine
([`kim.scenarios.sweep_pricing`][kim.scenarios.sweep_pricing]: integer cents, the rounding of
the grant rules). A scenario that changes anything else (staffing, the allocation key,
other parameters) gets a full run, which prices its lines with the same engine. For
synthetic recipients, give [`kim.funding.price()`][kim.funding.batch.price] one row per
scenario (``(scenarios, lines)`` columns).

```pycon
>>> from decimal import Decimal
>>> from kim.components import Component
>>> scenarios = grid("case_management_flat_rate", [Decimal("57000"), Decimal("60000")], year=2023)
>>> result = sweep(scenarios, year=2023, progress=False)
>>> [row.totals[Component.CASE_MANAGEMENT] for row in result.rows]
[Euro('39095454.59'), Euro('40995200.48')]

```

The same two rates with every post filled for six months, and Kreis Coesfeld's
case-management line capped at 100,000 EUR in the second scenario (units with a
published grant total keep it, as in the statewide run):

```pycon
>>> half = sweep(scenarios, year=2023, progress=False, months=[6, 6],
...              costs=[None, {"Kreis Coesfeld": {"case-management": 100000}}])
>>> [row.totals[Component.CASE_MANAGEMENT] for row in half.rows]
[Euro('20407650.00'), Euro('21133000.00')]

```
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from datetime import date
from decimal import Decimal
from typing import Any, TextIO

from kim.components import PostKind
from kim.errors import InputError
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.scenarios.engine import default_year
from kim.scenarios.model import ParameterChange, Scenario
from kim.scenarios.sweep_pricing import Variation, read_variation, run_chunk
from kim.scenarios.sweep_rows import SweepResult, SweepRow

__all__ = ["SweepResult", "SweepRow", "grid", "random_scenarios", "sweep"]


class _Progress:
    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total, self.done, self.stream = total, 0, stream
        self.start = time.perf_counter()

    def step(self, n: int) -> None:
        self.done += n
        if self.stream is None:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(time.perf_counter() - self.start, 1e-9)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} scenarios ({rate:,.0f}/s)")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def sweep(
    scenarios: Iterable[Scenario],
    *,
    year: int | None = None,
    executor: Executor | None = None,
    chunk_size: int = 250,
    progress: bool | TextIO = True,
    parameters: ParameterSet | None = None,
    months: Sequence[int | Mapping[str, int] | None] | None = None,
    costs: Sequence[Mapping[str, Mapping[PostKind | str, Decimal | int | str]] | None]
    | None = None,
) -> SweepResult:
    """Run every scenario for one year and collect the totals.

    Args:
        scenarios: the scenarios (see [`grid()`][kim.scenarios.sweeps.grid] and
            [`random_scenarios()`][kim.scenarios.sweeps.random_scenarios]).
        year: the funding year (default: the latest year with confirmed rates).
        executor: any ``concurrent.futures.Executor``; ``None`` runs sequentially.
        chunk_size: scenarios sent to a worker at a time.
        progress: show a progress bar on standard error (or on the stream given).
        parameters: the baseline parameter set (must be picklable for process pools).
        months: per scenario, the whole months every post is filled in the year (an
            ``int``), or per unit (name or key) a number of months; None: the whole year.
        costs: per scenario, per unit (name or key) and kind of post, the actual cost in
            euros, which caps that line as in [`grant()`][kim.funding.rules.grant].

    Months and costs combine with scenarios that change rates and the budget (they are
    priced in one batch); a scenario with other changes refuses them.

    Raises:
        InputError: a bad chunk size, months or costs, or lists of another length than
            the scenarios.

    """
    items = list(scenarios)
    variations = _variations(len(items), months, costs)
    if chunk_size < 1:
        raise InputError(f"chunk_size must be at least 1, got {chunk_size}")
    year = default_year(parameters) if year is None else year
    stream: TextIO | None = (sys.stderr if progress is True else progress) or None
    bar = _Progress(len(items), stream)
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    start = time.perf_counter()
    rows: list[SweepRow] = []
    if executor is None:
        shared: dict[Any, Any] = {}
        for start_at, chunk in zip(range(0, len(items), chunk_size), chunks, strict=True):
            part = variations[start_at : start_at + chunk_size] if variations else None
            rows += run_chunk(year, chunk, parameters, shared, part)
            bar.step(len(chunk))
        name = "sequential"
    else:
        futures = [
            executor.submit(
                run_chunk, year, chunk, parameters, None,
                variations[i * chunk_size : (i + 1) * chunk_size] if variations else None,
            )
            for i, chunk in enumerate(chunks)
        ]  # fmt: skip
        for chunk, future in zip(chunks, futures, strict=True):
            rows += future.result()
            bar.step(len(chunk))
        name = type(executor).__name__
    return SweepResult(
        year=year, rows=tuple(rows), seconds=time.perf_counter() - start, executor=name
    )


def _variations(
    n: int, months: Sequence[Any] | None, costs: Sequence[Any] | None
) -> list[Variation | None] | None:
    """One variation per scenario, checked; None when nothing varies."""
    if months is None and costs is None:
        return None
    for name, given in (("months", months), ("costs", costs)):
        if given is not None and len(given) != n:
            raise InputError(f"{name} has {len(given)} entries for {n} scenarios; give one each")
    return [
        read_variation(None if months is None else months[i], None if costs is None else costs[i])
        for i in range(n)
    ]


def _change(parameter: str, year: int, value: Decimal, unit: str) -> ParameterChange:
    return ParameterChange.model_validate(
        {
            "parameter": parameter,
            "start": date(year, 1, 1),
            "end": date(year, 12, 31),
            "value": value,
            "unit": unit,
            "note": "sweep value",
        }
    )


def _unit(parameter: str, parameters: ParameterSet | None) -> str:
    params = embedded_parameters() if parameters is None else parameters
    return params[parameter].unit.value


def grid(
    parameter: str,
    values: Iterable[Decimal | int | str],
    *,
    year: int,
    parameters: ParameterSet | None = None,
) -> tuple[Scenario, ...]:
    """One scenario per value of ``parameter`` for the whole of ``year``."""
    unit = _unit(parameter, parameters)
    return tuple(
        Scenario(
            name=f"{parameter}={value}",
            parameters=(_change(parameter, year, Decimal(str(value)), unit),),
        )
        for value in values
    )


def random_scenarios(
    n: int,
    ranges: Mapping[str, tuple[Decimal | int | str, Decimal | int | str]],
    *,
    year: int,
    seed: int = 0,
    step: Decimal = Decimal(1),
    parameters: ParameterSet | None = None,
) -> tuple[Scenario, ...]:
    """``n`` scenarios drawing each parameter uniformly from its range (reproducible).

    Values are whole multiples of ``step`` (default one euro).
    """
    rng = random.Random(seed)
    units = {p: _unit(p, parameters) for p in ranges}
    scenarios = []
    for i in range(n):
        changes = []
        for parameter, (low, high) in ranges.items():
            lo, hi = Decimal(str(low)), Decimal(str(high))
            if hi < lo:
                raise InputError(f"range of {parameter}: {hi} is below {lo}")
            steps = int((hi - lo) / step)
            value = lo + step * rng.randint(0, steps)
            changes.append(_change(parameter, year, value, units[parameter]))
        scenarios.append(Scenario(name=f"draw-{i}", parameters=tuple(changes)))
    return tuple(scenarios)
