"""The events of a case: frozen, dated records of what happened.

A case's history is a list of events; [`kim.casework.replay()`][kim.casework.machine.replay] folds
them into a [`Case`][kim.casework.model.Case]. Every event names the pseudonymous ``client_id`` of
its case and the day ``on`` which it happened, and has a ``type`` (the discriminator used in JSON).
[`CaseEvent`][kim.casework.events.CaseEvent] is the union of all event classes, and
[`EVENT_TYPES`][kim.casework.events.EVENT_TYPES] maps each ``type`` to its class.

The repr of an event shows its type and client id only:

Examples:
    >>> from datetime import date
    >>> StructuralGapReported(client_id="K-0042", on=date(2024, 3, 1),
    ...     lebenslage=Lebenslage.WOHNEN, note="free text with personal details")
    StructuralGapReported(type='structural_gap_reported', client_id='K-0042')

"""

from __future__ import annotations

from datetime import date
from typing import Annotated, ClassVar, Literal

from pydantic import Field, PlainSerializer

from kim.casework.ids import ClientId, Identifier, Note, UnitName, sorted_values
from kim.casework.records import CaseRecord
from kim.casework.target_group import Criterion
from kim.casework.vocabulary import (
    Authority,
    ClosureReason,
    GoalStatus,
    Lebenslage,
    NotAdmittedReason,
    Purpose,
    Rechtskreis,
)

__all__ = [
    "EVENT_TYPES",
    "Admitted",
    "AssessmentCompleted",
    "CaseClosed",
    "CaseEvent",
    "CaseManagerChanged",
    "ConsentGiven",
    "ConsentWithdrawn",
    "ContactLost",
    "ContactResumed",
    "DataShared",
    "EvaluationCompleted",
    "EvaluationStarted",
    "Event",
    "GoalSpec",
    "GoalStatusChanged",
    "IntakeStarted",
    "NotAdmitted",
    "PlanAgreed",
    "RechtskreisChanged",
    "ReferralMade",
    "Referred",
    "Reopened",
    "ServiceEnded",
    "ServiceStarted",
    "SituationChanged",
    "StructuralGapReported",
]


FIRST_DAY = date(1900, 1, 1)
"""The earliest day an event may have."""
LAST_DAY = date(2199, 12, 31)
"""The latest day an event may have (later days leave no room for deadlines)."""


class Event(CaseRecord):
    """The fields every event has: its type, the case's client id, and its day."""

    _repr_fields: ClassVar[tuple[str, ...]] = ("type", "client_id")

    type: str = Field(description="The event's type, e.g. 'referred'.")
    client_id: ClientId = Field(description="The pseudonymous client id of the case.")
    on: date = Field(
        ge=FIRST_DAY, le=LAST_DAY, description="The day the event happened (1900 to 2199)."
    )


class Referred(Event):
    """The client is referred (or comes on their own): the case begins. -> referred."""

    type: Literal["referred"] = "referred"
    unit: UnitName = Field(description="The KIM unit (AGS or name).")
    case_manager: Identifier = Field(description="The responsible case manager's staff id.")
    rechtskreis: Rechtskreis = Field(
        default=Rechtskreis.NONE_OR_UNKNOWN, description="The legal system at referral."
    )
    referred_by: Authority | None = Field(
        default=None, description="Who referred the client (None: the client came directly)."
    )


class IntakeStarted(Event):
    """First contact: the admission check begins. referred -> clarification."""

    type: Literal["intake_started"] = "intake_started"


class Admitted(Event):
    """Admitted to case management. clarification -> assessment.

    Records only the § 4 criteria that held and whether the client is in a priority
    group; see [`kim.casework.admission_event()`][kim.casework.admission.admission_event] to build
    it from a decision.
    """

    type: Literal["admitted"] = "admitted"
    criteria_met: tuple[Criterion, ...] = Field(
        min_length=1, description="The § 4 TIntG criteria that held."
    )
    priority: bool = Field(default=False, description="In a local priority group.")


