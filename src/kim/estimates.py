"""The estimation layer: posts per unit where no source states them, with an interval.

The rules of the programme are exact (Decimal, to the cent). How many posts the Land
granted each unit is not published for most units, so the statewide report has to
estimate them. This module does that, and only this: it fits a small model to the
**observed** posts ([`kim.allocation.observed_posts()`][kim.allocation.observed.observed_posts]),
measures its **leave-one-out** error on those rows, and gives every estimate an **80 % interval**
besides its point value. NumPy does the least squares; the results come back as
``Decimal`` posts rounded half up to a tenth, which the exact rules then price.

The models, per component (Baustein):

* **1, coordination**: the quota of the unit's type from the guideline parameters
  (the quota parameters of the post kinds in
  [`kim.components.POST_KINDS`][kim.components.POST_KINDS]: city or Kreis); nothing is fitted, the
  interval comes from its residuals.
* **2, case management**: ``posts = a + g * [year >= 2022] + b * ln(residents / 100,000)``,
  a base per unit that grew with the expansion of 2022, plus a weight that grows
  much more slowly than the population (Köln has about five times Coesfeld's residents
  and reported 16 case managers to Coesfeld's 12).
* **3, Ausländer- and Einbürgerungsbehörden**: ``posts = a + g * [year >= 2022]``.

**Stored fits.** ``scripts/fit_staffing_models.py`` fits the three models ahead of time
into [`STORED_MODELS`][kim.estimates.STORED_MODELS] with the
[`input_fingerprint()`][kim.estimates.input_fingerprint]; `staffing_model()` uses them
while that equals the installed data's and fits afresh otherwise (the same model).

The interval of an estimate is its point plus the 10th and 90th percentiles of the
model's leave-one-out residuals (observed minus predicted without that row), never
below zero. The population-share estimate the report used before (a unit's share of
the residents times the observed units' posts per resident in that year) is measured
on the same rows, so the two errors can be compared.

```pycon
>>> model = staffing_model(2)
>>> model.loo.mae < model.baseline.mae
True
>>> estimate = model.predict("05113000", 2023)  # Essen
>>> estimate.low <= estimate.point <= estimate.high
True

```
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

from pydantic import Field

from kim._model import FrozenMap, KimModel
from kim.allocation.observed import ABOUT, fit_points
from kim.components import POST_KINDS, Component
from kim.errors import InputError, MissingValueError
from kim.parameters.loader import PARAMETER_FILES, embedded_parameters
from kim.parameters.model import ParameterSet
from kim.territory.model import DistrictType
from kim.territory.registry import embedded_territory

__all__ = [
    "ABOUT",
    "EXPANSION_YEAR",
    "LEVEL",
    "MODEL_FORMAT",
    "STORED_MODELS",
    "Interval",
    "LeaveOneOut",
    "LooRow",
    "Share",
    "StaffingModel",
    "fit_staffing_model",
    "fit_to_total",
    "input_fingerprint",
    "staffing_model",
    "staffing_models_json",
]

LEVEL = Decimal("0.8")
"""The coverage every interval aims at (80 %)."""

EXPANSION_YEAR = 2022
"""The year the Land expanded case management (more posts per unit from then on)."""

MODEL_FORMAT = 1
"""The fitting code's version in the fingerprint: bump it when a fit's result changes."""

STORED_MODELS = "staffing_models.json"
"""The file in ``kim.data`` with the three models fitted ahead of time."""

_INPUTS = (  # every data file a fit reads (sources.yaml only checks ids)
    ("kim.allocation.data", "observed_posts.yaml"),
    *(("kim.parameters.data", file) for file in PARAMETER_FILES),
    ("kim.territory.data", "units.csv"),
    ("kim.territory.data", "municipality_list.csv"),
    ("kim.territory.data", "municipalities.yaml"),
)

_TENTH = Decimal("0.1")
_FORMULAS = {
    Component.COORDINATION: "posts = quota of the unit's type (not fitted)",
    Component.CASE_MANAGEMENT: "posts = a + g * [year >= 2022] + b * ln(residents / 100,000)",
    Component.AUTHORITIES: "posts = a + g * [year >= 2022]",
}
_TERMS = {
    Component.COORDINATION: (),
    Component.CASE_MANAGEMENT: ("a", "g", "b"),
    Component.AUTHORITIES: ("a", "g"),
}


def _tenth(value: float) -> Decimal:
    return Decimal(repr(max(value, 0.0))).quantize(_TENTH, rounding=ROUND_HALF_UP)


class Interval(KimModel):
    """An estimated number of posts: the point and its 80 % interval."""

    point: Decimal = Field(description="The estimate (posts, to a tenth).")
    low: Decimal = Field(description="Lower end of the interval.")
    high: Decimal = Field(description="Upper end of the interval.")

    def scaled(self, factor: Decimal) -> Interval:
        """The same interval times ``factor`` (to a tenth), e.g. to fit a published total."""
        return Interval(
            point=(self.point * factor).quantize(_TENTH, rounding=ROUND_HALF_UP),
            low=(self.low * factor).quantize(_TENTH, rounding=ROUND_HALF_UP),
            high=(self.high * factor).quantize(_TENTH, rounding=ROUND_HALF_UP),
        )


class LooRow(KimModel):
    """One observed row with the estimate made without it."""

    unit: str = Field(description="The unit's key.")
    name: str = Field(description="Its name.")
    year: int = Field(description="The year.")
    observed: Decimal = Field(description="The posts the source reports.")
    model: Decimal = Field(description="The model's estimate without this row.")
    population_share: Decimal = Field(description="The population-share estimate without it.")


class LeaveOneOut(KimModel):
    """An estimator's leave-one-out error on the observed rows."""

    rows: int = Field(description="Observed rows left out in turn.")
    mae: Decimal = Field(description="Mean absolute error, posts (to a hundredth).")
    rmse: Decimal = Field(description="Root mean square error, posts (to a hundredth).")


