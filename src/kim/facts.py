"""Facts a user supplies: parameter values, scenario files and facts files, in one bundle.

Most values the programme runs on are not published, so a user's own facts are the
normal case: the flat rate in their own notice, whether a town has its own
Ausländerbehörde, the posts a Kreis really has. This module gathers them:

* an **assignment** ``PARAM=VALUE[@FROM..TO]`` sets one parameter value
  ([`parse_assignment()`][kim.facts.parse_assignment], the ``--set`` option of every computing
  command);
* a **scenario** ([`Scenario`][kim.scenarios.model.Scenario]) sets many values, staffing and an
  allocation key;
* a **facts file** ([`Facts`][kim.facts.Facts]) records yes/no facts of municipalities (own
  authorities, Jugendamt, Integrationsrat) and the posts observed in units.

[`supply()`][kim.facts.supply] combines them into a [`Supplied`][kim.facts.Supplied] bundle: the
parameter set and the territory to compute with, and one row per supplied value. Every supplied
value has the status ``supplied`` and keeps the user's note, so every result that rests on it says
so.

Examples:
    >>> s = supply(assignments=["case_management_flat_rate=59000@2024"], note="our notice")
    >>> from datetime import date
    >>> v = s.parameters.value("case_management_flat_rate", date(2024, 3, 1))
    >>> v.value, v.status.value, v.note
    (Decimal('59000'), 'supplied', 'our notice')

"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import Field, field_validator, model_validator

from kim._data import load_yaml_text
from kim._io import yaml_line
from kim._model import KimModel, ModelInputError
from kim.components import PostKind
from kim.errors import DataFileError, InputError, closest_matches
from kim.parameters.model import ParameterSet, Status
from kim.scenarios.model import ParameterChange, Scenario, compose
from kim.territory.model import Fact, Municipality
from kim.territory.registry import Territory

if TYPE_CHECKING:  # pragma: no cover
    from kim.scenarios.statewide import StatewideRun

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

FACT_NAMES = ("auslaenderbehoerde", "einbuergerungsbehoerde", "jugendamt", "integrationsrat")
"""The yes/no facts of a municipality that eligibility uses."""

MAX_BYTES = 1_000_000
"""The largest facts file the library reads (1 MB), as for scenarios."""

_M = TypeVar("_M", bound=KimModel)


class SuppliedFact(KimModel):
    """A yes/no fact the user supplies; ``true`` or ``false`` alone is short for ``value``."""

    value: bool = Field(description="Whether the municipality has it.")
    note: str | None = Field(default=None, description="Where the fact comes from.")
    until: dt.date | None = Field(default=None, description="Last day the fact is known.")

    @model_validator(mode="before")
    @classmethod
    def _short(cls, data: Any) -> Any:
        return {"value": data} if isinstance(data, bool) else data


class MunicipalityFacts(KimModel):
    """Facts about one municipality; ``ags`` and ``parent`` add one the library lacks."""

    ags: str | None = Field(default=None, pattern=r"^05\d{6}$", description="8-digit AGS.")
    parent: str | None = Field(
        default=None, description="Key, name or alias of its Kreis (new municipalities only)."
    )
    auslaenderbehoerde: SuppliedFact | None = Field(default=None, description="Own ABH.")
    einbuergerungsbehoerde: SuppliedFact | None = Field(default=None, description="Own EBH.")
    jugendamt: SuppliedFact | None = Field(default=None, description="Own Jugendamt.")
    integrationsrat: SuppliedFact | None = Field(
        default=None, description="An Integrationsrat or Integrationsausschuss."
    )


class UnitFacts(KimModel):
    """Posts observed in one KIM unit (kind of post -> FTE), optionally for one year."""

    posts: dict[PostKind, Decimal] = Field(description="FTE per kind of post.")
    year: int | None = Field(default=None, ge=2020, le=2100, description="Year observed.")
    note: str | None = Field(default=None, description="Where the figures come from.")

    @field_validator("posts", mode="before")
    @classmethod
    def _kinds(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            from kim.funding.model import parse_post_kind

            return {parse_post_kind(str(k)): v for k, v in value.items()}
        return value

    @field_validator("posts")
    @classmethod
    def _positive(cls, value: dict[PostKind, Decimal]) -> dict[PostKind, Decimal]:
        for kind, fte in value.items():
            if fte < 0 or not fte.is_finite():
                raise InputError(f"{kind.value} must be a finite number of FTE, not negative")
        return value


class Facts(KimModel):
    r"""A named set of facts about municipalities and units, read from a facts file.

    Examples:
        >>> f = parse_facts("name: ours\nmunicipalities:\n  Kamen:\n    integrationsrat: true\n")
        >>> t = f.apply()
        >>> t.municipality("Kamen").integrationsrat.status.value
        'supplied'

    """

    name: str = Field(min_length=1, description="A short name.")
    description: str | None = Field(default=None, description="What the facts are.")
    municipalities: dict[str, MunicipalityFacts] = Field(
        default_factory=dict, description="Facts per municipality (name, alias or AGS)."
    )
    units: dict[str, UnitFacts] = Field(
        default_factory=dict, description="Observed posts per KIM unit (key, name or alias)."
    )

    def apply(self, territory: Territory | None = None) -> Territory:
        """A new territory with these facts (status ``supplied``); checks names first."""
        from kim.territory import embedded_territory

        base = embedded_territory() if territory is None else territory
        changed: list[Municipality] = []
        for name, facts in self.municipalities.items():
            try:
                found = _municipality(base, name, facts)
            except (InputError, LookupError) as error:
                raise InputError(f"facts {self.name!r}: municipalities: {error}") from None
            update = {
                f: Fact(
                    value=given.value,
                    status=Status.SUPPLIED,
                    note=given.note or f"facts {self.name}",
                    until=given.until,
                )
                for f in FACT_NAMES
                if (given := getattr(facts, f)) is not None
            }
            changed.append(found.model_copy(update=update))
        for unit in self.units:
            try:
                base.district(unit)
            except (InputError, LookupError) as error:
                raise InputError(f"facts {self.name!r}: units: {error}") from None
        return base.with_municipalities(*changed) if changed else base

    def staffing(self, territory: Territory | None = None) -> dict[str, dict[PostKind, Decimal]]:
        """The observed posts as a scenario's staffing (unit key -> kind -> FTE)."""
        from kim.territory import embedded_territory

        base = embedded_territory() if territory is None else territory
        return {base.district(name).key: dict(u.posts) for name, u in self.units.items()}

    def posts_of(self, unit_key: str, territory: Territory | None = None) -> UnitFacts | None:
        """The observed posts of one unit (looked up by key, name or alias), if given."""
        from kim.territory import embedded_territory

        base = embedded_territory() if territory is None else territory
        for name, posts in self.units.items():
            if base.district(name).key == unit_key:
                return posts
        return None


