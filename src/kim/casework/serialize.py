"""Events and cases as JSON and JSON Lines, lossless, with a schema version.

**Event logs** are JSON Lines: one event per line, a JSON object with the schema
version ``"v"`` first, then the event's fields, all of them, defaults included::

    {"v":1,"type":"referred","client_id":"K-1","on":"2024-01-08",...}

Reading a log checks every line and reports **every** line that cannot be read, with
its number: bad JSON, a missing or unknown schema version, an unknown event type, an
invalid field. Nothing is dropped silently; only blank lines are skipped (they hold
nothing). The reports name the field and the problem, never the values.

**Cases** are one JSON object ``{"v": 1, "case": {...}}``; reading one checks the
case's invariants.

Examples:
    >>> from datetime import date
    >>> from kim.casework.events import Referred
    >>> line = event_to_json(Referred(client_id="K-1", on=date(2024, 1, 8), unit="Kreis Coesfeld",
    ...                               case_manager="cm-01"))
    >>> line[:60]
    '{"v":1,"type":"referred","client_id":"K-1","on":"2024-01-08"'
    >>> read_jsonl(['{"v":2,"type":"referred"}', "not json"], strict=False).problems
    (LogProblem(line=1, problem='unknown schema version 2 (this library reads 1)'), \
LogProblem(line=2, problem='not valid JSON: Expecting value at column 1'))

"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

from pydantic import Field

from kim._check import expect
from kim._io import load_json, read_text
from kim._model import KimModel, ModelInputError
from kim.casework._perf import gc_paused
from kim.casework.errors import LogFormatError, LogProblem
from kim.casework.events import EVENT_TYPES, CaseEvent, Event
from kim.casework.model import Case
from kim.errors import DataFileError, InputError, closest_matches

__all__ = [
    "MAX_LOG_BYTES",
    "SCHEMA_VERSION",
    "ParsedLog",
    "case_from_json",
    "case_to_json",
    "dump_jsonl",
    "event_from_json",
    "event_to_json",
    "read_jsonl",
    "read_jsonl_file",
]

MAX_LOG_BYTES = 100_000_000
"""The largest case log read from a file (100 MB, counted while reading)."""

SCHEMA_VERSION = 1
"""The version of the JSON layout of events and cases that this library writes and reads."""

_HEAD = f'{{"v":{SCHEMA_VERSION},'


class ParsedLog(KimModel):
    """The events of a JSONL log with their line numbers, and the lines that failed."""

    events: tuple[CaseEvent, ...] = Field(
        description="The events read, in log order (each with all the fields of its type)."
    )
    lines: tuple[int, ...] = Field(description="The line number of each event.")
    problems: tuple[LogProblem, ...] = Field(description="Lines that could not be read.")

    def __repr_args__(self) -> Any:
        yield "events", len(self.events)
        yield "problems", len(self.problems)


def event_to_json(event: Event) -> str:
    """One event as one line of JSON, schema version first, every field included."""
    body = event.model_dump_json()
    return _HEAD + body[1:] if len(body) > 2 else _HEAD[:-1] + "}"


def dump_jsonl(events: Iterable[Event]) -> str:
    """A log of events as JSON Lines text (one line each, ending with a newline)."""
    return "".join(event_to_json(e) + "\n" for e in events)


def _parse_line(text: str) -> Event | str:
    """The event on one line, or a description of the problem (without values)."""
    try:
        raw = load_json(text, "", exact=False)
    except DataFileError as error:
        return error.problem
    if not isinstance(raw, dict):
        return f"expected a JSON object, got a JSON {type(raw).__name__}"
    version = raw.pop("v", None)
    if version is None:
        return "no schema version: every line needs a field 'v'"
    if type(version) is not int or version != SCHEMA_VERSION:
        shown = version if type(version) is int else f"of type {type(version).__name__}"
        return f"unknown schema version {shown} (this library reads {SCHEMA_VERSION})"
    kind = raw.get("type")
    if kind is None:
        return "no event type: every line needs a field 'type'"
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        # The value is not echoed (it may be anything, even a name); a near known type is.
        near = closest_matches(kind, EVENT_TYPES) if isinstance(kind, str) else []
        hint = f"; did you mean {', '.join(repr(n) for n in near)}?" if near else ""
        return f"unknown event type{hint}"
    try:
        # The constructor, not model_validate: KimModel's custom __init__ would make
        # model_validate wrap the field problems in a second, less readable layer.
        return cls(**raw)
    except ModelInputError as error:
        return f"{kind}: " + "; ".join(f"{loc or '(event)'}: {msg}" for loc, msg in error.problems)


def event_from_json(text: str) -> Event:
    """Read one event written by `event_to_json()`; raise ``InputError`` if invalid."""
    result = _parse_line(text)
    if isinstance(result, str):
        raise InputError(f"Invalid event: {result}.")
    return result


def read_jsonl(
    lines: Iterable[str] | str, *, source: str = "log", strict: bool = True
) -> ParsedLog:
    """Read a JSONL log (text, or an iterable of lines such as an open file).

    With ``strict=True`` (the default) any unreadable line raises
    [`LogFormatError`][kim.casework.errors.LogFormatError], which lists every such line; with
    ``strict=False`` the problems are returned with the events that could be read.
    """
    if isinstance(lines, bytes) or not hasattr(lines, "__iter__"):
        expect(lines, str, "lines")
    if isinstance(lines, str):
        lines = lines.splitlines()
    events: list[Event] = []
    numbers: list[int] = []
    problems: list[LogProblem] = []
    with gc_paused():
        for number, text in enumerate(lines, start=1):
            if not isinstance(text, str):
                expect(text, str, f"line {number}")
            if not text.strip():
                continue
            result = _parse_line(text)
            if isinstance(result, str):
                problems.append(LogProblem.model_construct(line=number, problem=result))
            else:
                events.append(result)
                numbers.append(number)
    if strict and problems:
        raise LogFormatError(source, problems)
    return ParsedLog.model_construct(
        events=cast("tuple[CaseEvent, ...]", tuple(events)),
        lines=tuple(numbers),
        problems=tuple(problems),
    )


def read_jsonl_file(path: str | Path, *, strict: bool = True) -> ParsedLog:
    """Read a JSONL log from a file (UTF-8); see `read_jsonl()`.

    The file is read up to [`MAX_LOG_BYTES`][kim.casework.serialize.MAX_LOG_BYTES] (counted while
    reading); a line may be up to ``kim._io.MAX_LINE`` characters, nested up to ``MAX_DEPTH``
    levels, with numbers of up to ``MAX_DIGITS`` digits; a key twice in one line makes the line
    unreadable.
    """
    file = Path(path)
    text = read_text(path, MAX_LOG_BYTES, "case log")
    return read_jsonl(text, source=file.name, strict=strict)


def case_to_json(case: Case) -> str:
    """One case as a JSON object ``{"v": 1, "case": {...}}``, every field included."""
    return _HEAD + '"case":' + case.model_dump_json() + "}"


def case_from_json(text: str) -> Case:
    """Read a case written by `case_to_json()`, checking its invariants."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"Invalid case: not valid JSON: {error.msg}.") from None
    if not isinstance(raw, dict) or set(raw) != {"v", "case"}:
        raise InputError("Invalid case: expected an object with the fields 'v' and 'case'.")
    if type(raw["v"]) is not int or raw["v"] != SCHEMA_VERSION:
        raise InputError(
            f"Invalid case: unknown schema version (this library reads {SCHEMA_VERSION})."
        )
    if not isinstance(raw["case"], dict):
        raise InputError("Invalid case: 'case' must be a JSON object.")
    return Case(**raw["case"])
