"""Missing facts as data, and deciding again in a situation (as Publicodes does).

An undetermined decision says which facts it lacks. [`missing_facts()`][kim.situation.missing_facts]
lists them as data: a stable key, the type of the answer, the rule that needs it and a question in
German and English, so an app can ask the user. [`decide_again()`][kim.situation.decide_again] takes
a *situation* (a mapping of those keys to answers) and decides once more.

Keys:

| key | type | what |
|---|---|---|
| ``municipality.<AGS>.<fact>`` | boolean | fact: ``auslaenderbehoerde``, ``jugendamt``, ... |
| ``post.additional`` | boolean | the post is additional to existing staff |
| ``post.funded_elsewhere`` | boolean | EU, Bund, Land or third parties already pay for it |
| ``parameter.minimum_post_share`` | number | the minimum post share (FTE) on the date |
| ``component.<n>.start`` | date | the day component ``n`` started |

Examples:
    >>> from datetime import date
    >>> from kim.eligibility import decide
    >>> d = decide("Siegen", 1, date(2025, 6, 1), extra_coordination=True)
    >>> [(f.key, f.type) for f in missing_facts(d)]
    [('municipality.05970040.auslaenderbehoerde', 'boolean')]
    >>> decide_again(d, {"municipality.05970040.auslaenderbehoerde": True}).outcome.value
    'eligible'

"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from kim._model import KimModel
from kim.errors import InputError, closest_matches
from kim.parameters.model import Labels, Status
from kim.rule_ids import RuleId
from kim.territory.model import Fact, Municipality

if TYPE_CHECKING:  # pragma: no cover
    from kim.eligibility import Decision
    from kim.parameters.model import ParameterSet
    from kim.territory.registry import Territory

__all__ = ["MissingFact", "decide_again", "missing_facts"]

FactType = Literal["boolean", "number", "date"]

_FACT_QUESTIONS = {
    "auslaenderbehoerde": ("eine eigene Ausländerbehörde", "its own Ausländerbehörde"),
    "einbuergerungsbehoerde": ("eine eigene Einbürgerungsbehörde", "its own Einbürgerungsbehörde"),
    "jugendamt": ("ein eigenes Jugendamt", "its own Jugendamt"),
    "integrationsrat": (
        "einen Integrationsrat oder Integrationsausschuss",
        "an Integrationsrat or Integrationsausschuss",
    ),
}
_RULE_FACTS = {
    "extra_coordination": ("auslaenderbehoerde", "jugendamt", "integrationsrat"),
    "own_authority": ("auslaenderbehoerde", "einbuergerungsbehoerde"),
}


class MissingFact(KimModel):
    """A fact a decision lacks: a stable key, the answer's type and the question to ask."""

    key: str = Field(description="Stable key, e.g. 'municipality.05970040.jugendamt'.")
    type: FactType = Field(description="boolean, number or date.")
    rule: str = Field(description="The rule id that needs the fact.")
    question: Labels = Field(description="The question, in German and English.")


def _subject_key(decision: Decision) -> str | None:
    found = re.search(r"\((05\d{3}(?:\d{3})?)\)$", decision.subject)
    return found.group(1) if found else None


def _municipality_facts(decision: Decision, rule: str, territory: Territory) -> list[MissingFact]:
    key = _subject_key(decision)
    if key is None:
        return []
    found = territory.find(key)
    if not isinstance(found, Municipality):
        return []
    on = decision.on.isoformat()
    facts = []
    for name in _RULE_FACTS[rule]:
        if getattr(found, name).on(decision.on) is None:
            de, en = _FACT_QUESTIONS[name]
            facts.append(
                MissingFact(
                    key=f"municipality.{found.ags}.{name}",
                    type="boolean",
                    rule=rule,
                    question=Labels(
                        de=f"Hat {found.name} am {on} {de}?",
                        en=f"Does {found.name} have {en} on {on}?",
                    ),
                )
            )
    return facts


_QUESTIONS: dict[RuleId, tuple[str, FactType, str, str]] = {
    # rule: fact key, its type, the question in German and English ({on}: the date)
    RuleId.ADDITIONAL: (
        "post.additional",
        "boolean",
        "Ist die Stelle zusätzlich zum vorhandenen Personal?",
        "Is the post additional to existing staff?",
    ),
    RuleId.NO_DOUBLE_FUNDING: (
        "post.funded_elsewhere",
        "boolean",
        "Bezahlen EU, Bund, Land oder Dritte die Stelle bereits?",
        "Do the EU, the Bund, the Land or third parties already pay for it?",
    ),
    RuleId.MINIMUM_POST_SHARE: (
        "parameter.minimum_post_share",
        "number",
        "Welcher Mindeststellenanteil (VZÄ) galt am {on}?",
        "What minimum post share (FTE) applied on {on}?",
    ),
}
"""Facts asked for by rule id, where the question does not depend on the entity."""


