"""Consent across a day and across episodes: regressions found by the stateful test.

The stateful test (``test_stateful.py``) found this walk, every event on 2024-01-01:
the case was referred, admitted, a consent ``c2`` (information exchange with the
Jobcenter) was given and data were shared under it; the case was closed with its goals
achieved, reopened, and ``c2`` was withdrawn. The record then showed a disclosure on
2024-01-01 whose consent, withdrawn on 2024-01-01, did not "cover" that day, although
the data had gone out before the withdrawal.
"""

from __future__ import annotations

from datetime import date

import pytest

from kim.casework import (
    Admitted,
    Authority,
    Case,
    CaseClosed,
    CaseworkError,
    ClosureReason,
    ConsentGiven,
    ConsentWithdrawn,
    Criterion,
    DataShared,
    Event,
    IntakeStarted,
    Purpose,
    Rechtskreis,
    Referred,
    Reopened,
    SharingNotCoveredError,
    apply,
    case_from_json,
    case_problems,
    case_to_json,
    replay,
)
from kim.errors import InputError

CID = "K-4711"
DAY = date(2024, 1, 1)
EXCHANGE = Purpose.INFORMATION_EXCHANGE


def found_sequence() -> list[Event]:
    """The accepted events of the walk the stateful test found, in order, all on one day."""
    return [
        Referred(
            client_id=CID, on=DAY, unit="Kreis Coesfeld", case_manager="cm-01",
            rechtskreis=Rechtskreis.ASYLBLG,
        ),
        IntakeStarted(client_id=CID, on=DAY),
        Admitted(client_id=CID, on=DAY, criteria_met=(Criterion.NOT_GERMAN,)),
        ConsentGiven(
            client_id=CID, on=DAY, consent_id="c2", purpose=EXCHANGE,
            recipients=frozenset({Authority.JOBCENTER}),
        ),
        DataShared(client_id=CID, on=DAY, recipient=Authority.JOBCENTER, purpose=EXCHANGE),
        CaseClosed(client_id=CID, on=DAY, reason=ClosureReason.GOALS_ACHIEVED),
        Reopened(client_id=CID, on=DAY, case_manager="cm-01"),
        ConsentWithdrawn(client_id=CID, on=DAY, consent_id="c2"),
    ]  # fmt: skip


def sharing_is_justified(case: Case) -> None:
    """Every recorded sharing names a consent that allowed it when it happened."""
    for d in case.disclosures:
        kind, _, ref = d.basis.partition(":")
        assert kind == "consent"
        consent = case.consent(ref)
        assert consent is not None
        assert consent.justifies(d.purpose, d.recipient, d.on)
        episode = case.episodes[consent.episode - 1]
        assert episode.opened_on <= d.on and (episode.ended_on is None or d.on <= episode.ended_on)


def test_the_found_sequence_keeps_every_sharing_justified() -> None:
    # The walk began with a closure before the case existed; it was refused.
    with pytest.raises(CaseworkError):
        apply(None, CaseClosed(client_id=CID, on=DAY, reason=ClosureReason.GOALS_ACHIEVED))
    events = found_sequence()
    case = replay(events)
    assert case_problems(case) == []
    assert [d.basis for d in case.disclosures] == ["consent:c2"]
    consent = case.consent("c2")
    assert consent is not None and consent.withdrawn_on == DAY and consent.episode == 1
    # From the day of withdrawal the consent covers nothing new ...
    assert not consent.covers(EXCHANGE, Authority.JOBCENTER, DAY)
    # ... but the sharing earlier that day keeps its basis.
    sharing_is_justified(case)
    # Every prefix holds too, and the case survives a round trip through JSON.
    for n in range(1, len(events) + 1):
        sharing_is_justified(replay(events[:n]))
    assert case_from_json(case_to_json(case)) == case
    assert Case.model_validate(case.model_dump()) == case


def test_sharing_then_withdrawal_on_the_same_day_within_one_episode() -> None:
    events = found_sequence()
    shared_then_withdrawn = [*events[:5], events[-1]]
    case = replay(shared_then_withdrawn)
    sharing_is_justified(case)
    assert case_from_json(case_to_json(case)) == case
    # Once withdrawn, sharing later that day is refused.
    with pytest.raises(SharingNotCoveredError):
        apply(
            case,
            DataShared(client_id=CID, on=DAY, recipient=Authority.JOBCENTER, purpose=EXCHANGE),
        )


def test_a_consent_lapses_with_its_episode() -> None:
    """A reopened episode needs a new consent: the old one is history, not a basis."""
    events = found_sequence()[:7]  # up to the reopening, c2 not withdrawn
    case = replay([*events, Admitted(client_id=CID, on=DAY, criteria_met=(Criterion.NOT_GERMAN,))])
    old = case.consent("c2")
    assert old is not None and old.withdrawn_on is None and old.episode == 1
    assert case.covering_consent(EXCHANGE, Authority.JOBCENTER, DAY) is None
    share = DataShared(client_id=CID, on=DAY, recipient=Authority.JOBCENTER, purpose=EXCHANGE)
    with pytest.raises(SharingNotCoveredError):
        apply(case, share)
    renewed = apply(
        case,
        ConsentGiven(
            client_id=CID, on=DAY, consent_id="c3", purpose=EXCHANGE,
            recipients=frozenset({Authority.JOBCENTER}),
        ),
    )  # fmt: skip
    assert renewed.consent("c3") is not None and renewed.consents[-1].episode == 2
    shared = apply(renewed, share)
    assert shared.disclosures[-1].basis == "consent:c3"
    sharing_is_justified(shared)
    # The old consent can still be withdrawn; that changes no record of sharing.
    withdrawn = apply(shared, ConsentWithdrawn(client_id=CID, on=DAY, consent_id="c2"))
    assert withdrawn.disclosures == shared.disclosures


def test_a_case_whose_sharing_its_consent_does_not_justify_is_refused() -> None:
    case = replay(found_sequence())
    data = case.model_dump()
    data["consents"][0]["withdrawn_on"] = date(2023, 12, 31)  # withdrawn before the sharing
    with pytest.raises(InputError, match="not covered by the consent it names"):
        Case.model_validate(data)
    data = case.model_dump()
    data["consents"][0]["recipients"] = ["schulamt"]  # a recipient it does not name
    with pytest.raises(InputError, match="not covered by the consent it names"):
        Case.model_validate(data)
    data = case.model_dump()
    data["consents"][0]["episode"] = 3  # an episode the case does not have
    with pytest.raises(InputError, match="episode the case does not have"):
        Case.model_validate(data)
