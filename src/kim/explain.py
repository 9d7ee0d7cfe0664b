"""Explanations: a versioned, typed account of how a result was reached, euro by euro.

An :class:`Explanation` lists the **inputs**, the **steps** and the **parameter values**
a result rests on, each value with its validity, status and sources, so a reader can
check every euro by hand. It is shared by every rule that explains itself (grants,
budget checks, the § 3 (2) TIntG minimum; eligibility later).

Every step that computes something names its operation and its operands; the operands
are exact numbers written as text (``"57000.00"``, ``"0.5"``, ``"9/12"``) or references
to the result of an earlier step. :meth:`Explanation.recompute` redoes the arithmetic
from the operands alone, so an explanation can be checked without the library's rules.

The operations:

| operation | result |
|---|---|
| ``input`` | the single operand (a parameter value or a figure given by the caller) |
| ``product`` | a euro amount times exact factors, rounded **once**, to the cent, half up |
| ``minimum`` | the smallest operand (a cap) |
| ``sum`` | the sum of the operands |
| ``difference`` | the first operand minus the others |
| ``growth_factor`` | ``1 + Σ weight × change / 100`` over (weight, change in %) pairs, exact |
| ``check`` | no arithmetic: a rule and whether it held |

Renderings: plain text in German or English (:meth:`Explanation.to_text`), JSON with a
``schema_version`` field (:meth:`Explanation.to_json`, schema from
:meth:`Explanation.json_schema`) and HTML for notebooks (:meth:`Explanation.to_html`,
``_repr_html_``); every text in the HTML is escaped.

>>> from kim.explain import Explanation, Operand, Operation, Step
>>> from kim.parameters.model import Labels
>>> e = Explanation(
...     kind="example", subject="two posts",
...     title=Labels(de="Beispiel", en="Example"),
...     steps=(Step(id="total", title=Labels(de="Summe", en="Sum"), operation=Operation.PRODUCT,
...                 operands=(Operand(label=Labels(de="Satz", en="rate"), value="57000.00",
...                                   unit="EUR"),
...                           Operand(label=Labels(de="VZÄ", en="FTE"), value="2", unit="FTE")),
...                 result="114000.00", unit="EUR"),),
...     result="total")
>>> e.recompute()["total"]
Decimal('114000.00')
>>> print(e.to_text("de").splitlines()[-1])
    57.000,00 € × 2 VZÄ = 114.000,00 €
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, Literal

from pydantic import Field, model_validator

from kim._model import KimModel
from kim._version import __version__
from kim.errors import KimError
from kim.money import CENT, Euro
from kim.parameters.model import (
    Labels,
    ParameterSet,
    ParameterValue,
    Qualifier,
    ReferencePeriod,
    Status,
    Unit,
)
from kim.receipt import Receipt, receipt

__all__ = [
    "EXPLANATION_SCHEMA_VERSION",
    "Check",
    "Explanation",
    "ExplanationMismatchError",
    "InputItem",
    "Operand",
    "OperandUnit",
    "Operation",
    "ParameterUse",
    "SourceRef",
    "Step",
    "format_value",
    "labels",
    "parameter_text",
    "parameter_use",
    "source_refs",
    "status_text",
]

EXPLANATION_SCHEMA_VERSION = "1.1"
"""The version of the explanation format. A change that removes or renames a field, or
changes what a field means, raises the major number; a new optional field raises the
minor number."""

Lang = Literal["de", "en"]


def labels(de: str, en: str) -> Labels:
    """A German/English text pair, built without validation (for internal use).

    >>> labels("Summe", "Sum").en
    'Sum'
    """
    return Labels.model_construct(de=de, en=en)


class Operation(StrEnum):
    """What a step does with its operands (see the module notes)."""

    INPUT = "input"
    """Takes its single operand as it is."""
    PRODUCT = "product"
    """A euro amount times factors, rounded once to the cent, half up."""
    MINIMUM = "minimum"
    """The smallest operand."""
    SUM = "sum"
    """The sum of the operands."""
    DIFFERENCE = "difference"
    """The first operand minus all others."""
    GROWTH_FACTOR = "growth_factor"
    """``1 + Σ weight × change / 100`` over (weight, change in percent) pairs."""
    CHECK = "check"
    """A rule and whether it held; no result."""


class OperandUnit(StrEnum):
    """What an operand or a step result measures."""

    EUR = "EUR"
    """Euros (two decimals)."""
    FTE = "FTE"
    """Full-time equivalents."""
    HALF_POSTS = "half_posts"
    """Half posts (FTE / 0.5), for rates per half post."""
    SHARE = "share"
    """A share of a year (months / 12) or another fraction."""
    WEIGHT = "weight"
    """A weight between 0 and 1."""
    PERCENT = "percent"
    """A change in percent."""
    FACTOR = "factor"
    """A plain number (a growth factor)."""


class SourceRef(KimModel):
    """A source cited by an explanation: id, title, issuer, URL and kind."""

    id: str = Field(description="The source id in the registry.")
    title: str = Field(description="The German title.")
    issuer: str | None = Field(default=None, description="Who issued it.")
    url: str | None = Field(default=None, description="Where it can be read.")
    kind: str = Field(description="law, guideline, authority, council_paper, ...")


class ParameterUse(KimModel):
    """A parameter value a result rests on, with its validity, status and sources."""

    parameter: str = Field(description="The parameter id.")
    name: Labels = Field(description="The parameter's name.")
    value: Decimal = Field(description="The number, in ``unit``.")
    unit: Unit = Field(description="What the number measures.")
    reference_period: ReferencePeriod = Field(description="What the number is per.")
    qualifier: Qualifier = Field(description="exact, at_most (a cap) or at_least (a floor).")
    start: date = Field(description="First day the value applies.")
    end: date | None = Field(description="Last day it applies (None: open).")
    status: Status = Field(description="confirmed, derived, inferred or supplied.")
    sources: tuple[str, ...] = Field(description="Source ids.")
    note: str | None = Field(default=None, description="Why the value is what it is.")

    @property
    def key(self) -> str:
        """``parameter@start``, the way steps refer to this value."""
        return f"{self.parameter}@{self.start.isoformat()}"


def parameter_use(value: ParameterValue, parameters: ParameterSet) -> ParameterUse:
    """Describe ``value`` (a value of a parameter in ``parameters``) for an explanation."""
    parameter = parameters[value.parameter]
    return ParameterUse.model_construct(
        parameter=value.parameter,
        name=parameter.name,
        value=value.value,
        unit=parameter.unit,
        reference_period=parameter.reference_period,
        qualifier=value.qualifier,
        start=value.start,
        end=_effective_end(parameter.values, value),
        status=value.status,
        sources=value.sources,
        note=value.note,
    )


def _effective_end(values: Sequence[ParameterValue], value: ParameterValue) -> date | None:
    if value.end is not None:
        return value.end
    later = [v.start for v in values if v.start > value.start]
    if not later:
        return None
    return date.fromordinal(min(later).toordinal() - 1)


def source_refs(ids: Iterable[str]) -> tuple[SourceRef, ...]:
    """The registry entries of ``ids`` (unknown ids are kept with their id as title)."""
    from kim.sources import embedded_sources

    registry = embedded_sources()
    refs: list[SourceRef] = []
    for sid in dict.fromkeys(ids):
        if sid in registry:
            s = registry[sid]
            refs.append(
                SourceRef.model_construct(
                    id=s.id, title=s.label(), issuer=s.issuer, url=s.url, kind=s.kind.value
                )
            )
        else:
            refs.append(
                SourceRef.model_construct(id=sid, title=sid, issuer=None, url=None, kind="unknown")
            )
    return tuple(refs)


class Operand(KimModel):
    """One number a step works on, with its label and where it comes from."""

    label: Labels = Field(description="What the number is.")
    value: str = Field(
        pattern=r"^-?\d+(\.\d+)?(/\d+)?$",
        description="The exact number as text: '57000.00', '0.5' or '9/12'.",
    )
    unit: OperandUnit = Field(description="What the number measures.")
    ref: str | None = Field(default=None, description="The step whose result this is.")
    parameter: str | None = Field(
        default=None, description="The parameter value it is (``parameter@start``), if any."
    )


class Check(KimModel):
    """A rule applied in a step, whether it held, and the rule's sources."""

    rule: str = Field(description="Stable rule id, e.g. 'minimum_post_share'.")
    held: bool | None = Field(description="True, False, or None when it could not be checked.")
    text: Labels = Field(description="What was checked and the outcome.")
    sources: tuple[str, ...] = Field(default=(), description="Source ids of the rule.")


