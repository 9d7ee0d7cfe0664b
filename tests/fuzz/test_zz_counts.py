"""The size of the fuzz suite: at least 300 CLI inputs and 2,000 API calls ran.

Runs after the other fuzz modules (file name order); skipped when they were not run in
the same session (a selection of tests). The counts and the highest memory peaks are
printed with ``pytest -s``.
"""

from __future__ import annotations

import pytest

from .harness import COUNTS, MEMORY, PEAKS


def test_the_fuzz_suite_ran_enough_inputs_within_the_budget() -> None:
    if COUNTS["cli"] == 0 or COUNTS["api"] == 0:
        pytest.skip("the fuzz modules did not run in this session")
    print(
        f"fuzz: {COUNTS['cli']} CLI inputs, {COUNTS['cli_refused']} refused with one error "
        f"line (peak {PEAKS['cli'] / 2**20:.0f} MiB); {COUNTS['api']} API calls, "
        f"{COUNTS['api_refused']} refused with a KimError (peak {PEAKS['api'] / 2**20:.0f} MiB)"
    )
    assert COUNTS["cli_refused"] >= 300  # bad inputs, each refused cleanly
    assert COUNTS["api_refused"] >= 2000
    assert max(PEAKS.values()) <= MEMORY
