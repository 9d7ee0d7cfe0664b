"""Hypothesis profiles: derandomized in CI, random locally; no deadline in either.

CI sets the environment variable ``CI`` (``CI=true``); then the profile "ci" is loaded,
which derives its examples from each test's name, so a run in CI is reproducible.
Locally the profile "dev" keeps hypothesis random, to keep finding new cases. Neither
has a deadline: timing on shared machines varies too much for it to mean anything.
Choose a profile by hand with ``pytest --hypothesis-profile=ci``.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, database=None, print_blob=True)
settings.register_profile("dev", deadline=None)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


settings.load_profile("ci" if _in_ci() else "dev")


@pytest.fixture(autouse=True)
def _english_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``kim`` command speaks English in tests unless one asks for ``--lang de``.

    Its default language follows ``KIM_LANG`` or the locale, which differ between machines.
    """
    monkeypatch.setenv("KIM_LANG", "en")
