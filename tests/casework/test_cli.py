"""The ``kim case`` commands on the sample log and on broken logs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kim.casework import Phase, dump_jsonl
from kim.cli import main

from .builders import NOTE, events_to

SAMPLE = str(Path(__file__).resolve().parents[2] / "docs" / "examples" / "case-log.jsonl")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_replay_prints_the_final_state_of_every_case(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "case", "replay", SAMPLE)
    assert code == 0 and err == ""
    assert out.startswith("45 events read, 5 cases, 0 unreadable line(s), 0 refused event(s).")
    phases = {
        line.split()[0]: line.split()[4] for line in out.splitlines() if line.startswith("K-")
    }
    assert phases == {
        "K-2024-001": "closed",
        "K-2024-002": "not_admitted",
        "K-2024-003": "implementing",
        "K-2024-004": "on_hold",
        "K-2024-005": "clarification",
    }


def test_replay_reports_bad_lines_and_refused_events_and_fails(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = events_to(Phase.MONITORING)
    lines = dump_jsonl(events).splitlines()
    lines.insert(3, '{"v": 7, "type": "referred"}')
    lines.append(lines[1])  # the consent again: a duplicate id, refused
    lines.append("garbage")
    log = tmp_path / "log.jsonl"
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "case", "replay", str(log))
    assert code == 2
    assert "1 refused event(s)" in out and "2 unreadable line(s)" in out
    assert "line 4: unknown schema version 7" in out
    assert (
        f"line {len(lines) - 1}: Case 'K-0001': event 'consent_given' is dated before the "
        "previous event" in out
    )
    assert f"line {len(lines)}: not valid JSON" in out
    assert err.startswith("kim: error: log.jsonl: 2 unreadable line(s) and 1 refused event(s)")
    code, out, _ = run(capsys, "case", "replay", str(log), "--format", "json")
    report = json.loads(out)
    assert code == 2 and [u["line"] for u in report["unreadable"]] == [4, len(lines)]
    assert report["refused"][0]["error"] == "EventOrderError"
    code, out, _ = run(capsys, "case", "replay", str(log), "--format", "csv")
    assert code == 2 and "line,kind,message" in out and "\n4,unreadable," in out


def test_replay_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "case", "replay", SAMPLE, "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["events"] == 45 and len(report["cases"]) == 5
    assert report["unreadable"] == [] and report["refused"] == []
    code, out, _ = run(capsys, "case", "replay", SAMPLE, "--format", "csv")
    assert out.splitlines()[0] == "client_id,unit,case_manager,phase,episode,open"


def test_due_lists_reviews_and_proposed_closures(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "case", "due", SAMPLE, "--on", "2024-09-30", "--review-weeks", "12",
        "--contact-loss-weeks", "8", "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == [
        {"client_id": "K-2024-004", "case_manager": "cm-01", "action": "propose_closure",
         "due_on": "2024-08-26", "overdue_days": 35, "proposal": "case_closed(contact_lost)"},
        {"client_id": "K-2024-003", "case_manager": "cm-02", "action": "review",
         "due_on": "2024-09-04", "overdue_days": 26, "proposal": None},
    ]  # fmt: skip


def test_due_reads_a_policy_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"unit": "Kreis Coesfeld", "review_every_weeks": 30}))
    code, out, _ = run(capsys, "case", "due", SAMPLE, "--on", "2024-09-30", "--policy", str(policy))
    assert code == 0 and "K-2024-003" not in out and "K-2024-004" not in out
    code, out, _ = run(capsys, "case", "due", SAMPLE, "--on", "2025-01-31", "--policy", str(policy))
    assert "K-2024-003" in out and "review" in out
    code, _, err = run(capsys, "case", "due", SAMPLE, "--on", "2024-09-30", "--policy", "nope.json")
    assert code == 2 and "nope.json: cannot read the policy" in err


def test_due_without_any_interval_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "case", "due", SAMPLE, "--on", "2024-09-30")
    assert code == 2 and out == ""
    assert "give --review-weeks and/or --contact-loss-weeks" in err


def test_due_and_stats_refuse_a_log_with_refused_events(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = events_to(Phase.MONITORING)
    log = tmp_path / "log.jsonl"
    log.write_text(dump_jsonl([*events, events[1]]), encoding="utf-8")
    code, _, err = run(capsys, "case", "stats", str(log), "--year", "2024")
    assert code == 2 and f"1 event(s) refused (lines {len(events) + 1})" in err
    log.write_text("nonsense\n", encoding="utf-8")
    code, _, err = run(capsys, "case", "due", str(log), "--on", "2024-01-01", "--review-weeks", "4")
    assert code == 2 and "line 1: not valid JSON" in err


def test_stats_suppresses_small_cells(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "case", "stats", SAMPLE, "--year", "2024")
    assert code == 0
    assert "Clients with an open episode in the year: 5\n" in out
    assert "Median length of closed episodes in days: .\n" in out
    assert "[closure_reasons]" in out and "[caseload]" in out
    body = [line.split() for line in out.splitlines() if line and line[0].islower()]
    counts = [row[-1] for row in body if len(row) == 2 and row[0] != "label"]
    assert counts and all(c in (".", "0") or int(c) >= 5 for c in counts)
    assert ["opened", "6"] in body and ["open_at_end", "."] in body
    code, out, _ = run(capsys, "case", "stats", SAMPLE, "--year", "2024", "--format", "json")
    data = json.loads(out)
    assert data["threshold"] == 5 and data["year"] == 2024
    code, out, _ = run(
        capsys, "case", "stats", SAMPLE, "--year", "2024", "--threshold", "1", "--format", "csv"
    )
    assert "flow,opened,6,False" in out and "flow,open_at_end,3,False" in out


def test_argument_errors(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["case"], ["case", "stats", SAMPLE], ["case", "due", SAMPLE, "--on", "soon"],
                 ["case", "stats", SAMPLE, "--year", "2024", "--threshold", "0"]):  # fmt: skip
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
    capsys.readouterr()


def test_no_output_contains_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    text = Path(SAMPLE).read_text(encoding="utf-8")
    note = "Free text: kept in the log, never shown."
    assert note in text
    outputs = []
    for argv in (["case", "replay", SAMPLE], ["case", "stats", SAMPLE, "--year", "2024",
                 "--threshold", "1", "--format", "json"]):  # fmt: skip
        for fmt in ("table", "csv", "json"):
            full = [*argv, "--format", fmt] if "--format" not in argv else argv
            outputs.append(run(capsys, *full)[1])
    assert all(note not in o and "Mustermann" not in o and NOTE not in o for o in outputs)
