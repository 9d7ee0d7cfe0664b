"""§ 3 (2) TIntG: 130 Mio € from 2022, carried forward by 80 % TV-L and 20 % CPI (COICOP 04).

TIntG § 3: https://recht.nrw.de/lmi/owa/br_bes_detail?sg=0&menu=0&bes_id=47273&anw_nr=2&aufgehoben=N&det_id=634482
TV-L 2021: https://www.walhalla.de/news/tarifrunde-oeffentlicher-dienst-der-laender-tv-l-2021/tv-l-tarifeinigung-erzielt
TV-L 2023: https://haufe.de/oeffentlicher-dienst/tv-l-office-professional/tarifeinigung-in-den-tarifverhandlungen-fuer-die-beschaeftigten-der-laender-2023_idesk_PI15539_HI16132621.html

No CPI (COICOP 04) yearly change is published in the sources read; the CPI figures in
these tests are HYPOTHETICAL inputs chosen to test the arithmetic, not Destatis figures.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from kim.errors import InputError, MissingInputError, MissingValueError
from kim.funding import IndexChange, tintg_minimum, tvl_table_increases, tvl_yearly_change
from kim.money import Euro
from kim.parameters import embedded_parameters
from kim.parameters.model import Status


def test_tvl_table_increases_as_published() -> None:
    record = tvl_table_increases()
    assert [(i.effective, i.percent) for i in record.increases] == [
        (date(2022, 12, 1), Decimal("2.8")),
        (date(2024, 11, 1), Decimal("4.76")),
        (date(2025, 2, 1), Decimal("5.5")),
    ]
    assert record.increases[1].fixed_amount == Euro(200)
    assert record.increases[1].status is Status.INFERRED


def test_tvl_yearly_change_from_the_level_on_1_january() -> None:
    # The 1-January window is the library's reading: inferred although 2.8 % is confirmed.
    assert (tvl_yearly_change(2023).percent, tvl_yearly_change(2023).status) == (
        Decimal("2.8"),
        Status.INFERRED,
    )
    no_rise = tvl_yearly_change(2024)
    assert no_rise.percent == Decimal(0) and "No table increase" in (no_rise.note or "")
    assert (tvl_yearly_change(2025).percent, tvl_yearly_change(2025).status) == (
        Decimal("4.76"),
        Status.INFERRED,
    )
    with pytest.raises(MissingInputError) as info:
        tvl_yearly_change(2026)
    assert info.value.name == "tvl_changes" and info.value.year == 2026


def test_base_year_and_before() -> None:
    m = tintg_minimum(2022)
    assert m.amount == Euro(130_000_000) and m.years == () and m.caveats == ()
    assert m.basis is Status.CONFIRMED
    with pytest.raises(MissingValueError):
        tintg_minimum(2021)


def test_missing_cpi_is_a_clear_error() -> None:
    with pytest.raises(MissingInputError) as info:
        tintg_minimum(2023)
    assert info.value.name == "cpi_changes" and info.value.year == 2023
    assert "COICOP 04" in str(info.value) and "cpi_changes={2023:" in str(info.value)
    with pytest.raises(MissingInputError, match="for 2024"):
        tintg_minimum(2024, cpi_changes={2023: "1"})


def test_compounding_from_the_previous_year() -> None:
    cpi = {2023: Decimal("5"), 2024: Decimal("2")}  # hypothetical
    m = tintg_minimum(2024, cpi_changes=cpi)
    y23 = Euro(130_000_000) * Fraction(
        1 + (Decimal("0.8") * Decimal("2.8") + Decimal("0.2") * 5) / 100
    )
    assert y23 == Euro("134212000.00")  # 130 Mio € × 1.03240
    y24 = y23 * Fraction(1 + (Decimal("0.8") * 0 + Decimal("0.2") * 2) / 100)
    assert m.amount == y24 == Euro("134748848.00")
    assert [y.year for y in m.years] == [2023, 2024]
    assert m.years[0].factor == Decimal("1.0324")
    assert m.basis is Status.SUPPLIED  # the CPI figures are the caller's
    assert "Fortschreibung" in m.caveats[0].de
    e = m.explain()
    assert e.verify() and e.result_value == m.amount.amount
    assert e.result == "amount-2024"


def test_own_tvl_changes_and_weights() -> None:
    change = IndexChange(year=2023, percent="3", status=Status.CONFIRMED, note="my notice")
    params = (
        embedded_parameters()
        .with_value("tintg_indexation_weight_pay", date(2023, 1, 1), None, "1")
        .with_value("tintg_indexation_weight_prices", date(2023, 1, 1), None, "0")
    )
    m = tintg_minimum(2023, cpi_changes={2023: 0}, tvl_changes={2023: change}, parameters=params)
    assert m.amount == Euro(133_900_000)
    with pytest.raises(InputError, match="IndexChange for 2023"):
        tintg_minimum(2024, cpi_changes={2023: 0, 2024: 0}, tvl_changes={2024: change})