class StaffingModel(KimModel):
    """A fitted staffing model for one component, with its error and interval."""

    component: Component = Field(description="The component.")
    formula: str = Field(description="The model in words.")
    coefficients: FrozenMap[str, float] = Field(description="Fitted on all observed rows.")
    residual_low: float = Field(description="10th percentile of the LOO residuals.")
    residual_high: float = Field(description="90th percentile of the LOO residuals.")
    baseline_low: float = Field(description="10th percentile, population-share residuals.")
    baseline_high: float = Field(description="90th percentile, population-share residuals.")
    loo: LeaveOneOut = Field(description="The model's leave-one-out error.")
    baseline: LeaveOneOut = Field(description="The population-share estimate's, same rows.")
    rows: tuple[LooRow, ...] = Field(description="The observed rows, with both estimates.")

    def predict(self, unit: str, year: int, *, parameters: ParameterSet | None = None) -> Interval:
        """The estimated posts of ``unit`` in ``year`` with the 80 % interval.

        Raises:
            MissingValueError: Baustein 1 and no quota is known for the year.

        """
        point = _point(self.component, self.coefficients, unit, year, parameters)
        return Interval(
            point=_tenth(point),
            low=_tenth(point + self.residual_low),
            high=_tenth(point + self.residual_high),
        )


def _features(component: Component, unit: str, year: int) -> list[float]:
    late = 1.0 if year >= EXPANSION_YEAR else 0.0
    if component is Component.CASE_MANAGEMENT:
        from kim.allocation.weights import population_weights

        return [1.0, late, math.log(population_weights()[unit] / 100_000)]
    return [1.0, late]


def _quota(unit: str, year: int, parameters: ParameterSet | None) -> float:
    params = embedded_parameters() if parameters is None else parameters
    district = embedded_territory().district(unit)
    city = district.type in (DistrictType.KREISFREIE_STADT, DistrictType.REGIONSANGEHOERIGE_STADT)
    on = date(year, 12, 31)
    return float(
        sum(
            params.value(entry.quota_parameters[1 if city else 0], on).value
            for entry in POST_KINDS.values()
            if entry.quota_parameters
        )
    )


