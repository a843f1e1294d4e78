"""Publish the catalogue to a SPARQL server, replacing the previous version atomically.

The triples (the catalogue as queries see it, and any included files) are loaded into a new
staging graph (``urn:modgraph:staging:UUID``) with the SPARQL 1.1 Graph Store Protocol (PUT, then
POST for further chunks) where the server has it, else with SPARQL Update ``INSERT DATA`` in chunks.
The staging graph's triple count is checked against what was sent; then one update request
``MOVE <staging> TO <live>`` replaces the live graph, in one transaction: a reader sees the old
catalogue or the new one, never a mix (measured: docs/remote.md). Virtuoso's MOVE commits row by row,
so there the switch is DELETE and INSERT in one logged transaction (:meth:`Target.switch`). A failure at any step (or Ctrl-C) drops the staging graph
and leaves the live graph as it was.

Blank nodes are scoped to one request, so every triple that shares a blank node goes in the same
chunk. Where the server's endpoints are is known for the Oxigraph server (``/query``, ``/store``,
``/update`` side by side) and Virtuoso (``/sparql-graph-crud-auth`` and ``/sparql-auth`` with
credentials), recognised by their HTTP Server header; elsewhere ``--update-endpoint`` names the
update endpoint and SPARQL Update is used.
"""

from __future__ import annotations

import time
import urllib.parse
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph

from modgraph.engines.binding import iri_term, nt_term
from modgraph.engines.remote import DEFAULT_GRAPH, HttpClient, RemoteEngine, check_url
from modgraph.errors import InputError
from modgraph.limits import shown

STAGING_PREFIX = "urn:modgraph:staging:"
DEFAULT_PUBLISH_TIMEOUT = 600.0  # seconds per request
GSP_CHUNK = 10_000               # triples per Graph Store request (Virtuoso: a 100,000-triple PUT took minutes)
UPDATE_CHUNK = 1_000             # triples per INSERT request (Virtuoso: at most 10,000 lines of generated SQL)


@dataclass(frozen=True)
class Published:
    """What a publish did: triples in the live graph, the graph's IRI, how, and how long it took."""

    triples: int
    graph: str
    method: str      # "graph store" or "update"
    seconds: float
    chunks: int


@dataclass(frozen=True)
class Target:
    """Where a server takes queries, updates and (if it has one) Graph Store requests."""

    query: str
    update: str
    store: str | None
    virtuoso: bool = False

    def switch(self, staging: str, live: str) -> str:
        """The one update request that replaces ``live`` by ``staging``.

        SPARQL 1.1 ``MOVE``, except on Virtuoso, whose MOVE commits row by row (a reader saw counts
        between the old and the new one): there the live graph's triples are deleted and the staging
        graph's inserted by DELETE and INSERT in one logged transaction."""
        if not self.virtuoso:
            return f"MOVE SILENT <{staging}> TO <{live}>"
        return (f"DEFINE sql:log-enable 1 DELETE WHERE {{ GRAPH <{live}> {{ ?s ?p ?o }} }} ; "
                f"INSERT {{ GRAPH <{live}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH <{staging}> {{ ?s ?p ?o }} }} ; "
                f"DROP SILENT GRAPH <{staging}>")


def target(endpoint: str, server: str = "", *, update_endpoint: str | None = None, authenticated: bool = False,
           method: str = "auto") -> Target:
    """The endpoints to use, by the software that answers (``server``: its HTTP Server header): the
    Oxigraph server's and Virtuoso's layouts are known; elsewhere ``update_endpoint`` (or the query
    endpoint itself) and SPARQL Update only."""
    endpoint = check_url(endpoint)
    update = check_url(update_endpoint, "--update-endpoint") if update_endpoint else None
    parts = urllib.parse.urlsplit(endpoint)

    def at(path: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))

    store = None
    virtuoso = server.lower().startswith("virtuoso")
    if server.lower().startswith("oxigraph"):  # /query, /update and /store side by side
        base = parts.path.rstrip("/").rsplit("/", 1)[0]
        store, update = at(base + "/store"), update or at(base + "/update")
    elif virtuoso:                              # the -auth endpoints take Digest credentials
        store = at("/sparql-graph-crud-auth" if authenticated else "/sparql-graph-crud")
        update = update or at("/sparql-auth" if authenticated else "/sparql")
    if method == "update":
        store = None
    elif method != "auto":
        raise ValueError(method)
    return Target(query=endpoint, update=update or endpoint, store=store, virtuoso=virtuoso)


