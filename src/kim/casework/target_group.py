"""The target group of the TIntG: "Menschen mit Einwanderungsgeschichte" (§ 4 TIntG).

Since 1 January 2022, § 4 of the Teilhabe- und Integrationsgesetz NRW names three
alternative criteria. A person has an immigration history if

1. they are not German within the meaning of Art. 116 Abs. 1 GG, **or**
2. they were born outside today's territory of the Federal Republic **and** immigrated
   to Germany after 31 December 1955, **or**
3. at least one parent meets criterion 2 (criterion 2 only: a parent who is merely not
   German, without being born abroad and immigrated after the cutoff, does not count).

The wording was read from IT.NRW's integration-monitoring page, which renders the law
(source ``itnrw-zuwanderergruppen``); the official § 4 page on recht.nrw.de could not be
read, only the law's table of contents (source ``tintg-4``). The law of 2012 used the
same structure with immigration "since 1 January 1950"
([`TINTG_2012`][kim.casework.target_group.TINTG_2012]).

The predicate is **three-valued**: a fact nobody has recorded is ``None``, and the
answer is [`Answer.UNDETERMINED`][kim.casework.target_group.Answer.UNDETERMINED] when the
known facts do not decide it. The result lists which criteria held and which missing facts
would decide the question.

Examples:
    >>> from datetime import date
    >>> r = has_immigration_history(PersonFacts(german_art116=True))
    >>> r.outcome.value, r.missing[:2], len(r.missing)
    ('undetermined', ('born_outside_federal_territory', 'immigrated_on'), 6)
    >>> r = has_immigration_history(PersonFacts(german_art116=True,
    ...     born_outside_federal_territory=True, immigrated_on=date(1990, 5, 1)))
    >>> r.outcome.value, [c.value for c in r.criteria_met]
    ('true', ['nr2'])

"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any, Self

from pydantic import Field, model_validator

from kim._model import FrozenMap, KimModel
from kim.errors import InputError

__all__ = [
    "TINTG_2012",
    "TINTG_2022",
    "Answer",
    "Criterion",
    "ImmigrationFacts",
    "PersonFacts",
    "TargetGroupResult",
    "TargetGroupRule",
    "all_of",
    "any_of",
    "has_immigration_history",
    "target_group_rule",
]


class Answer(StrEnum):
    """A three-valued answer to a question of fact: true, false, or undetermined.

    The words follow the library's one vocabulary for three-valued answers (see the
    architecture guide): a positive word, a negative word, and ``undetermined`` when the
    facts given do not decide the question (the missing facts are listed beside it).
    Version 0.1.0 called this enum ``Outcome`` and spelled the third word ``unknown``;
    for one more version the old word is still read on input (``Answer("unknown")`` is
    ``Answer.UNDETERMINED``, in JSON and YAML too) and the old name still imports,
    with a ``DeprecationWarning``.

    Examples:
        >>> Answer.of(None).value, Answer("unknown") is Answer.UNDETERMINED
        ('undetermined', True)

    """

    TRUE = "true"
    """The facts given decide the question: yes."""
    FALSE = "false"
    """The facts given decide the question: no."""
    UNDETERMINED = "undetermined"
    """The facts given do not decide the question; see the missing facts."""

    @classmethod
    def of(cls, value: bool | None) -> Answer:
        """``True`` -> TRUE, ``False`` -> FALSE, ``None`` -> UNDETERMINED."""
        if value is None:
            return cls.UNDETERMINED
        return cls.TRUE if value else cls.FALSE

    @classmethod
    def _missing_(cls, value: object) -> Answer | None:
        # The word of the previous version, read for one more version.
        return cls.UNDETERMINED if value == "unknown" else None


def __getattr__(name: str) -> Any:
    """The deprecated name ``Outcome`` (now `Answer`), importable for one more version."""
    if name == "Outcome":
        warnings.warn(
            "kim.casework.target_group.Outcome is deprecated; use Answer (its third value "
            "is now 'undetermined', was 'unknown')",
            DeprecationWarning,
            stacklevel=2,
        )
        return Answer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def all_of(parts: Iterable[tuple[Answer, tuple[str, ...]]]) -> tuple[Answer, tuple[str, ...]]:
    """Three-valued AND of ``(outcome, missing facts)`` pairs (Kleene logic).

    False if any part is false (nothing is then missing); true if all are true;
    otherwise undetermined, with the missing facts of the undetermined parts.

    Examples:
        >>> all_of([(Answer.TRUE, ()), (Answer.UNDETERMINED, ("age",))])
        (<Answer.UNDETERMINED: 'undetermined'>, ('age',))
        >>> all_of([(Answer.FALSE, ()), (Answer.UNDETERMINED, ("age",))])[0].value
        'false'

    """
    return _kleene(parts, decisive=Answer.FALSE)


def any_of(parts: Iterable[tuple[Answer, tuple[str, ...]]]) -> tuple[Answer, tuple[str, ...]]:
    """Three-valued OR of ``(outcome, missing facts)`` pairs (Kleene logic).

    True if any part is true (nothing is then missing); false if all are false;
    otherwise undetermined, with the missing facts of the undetermined parts.

    Examples:
        >>> any_of([(Answer.FALSE, ()), (Answer.UNDETERMINED, ("age",))])
        (<Answer.UNDETERMINED: 'undetermined'>, ('age',))

    """
    return _kleene(parts, decisive=Answer.TRUE)


def _kleene(
    parts: Iterable[tuple[Answer, tuple[str, ...]]], decisive: Answer
) -> tuple[Answer, tuple[str, ...]]:
    """AND (``decisive`` FALSE) or OR (``decisive`` TRUE): one decisive part decides."""
    other = Answer.TRUE if decisive is Answer.FALSE else Answer.FALSE
    items = list(parts)
    if any(o is decisive for o, _ in items):
        return decisive, ()
    if all(o is other for o, _ in items):
        return other, ()
    seen: dict[str, None] = {}
    for answer, missing in items:
        if answer is Answer.UNDETERMINED:
            seen.update(dict.fromkeys(missing))
    return Answer.UNDETERMINED, tuple(seen)


class Criterion(StrEnum):
    """The three alternative criteria of § 4 TIntG (sources ``tintg-4``, IT.NRW)."""

    NOT_GERMAN = "nr1"
    """Nr. 1: not German within the meaning of Art. 116 Abs. 1 GG."""
    BORN_ABROAD_IMMIGRATED = "nr2"
    """Nr. 2: born outside today's federal territory and immigrated after the cutoff."""
    PARENT_BORN_ABROAD_IMMIGRATED = "nr3"
    """Nr. 3: at least one parent meets Nr. 2 (Nr. 2 only, not Nr. 1)."""


