"""Deadlines of a caseload: plan reviews and the contact-loss timeout.

Both intervals are local policy ([`LocalPolicy`][kim.casework.admission.LocalPolicy]); no source
gives a Land-wide value, so the library has no default and refuses to compute a deadline the
policy does not configure.

* **Review.** While a plan runs (phases implementing and monitoring), it is due for a
  review ``review_every_weeks`` after the plan was agreed or last evaluated.
* **Contact loss.** A case on hold for ``contact_loss_weeks`` is proposed for closure
  with the reason ``contact_lost``. The library proposes; the case manager decides by
  applying the proposed [`CaseClosed`][kim.casework.events.CaseClosed] event.

Dates are computed with ``dateutil.relativedelta``. An action is listed from its due
day on, with the number of days it is overdue.

Examples:
    >>> from datetime import date
    >>> from kim.casework import (LocalPolicy, Referred, IntakeStarted, Admitted,
    ...     AssessmentCompleted, PlanAgreed, GoalSpec, replay)
    >>> case = replay([
    ...     Referred(client_id="K-7", on=date(2024, 1, 8), unit="Kreis Coesfeld",
    ...              case_manager="cm-01"),
    ...     IntakeStarted(client_id="K-7", on=date(2024, 1, 15)),
    ...     Admitted(client_id="K-7", on=date(2024, 1, 22), criteria_met=("nr1",)),
    ...     AssessmentCompleted(client_id="K-7", on=date(2024, 2, 5), needs={"wohnen"}),
    ...     PlanAgreed(client_id="K-7", on=date(2024, 2, 19),
    ...                goals=(GoalSpec(id="g1", lebenslage="wohnen"),)),
    ... ])
    >>> policy = LocalPolicy(review_every_weeks=12, contact_loss_weeks=8)
    >>> review_due_on(case, policy)
    datetime.date(2024, 5, 13)
    >>> for action in due_actions([case], date(2024, 5, 20), policy):
    ...     print(action.client_id, action.kind.value, action.overdue_days)
    K-7 review 7

"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from dateutil.relativedelta import relativedelta
from pydantic import Field

from kim.casework.admission import LocalPolicy
from kim.casework.events import CaseClosed
from kim.casework.model import Case
from kim.casework.records import CaseRecord
from kim.casework.vocabulary import ClosureReason, Phase
from kim.errors import InputError

__all__ = [
    "ActionKind",
    "DueAction",
    "closure_due_on",
    "due_actions",
    "review_due_on",
]

_PLAN_RUNNING = frozenset({Phase.IMPLEMENTING, Phase.MONITORING})


class ActionKind(StrEnum):
    """What a case manager has to do."""

    REVIEW = "review"
    """Review the running plan with the client (start an evaluation)."""
    PROPOSE_CLOSURE = "propose_closure"
    """Contact has been lost for longer than the timeout: consider closing the case."""


class DueAction(CaseRecord):
    """A deadline that has come: what to do, for which case, since when.

    The repr shows the client id and the kind of action only.
    """

    _repr_fields = ("client_id", "kind")

    client_id: str = Field(description="The pseudonymous client id.")
    case_manager: str = Field(description="The responsible case manager's staff id.")
    kind: ActionKind = Field(description="What is due.")
    due_on: date = Field(description="The day it became due.")
    overdue_days: int = Field(ge=0, description="Days since it became due (0: due today).")
    proposed_reason: ClosureReason | None = Field(
        default=None, description="The closure reason proposed (for propose_closure)."
    )

    def proposed_event(self, on: date) -> CaseClosed | None:
        """The `CaseClosed` event this action proposes, dated ``on``."""
        if self.proposed_reason is None:
            return None
        return CaseClosed(client_id=self.client_id, on=on, reason=self.proposed_reason)


def review_due_on(case: Case, policy: LocalPolicy) -> date | None:
    """The day the running plan of ``case`` is due for review (``None`` if no plan runs).

    Raises ``InputError`` if the policy sets no review interval.
    """
    if policy.review_every_weeks is None:
        raise InputError(
            "The local policy sets no review interval (review_every_weeks); no source "
            "gives a default, so configure one."
        )
    if case.phase not in _PLAN_RUNNING or case.last_review_on is None:
        return None
    due: date = case.last_review_on + relativedelta(weeks=policy.review_every_weeks)
    return due


def closure_due_on(case: Case, policy: LocalPolicy) -> date | None:
    """The day a case on hold is proposed for closure (``None`` if it is not on hold).

    Raises ``InputError`` if the policy sets no contact-loss timeout.
    """
    if policy.contact_loss_weeks is None:
        raise InputError(
            "The local policy sets no contact-loss timeout (contact_loss_weeks); no source "
            "gives a default, so configure one."
        )
    if case.phase is not Phase.ON_HOLD or case.on_hold_since is None:
        return None
    due: date = case.on_hold_since + relativedelta(weeks=policy.contact_loss_weeks)
    return due


def due_actions(cases: Iterable[Case], on: date, policy: LocalPolicy) -> tuple[DueAction, ...]:
    """The actions due on ``on`` for a caseload, oldest due date first.

    Only the deadlines the policy configures are computed; a policy that configures
    none is refused.
    """
    if policy.review_every_weeks is None and policy.contact_loss_weeks is None:
        raise InputError(
            "The local policy configures no deadline: set review_every_weeks and/or "
            "contact_loss_weeks (no source gives a default)."
        )
    actions: list[DueAction] = []
    for case in cases:
        found: list[tuple[ActionKind, date | None]] = []
        if policy.review_every_weeks is not None:
            found.append((ActionKind.REVIEW, review_due_on(case, policy)))
        if policy.contact_loss_weeks is not None:
            found.append((ActionKind.PROPOSE_CLOSURE, closure_due_on(case, policy)))
        for kind, due in found:
            if due is not None and due <= on:
                actions.append(
                    DueAction(
                        client_id=case.client_id,
                        case_manager=case.case_manager,
                        kind=kind,
                        due_on=due,
                        overdue_days=(on - due).days,
                        proposed_reason=ClosureReason.CONTACT_LOST
                        if kind is ActionKind.PROPOSE_CLOSURE
                        else None,
                    )
                )
    actions.sort(key=lambda a: (a.due_on, a.client_id, a.kind.value))
    return tuple(actions)