class InputItem(KimModel):
    """One input of the explained result, as given by the caller."""

    label: Labels = Field(description="What the input is.")
    value: Labels = Field(description="The input as text.")


class Step(KimModel):
    """One step of an explanation: an operation on operands, with its result."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$", description="Stable id within the result.")
    title: Labels = Field(description="What the step computes.")
    operation: Operation = Field(description="What the step does.")
    operands: tuple[Operand, ...] = Field(default=(), description="The numbers it works on.")
    result: str | None = Field(default=None, description="The result as exact text.")
    unit: OperandUnit | None = Field(default=None, description="What the result measures.")
    uses: tuple[str, ...] = Field(
        default=(), description="Parameter values used (``parameter@start``)."
    )
    checks: tuple[Check, ...] = Field(default=(), description="Rules applied in the step.")
    note: Labels | None = Field(default=None, description="A remark.")


class ExplanationMismatchError(KimError):
    """An explanation whose stated results do not follow from its operands."""


def _number(text: str) -> Fraction:
    return Fraction(text)


def _decimal(value: Fraction) -> Decimal:
    if value.denominator == 1:
        return Decimal(value.numerator)
    return Decimal(value.numerator) / Decimal(value.denominator)


class Explanation(KimModel):
    """A versioned account of a result: inputs, steps, parameter values and sources."""

    schema_version: str = Field(
        default=EXPLANATION_SCHEMA_VERSION, description="Version of this format."
    )
    kind: str = Field(description="What is explained: 'grant', 'budget_check', ...")
    subject: str = Field(description="Whom or what it concerns, e.g. 'Kreis Coesfeld (05558)'.")
    title: Labels = Field(description="A one-line title.")
    library_version: str = Field(default=__version__, description="kim-nrw version used.")
    parameter_set: str = Field(default="embedded", description="Name of the parameter set.")
    basis: Status | None = Field(
        default=None, description="The least certain status of the values the result rests on."
    )
    caveats: tuple[Labels, ...] = Field(
        default=(), description="What a reader must know first (inferred or supplied values)."
    )
    inputs: tuple[InputItem, ...] = Field(default=(), description="The inputs as given.")
    steps: tuple[Step, ...] = Field(description="The steps, in order.")
    result: str = Field(description="The id of the step whose result is the answer.")
    notes: tuple[Labels, ...] = Field(default=(), description="Other remarks.")
    parameters: tuple[ParameterUse, ...] = Field(
        default=(), description="Every parameter value used, once."
    )
    sources: tuple[SourceRef, ...] = Field(default=(), description="Every source cited, once.")
    receipt: Receipt | None = Field(
        default=None,
        description="Library version, embedded-data hash and inputs hash (filled in when absent).",
    )

    @model_validator(mode="after")
    def _stamp(self) -> Explanation:
        if self.receipt is None:
            inputs = {
                "kind": self.kind,
                "subject": self.subject,
                "parameter_set": self.parameter_set,
                "inputs": [i.model_dump(mode="json") for i in self.inputs],
                "parameters": [p.model_dump(mode="json") for p in self.parameters],
            }
            object.__setattr__(self, "receipt", receipt(inputs))
        return self

    # -- access ----------------------------------------------------------------
    def step(self, step_id: str) -> Step:
        """The step with this id."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    @property
    def result_value(self) -> Decimal:
        """The stated result of the answer step, as a ``Decimal``."""
        text = self.step(self.result).result
        if text is None:
            raise ExplanationMismatchError(f"step {self.result!r} has no result")
        return _decimal(_number(text))

    def parameter(self, key: str) -> ParameterUse:
        """The parameter value with this ``parameter@start`` key."""
        for p in self.parameters:
            if p.key == key:
                return p
        raise KeyError(key)

    # -- arithmetic --------------------------------------------------------------
    def recompute(self) -> dict[str, Decimal]:
        """Redo every step from its operands; return the results by step id.

        Operands that refer to an earlier step take that step's recomputed result. A
        stated result or operand that differs from the recomputed value raises
        :class:`ExplanationMismatchError` naming the step.
        """
        results: dict[str, Fraction] = {}
        for s in self.steps:
            values: list[Fraction] = []
            for o in s.operands:
                stated = _number(o.value)
                if o.ref is not None:
                    if o.ref not in results:
                        raise ExplanationMismatchError(
                            f"step {s.id!r} refers to {o.ref!r}, which has no earlier result"
                        )
                    if results[o.ref] != stated:
                        raise ExplanationMismatchError(
                            f"step {s.id!r}: operand {o.value} differs from the result of "
                            f"{o.ref!r} ({_decimal(results[o.ref])})"
                        )
                values.append(stated)
            value = _apply(s, values)
            if value is None:
                continue
            if s.result is None or _number(s.result) != value:
                raise ExplanationMismatchError(
                    f"step {s.id!r} states {s.result}, its operands give {_decimal(value)}"
                )
            results[s.id] = value
        units = {s.id: s.unit for s in self.steps}
        return {
            k: _decimal(v).quantize(CENT) if units[k] is OperandUnit.EUR else _decimal(v)
            for k, v in results.items()
        }

    def verify(self) -> bool:
        """True when every stated result follows from the operands (see :meth:`recompute`)."""
        self.recompute()
        return True

    # -- renderings ----------------------------------------------------------------
    def to_json(self, indent: int | None = 2) -> str:
        """The explanation as JSON (with ``schema_version``)."""
        return json.dumps(self.model_dump(mode="json"), indent=indent, ensure_ascii=False)

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON schema of the explanation format."""
        schema = cls.model_json_schema()
        schema["$id"] = f"https://kim-nrw/schemas/explanation-{EXPLANATION_SCHEMA_VERSION}.json"
        return schema

    def to_text(self, lang: Lang = "en") -> str:
        """Plain text in German (``"de"``) or English (``"en"``)."""
        return "\n".join(_text_lines(self, lang))

    def to_html(self, lang: Lang = "en") -> str:
        """An HTML fragment (for notebooks and web pages); every text is escaped."""
        return _html(self, lang)

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text("en")


def _apply(step: Step, values: list[Fraction]) -> Fraction | None:
    op = step.operation
    if op is Operation.CHECK:
        return None
    if not values:
        raise ExplanationMismatchError(f"step {step.id!r} has no operands")
    if op is Operation.INPUT:
        if len(values) != 1:
            raise ExplanationMismatchError(f"input step {step.id!r} needs exactly one operand")
        return values[0]
    if op is Operation.PRODUCT:
        factor = Fraction(1)
        for v in values[1:]:
            factor *= v
        return Fraction((Euro(_decimal(values[0])) * factor).amount)
    if op is Operation.MINIMUM:
        return min(values)
    if op is Operation.SUM:
        return sum(values, Fraction(0))
    if op is Operation.DIFFERENCE:
        return values[0] - sum(values[1:], Fraction(0))
    if len(values) % 2:
        raise ExplanationMismatchError(f"growth step {step.id!r} needs (weight, change) pairs")
    return 1 + sum((values[i] * values[i + 1] / 100 for i in range(0, len(values), 2)), Fraction(0))


# -- text ------------------------------------------------------------------------------

_WORDS: Mapping[str, Mapping[Lang, str]] = {
    "basis": {"de": "Grundlage", "en": "Basis"},
    "result": {"de": "Ergebnis", "en": "Result"},
    "caution": {"de": "ACHTUNG", "en": "CAUTION"},
    "inputs": {"de": "Eingaben", "en": "Inputs"},
    "steps": {"de": "Schritte", "en": "Steps"},
    "sources": {"de": "Quellen", "en": "Sources"},
    "notes": {"de": "Hinweise", "en": "Notes"},
    "arithmetic": {"de": "Rechnung", "en": "Arithmetic"},
    "params": {"de": "Parameterwerte und Prüfungen", "en": "Parameter values and checks"},
    "held": {"de": "erfüllt", "en": "held"},
    "failed": {"de": "NICHT erfüllt", "en": "FAILED"},
    "unknown": {"de": "nicht prüfbar", "en": "not checked"},
    "valid": {"de": "gültig", "en": "valid"},
    "parameter set": {"de": "Parametersatz", "en": "parameter set"},
    "version": {"de": "Format", "en": "format"},
}

_STATUS: Mapping[Status, Mapping[Lang, str]] = {
    Status.CONFIRMED: {"de": "bestätigt", "en": "confirmed"},
    Status.DERIVED: {"de": "abgeleitet", "en": "derived"},
    Status.INFERRED: {"de": "erschlossen", "en": "inferred"},
    Status.SUPPLIED: {"de": "vorgegeben", "en": "supplied"},
}

_QUALIFIER: Mapping[Qualifier, Mapping[Lang, str]] = {
    Qualifier.EXACT: {"de": "genau", "en": "exact"},
    Qualifier.AT_MOST: {"de": "höchstens", "en": "at most"},
    Qualifier.AT_LEAST: {"de": "mindestens", "en": "at least"},
}

_PER: Mapping[ReferencePeriod, Mapping[Lang, str]] = {
    ReferencePeriod.YEAR: {"de": "je Jahr", "en": "per year"},
    ReferencePeriod.FTE_YEAR: {"de": "je VZÄ und Jahr", "en": "per FTE and year"},
    ReferencePeriod.HALF_FTE_YEAR: {"de": "je 0,5 Stelle und Jahr", "en": "per 0.5 post and year"},
    ReferencePeriod.NEW_FTE: {"de": "je neuer VZÄ", "en": "per new FTE"},
    ReferencePeriod.POST: {"de": "je Stelle", "en": "per post"},
    ReferencePeriod.NONE: {"de": "", "en": ""},
}


def status_text(status: Status, lang: Lang) -> str:
    """The status in German or English."""
    return _STATUS[status][lang]


def _num(text: str, lang: Lang) -> str:
    if "/" in text:
        return text
    return text.replace(".", ",") if lang == "de" else text


def _euro(text: str, lang: Lang) -> str:
    amount = Euro(_decimal(_number(text)))
    return amount.format_de() if lang == "de" else amount.format_en()


def format_value(text: str, unit: OperandUnit | None, lang: Lang) -> str:
    """An operand or result value with its unit, in German or English."""
    if unit is OperandUnit.EUR:
        return _euro(text, lang)
    if unit is OperandUnit.FTE:
        return f"{_num(text, lang)} {'VZÄ' if lang == 'de' else 'FTE'}"
    if unit is OperandUnit.HALF_POSTS:
        return f"{_num(text, lang)} {'halbe Stelle(n)' if lang == 'de' else 'half post(s)'}"
    if unit is OperandUnit.PERCENT:
        return f"{_num(text, lang)} %"
    return _num(text, lang)


def _quantity(p: ParameterUse, lang: Lang) -> str:
    if p.unit is Unit.EUR:
        return _euro(str(p.value), lang)
    text = _num(format(p.value.normalize(), "f"), lang)
    if p.unit is Unit.FTE:
        return f"{text} {'VZÄ' if lang == 'de' else 'FTE'}"
    if p.unit is Unit.PERCENT:
        return f"{text} %"
    if p.unit is Unit.POSTS:
        return f"{text} {'Stellen' if lang == 'de' else 'posts'}"
    return text


def parameter_text(p: ParameterUse, lang: Lang) -> str:
    """One line describing a parameter value: value, validity, status, qualifier, sources."""
    per = _PER[p.reference_period][lang]
    valid = f"{p.start.isoformat()}..{p.end.isoformat() if p.end else ''}"
    parts = [
        f"{p.parameter} = {_quantity(p, lang)}{(' ' + per) if per else ''}",
        f"{_WORDS['valid'][lang]} {valid}",
        _STATUS[p.status][lang],
    ]
    if p.qualifier is not Qualifier.EXACT:
        parts.append(_QUALIFIER[p.qualifier][lang])
    if p.sources:
        parts.append(f"{_WORDS['sources'][lang]}: {', '.join(p.sources)}")
    return "; ".join(parts)


def _arithmetic_text(step: Step, lang: Lang) -> str | None:
    """The step's arithmetic in numbers, e.g. ``EUR 57,000.00 × 12 FTE × 12/12 = ...``."""
    if step.operation is Operation.CHECK or not step.operands:
        return None
    vals = [format_value(o.value, o.unit, lang) for o in step.operands]
    result = format_value(step.result or "0", step.unit, lang)
    op = step.operation
    if op is Operation.INPUT:
        return result
    if op is Operation.PRODUCT:
        expr = " × ".join(vals)
    elif op is Operation.MINIMUM:
        expr = f"min({'; '.join(vals)})"
    elif op is Operation.SUM:
        expr = " + ".join(vals)
    elif op is Operation.DIFFERENCE:
        expr = " − ".join(vals)
    else:
        pairs = [f"{vals[i]} × {vals[i + 1]}" for i in range(0, len(vals), 2)]
        expr = "1 + (" + " + ".join(pairs) + ") / 100"
    return f"{expr} = {result}"


