"""The state machine: every transition, every refusal, and the invariants by example."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kim.casework import (
    EVENT_TYPES,
    OPEN_PHASES,
    TRANSITIONS,
    Authority,
    Case,
    CaseClosed,
    CaseManagerChanged,
    CaseRuleError,
    ClosureReason,
    ConsentGiven,
    ConsentWithdrawn,
    ContactResumed,
    DataShared,
    EventOrderError,
    GoalSpec,
    GoalStatusChanged,
    IntakeStarted,
    LegalBasis,
    LocalPolicy,
    Phase,
    PlanAgreed,
    Purpose,
    Rechtskreis,
    RechtskreisChanged,
    ReferralMade,
    Reopened,
    ServiceEnded,
    ServiceStarted,
    SharingNotCoveredError,
    TransitionError,
    allowed_events,
    apply,
    case_problems,
    replay,
    replay_log,
)
from kim.errors import InputError

from .builders import CID, case_in, events_to, referred, valid_event

PHASES = list(Phase)
ALLOWED = [(phase, kind) for phase in PHASES for kind in TRANSITIONS[phase]]
REFUSED = [
    (phase, kind) for phase in PHASES for kind in EVENT_TYPES if kind not in TRANSITIONS[phase]
]


def later(case: Case, days: int = 7) -> date:
    return case.last_event_on + timedelta(days=days)


def test_the_table_covers_every_phase_and_names_only_known_events() -> None:
    assert set(TRANSITIONS) == {None, *Phase}
    for row in TRANSITIONS.values():
        assert set(row) <= set(EVENT_TYPES)
    assert dict(TRANSITIONS[None]) == {"referred": Phase.REFERRED}


@pytest.mark.parametrize(("phase", "kind"), ALLOWED, ids=[f"{p.value}-{k}" for p, k in ALLOWED])
def test_every_allowed_transition(phase: Phase, kind: str) -> None:
    case = case_in(phase)
    event = valid_event(kind, case, later(case))
    after = apply(case, event)
    target = TRANSITIONS[phase][kind]
    assert after.phase is (target if target is not None else phase)
    assert after.last_event_on == event.on
    assert case_problems(after) == []
    assert case.phase is phase  # the old case is untouched


@pytest.mark.parametrize(("phase", "kind"), REFUSED, ids=[f"{p.value}-{k}" for p, k in REFUSED])
def test_every_refused_transition_names_phase_event_and_allowed(phase: Phase, kind: str) -> None:
    case = case_in(phase)
    before = case.model_dump()
    event = referred(later(case)) if kind == "referred" else valid_event(kind, case, later(case))
    with pytest.raises(TransitionError) as info:
        apply(case, event)
    error = info.value
    assert error.phase == phase.value and error.event == kind and error.client_id == CID
    assert error.allowed == allowed_events(phase)
    message = str(error)
    assert repr(phase.value) in message and repr(kind) in message
    assert all(repr(a) in message for a in error.allowed)
    assert case.model_dump() == before


def test_the_first_event_must_be_a_referral() -> None:
    with pytest.raises(TransitionError) as info:
        apply(None, IntakeStarted(client_id=CID, on=date(2024, 1, 1)))
    assert info.value.phase is None and info.value.allowed == ("referred",)
    assert "before the case exists" in str(info.value)


def test_a_new_case_starts_referred_with_one_open_episode() -> None:
    case = apply(None, referred(referred_by=Authority.SOZIALAMT))
    assert case.phase is Phase.REFERRED and case.is_open
    assert [e.number for e in case.episodes] == [1] and case.episode.opened_on == date(2024, 1, 8)
    assert case.case_manager == "cm-01" and case.rechtskreis is Rechtskreis.ASYLBLG
    assert case.unit == "Kreis Coesfeld"


def test_admission_records_only_the_criteria_and_the_date() -> None:
    case = case_in(Phase.ASSESSMENT)
    assert [c.value for c in case.criteria_met] == ["nr1"]
    assert case.episode.admitted_on == date(2024, 1, 29)


# --- events dated before the previous event -------------------------------------------


def test_an_event_dated_before_the_previous_one_is_refused() -> None:
    case = case_in(Phase.CLARIFICATION)
    early = case.last_event_on - timedelta(days=1)
    with pytest.raises(EventOrderError) as info:
        apply(case, valid_event("admitted", case, early))
    assert info.value.on == early and info.value.previous == case.last_event_on
    assert early.isoformat() not in str(info.value)  # dates stay out of the message


def test_events_on_the_same_day_are_fine() -> None:
    case = case_in(Phase.CLARIFICATION)
    assert apply(case, valid_event("admitted", case, case.last_event_on)).phase is Phase.ASSESSMENT


def test_an_event_of_another_case_is_refused() -> None:
    case = case_in(Phase.CLARIFICATION)
    with pytest.raises(CaseRuleError, match="belongs to case 'K-0002'"):
        apply(case, IntakeStarted(client_id="K-0002", on=later(case)))


# --- closing and reopening --------------------------------------------------------------


def test_a_closed_episode_has_exactly_one_reason_and_a_date() -> None:
    case = case_in(Phase.MONITORING)
    closed = apply(case, CaseClosed(client_id=CID, on=later(case), reason=ClosureReason.MOVED_AWAY))
    episode = closed.episode
    assert closed.phase is Phase.CLOSED and not closed.is_open
    assert episode.ended_on == later(case) and episode.closure_reason is ClosureReason.MOVED_AWAY
    assert episode.not_admitted_reason is None


def test_not_admitted_ends_the_episode_with_its_reason() -> None:
    case = case_in(Phase.NOT_ADMITTED)
    assert case.episode.ended_on is not None and case.episode.closure_reason is None
    assert case.episode.not_admitted_reason is not None and case.episode.admitted_on is None


@pytest.mark.parametrize("phase", [Phase.CLOSED, Phase.NOT_ADMITTED])
def test_reopening_starts_a_new_episode(phase: Phase) -> None:
    case = case_in(phase)
    again = apply(case, Reopened(client_id=CID, on=later(case), case_manager="cm-02"))
    assert again.phase is Phase.CLARIFICATION
    assert [e.number for e in again.episodes] == [1, 2]
    assert again.episodes[0] == case.episode  # the old episode is kept as it was
    assert again.episode.is_open and again.episode.opened_on == later(case)
    assert again.criteria_met == () and again.case_manager == "cm-02"
    assert sum(e.is_open for e in again.episodes) == 1


def test_a_case_cannot_be_closed_twice() -> None:
    case = case_in(Phase.CLOSED)
    with pytest.raises(TransitionError):
        apply(case, CaseClosed(client_id=CID, on=later(case), reason=ClosureReason.OTHER))


# --- change of legal system -------------------------------------------------------------


@pytest.mark.parametrize(
    "phase", [Phase.ASSESSMENT, Phase.PLANNING, Phase.IMPLEMENTING, Phase.MONITORING,
              Phase.EVALUATION],
)  # fmt: skip
def test_a_change_of_legal_system_sends_an_admitted_case_back_to_assessment(phase: Phase) -> None:
    # AsylbLG -> SGB II after recognition (source egovernment-rechtskreiswechsel).
    case = case_in(phase)
    after = apply(case, RechtskreisChanged(client_id=CID, on=later(case), new=Rechtskreis.SGB_II))
    assert after.phase is Phase.ASSESSMENT and after.is_open
    assert after.rechtskreis is Rechtskreis.SGB_II
    change = after.rechtskreis_changes[-1]
    assert (change.old, change.new, change.on) == (
        Rechtskreis.ASYLBLG,
        Rechtskreis.SGB_II,
        later(case),
    )
    assert after.goals == case.goals and after.referrals == case.referrals


@pytest.mark.parametrize("phase", [Phase.REFERRED, Phase.CLARIFICATION, Phase.ON_HOLD])
def test_a_change_of_legal_system_before_admission_or_on_hold_keeps_the_phase(phase: Phase) -> None:
    case = case_in(phase)
    after = apply(case, RechtskreisChanged(client_id=CID, on=later(case), new=Rechtskreis.SGB_II))
    assert after.phase is phase and after.rechtskreis is Rechtskreis.SGB_II


def test_on_hold_resumes_into_assessment() -> None:
    case = case_in(Phase.ON_HOLD)
    assert case.on_hold_since is not None
    after = apply(case, ContactResumed(client_id=CID, on=later(case)))
    assert after.phase is Phase.ASSESSMENT and after.on_hold_since is None


def test_a_change_to_the_same_legal_system_is_refused() -> None:
    case = case_in(Phase.MONITORING)
    with pytest.raises(CaseRuleError, match="current one"):
        apply(case, RechtskreisChanged(client_id=CID, on=later(case), new=Rechtskreis.ASYLBLG))


@pytest.mark.parametrize("phase", [Phase.CLOSED, Phase.NOT_ADMITTED])
def test_a_closed_case_takes_no_change_of_legal_system(phase: Phase) -> None:
    case = case_in(phase)
    with pytest.raises(TransitionError):
        apply(case, RechtskreisChanged(client_id=CID, on=later(case), new=Rechtskreis.SGB_II))


# --- consent and sharing ----------------------------------------------------------------


def test_a_referral_records_the_consent_it_relies_on() -> None:
    case = case_in(Phase.MONITORING)
    assert {r.id: r.basis for r in case.referrals} == {"r1": "consent:c1", "r2": "consent:c1"}


def test_sharing_without_a_covering_consent_is_refused() -> None:
    case = case_in(Phase.MONITORING)
    for recipient, purpose in [
        (Authority.AUSLAENDERBEHOERDE, Purpose.REFERRAL),  # recipient not covered
        (Authority.JOBCENTER, Purpose.CASE_CONFERENCE),  # purpose not covered
    ]:
        with pytest.raises(SharingNotCoveredError) as info:
            apply(
                case,
                DataShared(client_id=CID, on=later(case), recipient=recipient, purpose=purpose),
            )
        assert info.value.recipient == recipient.value and info.value.purpose == purpose.value
        with pytest.raises(SharingNotCoveredError):
            apply(
                case,
                ReferralMade(
                    client_id=CID, on=later(case), referral_id="r9", recipient=recipient,
                    purpose=purpose,
                ),
            )  # fmt: skip


def test_a_configured_legal_basis_allows_sharing_without_consent() -> None:
    case = case_in(Phase.MONITORING)
    policy = LocalPolicy(
        legal_bases=(
            LegalBasis(
                recipient=Authority.AUSLAENDERBEHOERDE, purpose=Purpose.REFERRAL,
                reference="§ 87 AufenthG",
            ),
        )
    )  # fmt: skip
    event = ReferralMade(
        client_id=CID, on=later(case), referral_id="r9", recipient=Authority.AUSLAENDERBEHOERDE
    )
    after = apply(case, event, policy)
    assert after.referral("r9") is not None
    assert after.referrals[-1].basis == "legal:§ 87 AufenthG"
    with pytest.raises(SharingNotCoveredError):
        apply(case, event)  # without the policy


def test_a_withdrawn_consent_blocks_sharing_but_keeps_history() -> None:
    case = case_in(Phase.MONITORING)
    day = later(case)
    withdrawn = apply(case, ConsentWithdrawn(client_id=CID, on=day, consent_id="c1"))
    consent = withdrawn.consent("c1")
    assert consent is not None and consent.withdrawn_on == day
    assert consent.given_on == case.consents[0].given_on  # history kept
    assert withdrawn.referrals == case.referrals  # earlier referrals keep their basis
    with pytest.raises(SharingNotCoveredError):
        apply(
            withdrawn,
            ReferralMade(client_id=CID, on=day, referral_id="r9", recipient=Authority.JOBCENTER),
        )
    # A consent given again covers sharing again.
    again = apply(
        withdrawn,
        ConsentGiven(
            client_id=CID, on=day, consent_id="c2", purpose=Purpose.REFERRAL,
            recipients=frozenset({Authority.JOBCENTER}),
        ),
    )  # fmt: skip
    shared = apply(
        again, ReferralMade(client_id=CID, on=day, referral_id="r9", recipient=Authority.JOBCENTER)
    )
    assert shared.referrals[-1].basis == "consent:c2"


def test_a_consent_can_be_withdrawn_after_closure_and_only_once() -> None:
    case = case_in(Phase.CLOSED)
    after = apply(case, ConsentWithdrawn(client_id=CID, on=later(case), consent_id="c1"))
    assert after.phase is Phase.CLOSED
    with pytest.raises(CaseRuleError, match="already withdrawn"):
        apply(after, ConsentWithdrawn(client_id=CID, on=later(after), consent_id="c1"))
    with pytest.raises(CaseRuleError, match="no consent 'c7'"):
        apply(case, ConsentWithdrawn(client_id=CID, on=later(case), consent_id="c7"))


def test_consent_ids_are_unique() -> None:
    case = case_in(Phase.MONITORING)
    with pytest.raises(CaseRuleError, match="already used"):
        apply(
            case,
            ConsentGiven(
                client_id=CID, on=later(case), consent_id="c1", purpose=Purpose.REFERRAL,
                recipients=frozenset({Authority.JOBCENTER}),
            ),
        )  # fmt: skip


# --- goals, referrals, services ---------------------------------------------------------


def test_goal_ids_are_new_and_goals_must_exist() -> None:
    case = case_in(Phase.PLANNING)
    with pytest.raises(CaseRuleError, match="goal ids"):
        apply(
            case,
            PlanAgreed(
                client_id=CID, on=later(case), goals=(GoalSpec(id="g1", lebenslage="wohnen"),)
            ),
        )
    twice = (GoalSpec(id="g5", lebenslage="wohnen"), GoalSpec(id="g5", lebenslage="sprache"))
    with pytest.raises(CaseRuleError, match="goal ids"):
        apply(case, PlanAgreed(client_id=CID, on=later(case), goals=twice))
    with pytest.raises(CaseRuleError, match="no goal 'g7'"):
        apply(
            case, GoalStatusChanged(client_id=CID, on=later(case), goal_id="g7", status="achieved")
        )
    monitoring = case_in(Phase.MONITORING)
    with pytest.raises(CaseRuleError, match="no goal 'g7'"):
        apply(
            monitoring,
            ReferralMade(
                client_id=CID, on=later(monitoring), referral_id="r9",
                recipient=Authority.JOBCENTER, goal_id="g7",
            ),
        )  # fmt: skip


def test_plan_agreement_records_goals_and_starts_the_review_clock() -> None:
    case = case_in(Phase.IMPLEMENTING)
    assert [g.id for g in case.goals] == ["g1", "g2"]
    assert case.last_review_on == case.goals[-1].agreed_on


def test_services_start_once_and_end_after_starting() -> None:
    case = case_in(Phase.MONITORING)
    day = later(case)
    with pytest.raises(CaseRuleError, match="already started"):
        apply(case, ServiceStarted(client_id=CID, on=day, referral_id="r1"))
    with pytest.raises(CaseRuleError, match="not started"):
        apply(case, ServiceEnded(client_id=CID, on=day, referral_id="r2"))
    with pytest.raises(CaseRuleError, match="no referral 'r7'"):
        apply(case, ServiceStarted(client_id=CID, on=day, referral_id="r7"))
    ended = apply(case, ServiceEnded(client_id=CID, on=day, referral_id="r1"))
    r1 = ended.referral("r1")
    assert r1 is not None and r1.service_ended_on == day
    with pytest.raises(CaseRuleError, match="already ended"):
        apply(ended, ServiceEnded(client_id=CID, on=day, referral_id="r1"))


def test_referral_ids_are_unique() -> None:
    case = case_in(Phase.MONITORING)
    with pytest.raises(CaseRuleError, match="already used"):
        apply(
            case,
            ReferralMade(client_id=CID, on=later(case), referral_id="r1", recipient="jobcenter"),
        )


def test_case_manager_history() -> None:
    case = case_in(Phase.MONITORING)
    day = later(case)
    after = apply(case, CaseManagerChanged(client_id=CID, on=day, case_manager="cm-07"))
    assert after.case_manager == "cm-07"
    assert after.case_manager_on(day - timedelta(days=1)) == "cm-01"
    assert after.case_manager_on(day) == "cm-07"
    assert after.case_manager_on(date(2000, 1, 1)) is None
    with pytest.raises(CaseRuleError, match="already responsible"):
        apply(after, CaseManagerChanged(client_id=CID, on=day, case_manager="cm-07"))


# --- structural gaps: a side channel ----------------------------------------------------


@pytest.mark.parametrize("phase", PHASES)
def test_gap_reports_never_change_the_phase(phase: Phase) -> None:
    case = case_in(phase)
    after = apply(case, valid_event("structural_gap_reported", case, later(case)))
    assert after.phase is phase and len(after.gap_reports) == len(case.gap_reports) + 1
    assert after.episodes == case.episodes


# --- replay -----------------------------------------------------------------------------


def test_replay_equals_the_fold() -> None:
    events = events_to(Phase.CLOSED)
    case = None
    for event in events:
        case = apply(case, event)
    assert replay(events) == case


def test_replay_of_nothing_is_an_input_error() -> None:
    with pytest.raises(InputError, match="at least one event"):
        replay([])


def test_replay_stops_at_the_first_refusal() -> None:
    events = events_to(Phase.MONITORING)
    with pytest.raises(TransitionError):
        replay([*events, valid_event("admitted", case_in(Phase.MONITORING), date(2025, 1, 1))])


def test_replay_log_collects_refusals_and_goes_on() -> None:
    a = events_to(Phase.MONITORING, "K-0001")
    b = events_to(Phase.CLOSED, "K-0002")
    bad = IntakeStarted(client_id="K-0001", on=date(2030, 1, 1))
    early = CaseClosed(client_id="K-0002", on=date(2020, 1, 1), reason="other")
    log = [*a, bad, *b, early]
    result = replay_log(log, lines=range(10, 10 + len(log)))
    assert result.events == len(log)
    assert set(result.cases) == {"K-0001", "K-0002"}
    assert result.cases["K-0001"] == replay(a) and result.cases["K-0002"] == replay(b)
    assert [(r.line, r.client_id, r.event, r.error) for r in result.refused] == [
        (10 + len(a), "K-0001", "intake_started", "TransitionError"),
        (10 + len(log) - 1, "K-0002", "case_closed", "EventOrderError"),
    ]
    assert repr(result) == f"ReplayResult(cases=2, refused=2, events={len(log)})"


def test_replay_log_restores_the_garbage_collector() -> None:
    import gc

    assert gc.isenabled()
    replay_log(events_to(Phase.CLOSED))
    assert gc.isenabled()
    gc.disable()
    try:
        replay_log(events_to(Phase.CLOSED))
        assert not gc.isenabled()
    finally:
        gc.enable()


# --- the case's own invariants when built directly --------------------------------------


def test_a_case_built_directly_checks_its_invariants() -> None:
    case = case_in(Phase.CLOSED)
    data = case.model_dump()
    assert Case.model_validate(data) == case
    broken = [
        {**data, "phase": "monitoring"},  # closed episode but open phase
        {**data, "episodes": [*data["episodes"], {**data["episodes"][0], "number": 2,
                                                  "ended_on": None, "closure_reason": None}]},
        {**data, "goals": [*data["goals"], data["goals"][0]]},  # duplicate goal id
        {**data, "consents": []},  # referrals name a consent the case lacks
        {**data, "rechtskreis": "sgb_xii", "rechtskreis_changes": [
            {"on": "2024-03-01", "old": "asylblg", "new": "sgb_ii"}]},
        {**data, "on_hold_since": "2024-05-01"},
    ]  # fmt: skip
    for item in broken:
        with pytest.raises(InputError):
            Case.model_validate(item)


def test_an_ended_episode_needs_exactly_one_reason() -> None:
    case = case_in(Phase.CLOSED)
    episode = case.episode.model_dump()
    with pytest.raises(InputError, match="exactly one reason"):
        type(case.episode).model_validate({**episode, "closure_reason": None})
    with pytest.raises(InputError, match="exactly one reason"):
        type(case.episode).model_validate({**episode, "not_admitted_reason": "other"})


def test_every_open_phase_has_an_open_episode() -> None:
    for phase in Phase:
        case = case_in(phase)
        assert case.is_open is (phase in OPEN_PHASES) is case.episode.is_open
