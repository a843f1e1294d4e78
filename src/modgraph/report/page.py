"""The report's HTML: one page, its style sheet inline, tables and the note naming each query."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from modgraph.report.runs import QueryRun

CSS = """
:root { --amw: #1f6fb2; --bmw: #d9731a; --ink: #1d2329; --muted: #5b6670; --line: #d8dde2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, 'Segoe UI', Roboto, Arial, sans-serif; color: var(--ink);
       background: #fff; }
header.top { background: #23313f; color: #fff; padding: 1.4rem 2rem 1rem; }
header.top h1 { margin: 0 0 .3rem; font-size: 1.6rem; }
header.top p { margin: .2rem 0; color: #d5dde5; max-width: 70rem; }
header.top a { color: #ffd28a; }
nav.toc { position: sticky; top: 0; z-index: 2; background: #f3f5f7; border-bottom: 1px solid var(--line);
          padding: .5rem 2rem; font-size: .9rem; }
nav.toc a { margin-right: 1.1rem; color: #23313f; text-decoration: none; white-space: nowrap; }
nav.toc a:hover { text-decoration: underline; }
main { padding: 0 2rem 3rem; max-width: 84rem; }
section { border-bottom: 1px solid var(--line); padding: 1.2rem 0 1.6rem; }
section > h2 { font-size: 1.35rem; margin: .4rem 0 .4rem; }
h3 { font-size: 1.05rem; margin: 1.3rem 0 .4rem; }
p.lead { max-width: 60rem; color: #333; margin: .2rem 0 .8rem; }
.source { font-size: .82rem; color: var(--muted); margin: .3rem 0 .9rem; }
.source code { background: #f1f3f5; padding: .05rem .35rem; border-radius: 3px; color: #333; }
table { border-collapse: collapse; margin: .3rem 0 .3rem; font-size: .88rem; width: 100%; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
th { background: #eef1f4; font-weight: 600; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num, th.num { text-align: right; white-space: nowrap; }
.tag { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .78rem; font-weight: 600;
       color: #fff; }
.tag.AMW { background: var(--amw); } .tag.BMW { background: var(--bmw); }
.chip { display: inline-block; margin: .1rem .25rem .1rem 0; padding: 0 .4rem; border-radius: 9px;
        background: #eef1f4; font-size: .8rem; }
ul.mods { margin: 0; padding-left: 1.1rem; }
.inline { display: block; font-size: .82rem; color: #333; }
td.cell { text-align: center; font-size: 1rem; }
section { scroll-margin-top: 2.6rem; }
.empty { color: var(--muted); font-style: italic; }
.figure { overflow-x: auto; margin: .4rem 0; }
.figure svg { max-width: 100%; height: auto; }
details summary { cursor: pointer; color: #23313f; margin: .4rem 0; font-weight: 600; }
.note { font-size: .85rem; color: var(--muted); max-width: 60rem; }
.matrix td.cell { text-align: center; }
.matrix td.cell span { display: inline-block; min-width: 1.6rem; border-radius: 3px; padding: 0 .2rem; }
footer { padding: 1rem 2rem 2rem; color: var(--muted); font-size: .85rem; }
@media print { nav.toc { position: static; } }
"""


@dataclass
class Section:
    """One section of the report: an anchor, a heading, an introduction and its blocks of HTML."""

    anchor: str
    title: str
    lead: str
    blocks: list[str] = field(default_factory=list)


def source_note(*runs: QueryRun, derived: str = "") -> str:
    """The line under a table or chart: which named queries it shows and the commands to rerun them."""
    parts = [f"<code>{escape(run.name)}</code> (<code>{escape(run.command)}</code>)" for run in runs]
    what = "Query" if len(runs) == 1 else "Queries"
    extra = f" {escape(derived)}" if derived else ""
    return f'<p class="source" data-queries="{escape(" ".join(r.name for r in runs))}">{what}: ' \
           f'{"; ".join(parts)}.{extra}</p>'


def tag(werksoort: str) -> str:
    """A coloured AMW/BMW label."""
    return f'<span class="tag {escape(werksoort)}">{escape(werksoort)}</span>'


def items(values: list[str], *, empty: str = "—") -> str:
    """A short list as a bulleted list, or a dash."""
    values = [v for v in values if v]
    if not values:
        return f'<span class="empty">{escape(empty)}</span>'
    return '<ul class="mods">' + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ul>"


def inline(values: list[str], *, empty: str = "—") -> str:
    """A longer list in little space: the items separated by semicolons, in small type."""
    values = [v for v in values if v]
    if not values:
        return f'<span class="empty">{escape(empty)}</span>'
    return '<span class="inline">' + "; ".join(escape(v) for v in values) + "</span>"


def table(headers: list[str], rows: list[list[str]], *, name: str, numeric: set[int] = frozenset(),
          css: str = "") -> str:
    """A table; cells are HTML (escape text first), ``numeric`` the right-aligned columns."""
    head = "".join(f'<th{" class=num" if i in numeric else ""} scope="col">{escape(h)}</th>'
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{cell}</td>'
                                    for i, cell in enumerate(row)) + "</tr>" for row in rows)
    return (f'<table data-table="{escape(name)}"{f" class={css}" if css else ""}><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def figure(svg: str) -> str:
    """A chart or diagram, inline."""
    return f'<div class="figure">{svg}</div>'


def render(sections: list[Section], *, title: str, intro: str, footer: str) -> str:
    """The whole page."""
    toc = "".join(f'<a href="#{s.anchor}">{escape(s.title)}</a>' for s in sections)
    body = "".join(f'<section id="{s.anchor}"><h2>{escape(s.title)}</h2><p class="lead">{s.lead}</p>'
                   + "".join(s.blocks) + "</section>" for s in sections)
    return ("<!DOCTYPE html>\n"
            '<html lang="nl"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            '<meta name="generator" content="modgraph report">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f'<header class="top"><h1>{escape(title)}</h1>{intro}</header>'
            f'<nav class="toc" aria-label="Inhoud">{toc}</nav><main>{body}</main>'
            f"<footer>{footer}</footer></body></html>\n")
