"""The errors of the case-management workflow, all under `kim.errors.KimError`.

Messages name the pseudonymous client id, the phase and the event type, never a date,
a fact about the person or a free-text note: error messages end up in logs. The
details a caller may need (the dates, the line number) are attributes of the error.

Examples:
    >>> from kim.errors import KimError
    >>> issubclass(TransitionError, CaseworkError) and issubclass(CaseworkError, KimError)
    True

"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import Field

from kim._model import KimModel
from kim.errors import InputError, KimError

__all__ = [
    "CaseRuleError",
    "CaseworkError",
    "EventOrderError",
    "LogFormatError",
    "LogProblem",
    "SharingNotCoveredError",
    "TransitionError",
]


class CaseworkError(KimError):
    """An event was refused: the case is left exactly as it was.

    Attributes:
        client_id: the pseudonymous id of the case.
        phase: the phase the case was in (``None`` if there is no case yet).
        event: the event's type, e.g. ``"plan_agreed"``.

    """

    exit_status = 1

    def __init__(self, message: str, *, client_id: str, phase: str | None, event: str) -> None:
        self.client_id = client_id
        self.phase = phase
        self.event = event
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class TransitionError(CaseworkError):
    """The event is not allowed in the case's current phase.

    Attributes:
        allowed: the event types the phase allows, sorted.

    """

    def __init__(
        self, *, client_id: str, phase: str | None, event: str, allowed: Sequence[str]
    ) -> None:
        self.allowed = tuple(allowed)
        where = f"in phase {phase!r}" if phase is not None else "before the case exists"
        super().__init__(
            f"Case {client_id!r}: event {event!r} is not allowed {where}. "
            f"Allowed: {', '.join(repr(a) for a in self.allowed) or 'none'}.",
            client_id=client_id,
            phase=phase,
            event=event,
        )


class EventOrderError(CaseworkError):
    """The event is dated before the previous event of the same case.

    The dates are attributes, not part of the message.

    Attributes:
        on: the event's date.
        previous: the date of the case's previous event.

    """

    def __init__(
        self, *, client_id: str, phase: str | None, event: str, on: date, previous: date
    ) -> None:
        self.on = on
        self.previous = previous
        super().__init__(
            f"Case {client_id!r}: event {event!r} is dated before the previous event of "
            f"this case; events must be applied in date order (the same day is fine).",
            client_id=client_id,
            phase=phase,
            event=event,
        )


class SharingNotCoveredError(CaseworkError):
    """Data would go to an authority without a covering consent or legal basis.

    Attributes:
        recipient: the authority the data would go to.
        purpose: the purpose of the sharing.

    """

    def __init__(
        self, *, client_id: str, phase: str | None, event: str, recipient: str, purpose: str
    ) -> None:
        self.recipient = recipient
        self.purpose = purpose
        super().__init__(
            f"Case {client_id!r}: event {event!r} would share data with {recipient!r} for "
            f"purpose {purpose!r}, but no consent in force covers that purpose and recipient "
            f"and the local policy configures no legal basis for it. Record a consent "
            f"(event 'consent_given') or configure a LegalBasis in the LocalPolicy.",
            client_id=client_id,
            phase=phase,
            event=event,
        )


class CaseRuleError(CaseworkError):
    """The event contradicts the case's record (an unknown or duplicate id, and so on)."""


class LogProblem(KimModel):
    """One line of a JSONL log that could not be read, with its line number.

    The text says what is wrong (bad JSON, an unknown schema version, an invalid field),
    never the values on the line.
    """

    line: int = Field(ge=1, description="The line number, counted from 1.")
    problem: str = Field(description="What is wrong with the line.")

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


class LogFormatError(InputError):
    """A JSONL log has lines that cannot be read; every such line is listed.

    Attributes:
        problems: the lines and what is wrong with each, in line order.

    """

    def __init__(self, source: str, problems: Sequence[LogProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        shown = "; ".join(str(p) for p in self.problems[:20])
        more = f" (and {len(self.problems) - 20} more)" if len(self.problems) > 20 else ""
        super().__init__(
            f"{source}: {len(self.problems)} line(s) could not be read: {shown}{more}."
        )

    def __str__(self) -> str:
        return str(self.args[0])
