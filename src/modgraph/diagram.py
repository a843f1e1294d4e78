"""The pathway diagram: the documents' sequencing steps as a directed graph drawn by Graphviz.

The steps come from the named query ``sequencing-steps``; this module writes them as DOT text and
has Graphviz's ``dot`` lay them out as SVG. ``dot`` is called directly (the PyPI ``graphviz``
package would only wrap the same call and add a dependency); a missing ``dot`` is an InputError.
Nodes are coloured by werksoort, edge styles tell the kinds of step apart, and a step between AMW
and BMW is drawn red and thick.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

from modgraph.errors import InputError

MG = "https://w3id.org/modgraph/def#"
KINDS = {  # relation (short form) -> (legend label, DOT edge attributes)
    "mg:canBeFollowedBy": ("kan gevolgd worden door", 'style="solid" color="#333333"'),
    "mg:usuallyFollowedBy": ("wordt gewoonlijk gevolgd door", 'style="bold" penwidth="2.6" color="#111111"'),
    "mg:leadsTo": ("kan leiden tot", 'style="dashed" color="#333333"'),
    "mg:refersTo": ("verwijst naar", 'style="dotted" penwidth="1.8" color="#333333"'),
    "mg:requiresPriorModule": ("gaat vooraf (vereist: ‘aan deze module gaat een intake vooraf’)",
                               'style="solid" color="#555555:#555555" arrowhead="empty"'),
}
CROSS = 'color="#c0392b" fontcolor="#c0392b" penwidth="2.4"'
FILL = {"AMW": ("#dbe9f6", "#1f6fb2"), "BMW": ("#fbe6d2", "#d9731a")}
WERKSOORTEN = {"amw": "AMW", "bmw": "BMW"}


def check_werksoort(value: str | None) -> str | None:
    """``--werksoort`` as the query's slug (amw, bmw); anything else is an InputError."""
    if value is None:
        return None
    slug = value.strip().lower()
    if slug not in WERKSOORTEN:
        raise InputError(f"unknown werksoort '{value[:40]}' (AMW or BMW)", "--werksoort")
    return slug


def find_dot() -> str:
    """The path of Graphviz's ``dot``; an InputError saying how to install it when it is missing."""
    dot = shutil.which("dot")
    if dot is None:
        raise InputError("Graphviz's `dot` is not installed or not on PATH (Debian/Ubuntu: apt-get install "
                         "graphviz)", "diagram")
    return dot


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrap(text: str, width: int = 28) -> str:
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def neighbourhood(rows: list[dict], module: str) -> list[dict]:
    """The steps around ``module``: into it, and everything reachable from it along the steps."""
    out = defaultdict(list)
    for row in rows:
        out[row["from"]].append(row)
    keep = [r for r in rows if r["to"] == module]
    seen, todo = {module}, [module]
    while todo:
        for row in out[todo.pop()]:
            keep.append(row)
            if row["to"] not in seen:
                seen.add(row["to"])
                todo.append(row["to"])
    return [r for r in rows if any(r is k for k in keep)]


