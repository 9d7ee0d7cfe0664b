"""Observed posts per unit, and how well a key's allocation fits them.

The Land has not published how it split the case-management posts among the 54 units
(see the domain notes, kim-rules § 5). What can be seen are the posts that council
papers, press releases and web pages report for single units. They ship as
``data/observed_posts.yaml``: one row per unit, year and component, with the source ids
and a status (``confirmed`` when a source states the number for that year,
``inferred`` when the year or the number is a reading, e.g. Kreis Minden-Lübbecke's nine
posts in 2021, which only one press release reports).

[`compare_with_observed()`][kim.allocation.observed.compare_with_observed] puts an allocation next
to these rows: per unit the residual (allocated minus observed), and over all units the mean
absolute error (MAE), the root mean square error (RMSE) and the mean residual (bias). They are
rounded half up to four decimals (the square root cannot be exact).
[`rank_keys()`][kim.allocation.observed.rank_keys] sorts several candidate allocations by RMSE, so a
researcher can ask which key fits best.

Since the statewide number of posts per year is not known either,
[`calibrated_total()`][kim.allocation.observed.calibrated_total] picks the total at which a "base +
weight" key matches the observed units on average.

```pycon
>>> from kim.allocation.observed import observed_posts
>>> rows = observed_posts(year=2021, component=2)
>>> [(r.unit, str(r.posts), r.status.value) for r in rows][:2]
[('05558', '6', 'confirmed'), ('05158', '9', 'confirmed')]

```
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction
from functools import cache
from typing import Literal, TypeVar

from pydantic import Field

from kim._data import read_yaml_resource
from kim._model import KimModel
from kim._numbers import to_decimal
from kim.allocation.methods import DEFAULT_STEP, Allocation, Method, Number
from kim.components import Component
from kim.errors import DataFileError, InputError, KimError
from kim.parameters.model import Status
from kim.sources import embedded_sources
from kim.territory import embedded_territory

__all__ = [
    "ABOUT",
    "Comparison",
    "ObservedPosts",
    "ObservedTotal",
    "Residual",
    "TotalQualifier",
    "calibrated_total",
    "compare_with_observed",
    "fit_points",
    "observed_posts",
    "observed_totals",
    "rank_keys",
]

_FOUR = Decimal("0.0001")
ABOUT = Decimal("0.05")
"""How far a figure may lie from a total the source rounds ("rund", "ca.")."""


class ObservedPosts(KimModel):
    """Posts that a source reports for one unit, year and component."""

    unit: str = Field(pattern=r"^05\d{3}(\d{3})?$", description="The unit's key.")
    year: int = Field(ge=2020, le=2100, description="The funding year.")
    component: Component = Field(description="The component (Baustein).")
    posts: Decimal = Field(ge=0, description="Full-time equivalents for the whole unit.")
    status: Status = Field(description="confirmed or inferred.")
    sources: tuple[str, ...] = Field(min_length=1, description="Source ids.")
    note: str | None = Field(default=None, description="What the sources say, briefly.")

    @property
    def name(self) -> str:
        """The unit's name."""
        return embedded_territory().find(self.unit).name

    @property
    def identity(self) -> tuple[object, ...]:
        """Unit, year and component: at most one row each."""
        return (self.unit, self.year, int(self.component))


_Row = TypeVar("_Row", "ObservedPosts", "ObservedTotal")


def _read_rows(file: str, key: str, model: type[_Row]) -> tuple[_Row, ...]:
    """Read and check one observed-data file: units, source ids, one row per identity."""
    raw = read_yaml_resource("kim.allocation.data", file)
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        raise DataFileError(file, key, f"expected a list '{key}: [...]'")
    known = embedded_sources()
    territory = embedded_territory()
    rows: list[_Row] = []
    seen: set[tuple[object, ...]] = set()
    for index, body in enumerate(raw[key]):
        where = [key, index]
        try:
            row = model.model_validate(body)
            territory.district(row.unit)
        except KimError as error:
            raise DataFileError(file, where, str(error)) from None
        for s in row.sources:
            if s not in known:
                raise DataFileError(file, where, f"unknown source id {s!r}")
        ident = row.identity
        if ident in seen:
            raise DataFileError(file, where, f"a second row for {ident}")
        seen.add(ident)
        rows.append(row)
    return tuple(rows)


