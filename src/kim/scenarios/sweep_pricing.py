"""Pricing the scenarios of a sweep in batches: the work done once, the work per scenario.

Most sweeps change only flat rates and budgets (and, here, the months posts are filled
and their actual costs). For those, eligibility, staffing and the structure of every grant
line do not change: [`PricedPattern`][kim.scenarios.sweep_pricing.PricedPattern] builds them once
per pattern of known components, and prices all scenarios of a chunk at once with the batch
engine ([`kim.funding.line_cents()`][kim.funding.batch_sums.line_cents]: integer cents, the
rounding of the grant rules), one row per scenario. A scenario that changes anything else
gets a full statewide run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, NamedTuple

import numpy as np

from kim._model import frozen_map
from kim.allocation.observed import fit_points, observed_totals
from kim.components import POST_KINDS, Component, PostKind
from kim.eligibility import Outcome
from kim.errors import InputError, MissingValueError
from kim.funding.rates import RATE_PARAMETERS, rate_for
from kim.money import CENT, Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import ParameterSet
from kim.scenarios.binding import bindings
from kim.scenarios.engine import (
    UnitPlan,
    columns,
    euro_cents,
    evaluate,
    figure,
    figure_cents,
    prepare,
    structure,
)
from kim.scenarios.estimates import municipal_authorities
from kim.scenarios.model import Scenario
from kim.scenarios.results import FigureStatus, StatewideRun
from kim.scenarios.sweep_rows import SweepRow

__all__ = [
    "FAST_PARAMETERS",
    "PricedPattern",
    "RateValues",
    "Variation",
    "fast",
    "read_variation",
    "run_chunk",
    "run_row",
]

FAST_PARAMETERS = frozenset({*(e.rate_parameter for e in POST_KINDS.values()), "kim_budget"})
"""Parameters a scenario may change and still be re-priced (no full run needed)."""


class Variation(NamedTuple):
    """How one scenario of a sweep changes the lines: months filled and actual costs.

    Read from the user's values by [`read_variation()`][kim.scenarios.sweep_pricing.read_variation].
    """

    months: Mapping[str | None, int]
    """Whole months every post of a unit is filled (key None: every unit)."""
    costs: Mapping[tuple[str, PostKind], int]
    """The actual cost in cents of a unit's line of one kind of post (caps the line)."""


def read_variation(
    months: int | Mapping[str, int] | None,
    costs: Mapping[str, Mapping[PostKind | str, Decimal | int | str]] | None,
) -> Variation | None:
    """Check and normalise one scenario's months and costs (unit names or keys).

    Examples:
        >>> v = read_variation(6, {"Kreis Coesfeld": {"case-management": 500000}})
        >>> v.months, list(v.costs.values()), [(u, k.value) for u, k in v.costs]
        ({None: 6}, [50000000], [('05558', 'case_management')])

    """
    from kim.funding.model import parse_post_kind
    from kim.territory.registry import embedded_territory

    if months is None and not costs:
        return None
    territory = embedded_territory()
    by_unit: dict[str | None, int] = {}
    given = {None: months} if isinstance(months, int) else dict(months or {})
    for unit, value in given.items():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 12:
            raise InputError(f"months must be whole months from 0 to 12, got {value!r}")
        by_unit[None if unit is None else territory.district(unit).key] = value
    by_line: dict[tuple[str, PostKind], int] = {}
    for unit, kinds in (costs or {}).items():
        key = territory.district(unit).key
        for kind, amount in kinds.items():
            cents = Euro(Decimal(str(amount))).cents
            if cents < 0:
                raise InputError(f"the actual cost of {key} {kind} must not be negative")
            by_line[(key, parse_post_kind(kind))] = cents
    return Variation(by_unit, by_line)


def run_row(run: StatewideRun, name: str) -> SweepRow:
    """The sweep row of a full statewide run."""
    return SweepRow.model_construct(
        scenario=name,
        year=run.year,
        totals=run.totals,
        total=run.total,
        budget=run.budget,
        missing=run.coverage[FigureStatus.MISSING],
        supplied=run.coverage[FigureStatus.SUPPLIED],
    )


def fast(scenario: Scenario) -> bool:
    """Whether a scenario changes only rates and the budget (re-priced, no full run)."""
    return (
        not scenario.staffing
        and scenario.allocation is None
        and all(c.parameter in FAST_PARAMETERS for c in scenario.parameters)
    )


