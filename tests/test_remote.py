"""The remote backend (issue 16): parameters bound as inline VALUES, and named queries on two real servers.

Binding: ``bind_values`` must give the rows that binding the parameters as constants gives (the
query text with each parameter replaced by its term, on pyoxigraph: what tests/test_queries_engine.py
compares with rdflib's ``initBindings``), for every named query with its ``# Example:`` values; and no
value may change the query's structure.

Servers (tests/servers.py, 127.0.0.1 only): the Oxigraph server and Virtuoso 7.2.5 hold the catalogue
published by ``modgraph publish``; every named query run there through ``RemoteEngine`` must give the
in-process rows. Where Virtuoso departs from SPARQL 1.1 the case is listed in VIRTUOSO_MISMATCHES
(also /work/notes/virtuoso-mismatches.md) and marked xfail(strict): the day the query is rewritten
to mean the same on Virtuoso, the test says so.
"""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from modgraph import queries as q
from modgraph.engines.binding import bind_values, nt_term
from modgraph.engines.convert import to_rdflib
from modgraph.engines.remote import RemoteEngine, check_locally, json_term, server_message
from modgraph.errors import InputError
from modgraph.inferred import load_for_queries
from modgraph.limits import WorkTimeout
from modgraph.paths import CatalogueRoot
from modgraph.publish import DEFAULT_GRAPH
from row_compare import multiset

pytest_plugins = ["servers"]


@pytest.fixture(scope="module", autouse=True)
def _drop_test_graphs(drops_test_graphs):
    """The graphs this module's tests made are dropped at its end (Virtuoso's cost estimate counts them)."""


ROOT = Path(__file__).resolve().parents[1]
ALL = q.discover(ROOT / "queries")

# Virtuoso 7.2.5 answers these differently from SPARQL 1.1 (and from the Oxigraph server); why, per query.
# Keep in step with /work/notes/virtuoso-mismatches.md. A query rewritten to mean the same everywhere
# turns its case into an XPASS, which fails: then remove it here.
VIRTUOSO_MISMATCHES: dict[str, str] = {
    "pathways": "12 rows instead of 13 around the cycle Aanmelding <-> Informatie en advies (mg:pathwayTo* over a "
                "cycle), and quote lists with an empty first element (an OPTIONAL quote left unbound)",
    "sequencing-steps": "the 5 steps with a werksoort or a role (the BMWer) at one end are missing (30 of 35 rows); "
                        "the module-to-module steps agree (issue 19, not yet rewritten for Virtuoso)",
}

# Cases Virtuoso 7.2.5 answers right in most runs but not all: non-strict xfail, so a wrong run is
# reported (XFAIL) without turning CI red, and a right one passes. The Oxigraph server case stays strict.
VIRTUOSO_UNSTABLE: dict[str, str] = {
    "follow-ups": "once in five full-suite runs (CI, 2026-12-03) Virtuoso paired the quote of one evidence "
                  "statement with the page of another (page 20 instead of 22 for Weer aan de slag); never "
                  "when the test ran alone (3 runs) or with test_publish (1 run)",
}

PAYLOADS = [
    'x" } UNION { ?s ?p ?o } #',
    "x' . ?s ?p ?o . FILTER('1'",
    '"""} SELECT * WHERE { ?s ?p ?o } #',
    "'''\n} ; DROP ALL ; #",
    "> } SELECT * WHERE { ?s ?p ?o }",
    "\\\" }} DELETE WHERE { ?s ?p ?o }",
    "line one\nline two\r\n\ttab # not a comment",
    "\\u0022 } \\U0000007D",
    "é € 𝄞 \u0007 \u007f",
]


@pytest.fixture(scope="module")
def graph():
    return load_for_queries(CatalogueRoot(ROOT)).graph


