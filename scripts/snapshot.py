"""Write the stored report of ``kim report`` (``src/kim/data/report_snapshot.json``).

Run it after any change under ``src/kim`` (``python scripts/snapshot.py``), and commit
the file with the change: ``tests/scenarios/test_report_snapshot.py`` fails while the
stored report belongs to another state of the package. Without it ``kim report`` still
prints the right text, only computed (see ``kim._snapshot`` and docs/performance.md).
With ``--check`` it writes nothing and exits 1 when the stored report is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "kim"


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(PACKAGE.parent))
    from kim._snapshot import SNAPSHOT, stored_report
    from kim.scenarios._report_text import write_snapshot

    if stored_report(PACKAGE) is not None:
        print(f"{SNAPSHOT} is up to date")
        return 0
    if "--check" in argv:
        print(f"{SNAPSHOT} is out of date: run python scripts/snapshot.py")
        return 1
    path = write_snapshot(PACKAGE)
    print(f"wrote {path.relative_to(PACKAGE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
