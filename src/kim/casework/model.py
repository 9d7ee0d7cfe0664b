"""The case record: phases, episodes, goals, referrals, consents, legal systems.

A [`Case`][kim.casework.model.Case] is what a case manager knows about one client, in the shape the
workflow needs and no more: a **pseudonymous client id** (no name, no birth date), the
KIM unit, the case manager's staff id, the phase, the episodes, the goals per life area
(Lebenslage), the referrals to authorities, the consents, the current legal system
(Rechtskreis) and dates. Of the admission check it keeps only the criteria of § 4 TIntG
that held, never the facts behind them.

A case is never edited: [`kim.casework.apply()`][kim.casework.machine.apply] returns a new case for
each event. The phases follow the generic case-management loop (source
``socialnet-case-management``) with KIM's additions; the German label of each phase is
``Phase.label_de``.

**Privacy.** The repr of every record shows identifiers and the phase only; dates,
legal systems, facts and free-text notes never appear in a repr, a log line or an error
message.

Examples:
    >>> Phase.MONITORING.label_de
    'Monitoring'
    >>> Consent(id="c1", purpose=Purpose.REFERRAL, recipients=frozenset({Authority.JOBCENTER}),
    ...         given_on=date(2024, 2, 1), episode=1)
    Consent(id='c1')

"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Any, ClassVar, Self

from pydantic import AfterValidator, Field, PlainSerializer, model_validator

from kim._model import KimModel
from kim.casework.target_group import Criterion
from kim.errors import InputError

__all__ = [
    "ADMITTED_PHASES",
    "OPEN_PHASES",
    "Assignment",
    "Authority",
    "Case",
    "ClosureReason",
    "Consent",
    "Disclosure",
    "Episode",
    "GapReport",
    "Goal",
    "GoalStatus",
    "Lebenslage",
    "NotAdmittedReason",
    "Phase",
    "Purpose",
    "Rechtskreis",
    "RechtskreisChange",
    "Referral",
    "case_problems",
]

_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$"


def _has_digit(value: str) -> str:
    if not any(ch.isdigit() for ch in value):
        raise InputError(
            "a pseudonymous client id must contain a digit (e.g. 'K-0042'); a plain name is refused"
        )
    return value


Identifier = Annotated[str, Field(pattern=_ID_PATTERN)]
"""A record id: letters, digits and ``_ . : -``, at most 64 characters."""

ClientId = Annotated[str, Field(pattern=_ID_PATTERN), AfterValidator(_has_digit)]
"""A pseudonymous client id such as ``K-0042``; it must contain a digit."""

Note = Annotated[str, Field(max_length=2000)]
"""Free text. It may hold personal data, so it never appears in a repr or a message."""


def sorted_values(values: frozenset[Any]) -> list[Any]:
    """A set as a sorted list, so the JSON of a record is the same however it was built."""
    return sorted(values)


class Phase(StrEnum):
    """The phase of a case's current episode."""

    REFERRED = "referred"
    """Zugang/Anfrage: the client was referred or came on their own."""
    CLARIFICATION = "clarification"
    """Klärung/Intake: first contact, the admission check."""
    NOT_ADMITTED = "not_admitted"
    """Nicht aufgenommen: the episode ended without admission."""
    ASSESSMENT = "assessment"
    """Assessment/Situationsanalyse: needs and resources per life area."""
    PLANNING = "planning"
    """Zielvereinbarung/Hilfeplanung: goals are agreed."""
    IMPLEMENTING = "implementing"
    """Leistungssteuerung/Linking: the plan is carried out, referrals are made."""
    MONITORING = "monitoring"
    """Monitoring: services run, goals are followed up."""
    EVALUATION = "evaluation"
    """Evaluation/Auswertung: the plan is reviewed with the client."""
    ON_HOLD = "on_hold"
    """Ruhend: contact was lost; the case waits for contact or closure."""
    CLOSED = "closed"
    """Abgeschlossen: the episode ended with a closure reason."""

    @property
    def label_de(self) -> str:
        """The German term used in KIM practice."""
        return _PHASE_DE[self]


