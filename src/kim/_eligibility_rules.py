"""The eligibility rules themselves: from the facts of one case to a rule result.

Each function applies one rule of [`kim.eligibility`][kim.eligibility] to the facts it is
given and returns a [`RuleResult`][kim._eligibility_rules.RuleResult]: the rule id, what the
rule requires, whether it held (``None``: not checkable), why, and the rule's sources.
Facts that are missing for a ``None`` are appended to ``missing``. The decision model
(``Reason``, ``Decision``) and the lookups live in ``kim.eligibility``, which turns each
result into a ``Reason``; this module imports nothing from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from kim._text import safe_text
from kim.components import Component
from kim.dated import rule_variant
from kim.errors import InputError, KimError, MissingValueError, UnknownNameError
from kim.parameters.model import ParameterSet
from kim.rule_ids import RuleId
from kim.territory.model import District, Municipality
from kim.territory.registry import Territory, normalize_name

__all__ = [
    "NAME_LIMIT",
    "RuleResult",
    "Unlisted",
    "applicant_rule",
    "basis_rule",
    "clearly_municipal",
    "forwarding_target",
    "lookup_entity",
    "minimum_share",
    "municipality_rules",
    "start_rule",
    "unlisted_municipality_rules",
]

_FACT_LABELS = {
    "auslaenderbehoerde": "its own Ausländerbehörde",
    "einbuergerungsbehoerde": "its own Einbürgerungsbehörde",
    "jugendamt": "its own Jugendamt",
    "integrationsrat": "an Integrationsrat or Integrationsausschuss",
}
_EXTRA_FACTS = ("auslaenderbehoerde", "jugendamt", "integrationsrat")
_AUTHORITY_FACTS = ("auslaenderbehoerde", "einbuergerungsbehoerde")
_EXTRA_TEXT = (
    "A municipality may get one extra coordination post through its Kreis only if it has "
    "its own Ausländerbehörde, its own Jugendamt and an Integrationsrat or -ausschuss (all "
    "three)."
)
_OWN_AUTHORITY_TEXT = (
    "Baustein 3 also funds municipalities with their own Ausländerbehörde and/or "
    "Einbürgerungsbehörde."
)
_FORWARDING_TEXT = (
    "Case-management posts may sit with a municipality, paid from money its Kreis passes on; "
    "the KI keeps the professional supervision."
)
_B3_DIRECT = ("bocholt-b3-2020", "dueren-b3-2020")


class RuleResult(NamedTuple):
    """One rule applied to a case: the fields of a ``kim.eligibility.Reason``."""

    rule: str
    """The rule id (a ``RuleId``)."""
    description: str
    """What the rule requires."""
    held: bool | None
    """True, False, or None when it could not be checked."""
    detail: str
    """Why it held or not, for this case."""
    sources: tuple[str, ...]
    """Source ids of the rule."""


def _variant_sources(rule: str, on: date) -> tuple[str, ...]:
    variant = rule_variant(rule, on)
    return () if variant is None else variant.sources


def start_rule(component: Component, on: date, missing: list[str]) -> RuleResult:
    """The component had started on ``on`` (Baustein 1's spring-2020 start is uncertain)."""
    start = component.start
    earliest = start.uncertain_from or start.start
    name = f"Baustein {component.value}"
    held: bool | None
    if on < earliest:
        held = False
        detail = f"{name} started on {start.start.isoformat()}; {on.isoformat()} is before."
        if start.uncertain_from is not None:
            detail = (
                f"{name} started in spring 2020 (not before {earliest.isoformat()}); "
                f"{on.isoformat()} is before."
            )
    elif on < start.start:
        held = None
        detail = (
            f"{name} started in spring 2020; the sources cannot say whether it ran on "
            f"{on.isoformat()} (first dated report: {start.start.isoformat()})."
        )
        missing.append(f"the exact start date of {name} in spring 2020")
    else:
        held = True
        detail = f"{name} runs since {start.start.isoformat()}."
    return RuleResult(
        RuleId.COMPONENT_STARTED,
        "The component must have started on the date asked about.",
        held,
        detail,
        start.sources,
    )


def basis_rule(on: date) -> RuleResult:
    """A legal basis of KIM was in force on ``on`` (dated variants in ``dated_rules.yaml``)."""
    variant = rule_variant("legal_basis", on)
    description = "The legal basis in force on the date."
    if variant is None:
        return RuleResult(
            RuleId.LEGAL_BASIS,
            description,
            False,
            f"KIM did not exist on {on.isoformat()}: its first money (Baustein 3) was paid "
            "in 2020, and no guideline, flat rate or law for it is known before.",
            ("mkjfgfi-pm-b3-2020",),
        )
    return RuleResult(
        RuleId.LEGAL_BASIS,
        description,
        bool(variant.data["held"]),
        str(variant.data["detail"]),
        variant.sources,
    )


def applicant_rule(district: District, on: date) -> RuleResult:
    """A KIM unit is an applicant when it runs a Kommunales Integrationszentrum."""
    held = district.has_ki
    detail = (
        f"{district.name} is a {district.type.label_de} and runs a Kommunales Integrationszentrum."
        if held
        else f"{district.name} runs no Kommunales Integrationszentrum."
    )
    return RuleResult(
        RuleId.APPLICANT,
        "Applicants are the Kreise, kreisfreie Städte, the Städteregion Aachen and the city of "
        "Aachen that run a Kommunales Integrationszentrum (KI).",
        held,
        detail,
        (*_variant_sources("applicant", on), *district.ki_sources),
    )


def _facts(
    m: Municipality, on: date, names: Sequence[str], *, need_all: bool, missing: list[str]
) -> tuple[bool | None, str, tuple[str, ...]]:
    values = {n: getattr(m, n).on(on) for n in names}
    sources = tuple(dict.fromkeys(s for n in names for s in getattr(m, n).sources))
    has = [_FACT_LABELS[n] for n, v in values.items() if v is True]
    lacks = [_FACT_LABELS[n] for n, v in values.items() if v is False]
    unknown = [n for n, v in values.items() if v is None]
    held: bool | None
    if need_all:
        held = False if lacks else (None if unknown else True)
    else:
        held = True if has else (None if unknown else False)
    if held is None:
        missing.extend(
            f"whether {m.name} has {_FACT_LABELS[n]} on {on.isoformat()}" for n in unknown
        )
    parts = []
    if has:
        parts.append(f"{m.name} has " + ", ".join(has))
    if lacks:
        parts.append(("lacks " if has else f"{m.name} lacks ") + ", ".join(lacks))
    if unknown:
        parts.append("unknown: " + ", ".join(_FACT_LABELS[n] for n in unknown))
    return held, "; ".join(parts) + ".", sources


NAME_LIMIT = 100
"""The most characters of an unlisted town's name kept in a decision (longer: cut with …)."""

_NOT_AN_APPLICANT = (
    "A municipality within a Kreis is not an applicant; its Kreis may pass money on to "
    "selected municipalities."
)


def municipality_rules(
    m: Municipality, parent: District, component: Component, on: date, missing: list[str]
) -> list[RuleResult]:
    """The rules for a municipality within a Kreis: not an applicant, then by component."""
    authorities = component is Component.AUTHORITIES
    results = [
        RuleResult(
            RuleId.APPLICANT,
            _NOT_AN_APPLICANT,
            True,
            f"{m.name} is not an applicant itself; Baustein 3 money for its own authorities "
            f"is paid to it directly, not through {parent.name} ({parent.key})."
            if authorities
            else f"{m.name} is not an applicant itself; it may receive money passed on by "
            f"{parent.name} ({parent.key}).",
            _B3_DIRECT if authorities else _variant_sources("passing_on", on),
        )
    ]
    if component is Component.COORDINATION:
        held, detail, sources = _facts(m, on, _EXTRA_FACTS, need_all=True, missing=missing)
        results.append(
            RuleResult(RuleId.EXTRA_COORDINATION, _EXTRA_TEXT, held, detail, ("bra-kim", *sources))
        )
    elif authorities:
        held, detail, sources = _facts(m, on, _AUTHORITY_FACTS, need_all=False, missing=missing)
        sources = ("bra-kim", *sources)
        results.append(RuleResult(RuleId.OWN_AUTHORITY, _OWN_AUTHORITY_TEXT, held, detail, sources))
    else:
        results.append(
            RuleResult(
                RuleId.FORWARDING,
                _FORWARDING_TEXT,
                True,
                f"{parent.name} may pass case-management money on to {m.name}.",
                (*_variant_sources("passing_on", on), "kim-nrw-bausteine", "coesfeld-to-28019"),
            )
        )
    return results


def unlisted_municipality_rules(
    name: str, component: Component, on: date, missing: list[str]
) -> list[RuleResult]:
    """The municipality rules for a town the registry does not list: every fact unknown.

    Its Kreis (the first five digits of its AGS) and the facts the component's rule needs
    are missing, so the rule is not checkable and the decision undetermined.
    """
    missing.append(f"the AGS of {name} (which Kreis it lies in)")
    results = [
        RuleResult(
            RuleId.APPLICANT,
            _NOT_AN_APPLICANT,
            True,
            f"{name} is not one of the 54 KIM units; as a municipality it is not an applicant "
            "itself.",
            _variant_sources("passing_on", on),
        )
    ]
    facts = {
        Component.COORDINATION: _EXTRA_FACTS,
        Component.AUTHORITIES: _AUTHORITY_FACTS,
    }.get(component, ())
    missing.extend(f"whether {name} has {_FACT_LABELS[n]} on {on.isoformat()}" for n in facts)
    unknown = f"{name} is not in the registry; its facts are unknown."
    bra = ("bra-kim",)
    if component is Component.COORDINATION:
        results.append(RuleResult(RuleId.EXTRA_COORDINATION, _EXTRA_TEXT, None, unknown, bra))
    elif component is Component.AUTHORITIES:
        results.append(RuleResult(RuleId.OWN_AUTHORITY, _OWN_AUTHORITY_TEXT, None, unknown, bra))
    else:
        results.append(
            RuleResult(
                RuleId.FORWARDING,
                _FORWARDING_TEXT,
                None,
                f"{name} is not in the registry; which Kreis could pass money on to it is unknown.",
                (*_variant_sources("passing_on", on), "kim-nrw-bausteine"),
            )
        )
    return results


def minimum_share(
    fte: Decimal, on: date, parameters: ParameterSet, missing: list[str] | None = None
) -> RuleResult:
    """Only post shares of at least the minimum (0.5 FTE) are fundable."""
    description = "Only post shares of at least the minimum are fundable."
    try:
        value = parameters.value("minimum_post_share", on)
    except MissingValueError:
        if missing is not None:
            missing.append(f"the minimum post share on {on.isoformat()} (no source gives it)")
        return RuleResult(
            RuleId.MINIMUM_POST_SHARE,
            description,
            None,
            f"No minimum post share is known for {on.isoformat()}.",
            (),
        )
    held = fte >= value.value
    return RuleResult(
        RuleId.MINIMUM_POST_SHARE,
        description,
        held,
        f"{fte} FTE is {'at least' if held else 'below'} the minimum of {value.value} FTE "
        f"({value.status.value}).",
        value.sources,
    )


def forwarding_target(district: District, recipient_key: str | None, on: date) -> RuleResult:
    """Money is passed on only by a Kreis to a municipality within it (§ 9 (2) TIntG)."""
    held: bool | None
    if district.is_city:
        held = False
        detail = f"{district.name} is a {district.type.label_de} and has no municipalities."
    elif recipient_key is None:
        held = None
        detail = f"No AGS given; whether the municipality lies in {district.name} is unchecked."
    else:
        held = recipient_key[:5] == district.kreis_key
        where = "lies" if held else "does not lie"
        detail = f"AGS {recipient_key} {where} in {district.name} ({district.kreis_key})."
    return RuleResult(
        RuleId.FORWARDING_WITHIN_KREIS,
        "Money is passed on only by a Kreis to municipalities within it (the first five "
        "digits of their AGS); a kreisfreie Stadt has no municipalities to pass it to.",
        held,
        detail,
        _variant_sources("passing_on", on),
    )


class Unlisted(NamedTuple):
    """A municipality the registry does not list, known only by the name asked about."""

    name: str


_TOWN_PREFIXES = ("stadt ", "gemeinde ", "hansestadt ", "kreisstadt ")


def clearly_municipal(text: str) -> bool:
    """Whether a name says it is a municipality (``Stadt …``, ``Gemeinde …``, ``Hansestadt …``).

    Examples:
        >>> clearly_municipal("Stadt Nirgendwo"), clearly_municipal("Kreis Coesfelt")
        (True, False)

    """
    return normalize_name(text).startswith(_TOWN_PREFIXES)


def lookup_entity(
    text: str, territory: Territory, *, municipal: bool = False
) -> District | Municipality | Unlisted:
    """Find ``text``, or decide it is a municipality the registry does not list.

    ``municipal``: the caller asks about a municipality (the extra coordination post), so
    municipalities come before units of the same name. A name not found is an unlisted
    municipality when the caller asks about one or the name says so (``Stadt …``); an
    unlisted 8-digit AGS within a known Kreis is one too. Any other unknown name (a typo
    in a Kreis's name) raises ``UnknownNameError`` with the closest names.
    """
    try:
        if municipal:
            try:
                return territory.municipality(text)
            except InputError:
                return territory.find(text)
        return territory.find(text)
    except UnknownNameError:
        ags = text.strip()
        kreis = ags[:5]
        listed_kreis = any(d.key == kreis for d in territory.districts())
        if len(ags) == 8 and ags.isdigit() and ags.startswith("05") and listed_kreis:
            return Municipality(ags=ags, name=f"Gemeinde {ags}", parent=kreis)
        if clearly_municipal(text):
            # "Stadt Nottuln" for the Gemeinde Nottuln: the prefix is wrong, the town is not
            bare = text.strip().split(maxsplit=1)[1] if len(text.split()) > 1 else ""
            try:
                return territory.municipality(bare)
            except KimError:
                pass
        if (municipal or clearly_municipal(text)) and not ags.isdigit():
            # The name is the caller's text and goes into every output: one printable
            # line of at most NAME_LIMIT characters (no escapes, no forged lines).
            return Unlisted(safe_text(" ".join(text.split()), limit=NAME_LIMIT))
        raise