def _point(
    component: Component,
    coefficients: Mapping[str, float],
    unit: str,
    year: int,
    parameters: ParameterSet | None,
) -> float:
    if component is Component.COORDINATION:
        return _quota(unit, year, parameters)
    x = _features(component, unit, year)
    return sum(coefficients[t] * v for t, v in zip(_TERMS[component], x, strict=True))


def _numpy() -> Any:
    from importlib import import_module

    return import_module("numpy")


def _fit(component: Component, rows: Sequence[tuple[str, int, float]]) -> dict[str, float]:
    if component is Component.COORDINATION:
        return {}
    np = _numpy()
    x = np.array([_features(component, u, y) for u, y, _ in rows])
    target = np.array([p for _, _, p in rows])
    solution = np.linalg.lstsq(x, target, rcond=None)[0]
    return {t: float(v) for t, v in zip(_TERMS[component], solution, strict=True)}


def _population_share(rows: Sequence[tuple[str, int, float]], i: int) -> float:
    from kim.allocation.weights import population_weights

    weights = population_weights()
    unit, year, _ = rows[i]
    others = [r for j, r in enumerate(rows) if j != i]
    same = [r for r in others if r[1] == year] or others
    per_resident = sum(p for _, _, p in same) / sum(weights[u] for u, _, _ in same)
    return weights[unit] * per_resident


def _error(residuals: Sequence[float]) -> LeaveOneOut:
    n = len(residuals)
    return LeaveOneOut(
        rows=n,
        mae=Decimal(repr(sum(abs(r) for r in residuals) / n)).quantize(Decimal("0.01")),
        rmse=Decimal(repr(math.sqrt(sum(r * r for r in residuals) / n))).quantize(Decimal("0.01")),
    )


def fit_staffing_model(
    component: Component | int | str,
    rows: Sequence[tuple[str, int, Decimal]] | None = None,
    *,
    parameters: ParameterSet | None = None,
) -> StaffingModel:
    """Fit the model of ``component`` to observed rows and measure it by leave-one-out.

    Args:
        component: 1, 2, 3 or a component key.
        rows: ``(unit key, year, posts)``; the embedded observed posts by default.
        parameters: the parameter set with the coordination quotas (Baustein 1).

    Raises:
        InputError: fewer observed rows than the model has terms, plus two.

    """
    from kim.allocation.observed import observed_posts

    wanted = Component.parse(component)
    if rows is None:
        rows = [(r.unit, r.year, r.posts) for r in observed_posts(component=wanted)]
    data = [(u, y, float(p)) for u, y, p in rows]
    if len(data) < len(_TERMS[wanted]) + 2:
        raise InputError(
            f"Baustein {int(wanted)}: {len(data)} observed rows are too few to fit "
            f"{_FORMULAS[wanted]!r}; add observed posts (kim.allocation.observed_posts)."
        )
    if wanted is Component.COORDINATION:
        usable = []
        for row in data:
            try:
                _quota(row[0], row[1], parameters)
            except MissingValueError:
                continue
            usable.append(row)
        data = usable
    loo_rows, residuals, baseline = [], [], []
    territory = embedded_territory()
    for i, (unit, year, posts) in enumerate(data):
        others = data[:i] + data[i + 1 :]
        estimate = _point(wanted, _fit(wanted, others), unit, year, parameters)
        share = _population_share(data, i)
        residuals.append(posts - estimate)
        baseline.append(posts - share)
        loo_rows.append(
            LooRow(
                unit=unit,
                name=territory.district(unit).name,
                year=year,
                observed=Decimal(repr(posts)),
                model=_tenth(estimate),
                population_share=_tenth(share),
            )
        )
    np = _numpy()
    low, high = np.quantile(np.array(residuals), [0.1, 0.9])
    relative = [r / max(posts - r, 0.1) for r, (_, _, posts) in zip(baseline, data, strict=True)]
    base_low, base_high = np.quantile(np.array(relative), [0.1, 0.9])
    return StaffingModel(
        component=wanted,
        formula=_FORMULAS[wanted],
        coefficients=_fit(wanted, data),
        residual_low=float(min(low, 0.0)),
        residual_high=float(max(high, 0.0)),
        baseline_low=float(min(base_low, 0.0)),
        baseline_high=float(max(base_high, 0.0)),
        loo=_error(residuals),
        baseline=_error(baseline),
        rows=tuple(loo_rows),
    )


