"""The ``oxigraph`` backend (the default): pyoxigraph, in memory or an on-disk store.

pyoxigraph parses the catalogue's Turtle in milliseconds and answers the named queries two orders
of magnitude faster than rdflib's engine. Parameters are bound as for a remote endpoint, as inline
``VALUES`` blocks of escaped terms (:mod:`modgraph.engines.binding`): pyoxigraph's own
``substitutions`` refuse a variable the SELECT does not project, and one way of binding for the
local and the remote backends gives the same rows by construction. A query runs in a forked worker that is stopped after the query's timeout
(pyoxigraph cannot be interrupted otherwise) and reused between queries
(:class:`modgraph.limits.PersistentWorker`: a fork per query would cost as much as the query); the
worker reads an in-memory store copy-on-write, and an on-disk store through the read-only handle
the parent opened.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from modgraph.engines.base import Bindings, Engine
from modgraph.engines.binding import bind_values
from modgraph.engines.convert import to_rdflib
from modgraph.errors import InputError
from modgraph.limits import DEFAULT_QUERY_TIMEOUT, PersistentWorker
from modgraph.namespaces import PREFIXES
from modgraph.query_checks import FORMATS, check_format, precheck
from modgraph.results import Rows, graph_rows

_LOCATION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.DOTALL)


class OxigraphEngine(Engine):
    """SPARQL over a pyoxigraph :class:`~pyoxigraph.Store`."""

    name = "oxigraph"

    def __init__(self, store: ox.Store, *, location: Path | None = None) -> None:
        self.store = store
        self.location = location  # the on-disk store's folder, or None in memory
        self._worker = PersistentWorker(store)

    def run(self, text: str, bindings: Bindings | None = None, *, source: str = "query",
            timeout: float | None = DEFAULT_QUERY_TIMEOUT, allow_service: bool = False,
            fmt: str | None = None) -> Rows:
        form = precheck(text, source, allow_service=allow_service)
        if fmt is not None:
            check_format(form, fmt) if fmt in FORMATS else check_format("SELECT", fmt)
        text = bind_values(text, bindings)
        if timeout is None:  # no limit asked for: no worker process
            answer = evaluate(self.store, text, source)
        else:
            answer = self._worker.call(evaluate, text, source, timeout=timeout, what="the query", where=source)
        return graph_rows(answer) if isinstance(answer, list) else answer  # a list: CONSTRUCT or DESCRIBE

    def triple_count(self) -> int:
        return len(self.store)

    def to_graph(self):
        from rdflib import Graph

        from modgraph.engines.convert import to_rdflib
        from modgraph.namespaces import PREFIXES

        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True)
        for quad in self.store:
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
        return graph

    def close(self) -> None:
        self._worker.close()


def evaluate(store: ox.Store, text: str, source: str):
    """The complete answer of ``text`` on ``store``: Rows, or a list of rdflib triples for a graph."""
    try:
        result = store.query(text, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return Rows(variables=[], rows=[], boolean=bool(result))
        if isinstance(result, ox.QueryTriples):
            return [(to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result]
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = {}
            for name in variables:
                term = solution[name]
                if term is not None:
                    row[name] = to_rdflib(term)
            rows.append(row)
        return Rows(variables=variables, rows=rows)
    except SyntaxError as exc:
        raise query_syntax_error(exc, source) from None
    except (OSError, RuntimeError, ValueError) as exc:
        raise InputError(f"the query failed: {' '.join(str(exc).split())}", source) from None


def query_syntax_error(exc: SyntaxError, source: str) -> InputError:
    """pyoxigraph's SyntaxError for a query as an InputError with line and column."""
    message = " ".join(str(exc).split())
    match = _LOCATION.match(message)
    if match:
        line, column, why = match.groups()
        return InputError(f"SPARQL syntax error at line {line}, column {column}: {why}", source)
    return InputError(f"SPARQL syntax error: {message}", source)
