"""Reprs, messages and exports show the pseudonymous id and nothing personal.

"Personal" here: names, birth dates, facts of § 4 (nationality, birthplace, immigration),
age, dates of the case, legal system and free-text notes.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from kim.casework import (
    EVENT_TYPES,
    AdmissionFacts,
    Case,
    CaseworkError,
    LocalPolicy,
    PersonFacts,
    Phase,
    StructuralGapReported,
    apply,
    due_actions,
    has_immigration_history,
    read_jsonl,
    replay_log,
)
from kim.errors import InputError, KimError

from .builders import CID, NOTE, case_in, referred, valid_event

SECRETS = ("Mustermann", "1990", "Hauptstr", "asylblg", "sgb_ii", "2024-")


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, (secret, text)


def noted_case() -> Case:
    case = case_in(Phase.MONITORING)
    return apply(case, valid_event("structural_gap_reported", case, case.last_event_on))


def test_case_repr_and_str_show_the_id_and_phase_only() -> None:
    case = noted_case()
    assert repr(case) == "Case(client_id='K-0001', phase='monitoring', episodes=1)"
    assert_clean(repr(case))
    assert_clean(str(case))
    for record in (*case.episodes, *case.goals, *case.referrals, *case.consents,
                   *case.gap_reports, *case.assignments):  # fmt: skip
        assert_clean(repr(record))
        assert_clean(str(record))
    assert repr(case.gap_reports[0]) == "GapReport(lebenslage=<Lebenslage.WOHNEN: 'wohnen'>)"


@pytest.mark.parametrize("kind", sorted(EVENT_TYPES))
def test_event_reprs_show_type_and_id_only(kind: str) -> None:
    case = case_in(Phase.MONITORING)
    event = (
        referred(date(2024, 1, 1))
        if kind == "referred"
        else valid_event(kind, case, date(2024, 12, 1))
    )
    assert repr(event) == f"{type(event).__name__}(type={kind!r}, client_id='K-0001')"
    assert_clean(str(event))


def test_facts_reprs_hide_the_facts() -> None:
    person = PersonFacts(german_art116=False, immigrated_on=date(1990, 4, 17))
    facts = AdmissionFacts(target_group=has_immigration_history(person), age=34)
    for text in (repr(person), str(person), repr(facts), str(facts)):
        assert_clean(text)
        assert "34" not in text and "False" not in text


def test_refusals_do_not_show_notes_or_dates() -> None:
    case = noted_case()
    for kind in EVENT_TYPES:
        if kind == "referred":
            continue
        event = valid_event(kind, case, case.last_event_on - timedelta(days=3))
        with pytest.raises(CaseworkError) as info:
            apply(case, event)
        assert_clean(str(info.value))
        assert_clean(repr(info.value))


def test_validation_errors_do_not_echo_values() -> None:
    with pytest.raises(InputError) as info:
        StructuralGapReported(
            client_id=CID, on=date(2024, 1, 1), lebenslage="wohnen", note=NOTE * 50
        )
    assert_clean(str(info.value))
    with pytest.raises(InputError) as info:
        StructuralGapReported(
            client_id="Erika Mustermann", on=date(2024, 1, 1), lebenslage="wohnen"
        )
    assert_clean(str(info.value))
    assert "client_id" in str(info.value)


def test_a_plain_name_is_refused_as_client_id() -> None:
    with pytest.raises(InputError, match="client_id: not a pseudonymous client id: it has no dig"):
        case_in(Phase.REFERRED, "Mustermann")


def test_logging_an_error_leaks_nothing(caplog: pytest.LogCaptureFixture) -> None:
    case = noted_case()
    logger = logging.getLogger("kim.test")
    with caplog.at_level(logging.INFO):
        logger.info("case %r", case)
        try:
            apply(case, valid_event("admitted", case, case.last_event_on))
        except KimError:
            logger.exception("refused")
    assert_clean(caplog.text)


def test_replay_results_due_actions_and_parsed_logs_are_clean() -> None:
    from kim.casework import dump_jsonl

    from .builders import events_to

    events = [*events_to(Phase.ON_HOLD)]
    text = dump_jsonl(events)
    parsed = read_jsonl(text.replace('"v":1', '"v":3', 1), strict=False)
    result = replay_log(parsed.events)
    actions = due_actions(
        result.cases.values(), date(2030, 1, 1), LocalPolicy(contact_loss_weeks=1)
    )
    for item in (parsed, result, *actions, *parsed.problems, *result.refused):
        assert_clean(repr(item))
