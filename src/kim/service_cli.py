"""The ``kim check``, ``kim schema`` and ``kim serve`` commands: parsing and printing only."""

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


def _serve(args: argparse.Namespace) -> str:
    try:
        from kim.server import serve
    except ImportError as error:
        from kim.errors import InputError

        raise InputError(
            f"kim serve needs the 'api' extra ({error.name} is missing); "
            "install it with: pip install 'kim-nrw[api]'"
        ) from None
    serve(args.host, args.port)
    return ""


def register(subparsers: Any) -> None:
    """Add ``check``, ``schema`` and ``serve`` to the ``kim`` command."""
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
    serve = subparsers.add_parser(
        "serve",
        help="Serve the web API (needs the 'api' extra); loopback only by default.",
        description="Serve the web API (needs the 'api' extra); loopback only by default.",
    )
    serve.set_defaults(handler=_serve)
    serve.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