_PHASE_DE = {
    Phase.REFERRED: "Zugang/Anfrage",
    Phase.CLARIFICATION: "Klärung/Intake",
    Phase.NOT_ADMITTED: "nicht aufgenommen",
    Phase.ASSESSMENT: "Assessment/Situationsanalyse",
    Phase.PLANNING: "Zielvereinbarung/Hilfeplanung",
    Phase.IMPLEMENTING: "Leistungssteuerung/Linking",
    Phase.MONITORING: "Monitoring",
    Phase.EVALUATION: "Evaluation/Auswertung",
    Phase.ON_HOLD: "ruhend",
    Phase.CLOSED: "abgeschlossen",
}

OPEN_PHASES: frozenset[Phase] = frozenset(Phase) - {Phase.NOT_ADMITTED, Phase.CLOSED}
"""Phases in which the case's current episode is open."""

ADMITTED_PHASES: frozenset[Phase] = OPEN_PHASES - {Phase.REFERRED, Phase.CLARIFICATION}
"""Open phases after admission (assessment to evaluation, and on hold)."""


class Lebenslage(StrEnum):
    """Life areas for goals and needs (TIntG § 1 Nr. 1 and the Land's list; three added)."""

    AUFENTHALT = "aufenthalt"
    """Residence status and naturalisation."""
    SPRACHE = "sprache"
    """Language learning."""
    BILDUNG_SCHULE = "bildung_schule"
    """Education, school and childcare."""
    AUSBILDUNG_ARBEIT = "ausbildung_arbeit"
    """Vocational training and work."""
    WOHNEN = "wohnen"
    """Housing."""
    GESUNDHEIT = "gesundheit"
    """Health."""
    FAMILIE = "familie"
    """Family (added by the library; not in an official KIM list)."""
    FINANZEN_LEISTUNGEN = "finanzen_leistungen"
    """Income and benefits (added by the library)."""
    ERSTORIENTIERUNG_RECHT = "erstorientierung_recht"
    """First orientation, legal knowledge and consumer protection."""
    SOZIALE_TEILHABE = "soziale_teilhabe"
    """Social participation (added by the library)."""


class Rechtskreis(StrEnum):
    """The legal system (branch of social law) the client's benefits come from."""

    ASYLBLG = "asylblg"
    """Asylbewerberleistungsgesetz (Sozialamt)."""
    SGB_II = "sgb_ii"
    """Basic income support for jobseekers (Jobcenter)."""
    SGB_III = "sgb_iii"
    """Employment promotion (Agentur für Arbeit)."""
    SGB_VIII = "sgb_viii"
    """Child and youth welfare (Jugendamt)."""
    SGB_XII = "sgb_xii"
    """Social assistance (Sozialamt)."""
    AUFENTHG = "aufenthg"
    """Residence law only, no benefits (Ausländerbehörde)."""
    STAG = "stag"
    """Nationality law: naturalisation (Einbürgerungsbehörde)."""
    NONE_OR_UNKNOWN = "none_or_unknown"
    """No benefits, or not recorded."""


class ClosureReason(StrEnum):
    """Why an admitted episode was closed (a proposal; the Datenbank KIM's list is unknown)."""

    GOALS_ACHIEVED = "goals_achieved"
    """The agreed goals were achieved."""
    HANDED_OVER = "handed_over"
    """Handed over to another service (MBE, JMD, Jobcenter, Jugendamt, ...)."""
    CLIENT_TERMINATED = "client_terminated"
    """The client ended the case management."""
    CONTACT_LOST = "contact_lost"
    """Contact was lost for longer than the local timeout."""
    MOVED_AWAY = "moved_away"
    """The client moved out of the unit's area."""
    NO_LONGER_ELIGIBLE = "no_longer_eligible"
    """The client no longer belongs to the local target group."""
    CONSENT_WITHDRAWN = "consent_withdrawn"
    """The client withdrew the consent the case management depended on."""
    DEPARTED_OR_DEPORTED = "departed_or_deported"
    """The client left Germany."""
    DECEASED = "deceased"
    """The client died."""
    OTHER = "other"
    """Any other reason."""


