"""Renderings of an explanation: plain text in German or English, and escaped HTML.

The renderers read an [`Explanation`][kim.explain.model.Explanation]; they compute nothing.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kim.explain.vocabulary import Lang, OperandUnit, Operation, decimal_of, exact
from kim.money import Euro
from kim.parameters.model import Qualifier, ReferencePeriod, Status, Unit

if TYPE_CHECKING:  # pragma: no cover
    from kim.explain.model import Explanation, ParameterUse, Step

__all__ = ["format_value", "parameter_text", "status_text", "text_lines", "to_html"]

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
    amount = Euro(decimal_of(exact(text)))
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


def text_lines(e: Explanation, lang: Lang) -> list[str]:
    """The explanation as lines of plain text."""
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


def to_html(e: Explanation, lang: Lang = "en") -> str:
    """The explanation as an HTML fragment; every text is escaped."""
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