def missing_facts(
    decision: Decision, territory: Territory | None = None
) -> tuple[MissingFact, ...]:
    """The facts an undetermined decision lacks, as data (empty for other outcomes)."""
    from kim.territory import embedded_territory

    terr = embedded_territory() if territory is None else territory
    on = decision.on.isoformat()
    facts: list[MissingFact] = []
    for r in decision.reasons:
        if r.held is not None:
            continue
        if r.rule in _RULE_FACTS:
            facts += _municipality_facts(decision, r.rule, terr)
        elif r.rule in _QUESTIONS:
            key, kind, de, en = _QUESTIONS[RuleId(r.rule)]
            facts.append(
                MissingFact(
                    key=key,
                    type=kind,
                    rule=r.rule,
                    question=Labels(de=de.format(on=on), en=en.format(on=on)),
                )
            )
        elif r.rule == "component_started" and decision.component is not None:
            n = decision.component.value
            facts.append(
                MissingFact(
                    key=f"component.{n}.start",
                    type="date",
                    rule=r.rule,
                    question=Labels(
                        de=f"An welchem Tag begann Baustein {n}?",
                        en=f"On which day did Baustein {n} start?",
                    ),
                )
            )
    return tuple(facts)


def _bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InputError(f"situation: {key} must be true or false")


def _apply_municipality(territory: Territory, situation: Mapping[str, Any]) -> Territory:
    changed: dict[str, dict[str, Fact]] = {}
    for key, value in situation.items():
        parts = key.split(".")
        if parts[0] != "municipality":
            continue
        if len(parts) != 3 or parts[2] not in _FACT_QUESTIONS:
            raise InputError(
                f"situation: {key!r} is not a municipality fact; write "
                f"municipality.<AGS>.<{'|'.join(_FACT_QUESTIONS)}>"
            )
        fact = Fact(value=_bool(key, value), status=Status.SUPPLIED, note="situation")
        changed.setdefault(parts[1], {})[parts[2]] = fact
    if not changed:
        return territory
    updated = []
    for ags, facts in changed.items():
        found = territory.municipality(ags)
        updated.append(found.model_copy(update=facts))
    return territory.with_municipalities(*updated)


def _known_keys(decision: Decision, territory: Territory) -> set[str]:
    return {f.key for f in missing_facts(decision, territory)}


def decide_again(
    decision: Decision,
    situation: Mapping[str, Any],
    *,
    territory: Territory | None = None,
    parameters: ParameterSet | None = None,
) -> Decision:
    """Decide the same question again with the answers in ``situation``.

    Args:
        decision: an earlier decision (of [`decide()`][kim.eligibility.decide] or
            [`decide_post()`][kim.eligibility.decide_post]).
        situation: answers, keyed as [`missing_facts()`][kim.situation.missing_facts] lists them (a
            key it does not list may still be given, e.g. to overrule a fact the sources give).
        territory: the registry; the embedded one by default.
        parameters: the parameter set; the embedded one by default.

    Raises:
        InputError: an unknown key or an answer of the wrong type.

    """
    from kim import eligibility
    from kim.parameters.loader import embedded_parameters
    from kim.territory import embedded_territory

    terr = embedded_territory() if territory is None else territory
    params = embedded_parameters() if parameters is None else parameters
    prefixes = (
        "municipality.",
        "post.additional",
        "post.funded_elsewhere",
        "parameter.",
        "component.",
    )
    for key in situation:
        if not key.startswith(prefixes):
            near = closest_matches(key, sorted(_known_keys(decision, terr)))
            hint = f" Did you mean {', '.join(near)}?" if near else ""
            raise InputError(f"situation: unknown fact key {key!r}.{hint}")
    if "parameter.minimum_post_share" in situation:
        share = situation["parameter.minimum_post_share"]
        params = params.with_value(
            "minimum_post_share",
            decision.on,
            decision.on,
            Decimal(str(share)),
            note="situation",
        )
    rules = {r.rule for r in decision.reasons}
    subject_key = _subject_key(decision)
    if subject_key is not None and decision.component is not None:
        new = eligibility.decide(
            subject_key,
            decision.component,
            decision.on,
            extra_coordination="extra_coordination" in rules,
            territory=_apply_municipality(terr, situation),
        )
    else:
        fte = re.search(r"post of (\S+) FTE", decision.subject)
        if fte is None:
            raise InputError(f"cannot decide {decision.subject!r} again: unknown subject")
        new = eligibility.decide_post(
            fte.group(1),
            decision.on,
            additional=_optional_bool(situation, "post.additional", decision, "additional"),
            funded_elsewhere=_optional_bool(
                situation, "post.funded_elsewhere", decision, "no_double_funding", invert=True
            ),
            parameters=params,
        )
    return _with_start(new, situation)


def _optional_bool(
    situation: Mapping[str, Any], key: str, decision: Decision, rule: str, *, invert: bool = False
) -> bool | None:
    if key in situation:
        return _bool(key, situation[key])
    held = next((r.held for r in decision.reasons if r.rule == rule), None)
    if held is None:
        return None
    return not held if invert else held


def _with_start(decision: Decision, situation: Mapping[str, Any]) -> Decision:
    if decision.component is None:
        return decision
    key = f"component.{decision.component.value}.start"
    if key not in situation:
        return decision
    from kim import eligibility

    value = situation[key]
    try:
        start = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"situation: {key} must be a date, YYYY-MM-DD") from None
    reasons = []
    for r in decision.reasons:
        if r.rule == "component_started" and r.held is None:
            held = start <= decision.on
            r = r.model_copy(
                update={
                    "held": held,
                    "detail": f"Started on {start.isoformat()} (supplied); "
                    f"{decision.on.isoformat()} is {'on or after' if held else 'before'}.",
                }
            )
        reasons.append(r)
    missing = [m for m in decision.missing if "start date" not in m]
    return eligibility._decision(
        decision.subject, decision.component, decision.on, reasons, missing
    )
