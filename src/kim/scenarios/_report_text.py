"""What ``kim report`` prints, in two steps: a document of plain strings, then its layout.

`document()` turns a statewide run into the header, legend, table rows and paragraphs of
the text report, in one language, all of them plain strings. `layout()` fits that
document to a width: the table through ``kim._render.render``, the paragraphs wrapped.
Between the two steps the document can be stored as JSON: `snapshot()` stores it, with
the JSON and CSV texts, for ``kim report`` on the embedded data (see ``kim._snapshot``),
and `from_stored()` prints from the store with the same `layout()` as a computed run.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, TypedDict

from kim._i18n import Lang, amount
from kim._render import render

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from kim.scenarios.results import StatewideRun

__all__ = ["ReportDocument", "document", "from_stored", "layout", "snapshot", "write_snapshot"]


class ReportDocument(TypedDict):
    """The text report as plain strings, before it is fitted to a width."""

    lang: Lang
    header: str
    legend: str
    columns: list[str]
    rows: list[dict[str, str]]
    prose: list[str]
    tail: list[str]


_COMPACT = ["name", "total", "80 %", "status"]


def document(
    run: StatewideRun, lang: Lang, *, wide: bool, tail: list[str] | None = None
) -> ReportDocument:
    """The text report of ``run``: the wide table (every component) or the compact one.

    Args:
        run: the statewide run.
        lang: the language of the words around the figures.
        wide: one column per component with intervals and published totals, instead of
            one total per unit.
        tail: lines printed after the paragraphs as they are (supplied values, a plot).

    """
    from kim.components import Component

    de = lang == "de"
    rows = _wide_rows(run, lang) if wide else _compact(run, lang)
    named = (", Szenario " if de else ", scenario ") + run.scenario if run.scenario else ""
    header = ("KIM landesweit " if de else "KIM statewide run ") + f"{run.year}{named}"
    prose = [
        *(f"B{c.value}: {run.breakdown[c].describe()}" for c in Component),
        ("insgesamt: " if de else "all: ") + run.overall.describe(),
        run.budget_note,
        ("Abdeckung: " if de else "Coverage: ") + run.coverage_note(),
        _STATUS[lang],
    ]
    if run.to_supply:
        prose.append(
            f"No value for {run.year}: {', '.join(run.to_supply)}. Supply them with --set or "
            "in a scenario file (kim report --scenario FILE) to price the missing figures."
        )
    prose += [f"{u.name}: {u.note}." for u in run.units if u.note]
    return ReportDocument(
        lang=lang,
        header=header,
        legend=(_WIDE_LEGEND if wide else _LEGEND)[lang],
        columns=list(rows[0]) if wide else list(_COMPACT),
        rows=rows,
        prose=prose,
        tail=list(tail or ()),
    )


def layout(doc: ReportDocument, width: int | None) -> str:
    """The report text of ``doc``: the table fitted to ``width``, the paragraphs wrapped.

    Args:
        doc: the document from `document()` or from the stored report.
        width: the width to fit, or None for full-width tables and unwrapped paragraphs.

    """
    lang = doc["lang"]
    table = render(doc["rows"], doc["columns"], "table", lang=lang, width=width, currency=False)
    legend, prose = doc["legend"], doc["prose"]
    if width is not None:
        legend = textwrap.fill(legend, width)
        prose = [textwrap.fill(p, width, subsequent_indent="  ") for p in prose]
    totals = "Summen:" if lang == "de" else "Totals:"
    return "\n".join([doc["header"], "", legend, "", table, "", totals, *prose, *doc["tail"]])


def from_stored(stored: dict[str, Any], fmt: str, lang: Lang, width: int | None) -> str:
    """What ``kim report`` prints, taken from the stored report of `snapshot()`.

    Args:
        stored: the stored report (``kim._snapshot.stored_report()``).
        fmt: ``table``, ``csv`` or ``json``.
        lang: the language of the table.
        width: the width of the table, None for ``--wide``.

    """
    if fmt in ("json", "csv"):
        return "\n".join(stored[fmt])
    doc: ReportDocument = stored["table"][lang]["compact" if width is not None else "wide"]
    return layout(doc, width)


def snapshot(key: str) -> dict[str, Any]:
    """The stored report of the embedded data: ``kim report`` with no option but the format.

    Args:
        key: the package key it is valid for (``kim._snapshot.package_key()``).

    """
    from kim._snapshot import FORMAT
    from kim.scenarios.statewide import run_statewide

    run = run_statewide()
    langs: tuple[Lang, ...] = ("de", "en")
    return {
        "format": FORMAT,
        "key": key,
        "year": run.year,
        "table": {
            lang: {
                "compact": document(run, lang, wide=False),
                "wide": document(run, lang, wide=True),
            }
            for lang in langs
        },
        # Texts as lists of lines: a changed figure is one changed line in a diff.
        "csv": run.to_csv().rstrip("\n").split("\n"),
        "json": run.to_json().split("\n"),
    }


def write_snapshot(package: Path | None = None) -> Path:
    """Compute the stored report for the package as it is now and write it atomically.

    Args:
        package: the package folder; by default the installed ``kim``.

    Returns:
        The snapshot file written.

    """
    import json
    from pathlib import Path

    from kim._io import write_atomic
    from kim._snapshot import SNAPSHOT, package_folder, package_key

    root = Path(package_folder() if package is None else package)
    key = package_key(root)
    if key is None:
        raise ValueError(f"{root} is not a package folder")
    path = root / SNAPSHOT
    text = json.dumps(snapshot(key), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    write_atomic(path, text.encode("utf-8"), "snapshot")
    return path


_LEGEND: dict[Lang, str] = {
    "de": "Summe je Einheit in €; ~: geschätzt, daneben das 80-%-Intervall; missing: keine "
    "Zahl berechenbar. Jeder Baustein mit Intervall und Quelle: --wide.",
    "en": "Total per unit in EUR; ~: estimated, with its 80 % interval beside it; "
    "missing: no figure can be computed. Every component with its interval and "
    "source: --wide.",
}
_WIDE_LEGEND: dict[Lang, str] = {
    "de": "Tausend Euro. ~x [a-b]: eine Schätzung (Stellen geschätzt) mit ihrem "
    "80-%-Intervall; missing: keine Zahl berechenbar; published: die eigene Summe "
    "der Einheit für das Jahr.",
    "en": "Thousand euros. ~x [a-b]: an estimate (staffing estimated) with its 80 % "
    "interval; missing: no figure can be computed; published: the unit's own total "
    "for the year.",
}
_STATUS: dict[Lang, str] = {
    "de": "Status: bestätigt / abgeleitet / gefolgert stammen aus den Quellen; vorgegebene "
    "Werte aus dem Szenario; geschätzte Stellen aus kim.estimates (Doku-Seite "
    "'Estimates'); fehlenden Zahlen fehlt eine bekannte Pauschale: mit --set oder "
    "--scenario vorgeben.",
    "en": "Status: confirmed / derived / inferred come from the sources; supplied values "
    "from the scenario; estimated staffing from kim.estimates (see the docs page "
    "'Estimates'); missing figures have no known flat rate: supply one with --set or "
    "--scenario.",
}


def _wide_rows(run: StatewideRun, lang: Lang) -> list[dict[str, str]]:
    """One row per unit with every component, then its towns' Baustein 3 rows."""
    from kim.components import Component

    rows: list[dict[str, str]] = []
    towns = run.towns_by_kreis()
    for u in run.units:
        row: dict[str, str] = {"key": u.key, "name": u.name}
        for c in Component:
            row[f"B{c.value}"] = _cell(u.components[c], lang)
        high = "open" if u.total_high is None else _k(u.total_high, lang)
        row["total"] = _k(u.total, lang) + (
            f" [{_k(u.total_low, lang)}-{high}]" if u.total_low != u.total_high else ""
        )
        if all(f.grant is None for f in u.components.values()):
            row["total"] = "missing"
        row["status"] = u.status.value
        row["published"] = "; ".join(_published(t) for t in u.published)
        rows.append(row)
        for town in towns.get(u.key, ()):
            rows.append(_town_wide(town, lang))
    return rows


def _compact(run: StatewideRun, lang: Lang) -> list[dict[str, str]]:
    """One short row per unit: its total in full euros, the 80 % interval, the status.

    The per-component figures with their intervals are in ``--wide`` and in the totals
    below the table; an estimated total starts with ``~``.
    """
    rows = []
    towns = run.towns_by_kreis()
    for u in run.units:
        if all(f.grant is None for f in u.components.values()):
            total, interval = "missing", ""
        else:
            estimated = any(f.estimated for f in u.components.values())
            total = ("~" if estimated else "") + amount(u.total, lang, currency=False)
            interval = ""
            if u.total_low != u.total_high:
                interval = _span(u.total_low, u.total_high, lang)
        name = u.name if len(u.name) <= 24 else u.name[:23] + "…"
        rows.append({"name": name, "total": total, "80 %": interval, "status": u.status.value})
        for town in towns.get(u.key, ()):
            estimated = town.status.value == "estimated"
            rows.append(
                {
                    "name": _town_name(town.name, 24),
                    "total": ("~" if estimated else "") + amount(town.grant, lang, currency=False),
                    "80 %": _span(town.grant_low, town.grant_high, lang) if estimated else "",
                    "status": town.status.value,
                }
            )
    return rows


def _span(low: Any, high: Any, lang: str) -> str:
    """An 80 % interval in full euros, ``open`` at the top when ``high`` is None."""
    top = "open" if high is None else f"{high.amount:,.0f}"
    text = f"{low.amount:,.0f}-{top}"
    return text.replace(",", ".") if lang == "de" else text


def _town_name(name: str, width: int | None = None) -> str:
    """A town's own Baustein 3 row, indented under its Kreis: ``↳ Bocholt (B3)``."""
    text = f"↳ {name} (B3)"
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def _town_wide(town: Any, lang: str) -> dict[str, str]:
    """A town's row in the wide table: only Baustein 3 and the total are filled."""
    grant = _k(town.grant, lang)
    if town.status.value == "estimated":
        grant = f"~{grant} [{_k(town.grant_low, lang)}-{_k(town.grant_high, lang)}]"
    return {
        "key": town.ags,
        "name": _town_name(town.name),
        "B1": "",
        "B2": "",
        "B3": grant,
        "total": grant,
        "status": town.status.value,
        "published": "",
    }


def _k(amount: Any, lang: str = "en") -> str:
    text = f"{amount.amount / 1000:,.1f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "de" else text


def _cell(figure: Any, lang: str = "en") -> str:
    if figure.grant is None:
        fte = sum(figure.staffing.values())
        if not fte:
            return "missing"
        return f"missing ({'~' if figure.fte_low is not None else ''}{fte.normalize()} posts)"
    if figure.estimated and figure.grant_low is not None and figure.grant_high is not None:
        low, high = _k(figure.grant_low, lang), _k(figure.grant_high, lang)
        return f"~{_k(figure.grant, lang)} [{low}-{high}]"
    return _k(figure.grant, lang)


def _published(total: Any) -> str:
    words = {"exact": "", "about": "~", "at_most": "<=", "at_least": ">="}
    value = f"{total.value / 1000:,.1f}" if total.what == "grant" else f"{total.value} posts"
    return words[total.qualifier.value] + value
