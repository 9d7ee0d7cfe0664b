"""Render rows of plain values as a text table, CSV or JSON (used by the command line).

The text table speaks the language asked for (labels, status words, numbers, dates, see
``kim._i18n``), right-aligns numbers and, given a width, shortens the longest text
column with "…" until every line fits. CSV and JSON stay machine formats.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from kim._i18n import Lang, amount, day, word
from kim._text import csv_cell, safe_text

__all__ = ["FORMATS", "render", "render_for", "text_width"]

FORMATS = ("table", "csv", "json")
"""The output formats every listing command accepts."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def render(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str,
    *,
    lang: Lang = "en",
    width: int | None = None,
    currency: bool = True,
) -> str:
    """Render ``rows`` (dicts) in the column order given, as ``table``, ``csv`` or ``json``.

    Examples:
        >>> from kim.money import Euro
        >>> rows = [{"name": "Kreis Coesfeld", "total": Euro("1026000"), "status": "confirmed"}]
        >>> print(render(rows, ["name", "total", "status"], "table", lang="de"))
        Name                     Summe  Status
        --------------  --------------  ---------
        Kreis Coesfeld  1.026.000,00 €  bestätigt
        >>> print(render(rows, ["name", "total"], "table", width=20))
        name             total
        --------  ------------
        Kreis C…  1,026,000.00

    """
    if fmt == "json":
        return json.dumps(
            [{c: row.get(c) for c in columns} for row in rows],
            indent=2,
            ensure_ascii=False,
            default=str,
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(_text(row.get(c))) for c in columns])
        return buffer.getvalue().rstrip("\n")
    heads = [word(c, lang) for c in columns]
    cells = [
        [safe_text(_cell(row.get(c), lang, currency), limit=1000) for c in columns] for row in rows
    ]
    right = [
        any(_is_number(row.get(c)) for row in rows)
        and not any(isinstance(row.get(c), str) and row.get(c) not in _WORDS for row in rows)
        for c in columns
    ]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(heads)]
    if width is not None:
        _fit(cells, widths, right, heads, width)

    def line(values: Sequence[str]) -> str:
        return "  ".join(
            v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right, strict=True)
        ).rstrip()

    lines = [line(heads), "  ".join("-" * w for w in widths)]
    lines += [line(r) for r in cells]
    return "\n".join(lines)


_WORDS = ("missing", "", None)
"""Words that may stand in a number column (an unknown figure)."""


def _is_number(value: Any) -> bool:
    if isinstance(value, Decimal | int):
        return not isinstance(value, bool)
    # A Euro exists only once kim.money is loaded: looking it up here loads no pydantic
    # for tables of plain text (the stored report of `kim report` prints without it).
    money = sys.modules.get("kim.money")
    return money is not None and isinstance(value, money.Euro)


def _cell(value: Any, lang: Lang, currency: bool = True) -> str:
    if _is_number(value):
        return amount(value, lang, currency)
    if isinstance(value, date):
        return day(value, lang)
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    if isinstance(value, str):
        return word(value, lang)
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v, lang, currency) for v in value)
    return _text(value)


def _fit(
    cells: list[list[str]], widths: list[int], right: list[bool], heads: list[str], width: int
) -> None:
    """Shorten the widest text column (with "…") until a line fits ``width``."""
    while sum(widths) + 2 * (len(widths) - 1) > width:
        text = [i for i, r in enumerate(right) if not r and widths[i] > max(len(heads[i]), 8)]
        if not text:
            return
        i = max(text, key=lambda k: widths[k])
        widths[i] -= 1
        for row in cells:
            if len(row[i]) > widths[i]:
                row[i] = row[i][: widths[i] - 1] + "…"


def render_for(
    args: Any,
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: str | None = None,
    *,
    currency: bool = True,
) -> str:
    """`render` with the language and width a command's ``args`` ask for.

    ``args.lang`` (default English) and ``args.wide`` (no width limit; otherwise the
    terminal's width, 80 columns when it is not known) come from the common options.
    """
    lang: Lang = "de" if getattr(args, "lang", "en") == "de" else "en"
    return render(
        rows, columns, fmt or args.format, lang=lang, width=text_width(args), currency=currency
    )


def text_width(args: Any) -> int | None:
    """The width a command's text must fit: ``None`` with ``--wide``, else the terminal's."""
    if getattr(args, "wide", False):
        return None
    return shutil.get_terminal_size((80, 24)).columns
