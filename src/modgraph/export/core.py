"""``modgraph export``: the catalogue or one of its profiles, written whole or not at all.

The core export is every triple the query engine holds (asserted + inferred, ontology included;
``--asserted-only`` leaves the inferred ones out), so parsing it back gives the catalogue. A profile
(``--profile NAME``) is the graph of ``profiles/NAME/``. CSV is the module table (the named query
``module-table``): one row per module for spreadsheet users.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from modgraph import queries as _queries
from modgraph.engines import Engine
from modgraph.errors import InputError
from modgraph.export import formats, profiles
from modgraph.formatting import write_atomically
from modgraph.paths import CatalogueRoot
from modgraph.results import render

CSV_QUERY = "module-table"
# Profile -> (the @context its JSON-LD names, the @vocab that context has): schema.org's JSON-LD goes into
# <script type="application/ld+json"> with schema.org's own context, not a file beside it.
EMBEDDED_CONTEXTS = {"schema-org": ("https://schema.org", "http://schema.org/")}
CSV_LISTS = ("frequency", "setting")   # GROUP_CONCAT columns: engines join the parts in any order
CSV_SEPARATOR = " | "
EXPORT_FORMATS = [*formats.FORMATS, "csv", "json"]  # json: the hsds profile only


@dataclass(frozen=True)
class Written:
    """What an export wrote: the file, and how much."""

    path: Path
    what: str       # e.g. "7,723 triples, ttl"


def export_graph(engine: Engine, root: CatalogueRoot, profile: str | None = None, *,
                 timeout: float | None = None) -> Graph:
    """The graph to export: the catalogue as the engine holds it, or the profile's graph."""
    if profile is None:
        return engine.to_graph()
    return profiles.build(engine, root, profile, timeout=timeout)


def write(engine: Engine, root: CatalogueRoot, fmt: str, out: Path, *, profile: str | None = None,
          timeout: float | None = None) -> list[Written]:
    """Export in ``fmt`` to ``out`` (and, for JSON-LD, its context file beside it)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown format '{fmt}' (one of: {', '.join(EXPORT_FORMATS)})", "--format")
    out = Path(out)
    if profile == "hsds":  # JSON or CSV files in a folder, by its own module
        from modgraph.export import hsds

        return hsds.write(engine, root, out, fmt=fmt, timeout=timeout)
    if fmt == "json":
        raise InputError("json is the hsds profile's format: use jsonld for the catalogue", "--format")
    if out.is_dir():
        raise InputError("is a folder: give the file to write", "--out")
    if fmt == "csv":
        if profile not in (None, "csv"):
            raise InputError(f"the profile '{profile}' is RDF: choose an RDF format (one of: "
                             f"{', '.join(formats.FORMATS)})", "--format")
        query = _queries.find(root.queries, CSV_QUERY)
        rows = engine.run(query.text, source=str(query.path), timeout=timeout)
        write_atomically(out, render(_sorted_lists(rows), "csv"), shown=out)
        return [Written(out, f"{len(rows.rows):,} modules, CSV")]
    if profile == "csv":
        raise InputError("the csv profile is the module table: use --format csv", "--profile")
    graph = export_graph(engine, root, profile, timeout=timeout)
    written = []
    if fmt == "jsonld" and profile in EMBEDDED_CONTEXTS:  # JSON-LD a web page embeds as it is
        reference, vocab = EMBEDDED_CONTEXTS[profile]
        write_atomically(out, formats.serialise(graph, fmt, context_reference=reference, vocab=vocab).decode("utf-8"),
                         shown=out)
        return [Written(out, f"{len(graph):,} triples, {fmt} with \"@context\": \"{reference}\"")]
    if fmt == "jsonld":
        context = out.parent / formats.CONTEXT_FILE
        write_atomically(context, json.dumps(formats.context(), indent=2, sort_keys=True) + "\n", shown=context)
        written.append(Written(context, "the JSON-LD context"))
    data = formats.serialise(graph, fmt)
    write_atomically(out, data.decode("utf-8"), shown=out)
    written.insert(0, Written(out, f"{len(graph):,} triples, {fmt}"))
    return written


def _sorted_lists(rows):
    """The module table with the parts of its joined columns sorted, so the file is the same on every engine."""
    from rdflib import Literal

    for row in rows.rows:
        for column in CSV_LISTS:
            if row.get(column) is not None:
                row[column] = Literal(CSV_SEPARATOR.join(sorted(str(row[column]).split(CSV_SEPARATOR))))
    return rows
