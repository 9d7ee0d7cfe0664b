import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kim.errors import InputError, UnknownNameError
from kim.parameters import Status
from kim.sources import embedded_sources
from kim.territory import (
    AmbiguousNameError,
    District,
    DistrictType,
    Fact,
    Municipality,
    Regierungsbezirk,
    embedded_territory,
)
from kim.territory.registry import _UMLAUTS, normalize_name

T = embedded_territory()


def test_fifty_four_units_by_type() -> None:
    types = [d.type for d in T.districts()]
    assert len(types) == 54
    assert types.count(DistrictType.KREISFREIE_STADT) == 22
    assert types.count(DistrictType.KREIS) == 30
    assert types.count(DistrictType.STAEDTEREGION) == 1
    assert types.count(DistrictType.REGIONSANGEHOERIGE_STADT) == 1


def test_keys_are_unique_and_consistent() -> None:
    keys = [d.key for d in T.districts()]
    assert len(set(keys)) == 54
    for d in T.districts():
        assert d.kreis_key == d.key[:5]
        if d.is_city:
            assert d.ags == d.key and len(d.key) == 8
        else:
            assert d.ags is None and len(d.key) == 5


def test_regierungsbezirk_agrees_with_the_third_digit() -> None:
    for d in T.districts():
        assert d.regierungsbezirk is Regierungsbezirk.from_key(d.key), d


def test_every_population_has_a_date_and_a_known_source() -> None:
    sources = embedded_sources()
    for d in T.districts():
        assert d.population.date == date(2022, 5, 15), d  # one series: Zensus 2022
        assert d.population.sources and all(s in sources for s in d.population.sources)
        assert d.population.status in (Status.CONFIRMED, Status.DERIVED)
        assert d.has_ki and all(s in sources for s in d.ki_sources)


def test_filled_gaps_from_zensus_2022() -> None:
    # https://ergebnisse.zensus2022.de/datenbank/online/statistic/1000A/table/1000A-0000
    assert T.district("Wuppertal").population.value == 356_768
    assert T.district("Kreis Wesel").population.value == 453_093
    assert T.district("Kreis Warendorf").population.value == 279_209
    assert T.district("05334002").population.value == 261_178
    assert T.district("Kreis Wesel").population.status is Status.DERIVED  # sum of 13


def test_aachen_is_not_counted_twice() -> None:
    # NRW Zensus 2022 total: 17,890,489 (citypopulation.de, Statistische Ämter)
    aachen = T.district("05334002")
    region = T.district("05334")
    assert aachen.counted_in == region.key
    assert T.state_population() == 17_890_489
    naive = sum(d.population.value for d in T.districts())
    assert naive - T.state_population() == aachen.population.value
    assert region.population.value > aachen.population.value


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("Köln", "05315000"),
        ("KOELN", "05315000"),
        ("koln", "05315000"),
        ("5315", "05315000"),
        ("05315", "05315000"),
        ("05315000", "05315000"),
        ("Coesfeld", "05558"),
        ("Stadt Coesfeld", "05558012"),
        ("Kreis Coesfeld", "05558"),
        ("05558", "05558"),
        ("StädteRegion Aachen", "05334"),
        ("Staedteregion Aachen", "05334"),
        ("05334", "05334"),
        ("Aachen", "05334002"),
        ("Stadt Aachen", "05334002"),
        ("Mülheim", "05117000"),
        ("Muelheim an der Ruhr", "05117000"),
        ("Rhein-Sieg-Kreis", "05382"),
        ("rhein sieg kreis", "05382"),
        ("Rheine", "05566076"),
    ],
)
def test_lookup(query: str, key: str) -> None:
    assert T.find(query).key == key


def test_a_unit_comes_before_the_town_it_is_named_after() -> None:
    # "Wesel" is an alias of Kreis Wesel; the town is "Stadt Wesel", its AGS, or
    # municipality("Wesel"), where municipalities come first.
    assert T.find("Wesel").key == "05170"
    assert T.find("Stadt Wesel").key == "05170048"
    assert T.municipality("Wesel").key == "05170048"
    assert T.district("Soest").key == "05974"
    assert T.namesake(T.district("Kreis Soest")) == T.find("Stadt Soest")


# Zensus 2022, table 1000A-0000 (Gebietsstand 15.05.2022),
# https://ergebnisse.zensus2022.de/datenbank/online/statistic/1000A/table/1000A-0000
# NRW has 396 municipalities: 22 kreisfreie Städte and 374 within a Kreis (Aachen
# among them, which the library keeps as a KIM unit).
MUNICIPALITIES_PER_KREIS = {
    "05154": 16, "05158": 10, "05162": 8, "05166": 9, "05170": 13, "05334": 9,
    "05358": 15, "05362": 10, "05366": 11, "05370": 10, "05374": 13, "05378": 8,
    "05382": 19, "05554": 17, "05558": 11, "05562": 10, "05566": 24, "05570": 13,
    "05754": 13, "05758": 9, "05762": 10, "05766": 16, "05770": 11, "05774": 10,
    "05954": 9, "05958": 12, "05962": 15, "05966": 7, "05970": 11, "05974": 14,
    "05978": 10,
}  # fmt: skip


