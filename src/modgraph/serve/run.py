"""`modgraph serve`: prepare the store, start the Oxigraph server behind, run the front until Ctrl-C."""

from __future__ import annotations

import logging
import shutil
import socket
import sys
import tempfile
import urllib.request
from pathlib import Path

from rdflib import Graph

from modgraph import __version__
from modgraph.engines.remote import RemoteEngine
from modgraph.errors import InputError
from modgraph.paths import CatalogueRoot
from modgraph import queries as q
from modgraph.serve.app import Site, create_app, example_texts
from modgraph.serve.backend import Backend, start_backend
from modgraph.serve.sparql import Limits

LOG = logging.getLogger("modgraph.serve")


def serve(root: CatalogueRoot, *, host: str = "127.0.0.1", port: int = 8000, store: str | None = None,
          include: list[str] | None = None, asserted_only: bool = False, limits: Limits = Limits()) -> int:
    """Serve the catalogue at http://HOST:PORT/ until interrupted; 0 on a clean stop."""
    import uvicorn

    from modgraph.sources import query_sources
    from modgraph.store import ensure_store

    check_port(host, port)
    work = Path(tempfile.mkdtemp(prefix="modgraph-serve-"))
    backend: Backend | None = None
    try:
        sources = query_sources(root, include=include or [], asserted_only=asserted_only)
        state = ensure_store(store or work / "store", sources)
        backend = start_backend(state.location, limits.timeout, work)
        site = build_site(root, backend, limits, state.triples)
        _configure_logging()
        shown_host = f"[{host}]" if ":" in host else host
        print(f"modgraph serve: http://{shown_host}:{port}/ ({state.triples:,} triples; SPARQL at /sparql, "
              f"named queries at /api, IRIs at /id/ and /def; time limit {limits.timeout:g} s, at most "
              f"{limits.max_rows:,} rows). Ctrl-C stops.", file=sys.stderr, flush=True)
        config = uvicorn.Config(create_app(site), host=host, port=port, log_level="warning", access_log=False,
                                lifespan="off", timeout_graceful_shutdown=5)
        uvicorn.Server(config).run()
        return 0
    finally:
        if backend is not None:
            backend.stop()
        shutil.rmtree(work, ignore_errors=True)


def build_site(root: CatalogueRoot, backend: Backend, limits: Limits, triples: int) -> Site:
    """Everything the front needs, read once at start."""
    from modgraph import docs

    resolver = RemoteEngine(backend.query_url, graph="")
    named = q.discover(root.queries)  # the quality checks (qc/) too
    assets = {}
    for name, media in (("yasgui.min.js", "application/javascript"), ("yasgui.min.css", "text/css")):
        with urllib.request.urlopen(f"{backend.base}/{name}", timeout=30) as reply:
            assets[name] = (reply.read(), media)
    return Site(backend_url=backend.query_url, limits=limits, named=named, ready=example_texts(named, resolver),
                triples=triples, ontology_html=docs.html(root), shapes=Graph().parse(root.shapes, format="turtle"),
                resolver=resolver, version=__version__, assets=assets)


def check_port(host: str, port: int) -> None:
    """Refuse a port that is taken (or a host that is not this machine's) before any work."""
    if not 0 < port < 65536:
        raise InputError(f"{port} is not a TCP port (1-65535)", "--port")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}", "--port") from None


def _configure_logging() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    LOG.handlers[:] = [handler]
    LOG.setLevel(logging.INFO)
    LOG.propagate = False