@cache
def _load() -> tuple[ObservedPosts, ...]:
    return _read_rows("observed_posts.yaml", "observed", ObservedPosts)


def observed_posts(
    *,
    year: int | None = None,
    component: Component | int | str | None = None,
    confirmed_only: bool = False,
) -> tuple[ObservedPosts, ...]:
    """The observed rows, optionally for one year and component, or only confirmed ones."""
    wanted = Component.parse(component) if component is not None else None
    return tuple(
        r
        for r in _load()
        if (year is None or r.year == year)
        and (wanted is None or r.component is wanted)
        and (not confirmed_only or r.status is Status.CONFIRMED)
    )


class TotalQualifier(StrEnum):
    """How a published total is worded."""

    EXACT = "exact"
    """The number itself."""
    ABOUT = "about"
    """"rund", "ca.": the source rounds (taken as within 5 %)."""
    AT_MOST = "at_most"
    """"bis zu": a cap."""
    AT_LEAST = "at_least"
    """"mindestens", "über": a floor."""


class ObservedTotal(KimModel):
    """A total a unit itself published for one year: its grant or its number of posts.

    Such totals often cannot be split by component (a press release says "1.6 Mio €"),
    but they bind the statewide report all the same: a unit's figure never contradicts
    its own published total. They ship as ``data/observed_totals.yaml``.
    """

    unit: str = Field(pattern=r"^05\d{3}(\d{3})?$", description="The unit's key.")
    year: int = Field(ge=2020, le=2100, description="The funding year.")
    what: Literal["grant", "posts"] = Field(description="A grant in euros or posts (FTE).")
    value: Decimal = Field(gt=0, description="The published number.")
    qualifier: TotalQualifier = Field(description="exact, about, at_most ('bis zu') or at_least.")
    components: tuple[Component, ...] = Field(
        default=tuple(Component), min_length=1, description="The components it covers."
    )
    status: Status = Field(description="confirmed or inferred.")
    sources: tuple[str, ...] = Field(min_length=1, description="Source ids.")
    note: str | None = Field(default=None, description="What the sources say, briefly.")

    @property
    def identity(self) -> tuple[object, ...]:
        """Unit, year, what and components: at most one total each."""
        return (self.unit, self.year, self.what, self.components)

    def admits(
        self, value: Decimal, low: Decimal | None = None, high: Decimal | None = None
    ) -> bool:
        """Whether a figure (with its interval, if any) agrees with this total.

        ``exact`` and ``about`` need the value itself or the interval to hold the total
        (``about`` allows 5 % either way); ``at_most`` and ``at_least`` need the value,
        or some point of the interval, on the right side.
        """
        lo = value if low is None else min(low, value)
        hi = value if high is None else max(high, value)
        if self.qualifier is TotalQualifier.AT_MOST:
            return lo <= self.value
        if self.qualifier is TotalQualifier.AT_LEAST:
            return hi >= self.value
        about = self.qualifier is TotalQualifier.ABOUT
        slack = self.value * ABOUT if about else Decimal(0)
        return lo - slack <= self.value <= hi + slack


