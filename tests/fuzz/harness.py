"""Running bad input through the ``kim`` command and the API, and judging the outcome.

An outcome fails when the input raised anything but a ``KimError`` (a traceback), when
the command printed more than one error line or no ``kim: error:`` line, when bad input
was accepted silently (exit status 0, or no exception), when an escape character or a
planted line reached the output, or when one input took longer than the time budget.
"""

from __future__ import annotations

import contextlib
import io
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kim.errors import KimError

SECONDS = 5.0
"""Time budget of one input."""
MEMORY = 500 * 2**20
"""Memory budget of one input (peak of Python allocations while it runs)."""


@dataclass
class Outcome:
    """What one input did."""

    code: int | None
    out: str
    err: str
    crash: str
    seconds: float
    peak: int


def run_cli(argv: Sequence[str], measure_memory: bool = False) -> Outcome:
    """Run ``kim.cli.main`` in this process, catching everything it lets out."""
    from kim.cli import main

    out, err = io.StringIO(), io.StringIO()
    crash = ""
    code: int | None = None
    if measure_memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 2
    except BaseException as error:  # the finding: anything else escaped
        crash = f"{type(error).__name__}: {str(error)[:200]}"
    seconds = time.perf_counter() - start
    peak = 0
    if measure_memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Outcome(code, out.getvalue(), err.getvalue(), crash, seconds, peak)


def cli_problem(outcome: Outcome, bad: bool, plant: str = "") -> str:
    """Why ``outcome`` breaks the promise ("" when it keeps it)."""
    if outcome.crash:
        return f"traceback ({outcome.crash})"
    if outcome.seconds > SECONDS:
        return f"took {outcome.seconds:.1f} s"
    if outcome.peak > MEMORY:
        return f"used {outcome.peak / 2**20:.0f} MiB"
    text = outcome.out + outcome.err
    if "\x1b" in text or "\x07" in text:
        return "an escape character reached the output"
    if plant and plant in text:
        return "planted text reached the output"
    if outcome.code == 0:
        return "silent accept (exit 0)" if bad else ""
    if outcome.code not in (1, 2):
        return f"exit status {outcome.code}"
    lines = outcome.err.rstrip("\n").splitlines()
    if outcome.code == 2 and len(lines) >= 2 and lines[0].startswith("usage:"):
        return "" if ": error:" in lines[-1] else "argparse usage without an error line"
    if len(lines) != 1 or not lines[0].startswith("kim: error: "):
        return f"not one 'kim: error:' line: {outcome.err[:120]!r}"
    return ""


def api_problem(call: Callable[[], Any], bad: bool = True) -> str:
    """Why calling ``call`` breaks the promise ("" when it keeps it)."""
    start = time.perf_counter()
    try:
        call()
    except KimError:
        problem = ""
    except Exception as error:
        problem = f"{type(error).__name__}: {str(error)[:120]}"
    else:
        problem = "silent accept" if bad else ""
    if not problem and time.perf_counter() - start > SECONDS:
        problem = "over the time budget"
    return problem
