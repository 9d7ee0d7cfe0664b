"""The ``kim case`` commands: replay a log, list due actions, report statistics.

Parsing and printing only; the rules live in the other modules. The output shows the
pseudonymous client id, the unit, the staff id of the case manager and the phase, never
a date of birth, a fact about the person or a note.

* ``kim case replay FILE.jsonl``: validate a log and print the final state of each case,
  every unreadable line and every refused event with its line number. Exits with
  status 2 if any line was unreadable or refused.
* ``kim case due FILE.jsonl --on DATE``: the actions due on a day (reviews, proposed
  closures), with the intervals from ``--policy FILE.json`` or the options.
* ``kim case stats FILE.jsonl --year 2024``: the reporting tables with small cells
  suppressed.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kim._cli_args import date_arg, year_arg
from kim._render import FORMATS, render
from kim.errors import InputError, KimError

if TYPE_CHECKING:  # pragma: no cover
    from kim.casework.admission import LocalPolicy
    from kim.casework.model import Case

__all__ = ["register"]


class _LogRejectedError(KimError):
    """The log had unreadable lines or refused events (the report was printed)."""


def _file_name(path: str) -> str:
    """The last part of a path, for messages (pathlib loads only when a message needs it)."""
    from pathlib import Path

    return Path(path).name


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _policy(args: argparse.Namespace) -> LocalPolicy:
    from kim.casework.admission import LocalPolicy

    policy = LocalPolicy()
    if getattr(args, "policy", None) is not None:
        from kim._io import load_json, read_text

        text = read_text(args.policy, 1_000_000, "policy")
        policy = LocalPolicy.model_validate(load_json(text, _file_name(args.policy)))
    updates: dict[str, Any] = {}
    if getattr(args, "review_weeks", None) is not None:
        updates["review_every_weeks"] = args.review_weeks
    if getattr(args, "contact_loss_weeks", None) is not None:
        updates["contact_loss_weeks"] = args.contact_loss_weeks
    if updates:
        policy = LocalPolicy.model_validate({**policy.model_dump(), **updates})
    return policy


def _cases(args: argparse.Namespace, policy: LocalPolicy | None) -> Mapping[str, Case]:
    """Read and replay the log strictly: any unreadable or refused event is an error."""
    from kim.casework.machine import replay_log
    from kim.casework.serialize import read_jsonl_file

    parsed = read_jsonl_file(args.file, strict=True)
    result = replay_log(parsed.events, policy, lines=parsed.lines)
    if result.refused:
        lines = ", ".join(str(r.line) for r in result.refused[:10])
        raise InputError(
            f"{_file_name(args.file)}: {len(result.refused)} event(s) refused (lines {lines}"
            f"{', ...' if len(result.refused) > 10 else ''}); run 'kim case replay "
            f"{args.file}' for the reasons."
        )
    return result.cases


def _cmd_replay(args: argparse.Namespace) -> str:
    from kim.casework.machine import replay_log
    from kim.casework.serialize import read_jsonl_file

    parsed = read_jsonl_file(args.file, strict=False)
    result = replay_log(parsed.events, _policy(args), lines=parsed.lines)
    cases = [
        {
            "client_id": c.client_id,
            "unit": c.unit,
            "case_manager": c.case_manager,
            "phase": c.phase.value,
            "episode": c.episode.number,
            "open": c.is_open,
        }
        for c in result.cases.values()
    ]
    unreadable: list[dict[str, Any]] = [
        {"line": p.line, "problem": p.problem} for p in parsed.problems
    ]
    refused: list[dict[str, Any]] = [
        {"line": r.line, "client_id": r.client_id, "event": r.event, "error": r.error,
         "message": r.message}
        for r in result.refused
    ]  # fmt: skip
    columns = ["client_id", "unit", "case_manager", "phase", "episode", "open"]
    if args.format == "json":
        import json

        output = json.dumps(
            {"events": result.events, "cases": cases, "unreadable": unreadable,
             "refused": refused},
            indent=2, ensure_ascii=False,
        )  # fmt: skip
    elif args.format == "csv":
        output = render(cases, columns, "csv")
        problems: list[dict[str, Any]] = [
            {"line": u["line"], "kind": "unreadable", "message": u["problem"]} for u in unreadable
        ]
        problems += [
            {"line": r["line"], "kind": "refused", "message": r["message"]} for r in refused
        ]
        if problems:
            problems.sort(key=lambda p: p["line"])
            output += "\n\n" + render(problems, ["line", "kind", "message"], "csv")
    else:
        parts = [
            f"{result.events} events read, {len(cases)} cases, {len(unreadable)} unreadable "
            f"line(s), {len(refused)} refused event(s).",
            "",
            render(cases, columns, "table"),
        ]
        if unreadable:
            parts += ["", "Unreadable lines:"] + [f"  line {u['line']}: {u['problem']}"
                                                  for u in unreadable]  # fmt: skip
        if refused:
            parts += ["", "Refused events:"] + [f"  line {r['line']}: {r['message']}"
                                               for r in refused]  # fmt: skip
        output = "\n".join(parts)
    if unreadable or refused:
        print(output)
        raise _LogRejectedError(
            f"{_file_name(args.file)}: {len(unreadable)} unreadable line(s) and "
            f"{len(refused)} refused event(s); see the report above."
        )
    return output


def _cmd_due(args: argparse.Namespace) -> str:
    from kim.casework.deadlines import due_actions

    policy = _policy(args)
    if policy.review_every_weeks is None and policy.contact_loss_weeks is None:
        raise InputError(
            "No deadline is configured: give --review-weeks and/or --contact-loss-weeks, "
            "or --policy FILE.json (no source gives a default interval)."
        )
    actions = due_actions(_cases(args, policy).values(), args.on, policy)
    rows = [
        {
            "client_id": a.client_id,
            "case_manager": a.case_manager,
            "action": a.kind.value,
            "due_on": a.due_on.isoformat(),
            "overdue_days": a.overdue_days,
            "proposal": f"case_closed({a.proposed_reason.value})" if a.proposed_reason else None,
        }
        for a in actions
    ]
    columns = ["client_id", "case_manager", "action", "due_on", "overdue_days", "proposal"]
    return render(rows, columns, args.format)


def _cmd_stats(args: argparse.Namespace) -> str:
    from kim.casework.stats import SUPPRESSED, case_statistics

    stats = case_statistics(_cases(args, None).values(), args.year, args.threshold)
    if args.format == "json":
        return stats.model_dump_json(indent=2)
    if args.format == "csv":
        rows = stats.rows()
        return render(rows, ["table", "label", "count", "suppressed"], "csv")

    def shown(value: int | None) -> str:
        return SUPPRESSED if value is None else str(value)

    rule = (
        f"cells from 1 to {stats.threshold - 1} and cells that would reveal them are shown "
        f"as '{SUPPRESSED}'"
        if stats.threshold > 1
        else "no cell is suppressed"
    )
    parts = [
        f"Case-management statistics {stats.year} (counts of clients; {rule}).",
        f"Clients with an open episode in the year: {shown(stats.cases)}",
        f"Median length of closed episodes in days: {shown(stats.median_days_closed)}",
    ]
    for table in stats.tables:
        rows = [{"label": r.label, "count": r.text()} for r in table.rows]
        rows.append({"label": table.total_label, "count": shown(table.total)})
        parts += ["", f"{table.title} [{table.name}]", render(rows, ["label", "count"], "table")]
    return "\n".join(parts)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kim case`` and its actions to the ``kim`` command's subparsers."""
    help_text = "Case management: replay an event log, list due actions, report statistics."
    case = subparsers.add_parser("case", help=help_text, description=help_text)
    actions = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)

    def add(name: str, text: str, handler: Any) -> argparse.ArgumentParser:
        cmd = actions.add_parser(name, help=text, description=text)
        cmd.set_defaults(handler=handler)
        cmd.add_argument("file", metavar="FILE.jsonl", help="the event log (JSON Lines)")
        cmd.add_argument("--format", choices=FORMATS, default="table", help="output format")
        return cmd

    replay = add(
        "replay",
        "Validate a log: the final state of each case, unreadable lines and refused events.",
        _cmd_replay,
    )
    replay.add_argument("--policy", metavar="FILE.json", help="local policy (legal bases)")
    due = add("due", "List the reviews and proposed closures due on a day.", _cmd_due)
    due.add_argument("--on", type=date_arg, required=True, help="the day (YYYY-MM-DD)")
    due.add_argument("--policy", metavar="FILE.json", help="local policy with the intervals")
    due.add_argument("--review-weeks", type=_positive, help="review a running plan every N weeks")
    due.add_argument(
        "--contact-loss-weeks", type=_positive, help="propose closure after N weeks on hold"
    )
    stats = add("stats", "Report statistics of a year with small cells suppressed.", _cmd_stats)
    stats.add_argument("--year", type=year_arg, required=True, help="the calendar year")
    stats.add_argument(
        "--threshold", type=_positive, default=5, help="suppress counts below this (default 5)"
    )