def dot_text(rows: list[dict], *, title: str, highlight: str | None = None) -> str:
    """The DOT source of the diagram for ``sequencing-steps`` rows (Python values, IRIs shortened)."""
    nodes: dict[str, tuple[str, str, bool]] = {}
    edges: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in rows:
        nodes[row["from"]] = (row["fromLabel"], row["fromWerksoort"], bool(row["fromIsModule"]))
        nodes[row["to"]] = (row["toLabel"], row["toWerksoort"], bool(row["toIsModule"]))
        edges[(row["from"], row["to"], row["relation"])].append(row)
    lines = ["digraph pathways {",
             f"  graph [rankdir=LR fontname=\"Helvetica\" fontsize=16 labelloc=t label={_quote(title)} "
             'nodesep=0.25 ranksep=0.7 newrank=true];',
             '  node [fontname="Helvetica" fontsize=11 shape=box style="rounded,filled" penwidth=1.4];',
             '  edge [fontname="Helvetica" fontsize=9 arrowsize=0.8];']
    for werksoort in ("AMW", "BMW"):
        members = sorted(n for n, (_, w, _m) in nodes.items() if w == werksoort)
        if not members:
            continue
        fill, border = FILL[werksoort]
        lines.append(f"  subgraph cluster_{werksoort.lower()} {{")
        lines.append(f'    label={_quote(werksoort)} fontcolor="{border}" color="{border}" style="rounded,dashed";')
        for node in members:
            label, _, is_module = nodes[node]
            shape = "" if is_module else ' shape=ellipse style="filled,bold"'
            width = ' penwidth=3' if node == highlight else ""
            kind = "module" if is_module else "werksoort"
            lines.append(f"    {_quote(node)} [label={_quote(_wrap(label))} fillcolor=\"{fill}\" color=\"{border}\""
                         f"{shape}{width} class=\"{kind} {werksoort}\" tooltip={_quote(label + ' (' + werksoort + ')')}];")
        lines.append("  }")
    for (source, target, relation), stated in sorted(edges.items()):
        label, style = KINDS.get(relation, (relation, 'style="solid"'))
        cross = bool(stated[0]["crossWerksoort"])
        quotes = " | ".join(sorted({f"{r['quote']} (p. {r['page']})" for r in stated}))
        extra = f" {CROSS} label={_quote(_wrap(label, 18))}" if cross else ""
        name = relation.split(":")[-1]
        lines.append(f"  {_quote(source)} -> {_quote(target)} [{style}{extra} class=\"{name}{' cross' if cross else ''}\""
                     f" tooltip={_quote(label + ': ' + quotes)}];")
    lines += _legend(sorted({r["relation"] for r in rows}), any(r["crossWerksoort"] for r in rows))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _legend(relations: list[str], cross: bool) -> list[str]:
    """A legend node: a sample line and the label of each kind of step in the diagram (an HTML-like
    label, so the legend takes one small box instead of a rank of sample edges)."""
    samples = {"mg:canBeFollowedBy": ("#333333", "────"), "mg:usuallyFollowedBy": ("#111111", "━━━━"),
               "mg:leadsTo": ("#333333", "- - - -"), "mg:refersTo": ("#333333", "· · · · ·"),
               "mg:requiresPriorModule": ("#555555", "═══▷")}
    rows = [(samples[r][0], samples[r][1], KINDS[r][0]) for r in relations if r in KINDS]
    if cross:
        rows.append(("#c0392b", "· · · · ·", "tussen AMW en BMW (rood)"))
    cells = "".join(f'<TR><TD ALIGN="LEFT"><FONT COLOR="{colour}"><B>{line}</B></FONT></TD>'
                    f'<TD ALIGN="LEFT">{_html(label)}</TD></TR>' for colour, line, label in rows)
    return [f'  legend [shape=plaintext style="" class="legend" label=<<TABLE BORDER="1" COLOR="#999999" '
            f'CELLBORDER="0" CELLSPACING="2" CELLPADDING="2"><TR><TD COLSPAN="2"><B>Legenda</B></TD></TR>'
            f"{cells}</TABLE>>];"]


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_svg(dot: str, *, timeout: float = 60) -> str:
    """Lay out ``dot`` with Graphviz; the SVG text."""
    try:
        done = subprocess.run([find_dot(), "-Tsvg"], input=dot.encode("utf-8"), capture_output=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise InputError(f"Graphviz did not finish within {timeout:g} s", "diagram") from None
    except OSError as exc:
        raise InputError(f"cannot run Graphviz's dot: {exc.strerror or exc}", "diagram") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(f"Graphviz failed: {message[0] if message else done.returncode}", "diagram")
    return done.stdout.decode("utf-8")


def inline_svg(svg: str) -> str:
    """The SVG without its XML declaration and DOCTYPE, to put inside an HTML page."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def module_iri(rows: list[dict], value: str) -> str:
    """``--module`` (a slug such as amw/intake, a full IRI or an exact title) as the short IRI used in rows
    of module-table; an unknown module is an InputError."""
    from modgraph.namespaces import BASE

    wanted = value.strip()
    for row in rows:
        if wanted in (row["identifier"], row["module"], BASE + row["module"], row["title"]):
            return row["module"]
    raise InputError(f"no module '{wanted[:60]}' (give a slug such as amw/intake, as `modgraph query module-table` "
                     "lists them)", "--module")


def write_svg(out: Path, svg: str) -> None:
    """Write the SVG whole or not at all (an unwritable place is an InputError naming --out)."""
    from modgraph.formatting import write_atomically

    if out.is_dir():
        raise InputError("is a folder: give the .svg file to write", str(out))
    if not out.parent.is_dir():
        raise InputError("cannot write: its folder does not exist", str(out))
    write_atomically(out, svg, shown=out)
