"""Running bad input through the ``kim`` command and the API, and judging the outcome.

An outcome fails when the input raised anything but a ``KimError`` (a traceback), when
the command printed more than one error line or no ``kim: error:`` line, when bad input
was accepted silently (exit status 0, or no exception), when an escape character or a
planted line reached the output, or when one input took longer than the time budget.
"""

from __future__ import annotations

import contextlib
import io
import resource
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


COUNTS = {"cli": 0, "cli_refused": 0, "api": 0, "api_refused": 0}
"""How many inputs the harness ran in this session (reported by the fuzz tests)."""
PEAKS = {"cli": 0, "api": 0}
"""The highest tracemalloc peak seen per kind of input, in bytes."""


def _resident() -> int:
    """The resident size of this process now, in bytes (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * resource.getpagesize()
    except OSError:
        return 0


def _high_water() -> int:
    """The highest resident size of this process so far, in bytes."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


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
    """Run ``kim.cli.main`` in this process, catching everything it lets out.

    Memory is bounded cheaply on every run by the resident high-water mark: the growth of
    ``ru_maxrss`` over the resident size before the run is at least the run's own peak
    above that size. ``measure_memory`` adds tracemalloc's exact peak of Python
    allocations (slow: it multiplies the run time, so the time budget is then skipped).
    """
    before = _resident()
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
    peak = max(peak, _high_water() - before)
    if measure_memory:
        seconds = 0.0
    COUNTS["cli"] += 1
    COUNTS["cli_refused"] += code in (1, 2)
    PEAKS["cli"] = max(PEAKS["cli"], peak)
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


def api_problem(call: Callable[[], Any], bad: bool = True, measure_memory: bool = True) -> str:
    """Why calling ``call`` breaks the promise ("" when it keeps it).

    With ``measure_memory`` the peak of Python allocations during the call (tracemalloc)
    must stay within ``MEMORY``, and so must the growth of the resident high-water mark;
    the time budget is checked on the same run (API calls are small: tracemalloc's
    overhead stays far below the budget).
    """
    before = _resident()
    if measure_memory:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        call()
    except KimError:
        problem = ""
    except Exception as error:
        problem = f"{type(error).__name__}: {str(error)[:120]}"
    else:
        problem = "silent accept" if bad else ""
    seconds = time.perf_counter() - start
    peak = 0
    if measure_memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    peak = max(peak, _high_water() - before)
    if not problem and seconds > SECONDS:
        problem = f"over the time budget ({seconds:.1f} s)"
    if not problem and peak > MEMORY:
        problem = f"over the memory budget ({peak / 2**20:.0f} MiB)"
    COUNTS["api"] += 1
    COUNTS["api_refused"] += problem == "" and bad
    PEAKS["api"] = max(PEAKS["api"], peak)
    return problem
