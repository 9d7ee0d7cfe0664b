"""The state machine: which event may happen in which phase, and what it does.

[`apply()`][kim.casework.machine.apply] is a pure function: it takes a case (``None`` before the
first event) and an event and returns a new case, or raises a
[`CaseworkError`][kim.casework.errors.CaseworkError] and changes nothing.
[`replay()`][kim.casework.machine.replay] folds a case's events;
[`replay_log()`][kim.casework.machine.replay_log] folds a log of many cases and collects the refused
events instead of stopping at the first.

[`TRANSITIONS`][kim.casework.machine.TRANSITIONS] is the whole table: for each phase, the events it
allows and the phase each leads to (``None``: the phase stays).

Examples:
    >>> from datetime import date
    >>> from kim.casework.events import IntakeStarted, Referred, ContactLost
    >>> case = replay([
    ...     Referred(client_id="K-1", on=date(2024, 1, 8), unit="Kreis Coesfeld",
    ...              case_manager="cm-01"),
    ...     IntakeStarted(client_id="K-1", on=date(2024, 1, 15)),
    ... ])
    >>> case
    Case(client_id='K-1', phase='clarification', episodes=1)
    >>> apply(case, ContactLost(client_id="K-1", on=date(2024, 2, 1)))
    Traceback (most recent call last):
    ...
    kim.casework.errors.TransitionError: Case 'K-1': event 'contact_lost' is not allowed in \
phase 'clarification'. Allowed: 'admitted', 'case_manager_changed', 'consent_given', \
'consent_withdrawn', 'not_admitted', 'rechtskreis_changed', 'structural_gap_reported'.

"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

from pydantic import Field

from kim._check import expect
from kim._model import KimModel, evolve
from kim.casework._perf import gc_paused
from kim.casework.admission import LocalPolicy
from kim.casework.errors import (
    CaseRuleError,
    CaseworkError,
    EventOrderError,
    SharingNotCoveredError,
    TransitionError,
)
from kim.casework.events import (
    Admitted,
    AssessmentCompleted,
    CaseClosed,
    CaseManagerChanged,
    ConsentGiven,
    ConsentWithdrawn,
    DataShared,
    Event,
    GoalStatusChanged,
    NotAdmitted,
    PlanAgreed,
    RechtskreisChanged,
    ReferralMade,
    Referred,
    Reopened,
    ServiceEnded,
    ServiceStarted,
    StructuralGapReported,
)
from kim.casework.model import (
    Assignment,
    Authority,
    Case,
    Consent,
    Disclosure,
    Episode,
    GapReport,
    Goal,
    Phase,
    Purpose,
    RechtskreisChange,
    Referral,
)
from kim.errors import InputError

__all__ = [
    "TRANSITIONS",
    "Refusal",
    "ReplayResult",
    "allowed_events",
    "apply",
    "replay",
    "replay_log",
]

_STAY: None = None
_REFUSED: Any = object()  # marks an event type a phase does not allow

# Events allowed in every phase once the case exists (side channels and withdrawals).
_ALWAYS = {"structural_gap_reported": _STAY, "consent_withdrawn": _STAY}
# Bookkeeping allowed while the episode is open.
_OPEN = {**_ALWAYS, "consent_given": _STAY, "case_manager_changed": _STAY}
# Allowed in the admitted, active phases (not on hold).
_ACTIVE = {
    **_OPEN,
    "rechtskreis_changed": Phase.ASSESSMENT,
    "situation_changed": Phase.ASSESSMENT,
    "contact_lost": Phase.ON_HOLD,
    "case_closed": Phase.CLOSED,
    "data_shared": _STAY,
    "service_started": _STAY,
    "service_ended": _STAY,
    "goal_status_changed": _STAY,
}

_TABLE: dict[Phase | None, dict[str, Phase | None]] = {
    None: {"referred": Phase.REFERRED},
    Phase.REFERRED: {
        **_OPEN,
        "intake_started": Phase.CLARIFICATION,
        "not_admitted": Phase.NOT_ADMITTED,
        "rechtskreis_changed": _STAY,
    },
    Phase.CLARIFICATION: {
        **_OPEN,
        "admitted": Phase.ASSESSMENT,
        "not_admitted": Phase.NOT_ADMITTED,
        "rechtskreis_changed": _STAY,
    },
    Phase.ASSESSMENT: {
        **_ACTIVE,
        "assessment_completed": Phase.PLANNING,
        "situation_changed": _STAY,
    },
    Phase.PLANNING: {**_ACTIVE, "plan_agreed": Phase.IMPLEMENTING},
    Phase.IMPLEMENTING: {
        **_ACTIVE,
        "referral_made": Phase.MONITORING,
        "evaluation_started": Phase.EVALUATION,
    },
    Phase.MONITORING: {
        **_ACTIVE,
        "referral_made": _STAY,
        "evaluation_started": Phase.EVALUATION,
    },
    Phase.EVALUATION: {**_ACTIVE, "evaluation_completed": Phase.PLANNING},
    Phase.ON_HOLD: {
        **_OPEN,
        "contact_resumed": Phase.ASSESSMENT,
        "case_closed": Phase.CLOSED,
        "rechtskreis_changed": _STAY,
        "service_ended": _STAY,
    },
    Phase.CLOSED: {**_ALWAYS, "reopened": Phase.CLARIFICATION},
    Phase.NOT_ADMITTED: {**_ALWAYS, "reopened": Phase.CLARIFICATION},
}

TRANSITIONS: Mapping[Phase | None, Mapping[str, Phase | None]] = MappingProxyType(
    {phase: MappingProxyType(row) for phase, row in _TABLE.items()}
)
"""For each phase (``None``: no case yet), each allowed event type and the phase it
leads to; ``None`` as target means the phase stays."""

_ALLOWED = {phase: tuple(sorted(row)) for phase, row in _TABLE.items()}


def allowed_events(phase: Phase | None) -> tuple[str, ...]:
    """The event types allowed in ``phase``, sorted (``None``: before the case exists).

    Examples:
        >>> allowed_events(Phase.ON_HOLD)
        ('case_closed', 'case_manager_changed', 'consent_given', 'consent_withdrawn', \
'contact_resumed', 'rechtskreis_changed', 'service_ended', 'structural_gap_reported')

    """
    return _ALLOWED[phase]


def _rule(case: Case, event: Event, message: str) -> CaseRuleError:
    return CaseRuleError(
        f"Case {case.client_id!r}: event {event.type!r} refused: {message}",
        client_id=case.client_id,
        phase=case.phase.value,
        event=event.type,
    )


def _sharing_basis(
    case: Case, event: Event, recipient: Authority, purpose: Purpose, policy: LocalPolicy | None
) -> str:
    consent = case.covering_consent(purpose, recipient, event.on)
    if consent is not None:
        return f"consent:{consent.id}"
    basis = policy.legal_basis(recipient, purpose) if policy is not None else None
    if basis is not None:
        return f"legal:{basis.reference}"
    raise SharingNotCoveredError(
        client_id=case.client_id,
        phase=case.phase.value,
        event=event.type,
        recipient=recipient.value,
        purpose=purpose.value,
    )


def _with_episode(case: Case, **changes: Any) -> tuple[Episode, ...]:
    return (*case.episodes[:-1], evolve(case.episodes[-1], changes))


def _start(event: Referred) -> Case:
    return Case.model_construct(
        client_id=event.client_id,
        unit=event.unit,
        phase=Phase.REFERRED,
        episodes=(Episode.model_construct(number=1, opened_on=event.on),),
        assignments=(Assignment.model_construct(since=event.on, case_manager=event.case_manager),),
        rechtskreis=event.rechtskreis,
        last_event_on=event.on,
    )


# Each handler returns the fields of the case that change (besides phase and date).
Handler = Callable[[Case, Any, LocalPolicy | None], dict[str, Any]]


def _nothing(case: Case, event: Event, policy: LocalPolicy | None) -> dict[str, Any]:
    return {}


def _admitted(case: Case, event: Admitted, policy: LocalPolicy | None) -> dict[str, Any]:
    return {
        "episodes": _with_episode(case, admitted_on=event.on),
        "criteria_met": event.criteria_met,
        "priority": event.priority,
    }


def _not_admitted(case: Case, event: NotAdmitted, policy: LocalPolicy | None) -> dict[str, Any]:
    return {"episodes": _with_episode(case, ended_on=event.on, not_admitted_reason=event.reason)}


def _consent_given(case: Case, event: ConsentGiven, policy: LocalPolicy | None) -> dict[str, Any]:
    if case.consent(event.consent_id) is not None:
        raise _rule(case, event, f"consent id {event.consent_id!r} is already used.")
    consent = Consent.model_construct(
        id=event.consent_id,
        purpose=event.purpose,
        recipients=event.recipients,
        given_on=event.on,
        withdrawn_on=None,
        episode=case.episode.number,
    )
    return {"consents": (*case.consents, consent)}


def _consent_withdrawn(
    case: Case, event: ConsentWithdrawn, policy: LocalPolicy | None
) -> dict[str, Any]:
    consent = case.consent(event.consent_id)
    if consent is None:
        raise _rule(case, event, f"the case has no consent {event.consent_id!r}.")
    if consent.withdrawn_on is not None:
        raise _rule(case, event, f"consent {event.consent_id!r} is already withdrawn.")
    withdrawn = evolve(consent, {"withdrawn_on": event.on})
    return {"consents": tuple(withdrawn if c is consent else c for c in case.consents)}


def _assessed(case: Case, event: AssessmentCompleted, policy: LocalPolicy | None) -> dict[str, Any]:
    return {"needs": event.needs}


def _plan(case: Case, event: PlanAgreed, policy: LocalPolicy | None) -> dict[str, Any]:
    known = {g.id for g in case.goals}
    new_ids = [g.id for g in event.goals]
    if len(set(new_ids)) != len(new_ids) or known.intersection(new_ids):
        raise _rule(case, event, "goal ids must be new and unique within the case.")
    goals = tuple(
        Goal.model_construct(id=g.id, lebenslage=g.lebenslage, agreed_on=event.on)
        for g in event.goals
    )
    return {"goals": (*case.goals, *goals), "last_review_on": event.on}


def _referral(case: Case, event: ReferralMade, policy: LocalPolicy | None) -> dict[str, Any]:
    if case.referral(event.referral_id) is not None:
        raise _rule(case, event, f"referral id {event.referral_id!r} is already used.")
    if event.goal_id is not None and case.goal(event.goal_id) is None:
        raise _rule(case, event, f"the case has no goal {event.goal_id!r}.")
    basis = _sharing_basis(case, event, event.recipient, event.purpose, policy)
    referral = Referral.model_construct(
        id=event.referral_id,
        recipient=event.recipient,
        purpose=event.purpose,
        made_on=event.on,
        goal_id=event.goal_id,
        basis=basis,
    )
    return {"referrals": (*case.referrals, referral)}


def _shared(case: Case, event: DataShared, policy: LocalPolicy | None) -> dict[str, Any]:
    basis = _sharing_basis(case, event, event.recipient, event.purpose, policy)
    record = Disclosure.model_construct(
        on=event.on, recipient=event.recipient, purpose=event.purpose, basis=basis
    )
    return {"disclosures": (*case.disclosures, record)}


def _service(case: Case, event: ServiceStarted | ServiceEnded, field: str) -> dict[str, Any]:
    referral = case.referral(event.referral_id)
    if referral is None:
        raise _rule(case, event, f"the case has no referral {event.referral_id!r}.")
    if field == "service_started_on" and referral.service_started_on is not None:
        raise _rule(case, event, "the service has already started.")
    if field == "service_ended_on" and (
        referral.service_started_on is None or referral.service_ended_on is not None
    ):
        raise _rule(case, event, "the service has not started or has already ended.")
    changed = evolve(referral, {field: event.on})
    return {"referrals": tuple(changed if r is referral else r for r in case.referrals)}


def _service_started(
    case: Case, event: ServiceStarted, policy: LocalPolicy | None
) -> dict[str, Any]:
    return _service(case, event, "service_started_on")


def _service_ended(case: Case, event: ServiceEnded, policy: LocalPolicy | None) -> dict[str, Any]:
    return _service(case, event, "service_ended_on")


def _goal_status(
    case: Case, event: GoalStatusChanged, policy: LocalPolicy | None
) -> dict[str, Any]:
    goal = case.goal(event.goal_id)
    if goal is None:
        raise _rule(case, event, f"the case has no goal {event.goal_id!r}.")
    changed = evolve(goal, {"status": event.status, "status_on": event.on})
    return {"goals": tuple(changed if g is goal else g for g in case.goals)}


def _review(case: Case, event: Event, policy: LocalPolicy | None) -> dict[str, Any]:
    return {"last_review_on": event.on}


def _rechtskreis(
    case: Case, event: RechtskreisChanged, policy: LocalPolicy | None
) -> dict[str, Any]:
    if event.new is case.rechtskreis:
        raise _rule(case, event, "the new legal system is the current one.")
    change = RechtskreisChange.model_construct(on=event.on, old=case.rechtskreis, new=event.new)
    return {"rechtskreis": event.new, "rechtskreis_changes": (*case.rechtskreis_changes, change)}


def _contact_lost(case: Case, event: Event, policy: LocalPolicy | None) -> dict[str, Any]:
    return {"on_hold_since": event.on}


def _contact_resumed(case: Case, event: Event, policy: LocalPolicy | None) -> dict[str, Any]:
    return {"on_hold_since": None}


def _closed(case: Case, event: CaseClosed, policy: LocalPolicy | None) -> dict[str, Any]:
    return {
        "episodes": _with_episode(case, ended_on=event.on, closure_reason=event.reason),
        "on_hold_since": None,
    }


def _reopened(case: Case, event: Reopened, policy: LocalPolicy | None) -> dict[str, Any]:
    episode = Episode.model_construct(number=case.episode.number + 1, opened_on=event.on)
    changes: dict[str, Any] = {
        "episodes": (*case.episodes, episode),
        "criteria_met": (),
        "priority": False,
        "needs": frozenset(),
        "last_review_on": None,
    }
    if event.case_manager is not None and event.case_manager != case.case_manager:
        new = Assignment.model_construct(since=event.on, case_manager=event.case_manager)
        changes["assignments"] = (*case.assignments, new)
    return changes


def _manager(case: Case, event: CaseManagerChanged, policy: LocalPolicy | None) -> dict[str, Any]:
    if event.case_manager == case.case_manager:
        raise _rule(case, event, "that case manager is already responsible.")
    new = Assignment.model_construct(since=event.on, case_manager=event.case_manager)
    return {"assignments": (*case.assignments, new)}


def _gap(case: Case, event: StructuralGapReported, policy: LocalPolicy | None) -> dict[str, Any]:
    report = GapReport.model_construct(
        on=event.on,
        lebenslage=event.lebenslage,
        rechtskreis=event.rechtskreis,
        note=event.note,
    )
    return {"gap_reports": (*case.gap_reports, report)}


_HANDLERS: dict[str, Handler] = {
    "intake_started": _nothing,
    "admitted": _admitted,
    "not_admitted": _not_admitted,
    "consent_given": _consent_given,
    "consent_withdrawn": _consent_withdrawn,
    "assessment_completed": _assessed,
    "plan_agreed": _plan,
    "referral_made": _referral,
    "data_shared": _shared,
    "service_started": _service_started,
    "service_ended": _service_ended,
    "goal_status_changed": _goal_status,
    "evaluation_started": _review,
    "evaluation_completed": _nothing,
    "situation_changed": _nothing,
    "rechtskreis_changed": _rechtskreis,
    "contact_lost": _contact_lost,
    "contact_resumed": _contact_resumed,
    "case_closed": _closed,
    "reopened": _reopened,
    "case_manager_changed": _manager,
    "structural_gap_reported": _gap,
}


def apply(case: Case | None, event: Event, policy: LocalPolicy | None = None) -> Case:
    """Apply ``event`` to ``case`` and return the new case; ``case`` is left unchanged.

    Args:
        case: the case so far, or ``None`` before its first event (which must be
            [`Referred`][kim.casework.events.Referred]).
        event: the event to apply.
        policy: the unit's local policy; only its legal bases for sharing are used here.

    Raises:
        TransitionError: the event is not allowed in the case's phase.
        EventOrderError: the event is dated before the case's previous event.
        SharingNotCoveredError: a referral or disclosure has no consent or legal basis.
        CaseRuleError: the event contradicts the record (unknown or duplicate id, ...).

    """
    if not isinstance(event, Event):
        expect(event, Event, "event")
    if case is None:
        if isinstance(event, Referred):
            return _start(event)
        raise TransitionError(
            client_id=event.client_id, phase=None, event=event.type, allowed=_ALLOWED[None]
        )
    kind, on, phase = event.type, event.on, case.phase
    if event.client_id != case.client_id:
        raise _rule(case, event, f"the event belongs to case {event.client_id!r}.")
    if on < case.last_event_on:
        raise EventOrderError(
            client_id=case.client_id,
            phase=phase.value,
            event=kind,
            on=on,
            previous=case.last_event_on,
        )
    row = _TABLE[phase]
    target = row.get(kind, _REFUSED)
    if target is _REFUSED:
        raise TransitionError(
            client_id=case.client_id, phase=phase.value, event=kind, allowed=_ALLOWED[phase]
        )
    changes = _HANDLERS[kind](case, event, policy)
    changes["last_event_on"] = on
    if target is not None:
        changes["phase"] = target
    return evolve(case, changes)


def replay(events: Iterable[Event], policy: LocalPolicy | None = None) -> Case:
    """Fold the events of one case, oldest first, into the case; stop at the first refusal.

    Examples:
        >>> replay([])
        Traceback (most recent call last):
        ...
        kim.errors.InputError: replay needs at least one event (a 'referred' event first).

    """
    if isinstance(events, str | bytes) or not hasattr(events, "__iter__"):
        expect(events, (list, tuple), "events")
    case: Case | None = None
    with gc_paused():
        for event in events:
            case = apply(case, event, policy)
    if case is None:
        raise InputError("replay needs at least one event (a 'referred' event first).")
    return case


class Refusal(KimModel):
    """An event of a log that was refused, with its line and the reason (no personal data)."""

    line: int = Field(description="The event's line in the log (or position, from 1).")
    client_id: str = Field(description="The pseudonymous client id of the event.")
    event: str = Field(description="The event's type.")
    error: str = Field(description="The error's class name.")
    message: str = Field(description="The error's message.")


class ReplayResult(KimModel):
    """The cases of a log after replay, and every refused event."""

    cases: dict[str, Case] = Field(description="Each case by its client id, in log order.")
    refused: tuple[Refusal, ...] = Field(description="Refused events, in log order.")
    events: int = Field(description="The number of events read.")

    def __repr_args__(self) -> Any:
        yield "cases", len(self.cases)
        yield "refused", len(self.refused)
        yield "events", self.events


def replay_log(
    events: Iterable[Event],
    policy: LocalPolicy | None = None,
    lines: Iterable[int] | None = None,
) -> ReplayResult:
    """Replay a log that mixes many cases; refuse bad events one by one and go on.

    A refused event leaves its case as it was; later events of that case are applied
    to the unchanged case (and may be refused in turn). ``lines`` gives the line number
    of each event (from [`kim.casework.read_jsonl()`][kim.casework.serialize.read_jsonl]); by
    default events are numbered 1, 2, 3, ...
    """
    cases: dict[str, Case] = {}
    refused: list[Refusal] = []
    numbers = iter(lines) if lines is not None else None
    count = 0
    with gc_paused():
        for count, event in enumerate(events, start=1):
            line = next(numbers) if numbers is not None else count
            try:
                cases[event.client_id] = apply(cases.get(event.client_id), event, policy)
            except CaseworkError as error:
                refused.append(
                    Refusal.model_construct(
                        line=line,
                        client_id=event.client_id,
                        event=event.type,
                        error=type(error).__name__,
                        message=str(error),
                    )
                )
    return ReplayResult.model_construct(cases=cases, refused=tuple(refused), events=count)


def _check_tables() -> None:
    """Every event type in the table has a handler (checked at import time)."""
    named = {name for row in _TABLE.values() for name in row} - {"referred"}
    assert named == set(_HANDLERS), named ^ set(_HANDLERS)


_check_tables()