def _municipality(territory: Territory, name: str, facts: MunicipalityFacts) -> Municipality:
    if facts.ags is None and facts.parent is None:
        return territory.municipality(name)
    if facts.ags is None or facts.parent is None:
        raise InputError(f"{name}: a new municipality needs both 'ags' and 'parent'.")
    parent = territory.district(facts.parent)
    return Municipality(ags=facts.ags, name=name, parent=parent.kreis_key)


def parse_document(model: type[_M], text: str, file: str) -> _M:
    """Parse YAML or JSON ``text`` into ``model``, strictly, naming file, line and key.

    The same rules as scenario files: at most [`MAX_BYTES`][kim.facts.MAX_BYTES], duplicate keys
    refused, unknown keys refused, every error a [`DataFileError`][kim.errors.DataFileError].
    """
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise DataFileError(file, "", f"the file is larger than {MAX_BYTES:,} bytes")
    raw = load_yaml_text(text, file)
    if not isinstance(raw, dict):
        raise DataFileError(file, "line 1", "expected a mapping with at least a 'name'")
    try:
        return model.model_validate(raw)
    except ModelInputError as error:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        loc, problem = error.problems[0] if error.problems else ("", str(error))
        line = yaml_line(root, [p for p in loc.split(".") if p])
        raise DataFileError(file, f"line {line}, {loc}" if line else loc, problem) from None


