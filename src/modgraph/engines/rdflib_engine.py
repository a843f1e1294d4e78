"""The ``rdflib`` backend: rdflib's SPARQL engine over an rdflib Graph.

Slow (a median 150 times pyoxigraph on the named queries) but pure Python and the graph pyshacl
and the reasoner work on; selectable with ``--engine rdflib``.
"""

from __future__ import annotations

from rdflib import Graph

from modgraph.engines.base import Bindings, Engine
from modgraph.limits import DEFAULT_QUERY_TIMEOUT
from modgraph.results import Rows, run_sparql


class RdflibEngine(Engine):
    """SPARQL over an rdflib :class:`~rdflib.Graph` (parameters as ``initBindings``)."""

    name = "rdflib"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def run(self, text: str, bindings: Bindings | None = None, *, source: str = "query",
            timeout: float | None = DEFAULT_QUERY_TIMEOUT, allow_service: bool = False,
            fmt: str | None = None) -> Rows:
        return run_sparql(self.graph, text, dict(bindings or {}), source=source, timeout=timeout,
                          allow_service=allow_service, fmt=fmt)

    def to_graph(self) -> Graph:
        return self.graph

    def triple_count(self) -> int:
        return len(self.graph)
