"""The minimum for the integration infrastructure under § 3 (2) TIntG, carried forward.

§ 3 (2) TIntG (``tintg-3``) obliges the Land to provide at least 130 Mio € a year for
its whole integration infrastructure (Kommunale Integrationszentren, KIM, integration
flat rates, integration agencies, anti-discrimination offices, ...). From 2023 the
yearly amount is carried forward ("Fortschreibung des Jahresansatzes") by the TV-L pay
rise, weighted 80 %, and the consumer price index for housing, water, electricity, gas
and other fuels (CPI, COICOP 04), weighted 20 %. The statute gives the weights but no
formula.

**The reading implemented here** (the library's, not the statute's words): the yearly
amount of year *t* is the previous year's amount carried forward,

    amount(t) = amount(t − 1) × (1 + 0.8 × g_TV-L(t) / 100 + 0.2 × g_CPI(t) / 100)

with ``amount(2022) = 130,000,000 €`` (the law is in force from 1 January 2022), each
year's amount rounded to the cent before it is carried on. The weights are parameters
(``tintg_indexation_weight_pay``, ``tintg_indexation_weight_prices``), so a scenario can
change them.

**The TV-L change of a year** is derived from the dated increases of the pay tables
([`tvl_table_increases()`][kim.funding.indexation.tvl_table_increases]): it is the change of the
table level in force on 1 January of year *t* against 1 January of year *t − 1*, i.e. the product of
all table increases that took effect after 1 January of *t − 1* and on or before 1 January of
*t*. Reasons: the yearly amount is set for a budget year from the pay level in force
when it starts, and the first carry-forward (budget 2023) was described as applying an
indexation factor (``cdu-fraktion-2022-12-07``), which fits the 2.8 % of 01.12.2022 and
not the 0 % a calendar-2023 reading would give. No source states this window, so
every yearly change is ``inferred``, even where each table increase is confirmed.
One-off payments are not table increases. The result: 2023: 2.8 %, 2024: 0 %,
2025: 4.76 % (the fixed 200 € of
01.11.2024 in the agreement's own conversion, an inferred value). 2026 and later are
unknown (the next agreement's steps are not in the data) and raise
[`MissingInputError`][kim.errors.MissingInputError].

**The CPI change** is left to the caller: the yearly COICOP 04 changes were not found
in any source read (Destatis publishes them, e.g. in GENESIS table 61111-0003). A year
without one raises [`MissingInputError`][kim.errors.MissingInputError]. Say which series and which
release you used in the [`IndexChange`][kim.funding.indexation.IndexChange]'s note (figures are
revised with new base years).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING, Any, Self

from pydantic import Field, model_validator

from kim._data import read_yaml_resource
from kim._model import KimModel
from kim._numbers import to_decimal
from kim.errors import DataFileError, InputError, MissingInputError
from kim.money import Euro
from kim.parameters.loader import embedded_parameters
from kim.parameters.model import Labels, ParameterSet, ParameterValue, Status

if TYPE_CHECKING:  # pragma: no cover
    from kim.explain import Explanation

__all__ = [
    "BASE_YEAR",
    "IndexChange",
    "IndexationYear",
    "IndexedMinimum",
    "TableIncrease",
    "TvlRecord",
    "tintg_minimum",
    "tvl_table_increases",
    "tvl_yearly_change",
]

BASE_YEAR = 2022
"""The year whose amount is the base (130 Mio €): § 3 TIntG is in force from 2022."""


class TableIncrease(KimModel):
    """One increase of the TV-L pay tables, from the day it took effect."""

    effective: date = Field(description="First day of the new tables.")
    percent: Decimal = Field(description="The increase in percent (a fixed sum: converted).")
    fixed_amount: Euro | None = Field(
        default=None, description="A fixed monthly sum, when the increase is one."
    )
    status: Status = Field(description="How sure the percentage is.")
    sources: tuple[str, ...] = Field(min_length=1, description="Source ids.")
    note: str | None = Field(default=None, description="What the source says.")


class TvlRecord(KimModel):
    """The known TV-L table increases and the days for which the list is complete."""

    complete_from: date = Field(description="First day the list is complete.")
    complete_until: date = Field(description="Last day the list is complete.")
    completeness_status: Status = Field(description="How sure the completeness is.")
    completeness_sources: tuple[str, ...] = Field(description="Source ids.")
    completeness_note: str = Field(description="Why the list is complete in that range.")
    increases: tuple[TableIncrease, ...] = Field(description="The increases, by date.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        days = [i.effective for i in self.increases]
        if days != sorted(set(days)):
            raise InputError("TV-L increases must be in increasing date order without repeats")
        if self.complete_until < self.complete_from:
            raise InputError("complete_until is before complete_from")
        return self


@cache
def tvl_table_increases() -> TvlRecord:
    """The TV-L table increases shipped with the library (``funding/data/tvl.yaml``).

    ```pycon
    >>> [(str(i.effective), str(i.percent)) for i in tvl_table_increases().increases]
    [('2022-12-01', '2.8'), ('2024-11-01', '4.76'), ('2025-02-01', '5.5')]

    ```
    """
    from kim.sources import embedded_sources

    file = "tvl.yaml"
    raw = read_yaml_resource("kim.funding.data", file)
    if not isinstance(raw, dict) or not isinstance(raw.get("increases"), dict):
        raise DataFileError(file, "increases", "expected a mapping of dates to increases")
    registry = embedded_sources()
    increases = []
    for day, body in raw["increases"].items():
        if not isinstance(day, date) or not isinstance(body, dict):
            raise DataFileError(file, ["increases", day], "expected 'YYYY-MM-DD: {percent: ...}'")
        try:
            increases.append(TableIncrease(effective=day, **body))
        except InputError as error:
            raise DataFileError(file, ["increases", day], str(error)) from None
    fields = {k: v for k, v in raw.items() if k != "increases"}
    try:
        record = TvlRecord(increases=tuple(increases), **fields)
    except InputError as error:
        raise DataFileError(file, "", str(error)) from None
    for sid in [*record.completeness_sources, *(s for i in increases for s in i.sources)]:
        if sid not in registry:
            raise DataFileError(file, "sources", f"unknown source id {sid!r}")
    return record


class IndexChange(KimModel):
    """The change of an index over one year, in percent, with its provenance."""

    year: int = Field(description="The budget year the change carries the amount into.")
    percent: Decimal = Field(ge=-100, le=1000, description="The change in percent.")
    status: Status = Field(default=Status.SUPPLIED, description="How sure the figure is.")
    sources: tuple[str, ...] = Field(default=(), description="Source ids, if any.")
    note: str | None = Field(default=None, description="Series, release, how it was derived.")


def tvl_yearly_change(year: int, record: TvlRecord | None = None) -> IndexChange:
    """The TV-L change that carries the § 3 (2) amount into ``year`` (see module notes).

    Raises:
        MissingInputError: the table increases are not known for the whole window.

    Examples:
        >>> c = tvl_yearly_change(2023)
        >>> c.percent, c.status.value
        (Decimal('2.8'), 'inferred')
        >>> tvl_yearly_change(2024).percent
        Decimal('0')

    """
    rec = tvl_table_increases() if record is None else record
    after, until = date(year - 1, 1, 1), date(year, 1, 1)
    if after < rec.complete_from or until > rec.complete_until:
        raise MissingInputError(
            "tvl_changes",
            year,
            f"The TV-L change for {year} needs every table increase from "
            f"{date(year - 1, 1, 2).isoformat()} to {until.isoformat()}; the library knows "
            f"them only from {rec.complete_from.isoformat()} to "
            f"{rec.complete_until.isoformat()}. Pass tvl_changes={{{year}: Decimal('...')}} "
            "with the figure and its source.",
        )
    steps = [i for i in rec.increases if after < i.effective <= until]
    factor = Fraction(1)
    for step in steps:
        factor *= 1 + Fraction(step.percent) / 100
    percent = (Decimal(factor.numerator) / Decimal(factor.denominator) - 1) * 100
    percent = percent.quantize(Decimal("0.0001")).normalize()
    # Which table increases count for a year (1 January against 1 January) is the
    # library's own reading, so the change is inferred even when every step is confirmed.
    status = Status.weakest([Status.INFERRED, *(s.status for s in steps)]) or Status.INFERRED
    if steps:
        listed = ", ".join(f"{s.percent} % from {s.effective.isoformat()}" for s in steps)
        note = f"Table increases from {date(year - 1, 1, 2)} to {until}: {listed}."
    else:
        note = f"No table increase took effect from {date(year - 1, 1, 2)} to {until}."
    sources = (
        tuple(dict.fromkeys(s for step in steps for s in step.sources)) or rec.completeness_sources
    )
    return IndexChange.model_construct(
        year=year, percent=percent, status=status, sources=sources, note=note
    )


class IndexationYear(KimModel):
    """One year of the carry-forward: previous amount, inputs, factor, new amount."""

    year: int = Field(description="The year carried into.")
    previous: Euro = Field(description="The amount of the year before.")
    tvl: IndexChange = Field(description="The TV-L change used.")
    cpi: IndexChange = Field(description="The CPI (COICOP 04) change used.")
    weight_pay: ParameterValue = Field(description="The weight of the TV-L change.")
    weight_prices: ParameterValue = Field(description="The weight of the CPI change.")
    factor: Decimal = Field(description="1 + weighted changes / 100, exact.")
    amount: Euro = Field(description="previous × factor, rounded to the cent, half up.")


class IndexedMinimum(KimModel):
    """The § 3 (2) TIntG minimum for one year, with every year of the carry-forward."""

    year: int = Field(description="The year asked for.")
    amount: Euro = Field(description="The minimum for that year under the reading.")
    base: ParameterValue = Field(description="The base amount (130 Mio € for 2022).")
    years: tuple[IndexationYear, ...] = Field(description="Each year carried forward.")
    basis: Status = Field(description="Least certain status of everything it rests on.")
    caveats: tuple[Labels, ...] = Field(description="What a reader must know first.")

    _parameters: Any = None

    def explain(self) -> Explanation:
        """Every year's factor and amount, with the inputs and their sources."""
        # The builder depends on this result, not the reverse (see docs/architecture.md).
        from kim.funding._explain_programme import minimum_explanation

        return minimum_explanation(self)

    def _repr_html_(self) -> str:
        return self.explain().to_html()


