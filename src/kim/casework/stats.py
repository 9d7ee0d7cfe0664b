"""Reporting statistics of a caseload, with small-cell suppression.

[`case_statistics()`][kim.casework.stats.case_statistics] counts, for one calendar year, the
caseload per case manager, the flow of episodes (open at the start, opened, not admitted, closed,
open at the end), closure reasons, durations of closed episodes, life areas of the goals agreed,
changes of legal system per quarter, and reports of gaps in the support system per life area.
Cells count **clients** (cases), not events.

**Suppression, so that no person can be singled out.**

* *Primary:* a count from 1 to ``threshold - 1`` (default 5, so 1 to 4) is suppressed.
  Zero is shown: it describes nobody.
* *Secondary:* a total minus the cells shown must not reveal a suppressed cell. In every
  table, while exactly one cell is suppressed, or the suppressed cells add up to less
  than the threshold, the smallest other non-zero cell is suppressed too; if no cell is
  left, the total is suppressed. In the flow table, where the open episodes at the end
  equal those at the start plus opened minus not admitted minus closed, a single
  suppressed cell would follow from the others, so a second one is suppressed.
* *Linked figures:* figures that appear in two tables (closed episodes: the closure
  total, the duration total and the flow's ``closed`` cell; open episodes at the end:
  the caseload total and the flow's ``open_at_end`` cell) are suppressed everywhere as
  soon as they are suppressed anywhere.

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
from kim.casework.model import Case, ClosureReason, Episode, Lebenslage
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


def suppress(
    counts: Mapping[str, int],
    threshold: int = DEFAULT_THRESHOLD,
    *,
    total: int | None = None,
    force: Iterable[str] = (),
    force_total: bool = False,
) -> tuple[dict[str, int | None], int | None]:
    """Suppress small cells of an additive table, and enough others to protect them.

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
    hidden = {k for k, c in counts.items() if 0 < c < threshold} | set(force)
    total_hidden = force_total or 0 < total < threshold
    while hidden and not total_hidden:
        hidden_sum = sum(counts[k] for k in hidden)
        if len(hidden) > 1 and hidden_sum >= threshold:
            break
        candidates = sorted((c, k) for k, c in counts.items() if k not in hidden and c > 0)
        if not candidates:
            total_hidden = True
            break
        hidden.add(candidates[0][1])
    cells = {k: (None if k in hidden else c) for k, c in counts.items()}
    return cells, (None if total_hidden else total)


def _suppress_relation(
    counts: Mapping[str, int], threshold: int, force: Iterable[str]
) -> dict[str, int | None]:
    """Suppress cells tied by one linear relation: never exactly one suppressed."""
    hidden = {k for k, c in counts.items() if 0 < c < threshold} | set(force)
    if len(hidden) == 1:
        candidates = sorted((c, k) for k, c in counts.items() if k not in hidden and c > 0)
        if candidates:
            hidden.add(candidates[0][1])
        else:
            hidden |= {k for k, c in counts.items() if c > 0}
    return {k: (None if k in hidden else c) for k, c in counts.items()}


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

    forced: set[str] = set()
    while True:
        closed_hidden = "closed" in forced
        open_hidden = "open_at_end" in forced
        t_caseload = _table(
            "caseload", "Open cases per case manager on 31 December",
            dict(sorted(caseload.items())), threshold,
            force_total=open_hidden, total_label="open_at_end",
        )  # fmt: skip
        t_reasons = _table(
            "closure_reasons", "Episodes closed, by closure reason", reasons, threshold,
            force_total=closed_hidden, total_label="closed",
        )  # fmt: skip
        t_durations = _table(
            "durations", "Episodes closed, by length from referral to closure", bands,
            threshold, force_total=closed_hidden, total_label="closed",
        )  # fmt: skip
        flow_cells = _suppress_relation(flow, threshold, forced)
        now = {
            name
            for name, hidden in (
                ("closed", t_reasons.total is None or t_durations.total is None),
                ("open_at_end", t_caseload.total is None),
            )
            if hidden
        } | {k for k in ("closed", "open_at_end") if flow_cells[k] is None}
        if now <= forced:
            break
        forced |= now
    t_flow = StatTable.model_construct(
        name="flow",
        title="Episodes: open on 1 January, opened, not admitted and closed in the year, "
        "open on 31 December",
        rows=tuple(
            StatRow.model_construct(label=k, count=v)
            for k, v in flow_cells.items()
            if k != "open_at_end"
        ),
        total=flow_cells["open_at_end"],
        total_label="open_at_end",
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
