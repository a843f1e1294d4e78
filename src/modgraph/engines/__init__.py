"""Query engines: one interface (:class:`Engine`), backends ``oxigraph`` (default), ``rdflib`` and ``remote``.

:func:`open_engine` gives the engine a command asked for: the catalogue (asserted + current
inferences, and ``--include`` folders) in pyoxigraph's memory, in an on-disk store (``--store``),
in an rdflib graph (``--engine rdflib``), or a remote SPARQL endpoint (``--endpoint``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable

from modgraph.engines.base import Bindings, Engine
from modgraph.errors import InputError
from modgraph.paths import CatalogueRoot

__all__ = ["BACKENDS", "Bindings", "Engine", "open_engine"]

BACKENDS = ("oxigraph", "rdflib")


def open_engine(root: CatalogueRoot, *, engine: str = "oxigraph", store: str | os.PathLike | None = None,
                endpoint: str | None = None, graph: str | None = None,
                include: Iterable[str | os.PathLike] = (), asserted_only: bool = False,
                notify: Callable[[str], None] | None = None) -> Engine:
    """The engine over the catalogue at ``root`` (see the module's description)."""
    include = list(include or [])
    if engine not in BACKENDS:
        raise InputError(f"unknown engine '{engine}' (one of: {', '.join(BACKENDS)})", "--engine")
    if endpoint is not None:
        if store is not None or include or engine != "oxigraph":
            raise InputError("a remote endpoint answers from what was published to it: "
                             "--store, --include and --engine do not apply", "--endpoint")
        from modgraph.engines.remote import RemoteEngine

        return RemoteEngine(endpoint, graph=graph)
    from modgraph.sources import query_sources

    sources = query_sources(root, include=include, asserted_only=asserted_only, notify=notify)
    if engine == "rdflib":
        if store is not None:
            raise InputError("the on-disk store is an Oxigraph store: leave out --engine rdflib", "--store")
        return _rdflib_engine(sources)
    import pyoxigraph as ox

    from modgraph.engines.oxigraph_engine import OxigraphEngine

    if store is not None:
        from modgraph.store import ensure_store, open_store

        state = ensure_store(store, sources, notify=notify)
        return OxigraphEngine(open_store(state.location), location=state.location)
    from modgraph.engines.loading import load_sources

    memory = ox.Store()
    load_sources(memory, sources)
    return OxigraphEngine(memory)


def _rdflib_engine(sources) -> Engine:
    from rdflib import Graph

    from modgraph.catalogue import parse_turtle
    from modgraph.engines.rdflib_engine import RdflibEngine
    from modgraph.namespaces import PREFIXES

    graph = sources.graph
    if graph is None:
        graph = Graph()
        for path in sources.turtle:
            graph += parse_turtle(path)
    for path in sources.included:
        if path.suffix == ".nt":
            graph.parse(path, format="nt")
        else:
            graph += parse_turtle(path)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True)
    return RdflibEngine(graph)


def from_graph(graph) -> Engine:
    """An in-memory pyoxigraph engine over an rdflib ``graph`` (e.g. the catalogue as a release sets it)."""
    import pyoxigraph as ox

    from modgraph.engines.convert import to_oxigraph
    from modgraph.engines.oxigraph_engine import OxigraphEngine

    store = ox.Store()
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return OxigraphEngine(store)
