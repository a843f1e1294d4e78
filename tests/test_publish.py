"""`modgraph publish` (issue 16): the catalogue uploaded to a real SPARQL server, replacing the previous
version atomically, on the Oxigraph server and Virtuoso 7.2.5 (tests/servers.py, 127.0.0.1 only).

What is published is the catalogue as queries see it (asserted + current inferences + alignments:
``modgraph.inferred.load_for_queries``). A reader polling the live graph while it is replaced must only
ever see the old or the new triple count; a failed upload leaves the live graph as it was and no staging
graph behind; bad input and unreachable servers give one line and exit 2.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from modgraph import publish as P
from modgraph.engines.binding import nt_term
from modgraph.engines.remote import RemoteEngine
from modgraph.errors import InputError
from modgraph.inferred import load_for_queries
from modgraph.paths import CatalogueRoot

pytest_plugins = ["servers"]


@pytest.fixture(scope="module", autouse=True)
def _drop_test_graphs(drops_test_graphs):
    """The graphs this module's tests made are dropped at its end (Virtuoso's cost estimate counts them)."""


ROOT = Path(__file__).resolve().parents[1]
SERVERS = ["oxigraph", "virtuoso"]
PUBLISHED = re.compile(r"^published: ([\d,]+) triples as <([^>]+)> at (\S+) \((graph store|update), (\d+) chunks?, "
                       r"[\d.]+ s\)$")


@pytest.fixture(scope="module")
def catalogue() -> Graph:
    return load_for_queries(CatalogueRoot(ROOT)).graph


def numbered(count: int, tag: str) -> list[tuple[str, list]]:
    """``count`` distinct triples (N-Triples lines) marked with ``tag``."""
    return [(f"<http://e/{tag}/{i}> <http://e/p> {nt_term(Literal(f'{tag} {i}'))} .\n", []) for i in range(count)]


def live_count(server, graph: str) -> int:
    return RemoteEngine(server.endpoint, graph=graph).triple_count()


def staging_graphs(server) -> list[str]:
    rows = RemoteEngine(server.endpoint, graph="").run(
        'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:modgraph:staging:")) }',
        timeout=60).rows
    return [str(row["g"]) for row in rows]


# =============================================================================== the command

@pytest.mark.parametrize("server_name", SERVERS)
def test_publish_uploads_the_catalogue_as_queries_see_it(request, published_on, catalogue, server_name):
    """The session's `modgraph publish` (tests/servers.py) said what it published, and the server holds it."""
    from servers import modgraph  # the same runner the session's publish used

    server = published_on(server_name)
    engine = RemoteEngine(server.endpoint, graph=P.DEFAULT_GRAPH)
    assert engine.triple_count() == len(catalogue)
    # every triple is there: the catalogue's own (simple) triples, looked up one module at a time
    module = URIRef("https://w3id.org/modgraph/id/module/amw/intake")
    ours = {(p, o) for p, o in catalogue.predicate_objects(module) if not isinstance(o, BNode)}
    rows = engine.run("SELECT ?p ?o WHERE { ?m ?p ?o }", {"m": module}).rows
    assert {(r["p"], r["o"]) for r in rows if not isinstance(r["o"], BNode)} == ours
    again = modgraph("publish", "--endpoint", server.endpoint, *server.user_args(), env=server.env())
    assert again.returncode == 0, again.stderr
    match = PUBLISHED.match(again.stdout.strip())
    assert match, again.stdout
    assert int(match.group(1).replace(",", "")) == len(catalogue)
    assert match.group(2) == P.DEFAULT_GRAPH and match.group(3) == server.endpoint
    assert match.group(4) == "graph store"
    assert engine.triple_count() == len(catalogue)  # republished: replaced, not added twice
    assert staging_graphs(server) == []


@pytest.mark.parametrize("server_name", SERVERS)
def test_republish_replaces_the_graph_and_update_method_works(request, server_name):
    server = request.getfixturevalue(f"{server_name}_server")
    graph = f"urn:modgraph:test:replace:{server_name}"
    first = P.publish(iter(numbered(30, "old")), server.endpoint, graph=graph, user=server.user,
                      password=server.password, chunk_size=7)
    assert (first.triples, first.chunks, first.method) == (30, 5, "graph store")
    second = P.publish(iter(numbered(12, "new")), server.endpoint, graph=graph, user=server.user,
                       password=server.password, method="update", chunk_size=5)
    assert (second.triples, second.chunks, second.method) == (12, 3, "update")
    rows = RemoteEngine(server.endpoint, graph=graph).run("SELECT ?s WHERE { ?s ?p ?o }").rows
    assert sorted(str(r["s"]) for r in rows) == sorted(f"http://e/new/{i}" for i in range(12))
    assert staging_graphs(server) == []


