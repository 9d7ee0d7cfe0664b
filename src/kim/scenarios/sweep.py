"""Sweeps: many scenarios (a grid or random draws), sequentially or on any executor.

A sweep runs the statewide run for each scenario and keeps the totals. It accepts any
:class:`concurrent.futures.Executor`: a ``ProcessPoolExecutor`` on one machine, or a
Dask ``distributed.Client.get_executor()`` on a cluster. Scenarios are sent in chunks.

Most sweeps change only flat rates and budgets. For those, the work that does not
depend on rates (eligibility, staffing, the structure of every grant line) is done once
per chunk, and each scenario only re-prices the lines with
:func:`kim.funding.line_amount`, the same function the grant rules use. A scenario that
changes anything else (staffing, the allocation key, other parameters) gets a full run.

```pycon
>>> from decimal import Decimal
>>> scenarios = grid("case_management_flat_rate", [Decimal("57000"), Decimal("60000")], year=2023)
>>> result = sweep(scenarios, year=2023, progress=False)
>>> [row.totals[Component.CASE_MANAGEMENT] for row in result.rows]
[Euro('39923437.30'), Euro('41980628.78')]

```
"""

from __future__ import annotations

import csv
import io
import random
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from datetime import date
from decimal import Decimal
from importlib import import_module
from typing import Any, TextIO

from pydantic import Field

from kim._model import KimModel
from kim.components import Component
from kim.errors import InputError
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.scenarios.engine import (
    Structure,
    default_year,
    evaluate,
    known_components,
    prepare,
    price,
    structure,
)
from kim.scenarios.model import ParameterChange, Scenario
from kim.scenarios.results import FigureStatus, StatewideRun

__all__ = ["SweepResult", "SweepRow", "grid", "random_scenarios", "sweep"]

_FAST_PARAMETERS = frozenset(
    {
        "coordination_flat_rate",
        "admin_assistance_flat_rate_half_post",
        "case_management_flat_rate",
        "authorities_flat_rate_half_post",
        "kim_budget",
    }
)
"""Parameters a scenario may change and still be re-priced (no full run needed)."""


class SweepRow(KimModel):
    """The totals of one scenario."""

    scenario: str = Field(description="The scenario's name.")
    year: int = Field(description="The funding year.")
    totals: dict[Component, Euro] = Field(description="Sum per component.")
    total: Euro = Field(description="Sum of the known figures.")
    budget: Euro | None = Field(description="The budget of the year, if known.")
    missing: int = Field(description="Figures that could not be computed.")
    supplied: int = Field(description="Figures resting on a scenario value.")


class SweepResult(KimModel):
    """All rows of a sweep, with how long it took."""

    year: int = Field(description="The funding year.")
    rows: tuple[SweepRow, ...] = Field(description="One row per scenario, in input order.")
    seconds: float = Field(description="Wall time of the sweep.")
    executor: str = Field(description="'sequential' or the executor's class name.")

    def to_csv(self) -> str:
        """The rows as CSV."""
        buffer = io.StringIO()
        names = ["scenario", "year", *(f"b{c.value}" for c in Component), "total", "budget"]
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([*names, "missing", "supplied"])
        for r in self.rows:
            writer.writerow(
                [
                    r.scenario,
                    r.year,
                    *(str(r.totals[c].amount) for c in Component),
                    str(r.total.amount),
                    "" if r.budget is None else str(r.budget.amount),
                    r.missing,
                    r.supplied,
                ]
            )
        return buffer.getvalue()

    def to_frame(self) -> Any:
        """The rows as a pandas ``DataFrame`` (needs the ``notebook`` extra)."""
        try:
            pd: Any = import_module("pandas")
        except ImportError:
            raise InputError("to_frame() needs pandas: pip install 'kim-nrw[notebook]'") from None
        return pd.read_csv(io.StringIO(self.to_csv())).set_index("scenario")


def _row(run: StatewideRun, name: str) -> SweepRow:
    return SweepRow.model_construct(
        scenario=name,
        year=run.year,
        totals=run.totals,
        total=run.total,
        budget=run.budget,
        missing=run.coverage[FigureStatus.MISSING],
        supplied=run.coverage[FigureStatus.SUPPLIED],
    )


def _fast(scenario: Scenario) -> bool:
    return (
        not scenario.staffing
        and scenario.allocation is None
        and all(c.parameter in _FAST_PARAMETERS for c in scenario.parameters)
    )


def _run_chunk(
    year: int, scenarios: Sequence[Scenario], parameters: ParameterSet | None
) -> list[SweepRow]:
    """Run a chunk of scenarios (top-level so that process pools can pickle it)."""
    base = embedded_parameters() if parameters is None else parameters
    plans = None
    structures: dict[tuple[bool, ...], tuple[dict[Component, str | None], Structure]] = {}
    rows = []
    for scenario in scenarios:
        params = scenario.apply(base)
        if _fast(scenario):
            # Eligibility, staffing and line structure do not depend on the rates: build
            # them once per pattern of known components, then only re-price.
            plans = prepare(year, None, base) if plans is None else plans
            known = known_components(year, params)
            pattern = tuple(known[c] is None for c in Component)
            if pattern not in structures:
                structures[pattern] = structure(year, plans, params)
            known_parts, lines_of = structures[pattern]
            run = price(year, scenario, known_parts, lines_of, params)
        else:
            run = evaluate(year, scenario, prepare(year, scenario, params), params)
        rows.append(_row(run, scenario.name))
    return rows


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
) -> SweepResult:
    """Run every scenario for one year and collect the totals.

    Args:
        scenarios: the scenarios (see :func:`grid` and :func:`random_scenarios`).
        year: the funding year (default: the latest year with confirmed rates).
        executor: any ``concurrent.futures.Executor``; ``None`` runs sequentially.
        chunk_size: scenarios sent to a worker at a time.
        progress: show a progress bar on standard error (or on the stream given).
        parameters: the baseline parameter set (must be picklable for process pools).

    """
    items = list(scenarios)
    if chunk_size < 1:
        raise InputError(f"chunk_size must be at least 1, got {chunk_size}")
    year = default_year(parameters) if year is None else year
    stream: TextIO | None = (sys.stderr if progress is True else progress) or None
    bar = _Progress(len(items), stream)
    chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
    start = time.perf_counter()
    rows: list[SweepRow] = []
    if executor is None:
        for chunk in chunks:
            rows += _run_chunk(year, chunk, parameters)
            bar.step(len(chunk))
        name = "sequential"
    else:
        futures = [executor.submit(_run_chunk, year, chunk, parameters) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            rows += future.result()
            bar.step(len(chunk))
        name = type(executor).__name__
    return SweepResult(
        year=year, rows=tuple(rows), seconds=time.perf_counter() - start, executor=name
    )


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
