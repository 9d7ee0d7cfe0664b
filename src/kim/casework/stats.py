"""Reporting statistics of a caseload, with small-cell suppression.

[`case_statistics()`][kim.casework.stats.case_statistics] counts, for one calendar year, the
caseload per case manager, the flow of episodes (open at the start, opened, not admitted, closed,
open at the end), closure reasons, durations of closed episodes, life areas of the goals agreed,
changes of legal system per quarter, and reports of gaps in the support system per life area.
Cells count **clients** (cases), not events.

**Suppression, so that no person can be singled out.** The rules are those of
[`kim.casework.suppression`][kim.casework.suppression] (threshold default 5):

* *Primary:* a count from 1 to ``threshold - 1`` is suppressed. Zero is shown: it
  describes nobody.
* *Complementary:* every additive relation with a suppressed cell has at least two, and
  its suppressed cells add up to at least the threshold; the smallest other non-zero
  cell is suppressed until that holds. A table's cells add up to its total; in the flow
  table ``open_at_end = open_at_start + opened - not_admitted - closed``.
* *Linked figures:* the caseload adds up to the open episodes at the end, the closure
  reasons and the durations each add up to the closed episodes, and both are flow
  cells. These four relations are protected as **one** system: a figure suppressed in
  one table is suppressed in all, and no suppressed cell is pinned, i.e. computable
  exactly from the published cells through any combination of the relations (checked
  exactly, not by a rule of thumb).
* Life areas, changes of legal system and gap reports count a client once per row, so
  their rows need not add up to the total; they are protected as if they did.

A suppressed cell is ``None`` in the models and JSON, and ``.`` in text (the German
statistical offices' sign for "secret").

Examples:
    >>> counts, total = suppress({"a": 12, "b": 3, "c": 7}, threshold=5)
    >>> counts, total
    ({'a': 12, 'b': None, 'c': None}, 22)

"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from statistics import median
from typing import Any

from dateutil.relativedelta import relativedelta
from pydantic import Field

from kim._model import KimModel
from kim.casework.model import Case
from kim.casework.records import Episode
from kim.casework.suppression import Relation, protect
from kim.casework.vocabulary import ClosureReason, Lebenslage
from kim.errors import InputError

__all__ = [
    "DEFAULT_THRESHOLD",
    "SUPPRESSED",
    "CaseStatistics",
    "StatRow",
    "StatTable",
    "case_statistics",
    "suppress",
]

DEFAULT_THRESHOLD = 5
"""Counts below this (and above zero) are suppressed unless the caller asks otherwise."""

SUPPRESSED = "."
"""How a suppressed cell is shown in text output."""

_DURATION_BANDS = (
    ("under_3_months", 3),
    ("3_to_6_months", 6),
    ("6_to_12_months", 12),
    ("12_to_24_months", 24),
    ("24_months_or_more", None),
)


class StatRow(KimModel):
    """One row of a table: a label and a count (``None`` if suppressed)."""

    label: str = Field(description="What is counted, e.g. a closure reason.")
    count: int | None = Field(description="The count, or None if suppressed.")

    def text(self) -> str:
        """The count as text, ``.`` if suppressed."""
        return SUPPRESSED if self.count is None else str(self.count)


class StatTable(KimModel):
    """A table of counts with its total, after suppression."""

    name: str = Field(description="A short machine name, e.g. 'closure_reasons'.")
    title: str = Field(description="A title for people.")
    rows: tuple[StatRow, ...] = Field(description="The rows, in a fixed order.")
    total: int | None = Field(description="The total, or None if suppressed.")
    total_label: str = Field(default="total", description="What the total counts.")

    def count(self, label: str) -> int | None:
        """The count of the row ``label`` (``None`` if suppressed)."""
        for row in self.rows:
            if row.label == label:
                return row.count
        raise InputError(f"Table {self.name!r} has no row {label!r}.")

    @property
    def suppressed(self) -> tuple[str, ...]:
        """Labels of the suppressed rows."""
        return tuple(r.label for r in self.rows if r.count is None)


class CaseStatistics(KimModel):
    """The statistics of one year, every table after suppression."""

    year: int = Field(description="The calendar year.")
    threshold: int = Field(description="The suppression threshold used.")
    cases: int | None = Field(description="Cases with an episode open in the year.")
    tables: tuple[StatTable, ...] = Field(description="The tables, in a fixed order.")
    median_days_closed: int | None = Field(
        description="Median length in days of the episodes closed (None if suppressed)."
    )

    def table(self, name: str) -> StatTable:
        """The table called ``name``."""
        for table in self.tables:
            if table.name == name:
                return table
        raise InputError(
            f"No table {name!r}; the tables are {', '.join(t.name for t in self.tables)}."
        )

    def rows(self) -> list[dict[str, Any]]:
        """All cells as flat rows (table, label, count, suppressed) for output."""
        out: list[dict[str, Any]] = []
        for table in self.tables:
            for row in table.rows:
                out.append(
                    {"table": table.name, "label": row.label, "count": row.count,
                     "suppressed": row.count is None}
                )  # fmt: skip
            out.append(
                {"table": table.name, "label": table.total_label, "count": table.total,
                 "suppressed": table.total is None}
            )  # fmt: skip
        return out


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise InputError(
            f"The suppression threshold must be a whole number >= 1, got {threshold!r}."
        )


def _table_relation(name: str, cells: Iterable[str], total: str) -> Relation:
    return Relation(name=name, terms=(*((c, 1) for c in cells), (total, -1)))


def suppress(
    counts: Mapping[str, int],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    total: int | None = None,
    force: Iterable[str] = (),
    force_total: bool = False,
) -> tuple[dict[str, int | None], int | None]:
    """Suppress small cells of one table, and enough others to protect them.

    The table's cells and total form one relation (cells add up to the total); see
    [`protect()`][kim.casework.suppression.protect] for the rules. A table whose total is
    not the sum of its cells (a client counted in several rows) is protected as if it
    were: that hides at least as much.

    Args:
        counts: the cells (label -> count >= 0).
        threshold: counts from 1 to ``threshold - 1`` are suppressed.
        total: the table's total (default: the sum of the cells).
        force: labels to suppress whatever their count (linked figures).
        force_total: suppress the total whatever its value.

    Returns:
        The cells with suppressed ones as ``None``, and the total (``None`` if suppressed).

    """
    _check_threshold(threshold)
    if any(c < 0 for c in counts.values()):
        raise InputError("Counts must not be negative.")
    total = sum(counts.values()) if total is None else total
    names = {f"cell:{k}": c for k, c in counts.items()} | {"total": total}
    forced = [f"cell:{k}" for k in force] + (["total"] if force_total else [])
    relation = _table_relation("table", (f"cell:{k}" for k in counts), "total")
    hidden = protect(names, [relation], threshold, force=forced)
    cells = {k: (None if f"cell:{k}" in hidden else c) for k, c in counts.items()}
    return cells, (None if "total" in hidden else total)


def _open_on(episode: Episode, day: date) -> bool:
    return episode.opened_on <= day and (episode.ended_on is None or episode.ended_on > day)


def _band(episode: Episode) -> str:
    assert episode.ended_on is not None
    span = relativedelta(episode.ended_on, episode.opened_on)
    months = span.years * 12 + span.months
    for label, limit in _DURATION_BANDS:
        if limit is None or months < limit:
            return label
    raise AssertionError("unreachable")  # pragma: no cover


def _table(
    name: str,
    title: str,
    counts: Mapping[str, int],
    threshold: int,
    *,
    total: int | None = None,
    force_total: bool = False,
    total_label: str = "total",
) -> StatTable:
    cells, shown_total = suppress(counts, threshold, total=total, force_total=force_total)
    return StatTable.model_construct(
        name=name,
        title=title,
        rows=tuple(StatRow.model_construct(label=k, count=v) for k, v in cells.items()),
        total=shown_total,
        total_label=total_label,
    )


_FLOW = Relation(
    name="flow",
    terms=(("open_at_start", 1), ("opened", 1), ("not_admitted", -1), ("closed", -1),
           ("open_at_end", -1)),
)  # fmt: skip


def _linked_tables(
    caseload: Mapping[str, int],
    flow: Mapping[str, int],
    reasons: Mapping[str, int],
    bands: Mapping[str, int],
    threshold: int,
) -> tuple[StatTable, StatTable, StatTable, StatTable]:
    """The caseload, flow, closure and duration tables, protected as one system.

    The caseload adds up to the open episodes at the end, closure reasons and durations
    each add up to the closed episodes, and the flow ties both to the episodes open at
    the start, opened and not admitted: one system of four relations sharing two cells.
    """
    parts = {"caseload": caseload, "closure_reasons": reasons, "durations": bands}
    totals = {"caseload": "open_at_end", "closure_reasons": "closed", "durations": "closed"}
    values = dict(flow)
    relations = [_FLOW]
    for name, cells in parts.items():
        values |= {f"{name}:{k}": v for k, v in cells.items()}
        relations.append(_table_relation(name, (f"{name}:{k}" for k in cells), totals[name]))
    hidden = protect(values, relations, threshold)

    def shown(cell: str) -> int | None:
        return None if cell in hidden else values[cell]

    def table(name: str, title: str) -> StatTable:
        return StatTable.model_construct(
            name=name,
            title=title,
            rows=tuple(
                StatRow.model_construct(label=k, count=shown(f"{name}:{k}")) for k in parts[name]
            ),
            total=shown(totals[name]),
            total_label=totals[name],
        )

    t_flow = StatTable.model_construct(
        name="flow",
        title="Episodes: open on 1 January, opened, not admitted and closed in the year, "
        "open on 31 December",
        rows=tuple(
            StatRow.model_construct(label=k, count=shown(k)) for k in flow if k != "open_at_end"
        ),
        total=shown("open_at_end"),
        total_label="open_at_end",
    )
    return (
        table("caseload", "Open cases per case manager on 31 December"),
        t_flow,
        table("closure_reasons", "Episodes closed, by closure reason"),
        table("durations", "Episodes closed, by length from referral to closure"),
    )


def case_statistics(
    cases: Iterable[Case], year: int, threshold: int = DEFAULT_THRESHOLD
) -> CaseStatistics:
    """The reporting tables of ``year`` for a caseload, with small cells suppressed.

    Episodes count from referral (or reopening) to their end; an episode is open on a
    day if it began on or before that day and has not ended by it. Caseload and open
    counts are taken on 31 December.
    """
    _check_threshold(threshold)
    if not 1900 <= year <= 2200:
        raise InputError(f"year {year} is out of range 1900..2200")
    start, end = date(year, 1, 1), date(year, 12, 31)
    before = start - timedelta(days=1)
    flow = {"open_at_start": 0, "opened": 0, "not_admitted": 0, "closed": 0, "open_at_end": 0}
    caseload: Counter[str] = Counter()
    reasons = dict.fromkeys((r.value for r in ClosureReason), 0)
    bands = dict.fromkeys((label for label, _ in _DURATION_BANDS), 0)
    areas = dict.fromkeys((a.value for a in Lebenslage), 0)
    gaps = dict.fromkeys((a.value for a in Lebenslage), 0)
    quarters = {"Q1": 0, "Q2": 0, "Q3": 0, "Q4": 0}
    durations: list[int] = []
    active = with_goals = with_gaps = with_changes = 0
    for case in cases:
        touched = False
        for ep in case.episodes:
            if ep.opened_on > end or (ep.ended_on is not None and ep.ended_on < start):
                continue
            touched = True
            if _open_on(ep, before):
                flow["open_at_start"] += 1
            if ep.opened_on >= start:
                flow["opened"] += 1
            if ep.ended_on is not None and ep.ended_on <= end:
                if ep.closure_reason is not None:
                    flow["closed"] += 1
                    reasons[ep.closure_reason.value] += 1
                    bands[_band(ep)] += 1
                    durations.append((ep.ended_on - ep.opened_on).days)
                else:
                    flow["not_admitted"] += 1
            if _open_on(ep, end):
                flow["open_at_end"] += 1
                caseload[case.case_manager_on(end) or "unassigned"] += 1
        active += touched
        goal_areas = {g.lebenslage.value for g in case.goals if start <= g.agreed_on <= end}
        for area in goal_areas:
            areas[area] += 1
        with_goals += bool(goal_areas)
        gap_areas = {r.lebenslage.value for r in case.gap_reports if start <= r.on <= end}
        for area in gap_areas:
            gaps[area] += 1
        with_gaps += bool(gap_areas)
        changed = {f"Q{(c.on.month - 1) // 3 + 1}" for c in case.rechtskreis_changes
                   if start <= c.on <= end}  # fmt: skip
        for quarter in changed:
            quarters[quarter] += 1
        with_changes += bool(changed)

    t_caseload, t_flow, t_reasons, t_durations = _linked_tables(
        dict(sorted(caseload.items())), flow, reasons, bands, threshold
    )
    t_areas = _table(
        "life_areas", "Clients with goals agreed in the year, by life area", areas, threshold,
        total=with_goals, total_label="clients_with_goals",
    )  # fmt: skip
    t_changes = _table(
        "rechtskreis_changes", "Clients whose legal system changed, by quarter", quarters,
        threshold, total=with_changes, total_label="clients_with_changes",
    )  # fmt: skip
    t_gaps = _table(
        "gap_reports", "Clients in whose case a gap in the support system was reported, "
        "by life area", gaps, threshold, total=with_gaps, total_label="clients_with_reports",
    )  # fmt: skip
    closed_total = t_reasons.total
    median_days = (
        round(median(durations)) if closed_total is not None and len(durations) >= threshold
        else None
    )  # fmt: skip
    return CaseStatistics.model_construct(
        year=year,
        threshold=threshold,
        cases=active if active == 0 or active >= threshold else None,
        tables=(t_caseload, t_flow, t_reasons, t_durations, t_areas, t_changes, t_gaps),
        median_days_closed=median_days,
    )
