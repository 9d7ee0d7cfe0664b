import pickle
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.errors import InputError, KimError
from kim.money import Euro, round_cents

cents = st.integers(min_value=-(10**12), max_value=10**12)
euros = cents.map(lambda c: Euro(Decimal(c) / 100))


def test_rounding_is_half_up_to_the_cent() -> None:
    assert Euro("0.005") == Euro("0.01")
    assert Euro("0.0049") == Euro("0.00")
    assert Euro("-0.005") == Euro("-0.01")
    assert Euro("2.345").amount == Decimal("2.35")
    assert round_cents(Decimal("1.115")) == Decimal("1.12")


def test_formatting_german_and_english() -> None:
    assert Euro("57000").format_de() == "57.000,00 €"
    assert Euro("57000").format_en() == "EUR 57,000.00"
    assert Euro("-1234567.5").format_de() == "-1.234.567,50 €"
    assert f"{Euro('22500'):de}" == "22.500,00 €"
    assert str(Euro("0.5")) == "EUR 0.50"
    assert repr(Euro(7)) == "Euro('7.00')"


def test_floats_convert_from_their_decimal_text() -> None:
    assert Euro(0.1) == Euro("0.10")
    assert Euro(57000.0) == Euro("57000")
    assert Euro(0.1) + Euro(0.2) == Euro("0.30")
    assert Euro(2.675) == Euro("2.68")  # binary 2.67499999... would round down


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, None, "12,50", [1]])
def test_bad_input_is_refused_with_kim_error(bad: object) -> None:
    with pytest.raises(InputError) as info:
        Euro(bad)
    assert isinstance(info.value, KimError)
    assert "euro amount" in str(info.value)


def test_multiplication_rounds_once_after_the_exact_product() -> None:
    # 57,000 x 0.5 FTE x 7/12 = 16,625.00 exactly; 1/3 of a cent-level amount rounds once.
    assert Euro("57000") * Decimal("0.5") * Fraction(7, 12) == Euro("16625.00")
    assert Euro("100") * Fraction(1, 3) == Euro("33.33")
    assert Euro("0.05") * Decimal("0.5") == Euro("0.03")
    with pytest.raises(InputError):
        Euro("1") * 0.5  # type: ignore[operator]


def test_division_and_ratio() -> None:
    assert Euro("1026000") / 18 == Euro("57000")
    assert Euro("50000").ratio(Euro("200000")) == Decimal("0.25")
    with pytest.raises(InputError):
        Euro("1") / 0


def test_sum_works_with_and_without_start() -> None:
    parts = [Euro("0.10")] * 10
    assert sum(parts) == Euro("1.00")
    assert sum(parts, Euro(0)) == Euro("1.00")


def test_euro_is_immutable_and_hashable() -> None:
    e = Euro("1")
    with pytest.raises(AttributeError):
        e._amount = Decimal("2")
    assert {Euro("1.00"), Euro(1)} == {Euro("1")}


def test_euro_pickles_by_value() -> None:
    # Sweeps send results back from process pools and Dask workers as pickles.
    for e in (Euro("57000"), Euro("-0.01"), Euro(0)):
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            back = pickle.loads(pickle.dumps(e, protocol=protocol))
            assert back == e and repr(back) == repr(e)


@given(st.lists(euros, max_size=50))
def test_sums_are_exact(values: list[Euro]) -> None:
    assert sum(values, Euro(0)).cents == sum(v.cents for v in values)


@given(euros, euros)
def test_subtraction_undoes_addition(a: Euro, b: Euro) -> None:
    assert (a + b) - b == a
    assert a - a == Euro(0)
    assert a.__neg__().__neg__() == a


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9))
def test_construction_is_within_half_a_cent(value: Decimal) -> None:
    assert abs(Euro(value).amount - value) <= Decimal("0.005")


@given(euros, st.integers(min_value=0, max_value=1000))
def test_integer_multiplication_is_exact(a: Euro, n: int) -> None:
    assert (a * n).cents == a.cents * n