class PricedPattern:
    """One pattern of known components: the lines as batch columns and the figure statuses.

    Everything here is independent of the rates; `rows()` prices many scenarios at
    once with the batch engine (integer cents, the arithmetic of the grant rules).
    """

    def __init__(self, year: int, plans: tuple[UnitPlan, ...], params: ParameterSet) -> None:
        known, lines_of = structure(year, plans, params)
        self.columns = columns(known, lines_of)
        self.lines_of_unit: dict[str, list[int]] = {}
        self.lines_of_kind: dict[tuple[str, PostKind], list[int]] = {}
        for i, key in enumerate(_line_keys(known, lines_of)):
            self.lines_of_unit.setdefault(key[0], []).append(i)
            self.lines_of_kind.setdefault(key, []).append(i)
        self.units = len(lines_of)
        self.known = known
        self.bound = [  # the units a published grant total binds, and how (per pattern)
            (u, binding)
            for u, (plan, lines) in enumerate(lines_of)
            if (binding := _binding(year, plan, lines, known))
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
                elif known[c] is None and priced is None and plan.staffing[c].no_posts:
                    self.fixed[plan.staffing[c].status] += 1  # 0.00, as in the run
                elif known[c] is not None or priced is None:
                    self.fixed[FigureStatus.MISSING] += 1
                else:
                    used = frozenset(ln.parameter for ln in priced if not ln.refused)
                    self.depends[(plan.staffing[c].status, used)] += 1

    def rows(
        self,
        year: int,
        items: Sequence[tuple[str, RateValues]],
        variations: Sequence[Variation | None] | None = None,
    ) -> list[SweepRow]:
        """Price the scenarios ``items`` (name, values) at once; one row each, in order."""
        parameters = self.columns.parameters
        rates = np.array(
            [[values.rates[p][0] for p in parameters] for _, values in items], dtype=np.int64
        ).reshape(len(items), len(parameters))
        priced = self.columns
        if variations is not None and any(v is not None for v in variations):
            priced = self._varied(variations)
        cents = figure_cents(priced, rates).reshape(len(items), self.units, len(Component))
        self._bind(cents)
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
                    totals=frozen_map(
                        {c: euro_cents(t) for c, t in zip(Component, totals, strict=True)}
                    ),
                    total=euro_cents(sum(totals)),
                    budget=values.budget,
                    missing=coverage[FigureStatus.MISSING],
                    supplied=coverage[FigureStatus.SUPPLIED],
                )
            )
        return out

    def _varied(self, variations: Sequence[Variation | None]) -> Any:
        """The columns with one row of months and costs per scenario."""
        shape = (len(variations), len(self.columns.months))
        months = np.array(np.broadcast_to(self.columns.months, shape))
        cost = np.array(np.broadcast_to(self.columns.cost, shape))
        for s, variation in enumerate(variations):
            if variation is None:
                continue
            for unit, value in variation.months.items():
                if unit is None:
                    months[s, :] = value
                else:
                    months[s, self.lines_of_unit.get(unit, [])] = value
            for line, cents in variation.costs.items():
                cost[s, self.lines_of_kind.get(line, [])] = cents
        return self.columns._replace(months=months, cost=cost)

    def _bind(self, cents: Any) -> None:
        """Apply the units' published totals to the points, as the full run does (in place).

        The run's [`bind_published()`][kim.scenarios.binding.bind_published] fits each
        total with [`fit_to_total()`][kim.estimates.fit_to_total]; only its points reach
        the totals, and they are [`fit_points()`][kim.allocation.observed.fit_points]
        of the same points, in the same order.
        """
        for u, binding in self.bound:
            for s, row in enumerate(cents[:, u, :].tolist()):
                points = [Decimal(x).scaleb(-2) for x in row]
                for parts, estimated, total, mode in binding:
                    factor, fitted, _ = fit_points(
                        [points[j] for j in parts], estimated, total, mode=mode, quantum=CENT
                    )
                    if factor is None:
                        continue
                    for j, point in zip(parts, fitted, strict=True):
                        if point is not None:
                            points[j] = point
                            cents[s, u, j] = int(point.scaleb(2))


class _Total(NamedTuple):
    """One published total as a sweep applies it: parts by index, estimated or not, mode."""

    parts: tuple[int, ...]
    estimated: tuple[bool, ...]
    total: Decimal
    mode: str


def _binding(
    year: int, plan: UnitPlan, lines: Mapping[Component, Any], known: Mapping[Component, Any]
) -> tuple[_Total, ...]:
    """The published totals that bind a unit's figures, fixed for every scenario.

    Which figures exist does not depend on the rates: the figures are built as
    [`price()`][kim.scenarios.engine.price] builds them, with every amount at zero.
    """
    figures = {}
    for c in Component:
        has = plan.eligibility[c] is not Outcome.ELIGIBLE or (
            known[c] is None and (lines[c] is not None or plan.staffing[c].no_posts)
        )
        figures[c] = figure(c, plan, Euro(0) if has else None, plan.staffing[c].status, None)
    index = {c: j for j, c in enumerate(Component)}
    return tuple(
        _Total(
            tuple(index[c] for c in parts),
            tuple(figures[c].estimated for c in parts),
            total.value,
            mode,
        )
        for total, parts, mode in bindings(observed_totals(year=year, unit=plan.unit.key), figures)
    )


