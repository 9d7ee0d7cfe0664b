"""The notebooks in docs/notebooks run cleanly and still show what the code prints.

The notebooks are stored with their outputs, which the documentation shows as they are.
Each test executes a notebook again in a fresh ``python3`` kernel (the kernel spec that
ipykernel installs into the environment) with nbclient, fails on any cell error, and
compares every stored text output with the new one, so that the docs cannot drift
from the library. Images and HTML are not compared (they differ between library
versions without changing the content); cells tagged ``nondeterministic`` (a progress
bar with its speed) are only run. Refresh stored outputs with
``python scripts/run_notebooks.py``.
"""

from __future__ import annotations

import copy
import importlib
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
SKIP_TAG = "nondeterministic"

nbformat: Any = importlib.import_module("nbformat")  # partly typed; Any keeps mypy quiet


def runner() -> ModuleType:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        return importlib.import_module("run_notebooks")
    finally:
        sys.path.pop(0)


def text_outputs(cell: Any) -> list[tuple[str, str]]:
    """The outputs a reader sees as text: streams (joined as stored) and text/plain."""
    found: list[tuple[str, str]] = []
    for output in runner().coalesce_streams(copy.deepcopy(cell.get("outputs", []))):
        kind = output["output_type"]
        if kind == "stream":
            found.append((output["name"], output["text"]))
        elif kind in ("execute_result", "display_data"):
            found.append((kind, output["data"].get("text/plain", "")))
        elif kind == "error":
            found.append(("error", f"{output['ename']}: {output['evalue']}"))
    return found


def test_there_are_two_notebooks() -> None:
    assert [p.name for p in NOTEBOOKS] == [
        "app-developer-tour.ipynb",
        "researcher-scenario-study.ipynb",
    ]


def test_the_kernel_runs_in_this_environment() -> None:
    # The python3 kernel spec that ipykernel ships says "python"; jupyter_client runs it
    # with the interpreter of this process, so the notebooks see this venv's packages
    # without any `ipykernel install` step.
    from nbclient import NotebookClient

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)")]
    NotebookClient(notebook, kernel_name=runner().KERNEL, timeout=60).execute()
    assert notebook.cells[0].outputs[0]["text"].strip() == sys.prefix


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_matches_its_stored_outputs(path: Path) -> None:
    stored = nbformat.read(path, as_version=4)
    executed, seconds = runner().execute(path)
    assert len(executed.cells) == len(stored.cells)
    for number, (old, new) in enumerate(zip(stored.cells, executed.cells, strict=True)):
        if new.cell_type != "code":
            continue
        assert all(o["output_type"] != "error" for o in new.outputs), (path.name, number)
        if SKIP_TAG in new.metadata.get("tags", []):
            continue
        assert text_outputs(new) == text_outputs(old), (
            f"{path.name}, cell {number}: the output changed; "
            "refresh it with python scripts/run_notebooks.py"
        )
        assert all(o.get("name") != "stderr" for o in new.outputs), (path.name, number)
    # Not a timing test (benchmarks/ is for that): a study notebook that takes minutes
    # would no longer be one a reader runs to follow along.
    assert seconds < 120, f"{path.name} took {seconds:.0f}s"
