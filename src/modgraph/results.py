"""Running SPARQL on the catalogue and writing the results.

Row formats (SELECT, ASK): table, csv, tsv, json, markdown. Graph formats (CONSTRUCT, DESCRIBE):
turtle, nt, jsonld. A query runs in a forked worker with a time limit (:mod:`modgraph.limits`); the
answer is read completely inside the worker (rdflib evaluates lazily), so an error raised while the
results are read is reported like any other.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef, Variable

from modgraph.errors import InputError
from modgraph.limits import DEFAULT_QUERY_TIMEOUT, run_bounded
from modgraph.namespaces import BASE, PREFIXES
from modgraph.query_checks import FORMATS, GRAPH_FORMATS, check_format, check_query, parse_checked

__all__ = ["FORMATS", "Rows", "render", "run_sparql", "short"]


@dataclass
class Rows:
    """The answer of a SELECT or ASK query (``boolean`` set for ASK) or a CONSTRUCT graph."""

    variables: list[str]
    rows: list[dict]
    boolean: bool | None = None
    graph: Graph | None = None


def run_sparql(graph: Graph, text: str, bindings: dict | None = None, *, source: str = "query",
               timeout: float | None = DEFAULT_QUERY_TIMEOUT, allow_service: bool = False,
               fmt: str | None = None) -> Rows:
    """Run ``text`` on ``graph`` with ``bindings`` (variable name -> RDF term) as initial bindings.

    In a worker process stopped after ``timeout`` seconds, the query is checked (syntax, nesting,
    ``SERVICE`` unless ``allow_service``, ``fmt`` against the query form), parsed once and
    evaluated. Every problem is an InputError located at ``source``.
    """
    if not isinstance(text, str):
        check_query(text, source)  # the clear error, without starting a worker
    if fmt is not None and fmt not in FORMATS:
        check_format("SELECT", fmt)
    # Parsing is part of the bounded work: rdflib takes up to a second for a long query, and once is enough.
    answer = run_bounded(_evaluate, graph, text, bindings or {}, source, allow_service, fmt, timeout=timeout,
                         what="the query", where=source)
    if isinstance(answer, list):  # CONSTRUCT or DESCRIBE: the triples
        return graph_rows(answer)
    return answer


def graph_rows(triples) -> Rows:
    """The answer of a CONSTRUCT or DESCRIBE query: ``triples`` as a graph with the catalogue's prefixes."""
    result = Graph()
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace, override=True)
    for triple in triples:
        result.add(triple)
    return Rows(variables=[], rows=[], graph=result)


def _evaluate(graph: Graph, text: str, bindings: dict, source: str, allow_service: bool, fmt: str | None):
    """In the worker: check and parse the query, then the complete answer (rdflib evaluates while the
    result is read, so read it all here)."""
    from rdflib.plugins.sparql.algebra import translateQuery  # imported here: seconds of CPU for every CLI start

    tree, form = parse_checked(text, source, allow_service=allow_service)
    if fmt is not None:
        check_format(form, fmt)
    try:
        query = translateQuery(tree, None, dict(graph.namespaces()))
        result = graph.query(query, initBindings={Variable(k): v for k, v in bindings.items()})
        if result.type == "ASK":
            return Rows(variables=[], rows=[], boolean=bool(result.askAnswer))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return list(result.graph)
        variables = [str(v) for v in result.vars]
        rows = [{str(v): row[v] for v in result.vars if row[v] is not None} for row in result]
        return Rows(variables=variables, rows=rows)
    except RecursionError:
        raise InputError("the query is nested too deeply to evaluate", source) from None
    except Exception as exc:  # rdflib raises many types (plain Exception too) while evaluating
        message = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(f"the query failed: {message}", source) from None


def short(term) -> str:
    """A readable form of a term: relative catalogue IRIs, prefixed names, plain literal text."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    text = str(term)
    if text.startswith(BASE):
        return text[len(BASE):]
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def _json_term(term) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype:
        out["datatype"] = str(term.datatype)
    return out


def _tsv_term(term) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    return term.n3()


def render(rows: Rows, fmt: str | None = None) -> str:
    """Write ``rows`` in ``fmt``; json is the SPARQL 1.1 Query Results JSON Format.

    ``fmt`` None is ``table`` for rows and ``turtle`` for a graph (``table`` also gives Turtle).
    """
    if rows.graph is not None:
        if fmt in (None, "table", "turtle"):
            return rows.graph.serialize(format="turtle")
        if fmt == "nt":
            lines = sorted(line for line in rows.graph.serialize(format="nt").splitlines() if line.strip())
            return "".join(line + "\n" for line in lines)
        if fmt == "jsonld":
            return rows.graph.serialize(format="json-ld", indent=2) + "\n"
        check_format("CONSTRUCT", fmt)
    fmt = fmt or "table"
    if fmt in GRAPH_FORMATS:
        check_format("ASK" if rows.boolean is not None else "SELECT", fmt)
    if rows.boolean is not None:
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": rows.boolean}, indent=2)
        return "true" if rows.boolean else "false"
    if fmt == "json":
        body = {"head": {"vars": rows.variables},
                "results": {"bindings": [{v: _json_term(r[v]) for v in rows.variables if v in r} for r in rows.rows]}}
        return json.dumps(body, indent=2, ensure_ascii=False)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(rows.variables)
        for row in rows.rows:
            writer.writerow([str(row.get(v, "")) if row.get(v) is not None else "" for v in rows.variables])
        return buffer.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in rows.variables)]
        lines += ["\t".join(_tsv_term(row.get(v)) for v in rows.variables) for row in rows.rows]
        return "\n".join(lines) + "\n"
    cells = [[short(row.get(v)) for v in rows.variables] for row in rows.rows]
    if fmt == "markdown":
        def esc(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")
        lines = ["| " + " | ".join(rows.variables) + " |", "|" + "---|" * len(rows.variables)]
        lines += ["| " + " | ".join(esc(c) for c in cell) + " |" for cell in cells]
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise InputError(f"unknown format '{fmt}' (one of: {', '.join(FORMATS)})", "--format")
    widths = [min(60, max([len(v)] + [len(c[i].replace("\n", " ")) for c in cells])) for i, v in enumerate(rows.variables)]

    def line(values: list[str]) -> str:
        parts = []
        for value, width in zip(values, widths):
            value = value.replace("\n", " ")
            parts.append((value if len(value) <= width else value[: width - 1] + "…").ljust(width))
        return "  ".join(parts).rstrip()

    out = [line(rows.variables), line(["-" * w for w in widths])]
    out += [line(c) for c in cells]
    out.append(f"({len(rows.rows)} row{'s' if len(rows.rows) != 1 else ''})")
    return "\n".join(out) + "\n"
