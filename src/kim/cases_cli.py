"""The ``kim check`` and ``kim schema`` commands: parsing and printing only."""

from __future__ import annotations

import argparse
import sys
from typing import Any

__all__ = ["register"]


def _check(args: argparse.Namespace) -> str:
    from kim.cases import check_cases

    reports = [check_cases(path) for path in args.files]
    if args.format == "json":
        import json

        data = [
            {"file": path, **r.model_dump(mode="json"), "passed": r.passed}
            for path, r in zip(args.files, reports, strict=True)
        ]
        text = json.dumps(data, indent=2, ensure_ascii=False)
    else:
        parts = [
            f"{path}\n{r.text()}" if len(args.files) > 1 else r.text()
            for path, r in zip(args.files, reports, strict=True)
        ]
        text = "\n\n".join(parts)
    if all(r.passed for r in reports):
        return text
    print(text)
    sys.stdout.flush()
    raise SystemExit(1)


def _schema(args: argparse.Namespace) -> str:
    import json

    from kim.schemas import schema

    return json.dumps(schema(args.name), indent=2, ensure_ascii=False)


def register(subparsers: Any) -> None:
    """Add ``check`` and ``schema`` to the ``kim`` command."""
    from kim.schemas import SCHEMA_NAMES

    check = subparsers.add_parser(
        "check",
        help="Run case files (published figures as data); exit 1 if a case fails.",
        description="Run case files (published figures as data); exit 1 if a case fails.",
    )
    check.set_defaults(handler=_check)
    check.add_argument("files", nargs="+", metavar="CASES.yaml", help="case files")
    check.add_argument("--format", choices=("text", "json"), default="text")
    schema = subparsers.add_parser(
        "schema",
        help="Print the JSON Schema of an input or output (versioned).",
        description="Print the JSON Schema of an input or output (versioned).",
    )
    schema.set_defaults(handler=_schema)
    schema.add_argument("name", choices=SCHEMA_NAMES, help="which schema")
