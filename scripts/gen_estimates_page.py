"""Generate the docs page on the estimation layer at build time (run by mkdocs-gen-files).

The page is built from the observed figures and the fitted models, so the error it
prints is the error of the code as it ships: the models, their data (every observed row
with both leave-one-out estimates), the published totals that bind the report, and how
each published total compares with the report's figure.
"""

from __future__ import annotations

import mkdocs_gen_files

from kim.allocation import observed_posts, observed_totals
from kim.components import Component
from kim.estimates import LEVEL, staffing_model
from kim.scenarios import StatewideRun, run_statewide
from kim.territory import embedded_territory


def _source_links(ids: tuple[str, ...]) -> str:
    return ", ".join(f"[{i}](sources.md#{i.replace('.', '')})" for i in ids)


def estimates_page() -> str:
    out = [
        "# Estimates",
        "",
        "Generated from the observed figures and the fitted models at build time. Where no",
        "source states a unit's posts, the statewide report estimates them with",
        "`kim.estimates` and shows every estimate with an",
        f"{int(LEVEL * 100)} % interval. Published figures come first: a unit's observed",
        "posts are used as they are, and its published totals bind its estimated figures.",
        "",
        "## Error of the models",
        "",
        "Leave-one-out: each observed row is left out in turn, the model is fitted to the",
        "others and predicts the row left out. The population-share estimate (the unit's",
        "share of the residents times the observed units' posts per resident in that year)",
        "is measured on the same rows.",
        "",
        "| Baustein | rows | model MAE | model RMSE | population share MAE "
        "| population share RMSE |",
        "|---|---|---|---|---|---|",
    ]
    models = {c: staffing_model(c) for c in Component}
    for c, m in models.items():
        out.append(
            f"| {c.value} | {m.loo.rows} | {m.loo.mae} | {m.loo.rmse} "
            f"| {m.baseline.mae} | {m.baseline.rmse} |"
        )
    out += [
        "",
        "Errors are in posts (full-time equivalents), leave-one-out; each model's formula is",
        "in its section below.",
        "",
    ]
    for c, m in models.items():
        out += [f"## Baustein {c.value}: {c.label_en}", "", f"`{m.formula}`", ""]
        if m.coefficients:
            fitted = ", ".join(f"{k} = {v:.3f}" for k, v in m.coefficients.items())
            out += [f"Fitted on all {m.loo.rows} rows: {fitted}.", ""]
        out += [
            f"Interval: point {m.residual_low:+.2f} to {m.residual_high:+.2f} posts (the 10th",
            "and 90th percentiles of the leave-one-out residuals).",
            "",
            "| unit | year | observed | model (left out) | population share (left out) |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| {r.name} | {r.year} | {r.observed.normalize()} | {r.model} | {r.population_share} |"
            for r in m.rows
        ]
        out.append("")
    out += [
        "## Observed posts",
        "",
        "| unit | year | Baustein | posts | status | sources |",
        "|---|---|---|---|---|---|",
    ]
    territory = embedded_territory()
    for r in sorted(observed_posts(), key=lambda r: (r.year, r.unit, r.component)):
        out.append(
            f"| {territory.district(r.unit).name} | {r.year} | {r.component.value} "
            f"| {r.posts.normalize()} | {r.status.value} | {_source_links(r.sources)} |"
        )
    out += [
        "",
        "## Published totals and the report",
        "",
        "A unit's published total binds the report: its estimated figures are scaled so that",
        "they agree with it (a total that covers a component without a figure only caps",
        "them). The last column compares the report's figure for the unit with the total.",
        "",
        "| unit | year | published | status | report (80 % interval) | agrees |",
        "|---|---|---|---|---|---|",
    ]
    notes: dict[tuple[str, ...], int] = {}
    runs: dict[int, StatewideRun] = {}
    for t in sorted(observed_totals(), key=lambda t: (t.year, t.unit)):
        run = runs.setdefault(t.year, run_statewide(t.year))
        unit = next(u for u in run.units if u.key == t.unit)
        point, low, high = unit.figure_for(t.components, t.what)
        if t.what == "grant":
            top = "open" if high is None else f"{high:,.0f}"
            figure = f"{point:,.0f} ({low:,.0f} to {top})"
        else:
            figure = f"{point.normalize()} posts ({low.normalize()} to {high})"
        agrees = unit.agrees_with(t)
        qualifier = {"exact": "", "about": "about ", "at_most": "up to ", "at_least": "at least "}
        value = f"{t.value:,.0f} €" if t.what == "grant" else f"{t.value.normalize()} posts"
        mark = f"[^{notes.setdefault(t.sources, len(notes) + 1)}]" if t.sources else ""
        out.append(
            f"| {territory.district(t.unit).name} | {t.year} "
            f"| {qualifier[t.qualifier.value]}{value}{mark} | {t.status.value} | {figure} "
            f"| {'yes' if agrees else '**no**'} |"
        )
    out.append("")
    out += [f"[^{n}]: Source: {_source_links(ids)}" for ids, n in notes.items()]
    out.append("")
    return "\n".join(out)


with mkdocs_gen_files.open("data/estimates.md", "w") as handle:
    handle.write(estimates_page())
