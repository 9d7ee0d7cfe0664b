"""The transition table: which event may happen in which phase, and the phase it leads to.

[`TRANSITIONS`][kim.casework.transitions.TRANSITIONS] is the whole table: for each phase, the
events it allows and the phase each leads to (``None``: the phase stays).

Examples:
    >>> TRANSITIONS[Phase.CLOSED]["reopened"]
    <Phase.CLARIFICATION: 'clarification'>

"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from kim.casework.vocabulary import Phase

__all__ = ["TRANSITIONS", "allowed_events"]

_STAY: None = None

# Events allowed in every phase once the case exists (side channels and withdrawals).
_ALWAYS = {"structural_gap_reported": _STAY, "consent_withdrawn": _STAY}
# Bookkeeping allowed while the episode is open.
_OPEN = {**_ALWAYS, "consent_given": _STAY, "case_manager_changed": _STAY}
# Allowed in the admitted, active phases (not on hold).
_ACTIVE = {
    **_OPEN,
    "rechtskreis_changed": Phase.ASSESSMENT,
    "situation_changed": Phase.ASSESSMENT,
    "contact_lost": Phase.ON_HOLD,
    "case_closed": Phase.CLOSED,
    "data_shared": _STAY,
    "service_started": _STAY,
    "service_ended": _STAY,
    "goal_status_changed": _STAY,
}

_TABLE: dict[Phase | None, dict[str, Phase | None]] = {
    None: {"referred": Phase.REFERRED},
    Phase.REFERRED: {
        **_OPEN,
        "intake_started": Phase.CLARIFICATION,
        "not_admitted": Phase.NOT_ADMITTED,
        "rechtskreis_changed": _STAY,
    },
    Phase.CLARIFICATION: {
        **_OPEN,
        "admitted": Phase.ASSESSMENT,
        "not_admitted": Phase.NOT_ADMITTED,
        "rechtskreis_changed": _STAY,
    },
    Phase.ASSESSMENT: {
        **_ACTIVE,
        "assessment_completed": Phase.PLANNING,
        "situation_changed": _STAY,
    },
    Phase.PLANNING: {**_ACTIVE, "plan_agreed": Phase.IMPLEMENTING},
    Phase.IMPLEMENTING: {
        **_ACTIVE,
        "referral_made": Phase.MONITORING,
        "evaluation_started": Phase.EVALUATION,
    },
    Phase.MONITORING: {
        **_ACTIVE,
        "referral_made": _STAY,
        "evaluation_started": Phase.EVALUATION,
    },
    Phase.EVALUATION: {**_ACTIVE, "evaluation_completed": Phase.PLANNING},
    Phase.ON_HOLD: {
        **_OPEN,
        "contact_resumed": Phase.ASSESSMENT,
        "case_closed": Phase.CLOSED,
        "rechtskreis_changed": _STAY,
        "service_ended": _STAY,
    },
    Phase.CLOSED: {**_ALWAYS, "reopened": Phase.CLARIFICATION},
    Phase.NOT_ADMITTED: {**_ALWAYS, "reopened": Phase.CLARIFICATION},
}

TRANSITIONS: Mapping[Phase | None, Mapping[str, Phase | None]] = MappingProxyType(
    {phase: MappingProxyType(row) for phase, row in _TABLE.items()}
)
"""For each phase (``None``: no case yet), each allowed event type and the phase it
leads to; ``None`` as target means the phase stays."""

_ALLOWED = {phase: tuple(sorted(row)) for phase, row in _TABLE.items()}


def allowed_events(phase: Phase | None) -> tuple[str, ...]:
    """The event types allowed in ``phase``, sorted (``None``: before the case exists).

    Examples:
        >>> allowed_events(Phase.ON_HOLD)
        ('case_closed', 'case_manager_changed', 'consent_given', 'consent_withdrawn', \
'contact_resumed', 'rechtskreis_changed', 'service_ended', 'structural_gap_reported')

    """
    return _ALLOWED[phase]
