"""The engine interface: every command and the Python API run SPARQL through an :class:`Engine`.

A backend answers a query text with bindings (parameter variable -> RDF term, bound as terms by the
backend, never pasted into the text) and gives the answer as :class:`modgraph.results.Rows` with
rdflib terms, so rendering, the API and the tests do not depend on the backend.

Backends: ``oxigraph`` (pyoxigraph, in memory or an on-disk store; the default), ``rdflib`` and
``remote`` (any SPARQL 1.1 Protocol endpoint).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

from rdflib.term import Identifier

from modgraph.limits import DEFAULT_QUERY_TIMEOUT
from modgraph.results import Rows

Bindings = Mapping[str, Identifier]  # variable name without '?' -> rdflib URIRef or Literal


class Engine(ABC):
    """A SPARQL engine over one catalogue (asserted + inferred triples, as loaded)."""

    name: str = ""

    @abstractmethod
    def run(self, text: str, bindings: Bindings | None = None, *, source: str = "query",
            timeout: float | None = DEFAULT_QUERY_TIMEOUT, allow_service: bool = False,
            fmt: str | None = None) -> Rows:
        """Run the SPARQL query ``text`` with ``bindings``; the complete answer.

        Problems are InputErrors located at ``source``: a syntax error (line and column), ``SERVICE``
        unless ``allow_service``, ``fmt`` that does not fit the query form, a query that does not
        finish within ``timeout`` seconds (then the work is stopped; None: no limit).
        """

    def triple_count(self) -> int:
        """How many triples the engine holds (for reports and benchmarks)."""
        rows = self.run("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", source="triple count", timeout=None)
        return int(rows.rows[0]["n"])

    def to_graph(self):
        """Every triple the engine holds, as an rdflib Graph (for callers that walk the graph in Python)."""
        rows = self.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", source="the whole graph", timeout=None)
        return rows.graph

    def close(self) -> None:
        """Release files, connections and worker processes (idempotent)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