def fit_points(
    points: Sequence[Decimal],
    estimated: Sequence[bool],
    total: Decimal,
    *,
    mode: str = "exact",
    quantum: Decimal = Decimal("0.1"),
) -> tuple[Decimal | None, tuple[Decimal | None, ...], bool]:
    """The points of [`fit_to_total()`][kim.estimates.fit_to_total] alone: parts and a total.

    ``points`` and ``estimated`` hold one value per part, in order (the last scaled part
    takes the rounding rest); ``mode`` is a `TotalQualifier` value. Returns the factor
    of the scaled parts (None when none is), their new points (None for a part left as
    it is) and whether the parts conflict with the total.

    Examples:
        >>> fit_points([Decimal(3), Decimal(10)], [False, True], Decimal(18))
        (Decimal('1.5'), (None, Decimal('15.0')), False)

    """
    current = sum(points, Decimal(0))
    if (
        (mode == "at_most" and current <= total)
        or (mode == "at_least" and current >= total)
        or (mode == "about" and abs(current - total) <= total * ABOUT)
    ):
        return None, (None,) * len(points), False
    fixed = sum((p for p, e in zip(points, estimated, strict=True) if not e), Decimal(0))
    movable = [i for i, p in enumerate(points) if estimated[i] and p > 0]
    conflict = not movable or fixed > total
    if conflict:
        movable, fixed = [i for i, p in enumerate(points) if p > 0], Decimal(0)
    base = sum((points[i] for i in movable), Decimal(0))
    if not movable or base <= 0:
        return None, (None,) * len(points), True
    factor = (total - fixed) / base
    out: list[Decimal | None] = [None] * len(points)
    rest = total - fixed
    for i in movable:
        point = rest if i == movable[-1] else points[i] * factor
        out[i] = point = point.quantize(quantum, rounding=ROUND_HALF_UP)
        rest -= point
    return factor, tuple(out), conflict


@cache
def _load_totals() -> tuple[ObservedTotal, ...]:
    return _read_rows("observed_totals.yaml", "totals", ObservedTotal)


def observed_totals(
    *, year: int | None = None, unit: str | None = None
) -> tuple[ObservedTotal, ...]:
    """The published totals, optionally for one year or one unit key.

    ```pycon
    >>> found = observed_totals(year=2021, unit="05316000")
    >>> [(t.what, str(t.value), t.qualifier.value) for t in found]
    [('grant', '625600', 'at_most')]

    ```
    """
    return tuple(
        t
        for t in _load_totals()
        if (year is None or t.year == year) and (unit is None or t.unit == unit)
    )


class Residual(KimModel):
    """One unit's observed posts next to its allocated share."""

    unit: str = Field(description="The unit's key.")
    name: str = Field(description="The unit's name.")
    observed: Decimal = Field(description="Posts the sources report.")
    allocated: Decimal = Field(description="The key's share.")
    residual: Decimal = Field(description="allocated minus observed.")
    status: Status = Field(description="Status of the observed figure.")
    sources: tuple[str, ...] = Field(description="Sources of the observed figure.")


