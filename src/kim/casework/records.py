"""The parts of a case record: consents, goals, referrals, disclosures, episodes, ...

Every part is a frozen [`CaseRecord`][kim.casework.records.CaseRecord] whose repr shows
identifiers only; dates, legal systems and free-text notes never appear in a repr, a
log line or an error message.

Examples:
    >>> from datetime import date
    >>> Consent(id="c1", purpose=Purpose.REFERRAL, recipients=frozenset({Authority.JOBCENTER}),
    ...         given_on=date(2024, 2, 1), episode=1)
    Consent(id='c1')

"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any, ClassVar, Self

from pydantic import Field, PlainSerializer, model_validator

from kim._model import KimModel
from kim.casework.ids import Identifier, Note, sorted_values
from kim.casework.vocabulary import (
    Authority,
    ClosureReason,
    GoalStatus,
    Lebenslage,
    NotAdmittedReason,
    Purpose,
    Rechtskreis,
)
from kim.errors import InputError

__all__ = [
    "Assignment",
    "CaseRecord",
    "Consent",
    "Disclosure",
    "Episode",
    "GapReport",
    "Goal",
    "RechtskreisChange",
    "Referral",
]


class CaseRecord(KimModel):
    """A casework record whose repr shows only the fields in ``_repr_fields``."""

    _repr_fields: ClassVar[tuple[str, ...]] = ()
    echo_unknown_keys: ClassVar[bool] = False

    def __repr_args__(self) -> Iterator[tuple[str, Any]]:
        for name in self._repr_fields:
            yield name, getattr(self, name)


class Consent(CaseRecord):
    """A consent to share data: one purpose, named recipients, given and withdrawn dates.

    A blanket consent is not valid (source ``einwilligung-leitfaden``): each consent
    names its purpose and recipients. Withdrawal sets ``withdrawn_on``; the consent stays
    in the record, so history is kept, but it covers nothing from that day on.

    A consent belongs to the episode it was given in (``episode``) and lapses when that
    episode ends: a reopened case needs a new consent. Consents of earlier episodes stay
    in the record (and can still be withdrawn) but are no basis for new sharing.
    """

    _repr_fields = ("id",)

    id: Identifier = Field(description="The consent's id within the case.")
    purpose: Purpose = Field(description="What the data may be shared for.")
    recipients: Annotated[
        frozenset[Authority], PlainSerializer(sorted_values, return_type=list[Authority])
    ] = Field(min_length=1, description="Who may receive the data.")
    given_on: date = Field(description="Day the consent was given.")
    withdrawn_on: date | None = Field(default=None, description="Day it was withdrawn.")
    episode: int = Field(
        ge=1, description="The episode it was given in; it lapses when that episode ends."
    )

    def covers(self, purpose: Purpose, recipient: Authority, on: date) -> bool:
        """Whether this consent allows new sharing with ``recipient`` for ``purpose`` on ``on``.

        A consent withdrawn on ``on`` covers nothing that day. (That its episode is still
        open is checked by [`Case.covering_consent()`][kim.casework.model.Case.covering_consent].)
        """
        return (
            self.purpose is purpose
            and recipient in self.recipients
            and self.given_on <= on
            and (self.withdrawn_on is None or on < self.withdrawn_on)
        )

    def justifies(self, purpose: Purpose, recipient: Authority, on: date) -> bool:
        """Whether a sharing **on record**, dated ``on``, was covered by this consent.

        Like [`covers()`][kim.casework.records.Consent.covers], except that a sharing dated on
        the day of withdrawal counts: events of one day are applied in order and sharing is
        refused once the consent is withdrawn, so a sharing of that day on record happened
        before the withdrawal. A later withdrawal never takes the basis away from earlier
        sharing.
        """
        return (
            self.purpose is purpose
            and recipient in self.recipients
            and self.given_on <= on
            and (self.withdrawn_on is None or on <= self.withdrawn_on)
        )


class Goal(CaseRecord):
    """A goal agreed with the client, in one life area."""

    _repr_fields = ("id",)

    id: Identifier = Field(description="The goal's id within the case.")
    lebenslage: Lebenslage = Field(description="The life area of the goal.")
    agreed_on: date = Field(description="Day the goal was agreed.")
    status: GoalStatus = Field(default=GoalStatus.OPEN, description="Where the goal stands.")
    status_on: date | None = Field(default=None, description="Day of the last status change.")


class Referral(CaseRecord):
    """A referral of the client to an authority or service, with the basis of sharing.

    ``basis`` names what allowed the data to go out: ``consent:<id>`` or
    ``legal:<reference>`` for a legal basis configured in the local policy.
    """

    _repr_fields = ("id",)

    id: Identifier = Field(description="The referral's id within the case.")
    recipient: Authority = Field(description="Where the client was referred to.")
    purpose: Purpose = Field(description="The purpose of the data shared.")
    made_on: date = Field(description="Day of the referral.")
    goal_id: Identifier | None = Field(default=None, description="The goal it serves.")
    basis: str = Field(description="'consent:<id>' or 'legal:<reference>'.")
    service_started_on: date | None = Field(default=None, description="Service start.")
    service_ended_on: date | None = Field(default=None, description="Service end.")


class Disclosure(CaseRecord):
    """Data of the case shared with an authority outside a referral, with its basis."""

    on: date = Field(description="Day the data were shared.")
    recipient: Authority = Field(description="Who received the data.")
    purpose: Purpose = Field(description="What the data were shared for.")
    basis: str = Field(description="'consent:<id>' or 'legal:<reference>'.")


class RechtskreisChange(CaseRecord):
    """A change of the legal system (Rechtskreiswechsel), e.g. AsylbLG to SGB II."""

    on: date = Field(description="Day of the change.")
    old: Rechtskreis = Field(description="The legal system before.")
    new: Rechtskreis = Field(description="The legal system after.")


class GapReport(CaseRecord):
    """A report of a gap in the support system (side channel, never changes the phase).

    Reports feed the coordination and the local steering group (source
    ``kim-nrw-faq``); only the life area and legal system are aggregated. The note is
    free text and is never shown in a repr, a message or the statistics.
    """

    _repr_fields = ("lebenslage",)

    on: date = Field(description="Day of the report.")
    lebenslage: Lebenslage = Field(description="The life area where the gap is.")
    rechtskreis: Rechtskreis | None = Field(default=None, description="The legal system.")
    note: Note | None = Field(default=None, description="Free text (never shown).")


class Assignment(CaseRecord):
    """From which day a case manager (a staff id, not a name) is responsible."""

    _repr_fields = ("case_manager",)

    since: date = Field(description="First day of responsibility.")
    case_manager: Identifier = Field(description="The case manager's staff id, e.g. 'cm-07'.")


class Episode(CaseRecord):
    """One run of the case from referral (or reopening) to its end.

    An episode that has ended has a date and **exactly one** reason: a closure reason
    (it was admitted and closed) or a not-admitted reason.
    """

    _repr_fields = ("number",)

    number: int = Field(ge=1, description="1 for the first episode, then 2, 3, ...")
    opened_on: date = Field(description="Day of referral or reopening.")
    admitted_on: date | None = Field(default=None, description="Day of admission.")
    ended_on: date | None = Field(default=None, description="Day the episode ended.")
    closure_reason: ClosureReason | None = Field(default=None, description="If closed.")
    not_admitted_reason: NotAdmittedReason | None = Field(
        default=None, description="If the episode ended without admission."
    )

    @model_validator(mode="after")
    def _one_reason(self) -> Self:
        reasons = (self.closure_reason is not None) + (self.not_admitted_reason is not None)
        if self.ended_on is None and reasons:
            raise InputError("an open episode must not have a closure or not-admitted reason")
        if self.ended_on is not None and reasons != 1:
            raise InputError("an ended episode needs exactly one reason")
        if self.closure_reason is not None and self.admitted_on is None:
            raise InputError("a closed episode must have been admitted")
        return self

    @property
    def is_open(self) -> bool:
        """Whether the episode has not ended."""
        return self.ended_on is None
