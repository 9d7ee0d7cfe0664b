import pytest

from kim.errors import UnknownNameError
from kim.sources import SourceKind, embedded_sources


def test_registry_has_the_laws_and_guidelines() -> None:
    sources = embedded_sources()
    for sid in ("tintg-3", "tintg-4", "tintg-8", "tintg-9", "rl-2020", "rl-2024", "bra-kim"):
        assert sid in sources
    assert sources["rl-2020"].citation is not None and "2020 Nr. 32" in sources["rl-2020"].citation
    assert sources["rl-2024"].citation is not None and "2024 Nr. 43" in sources["rl-2024"].citation
    assert sources["tintg-9"].kind is SourceKind.LAW


def test_every_source_with_a_url_uses_http() -> None:
    for source in embedded_sources().values():
        if source.url is not None:
            assert source.url.startswith(("http://", "https://")), source.id


def test_unknown_fields_stay_empty() -> None:
    # The Bezirksregierung's page is undated: the registry must not invent a date.
    assert embedded_sources()["bra-kim"].date is None
    # The seed press release's address was found in the second research round.
    assert embedded_sources()["mdl-pm-2021-03-12"].url == (
        "https://hiller-anzeiger.de/2021/03/neun-zusaetzliche-stellen-fuer-integration-in-minden-luebbecke/"
    )


def test_unknown_source_suggests() -> None:
    with pytest.raises(UnknownNameError) as info:
        embedded_sources()["tintg-99"]
    assert "tintg-9" in info.value.suggestions
    assert embedded_sources().get("tintg-99") is None


def test_label() -> None:
    assert embedded_sources()["tintg-9"].label().startswith("Gesetz zur Förderung")
    assert "§ 9" in embedded_sources()["tintg-9"].label()
