"""Recognisable personal data planted in every field of a case log never comes out.

Names, an e-mail address, birth dates and phone numbers are put into every field of
every event type (ids, dates, enums, lists, nested goals), into unknown keys (as key
and as value), into the event type and the schema version, and into the free-text
note of otherwise valid events. Every command and Python function that reads case
logs runs on the result; every output, error message, repr, log record and file
written is searched for the planted text.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from kim.casework import (
    EVENT_TYPES,
    Case,
    LocalPolicy,
    Phase,
    case_from_json,
    case_statistics,
    case_to_json,
    due_actions,
    event_from_json,
    event_to_json,
    read_jsonl,
    read_jsonl_file,
    replay,
    replay_log,
)
from kim.errors import KimError

from .builders import case_in, events_to, valid_event

PLANTED = (
    "Erika Mustermann",
    "Mustermann",
    "erika@example.org",
    "1985-03-14",
    "14.03.1985",
    "19850314",
    "+49 171 2345678",
    "01712345678",
)
"""The values planted (and, by their recognisable parts, searched for)."""

MARKERS = ("Mustermann", "erika", "Erika", "example.org", "1985-03", "03.1985", "850314", "2345678")
"""What may not appear anywhere: a part of every planted value."""


def assert_clean(text: str, where: str) -> None:
    for marker in MARKERS:
        assert marker not in text, f"{marker!r} reached {where}: {text[:300]!r}"


def base_lines() -> list[dict[str, object]]:
    """One valid event of every type, as JSON objects, after a case in monitoring."""
    case = case_in(Phase.MONITORING)
    day = case.last_event_on + timedelta(days=1)
    events = [valid_event(kind, case, day) for kind in EVENT_TYPES if kind != "referred"]
    events.append(events_to(Phase.REFERRED)[0])
    return [json.loads(event_to_json(e)) for e in events]


def planted_lines() -> Iterator[str]:
    """Every field of every event type with every planted value, and unknown keys."""
    for raw in base_lines():
        for field in raw:
            for value in PLANTED:
                yield json.dumps(raw | {field: value})
                yield json.dumps(raw | {field: [value]})
                yield json.dumps(raw | {field: {"id": value, "lebenslage": value}})
        for value in PLANTED:
            yield json.dumps(raw | {value: value})
            yield json.dumps(raw | {"extra": {value: value}})
            if "goals" in raw:
                yield json.dumps(raw | {"goals": [{"id": value, "lebenslage": "wohnen"}]})
                yield json.dumps(raw | {"goals": [{"id": "g7", "lebenslage": "wohnen", value: 1}]})
            if "recipients" in raw:
                yield json.dumps(raw | {"recipients": ["jobcenter", value]})


def noted_log() -> str:
    """A valid log whose only personal data are free-text notes (accepted, never shown)."""
    lines = [json.loads(event_to_json(e)) for e in events_to(Phase.MONITORING, "K-0042")]
    note = "; ".join(PLANTED)
    gap = {"v": 1, "type": "structural_gap_reported", "client_id": "K-0042",
           "on": lines[-1]["on"], "lebenslage": "wohnen", "note": note}  # fmt: skip
    return "\n".join(json.dumps(x) for x in [*lines, gap]) + "\n"


def run_kim(argv: list[str]) -> str:
    from kim.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: int | None
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 2
    assert code in (0, 1, 2), (argv, code)
    return out.getvalue() + err.getvalue()


def test_the_planted_log_covers_every_event_type_and_field() -> None:
    lines = list(planted_lines())
    seen = {(json.loads(x)["type"], f) for x in lines for f in json.loads(x)
            if isinstance(json.loads(x).get("type"), str)}  # fmt: skip
    for kind, cls in EVENT_TYPES.items():
        for field in cls.model_fields:
            assert (kind, field) in seen, (kind, field)
    assert len(lines) > 2000


@pytest.fixture
def logs(tmp_path: Path) -> dict[str, Path]:
    planted = tmp_path / "planted.jsonl"
    planted.write_text(noted_log() + "\n".join(planted_lines()) + "\n", encoding="utf-8")
    noted = tmp_path / "noted.jsonl"
    noted.write_text(noted_log(), encoding="utf-8")
    return {"planted": planted, "noted": noted}


def test_no_command_shows_planted_data(
    logs: dict[str, Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    before = {p.name for p in tmp_path.iterdir()}
    outputs = 0
    for path in logs.values():
        for fmt in ("table", "json", "csv"):
            for argv in (
                ["case", "replay", str(path), "--format", fmt],
                ["case", "due", str(path), "--on", "2025-06-01", "--review-weeks", "4",
                 "--format", fmt],
                ["case", "stats", str(path), "--year", "2024", "--threshold", "1",
                 "--format", fmt],
            ):  # fmt: skip
                text = run_kim(argv)
                assert text.strip()
                assert_clean(text, " ".join(argv[:2]))
                outputs += 1
    assert outputs == 18
    for record in caplog.records:
        assert_clean(record.getMessage(), "a log record")
    written = {p.name for p in tmp_path.iterdir()} - before
    for name in written:
        assert_clean((tmp_path / name).read_text(encoding="utf-8", errors="replace"), name)


def test_no_python_entry_point_shows_planted_data(
    logs: dict[str, Path], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    text = logs["planted"].read_text(encoding="utf-8")
    parsed = read_jsonl(text, strict=False)
    assert len(parsed.problems) > 2000
    assert_clean(repr(parsed), "repr(ParsedLog)")
    for problem in parsed.problems:
        assert_clean(problem.problem, f"line {problem.line}")
        assert_clean(repr(problem), "repr(LogProblem)")
    readers: list[Callable[[], object]] = [
        lambda: read_jsonl(text),
        lambda: read_jsonl_file(logs["planted"]),
    ]
    for strict_read in readers:
        with pytest.raises(KimError) as info:
            strict_read()
        assert_clean(str(info.value), "LogFormatError")
        assert_clean(repr(info.value), "repr(LogFormatError)")
    for line in text.splitlines():
        if line.strip():
            try:
                event = event_from_json(line)
            except KimError as error:
                assert_clean(str(error), "event_from_json")
            else:
                assert_clean(repr(event), "repr(event)")
                assert_clean(str(event), "str(event)")
    result = replay_log(parsed.events, lines=parsed.lines)
    assert_clean(repr(result), "repr(ReplayResult)")
    for refusal in result.refused:
        assert_clean(refusal.message, "a refusal")
        assert_clean(repr(refusal), "repr(Refusal)")
    cases = list(result.cases.values())
    for case in cases:
        assert_clean(repr(case), "repr(Case)")
        assert_clean(str(case), "str(Case)")
    stats = case_statistics(cases, 2024, threshold=1)
    assert_clean(stats.model_dump_json(), "statistics")
    assert_clean(repr(stats), "repr(statistics)")
    due = due_actions(cases, date(2025, 6, 1), LocalPolicy(review_every_weeks=4))
    assert_clean(repr(due), "due actions")
    assert_clean(" ".join(a.model_dump_json() for a in due), "due actions JSON")
    events = read_jsonl(noted_log()).events
    assert_clean(repr(replay(events)), "repr(replay)")
    for record in caplog.records:
        assert_clean(record.getMessage(), "a log record")


def test_a_case_read_from_json_never_echoes_a_planted_field() -> None:
    case: Case = case_in(Phase.MONITORING)
    raw = json.loads(case_to_json(case))
    body = raw["case"]
    variants = []
    for field in body:
        for value in PLANTED:
            variants += [body | {field: value}, body | {field: [value]}, body | {value: 1}]
    assert {f for f in Case.model_fields} <= set(body)
    for variant in variants:
        with pytest.raises(KimError) as info:
            case_from_json(json.dumps({"v": 1, "case": variant}))
        assert_clean(str(info.value), "case_from_json")
