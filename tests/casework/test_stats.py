"""Statistics with small-cell suppression: no count of 1 to 4 is shown or can be derived."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.casework import (
    DEFAULT_THRESHOLD,
    Case,
    CaseStatistics,
    Episode,
    Phase,
    Reopened,
    StructuralGapReported,
    apply,
    case_statistics,
    suppress,
)
from kim.errors import InputError

from .builders import NOTE, case_in

PHASES = list(Phase)


def caseload(n: int, seed_days: int = 11) -> list[Case]:
    """``n`` cases in every phase, started on days spread over 2023 and 2024."""
    cases = []
    for i in range(n):
        start = date(2023, 1, 2) + timedelta(days=(i * seed_days) % 700)
        case = case_in(PHASES[i % len(PHASES)], f"K-{i:05d}", start)
        if i % 5 == 0:
            gap = StructuralGapReported(
                client_id=case.client_id, on=case.last_event_on, lebenslage="wohnen", note=NOTE
            )
            case = apply(case, gap)
        if i % 7 == 0 and not case.is_open:
            case = apply(
                case, Reopened(client_id=case.client_id, on=case.last_event_on + timedelta(days=30))
            )
        cases.append(case)
    return cases


def test_the_default_threshold_is_five() -> None:
    assert DEFAULT_THRESHOLD == 5


def test_primary_suppression_hides_one_to_four_and_shows_zero() -> None:
    cells, total = suppress({"a": 0, "b": 4, "c": 5, "d": 9, "e": 6}, 5)
    assert cells["a"] == 0 and cells["b"] is None and cells["c"] is None
    assert total == 24


def test_secondary_suppression_protects_a_single_hidden_cell() -> None:
    cells, total = suppress({"a": 20, "b": 1, "c": 7}, 5)
    assert cells == {"a": 20, "b": None, "c": None} and total == 28  # 28 - 20 = 8 = b + c


def test_two_hidden_cells_that_add_up_below_the_threshold_need_a_third() -> None:
    cells, total = suppress({"a": 1, "b": 2, "c": 30, "d": 8}, 5)
    assert cells == {"a": None, "b": None, "c": 30, "d": None} and total == 41


def test_the_total_is_suppressed_when_nothing_else_can_protect() -> None:
    assert suppress({"a": 3, "b": 0}, 5) == ({"a": None, "b": 0}, None)
    assert suppress({"a": 12, "b": 3}, 5) == ({"a": None, "b": None}, 15)
    assert suppress({"a": 3}, 5) == ({"a": None}, None)


def test_forced_cells_and_totals() -> None:
    cells, total = suppress({"a": 10, "b": 12, "c": 8}, 5, force=["a"])
    assert cells == {"a": None, "b": 12, "c": None} and total == 30
    # A lone cell equals its total: publishing it would reveal the forced total.
    assert suppress({"a": 10}, 5, force_total=True) == ({"a": None}, None)


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="threshold"):
        suppress({"a": 1}, 0)
    with pytest.raises(InputError, match="negative"):
        suppress({"a": -1}, 5)
    with pytest.raises(InputError, match="threshold"):
        case_statistics([], 2024, threshold=0)
    with pytest.raises(InputError, match="out of range"):
        case_statistics([], 1800)


@given(
    st.dictionaries(st.sampled_from("abcdefgh"), st.integers(0, 30), min_size=1), st.integers(2, 10)
)
def test_no_suppressed_cell_can_be_derived_from_the_total(
    counts: dict[str, int], threshold: int
) -> None:
    cells, total = suppress(counts, threshold)
    shown = [v for v in cells.values() if v is not None]
    hidden = [k for k, v in cells.items() if v is None]
    assert all(v == 0 or v >= threshold for v in shown)
    assert all(cells[k] in (counts[k], None) for k in counts)
    if total is not None:
        assert total == sum(counts.values())
        if hidden:
            # The residual reveals only the sum of two or more cells, and that sum is large.
            assert len(hidden) >= 2
            assert total - sum(shown) >= threshold
    else:
        assert hidden or 0 < sum(counts.values()) < threshold


def brute_force(cases: list[Case], year: int) -> dict[str, int]:
    start, end = date(year, 1, 1), date(year, 12, 31)
    eps = [e for c in cases for e in c.episodes]

    def open_on(e: Episode, day: date) -> bool:
        return e.opened_on <= day and (e.ended_on is None or e.ended_on > day)

    def ended_in_year(e: Episode) -> bool:
        return e.ended_on is not None and start <= e.ended_on <= end

    return {
        "open_at_start": sum(open_on(e, start - timedelta(days=1)) for e in eps),
        "opened": sum(start <= e.opened_on <= end for e in eps),
        "not_admitted": sum(e.not_admitted_reason is not None and ended_in_year(e) for e in eps),
        "closed": sum(e.closure_reason is not None and ended_in_year(e) for e in eps),
        "open_at_end": sum(open_on(e, end) for e in eps),
    }


def test_without_suppression_the_counts_are_exact_and_consistent() -> None:
    cases = caseload(120)
    stats = case_statistics(cases, 2024, threshold=1)
    expected = brute_force(cases, 2024)
    flow = stats.table("flow")
    assert {r.label: r.count for r in flow.rows} | {"open_at_end": flow.total} == expected
    assert (
        expected["open_at_start"]
        + expected["opened"]
        - expected["not_admitted"]
        - expected["closed"]
        == expected["open_at_end"]
    )
    assert stats.table("caseload").total == expected["open_at_end"]
    assert stats.table("closure_reasons").total == expected["closed"]
    assert stats.table("durations").total == expected["closed"]
    assert sum(r.count or 0 for r in stats.table("closure_reasons").rows) == expected["closed"]
    assert stats.table("caseload").count("cm-01") == expected["open_at_end"]
    changes = stats.table("rechtskreis_changes")
    assert changes.total == sum(
        any(ch.on.year == 2024 for ch in c.rechtskreis_changes) for c in cases
    )
    goals = stats.table("life_areas")
    assert goals.count("sprache") == sum(
        any(g.lebenslage.value == "sprache" and g.agreed_on.year == 2024 for g in c.goals)
        for c in cases
    )
    assert stats.median_days_closed is not None and stats.cases is not None


@pytest.mark.parametrize("n", [3, 17, 40, 120])
@pytest.mark.parametrize("year", [2023, 2024])
def test_with_suppression_nothing_small_is_shown_or_derivable(n: int, year: int) -> None:
    cases = caseload(n)
    exact = case_statistics(cases, year, threshold=1)
    stats = case_statistics(cases, year)
    for table, full in zip(stats.tables, exact.tables, strict=True):
        shown = [r.count for r in table.rows if r.count is not None]
        assert all(c == 0 or c >= 5 for c in shown), table.name
        for row, truth in zip(table.rows, full.rows, strict=True):
            assert row.count in (truth.count, None)
        assert table.total in (full.total, None)
        if table.name != "flow" and table.total is not None and table.suppressed:
            assert len(table.suppressed) >= 2
            assert table.total - sum(shown) >= 5, table.name
    flow = stats.table("flow")
    flow_cells = [r.count for r in flow.rows] + [flow.total]
    assert sum(c is None for c in flow_cells) != 1  # the relation never reveals one cell
    closed = {stats.table("closure_reasons").total is None, stats.table("durations").total is None,
              flow.count("closed") is None}  # fmt: skip
    assert len(closed) == 1  # the closed count is hidden everywhere or nowhere
    assert len({stats.table("caseload").total is None, flow.total is None}) == 1
    if stats.median_days_closed is not None:
        assert stats.table("closure_reasons").total is not None


def test_small_caseloads_hide_the_number_of_cases_and_the_median() -> None:
    stats = case_statistics(caseload(3), 2024)
    assert stats.cases is None and stats.median_days_closed is None


def test_rows_for_output_and_table_lookup() -> None:
    stats = case_statistics(caseload(40), 2024)
    rows = stats.rows()
    assert {r["table"] for r in rows} == {t.name for t in stats.tables}
    assert all(r["suppressed"] is (r["count"] is None) for r in rows)
    with pytest.raises(InputError, match="No table 'x'"):
        stats.table("x")
    with pytest.raises(InputError, match="no row 'x'"):
        stats.table("flow").count("x")
    assert isinstance(stats, CaseStatistics)


def test_statistics_never_contain_notes() -> None:
    cases = caseload(40)
    assert any(r.note == NOTE for c in cases for r in c.gap_reports)
    stats = case_statistics(cases, 2024, threshold=1)
    assert stats.table("gap_reports").count("wohnen")
    assert "Mustermann" not in stats.model_dump_json() and NOTE not in repr(stats)