@pytest.mark.parametrize("method", ["auto", "update"])
@pytest.mark.parametrize("server_name", SERVERS)
def test_blank_nodes_stay_one_node_across_chunks(request, server_name, method):
    """A blank node is one node only within one request: its triples go in the same chunk."""
    server = request.getfixturevalue(f"{server_name}_server")
    graph = f"urn:modgraph:test:bnodes:{server_name}:{method}"
    data = Graph()
    for i in range(6):  # six lists of three linked blank nodes, each with a label
        nodes = [BNode() for _ in range(3)]
        data.add((URIRef(f"http://e/list/{i}"), URIRef("http://e/first"), nodes[0]))
        for a, b in zip(nodes, nodes[1:]):
            data.add((a, URIRef("http://e/next"), b))
        for n, node in enumerate(nodes):
            data.add((node, URIRef("http://e/label"), Literal(f"{i}.{n}")))
    P.publish(P.nt_lines(data), server.endpoint, graph=graph, user=server.user, password=server.password,
              method=method, chunk_size=4)
    rows = RemoteEngine(server.endpoint, graph=graph).run(
        "SELECT ?list ?last WHERE { ?list <http://e/first>/<http://e/next>/<http://e/next>/<http://e/label> ?last }"
    ).rows
    assert sorted((str(r["list"]), str(r["last"])) for r in rows) == [(f"http://e/list/{i}", f"{i}.2") for i in range(6)]


@pytest.mark.parametrize("server_name", SERVERS)
def test_a_reader_never_sees_half_a_catalogue(request, catalogue, server_name):
    """While the live graph (the catalogue) is replaced by a bigger one, uploaded in many chunks, a reader
    polling its triple count sees only the old count, then the new one."""
    server = request.getfixturevalue(f"{server_name}_server")
    graph = f"urn:modgraph:test:atomic:{server_name}"
    old = P.publish(P.nt_lines(catalogue), server.endpoint, graph=graph, user=server.user, password=server.password)
    extra = numbered(3000, "extra")
    reader = RemoteEngine(server.endpoint, graph=graph)
    seen: list[int] = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            seen.append(reader.triple_count())

    chunks_done: list[int] = []
    thread = threading.Thread(target=poll)
    thread.start()
    try:
        new = P.publish(iter(list(P.nt_lines(catalogue)) + extra), server.endpoint, graph=graph, user=server.user,
                        password=server.password, chunk_size=1000, after_chunk=lambda n: (chunks_done.append(n),
                                                                                          time.sleep(0.05)))
        time.sleep(0.3)
    finally:
        stop.set()
        thread.join()
    assert new.triples == old.triples + 3000 and len(chunks_done) >= 10
    assert set(seen) <= {old.triples, new.triples}, f"partial counts seen: {sorted(set(seen))}"
    assert seen[0] == old.triples and seen[-1] == new.triples and len(seen) >= 10


@pytest.mark.parametrize("server_name", SERVERS)
def test_a_failed_upload_leaves_the_live_graph_and_no_staging_graph(request, server_name):
    server = request.getfixturevalue(f"{server_name}_server")
    graph = f"urn:modgraph:test:failure:{server_name}"
    P.publish(iter(numbered(20, "kept")), server.endpoint, graph=graph, user=server.user, password=server.password)

    def fail_after_two(n: int) -> None:
        if n == 2:
            assert staging_graphs(server)  # the upload is under way in its own graph
            raise InputError("the upload was cut off", "test")

    with pytest.raises(InputError, match="cut off"):
        P.publish(iter(numbered(50, "lost")), server.endpoint, graph=graph, user=server.user,
                  password=server.password, chunk_size=10, after_chunk=fail_after_two)
    rows = RemoteEngine(server.endpoint, graph=graph).run("SELECT ?s WHERE { ?s ?p ?o }").rows
    assert sorted(str(r["s"]) for r in rows) == sorted(f"http://e/kept/{i}" for i in range(20))
    assert staging_graphs(server) == []


# =============================================================================== bad input, no traceback

