"""Benchmarks of the case-management workflow, run on purpose (never as unit tests).

* replay of parsed events with ``replay_log`` (target: at least 100,000 events/s);
* parsing and validating a JSONL log with ``read_jsonl`` (target: at least 50,000 events/s);
* ``case_statistics`` over 100,000 cases (target: under 2 s).

The logs are synthetic: every case runs through referral, intake and admission, most
through assessment, planning, referrals and monitoring; some change legal system, lose
contact, are closed or reopened. Usage: ``python benchmarks/casework.py [--cases N]``;
prints a Markdown table (best of ``--repeat`` runs).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from kim.casework import (
    Admitted,
    AssessmentCompleted,
    CaseClosed,
    ConsentGiven,
    ContactLost,
    ContactResumed,
    EvaluationStarted,
    Event,
    GoalSpec,
    GoalStatusChanged,
    IntakeStarted,
    NotAdmitted,
    PlanAgreed,
    RechtskreisChanged,
    ReferralMade,
    Referred,
    Reopened,
    ServiceStarted,
    StructuralGapReported,
    case_statistics,
    dump_jsonl,
    read_jsonl,
    replay_log,
)
from kim.casework.model import (
    Authority,
    ClosureReason,
    GoalStatus,
    Lebenslage,
    NotAdmittedReason,
    Purpose,
    Rechtskreis,
)

AREAS = list(Lebenslage)
REASONS = list(ClosureReason)


def case_events(rng: random.Random, number: int) -> list[Event]:
    """The events of one synthetic case, in date order."""
    cid = f"K-{number:06d}"
    day = date(2022, 1, 1) + timedelta(days=rng.randrange(3 * 365))
    out: list[Event] = []

    def step(cls: Callable[..., Event], **fields: Any) -> None:
        nonlocal day
        day += timedelta(days=rng.randrange(0, 21))
        out.append(cls(client_id=cid, on=day, **fields))

    step(
        Referred,
        unit="Kreis Coesfeld",
        case_manager=f"cm-{rng.randrange(40):02d}",
        rechtskreis=Rechtskreis.ASYLBLG,
    )
    step(IntakeStarted)
    if rng.random() < 0.1:
        step(NotAdmitted, reason=NotAdmittedReason.SUFFICIENT_ACCESS)
        return out
    step(
        ConsentGiven,
        consent_id="c1",
        purpose=Purpose.REFERRAL,
        recipients=frozenset({Authority.JOBCENTER, Authority.AUSLAENDERBEHOERDE}),
    )
    step(Admitted, criteria_met=("nr1",))
    step(AssessmentCompleted, needs=frozenset(rng.sample(AREAS, 2)))
    goals = tuple(GoalSpec(id=f"g{i}", lebenslage=rng.choice(AREAS)) for i in range(2))
    step(PlanAgreed, goals=goals)
    step(ReferralMade, referral_id="r1", recipient=Authority.AUSLAENDERBEHOERDE, goal_id="g0")
    step(ServiceStarted, referral_id="r1")
    if rng.random() < 0.3:
        step(RechtskreisChanged, new=Rechtskreis.SGB_II)
        step(StructuralGapReported, lebenslage=rng.choice(AREAS))
        step(AssessmentCompleted, needs=frozenset(rng.sample(AREAS, 1)))
        step(PlanAgreed, goals=(GoalSpec(id="g9", lebenslage=rng.choice(AREAS)),))
        step(ReferralMade, referral_id="r2", recipient=Authority.JOBCENTER)
    if rng.random() < 0.2:
        step(ContactLost)
        if rng.random() < 0.5:
            return out
        step(ContactResumed)
        step(AssessmentCompleted, needs=frozenset(rng.sample(AREAS, 1)))
        step(PlanAgreed, goals=(GoalSpec(id="g5", lebenslage=rng.choice(AREAS)),))
        step(ReferralMade, referral_id="r5", recipient=Authority.JOBCENTER)
    step(GoalStatusChanged, goal_id="g0", status=GoalStatus.ACHIEVED)
    if rng.random() < 0.6:
        step(EvaluationStarted)
        step(CaseClosed, reason=rng.choice(REASONS))
        if rng.random() < 0.1:
            step(Reopened)
    return out


def synthetic_log(cases: int, seed: int = 1) -> list[Event]:
    """A log of ``cases`` synthetic cases, events of all cases merged in date order."""
    rng = random.Random(seed)
    events = [e for n in range(cases) for e in case_events(rng, n)]
    events.sort(key=lambda e: e.on)
    return events


def best(func: Callable[[], object], repeat: int) -> float:
    """The best wall time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000, help="cases for the statistics")
    parser.add_argument("--log-cases", type=int, default=20_000, help="cases in the timed log")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    events = synthetic_log(args.log_cases)
    text = dump_jsonl(events)
    result = replay_log(events)
    assert not result.refused, result.refused[:3]
    n = len(events)

    t_replay = best(lambda: replay_log(events), args.repeat)
    t_parse = best(lambda: read_jsonl(text), args.repeat)

    big = replay_log(synthetic_log(args.cases, seed=2)).cases
    assert len(big) == args.cases
    t_stats = best(lambda: case_statistics(big.values(), 2023), args.repeat)

    rows = [
        (f"replay of parsed events ({n:,} events)", f"{n / t_replay:,.0f} events/s",
         "target >= 100,000 events/s"),
        (f"parse + validate JSONL ({n:,} lines)", f"{n / t_parse:,.0f} events/s",
         "target >= 50,000 events/s"),
        (f"statistics over {len(big):,} cases", f"{t_stats:.2f} s", "target < 2 s"),
    ]  # fmt: skip
    print("| benchmark | value | note |\n|---|---|---|")
    for name, value, note in rows:
        print(f"| {name} | {value} | {note} |")


if __name__ == "__main__":
    main()
