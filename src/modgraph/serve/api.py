"""`/api`: every named query as a GET operation, and the OpenAPI 3.0 document generated from the
queries' headers (``#+ summary``, ``#+ description``, ``#+ tags``, ``# Parameters:``, ``# Example:``).

``GET /api/NAME?param=value`` binds the values as the command line does (a module by IRI, slug or
title), writes them into the query as an inline ``VALUES`` block and runs it through the same
protocol front as `/sparql`, so it has the same negotiation, time limit and row cap. A ``format``
parameter (json, xml, csv, tsv; turtle, nt, jsonld, rdfxml) overrides ``Accept`` for a link.
"""

from __future__ import annotations

import re

from modgraph import queries as q
from modgraph.engines.binding import bind_values
from modgraph.queries import NamedQuery, Parameter
from modgraph.serve.pages import RDF_FORMATS

SELECT_TYPES = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"]
SELECT_FORMATS = {"json": SELECT_TYPES[0], "xml": SELECT_TYPES[1], "csv": SELECT_TYPES[2], "tsv": SELECT_TYPES[3]}
GRAPH_FORMATS = {**RDF_FORMATS, "turtle": RDF_FORMATS["ttl"]}  # a page's RDF forms, and `turtle` as `query` names it
GRAPH_TYPES = list(RDF_FORMATS.values())
PROBLEM_TYPE = "text/plain"


def is_graph_query(query: NamedQuery) -> bool:
    """Whether the query answers a graph (CONSTRUCT or DESCRIBE) rather than rows."""
    from modgraph.query_checks import precheck

    return precheck(query.text, query.name) in ("CONSTRUCT", "DESCRIBE")


def formats(query: NamedQuery) -> dict[str, str]:
    """The ``format`` values the query's answer can take (rows or a graph), with their media types."""
    return GRAPH_FORMATS if is_graph_query(query) else SELECT_FORMATS


def bound_text(query: NamedQuery, values: dict[str, str], engine) -> str:
    """The query text with ``values`` checked, resolved on ``engine`` and written in as VALUES."""
    return bind_values(query.text, q.bind(query, values, engine))


def parameter_descriptions(query: NamedQuery) -> dict[str, str]:
    """What the ``# Parameters:`` line says about each parameter, by name."""
    line = next((l[len("# Parameters:"):].strip() for l in query.text.splitlines()
                 if l.startswith("# Parameters:")), "")
    names = [p.name for p in query.parameters]
    out = {}
    for name in names:
        others = "|".join(re.escape(n) for n in names if n != name) or "(?!)"
        match = re.search(rf"\b{re.escape(name)}\b\s*(\([^)]*\))?\s*-?\s*(.*?)(?=;\s*(?:{others})\b|$)", line, re.S)
        if match:
            out[name] = " ".join(f"{match.group(1) or ''} {match.group(2)}".split()).rstrip(";. ")
    return out


def _schema(parameter: Parameter) -> dict:
    if parameter.kind in ("integer", "int", "nonNegativeInteger", "positiveInteger"):
        return {"type": "integer"}
    if parameter.kind in ("decimal", "double", "float"):
        return {"type": "number"}
    if parameter.kind == "boolean":
        return {"type": "string", "enum": ["true", "false"]}
    return {"type": "string", "minLength": 1, "maxLength": q.MAX_PARAMETER_LENGTH}


def openapi(named: dict[str, NamedQuery], version: str) -> dict:
    """The OpenAPI 3.0.3 document of `/api`: one GET operation per named query."""
    paths: dict[str, dict] = {}
    for name in sorted(named):
        query = named[name]
        examples = query.example_params
        described = parameter_descriptions(query)
        parameters = []
        for p in query.parameters:
            entry = {"name": p.name, "in": "query", "required": p.required,
                     "description": described.get(p.name) or p.expects, "schema": _schema(p)}
            if p.name in examples:
                entry["example"] = examples[p.name]
            parameters.append(entry)
        parameters.append({"name": "format", "in": "query", "required": False,
                           "description": "the answer's format, instead of the Accept header",
                           "schema": {"type": "string", "enum": sorted(formats(query))}})
        types = GRAPH_TYPES if is_graph_query(query) else SELECT_TYPES
        ok = {t: {"schema": _results_schema() if t == SELECT_TYPES[0] else {"type": "string"}} for t in types}
        problem = {"description": "", "content": {PROBLEM_TYPE: {"schema": {"type": "string"}}}}
        paths[f"/api/{name}"] = {"get": {
            "operationId": re.sub(r"[^A-Za-z0-9]+", "_", name),
            "summary": query.summary or name,
            "description": (query.description + (f"\n\nExample: `{query.example}`" if query.example else "")).strip(),
            "tags": query.tags or (["quality"] if name.startswith("qc/") else []),
            "parameters": parameters,
            "responses": {
                "200": {"description": "the answer", "content": ok},
                "400": {**problem, "description": "a parameter is missing, unknown or has no match in the "
                                                  "catalogue; or the answer is over the row cap"},
                "406": {**problem, "description": "none of the accepted media types can be given"},
                "503": {**problem, "description": "the query did not finish within the time limit"},
            },
        }}
    return {
        "openapi": "3.0.3",
        "info": {"title": "modgraph named queries", "version": version,
                 "description": "The named SPARQL queries of the modgraph catalogue (Dutch social-work modules, "
                                "AMW and BMW) as GET operations. Each answers as its .rq file does with "
                                "`modgraph query NAME`; the query text is at /api/NAME.rq."},
        "paths": paths,
    }


def _results_schema() -> dict:
    """SPARQL 1.1 Query Results JSON, as far as a client relies on it."""
    term = {"type": "object", "required": ["type", "value"],
            "properties": {"type": {"type": "string", "enum": ["uri", "literal", "bnode", "typed-literal"]},
                           "value": {"type": "string"}, "xml:lang": {"type": "string"},
                           "datatype": {"type": "string"}}}
    return {"type": "object", "required": ["head"], "properties": {
        "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
        "results": {"type": "object", "required": ["bindings"], "properties": {
            "bindings": {"type": "array", "items": {"type": "object", "additionalProperties": term}}}},
        "boolean": {"type": "boolean"}}}