class NotAdmittedReason(StrEnum):
    """Why a referral did not lead to admission."""

    NOT_TARGET_GROUP = "not_target_group"
    """Not a person with an immigration history (§ 4 TIntG)."""
    SUFFICIENT_ACCESS = "sufficient_access"
    """The case manager judged the access to the support system sufficient."""
    ALREADY_IN_OTHER_CM = "already_in_other_cm"
    """Already in MBE, JMD or another case management (local rule)."""
    OUTSIDE_LOCAL_POLICY = "outside_local_policy"
    """Outside the local limits (years in the district, age)."""
    NOT_PRIORITY = "not_priority"
    """Not in a priority group where the unit admits priority groups only."""
    NO_CONSENT = "no_consent"
    """The client did not agree to case management."""
    CAPACITY = "capacity"
    """No capacity."""
    CLIENT_WITHDREW = "client_withdrew"
    """The client withdrew or could not be reached before admission."""
    OTHER = "other"
    """Any other reason."""


class Authority(StrEnum):
    """Recipients of data shared by the case manager."""

    AUSLAENDERBEHOERDE = "auslaenderbehoerde"
    """Ausländerbehörde (foreigners' authority)."""
    EINBUERGERUNGSBEHOERDE = "einbuergerungsbehoerde"
    """Einbürgerungsbehörde (naturalisation authority)."""
    JOBCENTER = "jobcenter"
    """Jobcenter (SGB II)."""
    AGENTUR_FUER_ARBEIT = "agentur_fuer_arbeit"
    """Agentur für Arbeit (SGB III)."""
    SOZIALAMT = "sozialamt"
    """Sozialamt (AsylbLG, SGB XII)."""
    JUGENDAMT = "jugendamt"
    """Jugendamt (SGB VIII)."""
    SCHULAMT = "schulamt"
    """Schulamt (school authority)."""
    BAMF = "bamf"
    """Bundesamt für Migration und Flüchtlinge."""
    FAMILIENKASSE = "familienkasse"
    """Familienkasse (child benefit)."""
    MBE = "mbe"
    """Migrationsberatung für erwachsene Zugewanderte."""
    JMD = "jmd"
    """Jugendmigrationsdienst."""
    WELFARE_ORGANISATION = "welfare_organisation"
    """A welfare organisation (Träger der Freien Wohlfahrtspflege)."""
    HEALTH_SERVICE = "health_service"
    """Health services (Gesundheitsamt, doctors, clinics)."""
    OTHER = "other"
    """Any other recipient."""


class Purpose(StrEnum):
    """Purposes of sharing data; a consent covers named purposes only."""

    REFERRAL = "referral"
    """Referring the client to a service (Vermittlung, Überleitung)."""
    INFORMATION_EXCHANGE = "information_exchange"
    """Exchanging information on the client's case."""
    CASE_CONFERENCE = "case_conference"
    """Discussing the case in a case conference (Fallkonferenz)."""
    DOCUMENTATION = "documentation"
    """Documentation in the Land's database (Datenbank KIM)."""


class GoalStatus(StrEnum):
    """The state of one agreed goal."""

    OPEN = "open"
    """Agreed, not yet reached."""
    ACHIEVED = "achieved"
    """Reached."""
    PARTLY_ACHIEVED = "partly_achieved"
    """Partly reached."""
    DROPPED = "dropped"
    """Given up or replaced."""


class CaseRecord(KimModel):
    """A casework record whose repr shows only the fields in ``_repr_fields``."""

    _repr_fields: ClassVar[tuple[str, ...]] = ()

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

        Like [`covers()`][kim.casework.model.Consent.covers], except that a sharing dated on the day
        of withdrawal counts: events of one day are applied in order and sharing is refused once the
        consent is withdrawn, so a sharing of that day on record happened before the withdrawal. A
        later withdrawal never takes the basis away from earlier sharing.
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


class Case(CaseRecord):
    """Everything the workflow knows about one client's case, as of its last event.

    Build a case by replaying its events ([`kim.casework.replay()`][kim.casework.machine.replay]);
    building one directly (or reading it from JSON) checks the invariants of
    [`case_problems()`][kim.casework.model.case_problems]. The repr shows the pseudonymous id, the
    phase and the number of episodes only.
    """

    _repr_fields = ("client_id", "phase")

    client_id: ClientId = Field(description="The pseudonymous client id, e.g. 'K-0042'.")
    unit: str = Field(min_length=1, max_length=100, description="The KIM unit (AGS or name).")
    phase: Phase = Field(description="The phase of the current episode.")
    episodes: tuple[Episode, ...] = Field(min_length=1, description="All episodes, oldest first.")
    assignments: tuple[Assignment, ...] = Field(
        min_length=1, description="Responsible case managers, oldest first."
    )
    rechtskreis: Rechtskreis = Field(description="The current legal system.")
    rechtskreis_changes: tuple[RechtskreisChange, ...] = Field(
        default=(), description="Every change of legal system, oldest first."
    )
    criteria_met: tuple[Criterion, ...] = Field(
        default=(), description="The § 4 TIntG criteria that held at the last admission."
    )
    priority: bool = Field(default=False, description="In a local priority group.")
    needs: Annotated[
        frozenset[Lebenslage], PlainSerializer(sorted_values, return_type=list[Lebenslage])
    ] = Field(default=frozenset(), description="Life areas with needs (last assessment).")
    goals: tuple[Goal, ...] = Field(default=(), description="All goals ever agreed.")
    referrals: tuple[Referral, ...] = Field(default=(), description="All referrals made.")
    disclosures: tuple[Disclosure, ...] = Field(
        default=(), description="Data shared outside referrals."
    )
    consents: tuple[Consent, ...] = Field(
        default=(), description="All consents, kept after withdrawal."
    )
    gap_reports: tuple[GapReport, ...] = Field(default=(), description="Reports of system gaps.")
    last_event_on: date = Field(description="Date of the last event applied.")
    last_review_on: date | None = Field(
        default=None, description="Last plan agreement or evaluation (starts the review clock)."
    )
    on_hold_since: date | None = Field(default=None, description="When contact was lost.")

    @model_validator(mode="after")
    def _invariants(self) -> Self:
        problems = case_problems(self)
        if problems:
            raise InputError("; ".join(problems))
        return self

    def __repr_args__(self) -> Iterator[tuple[str, Any]]:
        yield "client_id", self.client_id
        yield "phase", self.phase.value
        yield "episodes", len(self.episodes)

    @property
    def episode(self) -> Episode:
        """The current (last) episode."""
        return self.episodes[-1]

    @property
    def case_manager(self) -> str:
        """The staff id of the responsible case manager now."""
        return self.assignments[-1].case_manager

    @property
    def is_open(self) -> bool:
        """Whether the current episode is open."""
        return self.phase in OPEN_PHASES

    def case_manager_on(self, day: date) -> str | None:
        """The case manager responsible on ``day`` (``None`` before the first assignment)."""
        found = None
        for assignment in self.assignments:
            if assignment.since > day:
                break
            found = assignment.case_manager
        return found

    def consent(self, consent_id: str) -> Consent | None:
        """The consent with this id, or ``None``."""
        return next((c for c in self.consents if c.id == consent_id), None)

    def covering_consent(self, purpose: Purpose, recipient: Authority, on: date) -> Consent | None:
        """A consent of the open episode, in force on ``on``, for ``purpose`` and ``recipient``.

        Consents of earlier episodes lapsed when their episode ended; ``None`` if the
        current episode has ended too.
        """
        episode = self.episodes[-1]
        if not episode.is_open:
            return None
        return next(
            (
                c
                for c in self.consents
                if c.episode == episode.number and c.covers(purpose, recipient, on)
            ),
            None,
        )

    def goal(self, goal_id: str) -> Goal | None:
        """The goal with this id, or ``None``."""
        return next((g for g in self.goals if g.id == goal_id), None)

    def referral(self, referral_id: str) -> Referral | None:
        """The referral with this id, or ``None``."""
        return next((r for r in self.referrals if r.id == referral_id), None)


