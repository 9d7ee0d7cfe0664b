"""The state machine: which event may happen in which phase, and what it does.

[`apply()`][kim.casework.machine.apply] is a pure function: it takes a case (``None`` before the
first event) and an event and returns a new case, or raises a
[`CaseworkError`][kim.casework.errors.CaseworkError] and changes nothing.
[`replay()`][kim.casework.machine.replay] folds a case's events;
[`replay_log()`][kim.casework.machine.replay_log] folds a log of many cases and collects the refused
events instead of stopping at the first.

The table of allowed events is [`kim.casework.transitions`][kim.casework.transitions] (re-exported
here), and what each event does is [`kim.casework.handlers`][kim.casework.handlers].

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

from collections.abc import Iterable
from typing import Any

from pydantic import Field

from kim._check import expect
from kim._model import FrozenMap, KimModel, evolve, frozen_map
from kim.casework._perf import gc_paused
from kim.casework.admission import LocalPolicy
from kim.casework.errors import CaseworkError, EventOrderError, TransitionError
from kim.casework.events import Event, Referred
from kim.casework.handlers import HANDLED, changes, rule_error, start
from kim.casework.model import Case
from kim.casework.transitions import TRANSITIONS, allowed_events
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
            return start(event)
        raise TransitionError(
            client_id=event.client_id, phase=None, event=event.type, allowed=allowed_events(None)
        )
    kind, on, phase = event.type, event.on, case.phase
    if event.client_id != case.client_id:
        raise rule_error(case, event, f"the event belongs to case {event.client_id!r}.")
    if on < case.last_event_on:
        raise EventOrderError(
            client_id=case.client_id,
            phase=phase.value,
            event=kind,
            on=on,
            previous=case.last_event_on,
        )
    row = TRANSITIONS[phase]
    if kind not in row:
        raise TransitionError(
            client_id=case.client_id, phase=phase.value, event=kind, allowed=allowed_events(phase)
        )
    target = row[kind]
    changed = changes(case, event, policy)
    changed["last_event_on"] = on
    if target is not None:
        changed["phase"] = target
    return evolve(case, changed)


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

    cases: FrozenMap[str, Case] = Field(
        description="Each case by its client id, in log order (read-only)."
    )
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
    return ReplayResult.model_construct(
        cases=frozen_map(cases), refused=tuple(refused), events=count
    )


def _check_tables() -> None:
    """Every event type in the table has a handler (checked at import time)."""
    named = {name for row in TRANSITIONS.values() for name in row} - {"referred"}
    assert named == HANDLED, named ^ HANDLED


_check_tables()