@pytest.fixture(scope="module")
def store(graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def constants(text: str, bindings: dict) -> str:
    """The reference: each bound variable replaced by its term (only safe for known, clean values)."""
    for variable, term in sorted(bindings.items(), key=lambda kv: -len(kv[0])):
        text = re.sub(r"[?$]" + re.escape(variable) + r"\b", term.n3(), text)
    return text


def ox_rows(result):
    if isinstance(result, bool):
        return result
    if isinstance(result, ox.QueryTriples):
        return Counter(str(t) for t in result)
    variables = [v.value for v in result.variables]
    return variables, Counter(tuple(None if s[v] is None else str(s[v]) for v in variables) for s in result)


# =============================================================================== binding, no server

@pytest.mark.parametrize("name", sorted(ALL))
def test_values_binding_gives_the_rows_of_constant_binding(store, graph, name):
    query = ALL[name]
    bindings = q.bind(query, query.example_params, graph)
    bound = bind_values(query.text, bindings)
    ours, reference = store.query(bound), store.query(constants(query.text, bindings))
    if isinstance(reference, bool):
        assert ours is reference
    else:  # GROUP_CONCAT's order follows the evaluation order, which the text may change: compared sorted
        variables = [v.value for v in reference.variables]
        assert [v.value for v in ours.variables] == variables
        assert comparable(query, variables, [_ox_row(s, variables) for s in ours]) == \
            comparable(query, variables, [_ox_row(s, variables) for s in reference])
    for variable in bindings:  # every bound variable the query uses is bound by a VALUES block
        assert re.search(r"VALUES \([^)]*\?" + re.escape(variable) + r"\b", bound), variable


STRUCTURE = """PREFIX ex: <http://example.org/>
# a comment with { braces } and ?v
CONSTRUCT { ?s ex:p ?v . ?s ex:note "}{" }
WHERE {
  ?s ex:p ?v .
  OPTIONAL { ?s ex:q ?w FILTER(?w != ?v) }
  { ?s ex:r ?x } UNION { ?s ex:t ?x }
  MINUS { ?s ex:gone ?v }
  GRAPH ex:g { ?s ex:in ?v }
  FILTER NOT EXISTS { ?s ex:hidden ?v }
  { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ex:p ?v } GROUP BY ?s }
  VALUES ?x { ex:a "{" }
  ?s ex:other ?unrelated .
}"""


def test_values_go_into_every_group_that_mentions_the_variable_and_nowhere_else():
    bound = bind_values(STRUCTURE, {"v": Literal("V")})
    block = 'VALUES (?v) { ("V") }'
    assert bound.count(block) == 6  # WHERE, OPTIONAL, MINUS, GRAPH, NOT EXISTS and the subquery's WHERE
    assert 'CONSTRUCT { ?s ex:p ?v . ?s ex:note "}{" }' in bound            # the template is left alone
    assert "{ SELECT ?s" in bound                                            # so is the subquery's wrapper
    assert "VALUES ?x { ex:a \"{\" }" in bound                               # and an existing data block
    assert "{ ?s ex:r ?x } UNION { ?s ex:t ?x }" in bound                   # the UNION groups do not use ?v
    assert bound.replace(f" {block} ", "") == STRUCTURE
    ox.Store().query(bound)  # still SPARQL


def test_unused_bindings_are_left_out_and_no_bindings_leave_the_text_alone():
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    assert bind_values(text, {"nothere": Literal("x")}) == text
    assert bind_values(text, None) == text
    assert bind_values(text, {"o": Literal(1)}).count("VALUES (?o)") == 1


def test_a_variable_used_only_in_the_projection_is_bound_in_the_where_group():
    text = "SELECT (?given AS ?echo) WHERE { }"
    rows = ox_rows(ox.Store().query(bind_values(text, {"given": Literal("hello", lang="en")})))
    assert rows == (["echo"], Counter({('"hello"@en',): 1}))


def test_short_form_construct_where_gets_a_values_clause_after_the_query():
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1")))
    store.add(ox.Quad(ox.NamedNode("http://e/b"), ox.NamedNode("http://e/p"), ox.Literal("2")))
    bound = bind_values("CONSTRUCT WHERE { ?s ?p ?o } # the end", {"s": URIRef("http://e/a")})
    assert [str(t) for t in store.query(bound)] == ['<http://e/a> <http://e/p> "1"']


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_literal_value_changes_the_query(payload):
    """The value comes back as the same literal, and the query's text outside the term is unchanged."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://e/hit"), ox.NamedNode("http://e/p"), ox.Literal(payload)))
    store.add(ox.Quad(ox.NamedNode("http://e/miss"), ox.NamedNode("http://e/p"), ox.Literal("other")))
    text = "SELECT ?s ?v WHERE { ?s <http://e/p> ?v } # ?v"
    bound = bind_values(text, {"v": Literal(payload)})
    assert bound == text.replace("{", "{ VALUES (?v) { (" + nt_term(Literal(payload)) + ") } ", 1)
    rows = list(store.query(bound))
    assert [(r["s"].value, r["v"].value) for r in rows] == [("http://e/hit", payload)]


@pytest.mark.parametrize("iri", ["http://e/a> } UNION { ?s ?p ?o", "http://e/a b", "http://e/\"x", "http://e/{",
                                 "http://e/a\n", "", "http://e/a\\u003E"])
def test_an_iri_that_could_change_the_query_is_refused(iri):
    with pytest.raises(InputError, match="not an IRI that can be sent") as info:
        bind_values("SELECT * WHERE { ?s ?p ?m }", {"m": URIRef(iri)})
    assert info.value.location == "parameter m"


@pytest.mark.parametrize("term, why", [
    (BNode("b1"), "blank node"),
    (Literal("1", datatype=URIRef("http://e/t> } #")), "not an IRI"),
    ("plain text", "cannot bind a str"),
    (Literal("\ud800"), "lone surrogate"),
])
def test_terms_that_cannot_be_sent_are_refused(term, why):
    with pytest.raises(InputError, match=why):
        bind_values("SELECT * WHERE { ?s ?p ?m }", {"m": term})


def test_a_bad_variable_name_is_refused():
    with pytest.raises(InputError, match="not a SPARQL variable name"):
        bind_values("SELECT * WHERE { ?s ?p ?m }", {"m } #": Literal("x")})


def test_terms_are_written_as_n_triples():
    assert nt_term(Literal("a\"b\\c\nd\u0001")) == '"a\\"b\\\\c\\nd\\u0001"'
    assert nt_term(Literal("x", datatype=XSD.string)) == '"x"'
    assert nt_term(Literal("3", datatype=XSD.integer)) == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert nt_term(Literal("tekst", lang="nl")) == '"tekst"@nl'


# =============================================================================== the engine, no server

def test_a_bad_query_fails_before_any_request():
    engine = RemoteEngine("http://127.0.0.1:9/query")  # nothing listens: a request would fail differently
    with pytest.raises(InputError, match=r"SPARQL syntax error at line 2, column \d+") as info:
        engine.run("SELECT * WHERE {\n ?s ?p }", source="q.rq")
    assert info.value.location == "q.rq"
    with pytest.raises(InputError, match="SERVICE"):
        engine.run("SELECT * WHERE { SERVICE <http://e/> { ?s ?p ?o } }")
    with pytest.raises(InputError, match="gives a graph, not rows"):
        engine.run("CONSTRUCT WHERE { ?s ?p ?o }", fmt="csv")
    with pytest.raises(InputError, match="unknown format"):
        engine.run("ASK {}", fmt="xml")
    assert check_locally("ASK {}") == "ASK"


@pytest.mark.parametrize("url", ["", "ftp://host/sparql", "localhost:8890/sparql", None, "http:///sparql"])
def test_an_endpoint_that_is_not_an_http_url_is_refused(url):
    with pytest.raises(InputError, match="URL") as info:
        RemoteEngine(url)
    assert info.value.location == "--endpoint"


def test_an_unreachable_endpoint_names_the_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(InputError, match="connection refused") as info:
        RemoteEngine(f"http://127.0.0.1:{port}/sparql").run("ASK {}")
    assert info.value.location == f"http://127.0.0.1:{port}/sparql"


def test_a_server_that_never_answers_is_abandoned_after_the_timeout():
    with socket.socket() as sock:  # accepts connections (the backlog) but never reads or answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(4)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/sparql"
        with pytest.raises(WorkTimeout, match=re.escape(f"the endpoint {url} did not answer within 0.5 s")):
            RemoteEngine(url).run("ASK {}", source="q.rq", timeout=0.5)


class _Canned(http.server.BaseHTTPRequestHandler):
    """Answers every POST with the reply the test put in ``replies[path]``."""

    replies: dict = {}

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, kind, body = self.replies[self.path]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def canned():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canned)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Canned.replies
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("reply, expected", [
    ((200, "text/html", b"<html><body>Welcome to the portal</body></html>"), "not SPARQL JSON results"),
    ((200, "application/json", b'{"hello": "world"}'), "not SPARQL JSON results"),
    ((200, "application/json", b'[1, 2]'), "not SPARQL JSON results"),
    ((200, "application/json", b'{"boolean": "maybe"}'), "not true or false"),
])
def test_an_answer_that_is_not_sparql_results_names_the_url(canned, reply, expected):
    base, replies = canned
    replies["/odd"] = reply
    with pytest.raises(InputError, match=expected) as info:
        RemoteEngine(base + "/odd").run("ASK {}")
    assert info.value.location == base + "/odd"


def test_an_answer_cut_by_the_oxigraph_servers_time_limit_is_a_timeout(canned):
    # measured (docs/serve.md): the Oxigraph server sends 200 and the head, then ends the body with this text
    base, replies = canned
    replies["/cut"] = (200, "application/sparql-results+json",
                       b'{"head":{"vars":["s"]},"results":{"bindings":[The SPARQL operation has been cancelled')
    with pytest.raises(WorkTimeout, match="time limit"):
        RemoteEngine(base + "/cut").run("SELECT ?s WHERE { ?s ?p ?o }")


def test_a_construct_answer_that_is_not_n_triples_names_the_url(canned):
    base, replies = canned
    replies["/html"] = (200, "text/html", b"<html>no</html>")
    replies["/garbage"] = (200, "application/n-triples", b"this is not N-Triples\n")
    for path in ("/html", "/garbage"):
        with pytest.raises(InputError, match="not N-Triples"):
            RemoteEngine(base + path).run("CONSTRUCT WHERE { ?s ?p ?o }")


def test_virtuoso_style_answers_are_read(canned):
    """Virtuoso writes ``typed-literal`` and may answer ASK with 1/0."""
    base, replies = canned
    replies["/ask1"] = (200, "application/sparql-results+json", b'{"head": {}, "boolean": 1}')
    replies["/ask0"] = (200, "application/sparql-results+json", b'{"head": {}, "boolean": "0"}')
    replies["/rows"] = (200, "application/sparql-results+json", json.dumps({
        "head": {"vars": ["n", "s", "l", "b"]}, "results": {"bindings": [{
            "n": {"type": "typed-literal", "datatype": str(XSD.integer), "value": "3"},
            "s": {"type": "typed-literal", "datatype": str(XSD.string), "value": "plain"},
            "l": {"type": "literal", "xml:lang": "nl", "value": "tekst"},
            "b": {"type": "bnode", "value": "b0"}}]}}).encode())
    assert RemoteEngine(base + "/ask1").run("ASK {}").boolean is True
    assert RemoteEngine(base + "/ask0").run("ASK {}").boolean is False
    rows = RemoteEngine(base + "/rows").run("SELECT * WHERE { ?s ?p ?o }")
    assert rows.variables == ["n", "s", "l", "b"]
    assert rows.rows == [{"n": Literal("3", datatype=XSD.integer), "s": Literal("plain"),
                          "l": Literal("tekst", lang="nl"), "b": BNode("b0")}]


def test_virtuoso_booleans_read_as_true_and_false():
    """XML Schema: the boolean lexical forms 1 and 0 are true and false; Virtuoso writes 1 and 0."""
    boolean = "http://www.w3.org/2001/XMLSchema#boolean"
    assert json_term({"type": "typed-literal", "value": "1", "datatype": boolean}) == Literal(True)
    assert str(json_term({"type": "literal", "value": "0", "datatype": boolean})) == "false"
    assert str(json_term({"type": "literal", "value": "1", "datatype": XSD.integer})) == "1"


def test_an_http_error_is_one_line_without_the_echoed_query(canned):
    base, replies = canned
    replies["/error"] = (400, "text/plain", b"Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax error\n\n"
                                            b"SPARQL query:\nSELECT * WHERE { secret text }")
    with pytest.raises(InputError) as info:
        RemoteEngine(base + "/error").run("ASK {}", source="q.rq")
    assert str(info.value) == (f"q.rq: the endpoint {base}/error answered HTTP 400: "
                               "Virtuoso 37000 Error SP030: SPARQL compiler, line 3: syntax error")
    assert server_message("<html><body><h1>Bad</h1>\n<p>request</p></body></html>") == "Bad request"


# =============================================================================== on the servers

def comparable(query: q.NamedQuery, variables: list[str], rows: list[dict]) -> Counter:
    return multiset(variables, rows, query.text)


def _ox_row(solution, variables: list[str]) -> dict:
    return {v: to_rdflib(solution[v]) for v in variables if solution[v] is not None}


def in_process(store: ox.Store, query: q.NamedQuery, bindings: dict):
    """The reference answer: pyoxigraph in process, the parameters written in as constants."""
    result = store.query(constants(query.text, bindings))
    if isinstance(result, bool):
        return result
    variables = [v.value for v in result.variables]
    return variables, [_ox_row(s, variables) for s in result]


def _cases():
    for name in sorted(ALL):
        for server in ("oxigraph", "virtuoso"):
            marks = []
            if server == "virtuoso" and name in VIRTUOSO_MISMATCHES:
                marks = [pytest.mark.xfail(strict=True, reason=VIRTUOSO_MISMATCHES[name])]
            elif server == "virtuoso" and name in VIRTUOSO_UNSTABLE:
                marks = [pytest.mark.xfail(strict=False, reason=VIRTUOSO_UNSTABLE[name])]
            yield pytest.param(server, name, id=f"{server}-{name}", marks=marks)


@pytest.mark.parametrize("server_name, name", list(_cases()))
def test_every_named_query_gives_the_in_process_rows_on_the_server(published_on, store, graph, server_name, name):
    server = published_on(server_name)
    query = ALL[name]
    bindings = q.bind(query, query.example_params, graph)
    engine = RemoteEngine(server.endpoint, graph=DEFAULT_GRAPH)
    remote = engine.run(query.text, bindings, source=name, timeout=120)
    expected = in_process(store, query, bindings)
    if isinstance(expected, bool):
        assert remote.boolean is expected
        return
    variables, rows = expected
    assert remote.variables == variables
    assert comparable(query, variables, remote.rows) == comparable(query, variables, rows), \
        f"{name} on {server_name}: the rows differ from pyoxigraph in process"


def test_the_published_graph_is_the_default_graph_of_queries(published_on, graph):
    for name in ("oxigraph", "virtuoso"):
        server = published_on(name)
        assert RemoteEngine(server.endpoint, graph=DEFAULT_GRAPH).triple_count() == len(graph)
        assert RemoteEngine(server.endpoint).graph == DEFAULT_GRAPH  # the default: where publish puts it


@pytest.mark.parametrize("server_name", ["oxigraph", "virtuoso"])
def test_parameter_values_cannot_change_the_query_on_a_server(request, published_on, server_name):
    """Each payload is stored as a literal; bound as a parameter it finds exactly its own subject."""
    from modgraph.publish import publish

    server = request.getfixturevalue(f"{server_name}_server")
    graph_iri = "urn:modgraph:test:payloads"
    lines = [(f"<http://e/hit/{i}> <http://e/p> {nt_term(Literal(p))} .\n", []) for i, p in enumerate(PAYLOADS)]
    publish(iter(lines), server.endpoint, graph=graph_iri, user=server.user, password=server.password)
    engine = RemoteEngine(server.endpoint, graph=graph_iri)
    for i, payload in enumerate(PAYLOADS):
        rows = engine.run("SELECT ?s WHERE { ?s <http://e/p> ?v }", {"v": Literal(payload)}, timeout=60).rows
        assert rows == [{"s": URIRef(f"http://e/hit/{i}")}], repr(payload)
    name, parameter = next((n, p) for n, query in sorted(ALL.items()) for p in query.parameters if p.kind == "literal")
    published = published_on(server_name)
    catalogue = RemoteEngine(published.endpoint, graph=DEFAULT_GRAPH)
    for payload in PAYLOADS:
        assert catalogue.run(ALL[name].text, {parameter.variable: Literal(payload)}, timeout=60).rows == []


@pytest.mark.parametrize("server_name", ["oxigraph", "virtuoso"])
def test_the_server_s_error_comes_back_as_one_line(request, server_name):
    server = request.getfixturevalue(f"{server_name}_server")
    with pytest.raises(InputError) as info:  # valid SPARQL, but no server has this function
        RemoteEngine(server.endpoint).run("SELECT * WHERE { ?s ?p ?o FILTER(<urn:no-such-function>(?o)) }",
                                          source="q.rq")
    assert info.value.location == "q.rq"
    assert f"the endpoint {server.endpoint} answered HTTP" in info.value.message
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("server_name", ["oxigraph", "virtuoso"])
def test_construct_and_ask_on_a_server(published_on, server_name):
    server = published_on(server_name)
    engine = RemoteEngine(server.endpoint, graph=DEFAULT_GRAPH)
    module = URIRef("https://w3id.org/modgraph/id/module/amw/intake")
    graph = engine.run("CONSTRUCT { ?m <http://e/seen> true } WHERE { ?m a ?type } LIMIT 1", {"m": module}).graph
    assert set(graph) == {(module, URIRef("http://e/seen"), Literal(True))}
    assert engine.run("ASK { ?m ?p ?o }", {"m": module}).boolean is True
    assert engine.run("ASK { ?m ?p ?o }", {"m": URIRef("http://e/nothing")}).boolean is False
