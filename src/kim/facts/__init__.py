"""Facts a user supplies: parameter values, scenario files and facts files, in one bundle.

Most values the programme runs on are not published, so a user's own facts are the
normal case: the flat rate in their own notice, whether a town has its own
Ausländerbehörde, the posts a Kreis really has. This package gathers them:

* an **assignment** ``PARAM=VALUE[@FROM..TO]`` sets one parameter value
  ([`parse_assignment()`][kim.facts.assignment.parse_assignment], the ``--set`` option of
  every computing command; module ``assignment``);
* a **scenario** ([`Scenario`][kim.scenarios.model.Scenario]) sets many values, staffing and an
  allocation key;
* a **facts file** ([`Facts`][kim.facts.model.Facts]) records yes/no facts of municipalities
  (own authorities, Jugendamt, Integrationsrat) and the posts observed in units (modules
  ``model`` and ``files``).

[`supply()`][kim.facts.bundle.supply] combines them into a
[`Supplied`][kim.facts.bundle.Supplied] bundle (module ``bundle``): the parameter set and the
territory to compute with, and one row per supplied value. Every supplied value has the status
``supplied`` and keeps the user's note, so every result that rests on it says so.

Examples:
    >>> s = supply(assignments=["case_management_flat_rate=59000@2024"], note="our notice")
    >>> from datetime import date
    >>> v = s.parameters.value("case_management_flat_rate", date(2024, 3, 1))
    >>> v.value, v.status.value, v.note
    (Decimal('59000'), 'supplied', 'our notice')

"""

from __future__ import annotations

from kim.facts.assignment import ALL_DATES as ALL_DATES
from kim.facts.assignment import parse_assignment
from kim.facts.bundle import Supplied, SuppliedRow, report, supply
from kim.facts.files import MAX_BYTES as MAX_BYTES
from kim.facts.files import load_facts, parse_facts
from kim.facts.files import parse_document as parse_document
from kim.facts.files import read_document as read_document
from kim.facts.model import FACT_NAMES, Facts, MunicipalityFacts, SuppliedFact, UnitFacts

# ALL_DATES, MAX_BYTES, parse_document and read_document stay importable from here as
# before (the "X as X" form re-exports them) without being part of the listed surface.
__all__ = [
    "FACT_NAMES",
    "Facts",
    "MunicipalityFacts",
    "Supplied",
    "SuppliedFact",
    "SuppliedRow",
    "UnitFacts",
    "load_facts",
    "parse_assignment",
    "parse_facts",
    "report",
    "supply",
]
