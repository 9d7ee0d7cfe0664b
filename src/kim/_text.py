"""One escaping rule for text the library prints or exports that came from outside.

Names in scenario files, case-log fields and district names given on the command line
reach terminals, tables, error messages and CSV files. `safe_text()` makes such text
one printable line; `csv_cell()` keeps a spreadsheet from running it as a formula.
"""

from __future__ import annotations

import re

__all__ = ["csv_cell", "safe_text"]

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe_text(value: object, limit: int = 200) -> str:
    r"""``value`` as one line of printable text for a terminal, a table or an error.

    Control characters (ANSI escapes, newlines, carriage returns, bidirectional
    overrides) are shown as ``\xNN`` / ``\uNNNN``, so nothing given can colour the
    terminal or forge a line; text longer than ``limit`` characters is cut with ``…``.

    Examples:
        >>> safe_text("\x1b[31mred\nTOTAL 0")
        '\\x1b[31mred\\nTOTAL 0'
        >>> safe_text("x" * 10, limit=4)
        'xxxx…'

    """
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + "…"
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def csv_cell(value: object) -> object:
    r"""A CSV cell that a spreadsheet shows as text, never runs as a formula.

    A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading apostrophe (the OWASP rule); numbers, including negative ones, are kept.

    Examples:
        >>> csv_cell("=HYPERLINK(\"x\")"), csv_cell("-1.50"), csv_cell(3)
        ('\'=HYPERLINK("x")', '-1.50', 3)

    """
    if not isinstance(value, str) or not value or value[0] not in "=+-@\t\r":
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value
