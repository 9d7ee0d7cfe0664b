"""German and English words, numbers and dates for the command line's text output.

The language comes from ``--lang``, else from the ``KIM_LANG`` environment variable, else
from the locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``): German where it starts with
``de``, English otherwise. Machine formats (CSV, JSON) never change with the language.

The German status words are those of the Kurzüberblick (``docs/kurzueberblick.md``).

Examples:
    >>> from decimal import Decimal
    >>> from kim.money import Euro
    >>> amount(Euro("1026000"), "de"), amount(Euro("1026000"), "en")
    ('1.026.000,00 €', '1,026,000.00')
    >>> amount(Decimal("1.5"), "de"), amount(17890489, "de")
    ('1,5', '17.890.489')
    >>> word("confirmed", "de"), word("population", "de"), word("Kreis Unna", "de")
    ('bestätigt', 'Einwohner', 'Kreis Unna')
    >>> default_lang({"KIM_LANG": "de"}), default_lang({"LANG": "de_DE.UTF-8"})
    ('de', 'de')
    >>> default_lang({"LANG": "C.UTF-8"})
    'en'

"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # kim.money loads pydantic: `kim --help` must not
    from kim.money import Euro

__all__ = ["LANGS", "Lang", "amount", "day", "default_lang", "word"]

Lang = Literal["de", "en"]
"""A language of the command line's text output."""

LANGS: tuple[Lang, ...] = ("de", "en")
"""The languages ``--lang`` accepts."""

_GERMAN = {
    # status words (Kurzüberblick)
    "confirmed": "bestätigt",
    "derived": "abgeleitet",
    "inferred": "gefolgert",
    "estimated": "geschätzt",
    "supplied": "vorgegeben",
    "partial": "teilweise",
    "missing": "fehlt",
    "eligible": "förderfähig",
    "not_eligible": "nicht förderfähig",
    "unknown": "nicht entscheidbar",
    "yes": "ja",
    "no": "nein",
    "open": "offen",
    # column labels
    "key": "Schlüssel",
    "name": "Name",
    "type": "Art",
    "regierungsbezirk": "Reg.-Bez.",
    "population": "Einwohner",
    "population_date": "Stand",
    "parameter": "Parameter",
    "value": "Wert",
    "unit": "Einheit",
    "start": "ab",
    "end": "bis",
    "status": "Status",
    "sources": "Quellen",
    "source": "Quelle",
    "title": "Titel",
    "id": "Kennung",
    "kind": "Art",
    "date": "Datum",
    "total": "Summe",
    "weight": "Gewicht",
    "quota": "Quote",
    "share": "Anteil",
    "count": "Anzahl",
    "label": "Merkmal",
    "line": "Zeile",
    "message": "Meldung",
    "kreis": "Kreis",
    "number": "Wert",
    "component": "Baustein",
    "fte": "VZÄ",
    "months": "Monate",
    "rate": "Pauschale",
    "amount": "Betrag",
    "own_share": "Eigenanteil",
    "final_recipient": "Letztempfänger",
    "refused": "abgelehnt",
    "case_management": "Case Management",
    "coordination": "Koordinierung",
    "admin_assistance": "Verwaltungskraft",
    "in_force": "gültig",
    "per": "je",
    "fte_year": "VZÄ und Jahr",
    "half_fte_year": "0,5 VZÄ und Jahr",
    "new_fte": "neue VZÄ",
    "year": "Jahr",
    "FTE": "VZÄ",
    "kreisfreie_stadt": "kreisfreie Stadt",
    "staedteregion": "Städteregion",
}


_ENGLISH = {
    "number": "value",
    "in_force": "in force",
    "regierungsbezirk": "Reg.-Bez.",
    "population_date": "as of",
    "component": "Baustein",
    "not_eligible": "not eligible",
}


def word(text: str, lang: Lang) -> str:
    """``text`` in ``lang``: a known status word or column label, else ``text`` unchanged."""
    return (_GERMAN if lang == "de" else _ENGLISH).get(text, text)


def amount(value: Euro | Decimal | int, lang: Lang, currency: bool = True) -> str:
    """A number as people write it: ``1.026.000,00 €`` / ``1,026,000.00``; ``1,5`` / ``1.5``.

    ``currency=False`` leaves out the German "€" (for a column whose label says €).
    """
    from kim.money import Euro

    if isinstance(value, Euro):
        if lang == "de":
            return value.format_de() if currency else value.format_de().removesuffix(" €")
        return value.format_en().removeprefix("EUR ")
    text = f"{value:,}" if isinstance(value, int) else f"{value:,f}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def day(value: date, lang: Lang) -> str:
    """A date as ``31.12.2023`` (German) or ``2023-12-31``."""
    return value.strftime("%d.%m.%Y") if lang == "de" else value.isoformat()


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The language when ``--lang`` is not given: ``KIM_LANG``, else the locale."""
    env = os.environ if environ is None else environ
    chosen = env.get("KIM_LANG", "").strip().lower()
    if chosen in LANGS:
        return "de" if chosen == "de" else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return "en"
