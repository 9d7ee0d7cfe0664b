"""What each event does to a case: one handler per event type, and the sharing rule.

[`changes()`][kim.casework.handlers.changes] returns the fields an event changes;
[`kim.casework.apply()`][kim.casework.machine.apply] checks the phase and the date first and
builds the new case. Referrals and disclosures need a basis: a consent of the open episode
that covers the purpose and recipient, or a legal basis of the unit's local policy.

Examples:
    >>> sorted(HANDLED)[:3]
    ['admitted', 'assessment_completed', 'case_closed']

"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kim._model import construct, evolve
from kim.casework.admission import LocalPolicy
from kim.casework.errors import CaseRuleError, SharingNotCoveredError
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
from kim.casework.model import Case
from kim.casework.records import (
    Assignment,
    Consent,
    Disclosure,
    Episode,
    GapReport,
    Goal,
    RechtskreisChange,
    Referral,
)
from kim.casework.vocabulary import Authority, Phase, Purpose

__all__ = ["HANDLED", "changes", "rule_error", "start"]


def rule_error(case: Case, event: Event, message: str) -> CaseRuleError:
    """A [`CaseRuleError`][kim.casework.errors.CaseRuleError] for ``event`` on ``case``."""
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


def start(event: Referred) -> Case:
    """The case a [`Referred`][kim.casework.events.Referred] event begins (phase referred)."""
    return construct(
        Case,
        dict(
            client_id=event.client_id,
            unit=event.unit,
            phase=Phase.REFERRED,
            episodes=(construct(Episode, {"number": 1, "opened_on": event.on}),),
            assignments=(
                construct(Assignment, {"since": event.on, "case_manager": event.case_manager}),
            ),
            rechtskreis=event.rechtskreis,
            last_event_on=event.on,
        ),
    )


# Each handler returns the fields of the case that change (besides phase and date).
_Handler = Callable[[Case, Any, LocalPolicy | None], dict[str, Any]]


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
        raise rule_error(case, event, f"consent id {event.consent_id!r} is already used.")
    consent = construct(
        Consent,
        dict(
            id=event.consent_id,
            purpose=event.purpose,
            recipients=event.recipients,
            given_on=event.on,
            withdrawn_on=None,
            episode=case.episode.number,
        ),
    )
    return {"consents": (*case.consents, consent)}


def _consent_withdrawn(
    case: Case, event: ConsentWithdrawn, policy: LocalPolicy | None
) -> dict[str, Any]:
    consent = case.consent(event.consent_id)
    if consent is None:
        raise rule_error(case, event, f"the case has no consent {event.consent_id!r}.")
    if consent.withdrawn_on is not None:
        raise rule_error(case, event, f"consent {event.consent_id!r} is already withdrawn.")
    withdrawn = evolve(consent, {"withdrawn_on": event.on})
    return {"consents": tuple(withdrawn if c is consent else c for c in case.consents)}


def _assessed(case: Case, event: AssessmentCompleted, policy: LocalPolicy | None) -> dict[str, Any]:
    return {"needs": event.needs}


def _plan(case: Case, event: PlanAgreed, policy: LocalPolicy | None) -> dict[str, Any]:
    known = {g.id for g in case.goals}
    new_ids = [g.id for g in event.goals]
    if len(set(new_ids)) != len(new_ids) or known.intersection(new_ids):
        raise rule_error(case, event, "goal ids must be new and unique within the case.")
    goals = tuple(
        construct(Goal, dict(id=g.id, lebenslage=g.lebenslage, agreed_on=event.on))
        for g in event.goals
    )
    return {"goals": (*case.goals, *goals), "last_review_on": event.on}


def _referral(case: Case, event: ReferralMade, policy: LocalPolicy | None) -> dict[str, Any]:
    if case.referral(event.referral_id) is not None:
        raise rule_error(case, event, f"referral id {event.referral_id!r} is already used.")
    if event.goal_id is not None and case.goal(event.goal_id) is None:
        raise rule_error(case, event, f"the case has no goal {event.goal_id!r}.")
    basis = _sharing_basis(case, event, event.recipient, event.purpose, policy)
    referral = construct(
        Referral,
        dict(
            id=event.referral_id,
            recipient=event.recipient,
            purpose=event.purpose,
            made_on=event.on,
            goal_id=event.goal_id,
            basis=basis,
        ),
    )
    return {"referrals": (*case.referrals, referral)}


def _shared(case: Case, event: DataShared, policy: LocalPolicy | None) -> dict[str, Any]:
    basis = _sharing_basis(case, event, event.recipient, event.purpose, policy)
    record = construct(
        Disclosure, dict(on=event.on, recipient=event.recipient, purpose=event.purpose, basis=basis)
    )
    return {"disclosures": (*case.disclosures, record)}


def _service(case: Case, event: ServiceStarted | ServiceEnded, field: str) -> dict[str, Any]:
    referral = case.referral(event.referral_id)
    if referral is None:
        raise rule_error(case, event, f"the case has no referral {event.referral_id!r}.")
    if field == "service_started_on" and referral.service_started_on is not None:
        raise rule_error(case, event, "the service has already started.")
    if field == "service_ended_on" and (
        referral.service_started_on is None or referral.service_ended_on is not None
    ):
        raise rule_error(case, event, "the service has not started or has already ended.")
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
        raise rule_error(case, event, f"the case has no goal {event.goal_id!r}.")
    changed = evolve(goal, {"status": event.status, "status_on": event.on})
    return {"goals": tuple(changed if g is goal else g for g in case.goals)}


def _review(case: Case, event: Event, policy: LocalPolicy | None) -> dict[str, Any]:
    return {"last_review_on": event.on}


def _rechtskreis(
    case: Case, event: RechtskreisChanged, policy: LocalPolicy | None
) -> dict[str, Any]:
    if event.new is case.rechtskreis:
        raise rule_error(case, event, "the new legal system is the current one.")
    change = construct(RechtskreisChange, dict(on=event.on, old=case.rechtskreis, new=event.new))
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
    episode = construct(Episode, dict(number=case.episode.number + 1, opened_on=event.on))
    changes: dict[str, Any] = {
        "episodes": (*case.episodes, episode),
        "criteria_met": (),
        "priority": False,
        "needs": frozenset(),
        "last_review_on": None,
    }
    if event.case_manager is not None and event.case_manager != case.case_manager:
        new = construct(Assignment, dict(since=event.on, case_manager=event.case_manager))
        changes["assignments"] = (*case.assignments, new)
    return changes


def _manager(case: Case, event: CaseManagerChanged, policy: LocalPolicy | None) -> dict[str, Any]:
    if event.case_manager == case.case_manager:
        raise rule_error(case, event, "that case manager is already responsible.")
    new = construct(Assignment, dict(since=event.on, case_manager=event.case_manager))
    return {"assignments": (*case.assignments, new)}


def _gap(case: Case, event: StructuralGapReported, policy: LocalPolicy | None) -> dict[str, Any]:
    report = construct(
        GapReport,
        dict(
            on=event.on,
            lebenslage=event.lebenslage,
            rechtskreis=event.rechtskreis,
            note=event.note,
        ),
    )
    return {"gap_reports": (*case.gap_reports, report)}


_HANDLERS: dict[str, _Handler] = {
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


HANDLED: frozenset[str] = frozenset(_HANDLERS)
"""The event types with a handler (every type but ``referred``, which starts a case)."""


def changes(case: Case, event: Event, policy: LocalPolicy | None) -> dict[str, Any]:
    """The fields of ``case`` that ``event`` changes, besides the phase and the date.

    The caller has checked that the phase allows the event.

    Raises:
        SharingNotCoveredError: a referral or disclosure has no consent or legal basis.
        CaseRuleError: the event contradicts the record (unknown or duplicate id, ...).

    """
    return _HANDLERS[event.type](case, event, policy)
