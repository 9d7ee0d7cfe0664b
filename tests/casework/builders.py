"""Builders shared by the casework tests: cases in every phase, and a valid event of every type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from kim.casework import (
    Admitted,
    AssessmentCompleted,
    Authority,
    Case,
    CaseClosed,
    CaseManagerChanged,
    ClosureReason,
    ConsentGiven,
    ConsentWithdrawn,
    ContactLost,
    ContactResumed,
    Criterion,
    DataShared,
    EvaluationCompleted,
    EvaluationStarted,
    Event,
    GoalSpec,
    GoalStatus,
    GoalStatusChanged,
    IntakeStarted,
    Lebenslage,
    NotAdmitted,
    NotAdmittedReason,
    Phase,
    PlanAgreed,
    Purpose,
    Rechtskreis,
    RechtskreisChanged,
    ReferralMade,
    Referred,
    Reopened,
    ServiceEnded,
    ServiceStarted,
    SituationChanged,
    StructuralGapReported,
    replay,
)

CID = "K-0001"
START = date(2024, 1, 8)
NOTE = "Frau Mustermann, geb. 01.02.1990, Hauptstr. 5"  # personal data that must never leak


def referred(on: date = START, cid: str = CID, **fields: Any) -> Referred:
    values: dict[str, Any] = {
        "unit": "Kreis Coesfeld",
        "case_manager": "cm-01",
        "rechtskreis": Rechtskreis.ASYLBLG,
    }
    values.update(fields)
    return Referred(client_id=cid, on=on, **values)


class Log:
    """Builds the events of one case, one week apart."""

    def __init__(self, cid: str = CID, start: date = START) -> None:
        self.cid = cid
        self.day = start
        self.events: list[Event] = [referred(start, cid)]

    def add(self, cls: type[Event], **fields: Any) -> Log:
        self.day += timedelta(days=7)
        self.events.append(cls(client_id=self.cid, on=self.day, **fields))
        return self


def events_to(phase: Phase, cid: str = CID, start: date = START) -> list[Event]:
    """Events that bring a new case into ``phase``, with consent c1, goal g1, referrals r1, r2.

    From assessment on, the case has a consent c1 (referral to the Jobcenter and the
    Schulamt), a goal g1, a referral r1 whose service has started and a referral r2.
    """
    log = Log(cid, start)
    log.add(
        ConsentGiven,
        consent_id="c1",
        purpose=Purpose.REFERRAL,
        recipients=frozenset({Authority.JOBCENTER, Authority.SCHULAMT}),
    )
    if phase is Phase.REFERRED:
        return log.events
    log.add(IntakeStarted)
    if phase is Phase.CLARIFICATION:
        return log.events
    if phase is Phase.NOT_ADMITTED:
        return log.add(NotAdmitted, reason=NotAdmittedReason.CAPACITY).events
    log.add(Admitted, criteria_met=(Criterion.NOT_GERMAN,))
    log.add(AssessmentCompleted, needs=frozenset({Lebenslage.SPRACHE}))
    log.add(PlanAgreed, goals=(GoalSpec(id="g1", lebenslage=Lebenslage.SPRACHE),))
    log.add(ReferralMade, referral_id="r1", recipient=Authority.JOBCENTER, goal_id="g1")
    log.add(ServiceStarted, referral_id="r1")
    log.add(ReferralMade, referral_id="r2", recipient=Authority.SCHULAMT)
    if phase is Phase.MONITORING:
        return log.events
    if phase is Phase.ON_HOLD:
        return log.add(ContactLost).events
    if phase in (Phase.EVALUATION, Phase.CLOSED):
        log.add(EvaluationStarted)
        if phase is Phase.CLOSED:
            log.add(CaseClosed, reason=ClosureReason.GOALS_ACHIEVED)
        return log.events
    log.add(SituationChanged)
    if phase is Phase.ASSESSMENT:
        return log.events
    log.add(AssessmentCompleted, needs=frozenset({Lebenslage.WOHNEN}))
    if phase is Phase.PLANNING:
        return log.events
    assert phase is Phase.IMPLEMENTING
    return log.add(PlanAgreed, goals=(GoalSpec(id="g2", lebenslage=Lebenslage.WOHNEN),)).events


def case_in(phase: Phase, cid: str = CID, start: date = START) -> Case:
    case = replay(events_to(phase, cid, start))
    assert case.phase is phase
    return case


def valid_event(kind: str, case: Case, on: date) -> Event:
    """An event of type ``kind`` that the case built by :func:`events_to` accepts."""
    cid = case.client_id
    simple: dict[str, Callable[..., Event]] = {
        "intake_started": IntakeStarted,
        "evaluation_started": EvaluationStarted,
        "evaluation_completed": EvaluationCompleted,
        "situation_changed": SituationChanged,
        "contact_lost": ContactLost,
        "contact_resumed": ContactResumed,
        "reopened": Reopened,
    }
    if kind in simple:
        return simple[kind](client_id=cid, on=on)
    new_rk = (
        Rechtskreis.SGB_II if case.rechtskreis is not Rechtskreis.SGB_II else Rechtskreis.SGB_XII
    )
    built: dict[str, Event] = {
        "admitted": Admitted(client_id=cid, on=on, criteria_met=(Criterion.NOT_GERMAN,)),
        "not_admitted": NotAdmitted(client_id=cid, on=on, reason=NotAdmittedReason.OTHER),
        "consent_given": ConsentGiven(
            client_id=cid,
            on=on,
            consent_id="c9",
            purpose=Purpose.INFORMATION_EXCHANGE,
            recipients=frozenset({Authority.JOBCENTER}),
        ),
        "consent_withdrawn": ConsentWithdrawn(client_id=cid, on=on, consent_id="c1"),
        "assessment_completed": AssessmentCompleted(
            client_id=cid, on=on, needs=frozenset({Lebenslage.GESUNDHEIT})
        ),
        "plan_agreed": PlanAgreed(
            client_id=cid, on=on, goals=(GoalSpec(id="gx", lebenslage=Lebenslage.GESUNDHEIT),)
        ),
        "referral_made": ReferralMade(
            client_id=cid, on=on, referral_id="rx", recipient=Authority.JOBCENTER
        ),
        "data_shared": DataShared(
            client_id=cid, on=on, recipient=Authority.SCHULAMT, purpose=Purpose.REFERRAL
        ),
        "service_started": ServiceStarted(client_id=cid, on=on, referral_id="r2"),
        "service_ended": ServiceEnded(client_id=cid, on=on, referral_id="r1"),
        "goal_status_changed": GoalStatusChanged(
            client_id=cid, on=on, goal_id="g1", status=GoalStatus.ACHIEVED
        ),
        "rechtskreis_changed": RechtskreisChanged(client_id=cid, on=on, new=new_rk),
        "case_closed": CaseClosed(client_id=cid, on=on, reason=ClosureReason.OTHER),
        "case_manager_changed": CaseManagerChanged(client_id=cid, on=on, case_manager="cm-99"),
        "structural_gap_reported": StructuralGapReported(
            client_id=cid, on=on, lebenslage=Lebenslage.WOHNEN, note=NOTE
        ),
    }
    return built[kind]