def read_document(model: type[_M], path: str | Path) -> _M:
    """Read a YAML or JSON file into ``model`` with `parse_document()`."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_BYTES:
            raise DataFileError(str(file), "", f"the file is larger than {MAX_BYTES:,} bytes")
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise DataFileError(str(file), "", f"cannot read the file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise DataFileError(str(file), "", "the file is not UTF-8 text") from None
    return parse_document(model, text, str(file))


def parse_facts(text: str, file: str = "<facts>") -> Facts:
    """Parse and validate the text of a facts file (YAML or JSON)."""
    return parse_document(Facts, text, file)


def load_facts(path: str | Path) -> Facts:
    """Read a facts file (``.yaml``, ``.yml`` or ``.json``)."""
    return read_document(Facts, path)


def _day(text: str, *, end: bool) -> dt.date:
    text = text.strip()
    if len(text) == 4 and text.isdigit():
        return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r} is not a date; write YYYY-MM-DD or a year, e.g. 2024") from None


ALL_DATES = (dt.date(1900, 1, 1), None)
"""The range of an assignment without ``@`` and without a funding year: every date."""


def parse_assignment(
    text: str,
    *,
    year: int | None = None,
    note: str | None = None,
    parameters: ParameterSet | None = None,
) -> ParameterChange:
    """Read ``PARAM=VALUE[@FROM..TO]`` into a parameter change with the parameter's unit.

    ``FROM`` and ``TO`` are dates (``2024-01-01``) or years (``2024`` is 1 January or
    31 December); ``@2024`` alone is the whole year and ``@2024-07-01..`` is open-ended.
    Without ``@`` the value applies in the funding ``year`` if one is given, else on
    every date.

    Examples:
        >>> c = parse_assignment("case_management_flat_rate=59000", year=2024)
        >>> c.start, c.end, c.unit.value
        (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31), 'EUR')
        >>> parse_assignment("kim_budget=70000000@2025-01-01..").end is None
        True

    """
    from kim.parameters.loader import embedded_parameters

    params = embedded_parameters() if parameters is None else parameters
    name, sep, rest = text.partition("=")
    name = name.strip()
    if not sep or not name or not rest.strip():
        raise InputError(f"{text!r}: write PARAM=VALUE[@FROM..TO], e.g. kim_budget=70000000@2024")
    if name not in params:
        near = closest_matches(name, params)
        hint = f" Did you mean {', '.join(near)}?" if near else " See `kim rates`."
        raise InputError(f"--set: unknown parameter {name!r}.{hint}")
    value_text, at, period = rest.partition("@")
    try:
        value = Decimal(value_text.strip())
    except InvalidOperation:
        raise InputError(f"--set {name}: {value_text.strip()!r} is not a number") from None
    if not value.is_finite():
        raise InputError(f"--set {name}: {value_text.strip()!r} is not a finite number")
    start: dt.date
    end: dt.date | None
    if at:
        first, dots, last = period.partition("..")
        if not first.strip():
            raise InputError(f"--set {name}: give the first day after '@', e.g. @2024-01-01..")
        start = _day(first, end=False)
        end = (_day(last, end=True) if last.strip() else None) if dots else _day(first, end=True)
    elif year is not None:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        start, end = ALL_DATES
    return ParameterChange(
        parameter=name,
        start=start,
        end=end,
        value=value,
        unit=params[name].unit,
        note=note or "supplied with --set",
    )


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


def _as_scenario(scenario: Scenario | Mapping[str, Any] | str | Path) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Mapping):
        return Scenario.model_validate(dict(scenario))
    from kim.scenarios.files import load_scenario

    return load_scenario(scenario)


def _as_facts(facts: Facts | Mapping[str, Any] | str | Path) -> Facts:
    if isinstance(facts, Facts):
        return facts
    if isinstance(facts, Mapping):
        return Facts.model_validate(dict(facts))
    return load_facts(facts)


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
        facts: a [`Facts`][kim.facts.Facts], its plain data, or a file path.
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
    scenarios = [] if scenario is None else [_as_scenario(scenario)]
    if changes:
        scenarios.append(Scenario(name="set", parameters=changes))
    the_facts = None if facts is None else _as_facts(facts)
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
    ``assignments`` are ``PARAM=VALUE[@FROM..TO]`` texts (see [`supply()`][kim.facts.supply]).

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
