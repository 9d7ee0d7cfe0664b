"""JSON and JSONL: lossless round trips, schema versions, every bad line reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.casework import (
    EVENT_TYPES,
    SCHEMA_VERSION,
    LogFormatError,
    LogProblem,
    Phase,
    case_from_json,
    case_to_json,
    dump_jsonl,
    event_from_json,
    event_to_json,
    read_jsonl,
    read_jsonl_file,
    replay_log,
)
from kim.errors import DataFileError, InputError

from .builders import NOTE, case_in, events_to

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "case-log.jsonl"


def test_the_sample_log_reads_and_writes_back_byte_for_byte() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    parsed = read_jsonl_file(SAMPLE)
    assert parsed.problems == () and len(parsed.events) == len(text.splitlines())
    assert parsed.lines == tuple(range(1, len(parsed.events) + 1))
    assert dump_jsonl(parsed.events) == text
    assert not replay_log(parsed.events).refused


def test_every_event_type_round_trips() -> None:
    events = events_to(Phase.CLOSED) + events_to(Phase.NOT_ADMITTED, "K-0002")
    seen = {e.type for e in events}
    for event in events:
        line = event_to_json(event)
        assert json.loads(line)["v"] == SCHEMA_VERSION
        assert event_from_json(line) == event
    assert {"referred", "consent_given", "plan_agreed", "case_closed"} <= seen


def test_a_line_has_the_version_first_and_every_field() -> None:
    event = events_to(Phase.REFERRED)[0]
    line = event_to_json(event)
    assert line.startswith('{"v":1,"type":"referred",')
    assert set(json.loads(line)) == {"v", *type(event).model_fields}


def test_cases_round_trip_with_a_version() -> None:
    for phase in Phase:
        case = case_in(phase)
        text = case_to_json(case)
        assert json.loads(text)["v"] == SCHEMA_VERSION
        assert case_from_json(text) == case


def test_case_json_problems() -> None:
    good = json.loads(case_to_json(case_in(Phase.CLOSED)))
    with pytest.raises(InputError, match="unknown schema version"):
        case_from_json(json.dumps({**good, "v": 2}))
    with pytest.raises(InputError, match="fields 'v' and 'case'"):
        case_from_json(json.dumps(good["case"]))
    with pytest.raises(InputError, match="not valid JSON"):
        case_from_json("{")
    broken = {**good, "case": {**good["case"], "phase": "monitoring"}}
    with pytest.raises(InputError, match="does not match"):
        case_from_json(json.dumps(broken))


def test_every_bad_line_is_reported_with_its_number() -> None:
    good = event_to_json(events_to(Phase.REFERRED)[0])
    body = json.loads(good)
    lines = [
        good,  # 1 ok
        "",  # 2 blank: skipped
        "{not json",  # 3
        "[1, 2]",  # 4
        json.dumps({k: v for k, v in body.items() if k != "v"}),  # 5 no version
        json.dumps({**body, "v": 2}),  # 6 unknown version
        json.dumps({**body, "v": "1"}),  # 7 version as text
        json.dumps({**body, "type": "teleported"}),  # 8 unknown type
        json.dumps({**body, "on": "2024-13-01"}),  # 9 bad date
        json.dumps({**body, "colour": "blue"}),  # 10 unknown field
        good,  # 11 ok
    ]
    parsed = read_jsonl(lines, strict=False)
    assert parsed.lines == (1, 11) and len(parsed.events) == 2
    assert [p.line for p in parsed.problems] == [3, 4, 5, 6, 7, 8, 9, 10]
    problems = {p.line: p.problem for p in parsed.problems}
    assert problems[3].startswith("not valid JSON")
    assert problems[4] == "expected a JSON object, got a JSON list"
    assert problems[5].startswith("no schema version")
    assert problems[6] == "unknown schema version 2 (this library reads 1)"
    assert problems[7] == "unknown schema version of type str (this library reads 1)"
    assert problems[8].startswith("unknown event type") and "teleported" not in problems[8]
    assert problems[9].startswith("referred: on: Input should be a valid date")
    assert problems[10] == "referred: (unknown field): Extra inputs are not permitted"
    with pytest.raises(LogFormatError) as info:
        read_jsonl(lines, source="test.jsonl")
    assert info.value.problems == parsed.problems
    assert str(info.value).startswith("test.jsonl: 8 line(s) could not be read: line 3:")


def test_problems_never_show_the_values_on_the_line() -> None:
    body = json.loads(event_to_json(events_to(Phase.MONITORING)[0]))
    lines = [
        json.dumps({**body, "type": "structural_gap_reported", "lebenslage": "wohnen",
                    "note": NOTE * 100}),  # too long
        json.dumps({**body, "client_id": "Erika Mustermann"}),  # a name, no digit
        json.dumps({**body, "unit": NOTE, "case_manager": NOTE}),
    ]  # fmt: skip
    parsed = read_jsonl(lines, strict=False)
    assert len(parsed.problems) == 3
    text = " ".join(p.problem for p in parsed.problems)
    assert "Mustermann" not in text and "Hauptstr" not in text
    with pytest.raises(LogFormatError) as info:
        read_jsonl(lines)
    assert "Mustermann" not in str(info.value)


def test_log_problem_text() -> None:
    assert str(LogProblem(line=4, problem="bad")) == "line 4: bad"


def test_many_problems_are_summarised_in_the_message_but_all_kept() -> None:
    with pytest.raises(LogFormatError) as info:
        read_jsonl(["x"] * 30)
    assert len(info.value.problems) == 30 and "(and 10 more)" in str(info.value)


def test_reading_a_missing_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read the case log"):
        read_jsonl_file(tmp_path / "missing.jsonl")
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(DataFileError, match="not UTF-8"):
        read_jsonl_file(binary)


def test_event_from_json_raises_input_error() -> None:
    with pytest.raises(InputError, match="unknown schema version"):
        event_from_json('{"v": 9}')


@given(st.sampled_from([Phase.CLOSED, Phase.ON_HOLD, Phase.IMPLEMENTING]), st.integers(0, 40))
def test_truncated_logs_round_trip(phase: Phase, cut: int) -> None:
    events = events_to(phase)[:cut]
    text = dump_jsonl(events)
    assert read_jsonl(text).events == tuple(events)
    assert all(type(e) is EVENT_TYPES[e.type] for e in read_jsonl(text).events)
