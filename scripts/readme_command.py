"""Print one of the README's two set-up commands, so CI runs them exactly as written.

Usage: ``python3 scripts/readme_command.py run|test``. The commands are the fenced
blocks that follow a ``<!-- readme-command: NAME -->`` marker in README.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
PATTERN = re.compile(r"<!-- readme-command: (\w+) -->\s*```sh\n(.+?)\n```", re.S)


def commands(text: str) -> dict[str, str]:
    """The marked commands of a README text, by name."""
    return {name: body.strip() for name, body in PATTERN.findall(text)}


def main(argv: list[str]) -> int:
    found = commands(README.read_text(encoding="utf-8"))
    if len(argv) != 2 or argv[1] not in found:
        print(f"usage: readme_command.py {'|'.join(found)}", file=sys.stderr)
        return 2
    print(found[argv[1]])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