def _formula_text(step: Step, lang: Lang) -> str | None:
    """The step's arithmetic in words, e.g. ``flat rate × FTE × share of the year``."""
    if step.operation in (Operation.CHECK, Operation.INPUT) or not step.operands:
        return None
    names = [getattr(o.label, lang) for o in step.operands]
    op = step.operation
    if op is Operation.PRODUCT:
        return " × ".join(names)
    if op is Operation.MINIMUM:
        return f"min({'; '.join(names)})"
    if op is Operation.SUM:
        return " + ".join(names)
    if op is Operation.DIFFERENCE:
        return " − ".join(names)
    pairs = [f"{names[i]} × {names[i + 1]}" for i in range(0, len(names), 2)]
    return "1 + (" + " + ".join(pairs) + ") / 100"


def _check_mark(held: bool | None, lang: Lang) -> str:
    key = {True: "held", False: "failed", None: "unknown"}[held]
    return _WORDS[key][lang]


def _text_lines(e: Explanation, lang: Lang) -> list[str]:
    w = {k: v[lang] for k, v in _WORDS.items()}
    uses = {p.key: p for p in e.parameters}
    lines = [getattr(e.title, lang)]
    for caveat in e.caveats:
        lines.append(f"{w['caution']}: {getattr(caveat, lang)}")
    if e.basis is not None:
        lines.append(f"{w['basis']}: {_STATUS[e.basis][lang]}")
    answer = e.step(e.result)
    if answer.result is not None:
        lines.append(f"{w['result']}: {format_value(answer.result, answer.unit, lang)}")
    lines.append(
        f"({w['parameter set']}: {e.parameter_set}; kim-nrw {e.library_version}; "
        f"{w['version']} {e.schema_version})"
    )
    if e.receipt is not None:
        lines.append(f"(data {e.receipt.data_hash[:19]}; inputs {e.receipt.inputs_hash[:19]})")
    if e.inputs:
        lines += ["", w["inputs"]]
        lines += [f"  {getattr(i.label, lang)}: {getattr(i.value, lang)}" for i in e.inputs]
    lines += ["", w["steps"]]
    for s in e.steps:
        lines.append(f"  [{s.id}] {getattr(s.title, lang)}")
        formula = _formula_text(s, lang)
        if formula:
            lines.append(f"    {formula}")
        arithmetic = _arithmetic_text(s, lang)
        if arithmetic:
            lines.append(f"    {arithmetic}")
        for key in s.uses:
            if key in uses:
                lines.append(f"    · {parameter_text(uses[key], lang)}")
        for c in s.checks:
            srcs = f" ({', '.join(c.sources)})" if c.sources else ""
            lines.append(
                f"    [{_check_mark(c.held, lang)}] {c.rule}: {getattr(c.text, lang)}{srcs}"
            )
        if s.note is not None:
            lines.append(f"    {getattr(s.note, lang)}")
    if e.notes:
        lines += ["", w["notes"]]
        lines += [f"  - {getattr(n, lang)}" for n in e.notes]
    if e.sources:
        lines += ["", w["sources"]]
        for src in e.sources:
            lines.append(f"  {src.id}: {src.title}" + (f" <{src.url}>" if src.url else ""))
    return lines