def one_line_error(result, *fragments: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("modgraph: error: "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def test_publish_refuses_a_missing_or_bad_endpoint_and_graph():
    from servers import modgraph

    one_line_error(modgraph("publish"), "--endpoint", "give the endpoint's URL")
    one_line_error(modgraph("publish", "--endpoint", "localhost:8890/sparql"), "--endpoint", "not an http")
    one_line_error(modgraph("publish", "--endpoint", "http://127.0.0.1:9/query", "--graph", "not an iri"),
                   "--graph", "not an absolute IRI")
    one_line_error(modgraph("publish", "--endpoint", "http://127.0.0.1:9/query", "--graph", "http://e/a b"),
                   "--graph", "not an IRI that can be sent")
    one_line_error(modgraph("publish", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "soon"), "--timeout")


def test_publish_to_a_server_that_is_down_names_the_url():
    import socket

    from servers import modgraph

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = modgraph("publish", "--endpoint", f"http://127.0.0.1:{port}/query")
    one_line_error(result, f"http://127.0.0.1:{port}/query", "connection refused")


def test_publish_to_virtuoso_without_or_with_wrong_credentials(request):
    from servers import modgraph

    server = request.getfixturevalue("virtuoso_server")
    env = server.env()
    del env["MODGRAPH_PASSWORD"]
    one_line_error(modgraph("publish", "--endpoint", server.endpoint, env=env), "needs credentials", "HTTP 403")
    one_line_error(modgraph("publish", "--endpoint", server.endpoint, "--user", "dba", env=env),
                   "--user", "MODGRAPH_PASSWORD")
    env["MODGRAPH_PASSWORD"] = "wrong-password"
    wrong = modgraph("publish", "--endpoint", server.endpoint, "--user", "dba", env=env)
    one_line_error(wrong, "refused the credentials", "HTTP 401")
    assert "wrong-password" not in wrong.stderr
    assert staging_graphs(server) == []


def test_publish_to_a_server_that_is_not_sparql(request):
    """A web server that is not a SPARQL endpoint: refused before the catalogue is loaded."""
    import http.server

    class Page(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html>hello</html>")

        def log_message(self, *args):
            pass

    from servers import modgraph

    web = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{web.server_address[1]}/query"
        one_line_error(modgraph("publish", "--endpoint", url), url, "not SPARQL JSON results")
    finally:
        web.shutdown()
        web.server_close()


def test_nothing_to_publish_is_an_error(request):
    server = request.getfixturevalue("oxigraph_server")
    with pytest.raises(InputError, match="no triples to publish"):
        P.publish(iter([]), server.endpoint, graph="urn:modgraph:test:empty")
    assert staging_graphs(server) == []


def test_endpoint_layouts():
    oxigraph = P.target("http://127.0.0.1:7878/query", "Oxigraph/0.5.13")
    assert (oxigraph.update, oxigraph.store) == ("http://127.0.0.1:7878/update", "http://127.0.0.1:7878/store")
    assert oxigraph.switch("urn:s", "urn:l") == "MOVE SILENT <urn:s> TO <urn:l>"
    virtuoso = P.target("http://127.0.0.1:8890/sparql", "Virtuoso/07.20.3229 (Linux)", authenticated=True)
    assert (virtuoso.update, virtuoso.store) == ("http://127.0.0.1:8890/sparql-auth",
                                                 "http://127.0.0.1:8890/sparql-graph-crud-auth")
    anonymous = P.target("http://127.0.0.1:8890/sparql", "Virtuoso/07.20.3229 (Linux)")
    assert (anonymous.update, anonymous.store) == ("http://127.0.0.1:8890/sparql",
                                                   "http://127.0.0.1:8890/sparql-graph-crud")
    other = P.target("https://example.org/ds/sparql", "Apache Jena Fuseki (4.5.0)",
                     update_endpoint="https://example.org/ds/update")
    assert (other.update, other.store) == ("https://example.org/ds/update", None)
    assert P.target("https://example.org/ds/sparql", "").update == "https://example.org/ds/sparql"
    assert P.target("http://127.0.0.1:7878/query", "Oxigraph/0.5.13", method="update").store is None


def test_publish_includes_the_include_folders_and_takes_the_global_endpoint(request, tmp_path, catalogue):
    """`modgraph --include DIR --endpoint URL publish`: the catalogue plus the folder's files (blank nodes kept)."""
    from servers import modgraph

    server = request.getfixturevalue("oxigraph_server")
    (tmp_path / "extra.nt").write_text('<http://e/inc/1> <http://e/p> "één" .\n_:b1 <http://e/p> _:b2 .\n'
                                       '_:b2 <http://e/q> "x" .\n', encoding="utf-8")
    result = modgraph("--include", str(tmp_path), "--endpoint", server.endpoint, "publish", "--graph", "urn:modgraph:test:inc")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"published: {len(catalogue) + 3:,} triples as <urn:modgraph:test:inc>")
    engine = RemoteEngine(server.endpoint, graph="urn:modgraph:test:inc")
    assert engine.run("SELECT ?o WHERE { <http://e/inc/1> <http://e/p> ?o }").rows == [{"o": Literal("één")}]
    assert engine.run("ASK { ?a <http://e/p> ?b . ?b <http://e/q> 'x' }").boolean is True