class NotAdmitted(Event):
    """The episode ends without admission. referred or clarification -> not admitted."""

    type: Literal["not_admitted"] = "not_admitted"
    reason: NotAdmittedReason = Field(description="Why the client was not admitted.")


class ConsentGiven(Event):
    """The client consents to sharing data for one purpose with named recipients."""

    type: Literal["consent_given"] = "consent_given"
    consent_id: Identifier = Field(description="A new id for the consent within the case.")
    purpose: Purpose = Field(description="What the data may be shared for.")
    recipients: Annotated[
        frozenset[Authority], PlainSerializer(sorted_values, return_type=list[Authority])
    ] = Field(min_length=1, description="Who may receive the data.")


class ConsentWithdrawn(Event):
    """The client withdraws a consent; it is kept but covers nothing from this day on.

    Allowed in every phase, also after closure: a consent can always be withdrawn.
    """

    type: Literal["consent_withdrawn"] = "consent_withdrawn"
    consent_id: Identifier = Field(description="The consent withdrawn.")


class AssessmentCompleted(Event):
    """Needs and resources are assessed per life area. assessment -> planning."""

    type: Literal["assessment_completed"] = "assessment_completed"
    needs: Annotated[
        frozenset[Lebenslage], PlainSerializer(sorted_values, return_type=list[Lebenslage])
    ] = Field(min_length=1, description="The life areas with needs.")


class GoalSpec(CaseRecord):
    """A goal as agreed in a plan: an id and a life area."""

    _repr_fields: ClassVar[tuple[str, ...]] = ("id",)

    id: Identifier = Field(description="A new id for the goal within the case.")
    lebenslage: Lebenslage = Field(description="The goal's life area.")


class PlanAgreed(Event):
    """Goals are agreed with the client. planning -> implementing."""

    type: Literal["plan_agreed"] = "plan_agreed"
    goals: tuple[GoalSpec, ...] = Field(min_length=1, description="The goals agreed.")


class ReferralMade(Event):
    """The client is referred to an authority; data go with the referral.

    Needs a consent that covers the purpose and the recipient on that day, or a legal
    basis configured in the local policy. implementing -> monitoring; monitoring stays.
    """

    type: Literal["referral_made"] = "referral_made"
    referral_id: Identifier = Field(description="A new id for the referral within the case.")
    recipient: Authority = Field(description="Where the client is referred to.")
    purpose: Purpose = Field(default=Purpose.REFERRAL, description="Purpose of the data sent.")
    goal_id: Identifier | None = Field(default=None, description="The goal it serves, if any.")


class DataShared(Event):
    """Data of the case are shared with an authority (e.g. a case conference).

    Needs a covering consent or a configured legal basis, like a referral. No phase change.
    """

    type: Literal["data_shared"] = "data_shared"
    recipient: Authority = Field(description="Who receives the data.")
    purpose: Purpose = Field(description="What the data are shared for.")


class ServiceStarted(Event):
    """The service a referral led to has started. No phase change."""

    type: Literal["service_started"] = "service_started"
    referral_id: Identifier = Field(description="The referral.")


class ServiceEnded(Event):
    """The service a referral led to has ended. No phase change."""

    type: Literal["service_ended"] = "service_ended"
    referral_id: Identifier = Field(description="The referral.")


class GoalStatusChanged(Event):
    """A goal is achieved, partly achieved, dropped or open again. No phase change."""

    type: Literal["goal_status_changed"] = "goal_status_changed"
    goal_id: Identifier = Field(description="The goal.")
    status: GoalStatus = Field(description="Its new status.")


class EvaluationStarted(Event):
    """The plan is reviewed with the client. implementing or monitoring -> evaluation."""

    type: Literal["evaluation_started"] = "evaluation_started"


class EvaluationCompleted(Event):
    """The review ends with revised goals to agree. evaluation -> planning.

    To end the case after an evaluation, apply [`CaseClosed`][kim.casework.events.CaseClosed]
    instead.
    """

    type: Literal["evaluation_completed"] = "evaluation_completed"


