"""Sweeps: many scenarios (a grid or random draws), sequentially or on any executor.

A sweep runs the statewide run for each scenario and keeps the totals. It accepts any
`concurrent.futures.Executor`: a ``ProcessPoolExecutor`` on one machine, or a
Dask ``distributed.Client.get_executor()`` on a cluster. Scenarios are sent in chunks.

Most sweeps change only flat rates and budgets. For those, the work that does not
depend on rates (eligibility, staffing, the structure of every grant line) is done once
per chunk, and all scenarios of the chunk are priced at once by the batch engine
([`kim.funding.line_cents()`][kim.funding.batch.line_cents]: integer cents, the rounding of the
grant rules). A scenario that changes anything else (staffing, the allocation key, other parameters)
gets a full run, which prices its lines with the same engine. To vary FTE, months and
costs of many lines over thousands of scenarios, give
[`kim.funding.price()`][kim.funding.batch.price] one row per scenario (``(scenarios, lines)``
columns).

```pycon
>>> from decimal import Decimal
>>> scenarios = grid("case_management_flat_rate", [Decimal("57000"), Decimal("60000")], year=2023)
>>> result = sweep(scenarios, year=2023, progress=False)
>>> [row.totals[Component.CASE_MANAGEMENT] for row in result.rows]
[Euro('39095454.59'), Euro('40995200.48')]

```
"""

from __future__ import annotations

import csv
import io
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import import_module
from typing import Any, TextIO

import numpy as np
from pydantic import Field

from kim._model import KimModel
from kim.allocation.observed import observed_totals
from kim.components import POST_KINDS, Component
from kim.eligibility import Outcome
from kim.errors import InputError, MissingValueError
from kim.funding.rules import RATE_PARAMETERS, rate_for
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.scenarios.engine import (
    UnitPlan,
    bind_published,
    columns,
    default_year,
    euro_cents,
    evaluate,
    figure,
    figure_cents,
    prepare,
    structure,
)
from kim.scenarios.estimates import municipal_authorities
from kim.scenarios.model import ParameterChange, Scenario
from kim.scenarios.results import FigureStatus, StatewideRun

__all__ = ["SweepResult", "SweepRow", "grid", "random_scenarios", "sweep"]

_FAST_PARAMETERS = frozenset({*(e.rate_parameter for e in POST_KINDS.values()), "kim_budget"})
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


class _Priced:
    """One pattern of known components: the lines as batch columns and the figure statuses.

    Everything here is independent of the rates; `rows()` prices many scenarios at
    once with the batch engine (integer cents, the arithmetic of the grant rules).
    """

    def __init__(self, year: int, plans: tuple[UnitPlan, ...], params: ParameterSet) -> None:
        known, lines_of = structure(year, plans, params)
        self.columns = columns(known, lines_of)
        self.units = len(lines_of)
        self.known = known
        self.bound = [  # units with a published grant total: bound figure by figure
            (u, plan, lines)
            for u, (plan, lines) in enumerate(lines_of)
            if any(t.what == "grant" for t in observed_totals(year=year, unit=plan.unit.key))
        ]
        # Baustein 3 of municipalities with their own authority: rows of their own in
        # the run, added to the B3 total here (half posts × the rate of the scenario).
        municipal = municipal_authorities(year, None, params)
        self.municipal_half_posts = sum(a.half_posts for a in municipal)
        self.municipal_cents = sum(a.amount.cents for a in municipal)
        self.fixed: Counter[FigureStatus] = Counter()
        self.depends: Counter[tuple[FigureStatus, frozenset[str]]] = Counter()
        for plan, lines in lines_of:
            for c in Component:
                priced = lines[c]
                if plan.eligibility[c] is not Outcome.ELIGIBLE:
                    self.fixed[plan.staffing[c].status] += 1
                elif known[c] is not None or priced is None:
                    self.fixed[FigureStatus.MISSING] += 1
                else:
                    used = frozenset(ln.parameter for ln in priced if not ln.refused)
                    self.depends[(plan.staffing[c].status, used)] += 1

    def rows(self, year: int, items: Sequence[tuple[str, _Values]]) -> list[SweepRow]:
        parameters = self.columns.parameters
        rates = np.array(
            [[values.rates[p][0] for p in parameters] for _, values in items], dtype=np.int64
        ).reshape(len(items), len(parameters))
        cents = figure_cents(self.columns, rates).reshape(len(items), self.units, len(Component))
        self._bind(year, cents)
        by_component = cents.sum(axis=1).tolist()
        out = []
        coverages: dict[tuple[FigureStatus, ...], Counter[FigureStatus]] = {}
        b3 = list(Component).index(Component.AUTHORITIES)
        for (name, values), totals in zip(items, by_component, strict=True):
            if self.municipal_half_posts:
                rate = values.rates.get("authorities_flat_rate_half_post")
                totals[b3] += (
                    self.municipal_cents if rate is None else self.municipal_half_posts * rate[0]
                )
            key = tuple(values.rates[p][1] for p in parameters)
            coverage = coverages.get(key)
            if coverage is None:
                coverage = coverages[key] = Counter(self.fixed)
                for (base, used), n in self.depends.items():
                    coverage[FigureStatus.weakest((base, *(values.rates[p][1] for p in used)))] += n
            out.append(
                SweepRow.model_construct(
                    scenario=name,
                    year=year,
                    totals={c: euro_cents(t) for c, t in zip(Component, totals, strict=True)},
                    total=euro_cents(sum(totals)),
                    budget=values.budget,
                    missing=coverage[FigureStatus.MISSING],
                    supplied=coverage[FigureStatus.SUPPLIED],
                )
            )
        return out

    def _bind(self, year: int, cents: Any) -> None:
        """Apply the units' published totals, as the full run does (in place)."""
        for u, plan, lines in self.bound:
            for s in range(cents.shape[0]):
                figures = {}
                for j, c in enumerate(Component):
                    amount: Euro | None = None
                    if plan.eligibility[c] is not Outcome.ELIGIBLE:
                        amount = Euro(0)
                    elif self.known[c] is None and lines[c] is not None:
                        amount = euro_cents(int(cents[s, u, j]))
                    status = plan.staffing[c].status
                    figures[c] = figure(c, plan, amount, status, plan.staffing[c].note)
                bound = bind_published(plan.unit, year, figures)
                for j, c in enumerate(Component):
                    grant = bound.components[c].grant
                    if grant is not None:
                        cents[s, u, j] = grant.cents