def nt_lines(graph: Graph) -> Iterator[tuple[str, list]]:
    """Each triple of ``graph`` as an N-Triples line and the blank-node labels it holds."""
    for triple in graph:
        bnodes = [str(term) for term in triple if isinstance(term, BNode)]
        terms = [f"_:b{_label(t)}" if isinstance(t, BNode) else nt_term(t, "the catalogue") for t in triple]
        yield " ".join(terms) + " .\n", bnodes


def file_lines(path: Path) -> Iterator[tuple[str, list]]:
    """The triples of an N-Triples or Turtle file (parsed by pyoxigraph) as :func:`nt_lines` does."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.N_TRIPLES if path.suffix == ".nt" else ox.RdfFormat.TURTLE
    try:
        with open(path, "rb") as handle:
            for triple in ox.parse(handle, format=fmt, base_iri=path.resolve().as_uri()):
                bnodes = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
                yield f"{triple.subject} {triple.predicate} {triple.object} .\n", bnodes  # xsd:string as plain
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    except SyntaxError as exc:
        raise InputError(f"syntax error: {' '.join(str(exc).split())}", str(path)) from None


def _label(node: BNode) -> str:
    return "".join(c if c.isalnum() else "_" for c in str(node))


def chunks(lines: Iterable[tuple[str, list]], size: int) -> Iterator[list[str]]:
    """N-Triples lines in chunks of about ``size``, duplicates left out; every triple that shares a
    blank node (directly or through others) lands in the same chunk, since a label means one node
    only within one request."""
    parent: dict[str, str] = {}

    def find(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    seen: set[str] = set()
    linked: list[tuple[str, str]] = []
    chunk: list[str] = []
    for line, bnodes in lines:
        if line in seen:
            continue
        seen.add(line)
        if bnodes:
            first = find(bnodes[0])
            for other in bnodes[1:]:
                parent[find(other)] = first
            linked.append((bnodes[0], line))
            continue
        chunk.append(line)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    groups: dict[str, list[str]] = {}
    for label, line in linked:
        groups.setdefault(find(label), []).append(line)
    for group in groups.values():
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


def publish(lines: Iterable[tuple[str, list]], endpoint: str, *, update_endpoint: str | None = None,
            graph: str = DEFAULT_GRAPH, user: str | None = None, password: str | None = None,
            timeout: float | None = DEFAULT_PUBLISH_TIMEOUT, method: str = "auto",
            chunk_size: int | None = None, after_chunk: Callable[[int], None] | None = None) -> Published:
    """Upload ``lines`` (see :func:`nt_lines`) as the graph ``graph`` at ``endpoint``, atomically.

    ``method`` "auto" uses the Graph Store Protocol where the server has one, "update" SPARQL
    Update only. ``after_chunk(n)`` is called after each chunk is stored (progress). Errors are
    InputErrors; the live graph is then as it was and the staging graph is gone.
    """
    started = time.monotonic()
    live = nt_term_iri(graph)
    http = HttpClient(user, password)
    http.request("POST", check_url(endpoint), body=b"query=ASK+%7B%7D", content_type="application/x-www-form-urlencoded",
                 accept="application/sparql-results+json", timeout=timeout, where="publish")  # which server?
    where = target(endpoint, http.server, update_endpoint=update_endpoint, authenticated=http.authenticated,
                   method=method)
    staging = f"{STAGING_PREFIX}{uuid.uuid4()}"
    size = chunk_size or (GSP_CHUNK if where.store else UPDATE_CHUNK)
    reader = RemoteEngine(where.query, graph="", user=user, password=password)  # GRAPH <…> reaches every graph
    sent = count = 0
    try:
        for number, chunk in enumerate(chunks(lines, size)):
            body = "".join(chunk)
            if where.store:
                url = where.store + "?" + urllib.parse.urlencode({"graph": staging})
                http.request("PUT" if number == 0 else "POST", url, body=body.encode("utf-8"),
                             content_type="application/n-triples", timeout=timeout, where="publish")
            else:
                _update(http, where.update, _insert(staging, body), timeout)
            sent += len(chunk)
            count = number + 1
            if after_chunk is not None:
                after_chunk(count)
        if not sent:
            raise InputError("there are no triples to publish", "publish")
        stored = _count(reader, staging, timeout)
        if stored != sent:
            raise InputError(f"the server holds {stored} of the {sent} triples sent to the staging graph; "
                             "nothing was published", where.query)
        _update(http, where.update, where.switch(staging, live), timeout)
    except BaseException:
        _drop_quietly(http, where.update, staging)
        raise
    triples = _count(reader, live, timeout)
    return Published(triples=triples, graph=live, method="graph store" if where.store else "update",
                     seconds=time.monotonic() - started, chunks=count)


def drop_graph(endpoint: str, graph: str, *, update_endpoint: str | None = None, user: str | None = None,
               password: str | None = None, timeout: float | None = DEFAULT_PUBLISH_TIMEOUT) -> None:
    """Remove the named graph ``graph`` at ``endpoint`` (nothing happens when it is not there)."""
    http = HttpClient(user, password)
    http.request("POST", check_url(endpoint), body=b"query=ASK+%7B%7D", content_type="application/x-www-form-urlencoded",
                 accept="application/sparql-results+json", timeout=timeout, where="drop")  # which server?
    where = target(endpoint, http.server, update_endpoint=update_endpoint, authenticated=http.authenticated)
    _update(http, where.update, f"DROP SILENT GRAPH <{nt_term_iri(graph)}>", timeout)


def nt_term_iri(graph: str) -> str:
    """``graph`` as a graph IRI that can be written between < > (an InputError naming --graph if not)."""
    if not isinstance(graph, str) or ":" not in graph:
        raise InputError(f"'{shown(str(graph))}' is not an absolute IRI", "--graph")
    return iri_term(graph, "--graph")[1:-1]


def _insert(graph: str, body: str) -> str:
    """The update that adds the N-Triples ``body`` to ``graph``: INSERT DATA, or with blank nodes
    INSERT {…} WHERE {} (Virtuoso refuses blank nodes in INSERT DATA; in a template each label is
    one new node, as in INSERT DATA)."""
    if "_:" not in body or all(not line.startswith("_:") and " _:" not in line for line in body.splitlines()):
        return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"
    return f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}"


def _update(http: HttpClient, url: str, update: str, timeout: float | None) -> None:
    http.request("POST", url, body=urllib.parse.urlencode({"update": update}).encode("utf-8"),
                 content_type="application/x-www-form-urlencoded", timeout=timeout, where="publish")


def _count(reader: RemoteEngine, graph: str, timeout: float | None) -> int:
    rows = reader.run(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}", source="publish",
                      timeout=timeout)
    return int(rows.rows[0]["n"]) if rows.rows else 0


def _drop_quietly(http: HttpClient, url: str, staging: str) -> None:
    """Remove the staging graph after a failure; a second failure must not hide the first."""
    try:
        _update(http, url, f"DROP SILENT GRAPH <{staging}>", 60)
    except BaseException:  # noqa: BLE001 - the original error is the one to report
        pass