class SituationChanged(Event):
    """The client's situation changed so much that it must be assessed again. -> assessment."""

    type: Literal["situation_changed"] = "situation_changed"


class RechtskreisChanged(Event):
    """The legal system changes (Rechtskreiswechsel), e.g. AsylbLG -> SGB II.

    Sends an admitted case back to assessment and never closes it. Before admission
    it only updates the record; on hold the case stays on hold, and resuming contact
    leads to assessment anyway.
    """

    type: Literal["rechtskreis_changed"] = "rechtskreis_changed"
    new: Rechtskreis = Field(description="The new legal system.")


class ContactLost(Event):
    """Contact with the client is lost. An admitted phase -> on hold."""

    type: Literal["contact_lost"] = "contact_lost"


class ContactResumed(Event):
    """Contact is back. on hold -> assessment."""

    type: Literal["contact_resumed"] = "contact_resumed"


class CaseClosed(Event):
    """The episode is closed with exactly one reason. An admitted phase -> closed."""

    type: Literal["case_closed"] = "case_closed"
    reason: ClosureReason = Field(description="Why the case is closed.")


class Reopened(Event):
    """A closed or not-admitted case starts a new episode. -> clarification."""

    type: Literal["reopened"] = "reopened"
    case_manager: Identifier | None = Field(
        default=None, description="A new case manager, if the responsibility changes."
    )


class CaseManagerChanged(Event):
    """Another case manager takes over. No phase change."""

    type: Literal["case_manager_changed"] = "case_manager_changed"
    case_manager: Identifier = Field(description="The new case manager's staff id.")


class StructuralGapReported(Event):
    """A gap in the support system, seen in this case (side channel: no phase change).

    Allowed in every phase. The note is free text: it is kept in the log but never
    shown in a repr, an error or the statistics.
    """

    type: Literal["structural_gap_reported"] = "structural_gap_reported"
    lebenslage: Lebenslage = Field(description="The life area where the gap is.")
    rechtskreis: Rechtskreis | None = Field(default=None, description="The legal system.")
    note: Note | None = Field(default=None, description="Free text (never shown).")


CaseEvent = Annotated[
    Referred
    | IntakeStarted
    | Admitted
    | NotAdmitted
    | ConsentGiven
    | ConsentWithdrawn
    | AssessmentCompleted
    | PlanAgreed
    | ReferralMade
    | DataShared
    | ServiceStarted
    | ServiceEnded
    | GoalStatusChanged
    | EvaluationStarted
    | EvaluationCompleted
    | SituationChanged
    | RechtskreisChanged
    | ContactLost
    | ContactResumed
    | CaseClosed
    | Reopened
    | CaseManagerChanged
    | StructuralGapReported,
    Field(discriminator="type"),
]
"""Any event; pydantic picks the class by its ``type`` field.

For a ``pydantic.TypeAdapter``. The library itself reads events with
[`kim.casework.event_from_json()`][kim.casework.serialize.event_from_json] and
[`kim.casework.read_jsonl()`][kim.casework.serialize.read_jsonl], which raise the library's own
errors rather than pydantic's ``ValidationError``.
"""

EVENT_TYPES: dict[str, type[Event]] = {
    cls.model_fields["type"].default: cls
    for cls in (
        Referred,
        IntakeStarted,
        Admitted,
        NotAdmitted,
        ConsentGiven,
        ConsentWithdrawn,
        AssessmentCompleted,
        PlanAgreed,
        ReferralMade,
        DataShared,
        ServiceStarted,
        ServiceEnded,
        GoalStatusChanged,
        EvaluationStarted,
        EvaluationCompleted,
        SituationChanged,
        RechtskreisChanged,
        ContactLost,
        ContactResumed,
        CaseClosed,
        Reopened,
        CaseManagerChanged,
        StructuralGapReported,
    )
}
"""Every event type (the ``type`` string) and its class, in the order of the workflow."""