def input_fingerprint() -> dict[str, str]:
    """``{"format": str(MODEL_FORMAT), "<package>/<file>": sha256}`` of every file a fit reads."""
    found = {"format": str(MODEL_FORMAT)}
    for package, file in _INPUTS:
        data = resources.files(package).joinpath(file).read_bytes()
        found[f"{package}/{file}"] = hashlib.sha256(data).hexdigest()
    return found


def staffing_models_json() -> str:
    """The text of [`STORED_MODELS`][kim.estimates.STORED_MODELS]: fingerprint and fresh fits."""
    document = {
        "inputs": input_fingerprint(),
        "models": [fit_staffing_model(c).model_dump(mode="json") for c in Component],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def _read_stored() -> bytes:
    return resources.files("kim.data").joinpath(STORED_MODELS).read_bytes()


@cache
def _stored_models() -> dict[Component, StaffingModel]:
    """The stored models when their fingerprint equals the installed data's, else none."""
    try:
        document = json.loads(_read_stored())
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("inputs") != input_fingerprint():
        return {}
    try:
        models = [StaffingModel.model_validate(body) for body in document["models"]]
    except (KeyError, TypeError, InputError):
        return {}
    return {m.component: m for m in models}


@cache
def staffing_model(component: Component | int | str) -> StaffingModel:
    """The model of ``component`` fitted to the embedded observed posts (stored or cached)."""
    wanted = Component.parse(component)
    stored = _stored_models().get(wanted)
    return stored if stored is not None else fit_staffing_model(wanted)


class Share(KimModel):
    """One component's part of a unit's total, before or after `fit_to_total()`."""

    point: Decimal = Field(description="The value (posts or euros).")
    low: Decimal = Field(description="Lower end (= point when not estimated).")
    high: Decimal = Field(description="Upper end (= point when not estimated).")
    estimated: bool = Field(description="Whether the value is an estimate.")


def fit_to_total(
    shares: dict[Component, Share],
    total: Decimal,
    *,
    mode: str = "exact",
    quantum: Decimal = _TENTH,
) -> tuple[dict[Component, Share], bool]:
    """Make a unit's parts agree with its published ``total``.

    The estimated parts are scaled (point and interval by the same factor) so that all
    parts add up to ``total``; if no part is estimated, or the parts that are not
    estimated already exceed the total, all parts are scaled and the second value
    returned is ``True`` (a conflict between observed figures and the published total,
    to be shown). ``mode`` says how the total is worded: ``exact``; ``about`` (parts
    within 5 % of it are left alone); ``at_most`` ("bis zu", or a total that covers a
    part without a figure: parts are scaled only when they exceed it); ``at_least``
    (scaled only when they fall short). Values are rounded half up to ``quantum``; the
    last scaled part takes the rounding rest.

    Examples:
        >>> parts = {Component.COORDINATION: Share(point=Decimal(3), low=Decimal(3),
        ...          high=Decimal(3), estimated=False),
        ...          Component.CASE_MANAGEMENT: Share(point=Decimal(10), low=Decimal(8),
        ...          high=Decimal(12), estimated=True)}
        >>> fitted, conflict = fit_to_total(parts, Decimal(18))
        >>> fitted[Component.CASE_MANAGEMENT].point, conflict
        (Decimal('15.0'), False)
        >>> fit_to_total(parts, Decimal(12), mode="at_least")[0] == parts
        True

    """
    factor, points, conflict = fit_points(
        [s.point for s in shares.values()],
        [s.estimated for s in shares.values()],
        total,
        mode=mode,
        quantum=quantum,
    )
    out = dict(shares)
    for (c, s), point in zip(shares.items(), points, strict=True):
        if factor is not None and point is not None:
            out[c] = Share(
                point=point,
                low=(s.low * factor).quantize(quantum, rounding=ROUND_HALF_UP),
                high=(s.high * factor).quantize(quantum, rounding=ROUND_HALF_UP),
                estimated=s.estimated,
            )
    return out, conflict
