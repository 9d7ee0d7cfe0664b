"""§ 4 TIntG, "Menschen mit Einwanderungsgeschichte", criterion by criterion.

The wording was read from IT.NRW's page, which renders § 4 TIntG 2022 and § 4 Abs. 1
TIntG 2012:
http://www.integrationsmonitoring.nrw.de/integrationsberichterstattung_nrw/Grundlagen/Zuwanderergruppen/index.php
The law itself (table of contents only; the § 4 page could not be read):
https://recht.nrw.de/lmi/owa/br_bes_text?anw_nr=2&gld_nr=2&ugl_nr=24&bes_id=47273&menu=0&sg=0&aufgehoben=N&keyword=TINTG
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.casework import (
    TINTG_2012,
    TINTG_2022,
    Answer,
    Criterion,
    ImmigrationFacts,
    PersonFacts,
    TargetGroupResult,
    TargetGroupRule,
    has_immigration_history,
)
from kim.casework.target_group import all_of, any_of
from kim.errors import InputError
from kim.sources import embedded_sources

GERMAN_BORN_HERE = {"german_art116": True, "born_outside_federal_territory": False}
NO_PARENT = ImmigrationFacts(born_outside_federal_territory=False)


def check(
    person: PersonFacts, rule: TargetGroupRule = TINTG_2022
) -> tuple[str, list[str], tuple[str, ...]]:
    result = has_immigration_history(person, rule)
    return result.outcome.value, [c.value for c in result.criteria_met], result.missing


def test_nr1_a_person_who_is_not_german_under_art_116_gg() -> None:
    # § 4 Nr. 1 TIntG (IT.NRW page above): not German within Art. 116 Abs. 1 GG.
    assert check(PersonFacts(german_art116=False)) == ("true", ["nr1"], ())


def test_nr2_born_abroad_and_immigrated_after_31_december_1955() -> None:
    # § 4 Nr. 2 TIntG: born outside today's federal territory AND immigrated after 31.12.1955.
    born_abroad = {"german_art116": True, "born_outside_federal_territory": True}
    assert check(PersonFacts(**born_abroad, immigrated_on=date(1956, 1, 1)))[:2] == (
        "true",
        ["nr2"],
    )
    # The cutoff day itself is not "after 31 December 1955".
    outcome = check(
        PersonFacts(**born_abroad, immigrated_on=date(1955, 12, 31), parents=(NO_PARENT, NO_PARENT))
    )
    assert outcome == ("false", [], ())


def test_nr2_needs_both_birth_abroad_and_immigration() -> None:
    # Born in today's federal territory: Nr. 2 fails whatever the immigration date.
    person = PersonFacts(
        **GERMAN_BORN_HERE, immigrated_on=date(1990, 1, 1), parents=(NO_PARENT, NO_PARENT)
    )
    assert check(person) == ("false", [], ())
    # Born abroad but never immigrated (e.g. a parent who lives abroad).
    assert ImmigrationFacts(born_outside_federal_territory=True, immigrated=False).criterion_2(
        TINTG_2022
    ) == (Answer.FALSE, ())


def test_nr2_with_only_the_year_of_immigration() -> None:
    born_abroad = {"german_art116": True, "born_outside_federal_territory": True}
    assert check(PersonFacts(**born_abroad, immigration_year=1956))[:2] == ("true", ["nr2"])
    no_parents = {"parents": (NO_PARENT, NO_PARENT)}
    assert check(PersonFacts(**born_abroad, immigration_year=1955, **no_parents))[0] == "false"


def test_nr3_a_parent_who_meets_nr2() -> None:
    # § 4 Nr. 3 TIntG: at least one parent meets the criteria of Nr. 2.
    parent = ImmigrationFacts(born_outside_federal_territory=True, immigrated_on=date(1970, 6, 1))
    person = PersonFacts(**GERMAN_BORN_HERE, parents=(NO_PARENT, parent))
    assert check(person) == ("true", ["nr3"], ())


def test_nr3_refers_to_nr2_only_not_to_nr1() -> None:
    # IT.NRW renders Nr. 3 as "die Kriterien der Nummer 2": a parent who is only a
    # foreign national, born in Germany, does not make the child part of the group.
    parent_foreign_born_here = ImmigrationFacts(born_outside_federal_territory=False)
    person = PersonFacts(**GERMAN_BORN_HERE, parents=(parent_foreign_born_here, NO_PARENT))
    assert check(person) == ("false", [], ())


def test_a_person_may_meet_several_criteria() -> None:
    parent = ImmigrationFacts(born_outside_federal_territory=True, immigration_year=1980)
    person = PersonFacts(
        german_art116=False,
        born_outside_federal_territory=True,
        immigrated_on=date(2015, 9, 1),
        parents=(parent, parent),
    )
    assert check(person) == ("true", ["nr1", "nr2", "nr3"], ())


def test_unknown_facts_give_undetermined_with_the_facts_that_would_decide() -> None:
    assert check(PersonFacts()) == (
        "undetermined",
        [],
        (
            "german_art116",
            "born_outside_federal_territory",
            "immigrated_on",
            "parents[0].born_outside_federal_territory",
            "parents[0].immigrated_on",
            "parents[1].born_outside_federal_territory",
            "parents[1].immigrated_on",
        ),
    )
    # Once Nr. 2 is excluded by the birthplace, its immigration date is no longer asked.
    only_parents = PersonFacts(**GERMAN_BORN_HERE, parents=(NO_PARENT, ImmigrationFacts()))
    assert check(only_parents) == (
        "undetermined",
        [],
        ("parents[1].born_outside_federal_territory", "parents[1].immigrated_on"),
    )


def test_a_true_outcome_asks_for_nothing_more() -> None:
    assert has_immigration_history(PersonFacts(german_art116=False)).missing == ()


def test_the_2012_rule_counted_immigration_since_1_january_1950() -> None:
    # § 4 Abs. 1 TIntG 2012 (IT.NRW page above): "seit dem 1. Januar 1950 ... zugewanderte".
    born_abroad = {"german_art116": True, "born_outside_federal_territory": True}
    no_parents = {"parents": (NO_PARENT, NO_PARENT)}
    assert (
        check(PersonFacts(**born_abroad, immigrated_on=date(1950, 1, 1)), TINTG_2012)[0] == "true"
    )
    assert (
        check(
            PersonFacts(**born_abroad, immigrated_on=date(1949, 12, 31), **no_parents), TINTG_2012
        )[0]
        == "false"
    )
    # 1953: inside the 2012 group, outside the 2022 group.
    person = PersonFacts(**born_abroad, immigrated_on=date(1953, 5, 1), **no_parents)
    assert check(person, TINTG_2012)[0] == "true" and check(person)[0] == "false"


def test_rules_cite_registered_sources() -> None:
    sources = embedded_sources()
    for rule in (TINTG_2022, TINTG_2012):
        assert all(s in sources for s in rule.sources)
    assert TINTG_2022.immigrated_after == date(1955, 12, 31)
    assert has_immigration_history(PersonFacts()).sources == ("tintg-4", "itnrw-zuwanderergruppen")


def test_inconsistent_facts_are_refused() -> None:
    with pytest.raises(InputError, match="immigrated is False"):
        ImmigrationFacts(immigrated=False, immigration_year=1990)
    with pytest.raises(InputError, match="disagree"):
        ImmigrationFacts(immigrated_on=date(1990, 1, 1), immigration_year=1991)


def test_the_repr_counts_facts_and_shows_none() -> None:
    person = PersonFacts(german_art116=True, immigrated_on=date(1990, 4, 17))
    assert repr(person) == "PersonFacts(facts_recorded=2)"
    assert "1990" not in repr(person) and "1990" not in str(person)


def test_criteria_enum_matches_the_law_numbers() -> None:
    assert [c.value for c in Criterion] == ["nr1", "nr2", "nr3"]


outcomes = st.sampled_from(list(Answer))
parts = st.lists(st.tuples(outcomes, st.tuples(st.sampled_from(["a", "b", "c"]))), max_size=4)


@given(parts)
def test_kleene_and_or_agree_with_two_valued_logic_when_nothing_is_unknown(
    items: list[tuple[Answer, tuple[str, ...]]],
) -> None:
    and_, and_missing = all_of(items)
    or_, or_missing = any_of(items)
    if all(o is not Answer.UNDETERMINED for o, _ in items):
        assert and_ is Answer.of(all(o is Answer.TRUE for o, _ in items))
        assert or_ is Answer.of(any(o is Answer.TRUE for o, _ in items))
    assert (and_missing != ()) <= (and_ is Answer.UNDETERMINED)
    assert (or_missing != ()) <= (or_ is Answer.UNDETERMINED)


maybe_bool = st.none() | st.booleans()
parent_facts = st.builds(
    ImmigrationFacts,
    born_outside_federal_territory=maybe_bool,
    immigration_year=st.none() | st.integers(1940, 2030),
)
facts = st.builds(
    PersonFacts,
    german_art116=maybe_bool,
    born_outside_federal_territory=maybe_bool,
    immigrated_on=st.none() | st.dates(date(1940, 1, 1), date(2030, 1, 1)),
    parents=st.tuples(parent_facts, parent_facts),
)


def fill(person: ImmigrationFacts, data: st.DataObject) -> dict[str, object]:
    """The facts of ``person`` with every unknown one replaced by a drawn value."""
    values: dict[str, object] = {}
    born = person.born_outside_federal_territory
    values["born_outside_federal_territory"] = data.draw(st.booleans()) if born is None else born
    if person.immigrated_on is None and person.immigration_year is None:
        values["immigration_year"] = data.draw(st.integers(1940, 2030))
    else:
        values["immigrated_on"] = person.immigrated_on
        values["immigration_year"] = person.immigration_year
    return values


@given(facts, st.data())
def test_knowing_more_never_changes_a_decided_outcome(
    person: PersonFacts, data: st.DataObject
) -> None:
    result = has_immigration_history(person)
    completed = PersonFacts(
        german_art116=data.draw(st.booleans())
        if person.german_art116 is None
        else person.german_art116,
        **fill(person, data),
        parents=(
            ImmigrationFacts(**fill(person.parents[0], data)),
            ImmigrationFacts(**fill(person.parents[1], data)),
        ),
    )
    decided = has_immigration_history(completed)
    assert decided.outcome is not Answer.UNDETERMINED and decided.missing == ()
    if result.outcome is Answer.UNDETERMINED:
        assert result.missing
    else:
        assert decided.outcome is result.outcome and result.missing == ()
        for criterion, outcome in result.criteria.items():
            if outcome is not Answer.UNDETERMINED:
                assert decided.criteria[criterion] is outcome


def test_the_old_word_unknown_is_still_read_from_json_and_yaml() -> None:
    # Version 0.1.0 wrote "unknown" for the third answer; it is read for one more version.
    import yaml

    written = has_immigration_history(PersonFacts()).model_dump_json()
    assert '"outcome":"undetermined"' in written
    old = written.replace('"undetermined"', '"unknown"')
    assert TargetGroupResult.model_validate_json(old).outcome is Answer.UNDETERMINED
    from_yaml = TargetGroupResult.model_validate(yaml.safe_load(old))
    assert from_yaml.criteria[Criterion.NOT_GERMAN] is Answer.UNDETERMINED
    assert Answer("unknown") is Answer.UNDETERMINED
    with pytest.raises(ValueError):
        Answer("maybe")


def test_the_old_name_outcome_imports_with_a_deprecation_warning() -> None:
    import kim.casework.target_group as target_group

    with pytest.warns(DeprecationWarning, match="use Answer"):
        old = target_group.Outcome
    assert old is Answer
    assert "Outcome" not in target_group.__all__
    import kim.casework

    vars(kim.casework).pop("Outcome", None)  # the facade caches a name once loaded
    with pytest.warns(DeprecationWarning, match="use Answer"):
        assert kim.casework.Outcome is Answer
    assert "Outcome" not in kim.casework.__all__