class Comparison(KimModel):
    """An allocation compared with the observed posts of one year and component."""

    label: str = Field(default="", description="A name for the key, if given.")
    year: int = Field(description="The year compared.")
    component: Component = Field(description="The component compared.")
    method: Method = Field(description="The allocation's method.")
    total: Decimal = Field(description="The allocation's total.")
    base: Decimal = Field(description="The allocation's base per unit.")
    residuals: tuple[Residual, ...] = Field(description="One row per observed unit.")
    missing: tuple[str, ...] = Field(
        default=(), description="Observed units that the allocation does not contain."
    )
    mae: Decimal = Field(description="Mean absolute residual (4 decimals, half up).")
    rmse: Decimal = Field(description="Root mean square residual (4 decimals, half up).")
    bias: Decimal = Field(description="Mean residual; positive: the key gives too much.")


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _round(value: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(_FOUR, rounding=ROUND_HALF_UP)


def compare_with_observed(
    allocation: Allocation,
    *,
    year: int,
    component: Component | int | str,
    confirmed_only: bool = False,
    label: str = "",
    observed: Iterable[ObservedPosts] | None = None,
) -> Comparison:
    """Compare ``allocation`` with the posts observed in ``year`` for ``component``.

    Args:
        allocation: e.g. [`apportion()`][kim.allocation.methods.apportion] on the 54 units.
        year: the year of the observed posts.
        component: 1, 2, 3 or a component key.
        confirmed_only: leave out rows with status ``inferred``.
        label: a name for the key, kept in the result.
        observed: your own rows instead of the embedded ones.

    Raises:
        InputError: no observed row for that year and component is in the allocation.

    """
    wanted = Component.parse(component)
    rows = (
        [r for r in observed if r.year == year and r.component is wanted]
        if observed is not None
        else list(observed_posts(year=year, component=wanted, confirmed_only=confirmed_only))
    )
    if confirmed_only:
        rows = [r for r in rows if r.status is Status.CONFIRMED]
    present = set(allocation.keys)
    residuals = [
        Residual(
            unit=r.unit,
            name=r.name,
            observed=r.posts,
            allocated=allocation.share(r.unit),
            residual=allocation.share(r.unit) - r.posts,
            status=r.status,
            sources=r.sources,
        )
        for r in rows
        if r.unit in present
    ]
    if not residuals:
        raise InputError(
            f"No observed posts for component {int(wanted)} in {year} belong to the "
            "allocation's units; see kim.allocation.observed_posts() for what is known."
        )
    errors = [Fraction(x.residual) for x in residuals]
    mse = _mean([e * e for e in errors])
    with localcontext() as ctx:
        ctx.prec = 50
        rmse = (Decimal(mse.numerator) / Decimal(mse.denominator)).sqrt()
    return Comparison(
        label=label,
        year=year,
        component=wanted,
        method=allocation.method,
        total=allocation.total,
        base=allocation.base,
        residuals=tuple(residuals),
        missing=tuple(r.unit for r in rows if r.unit not in present),
        mae=_round(_mean([abs(e) for e in errors])),
        rmse=rmse.quantize(_FOUR, rounding=ROUND_HALF_UP),
        bias=_round(_mean(errors)),
    )


def rank_keys(
    allocations: Mapping[str, Allocation],
    *,
    year: int,
    component: Component | int | str,
    confirmed_only: bool = False,
) -> tuple[Comparison, ...]:
    """Compare several labelled allocations; the best fit (lowest RMSE) comes first.

    Ties in RMSE are ordered by MAE, then by label.
    """
    found = [
        compare_with_observed(
            a, year=year, component=component, confirmed_only=confirmed_only, label=label
        )
        for label, a in allocations.items()
    ]
    return tuple(sorted(found, key=lambda c: (c.rmse, c.mae, c.label)))


def calibrated_total(
    weights: Mapping[str, object],
    *,
    year: int,
    component: Component | int | str,
    base: Number = 0,
    step: Number = DEFAULT_STEP,
    confirmed_only: bool = False,
) -> Decimal:
    """The total at which "``base`` + the rest by weight" matches the observed units.

    The statewide total is not known, so it is chosen to make the exact quotas of the
    observed units add up to their observed posts: with ``n`` units of total weight
    ``W``, and the observed units ``O`` with posts ``S`` and weight ``W_O``,
    ``total = n * base + (S - |O| * base) * W / W_O``, rounded half up to a whole number
    of steps and never below ``n * base``.

    Raises:
        InputError: no observed unit has a positive weight.

    """
    base_d = to_decimal(base, "base")
    step_d = to_decimal(step, "step")
    values = {str(k): to_decimal(v, f"weight of {k!r}") for k, v in weights.items()}
    rows = [
        r
        for r in observed_posts(year=year, component=component, confirmed_only=confirmed_only)
        if r.unit in values
    ]
    w_obs = sum((values[r.unit] for r in rows), Decimal(0))
    if not rows or w_obs <= 0:
        raise InputError(
            f"No observed unit with a positive weight for component {component} in {year}."
        )
    n = len(values)
    posts = sum((r.posts for r in rows), Decimal(0))
    rest = (
        (Fraction(posts) - len(rows) * Fraction(base_d))
        * Fraction(sum(values.values(), Decimal(0)))
        / Fraction(w_obs)
    )
    exact = max(Fraction(0), rest) + n * Fraction(base_d)
    steps = exact / Fraction(step_d)
    whole = int(steps + Fraction(1, 2)) if steps >= 0 else 0
    return whole * step_d