@cache
def _pattern(known: frozenset[str]) -> tuple[bool, ...]:
    return tuple(
        all(p in known for k, p in RATE_PARAMETERS.items() if k.component is c) for c in Component
    )


class RateValues:
    """The rates (cents, status) and the budget of one scenario in one year."""

    def __init__(self, rates: dict[str, tuple[int, FigureStatus]], budget: Euro | None) -> None:
        self.rates, self.budget = rates, budget

    @property
    def pattern(self) -> tuple[bool, ...]:
        """Per component: whether all its rates are known."""
        return _pattern(frozenset(self.rates))

    @classmethod
    def read(cls, year: int, params: ParameterSet) -> RateValues:
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

    def changed(self, scenario: Scenario, year: int) -> RateValues | None:
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
        return RateValues(rates, budget)


def run_chunk(
    year: int,
    scenarios: Sequence[Scenario],
    parameters: ParameterSet | None,
    shared: dict[Any, Any] | None = None,
    variations: Sequence[Variation | None] | None = None,
) -> list[SweepRow]:
    """Run a chunk of scenarios (top-level so that process pools can pickle it).

    ``shared`` keeps the rate-independent work between the chunks of one sweep;
    ``variations`` holds each scenario's months and costs (None: as in the run).

    Raises:
        InputError: months or costs given for a scenario that needs a full run.

    """
    varied = [None] * len(scenarios) if variations is None else list(variations)
    base = embedded_parameters() if parameters is None else parameters
    shared = {} if shared is None else shared
    if "baseline" not in shared:
        shared["baseline"] = RateValues.read(year, base)
    baseline: RateValues = shared["baseline"]
    plans: tuple[UnitPlan, ...] | None = shared.get("plans")
    priced: dict[tuple[bool, ...], PricedPattern] = shared.setdefault("priced", {})
    pending: dict[tuple[bool, ...], list[tuple[int, str, RateValues, Variation | None]]] = {}
    rows: list[SweepRow | None] = [None] * len(scenarios)
    for i, scenario in enumerate(scenarios):
        if fast(scenario):
            # Eligibility, staffing and line structure do not depend on the rates: build
            # them once per pattern of known components, then price all scenarios of the
            # pattern at once with the batch engine. Whole-year changes are read straight
            # from the scenario; the parameter set is built only when needed.
            scenario.check(base)
            values = baseline.changed(scenario, year)
            if values is None:
                values = RateValues.read(year, scenario.apply(base))
            if plans is None:
                plans = shared["plans"] = prepare(year, None, base)
            pattern = values.pattern
            if pattern not in priced:
                priced[pattern] = PricedPattern(year, plans, scenario.apply(base))
            pending.setdefault(pattern, []).append((i, scenario.name, values, varied[i]))
        else:
            if varied[i] is not None:
                raise InputError(
                    f"scenario {scenario.name!r} changes staffing, the allocation or other "
                    "parameters; months and costs can be varied only with rate and budget "
                    "changes."
                )
            params = scenario.apply(base)
            run = evaluate(year, scenario, prepare(year, scenario, params), params)
            rows[i] = run_row(run, scenario.name)
    for pattern, items in pending.items():
        done = priced[pattern].rows(
            year, [(name, values) for _, name, values, _ in items], [v for *_, v in items]
        )
        for (i, *_), row in zip(items, done, strict=True):
            rows[i] = row
    return [row for row in rows if row is not None]


def _line_keys(known: Mapping[Component, str | None], lines_of: Any) -> list[tuple[str, PostKind]]:
    """Per priced column line (in the order of `columns()`), its unit key and kind of post.

    A unit's lines of a component follow the order of its staffing (the posts of its
    plan); the kind is checked against the line's rate parameter.
    """
    out = []
    for plan, lines in lines_of:
        for c in Component:
            priced = lines[c]
            if priced is None or known[c] is not None:
                continue
            if plan.eligibility[c] is not Outcome.ELIGIBLE:
                continue
            kinds = [k for k, v in plan.staffing[c].staffing.items() if v > 0]
            if len(kinds) != len(priced) or any(
                RATE_PARAMETERS[k] != line.parameter for k, line in zip(kinds, priced, strict=True)
            ):
                raise InputError(f"the lines of {plan.unit.key} do not match its staffing")
            out += [(plan.unit.key, k) for k, line in zip(kinds, priced, strict=True)
                    if not line.refused]  # fmt: skip
    return out
