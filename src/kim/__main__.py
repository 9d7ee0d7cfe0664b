"""``python -m kim``: the same as the ``kim`` command."""

from kim.cli import main

raise SystemExit(main())
