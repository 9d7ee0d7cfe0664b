"""Execute the notebooks in docs/notebooks and store their outputs in place.

The documentation shows the stored outputs (mkdocs-jupyter with ``execute: false``), so a
reader sees results without running anything. ``tests/test_notebooks.py`` executes the
notebooks again and checks that every stored text output is still what the code prints.
After changing a notebook or the library, refresh the outputs with::

    .venv/bin/python scripts/run_notebooks.py            # all notebooks
    .venv/bin/python scripts/run_notebooks.py docs/notebooks/app-developer-tour.ipynb

Timing metadata and the Python version are left out of the stored files, so that running
the script twice gives the same bytes unless an output changed.
"""

from __future__ import annotations

import re
import sys
import time
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "docs" / "notebooks"
KERNEL = "python3"
"""The kernel ipykernel installs into every environment (share/jupyter/kernels/python3)."""


def execute(path: Path, timeout: int = 300) -> tuple[Any, float]:
    """Run a notebook top to bottom in a fresh kernel; returns the notebook and seconds.

    The kernel starts in the notebook's folder, as Jupyter does, so relative paths in
    the notebook work the same in both. A cell error raises ``CellExecutionError``.
    """
    nbformat: Any = import_module("nbformat")  # partly typed: Any keeps mypy --strict quiet
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL,
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    return notebook, time.perf_counter() - start


_OVERWRITTEN = re.compile(r"[^\n]*\r(?!\n)")
"""Text that a carriage return later writes over (a progress bar's earlier states)."""


def coalesce_streams(outputs: list[Any]) -> list[Any]:
    """Join consecutive stream outputs of one name and keep only what a terminal shows.

    The kernel sends printed text in chunks whose boundaries depend on timing; joined,
    the outputs are the same on every run. A line redrawn with carriage returns (the
    sweep's progress bar) keeps its last state, as Jupyter displays it.
    """
    joined: list[Any] = []
    for output in outputs:
        last = joined[-1] if joined else None
        if (
            output["output_type"] == "stream"
            and last is not None
            and last["output_type"] == "stream"
            and last["name"] == output["name"]
        ):
            last["text"] += output["text"]
        else:
            joined.append(output)
    for output in joined:
        if output["output_type"] == "stream":
            output["text"] = _OVERWRITTEN.sub("", output["text"])
    return joined


def store(path: Path) -> float:
    """Execute ``path`` and write it back with its outputs; returns the seconds taken."""
    nbformat: Any = import_module("nbformat")
    notebook, seconds = execute(path)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    info = notebook.metadata.get("language_info", {})
    info.pop("version", None)
    nbformat.write(notebook, path)
    return seconds


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        seconds = store(path.resolve())
        print(f"{path.name}: executed and stored in {seconds:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
