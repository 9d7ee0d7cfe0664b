"""The stored report: what ``kim report`` prints without computing, and when it may.

``kim report`` on the embedded data prints from ``kim/data/report_snapshot.json`` when
that file was made from exactly this package (``kim._snapshot``). These tests hold the
stored texts equal to computed ones, and check that any change to the package, and any
option that changes the run, sends the command back to computing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import kim
from kim import _snapshot
from kim._snapshot import SNAPSHOT, package_key, stored_report
from kim.cli import main
from kim.scenarios._report_text import from_stored

PACKAGE = Path(kim.__file__).resolve().parent


def _stored_file() -> dict[str, Any]:
    """The snapshot as it is on disk, whatever its key."""
    stored: dict[str, Any] = json.loads((PACKAGE / SNAPSHOT).read_text(encoding="utf-8"))
    return stored


def test_the_stored_report_belongs_to_this_package() -> None:
    assert stored_report() is not None, (
        "src/kim/data/report_snapshot.json was made from another state of the package: "
        "run `python scripts/snapshot.py` and commit the file with your change."
    )


# CSV and JSON do not depend on the language or the width.
VARIANTS = [
    ("table", lang, wide, columns)
    for lang in ("de", "en")
    for wide in (False, True)
    for columns in ("80", "133")
] + [("csv", "en", False, "80"), ("json", "en", False, "80")]


@pytest.mark.parametrize(("fmt", "lang", "wide", "columns"), VARIANTS)
def test_the_stored_text_equals_the_computed_text(
    fmt: str,
    lang: str,
    wide: bool,
    columns: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Compared with the file on disk whatever its key, so a run with other versions of
    # pydantic or PyYAML (the lowest-versions run of CI) checks that the text does not
    # depend on them.
    monkeypatch.setenv("COLUMNS", columns)
    args = ["report", "--recompute", "--format", fmt, "--lang", lang] + ["--wide"] * wide
    assert main(args) == 0
    computed = capsys.readouterr().out
    width = None if wide else int(columns)
    assert from_stored(_stored_file(), fmt, lang, width) + "\n" == computed  # type: ignore[arg-type]


def test_the_command_prints_the_stored_text_when_it_applies(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stored = stored_report()
    assert stored is not None
    # A marked copy shows which path printed.
    stored["table"]["en"]["compact"]["header"] = "FROM THE STORE"
    monkeypatch.setattr(_snapshot, "stored_report", lambda: stored)
    assert main(["report"]) == 0
    assert capsys.readouterr().out.startswith("FROM THE STORE\n")
    assert main(["report", "--recompute"]) == 0
    assert capsys.readouterr().out.startswith("KIM statewide run 2023\n")


@pytest.mark.parametrize(
    "options",
    [
        ["--recompute"],
        ["--year", "2023"],
        ["--set", "case_management_flat_rate=60000", "--year", "2024"],
        ["--note", "a note"],
        ["--scenario", "{scenario}"],
        ["--facts", "{facts}"],
        ["--plot", "{plot}"],
    ],
    ids=lambda o: o[0],
)
def test_every_option_that_changes_the_run_computes_it(
    options: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if "--plot" in options:
        pytest.importorskip("matplotlib")
    asked: list[bool] = []

    def spy() -> None:
        asked.append(True)

    monkeypatch.setattr(_snapshot, "stored_report", spy)
    (tmp_path / "s.yaml").write_text("name: s\n", encoding="utf-8")
    (tmp_path / "f.yaml").write_text("name: f\n", encoding="utf-8")
    files = {
        "scenario": tmp_path / "s.yaml",
        "facts": tmp_path / "f.yaml",
        "plot": tmp_path / "p.png",
    }
    assert main(["report", *(o.format(**files) for o in options)]) == 0
    assert asked == []


def test_without_a_stored_report_the_command_computes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_snapshot, "stored_report", lambda: None)
    assert main(["report", "--format", "csv"]) == 0
    computed = capsys.readouterr().out
    assert computed == from_stored(_stored_file(), "csv", "en", 80) + "\n"


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "kim"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_a_copy_of_the_package_has_the_same_key(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    assert package_key(copy) == package_key()
    # Compiled files are left out: importing writes them, and they differ per Python.
    (copy / "__pycache__").mkdir()
    (copy / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"\x00")
    assert stored_report(copy) is not None


@pytest.mark.parametrize(
    "change",
    ["edit a module", "edit a data file", "add a file", "rename a file", "remove a file"],
)
def test_any_change_to_the_package_sends_the_command_back_to_computing(
    change: str, tmp_path: Path
) -> None:
    copy = _copy(tmp_path)
    rules = copy / "data" / "dated_rules.yaml"
    if change == "edit a module":
        module = copy / "money.py"
        module.write_text(module.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    elif change == "edit a data file":
        rules.write_bytes(rules.read_bytes() + b"# changed\n")
    elif change == "add a file":
        (copy / "data" / "extra.yaml").write_text("a: 1\n", encoding="utf-8")
    elif change == "rename a file":
        rules.rename(rules.with_name("dated_rules2.yaml"))
    else:
        (copy / "py.typed").unlink()
    assert package_key(copy) != package_key()
    assert stored_report(copy) is None


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"\xff\xfe", b"[]", b'{"format": 999}', b'{"format": 1, "key": 7}'],
)
def test_a_damaged_snapshot_is_not_used(content: bytes, tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    (copy / SNAPSHOT).write_bytes(content)
    assert stored_report(copy) is None


@pytest.mark.parametrize("part", ["csv", "json", "table"])
def test_a_snapshot_without_a_part_is_not_used(part: str, tmp_path: Path) -> None:
    # Its key is right: only the text the command would print is missing.
    copy = _copy(tmp_path)
    stored = _stored_file()
    if part == "table":
        del stored["table"]["de"]["wide"]["rows"]
    else:
        del stored[part]
    (copy / SNAPSHOT).write_text(json.dumps(stored), encoding="utf-8")
    assert stored_report(copy) is None


def test_a_missing_snapshot_or_package_is_not_used(tmp_path: Path) -> None:
    copy = _copy(tmp_path)
    (copy / SNAPSHOT).unlink()
    assert stored_report(copy) is None
    assert package_key(tmp_path / "nowhere") is None


def test_an_unreadable_file_in_the_package_means_no_key(tmp_path: Path) -> None:
    # A file that cannot be read (here a link to nowhere, which root cannot read either)
    # gives no key, so the command computes instead of failing.
    copy = _copy(tmp_path)
    (copy / "data" / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert package_key(copy) is None
    assert stored_report(copy) is None


def test_the_stored_report_loads_no_models_nor_parsers() -> None:
    code = (
        "import sys, io, contextlib\n"
        "from kim.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    main(['report'])\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in\n"
        "         ('pydantic', 'pydantic_core', 'yaml', 'numpy', 'dateutil')]\n"
        "print(sorted(heavy), 'Kreis Coesfeld' in out.getvalue())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] True"
