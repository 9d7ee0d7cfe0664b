"""The case record: everything the workflow knows about one client, and its invariants.

A [`Case`][kim.casework.model.Case] is what a case manager knows about one client, in the shape the
workflow needs and no more: a **pseudonymous client id** (no name, no birth date; see
[`kim.casework.ids`][kim.casework.ids] for the rule), the KIM unit, the case manager's staff id,
the phase, the episodes, the goals per life area (Lebenslage), the referrals to authorities, the
consents, the current legal system (Rechtskreis) and dates. Of the admission check it keeps only
the criteria of § 4 TIntG that held, never the facts behind them.

A case is never edited: [`kim.casework.apply()`][kim.casework.machine.apply] returns a new case for
each event. The phases follow the generic case-management loop (source
``socialnet-case-management``) with KIM's additions.

The vocabularies live in [`kim.casework.vocabulary`][kim.casework.vocabulary] and the parts of a
record in [`kim.casework.records`][kim.casework.records]; this module re-exports them, so
``from kim.casework.model import Consent`` keeps working.

**Privacy.** The repr of every record shows identifiers and the phase only; dates,
legal systems, facts and free-text notes never appear in a repr, a log line or an error
message.

Examples:
    >>> Phase.MONITORING.label_de
    'Monitoring'

"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from typing import Annotated, Any, Self

from pydantic import Field, PlainSerializer, model_validator

from kim.casework.ids import ClientId, Identifier, Note, UnitName, sorted_values
from kim.casework.records import (
    Assignment,
    CaseRecord,
    Consent,
    Disclosure,
    Episode,
    GapReport,
    Goal,
    RechtskreisChange,
    Referral,
)
from kim.casework.target_group import Criterion
from kim.casework.vocabulary import (
    ADMITTED_PHASES,
    OPEN_PHASES,
    Authority,
    ClosureReason,
    GoalStatus,
    Lebenslage,
    NotAdmittedReason,
    Phase,
    Purpose,
    Rechtskreis,
)
from kim.errors import InputError

__all__ = [
    "ADMITTED_PHASES",
    "OPEN_PHASES",
    "Assignment",
    "Authority",
    "Case",
    "CaseRecord",
    "ClientId",
    "ClosureReason",
    "Consent",
    "Disclosure",
    "Episode",
    "GapReport",
    "Goal",
    "GoalStatus",
    "Identifier",
    "Lebenslage",
    "NotAdmittedReason",
    "Note",
    "Phase",
    "Purpose",
    "Rechtskreis",
    "RechtskreisChange",
    "Referral",
    "case_problems",
    "sorted_values",
]


class Case(CaseRecord):
    """Everything the workflow knows about one client's case, as of its last event.

    Build a case by replaying its events ([`kim.casework.replay()`][kim.casework.machine.replay]);
    building one directly (or reading it from JSON) checks the invariants of
    [`case_problems()`][kim.casework.model.case_problems]. The repr shows the pseudonymous id, the
    phase and the number of episodes only.
    """

    _repr_fields = ("client_id", "phase")

    client_id: ClientId = Field(description="The pseudonymous client id, e.g. 'K-0042'.")
    unit: UnitName = Field(description="The KIM unit (AGS or name).")
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
      justified it ([`Consent.justifies()`][kim.casework.records.Consent.justifies]) within the
      consent's episode;
    * the last legal-system change matches the current legal system;
    * no episode date and no review date is after the date of the last event, and the
      last review falls in the current episode.
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
    days = [d for e in eps for d in (e.opened_on, e.admitted_on, e.ended_on) if d is not None]
    if case.last_review_on is not None:
        days.append(case.last_review_on)
    if any(day > case.last_event_on for day in days):
        problems.append("the date of the last event is before a date in the record")
    if case.last_review_on is not None and case.last_review_on < last.opened_on:
        problems.append("the last review must fall in the current episode")
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
