"""Thousands of generated calls to the public API with wrong types and values.

Every argument here is wrong in type or range, so each call must raise a ``KimError``
(usually ``InputError``): no other exception, and no silent accept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kim
from kim.parameters import embedded_parameters

from .harness import api_problem

# Values of the wrong type for any argument (none is a str, a date or a number).
WRONG_TYPE = st.sampled_from(
    [None, {}, [], (), [1, 2], b"bytes", object(), float("nan"), 1j, set(), ...]
)
BAD_TEXT = st.one_of(st.text(max_size=30), st.just("x" * 10_000), st.just("\x1b[31m"))


def _names_a_place(text: str) -> bool:
    """Whether the registry resolves ``text``: with every NRW town listed, generated
    text can be a real name (hypothesis draws "ARNSBERG"), which is no bad input."""
    try:
        kim.embedded_territory().find(text)
    except kim.KimError:
        return False
    return True


NOT_A_PLACE = BAD_TEXT.filter(lambda text: not _names_a_place(text))
# Hypothesis also draws string constants it finds in the library ("workplace_setup"):
# a real parameter id is no bad input either.
PARAMETER_IDS = frozenset(embedded_parameters().keys())
NOT_A_PARAMETER = BAD_TEXT.filter(lambda text: text not in PARAMETER_IDS)
BAD_NUMBER = st.sampled_from(
    [
        "1e26",
        "1e400",
        "NaN",
        "inf",
        Decimal("1e30"),
        Decimal("-Infinity"),
        10**40,
        float("inf"),
        "",
        "1,5",
        "١",
        True,
    ]
)
BAD_DATE = st.sampled_from(["2023-01-01", 20230101, None, date.max, date.min, "9999-12-31"])

DAY = date(2023, 6, 1)


def _value(name: Any, on: Any) -> Any:
    return embedded_parameters().value(name, on)


def _with_value(value: Any) -> Any:
    return embedded_parameters().with_value("case_management_flat_rate", DAY, None, value)


CALLS: list[tuple[str, Callable[..., Any], st.SearchStrategy[tuple[Any, ...]]]] = [
    ("decide(entity)", lambda e: kim.decide(e, 2, DAY), st.tuples(WRONG_TYPE)),
    (
        "decide(component)",
        lambda c: kim.decide("Kreis Coesfeld", c, DAY),
        st.tuples(st.one_of(WRONG_TYPE, st.sampled_from(["0", "4", "", "x" * 10_000, "B9"]))),
    ),
    (
        "decide(on)",
        lambda o: kim.decide("Kreis Coesfeld", 2, o),
        st.tuples(st.one_of(WRONG_TYPE, BAD_DATE)),
    ),
    ("value(name)", lambda n: _value(n, DAY), st.tuples(st.one_of(WRONG_TYPE, NOT_A_PARAMETER))),
    (
        "value(on)",
        lambda o: _value("case_management_flat_rate", o),
        st.tuples(st.one_of(WRONG_TYPE, BAD_DATE)),
    ),
    ("with_value", _with_value, st.tuples(st.one_of(WRONG_TYPE, BAD_NUMBER, st.just("-1")))),
    ("grant(plan)", kim.grant, st.tuples(WRONG_TYPE)),
    ("Euro", kim.Euro, st.tuples(st.one_of(WRONG_TYPE, BAD_NUMBER))),
    (
        "apportion(total)",
        lambda t: kim.apportion(t, {"A": 1}),
        st.tuples(st.one_of(WRONG_TYPE, BAD_NUMBER)),
    ),
    ("apportion(weights)", lambda w: kim.apportion(1, w), st.tuples(WRONG_TYPE)),
    ("funding_year", kim.funding_year, st.tuples(st.one_of(WRONG_TYPE, BAD_TEXT))),
    (
        "find",
        lambda n: kim.embedded_territory().find(n),
        st.tuples(st.one_of(WRONG_TYPE, NOT_A_PLACE)),
    ),
    (
        "read_jsonl",
        lambda t: kim.read_jsonl(t),
        st.tuples(st.sampled_from([None, 5, b"{}", [1], "{", '{"v":1}'])),
    ),
    ("replay", kim.replay, st.tuples(st.sampled_from([None, 5, "x", [1], [None]]))),
    (
        "load_scenario",
        kim.load_scenario,
        st.tuples(st.sampled_from(["", "/dev/zero", "/", "/nonexistent"])),
    ),
]


@settings(
    max_examples=2100,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_generated_api_calls(data: st.DataObject) -> None:
    label, function, arguments = data.draw(st.sampled_from(CALLS))
    args = data.draw(arguments)
    problem = api_problem(lambda: function(*args), bad=True)
    assert problem == "", f"{label}{args!r:.80}: {problem}"
