"""Complementary suppression: an attacker who knows every relation recovers no hidden cell.

The attacker here is written independently of the library: it rebuilds the relations
from the published tables (cells add up to totals; the flow identity; closed and open
episodes shared between tables) and asks, with a rank test, whether the published
cells and the relations determine a hidden cell. A hidden cell is *pinned* when the
unit vector of that cell lies in the row space of the relations restricted to the
hidden cells.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kim.casework import Case, CaseStatistics, Phase, Reopened, apply, case_statistics
from kim.casework.suppression import Relation, pinned, protect
from kim.errors import InputError

from .builders import case_in

LINKED = ("caseload", "flow", "closure_reasons", "durations")


def system(stats: CaseStatistics) -> tuple[dict[str, int | None], list[dict[str, int]]]:
    """The published cells of the linked tables and the relations between them."""
    cells: dict[str, int | None] = {}
    relations: list[dict[str, int]] = []
    for name in ("caseload", "closure_reasons", "durations"):
        table = stats.table(name)
        relation = {f"{name}:{row.label}": 1 for row in table.rows}
        cells |= {f"{name}:{row.label}": row.count for row in table.rows}
        relation[table.total_label] = -1
        cells[table.total_label] = table.total
        relations.append(relation)
    flow = stats.table("flow")
    cells |= {row.label: row.count for row in flow.rows} | {"open_at_end": flow.total}
    relations.append(
        {"open_at_start": 1, "opened": 1, "not_admitted": -1, "closed": -1, "open_at_end": -1}
    )
    return cells, relations


def recoverable(hidden: list[str], relations: list[dict[str, int]]) -> list[str]:
    """The hidden cells an attacker determines exactly (rank test, numpy)."""
    if not hidden:
        return []
    matrix = np.array([[r.get(h, 0) for h in hidden] for r in relations], dtype=float)
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for i, cell in enumerate(hidden):
        unit = np.zeros((1, len(hidden)))
        unit[0, i] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found


def attack(stats: CaseStatistics, truth: CaseStatistics, threshold: int) -> None:
    """Fail if a hidden cell is recoverable or a relation's hidden cells sum below the threshold."""
    cells, relations = system(stats)
    exact, _ = system(truth)
    hidden = sorted(c for c, v in cells.items() if v is None)
    assert recoverable(hidden, relations) == []
    for relation in relations:
        inside = [c for c in relation if cells[c] is None]
        positive = [c for c in relation if (exact[c] or 0) > 0]
        if inside and set(positive) - set(inside):
            assert len(inside) >= 2
            assert sum(exact[c] or 0 for c in inside) >= threshold
    for cell, value in cells.items():
        assert value is None or value == 0 or value >= threshold
        assert value in (exact[cell], None)


@st.composite
def caseloads(draw: st.DrawFn) -> list[Case]:
    n = draw(st.integers(0, 45))
    phases = draw(st.lists(st.sampled_from(list(Phase)), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 720), min_size=n, max_size=n))
    cases = []
    for i, (phase, day) in enumerate(zip(phases, days, strict=True)):
        case = case_in(phase, f"K-{i:05d}", date(2023, 1, 2) + timedelta(days=day))
        if not case.is_open and day % 3 == 0:
            again = Reopened(client_id=case.client_id, on=case.last_event_on + timedelta(days=9))
            case = apply(case, again)
        cases.append(case)
    return cases


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(cases=caseloads(), threshold=st.integers(2, 11), year=st.sampled_from([2023, 2024]))
def test_no_hidden_cell_of_the_statistics_is_recoverable(
    cases: list[Case], threshold: int, year: int
) -> None:
    stats = case_statistics(cases, year, threshold)
    truth = case_statistics(cases, year, 1)
    attack(stats, truth, threshold)