@cache
def _pattern(known: frozenset[str]) -> tuple[bool, ...]:
    return tuple(
        all(p in known for k, p in RATE_PARAMETERS.items() if k.component is c) for c in Component
    )


class _Values:
    """The rates (cents, status) and the budget of one scenario in one year."""

    def __init__(self, rates: dict[str, tuple[int, FigureStatus]], budget: Euro | None) -> None:
        self.rates, self.budget = rates, budget

    @property
    def pattern(self) -> tuple[bool, ...]:
        """Per component: whether all its rates are known."""
        return _pattern(frozenset(self.rates))

    @classmethod
    def read(cls, year: int, params: ParameterSet) -> _Values:
        """Read from a parameter set (strictly, as the grant rules do)."""
        rates = {}
        for parameter in set(RATE_PARAMETERS.values()):
            try:
                value = rate_for(parameter, year, params)
            except MissingValueError:
                continue
            rates[parameter] = (Euro(value.value).cents, FigureStatus.of(value.status))
        try:
            budget: Euro | None = Euro(params.value("kim_budget", date(year, 6, 30)).value)
        except MissingValueError:
            budget = None
        return cls(rates, budget)

    def changed(self, scenario: Scenario, year: int) -> _Values | None:
        """These values with the scenario's whole-year changes.

        None when a change covers part of the year only: then the scenario's parameter
        set is built and read instead.
        """
        first, last, middle = date(year, 1, 1), date(year, 12, 31), date(year, 6, 30)
        rates, budget = dict(self.rates), self.budget
        for change in scenario.parameters:
            end = change.end or date.max
            if change.parameter == "kim_budget":
                if change.start <= middle <= end:
                    budget = Euro(change.value)
            elif end < first or change.start > last:
                continue
            elif change.start <= first and end >= last:
                rates[change.parameter] = (Euro(change.value).cents, FigureStatus.SUPPLIED)
            else:
                return None
        return _Values(rates, budget)


def _run_chunk(
    year: int,
    scenarios: Sequence[Scenario],
    parameters: ParameterSet | None,
    shared: dict[Any, Any] | None = None,
) -> list[SweepRow]:
    """Run a chunk of scenarios (top-level so that process pools can pickle it).

    ``shared`` keeps the rate-independent work between the chunks of one sweep.
    """
    base = embedded_parameters() if parameters is None else parameters
    shared = {} if shared is None else shared
    if "baseline" not in shared:
        shared["baseline"] = _Values.read(year, base)
    baseline: _Values = shared["baseline"]
    plans: tuple[UnitPlan, ...] | None = shared.get("plans")
    priced: dict[tuple[bool, ...], _Priced] = shared.setdefault("priced", {})
    pending: dict[tuple[bool, ...], list[tuple[int, str, _Values]]] = {}
    rows: list[SweepRow | None] = [None] * len(scenarios)
    for i, scenario in enumerate(scenarios):
        if _fast(scenario):
            # Eligibility, staffing and line structure do not depend on the rates: build
            # them once per pattern of known components, then price all scenarios of the
            # pattern at once with the batch engine. Whole-year changes are read straight
            # from the scenario; the parameter set is built only when needed.
            scenario.check(base)
            values = baseline.changed(scenario, year)
            if values is None:
                values = _Values.read(year, scenario.apply(base))
            if plans is None:
                plans = shared["plans"] = prepare(year, None, base)
            pattern = values.pattern
            if pattern not in priced:
                priced[pattern] = _Priced(year, plans, scenario.apply(base))
            pending.setdefault(pattern, []).append((i, scenario.name, values))
        else:
            params = scenario.apply(base)
            run = evaluate(year, scenario, prepare(year, scenario, params), params)
            rows[i] = _row(run, scenario.name)
    for pattern, items in pending.items():
        done = priced[pattern].rows(year, [(name, values) for _, name, values in items])
        for (i, _, _), row in zip(items, done, strict=True):
            rows[i] = row
    return [row for row in rows if row is not None]


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
        scenarios: the scenarios (see [`grid()`][kim.scenarios.sweeps.grid] and
            [`random_scenarios()`][kim.scenarios.sweeps.random_scenarios]).
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
        shared: dict[Any, Any] = {}
        for chunk in chunks:
            rows += _run_chunk(year, chunk, parameters, shared)
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