def test_every_municipality_within_a_kreis_is_listed() -> None:
    counts: dict[str, int] = {}
    for m in T.municipalities():
        counts[m.parent] = counts.get(m.parent, 0) + 1
        assert m.ags.startswith(m.parent)
        assert m.population is not None and m.population.sources
    assert counts == MUNICIPALITIES_PER_KREIS
    assert len(T.municipalities()) == 373
    kreise = [d for d in T.districts() if not d.is_city]
    assert len(kreise) == 31 and set(counts) == {d.key for d in kreise}
    # 373 + Aachen + 22 kreisfreie Städte = 396 NRW municipalities
    assert len(T.municipalities()) + len([d for d in T.districts() if d.is_city]) == 396


@pytest.mark.parametrize(
    ("query", "ags", "population"),
    [
        ("Stadt Coesfeld", "05558012", 37_371),
        ("Nordkirchen", "05558028", 10_334),
        ("Simmerath", "05334028", 16_393),
        ("Stolberg (Rhld.)", "05334032", 57_165),
        ("Halle", "05754012", 21_189),
        ("Stadt Düren", "05358008", 94_149),
        ("Bocholt", "05554008", 71_985),
    ],
)
def test_municipalities_from_the_zensus_list(query: str, ags: str, population: int) -> None:
    found = T.municipality(query)
    assert found.ags == ags
    assert found.population is not None and found.population.value == population


def test_listed_towns_without_facts_have_unknown_facts() -> None:
    nordkirchen = T.municipality("05558028")
    assert nordkirchen.auslaenderbehoerde.value is None
    assert nordkirchen.population is not None
    assert nordkirchen.population.sources == ("zensus2022-gemeinden-nrw",)


def test_unknown_name_lists_closest() -> None:
    with pytest.raises(UnknownNameError) as info:
        T.find("Kreis Coesfelt")
    assert "Kreis Coesfeld" in info.value.suggestions


def test_district_refuses_a_municipality() -> None:
    with pytest.raises(InputError, match="Kreis Steinfurt"):
        T.district("Rheine")
    with pytest.raises(InputError):
        T.municipality("Köln")


def test_ambiguous_names_are_reported() -> None:
    twin = Municipality(ags="05558999", name="Kreis Unna", parent="05558")
    t = T.with_municipalities(twin)
    with pytest.raises(AmbiguousNameError) as info:
        t.find("Kreis Unna")
    assert {c.key for c in info.value.candidates} == {"05978", "05558999"}


def test_municipalities_have_parents_and_sourced_facts() -> None:
    sources = embedded_sources()
    names = {m.name for m in T.municipalities()}
    assert {
        "Rheine",
        "Bocholt",
        "Lippstadt",
        "Siegen",
        "Dormagen",
        "Moers",
        "Dinslaken",
        "Wesel",
        "Kamen",
    } <= names
    for m in T.municipalities():
        parent = T.parent_of(m)
        assert m.ags.startswith(parent.key)
        for fact in (
            m.auslaenderbehoerde,
            m.einbuergerungsbehoerde,
            m.jugendamt,
            m.integrationsrat,
        ):
            if fact.value is not None:
                assert fact.sources and all(s in sources for s in fact.sources)


def test_fact_until_makes_it_unknown_later() -> None:
    siegen = T.municipality("Siegen")
    assert siegen.auslaenderbehoerde.on(date(2023, 6, 1)) is True
    assert siegen.auslaenderbehoerde.on(date(2025, 1, 1)) is None
    assert Fact(value=False).on(date(2030, 1, 1)) is False


def test_users_can_build_their_own_municipality() -> None:
    own = Municipality(ags="05566008", name="Emsdetten", parent="05566")
    t = T.with_municipalities(own)
    assert t.find("Emsdetten").key == "05566008"
    assert t.municipality("Emsdetten").jugendamt.value is None
    with pytest.raises(InputError, match="unknown parent"):
        T.with_municipalities(Municipality(ags="05999001", name="X", parent="05999"))


def test_bad_records_are_refused() -> None:
    with pytest.raises(InputError):
        Municipality(ags="1234", name="X", parent="05558")
    with pytest.raises(InputError):
        District.model_validate({"key": "05558"})


KEYS = [d.key for d in T.districts()]


@given(st.sampled_from(KEYS), st.sampled_from(["strip0", "upper", "as_is", "name", "lower"]))
def test_spelling_does_not_change_the_unit(key: str, spelling: str) -> None:
    d = T.district(key)
    query = {
        "strip0": key.lstrip("0"),
        "upper": d.name.upper(),
        "as_is": key,
        "name": d.name,
        "lower": d.name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue"),
    }[spelling]
    assert T.find(query).key == key


def _fold_every_char(text: str) -> str:
    """The name fold without its ASCII shortcut: NFKD and accent stripping always."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_UMLAUTS))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


@given(st.text())
def test_the_ascii_shortcut_of_the_name_fold_changes_no_result(text: str) -> None:
    assert normalize_name(text) == _fold_every_char(text)


def test_every_registered_name_folds_as_without_the_shortcut() -> None:
    names = [d.name for d in T.districts()] + [m.name for m in T.municipalities()]
    assert len(names) > 400
    assert all(normalize_name(n) == _fold_every_char(n) for n in names)