@st.composite
def flows(draw: st.DrawFn) -> tuple[dict[str, int], list[Relation]]:
    """Consistent counts of the linked system, drawn directly (small numbers on purpose)."""
    small = st.integers(0, 12)
    start, opened, not_admitted = draw(small), draw(small), draw(small)
    not_admitted = min(not_admitted, start + opened)
    closed = draw(st.integers(0, start + opened - not_admitted))
    end = start + opened - not_admitted - closed
    values = {"open_at_start": start, "opened": opened, "not_admitted": not_admitted,
              "closed": closed, "open_at_end": end}  # fmt: skip
    relations = [
        Relation(name="flow", terms=(("open_at_start", 1), ("opened", 1), ("not_admitted", -1),
                                     ("closed", -1), ("open_at_end", -1)))
    ]  # fmt: skip
    for name, total, rows in (("cm", end, 4), ("reason", closed, 5), ("band", closed, 3)):
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=rows - 1, max_size=rows - 1)))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
        names = [f"{name}{i}" for i in range(rows)]
        values |= dict(zip(names, parts, strict=True))
        total_name = "open_at_end" if name == "cm" else "closed"
        relations.append(Relation(name=name, terms=(*((c, 1) for c in names), (total_name, -1))))
    return values, relations


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(system_=flows(), threshold=st.integers(2, 8))
def test_protect_leaves_no_cell_pinned_in_the_linked_system(
    system_: tuple[dict[str, int], list[Relation]], threshold: int
) -> None:
    values, relations = system_
    hidden = protect(values, relations, threshold)
    as_dicts = [dict(r.terms) for r in relations]
    assert recoverable(sorted(hidden), as_dicts) == []
    assert all(values[c] > 0 for c in hidden)  # zero is never hidden
    for cell, value in values.items():
        assert cell in hidden or value == 0 or value >= threshold
    for relation in relations:
        inside = [c for c in relation.cells if c in hidden]
        if inside and any(values[c] > 0 and c not in hidden for c in relation.cells):
            assert len(inside) >= 2
            assert sum(values[c] for c in inside) >= threshold


def test_the_two_flow_cells_of_the_issue_are_not_recoverable() -> None:
    # One small flow cell alone would follow from the other four; two that add up to
    # less than the threshold need a third.
    flow = Relation(name="flow", terms=(("s", 1), ("o", 1), ("n", -1), ("c", -1), ("e", -1)))
    values = {"s": 40, "o": 3, "n": 0, "c": 20, "e": 23}
    assert protect(values, [flow], 5) == {"o", "c"}  # the smallest other non-zero cell
    values = {"s": 40, "o": 2, "n": 1, "c": 20, "e": 21}
    hidden = protect(values, [flow], 5)
    assert hidden == {"o", "n", "c"} and pinned([flow], hidden) == set()


def test_a_cell_pinned_by_two_relations_together_is_protected() -> None:
    # Each relation alone has two hidden cells adding up to 5, but together they give
    # a + b = 5 and a - b = 1, so a = 3 and b = 2: more cells must be hidden.
    first = Relation(name="sum", terms=(("a", 1), ("b", 1), ("t", -1)))
    second = Relation(name="difference", terms=(("a", 1), ("b", -1), ("u", 1), ("w", -1)))
    values = {"a": 3, "b": 2, "t": 5, "u": 5, "w": 6}
    assert pinned([first, second], {"a", "b"}) == {"a", "b"}
    hidden = protect(values, [first, second], 5)
    assert hidden == {"a", "b", "t"}
    assert pinned([first, second], hidden) == set()
    assert recoverable(sorted(hidden), [dict(first.terms), dict(second.terms)]) == []


def test_protect_refuses_bad_input() -> None:
    relation = Relation(name="t", terms=(("a", 1), ("x", -1)))
    with pytest.raises(InputError, match="negative"):
        protect({"a": -1, "x": -1}, [relation], 5)
    with pytest.raises(InputError, match="names a cell without a count"):
        protect({"a": 1}, [relation], 5)
