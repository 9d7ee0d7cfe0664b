"""Fit the three staffing models ahead of time and store them in the package.

``kim.estimates.staffing_model()`` reads the models from ``src/kim/data/staffing_models.json``
while the fingerprint stored there (the sha256 of every data file the fit reads, and
``kim.estimates.MODEL_FORMAT``) equals the installed data's; otherwise it fits at run
time, which costs a few tenths of a second at every start of ``kim report``. Run this
script after changing the observed posts, the parameter files, the territory files or
the fitting code::

    PYTHONPATH=src python scripts/fit_staffing_models.py          # write the file
    PYTHONPATH=src python scripts/fit_staffing_models.py --check  # exit 1 when stale

The models are fitted by the same ``fit_staffing_model()`` the library runs, so the
stored file holds exactly what a fresh fit gives.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src" / "kim" / "data" / "staffing_models.json"


def main(argv: list[str] | None = None) -> int:
    """Write the stored models (or, with ``--check``, compare them); return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    import kim
    from kim.estimates import staffing_models_json

    if Path(kim.__file__).resolve().parent != TARGET.parent.parent:
        print(f"kim was imported from {kim.__file__}, not from {ROOT / 'src'}", file=sys.stderr)
        return 2
    text = staffing_models_json()
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else None
    if args.check:
        if current != text:
            print(f"{TARGET} is stale: run python scripts/fit_staffing_models.py", file=sys.stderr)
            return 1
        print(f"{TARGET} is up to date")
        return 0
    if current == text:
        print(f"{TARGET} is up to date")
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
