"""The werksoort comparison report: one self-contained HTML page built from named queries only.

``modgraph report --out DIR`` writes ``DIR/index.html``: its style sheet inline, charts as inline
SVG (:mod:`modgraph.report.charts`), the pathway diagram inline when Graphviz is installed, and no
reference to anything on the network. Every table and chart names the query behind it and the
command that reruns it. The ontology documentation (:mod:`modgraph.docs`) is written beside it in
the same folder, ``DIR/ontology.html``, and linked from the page.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from modgraph.engines import Engine
from modgraph.errors import InputError
from modgraph.paths import CatalogueRoot
from modgraph.report import page, sections
from modgraph.report.runs import Runner

REPORT_FILE = "index.html"
DOCS_FILE = "ontology.html"  # the ontology documentation, in the report's folder so the link always works
DOCS_LINK = DOCS_FILE


def build(engine: Engine, root: CatalogueRoot, *, timeout: float | None = None,
          docs_link: str | None = DOCS_LINK) -> str:
    """The report's HTML text."""
    runner = Runner(engine, root, timeout=timeout)
    diagram_svg, why_not = _diagram(runner)
    parts = [sections.functions(runner), sections.overlap(runner), sections.intensity(runner),
             sections.target_groups(runner), sections.partners(runner), sections.preconditions(runner),
             sections.pathways(runner, diagram_svg, why_not)]
    modules = runner.run("module-table").rows
    count = {w: sum(1 for r in modules if r["werksoort"] == w) for w in sections.WERKSOORTEN}
    docs = (f' De begrippen (klassen en relaties) staan in de <a href="{escape(docs_link)}">documentatie van de '
            "ontologie</a>.") if docs_link else ""
    intro = (f"<p>Vergelijking van het arbeidsrelevante aanbod van het algemeen maatschappelijk werk (AMW, deel 2b: "
             f"{count['AMW']} modulen) en het bedrijfsmaatschappelijk werk (BMW, deel 2a: {count['BMW']} modulen), "
             "zoals de NIZW-documenten het beschrijven. Elke tabel en grafiek noemt de benoemde query erachter en "
             f"het commando om haar opnieuw uit te voeren.{docs}</p>")
    names = sorted({run.name for run in runner.runs})
    footer = (f"Gemaakt met modgraph report uit de benoemde queries {', '.join(names)} "
              "(queries/*.rq; <code>modgraph query --list</code>).")
    return page.render(parts, title="AMW en BMW vergeleken", intro=intro, footer=footer)


def _diagram(runner: Runner) -> tuple[str | None, str]:
    """The pathway diagram as inline SVG, or None and why (Graphviz missing)."""
    from modgraph import diagram

    try:
        svg = diagram.render_svg(diagram.dot_text(runner.run("sequencing-steps").rows,
                                                  title="Trajecten in AMW en BMW"))
    except InputError as exc:
        return None, exc.message if hasattr(exc, "message") else str(exc)
    return diagram.inline_svg(svg), ""


def write(engine: Engine, root: CatalogueRoot, out: Path, *, timeout: float | None = None,
          docs_link: str | None = DOCS_LINK) -> Path:
    """Build the report and write it into the folder ``out`` whole (or leave ``out`` as it was);
    the path of its index.html."""
    from modgraph.folders import check_replaceable, write_folder

    from modgraph import docs

    out = Path(out)
    check_replaceable(out, {REPORT_FILE, DOCS_FILE}, "report")  # before any query: a refusal costs nothing
    text = build(engine, root, timeout=timeout, docs_link=docs_link)
    files = {REPORT_FILE: text.encode("utf-8"), DOCS_FILE: docs.html(root).encode("utf-8")}
    write_folder(out, files, "report", known={REPORT_FILE, DOCS_FILE})
    return out / REPORT_FILE
