"""Run the whole check: ruff, ruff format, mypy --strict, lint-imports, pytest, mkdocs,
and the render check of every built page in headless Chromium.

Every step runs even when an earlier one fails; the script exits 1 if any failed. The
render check needs Debian's ``chromium``: it is required when ``CI=true`` and skipped
with a message otherwise when Chromium is not installed.
Usage: ``python scripts/check.py`` from the repository root (inside the venv).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# MkDocs 1.x plugins print a long banner about a future MkDocs 2; it is not a warning of
# the build and would bury the output.
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def main() -> int:
    python = sys.executable
    with tempfile.TemporaryDirectory() as site:
        steps: list[tuple[str, list[str]]] = [
            ("ruff check", [python, "-m", "ruff", "check", "."]),
            ("ruff format", [python, "-m", "ruff", "format", "--check", "."]),
            ("mypy --strict", [python, "-m", "mypy", "--strict"]),
            ("lint-imports", [str(Path(python).parent / "lint-imports"), "--no-cache"]),
            ("pytest", [python, "-m", "pytest"]),
            ("mkdocs build --strict", [python, "-m", "mkdocs", "build", "--strict", "-q",
                                       "--site-dir", site]),
        ]  # fmt: skip
        render = [python, "scripts/render_check.py", "--site", site]
        if os.environ.get("CI") == "true" or shutil.which("chromium"):
            steps.append(("render check (Chromium)", render))
        else:
            print("render check skipped: no chromium on PATH (apt-get install chromium);"
                  " it is required when CI=true")  # fmt: skip
        failed = []
        for name, cmd in steps:
            print(f"\n=== {name} ===", flush=True)
            start = time.perf_counter()
            code = subprocess.call(cmd, cwd=ROOT, env=ENV)
            took = time.perf_counter() - start
            print(f"--- {name}: {'ok' if code == 0 else f'FAILED ({code})'} in {took:.1f}s")
            if code != 0:
                failed.append(name)
    print("\n=== summary ===")
    if failed:
        print("failed: " + ", ".join(failed))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