class TargetGroupRule(KimModel):
    """The version of § 4 to apply: its immigration cutoff and its sources.

    Criterion 2 holds for immigration on a day **after** ``immigrated_after``.
    """

    name: str = Field(description="A short name, e.g. 'TIntG 2022 § 4'.")
    immigrated_after: date = Field(description="Immigration must be after this day.")
    sources: tuple[str, ...] = Field(description="Source ids (see kim.sources).")


TINTG_2022 = TargetGroupRule(
    name="TIntG 2022 § 4",
    immigrated_after=date(1955, 12, 31),
    sources=("tintg-4", "itnrw-zuwanderergruppen"),
)
"""§ 4 TIntG of 25.11.2021, in force since 1.1.2022: immigration after 31.12.1955."""

TINTG_2012 = TargetGroupRule(
    name="TIntG 2012 § 4 Abs. 1",
    immigrated_after=date(1949, 12, 31),
    sources=("tintg-2012-4", "itnrw-zuwanderergruppen"),
)
"""§ 4 Abs. 1 TIntG of 14.2.2012 (until 31.12.2021): immigration since 1.1.1950."""


def target_group_rule(on: date) -> TargetGroupRule:
    """The version of § 4 TIntG in force on ``on`` (from ``kim/data/dated_rules.yaml``).

    Raises:
        InputError: no version of § 4 is known for the day (before the 2012 law).

    Examples:
        >>> target_group_rule(date(2021, 12, 31)).name
        'TIntG 2012 § 4 Abs. 1'
        >>> target_group_rule(date(2022, 1, 1)) == TINTG_2022
        True

    """
    from kim.dated import rule_variant

    variant = rule_variant("target_group", on)
    if variant is None:
        raise InputError(
            f"No version of § 4 TIntG is in force on {on.isoformat()} (the first law is of "
            "14.02.2012); give a date on or after it."
        )
    return TargetGroupRule(
        name=str(variant.data["name"]),
        immigrated_after=variant.data["immigrated_after"],
        sources=variant.sources,
    )


