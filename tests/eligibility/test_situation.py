"""Decision explanations and missing facts as data (keys, types, questions, situations)."""

import json
from datetime import date

import pytest

from kim.eligibility import Outcome, decide, decide_post
from kim.errors import InputError
from kim.explain import Explanation
from kim.situation import decide_again, missing_facts


def test_a_decision_explains_itself_like_a_grant() -> None:
    d = decide("Kamen", 1, date(2023, 6, 1), extra_coordination=True)
    e = d.explain()
    assert isinstance(e, Explanation) and e.kind == "eligibility"
    check = e.step("rule-4-extra-coordination").checks[0]
    assert check.held is False and "kreis-unna-zuwanderung" in check.sources
    assert e.to_text("de").startswith("Förderfähigkeit von Kamen (05978020), Baustein 1")
    assert "nicht förderfähig" in e.to_text("de").splitlines()[0]
    assert "kreis-unna-zuwanderung" in {s.id for s in e.sources}
    again = Explanation.model_validate_json(e.to_json())
    assert again == e and e.receipt is not None
    assert "<" not in json.loads(e.to_json())["subject"]


def test_post_decisions_list_their_missing_facts_and_decide_again() -> None:
    d = decide_post("1", date(2023, 1, 1))
    assert d.outcome is Outcome.UNDETERMINED
    facts = {f.key: f for f in missing_facts(d)}
    assert set(facts) == {"post.additional", "post.funded_elsewhere"}
    assert facts["post.additional"].type == "boolean"
    assert facts["post.additional"].question.de.startswith("Ist die Stelle zusätzlich")
    half = decide_again(d, {"post.additional": True})
    assert half.outcome is Outcome.UNDETERMINED
    assert [f.key for f in half.missing_facts()] == ["post.funded_elsewhere"]
    assert half.decide_again({"post.funded_elsewhere": False}).outcome is Outcome.ELIGIBLE
    assert decide_again(d, {"post.additional": True, "post.funded_elsewhere": True}).outcome is (
        Outcome.NOT_ELIGIBLE
    )


def test_the_uncertain_start_of_baustein_3_is_a_date_fact() -> None:
    d = decide("Kreis Soest", 3, date(2020, 4, 1))
    assert d.outcome is Outcome.UNDETERMINED
    (fact,) = d.missing_facts()
    assert (fact.key, fact.type) == ("component.3.start", "date")
    assert d.decide_again({fact.key: "2020-03-15"}).outcome is Outcome.ELIGIBLE
    assert d.decide_again({fact.key: "2020-04-15"}).outcome is Outcome.NOT_ELIGIBLE


def test_situations_are_checked() -> None:
    d = decide("Siegen", 1, date(2025, 6, 1), extra_coordination=True)
    with pytest.raises(InputError, match="unknown fact key"):
        d.decide_again({"siegen.abh": True})
    with pytest.raises(InputError, match="true or false"):
        d.decide_again({"municipality.05970040.auslaenderbehoerde": "yes"})
    assert d.decide_again({"municipality.05970040.auslaenderbehoerde": False}).outcome is (
        Outcome.NOT_ELIGIBLE
    )


def test_the_command_asks_and_takes_answers(capsys: pytest.CaptureFixture[str]) -> None:
    from kim.cli import main

    args = ["eligibility", "Siegen", "--component", "1", "--on", "2025-06-01",
            "--extra-coordination"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert ": undetermined" in out.splitlines()[0]
    assert "ask: municipality.05970040.auslaenderbehoerde (boolean)" in out
    assert main([*args, "--answer", "municipality.05970040.auslaenderbehoerde=true"]) == 0
    assert ": eligible" in capsys.readouterr().out.splitlines()[0]
    assert main([*args, "--format", "json", "--explain"]) == 0
    e = json.loads(capsys.readouterr().out)
    assert e["kind"] == "eligibility" and e["receipt"]["data_hash"].startswith("sha256:")
    assert main([*args, "--answer", "nonsense"]) == 2
    assert "KEY=VALUE" in capsys.readouterr().err