# -- html --------------------------------------------------------------------------------

_STYLE = (
    "<style>.kim-explanation{font-family:sans-serif;font-size:0.9em}"
    ".kim-explanation table{border-collapse:collapse}"
    ".kim-explanation td,.kim-explanation th{border:1px solid #ccc;padding:2px 6px;"
    "vertical-align:top;text-align:left}"
    ".kim-caveat{background:#fff3cd;border:1px solid #e0c36a;padding:4px 8px;margin:4px 0}"
    "</style>"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _link(url: str | None, text: str) -> str:
    if url and url.startswith(("https://", "http://")):
        return f'<a href="{_e(url)}">{_e(text)}</a>'
    return _e(text)


def _html(e: Explanation, lang: Lang = "en") -> str:
    uses = {p.key: p for p in e.parameters}
    other: Lang = "de" if lang == "en" else "en"
    w = {k: v[lang] for k, v in _WORDS.items()}
    out = [_STYLE, '<div class="kim-explanation">', f"<h4>{_e(getattr(e.title, lang))}</h4>"]
    out.append(f"<p><i>{_e(getattr(e.title, other))}</i></p>")
    for caveat in e.caveats:
        out.append(
            f'<div class="kim-caveat"><b>{_e(w["caution"])}:</b> {_e(getattr(caveat, lang))}</div>'
        )
    answer = e.step(e.result)
    facts = []
    if e.basis is not None:
        facts.append(f"{w['basis']}: <b>{_e(_STATUS[e.basis][lang])}</b>")
    if answer.result is not None:
        value = format_value(answer.result, answer.unit, lang)
        facts.append(f"{w['result']}: <b>{_e(value)}</b>")
    facts.append(f"{w['parameter set']}: {_e(e.parameter_set)}")
    facts.append(f"format {_e(e.schema_version)}")
    out.append("<p>" + " · ".join(facts) + "</p>")
    if e.inputs:
        out.append(f"<table><tr><th>{w['inputs']}</th><th></th></tr>")
        out += [
            f"<tr><td>{_e(getattr(i.label, lang))}</td><td>{_e(getattr(i.value, lang))}</td></tr>"
            for i in e.inputs
        ]
        out.append("</table>")
    out.append(
        f"<table><tr><th>{w['steps']}</th><th></th><th>{w['arithmetic']}</th>"
        f"<th>{w['params']}</th></tr>"
    )
    for s in e.steps:
        arith = [x for x in (_formula_text(s, lang), _arithmetic_text(s, lang)) if x]
        notes = [_e(parameter_text(uses[k], lang)) for k in s.uses if k in uses]
        notes += [
            f"[{_e(_check_mark(c.held, lang))}] {_e(c.rule)}: {_e(getattr(c.text, lang))}"
            for c in s.checks
        ]
        if s.note is not None:
            notes.append(_e(getattr(s.note, lang)))
        out.append(
            f"<tr><td>{_e(s.id)}</td><td>{_e(getattr(s.title, lang))}</td>"
            f"<td>{'<br>'.join(_e(a) for a in arith)}</td><td>{'<br>'.join(notes)}</td></tr>"
        )
    out.append("</table>")
    if e.notes:
        out.append("<ul>" + "".join(f"<li>{_e(getattr(n, lang))}</li>" for n in e.notes) + "</ul>")
    if e.sources:
        out.append(f"<p>{w['sources']}:</p><ul>")
        out += [f"<li>{_e(s.id)}: {_link(s.url, s.title)}</li>" for s in e.sources]
        out.append("</ul>")
    out.append("</div>")
    return "\n".join(out)
