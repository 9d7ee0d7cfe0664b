"""The staffing models stored with the package (issue 15): the same as a fresh fit, used
only while their inputs are unchanged."""

import json
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

import kim.estimates as estimates
from kim.components import Component
from kim.estimates import (
    MODEL_FORMAT,
    STORED_MODELS,
    StaffingModel,
    fit_staffing_model,
    input_fingerprint,
    staffing_model,
    staffing_models_json,
)

RERUN = "run `PYTHONPATH=src python scripts/fit_staffing_models.py` and commit the file"
ROOT = Path(__file__).resolve().parent.parent


def stored_document() -> dict:  # type: ignore[type-arg]
    text = resources.files("kim.data").joinpath(STORED_MODELS).read_text(encoding="utf-8")
    document = json.loads(text)
    assert isinstance(document, dict)
    return document


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Forget the cached models before and after a test that patches their inputs."""
    staffing_model.cache_clear()
    estimates._stored_models.cache_clear()
    yield
    staffing_model.cache_clear()
    estimates._stored_models.cache_clear()


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch, fresh_caches: None) -> list[Component]:
    """Record every fit that `staffing_model()` runs."""
    done: list[Component] = []
    real = estimates.fit_staffing_model

    def counting(component, rows=None, *, parameters=None):  # type: ignore[no-untyped-def]
        done.append(Component.parse(component))
        return real(component, rows, parameters=parameters)

    monkeypatch.setattr(estimates, "fit_staffing_model", counting)
    return done


@pytest.mark.parametrize("component", list(Component))
def test_the_stored_model_equals_a_fresh_fit(component: Component) -> None:
    stored = {m["component"]: m for m in stored_document()["models"]}
    fresh = fit_staffing_model(component)
    # The JSON form compares the decimals digit for digit ("4.0" is not "4"), which the
    # report prints.
    assert stored.get(int(component)) == fresh.model_dump(mode="json"), (
        f"the stored model of Baustein {int(component)} differs from a fresh fit: {RERUN}"
    )
    assert StaffingModel.model_validate(stored[int(component)]) == fresh


def test_the_stored_file_is_what_the_script_writes_today() -> None:
    text = resources.files("kim.data").joinpath(STORED_MODELS).read_text(encoding="utf-8")
    changed = [
        name
        for name, digest in input_fingerprint().items()
        if stored_document()["inputs"].get(name) != digest
    ]
    assert not changed, f"inputs changed since the models were stored ({changed}): {RERUN}"
    assert text == staffing_models_json(), f"the stored models are stale: {RERUN}"


def test_the_stored_file_is_valid() -> None:
    document = stored_document()
    assert sorted(document) == ["inputs", "models"]
    inputs = document["inputs"]
    assert inputs["format"] == str(MODEL_FORMAT)
    files = [name for name in inputs if name != "format"]
    assert "kim.allocation.data/observed_posts.yaml" in files
    assert len(files) == 8
    for name in files:
        assert len(inputs[name]) == 64
        assert set(inputs[name]) <= set("0123456789abcdef")
    models = [StaffingModel.model_validate(body) for body in document["models"]]
    assert [m.component for m in models] == list(Component)
    assert all(m.loo.rows == len(m.rows) > 0 for m in models)


def test_the_stored_models_are_used_without_fitting(fits: list[Component]) -> None:
    for component in Component:
        assert staffing_model(component) == fit_staffing_model(component)
    assert fits == []


def test_a_changed_input_falls_back_to_fitting(
    monkeypatch: pytest.MonkeyPatch, fits: list[Component]
) -> None:
    # As if the observed posts had changed: their entry hashes another file's bytes.
    changed = tuple(
        ("kim.allocation.data", "observed_totals.yaml") if file == "observed_posts.yaml" else pair
        for pair in estimates._INPUTS
        for file in [pair[1]]
    )
    monkeypatch.setattr(estimates, "_INPUTS", changed)
    model = staffing_model(2)
    assert fits == [Component.CASE_MANAGEMENT]
    assert model == fit_staffing_model(2)


def test_a_new_model_format_falls_back_to_fitting(
    monkeypatch: pytest.MonkeyPatch, fits: list[Component]
) -> None:
    monkeypatch.setattr(estimates, "MODEL_FORMAT", MODEL_FORMAT + 1)
    assert staffing_model(3) == fit_staffing_model(3)
    assert fits == [Component.AUTHORITIES]


def test_a_missing_stored_file_falls_back_to_fitting(
    monkeypatch: pytest.MonkeyPatch, fits: list[Component]
) -> None:
    monkeypatch.setattr(estimates, "STORED_MODELS", "no_such_file.json")
    assert staffing_model(2) == fit_staffing_model(2)
    assert fits == [Component.CASE_MANAGEMENT]


MATCHING = '{"inputs": {"format": "1"}'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "[]",
        '{"inputs": 1}',
        '{"models": []}',
        MATCHING + "}",
        MATCHING + ', "models": 3}',
        MATCHING + ', "models": [{}]}',
        MATCHING + ', "models": [{"component": 1}]}',
    ],
)
def test_a_broken_stored_file_falls_back_to_fitting(
    text: str, monkeypatch: pytest.MonkeyPatch, fits: list[Component]
) -> None:
    monkeypatch.setattr(estimates, "_read_stored", text.encode)
    monkeypatch.setattr(estimates, "input_fingerprint", lambda: {"format": "1"})
    assert staffing_model(1) == fit_staffing_model(1)
    assert fits == [Component.COORDINATION]


def test_the_fingerprint_covers_every_file_the_fit_reads() -> None:
    # In a fresh interpreter, record the package files a fit of all three models reads.
    code = """if True:
        import pathlib
        seen = set()
        for name in ("read_text", "read_bytes"):
            real = getattr(pathlib.Path, name)
            def spy(self, *args, _real=real, **kwargs):
                seen.add(self.as_posix())
                return _real(self, *args, **kwargs)
            setattr(pathlib.Path, name, spy)
        from kim.components import Component
        from kim.estimates import fit_staffing_model
        for component in Component:
            fit_staffing_model(component).predict("05113000", 2023)
        for path in sorted(seen):
            print(path)
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    package = Path(estimates.__file__).resolve().parent.as_posix() + "/"
    read = {p.removeprefix(package) for p in out.stdout.split() if p.startswith(package)}
    covered = {
        name.split("/")[0].removeprefix("kim.").replace(".", "/") + "/" + name.split("/")[1]
        for name in input_fingerprint()
        if name != "format"
    }
    # The source list is only checked for known ids; no value of the fit comes from it.
    assert read - covered == {"data/sources.yaml"}
    assert covered <= read


def test_the_script_finds_the_stored_file_up_to_date() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "fit_staffing_models.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout
