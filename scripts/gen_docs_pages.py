"""Generate the data pages of the docs at build time (run by mkdocs-gen-files).

The pages come from the embedded data, so they cannot drift from it: every parameter's
timeline with status and source links, the coverage per year, and the source list.
"""

from __future__ import annotations

import mkdocs_gen_files

from kim.parameters import coverage, embedded_parameters, format_quantity
from kim.sources import embedded_sources
from kim.territory import embedded_territory

STATUS_MARK = {
    "confirmed": "**confirmed**",
    "derived": "derived",
    "inferred": "*inferred*",
    "supplied": "*supplied*",
    "partial": "partial",
    "missing": "— missing",
}


def _source_links(ids: tuple[str, ...]) -> str:
    sources = embedded_sources()
    return ", ".join(f"[{i}](sources.md#{i.replace('.', '')})" for i in ids if i in sources)


class Footnotes:
    """Sources of a table's cells as numbered footnotes, so the table stays narrow."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str, ...], int] = {}

    def mark(self, ids: tuple[str, ...]) -> str:
        """The footnote reference for a cell resting on ``ids`` ('' for none)."""
        if not ids:
            return ""
        number = self.numbers.setdefault(ids, len(self.numbers) + 1)
        return f"[^{number}]"

    def definitions(self) -> list[str]:
        """The footnote texts (Markdown), to put after the table."""
        return [f"[^{n}]: Source: {_source_links(ids)}" for ids, n in self.numbers.items()]


def _breakable(name: str) -> str:
    """A long identifier that may wrap after its underscores."""
    return name.replace("_", "_<wbr>")


def _years(years: list[int]) -> str:
    """Years as short ranges: 2020, 2022–2025."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def parameters_page() -> str:
    params = embedded_parameters()
    out = [
        "# Parameters",
        "",
        "Generated from the parameter files at build time. Each value holds from its start",
        "to its end date (an open end runs until the next value). Dates outside every range",
        "have **no value**: asking for one raises `MissingValueError`.",
        "",
    ]
    for p in params.values():
        out += [f"## {p.name.en} {{#{p.id}}}", "", f"`{p.id}` · *{p.name.de}*", ""]
        out += [p.description.en, ""]
        meta = f"Unit: {p.unit.value}; per: {p.reference_period.value}"
        if p.component:
            meta += f"; component: {p.component}"
        if p.scope:
            meta += f"; holds for unit {p.scope} only"
        out += [
            meta,
            "",
            "| from | to | value | status | sources | note |",
            "|---|---|---|---|---|---|",
        ]
        for v in p.values:
            end = p.effective_end(v)
            value = format_quantity(v.value, p.unit)
            if v.qualifier.value == "at_most":
                value = f"up to {value}"
            elif v.qualifier.value == "at_least":
                value = f"at least {value}"
            note = (v.note or "").replace("|", "\\|")
            out.append(
                f"| {v.start.isoformat()} | {end.isoformat() if end else 'open'} | {value} | "
                f"{STATUS_MARK[v.status.value]} | {_source_links(v.sources)} | {note} |"
            )
        out.append("")
    return "\n".join(out)


def coverage_page() -> str:
    cov = coverage()
    order = ["confirmed", "derived", "inferred", "supplied", "partial", "missing"]
    used = [st for st in order if any(st == v.value for r in cov.rows for v in r.years.values())]
    out = [
        "# Coverage",
        "",
        f"What the embedded data knows, per parameter, for the years {_years(list(cov.years))}",
        "(generated at build time): each row lists the years by the status of their value.",
        "`missing` means no source gives a value: the library raises an error rather than",
        "guess, and you can supply the value yourself.",
        "",
        "| parameter | " + " | ".join(STATUS_MARK[st] for st in used) + " |",
        "|---|" + "---|" * len(used),
    ]
    for row in cov.rows:
        cells = []
        for st in used:
            years = [y for y in cov.years if row.years[y].value == st]
            cells.append(_years(years) if years else "")
        link = f"[{_breakable(row.parameter)}](parameters.md#{row.parameter})"
        out.append(f"| {link} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def sources_page() -> str:
    out = [
        "# Sources",
        "",
        "Every document the library cites, with a stable id (generated from",
        "`src/kim/data/sources.yaml`). Empty fields were not readable in the source.",
        "",
    ]
    for s in embedded_sources().values():
        out += [f"## `{s.id}` {{#{s.id.replace('.', '')}}}", "", f"**{s.title_de}**", ""]
        facts = [
            ("Kind", s.kind.value),
            ("Issuer", s.issuer),
            ("Date", s.date.strftime("%d.%m.%Y") if s.date else None),
            ("Section", s.section),
            ("Citation", s.citation),
            ("Link", f"<{s.url}>" if s.url else None),
        ]
        out += [f"- {k}: {v}" for k, v in facts if v]
        if s.note:
            out += ["", s.note]
        out.append("")
    return "\n".join(out)


def districts_page() -> str:
    territory = embedded_territory()
    out = [
        "# The 54 KIM units",
        "",
        "Generated from `src/kim/territory/data/units.csv` at build time. Population: Zensus",
        "2022 (reference date 15.05.2022) for all 54; *derived* figures are sums of the",
        "municipalities of the official table. The city of Aachen is part of the",
        "Städteregion Aachen, whose figure includes it: the state total counts it once",
        f"(**{territory.state_population():,}** residents).",
        "",
        "The sources of the figures are the numbered notes at the end of the page.",
        "",
        "| key | name | type | Regierungsbezirk | population | status |",
        "|---|---|---|---|---:|---|",
    ]
    notes = Footnotes()
    for d in territory.districts():
        p = d.population
        out.append(
            f"| `{d.key}` | {d.name} | {d.type.label_de} | {d.regierungsbezirk.value} | "
            f"{p.value:,} | {p.status.value}{notes.mark(p.sources)} |"
        )
    out += [
        "",
        "## Municipalities within a Kreis",
        "",
        "The municipalities the sources name, with the facts KIM's rules use (a date",
        "means the fact is known only until then).",
        "",
        "| municipality (AGS) | Kreis | Ausländer&shy;behörde | Einbürgerungs&shy;behörde "
        "| Jugend&shy;amt | Integrations&shy;rat |",
        "|---|---|---|---|---|---|",
    ]
    marks = {True: "yes", False: "no", None: "unknown"}
    for m in territory.municipalities():
        cells = []
        for fact in (
            m.auslaenderbehoerde,
            m.einbuergerungsbehoerde,
            m.jugendamt,
            m.integrationsrat,
        ):
            cell = marks[fact.value]
            if fact.until:
                cell += f" (to {fact.until.isoformat()})"
            if fact.status is not None and fact.status.value == "inferred":
                cell += " inferred"
            cells.append(f"{cell}{notes.mark(fact.sources)}")
        parent = territory.parent_of(m)
        out.append(f"| {m.name}<br>`{m.ags}` | {parent.name} | " + " | ".join(cells) + " |")
    out += ["", *notes.definitions()]
    return "\n".join(out) + "\n"


for name, build in {
    "data/districts.md": districts_page,
    "data/parameters.md": parameters_page,
    "data/coverage.md": coverage_page,
    "data/sources.md": sources_page,
}.items():
    with mkdocs_gen_files.open(name, "w") as handle:
        handle.write(build())