class ImmigrationFacts(KimModel):
    """The facts of criterion 2 for one person (the client or a parent).

    Each fact is ``None`` while nobody has recorded it. Give the date of immigration if
    it is known, else only its year: the year decides when the cutoff is a year end.
    Giving a date or a year implies ``immigrated=True``.
    """

    born_outside_federal_territory: bool | None = Field(
        default=None, description="Born outside today's territory of the Federal Republic."
    )
    immigrated: bool | None = Field(
        default=None, description="Immigrated to Germany at all (False: never lived here)."
    )
    immigrated_on: date | None = Field(default=None, description="Day of immigration.")
    immigration_year: int | None = Field(
        default=None, ge=1800, le=2200, description="Year of immigration, if the day is unknown."
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        dated = self.immigrated_on is not None or self.immigration_year is not None
        if dated and self.immigrated is False:
            raise InputError("a date or year of immigration is given but immigrated is False")
        if (
            self.immigrated_on is not None
            and self.immigration_year is not None
            and self.immigrated_on.year != self.immigration_year
        ):
            raise InputError("immigrated_on and immigration_year disagree")
        return self

    def __repr_args__(self) -> Any:
        known = sum(v is not None for v in self.__dict__.values())
        yield ("facts_recorded", known)

    def _after_cutoff(self, cutoff: date, prefix: str) -> tuple[Answer, tuple[str, ...]]:
        if self.immigrated is False:
            return Answer.FALSE, ()
        if self.immigrated_on is not None:
            return Answer.of(self.immigrated_on > cutoff), ()
        if self.immigration_year is not None:
            if self.immigration_year > cutoff.year:
                return Answer.TRUE, ()
            if self.immigration_year < cutoff.year or (cutoff.month, cutoff.day) == (12, 31):
                return Answer.FALSE, ()
        return Answer.UNDETERMINED, (f"{prefix}immigrated_on",)

    def criterion_2(
        self, rule: TargetGroupRule, prefix: str = ""
    ) -> tuple[Answer, tuple[str, ...]]:
        """Criterion 2 for this person: ``(outcome, missing facts)``."""
        born = (
            (Answer.of(self.born_outside_federal_territory), ())
            if self.born_outside_federal_territory is not None
            else (Answer.UNDETERMINED, (f"{prefix}born_outside_federal_territory",))
        )
        if born[0] is Answer.FALSE:
            return born
        return all_of([born, self._after_cutoff(rule.immigrated_after, prefix)])


class PersonFacts(ImmigrationFacts):
    """The facts § 4 TIntG asks about one person, and the facts of both parents.

    Only what the rule needs: no name, no birth date. The library never stores these
    facts in a case; a case keeps only the criteria that held. Parents whose facts are
    unknown stay empty (all ``None``). The repr shows how many facts are recorded, not
    the facts.

    Examples:
        >>> PersonFacts(german_art116=False)
        PersonFacts(facts_recorded=1)

    """

    german_art116: bool | None = Field(
        default=None, description="German within the meaning of Art. 116 Abs. 1 GG."
    )
    parents: tuple[ImmigrationFacts, ImmigrationFacts] = Field(
        default=(ImmigrationFacts(), ImmigrationFacts()),
        description="The criterion-2 facts of each of the two parents.",
    )

    def __repr_args__(self) -> Any:
        own = sum(v is not None for k, v in self.__dict__.items() if k != "parents")
        parents = sum(v is not None for p in self.parents for v in p.__dict__.values())
        yield ("facts_recorded", own + parents)


class TargetGroupResult(KimModel):
    """The answer of `has_immigration_history()`: outcome, criteria, missing facts."""

    outcome: Answer = Field(description="Whether the person has an immigration history.")
    criteria: FrozenMap[Criterion, Answer] = Field(description="The outcome of each criterion.")
    missing: tuple[str, ...] = Field(
        description="Facts (field paths of PersonFacts) that would decide an undetermined outcome."
    )
    rule: str = Field(description="The name of the rule applied.")
    sources: tuple[str, ...] = Field(description="Source ids of the rule.")

    @property
    def criteria_met(self) -> tuple[Criterion, ...]:
        """The criteria that held, in the order of the law."""
        return tuple(c for c in Criterion if self.criteria.get(c) is Answer.TRUE)


def has_immigration_history(
    person: PersonFacts, rule: TargetGroupRule = TINTG_2022, *, on: date | None = None
) -> TargetGroupResult:
    """Whether ``person`` is a "Mensch mit Einwanderungsgeschichte" under § 4 TIntG.

    Give ``on`` to apply the version of § 4 in force that day (the 2012 law before
    2022, see [`target_group_rule()`][kim.casework.target_group.target_group_rule]); it overrides
    ``rule``.

    Every criterion is evaluated, so the result shows all that held (a person may meet
    Nr. 1 and Nr. 2 at once). Missing facts are listed only when the outcome is undetermined
    and only those that could still change it.

    Examples:
        >>> parent = ImmigrationFacts(born_outside_federal_territory=True, immigration_year=1970)
        >>> r = has_immigration_history(PersonFacts(german_art116=True,
        ...     born_outside_federal_territory=False, parents=(parent, ImmigrationFacts())))
        >>> r.outcome.value, [c.value for c in r.criteria_met]
        ('true', ['nr3'])

    """
    if on is not None:
        rule = target_group_rule(on)
    nr1: tuple[Answer, tuple[str, ...]] = (
        (Answer.of(not person.german_art116), ())
        if person.german_art116 is not None
        else (Answer.UNDETERMINED, ("german_art116",))
    )
    nr2 = person.criterion_2(rule)
    nr3 = any_of(p.criterion_2(rule, f"parents[{i}].") for i, p in enumerate(person.parents))
    outcome, missing = any_of([nr1, nr2, nr3])
    return TargetGroupResult(
        outcome=outcome,
        criteria={
            Criterion.NOT_GERMAN: nr1[0],
            Criterion.BORN_ABROAD_IMMIGRATED: nr2[0],
            Criterion.PARENT_BORN_ABROAD_IMMIGRATED: nr3[0],
        },
        missing=missing,
        rule=rule.name,
        sources=rule.sources,
    )