def case_problems(case: Case) -> list[str]:
    """The invariants a case breaks, as messages without personal data (empty if none).

    * at most one open episode, and only the last one may be open;
    * the phase is open exactly when the last episode is open; a closed phase has a
      closure reason, a not-admitted phase a not-admitted reason (the episode model
      checks that an ended episode has exactly one reason and a date);
    * episodes are numbered 1, 2, 3, ... and do not overlap;
    * ids of consents, goals and referrals are unique;
    * a consent belongs to an episode of the case and was given while it was open; a
      referral or disclosure that names a consent names one the case has, which
      justified it ([`Consent.justifies()`][kim.casework.model.Consent.justifies]) within the
      consent's episode;
    * the last legal-system change matches the current legal system.
    """
    problems = []
    eps = case.episodes
    if sum(e.is_open for e in eps) > 1:
        problems.append("more than one open episode")
    if any(e.is_open for e in eps[:-1]):
        problems.append("only the last episode may be open")
    if [e.number for e in eps] != list(range(1, len(eps) + 1)):
        problems.append("episodes must be numbered 1, 2, 3, ...")
    for before, after in pairwise(eps):
        if before.ended_on is None or after.opened_on < before.ended_on:
            problems.append("episodes overlap")
            break
    last = eps[-1]
    if (case.phase in OPEN_PHASES) != last.is_open:
        problems.append("the phase does not match the state of the last episode")
    if case.phase is Phase.CLOSED and last.closure_reason is None:
        problems.append("a closed case needs a closure reason")
    if case.phase is Phase.NOT_ADMITTED and last.not_admitted_reason is None:
        problems.append("a not-admitted case needs a not-admitted reason")
    if case.phase in ADMITTED_PHASES and last.admitted_on is None:
        problems.append("an admitted phase needs an admission date")
    for kind, ids in (
        ("consent", [c.id for c in case.consents]),
        ("goal", [g.id for g in case.goals]),
        ("referral", [r.id for r in case.referrals]),
    ):
        if len(set(ids)) != len(ids):
            problems.append(f"duplicate {kind} ids")
    problems.extend(_consent_problems(case))
    if case.rechtskreis_changes and case.rechtskreis_changes[-1].new is not case.rechtskreis:
        problems.append("the current legal system differs from the last change")
    if (case.phase is Phase.ON_HOLD) != (case.on_hold_since is not None):
        problems.append("on_hold_since must be set exactly while the case is on hold")
    return problems


def _within(episode: Episode, day: date) -> bool:
    return episode.opened_on <= day and (episode.ended_on is None or day <= episode.ended_on)


def _consent_problems(case: Case) -> list[str]:
    """The consent rules of `case_problems()` (each message at most once)."""
    problems: set[str] = set()
    episodes = {e.number: e for e in case.episodes}
    consents = {c.id: c for c in case.consents}
    for consent in case.consents:
        episode = episodes.get(consent.episode)
        if episode is None:
            problems.add("a consent names an episode the case does not have")
        elif not _within(episode, consent.given_on):
            problems.add("a consent must be given while its episode is open")
        if consent.withdrawn_on is not None and consent.withdrawn_on < consent.given_on:
            problems.add("a consent cannot be withdrawn before it was given")
    sharing = [(r.basis, r.purpose, r.recipient, r.made_on) for r in case.referrals]
    sharing += [(d.basis, d.purpose, d.recipient, d.on) for d in case.disclosures]
    for basis, purpose, recipient, on in sharing:
        if not basis.startswith("consent:"):
            continue
        named = consents.get(basis[8:])
        if named is None:
            problems.add("a referral or disclosure names a consent the case does not have")
            continue
        episode = episodes.get(named.episode)
        if not (
            named.justifies(purpose, recipient, on) and episode is not None and _within(episode, on)
        ):
            problems.add("a referral or disclosure is not covered by the consent it names")
    return sorted(problems)