def _change(
    given: Mapping[int, IndexChange | Decimal | int | str | float] | None,
    year: int,
    name: str,
    what: str,
) -> IndexChange | None:
    if given is None or year not in given:
        return None
    value = given[year]
    if isinstance(value, IndexChange):
        if value.year != year:
            raise InputError(f"{name}[{year}] is an IndexChange for {value.year}")
        return value
    return IndexChange(
        year=year,
        percent=to_decimal(value, f"{name}[{year}]"),
        note=f"{what} given by the caller",
    )


def tintg_minimum(
    year: int,
    *,
    cpi_changes: Mapping[int, IndexChange | Decimal | int | str | float] | None = None,
    tvl_changes: Mapping[int, IndexChange | Decimal | int | str | float] | None = None,
    parameters: ParameterSet | None = None,
) -> IndexedMinimum:
    """The § 3 (2) TIntG minimum for ``year``, carried forward from 2022 (see module notes).

    Args:
        year: the budget year, 2022 or later.
        cpi_changes: the yearly change of the CPI for housing and energy (COICOP 04) in
            percent, for every year from 2023 to ``year``. The library ships none.
        tvl_changes: TV-L changes in percent; a year not given is derived from the
            shipped table increases
            ([`tvl_yearly_change()`][kim.funding.indexation.tvl_yearly_change]).
        parameters: the parameter set (base amount and weights); the embedded one by
            default.

    Raises:
        MissingValueError: ``year`` is before 2022 (the law has no amount then).
        MissingInputError: a CPI or TV-L change needed is missing.

    Examples:
        >>> tintg_minimum(2022).amount.format_de()
        '130.000.000,00 €'

    """
    params = embedded_parameters() if parameters is None else parameters
    base = params.value("tintg_infrastructure_base", date(min(year, BASE_YEAR), 1, 1))
    amount = Euro(base.value)
    years: list[IndexationYear] = []
    statuses = [base.status]
    for t in range(BASE_YEAR + 1, year + 1):
        tvl = _change(tvl_changes, t, "tvl_changes", "TV-L change") or tvl_yearly_change(t)
        cpi = _change(cpi_changes, t, "cpi_changes", "CPI (COICOP 04) change")
        if cpi is None:
            raise MissingInputError(
                "cpi_changes",
                t,
                f"No change of the consumer price index for housing, water, electricity, gas "
                f"and other fuels (CPI, COICOP 04) was given for {t}. The library ships none; "
                f"take the yearly change from Destatis (e.g. GENESIS table 61111-0003) and pass "
                f"cpi_changes={{{t}: Decimal('...')}} (percent), saying which release you used.",
            )
        on = date(t, 1, 1)
        w_pay = params.value("tintg_indexation_weight_pay", on)
        w_prices = params.value("tintg_indexation_weight_prices", on)
        factor = 1 + (w_pay.value * tvl.percent + w_prices.value * cpi.percent) / 100
        new = amount * Fraction(factor)
        years.append(
            IndexationYear.model_construct(
                year=t,
                previous=amount,
                tvl=tvl,
                cpi=cpi,
                weight_pay=w_pay,
                weight_prices=w_prices,
                factor=factor,
                amount=new,
            )
        )
        statuses += [tvl.status, cpi.status, w_pay.status, w_prices.status]
        amount = new
    caveats: list[Labels] = []
    from kim.explain import labels

    if years:
        caveats.append(
            labels(
                "§ 3 Abs. 2 TIntG nennt Gewichte, keine Formel. Berechnet ist die Lesart "
                "'Fortschreibung des Jahresansatzes': jedes Jahr der Vorjahresbetrag × "
                "(1 + 0,8 × TV-L-Steigerung + 0,2 × VPI-Änderung), ab 130 Mio € für 2022.",
                "§ 3 (2) TIntG gives weights, not a formula. This is the reading 'carrying the "
                "yearly amount forward': each year the previous amount × (1 + 0.8 × TV-L rise + "
                "0.2 × CPI change), from 130 Mio € for 2022.",
            )
        )
    for y in years:
        for change, what in ((y.tvl, "TV-L"), (y.cpi, "VPI/CPI")):
            if change.status in (Status.INFERRED, Status.SUPPLIED):
                caveats.append(
                    labels(
                        f"{what} {y.year}: {change.percent} % ({change.status.value})"
                        + (f" – {change.note}" if change.note else ""),
                        f"{what} {y.year}: {change.percent} % ({change.status.value})"
                        + (f" – {change.note}" if change.note else ""),
                    )
                )
    result = IndexedMinimum.model_construct(
        year=year,
        amount=amount,
        base=base,
        years=tuple(years),
        basis=Status.weakest(statuses) or base.status,
        caveats=tuple(caveats),
    )
    result._parameters = params
    return result
