"""Deadlines: plan reviews every N weeks, and the contact-loss timeout that proposes closure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kim.casework import (
    ActionKind,
    CaseClosed,
    ClosureReason,
    EvaluationCompleted,
    EvaluationStarted,
    GoalSpec,
    LocalPolicy,
    Phase,
    PlanAgreed,
    apply,
    closure_due_on,
    due_actions,
    review_due_on,
)
from kim.errors import InputError

from .builders import CID, case_in

POLICY = LocalPolicy(review_every_weeks=12, contact_loss_weeks=8)


def test_review_is_due_n_weeks_after_the_plan() -> None:
    case = case_in(Phase.MONITORING)
    plan_day = case.goals[0].agreed_on
    assert case.last_review_on == plan_day
    assert review_due_on(case, POLICY) == plan_day + timedelta(weeks=12)


def test_an_evaluation_restarts_the_review_clock() -> None:
    case = case_in(Phase.MONITORING)
    day = case.last_event_on + timedelta(days=30)
    evaluating = apply(case, EvaluationStarted(client_id=CID, on=day))
    assert review_due_on(evaluating, POLICY) is None  # the review is under way
    planning = apply(evaluating, EvaluationCompleted(client_id=CID, on=day))
    again = apply(
        planning,
        PlanAgreed(client_id=CID, on=day + timedelta(days=3),
                   goals=(GoalSpec(id="g9", lebenslage="wohnen"),)),
    )  # fmt: skip
    assert review_due_on(again, POLICY) == day + timedelta(days=3, weeks=12)


@pytest.mark.parametrize(
    "phase", [p for p in Phase if p not in (Phase.IMPLEMENTING, Phase.MONITORING)]
)
def test_no_review_outside_a_running_plan(phase: Phase) -> None:
    assert review_due_on(case_in(phase), POLICY) is None


def test_contact_loss_proposes_closure_after_the_timeout() -> None:
    case = case_in(Phase.ON_HOLD)
    assert case.on_hold_since is not None
    due = case.on_hold_since + timedelta(weeks=8)
    assert closure_due_on(case, POLICY) == due
    assert due_actions([case], due - timedelta(days=1), POLICY) == ()
    (action,) = due_actions([case], due + timedelta(days=5), POLICY)
    assert action.kind is ActionKind.PROPOSE_CLOSURE and action.overdue_days == 5
    assert action.proposed_reason is ClosureReason.CONTACT_LOST
    proposed = action.proposed_event(due + timedelta(days=5))
    assert isinstance(proposed, CaseClosed)
    closed = apply(case, proposed)
    assert (
        closed.phase is Phase.CLOSED and closed.episode.closure_reason is ClosureReason.CONTACT_LOST
    )
    assert closure_due_on(closed, POLICY) is None


def test_due_actions_of_a_caseload_sorted_by_due_date() -> None:
    monitoring = case_in(Phase.MONITORING, "K-0002")
    on_hold = case_in(Phase.ON_HOLD, "K-0003")
    closed = case_in(Phase.CLOSED, "K-0004")
    day = date(2025, 1, 1)
    actions = due_actions([monitoring, on_hold, closed], day, POLICY)
    # Both fall due on 6 May 2024 (plan 12.02. + 12 weeks; on hold 11.03. + 8 weeks);
    # ties are ordered by client id.
    assert [(a.client_id, a.kind.value, a.due_on) for a in actions] == [
        ("K-0002", "review", date(2024, 5, 6)),
        ("K-0003", "propose_closure", date(2024, 5, 6)),
    ]
    assert all(
        a.case_manager == "cm-01" and a.overdue_days == (day - a.due_on).days for a in actions
    )
    review = next(a for a in actions if a.kind is ActionKind.REVIEW)
    assert review.proposed_event(day) is None


def test_only_configured_deadlines_are_computed() -> None:
    on_hold = case_in(Phase.ON_HOLD)
    reviews_only = LocalPolicy(review_every_weeks=4)
    assert due_actions([on_hold], date(2030, 1, 1), reviews_only) == ()
    with pytest.raises(InputError, match="contact_loss_weeks"):
        closure_due_on(on_hold, reviews_only)
    with pytest.raises(InputError, match="review_every_weeks"):
        review_due_on(on_hold, LocalPolicy(contact_loss_weeks=4))
    with pytest.raises(InputError, match="configures no deadline"):
        due_actions([on_hold], date(2030, 1, 1), LocalPolicy())


def test_due_action_repr_shows_no_dates() -> None:
    (action,) = due_actions([case_in(Phase.ON_HOLD)], date(2030, 1, 1), POLICY)
    assert (
        repr(action)
        == "DueAction(client_id='K-0001', kind=<ActionKind.PROPOSE_CLOSURE: 'propose_closure'>)"
    )
