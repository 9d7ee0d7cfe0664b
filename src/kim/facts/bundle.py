"""The bundle of everything a user supplied: parameters, territory, scenario, rows.

[`supply()`][kim.facts.bundle.supply] combines a scenario, ``--set`` assignments and a facts
file into a [`Supplied`][kim.facts.bundle.Supplied] bundle; [`report()`][kim.facts.bundle.report]
runs the statewide report with it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import Field

from kim._model import KimModel
from kim.facts.assignment import parse_assignment
from kim.facts.files import load_facts
from kim.facts.model import FACT_NAMES, Facts, SuppliedFact
from kim.parameters.model import ParameterSet, Status
from kim.scenarios.model import ParameterChange, Scenario, compose
from kim.territory.registry import Territory

if TYPE_CHECKING:  # pragma: no cover
    from kim.scenarios.statewide import StatewideRun

__all__ = ["Supplied", "SuppliedRow", "report", "supply"]


class SuppliedRow(KimModel):
    """One supplied value, as every output lists it."""

    kind: str = Field(description="parameter, fact or posts.")
    subject: str = Field(description="The parameter id, or the municipality or unit.")
    name: str | None = Field(default=None, description="The fact or kind of post.")
    value: str = Field(description="The value, as text.")
    valid: str | None = Field(default=None, description="Dates it applies, FROM..TO.")
    status: Status = Field(default=Status.SUPPLIED, description="Always ``supplied``.")
    note: str | None = Field(default=None, description="The user's note.")

    def text(self) -> str:
        """One line: ``subject name = value (valid; note)``."""
        what = f"{self.subject} {self.name}" if self.name else self.subject
        extra = "; ".join(x for x in (self.valid, self.note) if x)
        return f"{what} = {self.value} [supplied{': ' + extra if extra else ''}]"


@dataclass(frozen=True)
class Supplied:
    """What a user supplied, ready to compute with.

    Attributes:
        parameters: the embedded parameters with the supplied values (status ``supplied``).
        territory: the embedded territory with the supplied municipality facts.
        scenario: the scenario to run statewide (parameter changes and staffing), if any.
        facts: the facts file, if any.
        rows: one row per supplied value, for every output.

    """

    parameters: ParameterSet
    territory: Territory
    scenario: Scenario | None = None
    facts: Facts | None = None
    rows: tuple[SuppliedRow, ...] = field(default=())

    def lines(self) -> list[str]:
        """The supplied values as text lines (empty when nothing was supplied)."""
        if not self.rows:
            return []
        return ["Supplied values (status supplied):", *(f"  {r.text()}" for r in self.rows)]

    def data(self) -> list[dict[str, Any]]:
        """The supplied values as JSON-ready rows."""
        return [r.model_dump(mode="json", exclude_none=True) for r in self.rows]


_Given = TypeVar("_Given", Scenario, Facts)


def _as_model(
    given: _Given | Mapping[str, Any] | str | Path,
    model: type[_Given],
    load: Callable[[str | Path], _Given],
) -> _Given:
    """A model given as itself, as its plain data, or as a file path to ``load``."""
    if isinstance(given, model):
        return given
    if isinstance(given, Mapping):
        return model.model_validate(dict(given))
    assert isinstance(given, str | Path)
    return load(given)


def _load_scenario(path: str | Path) -> Scenario:
    from kim.scenarios.files import load_scenario

    return load_scenario(path)


def _rows(
    scenario: Scenario | None, facts: Facts | None, territory: Territory
) -> list[SuppliedRow]:
    rows: list[SuppliedRow] = []
    for c in scenario.parameters if scenario else ():
        rows.append(
            SuppliedRow(
                kind="parameter",
                subject=c.parameter,
                value=f"{c.value} {c.unit.value}",
                valid=f"{c.start.isoformat()}..{c.end.isoformat() if c.end else ''}",
                note=c.note,
            )
        )
    if facts is not None:
        for name, m in facts.municipalities.items():
            for f in FACT_NAMES:
                given: SuppliedFact | None = getattr(m, f)
                if given is not None:
                    rows.append(
                        SuppliedRow(
                            kind="fact",
                            subject=name,
                            name=f,
                            value="yes" if given.value else "no",
                            valid=f"..{given.until.isoformat()}" if given.until else None,
                            note=given.note or f"facts {facts.name}",
                        )
                    )
        for name, u in facts.units.items():
            for kind, fte in u.posts.items():
                rows.append(
                    SuppliedRow(
                        kind="posts",
                        subject=territory.district(name).name,
                        name=kind.value,
                        value=f"{fte} FTE",
                        valid=str(u.year) if u.year else None,
                        note=u.note or f"facts {facts.name}",
                    )
                )
    return rows


def supply(
    *,
    scenario: Scenario | Mapping[str, Any] | str | Path | None = None,
    assignments: Iterable[str | ParameterChange] = (),
    facts: Facts | Mapping[str, Any] | str | Path | None = None,
    year: int | None = None,
    note: str | None = None,
    parameters: ParameterSet | None = None,
    territory: Territory | None = None,
) -> Supplied:
    """Combine a scenario, ``PARAM=VALUE[@FROM..TO]`` assignments and facts into one bundle.

    Args:
        scenario: a [`Scenario`][kim.scenarios.model.Scenario], its plain data, or a file path.
        assignments: ``PARAM=VALUE[@FROM..TO]`` texts or parameter changes; they win over
            the scenario where both set the same parameter on the same days.
        facts: a [`Facts`][kim.facts.model.Facts], its plain data, or a file path.
        year: the funding year an assignment without ``@`` applies to.
        note: the note kept with every assignment (where the value comes from).
        parameters: the baseline parameters; the embedded set by default.
        territory: the baseline territory; the embedded one by default.

    Raises:
        InputError: an unknown parameter, unit, municipality or unit, or a bad value.
        DataFileError: a scenario or facts file that cannot be read.

    """
    from kim.parameters.loader import embedded_parameters
    from kim.territory import embedded_territory

    base = embedded_parameters() if parameters is None else parameters
    terr = embedded_territory() if territory is None else territory
    changes = tuple(
        a
        if isinstance(a, ParameterChange)
        else parse_assignment(a, year=year, note=note, parameters=base)
        for a in assignments
    )
    scenarios = [] if scenario is None else [_as_model(scenario, Scenario, _load_scenario)]
    if changes:
        scenarios.append(Scenario(name="set", parameters=changes))
    the_facts = None if facts is None else _as_model(facts, Facts, load_facts)
    if the_facts is not None and the_facts.units:
        scenarios.append(Scenario(name=the_facts.name, staffing=the_facts.staffing(terr)))
    combined: Scenario | None = None
    if len(scenarios) == 1:
        combined = scenarios[0]
    elif scenarios:
        combined, _ = compose(
            *scenarios, name="+".join(s.name for s in scenarios if s.name != "set") or "set"
        )
    params = combined.apply(base) if combined is not None else base
    terr = the_facts.apply(terr) if the_facts is not None else terr
    return Supplied(
        parameters=params,
        territory=terr,
        scenario=combined,
        facts=the_facts,
        rows=tuple(_rows(combined, the_facts, terr)),
    )


def report(
    year: int | None = None,
    scenario: Scenario | Mapping[str, Any] | str | Path | None = None,
    *,
    assignments: Iterable[str | ParameterChange] = (),
    facts: Facts | Mapping[str, Any] | str | Path | None = None,
    note: str | None = None,
    parameters: ParameterSet | None = None,
) -> StatewideRun:
    """The statewide run of one year with supplied values, as ``kim report`` computes it.

    ``scenario`` and ``facts`` are models, plain data, JSON text or file paths;
    ``assignments`` are ``PARAM=VALUE[@FROM..TO]`` texts (see
    [`supply()`][kim.facts.bundle.supply]).

    Examples:
        >>> staffing = {"Kreis Unna": {"case_management": 18}}
        >>> run = report(2023, {"name": "unna", "staffing": staffing})
        >>> next(u for u in run.units if u.key == "05978").components[2].grant.format_de()
        '1.026.000,00 €'

    """
    from kim._inputs import looks_like_json
    from kim.scenarios.statewide import run_statewide

    if looks_like_json(scenario):
        scenario = Scenario.model_validate_json(str(scenario))
    if looks_like_json(facts):
        facts = Facts.model_validate_json(str(facts))
    supplied = supply(
        scenario=scenario,
        assignments=assignments,
        facts=facts,
        year=year,
        note=note,
        parameters=parameters,
    )
    return run_statewide(year, supplied.scenario, parameters=parameters)
