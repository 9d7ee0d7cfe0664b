"""Fuzzing the web API's OpenAPI schema with schemathesis: no request may give a 5xx.

Bounded on purpose (fixed seed, few examples per operation; the statewide report, the
slowest operation, gets fewest), so the run stays under a minute.
"""

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.config import SchemathesisConfig

from kim.server import create_app

# The coverage phase enumerates boundary values of every field of the deep request
# models (scenarios, facts): thorough but minutes long; fuzzing alone keeps it bounded.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(), config=CONFIG)
FAST = settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def _no_5xx(case: Case[Any]) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:300])


@schema.exclude(path="/report").parametrize()
@FAST
def test_no_server_errors(case: Case[Any]) -> None:
    _no_5xx(case)


@schema.include(path="/report").parametrize()
@settings(FAST, max_examples=6)
def test_no_server_errors_in_the_statewide_report(case: Case[Any]) -> None:
    _no_5xx(case)
